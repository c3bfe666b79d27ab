// Conjugate direction solving: CG, flexible conjugate directions (the DCDM loop), their
// async forms and the preconditioners, bound to one runtime.
import type { Vector } from "../memory.js";
import type { LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { SolvewasmError } from "../errors.js";
import { checkOptionsObject, type SolveResult } from "../solver.js";
import { describe } from "../validate.js";
import { CsrMatrix } from "../operators/csr.js";
import {
  checkFcdOptions,
  maxChunk,
  solveSteps,
  type FcdOptions,
  type GmresOptions,
  type KrylovMethod,
  type KrylovOptions,
  type Pace,
  type SolveOptions,
} from "./driver.js";
import { makePreconditioners, type Preconditioners } from "./precond.js";

export interface Krylov {
  /**
   * Conjugate gradients for symmetric positive definite A, with SciPy's contract: stops when
   * ‖b − A·x‖ ≤ max(rtol·‖b‖, atol) (checked on the recomputed residual). The iteration runs
   * inside wasm for solvewasm operators and preconditioners; JavaScript ones are called back.
   * @example
   * const A = gallery.poisson([64, 64]);
   * const { x, converged, iterations } = cg(A, new Float64Array(A.rows).fill(1), { rtol: 1e-8 });
   */
  cg(A: LinearOperator, b: Vector, options?: SolveOptions): SolveResult;
  /**
   * Flexible conjugate directions: each direction is M⁻¹·r A-orthogonalised against the last
   * `k` directions (default 2), with an exact line search; M may be nonsymmetric or nonlinear.
   */
  fcd(A: LinearOperator, b: Vector, options?: FcdOptions): SolveResult;
  /**
   * GMRES(m) for any nonsingular A (nonsymmetric included): restarted every `restart` inner
   * iterations (default 30), right-preconditioned, modified Gram–Schmidt with a second pass
   * when needed, the true residual recomputed at every restart and at convergence.
   * `maxiter` counts inner iterations (SciPy's counts restart cycles).
   * @example
   * const A = CsrMatrix.fromMatrixMarket(text); // nonsymmetric
   * const r = gmres(A, b, { restart: 30, M: precond.ilu0(A), rtol: 1e-8 });
   */
  gmres(A: LinearOperator, b: Vector, options?: GmresOptions): SolveResult;
  /** Flexible GMRES (Saad's FGMRES): as `gmres`, but M may change from one application to
   * the next or be nonlinear (a learned network, an inexact inner solve); keeps m more vectors. */
  fgmres(A: LinearOperator, b: Vector, options?: GmresOptions): SolveResult;
  /** BiCGSTAB (van der Vorst) for nonsymmetric A: two products per iteration, short
   * recurrences (no restart length); a breakdown ends the solve with `reason: "breakdown"`. */
  bicgstab(A: LinearOperator, b: Vector, options?: KrylovOptions): SolveResult;
  /** MINRES (Paige–Saunders) for symmetric, possibly indefinite A; M must be symmetric
   * positive definite (an indefinite one ends with `reason: "breakdown"`). */
  minres(A: LinearOperator, b: Vector, options?: KrylovOptions): SolveResult;
  /**
   * Picks the method from what A and M declare and solves; `result.method` says which:
   * A `symmetric: false` (or a CsrMatrix that is not symmetric) → `gmres`; `definite: false`
   * → `minres`; otherwise `cg`. An M declared `linear: false` makes it the flexible
   * variant (`fgmres`, or `fcd` for SPD A); one declared `symmetric: false` (ILU) keeps
   * GMRES, turns MINRES into GMRES and CG into `fcd`.
   */
  solve(A: LinearOperator, b: Vector, options?: FcdOptions & GmresOptions): SolveResult;
  /** `cg` that yields to the event loop between chunks (~10 ms each), so a page stays responsive. */
  cgAsync(A: LinearOperator, b: Vector, options?: SolveOptions): Promise<SolveResult>;
  /** `fcd` that yields to the event loop between chunks. */
  fcdAsync(A: LinearOperator, b: Vector, options?: FcdOptions): Promise<SolveResult>;
  /** `gmres` that yields to the event loop between chunks. */
  gmresAsync(A: LinearOperator, b: Vector, options?: GmresOptions): Promise<SolveResult>;
  /** `fgmres` that yields to the event loop between chunks. */
  fgmresAsync(A: LinearOperator, b: Vector, options?: GmresOptions): Promise<SolveResult>;
  /** `bicgstab` that yields to the event loop between chunks. */
  bicgstabAsync(A: LinearOperator, b: Vector, options?: KrylovOptions): Promise<SolveResult>;
  /** `minres` that yields to the event loop between chunks. */
  minresAsync(A: LinearOperator, b: Vector, options?: KrylovOptions): Promise<SolveResult>;
  /** Preconditioners for the `M` option. */
  precond: Preconditioners;
}

/** Yields to the event loop with a macrotask, so timers, input and rendering get their
 * turn: a MessageChannel message in pages and browsers' Web Workers (importScripts marks
 * them; nested setTimeout(0) is clamped to 4 ms in both: in a worker that cost a 512² CG
 * 3× its time), setTimeout(0) elsewhere (Node, Deno, workerd). */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === "function" && ("document" in globalThis || typeof (globalThis as { importScripts?: unknown }).importScripts === "function")) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const SLICE_MS = 10;

