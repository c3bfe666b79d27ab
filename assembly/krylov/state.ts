// What the solver state machines (cg.ts, fcd.ts) share. A solve runs in chunks:
// `…Iterate(state, steps)` returns after `steps` iterations, at convergence or on a
// request the caller must serve (reverse communication: the caller applies an operator or
// preconditioner that lives in JavaScript, then calls again). The state's layout and the
// status codes are generated from scripts/layouts.mjs (SolverState, SolverStatus).
import { dnrm2 } from "../blas/level1";
import { SolverState, SolverStatus } from "../generated/layouts";

/** Records ‖r‖ in the chunk history (if kept) and counts the iteration. */
// @ts-ignore: decorator
@inline export function recordIteration(s: SolverState, rnorm: f64): void {
  s.rnorm = rnorm;
  s.iter += 1;
  const hist = s.hist;
  if (hist) {
    const c = s.histCount;
    store<f64>(hist + (<usize>c << 3), rnorm);
    s.histCount = c + 1;
  }
}

/** Norm from a squared norm, falling back to the scaled dnrm2 when the square overflowed. */
// @ts-ignore: decorator
@inline export function normFrom(rr: f64, n: i32, pr: usize): f64 {
  return rr < Infinity ? Math.sqrt(rr) : dnrm2(n, pr);
}

/** Asks the caller for dst ← A·src (NEED_MATVEC) or dst ← M⁻¹·src (NEED_PRECOND), to resume
 * at `phase`: the one reverse-communication exit of every solver. */
// @ts-ignore: decorator
@inline export function request(s: SolverState, status: i32, src: usize, dst: usize, phase: i32): i32 {
  s.src = src;
  s.dst = dst;
  s.phase = phase;
  return status;
}

/** Stops with `status`, to resume at `phase` if called again. */
// @ts-ignore: decorator
@inline export function stop(s: SolverState, phase: i32, status: i32): i32 {
  s.phase = phase;
  return status;
}

/** After an iteration: CONVERGED, MAXITER, NONFINITE, or RUNNING once `done` reaches `steps`
 * (−1: go on). */
// @ts-ignore: decorator
@inline export function afterIteration(s: SolverState, rnorm: f64, done: i32, steps: i32): i32 {
  if (!isFinite(rnorm)) return SolverStatus.NONFINITE;
  if (rnorm <= s.tol) return SolverStatus.CONVERGED;
  if (s.iter >= s.maxiter) return SolverStatus.MAXITER;
  if (done >= steps) return SolverStatus.RUNNING;
  return -1;
}
