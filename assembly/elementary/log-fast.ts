// logfFast and log1pfFast: log x and log(1 + x) in float32 lanes (four per f32x4, twice the
// width of logf's float64 route), ≤ 1 ULP, with kernels evolved by tools/evolve (programs.ts:
// logEvolved, log1pEvolved). The reduction is ARM optimized-routines' table-free v_logf
// (u = bits(x) − bits(2/3), e = u >> 23, m = 1 + r ∈ [2/3, 4/3)); the reconstruction keeps
// the large terms exact:
//   hi = e·ln2_hi + r, lo = (e·ln2_hi − hi) + r (Fast2Sum), y = hi + (lo + (k(r) + e·ln2_lo)).
// (log₂ has a search target, tools/evolve/targets/log.js, but no fast tier: its best kernel
// errs by 1.10 ULP near x = 4/3, where e = 1 and log₂ m ≈ −0.58 cancel.)
// log1pfFast forms 1 + x only for the exponent k and splits f = (1 + x)·2^−k − 1 exactly
// (TwoSum), then reconstructs as logf with r = f_hi plus f_lo·(1 − f_hi).
// All emulated bit for bit by tools/evolve/targets/log.js, which the search scores and the
// tests compare with. Zero, subnormal, negative, infinite and NaN lanes are rare: a vector holding
// one takes the slower path (subnormals scaled by 2^23, specials by selects).
import { log1pEvolved, log1pEvolvedScalar, logEvolved, logEvolvedScalar } from "./programs";

// @ts-ignore: decorator
@inline const TWO_THIRDS: i32 = 0x3f2aaaab; // bits of 2/3, rounded up
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693145751953125; // 15 significant bits: e·LN2_HI is exact
// @ts-ignore: decorator
@inline const LN2_LO: f32 = 0.000001428606765330187;
// @ts-ignore: decorator
@inline const TWO23: f32 = 8388608.0;

/** log x for positive normal lanes, with e's adjustment `adj` (−23 for scaled subnormals). */
// @ts-ignore: decorator
@inline function logCore(x: v128, adj: v128): v128 {
  const u = i32x4.sub(x, i32x4.splat(TWO_THIRDS));
  const e = f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_s(u, 23), adj));
  const r = f32x4.sub(i32x4.add(v128.and(u, i32x4.splat(0x7fffff)), i32x4.splat(TWO_THIRDS)), f32x4.splat(1.0));
  const a = f32x4.mul(e, f32x4.splat(LN2_HI));
  const hi = f32x4.add(a, r);
  const lo = f32x4.add(f32x4.sub(a, hi), r);
  return f32x4.add(hi, f32x4.add(lo, f32x4.add(logEvolved(r), f32x4.mul(e, f32x4.splat(LN2_LO)))));
}

/** Any lane outside the positive normal floats: bits − 2^23 ≥ 0x7f000000 unsigned catches
 * zero and subnormals (wrapping), negatives (sign bit), infinities and NaN. */
// @ts-ignore: decorator
@inline function special(x: v128): bool {
  return v128.any_true(v128.not(i32x4.lt_u(i32x4.sub(x, i32x4.splat(0x00800000)), i32x4.splat(0x7f000000))));
}

/** The slow path: subnormal lanes scaled by 2^23 (exact), then the specials by selects. */
// @ts-ignore: decorator
@inline function logSpecial(x: v128): v128 {
  const sub = i32x4.lt_u(x, i32x4.splat(0x00800000)); // +0 and positive subnormals
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(TWO23)), x, sub);
  let y = logCore(xs, v128.and(sub, i32x4.splat(-23)));
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.eq(x, f32x4.splat(Infinity)));
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0.0)));
  return v128.bitselect(f32x4.splat(NaN), y, v128.not(f32x4.ge(x, f32x4.splat(0.0)))); // x < 0 or NaN
}

// @ts-ignore: decorator
@inline function logLanes(x: v128): v128 {
  return special(x) ? logSpecial(x) : logCore(x, i32x4.splat(0));
}

/** The same float32 operations for one input (scalar tail and scalar build). */
// @ts-ignore: decorator
@inline function logOne(x: f32): f32 {
  let ix = reinterpret<i32>(x);
  let adj = 0;
  if (<u32>(ix - 0x00800000) >= 0x7f000000) {
    if (x != x || x < 0) return NaN;
    if (x == 0) return -Infinity;
    if (x == Infinity) return x;
    ix = reinterpret<i32>(x * TWO23);
    adj = -23;
  }
  const u = ix - TWO_THIRDS;
  const e = <f32>((u >> 23) + adj);
  const r = reinterpret<f32>((u & 0x7fffff) + TWO_THIRDS) - <f32>1.0;
  const a = e * LN2_HI;
  const hi = a + r;
  const lo = (a - hi) + r;
  return hi + (lo + (logEvolvedScalar(r) + e * LN2_LO));
}

