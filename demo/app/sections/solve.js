// Solve: a gallery problem or a .mtx file, a method, rtol/maxiter; the live residual
// history, the result table, a heat map of x on 2-D grids (the middle slice on 3-D ones)
// and "Download x". Test hook: window.__lastResult (see demo/app/README.md).
import { $, fillTable, ms, num, onFirstShow, perFrame, setStatus } from "../lib/dom.js";
import { drawHeat, linePlot } from "../lib/plot.js";
import { Cancelled } from "../lib/worker-client.js";

const GRID_2D = new Set(["poisson2d", "diffusion-random", "diffusion-mask", "anisotropic"]);

/** Why `method` cannot run on the problem, or "" when it can. */
export function unfit(method, problem, n) {
  if (method === "gmg-pcg") {
    if (problem === "mtx") return "GMG needs a grid operator: use AMG-PCG for a matrix file.";
    if ((problem === "poisson2d" || problem === "poisson3d") && !Number.isInteger(Math.log2(n + 1)))
      return `Geometric multigrid on Poisson needs n = 2^L − 1 points per axis (31, 63, 127, 255, 511, 1023), not ${n}.`;
  }
  if (method === "fcd-dcdm") {
    if (!GRID_2D.has(problem)) return "DCDM's network runs on 2-D grid operators only.";
    if (n % 4 !== 0) return `DCDM's network pools twice: n must be a multiple of 4, not ${n}.`;
  }
  return "";
}

const NOTES = {
  cg: "Conjugate gradients, no preconditioner.",
  "pcg-jacobi": "CG preconditioned by the diagonal.",
  "pcg-ssor": "CG with one symmetric SOR sweep as M (ω empty: 2/(1 + πh) on Poisson, else 1).",
  "pcg-ic0": "CG with an incomplete Cholesky factor (no fill).",
  "pcg-chebyshev": "CG with a Chebyshev polynomial in A (interval from 20 Lanczos steps).",
  "gmg-pcg": "CG with one geometric V(1,1) cycle (red-black Gauss–Seidel); Galerkin coarse levels for non-Poisson grids.",
  "amg-pcg": "CG with one smoothed-aggregation AMG V-cycle (PyAMG's defaults; setup in wasm).",
  "amg-classical-pcg":
    "CG with one classical AMG V-cycle: HMIS coarsening, extended+i interpolation, hybrid Gauss–Seidel (hypre BoomerAMG's defaults; setup in wasm).",
  sor: "SOR sweeps (red-black on 2-D Poisson; ω empty: Young's optimum on Poisson, else 1.5). rtol is against ‖b‖.",
  "fcd-dcdm": "Flexible conjugate directions (k = 2) with DCDM's U-Net as preconditioner (shipped weights, trained on 64² Poisson).",
  gmres: "GMRES(30), restarted every 30 inner iterations: for nonsymmetric matrices (a .mtx file); slower than CG on SPD ones.",
  bicgstab: "BiCGSTAB: short recurrences for nonsymmetric matrices, two products per iteration.",
  minres: "MINRES: for symmetric indefinite matrices; on SPD ones it matches CG's iteration count.",
};

