// Float64 e^x and log x over f64x2 lanes: fdlibm's algorithms (e_exp.c, e_log.c; error
// below 1 ULP) made branch-free, eight bytes per lane and two vectors per iteration. The
// scalar tail and the scalar build perform the same operations in the same order.
//
// Derived from fdlibm (see THIRD_PARTY_NOTICES.md):
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
//   modify, and distribute this software is freely granted, provided that this notice
//   is preserved.
//
// exp: x clamped to [−746, 710] (beyond it the result is 0 or +∞; NaN passes through
// pmin/pmax), k = nearest(x/ln2), hi = x − k·ln2_hi (exact: ln2_hi has 32 trailing zero
// bits), lo = k·ln2_lo, r = hi − lo, c = r − r²·P(r²), e^r = 1 − ((lo − r·c/(2 − c)) − hi),
// then e^x = (e^r·2^⌊k/2⌋)·2^(k − ⌊k/2⌋) (the last product rounds once for subnormals).
// log: subnormals scaled by 2^54; x = 2^k·m with m ∈ [√½, √2), f = m − 1, s = f/(2 + f),
// log x = k·ln2_hi − ((f²/2 − (s(f²/2 + R(s²)) + k·ln2_lo)) − f); x < 0 → NaN, 0 → −∞, +∞ → +∞.

// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-01;
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10;
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.44269504088896338700e+00;
// @ts-ignore: decorator
@inline const P1: f64 = 1.66666666666666019037e-01;
// @ts-ignore: decorator
@inline const P2: f64 = -2.77777777770155933842e-03;
// @ts-ignore: decorator
@inline const P3: f64 = 6.61375632143793436117e-05;
// @ts-ignore: decorator
@inline const P4: f64 = -1.65339022054652515390e-06;
// @ts-ignore: decorator
@inline const P5: f64 = 4.13813679705723846039e-08;
// @ts-ignore: decorator
@inline const X_MIN: f64 = -746.0;
// @ts-ignore: decorator
@inline const X_MAX: f64 = 710.0;
// @ts-ignore: decorator
@inline const LG1: f64 = 6.666666666666735130e-01;
// @ts-ignore: decorator
@inline const LG2: f64 = 3.999999999940941908e-01;
// @ts-ignore: decorator
@inline const LG3: f64 = 2.857142874366239149e-01;
// @ts-ignore: decorator
@inline const LG4: f64 = 2.222219843214978396e-01;
// @ts-ignore: decorator
@inline const LG5: f64 = 1.818357216161805012e-01;
// @ts-ignore: decorator
@inline const LG6: f64 = 1.531383769920937332e-01;
// @ts-ignore: decorator
@inline const LG7: f64 = 1.479819860511658591e-01;
// @ts-ignore: decorator
@inline const TWO54: f64 = 18014398509481984.0;
// @ts-ignore: decorator
@inline const TWO52: f64 = 4503599627370496.0;
// @ts-ignore: decorator
@inline const MAGIC: f64 = 6755399441055744.0; // 1.5·2^52

// @ts-ignore: decorator
@inline export function expLanes(x0: v128): v128 {
  const x = f64x2.pmin(f64x2.pmax(x0, f64x2.splat(X_MIN)), f64x2.splat(X_MAX));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, q), hi));
  // k is an integer in [−1076, 1025] (or NaN): its two's-complement bits from k + 1.5·2^52,
  // whose exponent is fixed for |k| < 2^51.
  const kb = i64x2.sub(f64x2.add(k, f64x2.splat(MAGIC)), i64x2.splat(0x4338000000000000));
  const k1 = i64x2.shr_s(kb, 1);
  const bias = i64x2.splat(1023);
  const s1 = i64x2.shl(i64x2.add(k1, bias), 52);
  const s2 = i64x2.shl(i64x2.add(i64x2.sub(kb, k1), bias), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}

/** expLanes for one f64, the same operations: the scalar tail of dexp, and xVA's exp
 * (xva/special.ts, xva/paths.ts). */
