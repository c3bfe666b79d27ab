// Incomplete LU factorisations A ≈ L·U computed in JavaScript (Saad, Iterative Methods for
// Sparse Linear Systems, 2nd ed.: ILU(0) is Algorithm 10.4, the IKJ variant; ILUT(τ, p) is
// Algorithm 10.6). Both work by rows of a CSR matrix with sorted columns and return L unit
// lower triangular with its 1 stored last in each row, and U upper triangular with the
// pivot stored first: the layout the TRIANGULAR preconditioner kind solves with in wasm.
import { SolvewasmError } from "../errors.js";

/** CSR arrays (0-based, columns sorted within each row). */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** The factors and what the factorisation did. */
export interface IncompleteLu {
  L: Csr;
  U: Csr;
  /** Pivots |u_ii| below the pivot floor, replaced by ±floor (see `pivotFloor`). */
  modifiedPivots: number;
}

/**
 * The smallest pivot magnitude kept for row i: (10⁻⁴ + τ)·‖a_i‖₂, SPARSKIT's ILUT value for a
 * zero pivot (τ = 0 for ILU(0)). A pivot below it is replaced by ±floor (the sign of u_ii,
 * + for 0) and counted.
 */
export function pivotFloor(rowNorm: number, dropTol: number): number {
  return (1e-4 + dropTol) * rowNorm;
}

/** ‖a_i‖₂ without overflow or underflow (scaled by the largest magnitude). */
function rowNorm(data: Float64Array, start: number, end: number): number {
  let big = 0;
  for (let k = start; k < end; k++) big = Math.max(big, Math.abs(data[k]));
  if (big === 0) return 0;
  let s = 0;
  for (let k = start; k < end; k++) {
    const v = data[k] / big;
    s += v * v;
  }
  return big * Math.sqrt(s);
}

/**
 * The checks both factorisations share: finite values, a stored diagonal entry in every row
 * and no zero row (INVALID_MATRIX otherwise: nothing could replace that pivot). Returns
 * each row's 2-norm and the position of its diagonal entry.
 */
function rowsChecked(A: Csr, what: string): { norms: Float64Array; diag: Int32Array } {
  const n = A.rows;
  const norms = new Float64Array(n);
  const diag = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = A.indptr[i],
      e = A.indptr[i + 1];
    diag[i] = -1;
    for (let k = s; k < e; k++) {
      const v = A.data[k];
      if (!Number.isFinite(v)) throw new SolvewasmError("NOT_FINITE", `${what}: A[${i}][${A.indices[k]}] is ${v}`);
      if (A.indices[k] === i) diag[i] = k;
    }
    if (diag[i] < 0) {
      throw new SolvewasmError("INVALID_MATRIX", `${what} needs every diagonal entry stored; row ${i} has none, so its pivot would be structurally zero`);
    }
    norms[i] = rowNorm(A.data, s, e);
    if (norms[i] === 0) throw new SolvewasmError("INVALID_MATRIX", `${what}: row ${i} of A is zero (A is singular)`);
  }
  return { norms, diag };
}

/** u_ii, or ±floor when |u_ii| is below it. */
function fixPivot(u: number, floor: number): number {
  if (Math.abs(u) >= floor) return u;
  return u < 0 ? -floor : floor;
}

function overflowed(what: string, i: number): never {
  throw new SolvewasmError("NOT_FINITE", `${what}: the factorisation overflowed float64 in row ${i} (scale A down)`);
}

/**
 * ILU(0): L·U agrees with A on A's pattern, no fill. For each row i in turn and each k < i in
 * its pattern (ascending): a_ik ← a_ik / u_kk, then a_ij ← a_ij − a_ik·u_kj for the j > k of
 * row k that row i also holds; u_ii is then checked against the pivot floor.
 */
