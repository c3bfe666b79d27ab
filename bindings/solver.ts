// The solver contract every iterative method follows (cg, fcd, sor, the multilevel solve,
// and every solver added later): the options, their defaults, their validation, the
// stopping test and the result.
import type { Exports, Runtime } from "./runtime.js";
import { SolvewasmError } from "./errors.js";
import { finiteVector, type Vector } from "./memory.js";
import { describe } from "./validate.js";

/** What a callback sees after each iteration (and once at iteration 0). */
export interface Progress {
  iteration: number;
  residualNorm: number;
}

/** Options every solver takes. */
export interface SolverOptions {
  /** Initial guess (default zeros). */
  x0?: Vector;
  /** Relative tolerance: converged when ‖b − A·x‖ ≤ max(rtol·‖b‖, atol) (default: DEFAULTS). */
  rtol?: number;
  /** Absolute tolerance on ‖b − A·x‖ (default 0; Infinity accepts any x, as SciPy). */
  atol?: number;
  /** Most iterations (default: DEFAULTS). */
  maxiter?: number;
  /** Called with the residual norm (as in `history`) at iteration 0 and after every
   * iteration, reported in batches of `callbackEvery`; return `false` to stop (reason
   * "aborted"). */
  callback?: (progress: Progress) => boolean | void;
  /** Iterations between returns to JavaScript while a callback is set (default 1). */
  callbackEvery?: number;
  /** Stops the solve (reason "aborted") once aborted; checked between chunks. */
  signal?: AbortSignal;
  /** Keep every iteration's residual norm in `result.history` (default false). */
  history?: boolean;
}

export type StopReason = "converged" | "maxiter" | "breakdown" | "diverged" | "inconsistent" | "aborted";

/** An iteration has diverged once its residual passes this multiple of the initial one (or
 * is NaN, for SOR and multigrid): it stops there, x still finite. */
export const DIVERGENCE_FACTOR = 1e50;
export type SolverMethod = "cg" | "fcd" | "gmres" | "fgmres" | "bicgstab" | "minres" | "sor" | "ssor" | "multigrid";

/** What every solver returns. */
export interface SolveResult {
  /** The solution (or the best iterate when not converged). */
  x: Float64Array;
  converged: boolean;
  reason: StopReason;
  /** Why the solve stopped short, for people (set unless converged). */
  message?: string;
  /** Iterations done (sweeps for SOR, cycles for multigrid). */
  iterations: number;
  /** ‖b − A·x‖ for the returned x, recomputed (not the recursive estimate). */
  residualNorm: number;
  /** The residual norm at iteration 0, 1, 2, … when `history: true`, one entry per
   * iteration: ‖b − A·x0‖ first, then the iteration's own residual (CG and FCD: the
   * recursive estimate; SOR and multigrid: recomputed). `residualNorm` is always recomputed. */
  history?: Float64Array;
  method: SolverMethod;
  /** Wall-clock seconds of the solve. */
  seconds: number;
  /** With a `nullspace` (CG): the iteration solves A·x = P·b, P projecting out the null
   * space. `component` is ‖b − P·b‖, the part of b no x reaches (zero when the system is
   * consistent); `projectedResidualNorm` is ‖P·b − A·x‖. `residualNorm` stays ‖b − A·x‖. */
  nullspace?: { component: number; projectedResidualNorm: number };
}

/**
 * Defaults per method, in one place (the README's table is this one). `maxiter` may
 * depend on n; `reference` is the norm rtol multiplies.
 */
export const DEFAULTS = {
  cg: { rtol: 1e-5, maxiter: (n: number) => 10 * n, reference: "b" },
  fcd: { rtol: 1e-5, maxiter: (n: number) => 10 * n, reference: "b" },
  // maxiter counts inner iterations (products of the Krylov loop) for GMRES too, not
  // restart cycles as SciPy's gmres does.
  gmres: { rtol: 1e-5, maxiter: (n: number) => 10 * n, reference: "b" },
  fgmres: { rtol: 1e-5, maxiter: (n: number) => 10 * n, reference: "b" },
  bicgstab: { rtol: 1e-5, maxiter: (n: number) => 10 * n, reference: "b" },
  minres: { rtol: 1e-5, maxiter: (n: number) => 5 * n, reference: "b" },
  // Learning to Relax's setting: 10000 sweeps, tolerance relative to the initial residual.
  sor: { rtol: 1e-8, maxiter: () => 10000, reference: "initial" },
  multigrid: { rtol: 1e-5, maxiter: () => 100, reference: "b" },
} as const;

/** The option names of SolverOptions. */
export const SOLVER_OPTION_NAMES = ["x0", "rtol", "atol", "maxiter", "callback", "callbackEvery", "signal", "history"] as const;

/** Throws INVALID_OPTION: the one way an option is refused. */
export function invalidOption(message: string): never {
  throw new SolvewasmError("INVALID_OPTION", message);
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** INVALID_OPTION unless `options` is undefined or a plain options object (not null, not an
 * array): the check a caller needs before it reads any option, ahead of the full one. */
export function checkOptionsObject(options: unknown, where: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) invalidOption(`${where}: options must be an object, got ${describe(options)}`);
}

