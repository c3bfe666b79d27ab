// exp, log, Φ and Φ⁻¹ for the xVA bindings, evaluated in wasm: engines' Math.exp/Math.log
// may differ in the last bit (V8 versions do), and the results of a seeded run must be
// bitwise the same in every runtime.
import type { Runtime } from "../runtime.js";

export interface Special {
  exp(x: number): number;
  log(x: number): number;
  /** Φ(x), the standard normal distribution function (relative error ≈ 1e-15). */
  normCdf(x: number): number;
  /** Φ⁻¹(p): Acklam's rational start refined by two Newton steps on Φ. */
  normInv(p: number): number;
  /** exp(a·x + b) for every element (a new array). */
  expArray(x: Float64Array, a?: number, b?: number): Float64Array;
}

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

export function makeSpecial(rt: Runtime): Special {
  const exp = (x: number) => rt.call((ex) => ex.exp64(x));
  const log = (x: number) => rt.call((ex) => ex.log64(x));
  const normCdf = (x: number) => rt.call((ex) => ex.normCdf(x));
  return {
    exp,
    log,
    normCdf,
    normInv(p) {
      if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
      let x: number;
      if (p < 0.02425 || p > 1 - 0.02425) {
        const q = Math.sqrt(-2 * log(p < 0.5 ? p : 1 - p));
        x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        if (p > 0.5) x = -x;
      } else {
        const q = p - 0.5,
          r = q * q;
        x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
      }
      for (let i = 0; i < 2; i++) x -= (normCdf(x) - p) / (exp(-0.5 * x * x) * 0.3989422804014327);
      return x;
    },
    expArray(x, a = 1, b = 0) {
      const n = x.length;
      if (n === 0) return new Float64Array(0);
      const gen = rt.generation;
      const p = rt.alloc(8 * n);
      try {
        new Float64Array(rt.memory.buffer, p, n).set(x);
        rt.call((ex) => ex.expAffine(n, a, b, p, p));
        return new Float64Array(rt.memory.buffer, p, n).slice();
      } finally {
        rt.free(p, 8 * n, gen);
      }
    },
  };
}
