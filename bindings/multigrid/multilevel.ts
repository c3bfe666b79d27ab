// One multilevel solver (in the spirit of PyAMG's MultilevelSolver) for every hierarchy:
// geometric (rediscretised constant stencils, grid transfers), Galerkin on grids and
// smoothed-aggregation AMG are three ways to build its levels (geometric.ts,
// aggregation.ts); the cycles, the solve, the preconditioner and the bookkeeping are here
// once, and run in wasm (assembly/multigrid/cycle.ts).
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, F64Buffer, finiteVector, requireAlive, vectorArgument, withScratch, type Vector } from "../memory.js";
import { CsrMatrix } from "../operators/csr.js";
import { WasmOperator } from "../operators/operator.js";
import { describe } from "../validate.js";
import type { Runtime } from "../runtime.js";
import { choleskyFactor } from "../dense.js";
import { Hierarchy, Level, PreconditionerKind, CycleKind, SmootherKind } from "../generated/layouts.js";
import { Preconditioner } from "../krylov/precond.js";
import {
  checkOptionNames,
  checkSolverOptions,
  DIVERGENCE_FACTOR,
  invalidOption,
  residualNormFrom,
  scaledSystem,
  solveResult,
  tolerance,
  type SolveResult,
  type SolverOptions,
  type StopReason,
} from "../solver.js";

/** How a cycle runs: the shape, the smoother and its sweeps. */
export interface CycleSettings {
  cycle: "V" | "W" | "F";
  pre: number;
  post: number;
  /** Red-black smoothing after the correction in the reverse colour order, so that the
   * cycle is a symmetric operator (the other smoothers are symmetric anyway). */
  symmetric: boolean;
  smoother: "rbgs" | "jacobi" | "l1jacobi" | "sgs" | "gs" | "chebyshev";
  /** Jacobi's weight. */
  omega: number;
}

/** One level as a builder hands it over. */
export interface LevelPlan {
  A: WasmOperator;
  /** Prolongation from the next coarser level and restriction to it (CSR); absent for
   * geometric transfers and on the coarsest level. */
  P?: CsrMatrix;
  R?: CsrMatrix;
  /** Grid shape (geometric and grid Galerkin levels). */
  grid?: readonly number[];
  /** Stored entries of A (of its CSR form for matrix-free levels). */
  nnz: number;
}

/** What a builder returns: the levels, the coarsest matrix (dense, row-major) and what the
 * hierarchy owns besides the fine A. */
export interface HierarchyPlan {
  kind: "geometric" | "galerkin" | "aggregation" | "classical";
  levels: LevelPlan[];
  coarseDense: Float64Array;
  /** Factors the coarsest matrix (dense Cholesky, or a builder's variant of it). */
  factor?: (dense: Float64Array, n: number) => Float64Array;
  owned: { dispose(): void }[];
  /** Most wasm memory the setup held at once beyond what was live before it (bytes). */
  setupPeakBytes?: number;
}

/** Wasm memory of a hierarchy: what it holds, and what its setup needed at its peak. */
export interface HierarchyMemory {
  /** Bytes the hierarchy holds: coarse operators, transfers, level vectors, the coarse factor
   * (not the fine A, nor a CSR copy of a grid operator's). */
  hierarchyBytes: number;
  /** Most bytes the last setup held at once (the hierarchy included, scratch and temporary
   * products too); undefined for geometric hierarchies. */
  setupPeakBytes?: number;
}

/** A level of a built hierarchy: its operator and transfers (owned by the hierarchy). */
export interface MultilevelLevel {
  readonly A: WasmOperator;
  readonly P?: CsrMatrix;
  readonly R?: CsrMatrix;
  readonly rows: number;
  readonly nnz: number;
  readonly grid?: readonly number[];
}

const CYCLE = { V: CycleKind.V, W: CycleKind.W, F: CycleKind.F } as const;
// l1-Jacobi is the Jacobi kernel with the rows' l1 norms for a diagonal and weight 1.
const SMOOTHER = {
  rbgs: SmootherKind.RBGS,
  jacobi: SmootherKind.JACOBI,
  l1jacobi: SmootherKind.JACOBI,
  sgs: SmootherKind.SGS,
  gs: SmootherKind.GS,
  chebyshev: SmootherKind.CHEBYSHEV,
} as const;

