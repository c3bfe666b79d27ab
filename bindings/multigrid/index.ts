// Multigrid: geometric hierarchies for constant stencils, Galerkin hierarchies for other
// grid operators, smoothed-aggregation AMG for matrices — all one MultilevelSolver
// (multilevel.ts), built by geometric.ts or aggregation.ts. Options a hierarchy cannot
// honour are refused (INVALID_OPTION), never dropped.
import { SolvewasmError } from "../errors.js";
import { DiffusionOperator, StencilOperator } from "../operators/stencil.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { checkOptionNames, invalidOption } from "../solver.js";
import { aggregationPlan, type AggregationSettings } from "./aggregation.js";
import { geometricPlan, isConstantStencil } from "./geometric.js";
import { MultilevelSolver, type CycleSettings } from "./multilevel.js";
import { makeBlocks, type MultigridBlocks } from "./blocks.js";

/** Options of `multigrid` (and the cycle options of `amg`). */
export interface MultigridOptions {
  /** "V" (default), "W" or "F". */
  cycle?: "V" | "W" | "F";
  /** Smoothing sweeps before (default 1) and after (default 1) the coarse correction. */
  pre?: number;
  post?: number;
  /** Red-black smoothing after the correction in the reverse colour order (default true),
   * which makes the cycle a symmetric operator: what CG needs of a preconditioner.
   * Geometric hierarchies only (the other smoothers are symmetric). */
  symmetric?: boolean;
  /** "rbgs" (red-black Gauss–Seidel; the default on geometric hierarchies), "sgs" (symmetric
   * Gauss–Seidel on CSR; the default otherwise) or "jacobi" (weighted). */
  smoother?: "rbgs" | "sgs" | "jacobi";
  /** Jacobi's weight (default 4/5 in 2D, 6/7 in 3D, 2/3 otherwise); only with smoother "jacobi". */
  omega?: number;
  /** Most levels, the fine one included (default: coarsen as far as the hierarchy goes). */
  maxLevels?: number;
}

/** Options of `amg`: the cycle's and the coarsening's. */
export interface AmgOptions extends MultigridOptions {
  /** Strength threshold θ: j is a strong neighbour of i when |a_ij| ≥ θ·√(|a_ii·a_jj|) (default 0). */
  theta?: number;
  /** Solve levels of at most this many rows directly (default 300). */
  maxCoarse?: number;
  /** Prolongator smoothing weight before dividing by ρ(D⁻¹A) (default 4/3). */
  prolongatorWeight?: number;
}

const CYCLE_OPTIONS = ["cycle", "pre", "post", "symmetric", "smoother", "omega", "maxLevels"] as const;
const AMG_OPTIONS = [...CYCLE_OPTIONS, "theta", "maxCoarse", "prolongatorWeight"] as const;

/** The cycle settings, checked for a hierarchy of `kind` on a grid of `dims` dimensions. */
function cycleSettings(options: MultigridOptions, geometric: boolean, dims: number | undefined): CycleSettings & { maxLevels: number } {
  const { cycle = "V", pre = 1, post = 1, symmetric = true, smoother = geometric ? "rbgs" : "sgs", maxLevels = Infinity } = options;
  if (cycle !== "V" && cycle !== "W" && cycle !== "F") invalidOption(`cycle must be "V", "W" or "F", got ${describe(cycle)}`);
  for (const [name, v] of [
    ["pre", pre],
    ["post", post],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 10) invalidOption(`${name} must be an integer in [0, 10], got ${describe(v)}`);
  }
  const smoothers = geometric ? ["rbgs", "jacobi"] : ["sgs", "jacobi"];
  if (!smoothers.includes(smoother)) {
    invalidOption(
      `smoother must be ${smoothers.map((s) => JSON.stringify(s)).join(" or ")} for a ${geometric ? "geometric" : "matrix"} hierarchy, got ${describe(smoother)}`,
    );
  }
  if (typeof symmetric !== "boolean") invalidOption(`symmetric must be true or false, got ${describe(symmetric)}`);
  if (!symmetric && smoother !== "rbgs") invalidOption(`symmetric: false needs the red-black smoother (smoother "${smoother}" is symmetric either way)`);
  if (options.omega !== undefined && smoother !== "jacobi")
    invalidOption(
      `omega is the Jacobi smoother's weight: pass smoother: "jacobi" with it${geometric ? "" : " (the prolongator's weight is prolongatorWeight)"}`,
    );
  const omega = options.omega ?? (dims === 2 ? 4 / 5 : dims === 3 ? 6 / 7 : 2 / 3);
  if (typeof omega !== "number" || !(omega > 0 && omega <= 1)) invalidOption(`omega must be in (0, 1], got ${describe(omega)}`);
  // Left out, it is as many levels as the grid or matrix allows (Infinity inside); given, a count.
  if (options.maxLevels !== undefined && (!Number.isInteger(maxLevels) || maxLevels < 1))
    invalidOption(`maxLevels must be a positive integer, got ${describe(maxLevels)}`);
  return { cycle, pre, post, symmetric, smoother: smoother as CycleSettings["smoother"], omega, maxLevels };
}

