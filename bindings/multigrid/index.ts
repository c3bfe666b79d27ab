// Multigrid: geometric hierarchies for constant stencils, Galerkin hierarchies for other
// grid operators, smoothed-aggregation AMG for matrices — all one MultilevelSolver
// (multilevel.ts), built by geometric.ts or aggregation.ts. Options a hierarchy cannot
// honour are refused (INVALID_OPTION), never dropped.
import { SolvewasmError } from "../errors.js";
import { DiffusionOperator, StencilOperator } from "../operators/stencil.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { finiteVector } from "../memory.js";
import { rigidBodyModes } from "../operators/gallery.js";
import { checkOptionNames, invalidOption } from "../solver.js";
import { amgPlan, type AmgSettings } from "./amg.js";
import { CLASSICAL_DEFAULTS, checkClassicalSettings } from "./classical.js";
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
   * Gauss–Seidel on CSR, a forward and a backward sweep per step; the default for
   * aggregation, as PyAMG), "gs" (one Gauss–Seidel sweep per step, forward before the coarse
   * correction and backward after it: hypre's hybrid Gauss–Seidel; the default for classical
   * AMG), "jacobi" (weighted) or "l1jacobi" (Jacobi with the rows' l1 norms Σ_j |a_ij| for
   * a diagonal, weight 1: convergent for every SPD matrix, no weight to choose) or
   * "chebyshev" (x += p(A)·(b − A·x), p quadratic, for A⁻¹ on [0.3·λ, λ], λ = 1.1·λmax(A)
   * by Lanczos per level: hypre's cheby_order 2 and cheby_fraction 0.3). */
  smoother?: "rbgs" | "sgs" | "gs" | "jacobi" | "l1jacobi" | "chebyshev";
  /** Jacobi's weight (default 4/5 in 2D, 6/7 in 3D, 2/3 otherwise); only with smoother "jacobi". */
  omega?: number;
  /** Most levels, the fine one included (default: coarsen as far as the hierarchy goes). */
  maxLevels?: number;
}

/** Options of `amg`: the cycle's and the coarsening's. */
export interface AmgOptions extends MultigridOptions {
  /** "aggregation" (smoothed aggregation, PyAMG's smoothed_aggregation_solver; the default)
   * or "classical" (Ruge–Stüben coarsening with extended+i interpolation, hypre
   * BoomerAMG's defaults on one process). */
  kind?: "aggregation" | "classical";
  /** Strength threshold θ. Aggregation: j is a strong neighbour of i when
   * |a_ij| ≥ θ·√(|a_ii·a_jj|) (default 0). Classical: when −a_ij ≥ θ·max_k(−a_ik), signs
   * relative to a_ii (default 0.25). */
  theta?: number;
  /** Solve levels of at most this many rows directly (default 10 for aggregation, as
   * PyAMG; 9 for classical, as hypre). */
  maxCoarse?: number;
  /** Aggregation: prolongator smoothing weight before dividing by ρ(D⁻¹A) (default 4/3). */
  prolongatorWeight?: number;
  /** Aggregation: near-null-space candidates, the vectors the coarse levels must represent
   * exactly (default: the constant vector). One Float64Array of n, or an array of them:
   * rigid-body modes for elasticity (`rigidBodyModes`), D⁻¹·1 for a diagonally scaled D·A·D. */
  B?: Float64Array | readonly Float64Array[];
  /** Aggregation: symmetric Gauss–Seidel sweeps on A·b = 0 that improve each candidate
   * on the finest level before the first prolongator (default 4, PyAMG's; 0: none). */
  improveCandidates?: number;
  /** Aggregation: unknowns per node, numbered node by node (2 or 3 for elasticity): nodes
   * are aggregated, from the Frobenius norms of A's blocks, as PyAMG does for a BSR matrix
   * (default 1). */
  blockSize?: number;
  /** Classical: "rs" (hypre's HMIS as it runs on one process: Ruge–Stüben's first pass,
   * then PMIS for what it leaves; the default) or "pmis" (hypre's PMIS). */
  coarsening?: "rs" | "pmis";
  /** Classical: "extended+i" (hypre's interp_type 6; the default), "classical" (PyAMG's
   * modified classical interpolation) or "direct" (PyAMG's direct interpolation). */
  interpolation?: "extended+i" | "classical" | "direct";
  /** Classical: most entries a row of P keeps (default 4, hypre's P_max_elmts; 0: all). */
  maxElements?: number;
  /** Classical: drops |w_ij| < truncation·max_j |w_ij| from each row of P (default 0). */
  truncation?: number;
  /** Classical: a row with |Σ_j a_ij| > maxRowSum·|a_ii| has no strong dependency (hypre's
   * max_row_sum; default 0.9; 1 turns the rule off). */
  maxRowSum?: number;
}

