// Philox4x32-10 (Salmon et al., SC'11): a counter-based generator. Every draw is a pure
// function of (counter, key), so a path's numbers do not depend on how the paths are
// split into chunks or workers, and every runtime produces the same bits.

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

// Box–Muller: z0 = ρ cos 2πu₂, z1 = ρ sin 2πu₂ with ρ = √(−2 ln u₁). ln and sin/cos are
// fdlibm's kernels (log: Lg1–Lg7; sin/cos on |r| ≤ π/4: S1–S6, C1–C6), written once for f64
// and once for f64x2 with the same operations, so the SIMD and scalar builds agree bitwise.
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;
const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
const PIO2 = 1.5707963267948966;
const TWO52: f64 = 4503599627370496.0;
const EXP_BIAS_MAGIC: u64 = 0x4330000000000000; // 2^52 as bits: OR a small integer in, subtract 2^52

// The two normals of the last normalPair() call.
export let normal0: f64 = 0;
export let normal1: f64 = 0;

/** Two independent standard normals (Box–Muller) from counter (c0..c3) and key (k0, k1). */
// @ts-ignore: decorator
@inline export function normalPair(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox(c0, c1, c2, c3, k0, k1);
  const u1 = uniform52(out0, out1);
  const u2 = uniform52(out2, out3);
  // ln u1, u1 ∈ (0, 1) normal: u1 = 2^e·m with m ∈ [√½, √2).
  const bits = reinterpret<u64>(u1);
  let e = reinterpret<f64>((bits >> 52) | EXP_BIAS_MAGIC) - (TWO52 + 1023.0);
  let m = reinterpret<f64>((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1.0;
  } else {
    m *= 1.0;
    e += 0.0;
  }
  const f = m - 1.0;
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  const lnU = e * LN2_HI - ((hfsq - (s * (hfsq + R) + e * LN2_LO)) - f);
  const rho = Math.sqrt(-2.0 * lnU);
  // 2πu2 = qπ/2 + r, |r| ≤ π/4.
  const v = 4.0 * u2;
  const q = nearest<f64>(v);
  const r = (v - q) * PIO2;
  const rr = r * r;
  const sn = r + r * rr * (S1 + rr * (S2 + rr * (S3 + rr * (S4 + rr * (S5 + rr * S6)))));
  const cs = 1.0 - 0.5 * rr + rr * rr * (C1 + rr * (C2 + rr * (C3 + rr * (C4 + rr * (C5 + rr * C6)))));
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
  const bits = u1;
  const one = f64x2.splat(1.0);
  let e = f64x2.sub(v128.or(i64x2.shr_u(bits, 52), i64x2.splat(EXP_BIAS_MAGIC)), f64x2.splat(TWO52 + 1023.0));
  let m = v128.or(v128.and(bits, i64x2.splat(0x000FFFFFFFFFFFFF)), i64x2.splat(0x3FF0000000000000));
  const big = f64x2.gt(m, f64x2.splat(Math.SQRT2));
  m = f64x2.mul(m, v128.bitselect(f64x2.splat(0.5), one, big));
  e = f64x2.add(e, v128.bitselect(one, f64x2.splat(0.0), big));
  const f = f64x2.sub(m, one);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w, f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(e, f64x2.splat(LN2_LO)));
  const lnU = f64x2.sub(f64x2.mul(e, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
  const rho = f64x2.sqrt(f64x2.mul(f64x2.splat(-2.0), lnU));
  const v = f64x2.mul(f64x2.splat(4.0), u2);
  const q = f64x2.nearest(v);
  const r = f64x2.mul(f64x2.sub(v, q), f64x2.splat(PIO2));
  const rr = f64x2.mul(r, r);
  let ps = f64x2.add(f64x2.splat(S5), f64x2.mul(rr, f64x2.splat(S6)));
  ps = f64x2.add(f64x2.splat(S4), f64x2.mul(rr, ps));
  ps = f64x2.add(f64x2.splat(S3), f64x2.mul(rr, ps));
  ps = f64x2.add(f64x2.splat(S2), f64x2.mul(rr, ps));
  ps = f64x2.add(f64x2.splat(S1), f64x2.mul(rr, ps));
  const sn = f64x2.add(r, f64x2.mul(f64x2.mul(r, rr), ps));
  let pc = f64x2.add(f64x2.splat(C5), f64x2.mul(rr, f64x2.splat(C6)));
  pc = f64x2.add(f64x2.splat(C4), f64x2.mul(rr, pc));
  pc = f64x2.add(f64x2.splat(C3), f64x2.mul(rr, pc));
  pc = f64x2.add(f64x2.splat(C2), f64x2.mul(rr, pc));
  pc = f64x2.add(f64x2.splat(C1), f64x2.mul(rr, pc));
  const cs = f64x2.add(f64x2.sub(one, f64x2.mul(f64x2.splat(0.5), rr)), f64x2.mul(f64x2.mul(rr, rr), pc));
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
