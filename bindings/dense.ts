// Small dense SPD systems (coarsest multigrid levels, the tuner's moment matrices, xVA's
// correlation factor and regressions): the one Cholesky factorisation and its solve, on
// row-major arrays.
import { SolvewasmError } from "./errors.js";

/** The lower Cholesky factor L (row-major n × n, L·Lᵀ = A + ridge·I) of the symmetric n × n
 * matrix A (row-major; only the lower triangle is read), or undefined when a pivot is not
 * positive (A + ridge·I is not positive definite, or has a NaN): callers with a fallback
 * (xVA's QR) test for it, the others take `choleskyFactor`. Column by column: pivot j is
 * A[j][j] + ridge − Σₖ L[j][k]², then L[i][j] = (A[i][j] − Σₖ L[i][k]·L[j][k]) / L[j][j]. */
export function tryCholesky(a: ArrayLike<number>, n: number, ridge = 0): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j] + ridge;
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) return undefined;
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / d;
    }
  }
  return L;
}

/** `tryCholesky` (no ridge) that throws INVALID_MATRIX with `what` instead of returning undefined. */
export function choleskyFactor(a: ArrayLike<number>, n: number, what = "the matrix is not positive definite"): Float64Array {
  const L = tryCholesky(a, n);
  if (!L) throw new SolvewasmError("INVALID_MATRIX", what);
  return L;
}

/** Solves L·Lᵀ·X = B in place for a factor L from `tryCholesky` and R right-hand sides
 * (B is n × R, row-major). */
export function choleskySolveInPlace(L: Float64Array, n: number, B: Float64Array, R = 1): void {
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < n; i++) {
      let s = B[i * R + r];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * B[k * R + r];
      B[i * R + r] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = B[i * R + r];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * B[k * R + r];
      B[i * R + r] = s / L[i * n + i];
    }
  }
}

/** Solves L·Lᵀ·x = b for a factor from `choleskyFactor` (a new array). */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[i];
  choleskySolveInPlace(L, n, x);
  return x;
}
