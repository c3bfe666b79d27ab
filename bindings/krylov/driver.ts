// Runs the wasm state machines of assembly/krylov (cg.ts, fcd.ts) in chunks: sets up the
// workspace, serves requests for operators and preconditioners that live in JavaScript,
// checks the true residual, reports progress, and yields between chunks when async. The
// options, defaults, checks and result are the shared solver contract (bindings/solver.ts).
import { SolvewasmError } from "../errors.js";
import { Allocation, requireAlive, vectorArgument, type Vector } from "../memory.js";
import { asLinearOperator, WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { checkSquare, describe } from "../validate.js";
import { BicgstabState, CgState, FcdState, GmresState, MinresState, SolverFlag, SolverStatus } from "../generated/layouts.js";
import {
  checkSolverOptions,
  DIVERGENCE_FACTOR,
  residualNormFrom,
  scaledSystem,
  solveResult,
  tolerance,
  type SolveResult,
  type SolverOptions,
  type StopReason,
} from "../solver.js";
import { operatorAsPreconditioner, Preconditioner } from "./precond.js";

/** Options of `cg` (and `solve`): the shared ones plus a preconditioner and a null space. */
export interface SolveOptions extends SolverOptions {
  /** Preconditioner: one of `precond.*`, a solvewasm operator used as M⁻¹, or any
   * `{ rows, cols, matvec }` (called from JavaScript; declare `symmetric`/`linear` for `solve`). */
  M?: Preconditioner | LinearOperator;
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

/** Options of `gmres` and `fgmres`. */
export interface GmresOptions extends SolverOptions {
  /** Preconditioner (right): as for `cg`; `fgmres` also takes one that varies or is nonlinear. */
  M?: Preconditioner | LinearOperator;
  /** Inner iterations per cycle, m in GMRES(m) (default min(30, n)); 1 ≤ restart ≤ n. */
  restart?: number;
}

/** Options of `bicgstab` and `minres`: the shared ones and a preconditioner (SPD for minres). */
export interface KrylovOptions extends SolverOptions {
  M?: Preconditioner | LinearOperator;
}

/** The Krylov methods whose loop runs in wasm (assembly/krylov/*.ts), driven by solveSteps. */
export type KrylovMethod = "cg" | "fcd" | "gmres" | "fgmres" | "bicgstab" | "minres";

/** Each method's own option names; `M` for all, a null space only for CG and FCD. */
const METHOD_OPTIONS: Record<KrylovMethod, readonly string[]> = {
  cg: ["M", "nullspace"],
  fcd: ["M", "nullspace", "k", "trueResidual"],
  gmres: ["M", "restart"],
  fgmres: ["M", "restart"],
  bicgstab: ["M"],
  minres: ["M"],
};

/** Methods that accept a preconditioner declared `linear: false` (their recurrences do not
 * assume one fixed M). */
const FLEXIBLE: readonly KrylovMethod[] = ["fcd", "fgmres"];

type AnyOptions = FcdOptions & GmresOptions;

/** How many iterations each chunk may run; the async runner adapts `steps` to time. */
export interface Pace {
  steps: number;
  readonly max: number;
}

/** The chunk limit for a solve: small enough for callbacks and history to be exact. */
export function maxChunk(options: SolverOptions, async: boolean): number {
  if (options.callback) return options.callbackEvery ?? 1;
  if (async) return 4096;
  return options.history ? 256 : 2 ** 30;
}

/** Where M⁻¹ is applied: inside wasm (a descriptor) or by calling a JavaScript operator. */
interface PreconditionerUse {
  descriptor: Preconditioner | undefined;
  caller: LinearOperator | undefined;
  owned: Preconditioner | undefined;
  /** False for a JavaScript M declared `linear: false` (it need not commute with scaling). */
  linear?: boolean;
}

function preconditionerUse(rt: Runtime, M: SolveOptions["M"], n: number): PreconditionerUse {
  if (M === undefined || M === null) return { descriptor: undefined, caller: undefined, owned: undefined };
  const square = (m: { rows: number; cols: number }) => {
    if (m.rows !== n || m.cols !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `M is ${m.rows} × ${m.cols}, A is ${n} × ${n}`);
  };
  if (M instanceof Preconditioner) {
    if (M.runtime !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "M belongs to another solvewasm instance");
    square(M);
    M.descriptorPtr(); // DISPOSED now, before any work, if M or what it points into is gone
    return { descriptor: M, caller: undefined, owned: undefined };
  }
  if (M instanceof WasmOperator) {
    if (M.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "M belongs to another solvewasm instance");
    square(M);
    const owned = operatorAsPreconditioner(rt, M);
    return { descriptor: owned, caller: undefined, owned };
  }
  const caller = asLinearOperator(M as LinearOperator);
  square(caller);
  return { descriptor: undefined, caller, owned: undefined, linear: (M as { linear?: unknown }).linear !== false };
}

/** fcd's own options (k, trueResidual), checked for `solve` too whichever method it picks;
 * returns k. */
export function checkFcdOptions(options: FcdOptions): number {
  const k = options.k ?? 2;
  if (!Number.isInteger(k) || k < 0 || k > 64) throw new SolvewasmError("INVALID_OPTION", `k must be an integer in [0, 64], got ${describe(k)}`);
  if (options.trueResidual !== undefined && typeof options.trueResidual !== "boolean") {
    throw new SolvewasmError("INVALID_OPTION", `trueResidual must be true or false, got ${describe(options.trueResidual)}`);
  }
  return k;
}

/** Every check of a solve's inputs, before anything is allocated (the preconditioner
 * that wraps a solvewasm operator used as M is the one allocation, freed by the caller). */
/** GMRES's restart length: an integer in [1, n] (default min(30, n)). */
function checkRestart(options: GmresOptions, n: number): number {
  const m = options.restart ?? Math.min(30, Math.max(1, n));
  if (!Number.isInteger(m) || m < 1 || m > Math.max(1, n)) {
    throw new SolvewasmError("INVALID_OPTION", `restart must be an integer in [1, n = ${n}], got ${describe(options.restart)}`);
  }
  return m;
}

function checkSolve(rt: Runtime, method: KrylovMethod, A: LinearOperator, b: Vector, options: AnyOptions) {
  const internal = A instanceof WasmOperator;
  if (internal && A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
  const userA = internal ? undefined : asLinearOperator(A as LinearOperator);
  if (internal) A.descriptorPtr(); // DISPOSED for a disposed matrix
  const n = A.rows;
  checkSquare(A, method);
  const o = checkSolverOptions(method, options, n, METHOD_OPTIONS[method]);
  const bIn = vectorArgument(rt, b, n, "b");
  const k = method === "fcd" ? checkFcdOptions(options) : 0;
  const trueResidual = method === "fcd" && options.trueResidual === true;
  const restart = method === "gmres" || method === "fgmres" ? checkRestart(options, n) : 0;
  const nullVectors = nullspaceOf(A, options.nullspace, n);
  const pc = preconditionerUse(rt, options.M, n);
  if (!FLEXIBLE.includes(method) && pc.linear === false) {
    const name = (options.M as { name?: unknown }).name;
    const named = typeof name === "string" ? ` (${name})` : "";
    throw new SolvewasmError(
      "INVALID_OPTION",
      `${method} needs a linear M; this one${named} declares linear: false: use fcd or fgmres, or solve, which picks one of them for it`,
    );
  }
  return { internal, userA, n, o, bIn, k, trueResidual, restart, nullVectors, pc };
}

/**
 * The solve as a generator: it yields the iteration count after each chunk that ended
 * without a result, and returns the result.
 */
export function* solveSteps(
  rt: Runtime,
  method: KrylovMethod,
  A: LinearOperator,
  b: Vector,
  options: AnyOptions = {},
  pace: Pace,
): Generator<number, SolveResult, void> {
  const started = performance.now();
  const { internal, userA, n, o, bIn, k, trueResidual, restart, nullVectors, pc } = checkSolve(rt, method, A, b, options);
  // Every chunk checks that A and M are still alive: a matrix disposed during an async
  // solve stops it with DISPOSED.
  const alive = () => {
    requireAlive(`this ${method} solve`, internal ? [[`its ${A.constructor.name}`, A as WasmOperator]] : []);
    pc.descriptor?.descriptorPtr();
  };

  // ---- workspace ----
  const blocks: Allocation[] = [];
  const f64 = (count: number) => {
    const block = new Allocation(rt, 8 * Math.max(count, 1));
    blocks.push(block);
    return block.ptr("workspace");
  };
  try {
    const preconditioned = pc.descriptor !== undefined || pc.caller !== undefined;
    const chunkMax = Math.min(pace.max, Math.max(1, o.maxiter));
    const keep = o.history || o.callback !== undefined;
    const nnull = nullVectors.length;
    const spec = methodSpec(method, n, { k, trueResidual, restart, preconditioned });
    // z: M⁻¹·r for CG and FCD, p̂ for BiCGSTAB, y for MINRES; GMRES keeps its own.
    const ownZ = (preconditioned && method !== "gmres" && method !== "fgmres") || method === "fcd" || method === "minres";
    // The whole workspace, block by block as allocated below, reserved before any of it.
    const vector = 8 * Math.max(n, 1);
    rt.reserve(
      [
        spec.bytes,
        ...[vector, vector, vector, vector], // x, r, b, tmp
        ...(ownZ ? [vector] : []), // z
        ...(keep ? [8 * chunkMax] : []),
        ...(nnull ? [vector * nnull, vector] : []), // null vectors, the caller's b
        ...spec.workspace.map((count) => 8 * Math.max(count, 1)),
      ],
      `this ${method} solve`,
    );
    const stBlock = new Allocation(rt, spec.bytes);
    blocks.push(stBlock);
    const x = f64(n),
      r = f64(n),
      bb = f64(n),
      tmp = f64(n);
    const z = ownZ ? f64(n) : r;
    const hist = keep ? f64(chunkMax) : 0;
    const pnull = nnull ? f64(nnull * n) : 0;
    const op = internal ? (A as WasmOperator).descriptorPtr() : 0;

    const view = (p: number) => rt.f64(p, n);
    const applyA = (src: number, dst: number) => {
      if (internal) rt.call((ex) => (A as WasmOperator).applyPtr(ex, src, dst));
      else {
        // The user's product may allocate (and so grow memory): take the view after it.
        const y = userA!.matvec(view(src).slice());
        finiteProduct(y, "A");
        view(dst).set(y);
      }
    };
    /** r ← b − A·x (b: the right-hand side the iteration solves, or another); returns ‖r‖. */
    const residual = (into: number, from = bb) => {
      applyA(x, into);
      return rt.call((ex) => residualNormFrom(ex, n, from, into));
    };
    const project = (p: number) => {
      if (nullVectors.length) rt.call((ex) => ex.project(n, nullVectors.length, pnull, p));
    };

    // With a null space the iteration solves A·x = P·b; the caller's b is kept to report the
    // true residual ‖b − A·x‖ (and ‖b − P·b‖, the part no x reaches) at the end.
    const given = nullVectors.length ? f64(n) : bb;
    bIn.writeTo(given);
    if (nullVectors.length) {
      rt.f64(pnull, nullVectors.length * n).set(flatten(nullVectors, n));
      rt.call((ex) => ex.dcopy(n, given, bb));
      project(bb);
    }
    if (o.x0) view(x).set(o.x0);
    else view(x).fill(0);
    // A tiny or huge b is solved as 2^exp·b (see scaledSystem); not with a nonlinear M, which
    // need not commute with scaling. Below, norms and tolScaled are of the scaled system.
    const scaled = scaledSystem(rt, n, [given, bb], x, o.x0, pc.linear !== false);
    const unscale = scaled.unscale;
    const bnorm = given === bb ? scaled.norm : rt.call((ex) => ex.dnrm2(n, bb));
    const tolScaled = tolerance(o, scaled.norm, scaled.exp);
    const tol = unscale(tolScaled);
    const norms: number[] = [];
    /** Records an iteration's residual norm (in the caller's units) and tells the callback
     * unless `quiet`; false when the callback stops the solve. */
    const report = (iteration: number, norm: number, quiet = false): boolean => {
      norms.push(unscale(norm));
      return quiet || o.callback?.({ iteration, residualNorm: unscale(norm) }) !== false;
    };

    /** The result; `trueNorm` is ‖b − A·x‖ when the caller has just computed it. A scaled
     * system is scaled back first and its residual recomputed: the norm of the x returned. */
    const finish = (iterations: number, reason: StopReason, trueNorm?: number): SolveResult => {
      const history = o.history ? norms : undefined;
      scaled.restore(iterations);
      if (scaled.exp !== 0) trueNorm = undefined;
      if (!nullVectors.length) {
        const residualNorm = trueNorm ?? residual(tmp);
        return solveResult({ method, x: view(x).slice(), iterations, residualNorm, tol, reason, history, started });
      }
      project(x);
      const projectedResidualNorm = residual(tmp);
      const residualNorm = residual(tmp, given);
      rt.call((ex) => ex.dcopy(n, bb, tmp));
      const component = rt.call((ex) => residualNormFrom(ex, n, given, tmp));
      // The projected system is solved but b itself is not reachable: say so, not "converged".
      const stop = projectedResidualNorm <= tol && residualNorm > tol ? "inconsistent" : reason;
      return {
        ...solveResult({ method, x: view(x).slice(), iterations, residualNorm, tol, reason: stop, history, started }),
        nullspace: { component, projectedResidualNorm },
      };
    };

    // b = 0: x = 0 solves it exactly.
    if (bnorm === 0) {
      view(x).fill(0);
      report(0, 0);
      return finish(0, "converged", 0);
    }
    let rnorm: number;
    if (o.x0?.some((v) => v !== 0)) {
      project(x);
      rnorm = residual(r);
    } else {
      // x0 = 0 (absent or given as zeros): r = b without a product.
      rt.call((ex) => ex.dcopy(n, bb, r));
      rnorm = bnorm;
    }
    project(r);
    if (!report(0, rnorm) || o.signal?.aborted) return finish(0, "aborted", nullVectors.length ? undefined : rnorm);
    if (rnorm <= tolScaled) return finish(0, "converged", rnorm);
    if (o.maxiter === 0) return finish(0, "maxiter", rnorm);

    // ---- state ----
    const common = {
      n,
      op,
      pc: pc.descriptor?.descriptorPtr() ?? 0,
      maxiter: o.maxiter,
      hist,
      nnull: nullVectors.length,
      pnull,
      x,
      r,
      z,
      b: bb,
      tol: tolScaled,
      limit: DIVERGENCE_FACTOR * rnorm,
      rnorm,
      flags: SolverFlag.RESTART | (pc.caller ? SolverFlag.PC_CALLER : 0) | (trueResidual ? SolverFlag.TRUE_RESIDUAL : 0),
    };
    const st = spec.assign(rt, stBlock.ptr("workspace"), common, spec.workspace.map(f64));
    const iterate = (steps: number) => rt.call((ex) => spec.iterate(ex, st.ptr, steps));
    for (;;) {
      alive();
      st.histCount = 0;
      const steps = Math.max(1, Math.min(pace.steps, chunkMax));
      let status = iterate(steps);
      while (status === SolverStatus.NEED_MATVEC || status === SolverStatus.NEED_PRECOND) {
        const src = st.src,
          dst = st.dst;
        if (status === SolverStatus.NEED_MATVEC) applyA(src, dst);
        else {
          const z = pc.caller!.matvec(view(src).slice());
          finiteProduct(z, "M");
          view(dst).set(z);
        }
        // JavaScript ran: what the iteration points into must still be there.
        alive();
        status = iterate(steps);
      }
      const iterations = st.iter;
      // Report this chunk's iterations in order; a callback may stop the solve.
      let stopped = false;
      if (keep) {
        const count = st.histCount;
        const recorded = rt.f64(hist, count).slice();
        for (let i = 0; i < count; i++) {
          if (!report(iterations - count + i + 1, recorded[i], stopped)) stopped = true;
        }
      }
      // JavaScript products are checked where they are made, and solvewasm's own operators
      // map finite vectors to finite ones unless they overflow: a NaN or infinity here is the
      // iteration's own numbers overflowing, a result while x is finite (finish checks it).
      if (status === SolverStatus.NONFINITE) return finish(iterations, "diverged");
      if (stopped || o.signal?.aborted) return finish(iterations, "aborted");
      if (status === SolverStatus.BREAKDOWN) return finish(iterations, "breakdown");
      if (status === SolverStatus.DIVERGED) return finish(iterations, "diverged");
      if (status === SolverStatus.MAXITER) return finish(iterations, "maxiter");
      if (status === SolverStatus.CONVERGED) {
        // The recursive residual says yes; the true one decides. If rounding has made them
        // drift apart, continue from the true residual (a restart for CG).
        const trueNorm = residual(tmp);
        if (trueNorm <= tolScaled) return finish(iterations, "converged", trueNorm);
        rt.call((ex) => ex.dcopy(n, tmp, r));
        project(r);
        st.flags |= SolverFlag.RESTART;
        st.rnorm = trueNorm;
        if (iterations >= o.maxiter) return finish(iterations, "maxiter", trueNorm);
      }
      if (status === SolverStatus.RUNNING) yield iterations;
    }
  } finally {
    for (const block of blocks) block.free();
    pc.owned?.dispose();
  }
}

/** NOT_FINITE unless a JavaScript operator's (A) or preconditioner's (M) product is finite:
 * a NaN there is its own, and would otherwise surface as a breakdown or a wrong answer. */
function finiteProduct(y: ArrayLike<number>, which: "A" | "M"): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new SolvewasmError("NOT_FINITE", `${which}'s matvec returned ${y[i]} at entry ${i}`);
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
    throw new SolvewasmError("INVALID_OPTION", `nullspace must be "constant" or an array of vectors, got ${describe(spec)}`);
  }
  const basis: Float64Array[] = [];
  for (const [i, v] of vectors.entries()) {
    if (!v || typeof v.length !== "number" || v.length !== n) {
      throw new SolvewasmError("INVALID_OPTION", `nullspace vector ${i} must have length ${n}, got ${describe(v)}`);
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

interface MethodSpec {
  /** The state's size in bytes. */
  bytes: number;
  /** The f64 counts of the method's own workspace blocks, in the order `assign` takes them. */
  workspace: number[];
  assign(
    rt: Runtime,
    ptr: number,
    common: object,
    blocks: number[],
  ): { ptr: number; src: number; dst: number; iter: number; histCount: number; flags: number; rnorm: number };
  iterate(ex: import("../runtime.js").Exports, st: number, steps: number): number;
}

/** What differs between the methods: the state, its own vectors and the wasm loop. */
function methodSpec(method: KrylovMethod, n: number, o: { k: number; trueResidual: boolean; restart: number; preconditioned: boolean }): MethodSpec {
  switch (method) {
    case "cg":
      return {
        bytes: CgState.BYTES,
        workspace: [n, n],
        assign: (rt, ptr, common, [p, q]) => new CgState(rt, ptr).assign({ ...common, p, q }),
        iterate: (ex, st, steps) => ex.cgIterate(st, steps),
      };
    case "fcd":
      return {
        bytes: FcdState.BYTES,
        workspace: [2 * (o.k + 1) * n, o.k + 1, ...(o.trueResidual ? [n] : [])],
        assign: (rt, ptr, common, [ring, dring, ax = 0]) => new FcdState(rt, ptr).assign({ ...common, k: o.k, ring, dring, ax }),
        iterate: (ex, st, steps) => ex.fcdIterate(st, steps),
      };
    case "gmres":
    case "fgmres": {
      const m = o.restart;
      const flexible = method === "fgmres";
      // Z: all m preconditioned vectors (FGMRES), one (GMRES with M), none (no M).
      const zCount = o.preconditioned ? (flexible ? m * n : n) : 0;
      return {
        bytes: GmresState.BYTES,
        workspace: [(m + 1) * n, zCount, n, (m + 1) * m, m, m, m + 1, m],
        assign: (rt, ptr, common, [V, Z, w, H, cs, sn, g, y]) =>
          new GmresState(rt, ptr).assign({ ...common, m, j: 0, flexible: flexible ? 1 : 0, reorth: 0, pending: 0, V, Z: zCount ? Z : 0, w, H, cs, sn, g, y }),
        iterate: (ex, st, steps) => ex.gmresIterate(st, steps),
      };
    }
    case "bicgstab":
      return {
        bytes: BicgstabState.BYTES,
        workspace: [n, n, n, o.preconditioned ? n : 0, n],
        assign: (rt, ptr, common, [rhat, p, v, shat, t]) =>
          new BicgstabState(rt, ptr).assign({ ...common, rhat, p, v, shat: o.preconditioned ? shat : 0, t, rho: 0, alpha: 1, omega: 1 }),
        iterate: (ex, st, steps) => ex.bicgstabIterate(st, steps),
      };
    case "minres":
      return {
        bytes: MinresState.BYTES,
        workspace: [n, n, n, n, n, n],
        assign: (rt, ptr, common, [r1, r2, v, w, w1, w2]) => new MinresState(rt, ptr).assign({ ...common, r1, r2, v, w, w1, w2 }),
        iterate: (ex, st, steps) => ex.minresIterate(st, steps),
      };
  }
}
