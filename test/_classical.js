// A plain-JavaScript reference of classical AMG's prolongator (assembly/multigrid/classical.ts):
// strength, RS and PMIS splittings, direct / classical / extended+i interpolation and
// truncation, written for reading. Floating-point operations happen in the same order as in
// the wasm kernels, so results agree bit for bit.

/** @typedef {{ rows: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} Csr */
/** @typedef {{ indptr: Int32Array, indices: Int32Array }} Pattern */

export const C = 1,
  F = 0,
  ISO = -1;

/**
 * Strong dependencies, as hypre_BoomerAMGCreateS: with a_ii < 0, j ≠ i is strong when
 * a_ij > θ·max(0, max_{k≠i} a_ik); otherwise when a_ij < θ·min(0, min_{k≠i} a_ik) (strict);
 * a row with |a_ii + Σ_{k≠i} a_ik| > |a_ii|·maxRowSum (maxRowSum < 1) has none.
 * @param {Csr} A
 * @param {number} theta
 * @param {number} [maxRowSum]
 * @returns {Pattern}
 */
export function strength(A, theta, maxRowSum = 0.9) {
  const n = A.rows,
    indptr = new Int32Array(n + 1),
    cols = [];
  for (let i = 0; i < n; i++) {
    let diag = 0;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) if (A.indices[k] === i) diag = A.data[k];
    let scale = 0,
      rowSum = diag;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
      if (A.indices[k] === i) continue;
      scale = diag < 0 ? Math.max(scale, A.data[k]) : Math.min(scale, A.data[k]);
      rowSum += A.data[k];
    }
    if (!(maxRowSum < 1 && Math.abs(rowSum) > Math.abs(diag) * maxRowSum)) {
      const threshold = theta * scale;
      for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
        const a = A.data[k];
        if (A.indices[k] !== i && (diag < 0 ? a > threshold : a < threshold)) cols.push(A.indices[k]);
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

// hypre's marker values during a splitting.
const H_C = 1,
  H_F = -1,
  H_Z = -2,
  H_SF = -3,
  H_U = 2;

/**
 * hypre's marker (1 C, −1 F, −3 SF: no strong dependency) as ours (1, 0, −1).
 * @param {Int8Array} cf
 */
function toOurs(cf) {
  return cf.map((v) => (v === H_C ? C : v === H_SF ? ISO : F));
}

/**
 * hypre_BoomerAMGCoarsenRuge's first pass with coarsen_type 10 (HMIS's), on one process:
 * measure λ_i = |Sᵀ_i|; points without strong dependencies are SF (never C); points with
 * λ = 0 are Z (F) and add 1 to λ of their dependencies; the others sit on FIFO lists, one
 * per λ. Repeatedly the head of the largest λ's list becomes C; its undecided dependents
 * become F, each of their undecided dependencies k gets λ_k + 1 (re-entered at the tail);
 * its undecided dependencies get λ − 1, and those reaching 0 become F and add 1 to their
 * own undecided dependencies.
 * @param {Pattern} S
 * @param {Pattern} T
 * @param {number} n
 * @returns {Int8Array} hypre's markers (C, F, Z, SF)
 */
function ruge(S, T, n) {
  const cf = new Int8Array(n),
    measure = new Int32Array(n),
    next = new Int32Array(n),
    prev = new Int32Array(n),
    head = new Int32Array(2 * n + 1).fill(-1),
    tail = new Int32Array(2 * n + 1).fill(-1);
  let top = 0,
    left = 0;
  const enter = (/** @type {number} */ i) => {
    const m = measure[i];
    prev[i] = tail[m];
    next[i] = -1;
    if (tail[m] >= 0) next[tail[m]] = i;
    else head[m] = i;
    tail[m] = i;
    if (m > top) top = m;
  };
  const remove = (/** @type {number} */ i) => {
    const m = measure[i];
    if (prev[i] >= 0) next[prev[i]] = next[i];
    else head[m] = next[i];
    if (next[i] >= 0) prev[next[i]] = prev[i];
    else tail[m] = prev[i];
  };
  const Srow = (/** @type {number} */ i) => S.indices.subarray(S.indptr[i], S.indptr[i + 1]);
  /** Adds 1 to λ of i's undecided dependencies (re-entering them at their new list's tail). */
  const bump = (/** @type {number} */ i) => {
    for (const k of Srow(i)) {
      if (cf[k] !== H_U) continue;
      remove(k);
      measure[k]++;
      enter(k);
    }
  };
  for (let i = 0; i < n; i++) {
    measure[i] = T.indptr[i + 1] - T.indptr[i];
    if (S.indptr[i] === S.indptr[i + 1]) {
      cf[i] = H_SF;
      measure[i] = 0;
    } else {
      cf[i] = H_U;
      left++;
    }
  }
  for (let j = 0; j < n; j++) {
    if (cf[j] === H_SF) continue;
    if (measure[j] > 0) {
      enter(j);
      continue;
    }
    cf[j] = H_Z;
    for (const k of Srow(j)) {
      if (cf[k] === H_SF) continue;
      if (k < j) {
        if (measure[k] > 0) remove(k);
        measure[k]++;
        enter(k);
      } else measure[k]++;
    }
    left--;
  }
  while (left > 0) {
    while (head[top] < 0) top--;
    const i = head[top];
    cf[i] = H_C;
    remove(i);
    measure[i] = 0;
    left--;
    for (let q = T.indptr[i]; q < T.indptr[i + 1]; q++) {
      const j = T.indices[q];
      if (cf[j] !== H_U) continue;
      cf[j] = H_F;
      remove(j);
      left--;
      bump(j);
    }
    for (const j of Srow(i)) {
      if (cf[j] !== H_U) continue;
      remove(j);
      measure[j]--;
      if (measure[j] > 0) enter(j);
      else {
        cf[j] = H_F;
        left--;
        bump(j);
      }
    }
  }
  return cf;
}

/**
 * hypre_BoomerAMGCoarsenPMISHost on one process: measures |Sᵀ_i| + r_i with r_i hypre's
 * Park–Miller sequence seeded 2747 (hypre_Rand, in row order). With `init` (HMIS) the
 * markers of `ruge` are the start: its C points stay C and its F points without a strong C
 * dependency are undecided again; otherwise every point with strong dependencies starts
 * undecided (the others SF). Each round (the first skipped with `init`), undecided points
 * with measure > 1 not beaten by an undecided neighbour in S become C, then undecided
 * points with measure < 1 or a strong C dependency become F.
 * @param {Pattern} S
 * @param {Pattern} T
 * @param {number} n
 * @param {Int8Array} cf hypre's markers, updated
 * @param {boolean} init
 */
function pmis(S, T, n, cf, init) {
  const measure = new Float64Array(n);
  let seed = 2747;
  for (let i = 0; i < n; i++) {
    const hi = Math.floor(seed / 127773),
      lo = seed % 127773,
      t = 16807 * lo - 2836 * hi;
    seed = t > 0 ? t : t + 2147483647;
    measure[i] = T.indptr[i + 1] - T.indptr[i] + seed / 2147483647;
  }
  const Srow = (/** @type {number} */ i) => S.indices.subarray(S.indptr[i], S.indptr[i + 1]);
  /** @type {number[]} */
  let graph = [];
  for (let i = 0; i < n; i++) {
    if (init) {
      if (cf[i] === H_SF) {
        measure[i] = 0;
        continue;
      }
      if (cf[i] === H_F) cf[i] = 0;
      if (cf[i] === H_Z) {
        if (measure[i] >= 1 || S.indptr[i + 1] > S.indptr[i]) {
          cf[i] = 0;
          graph.push(i);
        } else cf[i] = H_F;
      } else graph.push(i);
    } else if (S.indptr[i] === S.indptr[i + 1]) {
      cf[i] = H_SF;
      measure[i] = 0;
    } else {
      cf[i] = 0;
      graph.push(i);
    }
  }
  for (let iter = 0; graph.length > 0; iter++) {
    if (!init || iter > 0) {
      for (const i of graph) if (measure[i] > 1) cf[i] = 1;
      for (const i of graph) {
        if (!(measure[i] > 1)) continue;
        for (const j of Srow(i)) {
          if (!(measure[j] > 1)) continue;
          if (measure[i] > measure[j]) cf[j] = 0;
          else if (measure[j] > measure[i]) cf[i] = 0;
        }
      }
    }
    for (const i of graph) {
      if (measure[i] < 1) cf[i] = H_F;
      if (cf[i] > 0) cf[i] = H_C;
      else for (const j of Srow(i)) if (cf[j] > 0) cf[i] = H_F;
    }
    for (const i of graph) if (cf[i] !== 0) measure[i] = 0;
    graph = graph.filter((i) => cf[i] === 0);
  }
}

/**
 * HMIS on one process (hypre's coarsen_type 10): `ruge`, then `pmis` from its markers.
 * @param {Pattern} S
 * @param {number} n
 * @returns {Int8Array}
 */
export function rsSplitting(S, n) {
  const T = transposePattern(S, n);
  const cf = ruge(S, T, n);
  pmis(S, T, n, cf, true);
  return toOurs(cf);
}

/**
 * PMIS as hypre's coarsen_type 8 on one process.
 * @param {Pattern} S
 * @param {number} n
 * @returns {Int8Array}
 */
export function pmisSplitting(S, n) {
  const T = transposePattern(S, n);
  const cf = new Int8Array(n);
  pmis(S, T, n, cf, false);
  return toOurs(cf);
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
    /** @type {Map<number, number>} interpolation set → weight (numerator, then w), in
     * hypre's order: S_i's C points and, for extended+i, the C points of S_i's F points
     * where they come */
    const w = new Map();
    /** @type {Set<number>} */
    const strongF = new Set();
    for (const j of Srow(i)) {
      if (cf[j] === C) {
        if (!w.has(j)) w.set(j, 0);
      } else if (cf[j] === F && kind === "extended+i") {
        strongF.add(j);
        for (const l of Srow(j)) if (cf[l] === C && !w.has(l)) w.set(l, 0);
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
      return [...w];
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
    return out;
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
      row = [...row];
      qsortAbs(row, 0, row.length - 1);
      row = row.slice(0, maxElements);
      for (const e of row) scale += e[1];
      row = rescale(row, rowSum, scale);
    }
    row = [...row].sort((x, y) => x[0] - y[0]);
    for (const [j, v] of row) {
      cols.push(coarse[j]);
      vals.push(v);
    }
    indptr[i + 1] = cols.length;
  }
  return { rows: n, cols: nc, indptr, indices: Int32Array.from(cols), data: Float64Array.from(vals) };
}

/**
 * hypre_qsort2_abs: |w| descending, its quicksort (middle element as pivot), whose order
 * among equal |w| is the truncation's tie-break.
 * @param {[number, number][]} row
 * @param {number} left
 * @param {number} right
 */
function qsortAbs(row, left, right) {
  if (left >= right) return;
  const swap = (/** @type {number} */ a, /** @type {number} */ b) => {
    const t = row[a];
    row[a] = row[b];
    row[b] = t;
  };
  swap(left, (left + right) >> 1);
  let last = left;
  for (let i = left + 1; i <= right; i++) if (Math.abs(row[i][1]) > Math.abs(row[left][1])) swap(++last, i);
  swap(left, last);
  qsortAbs(row, left, last - 1);
  qsortAbs(row, last + 1, right);
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
