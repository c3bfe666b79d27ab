// A plain-JavaScript reference of classical AMG's prolongator (assembly/multigrid/classical.ts):
// strength, RS and PMIS splittings, direct / classical / extended+i interpolation and
// truncation, written for reading. Floating-point operations happen in the same order as in
// the wasm kernels, so results agree bit for bit.

/** @typedef {{ rows: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} Csr */
/** @typedef {{ indptr: Int32Array, indices: Int32Array }} Pattern */

export const C = 1,
  F = 0,
  ISO = -1;
const U = 2;

/**
 * Strong dependencies: with s = −1 when a_ii < 0 and +1 otherwise, j ≠ i is strong when
 * v = −s·a_ij ≥ θ·max_{k≠i}(−s·a_ik) and v > 0.
 * @param {Csr} A
 * @param {number} theta
 * @returns {Pattern}
 */
export function strength(A, theta) {
  const n = A.rows,
    indptr = new Int32Array(n + 1),
    cols = [];
  for (let i = 0; i < n; i++) {
    let diag = 0,
      maxNeg = 0,
      maxPos = 0;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
      const a = A.data[k];
      if (A.indices[k] === i) diag = a;
      else {
        maxNeg = Math.max(maxNeg, -a);
        maxPos = Math.max(maxPos, a);
      }
    }
    const flip = diag < 0;
    const m = flip ? maxPos : maxNeg;
    if (m > 0) {
      const threshold = theta * m;
      for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
        const v = flip ? A.data[k] : -A.data[k];
        if (A.indices[k] !== i && v >= threshold && v > 0) cols.push(A.indices[k]);
      }
    }
    indptr[i + 1] = cols.length;
  }
  return { indptr, indices: Int32Array.from(cols) };
}

/**
 * The transpose of a pattern (rows sorted).
 * @param {Pattern} S
 * @param {number} n
 * @returns {Pattern}
 */
export function transposePattern(S, n) {
  /** @type {number[][]} */
  const rows = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (let q = S.indptr[i]; q < S.indptr[i + 1]; q++) rows[S.indices[q]].push(i);
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + rows[i].length;
  return { indptr, indices: Int32Array.from(rows.flat()) };
}

/**
 * @param {Pattern} S
 * @param {Pattern} T
 * @param {Int8Array} cf
 */
function markIsolated(S, T, cf) {
  for (let i = 0; i < cf.length; i++) if (S.indptr[i] === S.indptr[i + 1] && T.indptr[i] === T.indptr[i + 1]) cf[i] = ISO;
}

/**
 * Ruge–Stüben first pass with PyAMG's rs_cf_splitting's array of λ intervals (same moves,
 * so the same ties).
 * @param {Pattern} S
 * @param {number} n
 * @returns {Int8Array}
 */
export function rsSplitting(S, n) {
  const T = transposePattern(S, n);
  const lambda = new Int32Array(n),
    ptr = new Int32Array(n + 1),
    count = new Int32Array(n + 1),
    nodeAt = new Int32Array(n),
    indexOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lambda[i] = T.indptr[i + 1] - T.indptr[i];
    count[lambda[i]]++;
  }
  for (let l = 0, sum = 0; l <= n; l++) {
    ptr[l] = sum;
    sum += count[l];
    count[l] = 0;
  }
  for (let i = 0; i < n; i++) {
    const at = ptr[lambda[i]] + count[lambda[i]]++;
    nodeAt[at] = i;
    indexOf[i] = at;
  }
  /** Exchanges the array positions of node a and the node at position p. */
  const swapTo = (/** @type {number} */ a, /** @type {number} */ p) => {
    const b = nodeAt[p],
      q = indexOf[a];
    indexOf[b] = q;
    indexOf[a] = p;
    nodeAt[q] = b;
    nodeAt[p] = a;
  };
  const cf = new Int8Array(n).map((_, i) => (lambda[i] === 0 ? F : U));
  for (let top = n - 1; top >= 0; top--) {
    const i = nodeAt[top];
    count[lambda[i]]--;
    if (lambda[i] <= 0) break;
    if (cf[i] !== U) continue;
    cf[i] = C;
    const newF = [];
    for (let q = T.indptr[i]; q < T.indptr[i + 1]; q++) {
      const j = T.indices[q];
      if (cf[j] === U) {
        cf[j] = F;
        newF.push(j);
      }
    }
    for (const j of newF) {
      for (let r = S.indptr[j]; r < S.indptr[j + 1]; r++) {
        const k = S.indices[r],
          lk = lambda[k];
        if (cf[k] !== U || lk >= n - 1) continue;
        swapTo(k, ptr[lk] + count[lk] - 1); // to the top of its interval, which becomes λ + 1's
        count[lk]--;
        count[lk + 1]++;
        ptr[lk + 1] = indexOf[k];
        lambda[k]++;
      }
    }
    for (let q = S.indptr[i]; q < S.indptr[i + 1]; q++) {
      const j = S.indices[q],
        lj = lambda[j];
      if (cf[j] !== U || lj === 0) continue;
      swapTo(j, ptr[lj]); // to the bottom of its interval, which becomes λ − 1's
      count[lj]--;
      count[lj - 1]++;
      ptr[lj]++;
      ptr[lj - 1] = ptr[lj] - count[lj - 1];
      lambda[j]--;
    }
  }
  for (let i = 0; i < n; i++) if (cf[i] === U) cf[i] = F;
  markIsolated(S, T, cf);
  return cf;
}

