// Algebraic multigrid setup, in wasm: smoothed aggregation (Vaněk, Mandel, Brezina; PyAMG's
// smoothed_aggregation_solver and its defaults) and classical AMG (Ruge–Stüben / HMIS
// coarsening with extended+i interpolation: hypre BoomerAMG's defaults, classical.ts). Each
// level's prolongator P comes from one of them; R = Pᵀ and the Galerkin product R·(A·P) are
// CsrMatrix's transpose and product; the coarsest level (at most `maxCoarse` rows) is
// factored densely. This file orchestrates: every O(nnz) step is a wasm kernel
// (assembly/multigrid/aggregation.ts and classical.ts, assembly/operators/sparse.ts). Grid
// operators without a rediscretisation use the aggregation path on 2 × 2 (× 2) blocks of cells.
import { SolvewasmError } from "../errors.js";
import { Allocation, withScratch } from "../memory.js";
import { CsrMatrix } from "../operators/csr.js";
import type { WasmOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { checkOptionNames, invalidOption } from "../solver.js";
import { checkSquare, describe } from "../validate.js";
import { choleskyFactor as denseCholesky } from "../dense.js";
import { classicalProlongator, type ClassicalSettings } from "./classical.js";
import type { HierarchyPlan } from "./multilevel.js";

const WHAT = "the coarsest AMG level is not positive definite (is A SPD?)";
// Lanczos steps for ρ(D⁻¹A): PyAMG's approximate_spectral_radius takes 15 Arnoldi steps.
const LANCZOS_STEPS = 15;
// Largest coarsest level factored densely (maxCoarse's bound too): 128 MiB of f64.
const MAX_DENSE = 4096;

/** How the levels are coarsened. */
export interface AmgSettings {
  kind: "aggregation" | "classical";
  /** Strength threshold θ (symmetric strength for aggregation, classical for classical). */
  theta: number;
  /** Solve levels of at most this many rows directly. */
  maxCoarse: number;
  /** Most levels, the finest included. */
  maxLevels: number;
  /** Aggregation: prolongator smoothing weight before dividing by ρ(D⁻¹A). */
  prolongatorWeight: number;
  /** Aggregation: the near-null-space candidates, k vectors of n (column-major), and k. */
  B?: Float64Array;
  candidates: number;
  /** Aggregation: symmetric Gauss–Seidel sweeps on A·b = 0 improving B on the finest level. */
  improveCandidates: number;
  /** Aggregation: unknowns per node on the finest level (coarser levels have one per candidate). */
  blockSize: number;
  /** Classical: coarsening, interpolation and truncation. */
  classical: Omit<ClassicalSettings, "theta">;
}

/** One level being built: its matrix, prolongator and restriction. */
interface Built {
  A: CsrMatrix;
  P?: CsrMatrix;
  R?: CsrMatrix;
}

/**
 * The plan of an AMG hierarchy of A; with `grid`, 2 × 2 (× 2) blocks of cells are the
 * aggregates (Galerkin multigrid on a grid operator). A is converted to CSR once (the copy
 * is owned by the plan). `rt.peakBytes` is left at the setup's peak.
 */
export function amgPlan(rt: Runtime, A: WasmOperator, settings: AmgSettings, grid?: readonly number[]): HierarchyPlan & { setupPeakBytes: number } {
  checkSquare(A, "amg");
  const before = rt.liveBytes;
  rt.peakBytes = before;
  const { csr: fine, owned: fineOwned } = A.asCsr();
  const owned: { dispose(): void }[] = fineOwned ? [fine] : [];
  const built: Built[] = [{ A: fine }];
  let B: Allocation | undefined;
  try {
    checkSpd(fine);
    const n0 = fine.rows;
    const k = settings.kind === "aggregation" ? settings.candidates : 0;
    if (k > 0) {
      B = new Allocation(rt, 8 * n0 * k);
      if (settings.B) rt.f64(B.ptr("amg"), n0 * k).set(settings.B);
      else rt.f64(B.ptr("amg"), n0).fill(1);
    }
    // With a grid, level l's cells are 2 × 2 (× 2) blocks of level l − 1's.
    const grids: number[][] = grid ? [[...grid]] : [];
    // As PyAMG: a level is coarsened while it has more than maxCoarse nodes (blockSize
    // unknowns each on the finest level, one per candidate below it).
    const nodes = (l: number) => built[l].A.rows / (l === 0 ? settings.blockSize : Math.max(1, k));
    while (built.length < settings.maxLevels && nodes(built.length - 1) > settings.maxCoarse) {
      const level = built.at(-1)!;
      const Al = level.A;
      let P: CsrMatrix | undefined;
      if (settings.kind === "classical") {
        P = classicalProlongator(Al, { ...settings.classical, theta: settings.theta });
      } else {
        const finest = built.length === 1;
        const next = aggregationProlongator(
          Al,
          B!,
          k,
          finest ? settings.blockSize : k,
          finest ? settings.improveCandidates : 0,
          settings,
          grid ? grids.at(-1)! : undefined,
        );
        if (next) {
          P = next.P;
          B!.free();
          B = next.Bc;
        }
      }
      // No coarsening possible (no coarse points, or as many as fine ones): stop here.
      if (!P || P.cols === 0 || P.cols >= Al.rows) {
        P?.dispose();
        break;
      }
      owned.push(P);
      if (grid) grids.push(grids.at(-1)!.map((m) => Math.ceil(m / 2)));
      const R = P.transpose();
      owned.push(R);
      const AP = Al.multiply(P);
      let Ac: CsrMatrix;
      try {
        Ac = R.multiply(AP);
      } finally {
        AP.dispose();
      }
      owned.push(Ac);
      level.P = P;
      level.R = R;
      built.push({ A: Ac });
    }
    B?.free();
    B = undefined;
    const last = built.at(-1)!.A;
    if (last.rows > MAX_DENSE) {
      throw new SolvewasmError(
        "INVALID_OPTION",
        `the coarsest AMG level has ${last.rows} rows, more than the ${MAX_DENSE} a dense factorisation takes: raise maxLevels (${settings.maxLevels})${settings.kind === "classical" ? " or theta" : ""}`,
      );
    }
    const dense = last.toDense();
    const levels = built.map((lv, l) => ({ A: lv.A as WasmOperator, P: lv.P, R: lv.R, nnz: lv.A.nnz, grid: grids[l] }));
    return {
      kind: grid ? "galerkin" : settings.kind === "classical" ? "classical" : "aggregation",
      levels,
      coarseDense: dense,
      factor: choleskyFactor,
      owned,
      setupPeakBytes: rt.peakBytes - before,
    };
  } catch (e) {
    B?.free();
    for (const o of owned) o.dispose();
    throw e;
  }
}

/** INVALID_MATRIX unless A has a positive diagonal and is symmetric (to 1e-12 of its largest
 * entry); both checks in wasm. */
function checkSpd(A: CsrMatrix): void {
  const rt = A.rt,
    n = A.rows;
  const bad = withScratch(rt, [8 * n], "amg", ([d]) => {
    const p = A.pointers();
    const row = rt.call((ex) => ex.csrDiagonal(n, p.indptr, p.indices, p.data, d));
    return row < 0 ? undefined : { row, value: rt.f64(d, n)[row] };
  });
  if (bad) throw new SolvewasmError("INVALID_MATRIX", `AMG needs a positive diagonal; A[${bad.row}][${bad.row}] = ${bad.value}`);
  const T = A.transpose();
  try {
    const x = A.pointers(),
      t = T.pointers();
    const max = rt.call((ex) => ex.damax(A.nnz, x.data));
    const found = withScratch(rt, [4], "amg", ([col]) => {
      const i = rt.call((ex) => ex.csrAsymmetry(n, x.indptr, x.indices, x.data, t.indptr, t.indices, t.data, 1e-12 * max, col));
      return i < 0 ? undefined : { i, j: new Int32Array(rt.memory.buffer, col, 1)[0] };
    });
    if (found) {
      throw new SolvewasmError("INVALID_MATRIX", `AMG needs a symmetric matrix; A[${found.i}][${found.j}] differs from A[${found.j}][${found.i}]`);
    }
  } finally {
    T.dispose();
  }
}

/** `sweeps` symmetric Gauss–Seidel sweeps on A·b = 0 from each candidate b (PyAMG's
 * improve_candidates default: 4 symmetric block Gauss–Seidel sweeps on the finest level);
 * `d` holds A's diagonal. */
function improveCandidates(A: CsrMatrix, B: Allocation, k: number, sweeps: number, d: number): void {
  const rt = A.rt,
    n = A.rows;
  withScratch(rt, [8 * n], "amg candidates", ([zero]) => {
    const p = A.pointers(),
      b = B.ptr("amg");
    rt.f64(zero, n).fill(0);
    rt.call((ex) => {
      for (let c = 0; c < k; c++) {
        for (let s = 0; s < sweeps; s++) {
          ex.sorSweepCsr(n, p.indptr, p.indices, p.data, d, 1, zero, b + 8 * c * n, true);
          ex.sorSweepCsr(n, p.indptr, p.indices, p.data, d, 1, zero, b + 8 * c * n, false);
        }
      }
    });
  });
}

/**
 * The smoothed prolongator P = (I − ω/ρ(D⁻¹A)·D⁻¹A)·T of one level and its coarse
 * candidates Bc, or undefined when the level does not coarsen; `improve` Gauss–Seidel
 * sweeps improve B first. T comes from strength-based aggregates (of the nodes when there
 * are bs > 1 unknowns per node), or from grid blocks when `dims` is given.
 */
function aggregationProlongator(
  A: CsrMatrix,
  B: Allocation,
  k: number,
  bs: number,
  improve: number,
  s: AmgSettings,
  dims?: readonly number[],
): { P: CsrMatrix; Bc: Allocation } | undefined {
  const rt = A.rt,
    n = A.rows;
  return withScratch(
    rt,
    [8 * n, 4 * n, 4 * (n + 1), 4 * (n + 1), 4 * n, 8 * 5 * n, 16 * LANCZOS_STEPS],
    "amg setup",
    ([d, of, tp, start, members, work, tri]) => {
      const a = A.pointers();
      rt.call((ex) => ex.csrDiagonal(n, a.indptr, a.indices, a.data, d));
      if (improve > 0) improveCandidates(A, B, k, improve, d);
      const count = aggregateInto(A, bs, s.theta, dims, d, of);
      if (count === 0 || count >= n) return undefined;
      const nnzT = rt.call((ex) => ex.saTentativePattern(n, k, of, tp));
      const T = new CsrMatrix(rt, n, count * k, nnzT);
      let Bc: Allocation | undefined;
      try {
        Bc = new Allocation(rt, 8 * count * k * k);
        const t = T.pointers();
        new Int32Array(rt.memory.buffer, t.indptr, n + 1).set(new Int32Array(rt.memory.buffer, tp, n + 1));
        const rho = rt.call((ex) => {
          ex.saTentative(n, k, of, count, B.ptr("amg"), t.indptr, t.indices, t.data, Bc!.ptr("amg"), start, members);
          return ex.saSpectralRadius(n, a.indptr, a.indices, a.data, d, LANCZOS_STEPS, work, tri);
        });
        const P = A.multiply(T);
        const p = P.pointers(),
          t2 = T.pointers();
        const missing = rt.call((ex) => ex.saSmoothed(n, p.indptr, p.indices, p.data, d, s.prolongatorWeight / rho, t2.indptr, t2.indices, t2.data));
        if (missing > 0) {
          P.dispose();
          throw new SolvewasmError("INVALID_MATRIX", `AMG needs every diagonal entry of A stored (${missing} are missing on a coarse level)`);
        }
        return { P, Bc };
      } catch (e) {
        Bc?.free();
        throw e;
      } finally {
        T.dispose();
      }
    },
  );
}

/** Aggregates of A's rows at `of` (n i32; −1: none): of its nodes when bs > 1, of grid
 * blocks when `dims` is given; `d` holds A's diagonal. Returns the count. */
function aggregateInto(A: CsrMatrix, bs: number, theta: number, dims: readonly number[] | undefined, d: number, of: number): number {
  const rt = A.rt,
    a = A.pointers();
  if (dims) {
    const [nz, ny, nx] = [1, 1, ...dims].slice(-3);
    return rt.call((ex) => ex.gridAggregates(nx, ny, nz, of));
  }
  return bs === 1 ? rt.call((ex) => ex.saAggregate(A.rows, a.indptr, a.indices, a.data, d, theta, of)) : nodeAggregates(A, bs, theta, of);
}

/** The aggregates `amg` forms on A (PyAMG's standard_aggregation of its symmetric strength
 * matrix): each row's aggregate (−1: an isolated row, in none) and their count. */
export function aggregates(A: CsrMatrix, options: { theta?: number; blockSize?: number } = {}): { of: Int32Array; count: number } {
  if (!(A instanceof CsrMatrix)) throw new SolvewasmError("INVALID_ARGUMENT", `aggregates takes a CsrMatrix, got ${describe(A)}`);
  checkSquare(A, "aggregates");
  checkOptionNames(options, ["theta", "blockSize"], "aggregates");
  const { theta = 0, blockSize = 1 } = options;
  if (typeof theta !== "number" || !(theta >= 0 && theta < 1)) invalidOption(`theta must be in [0, 1), got ${describe(theta)}`);
  if (!Number.isInteger(blockSize) || blockSize < 1 || A.rows % blockSize !== 0)
    invalidOption(`blockSize must be a positive integer dividing the ${A.rows} rows, got ${describe(blockSize)}`);
  const rt = A.rt,
    n = A.rows;
  return withScratch(rt, [8 * n, 4 * n], "aggregates", ([d, of]) => {
    const a = A.pointers();
    rt.call((ex) => ex.csrDiagonal(n, a.indptr, a.indices, a.data, d));
    const count = aggregateInto(A, blockSize, theta, undefined, d, of);
    return { of: new Int32Array(rt.memory.buffer, of, n).slice(), count };
  });
}

/** Aggregates of the nodes of A (bs unknowns each; strength from the Frobenius norms of its
 * bs × bs blocks, as PyAMG on a BSR matrix), spread to every unknown at `of`; the count. */
function nodeAggregates(A: CsrMatrix, bs: number, theta: number, of: number): number {
  const rt = A.rt,
    n = A.rows,
    nodes = n / bs;
  return withScratch(rt, [4 * (nodes + 1), 4 * nodes, 8 * nodes, 8 * nodes], "amg node matrix", ([np, mark, acc, nd]) => {
    const a = A.pointers();
    const nnz = rt.call((ex) => ex.nodeMatrixCount(n, bs, a.indptr, a.indices, np, mark));
    return withScratch(rt, [4 * nnz, 8 * nnz], "amg node matrix", ([nj, nx]) => {
      const a2 = A.pointers();
      return rt.call((ex) => {
        ex.nodeMatrix(n, bs, a2.indptr, a2.indices, a2.data, np, nj, nx, mark, acc);
        ex.csrDiagonal(nodes, np, nj, nx, nd);
        const count = ex.saAggregate(nodes, np, nj, nx, nd, theta, of);
        ex.spreadAggregates(n, bs, of, of);
        return count;
      });
    });
  });
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
