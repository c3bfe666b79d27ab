// Model problems, after PyAMG's gallery: matrix-free operators on structured grids.
import { SolvewasmError } from "../errors.js";
import type { Runtime } from "../runtime.js";
import { checkOptionNames } from "../solver.js";
import { checkNumber, describe, isArrayLike } from "../validate.js";
import { csrFromCoo, type CsrMatrix } from "./csr.js";
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

/** Options of `gallery.convectionDiffusion`. */
export interface ConvectionDiffusionOptions {
  /** The global Péclet number Pe = ‖β‖·L/ε of −εΔu + β·∇u with L = 1 (the unit domain's
   * side) and ε = 1, so ‖β‖ = Pe (default 10, ≥ 0). The cell (mesh) Péclet number of axis
   * a is Pe_a = |β_a|·h/2 = Pe·|v_a|/‖v‖·h/2 (Elman, Silvester & Wathen's P_h). */
  peclet?: number;
  /** "upwind" (first-order upwind differences for β·∇u, default: an M-matrix for every Pe)
   * or "central" (second order; an M-matrix only while every Pe_a ≤ 1). */
  scheme?: "upwind" | "central";
  /** The flow direction v, one component per grid axis in grid order (the last entry is
   * along the fastest axis); β = Pe·v/‖v‖. Default all ones (the diagonal). */
  velocity?: ArrayLike<number>;
}

/** Options of `gallery.helmholtz`. */
export interface HelmholtzOptions {
  /** The wavenumber k ≥ 0 of −Δu − k²u on the unit domain (default 0: the Laplacian). */
  k?: number;
}

/** Options of `gallery.saddlePoint`. */
export interface SaddlePointOptions {
  /** ε ≥ 0 of the stabilised pressure block −εI (default 0: the plain Stokes system). */
  stabilization?: number;
  /** Pin the pressure of cell 0 (its row and column become the identity's), removing the
   * constant-pressure null space. Default: true when `stabilization` is 0, else false. */
  pin?: boolean;
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
  /**
   * Convection–diffusion −Δu + β·∇u on the unit interval, square or cube with Dirichlet
   * boundary: n interior points per axis (the grid's sizes must be equal), h = 1/(n + 1),
   * unscaled like `poisson` (multiplied through by h², so the diffusion part is `delsq`).
   * β = Pe·v/‖v‖ with Pe = `peclet` the global Péclet number (ε = 1, L = 1); per axis a,
   * with c_a = β_a·h (twice the cell Péclet number Pe_a = |β_a|·h/2):
   * - upwind: centre 2d + Σ|c_a|; the upwind neighbour (x − h for β_a > 0, x + h for
   *   β_a < 0) −1 − |c_a|, the other −1;
   * - central: centre 2d; neighbour x − h: −1 − c_a/2, x + h: −1 + c_a/2.
   * Nonsymmetric for Pe > 0; a constant stencil (`stencilGrid`), so products run in wasm.
   * @example
   * const A = gallery.convectionDiffusion([64, 64], { peclet: 100, scheme: "upwind" });
   * const y = A.matvec(new Float64Array(A.cols).fill(1));
   */
  convectionDiffusion(grid: number[], options?: ConvectionDiffusionOptions): StencilOperator;
  /**
   * The shifted Laplacian −Δu − k²u (Helmholtz) on the unit interval, square or cube with
   * Dirichlet boundary, n interior points per axis (equal sizes), h = 1/(n + 1), unscaled
   * like `poisson`: centre 2d − σ with σ = (k·h)², neighbours −1. Symmetric; its
   * eigenvalues are those of `delsq` minus σ, (0, 4d) − σ, so it is indefinite once σ
   * passes the smallest, 2d(1 − cos πh) (k > π√d), and singular when σ equals one.
   * @example
   * const A = gallery.helmholtz([63, 63], { k: 20 }); // σ = (20/64)², indefinite
   */
  helmholtz(grid: number[], options?: HelmholtzOptions): StencilOperator;
  /**
   * A Stokes test matrix [[A, Bᵀ], [B, −εI]] (symmetric indefinite) from the MAC
   * (staggered) discretisation of −Δu + ∇p = f, ∇·u = 0 on the unit square with n × n
   * cells (grid [n, n], n ≥ 2), no-slip walls, unscaled: h² times the momentum rows and
   * h·p as the pressure unknown, so every entry is an integer (or −ε). Unknowns, in order:
   * - x-velocities on the n(n − 1) interior vertical faces, face between cells (j, i) and
   *   (j, i + 1) at j·(n − 1) + i;
   * - y-velocities on the (n − 1)n interior horizontal faces, between cells (j, i) and
   *   (j + 1, i) at n(n − 1) + j·n + i;
   * - pressures in the n² cells, cell (j, i) at 2n(n − 1) + j·n + i (j along grid axis 0).
   * A is the 5-point Laplacian (4, −1) on each velocity grid, with the ghost-cell no-slip
   * rule adding 1 to the diagonal of faces next to a wall parallel to them; B = −div
   * (a cell's row: +1 for its west and south faces, −1 for east and north). Without
   * stabilisation the matrix is singular (constant pressure); by default cell 0's
   * pressure is pinned (identity row and column), giving inertia (2n(n − 1) + 1
   * positive, n² − 1 negative); with `stabilization` ε > 0 it is nonsingular with
   * inertia (2n(n − 1), n²); `{ pin: false }` keeps the singular matrix.
   * @example
   * const K = gallery.saddlePoint([8, 8]); // 176 × 176 CsrMatrix
   * K.isSymmetric(); // true
   */
  saddlePoint(grid: number[], options?: SaddlePointOptions): CsrMatrix;
  /**
   * Plane-strain linear elasticity on [X, Y] unit Q1 elements (PyAMG's
   * `linear_elasticity((X, Y))`: Young's modulus E, Poisson's ratio ν; the boundary nodes
   * are clamped and eliminated). Unknowns are numbered node by node (x then y), so that
   * `amg(A, { B, blockSize: 2 })` aggregates nodes. Returns the stiffness matrix, the node
   * coordinates (x, y pairs, centred on the origin) and the three rigid-body modes B (as
   * `rigidBodyModes(coordinates, 2)`), PyAMG's near-null space for it.
   * @example
   * const { A, B } = gallery.linearElasticity([50, 50]); // 5202 unknowns
   * const ml = amg(A, { B, blockSize: 2 });
   */
  linearElasticity(grid: number[], options?: ElasticityOptions): { A: CsrMatrix; coordinates: Float64Array; B: Float64Array[] };
}