export function solveSection(client) {
  const section = $("solve");
  const form = /** @type {HTMLFormElement} */ ($("solve-form"));
  const runButton = $("solve-run"),
    cancelButton = $("solve-cancel"),
    downloadButton = $("solve-download");
  const status = $("solve-status"),
    bar = $("solve-progress");
  let file, job, last, plot, previous; // the previous run's history, drawn beside the current one
  let current = { label: "", res: [] };

  onFirstShow(section, () => {
    plot = linePlot($("solve-plot"), {
      x: "iteration",
      y: "‖b − A·x‖ / ‖b‖",
      logY: true,
      series: [{ label: "this run" }, { label: "previous run", dash: [6, 4] }],
    });
  });
  const redraw = perFrame(() => {
    if (!plot) return;
    const len = Math.max(current.res.length, previous?.res.length ?? 0);
    const xs = Array.from({ length: len }, (_, i) => i);
    const pad = (a) => Array.from({ length: len }, (_, i) => a[i] ?? null);
    plot.setData([xs, pad(current.res), pad(previous?.res ?? [])]);
    $("solve-plot-caption").textContent = `Residual history: ${current.label}${previous ? ` (solid); ${previous.label} (dashed)` : ""}`;
  });

  const fields = () => {
    const problem = form.elements.problem.value,
      method = form.elements.method.value;
    const n = Number(form.elements.n.value);
    const show = {
      grid: problem !== "mtx",
      "diffusion-random": problem === "diffusion-random",
      anisotropic: problem === "anisotropic",
      random: problem === "diffusion-random" || problem === "diffusion-mask",
      mtx: problem === "mtx",
      omega: method === "pcg-ssor" || method === "sor",
      degree: method === "pcg-chebyshev",
    };
    for (const el of form.querySelectorAll("[data-for]")) el.hidden = !show[el.dataset.for];
    for (const opt of form.elements.method.options) opt.disabled = unfit(opt.value, problem, n) !== "";
    const why = unfit(method, problem, n) || (problem === "mtx" && !file ? "Choose or drop a .mtx file." : "");
    const info = $("method-info");
    info.textContent = why || NOTES[method];
    info.className = why ? "hint bad" : "hint";
    const unknowns = problem === "poisson3d" ? n ** 3 : problem === "mtx" ? undefined : n * n;
    $("problem-info").textContent = unknowns ? `${unknowns.toLocaleString("en")} unknowns.` : "";
    runButton.disabled = Boolean(why) || Boolean(job);
  };
  form.addEventListener("input", fields);
  form.addEventListener("change", fields);

  const setFile = (f) => {
    file = f;
    $("file-info").textContent = f ? `${f.name} (${(f.size / 1024).toFixed(1)} KiB)` : "or drop one here";
    form.elements.problem.value = "mtx";
    fields();
  };
  form.elements.file.addEventListener("change", () => setFile(form.elements.file.files[0]));
  const drop = $("drop");
  for (const target of [drop, section]) {
    target.addEventListener("dragover", (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
    target.addEventListener("dragleave", () => drop.classList.remove("over"));
    target.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      const f = e.dataTransfer?.files?.[0];
      if (f) setFile(f);
    });
  }
  fields();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (job) return;
    let payload;
    try {
      const problem = form.elements.problem.value;
      payload = {
        problem,
        method: form.elements.method.value,
        n: Math.round(num(form, "n", 64)),
        contrast: num(form, "contrast", 2),
        epsilon: num(form, "epsilon", 0.01),
        theta: num(form, "theta", 30),
        seed: Math.round(num(form, "seed", 1)),
        rtol: num(form, "rtol", 1e-8),
        maxiter: num(form, "maxiter", undefined),
        omega: num(form, "omega", undefined),
        degree: num(form, "degree", 4),
      };
      if (problem === "mtx") Object.assign(payload, { bytes: await file.arrayBuffer(), fileName: file.name });
    } catch (err) {
      return setStatus(status, err.message, "bad");
    }
    if (current.res.length) previous = current;
    current = { label: form.elements.method.selectedOptions[0].textContent, res: [] };
    redraw();
    setStatus(status, "building the problem…");
    bar.hidden = false;
    cancelButton.disabled = false;
    downloadButton.disabled = true;
    const started = performance.now();
    job = client.run("solve", payload, {
      transfer: payload.bytes ? [payload.bytes] : [],
      onProgress: ({ its, res }) => {
        for (let k = 0; k < its.length; k++) current.res[its[k]] = res[k];
        const it = its[its.length - 1];
        setStatus(status, `iteration ${it}: ‖r‖/‖b‖ = ${res[res.length - 1].toExponential(2)} (${ms(performance.now() - started)})`);
        redraw();
      },
    });
    fields();
    try {
      const r = await job.promise;
      last = { ...r, wallMs: performance.now() - started };
      window.__lastResult = last;
      const ok = r.converged;
      const cancelled = r.reason === "aborted";
      setStatus(
        status,
        cancelled
          ? `cancelled after ${r.iterations} iterations`
          : `${ok ? "converged" : `stopped: ${r.reason}`} in ${r.iterations} iterations, ${ms(r.solveMs)}${r.message && !ok ? ` — ${r.message}` : ""}`,
        cancelled ? "" : ok ? "ok" : "bad",
      );
      fillTable($("solve-results"), [
        ["problem", "method", "iterations", "setup", "solve", "‖b − Ax‖/‖b‖ (solver)", "recomputed", "note"],
        [
          r.label,
          current.label,
          String(r.iterations),
          ms(r.buildMs + r.setupMs),
          ms(r.solveMs),
          r.relres.toExponential(2),
          r.trueRelres.toExponential(2),
          [r.setupNote, r.reason === "converged" ? "" : r.reason].filter(Boolean).join("; "),
        ],
      ]);
      drawSolution(r);
      downloadButton.disabled = false;
    } catch (err) {
      window.__lastResult = { error: err.message, cancelled: err instanceof Cancelled };
      setStatus(status, err instanceof Cancelled ? err.message : `${err.code ? `${err.code}: ` : ""}${err.message}`, err instanceof Cancelled ? "" : "bad");
    } finally {
      job = undefined;
      bar.hidden = true;
      cancelButton.disabled = true;
      fields();
    }
  });
  cancelButton.addEventListener("click", () => job?.cancel());

  function drawSolution(r) {
    const canvas = $("solve-heat");
    const caption = $("heat-caption");
    if (!r.grid || r.grid.length < 2) {
      canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
      caption.textContent = "Solution x (a heat map needs a grid problem)";
      $("heat-max").textContent = $("heat-min").textContent = "";
      return;
    }
    const [, ny, nx] = r.grid.length === 3 ? r.grid : [1, ...r.grid];
    const k = r.grid.length === 3 ? Math.floor(r.grid[0] / 2) : 0;
    const slice = r.x.subarray(k * nx * ny, (k + 1) * nx * ny);
    const { min, max } = drawHeat(canvas, slice, nx, ny);
    caption.textContent = r.grid.length === 3 ? `Solution x, middle slice (k = ${k})` : "Solution x";
    $("heat-max").textContent = max.toPrecision(4);
    $("heat-min").textContent = min.toPrecision(4);
  }

  downloadButton.addEventListener("click", () => {
    if (!last) return;
    const lines = [
      "%%MatrixMarket matrix array real general",
      `% x from the solvewasm app: ${last.label}, ${last.method}, ${last.iterations} iterations`,
      `${last.x.length} 1`,
    ];
    for (const v of last.x) lines.push(String(v));
    const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/plain" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "x.mtx" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}
