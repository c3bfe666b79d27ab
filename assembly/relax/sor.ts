// Successive over-relaxation in natural (lexicographic) order on CSR matrices:
//   x_i ← (1 − ω)·x_i + ω·(b_i − Σ_{j≠i} a_ij·x_j) / a_ii,   i = 0 … n−1
// and, for SSOR, the same sweep again from i = n−1 down to 0. After each (symmetric) sweep
// the residual r = b − A·x is recomputed and its norm compared with the tolerance, as the
// Learning-to-Relax code does. Runs whole solves in wasm: one call per chunk of sweeps.
import { csrMatvec } from "../operators/csr";
import { residualFrom } from "../blas/fused";
import { ld, ldi } from "../blas/access";

// @ts-ignore: decorator
@inline function sweepRow(i: i32, pptr: usize, pidx: usize, pval: usize, pdiag: usize, omega: f64, pb: usize, px: usize, gauss: bool): void {
  let s = ld(pb, i);
  for (let k = ldi(pptr, i), e = ldi(pptr, i + 1); k < e; k++) {
    const j = ldi(pidx, k);
    if (j != i) s -= ld(pval, k) * ld(px, j);
  }
  const o = <usize>i << 3;
  const g = s / ld(pdiag, i);
  // Gauss–Seidel (ω = 1, multigrid's smoother) stores the Gauss–Seidel value itself.
  if (gauss) {
    store<f64>(px + o, g);
  } else {
    const x = load<f64>(px + o);
    store<f64>(px + o, x + omega * (g - x));
  }
}

/** One SOR sweep x_i ← x_i + ω·((b_i − Σ_{j≠i} a_ij·x_j) / a_ii − x_i) over the rows of
 * an n-row CSR matrix, from the first row (`forward`) or from the last; ω = 1 is
 * Gauss–Seidel (multigrid's symmetric Gauss–Seidel smoother runs one of each). */
export function sorSweepCsr(
  n: i32, pptr: usize, pidx: usize, pval: usize, pdiag: usize, omega: f64, pb: usize, px: usize, forward: bool,
): void {
  // Two instances of the loop, so that the row update has no per-row test of ω.
  if (omega == 1.0) sweep(n, pptr, pidx, pval, pdiag, omega, pb, px, forward, true);
  else sweep(n, pptr, pidx, pval, pdiag, omega, pb, px, forward, false);
}

// @ts-ignore: decorator
@inline function sweep(
  n: i32, pptr: usize, pidx: usize, pval: usize, pdiag: usize, omega: f64, pb: usize, px: usize, forward: bool, gauss: bool,
): void {
  if (forward) for (let i = 0; i < n; i++) sweepRow(i, pptr, pidx, pval, pdiag, omega, pb, px, gauss);
  else for (let i = n - 1; i >= 0; i--) sweepRow(i, pptr, pidx, pval, pdiag, omega, pb, px, gauss);
}

/**
 * Up to `sweeps` SOR (or SSOR when `symmetric`) sweeps on x for an n-row CSR matrix with
 * diagonal at pdiag, stopping once ‖b − A·x‖ ≤ tol, or once it passes `limit` or is NaN
 * (diverging: the caller reports it while x is still finite). r (n f64) receives the residual.
 * Returns the sweeps done; sweep k's residual norm is stored at phist[k] (`sweeps` f64).
 */
export function sorCsr(
  n: i32, pptr: usize, pidx: usize, pval: usize, pdiag: usize, omega: f64, symmetric: bool,
  pb: usize, px: usize, pr: usize, tol: f64, limit: f64, sweeps: i32, phist: usize,
): i32 {
  let done = 0;
  while (done < sweeps) {
    sorSweepCsr(n, pptr, pidx, pval, pdiag, omega, pb, px, true);
    if (symmetric) sorSweepCsr(n, pptr, pidx, pval, pdiag, omega, pb, px, false);
    csrMatvec(0, n, pptr, pidx, pval, px, pr);
    const rnorm = Math.sqrt(residualFrom(n, pb, pr));
    store<f64>(phist + (<usize>done << 3), rnorm);
    done++;
    if (!(rnorm > tol && rnorm <= limit)) break;
  }
  return done;
}