/**
 * The Chebyshev smoother's interval on a level, [0.3·λ, λ] with λ = 1.1·λmax(A) (Lanczos,
 * 15 steps, which approaches λmax from below: the margin keeps the top of the spectrum
 * inside, where the polynomial is small), as hypre's cheby_fraction 0.3; `scratch` is its
 * 2n block, also Lanczos's workspace here.
 */
function chebyshevInterval(A: WasmOperator, scratch: Allocation): { scratch: number; lo: number; hi: number } {
  if (!(A instanceof CsrMatrix)) throw new SolvewasmError("INVALID_OPTION", "the Chebyshev smoother needs matrix levels (amg)");
  const rt = A.rt,
    n = A.rows;
  const lmax = withScratch(rt, [8 * n, 40 * n, 16 * 15], "the Chebyshev smoother", ([ones, work, tri]) => {
    rt.f64(ones, n).fill(1);
    const p = A.pointers();
    return rt.call((ex) => ex.saSpectralRadius(n, p.indptr, p.indices, p.data, ones, 15, work, tri));
  });
  if (!(lmax > 0)) throw new SolvewasmError("INVALID_MATRIX", `the Chebyshev smoother needs an SPD level; Lanczos found λmax ≈ ${lmax}`);
  const hi = 1.1 * lmax;
  return { scratch: scratch.ptr("multigrid"), lo: 0.3 * hi, hi };
}

/** Bytes of a CSR matrix's block (12 per entry, 4 per row pointer); 0 for other operators. */
function csrBytes(A: WasmOperator | undefined): number {
  return A instanceof CsrMatrix ? 12 * A.nnz + 4 * (A.rows + 1) : 0;
}

/** A multigrid hierarchy for one operator; serves any number of right-hand sides. */
export class MultilevelSolver {
  /** How the levels were built: rediscretised stencils, Galerkin on grid blocks, smoothed
   * aggregation or classical AMG. */
  kind: HierarchyPlan["kind"];
  /** The levels, finest first (renewed by `update`). */
  levels: readonly MultilevelLevel[];
  /** Seconds the last setup (or `update`) took. */
  setupSeconds: number;
  /** Wasm memory of the hierarchy and of its last setup's peak. */
  memory: HierarchyMemory = { hierarchyBytes: 0 };
  readonly settings: Readonly<CycleSettings>;
  readonly #rt: Runtime;
  readonly #build: (A: WasmOperator) => HierarchyPlan;
  #A: WasmOperator;
  #plan: HierarchyPlan | undefined;
  #storage: Allocation[] = [];
  /** Hierarchy headers: [0] for solve, one more per preconditioner (its own symmetry). */
  #headers: { block: Allocation; symmetric: boolean }[] = [];
  #records = 0;
  #coarse = { factor: 0, size: 0 };

