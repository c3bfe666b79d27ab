// Classical (Ruge–Stüben) AMG prolongators, computed in wasm (assembly/multigrid/classical.ts):
// strength of connection, a C/F splitting (RS first pass or PMIS) and interpolation (direct,
// classical or extended+i), truncated. Orchestration only: every pass over the matrix runs
// in wasm, every temporary block comes from withScratch (OUT_OF_MEMORY before wasm would
// trap), and P is allocated exactly once its size is known.
import { SolvewasmError } from "../errors.js";
import { withScratch } from "../memory.js";
import { CsrMatrix } from "../operators/csr.js";
import { invalidOption } from "../solver.js";
import { describe } from "../validate.js";

/** How a classical AMG level is coarsened and interpolated. */
export interface ClassicalSettings {
  /** Strength threshold θ ∈ [0, 1] (hypre's strong_threshold; default 0.25). */
  theta: number;
  /** "rs" (hypre's HMIS, its default coarsening: its Ruge–Stüben first pass, then PMIS on
   * the points left without a strong C dependency; default) or "pmis" (De Sterck, Yang,
   * Heys 2006, hypre's coarsen_type 8); both as hypre 2.26 runs them on one process, with
   * its random tie-breaker (reproducible: a fixed seed). */
  coarsening: "rs" | "pmis";
  /** "extended+i" (hypre's interp type 6; default), "classical" (PyAMG's modified classical
   * interpolation) or "direct" (PyAMG's direct interpolation). */
  interpolation: "extended+i" | "classical" | "direct";
  /** Most entries kept per row of P (hypre's P_max_elmts; 0: no cap; default 4). */
  maxElements: number;
  /** Drop |w| < truncation·max|w| in each row of P (hypre's trunc_factor; default 0). */
  truncation: number;
  /** A row with |Σ_j a_ij| > maxRowSum·|a_ii| has no strong dependency (hypre's max_row_sum;
   * 1 turns the rule off; default 0.9). */
  maxRowSum?: number;
}

/** The defaults of `ClassicalSettings` (hypre BoomerAMG's, with HMIS's first pass). */
export const CLASSICAL_DEFAULTS: Readonly<ClassicalSettings> = Object.freeze({
  theta: 0.25,
  coarsening: "rs",
  interpolation: "extended+i",
  maxElements: 4,
  truncation: 0,
  maxRowSum: 0.9,
});

/** Values of a splitting (`classicalSplitting`): coarse, fine, and fine with no strong
 * dependency (hypre's SF_PT: a zero row of P, left out of extended+i's lumping). */
export const CF_COARSE = 1;
export const CF_FINE = 0;
export const CF_ISOLATED = -1;

const INTERPOLATION = { direct: 0, classical: 1, "extended+i": 2 } as const;

function checkSettings(A: CsrMatrix, s: ClassicalSettings): void {
  if (!(A instanceof CsrMatrix)) throw new SolvewasmError("INVALID_ARGUMENT", `A must be a CsrMatrix, got ${describe(A)}`);
  if (A.rows !== A.cols) throw new SolvewasmError("DIMENSION_MISMATCH", `classical AMG needs a square matrix, got ${A.rows} × ${A.cols}`);
  checkClassicalSettings(s);
}