/** log(1 + x) for lanes with −1 < x < ∞, x ≠ −0 (tools/evolve/targets/log.js: log1pReduce). */
// @ts-ignore: decorator
@inline function log1pCore(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const k = i32x4.shr_s(i32x4.sub(f32x4.add(one, x), i32x4.splat(TWO_THIRDS)), 23);
  const d = i32x4.sub(x, i32x4.shl(k, 23)); // x·2^−k by the exponent field
  const c = v128.bitselect(f32x4.splat(-1.0), f32x4.sub(i32x4.shl(i32x4.sub(i32x4.splat(127), k), 23), one), i32x4.gt_s(k, i32x4.splat(24)));
  const s = f32x4.add(d, c); // TwoSum
  const bb = f32x4.sub(s, d);
  const fl = f32x4.add(f32x4.sub(d, f32x4.sub(s, bb)), f32x4.sub(c, bb));
  const e = f32x4.convert_i32x4_s(k);
  const a = f32x4.mul(e, f32x4.splat(LN2_HI));
  const hi = f32x4.add(a, s);
  const lo = f32x4.add(f32x4.sub(a, hi), s);
  const tail = f32x4.add(f32x4.add(log1pEvolved(s), f32x4.mul(e, f32x4.splat(LN2_LO))), f32x4.mul(fl, f32x4.sub(one, s)));
  return f32x4.add(hi, f32x4.add(lo, tail));
}

// @ts-ignore: decorator
@inline function log1pLanes(x: v128): v128 {
  const ordinary = v128.and(f32x4.gt(x, f32x4.splat(-1.0)), f32x4.lt(x, f32x4.splat(Infinity)));
  const negZero = i32x4.eq(x, i32x4.splat(0x80000000));
  const y = log1pCore(x);
  if (!v128.any_true(v128.or(v128.not(ordinary), negZero))) return y;
  // ±0 → x, −1 → −∞, +∞ → +∞, x < −1 or NaN → NaN.
  let z = v128.bitselect(x, y, f32x4.eq(x, f32x4.splat(0.0)));
  z = v128.bitselect(f32x4.splat(-Infinity), z, f32x4.eq(x, f32x4.splat(-1.0)));
  z = v128.bitselect(x, z, f32x4.eq(x, f32x4.splat(Infinity)));
  return v128.bitselect(f32x4.splat(NaN), z, v128.not(f32x4.ge(x, f32x4.splat(-1.0))));
}

// @ts-ignore: decorator
@inline function log1pOne(x: f32): f32 {
  if (x == 0) return x;
  if (!(x > -1.0) || x == Infinity) return x == -1.0 ? -Infinity : x == Infinity ? x : NaN;
  const k = (reinterpret<i32>(<f32>1.0 + x) - TWO_THIRDS) >> 23;
  const d = reinterpret<f32>(reinterpret<i32>(x) - (k << 23));
  const c: f32 = k > 24 ? -1.0 : reinterpret<f32>((127 - k) << 23) - <f32>1.0;
  const s = d + c;
  const bb = s - d;
  const fl = (d - (s - bb)) + (c - bb);
  const e = <f32>k;
  const a = e * LN2_HI;
  const hi = a + s;
  const lo = (a - hi) + s;
  return hi + (lo + ((log1pEvolvedScalar(s) + e * LN2_LO) + fl * (<f32>1.0 - s)));
}

/** y ← log(1 + x) over n f32 at byte offsets px, py (y may be x): the fast tier of log1pf. */
export function log1pfFast(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = log1pLanes(v128.load(px + o));
      const b = log1pLanes(v128.load(px + o, 16));
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, log1pLanes(v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, log1pOne(load<f32>(px + o)));
  }
}

/** y ← log x over n f32 at byte offsets px, py (y may be x): the fast tier of logf. */
export function logfFast(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Two vectors per iteration: two independent dependency chains.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = logLanes(v128.load(px + o));
      const b = logLanes(v128.load(px + o, 16));
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, logLanes(v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, logOne(load<f32>(px + o)));
  }
}