/** Options of `gallery.linearElasticity`. */
export interface ElasticityOptions {
  /** Young's modulus (default 1e5, PyAMG's). */
  E?: number;
  /** Poisson's ratio, in (−1, 1/2) (default 0.3). */
  nu?: number;
}

/**
 * The rigid-body modes of an elastic body whose nodes are at `coordinates` (dim numbers per
 * node), with unknowns numbered node by node: the dim translations, then the rotations —
 * in 2-D (−y, x); in 3-D (0, −z, y), (z, 0, −x), (−y, x, 0). They span A's null space
 * before boundary conditions, and are the near-null-space candidates B of `amg`.
 */
export function rigidBodyModes(coordinates: ArrayLike<number>, dim: number): Float64Array[] {
  if (dim !== 2 && dim !== 3) throw new SolvewasmError("INVALID_ARGUMENT", `rigidBodyModes takes dim 2 or 3, got ${describe(dim)}`);
  if (!isArrayLike(coordinates) || coordinates.length % dim !== 0 || coordinates.length === 0)
    throw new SolvewasmError("INVALID_ARGUMENT", `coordinates must be ${dim} numbers per node, got ${describe(coordinates)}`);
  const nodes = coordinates.length / dim;
  const c = Float64Array.from(coordinates as ArrayLike<number>);
  for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) throw new SolvewasmError("NOT_FINITE", `coordinates[${i}] is ${c[i]}`);
  const n = nodes * dim;
  const modes = Array.from({ length: dim === 2 ? 3 : 6 }, () => new Float64Array(n));
  for (let p = 0; p < nodes; p++) {
    const x = c[p * dim],
      y = c[p * dim + 1],
      z = dim === 3 ? c[p * dim + 2] : 0;
    for (let d = 0; d < dim; d++) modes[d][p * dim + d] = 1;
    if (dim === 2) {
      modes[2][2 * p] = -y;
      modes[2][2 * p + 1] = x;
    } else {
      modes[3][3 * p + 1] = -z;
      modes[3][3 * p + 2] = y;
      modes[4][3 * p] = z;
      modes[4][3 * p + 2] = -x;
      modes[5][3 * p] = -y;
      modes[5][3 * p + 1] = x;
    }
  }
  return modes;
}

