// ω tuning: the OmegaTuner on a sequence of related systems, against the best fixed ω in
// hindsight and ω = 1, plotted as the systems are solved in the worker.
import { $, num, onFirstShow, perFrame, setStatus } from "../lib/dom.js";
import { linePlot } from "../lib/plot.js";
import { Cancelled, WorkerClient } from "../lib/worker-client.js";

export function tuningSection() {
  const section = $("tuning");
  const form = /** @type {HTMLFormElement} */ ($("tuning-form"));
  const runButton = $("tuning-run"),
    cancelButton = $("tuning-cancel"),
    status = $("tuning-status"),
    bar = $("tuning-progress");
  let client, job, omegaPlot, sweepPlot;
  let pts = [];

  onFirstShow(section, () => {
    omegaPlot = linePlot($("tuning-omega"), {
      x: "system",
      y: "ω (relaxation)",
      series: [{ label: "tuner's ω", points: true }, { label: "best fixed ω so far" }],
    });
    sweepPlot = linePlot($("tuning-sweeps"), {
      x: "system",
      y: "sweeps (cumulative)",
      series: [{ label: "tuner" }, { label: "best fixed ω (hindsight)" }, { label: "ω = 1", dash: [6, 4] }],
    });
  });
  const redraw = perFrame(() => {
    const t = pts.map((p) => p.t);
    omegaPlot?.setData([t, pts.map((p) => p.omega), pts.map((p) => p.bestOmega)]);
    sweepPlot?.setData([t, pts.map((p) => p.tunerTotal), pts.map((p) => p.bestTotal), pts.map((p) => p.oneTotal)]);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (job) return;
    let payload;
    try {
      payload = {
        T: Math.round(num(form, "T", 300)),
        variance: form.elements.variance.value,
        policy: form.elements.policy.value,
        rtol: num(form, "rtol", 1e-8),
        seed: Math.round(num(form, "seed", 7)),
      };
    } catch (err) {
      return setStatus(status, err.message, "bad");
    }
    client ??= new WorkerClient("tuning");
    pts = [];
    redraw();
    runButton.disabled = true;
    cancelButton.disabled = false;
    bar.hidden = false;
    bar.value = 0;
    setStatus(status, "solving…");
    job = client.run("tuning", payload, {
      onProgress: ({ points, total }) => {
        pts.push(...points);
        const p = pts[pts.length - 1];
        bar.value = p.t / total;
        setStatus(
          status,
          `system ${p.t} of ${total}: ω = ${p.omega.toFixed(3)}, ${p.sweeps} sweeps; tuner / best fixed = ${(p.tunerTotal / p.bestTotal).toFixed(3)}`,
        );
        redraw();
      },
    });
    try {
      const r = await job.promise;
      setStatus(
        status,
        `${r.aborted ? "cancelled after " : ""}${r.systems} systems in ${r.seconds.toFixed(1)} s: the tuner took ${r.tunerTotal} sweeps, ${(r.tunerTotal / r.bestTotal).toFixed(3)}× the best fixed ω = ${r.bestOmega.toFixed(3)} (${r.bestTotal}) and ${(r.tunerTotal / r.oneTotal).toFixed(3)}× ω = 1 (${r.oneTotal}).`,
        r.aborted ? "" : "ok",
      );
    } catch (err) {
      setStatus(status, err.message, err instanceof Cancelled ? "" : "bad");
    } finally {
      job = undefined;
      runButton.disabled = false;
      cancelButton.disabled = true;
      bar.hidden = true;
    }
  });
  cancelButton.addEventListener("click", () => job?.cancel());
}
