// Shared layout and status codes of the solver state machines (cg.ts, fcd.ts). A solve
// runs in chunks: `…Iterate(state, steps)` returns after `steps` iterations, at
// convergence or on a request the caller must serve (reverse communication: the caller
// applies an operator or preconditioner that lives in JavaScript, then calls again).
// bindings/krylov/driver.ts mirrors these numbers.

// Status codes returned by the iterate functions.
export const RUNNING = 0; // `steps` iterations done
export const CONVERGED = 1; // the recursive residual norm reached the tolerance
export const BREAKDOWN = 2; // a curvature pᵀAp ≤ 0 or a preconditioned rᵀz ≤ 0
export const MAXITER = 3;
export const NONFINITE = 4; // a NaN or ±Inf appeared (operator or preconditioner output)
export const NEED_MATVEC = 10; // caller: dst ← A·src, then iterate again
export const NEED_PRECOND = 11; // caller: dst ← M⁻¹·src, then iterate again

// Common fields (byte offsets into the state block).
export const S_N = 0; // i32
export const S_OP = 4; // operator descriptor, 0 when the caller applies A
export const S_PC = 8; // preconditioner descriptor, 0 for none
export const S_PHASE = 12; // i32: where to resume
export const S_ITER = 16; // i32: iterations so far
export const S_MAXITER = 20; // i32
export const S_FLAGS = 24; // i32: F_* below
export const S_HIST = 28; // residual norms of this chunk (0: not kept)
export const S_HISTCOUNT = 32; // i32
export const S_NNULL = 36; // i32: null-space vectors
export const S_PNULL = 40; // orthonormal null-space vectors, one after another
export const S_SRC = 44; // request: source vector
export const S_DST = 48; // request: destination vector
export const S_X = 52;
export const S_R = 56;
export const S_Z = 60;
export const S_B = 64;
export const S_TOL = 72; // f64: absolute tolerance on ‖r‖
export const S_RNORM = 80; // f64: the current (recursive) ‖r‖
// Method-specific fields follow from byte 96; a state block is 192 bytes.
export const STATE_BYTES: i32 = 192;

export const F_PC_CALLER = 1; // the caller applies M⁻¹ (NEED_PRECOND)
export const F_RESTART = 2; // the next direction is the preconditioned residual itself
export const F_TRUE_RESIDUAL = 4; // recompute r = b − A·x every iteration (FCD)

/** Records ‖r‖ in the chunk history (if kept) and counts the iteration. */
// @ts-ignore: decorator
@inline export function recordIteration(st: usize, rnorm: f64): void {
  store<f64>(st, rnorm, S_RNORM);
  store<i32>(st, load<i32>(st, S_ITER) + 1, S_ITER);
  const hist = load<usize>(st, S_HIST);
  if (hist) {
    const c = load<i32>(st, S_HISTCOUNT);
    store<f64>(hist + (<usize>c << 3), rnorm);
    store<i32>(st, c + 1, S_HISTCOUNT);
  }
}

/** Norm from a squared norm, falling back to the scaled dnrm2 when the square overflowed. */
// @ts-ignore: decorator
@inline export function normFrom(rr: f64, n: i32, pr: usize): f64 {
  return rr < Infinity ? Math.sqrt(rr) : dnrm2(n, pr);
}

import { dnrm2 } from "../blas/level1";
