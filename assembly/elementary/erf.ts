// erff in float64 lanes: erf x = sign(x)·(2/√π)·e^{−x²}·S(|x|) with the positive series
// S(x) = Σ_{n≥0} 2ⁿ x^{2n+1}/(1·3·…·(2n+1)) (every term positive: no cancellation), 52 terms
// (the tail is below 1e-13 relative for |x| ≤ 3.95), e^{−x²} by the float64 exp (x² is exact
// in f64). Beyond |x| = 3.95 erf x rounds to ±1 in float32, so |x| is clamped there (±∞ →
// ±1, NaN passes through pmin). The f64 result errs by ~1e-14 relative, so the float32
// rounding stays within 0.5 ULP plus a hair. Sign of zero kept (odd).
import { expLanes, expOne } from "./f64";

// @ts-ignore: decorator
@inline const X_CLAMP: f64 = 3.95;
// @ts-ignore: decorator
@inline const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
// @ts-ignore: decorator
@inline const TERMS: i32 = 52;
// 1/(2n + 1) for n = 1 … TERMS − 1, as literals: the loop is not unrolled, and dividing at
// run time cost a scalar f64.div per term. Equal to 1.0/(2n + 1) (both correctly rounded).
const INV_ODD = memory.data<f64>([
  0.3333333333333333, 0.2, 0.14285714285714285, 0.1111111111111111, 0.09090909090909091,
  0.07692307692307693, 0.06666666666666667, 0.058823529411764705, 0.05263157894736842,
  0.047619047619047616, 0.043478260869565216, 0.04, 0.037037037037037035, 0.034482758620689655,
  0.03225806451612903, 0.030303030303030304, 0.02857142857142857, 0.02702702702702703,
  0.02564102564102564, 0.024390243902439025, 0.023255813953488372, 0.022222222222222223,
  0.02127659574468085, 0.02040816326530612, 0.0196078431372549, 0.018867924528301886,
  0.01818181818181818, 0.017543859649122806, 0.01694915254237288, 0.01639344262295082,
  0.015873015873015872, 0.015384615384615385, 0.014925373134328358, 0.014492753623188406,
  0.014084507042253521, 0.0136986301369863, 0.013333333333333334, 0.012987012987012988,
  0.012658227848101266, 0.012345679012345678, 0.012048192771084338, 0.011764705882352941,
  0.011494252873563218, 0.011235955056179775, 0.01098901098901099, 0.010752688172043012,
  0.010526315789473684, 0.010309278350515464, 0.010101010101010102, 0.009900990099009901,
  0.009708737864077669,
]);

// @ts-ignore: decorator
@inline function erfLanes(x: v128): v128 {
  const a = f64x2.pmin(f64x2.abs(x), f64x2.splat(X_CLAMP));
  const x2 = f64x2.mul(a, a);
  const twoX2 = f64x2.add(x2, x2);
  let t = a;
  let s = a;
  for (let n = 1; n < TERMS; n++) {
    t = f64x2.mul(t, f64x2.mul(twoX2, v128.load64_splat(INV_ODD + ((<usize>n - 1) << 3))));
    s = f64x2.add(s, t);
  }
  const y = f64x2.mul(f64x2.mul(f64x2.splat(TWO_OVER_SQRT_PI), expLanes(f64x2.neg(x2))), s);
  return v128.or(y, v128.and(x, f64x2.splat(-0.0))); // sign of x
}

// @ts-ignore: decorator
@inline function erfOne(x: f64): f64 {
  const ax = Math.abs(x);
  const a = X_CLAMP < ax ? X_CLAMP : ax;
  const x2 = a * a;
  const twoX2 = x2 + x2;
  let t = a;
  let s = a;
  for (let n = 1; n < TERMS; n++) {
    t = t * (twoX2 * load<f64>(INV_ODD + ((<usize>n - 1) << 3)));
    s = s + t;
  }
  const y = (TWO_OVER_SQRT_PI * expOne(-x2)) * s;
  return reinterpret<f64>(reinterpret<u64>(y) | (reinterpret<u64>(x) & 0x8000000000000000));
}

/** y ← erf x over n f32 at byte offsets px, py (y may be x). */
export function erff(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(px + o);
      const lo = erfLanes(f64x2.promote_low_f32x4(x));
      const hi = erfLanes(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)));
      v128.store(py + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, <f32>erfOne(<f64>load<f32>(px + o)));
  }
}
