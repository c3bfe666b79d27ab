// Model problems, after PyAMG's gallery: matrix-free operators on structured grids.
import { SolvewasmError } from "../errors.js";
import type { Runtime } from "../runtime.js";
import { checkNumber, describe } from "../validate.js";
import { checkGrid, DiffusionOperator, StencilOperator, type DiffusionOptions } from "./stencil.js";

/** Options of `gallery.anisotropic` (PyAMG's `diffusion_stencil_2d`). */
export interface AnisotropicOptions {
  /** Diffusion across the rotated axis (default 1: isotropic). */
  epsilon?: number;
  /** Rotation angle in radians (default 0). */
  theta?: number;
  /** "FD" (second-order finite differences, default) or "FE" (Q1 finite elements). */
  type?: "FD" | "FE";
}

export interface Gallery {
  /**
   * The unscaled Dirichlet Laplacian on an n, n×n or n×n×n grid (any sizes per axis):
   * diagonal 2, 4 or 6 and off-diagonals −1, as MATLAB's `delsq` and PyAMG's
   * `gallery.poisson`. Matrix-free; `.toCsr()` gives the matrix.
   * @example
   * const A = gallery.poisson([64, 64]); // 4096 × 4096
   * const y = A.matvec(new Float64Array(A.cols).fill(1));
   */
  poisson(grid: number[]): StencilOperator;
  /** -div(k grad u) with k a positive number or one positive value per cell (harmonic face
   * means), Dirichlet or Neumann boundary, optional mask of active cells. */
  diffusion(k: number | ArrayLike<number>, grid: number[], options?: DiffusionOptions): DiffusionOperator;
  /** Rotated anisotropic diffusion −div(Q diag(1, ε) Qᵀ grad u) on a 2D grid, the 9-point
   * stencil of PyAMG's `diffusion_stencil_2d(epsilon, theta, type)`. */
  anisotropic(grid: number[], options?: AnisotropicOptions): StencilOperator;
  /** A constant stencil (nested arrays of odd sizes, one level per grid dimension) on a
   * grid, as PyAMG's `stencil_grid`: neighbours outside the grid are zero. */
  stencilGrid(stencil: ArrayLike<unknown>, grid: number[]): StencilOperator;
}

/** The 3^d Laplacian stencil: 2d at the centre, −1 at the 2d face neighbours. */
function laplacianStencil(dims: number): unknown {
  if (dims === 1) return [-1, 2, -1];
  // biome-ignore format: a matrix or stencil literal reads as its grid
  if (dims === 2) return [[0, -1, 0], [-1, 4, -1], [0, -1, 0]];
  // biome-ignore format: a matrix or stencil literal reads as its grid
  const z = [[0, 0, 0], [0, -1, 0], [0, 0, 0]];
  // biome-ignore format: a matrix or stencil literal reads as its grid
  return [z, [[0, -1, 0], [-1, 6, -1], [0, -1, 0]], z];
}

/** PyAMG's diffusion_stencil_2d (pyamg/gallery/diffusion.py), re-derived: the FD and FE
 * stencils of −(ε c² + s²) u_xx − 2(ε − 1) c s u_xy − (c² + ε s²) u_yy. */
export function anisotropicStencil(epsilon: number, theta: number, type: "FD" | "FE"): number[][] {
  const C = Math.cos(theta),
    S = Math.sin(theta);
  const CS = C * S,
    CC = C * C,
    SS = S * S;
  if (type === "FE") {
    const a = (-1 * epsilon - 1) * CC + (-1 * epsilon - 1) * SS + (3 * epsilon - 3) * CS;
    const b = (2 * epsilon - 4) * CC + (-4 * epsilon + 2) * SS;
    const c = (-1 * epsilon - 1) * CC + (-1 * epsilon - 1) * SS + (-3 * epsilon + 3) * CS;
    const d = (-4 * epsilon + 2) * CC + (2 * epsilon - 4) * SS;
    const e = (8 * epsilon + 8) * CC + (8 * epsilon + 8) * SS;
    // biome-ignore format: a matrix or stencil literal reads as its grid
    return [[a, b, c], [d, e, d], [c, b, a]].map((row) => row.map((v) => v / 6));
  }
  const a = 0.5 * (epsilon - 1) * CS;
  const b = -(epsilon * SS + CC);
  const c = -a;
  const d = -(epsilon * CC + SS);
  const e = 2 * (epsilon + 1);
  // biome-ignore format: a matrix or stencil literal reads as its grid
  return [[a, b, c], [d, e, d], [c, b, a]];
}

export function makeGallery(rt: Runtime): Gallery {
  return {
    poisson(grid) {
      checkGrid(grid);
      return new StencilOperator(rt, laplacianStencil(grid.length), grid);
    },
    diffusion(k, grid, options) {
      return new DiffusionOperator(rt, k, grid, options);
    },
    anisotropic(grid, options = {}) {
      checkGrid(grid);
      if (grid.length !== 2) throw new SolvewasmError("INVALID_ARGUMENT", `anisotropic diffusion is 2D: the grid has ${grid.length} sizes`);
      const { epsilon = 1, theta = 0, type = "FD" } = options;
      checkNumber(epsilon, "epsilon");
      checkNumber(theta, "theta");
      if (!(epsilon > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `epsilon must be positive, got ${epsilon}`);
      if (type !== "FD" && type !== "FE") throw new SolvewasmError("INVALID_ARGUMENT", `type must be "FD" or "FE", got ${describe(type)}`);
      return new StencilOperator(rt, anisotropicStencil(epsilon, theta, type), grid);
    },
    stencilGrid(stencil, grid) {
      checkGrid(grid);
      return new StencilOperator(rt, stencil, grid);
    },
  };
}
