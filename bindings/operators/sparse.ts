// Sparse matrix products of CsrMatrix handles, in wasm (assembly/operators/sparse.ts): AMG
// setup's A·P and R·(A·P) (transposes are CsrMatrix.transpose, on the same kernels). A product is counted first, so that its matrix is allocated exactly and a product too big
// for the memory ceiling is refused (OUT_OF_MEMORY) before anything is written.
import { SolvewasmError } from "../errors.js";
import { withScratch } from "../memory.js";
import { CsrMatrix } from "./csr.js";

/** X·Y as a new matrix (columns sorted in every row; entries that cancel are kept). */
export function multiplyCsr(X: CsrMatrix, Y: CsrMatrix): CsrMatrix {
  if (X.cols !== Y.rows) throw new SolvewasmError("DIMENSION_MISMATCH", `a product of ${X.rows} × ${X.cols} and ${Y.rows} × ${Y.cols} matrices`);
  const rt = X.rt;
  return withScratch(rt, [4 * (X.rows + 1), 4 * Y.cols, 8 * Y.cols], "a sparse product", ([cp, mark, acc]) => {
    const x = X.pointers(),
      y = Y.pointers();
    const nnz = rt.call((ex) => ex.csrProductCount(X.rows, x.indptr, x.indices, y.indptr, y.indices, Y.cols, cp, mark));
    if (nnz < 0) throw new SolvewasmError("OUT_OF_MEMORY", `the product of ${X.rows} × ${X.cols} and ${Y.rows} × ${Y.cols} matrices has more than 2³¹ entries`);
    const C = new CsrMatrix(rt, X.rows, Y.cols, nnz);
    try {
      const c = C.pointers(),
        x2 = X.pointers(),
        y2 = Y.pointers();
      new Int32Array(rt.memory.buffer, c.indptr, X.rows + 1).set(new Int32Array(rt.memory.buffer, cp, X.rows + 1));
      rt.call((ex) => ex.csrProduct(X.rows, x2.indptr, x2.indices, x2.data, y2.indptr, y2.indices, y2.data, Y.cols, c.indptr, c.indices, c.data, mark, acc));
      return C;
    } catch (e) {
      C.dispose();
      throw e;
    }
  });
}
