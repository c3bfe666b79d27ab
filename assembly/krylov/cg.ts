// Preconditioned conjugate gradients (Hestenes–Stiefel) as a resumable state machine.
// Per iteration, two passes over memory for solvewasm operators: p = z + β·p fused with
// q = A·p and pᵀq; then x += α·p, r −= α·q with ‖r‖². Plus the preconditioner and rᵀz
// (which is ‖r‖², already summed, without one).
import { ddot, dcopy } from "../blas/level1";
import { cgStep, project, xpby } from "../blas/fused";
import { opUpdateApplyDot } from "../operators/apply";
import { CgState, SolverFlag, SolverStatus } from "../generated/layouts";
import { pcApply } from "./precond";
import { endIteration, PH_CURVATURE, PH_PRECOND, PH_PRODUCT, productPhase, projectedResidual, request, stop } from "./state";

// 0: PH_PRECOND (state.ts)
const PH_DIRECTION = 1;
// 2, 3: PH_PRODUCT, PH_CURVATURE (state.ts)
const PH_UPDATE = 4;

/** Runs up to `steps` CG iterations from the state at `st`; returns a SolverStatus. */
export function cgIterate(st: usize, steps: i32): i32 {
  const s = changetype<CgState>(st);
  const n = s.n, op = s.op, pc = s.pc;
  const x = s.x, r = s.r, z = s.z, p = s.p, q = s.q;
  const nnull = s.nnull, pnull = s.pnull;
  let done = 0;
  for (;;) {
    let phase = s.phase;
    const flags = s.flags;
    if (phase == PH_PRECOND) {
      phase = PH_DIRECTION;
      if (z != r) {
        if (flags & SolverFlag.PC_CALLER) return request(s, SolverStatus.NEED_PRECOND, r, z, phase);
        pcApply(pc, r, z);
      }
    }
    if (phase == PH_DIRECTION) {
      if (nnull > 0 && z != r) project(n, nnull, pnull, z);
      // Without a preconditioner rᵀz = ‖r‖², which the update already summed: skip a pass
      // (except after a restart from a recomputed residual).
      const rz = z == r && !(flags & SolverFlag.RESTART) ? s.rr : ddot(n, r, z);
      if (!isFinite(rz)) return stop(s, PH_DIRECTION, SolverStatus.NONFINITE);
      if (!(rz > 0.0)) return stop(s, PH_DIRECTION, SolverStatus.BREAKDOWN);
      const beta = rz / s.rz;
      s.rz = rz;
      if (flags & SolverFlag.RESTART) {
        dcopy(n, z, p);
        s.flags = flags & ~SolverFlag.RESTART;
        phase = PH_PRODUCT;
      } else if (op) {
        // p = z + β·p fused into the product's pass.
        s.curvature = opUpdateApplyDot(op, beta, z, p, q);
        phase = PH_UPDATE;
      } else {
        xpby(n, beta, z, p);
        phase = PH_PRODUCT;
      }
    }
    if (phase == PH_PRODUCT || phase == PH_CURVATURE) {
      const status = productPhase(s, phase, p, q);
      if (status >= 0) return status;
      phase = PH_UPDATE;
    }
    // PH_UPDATE
    const pq = s.curvature;
    if (!isFinite(pq)) return stop(s, PH_UPDATE, SolverStatus.NONFINITE);
    if (!(pq > 0.0)) return stop(s, PH_UPDATE, SolverStatus.BREAKDOWN);
    const rr = projectedResidual(s, cgStep(n, s.rz / pq, p, q, x, r), r);
    s.rr = rr;
    const status = endIteration(s, rr, r, ++done, steps);
    if (status >= 0) return status;
  }
  return SolverStatus.RUNNING; // not reached
}
