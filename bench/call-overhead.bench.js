// The fixed cost of one call, where input checks and bookkeeping show: tiny solves (one
// iteration on 2D Poisson 32 × 32), a small product, multigrid on 31 × 31, and building
// large matrices (5 M entries) from typed arrays and from Matrix Market text. Medians of
// seconds per call; the baseline is the same suite run from an older tree (a worktree:
// `node bench/run.js call-overhead` there), alternated with this one in one session.
import { CsrMatrix, cg, fcd, gallery, multigrid, sor, xva } from "solvewasm";
import { emit, randomVector, timeCandidates } from "./harness.js";

export async function run() {
  const A = gallery.poisson([32, 32]);
  const C = A.toCsr();
  const b = randomVector(A.rows, 1);
  const ml = multigrid(gallery.poisson([31, 31]));
  const b31 = randomVector(961, 2);
  const small = timeCandidates(
    {
      "cg 32x32, rtol 1e-8": () => cg(A, b, { rtol: 1e-8 }),
      "cg 32x32, maxiter 1": () => cg(A, b, { maxiter: 1 }),
      "fcd 32x32, maxiter 1": () => fcd(A, b, { maxiter: 1 }),
      "sor red-black 32x32, maxiter 1": () => sor(A, b, { maxiter: 1, ordering: "red-black" }),
      "sor csr 32x32, maxiter 1": () => sor(C, b, { maxiter: 1 }),
      "multigrid 31x31 solve": () => ml.solve(b31),
      "matvec csr 32x32": () => C.matvec(b),
    },
    { samples: 9 },
  );
  const big = gallery.poisson([1000, 1000]).toCsr();
  const arrays = big.toArrays();
  const row = new Int32Array(arrays.indices.length);
  for (let r = 0; r < arrays.rows; r++) row.fill(r, arrays.indptr[r], arrays.indptr[r + 1]);
  const coo = { rows: arrays.rows, cols: arrays.cols, row, col: arrays.indices, data: arrays.data };
  const text = big.toMatrixMarket();
  const paths = 1 << 16;
  const x = [Float64Array.from({ length: paths }, (_, i) => Math.sin(i))];
  const y = [Float64Array.from({ length: paths }, (_, i) => Math.cos(i))];
  const large = timeCandidates(
    {
      "fromArrays 5M entries": () => CsrMatrix.fromArrays(arrays).dispose(),
      "fromCoo 5M entries": () => CsrMatrix.fromCoo(coo).dispose(),
      "fromMatrixMarket 5M entries (string)": () => CsrMatrix.fromMatrixMarket(text).dispose(),
      "xva.regress 65536 paths, degree 3": () => xva.regress({ x, y }),
    },
    { samples: 5, minSeconds: 0.2 },
  );
  for (const [impl, seconds] of Object.entries({ ...small, ...large })) {
    emit({ bench: "call-overhead", impl, microseconds: +(seconds * 1e6).toFixed(2) });
  }
  for (const h of [A, C, big]) h.dispose();
  ml.dispose();
}
