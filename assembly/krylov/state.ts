// What the solver state machines (cg.ts, fcd.ts) share. A solve runs in chunks:
// `…Iterate(state, steps)` returns after `steps` iterations, at convergence or on a
// request the caller must serve (reverse communication: the caller applies an operator or
// preconditioner that lives in JavaScript, then calls again). The state's layout and the
// status codes are generated from scripts/layouts.mjs (SolverState, SolverStatus).
import { ddot, dnrm2 } from "../blas/level1";
import { project } from "../blas/fused";
import { opApplyDot } from "../operators/apply";
import { SolverState, SolverStatus } from "../generated/layouts";

/** Every solver's first phase: z ← M⁻¹·r for the next direction. */
export const PH_PRECOND = 0;

/** The phases every solver's product goes through: computed in wasm, or asked of the
 * caller and finished (the curvature srcᵀ·dst) when it resumes. */
export const PH_PRODUCT = 2;
export const PH_CURVATURE = 3;

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

/**
 * dst ← A·src and curvature ← srcᵀ·dst, in one pass for a solvewasm operator, or a request
 * to the caller (resuming at PH_CURVATURE, which only takes the dot product). Returns the
 * status to return to the caller, or −1 once the curvature is stored.
 */
// @ts-ignore: decorator
@inline export function productPhase(s: SolverState, phase: i32, src: usize, dst: usize): i32 {
  if (phase == PH_PRODUCT) {
    if (!s.op) return request(s, SolverStatus.NEED_MATVEC, src, dst, PH_CURVATURE);
    s.curvature = opApplyDot(s.op, src, dst);
  } else {
    s.curvature = ddot(s.n, src, dst);
  }
  return -1;
}

/** Stops with `status`, to resume at `phase` if called again. */
// @ts-ignore: decorator
@inline export function stop(s: SolverState, phase: i32, status: i32): i32 {
  s.phase = phase;
  return status;
}

/** ‖r‖² after an update, with r first projected off the null space when there is one. */
// @ts-ignore: decorator
@inline export function projectedResidual(s: SolverState, rr: f64, r: usize): f64 {
  if (s.nnull <= 0) return rr;
  project(s.n, s.nnull, s.pnull, r);
  return ddot(s.n, r, r);
}

/** The end of every iteration: ‖r‖ recorded, the next iteration set to start from the
 * preconditioner, and the status to return (−1: go on). */
// @ts-ignore: decorator
@inline export function endIteration(s: SolverState, rr: f64, r: usize, done: i32, steps: i32): i32 {
  const rnorm = normFrom(rr, s.n, r);
  recordIteration(s, rnorm);
  s.phase = PH_PRECOND;
  return afterIteration(s, rnorm, done, steps);
}

/** After an iteration: CONVERGED, MAXITER, NONFINITE, DIVERGED (past s.limit, while x is
 * still finite), or RUNNING once `done` reaches `steps` (−1: go on). */
// @ts-ignore: decorator
@inline export function afterIteration(s: SolverState, rnorm: f64, done: i32, steps: i32): i32 {
  if (!isFinite(rnorm)) return SolverStatus.NONFINITE;
  if (rnorm > s.limit) return SolverStatus.DIVERGED;
  if (rnorm <= s.tol) return SolverStatus.CONVERGED;
  if (s.iter >= s.maxiter) return SolverStatus.MAXITER;
  if (done >= steps) return SolverStatus.RUNNING;
  return -1;
}
