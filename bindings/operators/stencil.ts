// Matrix-free operators on structured grids. Grids are row-major like NumPy's C order:
// for grid [n0, n1, n2] the last axis is fastest, index p = (i0·n1 + i1)·n2 + i2.
import { SolvewasmError } from "../errors.js";
import { Allocation } from "../memory.js";
import type { Runtime } from "../runtime.js";
import { checkInt, describe, isArrayLike, readNumbers } from "../validate.js";
import { CsrMatrix } from "./csr.js";
import { WasmOperator } from "./operator.js";
import { OperatorKind, StencilTerm } from "../generated/layouts.js";

/** Boundary condition of a grid operator: Dirichlet (u = 0 outside; vertex-centred grids,
 * n = 2^L − 1 for multigrid) or Neumann (no flux through the boundary; cell-centred grids,
 * n = 2^L). */
export type Boundary = "dirichlet" | "neumann";

/** Checks a grid shape: 1 to 3 positive integers. */
export function checkGrid(grid: unknown, maxDims = 3): asserts grid is number[] {
  if (!Array.isArray(grid) || grid.length < 1 || grid.length > maxDims) {
    throw new SolvewasmError("INVALID_ARGUMENT", `the grid must be an array of 1 to ${maxDims} sizes, got ${describe(grid)}`);
  }
  for (const n of grid) checkInt(n, "each grid size", 1, 2 ** 31 - 1);
  const points = grid.reduce((a, b) => a * b, 1);
  if (points > 2 ** 27) throw new SolvewasmError("INVALID_ARGUMENT", `a grid of ${points} points is larger than solvewasm handles (2^27)`);
}

/** Kernel dimensions: nx fastest, then ny, then nz (missing axes are 1). */
function kernelDims(grid: number[]): [nx: number, ny: number, nz: number] {
  const g = [1, 1, ...grid].slice(-3);
  return [g[2], g[1], g[0]];
}

interface Term {
  dx: number;
  dy: number;
  dz: number;
  coef: number;
}

/**
 * A constant stencil applied on a grid, with PyAMG's `stencil_grid` meaning:
 * (A·u)_p = Σ_offsets S[center + offset]·u_{p + offset}, neighbours outside the grid
 * taken as zero (Dirichlet). 2D 5-point and 3D 7-point stencils run dedicated SIMD
 * kernels; any other stencil (9-point, 27-point, wider) a general one.
 */
export class StencilOperator extends WasmOperator {
  /** Grid shape. */
  readonly grid: readonly number[];
  /** @internal [s, w, c, e, n] of a 2D 5-point stencil (red-black SOR uses them). */
  readonly fivePoint: readonly number[] | undefined;
  /** @internal [b, s, w, c, e, n, t] of a 3D 7-point stencil (multigrid uses them). */
  readonly sevenPoint: readonly number[] | undefined;
  readonly #terms: Term[];
  readonly #center: number;
  #block: Allocation | undefined;