export function ilu0(A: Csr, what = "precond.ilu0"): IncompleteLu {
  const n = A.rows;
  const { norms, diag } = rowsChecked(A, what);
  const { indptr, indices } = A;
  const w = A.data.slice();
  const pos = new Int32Array(n).fill(-1);
  let modifiedPivots = 0;
  for (let i = 0; i < n; i++) {
    const s = indptr[i],
      e = indptr[i + 1];
    for (let t = s; t < e; t++) pos[indices[t]] = t;
    for (let t = s; t < diag[i]; t++) {
      const k = indices[t];
      const lik = w[t] / w[diag[k]];
      w[t] = lik;
      for (let q = diag[k] + 1, qe = indptr[k + 1]; q < qe; q++) {
        const p = pos[indices[q]];
        if (p >= 0) w[p] -= lik * w[q];
      }
    }
    const floor = pivotFloor(norms[i], 0);
    const u = fixPivot(w[diag[i]], floor);
    if (u !== w[diag[i]]) modifiedPivots++;
    w[diag[i]] = u;
    for (let t = s; t < e; t++) {
      pos[indices[t]] = -1;
      if (!Number.isFinite(w[t])) overflowed(what, i);
    }
  }
  // Split into L (strict lower part, then the unit diagonal) and U (diagonal first).
  const lptr = new Int32Array(n + 1),
    uptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    lptr[i + 1] = lptr[i] + (diag[i] - indptr[i]) + 1;
    uptr[i + 1] = uptr[i] + (indptr[i + 1] - diag[i]);
  }
  const L = { rows: n, cols: n, indptr: lptr, indices: new Int32Array(lptr[n]), data: new Float64Array(lptr[n]) };
  const U = { rows: n, cols: n, indptr: uptr, indices: new Int32Array(uptr[n]), data: new Float64Array(uptr[n]) };
  for (let i = 0; i < n; i++) {
    let l = lptr[i];
    for (let t = indptr[i]; t < diag[i]; t++, l++) {
      L.indices[l] = indices[t];
      L.data[l] = w[t];
    }
    L.indices[l] = i;
    L.data[l] = 1;
    for (let t = diag[i], u = uptr[i]; t < indptr[i + 1]; t++, u++) {
      U.indices[u] = indices[t];
      U.data[u] = w[t];
    }
  }
  return { L, U, modifiedPivots };
}

/** A growable CSR being written row by row. */
class RowWriter {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
  nnz = 0;
  constructor(
    readonly n: number,
    capacity: number,
  ) {
    this.indptr = new Int32Array(n + 1);
    this.indices = new Int32Array(Math.max(capacity, 16));
    this.data = new Float64Array(Math.max(capacity, 16));
  }
  push(j: number, v: number): void {
    if (this.nnz === this.indices.length) {
      const indices = new Int32Array(2 * this.nnz),
        data = new Float64Array(2 * this.nnz);
      indices.set(this.indices);
      data.set(this.data);
      this.indices = indices;
      this.data = data;
    }
    this.indices[this.nnz] = j;
    this.data[this.nnz++] = v;
  }
  endRow(i: number): void {
    this.indptr[i + 1] = this.nnz;
  }
  done(): Csr {
    return { rows: this.n, cols: this.n, indptr: this.indptr, indices: this.indices.slice(0, this.nnz), data: this.data.slice(0, this.nnz) };
  }
}

/** A binary min-heap of column indices (the lower part's columns still to eliminate). */
class MinHeap {
  a: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Int32Array(Math.max(capacity, 1));
  }
  push(v: number): void {
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const v = a[--this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && a[c + 1] < a[c]) c++;
      if (a[c] >= v) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = v;
    return top;
  }
}

/**
 * The `p` entries of `cols` of largest `size` — ties go to the lower column — returned
 * sorted by column.
 */
function largest(cols: number[], size: (j: number) => number, p: number): number[] {
  if (cols.length > p) {
    cols.sort((a, b) => size(b) - size(a) || a - b);
    cols.length = p;
  }
  return cols.sort((a, b) => a - b);
}

