// Smoothed-aggregation AMG (Vaněk, Mandel, Brezina), with PyAMG's defaults: symmetric
// strength of connection (θ = 0), standard aggregation, a Jacobi-smoothed tentative
// prolongator (constant near-null space, ω = 4/3 / ρ(D⁻¹A)), Galerkin coarse operators
// R·A·P with R = Pᵀ, symmetric Gauss–Seidel smoothing, and a dense Cholesky solve once a
// level has at most `maxCoarse` rows. Setup runs in JavaScript, O(nnz) per level; the
// cycles run in wasm (assembly/multigrid/amg.ts).
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, F64Buffer, type Vector } from "../memory.js";
import { csrFromArrays, CsrMatrix } from "../operators/csr.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { Preconditioner } from "../krylov/precond.js";
import { tridiagonalExtremes } from "../krylov/lanczos.js";
import type { SolveResult } from "../krylov/driver.js";
import type { MultigridSolveOptions } from "./index.js";
import { diagonal, multiply, transpose, type Csr } from "./sparse.js";
import { choleskyFactor as denseCholesky } from "../dense.js";

const WHAT = "the coarsest AMG level is not positive definite (is A SPD?)";

export interface AmgOptions {
  /** Strength threshold θ: j is a strong neighbour of i when |a_ij| ≥ θ·√(|a_ii·a_jj|) (default 0). */
  theta?: number;
  /** Solve levels of at most this many rows directly (default 300). */
  maxCoarse?: number;
  /** Most levels (default 25). */
  maxLevels?: number;
  /** Prolongator smoothing weight before dividing by ρ(D⁻¹A) (default 4/3). */
  omega?: number;
  /** Symmetric Gauss–Seidel sweeps (forward, then backward) before and after the correction (default 1, 1). */
  pre?: number;
  post?: number;
}

const HEADER_BYTES = 32, LEVEL_BYTES = 32, PC_AMG = 7;

/** An AMG hierarchy: setup once, then `solve`, `asPreconditioner`. */
export class AmgHierarchy {
  /** Rows and stored entries of each level's operator, finest first (renewed by `update`). */
  levels: readonly { rows: number; nnz: number }[];
  /** Seconds the last setup (or `update`) took. */
  setupSeconds: number;
  readonly #rt: Runtime;
  readonly #n: number;
  readonly #options: AmgOptions;
  readonly #recipe: (() => (A: Csr, level: number) => Aggregates) | undefined;
  #owned: { dispose(): void }[] = [];
  #header = 0;
  #headerBlock: Allocation | undefined;

