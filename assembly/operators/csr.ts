// Sparse matrix–vector product in CSR format: f64 values, i32 column indices.
// Each row is summed in storage order from 0.0, one product at a time, so the result is
// bit-identical to the plain loop `s = 0; for (k …) s += data[k] * x[indices[k]]` on
// every build; the speed comes from a tight loop, not from reordering the sum.

/** y ← A·x on rows r0 … r1−1 of a CSR matrix (indptr at pptr, indices at pidx, values at
 * pval); y is indexed by row. */
export function csrMatvec(r0: i32, r1: i32, pptr: usize, pidx: usize, pval: usize, px: usize, py: usize): void {
  let start = load<i32>(pptr + (<usize>r0 << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(pptr + ((<usize>r + 1) << 2));
    let acc = 0.0;
    let k = start;
    for (; k + 2 <= end; k += 2) {
      const c0 = load<i32>(pidx + (<usize>k << 2));
      const c1 = load<i32>(pidx + (<usize>k << 2), 4);
      acc += load<f64>(pval + (<usize>k << 3)) * load<f64>(px + (<usize>c0 << 3));
      acc += load<f64>(pval + (<usize>k << 3), 8) * load<f64>(px + (<usize>c1 << 3));
    }
    if (k < end) {
      acc += load<f64>(pval + (<usize>k << 3)) * load<f64>(px + (<usize>load<i32>(pidx + (<usize>k << 2)) << 3));
    }
    store<f64>(py + (<usize>r << 3), acc);
    start = end;
  }
}