  /** @internal Use `gallery.stencilGrid` or `gallery.poisson`. */
  constructor(rt: Runtime, stencil: unknown, grid: number[]) {
    checkGrid(grid);
    const points = grid.reduce((a, b) => a * b, 1);
    super(rt, points, points);
    this.grid = Object.freeze([...grid]);
    const { terms, center } = stencilTerms(stencil, grid.length);
    this.#terms = terms;
    this.#center = center;
    const inCross = terms.every((t) => Math.abs(t.dx) + Math.abs(t.dy) + Math.abs(t.dz) <= 1);
    const kind = inCross && grid.length === 2 ? "5" : inCross && grid.length === 3 ? "7" : "general";
    // Coefficients in index order (z−, y−, x−, centre, x+, y+, z+) for the dedicated kernels.
    const c = (dz: number, dy: number, dx: number) => terms.find((t) => t.dx === dx && t.dy === dy && t.dz === dz)?.coef ?? 0;
    const cross = [c(-1, 0, 0), c(0, -1, 0), c(0, 0, -1), c(0, 0, 0), c(0, 0, 1), c(0, 1, 0), c(1, 0, 0)];
    const [nx, ny, nz] = kernelDims(grid);
    const [b, s, w, ce, e, n, t] = cross;
    this.fivePoint = kind === "5" ? Object.freeze([s, w, ce, e, n]) : undefined;
    this.sevenPoint = kind === "7" ? Object.freeze([b, s, w, ce, e, n, t]) : undefined;
    const common = { nx, ny, nz, lines: ny * nz, perLine: nx };
    if (kind === "5") this.describe({ ...common, kind: OperatorKind.STENCIL5, pointers: [], coefficients: [s, w, ce, e, n] });
    if (kind === "7") this.describe({ ...common, kind: OperatorKind.STENCIL7, pointers: [], coefficients: [b, s, w, ce, e, n, t] });
    if (kind === "general") {
      this.#block = new Allocation(rt, StencilTerm.BYTES * terms.length);
      const p = this.#block.ptr("StencilOperator");
      terms.forEach((t, i) => new StencilTerm(rt, p + i * StencilTerm.BYTES).assign({ dx: t.dx, dy: t.dy, dz: t.dz, coef: t.coef }));
      this.describe({ ...common, kind: OperatorKind.TERMS, pointers: [p], nterms: terms.length });
    }
  }

  /** The diagonal: the stencil's centre at every point. */
  diagonal(): Float64Array {
    return new Float64Array(this.rows).fill(this.#center);
  }

  /** @internal A converted copy (the caller disposes it). */
  override asCsr(): { csr: CsrMatrix; owned: boolean } {
    return { csr: this.toCsr(), owned: true };
  }

  /** @internal At most one entry per stencil term and row. */
  override csrEntriesBound(): number {
    return this.rows * this.#terms.length;
  }

  /** The same operator as a CSR matrix (zero stencil entries are not stored); its matvec
   * gives bit-identical results. */
  toCsr(): CsrMatrix {
    const [nx, ny, nz] = kernelDims(this.grid as number[]);
    const terms = this.#terms;
    const inside = (x: number, y: number, z: number, t: Term) =>
      x + t.dx >= 0 && x + t.dx < nx && y + t.dy >= 0 && y + t.dy < ny && z + t.dz >= 0 && z + t.dz < nz;
    let nnz = 0;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          for (const t of terms) if (inside(x, y, z, t)) nnz++;
        }
    const m = new CsrMatrix(this.rt, this.rows, this.cols, nnz);
    const { indptr, indices, data } = m.views();
    let k = 0,
      p = 0;
    indptr[0] = 0;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          for (const t of terms) {
            if (!inside(x, y, z, t)) continue;
            indices[k] = p + t.dx + (t.dy + t.dz * ny) * nx;
            data[k++] = t.coef;
          }
          indptr[++p] = k;
        }
    return m;
  }

  /** @internal */
  protected disposeData(): void {
    this.#block?.free();
    this.#block = undefined;
  }
}

