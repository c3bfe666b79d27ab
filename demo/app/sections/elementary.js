// Elementary functions: ULP error of a kernel over a range (against float64 references)
// and its throughput against the JavaScript it replaces, both measured in the worker.
import { $, fillTable, num, setStatus } from "../lib/dom.js";
import { linePlot } from "../lib/plot.js";
import { WorkerClient } from "../lib/worker-client.js";
import { FUNCTIONS } from "../shared/functions.js";

export function elementarySection() {
  const form = /** @type {HTMLFormElement} */ ($("elementary-form"));
  const runButton = $("elementary-run"),
    status = $("elementary-status");
  const select = form.elements.fn;
  for (const [name, f] of Object.entries(FUNCTIONS)) select.add(new Option(`${name}${f.f64 ? " (float64)" : ""}`, name));
  const defaults = () => {
    const f = FUNCTIONS[select.value];
    form.elements.lo.value = f.lo;
    form.elements.hi.value = f.hi;
    form.elements.logspace.checked = Boolean(f.log);
  };
  select.addEventListener("change", defaults);
  defaults();
  let client, plot;

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let payload;
    try {
      payload = {
        fn: select.value,
        lo: num(form, "lo"),
        hi: num(form, "hi"),
        count: Math.round(num(form, "count", 20000)),
        logspace: form.elements.logspace.checked,
      };
    } catch (err) {
      return setStatus(status, err.message, "bad");
    }
    client ??= new WorkerClient("elementary");
    runButton.disabled = true;
    setStatus(status, "measuring errors…");
    try {
      const u = await client.run("elementary-ulp", payload).promise;
      plot?.destroy();
      plot = linePlot($("elementary-plot"), { x: "x", y: "error (ULP)", logX: payload.logspace, series: [{ label: `${u.fn} error`, points: true }] });
      plot.setData([u.x, Array.from(u.err, (v) => (Number.isFinite(v) ? v : null))]);
      setStatus(status, "measuring throughput…");
      const s = await client.run("elementary-speed", payload).promise;
      fillTable($("elementary-table"), [
        ["quantity", "value"],
        ["function", `${u.fn} on [${payload.lo}, ${payload.hi}]${payload.logspace ? " (log-spaced)" : ""}`],
        ["points", u.count.toLocaleString("en")],
        ["max error", `${u.max.toFixed(3)} ULP at x = ${u.argmax.toPrecision(9)}`],
        ["mean error", `${u.mean.toFixed(3)} ULP`],
        ["within 0.5 ULP", `${(100 * u.halfUlp).toFixed(2)} %`],
        ["solvewasm (SIMD wasm)", `${s.wasmMps.toFixed(0)} M results/s`],
        [`JavaScript ${FUNCTIONS[u.fn].js}`, `${s.jsMps.toFixed(0)} M results/s`],
        ["speed-up", `${s.speedup.toFixed(2)}×`],
      ]);
      setStatus(status, `max ${u.max.toFixed(3)} ULP; ${s.speedup.toFixed(1)}× the JavaScript loop (2^18 inputs, copying form)`, "ok");
    } catch (err) {
      setStatus(status, err.message, "bad");
    } finally {
      runButton.disabled = false;
    }
  });
}
