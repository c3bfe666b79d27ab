// Flexible conjugate directions (Notay's FCG(k); the loop of DCDM, Kaneda et al. 2023):
// each new direction is the preconditioned residual, A-orthogonalised against the last k
// directions by modified Gram–Schmidt, followed by an exact line search. It needs neither
// a symmetric nor a linear preconditioner. Directions live in a ring of k + 1 slots of
// (p, A·p) with pᵀA·p kept beside them.
import { daxpy, dcopy, ddot } from "../blas/level1";
import { opApply, opApplyDot } from "../operators/apply";
import { pcApply } from "./precond";
import {
  BREAKDOWN, CONVERGED, F_PC_CALLER, F_TRUE_RESIDUAL, MAXITER, NEED_MATVEC, NEED_PRECOND, NONFINITE, RUNNING,
  S_B, S_DST, S_FLAGS, S_ITER, S_MAXITER, S_N, S_NNULL, S_OP, S_PC, S_PHASE, S_PNULL, S_R, S_SRC, S_TOL, S_X, S_Z,
  normFrom, recordIteration,
} from "./state";
import { cgStep, project, residualFrom } from "../blas/fused";

// FCD fields after the common ones (bindings/krylov/driver.ts writes them).
const S_K = 96; // i32: directions kept for orthogonalisation
const S_COUNT = 100; // i32: filled slots (≤ k)
const S_HEAD = 104; // i32: the slot the next direction goes into
const S_RING = 108; // slots: slot j holds p at RING + 2jn·8 and A·p right after it
const S_DRING = 112; // f64 per slot: pᵀA·p
const S_AX = 116; // scratch for the true residual's A·x
const S_DQ = 120; // f64: qᵀA·q of the new direction

const PH_PRECOND = 0;
const PH_ORTHOGONALISE = 1;
const PH_PRODUCT = 2;
const PH_CURVATURE = 3;
const PH_UPDATE = 4;
const PH_TRUE_RESIDUAL = 5; // after the caller's A·x

// @ts-ignore: decorator
@inline function slot(st: usize, n: i32, j: i32): usize {
  return load<usize>(st, S_RING) + ((<usize>j * 2 * <usize>n) << 3);
}

/** Runs up to `steps` FCD iterations from the state at `st`; returns a status (state.ts). */
export function fcdIterate(st: usize, steps: i32): i32 {
  const n = load<i32>(st, S_N);
  const op = load<usize>(st, S_OP), pc = load<usize>(st, S_PC);
  const x = load<usize>(st, S_X), r = load<usize>(st, S_R), z = load<usize>(st, S_Z), b = load<usize>(st, S_B);
  const k = load<i32>(st, S_K), dring = load<usize>(st, S_DRING);
  const nnull = load<i32>(st, S_NNULL), pnull = load<usize>(st, S_PNULL);
  const slots = k + 1;
  let done = 0;
  for (;;) {
    let phase = load<i32>(st, S_PHASE);
    const flags = load<i32>(st, S_FLAGS);
    const head = load<i32>(st, S_HEAD);
    const q = slot(st, n, head), aq = q + (<usize>n << 3);
    if (phase == PH_PRECOND) {
      phase = PH_ORTHOGONALISE;
      if (!pc && !(flags & F_PC_CALLER)) {
        dcopy(n, r, z);
      } else if (flags & F_PC_CALLER) {
        store<usize>(st, r, S_SRC);
        store<usize>(st, z, S_DST);
        store<i32>(st, phase, S_PHASE);
        return NEED_PRECOND;
      } else {
        pcApply(pc, r, z);
      }
    }
    if (phase == PH_ORTHOGONALISE) {
      dcopy(n, z, q);
      if (nnull > 0) project(n, nnull, pnull, q);
      const count = load<i32>(st, S_COUNT);
      // Newest first: slots head−1, head−2, … (mod k + 1).
      for (let i = 1; i <= count; i++) {
        const j = (head - i + slots) % slots;
        const pj = slot(st, n, j), apj = pj + (<usize>n << 3);
        const c = ddot(n, q, apj) / load<f64>(dring + (<usize>j << 3));
        daxpy(n, -c, pj, q);
      }
      phase = PH_PRODUCT;
    }
    if (phase == PH_PRODUCT) {
      if (!op) {
        store<usize>(st, q, S_SRC);
        store<usize>(st, aq, S_DST);
        store<i32>(st, PH_CURVATURE, S_PHASE);
        return NEED_MATVEC;
      }
      store<f64>(st, opApplyDot(op, q, aq), S_DQ);
      phase = PH_UPDATE;
    }
    if (phase == PH_CURVATURE) {
      store<f64>(st, ddot(n, q, aq), S_DQ);
      phase = PH_UPDATE;
    }
    let rr = 0.0;
    if (phase == PH_UPDATE) {
      const d = load<f64>(st, S_DQ);
      if (!isFinite(d)) return stop(st, PH_UPDATE, NONFINITE);
      if (!(d > 0.0)) return stop(st, PH_UPDATE, BREAKDOWN);
      const alpha = ddot(n, q, r) / d;
      rr = cgStep(n, alpha, q, aq, x, r);
      store<f64>(dring + (<usize>head << 3), d);
      store<i32>(st, (head + 1) % slots, S_HEAD);
      store<i32>(st, min(load<i32>(st, S_COUNT) + 1, k), S_COUNT);
      if (flags & F_TRUE_RESIDUAL) {
        const ax = load<usize>(st, S_AX);
        if (!op) {
          store<usize>(st, x, S_SRC);
          store<usize>(st, ax, S_DST);
          store<i32>(st, PH_TRUE_RESIDUAL, S_PHASE);
          return NEED_MATVEC;
        }
        opApply(op, 0, load<i32>(op, 16), x, ax);
        phase = PH_TRUE_RESIDUAL;
      }
    }
    if (phase == PH_TRUE_RESIDUAL) {
      dcopy(n, load<usize>(st, S_AX), r);
      rr = residualFrom(n, b, r);
    }
    if (nnull > 0) {
      project(n, nnull, pnull, r);
      rr = ddot(n, r, r);
    }
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
