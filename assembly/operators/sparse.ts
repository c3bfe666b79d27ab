// Sparse matrix algebra on CSR arrays in wasm memory (f64 values, i32 indices sorted within
// each row): transposes and products, the building blocks of AMG setup (R = Pᵀ, A·P, R·A·P)
// and of CsrMatrix.transpose. Products are Gustavson's row-by-row method in two passes, as
// SciPy's csr_matmat: a symbolic pass counts each row of C = X·Y so that the caller can
// allocate C exactly (and check the memory ceiling first), then a numeric pass fills it.
// Scratch arrays come from the caller; nothing here allocates.
import { ld, ldi, st, sti } from "../blas/access";

/**
 * T = Xᵀ for a rows × cols CSR matrix X: T's indptr (cols + 1), indices and values (nnz).
 * Rows of T come out sorted. With px = 0 (and pt = 0) only the pattern is transposed.
 * `pnext` is scratch of cols i32.
 */
export function csrTranspose(
  rows: i32, cols: i32, xp: usize, xj: usize, xx: usize, tp: usize, tj: usize, tx: usize, pnext: usize,
): void {
  memory.fill(tp, 0, (<usize>cols + 1) << 2);
  const nnz = ldi(xp, rows);
  for (let k = 0; k < nnz; k++) {
    const c = ldi(xj, k) + 1;
    sti(tp, c, ldi(tp, c) + 1);
  }
  for (let c = 0; c < cols; c++) sti(tp, c + 1, ldi(tp, c + 1) + ldi(tp, c));
  memory.copy(pnext, tp, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    for (let k = ldi(xp, r), e = ldi(xp, r + 1); k < e; k++) {
      const c = ldi(xj, k);
      const q = ldi(pnext, c);
      sti(pnext, c, q + 1);
      sti(tj, q, r);
      if (xx) st(tx, q, ld(xx, k));
    }
  }
}

/**
 * Symbolic pass of C = X·Y (X rows × ·, Y · × ycols): C's indptr (rows + 1) at cp.
 * Returns nnz(C), or −1 when it passes 2³¹ − 1. `pmark` is scratch of ycols i32.
 */
export function csrProductCount(rows: i32, xp: usize, xj: usize, yp: usize, yj: usize, ycols: i32, cp: usize, pmark: usize): i32 {
  memory.fill(pmark, 0xff, <usize>ycols << 2); // −1: no row has touched the column
  let nnz: i64 = 0;
  sti(cp, 0, 0);
  for (let i = 0; i < rows; i++) {
    let len = 0;
    for (let a = ldi(xp, i), ae = ldi(xp, i + 1); a < ae; a++) {
      const k = ldi(xj, a);
      for (let b = ldi(yp, k), be = ldi(yp, k + 1); b < be; b++) {
        const j = ldi(yj, b);
        if (ldi(pmark, j) != i) {
          sti(pmark, j, i);
          len++;
        }
      }
    }
    nnz += len;
    if (nnz > 0x7fffffff) return -1;
    sti(cp, i + 1, <i32>nnz);
  }
  return <i32>nnz;
}

/**
 * Numeric pass of C = X·Y into C's indices and values, with C's indptr from
 * `csrProductCount`. Columns come out sorted; entries that cancel to zero are kept (the
 * pattern is the symbolic one). Scratch `pwork`: ycols slots of 16 bytes, each a column's
 * marker (i32) and accumulator (f64) side by side, so that a product touches one cache line.
 */
export function csrProduct(
  rows: i32, xp: usize, xj: usize, xx: usize, yp: usize, yj: usize, yx: usize, ycols: i32,
  cp: usize, cj: usize, cx: usize, pwork: usize,
): void {
  for (let j = 0; j < ycols; j++) store<i32>(pwork + (<usize>j << 4), -1);
  for (let i = 0; i < rows; i++) {
    const start = ldi(cp, i);
    const row = cj + (<usize>start << 2);
    let len = 0;
    for (let a = ldi(xp, i), ae = ldi(xp, i + 1); a < ae; a++) {
      const k = ldi(xj, a), v = ld(xx, a);
      for (let b = ldi(yp, k), be = ldi(yp, k + 1); b < be; b++) {
        const j = ldi(yj, b);
        const slot = pwork + (<usize>j << 4);
        const t = v * ld(yx, b);
        if (load<i32>(slot) != i) {
          store<i32>(slot, i);
          store<f64>(slot, t, 8);
          store<i32>(row + (<usize>len << 2), j);
          len++;
        } else {
          store<f64>(slot, load<f64>(slot, 8) + t, 8);
        }
      }
    }
    sortIndices(row, len);
    for (let q = 0; q < len; q++) st(cx, start + q, load<f64>(pwork + (<usize>ldi(cj, start + q) << 4), 8));
  }
}

