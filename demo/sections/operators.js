import { readFile } from "node:fs/promises";
import { allocF64, CsrMatrix, gallery } from "solvewasm";
import { randomVector, timeCandidates } from "../../bench/harness.js";

const MATRIX = new URL("../../test/fixtures/matrices/ani4.mtx", import.meta.url);

/** A real SuiteSparse matrix read from Matrix Market, and matvec throughput: CSR and the
 * matrix-free 5-point stencil against plain JS loops. */
export async function operatorsSection() {
  const lines = [];
  let text;
  try {
    text = await readFile(MATRIX, "utf8");
  } catch {
    lines.push(`(${MATRIX.pathname} not found: the real-matrix part is skipped)`);
  }
  const problems = [];
  if (text) {
    const t0 = performance.now();
    const A = CsrMatrix.fromMatrixMarket(text);
    const ms = performance.now() - t0;
    lines.push(
      `ani4.mtx (SuiteSparse): ${A.rows} × ${A.cols}, ${A.nnz} stored entries, read in ${ms.toFixed(1)} ms (first call: parser not yet optimised by the JIT)`,
    );
    problems.push(["CSR ani4", A]);
  }
  const n = 1024;
  const P = gallery.poisson([n, n]);
  problems.push([`poisson ${n}² stencil`, P]);
  problems.push([`poisson ${n}² as CSR`, P.toCsr()]);
  lines.push(`y = A·x through F64Buffers against a plain JS CSR loop on the same matrix (medians of 5)`);
  for (const [name, A] of problems) {
    const xs = randomVector(A.cols, 1);
    const x = allocF64(A.cols).set(xs),
      y = allocF64(A.rows);
    const ref = A.toCsr ? A.toCsr() : A;
    const { indptr, indices, data } = ref.toArrays();
    if (ref !== A) ref.dispose();
    const out = new Float64Array(A.rows);
    const js = () => {
      for (let r = 0; r < A.rows; r++) {
        let s = 0;
        for (let k = indptr[r]; k < indptr[r + 1]; k++) s += data[k] * xs[indices[k]];
        out[r] = s;
      }
    };
    const t = timeCandidates({ wasm: () => A.matvec(x, y), js }, { samples: 5, minSeconds: 0.02 });
    const ms = (s) => `${(s * 1000).toFixed(3).padStart(7)} ms`;
    lines.push(`${name.padEnd(22)} solvewasm ${ms(t.wasm)}   JS ${ms(t.js)}   ${(t.js / t.wasm).toFixed(1)}× faster`);
    x.dispose();
    y.dispose();
  }
  for (const [, A] of problems) A.dispose();
  return lines;
}