const CYCLE_OPTIONS = ["cycle", "pre", "post", "symmetric", "smoother", "omega", "maxLevels"] as const;
const AGGREGATION_OPTIONS = ["prolongatorWeight", "B", "improveCandidates", "blockSize"] as const;
const CLASSICAL_OPTIONS = ["coarsening", "interpolation", "maxElements", "truncation", "maxRowSum"] as const;
const AMG_OPTIONS = [...CYCLE_OPTIONS, "kind", "theta", "maxCoarse", ...AGGREGATION_OPTIONS, ...CLASSICAL_OPTIONS] as const;

/** The cycle settings, checked for a hierarchy of `kind` on a grid of `dims` dimensions. */
function cycleSettings(
  options: MultigridOptions,
  geometric: boolean,
  dims: number | undefined,
  defaultSmoother: MultigridOptions["smoother"] = geometric ? "rbgs" : "sgs",
): CycleSettings & { maxLevels: number } {
  const { cycle = "V", pre = 1, post = 1, symmetric = true, smoother = defaultSmoother, maxLevels = Infinity } = options;
  if (cycle !== "V" && cycle !== "W" && cycle !== "F") invalidOption(`cycle must be "V", "W" or "F", got ${describe(cycle)}`);
  for (const [name, v] of [
    ["pre", pre],
    ["post", post],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 10) invalidOption(`${name} must be an integer in [0, 10], got ${describe(v)}`);
  }
  const smoothers = geometric ? ["rbgs", "jacobi"] : ["sgs", "gs", "jacobi", "l1jacobi", "chebyshev"];
  if (!smoothers.includes(smoother)) {
    invalidOption(
      `smoother must be ${smoothers.map((s) => JSON.stringify(s)).join(" or ")} for a ${geometric ? "geometric" : "matrix"} hierarchy, got ${describe(smoother)}`,
    );
  }
  if (typeof symmetric !== "boolean") invalidOption(`symmetric must be true or false, got ${describe(symmetric)}`);
  if (!symmetric && smoother !== "rbgs" && smoother !== "gs")
    invalidOption(`symmetric: false needs the red-black or "gs" smoother (smoother "${smoother}" is symmetric either way)`);
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

/** The coarsening settings of `amg` (PyAMG's defaults for aggregation, hypre's for classical). */
function amgSettings(options: AmgOptions, maxLevels: number, n: number): AmgSettings {
  const { kind = "aggregation" } = options;
  const { maxCoarse = kind === "classical" ? 9 : 10 } = options;
  if (kind !== "aggregation" && kind !== "classical") invalidOption(`kind must be "aggregation" or "classical", got ${describe(kind)}`);
  const other = kind === "aggregation" ? CLASSICAL_OPTIONS : AGGREGATION_OPTIONS;
  for (const name of other)
    if (options[name] !== undefined) invalidOption(`${name} is an option of kind "${kind === "aggregation" ? "classical" : "aggregation"}" AMG`);
  const theta = options.theta ?? (kind === "classical" ? 0.25 : 0);
  if (typeof theta !== "number" || !(theta >= 0 && theta < 1)) invalidOption(`theta must be in [0, 1), got ${describe(theta)}`);
  if (!Number.isInteger(maxCoarse) || maxCoarse < 1 || maxCoarse > 4096) invalidOption(`maxCoarse must be an integer in [1, 4096], got ${describe(maxCoarse)}`);
  const { prolongatorWeight = 4 / 3, improveCandidates = 4 } = options;
  if (typeof prolongatorWeight !== "number" || !(prolongatorWeight > 0 && prolongatorWeight < 2))
    invalidOption(`prolongatorWeight must be in (0, 2), got ${describe(prolongatorWeight)}`);
  if (!Number.isInteger(improveCandidates) || improveCandidates < 0 || improveCandidates > 100)
    invalidOption(`improveCandidates must be an integer in [0, 100], got ${describe(improveCandidates)}`);
  const { coarsening, interpolation, maxElements, truncation, maxRowSum } = { ...CLASSICAL_DEFAULTS, ...definedOnly(options, CLASSICAL_OPTIONS) };
  const classical = { coarsening, interpolation, maxElements, truncation, maxRowSum };
  checkClassicalSettings({ ...classical, theta });
  const B = kind === "aggregation" ? candidates(options.B, n) : undefined;
  const { blockSize = 1 } = options;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 32) invalidOption(`blockSize must be an integer in [1, 32], got ${describe(blockSize)}`);
  if (n % blockSize !== 0) invalidOption(`blockSize ${blockSize} does not divide the ${n} rows of A`);
  return {
    kind,
    theta,
    maxCoarse,
    maxLevels: maxLevels === Infinity ? 10 : maxLevels,
    prolongatorWeight,
    B: B?.data,
    candidates: B?.k ?? 1,
    improveCandidates,
    blockSize,
    classical,
  };
}

