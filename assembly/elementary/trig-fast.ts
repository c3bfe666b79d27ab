// sinfFast and cosfFast: the fast tier of sinf/cosf, ≤ 1 ULP, in float32 lanes (four per
// f32x4, twice the width of trig.ts's float64 lanes), with the sin and cos kernels evolved by
// tools/evolve (assembly/elementary/programs.ts: sinEvolved, cosEvolved). The reduction and
// reconstruction are hand-written and emulated bit for bit by tools/evolve/targets/trig.js,
// whose header derives them; in short, for a = |x| < 256:
//   n = nearest(a·fl(2/π)), r₁ = a − n·P1 (exact), r₂ = r₁ − n·P2 (n·P2 exact) and its error
//   e₂ (Fast2Sum), r = r₂ − n·P3 and r_lo = ((r₂ − r) − n·P3) + e₂ (Cody–Waite in three
//   float32 pieces of π/2: r + r_lo is within 2^-29.6 relative of a − n·π/2 for every a < 256);
//   sin r = r + (r_lo + S(r)), S = sinEvolved ≈ sin r − r;
//   cos r = a + (e + (C(r) − r·r_lo)) with a + e = 1 − fl(r²)/2 exactly (Fast2Sum) and
//   C = cosEvolved ≈ cos r − 1 + r²/2;
//   the quadrant n mod 4 picks the kernel and the sign (fdlibm's sinf/cosf); sin takes the
//   sign of x (so sin(−0) = −0).
// |x| ≥ 256, ±∞ and NaN: trig.ts's accurate trigOne per lane (≤ 0.5 ULP; NaN for ±∞, NaN).
// Each result depends on its own input only, and the scalar tail and the scalar build
// perform the same float32 operations in the same order.
import { sinEvolved, sinEvolvedScalar, cosEvolved, cosEvolvedScalar } from "./programs";
import { trigOne } from "./trig";

// @ts-ignore: decorator
@inline const TWO_OVER_PI: f32 = 0.6366197466850281; // 0x3f22f983
// @ts-ignore: decorator
@inline const P1: f32 = 1.57080078125; // 0x3fc91000: 12 significant bits
// @ts-ignore: decorator
@inline const P2: f32 = -0.00000445445766672492; // 0xb6957780: 17 bits, n·P2 exact for n < 164
// @ts-ignore: decorator
@inline const P3: f32 = 2.5633440682570896e-12; // 0x2c34611a
// @ts-ignore: decorator
@inline const BOUND: f32 = 256.0;

// @ts-ignore: decorator
@inline function fastLanes(x: v128, cos: bool): v128 {
  const one = f32x4.splat(1.0);
  const a = f32x4.abs(x);
  const n = f32x4.nearest(f32x4.mul(a, f32x4.splat(TWO_OVER_PI)));
  const r1 = f32x4.sub(a, f32x4.mul(n, f32x4.splat(P1)));
  const p2 = f32x4.mul(n, f32x4.splat(P2));
  const r2 = f32x4.sub(r1, p2);
  const e2 = f32x4.sub(f32x4.sub(r1, r2), p2);
  const p3 = f32x4.mul(n, f32x4.splat(P3));
  const r = f32x4.sub(r2, p3);
  const rlo = f32x4.add(f32x4.sub(f32x4.sub(r2, r), p3), e2);
  const s = f32x4.add(r, f32x4.add(rlo, sinEvolved(r)));
  const h = f32x4.mul(f32x4.splat(0.5), f32x4.mul(r, r));
  const ca = f32x4.sub(one, h);
  const ce = f32x4.sub(f32x4.sub(one, ca), h);
  const c = f32x4.add(ca, f32x4.add(ce, f32x4.sub(cosEvolved(r), f32x4.mul(r, rlo))));
  // n mod 4 from the bits of n + 1.5·2^23 (exact: 0 ≤ n < 2^22, and the low bits of that float
  // are n's), one add instead of trunc_sat's saturation fix-ups (same bits in lanes |x| < 256).
  const q = f32x4.add(n, f32x4.splat(12582912.0));
  const odd = i32x4.shr_s(i32x4.shl(q, 31), 31); // all ones where n is odd
  const signBit = i32x4.splat(<i32>0x80000000);
  if (cos) {
    const v = v128.bitselect(s, c, odd);
    return v128.xor(v, v128.and(i32x4.shl(i32x4.add(q, i32x4.splat(1)), 30), signBit));
  }
  const v = v128.bitselect(c, s, odd);
  return v128.xor(v, v128.and(v128.xor(i32x4.shl(q, 30), x), signBit));
}

