// Compressed sparse row matrices in wasm memory: f64 values, i32 column indices sorted
// within each row, no duplicates. One allocation holds [data | indptr | indices].
import { SolvewasmError } from "../errors.js";
import { Allocation, withScratch } from "../memory.js";
import type { Runtime } from "../runtime.js";
import { checkInt, describe, isArrayLike, readNumbers } from "../validate.js";
import { WasmOperator } from "./operator.js";
import { OperatorKind } from "../generated/layouts.js";
import { parseMatrixMarket, writeMatrixMarket, type MatrixMarketWriteOptions } from "./matrixmarket.js";

/** CSR arrays as SciPy's csr_matrix holds them (0-based). */
export interface CsrArrays {
  rows: number;
  cols: number;
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  data: ArrayLike<number>;
}

/** Coordinate triplets (0-based); duplicates are summed. */
export interface CooArrays {
  rows: number;
  cols: number;
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  data: ArrayLike<number>;
}

// Most stored entries one matrix may have: the block (12 bytes per entry) stays under 1 GiB.
const MAX_NNZ = Math.floor((2 ** 30 - 16) / 12) - 1;

function invalid(message: string): never {
  throw new SolvewasmError("INVALID_MATRIX", message);
}

/**
 * A sparse matrix in CSR format, stored in wasm memory. Create it with
 * `CsrMatrix.fromArrays`, `fromCoo`, `fromDense` or `fromMatrixMarket`; free it with
 * `dispose()`.
 * @example
 * const A = CsrMatrix.fromCoo({ rows: 2, cols: 2, row: [0, 1, 1], col: [0, 0, 1], data: [4, 1, 3] });
 * A.matvec(new Float64Array([1, 1])); // Float64Array [4, 4]
 */
export class CsrMatrix extends WasmOperator {
  /** Stored entries. */
  readonly nnz: number;
  readonly #block: Allocation;

  /** @internal Allocates an unfilled matrix; the factories fill it. */
  constructor(rt: Runtime, rows: number, cols: number, nnz: number) {
    super(rt, rows, cols);
    if (nnz > MAX_NNZ) {
      throw new SolvewasmError("OUT_OF_MEMORY", `${nnz} stored entries are more than one matrix holds (${MAX_NNZ})`);
    }
    this.nnz = nnz;
    this.#block = new Allocation(rt, 12 * nnz + 4 * (rows + 1));
    const p = this.#block.ptr("CsrMatrix");
    const pptr = p + 8 * nnz;
    this.describe({ kind: OperatorKind.CSR, lines: rows, perLine: 1, pointers: [pptr, pptr + 4 * (rows + 1), p] });
  }

  /** @internal Byte offsets of the arrays in wasm memory. */
  pointers(): { indptr: number; indices: number; data: number } {
    const p = this.#block.ptr("CsrMatrix");
    return { data: p, indptr: p + 8 * this.nnz, indices: p + 8 * this.nnz + 4 * (this.rows + 1) };
  }

  /** @internal Live views of the arrays (valid until the next allocation). */
  views(): { indptr: Int32Array; indices: Int32Array; data: Float64Array } {
    const p = this.#block.ptr("CsrMatrix");
    const buf = this.rt.memory.buffer;
    const nnz = this.nnz;
    return {
      data: new Float64Array(buf, p, nnz),
      indptr: new Int32Array(buf, p + 8 * nnz, this.rows + 1),
      indices: new Int32Array(buf, p + 8 * nnz + 4 * (this.rows + 1), nnz),
    };
  }

  /** @internal Itself: it is CSR already. */
  override asCsr(): { csr: CsrMatrix; owned: boolean } {
    return { csr: this, owned: false };
  }

  /** @internal */
  protected disposeData(): void {
    this.#block.free();
  }

