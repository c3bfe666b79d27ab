// Geometric multigrid for constant-coefficient 5-point (2D) and 7-point (3D) stencils on
// vertex-centred Dirichlet grids: red-black Gauss–Seidel smoothing, full-weighting
// restriction, bilinear/trilinear interpolation, rediscretised coarse operators and a dense
// Cholesky solve on the coarsest grid. The cycles run in wasm (assembly/multigrid).
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, F64Buffer, finiteVector, type Vector } from "../memory.js";
import { StencilOperator } from "../operators/stencil.js";
import type { LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { Preconditioner } from "../krylov/precond.js";
import type { SolveResult } from "../krylov/driver.js";
import { AmgHierarchy, gridCoarsening, type AmgOptions } from "./amg.js";
import { makeBlocks, type MultigridBlocks } from "./blocks.js";
import { choleskyFactor as denseCholesky } from "../dense.js";

const choleskyFactor = (a: Float64Array, n: number) =>
  denseCholesky(a, n, "the coarsest operator is not positive definite (the stencil is not SPD)");
import { DiffusionOperator } from "../operators/stencil.js";

export interface MultigridOptions {
  /** "V" (default), "W" or "F". */
  cycle?: "V" | "W" | "F";
  /** Red-black Gauss–Seidel sweeps before (default 1) and after (default 1) the coarse correction. */
  pre?: number;
  post?: number;
  /** Smooth after the correction in the reverse colour order (default true), which makes
   * the cycle a symmetric operator: what CG needs of a preconditioner. */
  symmetric?: boolean;
  /** "rbgs" (red-black Gauss–Seidel, default) or "jacobi" (weighted). */
  smoother?: "rbgs" | "jacobi";
  /** Jacobi's weight (default 4/5 in 2D, 6/7 in 3D). */
  omega?: number;
  /** Most levels, the fine grid included (default: coarsen to the smallest grid). */
  levels?: number;
}

export interface MultigridSolveOptions {
  x0?: Vector;
  /** Stops when ‖b − A·x‖ ≤ max(rtol·‖b‖, atol) (defaults 1e-5 and 0, as `cg`). */
  rtol?: number;
  atol?: number;
  /** Most cycles (default 100). */
  maxiter?: number;
  history?: boolean;
}

const CYCLE = { V: 0, W: 1, F: 2 } as const;
const HEADER_BYTES = 64, LEVEL_BYTES = 32;
const MAX_COARSE = 4096;

/** A multigrid hierarchy for one operator; serves any number of right-hand sides. */
export class Multigrid {
  /** Grid of each level, finest first. */
  readonly levels: readonly (readonly number[])[];
  /** Seconds spent building the hierarchy. */
  readonly setupSeconds: number;
  readonly options: Required<MultigridOptions>;
  readonly #rt: Runtime;
  #A: StencilOperator;
  #operators: StencilOperator[] = [];
  #blocks: Allocation[] = [];
  #header = 0;
  #records = 0;
  #choleskyPtr = 0;
  #coarseSize = 0;

  /** @internal Use `multigrid(A, options)`. */
  constructor(rt: Runtime, A: LinearOperator, options: MultigridOptions = {}) {
    const t0 = performance.now();
    const { cycle = "V", pre = 1, post = 1, symmetric = true, smoother = "rbgs" } = options;
    if (!(cycle in CYCLE)) throw new SolvewasmError("INVALID_OPTION", `cycle must be "V", "W" or "F", got ${describe(cycle)}`);
    if (smoother !== "rbgs" && smoother !== "jacobi") throw new SolvewasmError("INVALID_OPTION", `smoother must be "rbgs" or "jacobi", got ${describe(smoother)}`);
    const omega = options.omega ?? ((A as { grid?: readonly number[] }).grid?.length === 3 ? 6 / 7 : 4 / 5);
    if (typeof omega !== "number" || !(omega > 0 && omega <= 1)) throw new SolvewasmError("INVALID_OPTION", `omega must be in (0, 1], got ${describe(omega)}`);
    for (const [name, v] of [["pre", pre], ["post", post]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 10) throw new SolvewasmError("INVALID_OPTION", `${name} must be an integer in [0, 10], got ${describe(v)}`);
    }
    const levels = options.levels ?? Infinity;
    if (levels !== Infinity && (!Number.isInteger(levels) || levels < 1)) throw new SolvewasmError("INVALID_OPTION", `levels must be a positive integer, got ${describe(levels)}`);
    this.options = { cycle, pre, post, symmetric, smoother, omega, levels };
    if (!(A instanceof StencilOperator) || !(A.fivePoint || A.sevenPoint)) {
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `geometric multigrid takes a constant 5-point (2D) or 7-point (3D) grid operator such as gallery.poisson; got ${describe(A)}`,
      );
    }
    if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
    const coefficients = A.fivePoint ?? A.sevenPoint!;
    const centre = A.fivePoint ? coefficients[2] : coefficients[3];
    if (!(centre > 0)) throw new SolvewasmError("INVALID_MATRIX", `the stencil's centre must be positive, got ${centre}`);
    // n = 2^L − 1 on every axis: coarse point I sits on fine point 2I + 1.
    const depth = (n: number) => (Number.isInteger(Math.log2(n + 1)) ? Math.log2(n + 1) : -1);
    const depths = A.grid.map(depth);
    if (depths.some((d) => d < 1)) {
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `vertex-centred multigrid needs 2^L − 1 points per axis (… 31, 63, 127, 255, 511, 1023 …); the grid is [${A.grid.join(", ")}]`,
      );
    }
    const count = Math.min(levels, ...depths);
    const grids: number[][] = [];
    for (let l = 0, g = [...A.grid]; l < count; l++, g = g.map((n) => (n - 1) / 2)) grids.push(g);
    const coarsest = grids.at(-1)!.reduce((a, b) => a * b, 1);
    if (coarsest > MAX_COARSE) {
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `the grid [${A.grid.join(", ")}] coarsens only to [${grids.at(-1)!.join(", ")}] (${coarsest} points; at most ${MAX_COARSE} for the dense coarse solve): make the axes' sizes closer`,
      );
    }
    this.levels = Object.freeze(grids.map((g) => Object.freeze(g)));
    this.#rt = rt;
    this.#A = A;
    try {
      this.#build(coefficients);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  /** Level l's operator: the fine stencil's coefficients divided by 4^l on level l's grid. */
  #coarseOperator(coefficients: readonly number[], l: number): StencilOperator {
    const grid = this.levels[l];
    const k = coefficients.map((v) => v / 4 ** l);
    const stencil = grid.length === 2 ? [[0, k[0], 0], [k[1], k[2], k[3]], [0, k[4], 0]] : [
      [[0, 0, 0], [0, k[0], 0], [0, 0, 0]],
      [[0, k[1], 0], [k[2], k[3], k[4]], [0, k[5], 0]],
      [[0, 0, 0], [0, k[6], 0], [0, 0, 0]],
    ];
    return new StencilOperator(this.#rt, stencil, [...grid]);
  }

  #f64(count: number): number {
    const block = new Allocation(this.#rt, 8 * Math.max(1, count));
    this.#blocks.push(block);
    return block.ptr("Multigrid");
  }

  #build(coefficients: readonly number[]): void {
    const rt = this.#rt;
    const L = this.levels.length;
    // Rediscretised coarse operators: a second-order stencil's unscaled coefficients shrink
    // by 4 per level (h² → (2h)² against the fine h², in 2D and 3D alike).
    this.#operators = this.levels.map((_, l) => (l === 0 ? this.#A : this.#coarseOperator(coefficients, l)));
    const header = this.#f64(HEADER_BYTES / 8);
    const records = this.#f64((L * LEVEL_BYTES) / 8);
    const size = (l: number) => this.levels[l].reduce((a, b) => a * b, 1);
    const vectors = this.levels.map((_, l) => ({
      x: l > 0 ? this.#f64(size(l)) : 0,
      b: l > 0 ? this.#f64(size(l)) : 0,
      r: l < L - 1 ? this.#f64(size(l)) : 0,
    }));
    const coarse = this.#operators[L - 1].toCsr();
    const nc = coarse.rows;
    const dense = coarse.toDense();
    coarse.dispose();
    const chol = choleskyFactor(dense, nc);
    const pchol = this.#f64(nc * nc);
    rt.f64(pchol, nc * nc).set(chol);
    const ints = new Int32Array(rt.memory.buffer, records, (L * LEVEL_BYTES) / 4);
    this.#operators.forEach((op, l) => {
      ints.set([op.descriptorPtr(), vectors[l].x, vectors[l].b, vectors[l].r], (l * LEVEL_BYTES) / 4);
    });
    this.#header = header;
    this.#records = records;
    this.#choleskyPtr = pchol;
    this.#coarseSize = nc;
    this.#writeHeader(header, this.options);
  }

  #writeHeader(at: number, o: Required<MultigridOptions>): void {
    const h = new Int32Array(this.#rt.memory.buffer, at, HEADER_BYTES / 4);
    h.fill(0);
    h.set([this.levels.length, CYCLE[o.cycle], o.pre, o.post, o.symmetric ? 1 : 0, this.#records, this.#choleskyPtr, this.#coarseSize]);
    h[8] = o.smoother === "jacobi" ? 1 : 0;
    new Float64Array(this.#rt.memory.buffer, at, HEADER_BYTES / 8)[5] = o.omega;
  }

  #live(): number {
    if (!this.#header) throw new SolvewasmError("DISPOSED", "this Multigrid was disposed");
    for (const b of this.#blocks) b.ptr("Multigrid");
    return this.#header;
  }

  /**
   * Multigrid cycles as a solver, with `cg`'s stopping test and result (iterations are cycles).
   * @example
   * const ml = multigrid(gallery.poisson([255, 255]));
   * const { x, iterations } = ml.solve(b, { rtol: 1e-8 });
   */
  solve(b: Vector, options: MultigridSolveOptions = {}): SolveResult & { seconds: number } {
    const t0 = performance.now();
    const h = this.#live();
    const rt = this.#rt, n = this.#A.rows;
    const { rtol = 1e-5, atol = 0, maxiter = 100, history = false } = options;
    if (typeof rtol !== "number" || !(rtol >= 0)) throw new SolvewasmError("INVALID_OPTION", `rtol must be ≥ 0, got ${describe(rtol)}`);
    if (typeof atol !== "number" || !(atol >= 0)) throw new SolvewasmError("INVALID_OPTION", `atol must be ≥ 0, got ${describe(atol)}`);
    if (!Number.isInteger(maxiter) || maxiter < 0) throw new SolvewasmError("INVALID_OPTION", `maxiter must be an integer ≥ 0, got ${describe(maxiter)}`);
    const bv = finiteVector(b, n, "b");
    const x0 = options.x0 === undefined ? undefined : finiteVector(options.x0, n, "x0");
    const work = [new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, Math.max(1, maxiter)), new F64Buffer(rt, 1)];
    try {
      const [pb, px, pr, hist, out] = work;
      pb.set(bv);
      if (x0) px.set(x0);
      else px.array.fill(0);
      rt.call((ex) => this.#A.applyPtr(ex, px.ptr, pr.ptr));
      const r0 = Math.sqrt(rt.call((ex) => ex.residualFrom(n, pb.ptr, pr.ptr)));
      const bnorm = rt.call((ex) => ex.dnrm2(n, pb.ptr));
      const tol = Math.max(rtol * bnorm, atol);
      let cycles = 0;
      if (r0 > tol && maxiter > 0) {
        cycles = rt.call((ex) => ex.mgSolve(h, pb.ptr, px.ptr, pr.ptr, tol, maxiter, hist.ptr, out.ptr));
      }
      const residualNorm = cycles > 0 ? out.array[0] : r0;
      if (!Number.isFinite(residualNorm)) throw new SolvewasmError("NOT_FINITE", `the residual became ${residualNorm}`);
      const converged = residualNorm <= tol;
      return {
        x: px.toArray(),
        iterations: cycles,
        residualNorm,
        converged,
        reason: converged ? "converged" : "maxiter",
        ...(history ? { history: Float64Array.of(r0, ...hist.array.subarray(0, cycles)) } : {}),
        method: "cg" as const,
        seconds: (performance.now() - t0) / 1000,
      };
    } finally {
      for (const w of work) w.dispose();
    }
  }

  /**
   * Full multigrid: b restricted to every level, solved on the coarsest, then interpolated
   * up with one cycle per level. One pass gives an answer accurate to about the
   * discretisation error, for about the work of two cycles.
   */
  fmg(b: Vector): Float64Array {
    const h = this.#live();
    const rt = this.#rt, n = this.#A.rows, L = this.levels.length;
    const top = [new F64Buffer(rt, n).set(finiteVector(b, n, "b")), new F64Buffer(rt, n)];
    try {
      const [pb, px] = top;
      const rec = (l: number) => new Int32Array(rt.memory.buffer, this.#records + l * LEVEL_BYTES, 4);
      const bOf = (l: number) => (l === 0 ? pb.ptr : rec(l)[2]);
      const xOf = (l: number) => (l === 0 ? px.ptr : rec(l)[1]);
      const dims = (l: number) => {
        const g = [1, 1, ...this.levels[l]].slice(-3);
        return [g[2], g[1], g[0]];
      };
      rt.call((ex) => {
        for (let l = 0; l + 1 < L; l++) {
          const [nx, ny, nz] = dims(l), [cx, cy, cz] = dims(l + 1);
          ex.restrictFull(nx, ny, nz, bOf(l), cx, cy, cz, bOf(l + 1));
        }
        ex.mgCycle(h, L - 1, bOf(L - 1), xOf(L - 1), 0); // the coarse solve
        for (let l = L - 2; l >= 0; l--) {
          const [nx, ny, nz] = dims(l), [cx, cy, cz] = dims(l + 1);
          rt.f64(xOf(l), nx * ny * nz).fill(0);
          ex.prolongAdd(cx, cy, cz, xOf(l + 1), nx, ny, nz, xOf(l));
          ex.mgCycle(h, l, bOf(l), xOf(l), CYCLE[this.options.cycle]);
        }
      });
      return px.toArray();
    } finally {
      for (const v of top) v.dispose();
    }
  }

  /**
   * Takes new coefficients of the same kind of stencil on the same grid (a time step, a
   * parameter sweep): the coarse operators and the coarse factor are rebuilt, the vectors
   * and the level structure are kept. Preconditioners made before keep working.
   */
  update(A: LinearOperator): void {
    this.#live();
    if (!(A instanceof StencilOperator) || A.grid.join() !== this.#A.grid.join() || !(A.fivePoint || A.sevenPoint) || !!A.fivePoint !== !!this.#A.fivePoint) {
      throw new SolvewasmError("INVALID_ARGUMENT", `update needs a constant ${this.#A.fivePoint ? "5" : "7"}-point stencil on the grid [${this.#A.grid.join(", ")}]`);
    }
    const coefficients = A.fivePoint ?? A.sevenPoint!;
    if (!((A.fivePoint ? coefficients[2] : coefficients[3]) > 0)) throw new SolvewasmError("INVALID_MATRIX", "the stencil's centre must be positive");
    const old = this.#operators.slice(1);
    const L = this.levels.length;
    this.#A = A;
    const fresh = this.#operators.map((_, l) => (l === 0 ? A : this.#coarseOperator(coefficients, l)));
    const coarse = fresh[L - 1].toCsr();
    const chol = choleskyFactor(coarse.toDense(), coarse.rows);
    coarse.dispose();
    this.#rt.f64(this.#choleskyPtr, chol.length).set(chol);
    fresh.forEach((op, l) => (new Int32Array(this.#rt.memory.buffer, this.#records + l * LEVEL_BYTES, 1)[0] = op.descriptorPtr()));
    this.#operators = fresh;
    for (const op of old) op.dispose();
  }

  /** One cycle from zero as M⁻¹ for `cg` (symmetric cycle) or `fcd` (either). */
  asPreconditioner(options: { symmetric?: boolean } = {}): Preconditioner {
    this.#live();
    const symmetric = options.symmetric ?? this.options.symmetric;
    const header = this.#f64(HEADER_BYTES / 8);
    this.#writeHeader(header, { ...this.options, symmetric });
    return new Preconditioner(this.#rt, "multigrid", this.#A.rows, ({ ints }) => {
      ints.set([6, this.#A.rows, header]);
    }, [], { levels: this.levels.length }, symmetric);
  }

  /**
   * The convergence factor ‖r_{k+1}‖/‖r_k‖ of standalone cycles on A·x = 1 from x = 0 (a
   * smooth right-hand side, which excites the slowest modes from the start): the geometric
   * mean over the last half of the cycles before the residual falls by 10⁻¹⁰.
   */
  convergenceFactor(maxCycles = 40): number {
    const n = this.#A.rows;
    const r = this.solve(new Float64Array(n).fill(1), { rtol: 1e-10, maxiter: maxCycles, history: true });
    const hist = r.history!;
    const k = r.iterations, k0 = Math.floor(k / 2);
    return (hist[k] / hist[k0]) ** (1 / (k - k0));
  }

  dispose(): void {
    for (const b of this.#blocks) b.free();
    this.#blocks = [];
    for (const op of this.#operators.slice(1)) op.dispose();
    this.#operators = [];
    this.#header = 0;
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}

export interface MultigridApi {
  /**
   * Smoothed-aggregation AMG for a symmetric positive definite matrix (PyAMG's defaults).
   * @example
   * const ml = amg(A);
   * cg(A, b, { M: ml.asPreconditioner() }); ml.operatorComplexity();
   */
  amg(A: LinearOperator, options?: AmgOptions): AmgHierarchy;
  /** Multigrid's building blocks: restriction, interpolation, smoothers, residuals. */
  mgBlocks: MultigridBlocks;
  /**
   * A geometric multigrid hierarchy; setup once, then `solve`, `asPreconditioner`,
   * `convergenceFactor`. For a constant 5-point (2D) or 7-point (3D) stencil on 2^L − 1
   * points per axis: red-black Gauss–Seidel and rediscretised coarse grids. For other grid
   * operators — `gallery.diffusion` with variable coefficients, masks or Neumann
   * boundaries (any size), general stencils — 2 × 2 (× 2) blocks of cells become coarse
   * cells, with smoothed prolongators and Galerkin coarse operators.
   * @example
   * const A = gallery.poisson([511, 511]);
   * const ml = multigrid(A);
   * const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() }); // 8 iterations at any n
   */
  multigrid(A: LinearOperator, options?: MultigridOptions): Multigrid | AmgHierarchy;
}

export function makeMultigrid(rt: Runtime): MultigridApi {
  return {
    multigrid: (A, options = {}) => {
      const grid = (A as { grid?: readonly number[] }).grid;
      const constant = A instanceof StencilOperator && (A.fivePoint || A.sevenPoint);
      if (!constant && (A instanceof DiffusionOperator || A instanceof StencilOperator) && grid) {
        if (options.cycle && options.cycle !== "V") {
          throw new SolvewasmError("INVALID_OPTION", `the Galerkin hierarchy of a ${A.constructor.name} runs V-cycles only, got ${describe(options.cycle)}`);
        }
        return new AmgHierarchy(rt, A, { pre: options.pre, post: options.post }, gridCoarsening(grid));
      }
      return new Multigrid(rt, A, options);
    },
    amg: (A, options) => new AmgHierarchy(rt, A, options),
    mgBlocks: makeBlocks(rt),
  };
}
