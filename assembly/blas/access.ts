// Element access on raw f64 and i32 arrays at byte offsets: the one pair of load helpers
// every kernel uses (inlined: a load with a scaled index).

/** p[i] of an f64 array at byte offset p. */
// @ts-ignore: decorator
@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** p[i] of an i32 array at byte offset p. */
// @ts-ignore: decorator
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
