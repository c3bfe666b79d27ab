// Sparse matrix algebra on plain CSR arrays (CsrMatrix's own and AMG setup's): products
// (Gustavson's row-by-row method with a dense accumulator), transposes, diagonals.

export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** X·Y with sorted column indices in every row. */
export function multiply(X: Csr, Y: Csr): Csr {
  const marker = new Int32Array(Y.cols).fill(-1);
  const acc = new Float64Array(Y.cols);
  const indptr = new Int32Array(X.rows + 1);
  let indices = new Int32Array(Math.max(16, X.indptr[X.rows] * 2));
  let data = new Float64Array(indices.length);
  let nnz = 0;
  let row = new Int32Array(64);
  for (let i = 0; i < X.rows; i++) {
    let len = 0;
    for (let a = X.indptr[i]; a < X.indptr[i + 1]; a++) {
      const k = X.indices[a],
        x = X.data[a];
      for (let b = Y.indptr[k]; b < Y.indptr[k + 1]; b++) {
        const j = Y.indices[b];
        if (marker[j] !== i) {
          marker[j] = i;
          acc[j] = 0;
          if (len === row.length) {
            const grown = new Int32Array(2 * len);
            grown.set(row);
            row = grown;
          }
          // Insertion into the sorted row (rows are short).
          let q = len++;
          while (q > 0 && row[q - 1] > j) {
            row[q] = row[q - 1];
            q--;
          }
          row[q] = j;
        }
        acc[j] += x * Y.data[b];
      }
    }
    if (nnz + len > indices.length) {
      const grown = Math.max(indices.length * 2, nnz + len);
      const ni = new Int32Array(grown),
        nd = new Float64Array(grown);
      ni.set(indices.subarray(0, nnz));
      nd.set(data.subarray(0, nnz));
      indices = ni;
      data = nd;
    }
    for (let q = 0; q < len; q++) {
      indices[nnz] = row[q];
      data[nnz++] = acc[row[q]];
    }
    indptr[i + 1] = nnz;
  }
  return { rows: X.rows, cols: Y.cols, indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
}

/** Xᵀ (rows come out sorted). */
export function transpose(X: Csr): Csr {
  const indptr = new Int32Array(X.cols + 1);
  for (let k = 0; k < X.indptr[X.rows]; k++) indptr[X.indices[k] + 1]++;
  for (let c = 0; c < X.cols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, X.cols);
  const indices = new Int32Array(X.indptr[X.rows]),
    data = new Float64Array(indices.length);
  for (let r = 0; r < X.rows; r++) {
    for (let k = X.indptr[r]; k < X.indptr[r + 1]; k++) {
      const q = next[X.indices[k]]++;
      indices[q] = r;
      data[q] = X.data[k];
    }
  }
  return { rows: X.cols, cols: X.rows, indptr, indices, data };
}

/** The main diagonal. */
export function diagonal(X: Csr): Float64Array {
  const d = new Float64Array(Math.min(X.rows, X.cols));
  for (let i = 0; i < d.length; i++) {
    // Columns are sorted: stop at the first one at or past the diagonal.
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) {
      if (X.indices[k] >= i) {
        if (X.indices[k] === i) d[i] = X.data[k];
        break;
      }
    }
  }
  return d;
}

/** y = X·x in plain JavaScript. */
export function csrMatvec(X: Csr, x: ArrayLike<number>, y: Float64Array): Float64Array {
  for (let i = 0; i < X.rows; i++) {
    let acc = 0;
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) acc += X.data[k] * x[X.indices[k]];
    y[i] = acc;
  }
  return y;
}
