// Conjugate direction solving: CG, flexible conjugate directions (the DCDM loop), their
// async forms and the preconditioners, bound to one runtime.
import type { Vector } from "../memory.js";
import type { LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { checkOptionsObject, type SolveResult } from "../solver.js";
import { checkFcdOptions, maxChunk, solveSteps, type FcdOptions, type Pace, type SolveOptions } from "./driver.js";
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
  /** `cg` when M is absent or declares itself symmetric and linear, `fcd` otherwise. */
  solve(A: LinearOperator, b: Vector, options?: FcdOptions): SolveResult;
  /** `cg` that yields to the event loop between chunks (~10 ms each), so a page stays responsive. */
  cgAsync(A: LinearOperator, b: Vector, options?: SolveOptions): Promise<SolveResult>;
  /** `fcd` that yields to the event loop between chunks. */
  fcdAsync(A: LinearOperator, b: Vector, options?: FcdOptions): Promise<SolveResult>;
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
  const run = (method: "cg" | "fcd", A: LinearOperator, b: Vector, options: FcdOptions = {}) => {
    checkOptionsObject(options, method); // before maxChunk reads it; the names are checked by the solve
    const max = maxChunk(options, false);
    const steps = solveSteps(rt, method, A, b, options, { steps: max, max });
    for (;;) {
      const s = steps.next();
      if (s.done) return s.value;
    }
  };
  const runAsync = async (method: "cg" | "fcd", A: LinearOperator, b: Vector, options: FcdOptions = {}) => {
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
  const flexible = (M: FcdOptions["M"]) => {
    const m = M as { symmetric?: boolean; linear?: boolean } | undefined;
    return m !== undefined && m !== null && (m.symmetric === false || m.linear === false);
  };
  return {
    cg: (A, b, options) => run("cg", A, b, options),
    fcd: (A, b, options) => run("fcd", A, b, options),
    // fcd's own options (k, trueResidual) only mean something when fcd is picked, but are
    // checked either way.
    solve: (A, b, options = {}) => {
      checkOptionsObject(options, "solve");
      checkFcdOptions(options);
      if (flexible(options.M)) return run("fcd", A, b, options);
      const { k: _k, trueResidual: _t, ...rest } = options;
      return run("cg", A, b, rest);
    },
    cgAsync: (A, b, options) => runAsync("cg", A, b, options),
    fcdAsync: (A, b, options) => runAsync("fcd", A, b, options),
    precond: makePreconditioners(rt),
  };
}

export type { SolveOptions, FcdOptions } from "./driver.js";
export type { SolveResult, StopReason, SolverOptions, SolverMethod, Progress } from "../solver.js";
export type { Preconditioner, Preconditioners } from "./precond.js";
