// Deterministic test and benchmark data, runtime-neutral (no imports): tests, benches and
// the demo draw the same vectors.

/**
 * Successive states of xorshift32 (Marsaglia's 13, 17, 5) from `seed`: uniform 32-bit words.
 * @param {number} n
 * @param {number} [seed] any integer; 0 counts as 1
 * @returns {Uint32Array}
 */
export function randomBits(n, seed = 1) {
  const v = new Uint32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    v[i] = s;
  }
  return v;
}

/**
 * Deterministic values in [-1, 1) (xorshift32), so failures reproduce.
 * @param {number} n
 * @param {number} [seed] any integer; 0 counts as 1
 * @returns {Float64Array}
 */
export function randomVector(n, seed = 1) {
  return Float64Array.from(randomBits(n, seed), (s) => s / 2 ** 31 - 1);
}
