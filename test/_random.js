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

/**
 * A weighted graph Laplacian plus 0.01·I as COO triplets: n nodes, up to 3n random edges
 * (self-loops skipped), each of weight 0.1 + u; `uniform()` draws u ∈ [0, 1) (three per
 * edge: the two ends, then the weight). SPD, an M-matrix, irregular.
 * @param {number} n
 * @param {() => number} uniform
 */
export function graphLaplacianCoo(n, uniform) {
  /** @type {number[]} */
  const row = [],
    /** @type {number[]} */
    col = [],
    /** @type {number[]} */
    data = [],
    deg = new Float64Array(n);
  for (let e = 0; e < 3 * n; e++) {
    const i = Math.floor(uniform() * n),
      j = Math.floor(uniform() * n),
      w = 0.1 + uniform();
    if (i === j) continue;
    row.push(i, j);
    col.push(j, i);
    data.push(-w, -w);
    deg[i] += w;
    deg[j] += w;
  }
  for (let i = 0; i < n; i++) {
    row.push(i);
    col.push(i);
    data.push(deg[i] + 0.01);
  }
  return { rows: n, cols: n, row, col, data };
}
