// The pieces multigrid is made of, for building other cycles (an MgNO layer is a V-cycle
// with learned stencils): grid transfers, smoothers, residuals and a dense coarse solver.
// Grids are row-major, last axis fastest, as everywhere in solvewasm. Vertex-centred grids
// have 2·n_c + 1 points per axis (coarse point I on fine point 2I + 1); cell-centred grids
// have 2·n_c cells.
import { SolvewasmError } from "../errors.js";
import { aggregates } from "./amg.js";
import { CLASSICAL_DEFAULTS, classicalProlongator, classicalSplitting, classicalStrength } from "./classical.js";
import { F64Buffer, withVectors } from "../memory.js";
import type { CsrMatrix } from "../operators/csr.js";
import { StencilOperator } from "../operators/stencil.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import { MAX_ALLOCATION_BYTES, type Runtime } from "../runtime.js";
import { checkSquare, describe, oneOf } from "../validate.js";
import { makePreconditioners } from "../krylov/precond.js";
import { choleskyFactor, choleskySolve } from "../dense.js";
import { checkOptionNames } from "../solver.js";

export type Restriction = "full" | "half" | "injection" | "cell-average";
export type Prolongation = "linear" | "constant";
export type Smoother = "rbgs" | "rbgs-reverse" | "gs" | "sgs" | "jacobi" | "chebyshev";

export interface MultigridBlocks {
  /** Restricts a fine-grid vector: full weighting (default), half weighting or injection on
   * vertex-centred grids (2D, 3D); "cell-average" on cell-centred ones. */
  restrict(fine: Float64Array, grid: readonly number[], kind?: Restriction): Float64Array;
  /** Interpolates a coarse-grid vector to the fine grid `grid`: bilinear/trilinear
   * ("linear", vertex-centred, default) or piecewise constant ("constant", cell-centred);
   * added into `out` when given. */
  prolong(coarse: Float64Array, grid: readonly number[], kind?: Prolongation, out?: Float64Array): Float64Array;
  /** Smoothing sweeps on A·x = b, in place on x: red-black Gauss–Seidel in either colour
   * order (5-/7-point stencils), lexicographic or symmetric Gauss–Seidel (any operator),
   * weighted Jacobi (ω default 4/5 in 2D, 6/7 in 3D, 2/3 otherwise), or Chebyshev
   * (x += p(A)·(b − A·x) with the polynomial of `precond.chebyshev(A, { degree })`). */
  smooth(A: LinearOperator, b: Float64Array, x: Float64Array, options?: { kind?: Smoother; sweeps?: number; omega?: number; degree?: number }): Float64Array;
  /** r = b − A·x. */
  residual(A: LinearOperator, b: Float64Array, x: Float64Array): Float64Array;
  /** A dense Cholesky factorisation of a small SPD operator (the coarsest level's solver). */
  coarseSolver(A: LinearOperator): { solve(b: Float64Array): Float64Array };
  /** The aggregates smoothed-aggregation `amg` forms on A (PyAMG's standard_aggregation of
   * the symmetric strength matrix, θ default 0; nodes of `blockSize` unknowns): each row's
   * aggregate (−1: an isolated row, in none) and their count. */
  aggregates(A: CsrMatrix, options?: { theta?: number; blockSize?: number }): { of: Int32Array; count: number };
  /** The pieces of one classical AMG level, as `amg(A, { kind: "classical" })` runs them:
   * the strength matrix S, a C/F splitting (1 C, 0 F, −1 F without strong connections) and
   * the prolongator P (from that splitting, or from one given). */
  readonly classical: {
    readonly defaults: typeof CLASSICAL_DEFAULTS;
    readonly strength: typeof classicalStrength;
    readonly splitting: typeof classicalSplitting;
    readonly prolongator: typeof classicalProlongator;
  };
}

/** Most f64 one vector may hold (the allocator's largest block, 1 GiB). */
const MAX_VECTOR = MAX_ALLOCATION_BYTES / 8;

const RESTRICT = { full: "restrictFull", half: "restrictHalf", injection: "restrictInject" } as const;

/** [nx, ny, nz, threeD] of a 2D or 3D grid (last axis fastest), read once from `grid`. */
function dims(grid: readonly number[]): [number, number, number, boolean] {
  const g = Array.isArray(grid) ? Array.from(grid) : undefined;
  if (!g || g.length < 2 || g.length > 3 || !g.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `grid transfers work on 2D and 3D grids, got ${describe(grid)}`);
  }
  const [z, y, x] = [1, ...g].slice(-3);
  if (x * y * z > MAX_VECTOR) throw new SolvewasmError("OUT_OF_MEMORY", `a grid of ${x * y * z} points is more than one vector holds (${MAX_VECTOR})`);
  return [x, y, z, g.length === 3];
}