  /** Copies of the CSR arrays. */
  toArrays(): { rows: number; cols: number; indptr: Int32Array; indices: Int32Array; data: Float64Array } {
    const v = this.views();
    return { rows: this.rows, cols: this.cols, indptr: v.indptr.slice(), indices: v.indices.slice(), data: v.data.slice() };
  }

  /** The matrix as a dense row-major Float64Array (rows·cols entries; for small matrices). */
  toDense(): Float64Array {
    if (this.rows * this.cols > 2 ** 27) {
      throw new SolvewasmError("INVALID_ARGUMENT", `a dense ${this.rows} × ${this.cols} copy would need ${this.rows * this.cols} entries`);
    }
    const out = new Float64Array(this.rows * this.cols);
    const { indptr, indices, data } = this.views();
    for (let r = 0; r < this.rows; r++) {
      for (let k = indptr[r]; k < indptr[r + 1]; k++) out[r * this.cols + indices[k]] = data[k];
    }
    return out;
  }

  diagonal(): Float64Array {
    const { indptr, indices, data } = this.views();
    const d = new Float64Array(Math.min(this.rows, this.cols));
    for (let i = 0; i < d.length; i++) {
      // Columns are sorted: stop at the first one at or past the diagonal.
      for (let k = indptr[i]; k < indptr[i + 1]; k++) {
        if (indices[k] >= i) {
          if (indices[k] === i) d[i] = data[k];
          break;
        }
      }
    }
    return d;
  }

  /** Aᵀ as a new matrix (rows sorted; in wasm). */
  transpose(): CsrMatrix {
    const rt = this.rt;
    const T = new CsrMatrix(rt, this.cols, this.rows, this.nnz);
    try {
      withScratch(rt, [4 * this.cols], "a transpose", ([next]) => {
        const x = this.pointers(),
          t = T.pointers();
        rt.call((ex) => ex.csrTranspose(this.rows, this.cols, x.indptr, x.indices, x.data, t.indptr, t.indices, t.data, next));
      });
      return T;
    } catch (e) {
      T.dispose();
      throw e;
    }
  }

  /**
   * A·Y as a new matrix, in wasm (Gustavson's row-by-row product, counted first so that
   * the result is allocated exactly; columns sorted in every row, entries that cancel kept).
   * @example
   * const AP = A.multiply(P); // SciPy's A @ P
   */
  multiply(Y: CsrMatrix): CsrMatrix {
    if (!(Y instanceof CsrMatrix)) throw new SolvewasmError("INVALID_ARGUMENT", `multiply takes a CsrMatrix, got ${describe(Y)}`);
    if (Y.rt !== this.rt) throw new SolvewasmError("INVALID_ARGUMENT", "Y belongs to another solvewasm instance");
    if (this.cols !== Y.rows) throw new SolvewasmError("DIMENSION_MISMATCH", `a product of ${this.rows} × ${this.cols} and ${Y.rows} × ${Y.cols} matrices`);
    const rt = this.rt,
      rows = this.rows;
    return withScratch(rt, [4 * (rows + 1), 16 * Y.cols], "a sparse product", ([cp, work]) => {
      const x = this.pointers(),
        y = Y.pointers();
      // The count's marker is the first quarter of the product's slots.
      const nnz = rt.call((ex) => ex.csrProductCount(rows, x.indptr, x.indices, y.indptr, y.indices, Y.cols, cp, work));
      if (nnz < 0)
        throw new SolvewasmError("OUT_OF_MEMORY", `the product of ${rows} × ${this.cols} and ${Y.rows} × ${Y.cols} matrices has more than 2³¹ entries`);
      const C = new CsrMatrix(rt, rows, Y.cols, nnz);
      try {
        // Offsets again: allocating C may have grown memory (offsets stay, views detach).
        const c = C.pointers(),
          x2 = this.pointers(),
          y2 = Y.pointers();
        new Int32Array(rt.memory.buffer, c.indptr, rows + 1).set(new Int32Array(rt.memory.buffer, cp, rows + 1));
        rt.call((ex) => ex.csrProduct(rows, x2.indptr, x2.indices, x2.data, y2.indptr, y2.indices, y2.data, Y.cols, c.indptr, c.indices, c.data, work));
        return C;
      } catch (e) {
        C.dispose();
        throw e;
      }
    });
  }