/** The same operations for one f32 in the fast range (|x| < 256). */
// @ts-ignore: decorator
@inline function fastOne(x: f32, cos: bool): f32 {
  const a = abs<f32>(x);
  const n = nearest<f32>(a * TWO_OVER_PI);
  const r1 = a - n * P1;
  const p2 = n * P2;
  const r2 = r1 - p2;
  const e2 = (r1 - r2) - p2;
  const p3 = n * P3;
  const r = r2 - p3;
  const rlo = ((r2 - r) - p3) + e2;
  const q = <i32>n;
  let v: f32;
  if (((q & 1) != 0) == cos) {
    v = r + (rlo + sinEvolvedScalar(r));
  } else {
    const h = <f32>0.5 * (r * r);
    const ca = <f32>1.0 - h;
    const ce = (<f32>1.0 - ca) - h;
    v = ca + (ce + (cosEvolvedScalar(r) - r * rlo));
  }
  const neg = cos ? ((q + 1) & 2) != 0 : ((q & 2) != 0) != (reinterpret<i32>(x) < 0);
  return neg ? -v : v;
}

// @ts-ignore: decorator
@inline function one(x: f32, cos: bool): f32 {
  return abs<f32>(x) < BOUND ? fastOne(x, cos) : <f32>trigOne(x, cos);
}

/** Lanes with |x| ≥ 256, ±∞ or NaN: the accurate path, one by one (from x: y may alias it). */
// @ts-ignore: decorator
@inline function fixLanes(y: v128, x: v128, cos: bool): v128 {
  const x0 = f32x4.extract_lane(x, 0), x1 = f32x4.extract_lane(x, 1);
  const x2 = f32x4.extract_lane(x, 2), x3 = f32x4.extract_lane(x, 3);
  if (!(abs<f32>(x0) < BOUND)) y = f32x4.replace_lane(y, 0, <f32>trigOne(x0, cos));
  if (!(abs<f32>(x1) < BOUND)) y = f32x4.replace_lane(y, 1, <f32>trigOne(x1, cos));
  if (!(abs<f32>(x2) < BOUND)) y = f32x4.replace_lane(y, 2, <f32>trigOne(x2, cos));
  if (!(abs<f32>(x3) < BOUND)) y = f32x4.replace_lane(y, 3, <f32>trigOne(x3, cos));
  return y;
}

// @ts-ignore: decorator
@inline function trigFast(n: i32, px: usize, py: usize, cos: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const bound = f32x4.splat(BOUND);
    // Two vectors per iteration: two independent dependency chains for the out-of-order core.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const xa = v128.load(px + o), xb = v128.load(px + o, 16);
      let a = fastLanes(xa, cos), b = fastLanes(xb, cos);
      const inA = f32x4.lt(f32x4.abs(xa), bound), inB = f32x4.lt(f32x4.abs(xb), bound);
      if (!i32x4.all_true(v128.and(inA, inB))) {
        a = fixLanes(a, xa, cos);
        b = fixLanes(b, xb, cos);
      }
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(px + o);
      let y = fastLanes(x, cos);
      if (!i32x4.all_true(f32x4.lt(f32x4.abs(x), bound))) y = fixLanes(y, x, cos);
      v128.store(py + o, y);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, one(load<f32>(px + o), cos));
  }
}

/** y ← sin x over n f32 at byte offsets px, py (y may be x): ≤ 1 ULP, float32 lanes. */
export function sinfFast(n: i32, px: usize, py: usize): void {
  trigFast(n, px, py, false);
}

/** y ← cos x over n f32 at byte offsets px, py (y may be x): ≤ 1 ULP, float32 lanes. */
export function cosfFast(n: i32, px: usize, py: usize): void {
  trigFast(n, px, py, true);
}
