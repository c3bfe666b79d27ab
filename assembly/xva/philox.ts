// Philox4x32-10 (Salmon et al., SC'11): a counter-based generator. Every draw is a pure
// function of (counter, key), so a path's numbers do not depend on how the paths are
// split into chunks or workers, and every runtime produces the same bits.

import { logCore, logCoreLanes } from "../elementary/f64";
import { sinPoly, cosPoly, sinPolyLanes, cosPolyLanes } from "../elementary/trig";

const M0: u64 = 0xD2511F53;
const M1: u64 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

// The four output words of the last philox() call (module globals: no allocation).
export let out0: u32 = 0;
export let out1: u32 = 0;
export let out2: u32 = 0;
export let out3: u32 = 0;

/** Ten Philox rounds on counter (c0..c3) with key (k0, k1); results in out0..out3. */
// @ts-ignore: decorator
@inline export function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    const p0 = M0 * <u64>c0;
    const p1 = M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  out0 = c0;
  out1 = c1;
  out2 = c2;
  out3 = c3;
}

/** A uniform in the open interval (0, 1) from two words: 52 random bits plus a half. */
// @ts-ignore: decorator
@inline export function uniform52(a: u32, b: u32): f64 {
  return (<f64>(a >>> 6) * 67108864.0 + <f64>(b >>> 6) + 0.5) * 2.220446049250313e-16;
}

// Box–Muller: z0 = ρ cos 2πu₂, z1 = ρ sin 2πu₂ with ρ = √(−2 ln u₁). ln and sin/cos are the
// kernels of elementary/f64.ts and elementary/trig.ts (fdlibm's), written once for f64 and
// once for f64x2 with the same operations, so the SIMD and scalar builds agree bitwise.

const PIO2 = 1.5707963267948966;
const TWO52: f64 = 4503599627370496.0;

// The two normals of the last normalPair() call.
export let normal0: f64 = 0;
export let normal1: f64 = 0;

/** Two independent standard normals (Box–Muller) from counter (c0..c3) and key (k0, k1). */
// @ts-ignore: decorator
@inline export function normalPair(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox(c0, c1, c2, c3, k0, k1);
  const u1 = uniform52(out0, out1);
  const u2 = uniform52(out2, out3);
  const rho = Math.sqrt(-2.0 * logCore(u1, 0.0)); // u1 ∈ (0, 1) is normal
  // 2πu2 = qπ/2 + r, |r| ≤ π/4.
  const v = 4.0 * u2;
  const q = nearest<f64>(v);
  const r = (v - q) * PIO2;
  const rr = r * r;
  const sn = sinPoly(r, rr);
  const cs = cosPoly(rr);
  const qb = reinterpret<u64>(q + TWO52);
  const odd = (qb & 1) != 0;
  const x = odd ? sn : cs;
  const y = odd ? cs : sn;
  const cosA = reinterpret<f64>(reinterpret<u64>(x) ^ (((qb + 1) & 2) << 62));
  const sinA = reinterpret<f64>(reinterpret<u64>(y) ^ ((qb & 2) << 62));
  normal0 = rho * cosA;
  normal1 = rho * sinA;
}

/** Four normals: paths 2a, 2a + 1 from counter (a, c1, c2, c3) and 2a + 2, 2a + 3 from
 * (a + 1, c1, c2, c3), stored at pOut in that order — normalPair in f64x2 lanes. */
// @ts-ignore: decorator
@inline export function normalQuad(a: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, pOut: usize): void {
  philox(a, c1, c2, c3, k0, k1);
  const u1a = uniform52(out0, out1), u2a = uniform52(out2, out3);
  philox(a + 1, c1, c2, c3, k0, k1);
  const u1 = f64x2.replace_lane(f64x2.splat(u1a), 1, uniform52(out0, out1));
  const u2 = f64x2.replace_lane(f64x2.splat(u2a), 1, uniform52(out2, out3));
  const rho = f64x2.sqrt(f64x2.mul(f64x2.splat(-2.0), logCoreLanes(u1, f64x2.splat(0.0))));
  const v = f64x2.mul(f64x2.splat(4.0), u2);
  const q = f64x2.nearest(v);
  const r = f64x2.mul(f64x2.sub(v, q), f64x2.splat(PIO2));
  const rr = f64x2.mul(r, r);
  const sn = sinPolyLanes(r, rr);
  const cs = cosPolyLanes(rr);
  const qb = f64x2.add(q, f64x2.splat(TWO52));
  const odd = i64x2.eq(v128.and(qb, i64x2.splat(1)), i64x2.splat(1));
  const x = v128.bitselect(sn, cs, odd);
  const y = v128.bitselect(cs, sn, odd);
  const two = i64x2.splat(2);
  const cosA = v128.xor(x, i64x2.shl(v128.and(i64x2.add(qb, i64x2.splat(1)), two), 62));
  const sinA = v128.xor(y, i64x2.shl(v128.and(qb, two), 62));
  const n0 = f64x2.mul(rho, cosA);
  const n1 = f64x2.mul(rho, sinA);
  v128.store(pOut, v128.shuffle<f64>(n0, n1, 0, 2));
  v128.store(pOut, v128.shuffle<f64>(n0, n1, 1, 3), 16);
}

/** Writes philox(counter, key) for `count` consecutive counters c0, c0 + 1, … (the other
 * counter words fixed) as 4·count u32 at byte offset pOut: the known-answer test hook. */
export function philoxBlock(count: i32, c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, pOut: usize): void {
  for (let i = 0; i < count; i++) {
    philox(c0 + <u32>i, c1, c2, c3, k0, k1);
    const o = pOut + (<usize>i << 4);
    store<u32>(o, out0);
    store<u32>(o, out1, 4);
    store<u32>(o, out2, 8);
    store<u32>(o, out3, 12);
  }
}

/** Writes n standard normals at byte offset pOut: normals 2q and 2q + 1 come from
 * counter (q, c1, c2, c3), so any slice of the sequence can be regenerated alone. */
export function normals(n: i32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, pOut: usize): void {
  for (let i = 0; i < n; i += 2) {
    normalPair(<u32>(i >> 1), c1, c2, c3, k0, k1);
    store<f64>(pOut + (<usize>i << 3), normal0);
    if (i + 1 < n) store<f64>(pOut + (<usize>(i + 1) << 3), normal1);
  }
}