  /**
   * Matrix Market text (`coordinate real general`, or `symmetric` with the lower triangle
   * when asked and the matrix is exactly symmetric). Values are written so that reading
   * them back gives the same f64.
   */
  toMatrixMarket(options: MatrixMarketWriteOptions = {}): string {
    if (options.symmetric && !this.isSymmetric()) {
      throw new SolvewasmError("INVALID_ARGUMENT", "toMatrixMarket({ symmetric: true }) needs an exactly symmetric matrix");
    }
    const { indptr, indices, data } = this.views();
    return writeMatrixMarket(this.rows, this.cols, indptr, indices, data, options);
  }

  /** True when A equals Aᵀ entry for entry (exactly). */
  isSymmetric(): boolean {
    if (this.rows !== this.cols) return false;
    const t = this.transpose();
    try {
      const a = this.views(),
        b = t.views();
      for (let k = 0; k <= this.rows; k++) if (a.indptr[k] !== b.indptr[k]) return false;
      for (let k = 0; k < this.nnz; k++) if (a.indices[k] !== b.indices[k] || a.data[k] !== b.data[k]) return false;
      return true;
    } finally {
      t.dispose();
    }
  }
}

/** Checks CSR arrays and copies them into a new matrix; `sort` sorts each row's column
 * indices and sums duplicates instead of refusing them. */
export function csrFromArrays(rt: Runtime, a: CsrArrays, options: { sort?: boolean } = {}): CsrMatrix {
  const { rows, cols, indptr, indices, data } = readArrays(rt, a, "CSR", ["indptr", "indices", "data"]);
  if (indptr.length !== rows + 1) invalid(`indptr has length ${indptr.length}, expected rows + 1 = ${rows + 1}`);
  if (indices.length !== data.length) invalid(`indices has length ${indices.length} but data has ${data.length}`);
  if (indptr[0] !== 0) invalid(`indptr[0] must be 0, got ${indptr[0]}`);
  for (let r = 0; r < rows; r++) {
    const a0 = indptr[r],
      a1 = indptr[r + 1];
    if (!Number.isInteger(a1) || a1 < a0) invalid(`indptr must be non-decreasing integers: indptr[${r + 1}] = ${a1} after indptr[${r}] = ${a0}`);
  }
  if (indptr[rows] !== indices.length) invalid(`indptr[rows] = ${indptr[rows]} but there are ${indices.length} entries`);
  let sorted = true;
  for (let r = 0; r < rows; r++) {
    for (let k = indptr[r]; k < indptr[r + 1]; k++) {
      const c = indices[k];
      if (!Number.isInteger(c) || c < 0 || c >= cols) invalid(`indices[${k}] = ${c} (row ${r}) is outside 0..${cols - 1}`);
      if (k > indptr[r] && c <= indices[k - 1]) {
        if (!options.sort) {
          invalid(
            `row ${r} has column indices out of order or repeated (${indices[k - 1]} then ${c} at indices[${k}]); ` +
              "pass { sort: true } to sort them and sum duplicates",
          );
        }
        sorted = false;
      }
    }
  }
  if (!sorted) {
    const row = new Int32Array(indices.length);
    for (let r = 0; r < rows; r++) row.fill(r, indptr[r], indptr[r + 1]);
    return fromTriplets(rt, rows, cols, row, indices, data, indices.length);
  }
  const m = new CsrMatrix(rt, rows, cols, indices.length);
  const v = m.views();
  v.indptr.set(indptr);
  v.indices.set(indices);
  v.data.set(data);
  return m;
}