/** The 8 × 8 stiffness matrix of a unit square Q1 element (PyAMG's q12d_local with unit
 * spacing): unknowns (x, y) of the corners (0,0), (1,0), (1,1), (0,1). */
function q1Stiffness(lame: number, mu: number): number[][] {
  const M = lame + 2 * mu;
  const R11 = [
    [2, -2, -1, 1],
    [-2, 2, 1, -1],
    [-1, 1, 2, -2],
    [1, -1, -2, 2],
  ].map((r) => r.map((v) => v / 6));
  const R12 = [
    [1, 1, -1, -1],
    [-1, -1, 1, 1],
    [-1, -1, 1, 1],
    [1, 1, -1, -1],
  ].map((r) => r.map((v) => v / 4));
  const R22 = [
    [2, 1, -1, -2],
    [1, 2, -2, -1],
    [-1, -2, 2, 1],
    [-2, -1, 1, 2],
  ].map((r) => r.map((v) => v / 6));
  const K = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      K[2 * a][2 * b] = M * R11[a][b] + mu * R22[a][b];
      K[2 * a + 1][2 * b + 1] = mu * R11[a][b] + M * R22[a][b];
      // F = I: E = [[0, μ], [λ, 0]] gives K_yx = μ·R12 + λ·R12ᵀ, and K_xy = K_yxᵀ.
      K[2 * a + 1][2 * b] = mu * R12[a][b] + lame * R12[b][a];
    }
  }
  for (let r = 0; r < 8; r += 2) for (let c = 1; c < 8; c += 2) K[r][c] = K[c][r];
  return K;
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

/** The interior size of a grid on the unit domain: every axis the same. */
function unitGrid(grid: unknown, what: string): number {
  checkGrid(grid);
  if (grid.some((n) => n !== grid[0])) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${what} is on the unit domain: the grid's sizes must be equal, got [${grid.join(", ")}]`);
  }
  return grid[0];
}

/** A nonnegative finite number option (INVALID_OPTION when negative). */
function nonnegative(v: unknown, name: string): number {
  checkNumber(v, name);
  if (v < 0) throw new SolvewasmError("INVALID_OPTION", `${name} must be nonnegative, got ${v}`);
  return v;
}

/** The 3^d stencil with `centre` and, per axis a, `minus[a]` at −e_a and `plus[a]` at +e_a. */
function crossStencil(centre: number, minus: number[], plus: number[]): unknown {
  const d = minus.length;
  const build = (level: number, offs: number[]): unknown => {
    if (level === d) {
      const nz = offs.map((o, a) => [o, a]).filter(([o]) => o !== 0);
      if (nz.length === 0) return centre;
      if (nz.length > 1) return 0;
      const [o, a] = nz[0];
      return o < 0 ? minus[a] : plus[a];
    }
    return [-1, 0, 1].map((o) => build(level + 1, [...offs, o]));
  };
  return build(0, []);
}

/** The stencil of gallery.convectionDiffusion (see its JSDoc for the formulas). */
export function convectionDiffusionStencil(dims: number, n: number, peclet: number, scheme: "upwind" | "central", velocity: ArrayLike<number>): unknown {
  const h = 1 / (n + 1);
  let norm = 0;
  for (let a = 0; a < dims; a++) norm += velocity[a] * velocity[a];
  norm = Math.sqrt(norm);
  let centre = 2 * dims;
  const minus: number[] = [],
    plus: number[] = [];
  for (let a = 0; a < dims; a++) {
    const c = ((peclet * velocity[a]) / norm) * h; // β_a·h
    if (scheme === "central") {
      minus.push(-1 - c / 2);
      plus.push(-1 + c / 2);
    } else if (c > 0) {
      centre += c;
      minus.push(-1 - c);
      plus.push(-1);
    } else if (c < 0) {
      centre -= c;
      minus.push(-1);
      plus.push(-1 + c);
    } else {
      minus.push(-1);
      plus.push(-1);
    }
  }
  return crossStencil(centre, minus, plus);
}