/** INVALID_OPTION unless every classical setting is in range (`amg`'s options included). */
export function checkClassicalSettings(s: ClassicalSettings): void {
  if (typeof s !== "object" || s === null) throw new SolvewasmError("INVALID_ARGUMENT", `settings must be an object, got ${describe(s)}`);
  const { theta, coarsening, interpolation, maxElements, truncation, maxRowSum = 0.9 } = s;
  if (typeof theta !== "number" || !(theta >= 0 && theta <= 1)) invalidOption(`theta must be in [0, 1], got ${describe(theta)}`);
  if (coarsening !== "rs" && coarsening !== "pmis") invalidOption(`coarsening must be "rs" or "pmis", got ${describe(coarsening)}`);
  if (!Object.hasOwn(INTERPOLATION, interpolation)) {
    invalidOption(`interpolation must be "extended+i", "classical" or "direct", got ${describe(interpolation)}`);
  }
  if (typeof maxElements !== "number" || !Number.isInteger(maxElements) || maxElements < 0 || maxElements > 2 ** 31 - 1) {
    invalidOption(`maxElements must be an integer ≥ 0, got ${describe(maxElements)}`);
  }
  if (typeof truncation !== "number" || !(truncation >= 0 && truncation <= 1)) invalidOption(`truncation must be in [0, 1], got ${describe(truncation)}`);
  if (typeof maxRowSum !== "number" || !(maxRowSum >= 0 && maxRowSum <= 1)) invalidOption(`maxRowSum must be in [0, 1], got ${describe(maxRowSum)}`);
}