/** The entries of `options` named in `names` that are not undefined. */
function definedOnly<T extends object>(options: T, names: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of names) if (options[k] !== undefined) out[k] = options[k];
  return out;
}

/** The candidates B as k vectors of n in one column-major array; INVALID_OPTION (or
 * DIMENSION_MISMATCH, NOT_FINITE) for anything else. */
function candidates(B: AmgOptions["B"], n: number): { data: Float64Array; k: number } | undefined {
  if (B === undefined) return undefined;
  const list = B instanceof Float64Array ? [B] : Array.isArray(B) ? B : invalidOption(`B must be a Float64Array or an array of them, got ${describe(B)}`);
  if (list.length < 1 || list.length > 32) invalidOption(`B must hold 1 to 32 candidate vectors, got ${list.length}`);
  const data = new Float64Array(n * list.length);
  list.forEach((v, c) => data.set(finiteVector(v, n, `B[${c}]`), c * n));
  return { data, k: list.length };
}

function checkOperator(rt: Runtime, A: unknown, what: string): asserts A is WasmOperator {
  if (!(A instanceof WasmOperator)) throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a solvewasm matrix or grid operator, got ${describe(A)}`);
  if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
  A.descriptorPtr(); // DISPOSED for a disposed operator
}

export interface MultigridApi {
  /**
   * Algebraic multigrid for a symmetric positive definite matrix, set up in wasm: smoothed
   * aggregation with PyAMG's defaults (`kind: "aggregation"`, the default; near-null-space
   * candidates `B`), or classical AMG with hypre BoomerAMG's (`kind: "classical"`).
   * @example
   * const ml = amg(A);
   * cg(A, b, { M: ml.asPreconditioner() }); ml.operatorComplexity();
   * const elastic = amg(K, { B: rigidBodyModes(coordinates, 2), blockSize: 2 });
   */
  amg(A: LinearOperator, options?: AmgOptions): MultilevelSolver;
  /** Multigrid's building blocks: restriction, interpolation, smoothers, residuals, and
   * classical AMG's strength, splitting and prolongator. */
  mgBlocks: MultigridBlocks;
  /**
   * The rigid-body modes of an elastic body with nodes at `coordinates` (dim = 2 or 3
   * numbers per node, unknowns numbered node by node): translations, then rotations. The
   * near-null space `amg` needs for elasticity.
   * @example
   * const ml = amg(K, { B: rigidBodyModes(coordinates, 3), blockSize: 3 });
   */
  rigidBodyModes(coordinates: ArrayLike<number>, dim: number): Float64Array[];
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
        const settings = amgSettings({ improveCandidates: 0 }, s.maxLevels, A.rows);
        return new MultilevelSolver(rt, A, s, (B) => {
          // update(B): the same kind of operator on the same grid, so that the blocks match.
          const g = (B as { grid?: readonly number[] }).grid;
          if (!(B instanceof DiffusionOperator || B instanceof StencilOperator) || !g || g.join() !== grid.join()) {
            throw new SolvewasmError(
              "INVALID_ARGUMENT",
              `this hierarchy coarsens the grid [${grid.join(", ")}]: update needs a grid operator on it, got ${describe(B)}`,
            );
          }
          return amgPlan(rt, B, settings, grid);
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
      const s = cycleSettings(options, false, undefined, options.kind === "classical" ? "gs" : "sgs");
      const settings = amgSettings(options, s.maxLevels, A.rows);
      return new MultilevelSolver(rt, A, s, (B) => amgPlan(rt, B, settings));
    },
    mgBlocks: makeBlocks(rt),
    rigidBodyModes,
  };
}

export { MultilevelSolver, type MultilevelLevel, type CycleSettings } from "./multilevel.js";