/** Builds a matrix from coordinate triplets, summing duplicates. */
export function csrFromCoo(rt: Runtime, a: CooArrays): CsrMatrix {
  const { rows, cols, row, col, data } = readArrays(rt, a, "COO", ["row", "col", "data"]);
  if (row.length !== col.length || row.length !== data.length) {
    invalid(`row, col and data must have one length, got ${row.length}, ${col.length} and ${data.length}`);
  }
  for (let k = 0; k < row.length; k++) {
    const r = row[k],
      c = col[k];
    if (!Number.isInteger(r) || r < 0 || r >= rows) invalid(`row[${k}] = ${r} is outside 0..${rows - 1}`);
    if (!Number.isInteger(c) || c < 0 || c >= cols) invalid(`col[${k}] = ${c} is outside 0..${cols - 1}`);
  }
  return fromTriplets(rt, rows, cols, row, col, data, row.length);
}

/** Builds a matrix from a dense one: an array of rows, or row-major `data` with a shape.
 * Zeros are not stored. */
export function csrFromDense(rt: Runtime, a: ArrayLike<ArrayLike<number>> | { rows: number; cols: number; data: ArrayLike<number> }): CsrMatrix {
  // Every entry is read once into `dense` (row-major), then counted and stored from there.
  let rows: number, cols: number, dense: ArrayLike<number>;
  if (isArrayLike(a)) {
    const list = Array.from(a as ArrayLike<unknown>);
    rows = list.length;
    const first = list[0];
    cols = rows > 0 && isArrayLike(first) ? first.length : 0;
    checkShape(rows, cols);
    if (rows * cols > 2 ** 31) throw new SolvewasmError("INVALID_ARGUMENT", `a dense ${rows} × ${cols} matrix is too large to read`);
    const all = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      if (!isArrayLike(list[r])) throw new SolvewasmError("INVALID_ARGUMENT", `row ${r} is ${describe(list[r])}, not an array`);
      all.set(readNumbers(list[r], `row ${r}`, { length: cols, memory: rt.memory }), r * cols);
    }
    dense = all;
  } else if (typeof a === "object" && a !== null && isArrayLike((a as { data?: unknown }).data)) {
    const o = a as { rows: number; cols: number; data: ArrayLike<number> };
    ({ rows, cols } = o);
    checkShape(rows, cols);
    dense = readNumbers(o.data, "data", { length: rows * cols, memory: rt.memory });
  } else {
    throw new SolvewasmError("INVALID_ARGUMENT", `fromDense takes an array of rows or { rows, cols, data }, got ${describe(a)}`);
  }
  let nnz = 0;
  for (let k = 0; k < dense.length; k++) if (dense[k] !== 0) nnz++;
  const m = new CsrMatrix(rt, rows, cols, nnz);
  const { indptr, indices, data } = m.views();
  let k = 0;
  indptr[0] = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = dense[r * cols + c];
      if (v !== 0) {
        indices[k] = c;
        data[k++] = v;
      }
    }
    indptr[r + 1] = k;
  }
  return m;
}

/** Parses Matrix Market text or bytes into a matrix. */
export function csrFromMatrixMarket(rt: Runtime, input: string | Uint8Array): CsrMatrix {
  const t = parseMatrixMarket(input);
  return fromTriplets(rt, t.rows, t.cols, t.row, t.col, t.data, t.count);
}

/**
 * @internal Triplets (already checked) to CSR: a counting sort by row straight into wasm
 * memory, each row sorted by column, duplicates summed. When duplicates shrink the count,
 * the rows move into an exactly sized matrix.
 */
