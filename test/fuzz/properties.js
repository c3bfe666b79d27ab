// The fuzz properties of issue #13. Each is { name, arb, run, worker?, ciRuns }: `run(input)`
// throws a FuzzFailure when the library breaks its contract on `input`; `worker: true`
// properties are run in a node:worker_threads Worker with a deadline (test/fuzz/runner.js)
// so that a hang fails the property instead of freezing the suite.
//
// What "correct" means, for every property (one checker, test/fuzz/check.js): the call
// returns a result the property accepts, or throws a SolvewasmError with a documented code
// (any other exception type is a failure); it ends within TIME_LIMIT_MS; the canary buffer
// and matrix made before it are bitwise intact and usable; memoryStats().live returns to
// its baseline. Solver results on valid SPD input: `x` a finite Float64Array of length n,
// `converged === (reason === "converged")`, and when converged the true residual
// ‖b − A·x‖ (plain JS, A dense) ≤ RESIDUAL_FACTOR · max(rtol·ref, atol) + the rounding floor
// 64ε·(‖b‖ + ‖|A|·|x|‖), ref = ‖b‖ (sor: ‖b − A·x0‖ unless relativeTo "b").
import fc from "fast-check";
import {
  allocF64,
  amg,
  cg,
  CsrMatrix,
  bicgstab,
  fcd,
  fgmres,
  gmres,
  minres,
  gallery,
  learned,
  memoryStats,
  mgBlocks,
  multigrid,
  OmegaTuner,
  precond,
  SolvewasmError,
  solve,
  sor,
  xva,
} from "solvewasm";
import * as A from "./arbitraries.js";
import { describeError, fail, runCase, show } from "./check.js";

/** A converged solve's true residual may exceed its tolerance by at most this factor. */
export const RESIDUAL_FACTOR = 10;
const EPS = 2 ** -52;

// ---------------------------------------------------------------- small helpers

/** @param {A.Dense} d @param {ArrayLike<number>} x */
function denseMatvec(d, x) {
  const y = new Float64Array(d.rows);
  for (let i = 0; i < d.rows; i++) {
    let s = 0;
    for (let j = 0; j < d.cols; j++) s += d.a[i][j] * x[j];
    y[i] = s;
  }
  return y;
}
/** @param {ArrayLike<number>} v */
const norm = (v) => Math.hypot(...Array.from(v));

/** Fails unless CSR arrays (toArrays) describe a matrix: indptr from 0 to nnz and
 * non-decreasing, each row's indices increasing and in range, every value finite.
 * @param {{ rows: number, cols: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} c @param {string} what */
function checkCsr(c, what) {
  const { rows, cols, indptr, indices, data } = c;
  if (indptr.length !== rows + 1 || indptr[0] !== 0 || indptr[rows] !== indices.length || data.length !== indices.length) {
    fail(`${what} is not a CSR matrix: rows ${rows}, indptr length ${indptr.length}, nnz ${indices.length}/${data.length}`);
  }
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1] < indptr[r]) fail(`${what}: indptr decreases at row ${r}`);
    for (let k = indptr[r]; k < indptr[r + 1]; k++) {
      const j = indices[k];
      if (!(j >= 0 && j < cols) || (k > indptr[r] && !(j > indices[k - 1]))) fail(`${what}: index ${j} at ${k} out of range or not increasing`);
      if (!Number.isFinite(data[k])) fail(`${what}: a stored value ${data[k]} is not finite`);
    }
  }
}

/** The dense matrix of CSR arrays (toArrays), their structure checked first.
 * @param {{ rows: number, cols: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} c @param {string} [what] */
function csrToDense(c, what = "toArrays()") {
  checkCsr(c, what);
  const { rows, cols, indptr, indices, data } = c;
  const a = Array.from({ length: rows }, () => new Array(cols).fill(0));
  for (let r = 0; r < rows; r++) for (let k = indptr[r]; k < indptr[r + 1]; k++) a[r][indices[k]] = data[k];
  return a;
}

/** @param {number[][]} got @param {A.Dense} want @param {string} what */
function sameDense(got, want, what) {
  if (got.length !== want.rows) fail(`${what}: ${got.length} rows, expected ${want.rows}`);
  for (let i = 0; i < want.rows; i++) {
    for (let j = 0; j < want.cols; j++) {
      if (!Object.is(got[i][j] + 0, want.a[i][j] + 0)) fail(`${what}: entry (${i}, ${j}) is ${got[i][j]}, expected ${want.a[i][j]}`);
    }
  }
}

/** Checks a CsrMatrix against the dense matrix it must be. @param {CsrMatrix} M @param {A.Dense} want @param {string} what */
function checkMatrix(M, want, what) {
  if (!(M instanceof CsrMatrix)) fail(`${what}: returned ${show(M)}, not a CsrMatrix`);
  if (M.rows !== want.rows || M.cols !== want.cols) fail(`${what}: shape ${M.rows} × ${M.cols}, expected ${want.rows} × ${want.cols}`);
  const arrays = M.toArrays();
  sameDense(csrToDense({ ...arrays, rows: M.rows, cols: M.cols }, `${what}: toArrays()`), want, what);
  // the matrix is usable: its product agrees with the dense one
  const x = Float64Array.from({ length: want.cols }, (_, j) => j + 1);
  const y = M.matvec(x);
  const ref = denseMatvec(want, x);
  for (let i = 0; i < want.rows; i++) {
    if (!(Math.abs(y[i] - ref[i]) <= 1e-12 * (Math.abs(ref[i]) + want.a[i].reduce((s, v, j) => s + Math.abs(v) * (j + 1), 0))) && y[i] !== ref[i]) {
      fail(`${what}: product row ${i} is ${y[i]}, expected ${ref[i]}`);
    }
  }
}

/** @param {unknown} M */
const disposeIf = (M) => {
  if (M && typeof (/** @type {any} */ (M).dispose) === "function") /** @type {any} */ (M).dispose();
};

/** Runs `make` for a property's fixtures (outside runCase, so they are in the baseline).
 * @template T @param {() => T} make @param {string} what @returns {T} */
function setup(make, what) {
  try {
    return make();
  } catch (e) {
    if (e instanceof SolvewasmError) fail(`setting up ${what} failed: ${describeError(e)}`);
    fail(`setting up ${what} threw ${describeError(e)}`);
  }
}

// ---------------------------------------------------------------- Matrix Market

const mmValid = {
  name: "mm-valid",
  worker: true,
  ciRuns: 150,
  arb: fc.tuple(A.mmValid, fc.boolean()),
  /** @param {[A.MmCase, boolean]} input */
  run([c, bytes]) {
    runCase({
      call: () => CsrMatrix.fromMatrixMarket(bytes ? new TextEncoder().encode(c.text) : c.text),
      allowed: [],
      check: (M) => checkMatrix(M, c.expect, "the matrix read"),
      cleanup: disposeIf,
    });
  },
};

const mmBadToken = {
  name: "mm-bad-token",
  worker: true,
  ciRuns: 150,
  arb: fc.tuple(A.mmBadToken, fc.boolean()),
  /** @param {[{ text: string, token: string, where: string }, boolean]} input */
  run([c, bytes]) {
    runCase({
      call: () => CsrMatrix.fromMatrixMarket(bytes ? new TextEncoder().encode(c.text) : c.text),
      mustThrow: `'${c.token}' in ${c.where} is not a decimal number Matrix Market allows`,
      allowed: ["PARSE_ERROR", "NOT_FINITE"],
      cleanup: disposeIf,
    });
  },
};

