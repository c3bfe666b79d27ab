// Small dense linear algebra for the regressions (K ≤ a few hundred): Cholesky with a
// ridge that grows until the factorisation succeeds, and triangular solves.

/** Lower Cholesky factor (row-major n×n) of the symmetric matrix A (row-major; only the
 * lower triangle is read), or undefined when a pivot is not positive. */
export function cholesky(A: ArrayLike<number>, n: number, _name = "matrix", ridge = 0): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j] + ridge;
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) return undefined;
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / d;
    }
  }
  return L;
}

/** Solves L Lᵀ X = B in place for R right-hand sides (B is n×R row-major). */
export function cholSolve(L: Float64Array, n: number, B: Float64Array, R: number): void {
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

/**
 * Solves the normal equations G c = b (G symmetric positive semi-definite, K×K from its upper
 * triangle; b is K×R) after scaling G to unit diagonal. A pivot that is not positive
 * relative to 1e-13 triggers a ridge λ (on the scaled matrix) starting at 1e-12 and
 * growing ×100; with no ridge, one step of iterative refinement follows.
 * Returns the coefficients and the ridge used (0 when none was needed).
 */
export function solveNormal(G: Float64Array, K: number, b: Float64Array, R: number): { coef: Float64Array; ridge: number } {
  const S = new Float64Array(K * K);
  const scale = new Float64Array(K);
  for (let i = 0; i < K; i++) scale[i] = G[i * K + i] > 0 ? 1 / Math.sqrt(G[i * K + i]) : 0;
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      const v = G[i * K + j] * scale[i] * scale[j];
      S[i * K + j] = v;
      S[j * K + i] = v;
    }
    if (scale[i] === 0) S[i * K + i] = 0;
  }
  const rhs = new Float64Array(K * R);
  for (let i = 0; i < K; i++) for (let r = 0; r < R; r++) rhs[i * R + r] = b[i * R + r] * scale[i];
  let ridge = 0;
  let L = pivotsOk(S, K) ? cholesky(S, K) : undefined;
  for (let lambda = 1e-12; !L && lambda <= 1e4; lambda *= 100) {
    ridge = lambda;
    L = cholesky(S, K, "G", lambda);
  }
  const c = rhs.slice();
  if (!L) {
    c.fill(0); // unreachable for a finite G: λ = 1e4 dominates a unit-diagonal matrix
    return { coef: c, ridge: Infinity };
  }
  cholSolve(L, K, c, R);
  if (ridge === 0) {
    const res = rhs.slice();
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < R; r++) res[i * R + r] -= S[i * K + j] * c[j * R + r];
    cholSolve(L, K, res, R);
    for (let i = 0; i < K * R; i++) c[i] += res[i];
  }
  for (let i = 0; i < K; i++) for (let r = 0; r < R; r++) c[i * R + r] *= scale[i];
  return { coef: c, ridge };
}

/** False when the Cholesky pivots of the unit-diagonal S fall below 1e-13 (numerically singular). */
function pivotsOk(S: Float64Array, K: number): boolean {
  const L = cholesky(S, K);
  if (!L) return false;
  for (let i = 0; i < K; i++) if (L[i * K + i] * L[i * K + i] < 1e-13) return false;
  return true;
}