/** Reads a nested-array stencil of odd sizes into nonzero terms sorted by linear offset. */
function stencilTerms(stencil: unknown, dims: number): { terms: Term[]; center: number } {
  const shape: number[] = [];
  let level: unknown = stencil;
  for (let d = 0; d < dims; d++) {
    if (!Array.isArray(level) && !ArrayBuffer.isView(level)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `a stencil for a ${dims}D grid must be a ${dims}-level nested array`);
    }
    const n = (level as ArrayLike<unknown>).length;
    if (n % 2 !== 1 || n > 255) throw new SolvewasmError("INVALID_ARGUMENT", `stencil sizes must be odd (and below 256), got ${n}`);
    shape.push(n);
    level = (level as ArrayLike<unknown>)[0];
  }
  const terms: Term[] = [];
  let center = 0;
  const walk = (node: unknown, d: number, offs: number[]): void => {
    if (d === dims) {
      if (typeof node !== "number") throw new SolvewasmError("INVALID_ARGUMENT", `stencil entries must be numbers, got ${describe(node)}`);
      if (!Number.isFinite(node)) throw new SolvewasmError("NOT_FINITE", `stencil entry ${node} is not finite`);
      const o = [0, 0, ...offs].slice(-3);
      if (o.every((v) => v === 0)) center = node;
      if (node !== 0) terms.push({ dz: o[0], dy: o[1], dx: o[2], coef: node });
      return;
    }
    const arr = node as ArrayLike<unknown>;
    if ((!Array.isArray(arr) && !ArrayBuffer.isView(arr)) || arr.length !== shape[d]) {
      throw new SolvewasmError("INVALID_ARGUMENT", `the stencil is ragged: expected ${shape[d]} entries at depth ${d + 1}`);
    }
    for (let i = 0; i < shape[d]; i++) walk(arr[i], d + 1, [...offs, i - (shape[d] - 1) / 2]);
  };
  walk(stencil, 0, []);
  return { terms, center };
}

/** Options of `gallery.diffusion`. */
export interface DiffusionOptions {
  /** "dirichlet" (default) or "neumann". */
  boundary?: Boundary;
  /** Active cells (truthy) of the grid, as DCDM's fluid cells. Faces to inactive cells carry
   * no flux (solid walls); inactive cells get identity rows, so A stays nonsingular there. */
  mask?: ArrayLike<number | boolean>;
}

/**
 * -div(k grad u) on a grid, unscaled (no 1/h²) like `gallery.poisson`, with k one positive
 * value per cell: the face between two cells carries the harmonic mean of their k; a
 * Dirichlet boundary face carries the cell's own k, a Neumann one nothing.
 */
export class DiffusionOperator extends WasmOperator {
  readonly grid: readonly number[];
  readonly boundary: Boundary;
  #block: Allocation | undefined;
  #active: Uint8Array | undefined;

  /** A copy of the active-cell mask (1 active, 0 not), or undefined when every cell is active. */
  get mask(): Uint8Array | undefined {
    return this.#active && Uint8Array.from(this.#active);
  }