const mmMutated = {
  name: "mm-mutated",
  worker: true,
  ciRuns: 200,
  arb: fc.tuple(A.mmMutated, fc.boolean()),
  /** @param {[string, boolean]} input */
  run([text, bytes]) {
    runCase({
      call: () => CsrMatrix.fromMatrixMarket(bytes ? new TextEncoder().encode(text) : text),
      allowed: ["PARSE_ERROR", "NOT_FINITE", "OUT_OF_MEMORY", "INVALID_MATRIX"],
      check: (M) => {
        if (!(M instanceof CsrMatrix)) fail(`returned ${show(M)}`);
        // A mutated size line may declare 10^8 empty rows: check the arrays, never densify them.
        checkCsr({ ...M.toArrays(), rows: M.rows, cols: M.cols }, "toArrays()");
      },
      cleanup: disposeIf,
    });
  },
};

const mmHuge = {
  name: "mm-huge-counts",
  worker: true,
  ciRuns: 30,
  arb: A.mmHuge,
  /** @param {{ text: string, square: string }} c */
  run(c) {
    runCase({
      call: () => CsrMatrix.fromMatrixMarket(c.text),
      allowed: ["PARSE_ERROR", "OUT_OF_MEMORY", "INVALID_MATRIX"],
      cleanup: disposeIf,
    });
  },
};

const mmLong = {
  name: "mm-long-lines",
  worker: true,
  ciRuns: 16,
  arb: A.mmLong,
  /** @param {{ input: string | Uint8Array, kind: string, length: number, value?: number, mustRefuse: boolean }} c */
  run(c) {
    runCase({
      call: () => CsrMatrix.fromMatrixMarket(c.input),
      allowed: ["PARSE_ERROR", "NOT_FINITE"],
      mustThrow: c.mustRefuse ? `a ${c.kind} value of ${c.length} characters is not finite` : undefined,
      check: (M) => {
        if (!(M instanceof CsrMatrix)) fail(`returned ${show(M)}`);
        const a = csrToDense({ ...M.toArrays(), rows: M.rows, cols: M.cols });
        if (c.value !== undefined && !Object.is(a[0][0] + 0, c.value)) fail(`entry (1, 1) read as ${a[0][0]}, expected ${c.value}`);
      },
      cleanup: disposeIf,
    });
  },
};

// ---------------------------------------------------------------- CSR and COO

const csrArrays = {
  name: "csr-arrays",
  ciRuns: 300,
  arb: A.csrCase,
  /** @param {A.CsrCase} c */
  run(c) {
    // typed arrays coerce stores: judge validity from the values actually given
    const invalid = c.mutation !== "none" && !c.mutation.startsWith("proxy") && !c.options?.sort && !stillValid(c);
    runCase({
      call: () => CsrMatrix.fromArrays(/** @type {any} */ (A.materialize(c.arrays)), c.options),
      allowed: c.expect && !c.mutation.startsWith("proxy") ? [] : c.codes,
      mustThrow: invalid ? `the CSR arrays are invalid (${c.mutation})` : undefined,
      check: (M) => {
        if (c.expect) checkMatrix(M, c.expect, `fromArrays (${c.mutation})`);
        else if (!c.mutation.startsWith("proxy"))
          checkMatrix(
            M,
            { rows: /** @type {number} */ (c.arrays.rows), cols: /** @type {number} */ (c.arrays.cols), a: csrToDense(/** @type {any} */ (c.arrays)) },
            `fromArrays (${c.mutation})`,
          );
      },
      cleanup: disposeIf,
    });
  },
  toString: () => "csr-arrays",
};

/** Whether CSR arrays (after typed-array coercion) still describe a matrix. @param {A.CsrCase} c */
function stillValid(c) {
  const { rows, cols, indptr, indices, data } = /** @type {any} */ (c.arrays);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || rows > 2 ** 31 - 1 || cols > 2 ** 31 - 1) return false;
  if (!indptr || !indices || !data || typeof indptr.length !== "number" || typeof indices.length !== "number" || typeof data.length !== "number") return false;
  if (indptr.length !== rows + 1 || indptr[0] !== 0 || indptr[rows] !== indices.length || data.length !== indices.length) return false;
  for (let r = 0; r < rows; r++) {
    if (!Number.isInteger(indptr[r + 1]) || indptr[r + 1] < indptr[r]) return false;
    for (let k = indptr[r]; k < indptr[r + 1]; k++) {
      if (!Number.isInteger(indices[k]) || indices[k] < 0 || indices[k] >= cols) return false;
      if (k > indptr[r] && indices[k] <= indices[k - 1]) return false;
      if (!Number.isFinite(data[k])) return false;
    }
  }
  return true;
}

const cooTriplets = {
  name: "coo-triplets",
  ciRuns: 200,
  arb: A.cooCase,
  /** @param {{ mutation: string, arrays: any, expect?: A.Dense }} c */
  run(c) {
    runCase({
      call: () => CsrMatrix.fromCoo(c.arrays),
      allowed: c.expect ? [] : ["INVALID_MATRIX", "INVALID_ARGUMENT", "DIMENSION_MISMATCH", "NOT_FINITE", "OUT_OF_MEMORY"],
      mustThrow: c.expect ? undefined : `the COO triplets are invalid (${c.mutation})`,
      check: (M) => c.expect && checkMatrix(M, c.expect, "fromCoo"),
      cleanup: disposeIf,
    });
  },
};

// ---------------------------------------------------------------- solvers

const SOLVERS = /** @type {const} */ (["cg", "fcd", "solve", "gmres", "fgmres", "bicgstab", "minres", "sor", "multigridSolve"]);
const DEFAULT_RTOL = { cg: 1e-5, fcd: 1e-5, solve: 1e-5, gmres: 1e-5, fgmres: 1e-5, bicgstab: 1e-5, minres: 1e-5, sor: 1e-8, multigridSolve: 1e-5 };
const NUMERIC = ["rtol", "atol", "maxiter", "callbackEvery", "k", "omega", "restart"];
const ENUMS = ["ordering", "relativeTo", "nullspace"];

/**
 * Why `options` must be refused by `solver` on an n-vector, or undefined.
 * @param {string} solver @param {Record<string, unknown>} o @param {readonly string[]} names @param {number} n
 */
function mustRefuseSolverOptions(solver, o, names, n) {
  for (const k of Object.keys(o)) {
    if (!names.includes(k)) return `"${k}" is not an option of ${solver}`;
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (NUMERIC.includes(k) && typeof v !== "number") return `${k} is a ${typeof v}`;
    if (ENUMS.includes(k) && typeof v === "string" && A.PROTO_NAMES.includes(v)) return `${k} = "${v}"`;
    if (typeof v !== "number") continue;
    if ((k === "rtol" || k === "atol") && (Number.isNaN(v) || v < 0)) return `${k} = ${v}`;
    if (k === "rtol" && v === Number.POSITIVE_INFINITY) return "rtol = Infinity (must be finite)";
    // maxiter ≥ 0, fcd's k in [0, 64] (k = 0 keeps no earlier direction), callbackEvery ≥ 1.
    if ((k === "maxiter" || k === "callbackEvery" || k === "k") && (!Number.isInteger(v) || v < (k === "callbackEvery" ? 1 : 0))) return `${k} = ${v}`;
    if (k === "k" && v > 64) return `k = ${v}`;
    if (k === "omega" && !(v > 0 && v < 2)) return `omega = ${v}`;
    // GMRES's restart is an integer in [1, n]; solve (which picks CG here) checks only ≥ 1.
    if (k === "restart" && (!Number.isInteger(v) || v < 1 || (solver !== "solve" && v > n))) return `restart = ${v}`;
  }
  if (o.x0 !== undefined && o.x0 !== null) {
    const x0 = /** @type {any} */ (o.x0);
    if (!(x0 instanceof Float64Array)) {
      if (typeof x0 !== "object" || typeof x0.length !== "number") return `x0 is ${show(x0)}`;
    } else if (x0.length !== n) return `x0 has length ${x0.length}, not ${n}`;
  }
  return undefined;
}

