// Small dense linear algebra for the regressions (K ≤ a few hundred): scaled normal
// equations on the Cholesky factorisation of ../dense.ts (optionally of A + ridge·I), and
// pivoted Householder QR for when it fails.
import { choleskySolveInPlace, tryCholesky } from "../dense.js";

/**
 * Solves the normal equations G c = b (G symmetric positive semi-definite, K×K from its upper
 * triangle; b is K×R) after scaling G to unit diagonal, with one step of iterative
 * refinement. With `ridge` > 0, solves (S + ridge·I) instead (S the scaled G). Returns
 * undefined when a Cholesky pivot of the scaled matrix falls below 1e-13 (numerically
 * singular: the caller falls back to QR).
 */
export function solveNormal(G: Float64Array, K: number, b: Float64Array, R: number, ridge = 0): Float64Array | undefined {
  const S = new Float64Array(K * K);
  const scale = new Float64Array(K);
  for (let i = 0; i < K; i++) scale[i] = G[i * K + i] > 0 ? 1 / Math.sqrt(G[i * K + i]) : 0;
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      const v = G[i * K + j] * scale[i] * scale[j];
      S[i * K + j] = v;
      S[j * K + i] = v;
    }
  }
  const rhs = new Float64Array(K * R);
  for (let i = 0; i < K; i++) for (let r = 0; r < R; r++) rhs[i * R + r] = b[i * R + r] * scale[i];
  const L = tryCholesky(S, K, ridge);
  if (!L) return undefined;
  if (ridge === 0) for (let i = 0; i < K; i++) if (L[i * K + i] * L[i * K + i] < 1e-13) return undefined;
  const c = rhs.slice();
  choleskySolveInPlace(L, K, c, R);
  if (ridge === 0) {
    const res = rhs.slice();
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let r = 0; r < R; r++) res[i * R + r] -= S[i * K + j] * c[j * R + r];
    choleskySolveInPlace(L, K, res, R);
    for (let i = 0; i < K * R; i++) c[i] += res[i];
  }
  for (let i = 0; i < K; i++) for (let r = 0; r < R; r++) c[i * R + r] *= scale[i];
  return c;
}

/**
 * Least squares min ‖A c − B‖ by Householder QR with column pivoting on the columns A[k]
 * (each scaled to unit norm first). Columns whose pivot falls below `tol` times the first
 * are dependent on the others: they get coefficient 0 (a basic least-squares solution).
 * A and B are overwritten. Returns the coefficients (K×R row-major) and the rank.
 */
export function qrLeastSquares(A: Float64Array[], B: Float64Array[], tol = 1e-10): { coef: Float64Array; rank: number } {
  const K = A.length,
    R = B.length,
    M = A[0]?.length ?? 0;
  const colScale = A.map((a) => {
    let s = 0;
    for (let i = 0; i < M; i++) s += a[i] * a[i];
    const n = Math.sqrt(s);
    if (n > 0) for (let i = 0; i < M; i++) a[i] /= n;
    return n > 0 ? 1 / n : 0;
  });
  const perm = Array.from({ length: K }, (_, k) => k);
  const norms = A.map((a) => a.reduce((s, v) => s + v * v, 0));
  const diag = new Float64Array(K);
  let rank = 0,
    first = 0;
  for (let j = 0; j < K && j < M; j++) {
    let p = j;
    for (let k = j + 1; k < K; k++) if (norms[k] > norms[p]) p = k;
    [A[j], A[p]] = [A[p], A[j]];
    [perm[j], perm[p]] = [perm[p], perm[j]];
    [norms[j], norms[p]] = [norms[p], norms[j]];
    const a = A[j];
    let s = 0;
    for (let i = j; i < M; i++) s += a[i] * a[i];
    const n = Math.sqrt(s);
    if (j === 0) first = n;
    if (!(n > tol * first)) break;
    const alpha = a[j] > 0 ? -n : n;
    a[j] -= alpha; // v = a[j:] − alpha·e_j, H = I − 2vvᵀ/(vᵀv)
    const vv = s - 2 * alpha * (a[j] + alpha) + alpha * alpha;
    const apply = (x: Float64Array) => {
      let d = 0;
      for (let i = j; i < M; i++) d += a[i] * x[i];
      const f = (2 * d) / vv;
      for (let i = j; i < M; i++) x[i] -= f * a[i];
    };
    for (let k = j + 1; k < K; k++) {
      apply(A[k]);
      norms[k] -= A[k][j] * A[k][j];
    }
    for (const b of B) apply(b);
    diag[j] = alpha;
    rank = j + 1;
  }
  // Back substitution on the leading rank×rank block: R[i][k] = A[k][i] (i < k), R[i][i] = diag[i].
  const coef = new Float64Array(K * R);
  for (let r = 0; r < R; r++) {
    const c = new Float64Array(rank);
    for (let i = rank - 1; i >= 0; i--) {
      let t = B[r][i];
      for (let k = i + 1; k < rank; k++) t -= A[k][i] * c[k];
      c[i] = t / diag[i];
    }
    for (let i = 0; i < rank; i++) coef[perm[i] * R + r] = c[i] * colScale[perm[i]];
  }
  return { coef, rank };
}
