// The Solve section's job: build the problem, the preconditioner or hierarchy, and solve
// with the async solvers (cgAsync/fcdAsync yield to the event loop every ~10 ms, so a
// "cancel" message gets to abort the AbortController); SOR has no async form and runs in
// chunks of sweeps between yields.
import * as sw from "solvewasm";

/** A macrotask yield without setTimeout's 4 ms clamp on nested timers. */
export const yieldNow = () =>
  new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });

// One iteration's cost in matrix–vector products (CG's vector updates included), to size
// callbackEvery from a timed product.
const COST = {
  cg: 2,
  "pcg-jacobi": 2.5,
  "pcg-ssor": 5,
  "pcg-ic0": 5,
  "pcg-chebyshev": 7,
  "gmg-pcg": 12,
  "amg-pcg": 16,
  "amg-classical-pcg": 14,
  "fcd-dcdm": 400,
  gmres: 5,
  bicgstab: 4,
  minres: 2.5,
};
const CHUNK_MS = 15;

/** Milliseconds of one A·x (repeated to ≥ 2 ms: the worker's clock is coarse). */
function matvecMs(A) {
  const x = new Float64Array(A.cols).fill(1),
    y = new Float64Array(A.rows);
  A.matvec(x, y); // not timed: the first call may run baseline-compiled wasm
  let reps = 0;
  const t0 = performance.now();
  do {
    A.matvec(x, y);
    reps++;
  } while (performance.now() - t0 < 2);
  return (performance.now() - t0) / reps;
}

/** A smooth log-normal coefficient field: white noise, 6 passes of neighbour averaging,
 * standardised, k = e^{σg}. */
export function randomField(n, seed, contrast) {
  const rng = new sw.Random(seed);
  let g = Float64Array.from({ length: n * n }, () => rng.normal());
  let h = new Float64Array(n * n);
  for (let pass = 0; pass < 6; pass++) {
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const p = j * n + i;
        let s = 2 * g[p],
          c = 2;
        if (i > 0) (s += g[p - 1]), c++;
        if (i < n - 1) (s += g[p + 1]), c++;
        if (j > 0) (s += g[p - n]), c++;
        if (j < n - 1) (s += g[p + n]), c++;
        h[p] = s / c;
      }
    [g, h] = [h, g];
  }
  let mean = 0,
    sq = 0;
  for (const v of g) mean += v;
  mean /= g.length;
  for (const v of g) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / g.length) || 1;
  return g.map((v) => Math.exp((contrast * (v - mean)) / sd));
}

/** Solid disks in the grid (mask 0), apart from each other and from the boundary, so every
 * fluid cell connects to a Dirichlet face and the operator stays nonsingular. */