/**
 * Checks a solver result on a valid SPD system.
 * @param {any} r @param {A.Dense} d @param {number[]} b @param {string} solver @param {Record<string, unknown>} o @param {boolean} residual check the residual too
 */
export function checkSolveResult(r, d, b, solver, o, residual = true) {
  const n = d.rows;
  if (!r || typeof r !== "object") fail(`the result is ${show(r)}`);
  if (!(r.x instanceof Float64Array) || r.x.length !== n) fail(`result.x is ${show(r.x)}, expected a Float64Array(${n})`);
  if (typeof r.converged !== "boolean") fail(`result.converged is ${show(r.converged)}`);
  if (typeof r.reason !== "string") fail(`result.reason is ${show(r.reason)}`);
  if (r.converged !== (r.reason === "converged")) fail(`converged ${r.converged} but reason "${r.reason}"`);
  if (!Number.isInteger(r.iterations) || r.iterations < 0) fail(`result.iterations is ${r.iterations}`);
  if (typeof o.maxiter === "number" && Number.isInteger(o.maxiter) && r.iterations > o.maxiter) fail(`${r.iterations} iterations > maxiter ${o.maxiter}`);
  if (typeof r.method !== "string") fail(`result.method is ${show(r.method)}`);
  if (!r.converged && typeof r.message !== "string") fail(`not converged ("${r.reason}") but no message`);
  if (o.history === true && (!r.history || typeof r.history.length !== "number" || r.history.length !== r.iterations + 1)) {
    fail(`history has ${r.history?.length} entries for ${r.iterations} iterations (expected iterations + 1)`);
  }
  if (!residual) return;
  for (let i = 0; i < n; i++) if (!Number.isFinite(r.x[i])) fail(`x[${i}] = ${r.x[i]} on an SPD system`);
  const ax = denseMatvec(d, r.x);
  const res = norm(b.map((v, i) => v - ax[i]));
  const absAx = norm(d.a.map((row) => row.reduce((s, v, j) => s + Math.abs(v * r.x[j]), 0)));
  const floor = 64 * EPS * (norm(b) + absAx);
  if (!(typeof r.residualNorm === "number" && Math.abs(r.residualNorm - res) <= 1e-6 * res + 16 * floor)) {
    fail(`residualNorm ${r.residualNorm} but ‖b − A·x‖ = ${res}`);
  }
  if (!r.converged) return;
  const rtol = typeof o.rtol === "number" ? o.rtol : DEFAULT_RTOL[/** @type {keyof typeof DEFAULT_RTOL} */ (solver)];
  const atol = typeof o.atol === "number" ? o.atol : 0;
  let ref = norm(b);
  if (solver === "sor" && o.relativeTo !== "b") {
    const x0 = o.x0 instanceof Float64Array ? o.x0 : new Float64Array(n);
    const a0 = denseMatvec(d, x0);
    ref = norm(b.map((v, i) => v - a0[i]));
  }
  const tol = Math.max(rtol * ref, atol);
  if (!(res <= RESIDUAL_FACTOR * tol + floor))
    fail(`converged, but ‖b − A·x‖ = ${res} > ${RESIDUAL_FACTOR}·max(rtol·ref, atol) = ${RESIDUAL_FACTOR * tol} (+${floor})`);
}

/** @param {string} solver @param {any} Am @param {any} ml */
function solverCall(solver, Am, ml) {
  return (/** @type {Float64Array} */ b, /** @type {any} */ o) => {
    if (solver === "cg") return cg(Am, b, o);
    if (solver === "fcd") return fcd(Am, b, o);
    if (solver === "solve") return solve(Am, b, o);
    if (solver === "gmres") return gmres(Am, b, o);
    if (solver === "fgmres") return fgmres(Am, b, o);
    if (solver === "bicgstab") return bicgstab(Am, b, o);
    if (solver === "minres") return minres(Am, b, o);
    if (solver === "sor") return sor(Am, b, o);
    return ml.solve(b, o);
  };
}

const solverOptions = {
  name: "solver-options",
  ciRuns: 250,
  arb: fc
    .tuple(A.spd, fc.constantFrom(...SOLVERS))
    .chain(([d, solver]) =>
      fc.record({
        d: fc.constant(d),
        solver: fc.constant(solver),
        b: A.rhs(d.rows),
        o: fc.oneof(
          { weight: 12, arbitrary: A.optionsFor(solver, d.rows) },
          // not an options object at all
          { weight: 1, arbitrary: fc.constantFrom(null, 7, "rtol", [], true).map((v) => ({ options: v, hostile: ["(options)"], unknown: [] })) },
        ),
        // pass b and x0 as views of wasm memory (F64Buffer.array), which the solve's own
        // allocations may detach
        views: fc.boolean(),
      }),
    )
    .map((c) => {
      // A huge maxiter with a zero tolerance legitimately runs for ever: keep the tolerance
      // reachable (on a copy: fast-check reuses generated values while shrinking).
      const o = /** @type {Record<string, unknown>} */ (c.o.options);
      if (!(typeof o === "object" && o !== null && typeof o.maxiter === "number" && o.maxiter > 20000 && o.rtol === 0)) return c;
      return { ...c, o: { ...c.o, options: A.ownObject([...Object.entries(o), ["rtol", 1e-8]]) } };
    }),
  /** @param {{ d: A.Dense, solver: string, b: number[], o: { options: Record<string, unknown>, hostile: string[], unknown: string[] }, views: boolean }} c */
  run({ d, solver, b, o, views }) {
    const names = [...A.SOLVER_OPTION_NAMES.common, .../** @type {Record<string, string[]>} */ (A.SOLVER_OPTION_NAMES)[solver]];
    const isObject = typeof o.options === "object" && o.options !== null && !Array.isArray(o.options);
    const refuse = isObject ? mustRefuseSolverOptions(solver, o.options, names, d.rows) : `options is ${show(o.options)}`;
    const Am = setup(() => CsrMatrix.fromDense(d.a), "the matrix");
    const ml = solver === "multigridSolve" ? setup(() => amg(Am), "amg") : undefined;
    /** @type {import("solvewasm").F64Buffer[]} */
    const buffers = [];
    const view = (/** @type {ArrayLike<number>} */ v) => {
      const buffer = setup(() => allocF64(v.length), "a buffer");
      buffers.push(buffer);
      buffer.array.set(v);
      return buffer.array;
    };
    const x0 = isObject ? /** @type {any} */ (o.options).x0 : undefined;
    const options = views && x0 instanceof Float64Array ? { ...o.options, x0: view(x0) } : o.options;
    const bView = views ? view(b) : undefined;
    try {
      runCase({
        call: () => solverCall(solver, Am, ml)(bView ?? Float64Array.from(b), options),
        allowed: o.unknown.length
          ? ["INVALID_OPTION"]
          : o.hostile.length || refuse
            ? ["INVALID_OPTION", "INVALID_ARGUMENT", "NOT_FINITE", "DIMENSION_MISMATCH"]
            : [],
        mustThrow: refuse,
        check: (r) => checkSolveResult(r, d, b, solver, o.options),
      });
    } finally {
      for (const buffer of buffers) buffer.dispose();
      ml?.dispose();
      Am.dispose();
    }
  },
};