export function fromTriplets(
  rt: Runtime,
  rows: number,
  cols: number,
  row: ArrayLike<number>,
  col: ArrayLike<number>,
  val: ArrayLike<number>,
  count: number,
): CsrMatrix {
  const m = new CsrMatrix(rt, rows, cols, count);
  let unique: number;
  try {
    const { indptr, indices, data } = m.views();
    indptr.fill(0);
    // No entries: every row is empty (a 10^8-row empty matrix costs one fill, no row loops).
    if (count === 0) return m;
    for (let k = 0; k < count; k++) indptr[row[k] + 1]++;
    for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
    const next = indptr.slice(0, rows);
    for (let k = 0; k < count; k++) {
      const q = next[row[k]]++;
      indices[q] = col[k];
      data[q] = val[k];
    }
    // Sort each row and sum duplicates, writing the compacted rows from the front.
    unique = 0;
    let start = 0;
    for (let r = 0; r < rows; r++) {
      const end = indptr[r + 1];
      if (end === start) {
        indptr[r + 1] = unique;
        continue;
      }
      sortRow(indices, data, start, end);
      const rowStart = unique;
      for (let k = start; k < end; k++) {
        if (unique > rowStart && indices[unique - 1] === indices[k]) {
          data[unique - 1] += data[k];
        } else {
          indices[unique] = indices[k];
          data[unique++] = data[k];
        }
      }
      indptr[r + 1] = unique;
      start = end;
    }
  } catch (e) {
    m.dispose();
    throw e;
  }
  if (unique === count) return m;
  try {
    const exact = new CsrMatrix(rt, rows, cols, unique);
    const a = m.views(),
      b = exact.views();
    b.indptr.set(a.indptr);
    b.indices.set(a.indices.subarray(0, unique));
    b.data.set(a.data.subarray(0, unique));
    return exact;
  } finally {
    m.dispose();
  }
}

/** Sorts indices[start:end) ascending, carrying data along. */
function sortRow(indices: Int32Array, data: Float64Array, start: number, end: number): void {
  let sorted = true;
  for (let k = start + 1; k < end; k++)
    if (indices[k] < indices[k - 1]) {
      sorted = false;
      break;
    }
  if (sorted) return;
  if (end - start <= 32) {
    for (let k = start + 1; k < end; k++) {
      const c = indices[k],
        v = data[k];
      let q = k - 1;
      while (q >= start && indices[q] > c) {
        indices[q + 1] = indices[q];
        data[q + 1] = data[q];
        q--;
      }
      indices[q + 1] = c;
      data[q + 1] = v;
    }
    return;
  }
  // Stable for equal columns: ties keep their file order, so duplicates sum in that order.
  const order = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => indices[a] - indices[b] || a - b);
  const c = order.map((k) => indices[k]),
    v = order.map((k) => data[k]);
  indices.set(c, start);
  data.set(v, start);
}

/** INVALID_ARGUMENT unless `a` is an object, INVALID_MATRIX unless its shape is valid and
 * each named field is an array of numbers (data finite). Every field is read once: the
 * arrays returned are what the checks after this see and what the matrix stores. */
function readArrays<F extends string>(
  rt: Runtime,
  a: unknown,
  format: string,
  fields: readonly F[],
): { rows: number; cols: number } & Record<F, ArrayLike<number>> {
  if (typeof a !== "object" || a === null) throw new SolvewasmError("INVALID_ARGUMENT", `expected ${format} arrays, got ${describe(a)}`);
  const o = a as Record<string, unknown>;
  const rows = o.rows,
    cols = o.cols;
  checkShape(rows, cols);
  const out = { rows, cols: cols as number } as { rows: number; cols: number } & Record<F, ArrayLike<number>>;
  for (const name of fields) {
    const value = o[name];
    if (!isArrayLike(value)) invalid(`${name} must be an array, got ${describe(value)}`);
    (out as Record<string, unknown>)[name] = readNumbers(value, name, {
      finite: name === "data",
      code: name === "data" ? "INVALID_ARGUMENT" : "INVALID_MATRIX",
      memory: rt.memory,
    });
  }
  return out;
}

function checkShape(rows: unknown, cols: unknown): asserts rows is number {
  checkInt(rows, "rows", 0, 2 ** 31 - 2);
  checkInt(cols, "cols", 0, 2 ** 31 - 2);
}