/**
 * INVALID_OPTION unless `options` is an object whose keys are all in `allowed` (undefined
 * values count as absent); the message names the key and the nearest valid one.
 */
export function checkOptionNames(options: unknown, allowed: readonly string[], where: string): void {
  checkOptionsObject(options, where);
  if (options === undefined) return;
  for (const key of Object.keys(options as object)) {
    if (allowed.includes(key)) continue;
    const nearest = [...allowed].sort((a, b) => distance(key, a) - distance(key, b))[0];
    const hint = nearest !== undefined && distance(key, nearest) <= Math.max(2, key.length / 2) ? ` (did you mean "${nearest}"?)` : "";
    invalidOption(`${where} has no option "${key}"${hint}; its options are ${allowed.join(", ")}`);
  }
}

/** The common options, checked and with their defaults. */
export interface CheckedOptions {
  x0: Float64Array | undefined;
  rtol: number;
  atol: number;
  maxiter: number;
  callback: ((progress: Progress) => boolean | void) | undefined;
  callbackEvery: number;
  signal: AbortSignal | undefined;
  history: boolean;
}

/**
 * Checks the common options of a solve of an n-vector with `method`'s defaults: unknown
 * names (beyond `extra`), types and ranges → INVALID_OPTION, x0 of the wrong length →
 * DIMENSION_MISMATCH, non-finite x0 → NOT_FINITE. The same checks for every solver.
 */
export function checkSolverOptions(
  method: keyof typeof DEFAULTS,
  options: SolverOptions | undefined,
  n: number,
  extra: readonly string[] = [],
): CheckedOptions {
  const where = method === "multigrid" ? "solve" : method;
  checkOptionNames(options, [...SOLVER_OPTION_NAMES, ...extra], where);
  const o = options ?? {};
  const d = DEFAULTS[method];
  const { rtol = d.rtol, atol = 0, maxiter = d.maxiter(n), callback, callbackEvery = 1, signal, history = false } = o;
  if (typeof rtol !== "number" || !(rtol >= 0) || !Number.isFinite(rtol)) invalidOption(`rtol must be a finite number ≥ 0, got ${describe(rtol)}`);
  if (typeof atol !== "number" || !(atol >= 0)) invalidOption(`atol must be a number ≥ 0 (Infinity allowed), got ${describe(atol)}`);
  if (typeof maxiter !== "number" || !Number.isInteger(maxiter) || maxiter < 0 || maxiter > 2 ** 31 - 1)
    invalidOption(`maxiter must be an integer ≥ 0, got ${describe(maxiter)}`);
  if (callback !== undefined && typeof callback !== "function") invalidOption(`callback must be a function, got ${describe(callback)}`);
  if (typeof callbackEvery !== "number" || !Number.isInteger(callbackEvery) || callbackEvery < 1)
    invalidOption(`callbackEvery must be an integer ≥ 1, got ${describe(callbackEvery)}`);
  if (signal !== undefined && (typeof signal !== "object" || signal === null || !("aborted" in signal)))
    invalidOption(`signal must be an AbortSignal, got ${describe(signal)}`);
  if (typeof history !== "boolean") invalidOption(`history must be true or false, got ${describe(history)}`);
  const x0 = o.x0 === undefined ? undefined : finiteVector(o.x0, n, "x0");
  return { x0, rtol, atol, maxiter, callback, callbackEvery, signal, history };
}

/** The stopping tolerance on ‖b − A·x‖: max(rtol·reference, atol), for a system scaled by
 * 2^scaleExp (see rhsScale) when given: `referenceNorm` is then the scaled system's. */
export function tolerance(o: CheckedOptions, referenceNorm: number, scaleExp = 0): number {
  return Math.max(o.rtol * referenceNorm, timesPow2(o.atol, scaleExp));
}

/**
 * The exponent k (0 when ‖b‖ lies in [2^-400, 2^400]) of the power of two 2^k that brings
 * ‖b‖ near 1 (as far as ‖x0‖∞ stays below 2^500). Residual norms are square roots of sums of squares, which underflow outside
 * that range (‖b‖ = 1e-200 would read as 0 and "converge" at x = 0) or overflow. A linear
 * solver's iterates scale exactly with b by a power of two, so the solvers iterate on
 * 2^k·b and report x·2^-k and every norm·2^-k: the original system's numbers.
 */
export function rhsScale(bnorm: number, x0?: ArrayLike<number>): number {
  // x0 scales with b: b decides, as far as ‖x0‖∞·2^exp stays below 2^500 (an x0 that
  // underflows instead is negligible next to the solution of this b).
  let x0size = 0;
  if (x0) for (let i = 0; i < x0.length; i++) x0size = Math.max(x0size, Math.abs(x0[i]));
  const size = bnorm > 0 ? bnorm : x0size;
  if (!(size > 0 && size < Infinity) || (size >= 2 ** -400 && size <= 2 ** 400)) return 0;
  let exp = -Math.round(Math.log2(size));
  if (x0size > 0) exp = Math.min(exp, 500 - Math.ceil(Math.log2(x0size)));
  return exp;
}