const hierarchyOptions = {
  name: "hierarchy-options",
  ciRuns: 120,
  arb: fc.constantFrom("multigrid", "amg").chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      grid: fc.constantFrom([7, 7], [7], [3, 3, 3], [8, 8]),
      o: A.optionsFor(/** @type {"multigrid" | "amg"} */ (kind), 49),
    }),
  ),
  /** @param {{ kind: string, grid: number[], o: { options: Record<string, unknown>, hostile: string[], unknown: string[] } }} c */
  run({ kind, grid, o }) {
    const op = setup(() => gallery.poisson(grid), "the grid operator");
    const csr = kind === "amg" ? setup(() => op.toCsr(), "toCsr") : undefined;
    const names = /** @type {any} */ (A.SOLVER_OPTION_NAMES)[kind];
    /** @type {string | undefined} */
    let refuse;
    for (const [k, v] of Object.entries(o.options)) {
      if (!names.includes(k)) refuse = `"${k}" is not an option of ${kind}`;
      else if (typeof v === "string" && A.PROTO_NAMES.includes(v)) refuse = `${k} = "${v}"`;
      else if (["pre", "post", "maxLevels", "maxCoarse"].includes(k) && typeof v === "number" && (!Number.isInteger(v) || v < 0)) refuse = `${k} = ${v}`;
      else if (k === "omega" && typeof v === "number" && !(v > 0 && v < 2)) refuse = `omega = ${v}`;
    }
    const b = Float64Array.from({ length: op.rows }, (_, i) => ((i * 7) % 5) - 2);
    try {
      runCase({
        call: () => {
          const ml = kind === "amg" ? amg(/** @type {any} */ (csr), /** @type {any} */ (o.options)) : multigrid(op, /** @type {any} */ (o.options));
          try {
            const r = ml.solve(b, { maxiter: 50 });
            const M = ml.asPreconditioner();
            try {
              return { r, x: M.matvec(b) };
            } finally {
              M.dispose();
            }
          } finally {
            ml.dispose();
          }
        },
        // Valid values can still clash (omega without the Jacobi smoother, a 1D grid, an
        // F-cycle as a symmetric preconditioner, candidates B of 49 for another grid, an
        // aggregation option with kind "classical"); hostile ones may also be non-finite.
        allowed: o.unknown.length
          ? ["INVALID_OPTION"]
          : o.hostile.length
            ? ["INVALID_OPTION", "INVALID_ARGUMENT", "NOT_FINITE", "INVALID_MATRIX", "DIMENSION_MISMATCH"]
            : ["INVALID_OPTION", "INVALID_ARGUMENT", "DIMENSION_MISMATCH"],
        mustThrow: refuse,
        check: ({ r, x }) => {
          if (!(r.x instanceof Float64Array) || r.x.length !== op.rows) fail(`solve().x is ${show(r.x)}`);
          if (!r.x.every(Number.isFinite)) fail("solve().x is not finite");
          const Ax = op.matvec(r.x);
          const trueNorm = norm(b.map((v, i) => v - Ax[i]));
          if (Math.abs(trueNorm - r.residualNorm) > 1e-10 * norm(b)) fail(`residualNorm ${r.residualNorm} but ‖b − A·x‖ = ${trueNorm}`);
          if (r.converged && !(trueNorm <= 1e-5 * norm(b) * (1 + 1e-9))) fail(`converged at ‖b − A·x‖ = ${trueNorm} > rtol·‖b‖`);
          if (!(x instanceof Float64Array) || x.length !== op.rows || !x.every(Number.isFinite))
            fail(`the preconditioner's product is ${show(x)} (or not finite)`);
        },
      });
    } finally {
      csr?.dispose();
      op.dispose();
    }
  },
};

// ---------------------------------------------------------------- user operators

/** Memory growth inside a callback, bounded (wasm memory never shrinks). */
function growMemory() {
  const { size, live, limit } = memoryStats();
  if (size > 256 * 2 ** 20) return;
  const n = Math.ceil((size - live + 65536) / 8);
  if (n * 8 > limit) return;
  allocF64(n).dispose();
}

/**
 * A user operator (or preconditioner) computing y = M·x for the dense M, misbehaving as
 * told. `calls` counts products; `sentinel` is what "throws" throws.
 * @param {A.Dense} d @param {string} how @param {Record<string, unknown>} [extra]
 */
function userOperator(d, how, extra = {}) {
  const n = d.rows;
  const state = { calls: 0, sentinel: new Error(`user matvec failed (${how})`) };
  const op = {
    rows: n,
    cols: d.cols,
    ...extra,
    matvec(/** @type {Float64Array} */ x) {
      state.calls++;
      const y = denseMatvec(d, x);
      switch (how) {
        case "throws":
          throw state.sentinel;
        case "nan":
          y[0] = Number.NaN;
          break;
        case "infinity":
          y[n - 1] = Number.NEGATIVE_INFINITY;
          break;
        case "nan-late":
          if (state.calls > 2) y[0] = Number.NaN;
          break;
        case "short":
          return y.subarray(0, n - 1);
        case "long":
          return Float64Array.from([...y, 0]);
        case "array":
          return Array.from(y);
        case "float32":
          return Float32Array.from(y);
        case "string":
          return "1".repeat(n);
        case "undefined":
          return undefined;
        case "cg-inside": {
          const inner = CsrMatrix.fromDense([
            [4, -1],
            [-1, 4],
          ]);
          try {
            cg(inner, new Float64Array([1, 2]));
          } finally {
            inner.dispose();
          }
          break;
        }
        case "alloc-inside":
          allocF64(1000).dispose();
          break;
        case "grow-inside":
          growMemory();
          break;
        default:
          break;
      }
      return y;
    },
  };
  return { op, state };
}

const EXACT = ["ok", "ignores-out", "array", "cg-inside", "alloc-inside", "grow-inside"];

