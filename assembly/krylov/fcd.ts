// Flexible conjugate directions (Notay's FCG(k); the loop of DCDM, Kaneda et al. 2023):
// each new direction is the preconditioned residual, A-orthogonalised against the last k
// directions by modified Gram–Schmidt, followed by an exact line search. It needs neither
// a symmetric nor a linear preconditioner. Directions live in a ring of k + 1 slots of
// (p, A·p) with pᵀA·p kept beside them.
import { daxpy, dcopy, ddot } from "../blas/level1";
import { cgStep, project, residualFrom } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { FcdState, SolverFlag, SolverStatus } from "../generated/layouts";
import { pcApply } from "./precond";
import { endIteration, PH_CURVATURE, PH_PRECOND, PH_PRODUCT, productPhase, projectedResidual, request, stop } from "./state";

// 0: PH_PRECOND (state.ts)
const PH_ORTHOGONALISE = 1;
// 2, 3: PH_PRODUCT, PH_CURVATURE (state.ts)
const PH_UPDATE = 4;
const PH_TRUE_RESIDUAL = 5; // after the caller's A·x

/** Slot j of the ring: p at its start, A·p right after it. */
// @ts-ignore: decorator
@inline function slot(s: FcdState, n: i32, j: i32): usize {
  return s.ring + ((<usize>j * 2 * <usize>n) << 3);
}

/** Runs up to `steps` FCD iterations from the state at `st`; returns a SolverStatus. */
export function fcdIterate(st: usize, steps: i32): i32 {
  const s = changetype<FcdState>(st);
  const n = s.n, op = s.op, pc = s.pc;
  const x = s.x, r = s.r, z = s.z, b = s.b;
  const k = s.k, dring = s.dring;
  const nnull = s.nnull, pnull = s.pnull;
  const slots = k + 1;
  let done = 0;
  for (;;) {
    let phase = s.phase;
    const flags = s.flags;
    const head = s.head;
    const q = slot(s, n, head), aq = q + (<usize>n << 3);
    if (phase == PH_PRECOND) {
      phase = PH_ORTHOGONALISE;
      if (flags & SolverFlag.PC_CALLER) return request(s, SolverStatus.NEED_PRECOND, r, z, phase);
      if (pc) pcApply(pc, r, z);
      else dcopy(n, r, z);
    }
    if (phase == PH_ORTHOGONALISE) {
      dcopy(n, z, q);
      if (nnull > 0) project(n, nnull, pnull, q);
      const count = s.count;
      // Newest first: slots head−1, head−2, … (mod k + 1).
      for (let i = 1; i <= count; i++) {
        const j = (head - i + slots) % slots;
        const pj = slot(s, n, j), apj = pj + (<usize>n << 3);
        const c = ddot(n, q, apj) / load<f64>(dring + (<usize>j << 3));
        daxpy(n, -c, pj, q);
      }
      phase = PH_PRODUCT;
    }
    if (phase == PH_PRODUCT || phase == PH_CURVATURE) {
      const status = productPhase(s, phase, q, aq);
      if (status >= 0) return status;
      phase = PH_UPDATE;
    }
    let rr = 0.0;
    if (phase == PH_UPDATE) {
      const d = s.curvature;
      if (!isFinite(d)) return stop(s, PH_UPDATE, SolverStatus.NONFINITE);
      if (!(d > 0.0)) return stop(s, PH_UPDATE, SolverStatus.BREAKDOWN);
      const alpha = ddot(n, q, r) / d;
      rr = cgStep(n, alpha, q, aq, x, r);
      store<f64>(dring + (<usize>head << 3), d);
      s.head = (head + 1) % slots;
      s.count = min(s.count + 1, k);
      if (flags & SolverFlag.TRUE_RESIDUAL) {
        if (!op) return request(s, SolverStatus.NEED_MATVEC, x, s.ax, PH_TRUE_RESIDUAL);
        opApplyAll(op, x, s.ax);
        phase = PH_TRUE_RESIDUAL;
      }
    }
    if (phase == PH_TRUE_RESIDUAL) {
      dcopy(n, s.ax, r);
      rr = residualFrom(n, b, r);
    }
    const status = endIteration(s, projectedResidual(s, rr, r), r, ++done, steps);
    if (status >= 0) return status;
  }
  return SolverStatus.RUNNING; // not reached
}
