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

/**
 * Ritz pairs of a symmetric operator from `steps` Lanczos steps with full
 * reorthogonalisation (classical Gram–Schmidt, twice): DCDM's data recipe
 * (src/datasetcreate.py) for operators whose eigenvectors are not known in closed form.
 * Returns the Lanczos basis Q (steps n-vectors) and the tridiagonal's eigenpairs (values
 * ascending, S row-major steps × steps, column j the coefficients of Ritz vector j in Q).
 * Stops early if the Krylov space is exhausted.
 */
export function lanczosRitz(
  apply: (v: Float64Array, w: Float64Array) => void,
  n: number,
  steps: number,
  start: Float64Array = randomStart(n),
): { basis: Float64Array[]; values: Float64Array; vectors: Float64Array } {
  const basis: Float64Array[] = [];
  const alpha: number[] = [],
    beta: number[] = [];
  let v = Float64Array.from(start);
  let norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  for (let j = 0; j < Math.min(steps, n); j++) {
    for (let i = 0; i < n; i++) v[i] /= norm;
    basis.push(v);
    const w = new Float64Array(n);
    apply(v, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += v[i] * w[i];
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let c = 0;
        for (let i = 0; i < n; i++) c += q[i] * w[i];
        for (let i = 0; i < n; i++) w[i] -= c * q[i];
      }
    }
    norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    if (!(norm > 1e-12 * Math.abs(a)) || j === Math.min(steps, n) - 1) break;
    beta.push(norm);
    v = w;
  }
  const { values, vectors } = tridiagonalEigen(alpha, beta);
  return { basis, values, vectors };
}

/**
 * Every eigenpair of the symmetric tridiagonal matrix (diagonal α, off-diagonal β) by the
 * implicit QL algorithm (EISPACK tql2, as in JAMA's EigenvalueDecomposition): values
 * ascending, eigenvectors as the columns of a row-major m × m matrix.
 */
export function tridiagonalEigen(alpha: number[], beta: number[]): { values: Float64Array; vectors: Float64Array } {
  const m = alpha.length;
  const d = Float64Array.from(alpha);
  const e = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) e[i] = beta[i]; // e[i] couples i and i + 1
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  let f = 0,
    tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < m; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let k = l;
    while (k < m - 1 && Math.abs(e[k]) > eps * tst1) k++;
    if (k > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < m; i++) d[i] -= h;
        f += h;
        p = d[k];
        let c = 1,
          c2 = 1,
          c3 = 1,
          s = 0,
          s2 = 0;
        const el1 = e[l + 1];
        for (let i = k - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let q = 0; q < m; q++) {
            const t = V[q * m + i + 1];
            V[q * m + i + 1] = s * V[q * m + i] + c * t;
            V[q * m + i] = c * V[q * m + i] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b]);
  const values = Float64Array.from(order, (i) => d[i]);
  const vectors = new Float64Array(m * m);
  for (let q = 0; q < m; q++) for (let j = 0; j < m; j++) vectors[q * m + j] = V[q * m + order[j]];
  return { values, vectors };
}