const userOperators = {
  name: "user-operators",
  ciRuns: 250,
  arb: A.spd.chain((d) =>
    fc.record({
      d: fc.constant(d),
      b: A.rhs(d.rows),
      solver: fc.constantFrom("cg", "fcd", "solve", "sor"),
      aHow: A.behaviour,
      mHow: fc.option(A.behaviour, { nil: undefined }),
      flags: fc.constantFrom({}, { linear: false }, { symmetric: false }, { linear: false, symmetric: false }),
      builtinA: fc.boolean(),
    }),
  ),
  /** @param {{ d: A.Dense, b: number[], solver: string, aHow: string, mHow?: string, flags: Record<string, unknown>, builtinA: boolean }} c */
  run({ d, b, solver, aHow, mHow, flags, builtinA }) {
    const n = d.rows;
    const user = userOperator(d, builtinA ? "ok" : aHow);
    const Am = builtinA ? setup(() => CsrMatrix.fromDense(d.a), "the matrix") : undefined;
    // a Jacobi preconditioner as a user object: y = D⁻¹x
    const jac = { rows: n, cols: n, a: d.a.map((row, i) => row.map((_, j) => (i === j ? 1 / d.a[i][i] : 0))) };
    const pre = mHow === undefined ? undefined : userOperator(jac, mHow, flags);
    const aHowEff = builtinA ? "ok" : aHow;
    const bad = (/** @type {string} */ h) => !EXACT.includes(h);
    const exact = !bad(aHowEff) && (mHow === undefined || !bad(mHow));
    // Well-behaved operators leave only these refusals: sor needs a solvewasm operator and
    // takes no M, and cg refuses an M declared nonlinear or nonsymmetric. Anything else
    // thrown on them is a failure.
    const refusals = [
      ...(solver === "sor" && !builtinA ? ["INVALID_ARGUMENT"] : []),
      ...(pre && (solver === "sor" || (solver === "cg" && (flags.linear === false || flags.symmetric === false))) ? ["INVALID_OPTION"] : []),
    ];
    try {
      runCase({
        call: () => {
          /** @type {any} */
          const o = pre ? { M: pre.op } : {};
          const Aop = Am ?? user.op;
          if (solver === "cg") return cg(/** @type {any} */ (Aop), Float64Array.from(b), o);
          if (solver === "fcd") return fcd(/** @type {any} */ (Aop), Float64Array.from(b), o);
          if (solver === "solve") return solve(/** @type {any} */ (Aop), Float64Array.from(b), o);
          return sor(/** @type {any} */ (Aop), Float64Array.from(b), /** @type {any} */ (o));
        },
        passThrough: [user.state.sentinel, pre?.state.sentinel],
        allowed: exact ? refusals : ["NOT_FINITE", "DIMENSION_MISMATCH", "INVALID_ARGUMENT", "INVALID_OPTION"],
        check: (r) => {
          // a silently accepted bad product: the operator returned NaN, Infinity, a wrong
          // length or a non-array, and the solver still returned
          for (const [who, h, st] of /** @type {const} */ ([
            ["A", aHowEff, user.state],
            ["M", mHow, pre?.state],
          ])) {
            if (!h || !st?.calls) continue;
            if (["nan", "infinity", "short", "long", "undefined"].includes(h))
              fail(`the ${who} product was ${h} on ${st.calls} call(s), yet the solve returned (reason "${r?.reason}")`);
            if (h === "nan-late" && st.calls > 2) fail(`the ${who} product was NaN on call 3+, yet the solve returned`);
          }
          checkSolveResult(r, d, b, solver, {}, exact);
        },
      });
    } finally {
      Am?.dispose();
    }
  },
};

// ---------------------------------------------------------------- `out` arguments

const OUT_KINDS = [
  "Float64Array",
  "subarray",
  "F64Buffer",
  "Float32Array",
  "Array",
  "Uint8Array",
  "short",
  "long",
  "F64Buffer-short",
  "disposed",
  "null",
  "none",
];

const outArguments = {
  name: "out-arguments",
  ciRuns: 250,
  arb: fc.record({
    d: A.spd,
    who: fc.constantFrom("csr", "stencil", "jacobi", "ssor", "ic0", "chebyshev", "amg-precond", "csr-x-float32"),
    out: fc.constantFrom(...OUT_KINDS),
  }),
  /** @param {{ d: A.Dense, who: string, out: string }} c */
  run({ d, who, out }) {
    const Am = setup(() => CsrMatrix.fromDense(d.a), "the matrix");
    const st = who === "stencil" ? setup(() => gallery.poisson([3, 3]), "poisson") : undefined;
    /** @type {any} */
    let op = Am;
    /** @type {any} */
    let owned;
    try {
      if (who === "stencil") op = st;
      else if (who === "jacobi") owned = op = setup(() => precond.jacobi(Am), "jacobi");
      else if (who === "ssor") owned = op = setup(() => precond.ssor(Am), "ssor");
      else if (who === "ic0") owned = op = setup(() => precond.ic0(Am), "ic0");
      else if (who === "chebyshev") owned = op = setup(() => precond.chebyshev(Am), "chebyshev");
      else if (who === "amg-precond") {
        owned = setup(() => amg(Am), "amg");
        op = setup(() => owned.asPreconditioner(), "asPreconditioner");
      }
      const n = op.rows;
      const x = Float64Array.from({ length: n }, (_, i) => (i % 3) - 0.75 + i / 8);
      const want = setup(() => op.matvec(x), "the reference product");
      /** @type {any} */
      let o;
      /** @type {any} */
      let buf;
      if (out === "Float64Array") o = new Float64Array(n);
      else if (out === "subarray") o = new Float64Array(n + 2).subarray(1, n + 1);
      else if (out === "F64Buffer") o = buf = allocF64(n);
      else if (out === "F64Buffer-short") o = buf = allocF64(Math.max(n - 1, 0));
      else if (out === "disposed") {
        o = allocF64(n);
        o.dispose();
      } else if (out === "Float32Array") o = new Float32Array(n);
      else if (out === "Array") o = new Array(n).fill(0);
      else if (out === "Uint8Array") o = new Uint8Array(n);
      else if (out === "short") o = new Float64Array(n - 1);
      else if (out === "long") o = new Float64Array(n + 1);
      else if (out === "null") o = null;
      const xin = who === "csr-x-float32" ? Float32Array.from(x) : x;
      const valid = ["Float64Array", "subarray", "F64Buffer", "none"].includes(out);
      try {
        runCase({
          call: () => (out === "none" ? op.matvec(xin) : op.matvec(xin, o)),
          allowed: valid && who !== "csr-x-float32" ? [] : ["INVALID_ARGUMENT", "DIMENSION_MISMATCH", "DISPOSED"],
          check: (y) => {
            const values = y && typeof y === "object" && "array" in y && !(y instanceof Float64Array) ? y.array : y;
            if (!values || typeof values.length !== "number" || values.length !== n)
              fail(`matvec returned ${show(y)} (length ${values?.length}), expected ${n} values`);
            const f32 = who === "csr-x-float32" || out === "Float32Array";
            for (let i = 0; i < n; i++) {
              const w = out === "Float32Array" ? Math.fround(want[i]) : want[i];
              const tolerance = f32 ? 1e-6 * (Math.abs(want[i]) + 1) : 0;
              if (!(Math.abs(values[i] - w) <= tolerance) && !Object.is(values[i], w)) {
                fail(`${who}.matvec(x, ${out}) gave [${i}] = ${values[i]}, expected ${want[i]} (silently wrong)`);
              }
            }
            if (out !== "none" && out !== "null" && valid && y !== o) fail(`matvec(x, out) did not return out`);
          },
        });
      } finally {
        buf?.dispose();
      }
    } finally {
      if (who === "amg-precond") op.dispose?.();
      owned?.dispose();
      st?.dispose();
      Am.dispose();
    }
  },
};

// ---------------------------------------------------------------- multigrid building blocks