/** Sorts n i32 at p ascending: insertion sort for the short rows of stencil-like matrices,
 * heapsort (O(n log n), no recursion) for long ones. */
export function sortIndices(p: usize, n: i32): void {
  if (n <= 32) {
    for (let i = 1; i < n; i++) {
      const v = ldi(p, i);
      let q = i;
      while (q > 0 && ldi(p, q - 1) > v) {
        sti(p, q, ldi(p, q - 1));
        q--;
      }
      sti(p, q, v);
    }
    return;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(p, i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = ldi(p, 0);
    sti(p, 0, ldi(p, end));
    sti(p, end, t);
    siftDown(p, 0, end);
  }
}

function siftDown(p: usize, i: i32, n: i32): void {
  const v = ldi(p, i);
  while (true) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && ldi(p, c + 1) > ldi(p, c)) c++;
    if (ldi(p, c) <= v) break;
    sti(p, i, ldi(p, c));
    i = c;
  }
  sti(p, i, v);
}

/** d ← the main diagonal of an n-row CSR matrix (0 where none is stored). Returns the first
 * row whose diagonal is not positive (or not a number), −1 when every one is positive. */
export function csrDiagonal(n: i32, xp: usize, xj: usize, xx: usize, pd: usize): i32 {
  let bad = -1;
  for (let i = 0; i < n; i++) {
    let d = 0.0;
    for (let k = ldi(xp, i), e = ldi(xp, i + 1); k < e; k++) {
      const j = ldi(xj, k);
      if (j >= i) {
        if (j == i) d = ld(xx, k);
        break;
      }
    }
    st(pd, i, d);
    if (bad < 0 && !(d > 0)) bad = i;
  }
  return bad;
}

/** The first row i of an n-row CSR matrix X whose entries differ from those of T = Xᵀ by
 * more than `tol` (a missing entry counting as 0), or −1 when X is symmetric to tol. The
 * column where they differ is stored at pcol. */
export function csrAsymmetry(n: i32, xp: usize, xj: usize, xx: usize, tp: usize, tj: usize, tx: usize, tol: f64, pcol: usize): i32 {
  for (let i = 0; i < n; i++) {
    // Both rows are sorted: walk them together.
    let a = ldi(xp, i), b = ldi(tp, i);
    const ae = ldi(xp, i + 1), be = ldi(tp, i + 1);
    while (a < ae || b < be) {
      const ca = a < ae ? ldi(xj, a) : 0x7fffffff, cb = b < be ? ldi(tj, b) : 0x7fffffff;
      const va = ca <= cb ? ld(xx, a) : 0.0, vb = cb <= ca ? ld(tx, b) : 0.0;
      if (!(Math.abs(va - vb) <= tol)) {
        store<i32>(pcol, ca < cb ? ca : cb);
        return i;
      }
      if (ca <= cb) a++;
      if (cb <= ca) b++;
    }
  }
  return -1;
}

/** d ← the l1 norms of the rows of an n-row CSR matrix, d_i = Σ_j |a_ij|: the diagonal of
 * l1-Jacobi (Baker, Falgout, Kolev, Yang 2011), convergent for every SPD A with weight 1. */
export function csrRowNorms1(n: i32, xp: usize, xx: usize, pd: usize): void {
  for (let i = 0; i < n; i++) {
    let s = 0.0;
    for (let k = ldi(xp, i), e = ldi(xp, i + 1); k < e; k++) s += Math.abs(ld(xx, k));
    st(pd, i, s);
  }
}
