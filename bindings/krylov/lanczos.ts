// Extreme eigenvalue estimates of a symmetric operator by a few Lanczos steps (without
// reorthogonalisation: the extreme Ritz values converge first and are all we need).
import { F64Buffer } from "../memory.js";
import type { WasmOperator } from "../operators/operator.js";

/** Smallest and largest Ritz values after `steps` Lanczos steps from a fixed start vector. */
export function lanczosExtremes(A: WasmOperator, steps: number): { min: number; max: number } {
  const n = A.rows;
  const rt = A.rt;
  const v = new F64Buffer(rt, n), w = new F64Buffer(rt, n);
  try {
    // A deterministic start with every eigencomponent likely present.
    const v0 = new Float64Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      v0[i] = s / 2 ** 32 - 0.5;
    }
    const norm = Math.sqrt(v0.reduce((acc, x) => acc + x * x, 0));
    v.set(v0.map((x) => x / norm));
    const alpha: number[] = [], beta: number[] = [];
    let prev: Float64Array = new Float64Array(n);
    let b = 0;
    for (let j = 0; j < Math.min(steps, n); j++) {
      A.matvec(v, w);
      const vj = v.toArray(), wj = w.toArray();
      let a = 0;
      for (let i = 0; i < n; i++) a += vj[i] * wj[i];
      for (let i = 0; i < n; i++) wj[i] -= a * vj[i] + b * prev[i];
      alpha.push(a);
      b = Math.sqrt(wj.reduce((acc, x) => acc + x * x, 0));
      if (!(b > 1e-14 * Math.abs(a)) || j === Math.min(steps, n) - 1) break;
      beta.push(b);
      prev = vj;
      v.set(wj.map((x) => x / b));
    }
    return tridiagonalExtremes(alpha, beta);
  } finally {
    v.dispose();
    w.dispose();
  }
}

/** Extreme eigenvalues of the symmetric tridiagonal matrix (diagonal α, off-diagonal β)
 * by bisection on Sturm sequence counts. */
export function tridiagonalExtremes(alpha: number[], beta: number[]): { min: number; max: number } {
  const m = alpha.length;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < m - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - r);
    hi = Math.max(hi, alpha[i] + r);
  }
  /** Number of eigenvalues below x. */
  const below = (x: number) => {
    let c = 0, d = 1;
    for (let i = 0; i < m; i++) {
      d = alpha[i] - x - (i > 0 ? (beta[i - 1] * beta[i - 1]) / d : 0);
      if (d === 0) d = -1e-300;
      if (d < 0) c++;
    }
    return c;
  };
  const kth = (k: number) => {
    let a = lo, b = hi;
    for (let it = 0; it < 200 && b - a > 1e-14 * Math.max(Math.abs(a), Math.abs(b)); it++) {
      const mid = (a + b) / 2;
      if (below(mid) > k) b = mid;
      else a = mid;
    }
    return (a + b) / 2;
  };
  return { min: kth(0), max: kth(m - 1) };
}