const mgBlocksProp = {
  name: "mg-blocks",
  ciRuns: 250,
  arb: fc.record({
    fn: fc.constantFrom("smooth", "residual", "restrict", "prolong"),
    d: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) => A.denseOf(r, c)),
    square: fc.boolean(),
    stencil: fc.boolean(),
    // mostly consistent lengths, so that the operator's own shape is what gets tested
    bLen: fc.oneof({ weight: 4, arbitrary: fc.constant("rows") }, { weight: 1, arbitrary: fc.constantFrom("cols", "rows+1", "rows-1") }),
    xLen: fc.oneof({ weight: 4, arbitrary: fc.constant("cols") }, { weight: 1, arbitrary: fc.constantFrom("rows", "cols+1", "cols-1") }),
    kind: fc.oneof(
      fc.constantFrom("rbgs", "rbgs-reverse", "gs", "sgs", "jacobi", "chebyshev", "full", "half", "injection", "cell-average", "linear", "constant"),
      fc.constantFrom(...A.PROTO_NAMES, undefined, 3, null),
    ),
    grid: fc.oneof(
      fc.constantFrom([7, 7], [3, 3, 3], [8, 8], [7], [4, 4, 4], [5, 5]),
      fc.constantFrom([0, 7], [-1, 7], [7.5, 7], [Number.NaN, 7], [2 ** 31, 1], ["7", "7"], [], [3, 3, 3, 3], [2 ** 20, 2 ** 20]),
    ),
    vLen: fc.constantFrom("fine", "coarse", "other"),
    sweeps: fc.constantFrom(undefined, 1, 3, 0, -1, 0.5, Number.NaN, "2"),
    omega: fc.constantFrom(undefined, 0.6, 0, 2, Number.NaN),
  }),
  /** @param {any} c */
  run(c) {
    const { fn, kind, grid } = c;
    const sq = c.square
      ? A.denseToCsr({
          rows: c.d.rows,
          cols: c.d.rows,
          a: c.d.a.map((/** @type {number[]} */ r, /** @type {number} */ i) =>
            Array.from({ length: c.d.rows }, (_, j) => (i === j ? 4 + Math.abs(r[0] ?? 0) : (r[j] ?? 0) / 4)),
          ),
        })
      : A.denseToCsr(c.d);
    const dd = { rows: sq.rows, cols: sq.cols, a: csrToDense(sq) };
    if (fn === "smooth" || fn === "residual") {
      const op = c.stencil ? setup(() => gallery.poisson([3, 3]), "poisson") : setup(() => CsrMatrix.fromArrays(sq), "the matrix");
      const rows = op.rows,
        cols = op.cols;
      const len = (/** @type {string} */ s) => ({ rows, cols, "rows+1": rows + 1, "rows-1": rows - 1, "cols+1": cols + 1, "cols-1": cols - 1 })[s] ?? 0;
      const b = Float64Array.from({ length: len(c.bLen) }, (_, i) => i - 1.5);
      const x = Float64Array.from({ length: len(c.xLen) }, (_, i) => 0.25 * i);
      const x0 = x.slice();
      const shapesOk = b.length === rows && x.length === cols;
      const square = rows === cols;
      const denseA = c.stencil
        ? setup(() => {
            const csr = /** @type {any} */ (op).toCsr();
            const a = csrToDense({ ...csr.toArrays(), rows, cols });
            csr.dispose();
            return { rows, cols, a };
          }, "toCsr")
        : dd;
      try {
        if (fn === "residual") {
          runCase({
            call: () => mgBlocks.residual(op, b, x),
            allowed: ["INVALID_ARGUMENT", "DIMENSION_MISMATCH"],
            mustThrow: shapesOk ? undefined : `b has length ${b.length} and x ${x.length} for a ${rows} × ${cols} operator`,
            check: (r) => {
              if (!(r instanceof Float64Array) || r.length !== rows) fail(`residual returned ${show(r)}`);
              const ax = denseMatvec(denseA, x0);
              for (let i = 0; i < rows; i++)
                if (Math.abs(r[i] - (b[i] - ax[i])) > 1e-12 * (1 + Math.abs(b[i]) + Math.abs(ax[i])))
                  fail(`residual[${i}] = ${r[i]}, expected ${b[i] - ax[i]}`);
            },
          });
        } else {
          const kindOk = ["rbgs", "rbgs-reverse", "gs", "sgs", "jacobi", "chebyshev", undefined].includes(kind);
          const sweepsOk = c.sweeps === undefined || (Number.isInteger(c.sweeps) && c.sweeps >= 0);
          let refuse = !shapesOk ? `b ${b.length}, x ${x.length} for a ${rows} × ${cols} operator` : undefined;
          if (!square) refuse = `smoothing needs a square operator, got ${rows} × ${cols}`;
          if (!kindOk) refuse = `kind ${show(kind)}`;
          if (!sweepsOk) refuse = `sweeps ${show(c.sweeps)}`;
          if (kind === "jacobi" && c.omega !== undefined && !(c.omega > 0 && c.omega < 2)) refuse = `omega ${c.omega}`;
          runCase({
            call: () => mgBlocks.smooth(op, b, x, { kind, sweeps: c.sweeps, omega: c.omega }),
            allowed: ["INVALID_ARGUMENT", "DIMENSION_MISMATCH", "INVALID_OPTION", "INVALID_MATRIX", "NOT_FINITE"],
            mustThrow: refuse,
            check: (r) => {
              if (!(r instanceof Float64Array) || r.length !== cols) fail(`smooth returned ${show(r)}`);
              if (!r.every(Number.isFinite)) fail(`smooth returned non-finite values on a finite system`);
            },
          });
        }
      } finally {
        op.dispose();
      }
      return;
    }
    // restrict / prolong
    const validGrid = Array.isArray(grid) && (grid.length === 2 || grid.length === 3) && grid.every((g) => Number.isInteger(g) && g >= 1 && g < 2 ** 16);
    const fineN = validGrid ? grid.reduce((/** @type {number} */ p, /** @type {number} */ g) => p * g, 1) : 7;
    const cell = kind === "cell-average" || kind === "constant";
    const evenOk = validGrid && grid.every((/** @type {number} */ g) => g % 2 === 0);
    const oddOk = validGrid && grid.every((/** @type {number} */ g) => g % 2 === 1 && g >= 3);
    const coarseN = validGrid ? grid.reduce((/** @type {number} */ p, /** @type {number} */ g) => p * (cell ? g / 2 : (g - 1) / 2), 1) : 3;
    const kinds = fn === "restrict" ? ["full", "half", "injection", "cell-average", undefined] : ["linear", "constant", undefined];
    const vn = c.vLen === "fine" ? fineN : c.vLen === "coarse" ? coarseN : 5;
    const v = Float64Array.from({ length: Number.isInteger(vn) && vn < 2 ** 22 ? vn : 5 }, (_, i) => 1 + (i % 4));
    const wantLen = fn === "restrict" ? fineN : coarseN;
    let refuse;
    if (!kinds.includes(kind)) refuse = `kind ${show(kind)}`;
    else if (!validGrid) refuse = `grid ${show(grid)} [${grid}]`;
    else if (cell ? !evenOk : !oddOk) refuse = `grid [${grid}] for ${kind ?? "the default"}`;
    else if (v.length !== wantLen) refuse = `a vector of ${v.length} for grid [${grid}]`;
    runCase({
      call: () => (fn === "restrict" ? mgBlocks.restrict(v, grid, kind) : mgBlocks.prolong(v, grid, kind)),
      allowed: ["INVALID_ARGUMENT", "DIMENSION_MISMATCH", "INVALID_OPTION", "OUT_OF_MEMORY"],
      mustThrow: refuse,
      check: (r) => {
        const n = fn === "restrict" ? coarseN : fineN;
        if (!(r instanceof Float64Array) || r.length !== n) fail(`${fn} returned ${show(r)}, expected Float64Array(${n})`);
        if (!r.every(Number.isFinite)) fail(`${fn} returned non-finite values`);
      },
    });
  },
};

// ---------------------------------------------------------------- non-SPD systems

