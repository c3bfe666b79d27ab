// Fluids: the smoke simulation of demo/app/fluids.js stepped in the worker. The page asks
// for one frame at a time from requestAnimationFrame (never more than one in flight, none
// while the tab is hidden), draws the density it gets back, and plots each frame's pressure
// solve. Test hook: window.__fluidsFrames (see demo/app/README.md).
import { $, ms, onFirstShow, setStatus } from "../lib/dom.js";
import { drawHeat, linePlot, lut } from "../lib/plot.js";
import { WorkerClient } from "../lib/worker-client.js";

const DT = 1 / 60;
const KEEP = 300; // frames in the plot
const SMOKE = lut([
  [6, 8, 18],
  [30, 45, 95],
  [110, 130, 190],
  [205, 215, 240],
  [255, 255, 255],
]);

export function fluidsSection() {
  const section = $("fluids");
  const form = /** @type {HTMLFormElement} */ ($("fluids-form"));
  const startButton = $("fluids-start"),
    stopButton = $("fluids-stop"),
    status = $("fluids-status");
  const canvas = $("fluids-canvas");
  let client,
    running = false,
    inFlight = false,
    plot;
  const history = { frame: [], solve: [], step: [], iterations: [] };
  const frameTimes = [];
  window.__fluidsFrames = [];

  onFirstShow(section, () => {
    plot = linePlot($("fluids-plot"), {
      x: "frame",
      y: "ms",
      y2: "iterations",
      series: [{ label: "pressure solve (ms)" }, { label: "whole step (ms)" }, { label: "iterations", right: true, dash: [4, 3] }],
      height: 260,
    });
  });

  const stats = (s, fps) => {
    const rows = [
      ["frame", String(s.frame)],
      ["frames per second", fps.toFixed(1)],
      ["pressure solve", `${ms(s.solveMs)}, ${s.iterations} iterations, ${s.converged ? "converged" : "NOT converged"}`],
      ["relative residual", s.relativeResidual.toExponential(2)],
      ["whole step (worker)", ms(s.stepMs)],
      ["divergence before → after", `${s.divergenceBefore.toExponential(2)} → ${s.divergenceAfter.toExponential(2)}`],
    ];
    const dl = $("fluids-stats");
    dl.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement("dt"),
          dd = document.createElement("dd");
        dt.textContent = k;
        dd.textContent = v;
        return [dt, dd];
      }),
    );
  };

  const frame = () => {
    if (!running) return;
    requestAnimationFrame(frame);
    if (inFlight || section.hidden || document.hidden) return;
    inFlight = true;
    client
      .run("fluids-step", { dt: DT })
      .promise.then((s) => {
        inFlight = false;
        if (!running) return;
        let max = 0;
        for (let i = 0; i < s.density.length; i++) if (s.density[i] > max) max = s.density[i];
        drawHeat(canvas, s.density, s.n, s.n, { min: 0, max: Math.max(max, 1e-6), table: SMOKE, flip: false });
        const now = performance.now();
        frameTimes.push(now);
        while (frameTimes.length && frameTimes[0] < now - 1000) frameTimes.shift();
        const { density: _d, ...rest } = s;
        window.__fluidsFrames.push(rest);
        if (window.__fluidsFrames.length > 1000) window.__fluidsFrames.shift();
        history.frame.push(s.frame);
        history.solve.push(s.solveMs);
        history.step.push(s.stepMs);
        history.iterations.push(s.iterations);
        for (const a of Object.values(history)) if (a.length > KEEP) a.shift();
        plot?.setData([history.frame, history.solve, history.step, history.iterations]);
        stats(s, frameTimes.length);
      })
      .catch((err) => {
        inFlight = false;
        stop();
        setStatus(status, `${err.message}`, "bad");
      });
  };

  const stop = () => {
    running = false;
    startButton.disabled = false;
    stopButton.disabled = true;
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    running = false;
    client ??= new WorkerClient("fluids");
    const n = Number(form.elements.n.value),
      solver = form.elements.solver.value;
    startButton.disabled = true;
    setStatus(status, `starting a ${n}² simulation…`);
    try {
      await client.run("fluids-start", { n, solver, rtol: 1e-6, seed: 1 }).promise;
    } catch (err) {
      startButton.disabled = false;
      return setStatus(status, err.code === "MISSING" ? `Not available: ${err.message}.` : err.message, "bad");
    }
    for (const a of Object.values(history)) a.length = 0;
    window.__fluidsFrames = [];
    running = true;
    stopButton.disabled = false;
    setStatus(status, `running: ${n}², pressure by ${form.elements.solver.selectedOptions[0].textContent}`);
    requestAnimationFrame(frame);
  });
  stopButton.addEventListener("click", () => {
    stop();
    setStatus(status, "stopped");
    client?.run("fluids-stop", {});
  });
  form.elements.solver.addEventListener("change", () => {
    if (!running) return;
    client.run("fluids-solver", { solver: form.elements.solver.value });
    setStatus(status, `running: pressure by ${form.elements.solver.selectedOptions[0].textContent}`);
  });
  form.elements.n.addEventListener("change", () => {
    if (running) form.requestSubmit();
  });
}
