// `solvewasm info A.mtx`: what a matrix is, as far as choosing a solver goes — shape,
// nonzeros, symmetry, the diagonal, diagonal dominance, Lanczos estimates of the extreme
// eigenvalues (symmetric A) — and the method `solve --method auto` would use.
import { CsrMatrix, learned } from "solvewasm";
import { readInput, writeOut } from "./io.js";
import { EXIT } from "./main.js";

/** Lanczos steps for the eigenvalue estimates: the extremes converge first. */
const LANCZOS_STEPS = 60;

/** Properties of a square CsrMatrix A (plain loops over its arrays; no copies in wasm). */
export function describeMatrix(A) {
  const { indptr, indices, data } = A.views();
  let nonPositiveDiagonal = 0;
  let weak = 0;
  let strict = 0;
  for (let i = 0; i < A.rows; i++) {
    let diag = 0;
    let off = 0;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      if (indices[k] === i) diag += data[k];
      else off += Math.abs(data[k]);
    }
    if (!(diag > 0)) nonPositiveDiagonal++;
    if (Math.abs(diag) >= off) weak++;
    if (Math.abs(diag) > off) strict++;
  }
  const symmetric = A.isSymmetric();
  const info = {
    rows: A.rows,
    cols: A.cols,
    nnz: A.nnz,
    nnzPerRow: A.nnz / A.rows,
    symmetric,
    nonPositiveDiagonal,
    diagonallyDominantRows: { weak, strict },
  };
  if (symmetric && A.rows > 0) {
    const steps = Math.min(A.rows, LANCZOS_STEPS);
    const { values } = learned.ritz(A, steps);
    const min = Math.min(...values);
    const max = Math.max(...values);
    info.eigenvalues = { min, max, lanczosSteps: steps, conditionEstimate: min > 0 ? max / min : null };
  }
  return info;
}

/** The method and preconditioner `solve --method auto` uses for A, and why. */
export function suggest(A, info = describeMatrix(A)) {
  if (info.symmetric && info.nonPositiveDiagonal === 0 && info.eigenvalues.min > 0) {
    return { method: "cg", precond: "amg", why: "symmetric with a positive diagonal and positive eigenvalue estimates: SPD, so CG with an algebraic multigrid preconditioner" };
  }
  if (info.symmetric) {
    return { method: "minres", precond: "none", why: "symmetric but not positive definite (a non-positive diagonal entry or eigenvalue estimate): MINRES" };
  }
  return { method: "gmres", precond: "ilut", why: "nonsymmetric: GMRES(30) with an ILUT(1e-4, 10) preconditioner" };
}

/** Runs the subcommand; resolves to the exit code. */
export async function run([path], values, io) {
  const A = CsrMatrix.fromMatrixMarket(await readInput(path, io.stdin));
  try {
    if (A.rows !== A.cols) {
      const info = { rows: A.rows, cols: A.cols, nnz: A.nnz };
      await writeOut(io.stdout, values.json ? `${JSON.stringify(info)}\n` : `${A.rows} × ${A.cols}, ${A.nnz} nonzeros (not square: solve needs a square matrix)\n`);
      return EXIT.ok;
    }
    const info = describeMatrix(A);
    const advice = suggest(A, info);
    if (values.json) {
      await writeOut(io.stdout, `${JSON.stringify({ ...info, suggestion: advice })}\n`);
      return EXIT.ok;
    }
    const ev = info.eigenvalues;
    const lines = [
      `${path}: ${info.rows} × ${info.cols}, ${info.nnz} nonzeros (${info.nnzPerRow.toFixed(1)} per row)`,
      `symmetric: ${info.symmetric ? "yes" : "no"}`,
      `diagonal: ${info.nonPositiveDiagonal === 0 ? "all positive" : `${info.nonPositiveDiagonal} entries ≤ 0 or missing`}`,
      `diagonally dominant rows: ${info.diagonallyDominantRows.weak} of ${info.rows} (strictly: ${info.diagonallyDominantRows.strict})`,
    ];
    if (ev) {
      const cond = ev.conditionEstimate === null ? "" : `, condition ≈ ${ev.conditionEstimate.toExponential(2)} (a lower bound)`;
      lines.push(`eigenvalues (Lanczos, ${ev.lanczosSteps} steps): ${ev.min.toExponential(3)} … ${ev.max.toExponential(3)}${cond}`);
    }
    lines.push(`suggested: --method ${advice.method} --precond ${advice.precond} (${advice.why})`);
    await writeOut(io.stdout, `${lines.join("\n")}\n`);
    return EXIT.ok;
  } finally {
    A.dispose();
  }
}
