// BiCGSTAB (van der Vorst, 1992; Saad's Algorithm 7.7 with right preconditioning, as
// SciPy's bicgstab) as a resumable state machine. One iteration is two products and two
// preconditioner applications. Breakdowns — ρ = r̂ᵀr = 0 (r̂ ⊥ r), r̂ᵀv = 0, or ω = 0 (the
// stabilising step makes no progress) — stop with BREAKDOWN, a result the caller reports.
import { daxpy, dcopy, ddot, dnrm2 } from "../blas/level1";
import { xpby } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { BicgstabState, SolverFlag, SolverStatus } from "../generated/layouts";
import { pcApply } from "./precond";
import { afterIteration, normFrom, recordIteration, request, stop } from "./state";

const P_START = 0;
const P_RHO = 1;
const P_PRECOND1 = 2;
const P_PRODUCT1 = 3;
const P_HALF = 4;
const P_PRECOND2 = 5;
const P_PRODUCT2 = 6;
const P_FULL = 7;

/** Runs up to `steps` iterations from the state at `st`; returns a SolverStatus. */
export function bicgstabIterate(st: usize, steps: i32): i32 {
  const s = changetype<BicgstabState>(st);
  const n = s.n, op = s.op, pc = s.pc;
  const x = s.x, r = s.r, rhat = s.rhat, p = s.p, v = s.v, t = s.t;
  const caller = (s.flags & SolverFlag.PC_CALLER) != 0;
  const preconditioned = pc != 0 || caller;
  // p̂ = M⁻¹·p and ŝ = M⁻¹·s; without M they are p and s (= r) themselves.
  const phat = preconditioned ? s.z : p;
  const shat = preconditioned ? s.shat : r;
  let done = 0;
  let phase = s.flags & SolverFlag.RESTART ? P_START : s.phase;
  for (;;) {
    if (phase == P_START) {
      // r̂ = r0, p = r0: the first direction, after the first start and after every restart.
      dcopy(n, r, rhat);
      dcopy(n, r, p);
      const rho = ddot(n, r, r);
      if (!isFinite(rho)) return stop(s, P_START, SolverStatus.NONFINITE);
      s.rho = rho;
      s.flags = s.flags & ~SolverFlag.RESTART;
      phase = P_PRECOND1;
    }
    if (phase == P_RHO) {
      const rho = ddot(n, rhat, r);
      if (!isFinite(rho)) return stop(s, P_RHO, SolverStatus.NONFINITE);
      if (rho == 0.0) return stop(s, P_RHO, SolverStatus.BREAKDOWN);
      const beta = (rho / s.rho) * (s.alpha / s.omega);
      s.rho = rho;
      // p = r + β·(p − ω·v)
      daxpy(n, -s.omega, v, p);
      xpby(n, beta, r, p);
      phase = P_PRECOND1;
    }
    if (phase == P_PRECOND1) {
      phase = P_PRODUCT1;
      if (preconditioned) {
        if (caller) return request(s, SolverStatus.NEED_PRECOND, p, phat, phase);
        pcApply(pc, p, phat);
      }
    }
    if (phase == P_PRODUCT1) {
      phase = P_HALF;
      if (!op) return request(s, SolverStatus.NEED_MATVEC, phat, v, phase);
      opApplyAll(op, phat, v);
    }
    if (phase == P_HALF) {
      const rv = ddot(n, rhat, v);
      if (!isFinite(rv)) return stop(s, P_HALF, SolverStatus.NONFINITE);
      if (rv == 0.0) return stop(s, P_HALF, SolverStatus.BREAKDOWN);
      const alpha = s.rho / rv;
      s.alpha = alpha;
      // s = r − α·v (in r's place) and x += α·p̂; a converged half step ends the iteration.
      daxpy(n, -alpha, v, r);
      daxpy(n, alpha, phat, x);
      const snorm = dnrm2(n, r);
      if (snorm <= s.tol) {
        recordIteration(s, snorm);
        done++;
        const status = afterIteration(s, snorm, done, steps);
        if (status >= 0) return stop(s, P_RHO, status);
        phase = P_RHO;
        continue;
      }
      phase = P_PRECOND2;
    }
    if (phase == P_PRECOND2) {
      phase = P_PRODUCT2;
      if (preconditioned) {
        if (caller) return request(s, SolverStatus.NEED_PRECOND, r, shat, phase);
        pcApply(pc, r, shat);
      }
    }
    if (phase == P_PRODUCT2) {
      phase = P_FULL;
      if (!op) return request(s, SolverStatus.NEED_MATVEC, shat, t, phase);
      opApplyAll(op, shat, t);
    }
    // P_FULL: ω = tᵀs / tᵀt, x += ω·ŝ, r = s − ω·t.
    const tt = ddot(n, t, t);
    const ts = ddot(n, t, r);
    if (!isFinite(tt) || !isFinite(ts)) return stop(s, P_FULL, SolverStatus.NONFINITE);
    if (tt == 0.0) return stop(s, P_FULL, SolverStatus.BREAKDOWN);
    const omega = ts / tt;
    s.omega = omega;
    daxpy(n, omega, shat, x);
    daxpy(n, -omega, t, r);
    const rnorm = normFrom(ddot(n, r, r), n, r);
    recordIteration(s, rnorm);
    done++;
    const status = afterIteration(s, rnorm, done, steps);
    if (status >= 0) return stop(s, P_RHO, status);
    if (omega == 0.0) return stop(s, P_RHO, SolverStatus.BREAKDOWN);
    phase = P_RHO;
  }
  return SolverStatus.RUNNING; // not reached
}
