// Geometric levels for constant-coefficient 5-point (2D) and 7-point (3D) stencils on
// vertex-centred Dirichlet grids: rediscretised coarse operators (coefficients ÷ 4 per
// level), full-weighting restriction and linear interpolation on the grid (no matrices),
// and the coarsest grid as a dense matrix for the Cholesky solve.
import { SolvewasmError } from "../errors.js";
import { StencilOperator } from "../operators/stencil.js";
import type { WasmOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import type { HierarchyPlan } from "./multilevel.js";

const MAX_COARSE = 4096;

/** True for the operators geometric levels take: constant 5-point (2D) or 7-point (3D) stencils. */
export function isConstantStencil(A: unknown): A is StencilOperator {
  return A instanceof StencilOperator && !!(A.fivePoint || A.sevenPoint);
}

/** The grids of a geometric hierarchy of at most `maxLevels` levels, finest first; INVALID_ARGUMENT
 * for grids that do not coarsen (n = 2^L − 1 per axis) or coarsen to too large a grid. */
export function geometricGrids(A: StencilOperator, maxLevels: number): number[][] {
  const depth = (n: number) => (Number.isInteger(Math.log2(n + 1)) ? Math.log2(n + 1) : -1);
  const depths = A.grid.map(depth);
  if (depths.some((d) => d < 1)) {
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `vertex-centred multigrid needs 2^L − 1 points per axis (… 31, 63, 127, 255, 511, 1023 …); the grid is [${A.grid.join(", ")}]`,
    );
  }
  const count = Math.min(maxLevels, ...depths);
  const grids: number[][] = [];
  // Coarse point I sits on fine point 2I + 1.
  for (let l = 0, g = [...A.grid]; l < count; l++, g = g.map((n) => (n - 1) / 2)) grids.push(g);
  const coarsest = grids.at(-1)!.reduce((a, b) => a * b, 1);
  if (coarsest > MAX_COARSE) {
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `the grid [${A.grid.join(", ")}] coarsens only to [${grids.at(-1)!.join(", ")}] (${coarsest} points; at most ${MAX_COARSE} for the dense coarse solve): make the axes' sizes closer`,
    );
  }
  return grids;
}

/** Stored entries of a cross stencil's CSR form on a grid: n·(1 + 2d) less the missing neighbours. */
function crossNnz(grid: readonly number[]): number {
  const n = grid.reduce((a, b) => a * b, 1);
  return n * (1 + 2 * grid.length) - grid.reduce((s, len) => s + 2 * (n / len), 0);
}

/** The plan for a geometric hierarchy of A (checked by the caller with isConstantStencil). */
export function geometricPlan(rt: Runtime, A: WasmOperator, maxLevels: number): HierarchyPlan {
  if (!isConstantStencil(A)) {
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `geometric multigrid takes a constant 5-point (2D) or 7-point (3D) grid operator such as gallery.poisson; got ${describe(A)}`,
    );
  }
  const coefficients = A.fivePoint ?? A.sevenPoint!;
  const centre = A.fivePoint ? coefficients[2] : coefficients[3];
  if (!(centre > 0)) throw new SolvewasmError("INVALID_MATRIX", `the stencil's centre must be positive, got ${centre}`);
  const grids = geometricGrids(A, maxLevels);
  const owned: { dispose(): void }[] = [];
  try {
    // Rediscretised coarse operators: a second-order stencil's unscaled coefficients shrink
    // by 4 per level (h² → (2h)² against the fine h², in 2D and 3D alike).
    const ops: StencilOperator[] = grids.map((grid, l) => {
      if (l === 0) return A;
      const k = coefficients.map((v) => v / 4 ** l);
      // biome-ignore format: a matrix or stencil literal reads as its grid
      const stencil = grid.length === 2 ? [[0, k[0], 0], [k[1], k[2], k[3]], [0, k[4], 0]] : [
        [[0, 0, 0], [0, k[0], 0], [0, 0, 0]],
        [[0, k[1], 0], [k[2], k[3], k[4]], [0, k[5], 0]],
        [[0, 0, 0], [0, k[6], 0], [0, 0, 0]],
      ];
      const op = new StencilOperator(rt, stencil, [...grid]);
      owned.push(op);
      return op;
    });
    const coarse = ops.at(-1)!.toCsr();
    const coarseDense = coarse.toDense();
    coarse.dispose();
    return {
      kind: "geometric",
      levels: ops.map((op, l) => ({ A: op, grid: grids[l], nnz: crossNnz(grids[l]) })),
      coarseDense,
      owned,
    };
  } catch (e) {
    for (const o of owned) o.dispose();
    throw e;
  }
}