/**
 * ILUT(τ, p), Saad's Algorithm 10.6 with L measured before the division by the pivot. Row i
 * is expanded into a dense work row w; with τ_i = τ·‖a_i‖₂, each k < i holding a nonzero,
 * smallest first (fill included), is dropped when |w_k| < τ_i, and otherwise becomes
 * l_ik = w_k / u_kk and updates w ← w − l_ik·u_k. Then the U part's entries below τ_i (or
 * zero) are dropped, and only the p largest of the L part (by |l_ik·u_kk|, the w_k tested)
 * and of the U part (by |u_ij|) are kept, ties to the lower column; the diagonal always
 * stays, checked against the pivot floor (10⁻⁴ + τ)·‖a_i‖₂. (The book tests the quotient
 * l_ik itself against τ_i, which drops every multiplier of a matrix with large entries:
 * measuring w_k makes dropping the same for A and any row scaling D·A, as MATLAB's ilu does.)
 */
export function ilut(A: Csr, dropTol: number, fill: number, what = "precond.ilut"): IncompleteLu {
  const n = A.rows;
  const { norms } = rowsChecked(A, what);
  const { indptr, indices, data } = A;
  const w = new Float64Array(n);
  const size = new Float64Array(n); // |w_k| before the division, for the L part
  const inRow = new Uint8Array(n);
  const heap = new MinHeap(n);
  const perRow = Math.min(fill, n);
  const Lw = new RowWriter(n, Math.min(A.indptr[n], n * (perRow + 1)));
  const Uw = new RowWriter(n, Math.min(A.indptr[n], n * (perRow + 1)));
  const upper: number[] = [];
  const lower: number[] = [];
  let modifiedPivots = 0;
  for (let i = 0; i < n; i++) {
    const tau = dropTol * norms[i];
    upper.length = 0;
    lower.length = 0;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const j = indices[k];
      w[j] = data[k];
      inRow[j] = 1;
      if (j < i) heap.push(j);
      else if (j > i) upper.push(j);
    }
    while (heap.size > 0) {
      const k = heap.pop();
      if (!(Math.abs(w[k]) >= tau) || w[k] === 0) {
        w[k] = 0;
        inRow[k] = 0;
        continue;
      }
      size[k] = Math.abs(w[k]);
      const wk = w[k] / Uw.data[Uw.indptr[k]];
      w[k] = wk;
      lower.push(k);
      for (let q = Uw.indptr[k] + 1, qe = Uw.indptr[k + 1]; q < qe; q++) {
        const j = Uw.indices[q];
        if (!inRow[j]) {
          inRow[j] = 1;
          w[j] = 0;
          if (j < i) heap.push(j);
          else if (j > i) upper.push(j);
        }
        w[j] -= wk * Uw.data[q];
      }
    }
    const keptL = largest([...lower], (j) => size[j], perRow);
    const keptU = largest(
      upper.filter((j) => Math.abs(w[j]) >= tau && w[j] !== 0),
      (j) => Math.abs(w[j]),
      perRow,
    );
    for (const j of keptL) Lw.push(j, w[j]);
    Lw.push(i, 1);
    Lw.endRow(i);
    const floor = pivotFloor(norms[i], dropTol);
    const u = fixPivot(w[i], floor);
    if (u !== w[i]) modifiedPivots++;
    Uw.push(i, u);
    for (const j of keptU) Uw.push(j, w[j]);
    Uw.endRow(i);
    for (let q = Lw.indptr[i]; q < Lw.nnz; q++) if (!Number.isFinite(Lw.data[q])) overflowed(what, i);
    for (let q = Uw.indptr[i]; q < Uw.nnz; q++) if (!Number.isFinite(Uw.data[q])) overflowed(what, i);
    // Clear the work row: every column touched is in row i of A, in lower or in upper.
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      w[indices[k]] = 0;
      inRow[indices[k]] = 0;
    }
    for (const cols of [lower, upper]) {
      for (const j of cols) {
        w[j] = 0;
        inRow[j] = 0;
      }
    }
  }
  return { L: Lw.done(), U: Uw.done(), modifiedPivots };
}
