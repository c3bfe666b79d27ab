// sinf and cosf in float64 lanes. x = n·π/2 + r with |r| ≤ π/4:
// - |x| < 2^18 (the lanes): n = nearest(x·2/π), r = ((x − n·C1) − n·C2) − n·C3 with π/2 split
//   into 33 + 33 + 53 bits, so n·C1 and n·C2 are exact and r carries ~2^-100 absolute error;
// - |x| ≥ 2^18 (rare; per lane, scalar): Payne–Hanek. x = m·2^E (m < 2^24) times 2/π in
//   28-bit pieces B_i·2^{−28(i+1)}: each product m·B_i·2^{E−28(i+1)} is exact in f64, pieces
//   that are multiples of 4 are dropped, the others reduced mod 4 exactly and summed in
//   double-double; n = nearest(sum), r = (sum − n)·π/2 in double-double.
// sin r and cos r by fdlibm's kernels (S1–S6, C1–C6, |r| ≤ π/4, error ~1e-16), then the
// quadrant n mod 4 swaps and negates them. The f64 result is rounded to f32 once: ≤ 0.5 ULP
// plus a hair. |x| < 2^-12: sin x = x (keeps −0), cos x = 1. ±∞, NaN → NaN.
//
// Derived from fdlibm (see THIRD_PARTY_NOTICES.md):
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
//   modify, and distribute this software is freely granted, provided that this notice
//   is preserved.

// @ts-ignore: decorator
@inline const TWO_OVER_PI: f64 = 0.6366197723675814;
// @ts-ignore: decorator
@inline const PIO2_1: f64 = 1.5707963267341256; // 33 significant bits
// @ts-ignore: decorator
@inline const PIO2_2: f64 = 6.077100506303966e-11; // the next 33
// @ts-ignore: decorator
@inline const PIO2_3: f64 = 2.0222662487959506e-21; // the rest, rounded
// @ts-ignore: decorator
@inline const PIO2_HI: f64 = 1.5707963267948966;
// @ts-ignore: decorator
@inline const PIO2_LO: f64 = 6.123233995736766e-17;
// @ts-ignore: decorator
@inline const BIG: f64 = 262144.0; // 2^18
// @ts-ignore: decorator
@inline const TINY: f64 = 0.000244140625; // 2^-12
// @ts-ignore: decorator
@inline const MAGIC: f64 = 6755399441055744.0; // 1.5·2^52: n's integer bits
const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
// 2/π in 28-bit pieces: 2/π = Σ B_i·2^{−28(i+1)} + O(2^-224) (computed with BigInt from
// Machin's formula for π).
const B0: f64 = 170891318, B1: f64 = 240010261, B2: f64 = 44024437, B3: f64 = 131200308;
const B4: f64 = 232525238, B5: f64 = 43358524, B6: f64 = 70845471, B7: f64 = 240214955;

/** sin r ≈ r + r·z·S(z) and cos r ≈ (1 − z/2) + z²·C(z), z = r², |r| ≤ π/4 (fdlibm's kernels),
 * for one f64 and for f64x2 lanes with the same operations; also used by the Box–Muller
 * normals of bsde/philox.ts. */
// @ts-ignore: decorator
@inline export function sinPoly(r: f64, z: f64): f64 {
  return r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
}

// @ts-ignore: decorator
@inline export function cosPoly(z: f64): f64 {
  return (1.0 - 0.5 * z) + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
}

// @ts-ignore: decorator
@inline export function sinPolyLanes(r: v128, z: v128): v128 {
  let ps = f64x2.add(f64x2.splat(S5), f64x2.mul(z, f64x2.splat(S6)));
  ps = f64x2.add(f64x2.splat(S4), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S3), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S2), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S1), f64x2.mul(z, ps));
  return f64x2.add(r, f64x2.mul(f64x2.mul(r, z), ps));
}

// @ts-ignore: decorator
@inline export function cosPolyLanes(z: v128): v128 {
  let pc = f64x2.add(f64x2.splat(C5), f64x2.mul(z, f64x2.splat(C6)));
  pc = f64x2.add(f64x2.splat(C4), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C3), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C2), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C1), f64x2.mul(z, pc));
  return f64x2.add(f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(0.5), z)), f64x2.mul(f64x2.mul(z, z), pc));
}

/** sin (cos = false) or cos of r + q·π/2 for |r| ≤ π/4 (scalar). */
// @ts-ignore: decorator
@inline function quadrant(r: f64, q: i64, cos: bool): f64 {
  const z = r * r;
  const s = sinPoly(r, z);
  const c = cosPoly(z);
  const odd = (q & 1) != 0;
  const v = cos ? (odd ? s : c) : odd ? c : s;
  const neg = cos ? ((q + 1) & 2) != 0 : (q & 2) != 0;
  return neg ? -v : v;
}

/** The lanes' reduction and polynomials for one f64 (|x| < 2^18), same operations. */
// @ts-ignore: decorator
@inline function smallOne(x: f64, cos: bool): f64 {
  const n = nearest<f64>(x * TWO_OVER_PI);
  const r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_3;
  const q = reinterpret<i64>(n + MAGIC) - reinterpret<i64>(MAGIC);
  const y = quadrant(r, q, cos);
  return Math.abs(x) < TINY ? (cos ? 1.0 : x) : y;
}

// Double-double accumulation for the large-argument reduction.
let ddHi: f64 = 0;
let ddLo: f64 = 0;

// @ts-ignore: decorator
@inline function ddAddF64(b: f64): void {
  const s = ddHi + b;
  const bb = s - ddHi;
  const e = (ddHi - (s - bb)) + (b - bb);
  const lo = ddLo + e;
  ddHi = s + lo;
  ddLo = lo - (ddHi - s);
}