// @ts-ignore: decorator
@inline export function expOne(x0: f64): f64 {
  let x = X_MIN > x0 ? X_MIN : x0;
  x = X_MAX < x ? X_MAX : x;
  const k = nearest<f64>(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const p = P1 + t * (P2 + t * (P3 + t * (P4 + t * P5)));
  const c = r - t * p;
  const q = (r * c) / (2.0 - c);
  const y = 1.0 - ((lo - q) - hi);
  const kb: i64 = reinterpret<i64>(k + MAGIC) - 0x4338000000000000;
  const k1 = kb >> 1;
  const s1 = reinterpret<f64>((k1 + 1023) << 52);
  const s2 = reinterpret<f64>((kb - k1 + 1023) << 52);
  return (y * s1) * s2;
}

/** log x in f64x2 lanes for positive normal x scaled by 2^kOffset (the subnormal path passes
 * 54): the fdlibm core, shared with the Box–Muller normals of xva/philox.ts. */
// @ts-ignore: decorator
@inline export function logCoreLanes(x: v128, kOffset: v128): v128 {
  const bits = x;
  let k = f64x2.sub(v128.or(i64x2.shr_u(bits, 52), i64x2.splat(0x4330000000000000)), f64x2.splat(TWO52 + 1023.0));
  k = f64x2.sub(k, kOffset);
  let m = v128.or(v128.and(bits, i64x2.splat(0x000FFFFFFFFFFFFF)), i64x2.splat(0x3FF0000000000000));
  const big = f64x2.gt(m, f64x2.splat(Math.SQRT2));
  m = f64x2.mul(m, v128.bitselect(f64x2.splat(0.5), f64x2.splat(1.0), big));
  k = f64x2.add(k, v128.and(big, f64x2.splat(1.0)));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w, f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(k, f64x2.splat(LN2_LO)));
  return f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

/** logCoreLanes for one f64, the same operations. */
// @ts-ignore: decorator
@inline export function logCore(x: f64, kOffset: f64): f64 {
  const bits = reinterpret<u64>(x);
  let k = reinterpret<f64>((bits >> 52) | 0x4330000000000000) - (TWO52 + 1023.0);
  k = k - kOffset;
  let m = reinterpret<f64>((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  const big = m > Math.SQRT2;
  m = m * (big ? 0.5 : 1.0);
  k = k + (big ? 1.0 : 0.0);
  const f = m - 1.0;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - ((hfsq - (s * (hfsq + R) + k * LN2_LO)) - f);
}

// @ts-ignore: decorator
@inline function logLanes(x0: v128): v128 {
  // Subnormals: ×2^54 and k − 54.
  const sub = f64x2.lt(x0, f64x2.splat(2.2250738585072014e-308));
  const y = logCoreLanes(v128.bitselect(f64x2.mul(x0, f64x2.splat(TWO54)), x0, sub), v128.and(sub, f64x2.splat(54.0)));
  // Specials: x < 0 or NaN → NaN, ±0 → −∞, +∞ → +∞.
  const zero = f64x2.splat(0.0);
  let out = v128.bitselect(f64x2.splat(-Infinity), y, f64x2.eq(x0, zero));
  out = v128.bitselect(f64x2.splat(Infinity), out, f64x2.eq(x0, f64x2.splat(Infinity)));
  return v128.bitselect(f64x2.splat(NaN), out, v128.not(f64x2.ge(x0, zero)));
}

/** log x for one f64 with logLanes' specials: the scalar tail of dlog, and xVA's log
 * (xva/special.ts). */
// @ts-ignore: decorator
@inline export function logOne(x0: f64): f64 {
  const sub = x0 < 2.2250738585072014e-308;
  const y = logCore(sub ? x0 * TWO54 : x0, sub ? 54.0 : 0.0);
  if (x0 == 0) return -Infinity;
  if (x0 == Infinity) return Infinity;
  if (!(x0 >= 0)) return NaN;
  return y;
}

// @ts-ignore: decorator
@inline function map64(n: i32, px: usize, py: usize, isLog: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      const x0 = v128.load(px + o), x1 = v128.load(px + o, 16);
      const a = isLog ? logLanes(x0) : expLanes(x0);
      const b = isLog ? logLanes(x1) : expLanes(x1);
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const x = load<f64>(px + o);
    store<f64>(py + o, isLog ? logOne(x) : expOne(x));
  }
}

/** y ← e^x over n f64 at byte offsets px, py (y may be x). */
export function dexp(n: i32, px: usize, py: usize): void {
  map64(n, px, py, false);
}

/** y ← log x over n f64 at byte offsets px, py (y may be x). */
export function dlog(n: i32, px: usize, py: usize): void {
  map64(n, px, py, true);
}