function checkSplitting(n: number, cf: unknown): Int8Array {
  if (!(cf instanceof Int8Array)) throw new SolvewasmError("INVALID_ARGUMENT", `a splitting must be an Int8Array, got ${describe(cf)}`);
  if (cf.length !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `the splitting has length ${cf.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    if (cf[i] !== CF_COARSE && cf[i] !== CF_FINE && cf[i] !== CF_ISOLATED) {
      throw new SolvewasmError("INVALID_ARGUMENT", `splitting[${i}] = ${cf[i]}; a splitting holds 1 (C), 0 (F) or -1 (isolated F)`);
    }
  }
  return cf;
}

/** Runs `fn` with the strength matrix S of A (sp, sj, nnz) in wasm memory. */
function withStrength<T>(A: CsrMatrix, theta: number, maxRowSum: number, fn: (sp: number, sj: number, nnz: number) => T): T {
  const rt = A.rt,
    n = A.rows;
  // S ⊂ A: its indices fit in nnz(A) entries, filled in one pass.
  return withScratch(rt, [4 * (n + 1), 4 * A.nnz], "a strength matrix", ([sp, sj]) => {
    const a = A.pointers();
    const nnz = rt.call((ex) => ex.classicalStrength(n, a.indptr, a.indices, a.data, theta, maxRowSum, sp, sj));
    return fn(sp, sj, nnz);
  });
}

/** Writes the splitting of S (n points, nnz(S) = nnz) at cf; returns the number of C points. */
function split(A: CsrMatrix, coarsening: "rs" | "pmis", sp: number, sj: number, nnz: number, cf: number): number {
  const rt = A.rt,
    n = A.rows;
  const rs = coarsening === "rs";
  // Sᵀ (pattern); PMIS's measures and graph; for RS also its measure, list links (next,
  // prev) per point and list ends (head, tail) per measure value (at most 2n − 2).
  const sizes = [4 * (n + 1), 4 * nnz, 4 * n, 8 * n, 4 * n, ...(rs ? [4 * n, 4 * n, 4 * (2 * n + 1), 4 * (2 * n + 1)] : [])];
  return withScratch(rt, sizes, "a C/F splitting", ([tp, tj, next, pm, graph, ...w]) =>
    rt.call((ex) => {
      ex.csrTranspose(n, n, sp, sj, 0, tp, tj, 0, next);
      return rs ? ex.rsSplitting(n, sp, sj, tp, tj, cf, next, w[0], w[1], w[2], w[3], pm, graph) : ex.pmisSplitting(n, sp, sj, tp, tj, cf, pm, graph);
    }),
  );
}

/**
 * The C/F splitting of a classical AMG level: 1 (C), 0 (F) or −1 (F with no strong
 * connection either way) per row of A. `interpolation`, `maxElements` and `truncation` are
 * not used.
 * @example
 * const A = gallery.poisson([7]).toCsr();
 * classicalSplitting(A, CLASSICAL_DEFAULTS); // Int8Array [0, 1, 0, 1, 0, 1, 0]
 */
export function classicalSplitting(A: CsrMatrix, settings: ClassicalSettings): Int8Array {
  checkSettings(A, settings);
  const rt = A.rt,
    n = A.rows;
  return withStrength(A, settings.theta, settings.maxRowSum ?? 0.9, (sp, sj, nnz) =>
    withScratch(rt, [n], "a C/F splitting", ([cf]) => {
      split(A, settings.coarsening, sp, sj, nnz, cf);
      return new Int8Array(rt.memory.buffer, cf, n).slice();
    }),
  );
}

/** The strength matrix of A as pattern-only CSR arrays (j ≠ i in row i when i depends
 * strongly on j; maxRowSum: hypre's max_row_sum, default 0.9); for tests and diagnostics. */
export function classicalStrength(A: CsrMatrix, theta: number, maxRowSum = 0.9): { indptr: Int32Array; indices: Int32Array } {
  checkSettings(A, { ...CLASSICAL_DEFAULTS, theta, maxRowSum });
  const rt = A.rt,
    n = A.rows;
  return withStrength(A, theta, maxRowSum, (sp, sj, nnz) => ({
    indptr: new Int32Array(rt.memory.buffer, sp, n + 1).slice(),
    indices: new Int32Array(rt.memory.buffer, sj, nnz).slice(),
  }));
}

/**
 * The prolongator P (A.rows × number of C points) of a classical AMG level: C rows inject
 * (one 1 in their coarse column; coarse columns follow the C points' fine order), F rows
 * interpolate, truncated to `maxElements` per row and rescaled to keep each row sum; rows
 * sorted. A level that does not coarsen gives P.cols === 0 (no C point) or
 * P.cols === A.rows (every point C): the caller stops there. With `splitting` (values as
 * `classicalSplitting` returns) that splitting is used instead of computing one.
 * @example
 * const A = gallery.poisson([31, 31]).toCsr();
 * using P = classicalProlongator(A, CLASSICAL_DEFAULTS); // 961 × 481
 */
export function classicalProlongator(A: CsrMatrix, settings: ClassicalSettings, splitting?: Int8Array): CsrMatrix {
  checkSettings(A, settings);
  const rt = A.rt,
    n = A.rows;
  const given = splitting === undefined ? undefined : checkSplitting(n, splitting);
  const kind = INTERPOLATION[settings.interpolation];
  return withStrength(A, settings.theta, settings.maxRowSum ?? 0.9, (sp, sj, nnz) =>
    withScratch(rt, [n], "a C/F splitting", ([cf]) => {
      if (given) new Int8Array(rt.memory.buffer, cf, n).set(given);
      else split(A, settings.coarsening, sp, sj, nnz, cf);
      // P's indptr, the marker, the fine-to-coarse map, A's diagonal.
      return withScratch(rt, [4 * (n + 1), 4 * n, 4 * n, 8 * n], "a prolongator", ([pp, mark, map, diag]) => {
        const nc = rt.call((ex) => ex.coarseMap(n, cf, map));
        const bound = rt.call((ex) => ex.classicalInterpCount(kind, n, sp, sj, cf, pp, mark));
        if (bound < 0) throw new SolvewasmError("OUT_OF_MEMORY", `the prolongator of a ${n}-row matrix has more than 2³¹ entries before truncation`);
        return withScratch(rt, [4 * bound, 8 * bound], "a prolongator", ([pj, px]) => {
          const a = A.pointers();
          const pnnz = rt.call((ex) => {
            ex.classicalInterpFill(kind, n, a.indptr, a.indices, a.data, sp, sj, cf, map, pp, pj, px, mark, diag);
            // Truncates (when asked) and sorts every row by column.
            return ex.interpTruncate(n, pp, pj, px, settings.maxElements, settings.truncation);
          });
          const P = new CsrMatrix(rt, n, nc, pnnz);
          const v = P.views(),
            buf = rt.memory.buffer;
          v.indptr.set(new Int32Array(buf, pp, n + 1));
          v.indices.set(new Int32Array(buf, pj, pnnz));
          v.data.set(new Float64Array(buf, px, pnnz));
          return P;
        });
      });
    }),
  );
}
