// Philox4x32-10 (Salmon et al., Random123) in plain JavaScript: the test suite's reference
// for assembly/xva/philox.ts and the plain-JS baseline of the xVA bench. Runtime-neutral.

/**
 * High 32 bits of a·b for 32-bit unsigned a, b, from 16-bit halves (exact in doubles).
 * @param {number} a @param {number} b
 */
function mulhi(a, b) {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const mid = ((a0 * b0) >>> 16) + ((a1 * b0) & 0xffff) + a0 * b1;
  return (a1 * b1 + ((a1 * b0) >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * Ten Philox rounds of the counter (c0, c1, c2, c3) under the key (k0, k1), written into
 * `out` (no allocation, for the bench's inner loop).
 * @param {number} c0 @param {number} c1 @param {number} c2 @param {number} c3
 * @param {number} k0 @param {number} k1
 * @param {Uint32Array} out four words
 */
export function philox4x32(c0, c1, c2, c3, k0, k1, out) {
  for (let r = 0; r < 10; r++) {
    const h0 = mulhi(0xd2511f53, c0);
    const l0 = Math.imul(0xd2511f53, c0) >>> 0;
    const h1 = mulhi(0xcd9e8d57, c2);
    const l1 = Math.imul(0xcd9e8d57, c2) >>> 0;
    c0 = (h1 ^ c1 ^ k0) >>> 0;
    c1 = l1;
    c2 = (h0 ^ c3 ^ k1) >>> 0;
    c3 = l0;
    k0 = (k0 + 0x9e3779b9) >>> 0;
    k1 = (k1 + 0xbb67ae85) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}