function aggregationSettings(options: AmgOptions, maxLevels: number): AggregationSettings {
  const { theta = 0, maxCoarse = 300, prolongatorWeight = 4 / 3 } = options;
  if (typeof theta !== "number" || !(theta >= 0 && theta < 1)) invalidOption(`theta must be in [0, 1), got ${describe(theta)}`);
  if (!Number.isInteger(maxCoarse) || maxCoarse < 1 || maxCoarse > 4096) invalidOption(`maxCoarse must be an integer in [1, 4096], got ${describe(maxCoarse)}`);
  if (typeof prolongatorWeight !== "number" || !(prolongatorWeight > 0 && prolongatorWeight < 2))
    invalidOption(`prolongatorWeight must be in (0, 2), got ${describe(prolongatorWeight)}`);
  return { theta, maxCoarse, maxLevels: maxLevels === Infinity ? 25 : maxLevels, prolongatorWeight };
}

function checkOperator(rt: Runtime, A: unknown, what: string): asserts A is WasmOperator {
  if (!(A instanceof WasmOperator)) throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a solvewasm matrix or grid operator, got ${describe(A)}`);
  if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
  A.descriptorPtr(); // DISPOSED for a disposed operator
}

export interface MultigridApi {
  /**
   * Smoothed-aggregation AMG for a symmetric positive definite matrix (PyAMG's defaults).
   * @example
   * const ml = amg(A);
   * cg(A, b, { M: ml.asPreconditioner() }); ml.operatorComplexity();
   */
  amg(A: LinearOperator, options?: AmgOptions): MultilevelSolver;
  /** Multigrid's building blocks: restriction, interpolation, smoothers, residuals. */
  mgBlocks: MultigridBlocks;
  /**
   * A geometric multigrid hierarchy; setup once, then `solve`, `asPreconditioner`,
   * `convergenceFactor`. For a constant 5-point (2D) or 7-point (3D) stencil on 2^L − 1
   * points per axis: red-black Gauss–Seidel and rediscretised coarse grids. For other grid
   * operators — `gallery.diffusion` with variable coefficients, masks or Neumann
   * boundaries (any size), general stencils — 2 × 2 (× 2) blocks of cells become coarse
   * cells, with smoothed prolongators and Galerkin coarse operators. Either way one
   * MultilevelSolver (`ml.kind` says which).
   * @example
   * const A = gallery.poisson([511, 511]);
   * const ml = multigrid(A);
   * const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() }); // 8 iterations at any n
   */
  multigrid(A: LinearOperator, options?: MultigridOptions): MultilevelSolver;
}

export function makeMultigrid(rt: Runtime): MultigridApi {
  return {
    multigrid: (A, options = {}) => {
      checkOperator(rt, A, "multigrid");
      checkOptionNames(options, CYCLE_OPTIONS, "multigrid");
      const grid = (A as { grid?: readonly number[] }).grid;
      if (isConstantStencil(A)) {
        const s = cycleSettings(options, true, grid!.length);
        return new MultilevelSolver(rt, A, s, (B) => geometricPlan(rt, B, s.maxLevels));
      }
      if ((A instanceof DiffusionOperator || A instanceof StencilOperator) && grid) {
        const s = cycleSettings(options, false, grid.length);
        const settings = aggregationSettings({}, s.maxLevels);
        return new MultilevelSolver(rt, A, s, (B) => {
          // update(B): the same kind of operator on the same grid, so that the blocks match.
          const g = (B as { grid?: readonly number[] }).grid;
          if (!(B instanceof DiffusionOperator || B instanceof StencilOperator) || !g || g.join() !== grid.join()) {
            throw new SolvewasmError(
              "INVALID_ARGUMENT",
              `this hierarchy coarsens the grid [${grid.join(", ")}]: update needs a grid operator on it, got ${describe(B)}`,
            );
          }
          return aggregationPlan(rt, B, settings, grid);
        });
      }
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `multigrid takes a grid operator (gallery.poisson, gallery.diffusion, gallery.stencilGrid); for a matrix use amg(A); got ${describe(A)}`,
      );
    },
    amg: (A, options = {}) => {
      checkOperator(rt, A, "amg");
      checkOptionNames(options, AMG_OPTIONS, "amg");
      const s = cycleSettings(options, false, undefined);
      const settings = aggregationSettings(options, s.maxLevels);
      return new MultilevelSolver(rt, A, s, (B) => aggregationPlan(rt, B, settings));
    },
    mgBlocks: makeBlocks(rt),
  };
}

export { MultilevelSolver, type MultilevelLevel, type CycleSettings } from "./multilevel.js";
