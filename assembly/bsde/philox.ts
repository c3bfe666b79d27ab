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

// The two normals of the last normalPair() call.
export let normal0: f64 = 0;
export let normal1: f64 = 0;

/** Two independent standard normals (Box–Muller) from counter (c0..c3) and key (k0, k1). */
// @ts-ignore: decorator
@inline export function normalPair(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox(c0, c1, c2, c3, k0, k1);
  const r = Math.sqrt(-2.0 * Math.log(uniform52(out0, out1)));
  const a = 6.283185307179586 * uniform52(out2, out3);
  normal0 = r * Math.cos(a);
  normal1 = r * Math.sin(a);
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
