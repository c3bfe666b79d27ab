// logfFast: log x in float32 lanes (four per f32x4, twice the width of logf's float64 route),
// ≤ 1 ULP, with the kernel evolved by tools/evolve (programs.ts: logEvolved). The reduction
// is ARM optimized-routines' table-free v_logf (u = bits(x) − bits(2/3), e = u >> 23,
// m = 1 + r ∈ [2/3, 4/3)); the reconstruction keeps the large terms exact:
//   hi = e·ln2_hi + r, lo = (e·ln2_hi − hi) + r (Fast2Sum), y = hi + (lo + (k(r) + e·ln2_lo)),
// emulated bit for bit by tools/evolve/targets/log.js, which the search scores and the tests
// compare with. Zero, subnormal, negative, infinite and NaN lanes are rare: a vector holding
// one takes the slower path (subnormals scaled by 2^23, specials by selects).
// (log₂ and log1p have search targets there but no fast tier: their best kernels err by 1.10
// and 1.04 ULP near x = 4/3 (log1p: 1 + x = 4/3), where e = 1 and log m ≈ −0.29 cancel.)
import { logEvolved, logEvolvedScalar } from "./programs";

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
