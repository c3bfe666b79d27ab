// xVA: the four-layer pipeline (xva.run) on the form's inputs — the README's example by
// default; EPE/ENE/IM profiles and the adjustments with their standard errors.
import { $, fillTable, num, onFirstShow, setStatus } from "../lib/dom.js";
import { linePlot } from "../lib/plot.js";
import { Cancelled, WorkerClient } from "../lib/worker-client.js";

const list = (form, name) =>
  String(form.elements[name].value)
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((v) => {
      const x = Number(v);
      if (!Number.isFinite(x)) throw new Error(`${name}: "${v}" is not a number`);
      return x;
    });
const json = (form, name) => {
  try {
    return JSON.parse(form.elements[name].value);
  } catch (err) {
    throw new Error(`${name}: ${err.message}`);
  }
};

/** The xva.run configuration the form describes. */
export function xvaConfig(form) {
  const r = num(form, "r", 0.02);
  const firm = (who) => ({
    value: num(form, `${who}.value`),
    drift: r,
    vol: num(form, `${who}.vol`),
    barrier: num(form, `${who}.barrier`),
    recovery: num(form, `${who}.recovery`),
  });
  return {
    paths: Math.round(num(form, "paths", 32768)),
    steps: Math.round(num(form, "steps", 50)),
    maturity: num(form, "maturity", 1),
    seed: Math.round(num(form, "seed", 1)),
    r,
    assets: { spot: list(form, "spot"), vol: list(form, "vol") },
    corr: json(form, "corr"),
    trades: json(form, "trades"),
    bank: firm("bank"),
    counterparty: firm("counterparty"),
    im: { mpr: Math.round(num(form, "im.mpr", 2)) },
    collateral: { threshold: num(form, "collateral.threshold", 10) },
    funding: { rfl: num(form, "funding.rfl", r), rfb: num(form, "funding.rfb", r), rim: num(form, "funding.rim", r) },
  };
}

export function xvaSection() {
  const section = $("xva");
  const form = /** @type {HTMLFormElement} */ ($("xva-form"));
  const runButton = $("xva-run"),
    cancelButton = $("xva-cancel"),
    status = $("xva-status"),
    bar = $("xva-progress");
  let client, job, plot;
  onFirstShow(section, () => {
    plot = linePlot($("xva-plot"), { x: "t (years)", y: "exposure", series: [{ label: "EPE" }, { label: "ENE" }, { label: "IM posted" }] });
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (job) return;
    let config;
    try {
      config = xvaConfig(form);
    } catch (err) {
      return setStatus(status, err.message, "bad");
    }
    client ??= new WorkerClient("xva");
    runButton.disabled = true;
    cancelButton.disabled = false;
    bar.hidden = false;
    bar.value = 0;
    setStatus(status, `simulating ${config.paths.toLocaleString("en")} paths × ${config.steps} steps…`);
    job = client.run("xva", config, {
      onProgress: ({ layer, ms, done }) => {
        bar.value = done;
        setStatus(status, `${layer} done (${ms.toFixed(0)} ms)…`);
      },
    });
    try {
      const r = await job.promise;
      const f = (v) => v.toFixed(4);
      fillTable($("xva-table"), [
        ["", "value", "± standard error"],
        ["clean value V̂₀", f(r.clean.value), ""],
        ["CVA (cost)", f(r.cva.value), f(r.cva.se)],
        ["DVA (benefit)", f(r.dva.value), f(r.dva.se)],
        ["MVA (cost)", f(r.mva.value), f(r.mva.se)],
        ["ColVA (cost)", f(r.colva.value), f(r.colva.se)],
        ["FVA (cost)", f(r.fva.value), f(r.fva.se)],
        ["  FCA − FBA", `${f(r.fva.fca)} − ${f(r.fva.fba)}`, ""],
        ["adjusted value", f(r.adjusted), ""],
        ["counterparty PD", `${(100 * r.defaultProbability.counterparty).toFixed(2)} %`, ""],
        ["bank PD", `${(100 * r.defaultProbability.bank).toFixed(2)} %`, ""],
      ]);
      const p = r.profiles;
      plot?.setData([p.times, p.epe, p.ene, p.im]);
      setStatus(status, `done in ${r.seconds.toFixed(2)} s`, "ok");
    } catch (err) {
      setStatus(status, err instanceof Cancelled ? err.message : `${err.code ? `${err.code}: ` : ""}${err.message}`, err instanceof Cancelled ? "" : "bad");
    } finally {
      job = undefined;
      runButton.disabled = false;
      cancelButton.disabled = true;
      bar.hidden = true;
    }
  });
  cancelButton.addEventListener("click", () => job?.cancel());
}
