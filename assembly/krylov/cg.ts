// Preconditioned conjugate gradients (Hestenes–Stiefel) as a resumable state machine.
// Per iteration, two passes over memory for solvewasm operators: p = z + β·p fused with
// q = A·p and pᵀq; then x += α·p, r −= α·q with ‖r‖². Plus the preconditioner and rᵀz
// (which is ‖r‖², already summed, without one).
import { ddot, dcopy } from "../blas/level1";
import { opApplyDot, opUpdateApplyDot } from "../operators/apply";
import { pcApply } from "./precond";
import {
  BREAKDOWN, CONVERGED, F_PC_CALLER, F_RESTART, MAXITER, NEED_MATVEC, NEED_PRECOND, NONFINITE, RUNNING,
  S_DST, S_FLAGS, S_ITER, S_MAXITER, S_N, S_NNULL, S_OP, S_PC, S_PHASE, S_PNULL, S_R, S_SRC, S_TOL, S_X, S_Z,
  normFrom, recordIteration,
} from "./state";
import { cgStep, project, xpby } from "../blas/fused";

// CG fields after the common ones (bindings/krylov/driver.ts writes them).
const S_P = 96;
const S_Q = 100;
const S_RZ = 104; // f64: rᵀz of the current direction
const S_PQ = 112; // f64: pᵀA·p
const S_RR = 120; // f64: ‖r‖² from the last update (rᵀz itself when there is no preconditioner)

const PH_PRECOND = 0;
const PH_DIRECTION = 1;
const PH_PRODUCT = 2;
const PH_CURVATURE = 3; // after the caller's product: pᵀq still to compute
const PH_UPDATE = 4;

/** Runs up to `steps` CG iterations from the state at `st`; returns a status (state.ts). */
export function cgIterate(st: usize, steps: i32): i32 {
  const n = load<i32>(st, S_N);
  const op = load<usize>(st, S_OP), pc = load<usize>(st, S_PC);
  const x = load<usize>(st, S_X), r = load<usize>(st, S_R), z = load<usize>(st, S_Z);
  const p = load<usize>(st, S_P), q = load<usize>(st, S_Q);
  const nnull = load<i32>(st, S_NNULL), pnull = load<usize>(st, S_PNULL);
  let done = 0;
  for (;;) {
    let phase = load<i32>(st, S_PHASE);
    const flags = load<i32>(st, S_FLAGS);
    if (phase == PH_PRECOND) {
      phase = PH_DIRECTION;
      if (z != r) {
        if (flags & F_PC_CALLER) {
          store<usize>(st, r, S_SRC);
          store<usize>(st, z, S_DST);
          store<i32>(st, phase, S_PHASE);
          return NEED_PRECOND;
        }
        pcApply(pc, r, z);
      }
    }
    if (phase == PH_DIRECTION) {
      if (nnull > 0 && z != r) project(n, nnull, pnull, z);
      // Without a preconditioner rᵀz = ‖r‖², which the update already summed: skip a pass
      // (except after a restart from a recomputed residual).
      const rz = z == r && !(flags & F_RESTART) ? load<f64>(st, S_RR) : ddot(n, r, z);
      if (!isFinite(rz)) return stop(st, PH_DIRECTION, NONFINITE);
      if (!(rz > 0.0)) return stop(st, PH_DIRECTION, BREAKDOWN);
      const beta = rz / load<f64>(st, S_RZ);
      store<f64>(st, rz, S_RZ);
      if (flags & F_RESTART) {
        dcopy(n, z, p);
        store<i32>(st, flags & ~F_RESTART, S_FLAGS);
        phase = PH_PRODUCT;
      } else if (op) {
        // p = z + β·p fused into the product's pass.
        store<f64>(st, opUpdateApplyDot(op, beta, z, p, q), S_PQ);
        phase = PH_UPDATE;
      } else {
        xpby(n, beta, z, p);
        phase = PH_PRODUCT;
      }
    }
    if (phase == PH_PRODUCT) {
      if (!op) {
        store<usize>(st, p, S_SRC);
        store<usize>(st, q, S_DST);
        store<i32>(st, PH_CURVATURE, S_PHASE);
        return NEED_MATVEC;
      }
      store<f64>(st, opApplyDot(op, p, q), S_PQ);
      phase = PH_UPDATE;
    }
    if (phase == PH_CURVATURE) {
      store<f64>(st, ddot(n, p, q), S_PQ);
      phase = PH_UPDATE;
    }
    // PH_UPDATE
    const pq = load<f64>(st, S_PQ);
    if (!isFinite(pq)) return stop(st, PH_UPDATE, NONFINITE);
    if (!(pq > 0.0)) return stop(st, PH_UPDATE, BREAKDOWN);
    let rr = cgStep(n, load<f64>(st, S_RZ) / pq, p, q, x, r);
    if (nnull > 0) {
      project(n, nnull, pnull, r);
      rr = ddot(n, r, r);
    }
    store<f64>(st, rr, S_RR);
    const rnorm = normFrom(rr, n, r);
    recordIteration(st, rnorm);
    store<i32>(st, PH_PRECOND, S_PHASE);
    if (!isFinite(rnorm)) return NONFINITE;
    if (rnorm <= load<f64>(st, S_TOL)) return CONVERGED;
    if (load<i32>(st, S_ITER) >= load<i32>(st, S_MAXITER)) return MAXITER;
    if (++done >= steps) return RUNNING;
  }
  return RUNNING; // not reached
}

// @ts-ignore: decorator
@inline function stop(st: usize, phase: i32, status: i32): i32 {
  store<i32>(st, phase, S_PHASE);
  return status;
}
