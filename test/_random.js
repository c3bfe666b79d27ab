// Deterministic test and benchmark data, runtime-neutral (no imports): tests, benches and
// the demo draw the same vectors.
/**
 * Deterministic values in [-1, 1) (xorshift32), so failures reproduce.
 * @param {number} n
 * @param {number} [seed] any integer; 0 counts as 1
 * @returns {Float64Array}
 */
export function randomVector(n, seed = 1) {
  const v = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}