  /** @internal Use `gallery.diffusion`. */
  constructor(rt: Runtime, k: number | ArrayLike<number>, grid: number[], options: DiffusionOptions = {}) {
    checkGrid(grid);
    const n = grid.reduce((a, b) => a * b, 1);
    super(rt, n, n);
    this.grid = Object.freeze([...grid]);
    const boundary = options.boundary ?? "dirichlet";
    if (boundary !== "dirichlet" && boundary !== "neumann") {
      throw new SolvewasmError("INVALID_ARGUMENT", `boundary must be "dirichlet" or "neumann", got ${describe(boundary)}`);
    }
    this.boundary = boundary;
    const kAt = coefficientField(k, n, rt.memory);
    const mask = options.mask;
    if (mask !== undefined) {
      if (!isArrayLike(mask)) throw new SolvewasmError("INVALID_ARGUMENT", `mask must be an array, got ${describe(mask)}`);
      const cells = Array.from(mask as ArrayLike<unknown>, (v) => (v ? 1 : 0)); // read once
      if (cells.length !== n) throw new SolvewasmError("INVALID_ARGUMENT", `mask has length ${cells.length}, expected ${n} (one per grid cell)`);
      this.#active = Uint8Array.from(cells);
    }
    const activeCells = this.#active;
    const active = (p: number) => activeCells === undefined || activeCells[p] === 1;
    const [nx, ny, nz] = kernelDims(grid);
    const faces = nz > 1 ? 3 : 2;
    this.#block = new Allocation(rt, 8 * n * (1 + faces));
    const { d, we, wn, wt } = this.arrays();
    const face = (p: number, q: number) => {
      if (!active(p) || !active(q)) return 0;
      const a = kAt(p),
        b = kAt(q);
      return a === b ? a : (2 * a * b) / (a + b);
    };
    const plane = nx * ny;
    for (let z = 0, p = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, p++) {
          we[p] = x < nx - 1 ? face(p, p + 1) : 0;
          wn[p] = y < ny - 1 ? face(p, p + nx) : 0;
          if (wt) wt[p] = z < nz - 1 ? face(p, p + plane) : 0;
        }
    const dirichlet = boundary === "dirichlet";
    for (let z = 0, p = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, p++) {
          if (!active(p)) {
            d[p] = 1;
            continue;
          }
          const kp = kAt(p);
          let s = 0;
          // Each of the 2·dims faces: an interior face's weight, or at the grid edge k_p
          // (Dirichlet) or nothing (Neumann).
          s += x > 0 ? we[p - 1] : dirichlet ? kp : 0;
          s += x < nx - 1 ? we[p] : dirichlet ? kp : 0;
          if (grid.length >= 2) {
            s += y > 0 ? wn[p - nx] : dirichlet ? kp : 0;
            s += y < ny - 1 ? wn[p] : dirichlet ? kp : 0;
          }
          if (grid.length === 3) {
            s += z > 0 ? wt![p - plane] : dirichlet ? kp : 0;
            s += z < nz - 1 ? wt![p] : dirichlet ? kp : 0;
          }
          d[p] = s;
        }
    const p = this.#ptr();
    this.describe({
      kind: OperatorKind.DIFFUSION,
      nx,
      ny,
      nz,
      lines: ny * nz,
      perLine: nx,
      pointers: [p, p + 8 * n, p + 16 * n, wt ? p + 24 * n : 0],
    });
  }

  /** @internal Live views of d, we, wn, wt (valid until the next allocation). */
  arrays(): { d: Float64Array; we: Float64Array; wn: Float64Array; wt: Float64Array | undefined } {
    const p = this.#ptr();
    const buf = this.rt.memory.buffer;
    const n = this.rows;
    return {
      d: new Float64Array(buf, p, n),
      we: new Float64Array(buf, p + 8 * n, n),
      wn: new Float64Array(buf, p + 16 * n, n),
      wt: this.grid.length === 3 ? new Float64Array(buf, p + 24 * n, n) : undefined,
    };
  }

  #ptr(): number {
    if (!this.#block) throw new SolvewasmError("DISPOSED", "this DiffusionOperator was disposed");
    return this.#block.ptr("DiffusionOperator");
  }

  diagonal(): Float64Array {
    return this.arrays().d.slice();
  }