  /** @internal Use `amg(A, options)`; `coarsen` replaces strength-based aggregation (the
   * geometric hierarchies of `multigrid` pass grid blocks). */
  constructor(rt: Runtime, A: LinearOperator, options: AmgOptions = {}, recipe?: () => (A: Csr, level: number) => Aggregates) {
    const t0 = performance.now();
    this.#options = options;
    this.#recipe = recipe;
    const coarsen = recipe?.();
    const { theta = 0, maxCoarse = 300, maxLevels = 25, omega = 4 / 3, pre = 1, post = 1 } = options;
    if (typeof theta !== "number" || !(theta >= 0 && theta < 1)) throw new SolvewasmError("INVALID_OPTION", `theta must be in [0, 1), got ${describe(theta)}`);
    if (!Number.isInteger(maxCoarse) || maxCoarse < 1 || maxCoarse > 4096) throw new SolvewasmError("INVALID_OPTION", `maxCoarse must be an integer in [1, 4096], got ${describe(maxCoarse)}`);
    if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new SolvewasmError("INVALID_OPTION", `maxLevels must be a positive integer, got ${describe(maxLevels)}`);
    if (typeof omega !== "number" || !(omega > 0 && omega < 2)) throw new SolvewasmError("INVALID_OPTION", `omega must be in (0, 2), got ${describe(omega)}`);
    for (const [name, v] of [["pre", pre], ["post", post]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 10) throw new SolvewasmError("INVALID_OPTION", `${name} must be an integer in [0, 10], got ${describe(v)}`);
    }
    if (!(A instanceof WasmOperator)) throw new SolvewasmError("INVALID_ARGUMENT", `amg needs a solvewasm matrix or grid operator, got ${describe(A)}`);
    if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
    if (A.rows !== A.cols) throw new SolvewasmError("INVALID_MATRIX", `AMG needs a square matrix, got ${A.rows} × ${A.cols}`);
    this.#rt = rt;
    this.#n = A.rows;
    const fine: CsrMatrix = A instanceof CsrMatrix ? A : (A as unknown as { toCsr(): CsrMatrix }).toCsr();
    if (fine !== A) this.#owned.push(fine);
    try {
      const a0 = fine.toArrays();
      checkSpd(a0);
      const mats: Csr[] = [a0], Ps: Csr[] = [], Rs: Csr[] = [];
      while (mats.length < maxLevels && mats.at(-1)!.rows > maxCoarse) {
        const Al = mats.at(-1)!;
        const agg = coarsen ? coarsen(Al, mats.length - 1) : aggregate(Al, theta);
        if (agg.count >= Al.rows || agg.count === 0) break; // no coarsening possible
        // On the finest level the Lanczos products run in wasm on the matrix already there.
        const P = smoothedProlongator(Al, agg, omega, mats.length === 1 ? (x, y) => fine.matvec(x, y) : undefined);
        const R = transpose(P);
        Ps.push(P);
        Rs.push(R);
        mats.push(multiply(R, multiply(Al, P)));
      }
      this.levels = Object.freeze(mats.map((m) => Object.freeze({ rows: m.rows, nnz: m.indptr[m.rows] })));
      this.#build(fine, mats, Ps, Rs, pre, post);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  #build(fine: CsrMatrix, mats: Csr[], Ps: Csr[], Rs: Csr[], pre: number, post: number): void {
    const rt = this.#rt;
    const keep = <T extends { dispose(): void }>(x: T) => (this.#owned.push(x), x);
    const f64 = (n: number) => keep(new F64Buffer(rt, Math.max(1, n)));
    const L = mats.length;
    const ops = mats.map((m, l) => (l === 0 ? fine : keep(csrFromArrays(rt, m))));
    const records: number[][] = [];
    for (let l = 0; l < L; l++) {
      const n = mats[l].rows;
      const isLast = l === L - 1;
      const P = isLast ? undefined : keep(csrFromArrays(rt, Ps[l]));
      const R = isLast ? undefined : keep(csrFromArrays(rt, Rs[l]));
      const d = f64(n).set(diagonal(mats[l]));
      records.push([
        ops[l].descriptorPtr(), P?.descriptorPtr() ?? 0, R?.descriptorPtr() ?? 0, d.ptr,
        l > 0 ? f64(n).ptr : 0, l > 0 ? f64(n).ptr : 0, isLast ? 0 : f64(n).ptr, isLast ? 0 : f64(n).ptr,
      ]);
    }
    const last = mats[L - 1];
    const dense = new Float64Array(last.rows * last.rows);
    for (let i = 0; i < last.rows; i++) for (let k = last.indptr[i]; k < last.indptr[i + 1]; k++) dense[i * last.rows + last.indices[k]] = last.data[k];
    const chol = f64(last.rows * last.rows).set(choleskyFactor(dense, last.rows));
    const rec = new Allocation(rt, L * LEVEL_BYTES);
    const header = new Allocation(rt, HEADER_BYTES);
    this.#owned.push({ dispose: () => rec.free() });
    this.#headerBlock = header;
    const buf = rt.memory.buffer;
    records.forEach((r, l) => new Int32Array(buf, rec.ptr("AMG") + l * LEVEL_BYTES, 8).set(r));
    new Int32Array(buf, header.ptr("AMG"), 8).set([L, rec.ptr("AMG"), chol.ptr, last.rows, pre, post]);
    this.#header = header.ptr("AMG");
  }

  /** Σ nnz(A_l) / nnz(A_0): the memory and work of a cycle relative to one product. */
  operatorComplexity(): number {
    return this.levels.reduce((s, l) => s + l.nnz, 0) / this.levels[0].nnz;
  }

  #live(): number {
    if (!this.#header) throw new SolvewasmError("DISPOSED", "this AMG hierarchy was disposed");
    return this.#header;
  }

  /** V-cycles as a solver, with `cg`'s stopping test and result (iterations are cycles). */
  solve(b: Vector, options: MultigridSolveOptions = {}): SolveResult & { seconds: number } {
    const t0 = performance.now();
    const h = this.#live();
    const rt = this.#rt, n = this.#n;
    const { rtol = 1e-5, atol = 0, maxiter = 100, history = false } = options;
    if (typeof rtol !== "number" || !(rtol >= 0)) throw new SolvewasmError("INVALID_OPTION", `rtol must be ≥ 0, got ${describe(rtol)}`);
    if (!Number.isInteger(maxiter) || maxiter < 0) throw new SolvewasmError("INVALID_OPTION", `maxiter must be an integer ≥ 0, got ${describe(maxiter)}`);
    if (!(b instanceof Float64Array || b instanceof F64Buffer)) throw new SolvewasmError("INVALID_ARGUMENT", `b must be a Float64Array or an F64Buffer, got ${describe(b)}`);
    if (b.length !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `b has length ${b.length}, expected ${n}`);
    const work = [new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, n), new F64Buffer(rt, Math.max(1, maxiter)), new F64Buffer(rt, 1)];
    try {
      const [pb, px, pr, hist, out] = work;
      pb.set(b instanceof F64Buffer ? b.toArray() : b);
      if (!pb.array.every(Number.isFinite)) throw new SolvewasmError("NOT_FINITE", "b has a NaN or infinite entry");
      if (options.x0) px.set(options.x0 instanceof F64Buffer ? options.x0.toArray() : options.x0);
      else px.array.fill(0);
      const A = new Int32Array(rt.memory.buffer, new Int32Array(rt.memory.buffer, h, 2)[1], 1)[0];
      rt.call((ex) => ex.opApply(A, 0, n, px.ptr, pr.ptr));
      const r0 = Math.sqrt(rt.call((ex) => ex.residualFrom(n, pb.ptr, pr.ptr)));
      const tol = Math.max(rtol * rt.call((ex) => ex.dnrm2(n, pb.ptr)), atol);
      const cycles = r0 > tol && maxiter > 0 ? rt.call((ex) => ex.amgSolve(h, pb.ptr, px.ptr, pr.ptr, tol, maxiter, hist.ptr, out.ptr)) : 0;
      const residualNorm = cycles > 0 ? out.array[0] : r0;
      const converged = residualNorm <= tol;
      return {
        x: px.toArray(), iterations: cycles, residualNorm, converged, reason: converged ? "converged" : "maxiter",
        ...(history ? { history: Float64Array.of(r0, ...hist.array.subarray(0, cycles)) } : {}),
        method: "cg" as const, seconds: (performance.now() - t0) / 1000,
      };
    } finally {
      for (const w of work) w.dispose();
    }
  }

  /** The convergence factor of standalone cycles on A·x = 1 from x = 0 (as
   * Multigrid.convergenceFactor). */
  convergenceFactor(maxCycles = 40): number {
    const r = this.solve(new Float64Array(this.#n).fill(1), { rtol: 1e-10, maxiter: maxCycles, history: true });
    const hist = r.history!;
    const k = r.iterations, k0 = Math.floor(k / 2);
    return (hist[k] / hist[k0]) ** (1 / (k - k0));
  }

  /** One V-cycle from zero as M⁻¹ (symmetric, for `cg`). */
  asPreconditioner(): Preconditioner {
    const h = this.#live();
    return new Preconditioner(this.#rt, "amg", this.#n, ({ ints }) => ints.set([PC_AMG, this.#n, h]), [], { levels: this.levels.length });
  }

  /**
   * Takes new values of a matrix of the same size (a time step, new coefficients): the
   * hierarchy is rebuilt in place (with the same coarsening recipe) and preconditioners
   * made before use the new one.
   */
  update(A: LinearOperator): void {
    this.#live();
    if (!(A instanceof WasmOperator) || A.rows !== this.#n || A.cols !== this.#n) {
      throw new SolvewasmError("INVALID_ARGUMENT", `update needs a solvewasm operator of ${this.#n} rows, got ${describe(A)}`);
    }
    const next = new AmgHierarchy(this.#rt, A, this.#options, this.#recipe);
    // Keep our header block (preconditioners point at it); take the new levels.
    const words = new Int32Array(this.#rt.memory.buffer, next.#header, HEADER_BYTES / 4).slice();
    new Int32Array(this.#rt.memory.buffer, this.#header, HEADER_BYTES / 4).set(words);
    for (const o of this.#owned) o.dispose();
    this.#owned = next.#owned;
    next.#owned = [];
    next.#headerBlock?.free();
    this.levels = next.levels;
    this.setupSeconds = next.setupSeconds;
  }

  dispose(): void {
    for (const o of this.#owned) o.dispose();
    this.#owned = [];
    this.#headerBlock?.free();
    this.#headerBlock = undefined;
    this.#header = 0;
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}

/** INVALID_MATRIX unless A is symmetric (to 1e-12 of its largest entry) with a positive diagonal. */
function checkSpd(A: Csr): void {
  const d = diagonal(A);
  for (let i = 0; i < A.rows; i++) {
    if (!(d[i] > 0)) throw new SolvewasmError("INVALID_MATRIX", `AMG needs a positive diagonal; A[${i}][${i}] = ${d[i]}`);
  }
  const T = transpose(A);
  let max = 0;
  for (const v of A.data) max = Math.max(max, Math.abs(v));
  const tol = 1e-12 * max;
  for (let i = 0; i < A.rows; i++) {
    // Both rows are sorted: walk them together.
    let a = A.indptr[i], b = T.indptr[i];
    const ae = A.indptr[i + 1], be = T.indptr[i + 1];
    while (a < ae || b < be) {
      const ca = a < ae ? A.indices[a] : Infinity, cb = b < be ? T.indices[b] : Infinity;
      const va = ca <= cb ? A.data[a] : 0, vb = cb <= ca ? T.data[b] : 0;
      if (Math.abs(va - vb) > tol) {
        const j = Math.min(ca, cb);
        throw new SolvewasmError("INVALID_MATRIX", `AMG needs a symmetric matrix; A[${i}][${j}] = ${A.data[a] ?? 0} but A[${j}][${i}] differs`);
      }
      if (ca <= cb) a++;
      if (cb <= ca) b++;
    }
  }
}

/** Aggregates: the aggregate of every row (−1: none, the row gets no coarse correction). */
export interface Aggregates {
  of: Int32Array;
  count: number;
}

/** Standard aggregation (PyAMG's standard_aggregation) on the strength graph. */
function aggregate(A: Csr, theta: number): Aggregates {
  const n = A.rows, root = diagonal(A).map((v) => Math.sqrt(Math.abs(v)));
  const strong = (i: number, k: number) => {
    const j = A.indices[k];
    return j !== i && A.data[k] !== 0 && Math.abs(A.data[k]) >= theta * root[i] * root[j];
  };
  const of = new Int32Array(n).fill(-1);
  let count = 0;
  // Pass 1: a node whose strong neighbours are all free starts an aggregate with them.
  for (let i = 0; i < n; i++) {
    if (of[i] !== -1) continue;
    let free = true;
    for (let k = A.indptr[i]; k < A.indptr[i + 1] && free; k++) if (strong(i, k) && of[A.indices[k]] !== -1) free = false;
    if (!free) continue;
    of[i] = count;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) if (strong(i, k)) of[A.indices[k]] = count;
    count++;
  }
  // Pass 2: the rest join an aggregate of a strong neighbour (from pass 1).
  const firstPass = of.slice();
  for (let i = 0; i < n; i++) {
    if (of[i] !== -1) continue;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
      if (strong(i, k) && firstPass[A.indices[k]] !== -1) {
        of[i] = firstPass[A.indices[k]];
        break;
      }
    }
  }
  // Pass 3: what is left forms aggregates with its free strong neighbours.
  for (let i = 0; i < n; i++) {
    if (of[i] !== -1) continue;
    of[i] = count;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) if (strong(i, k) && of[A.indices[k]] === -1) of[A.indices[k]] = count;
    count++;
  }
  return { of, count };
}

/** P = (I − ω/ρ(D⁻¹A)·D⁻¹A)·T with T the normalised aggregate indicator (B = 1);
 * `product` (y = A·x) replaces the JavaScript CSR loop where given. */
function smoothedProlongator(
  A: Csr,
  agg: { of: Int32Array; count: number },
  omega: number,
  product?: (x: Float64Array, y: Float64Array) => void,
): Csr {
  const n = A.rows;
  const sizes = new Float64Array(agg.count);
  for (let i = 0; i < n; i++) if (agg.of[i] >= 0) sizes[agg.of[i]]++;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + (agg.of[i] >= 0 ? 1 : 0);
  const T: Csr = {
    rows: n, cols: agg.count, indptr,
    indices: Int32Array.from(agg.of.filter((a) => a >= 0)),
    data: Float64Array.from(agg.of.filter((a) => a >= 0), (a) => 1 / Math.sqrt(sizes[a])),
  };
  const d = diagonal(A);
  const w = omega / spectralRadiusDinvA(A, d, product);
  const AT = multiply(A, T);
  // T's pattern lies inside A·T's (the diagonal is nonzero), so P keeps A·T's pattern.
  const data = new Float64Array(AT.data.length);
  for (let i = 0; i < n; i++) {
    for (let k = AT.indptr[i]; k < AT.indptr[i + 1]; k++) {
      data[k] = (agg.of[i] >= 0 && AT.indices[k] === agg.of[i] ? 1 / Math.sqrt(sizes[agg.of[i]]) : 0) - (w / d[i]) * AT.data[k];
    }
  }
  return { ...AT, data };
}

/** ρ(D⁻¹A) = λmax(D^{-1/2}·A·D^{-1/2}) by 15 Lanczos steps (×1.05 for safety, as the Ritz
 * value approaches it from below). */
function spectralRadiusDinvA(A: Csr, d: Float64Array, product?: (x: Float64Array, y: Float64Array) => void): number {
  const n = A.rows;
  const s = new Float64Array(n), v = new Float64Array(n), w = new Float64Array(n), prev = new Float64Array(n), sv = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    s[i] = 1 / Math.sqrt(d[i]);
    v[i] = 1 + ((i * 7919) % 13) / 13;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) v[i] /= norm;
  let b = 0;
  const alpha: number[] = [], beta: number[] = [];
  for (let step = 0; step < Math.min(15, n); step++) {
    for (let i = 0; i < n; i++) sv[i] = v[i] * s[i];
    if (product) {
      product(sv, w);
    } else {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) acc += A.data[k] * sv[A.indices[k]];
        w[i] = acc;
      }
    }
    let a = 0;
    for (let i = 0; i < n; i++) {
      w[i] *= s[i];
      a += w[i] * v[i];
    }
    let bb = 0;
    for (let i = 0; i < n; i++) {
      w[i] -= a * v[i] + b * prev[i];
      bb += w[i] * w[i];
    }
    alpha.push(a);
    b = Math.sqrt(bb);
    if (!(b > 1e-12 * Math.abs(a))) break;
    beta.push(b);
    prev.set(v);
    for (let i = 0; i < n; i++) v[i] = w[i] / b;
  }
  return 1.05 * tridiagonalExtremes(alpha, beta.slice(0, alpha.length - 1)).max;
}

/** Cholesky of the coarsest matrix; a singular one (pure Neumann) is shifted by 10⁻¹⁰ of
 * its largest diagonal entry, which leaves the coarse correction of consistent right-hand
 * sides intact. */
function choleskyFactor(a: Float64Array, n: number): Float64Array {
  try {
    return denseCholesky(a, n, WHAT);
  } catch (e) {
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, a[i * n + i]);
    const shifted = a.slice();
    for (let i = 0; i < n; i++) shifted[i * n + i] += 1e-10 * max;
    try {
      return denseCholesky(shifted, n, WHAT);
    } catch {
      throw e;
    }
  }
}


/**
 * Geometric coarsening for grid operators: each 2 × 2 (× 2) block of cells is one
 * aggregate (odd sizes leave a thinner last block), level after level. Used by `multigrid`
 * for variable coefficients, masks, Neumann boundaries and stencils without a
 * rediscretisation: smoothed-aggregation prolongators on geometric aggregates, Galerkin
 * coarse operators.
 */
export function gridCoarsening(grid: readonly number[]): () => (A: Csr, level: number) => Aggregates {
  return () => blockAggregates(grid);
}

function blockAggregates(grid: readonly number[]): (A: Csr, level: number) => Aggregates {
  let dims = [...grid];
  return (A) => {
    if (dims.reduce((a, b) => a * b, 1) !== A.rows) throw new Error("grid coarsening out of step with the hierarchy");
    const coarse = dims.map((n) => Math.ceil(n / 2));
    const of = new Int32Array(A.rows);
    const strides = dims.map((_, a) => dims.slice(a + 1).reduce((x, y) => x * y, 1));
    const cstrides = coarse.map((_, a) => coarse.slice(a + 1).reduce((x, y) => x * y, 1));
    for (let p = 0; p < A.rows; p++) {
      let q = 0;
      for (let a = 0; a < dims.length; a++) q += (Math.floor(p / strides[a]) % dims[a] >> 1) * cstrides[a];
      of[p] = q;
    }
    dims = coarse;
    return { of, count: coarse.reduce((a, b) => a * b, 1) };
  };
}
