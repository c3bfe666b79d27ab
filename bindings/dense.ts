// Small dense SPD systems (coarsest multigrid levels, per-arm regressions): Cholesky
// factor and solve on row-major arrays.
import { SolvewasmError } from "./errors.js";

/** The lower Cholesky factor of an n × n SPD matrix (row-major), or INVALID_MATRIX with `what`. */
export function choleskyFactor(a: ArrayLike<number>, n: number, what = "the matrix is not positive definite"): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new SolvewasmError("INVALID_MATRIX", what);
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  return L;
}

/** Solves L·Lᵀ·x = b for a factor from `choleskyFactor`. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
    y[i] = s / L[i * n + i];
  }
  return y;
}
