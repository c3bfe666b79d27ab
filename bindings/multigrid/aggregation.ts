// Smoothed-aggregation AMG levels (Vaněk, Mandel, Brezina), with PyAMG's defaults:
// symmetric strength of connection (θ = 0), standard aggregation, a Jacobi-smoothed
// tentative prolongator (constant near-null space, ω = 4/3 / ρ(D⁻¹A)), Galerkin coarse
// operators R·A·P with R = Pᵀ, and the coarsest level (at most `maxCoarse` rows) as a dense
// matrix. Grid operators without a rediscretisation use the same construction on 2 × 2
// (× 2) blocks of cells instead of strength-based aggregates. Setup runs in JavaScript,
// O(nnz) per level; the cycles run in wasm (multilevel.ts).
import { SolvewasmError } from "../errors.js";
import { csrFromArrays } from "../operators/csr.js";
import type { WasmOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { lanczosExtremes } from "../krylov/lanczos.js";
import { checkSquare } from "../validate.js";
import { csrMatvec, diagonal, multiply, transpose, type Csr } from "./sparse-js.js";
import { choleskyFactor as denseCholesky } from "../dense.js";
import type { HierarchyPlan } from "./multilevel.js";

const WHAT = "the coarsest AMG level is not positive definite (is A SPD?)";

/** How the levels are coarsened. */
export interface AggregationSettings {
  /** Strength threshold θ: j is a strong neighbour of i when |a_ij| ≥ θ·√(|a_ii·a_jj|). */
  theta: number;
  /** Solve levels of at most this many rows directly. */
  maxCoarse: number;
  /** Most levels, the finest included. */
  maxLevels: number;
  /** Prolongator smoothing weight before dividing by ρ(D⁻¹A). */
  prolongatorWeight: number;
}

/**
 * The plan of an aggregation hierarchy of A: strength-based aggregates, or `coarsen`'s
 * (grid blocks) when given. A is converted to CSR once (the copy is owned by the plan).
 */
export function aggregationPlan(rt: Runtime, A: WasmOperator, settings: AggregationSettings, grid?: readonly number[]): HierarchyPlan {
  checkSquare(A, "amg");
  const { theta, maxCoarse, maxLevels, prolongatorWeight } = settings;
  const { csr: fine, owned: fineOwned } = A.asCsr();
  const owned: { dispose(): void }[] = fineOwned ? [fine] : [];
  try {
    const a0 = fine.toArrays();
    checkSpd(a0);
    const mats: Csr[] = [a0],
      Ps: Csr[] = [],
      Rs: Csr[] = [];
    // With a grid, level l's cells are 2 × 2 (× 2) blocks of level l − 1's.
    const grids: number[][] = grid ? [[...grid]] : [];
    while (mats.length < maxLevels && mats.at(-1)!.rows > maxCoarse) {
      const Al = mats.at(-1)!;
      const agg = grid ? blockAggregates(grids.at(-1)!) : aggregate(Al, theta);
      if (agg.count >= Al.rows || agg.count === 0) break; // no coarsening possible
      if (grid) grids.push(grids.at(-1)!.map((n) => Math.ceil(n / 2)));
      // On the finest level the Lanczos products run in wasm on the matrix already there.
      const P = smoothedProlongator(Al, agg, prolongatorWeight, mats.length === 1 ? (x: Float64Array, y: Float64Array) => void fine.matvec(x, y) : undefined);
      const R = transpose(P);
      Ps.push(P);
      Rs.push(R);
      mats.push(multiply(R, multiply(Al, P)));
    }
    const keep = <T extends { dispose(): void }>(x: T) => (owned.push(x), x);
    const levels = mats.map((m, l) => {
      const isLast = l === mats.length - 1;
      return {
        A: l === 0 ? fine : keep(csrFromArrays(rt, m)),
        P: isLast ? undefined : keep(csrFromArrays(rt, Ps[l])),
        R: isLast ? undefined : keep(csrFromArrays(rt, Rs[l])),
        nnz: m.indptr[m.rows],
        grid: grids[l],
      };
    });
    const last = mats.at(-1)!;
    const dense = new Float64Array(last.rows * last.rows);
    for (let i = 0; i < last.rows; i++) for (let k = last.indptr[i]; k < last.indptr[i + 1]; k++) dense[i * last.rows + last.indices[k]] = last.data[k];
    return { kind: grid ? "galerkin" : "aggregation", levels, coarseDense: dense, factor: choleskyFactor, owned };
  } catch (e) {
    for (const o of owned) o.dispose();
    throw e;
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
    let a = A.indptr[i],
      b = T.indptr[i];
    const ae = A.indptr[i + 1],
      be = T.indptr[i + 1];
    while (a < ae || b < be) {
      const ca = a < ae ? A.indices[a] : Infinity,
        cb = b < be ? T.indices[b] : Infinity;
      const va = ca <= cb ? A.data[a] : 0,
        vb = cb <= ca ? T.data[b] : 0;
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
  const n = A.rows,
    root = diagonal(A).map((v) => Math.sqrt(Math.abs(v)));
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
function smoothedProlongator(A: Csr, agg: { of: Int32Array; count: number }, omega: number, product?: (x: Float64Array, y: Float64Array) => void): Csr {
  const n = A.rows;
  const sizes = new Float64Array(agg.count);
  for (let i = 0; i < n; i++) if (agg.of[i] >= 0) sizes[agg.of[i]]++;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + (agg.of[i] >= 0 ? 1 : 0);
  const T: Csr = {
    rows: n,
    cols: agg.count,
    indptr,
    indices: Int32Array.from(agg.of.filter((a) => a >= 0)),
    data: Float64Array.from(
      agg.of.filter((a) => a >= 0),
      (a) => 1 / Math.sqrt(sizes[a]),
    ),
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
 * value approaches it from below), from a positive start vector (smooth: strong on the
 * modes the prolongator smoothing must not amplify); `product` (y = A·x) replaces the
 * JavaScript CSR loop where given. */
function spectralRadiusDinvA(A: Csr, d: Float64Array, product?: (x: Float64Array, y: Float64Array) => void): number {
  const n = A.rows;
  const s = new Float64Array(n);
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = 1 / Math.sqrt(d[i]);
    start[i] = 1 + ((i * 7919) % 13) / 13;
  }
  const sv = new Float64Array(n);
  const scaled = (v: Float64Array, w: Float64Array) => {
    for (let i = 0; i < n; i++) sv[i] = v[i] * s[i];
    if (product) product(sv, w);
    else csrMatvec(A, sv, w);
    for (let i = 0; i < n; i++) w[i] *= s[i];
  };
  return 1.05 * lanczosExtremes(scaled, n, 15, start).max;
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
 * Geometric coarsening for grid operators: each 2 × 2 (× 2) block of cells of a grid of
 * shape `dims` is one aggregate (odd sizes leave a thinner last block). Used by `multigrid`
 * for variable coefficients, masks, Neumann boundaries and stencils without a
 * rediscretisation: smoothed-aggregation prolongators on geometric aggregates, Galerkin
 * coarse operators.
 */
function blockAggregates(dims: readonly number[]): Aggregates {
  const rows = dims.reduce((a, b) => a * b, 1);
  const coarse = dims.map((n) => Math.ceil(n / 2));
  const of = new Int32Array(rows);
  const strides = dims.map((_, a) => dims.slice(a + 1).reduce((x, y) => x * y, 1));
  const cstrides = coarse.map((_, a) => coarse.slice(a + 1).reduce((x, y) => x * y, 1));
  for (let p = 0; p < rows; p++) {
    let q = 0;
    for (let a = 0; a < dims.length; a++) q += ((Math.floor(p / strides[a]) % dims[a]) >> 1) * cstrides[a];
    of[p] = q;
  }
  return { of, count: coarse.reduce((a, b) => a * b, 1) };
}
