// Extreme eigenvalue estimates of a symmetric operator by a few Lanczos steps (without
// reorthogonalisation: the extreme Ritz values converge first and are all we need). Used
// by the Chebyshev preconditioner (λmin, λmax of A) and AMG setup (ρ(D⁻¹A)).

/** Smallest and largest Ritz values after `steps` Lanczos steps of y = apply(x) on
 * n-vectors, from a fixed start vector with every eigencomponent likely present. */
export function lanczosExtremes(apply: (x: Float64Array) => Float64Array, n: number, steps: number): { min: number; max: number } {
  const v = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
  }
  const norm = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
  for (let i = 0; i < n; i++) v[i] /= norm;
  const alpha: number[] = [],
    beta: number[] = [];
  let prev = new Float64Array(n);
  let vj = v;
  let b = 0;
  for (let j = 0; j < Math.min(steps, n); j++) {
    const w = Float64Array.from(apply(vj));
    let a = 0;
    for (let i = 0; i < n; i++) a += vj[i] * w[i];
    for (let i = 0; i < n; i++) w[i] -= a * vj[i] + b * prev[i];
    alpha.push(a);
    b = Math.sqrt(w.reduce((acc, x) => acc + x * x, 0));
    if (!(b > 1e-14 * Math.abs(a)) || j === Math.min(steps, n) - 1) break;
    beta.push(b);
    prev = vj;
    vj = w.map((x) => x / b);
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