  /** @internal Use `multigrid(A, options)` or `amg(A, options)`. */
  constructor(rt: Runtime, A: WasmOperator, settings: CycleSettings, build: (A: WasmOperator) => HierarchyPlan) {
    const t0 = performance.now();
    this.#rt = rt;
    this.#A = A;
    this.settings = Object.freeze({ ...settings });
    this.#build = build;
    const plan = build(A);
    this.kind = plan.kind;
    this.levels = [];
    try {
      this.#headers.push({ block: new Allocation(rt, Hierarchy.BYTES), symmetric: settings.symmetric });
      this.#take(plan);
    } catch (e) {
      this.dispose();
      for (const o of plan.owned) o.dispose();
      throw e;
    }
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  /** Writes the level records and vectors of a plan and points every header at them. */
  #take(plan: HierarchyPlan): void {
    const rt = this.#rt;
    const L = plan.levels.length;
    const storage: Allocation[] = [];
    const f64 = (count: number) => {
      const block = new Allocation(rt, 8 * Math.max(1, count));
      storage.push(block);
      return block;
    };
    try {
      const factor = (plan.factor ?? ((a, n) => choleskyFactor(a, n, "the coarsest operator is not positive definite (is A SPD?)")))(
        plan.coarseDense,
        plan.levels[L - 1].A.rows,
      );
      const nc = plan.levels[L - 1].A.rows;
      const chol = f64(nc * nc);
      rt.f64(chol.ptr("multigrid"), nc * nc).set(factor);
      const records = new Allocation(rt, L * Level.BYTES);
      storage.push(records);
      const smoother = this.settings.smoother;
      const needsDiag = smoother !== "rbgs" && smoother !== "chebyshev" && !(smoother === "jacobi" && plan.kind === "geometric");
      plan.levels.forEach((lv, l) => {
        const n = lv.A.rows,
          last = l === L - 1;
        const diag = needsDiag ? f64(n) : undefined;
        if (diag && lv.A instanceof CsrMatrix) {
          const p = lv.A.pointers();
          if (this.settings.smoother === "l1jacobi") rt.call((ex) => ex.csrRowNorms1(n, p.indptr, p.data, diag.ptr("multigrid")));
          else rt.call((ex) => ex.csrDiagonal(n, p.indptr, p.indices, p.data, diag.ptr("multigrid")));
        } else if (diag) rt.f64(diag.ptr("multigrid"), n).set(lv.A.diagonal());
        const cheb = smoother === "chebyshev" && lv.P ? chebyshevInterval(lv.A, f64(2 * n)) : undefined;
        new Level(rt, records.ptr("multigrid") + l * Level.BYTES).assign({
          A: lv.A.descriptorPtr(),
          P: lv.P?.descriptorPtr() ?? 0,
          R: lv.R?.descriptorPtr() ?? 0,
          diag: diag?.ptr("multigrid") ?? 0,
          x: l > 0 ? f64(n).ptr("multigrid") : 0,
          b: l > 0 ? f64(n).ptr("multigrid") : 0,
          r: last ? 0 : f64(n).ptr("multigrid"),
          scratch: lv.P ? f64(n).ptr("multigrid") : 0,
          cheb: cheb?.scratch ?? 0,
          chebLo: cheb?.lo ?? 0,
          chebHi: cheb?.hi ?? 0,
        });
      });
      // The new levels are complete: retire the old ones and point every header here.
      this.#release();
      this.#plan = plan;
      this.#storage = storage;
      this.#records = records.ptr("multigrid");
      this.#coarse = { factor: chol.ptr("multigrid"), size: nc };
      this.kind = plan.kind;
      this.levels = Object.freeze(plan.levels.map((lv) => Object.freeze({ A: lv.A, P: lv.P, R: lv.R, rows: lv.A.rows, nnz: lv.nnz, grid: lv.grid })));
      for (const h of this.#headers) this.#writeHeader(h.block, h.symmetric);
      // The fine A (or the plan's CSR copy of a grid operator) is the caller's, not the hierarchy's.
      const held = plan.levels.reduce((s, lv, l) => s + (l > 0 ? csrBytes(lv.A) : 0) + csrBytes(lv.P) + csrBytes(lv.R), 0);
      const hierarchyBytes = held + storage.reduce((s, b) => s + b.bytes, 0);
      this.memory = Object.freeze({
        hierarchyBytes,
        setupPeakBytes: plan.setupPeakBytes === undefined ? undefined : Math.max(plan.setupPeakBytes, hierarchyBytes),
      });
    } catch (e) {
      for (const b of storage) b.free();
      throw e;
    }
  }

  #writeHeader(block: Allocation, symmetric: boolean): void {
    const s = this.settings;
    new Hierarchy(this.#rt, block.ptr("multigrid")).assign({
      levels: this.levels.length,
      cycle: CYCLE[s.cycle],
      pre: s.pre,
      post: s.post,
      symmetric: symmetric ? 1 : 0,
      smoother: SMOOTHER[s.smoother],
      records: this.#records,
      coarseFactor: this.#coarse.factor,
      coarseSize: this.#coarse.size,
      omega: s.smoother === "l1jacobi" ? 1 : s.omega,
    });
  }

  #release(): void {
    for (const b of this.#storage) b.free();
    this.#storage = [];
    for (const o of this.#plan?.owned ?? []) o.dispose();
    this.#plan = undefined;
  }

  /** True while the hierarchy, its A and every level it owns are usable. */
  get alive(): boolean {
    return (
      this.#headers.length > 0 &&
      this.#headers[0].block.alive &&
      this.#A.alive &&
      this.levels.every((l) => l.A.alive && (l.P?.alive ?? true) && (l.R?.alive ?? true))
    );
  }

  /** DISPOSED naming what is gone: the hierarchy itself, or the operator it was built for. */
  assertAlive(): void {
    this.#live();
  }

  /** The hierarchy's header, after checking that it and everything it points into live. */
  #live(withLevels = true): number {
    if (!this.#headers.length) throw new SolvewasmError("DISPOSED", "this multigrid hierarchy was disposed");
    const h = this.#headers[0].block.ptr("multigrid hierarchy");
    const parts: [string, WasmOperator][] = withLevels ? [[`its ${this.#A.constructor.name}`, this.#A]] : [];
    // update() replaces A and every level: it only needs the hierarchy's own storage.
    if (withLevels) {
      this.levels.forEach((l, i) => {
        parts.push([`the operator of its level ${i}`, l.A]);
        if (l.P) parts.push([`the P of its level ${i}`, l.P]);
        if (l.R) parts.push([`the R of its level ${i}`, l.R]);
      });
    }
    requireAlive("this multigrid hierarchy", parts);
    for (const b of this.#storage) b.ptr("multigrid hierarchy");
    return h;
  }

  /**
   * Cycles as a solver, on the shared solver contract (iterations are cycles; defaults
   * rtol 1e-5, maxiter 100).
   * @example
   * const ml = multigrid(gallery.poisson([255, 255]));
   * const { x, iterations } = ml.solve(b, { rtol: 1e-8 });
   */
  solve(b: Vector, options: SolverOptions = {}): SolveResult {
    const started = performance.now();
    this.#live();
    const rt = this.#rt,
      n = this.#A.rows;
    const o = checkSolverOptions("multigrid", options, n);
    const bIn = vectorArgument(rt, b, n, "b");
    // Cycles per call: callbackEvery while a callback watches, else up to 4096 (each call
    // records its cycles' norms in the history block).
    const chunk = Math.max(1, Math.min(o.callback ? o.callbackEvery : 4096, o.maxiter));
    rt.reserve([8 * n, 8 * n, 8 * n, 8 * chunk, 8], "this multigrid solve");
    const work = [new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, chunk), new F64Buffer(rt, 1)];
    try {
      const [pb, px, pr, hist, out] = work;
      bIn.writeTo(pb.ptr);
      if (o.x0) px.set(o.x0);
      else px.array.fill(0);
      // A tiny or huge b is solved as 2^exp·b (see scaledSystem): r0, rnorm, tolScaled and the
      // kernel's norms are of the scaled system, reported unscaled.
      const scaled = scaledSystem(rt, n, [pb.ptr], px.ptr, o.x0);
      const unscale = scaled.unscale;
      const bnorm = scaled.norm;
      // x0 = 0: the residual is b, no product needed.
      const r0 = o.x0 ? rt.call((ex) => (this.#A.applyPtr(ex, px.ptr, pr.ptr), residualNormFrom(ex, n, pb.ptr, pr.ptr))) : bnorm;
      const tolScaled = tolerance(o, bnorm, scaled.exp);
      const tol = unscale(tolScaled);
      const limit = DIVERGENCE_FACTOR * r0;
      const norms = [unscale(r0)];
      let cycles = 0,
        rnorm = r0;
      let reason: StopReason = "converged";
      if (o.callback?.({ iteration: 0, residualNorm: unscale(r0) }) === false || o.signal?.aborted) reason = "aborted";
      while (reason === "converged" && rnorm > tolScaled) {
        if (cycles >= o.maxiter) {
          reason = "maxiter";
          break;
        }
        const h = this.#live();
        const want = Math.min(chunk, o.maxiter - cycles);
        const done = rt.call((ex) => ex.mlSolve(h, pb.ptr, px.ptr, pr.ptr, tolScaled, limit, want, hist.ptr, out.ptr));
        const recorded = hist.array.slice(0, done);
        rnorm = out.array[0];
        for (let i = 0; i < done; i++) {
          norms.push(unscale(recorded[i]));
          if (o.callback?.({ iteration: cycles + i + 1, residualNorm: unscale(recorded[i]) }) === false) reason = "aborted";
        }
        cycles += done;
        if (!(rnorm <= limit)) reason = "diverged";
        else if (o.signal?.aborted) reason = "aborted";
      }
      // The cycles' norms are plain sums of squares, which underflow below ~1e-154: then
      // dnrm2 of the last residual (pr) decides.
      if (cycles > 0 && rnorm < 2 ** -480) rnorm = rt.call((ex) => ex.dnrm2(n, pr.ptr));
      // Scaled back first: the residual reported is the returned x's.
      scaled.restore(cycles);
      if (scaled.exp !== 0) {
        const A = this.#A;
        rnorm = rt.call((ex) => (A.applyPtr(ex, px.ptr, pr.ptr), residualNormFrom(ex, n, pb.ptr, pr.ptr)));
      }
      return solveResult({
        method: "multigrid",
        x: px.toArray(),
        iterations: cycles,
        residualNorm: rnorm,
        tol,
        reason,
        history: o.history ? norms : undefined,
        started,
      });
    } finally {
      for (const w of work) w.dispose();
    }
  }

  /** One cycle for A·x = b from x (default zeros); returns the new x. */
  cycle(b: Vector, x?: Vector): Float64Array {
    const h = this.#live();
    const rt = this.#rt,
      n = this.#A.rows;
    const bv = finiteVector(b, n, "b");
    const xv = x === undefined ? new Float64Array(n) : finiteVector(x, n, "x");
    const work = [new F64Buffer(rt, n), new F64Buffer(rt, n)];
    try {
      work[0].set(bv);
      work[1].set(xv);
      rt.call((ex) => ex.mlCycle(h, 0, work[0].ptr, work[1].ptr, CYCLE[this.settings.cycle]));
      return work[1].toArray();
    } finally {
      for (const w of work) w.dispose();
    }
  }

  /**
   * Full multigrid (geometric hierarchies): b restricted to every level, solved on the
   * coarsest, then interpolated up with one cycle per level. One pass gives an answer
   * accurate to about the discretisation error, for about the work of two cycles.
   */
  fmg(b: Vector): Float64Array {
    const h = this.#live();
    if (this.kind !== "geometric") {
      throw new SolvewasmError("INVALID_ARGUMENT", `fmg needs a geometric hierarchy (constant 5- or 7-point stencils); this one is ${this.kind}: use solve()`);
    }
    const rt = this.#rt,
      n = this.#A.rows,
      L = this.levels.length;
    const bv = finiteVector(b, n, "b");
    const top = [new F64Buffer(rt, n), new F64Buffer(rt, n)];
    try {
      top[0].set(bv);
      const [pb, px] = top;
      const rec = (l: number) => new Level(rt, this.#records + l * Level.BYTES);
      const bOf = (l: number) => (l === 0 ? pb.ptr : rec(l).b);
      const xOf = (l: number) => (l === 0 ? px.ptr : rec(l).x);
      const dims = (l: number) => [1, 1, ...this.levels[l].grid!].slice(-3).reverse();
      rt.call((ex) => {
        for (let l = 0; l + 1 < L; l++) {
          const [nx, ny, nz] = dims(l),
            [cx, cy, cz] = dims(l + 1);
          ex.restrictFull(nx, ny, nz, bOf(l), cx, cy, cz, bOf(l + 1));
        }
        ex.mlCycle(h, L - 1, bOf(L - 1), xOf(L - 1), CycleKind.V); // the coarse solve
        for (let l = L - 2; l >= 0; l--) {
          const [nx, ny, nz] = dims(l),
            [cx, cy, cz] = dims(l + 1);
          rt.f64(xOf(l), nx * ny * nz).fill(0);
          ex.prolongAdd(cx, cy, cz, xOf(l + 1), nx, ny, nz, xOf(l));
          ex.mlCycle(h, l, bOf(l), xOf(l), CYCLE[this.settings.cycle]);
        }
      });
      return px.toArray();
    } finally {
      for (const v of top) v.dispose();
    }
  }

  /**
   * Takes a new operator of the same kind and size (a time step, new coefficients): the
   * hierarchy is rebuilt the same way, and preconditioners made before use the new one.
   */
  update(A: WasmOperator): void {
    this.#live(false); // the operator it replaces may be gone already
    if (!(A instanceof WasmOperator) || A.rt !== this.#rt)
      throw new SolvewasmError("INVALID_ARGUMENT", `update needs a solvewasm operator of this instance, got ${describe(A)}`);
    if (A.rows !== this.#A.rows || A.cols !== this.#A.cols) {
      throw new SolvewasmError("INVALID_ARGUMENT", `update needs an operator of ${this.#A.rows} rows, got ${A.rows} × ${A.cols}`);
    }
    const t0 = performance.now();
    const plan = this.#build(A);
    try {
      this.#take(plan);
    } catch (e) {
      for (const o of plan.owned) o.dispose();
      throw e;
    }
    this.#A = A;
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  /** One cycle from zero as M⁻¹ for `cg` (symmetric cycle) or `fcd` (either). */
  asPreconditioner(options: { symmetric?: boolean } = {}): Preconditioner {
    this.#live();
    checkOptionNames(options, ["symmetric"], "asPreconditioner");
    const { symmetric = this.settings.symmetric && this.settings.cycle !== "F" } = options;
    if (typeof symmetric !== "boolean") invalidOption(`symmetric must be true or false, got ${describe(symmetric)}`);
    // An F-cycle (an F then a V on the coarse level) is not its own adjoint.
    if (symmetric && this.settings.cycle === "F")
      invalidOption('an F-cycle is not a symmetric operator: use cycle "V" or "W" for CG, or fcd with symmetric: false');
    const block = new Allocation(this.#rt, Hierarchy.BYTES);
    const header = { block, symmetric };
    this.#headers.push(header);
    this.#writeHeader(block, symmetric);
    // The header belongs to the hierarchy (update rewrites it) until the preconditioner is
    // disposed; the preconditioner checks that the hierarchy is alive on every use.
    const release = {
      dispose: () => {
        const i = this.#headers.indexOf(header);
        if (i >= 0) this.#headers.splice(i, 1);
        block.free();
      },
    };
    return new Preconditioner(
      this.#rt,
      "multigrid",
      this.#A.rows,
      { kind: PreconditionerKind.MULTILEVEL, ptr0: block.ptr("multigrid") },
      [release],
      [["its multigrid hierarchy", this]],
      { levels: this.levels.length },
      symmetric,
    );
  }

  /** Σ nnz(A_l) / nnz(A_0): the memory and work of a cycle relative to one product. */
  operatorComplexity(): number {
    this.#live();
    return this.levels.reduce((s, l) => s + l.nnz, 0) / this.levels[0].nnz;
  }

  /** Σ rows(A_l) / rows(A_0). */
  gridComplexity(): number {
    this.#live();
    return this.levels.reduce((s, l) => s + l.rows, 0) / this.levels[0].rows;
  }

  /**
   * The convergence factor ‖r_{k+1}‖/‖r_k‖ of standalone cycles on A·x = 1 from x = 0 (a
   * smooth right-hand side, which excites the slowest modes from the start): the geometric
   * mean over the last half of the cycles before the residual falls by 10⁻¹⁰.
   */
  convergenceFactor(maxCycles = 40): number {
    const r = this.solve(new Float64Array(this.#A.rows).fill(1), { rtol: 1e-10, maxiter: maxCycles, history: true });
    const hist = r.history!;
    const k = r.iterations,
      k0 = Math.floor(k / 2);
    return (hist[k] / hist[k0]) ** (1 / (k - k0));
  }

  /** Frees the levels and headers (not the A it was built for); preconditioners made from
   * it then refuse with DISPOSED. */
  dispose(): void {
    this.#release();
    for (const h of this.#headers) h.block.free();
    this.#headers = [];
    this.levels = [];
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}