/** Adds m·B·2^k mod 4 to the double-double sum (the product is exact in f64). */
// @ts-ignore: decorator
@inline function addPiece(m: f64, b: f64, k: i32): void {
  if (k >= 2) return; // a multiple of 4
  let v = m * b * reinterpret<f64>(<i64>(k + 1023) << 52);
  v -= 4.0 * Math.floor(v * 0.25);
  ddAddF64(v);
}

/** sin or cos of a finite |x| ≥ 2^18 by Payne–Hanek reduction. */
function largeOne(x: f64, cos: bool): f64 {
  const bits = reinterpret<u64>(x);
  const e = <i32>((bits >> 52) & 0x7ff) - 1023 - 52; // x = M·2^e, M the 53-bit significand
  const m = <f64>(((bits & 0x000FFFFFFFFFFFFF) | 0x0010000000000000) >> 29); // an f32's low 29 bits are 0
  const E = e + 29;
  ddHi = 0;
  ddLo = 0;
  addPiece(m, B0, E - 28);
  addPiece(m, B1, E - 56);
  addPiece(m, B2, E - 84);
  addPiece(m, B3, E - 112);
  addPiece(m, B4, E - 140);
  addPiece(m, B5, E - 168);
  addPiece(m, B6, E - 196);
  addPiece(m, B7, E - 224);
  const n = nearest<f64>(ddHi);
  // (ddHi − n) + ddLo, then × π/2 in double-double.
  let fh = ddHi - n;
  const fl = ddLo;
  const s = fh + fl;
  const fe = fl - (s - fh);
  fh = s;
  const p = fh * PIO2_HI;
  // r = p + (error of p) + fh·PIO2_LO + fe·PIO2_HI, with the error of p by Dekker's split.
  const SPLIT = 134217729.0;
  let t = SPLIT * fh;
  const ah = t - (t - fh), al = fh - ah;
  t = SPLIT * PIO2_HI;
  const bh = t - (t - PIO2_HI), bl = PIO2_HI - bh;
  const perr = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  const r = p + (perr + fh * PIO2_LO + fe * PIO2_HI);
  return quadrant(r, <i64>n & 3, cos);
}

/** sin/cos of one f32 value, any input (also the accurate path of trig-fast.ts). */
// @ts-ignore: decorator
@inline export function trigOne(xf: f32, cos: bool): f64 {
  const x = <f64>xf;
  const a = Math.abs(x);
  if (a < BIG) return smallOne(x, cos);
  if (!(a < Infinity)) return NaN;
  // Reduce |x|; sin is odd, cos even.
  const v = largeOne(a, cos);
  return !cos && x < 0 ? -v : v;
}

// @ts-ignore: decorator
@inline function trigLanes(x: v128, cos: bool): v128 {
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(TWO_OVER_PI)));
  const r = f64x2.sub(f64x2.sub(f64x2.sub(x, f64x2.mul(n, f64x2.splat(PIO2_1))), f64x2.mul(n, f64x2.splat(PIO2_2))), f64x2.mul(n, f64x2.splat(PIO2_3)));
  const q = i64x2.sub(f64x2.add(n, f64x2.splat(MAGIC)), f64x2.splat(MAGIC));
  const z = f64x2.mul(r, r);
  const s = sinPolyLanes(r, z);
  const c = cosPolyLanes(z);
  const one = i64x2.splat(1), two = i64x2.splat(2);
  const odd = i64x2.eq(v128.and(q, one), one);
  const v = cos ? v128.bitselect(s, c, odd) : v128.bitselect(c, s, odd);
  const negBits = cos ? v128.and(i64x2.add(q, one), two) : v128.and(q, two);
  const y = v128.xor(v, i64x2.shl(negBits, 62));
  const tiny = f64x2.lt(f64x2.abs(x), f64x2.splat(TINY));
  return v128.bitselect(cos ? f64x2.splat(1.0) : x, y, tiny);
}

// @ts-ignore: decorator
@inline function trig(n: i32, px: usize, py: usize, cos: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const big = f32x4.splat(<f32>BIG);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(px + o);
      const lo = trigLanes(f64x2.promote_low_f32x4(x), cos);
      const hi = trigLanes(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), cos);
      let y = i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
      // Lanes with |x| ≥ 2^18, ±∞ or NaN: redo them one by one (from x itself: y may alias it).
      if (v128.any_true(v128.not(f32x4.lt(f32x4.abs(x), big)))) {
        const x0 = f32x4.extract_lane(x, 0), x1 = f32x4.extract_lane(x, 1);
        const x2 = f32x4.extract_lane(x, 2), x3 = f32x4.extract_lane(x, 3);
        if (!(Math.abs(<f64>x0) < BIG)) y = f32x4.replace_lane(y, 0, <f32>trigOne(x0, cos));
        if (!(Math.abs(<f64>x1) < BIG)) y = f32x4.replace_lane(y, 1, <f32>trigOne(x1, cos));
        if (!(Math.abs(<f64>x2) < BIG)) y = f32x4.replace_lane(y, 2, <f32>trigOne(x2, cos));
        if (!(Math.abs(<f64>x3) < BIG)) y = f32x4.replace_lane(y, 3, <f32>trigOne(x3, cos));
      }
      v128.store(py + o, y);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, <f32>trigOne(load<f32>(px + o), cos));
  }
}

/** y ← sin x over n f32 at byte offsets px, py (y may be x). */
export function sinf(n: i32, px: usize, py: usize): void {
  trig(n, px, py, false);
}

/** y ← cos x over n f32 at byte offsets px, py (y may be x). */
export function cosf(n: i32, px: usize, py: usize): void {
  trig(n, px, py, true);
}