/**
 * Wellons' lowbias32, PMIS's tie-breaker.
 * @param {number} x
 */
export function mix32(x) {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * PMIS with weights (|Sᵀ_i|, mix32(i)) compared lexicographically.
 * @param {Pattern} S
 * @param {number} n
 * @returns {Int8Array}
 */
export function pmisSplitting(S, n) {
  const T = transposePattern(S, n);
  const lam = (/** @type {number} */ i) => T.indptr[i + 1] - T.indptr[i];
  const greater = (/** @type {number} */ a, /** @type {number} */ b) => lam(a) > lam(b) || (lam(a) === lam(b) && mix32(a) > mix32(b));
  const cf = new Int8Array(n);
  let left = [];
  for (let i = 0; i < n; i++) {
    cf[i] = lam(i) === 0 ? F : U;
    if (cf[i] === U) left.push(i);
  }
  while (left.length > 0) {
    const chosen = left.filter((i) => {
      const nbrs = [...S.indices.subarray(S.indptr[i], S.indptr[i + 1]), ...T.indices.subarray(T.indptr[i], T.indptr[i + 1])];
      return nbrs.every((j) => cf[j] !== U || !greater(j, i));
    });
    for (const i of chosen) cf[i] = C;
    for (const i of chosen) for (let r = T.indptr[i]; r < T.indptr[i + 1]; r++) if (cf[T.indices[r]] === U) cf[T.indices[r]] = F;
    left = left.filter((i) => cf[i] === U);
  }
  markIsolated(S, T, cf);
  return cf;
}

/**
 * The prolongator before and after truncation, as CSR arrays.
 * @param {Csr} A
 * @param {Pattern} S
 * @param {Int8Array} cf
 * @param {"direct" | "classical" | "extended+i"} kind
 * @param {number} maxElements
 * @param {number} tau
 * @returns {{ rows: number, cols: number, indptr: Int32Array, indices: Int32Array, data: Float64Array }}
 */
export function prolongator(A, S, cf, kind, maxElements, tau) {
  const n = A.rows;
  const coarse = new Int32Array(n).fill(-1);
  let nc = 0;
  for (let i = 0; i < n; i++) if (cf[i] === C) coarse[i] = nc++;
  const entry = (/** @type {number} */ i, /** @type {number} */ j) => {
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) if (A.indices[k] === j) return A.data[k];
    return 0;
  };
  const Srow = (/** @type {number} */ i) => Array.from(S.indices.subarray(S.indptr[i], S.indptr[i + 1]));
  /** @type {[number, number][][]} rows of (fine column, weight) */
  const rows = [];
  for (let i = 0; i < n; i++) {
    if (cf[i] === C) rows.push([[i, 1]]);
    else if (cf[i] !== F) rows.push([]);
    else rows.push(interpolate(i));
  }

  /** @param {number} i */
  function interpolate(i) {
    const strongC = Srow(i).filter((j) => cf[j] === C);
    /** @type {Map<number, number>} interpolation set → weight (numerator, then w) */
    const w = new Map();
    for (const j of strongC) w.set(j, 0);
    /** @type {Set<number>} */
    const strongF = new Set();
    if (kind === "extended+i") {
      for (const k of Srow(i)) {
        if (cf[k] !== F) continue;
        strongF.add(k);
        for (const l of Srow(k)) if (cf[l] === C && !w.has(l)) w.set(l, 0);
      }
    }
    if (w.size === 0) return [];
    const row = [];
    for (let q = A.indptr[i]; q < A.indptr[i + 1]; q++) row.push([A.indices[q], A.data[q]]);
    if (kind === "direct") {
      let strongNeg = 0,
        strongPos = 0,
        allNeg = 0,
        allPos = 0,
        d = 0;
      for (const [j, a] of row) {
        if (j === i) {
          d += a;
          continue;
        }
        if (a < 0) allNeg += a;
        else allPos += a;
        if (w.has(j)) {
          if (a < 0) strongNeg += a;
          else strongPos += a;
        }
      }
      const alpha = allNeg / strongNeg;
      let beta = allPos / strongPos;
      if (strongPos === 0) {
        d += allPos;
        beta = 0;
      }
      const neg = d !== 0 ? -alpha / d : alpha,
        pos = d !== 0 ? -beta / d : beta;
      for (const j of w.keys()) {
        const a = entry(i, j);
        w.set(j, a < 0 ? neg * a : pos * a);
      }
      return [...w].sort((x, y) => x[0] - y[0]);
    }
    if (kind === "classical") {
      // Strong F neighbours sharing a strong C point with i; the others are weak.
      for (const k of Srow(i)) if (cf[k] === F && Srow(k).some((l) => strongC.includes(l))) strongF.add(k);
    }
    const withI = kind === "extended+i";
    let d = withI ? entry(i, i) : 0;
    for (const [j, a] of row) {
      if (j === i) {
        if (!withI) d += a;
        continue;
      }
      if (w.has(j)) w.set(j, /** @type {number} */ (w.get(j)) + a);
      else if (strongF.has(j)) {
        const neg = entry(j, j) < 0;
        const opposite = (/** @type {number} */ b) => (neg ? b > 0 : b < 0);
        let sum = 0;
        for (let r = A.indptr[j]; r < A.indptr[j + 1]; r++) {
          const l = A.indices[r],
            b = A.data[r];
          if (l !== j && (w.has(l) || (withI && l === i)) && opposite(b)) sum += b;
        }
        if (sum !== 0) {
          for (let r = A.indptr[j]; r < A.indptr[j + 1]; r++) {
            const l = A.indices[r],
              b = A.data[r];
            if (l === j || !opposite(b)) continue;
            if (withI) {
              if (w.has(l)) w.set(l, /** @type {number} */ (w.get(l)) + (a / sum) * b);
              if (l === i) d += (a / sum) * b;
            } else if (w.has(l)) w.set(l, /** @type {number} */ (w.get(l)) + (a * b) / sum);
          }
        } else if (withI) d += a;
      } else if (!withI || cf[j] !== ISO) d += a;
    }
    const out = [...w];
    if (d !== 0) for (const e of out) e[1] = e[1] / -d;
    return out.sort((x, y) => x[0] - y[0]);
  }

  const indptr = new Int32Array(n + 1),
    cols = [],
    vals = [];
  for (let i = 0; i < n; i++) {
    let row = rows[i];
    if (tau > 0 && row.length > 0) {
      const drop = tau * Math.max(...row.map((e) => Math.abs(e[1])));
      let rowSum = 0,
        scale = 0;
      for (const e of row) rowSum += e[1];
      row = row.filter((e) => Math.abs(e[1]) >= drop);
      for (const e of row) scale += e[1];
      row = rescale(row, rowSum, scale);
    }
    if (maxElements > 0 && row.length > maxElements) {
      let rowSum = 0,
        scale = 0;
      for (const e of row) rowSum += e[1];
      row = [...row].sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]) || x[0] - y[0]).slice(0, maxElements);
      for (const e of row) scale += e[1];
      row = rescale(row, rowSum, scale).sort((x, y) => x[0] - y[0]);
    }
    for (const [j, v] of row) {
      cols.push(coarse[j]);
      vals.push(v);
    }
    indptr[i + 1] = cols.length;
  }
  return { rows: n, cols: nc, indptr, indices: Int32Array.from(cols), data: Float64Array.from(vals) };
}

/**
 * hypre's rescaling: the kept entries times (row sum before) / (row sum kept).
 * @param {[number, number][]} row
 * @param {number} rowSum
 * @param {number} scale
 * @returns {[number, number][]}
 */
function rescale(row, rowSum, scale) {
  if (scale === 0 || scale === rowSum) return row;
  const s = rowSum / scale;
  return row.map(([j, v]) => [j, v * s]);
}