/** v·2^k, exact unless the result is subnormal (2^k itself may not be a double: |k| ≤ 2100). */
export function timesPow2(v: number, k: number): number {
  const half = Math.trunc(k / 2);
  return v * 2 ** half * 2 ** (k - half);
}

/** x ← 2^k·x in wasm (in two steps, as timesPow2). */
export function scaleByPow2(ex: Exports, n: number, px: number, k: number): void {
  if (k === 0) return;
  const half = Math.trunc(k / 2);
  ex.dscal(n, 2 ** half, px);
  ex.dscal(n, 2 ** (k - half), px);
}

/**
 * A linear system solved as 2^exp·(b, x) (see rhsScale), on wasm vectors of length n: `b`
 * every copy of the right-hand side, `x` the iterate (holding x0 or zeros on entry).
 * `unscale` turns the scaled system's norms into the caller's units; `restore` scales b and
 * x back and is NOT_FINITE if x has left float64 (the iterates overflowed, or the solution
 * is not representable), so no solver returns a non-finite x. `scale: false` (a nonlinear
 * preconditioner, which need not commute with scaling) keeps exp 0.
 */
export function scaledSystem(rt: Runtime, n: number, b: readonly number[], x: number, x0: ArrayLike<number> | undefined, scale = true) {
  const norm = rt.call((ex) => ex.dnrm2(n, b[0]));
  const exp = scale ? rhsScale(norm, x0) : 0;
  const vectors = [...new Set(b), x];
  if (exp !== 0) rt.call((ex) => vectors.forEach((p) => scaleByPow2(ex, n, p, exp)));
  return {
    exp,
    /** ‖b[0]‖ of the scaled system (a power-of-two scaling is exact, as dnrm2 of it is). */
    norm: timesPow2(norm, exp),
    unscale: (v: number) => timesPow2(v, -exp),
    restore(iterations: number): void {
      if (exp !== 0) rt.call((ex) => vectors.forEach((p) => scaleByPow2(ex, n, p, -exp)));
      // dnrm2 is finite exactly when every entry is: one pass in wasm, the index only then.
      if (Number.isFinite(rt.call((ex) => ex.dnrm2(n, x)))) return;
      const xs = rt.f64(x, n);
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(xs[i])) {
          throw new SolvewasmError(
            "NOT_FINITE",
            `x[${i}] became ${xs[i]} by iteration ${iterations}: the iterates overflowed float64 (the iteration diverges, or the solution is not representable)`,
          );
        }
      }
    },
  };
}

/** r ← b − r (r holding A·x) in wasm; returns ‖r‖: the plain sum of squares, unless it
 * overflowed or may have underflowed, where dnrm2's scaled sum decides. */
export function residualNormFrom(ex: Exports, n: number, pb: number, pr: number): number {
  const rr = ex.residualFrom(n, pb, pr);
  return rr < Infinity && rr > 2 ** -960 ? Math.sqrt(rr) : ex.dnrm2(n, pr);
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
    case "diverged":
      return (
        `the residual grew to ${residualNorm.toExponential(3)} after ${iterations} iterations: the iteration diverges for this ` +
        "matrix (CG, FCD, SOR and multigrid converge for symmetric positive definite A)"
      );
    case "inconsistent":
      return (
        `b has a component in A's null space, so no x solves A·x = b (‖b − A·x‖ = ${residualNorm.toExponential(3)} > ${tol.toExponential(3)}): ` +
        "x is the least-squares solution, exact for the projected b (see result.nullspace); remove that component from b if it is " +
        "rounding, or check the boundary conditions (a pure-Neumann problem needs Σb = 0)"
      );
    case "aborted":
      return `stopped by the callback or the abort signal after ${iterations} iterations`;
  }
}

/**
 * The result of a solve: converged is decided by the recomputed residual alone (a solver
 * that ran out of iterations but whose true residual passes has converged; one that
 * "converged" on its recursive estimate but not on the true residual ran out).
 */
export function solveResult<M extends SolverMethod>(fields: {
  method: M;
  x: Float64Array;
  iterations: number;
  residualNorm: number;
  tol: number;
  reason: StopReason;
  history?: ArrayLike<number>;
  started: number;
}): SolveResult & { method: M } {
  const converged = fields.residualNorm <= fields.tol;
  const reason: StopReason = converged ? "converged" : fields.reason === "converged" ? "maxiter" : fields.reason;
  const message = stopMessage(reason, fields.iterations, fields.residualNorm, fields.tol);
  return {
    x: fields.x,
    converged,
    reason,
    ...(message ? { message } : {}),
    iterations: fields.iterations,
    residualNorm: fields.residualNorm,
    ...(fields.history ? { history: Float64Array.from(fields.history) } : {}),
    method: fields.method,
    seconds: (performance.now() - fields.started) / 1000,
  };
}
