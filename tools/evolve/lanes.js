// Bit-exact JavaScript emulation of wasm lane arithmetic, for the search targets: float32
// rounding after every operation (Math.fround of one + − × ÷ of float32 operands is the
// float32 result; wasm has no FMA), ties-to-even rounding as f32x4.nearest, and the integer
// views of a float32 that the range reductions use.
export const f = Math.fround;

/** Ties-to-even rounding, as f32x4.nearest and f64x2.nearest. */
export function nearest(z) {
  const fl = Math.floor(z),
    d = z - fl;
  return d > 0.5 ? fl + 1 : d < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
}

const F32 = new Float32Array(1),
  U32 = new Uint32Array(F32.buffer),
  I32 = new Int32Array(F32.buffer);

/** The bits of a float32 as an int32 (i32x4 view of an f32x4 lane). */
export function bitsOf(x) {
  F32[0] = x;
  return I32[0];
}

/** The float32 with these bits (an int32 or uint32). */
export function fromBits(b) {
  U32[0] = b >>> 0;
  return F32[0];
}

/** 2^k as float32 for k ∈ [−126, 127]. */
export const pow2 = (k) => 2 ** k;
