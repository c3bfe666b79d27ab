// Runs the wasm state machines of assembly/krylov (cg.ts, fcd.ts) in chunks: sets up the
// workspace, serves requests for operators and preconditioners that live in JavaScript,
// checks the true residual, reports progress, and yields between chunks when async.
import { SolvewasmError } from "../errors.js";
import { Allocation, F64Buffer, finiteVector, type Vector } from "../memory.js";
import { asLinearOperator, WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { operatorAsPreconditioner, Preconditioner } from "./precond.js";

/** Options shared by every solver (SciPy's contract, plus what a JS host needs). */
export interface SolveOptions {
  /** Initial guess (default zeros). */
  x0?: Vector;
  /** Relative tolerance on ‖b − A·x‖ / ‖b‖ (default 1e-5, as SciPy). */
  rtol?: number;
  /** Absolute tolerance on ‖b − A·x‖ (default 0): converged when ‖b − A·x‖ ≤ max(rtol·‖b‖, atol). */
  atol?: number;
  /** Most iterations (default 10·n). */
  maxiter?: number;
  /** Preconditioner: one of `precond.*`, a solvewasm operator used as M⁻¹, or any
   * `{ rows, cols, matvec }` (called from JavaScript; declare `symmetric`/`linear` for `solve`). */
  M?: Preconditioner | LinearOperator;
  /** Called with the residual norm at iteration 0 and after every `callbackEvery`
   * iterations (each one reported); return `false` to stop (reason "aborted"). */
  callback?: (progress: { iteration: number; residualNorm: number }) => boolean | void;
  /** Iterations between returns to JavaScript while a callback is set (default 1). */
  callbackEvery?: number;
  /** Stops the solve (reason "aborted") once aborted; checked between chunks. */
  signal?: AbortSignal;
  /** Keep every iteration's residual norm in `result.history` (default false). */
  history?: boolean;
  /** For singular problems: "constant" (the operator's own null space for masked or Neumann
   * grids, else the constant vector) or given vectors; residuals are kept orthogonal to them
   * and x is returned with no component along them. */
  nullspace?: "constant" | ArrayLike<number>[];
}

/** Options of `fcd`. */
export interface FcdOptions extends SolveOptions {
  /** Directions kept for A-orthogonalisation (default 2, DCDM's choice; 0 is steepest descent). */
  k?: number;
  /** Recompute r = b − A·x every iteration as DCDM does (one more product each; default false). */
  trueResidual?: boolean;
}

export type StopReason = "converged" | "maxiter" | "breakdown" | "aborted";

export interface SolveResult {
  /** The solution (or the best iterate when not converged). */
  x: Float64Array;
  iterations: number;
  /** ‖b − A·x‖ for the returned x, recomputed (not the recursive estimate). */
  residualNorm: number;
  converged: boolean;
  reason: StopReason;
  /** ‖r‖ at iteration 0, 1, … (recursive estimates after 0) when `history: true`. */
  history?: Float64Array;
  method: "cg" | "fcd";
  /** Why the solve stopped short, for people (set unless converged). */
  message?: string;
}

/** What a stop reason means and what to try. */
export function stopMessage(reason: StopReason, iterations: number, residualNorm: number, tol: number): string | undefined {
  switch (reason) {
    case "converged":
      return undefined;
    case "maxiter":
      return `stopped after ${iterations} iterations with ‖b − A·x‖ = ${residualNorm.toExponential(3)} > ${tol.toExponential(3)}: raise maxiter or use a stronger preconditioner`;
    case "breakdown":
      return (
        "a curvature pᵀA·p or rᵀM⁻¹r was not positive: A or M is not positive definite, or A is singular and b " +
        'has a component in its null space (for pure-Neumann or masked grids pass nullspace: "constant")'
      );
    case "aborted":
      return `stopped by the callback or the abort signal after ${iterations} iterations`;
  }
}

// Status codes and state layout of assembly/krylov/state.ts, cg.ts and fcd.ts.
const RUNNING = 0, CONVERGED = 1, BREAKDOWN = 2, MAXITER = 3, NONFINITE = 4, NEED_MATVEC = 10, NEED_PRECOND = 11;
const S = {
  n: 0, op: 4, pc: 8, phase: 12, iter: 16, maxiter: 20, flags: 24, hist: 28, histCount: 32, nnull: 36, pnull: 40,
  src: 44, dst: 48, x: 52, r: 56, z: 60, b: 64, tol: 72, rnorm: 80,
  cgP: 96, cgQ: 100, fcdK: 96, fcdCount: 100, fcdHead: 104, fcdRing: 108, fcdDring: 112, fcdAx: 116,
} as const;
const STATE_BYTES = 192;
const F_PC_CALLER = 1, F_RESTART = 2, F_TRUE_RESIDUAL = 4;

/** How many iterations each chunk may run; the async runner adapts `steps` to time. */
export interface Pace {
  steps: number;
  readonly max: number;
}

function invalidOption(message: string): never {
  throw new SolvewasmError("INVALID_OPTION", message);
}

/** The chunk limit for a solve: small enough for callbacks and history to be exact. */
export function maxChunk(options: SolveOptions, async: boolean): number {
  if (options.callback) return options.callbackEvery ?? 1;
  if (async) return 4096;
  return options.history ? 256 : 2 ** 30;
}

/**
 * The solve as a generator: it yields the iteration count after each chunk that ended
 * without a result, and returns the result.
 */
export function* solveSteps(
  rt: Runtime,
  method: "cg" | "fcd",
  A: LinearOperator,
  b: Vector,
  options: FcdOptions,
  pace: Pace,
): Generator<number, SolveResult, void> {
  // ---- checks ----
  const internal = A instanceof WasmOperator;
  if (internal && A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
  const userA = internal ? undefined : asLinearOperator(A as LinearOperator);
  const n = A.rows;
  if (A.cols !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `A must be square, got ${A.rows} × ${A.cols}`);
  const bJs = finiteVector(b, n, "b");
  const x0 = options.x0 === undefined ? undefined : finiteVector(options.x0, n, "x0");
  const { rtol = 1e-5, atol = 0, history = false, callback, signal } = options;
  if (typeof rtol !== "number" || !(rtol >= 0) || !Number.isFinite(rtol)) invalidOption(`rtol must be a finite number ≥ 0, got ${describe(rtol)}`);
  if (typeof atol !== "number" || !(atol >= 0) || !Number.isFinite(atol)) invalidOption(`atol must be a finite number ≥ 0, got ${describe(atol)}`);
  const maxiter = options.maxiter ?? 10 * n;
  if (!Number.isInteger(maxiter) || maxiter < 0 || maxiter > 2 ** 31 - 1) invalidOption(`maxiter must be an integer ≥ 0, got ${describe(maxiter)}`);
  if (callback !== undefined && typeof callback !== "function") invalidOption(`callback must be a function, got ${describe(callback)}`);
  const every = options.callbackEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) invalidOption(`callbackEvery must be an integer ≥ 1, got ${describe(every)}`);
  if (signal !== undefined && (typeof signal !== "object" || signal === null || !("aborted" in signal))) {
    invalidOption(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  const k = options.k ?? 2;
  if (method === "fcd" && (!Number.isInteger(k) || k < 0 || k > 64)) invalidOption(`k must be an integer in [0, 64], got ${describe(k)}`);

  // ---- null space (checked before anything is allocated) ----
  const nullVectors = nullspaceOf(A, options.nullspace, n);

  // ---- preconditioner ----
  const M = options.M;
  let pcDesc = 0, pcCaller: LinearOperator | undefined, ownedPc: Preconditioner | undefined;
  if (M !== undefined && M !== null) {
    if (M instanceof Preconditioner) {
      if (M.runtime !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "M belongs to another solvewasm instance");
      if (M.rows !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `M is ${M.rows} × ${M.cols}, A is ${n} × ${n}`);
      pcDesc = M.descriptorPtr();
    } else if (M instanceof WasmOperator) {
      if (M.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "M belongs to another solvewasm instance");
      if (M.rows !== n || M.cols !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `M is ${M.rows} × ${M.cols}, A is ${n} × ${n}`);
      ownedPc = operatorAsPreconditioner(rt, M);
      pcDesc = ownedPc.descriptorPtr();
    } else {
      pcCaller = asLinearOperator(M as LinearOperator);
      if (pcCaller.rows !== n || pcCaller.cols !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `M is ${pcCaller.rows} × ${pcCaller.cols}, A is ${n} × ${n}`);
    }
  }

  // ---- workspace ----
  const blocks: Allocation[] = [];
  const f64 = (count: number) => {
    const block = new Allocation(rt, 8 * Math.max(count, 1));
    blocks.push(block);
    return block.ptr("workspace");
  };
  try {
    const st = (() => {
      const block = new Allocation(rt, STATE_BYTES);
      blocks.push(block);
      return block.ptr("workspace");
    })();
    const x = f64(n), r = f64(n), bb = f64(n), tmp = f64(n);
    const z = M ? f64(n) : method === "fcd" ? f64(n) : r;
    const chunkMax = Math.min(pace.max, Math.max(1, maxiter));
    const keep = history || callback !== undefined;
    const hist = keep ? f64(chunkMax) : 0;
    const pnull = nullVectors.length ? f64(nullVectors.length * n) : 0;
    let methodPtrs: number[];
    if (method === "cg") {
      methodPtrs = [f64(n), f64(n)];
    } else {
      methodPtrs = [f64((k + 1) * 2 * n), f64(k + 1), options.trueResidual ? f64(n) : 0];
    }
    const op = internal ? (A as WasmOperator).descriptorPtr() : 0;
    const lines = internal ? new Int32Array(rt.memory.buffer, op, 5)[4] : 0;

    const view = (p: number) => rt.f64(p, n);
    const applyA = (src: number, dst: number) => {
      if (internal) {
        rt.call((ex) => ex.opApply(op, 0, lines, src, dst));
      } else {
        const y = userA!.matvec(view(src).slice());
        view(dst).set(y);
      }
    };
    /** r ← b − A·x; returns ‖r‖. */
    const residual = (into: number) => {
      applyA(x, into);
      const rr = rt.call((ex) => ex.residualFrom(n, bb, into));
      return rr < Infinity ? Math.sqrt(rr) : rt.call((ex) => ex.dnrm2(n, into));
    };
    const project = (p: number) => {
      if (nullVectors.length) rt.call((ex) => ex.project(n, nullVectors.length, pnull, p));
    };

    view(bb).set(bJs);
    if (nullVectors.length) {
      rt.f64(pnull, nullVectors.length * n).set(flatten(nullVectors, n));
      project(bb);
    }
    const bnorm = rt.call((ex) => ex.dnrm2(n, bb));
    const tol = Math.max(rtol * bnorm, atol);
    const norms: number[] = [];

    const finish = (iterations: number, reason: StopReason): SolveResult => {
      project(x);
      const residualNorm = residual(tmp);
      const converged = residualNorm <= tol;
      const stop: StopReason = converged ? "converged" : reason === "converged" ? "maxiter" : reason;
      const message = stopMessage(stop, iterations, residualNorm, tol);
      return {
        x: view(x).slice(),
        iterations,
        residualNorm,
        converged,
        reason: stop,
        ...(history ? { history: Float64Array.from(norms) } : {}),
        method,
        ...(message ? { message } : {}),
      };
    };

    // b = 0: x = 0 solves it exactly.
    if (bnorm === 0) {
      view(x).fill(0);
      norms.push(0);
      callback?.({ iteration: 0, residualNorm: 0 });
      return finish(0, "converged");
    }
    let rnorm: number;
    if (x0) {
      view(x).set(x0);
      project(x);
      rnorm = residual(r);
    } else {
      view(x).fill(0);
      rt.call((ex) => ex.dcopy(n, bb, r));
      rnorm = bnorm;
    }
    project(r);
    norms.push(rnorm);
    if (callback?.({ iteration: 0, residualNorm: rnorm }) === false || signal?.aborted) return finish(0, "aborted");
    if (rnorm <= tol) return finish(0, "converged");
    if (maxiter === 0) return finish(0, "maxiter");

    // ---- state ----
    const ints = new Int32Array(rt.memory.buffer, st, STATE_BYTES / 4);
    const flt = new Float64Array(rt.memory.buffer, st, STATE_BYTES / 8);
    ints.fill(0);
    ints[S.n / 4] = n;
    ints[S.op / 4] = op;
    ints[S.pc / 4] = pcDesc;
    ints[S.maxiter / 4] = maxiter;
    ints[S.flags / 4] = F_RESTART | (pcCaller ? F_PC_CALLER : 0) | (method === "fcd" && options.trueResidual ? F_TRUE_RESIDUAL : 0);
    ints[S.hist / 4] = hist;
    ints[S.nnull / 4] = nullVectors.length;
    ints[S.pnull / 4] = pnull;
    ints[S.x / 4] = x;
    ints[S.r / 4] = r;
    ints[S.z / 4] = z;
    ints[S.b / 4] = bb;
    flt[S.tol / 8] = tol;
    flt[S.rnorm / 8] = rnorm;
    if (method === "cg") {
      ints[S.cgP / 4] = methodPtrs[0];
      ints[S.cgQ / 4] = methodPtrs[1];
    } else {
      ints[S.fcdK / 4] = k;
      ints[S.fcdRing / 4] = methodPtrs[0];
      ints[S.fcdDring / 4] = methodPtrs[1];
      ints[S.fcdAx / 4] = methodPtrs[2];
    }
    const field = (offset: number) => new Int32Array(rt.memory.buffer, st, STATE_BYTES / 4)[offset / 4];
    const setField = (offset: number, v: number) => (new Int32Array(rt.memory.buffer, st, STATE_BYTES / 4)[offset / 4] = v);

    for (;;) {
      setField(S.histCount, 0);
      const steps = Math.max(1, Math.min(pace.steps, chunkMax));
      const iterate = () => rt.call((ex) => (method === "cg" ? ex.cgIterate(st, steps) : ex.fcdIterate(st, steps)));
      let status = iterate();
      while (status === NEED_MATVEC || status === NEED_PRECOND) {
        const src = field(S.src), dst = field(S.dst);
        if (status === NEED_MATVEC) applyA(src, dst);
        else view(dst).set(pcCaller!.matvec(view(src).slice()));
        status = iterate();
      }
      const iterations = field(S.iter);
      // Report this chunk's iterations in order; a callback may stop the solve.
      let stopped = false;
      if (keep) {
        const count = field(S.histCount);
        const recorded = rt.f64(hist, count).slice();
        for (let i = 0; i < count; i++) {
          norms.push(recorded[i]);
          if (!stopped && callback?.({ iteration: iterations - count + i + 1, residualNorm: recorded[i] }) === false) stopped = true;
        }
      }
      if (status === NONFINITE) {
        throw new SolvewasmError(
          "NOT_FINITE",
          `a NaN or infinity appeared at iteration ${iterations + 1}: the operator${pcCaller || pcDesc ? " or the preconditioner" : ""} produced a non-finite value`,
        );
      }
      if (stopped || signal?.aborted) return finish(iterations, "aborted");
      if (status === BREAKDOWN) return finish(iterations, "breakdown");
      if (status === MAXITER) return finish(iterations, "maxiter");
      if (status === CONVERGED) {
        // The recursive residual says yes; the true one decides. If rounding has made them
        // drift apart, continue from the true residual (a restart for CG).
        const trueNorm = residual(tmp);
        if (trueNorm <= tol) return finish(iterations, "converged");
        rt.call((ex) => ex.dcopy(n, tmp, r));
        project(r);
        setField(S.flags, field(S.flags) | F_RESTART);
        new Float64Array(rt.memory.buffer, st, STATE_BYTES / 8)[S.rnorm / 8] = trueNorm;
        if (iterations >= maxiter) return finish(iterations, "maxiter");
      }
      if (status === RUNNING) yield iterations;
    }
  } finally {
    for (const block of blocks) block.free();
    ownedPc?.dispose();
  }
}

/** Orthonormal null-space vectors (modified Gram–Schmidt), or none. */
function nullspaceOf(A: LinearOperator, spec: SolveOptions["nullspace"], n: number): Float64Array[] {
  if (spec === undefined) return [];
  let vectors: ArrayLike<number>[];
  if (spec === "constant") {
    const own = (A as { nullspace?: () => Float64Array[] }).nullspace;
    vectors = typeof own === "function" ? own.call(A) : [new Float64Array(n).fill(1)];
  } else if (Array.isArray(spec)) {
    vectors = spec;
  } else {
    invalidOption(`nullspace must be "constant" or an array of vectors, got ${describe(spec)}`);
  }
  const basis: Float64Array[] = [];
  for (const [i, v] of vectors.entries()) {
    if (!v || typeof v.length !== "number" || v.length !== n) {
      invalidOption(`nullspace vector ${i} must have length ${n}, got ${describe(v)}`);
    }
    const u = Float64Array.from(v);
    if (!u.every(Number.isFinite)) throw new SolvewasmError("NOT_FINITE", `nullspace vector ${i} has a non-finite entry`);
    for (const w of basis) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[j] * u[j];
      for (let j = 0; j < n; j++) u[j] -= s * w[j];
    }
    const norm = Math.sqrt(u.reduce((a, c) => a + c * c, 0));
    if (norm > 1e-12) basis.push(u.map((c) => c / norm));
  }
  return basis;
}

function flatten(vectors: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(vectors.length * n);
  vectors.forEach((v, i) => out.set(v, i * n));
  return out;
}