const nonSpd = {
  name: "solvers-non-spd",
  ciRuns: 200,
  arb: fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.record({
      d: A.denseOf(n, n, fc.integer({ min: -5, max: 5 })).map((d) => ({ ...d, a: d.a.map((row, i) => row.map((v, j) => (i === j && v === 0 ? 1 : v))) })),
      symmetric: fc.boolean(),
      solver: fc.constantFrom("cg", "fcd", "sor", "sor-ssor"),
      b: A.rhs(n),
    }),
  ),
  /** @param {{ d: A.Dense, symmetric: boolean, solver: string, b: number[] }} c */
  run({ d: given, symmetric, solver, b }) {
    // (never mutate a generated value: fast-check reuses it while shrinking)
    const d = { ...given, a: given.a.map((row, i) => row.map((v, j) => (symmetric && j > i ? given.a[j][i] : v))) };
    const Am = setup(() => CsrMatrix.fromDense(d.a), "the matrix");
    const o = solver === "sor-ssor" ? { symmetric: true, maxiter: 3000 } : { maxiter: 3000 };
    try {
      runCase({
        call: () =>
          solver === "cg" ? cg(Am, Float64Array.from(b), o) : solver === "fcd" ? fcd(Am, Float64Array.from(b), o) : sor(Am, Float64Array.from(b), o),
        // A finite matrix and right-hand side: non-convergence is a result. The one error is
        // the documented NOT_FINITE of an iterate that overflowed float64 before the
        // divergence test could stop it (one CG step on a non-SPD matrix can jump 10^150).
        allowed: ["NOT_FINITE"],
        checkError: (e) => {
          if (!/overflowed float64/.test(e.message)) fail(`NOT_FINITE for another reason: ${e.message}`);
        },
        check: (r) => checkSolveResult(r, d, b, solver === "sor-ssor" ? "sor" : solver, o, r.converged),
      });
    } finally {
      Am.dispose();
    }
  },
};

// ---------------------------------------------------------------- xVA regression and the ω tuner

const regress = {
  name: "xva-regress",
  ciRuns: 150,
  arb: fc.record({
    m: fc.integer({ min: 1, max: 40 }),
    q: fc.integer({ min: 1, max: 2 }),
    degree: fc.oneof(fc.constantFrom(0, 1, 2, 3), A.hostileNumber),
    wHow: fc.constantFrom("none", "ones", "random", "NaN", "negative", "Infinity", "zeros", "short"),
    xHow: fc.constantFrom("ok", "ok", "NaN", "short", "constant"),
    quantile: fc.constantFrom(undefined, 0.5, 0.01, 0, 1, Number.NaN),
    kind: fc.constantFrom(undefined, "hermite", "monomial", ...A.PROTO_NAMES),
    seed: fc.integer({ min: 1, max: 1000 }),
  }),
  /** @param {any} c */
  run(c) {
    const { m, q, wHow, xHow } = c;
    let s = c.seed;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const x = Array.from({ length: q }, () => Float64Array.from({ length: m }, rnd));
    if (xHow === "NaN") x[0][m - 1] = Number.NaN;
    if (xHow === "short") x[0] = x[0].subarray(0, m - 1);
    if (xHow === "constant") x[0].fill(1);
    const y = [Float64Array.from(x[0].length === m ? x[0] : new Float64Array(m), (v) => 1 + 2 * v + 0.1 * rnd())];
    /** @type {Float64Array | undefined} */
    let weights;
    if (wHow !== "none") {
      weights = Float64Array.from({ length: wHow === "short" ? m - 1 : m }, () => (wHow === "random" ? 0.5 + Math.abs(rnd()) : 1));
      if (wHow === "NaN") weights[0] = Number.NaN;
      if (wHow === "negative") weights[0] = -1;
      if (wHow === "Infinity") weights[0] = Number.POSITIVE_INFINITY;
      if (wHow === "zeros") weights.fill(0);
    }
    let refuse;
    if (["NaN", "negative", "Infinity", "short"].includes(wHow) && weights?.length) refuse = `weights: ${wHow}`;
    if (wHow === "short" && m === 1) refuse = "weights of length 0 for 1 path";
    if (xHow === "NaN") refuse = "a NaN regressor";
    if (xHow === "short" && m > 1) refuse = "a regressor of the wrong length";
    if (typeof c.degree === "number" && (!Number.isInteger(c.degree) || c.degree < 0)) refuse = `degree ${c.degree}`;
    if (c.quantile !== undefined && !(c.quantile > 0 && c.quantile < 1)) refuse = `quantile ${c.quantile}`;
    if (typeof c.kind === "string" && A.PROTO_NAMES.includes(c.kind)) refuse = `kind "${c.kind}"`;
    runCase({
      call: () => xva.regress({ x, y, weights, degree: c.degree, kind: c.kind, quantile: c.quantile }),
      allowed: ["INVALID_ARGUMENT", "DIMENSION_MISMATCH", "NOT_FINITE", "INVALID_OPTION", "OUT_OF_MEMORY"],
      mustThrow: refuse,
      check: (r) => {
        if (!r || !Array.isArray(r.fitted) || r.fitted.length !== 1) fail(`regress returned ${show(r)}`);
        const f = r.fitted[0];
        if (!(f instanceof Float64Array) || f.length !== m) fail(`fitted is ${show(f)}, expected Float64Array(${m})`);
        if (wHow !== "zeros" && !f.every(Number.isFinite)) fail("fitted values are not finite");
      },
    });
  },
};

const tunerState = {
  name: "tuner-state",
  ciRuns: 150,
  arb: fc.record({
    policy: fc.constantFrom("tsallis-inf", "exp3", "tinf-cb", "cheb-igw"),
    field: fc.constantFrom(
      "version",
      "options",
      "rng",
      "learner",
      "lossSum",
      "rounds",
      "options.arms",
      "options.policy",
      "options.seed",
      "learner.lhat",
      "learner.t",
      "whole",
    ),
    value: fc.oneof(A.anyValue, fc.constantFrom([], [1, 2], [Number.NaN], { lhat: 5 }, -1e9)),
    observe: fc.boolean(),
  }),
  /** @param {any} c */
  run(c) {
    const base = setup(
      () =>
        new OmegaTuner(c.policy === "tinf-cb" || c.policy === "cheb-igw" ? { policy: c.policy, seed: 1, contextRange: [0, 1] } : { policy: c.policy, seed: 1 }),
      "a tuner",
    );
    const contextual = c.policy === "tinf-cb" || c.policy === "cheb-igw";
    base.suggest(contextual ? 0.5 : undefined);
    base.observe(10);
    const state = JSON.parse(JSON.stringify(base.state()));
    /** @type {any} */
    let mutated = state;
    if (c.field === "whole") mutated = c.value;
    else {
      const path = c.field.split(".");
      let o = state;
      for (const p of path.slice(0, -1)) o = o?.[p];
      if (o && typeof o === "object") o[path[path.length - 1]] = c.value;
    }
    runCase({
      call: () => {
        const t = OmegaTuner.fromState(mutated);
        const w = t.suggest(contextual ? 0.3 : undefined);
        if (c.observe) t.observe(7);
        return w;
      },
      // A saved array of the wrong length is DIMENSION_MISMATCH; a Cheb-IGW Gram matrix that
      // is not positive definite, INVALID_MATRIX.
      allowed: ["INVALID_ARGUMENT", "INVALID_OPTION", "NOT_FINITE", "DIMENSION_MISMATCH", "INVALID_MATRIX"],
      check: (w) => {
        if (!(typeof w === "number" && w > 0 && w < 2)) fail(`a restored tuner suggested ω = ${show(w)}`);
      },
    });
  },
};

