// Extreme eigenvalue estimates of a symmetric operator by a few Lanczos steps (without
// reorthogonalisation: the extreme Ritz values converge first and are all we need). Used
// by the Chebyshev preconditioner (λmin, λmax of A) and AMG setup (ρ(D⁻¹A)).

/** A start vector with every eigencomponent likely present: pseudo-random in [−½, ½). */
function randomStart(n: number): Float64Array {
  const v = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
  }
  return v;
}

/**
 * Smallest and largest Ritz values after `steps` Lanczos steps of w = A·v on n-vectors.
 * `apply(v, w)` writes A·v into w (both n long, reused every step); `start` is the start
 * vector (default pseudo-random; it is normalised here).
 */
export function lanczosExtremes(
  apply: (v: Float64Array, w: Float64Array) => void,
  n: number,
  steps: number,
  start: Float64Array = randomStart(n),
): { min: number; max: number } {
  let v = Float64Array.from(start);
  let w = new Float64Array(n);
  let prev = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) v[i] /= norm;
  const alpha: number[] = [];
  const beta: number[] = [];
  let b = 0;
  for (let j = 0; j < Math.min(steps, n); j++) {
    apply(v, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += v[i] * w[i];
    let bb = 0;
    for (let i = 0; i < n; i++) {
      w[i] -= a * v[i] + b * prev[i];
      bb += w[i] * w[i];
    }
    alpha.push(a);
    b = Math.sqrt(bb);
    if (!(b > 1e-14 * Math.abs(a)) || j === Math.min(steps, n) - 1) break;
    beta.push(b);
    // Rotate the three vectors: prev ← v, v ← w / b, and w is free again.
    const free = prev;
    prev = v;
    v = w;
    for (let i = 0; i < n; i++) v[i] /= b;
    w = free;
  }
  return tridiagonalExtremes(alpha, beta);
}

/** Extreme eigenvalues of the symmetric tridiagonal matrix (diagonal α, off-diagonal β)
 * by bisection on Sturm sequence counts. */
export function tridiagonalExtremes(alpha: number[], beta: number[]): { min: number; max: number } {
  const m = alpha.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < m - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - r);
    hi = Math.max(hi, alpha[i] + r);
  }
  /** Number of eigenvalues below x. */
  const below = (x: number) => {
    let c = 0,
      d = 1;
    for (let i = 0; i < m; i++) {
      d = alpha[i] - x - (i > 0 ? (beta[i - 1] * beta[i - 1]) / d : 0);
      if (d === 0) d = -1e-300;
      if (d < 0) c++;
    }
    return c;
  };
  const kth = (k: number) => {
    let a = lo,
      b = hi;
    for (let it = 0; it < 200 && b - a > 1e-14 * Math.max(Math.abs(a), Math.abs(b)); it++) {
      const mid = (a + b) / 2;
      if (below(mid) > k) b = mid;
      else a = mid;
    }
    return (a + b) / 2;
  };
  return { min: kth(0), max: kth(m - 1) };
}
