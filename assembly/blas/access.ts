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

/** p[i] ← v in an f64 array at byte offset p. */
// @ts-ignore: decorator
@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** p[i] ← v in an i32 array at byte offset p. */
// @ts-ignore: decorator
@inline export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}