// ---------------------------------------------------------------- xva.run configurations

/** A small valid xVA configuration (fresh each call: the property mutates it). */
function xvaConfig() {
  return {
    paths: 64,
    steps: 4,
    maturity: 1,
    seed: 3,
    r: 0.02,
    assets: { spot: [100], vol: [0.25] },
    trades: [{ type: "call", asset: 0, strike: 100, notional: 1 }],
    counterparty: { value: 100, drift: 0.02, vol: 0.25, barrier: 70, recovery: 0.4 },
    bank: { value: 100, drift: 0.02, vol: 0.2, barrier: [70, 70, 70, 70, 70], recovery: 0.4 },
    collateral: { threshold: 1, lag: 1 },
    im: { mpr: 1 },
  };
}

/** The paths to the fields the property may replace, and a value to put there. */
const XVA_FIELDS = [
  "paths",
  "steps",
  "maturity",
  "seed",
  "r",
  "assets",
  "assets.spot",
  "assets.spot.0",
  "assets.vol",
  "assets.vol.0",
  "trades",
  "trades.0",
  "trades.0.type",
  "trades.0.asset",
  "trades.0.strike",
  "trades.0.notional",
  "trades.0.maturity",
  "counterparty.value",
  "counterparty.vol",
  "counterparty.barrier",
  "counterparty.recovery",
  "bank.barrier",
  "bank.barrier.2",
  "collateral.threshold",
  "collateral.lag",
  "im.mpr",
  "im.quantile",
  "im.method",
  "corr",
  "exit",
  "degree",
];

const xvaRun = {
  name: "xva-run",
  ciRuns: 40,
  arb: fc.record({
    field: fc.constantFrom(...XVA_FIELDS),
    value: fc.oneof(A.anyValue, fc.constantFrom([], [Number.NaN], [100, Number.NaN], { spot: [1] }, 1e300, -1e-300, 2 ** 31)),
  }),
  /** @param {{ field: string, value: unknown }} c */
  run({ field, value }) {
    const config = /** @type {any} */ (xvaConfig());
    const path = field.split(".");
    let o = config;
    for (const p of path.slice(0, -1)) o = o[p];
    o[path[path.length - 1]] = value;
    runCase({
      call: () => xva.run(config),
      // A valid high regression degree is honest work, not a hang: a total-degree-11 basis has
      // C(q + 11, 11) functions, and the call takes 1.7–2.4 s on the 2-core CI machine
      // (degree 2: 31 ms); the runner's watchdog still catches a hang.
      timeLimitMs: 4000,
      allowed: ["INVALID_ARGUMENT", "INVALID_OPTION", "DIMENSION_MISMATCH", "NOT_FINITE", "OUT_OF_MEMORY"],
      check: (r) => {
        // Whatever was accepted must give finite estimates: a NaN would be a silent wrong answer.
        for (const key of /** @type {const} */ (["cva", "dva", "mva", "colva", "fva"])) {
          const e = r?.[key];
          if (!e || !Number.isFinite(e.value) || !Number.isFinite(e.se)) fail(`${key} is ${JSON.stringify(e)} after ${field} = ${show(value)}`);
        }
        if (!Number.isFinite(r.adjusted)) fail(`adjusted is ${r.adjusted} after ${field} = ${show(value)}`);
      },
    });
  },
};

// Issue #14: a weight file, its bytes flipped, cut or grown, or its JSON form with fields
// replaced, must load (into a model whose prediction is finite) or be refused with
// INVALID_ARGUMENT / INVALID_OPTION; never a TypeError, a trap or a silent NaN weight.
/** @type {Partial<import("solvewasm").MgnoConfig>} */
const TINY_MGNO = {
  channels: 2,
  layers: 1,
  levels: [
    [1, 0],
    [1, 1],
  ],
};
/** @type {Uint8Array | undefined} */
let tinyWeights;
function tinyWeightFile() {
  if (!tinyWeights) {
    const m = learned.newMgno(TINY_MGNO, 5);
    tinyWeights = m.toWeights({ note: "fuzz" });
    m.dispose();
  }
  return tinyWeights;
}
const WEIGHT_JUNK = [Number.NaN, Infinity, -1, 0, 2 ** 31, "x", null, [], {}, [1, 2], true, "toString", 1e308];

const weightFiles = {
  name: "weight-files",
  ciRuns: 60,
  arb: fc.oneof(
    fc.record({
      kind: fc.constant("bytes"),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat()),
      extra: fc.nat({ max: 12 }),
    }),
    fc.record({
      kind: fc.constant("json"),
      field: fc.constantFrom("format", "version", "model", "config", "tensors", "channels", "levels", "grid", "activation", "shape", "data", "drop", "add"),
      junk: fc.constantFrom(...WEIGHT_JUNK),
    }),
  ),
  /** @param {any} c */
  run(c) {
    const base = tinyWeightFile();
    let source;
    if (c.kind === "bytes") {
      const len = c.cut === null ? base.length + c.extra : c.cut % (base.length + 1);
      const b = new Uint8Array(len);
      b.set(base.subarray(0, Math.min(len, base.length)));
      for (const [at, v] of c.edits) if (len) b[at % len] = v;
      source = b;
    } else {
      const w = learned.readWeights(base);
      /** @type {any} */
      const json = {
        format: "solvewasm-weights",
        version: 1,
        model: w.model,
        config: structuredClone(w.config),
        tensors: Object.fromEntries([...w.tensors].map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data) }])),
      };
      const first = Object.keys(json.tensors)[0];
      if (["format", "version", "model", "config", "tensors"].includes(c.field)) json[c.field] = c.junk;
      else if (["channels", "levels", "grid", "activation"].includes(c.field)) json.config[c.field] = c.junk;
      else if (c.field === "shape") json.tensors[first].shape = c.junk;
      else if (c.field === "data") json.tensors[first].data = Array.isArray(c.junk) ? c.junk : [c.junk];
      else if (c.field === "drop") delete json.tensors[first];
      else json.tensors.extra = { shape: [1], data: [c.junk] };
      source = json;
    }
    runCase({
      call: () => learned.mgno(source),
      allowed: ["INVALID_ARGUMENT", "INVALID_OPTION", "NOT_FINITE"],
      check: (model) => {
        try {
          if (!model.params.finite()) fail("a model with a non-finite weight was accepted");
          const n = 2 ** model.config.levels.length * 2 - 1;
          let u;
          try {
            u = model.predict(new Float64Array(n * n).fill(3), [n, n]);
          } catch (e) {
            // Finite but huge weights (a flipped exponent byte) overflow float32: refused, as documented.
            if (e instanceof SolvewasmError && e.code === "NOT_FINITE") return;
            throw e;
          }
          if (!u.every(Number.isFinite)) fail("an accepted model predicts non-finite values");
        } finally {
          model.dispose();
        }
      },
    });
  },
};

/** Every property, in the order they run. */
export const properties = [
  mmValid,
  mmBadToken,
  mmMutated,
  mmHuge,
  mmLong,
  csrArrays,
  cooTriplets,
  solverOptions,
  hierarchyOptions,
  userOperators,
  outArguments,
  mgBlocksProp,
  nonSpd,
  regress,
  tunerState,
  xvaRun,
  weightFiles,
];
