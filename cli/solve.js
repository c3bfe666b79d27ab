// `solvewasm solve A.mtx …`: reads A (and b, x0), picks a method and a preconditioner,
// solves with the library's solvers and writes x. Progress goes to stderr when it is a
// terminal; the summary line always does.
import { amg, bicgstab, blas, CsrMatrix, cg, fcd, gmres, minres, precond, sor } from "solvewasm";
import { readInput, numberFlag, vectorToMatrixMarket, writeOut } from "./io.js";
import { EXIT, UsageError } from "./main.js";
import { suggest } from "./info.js";

const METHODS = ["auto", "cg", "fcd", "gmres", "bicgstab", "minres", "sor", "amg"];
const PRECONDS = ["auto", "none", "jacobi", "ssor", "ic0", "ilu0", "ilut", "chebyshev", "amg"];

/** A Matrix Market n × 1 (or 1 × n) matrix, array or coordinate, as a dense vector. */
async function readVector(path, n, stdin, flag) {
  const V = CsrMatrix.fromMatrixMarket(await readInput(path, stdin));
  try {
    if (V.rows * V.cols !== n || Math.min(V.rows, V.cols) !== 1) {
      throw new UsageError(`--${flag} ${path} is ${V.rows} × ${V.cols}; it must be a vector of length ${n} (n × 1)`);
    }
    return V.toDense();
  } finally {
    V.dispose();
  }
}

const AMG_KINDS = ["aggregation", "classical"];

/** The preconditioner object for a name, or undefined for none; `held` collects what to dispose. */
function makePreconditioner(name, A, held, amgKind) {
  switch (name) {
    case "none":
      return undefined;
    case "jacobi":
      return precond.jacobi(A);
    case "ssor":
      return precond.ssor(A);
    case "ic0":
      return precond.ic0(A);
    case "ilu0":
      return precond.ilu0(A);
    case "ilut":
      return precond.ilut(A);
    case "chebyshev":
      return precond.chebyshev(A);
    case "amg": {
      const h = amg(A, { kind: amgKind });
      held.push(h);
      return h.asPreconditioner();
    }
  }
}

/** Runs the subcommand; resolves to the exit code. */
export async function run([path], values, io) {
  const method = values.method;
  if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")}, got '${method}'`);
  if (!PRECONDS.includes(values.precond)) throw new UsageError(`--precond must be one of ${PRECONDS.join(", ")}, got '${values.precond}'`);
  if (!AMG_KINDS.includes(values.amg)) throw new UsageError(`--amg must be one of ${AMG_KINDS.join(", ")}, got '${values.amg}'`);
  if ([path, values.rhs, values.x0].filter((p) => p === "-").length > 1) throw new UsageError("only one input can come from stdin (-)");

  const A = CsrMatrix.fromMatrixMarket(await readInput(path, io.stdin));
  const held = [A];
  try {
    if (A.rows !== A.cols) throw new UsageError(`${path} is ${A.rows} × ${A.cols}; solve needs a square matrix`);
    const n = A.rows;
    const b = values.rhs ? await readVector(values.rhs, n, io.stdin, "rhs") : new Float64Array(n).fill(1);
    const x0 = values.x0 ? await readVector(values.x0, n, io.stdin, "x0") : undefined;
    const rtol = numberFlag(values, "rtol", 1e-8);
    const atol = numberFlag(values, "atol", 0);
    const maxiter = numberFlag(values, "maxiter", undefined, { integer: true });

    const advice = method === "auto" || values.precond === "auto" ? suggest(A) : undefined;
    const chosen = method === "auto" ? advice.method : method;
    const pc = values.precond === "auto" ? (advice && chosen === advice.method ? advice.precond : "none") : values.precond;
    if ((chosen === "sor" || chosen === "amg") && pc !== "none") throw new UsageError(`--method ${chosen} takes no preconditioner (got --precond ${pc})`);

    const progress = progressLine(io.stderr);
    const options = { x0, rtol, atol, maxiter, callback: progress.update, callbackEvery: 1 };
    let result;
    if (chosen === "amg") {
      const h = amg(A, { kind: values.amg });
      held.push(h);
      result = h.solve(b, options);
    } else if (chosen === "sor") {
      result = sor(A, b, { ...options, relativeTo: "b" });
    } else {
      const M = makePreconditioner(pc, A, held, values.amg);
      const solver = { cg, fcd, gmres, bicgstab, minres }[chosen];
      result = solver(A, b, { ...options, M });
    }
    progress.done();

    const bnorm = blas.dnrm2(b);
    const summary = {
      converged: result.converged,
      reason: result.reason,
      iterations: result.iterations,
      residualNorm: result.residualNorm,
      relativeResidual: bnorm > 0 ? result.residualNorm / bnorm : result.residualNorm,
      method: result.method,
      precond: chosen === "sor" || chosen === "amg" ? "none" : pc,
      n,
      nnz: A.nnz,
      seconds: result.seconds,
    };
    const line = result.converged
      ? `converged in ${result.iterations} iterations (${summary.method}, precond ${summary.precond}): ‖b − A·x‖/‖b‖ = ${summary.relativeResidual.toExponential(2)}, ${(result.seconds * 1e3).toFixed(1)} ms`
      : `not converged (${result.reason}) after ${result.iterations} iterations (${summary.method}, precond ${summary.precond}): ‖b − A·x‖/‖b‖ = ${summary.relativeResidual.toExponential(2)}${result.message ? `; ${result.message}` : ""}`;
    io.stderr.write(`${line}\n`);

    const mtx = vectorToMatrixMarket(result.x, `solvewasm solve ${path}: ${line}`);
    if (values.out) {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(values.out, mtx);
    }
    if (values.json) await writeOut(io.stdout, `${JSON.stringify(values.out ? summary : { ...summary, x: Array.from(result.x) })}\n`);
    else if (!values.out) await writeOut(io.stdout, mtx);
    return result.converged ? EXIT.ok : EXIT.notConverged;
  } finally {
    for (const h of held.reverse()) h.dispose();
  }
}

/** A `\r`-rewritten progress line on a terminal (at most 10 updates a second); nothing otherwise. */
function progressLine(stderr) {
  if (!stderr.isTTY) return { update: undefined, done() {} };
  let last = 0;
  let shown = false;
  return {
    update({ iteration, residualNorm }) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stderr.write(`\riteration ${iteration}  ‖r‖ = ${residualNorm.toExponential(3)}   `);
    },
    done() {
      if (shown) stderr.write("\r\x1b[K");
    },
  };
}