/** Triplets of gallery.saddlePoint (see its JSDoc for the layout). */
export function saddlePointTriplets(n: number, stabilization: number, pin: boolean): { size: number; row: number[]; col: number[]; data: number[] } {
  const nu = n * (n - 1),
    np = n * n;
  const U = (j: number, i: number) => j * (n - 1) + i; // j < n, i < n − 1
  const V = (j: number, i: number) => nu + j * n + i; // j < n − 1, i < n
  const P = (j: number, i: number) => 2 * nu + j * n + i;
  const row: number[] = [],
    col: number[] = [],
    data: number[] = [];
  const put = (r: number, c: number, v: number) => {
    row.push(r);
    col.push(c);
    data.push(v);
  };
  const pinned = pin ? P(0, 0) : -1;
  // Velocity Laplacians on the (nrows × ncols) face grids; `wall(j, i)` counts the walls
  // parallel to the face at half a cell (ghost values −u: +1 each).
  const laplacian = (nrows: number, ncols: number, at: (j: number, i: number) => number, wall: (j: number, i: number) => number) => {
    for (let j = 0; j < nrows; j++)
      for (let i = 0; i < ncols; i++) {
        const p = at(j, i);
        put(p, p, 4 + wall(j, i));
        if (j > 0) put(p, at(j - 1, i), -1);
        if (i > 0) put(p, at(j, i - 1), -1);
        if (i < ncols - 1) put(p, at(j, i + 1), -1);
        if (j < nrows - 1) put(p, at(j + 1, i), -1);
      }
  };
  laplacian(n, n - 1, U, (j) => (j === 0 ? 1 : 0) + (j === n - 1 ? 1 : 0));
  laplacian(n - 1, n, V, (_, i) => (i === 0 ? 1 : 0) + (i === n - 1 ? 1 : 0));
  // B = −div and Bᵀ: cell (j, i) against its west/east (u) and south/north (v) faces.
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const p = P(j, i);
      if (p === pinned) continue;
      const faces: [number, number][] = [];
      if (i > 0) faces.push([U(j, i - 1), 1]);
      if (i < n - 1) faces.push([U(j, i), -1]);
      if (j > 0) faces.push([V(j - 1, i), 1]);
      if (j < n - 1) faces.push([V(j, i), -1]);
      for (const [f, v] of faces) {
        put(p, f, v);
        put(f, p, v);
      }
    }
  for (let p = 2 * nu; p < 2 * nu + np; p++) {
    if (p === pinned) put(p, p, 1);
    else if (stabilization !== 0) put(p, p, -stabilization);
  }
  return { size: 2 * nu + np, row, col, data };
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
    convectionDiffusion(grid, options = {}) {
      const n = unitGrid(grid, "convectionDiffusion");
      checkOptionNames(options, ["peclet", "scheme", "velocity"], "convectionDiffusion");
      const { peclet = 10, scheme = "upwind", velocity = new Array<number>(grid.length).fill(1) } = options;
      nonnegative(peclet, "peclet");
      if (scheme !== "upwind" && scheme !== "central")
        throw new SolvewasmError("INVALID_OPTION", `scheme must be "upwind" or "central", got ${describe(scheme)}`);
      if (!isArrayLike(velocity)) throw new SolvewasmError("INVALID_OPTION", `velocity must be an array of ${grid.length} numbers, got ${describe(velocity)}`);
      if (velocity.length !== grid.length)
        throw new SolvewasmError("DIMENSION_MISMATCH", `velocity has length ${velocity.length}, expected ${grid.length} (one per grid axis)`);
      const v = Array.from({ length: grid.length }, (_, a) => {
        const x: unknown = velocity[a];
        checkNumber(x, `velocity[${a}]`);
        return x;
      });
      if (v.every((x) => x === 0)) throw new SolvewasmError("INVALID_OPTION", "velocity must not be zero: it gives the flow direction (peclet: 0 for no flow)");
      return new StencilOperator(rt, convectionDiffusionStencil(grid.length, n, peclet, scheme, v), grid);
    },
    helmholtz(grid, options = {}) {
      const n = unitGrid(grid, "helmholtz");
      checkOptionNames(options, ["k"], "helmholtz");
      const { k = 0 } = options;
      nonnegative(k, "k");
      const h = 1 / (n + 1);
      const sigma = (k * h) ** 2;
      return new StencilOperator(rt, crossStencil(2 * grid.length - sigma, new Array(grid.length).fill(-1), new Array(grid.length).fill(-1)), grid);
    },
    saddlePoint(grid, options = {}) {
      const n = unitGrid(grid, "saddlePoint");
      if (grid.length !== 2 || n < 2)
        throw new SolvewasmError("INVALID_ARGUMENT", `saddlePoint takes a 2D grid [n, n] of n ≥ 2 cells per side, got [${grid.join(", ")}]`);
      checkOptionNames(options, ["stabilization", "pin"], "saddlePoint");
      const { stabilization = 0 } = options;
      nonnegative(stabilization, "stabilization");
      const { pin = stabilization === 0 } = options;
      if (typeof pin !== "boolean") throw new SolvewasmError("INVALID_OPTION", `pin must be true or false, got ${describe(pin)}`);
      const t = saddlePointTriplets(n, stabilization, pin);
      return csrFromCoo(rt, { rows: t.size, cols: t.size, row: t.row, col: t.col, data: t.data });
    },
    linearElasticity(grid, options = {}) {
      checkGrid(grid);
      if (grid.length !== 2) throw new SolvewasmError("INVALID_ARGUMENT", `linearElasticity is 2-D: the grid has ${grid.length} sizes`);
      checkOptionNames(options, ["E", "nu"], "linearElasticity");
      const { E = 1e5, nu = 0.3 } = options;
      checkNumber(E, "E");
      checkNumber(nu, "nu");
      if (!(E > 0)) throw new SolvewasmError("INVALID_OPTION", `E must be positive, got ${E}`);
      if (!(nu > -1 && nu < 0.5)) throw new SolvewasmError("INVALID_OPTION", `nu must be in (−1, 1/2), got ${nu}`);
      // As PyAMG's q12d: X × Y elements inside a ring of clamped ones, nodes p = j·(X + 1) + i.
      const X = grid[0] + 1,
        Y = grid[1] + 1;
      const K = q1Stiffness((E * nu) / ((1 + nu) * (1 - 2 * nu)), E / (2 + 2 * nu));
      const interior = (p: number) => {
        const i = p % (X + 1),
          j = Math.floor(p / (X + 1));
        return i > 0 && i < X && j > 0 && j < Y ? (j - 1) * (X - 1) + (i - 1) : -1;
      };
      const row: number[] = [],
        col: number[] = [],
        data: number[] = [];
      for (let j = 0; j < Y; j++) {
        for (let i = 0; i < X; i++) {
          const p = j * (X + 1) + i;
          const corners = [p, p + 1, p + X + 2, p + X + 1].map(interior);
          for (let r = 0; r < 8; r++) {
            const a = corners[r >> 1];
            if (a < 0) continue;
            for (let c = 0; c < 8; c++) {
              const b = corners[c >> 1];
              if (b < 0 || K[r][c] === 0) continue;
              row.push(2 * a + (r & 1));
              col.push(2 * b + (c & 1));
              data.push(K[r][c]);
            }
          }
        }
      }
      const nodes = (X - 1) * (Y - 1);
      const coordinates = new Float64Array(2 * nodes);
      for (let j = 1; j < Y; j++) {
        for (let i = 1; i < X; i++) {
          const q = (j - 1) * (X - 1) + (i - 1);
          coordinates[2 * q] = i - X / 2;
          coordinates[2 * q + 1] = j - Y / 2;
        }
      }
      const A = csrFromCoo(rt, { rows: 2 * nodes, cols: 2 * nodes, row, col, data });
      return { A, coordinates, B: rigidBodyModes(coordinates, 2) };
    },
  };
}