export function makeKrylov(rt: Runtime): Krylov {
  const run = (method: KrylovMethod, A: LinearOperator, b: Vector, options: FcdOptions & GmresOptions = {}) => {
    checkOptionsObject(options, method); // before maxChunk reads it; the names are checked by the solve
    const max = maxChunk(options, false);
    const steps = solveSteps(rt, method, A, b, options, { steps: max, max });
    for (;;) {
      const s = steps.next();
      if (s.done) return s.value;
    }
  };
  const runAsync = async (method: KrylovMethod, A: LinearOperator, b: Vector, options: FcdOptions & GmresOptions = {}) => {
    checkOptionsObject(options, method);
    const pace: Pace & { steps: number } = { steps: 1, max: maxChunk(options, true) };
    const steps = solveSteps(rt, method, A, b, options, pace);
    let last = 0;
    for (;;) {
      const t0 = performance.now();
      const s = steps.next();
      if (s.done) return s.value;
      // Size the next chunk to about SLICE_MS from this one's iterations per millisecond,
      // growing at most 4× a step (some hosts, workerd among them, freeze the clock while
      // code runs).
      const ms = performance.now() - t0;
      const done = s.value - last;
      last = s.value;
      if (done > 0) {
        const target = ms > 0 ? (done * SLICE_MS) / ms : Infinity;
        pace.steps = Math.max(1, Math.min(pace.max, 4 * pace.steps, Math.round(target)));
      }
      await yieldToEventLoop();
    }
  };
  /** What M declares: nonlinear (linear: false) and/or nonsymmetric (symmetric: false). */
  const declaredM = (M: FcdOptions["M"]) => {
    const m = (M ?? {}) as { symmetric?: boolean; linear?: boolean };
    return { nonlinear: m.linear === false, nonsymmetric: m.symmetric === false };
  };
  return {
    cg: (A, b, options) => run("cg", A, b, options),
    fcd: (A, b, options) => run("fcd", A, b, options),
    // fcd's own options (k, trueResidual) only mean something when fcd is picked, but are
    // checked either way.
    gmres: (A, b, options) => run("gmres", A, b, options),
    fgmres: (A, b, options) => run("fgmres", A, b, options),
    bicgstab: (A, b, options) => run("bicgstab", A, b, options),
    minres: (A, b, options) => run("minres", A, b, options),
    // fcd's own options (k, trueResidual) and restart only mean something for the methods
    // that take them, but are checked whichever is picked.
    solve: (A, b, options = {}) => {
      checkOptionsObject(options, "solve");
      checkFcdOptions(options);
      const method = pickMethod(A, declaredM(options.M));
      const { k, trueResidual, restart, ...rest } = options;
      if (restart !== undefined && method !== "gmres" && method !== "fgmres") checkRestartType(restart);
      const own = method === "fcd" ? { k, trueResidual } : method === "gmres" || method === "fgmres" ? { restart } : {};
      return run(method, A, b, { ...rest, ...stripUndefined(own) });
    },
    cgAsync: (A, b, options) => runAsync("cg", A, b, options),
    fcdAsync: (A, b, options) => runAsync("fcd", A, b, options),
    gmresAsync: (A, b, options) => runAsync("gmres", A, b, options),
    fgmresAsync: (A, b, options) => runAsync("fgmres", A, b, options),
    bicgstabAsync: (A, b, options) => runAsync("bicgstab", A, b, options),
    minresAsync: (A, b, options) => runAsync("minres", A, b, options),
    precond: makePreconditioners(rt),
  };
}

/** The method `solve` uses for A and an M declared nonlinear and/or nonsymmetric (see
 * Krylov.solve): GMRES needs only a linear M, MINRES and CG a symmetric one too. */
export function pickMethod(A: LinearOperator, M: { nonlinear: boolean; nonsymmetric: boolean }): KrylovMethod {
  const declared = A as { symmetric?: unknown; definite?: unknown };
  const symmetric = declared.symmetric === false ? false : declared.symmetric === true || !(A instanceof CsrMatrix) || A.isSymmetric();
  if (!symmetric) return M.nonlinear ? "fgmres" : "gmres";
  if (declared.definite === false) return M.nonlinear ? "fgmres" : M.nonsymmetric ? "gmres" : "minres";
  return M.nonlinear || M.nonsymmetric ? "fcd" : "cg";
}

/** A restart given to `solve` that picks a method without one must still be well formed. */
function checkRestartType(restart: unknown): void {
  if (!Number.isInteger(restart) || (restart as number) < 1) {
    throw new SolvewasmError("INVALID_OPTION", `restart must be an integer ≥ 1, got ${describe(restart)}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type { SolveOptions, FcdOptions, GmresOptions, KrylovOptions } from "./driver.js";
export type { SolveResult, StopReason, SolverOptions, SolverMethod, Progress } from "../solver.js";
export type { Preconditioner, Preconditioners } from "./precond.js";