  /**
   * The null space: one indicator vector per connected group of active cells that no
   * Dirichlet boundary face touches (all of them for a Neumann grid; none for an unmasked
   * Dirichlet grid). Solvers use it for `nullspace: "constant"`.
   */
  nullspace(): Float64Array[] {
    const [nx, ny, nz] = kernelDims(this.grid as number[]);
    const n = this.rows,
      plane = nx * ny;
    const { d, we, wn, wt } = this.arrays();
    const label = new Int32Array(n).fill(-1);
    const out: Float64Array[] = [];
    const stack: number[] = [];
    for (let start = 0; start < n; start++) {
      // Inactive cells have identity rows: never singular.
      if (label[start] !== -1 || (this.#active && !this.#active[start])) continue;
      const members: number[] = [];
      let grounded = false;
      label[start] = start;
      stack.push(start);
      while (stack.length) {
        const p = stack.pop()!;
        members.push(p);
        const x = p % nx,
          y = Math.floor(p / nx) % ny,
          z = Math.floor(p / plane);
        // Σ of face weights to neighbours; if d exceeds it, a Dirichlet face grounds the group.
        let faces = 0;
        const visit = (q: number, w: number) => {
          faces += w;
          if (w > 0 && label[q] === -1) {
            label[q] = start;
            stack.push(q);
          }
        };
        if (x > 0) visit(p - 1, we[p - 1]);
        if (x < nx - 1) visit(p + 1, we[p]);
        if (y > 0) visit(p - nx, wn[p - nx]);
        if (y < ny - 1) visit(p + nx, wn[p]);
        if (wt && z > 0) visit(p - plane, wt[p - plane]);
        if (wt && z < nz - 1) visit(p + plane, wt[p]);
        if (d[p] > faces * (1 + 1e-12)) grounded = true;
      }
      if (!grounded) {
        const v = new Float64Array(n);
        for (const p of members) v[p] = 1;
        out.push(v);
      }
    }
    return out;
  }

  /** @internal A converted copy (the caller disposes it). */
  override asCsr(): { csr: CsrMatrix; owned: boolean } {
    return { csr: this.toCsr(), owned: true };
  }

  /** @internal The diagonal and one entry per face neighbour. */
  override csrEntriesBound(): number {
    return this.rows * (1 + 2 * this.grid.length);
  }

  /** The same operator as a CSR matrix (faces of weight zero are not stored; every
   * diagonal is); its matvec gives bit-identical results. */
  toCsr(): CsrMatrix {
    const [nx, ny, nz] = kernelDims(this.grid as number[]);
    const plane = nx * ny;
    const n = this.rows;
    type Arrays = ReturnType<DiffusionOperator["arrays"]>;
    const neighbours = ({ d, we, wn, wt }: Arrays, p: number, x: number, y: number, z: number, visit: (q: number, v: number) => void) => {
      if (z > 0 && wt![p - plane] !== 0) visit(p - plane, -wt![p - plane]);
      if (y > 0 && wn[p - nx] !== 0) visit(p - nx, -wn[p - nx]);
      if (x > 0 && we[p - 1] !== 0) visit(p - 1, -we[p - 1]);
      visit(p, d[p]);
      if (x < nx - 1 && we[p] !== 0) visit(p + 1, -we[p]);
      if (y < ny - 1 && wn[p] !== 0) visit(p + nx, -wn[p]);
      if (z < nz - 1 && wt![p] !== 0) visit(p + plane, -wt![p]);
    };
    let nnz = 0;
    const before = this.arrays();
    for (let z = 0, p = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, p++) {
          neighbours(before, p, x, y, z, () => nnz++);
        }
    const m = new CsrMatrix(this.rt, n, n, nnz);
    const arrays = this.arrays(); // again: the allocation may have grown memory
    const { indptr, indices, data } = m.views();
    let k = 0;
    indptr[0] = 0;
    for (let z = 0, p = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, p++) {
          neighbours(arrays, p, x, y, z, (q, v) => {
            indices[k] = q;
            data[k++] = v;
          });
          indptr[p + 1] = k;
        }
    return m;
  }

  /** @internal */
  protected disposeData(): void {
    this.#block?.free();
    this.#block = undefined;
  }
}

/** k as a function of the cell: a positive number, or one positive value per cell. */
function coefficientField(k: number | ArrayLike<number>, n: number, memory: WebAssembly.Memory): (p: number) => number {
  if (typeof k === "number") {
    if (!(k > 0) || !Number.isFinite(k)) throw new SolvewasmError("INVALID_ARGUMENT", `the coefficient k must be positive and finite, got ${k}`);
    return () => k;
  }
  if (!isArrayLike(k)) throw new SolvewasmError("INVALID_ARGUMENT", `k must be a number or an array, got ${describe(k)}`);
  // Read once: the checked copy is what the faces are built from.
  const field = readNumbers(k, "k", { length: n, memory });
  for (let p = 0; p < n; p++) {
    if (!(field[p] > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `k[${p}] = ${field[p]}: coefficients must be positive and finite`);
  }
  return (p) => field[p];
}