export function diskMask(n, seed) {
  const rng = new sw.Random(seed);
  const mask = new Uint8Array(n * n).fill(1);
  const disks = [];
  for (let tries = 0; disks.length < 7 && tries < 500; tries++) {
    const r = n * (0.05 + 0.07 * rng.uniform());
    const cx = r + 2 + (n - 2 * r - 4) * rng.uniform(),
      cy = r + 2 + (n - 2 * r - 4) * rng.uniform();
    if (disks.every((d) => Math.hypot(d.cx - cx, d.cy - cy) > d.r + r + 3)) disks.push({ cx, cy, r });
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (disks.some((d) => (i + 0.5 - d.cx) ** 2 + (j + 0.5 - d.cy) ** 2 < d.r * d.r)) mask[j * n + i] = 0;
  return mask;
}

/** The operator, b and a description of a problem chosen on the page. */
export function buildProblem(p) {
  const n = p.n;
  switch (p.problem) {
    case "poisson2d":
      return { A: sw.gallery.poisson([n, n]), grid: [n, n], label: `2-D Poisson ${n}²` };
    case "poisson3d":
      return { A: sw.gallery.poisson([n, n, n]), grid: [n, n, n], label: `3-D Poisson ${n}³` };
    case "diffusion-random":
      return { A: sw.gallery.diffusion(randomField(n, p.seed, p.contrast), [n, n]), grid: [n, n], label: `2-D diffusion ${n}², random k (σ = ${p.contrast})` };
    case "diffusion-mask": {
      const mask = diskMask(n, p.seed);
      return { A: sw.gallery.diffusion(1, [n, n], { mask }), grid: [n, n], mask, label: `2-D diffusion ${n}² with obstacles` };
    }
    case "anisotropic":
      return {
        A: sw.gallery.anisotropic([n, n], { epsilon: p.epsilon, theta: (p.theta * Math.PI) / 180 }),
        grid: [n, n],
        label: `2-D anisotropic ${n}², ε = ${p.epsilon}, θ = ${p.theta}°`,
      };
    case "mtx": {
      const A = sw.CsrMatrix.fromMatrixMarket(new Uint8Array(p.bytes));
      return { A, grid: undefined, label: `${p.fileName} (${A.rows} × ${A.cols}, ${A.nnz} nonzeros)` };
    }
    default:
      throw new Error(`unknown problem ${p.problem}`);
  }
}

/** ‖b − A·x‖/‖b‖ recomputed in plain float64 JavaScript around one product. */
export function trueRelativeResidual(A, b, x) {
  const Ax = A.matvec(x);
  let rr = 0,
    bb = 0;
  for (let i = 0; i < b.length; i++) {
    rr += (b[i] - Ax[i]) ** 2;
    bb += b[i] * b[i];
  }
  return Math.sqrt(rr) / Math.sqrt(bb);
}

/** Collects per-iteration residuals and posts them at most every 50 ms. */
function progressSink(progress, bnorm) {
  let its = [],
    res = [],
    last = 0;
  const flush = () => {
    if (its.length) progress({ its, res });
    its = [];
    res = [];
    last = performance.now();
  };
  return {
    push(iteration, residualNorm) {
      its.push(iteration);
      res.push(residualNorm / bnorm);
      if (performance.now() - last > 50) flush();
    },
    flush,
  };
}

/** ω for SOR / SSOR when the page leaves it empty. */
function autoOmega(p, kind) {
  if (p.problem === "poisson2d" || p.problem === "poisson3d") {
    const h = 1 / (p.n + 1);
    return kind === "sor" ? sw.omegaOptimal(Math.cos(Math.PI * h)) : 2 / (1 + Math.PI * h);
  }
  return kind === "sor" ? 1.5 : 1;
}

/** SOR in chunks of sweeps (about 20 ms each) with a yield between them: SOR is stationary,
 * so restarting from the last x continues the same iteration; rtol is against ‖b‖. */
async function sorChunked(A, b, { omega, ordering, rtol, maxiter = 10000, signal, sink }) {
  let x,
    done = 0,
    chunk = 8,
    result;
  const t0 = performance.now();
  for (;;) {
    const c0 = performance.now();
    const offset = done;
    result = sw.sor(A, b, {
      omega,
      ordering,
      rtol,
      relativeTo: "b",
      x0: x,
      maxiter: Math.min(chunk, maxiter - done),
      callback: ({ iteration, residualNorm }) => {
        if (iteration > 0 || offset === 0) sink.push(offset + iteration, residualNorm);
      },
    });
    done += result.iterations;
    x = result.x;
    const dt = performance.now() - c0;
    if (result.converged || result.reason !== "maxiter" || done >= maxiter) break;
    await yieldNow();
    if (signal.aborted) {
      result = { ...result, converged: false, reason: "aborted" };
      break;
    }
    chunk = Math.max(1, Math.min(4 * chunk, Math.round((chunk * 20) / Math.max(dt, 0.1))));
  }
  return { ...result, iterations: done, seconds: (performance.now() - t0) / 1000 };
}

/** The job: { problem, n, …, method, rtol, maxiter?, omega?, degree? } → result with x. */
export async function solveJob(p, { signal, progress }) {
  const t0 = performance.now();
  const owned = [];
  try {
    const prob = buildProblem(p);
    owned.push(prob.A);
    const { A } = prob;
    const b = prob.mask ? Float64Array.from(prob.mask) : new Float64Array(A.rows).fill(1);
    const bnorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
    const sink = progressSink(progress, bnorm);
    const callback = ({ iteration, residualNorm }) => sink.push(iteration, residualNorm);
    // With a callback the async solvers return to JavaScript, and yield to the event loop,
    // after every callbackEvery iterations: batches of about CHUNK_MS.
    const callbackEvery = Math.max(1, Math.min(4096, Math.round(CHUNK_MS / (matvecMs(A) * (COST[p.method] ?? 2)))));
    const common = { rtol: p.rtol, callback, callbackEvery, signal };
    if (p.maxiter !== undefined) common.maxiter = p.maxiter;
    const t1 = performance.now();
    let M,
      op = A,
      run,
      setupNote = "";
    switch (p.method) {
      case "cg":
        break;
      case "pcg-jacobi":
        M = sw.precond.jacobi(A);
        break;
      case "pcg-ssor": {
        const omega = p.omega ?? autoOmega(p, "ssor");
        M = sw.precond.ssor(A, { omega });
        setupNote = `ω = ${omega.toFixed(4)}`;
        break;
      }
      case "pcg-ic0":
        M = sw.precond.ic0(A);
        if (M.info?.shift) setupNote = `diagonal shift ${M.info.shift.toExponential(2)}`;
        break;
      case "pcg-chebyshev":
        M = sw.precond.chebyshev(A, { degree: p.degree ?? 4 });
        setupNote = `degree ${p.degree ?? 4}, interval [${M.info.lmin.toExponential(2)}, ${M.info.lmax.toExponential(2)}]`;
        break;
      case "gmg-pcg": {
        const ml = sw.multigrid(A);
        owned.push(ml);
        M = ml.asPreconditioner();
        setupNote = `${ml.kind}, ${ml.levels.length} levels, operator complexity ${ml.operatorComplexity().toFixed(2)}`;
        break;
      }
      case "amg-pcg":
      case "amg-classical-pcg": {
        if (typeof A.toCsr === "function") owned.push((op = A.toCsr())); // a grid operator: AMG wants the matrix
        const ml = sw.amg(op, { kind: p.method === "amg-pcg" ? "aggregation" : "classical" });
        owned.push(ml);
        M = ml.asPreconditioner();
        setupNote = `${ml.kind}, ${ml.levels.length} levels, operator complexity ${ml.operatorComplexity().toFixed(2)}, setup ${(ml.setupSeconds * 1000).toFixed(0)} ms`;
        break;
      }
      case "sor": {
        const omega = p.omega ?? autoOmega(p, "sor");
        const ordering = p.problem === "poisson2d" ? "red-black" : "natural";
        setupNote = `ω = ${omega.toFixed(4)}, ${ordering} ordering`;
        run = () => sorChunked(A, b, { omega, ordering, rtol: p.rtol, maxiter: p.maxiter, signal, sink });
        break;
      }
      case "fcd-dcdm":
        M = sw.precond.dcdm(A);
        setupNote = `${M.info.parameters} parameters, ${Math.round(M.info.macPerUnknown)} multiply–adds per unknown`;
        run = () => sw.fcdAsync(A, b, { ...common, k: 2, M });
        break;
      case "gmres":
        run = () => sw.gmresAsync(A, b, { ...common, restart: Math.min(30, A.rows) });
        break;
      case "bicgstab":
        run = () => sw.bicgstabAsync(A, b, common);
        break;
      case "minres":
        run = () => sw.minresAsync(A, b, common);
        break;
      default:
        throw new Error(`unknown method ${p.method}`);
    }
    if (M) owned.push(M);
    run ??= () => sw.cgAsync(op, b, M ? { ...common, M } : common);
    const t2 = performance.now();
    const r = await run();
    const t3 = performance.now();
    sink.flush();
    const trueRelres = trueRelativeResidual(A, b, r.x);
    const x = r.x;
    return {
      result: {
        label: prob.label,
        grid: prob.grid,
        rows: A.rows,
        method: p.method,
        iterations: r.iterations,
        converged: r.converged,
        reason: r.reason,
        message: r.message,
        relres: r.residualNorm / bnorm,
        trueRelres,
        buildMs: t1 - t0,
        setupMs: t2 - t1,
        solveMs: t3 - t2,
        setupNote,
        x,
      },
      transfer: [x.buffer],
    };
  } finally {
    for (const h of owned.reverse()) h.dispose();
  }
}
