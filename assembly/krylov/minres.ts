// MINRES (Paige and Saunders, 1975) for symmetric, possibly indefinite A with a symmetric
// positive definite preconditioner, as a resumable state machine that follows SciPy's
// minres.py (itself Saunders' MATLAB code) step for step. One product and one
// preconditioner application per iteration. The residual it tracks, φ̄, is ‖r‖ in the
// M⁻¹-norm (‖r‖₂ without M); the contract's test on ‖b − A·x‖₂ is made by the caller at
// convergence. An indefinite M (rᵀM⁻¹r < 0) is a BREAKDOWN.
import { daxpy, dcopy, ddot, dscal } from "../blas/level1";
import { opApplyAll } from "../operators/apply";
import { MinresState, SolverFlag, SolverStatus } from "../generated/layouts";
import { pcApply } from "./precond";
import { afterIteration, recordIteration, request, stop } from "./state";

const P_START = 0;
const P_BETA1 = 1;
const P_LANCZOS = 2;
const P_PRODUCT = 3;
const P_PRECOND = 4;

/** z ← M⁻¹·src (a copy without M); returns a status when the caller must apply M, else −1. */
// @ts-ignore: decorator
@inline function precondition(s: MinresState, src: usize, phase: i32): i32 {
  if (s.flags & SolverFlag.PC_CALLER) return request(s, SolverStatus.NEED_PRECOND, src, s.z, phase);
  if (s.pc) pcApply(s.pc, src, s.z);
  else dcopy(s.n, src, s.z);
  return -1;
}

/** Runs up to `steps` iterations from the state at `st`; returns a SolverStatus. */
export function minresIterate(st: usize, steps: i32): i32 {
  const s = changetype<MinresState>(st);
  const n = s.n, op = s.op;
  const x = s.x, y = s.z, v = s.v;
  let done = 0;
  let phase = s.flags & SolverFlag.RESTART ? P_START : s.phase;
  for (;;) {
    if (phase == P_START) {
      // r1 = r2 = r0, y = M⁻¹·r0; the recurrences start afresh (also after a restart).
      dcopy(n, s.r, s.r1);
      dcopy(n, s.r, s.r2);
      memory.fill(s.w, 0, <usize>n << 3);
      memory.fill(s.w2, 0, <usize>n << 3);
      s.flags = s.flags & ~SolverFlag.RESTART;
      phase = P_BETA1;
      const status = precondition(s, s.r1, phase);
      if (status >= 0) return status;
    }
    if (phase == P_BETA1) {
      const beta1 = ddot(n, s.r1, y);
      if (!isFinite(beta1)) return stop(s, P_START, SolverStatus.NONFINITE);
      if (beta1 < 0.0) return stop(s, P_START, SolverStatus.BREAKDOWN);
      if (beta1 == 0.0) return stop(s, P_START, SolverStatus.CONVERGED);
      const b1 = Math.sqrt(beta1);
      s.beta = b1;
      s.oldb = 0.0;
      s.dbar = 0.0;
      s.epsln = 0.0;
      s.phibar = b1;
      s.cs = -1.0;
      s.sn = 0.0;
      phase = P_LANCZOS;
    }
    if (phase == P_LANCZOS) {
      // v = y/β, then y = A·v.
      dcopy(n, y, v);
      dscal(n, 1.0 / s.beta, v);
      phase = P_PRODUCT;
      if (!op) return request(s, SolverStatus.NEED_MATVEC, v, y, phase);
      opApplyAll(op, v, y);
    }
    if (phase == P_PRODUCT) {
      if (s.oldb > 0.0) daxpy(n, -s.beta / s.oldb, s.r1, y);
      const alfa = ddot(n, v, y);
      s.alfa = alfa;
      daxpy(n, -alfa / s.beta, s.r2, y);
      // r1 ← r2, r2 ← y (the buffers swap; r1's old contents are not needed again).
      const r1 = s.r1;
      s.r1 = s.r2;
      s.r2 = r1;
      dcopy(n, y, r1);
      phase = P_PRECOND;
      const status = precondition(s, s.r2, phase);
      if (status >= 0) return status;
    }
    if (phase == P_PRECOND) {
      const oldb = s.beta;
      const bb = ddot(n, s.r2, y);
      if (!isFinite(bb)) return stop(s, P_PRECOND, SolverStatus.NONFINITE);
      if (bb < 0.0) return stop(s, P_PRECOND, SolverStatus.BREAKDOWN);
      const beta = Math.sqrt(bb);
      s.oldb = oldb;
      s.beta = beta;
      // The next plane rotation Q_k, applied to the new column of the tridiagonal matrix.
      const oldeps = s.epsln;
      const delta = s.cs * s.dbar + s.sn * s.alfa;
      const gbar = s.sn * s.dbar - s.cs * s.alfa;
      s.epsln = s.sn * beta;
      s.dbar = -s.cs * beta;
      const gamma = Math.max(Math.hypot(gbar, beta), f64.EPSILON);
      s.cs = gbar / gamma;
      s.sn = beta / gamma;
      const phi = s.cs * s.phibar;
      s.phibar = s.sn * s.phibar;
      // w1 ← w2, w2 ← w, w ← (v − ε·w1 − δ·w2)/γ (w takes the oldest buffer); x += φ·w.
      const w1 = s.w2, w2 = s.w, w = s.w1;
      s.w1 = w1;
      s.w2 = w2;
      s.w = w;
      const denom = 1.0 / gamma;
      dcopy(n, v, w);
      daxpy(n, -oldeps, w1, w);
      daxpy(n, -delta, w2, w);
      dscal(n, denom, w);
      daxpy(n, phi, w, x);
      const rnorm = s.phibar;
      recordIteration(s, rnorm);
      done++;
      phase = P_LANCZOS;
      const status = afterIteration(s, rnorm, done, steps);
      if (status >= 0) return stop(s, phase, status);
      // β = 0: the Krylov space is invariant and x is the solution in it.
      if (beta == 0.0) return stop(s, phase, SolverStatus.CONVERGED);
    }
  }
  return SolverStatus.RUNNING; // not reached
}