function checkVector(v: unknown, n: number, name: string): asserts v is Float64Array {
  if (!(v instanceof Float64Array)) throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a Float64Array, got ${describe(v)}`);
  if (v.length !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `${name} has length ${v.length}, expected ${n}`);
}

/** The sweeps of `smooth`, in place on x. */
function smoothSweeps(rt: Runtime, A: LinearOperator, b: Float64Array, x: Float64Array, options: Parameters<MultigridBlocks["smooth"]>[3] = {}): Float64Array {
  const { kind = "rbgs", sweeps = 1 } = options;
  if (!(A instanceof WasmOperator) || A.rt !== rt)
    throw new SolvewasmError("INVALID_ARGUMENT", `smooth needs a solvewasm operator of this instance, got ${describe(A)}`);
  checkSquare(A, "smooth");
  checkVector(b, A.rows, "b");
  checkVector(x, A.cols, "x");
  if (!Number.isInteger(sweeps) || sweeps < 0) throw new SolvewasmError("INVALID_OPTION", `sweeps must be an integer ≥ 0, got ${describe(sweeps)}`);
  const grid = (A as { grid?: readonly number[] }).grid;
  if (kind === "rbgs" || kind === "rbgs-reverse") {
    const s = A instanceof StencilOperator ? (A.fivePoint ? [0, ...A.fivePoint, 0] : A.sevenPoint) : undefined;
    if (!s || !grid) throw new SolvewasmError("INVALID_OPTION", "red-black Gauss–Seidel needs a constant 5-point (2D) or 7-point (3D) stencil");
    const [nx, ny, nz] = [1, 1, ...grid].slice(-3).reverse();
    const first = kind === "rbgs" ? 0 : 1;
    withVectors(rt, [b, x], [false, true], (ex, [pb, px]) => {
      for (let k = 0; k < sweeps; k++) {
        for (const colour of [first, 1 - first]) ex.rbgsColour(nx, ny, nz, colour, s[0], s[1], s[2], s[3], s[4], s[5], s[6], pb, px);
      }
    });
    return x;
  }
  const d = A.diagonal();
  for (let i = 0; i < d.length; i++)
    if (!(d[i] !== 0 && Number.isFinite(d[i]))) throw new SolvewasmError("INVALID_MATRIX", `smoothing divides by the diagonal: A[${i}][${i}] = ${d[i]}`);
  const diag = new F64Buffer(rt, d.length).set(d);
  try {
    if (kind === "jacobi") {
      const omega = options.omega ?? (grid?.length === 2 ? 4 / 5 : grid?.length === 3 ? 6 / 7 : 2 / 3);
      if (typeof omega !== "number" || !(omega > 0 && omega < 2)) throw new SolvewasmError("INVALID_OPTION", `omega must be in (0, 2), got ${describe(omega)}`);
      const r = new Float64Array(A.rows),
        inv = Float64Array.from(d, (v) => omega / v);
      for (let k = 0; k < sweeps; k++) {
        A.matvec(x, r);
        for (let i = 0; i < r.length; i++) x[i] += inv[i] * (b[i] - r[i]);
      }
      return x;
    }
    if (kind === "chebyshev") {
      const P = makePreconditioners(rt).chebyshev(A, { degree: options.degree ?? 3 });
      try {
        const r = new Float64Array(A.rows);
        for (let k = 0; k < sweeps; k++) {
          A.matvec(x, r);
          for (let i = 0; i < r.length; i++) r[i] = b[i] - r[i];
          const z = P.matvec(r);
          for (let i = 0; i < r.length; i++) x[i] += z[i];
        }
      } finally {
        P.dispose();
      }
      return x;
    }
    if (kind !== "gs" && kind !== "sgs")
      throw new SolvewasmError("INVALID_OPTION", `kind must be "rbgs", "rbgs-reverse", "gs", "sgs" or "jacobi", got ${describe(kind)}`);
    const { csr, owned } = A.asCsr();
    try {
      const p = csr.pointers();
      withVectors(rt, [b, x], [false, true], (ex, [pb, px]) => {
        for (let k = 0; k < sweeps; k++) {
          ex.sorSweepCsr(csr.rows, p.indptr, p.indices, p.data, diag.ptr, 1, pb, px, true);
          if (kind === "sgs") ex.sorSweepCsr(csr.rows, p.indptr, p.indices, p.data, diag.ptr, 1, pb, px, false);
        }
      });
    } finally {
      if (owned) csr.dispose();
    }
    return x;
  } finally {
    diag.dispose();
  }
}

export function makeBlocks(rt: Runtime): MultigridBlocks {
  return {
    aggregates,
    classical: Object.freeze({ defaults: CLASSICAL_DEFAULTS, strength: classicalStrength, splitting: classicalSplitting, prolongator: classicalProlongator }),
    restrict(fine, grid, kind = "full") {
      const [nx, ny, nz, threeD] = dims(grid);
      checkVector(fine, nx * ny * nz, "fine");
      if (kind === "cell-average") {
        if ([nx, ny, ...(threeD ? [nz] : [])].some((n) => n % 2)) {
          throw new SolvewasmError(
            "INVALID_ARGUMENT",
            `cell averaging needs an even number of cells per axis, got [${(threeD ? [nz, ny, nx] : [ny, nx]).join(", ")}]`,
          );
        }
        const out = new Float64Array((nx / 2) * (ny / 2) * (threeD ? nz / 2 : 1));
        withVectors(rt, [fine, out], [false, true], (ex, [pf, pc]) => ex.restrictCellAverage(nx, ny, threeD ? nz : 1, pf, pc));
        return out;
      }
      if ([nx, ny, ...(threeD ? [nz] : [])].some((n) => n % 2 === 0 || n < 3)) {
        throw new SolvewasmError(
          "INVALID_ARGUMENT",
          `vertex-centred restriction needs 2·n + 1 points per axis (n ≥ 1), got [${(threeD ? [nz, ny, nx] : [ny, nx]).join(", ")}]`,
        );
      }
      const [cx, cy, cz] = [(nx - 1) / 2, (ny - 1) / 2, threeD ? (nz - 1) / 2 : 1];
      const out = new Float64Array(cx * cy * cz);
      const fn = RESTRICT[oneOf(kind, ["full", "half", "injection", "cell-average"], "kind") as "full"];
      withVectors(rt, [fine, out], [false, true], (ex, [pf, pc]) => ex[fn](nx, ny, nz, pf, cx, cy, cz, pc));
      return out;
    },

    prolong(coarse, grid, kind = "linear", out) {
      const [nx, ny, nz, threeD] = dims(grid);
      const y = out ?? new Float64Array(nx * ny * nz);
      checkVector(y, nx * ny * nz, "out");
      if (kind === "constant") {
        if ([nx, ny, ...(threeD ? [nz] : [])].some((n) => n % 2)) {
          throw new SolvewasmError(
            "INVALID_ARGUMENT",
            `piecewise-constant interpolation needs an even number of cells per axis, got [${(threeD ? [nz, ny, nx] : [ny, nx]).join(", ")}]`,
          );
        }
        checkVector(coarse, (nx / 2) * (ny / 2) * (threeD ? nz / 2 : 1), "coarse");
        withVectors(rt, [coarse, y], [false, true], (ex, [pc, pf]) => ex.prolongConstantAdd(nx, ny, nz, pc, pf));
        return y;
      }
      if (kind !== "linear") throw new SolvewasmError("INVALID_OPTION", `kind must be "linear" or "constant", got ${describe(kind)}`);
      if ([nx, ny, ...(threeD ? [nz] : [])].some((n) => n % 2 === 0 || n < 3)) {
        throw new SolvewasmError(
          "INVALID_ARGUMENT",
          `linear interpolation needs 2·n + 1 points per axis (n ≥ 1), got [${(threeD ? [nz, ny, nx] : [ny, nx]).join(", ")}]`,
        );
      }
      const [cx, cy, cz] = [(nx - 1) / 2, (ny - 1) / 2, threeD ? (nz - 1) / 2 : 1];
      checkVector(coarse, cx * cy * cz, "coarse");
      withVectors(rt, [coarse, y], [false, true], (ex, [pc, pf]) => ex.prolongAdd(cx, cy, cz, pc, nx, ny, nz, pf));
      return y;
    },

    smooth(A, b, x, options = {}) {
      checkOptionNames(options, ["kind", "sweeps", "omega", "degree"], "smooth");
      smoothSweeps(rt, A, b, x, options);
      // A finite system can still overflow (entries of 1e300): an error, never a NaN in x.
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i])) throw new SolvewasmError("NOT_FINITE", `smoothing overflowed float64: x[${i}] became ${x[i]}`);
      }
      return x;
    },

    coarseSolver(A) {
      if (!(A instanceof WasmOperator) || A.rt !== rt)
        throw new SolvewasmError("INVALID_ARGUMENT", `coarseSolver needs a solvewasm operator, got ${describe(A)}`);
      checkSquare(A, "coarseSolver");
      const n = A.rows;
      if (n > 4096) throw new SolvewasmError("INVALID_ARGUMENT", `a dense factor of ${n} rows is too large (at most 4096)`);
      const { csr, owned } = (A as WasmOperator).asCsr();
      const a = csr.toDense();
      if (owned) csr.dispose();
      const L = choleskyFactor(a, n, "coarseSolver needs a symmetric positive definite operator");
      return {
        solve(b) {
          checkVector(b, n, "b");
          return choleskySolve(L, n, b);
        },
      };
    },

    residual(A, b, x) {
      if (!(A instanceof WasmOperator)) throw new SolvewasmError("INVALID_ARGUMENT", `residual needs a solvewasm operator, got ${describe(A)}`);
      checkVector(b, A.rows, "b");
      const r = A.matvec(x);
      for (let i = 0; i < r.length; i++) r[i] = b[i] - r[i];
      return r;
    },
  };
}
