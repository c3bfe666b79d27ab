// Algebraic multigrid cycles over CSR levels (the hierarchy comes from bindings/multigrid/
// amg.ts: smoothed aggregation). Header (32 bytes):
//   0 levels  4 level records  8 coarse Cholesky factor (dense, row-major)  12 coarse size
//   16 pre  20 post
// Level record (32 bytes): 0 A (operator descriptor, CSR)  4 P (CSR, n × n_coarse)
//   8 R = Pᵀ (CSR)  12 diag(A)  16 x  20 b  24 r  28 scratch (n)
// Smoothing is symmetric Gauss–Seidel (a forward then a backward sweep) before and after
// the coarse correction, so the V-cycle is symmetric (a valid CG preconditioner).
import { opApply } from "../operators/apply";
import { denseCholeskySolve } from "./dense";
import { residualFrom } from "../blas/fused";
import { daxpy } from "../blas/level1";

const LEVEL_BYTES: usize = 32;

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** One Gauss–Seidel sweep (forward or backward) on a CSR matrix described at `op`. */
export function gsCsr(op: usize, pdiag: usize, pb: usize, px: usize, forward: bool): void {
  const n = load<i32>(op, 16);
  const pptr = load<usize>(op, 24), pidx = load<usize>(op, 28), pval = load<usize>(op, 32);
  for (let t = 0; t < n; t++) {
    const i = forward ? t : n - 1 - t;
    let s = ld(pb, i);
    for (let k = ldi(pptr, i), e = ldi(pptr, i + 1); k < e; k++) {
      const j = ldi(pidx, k);
      if (j != i) s -= ld(pval, k) * ld(px, j);
    }
    store<f64>(px + (<usize>i << 3), s / ld(pdiag, i));
  }
}

function coarseSolve(h: usize, pb: usize, px: usize): void {
  denseCholeskySolve(load<usize>(h, 8), load<i32>(h, 12), pb, px);
}

/** One V-cycle on level l for A_l·x = b (x holds the initial guess). */
export function amgCycle(h: usize, l: i32, pb: usize, px: usize): void {
  const levels = load<i32>(h);
  if (l == levels - 1) {
    coarseSolve(h, pb, px);
    return;
  }
  const rec = load<usize>(h, 4) + <usize>l * LEVEL_BYTES;
  const next = rec + LEVEL_BYTES;
  const A = load<usize>(rec), P = load<usize>(rec, 4), R = load<usize>(rec, 8), diag = load<usize>(rec, 12);
  const pr = load<usize>(rec, 24), tmp = load<usize>(rec, 28);
  const xc = load<usize>(next, 16), bc = load<usize>(next, 20);
  const n = load<i32>(A, 16), nc = load<i32>(R, 16);
  const pre = load<i32>(h, 16), post = load<i32>(h, 20);
  // Symmetric Gauss–Seidel (forward then backward), as PyAMG's default smoother.
  for (let s = 0; s < pre; s++) {
    gsCsr(A, diag, pb, px, true);
    gsCsr(A, diag, pb, px, false);
  }
  opApply(A, 0, n, px, pr);
  residualFrom(n, pb, pr);
  opApply(R, 0, nc, pr, bc);
  memory.fill(xc, 0, (<usize>nc) << 3);
  amgCycle(h, l + 1, bc, xc);
  opApply(P, 0, n, xc, tmp);
  daxpy(n, 1.0, tmp, px);
  for (let s = 0; s < post; s++) {
    gsCsr(A, diag, pb, px, true);
    gsCsr(A, diag, pb, px, false);
  }
}

/** Up to `cycles` V-cycles from x, stopping once ‖b − A·x‖ ≤ tol (r: n f64 scratch);
 * residual norms to `phist` (if not 0), the last to `pout`; returns the cycles done. */
export function amgSolve(h: usize, pb: usize, px: usize, pr: usize, tol: f64, cycles: i32, phist: usize, pout: usize): i32 {
  const A = load<usize>(load<usize>(h, 4));
  const n = load<i32>(A, 16);
  let done = 0;
  let rnorm = 0.0;
  while (done < cycles) {
    amgCycle(h, 0, pb, px);
    opApply(A, 0, n, px, pr);
    rnorm = Math.sqrt(residualFrom(n, pb, pr));
    if (phist) store<f64>(phist + (<usize>done << 3), rnorm);
    done++;
    if (!(rnorm > tol)) break;
  }
  store<f64>(pout, rnorm);
  return done;
}
