// The public surface of one solvewasm instance; the default export of every entry and
// `createSolvewasm` both build it from a Runtime.
import { makeBlas, type Blas } from "./blas.js";
import { makeOperators, type CsrMatrixFactory } from "./operators/index.js";
import { makeKrylov, type Krylov } from "./krylov/index.js";
import { makeRelax, type Relax } from "./relax/index.js";
import { makeMultigrid, type MultigridApi } from "./multigrid/index.js";
import { makeElementary, type Elementary } from "./elementary.js";
import { makeXvaApi } from "./xva/index.js";
import { makeLearned, makeLearnedPreconditioners, type Learned, type LearnedPreconditioners } from "./learned/index.js";
import type { Preconditioners } from "./krylov/precond.js";
import type { Xva } from "./xva/xva.js";
import type { Gallery } from "./operators/gallery.js";
import { F64Buffer } from "./memory.js";
import type { Build } from "./load.js";
import type { Exports, Runtime } from "./runtime.js";

/** One solvewasm instance: its own wasm memory, kernels and buffers. */
export interface Solvewasm extends Omit<Krylov, "precond">, Relax, MultigridApi {
  /** Preconditioners for the `M` option, the learned ones included. */
  readonly precond: Preconditioners & LearnedPreconditioners;
  /** "simd" or "scalar": which module is running. */
  readonly build: Build;
  /** BLAS level 1 on f64 vectors. */
  readonly blas: Blas;
  /** Sparse matrices in CSR format, in wasm memory. */
  readonly CsrMatrix: CsrMatrixFactory;
  /** Model problems: matrix-free grid operators. */
  readonly gallery: Gallery;
  /** Elementary functions over typed arrays (float32 and float64), ≤ 1 ULP. */
  readonly elementary: Elementary;
  /** @deprecated The same object as `xva` (BSDE stepping is part of the xVA capability). */
  readonly bsde: Xva;
  /** xVA: seeded paths with structural defaults, regression, the backward BSDE solver and
   * the four-layer pipeline (clean values, IM/ColVA, CVA/DVA/MVA, FVA). */
  readonly xva: Xva;
  /** Learned operators: the layer graph and its float32 SIMD kernels (forward, backward,
   * Adam), DCDM's learned preconditioner and MgNO. */
  readonly learned: Learned;
  /** Allocates n f64 in wasm memory (uninitialised), for zero-copy calls. */
  allocF64(n: number): F64Buffer;
  /** Bytes of wasm memory: reserved by live buffers, grown so far, and the ceiling. */
  memoryStats(): MemoryStats;
  /** Runs `fn` on the raw exports (pointer kernels, unchecked). A trap still only costs
   * a WASM_TRAP error and a fresh instance. */
  raw<T>(fn: (exports: Exports) => T): T;
}

export interface MemoryStats {
  /** Bytes held by live allocations (buffers and temporaries). */
  live: number;
  /** Current size of wasm memory; it grows on demand and never shrinks. */
  size: number;
  /** The ceiling: allocations past it throw OUT_OF_MEMORY. */
  limit: number;
}

export function makeApi(rt: Runtime): Solvewasm {
  const krylov = makeKrylov(rt);
  return {
    get build() {
      rt.exports; // throws NOT_INITIALIZED with the reason
      return rt.build!;
    },
    blas: makeBlas(rt),
    ...makeOperators(rt),
    ...krylov,
    precond: { ...krylov.precond, ...makeLearnedPreconditioners(rt) },
    ...makeRelax(rt),
    ...makeMultigrid(rt),
    elementary: makeElementary(rt),
    ...makeXvaApi(rt),
    learned: makeLearned(rt),
    allocF64: (n) => new F64Buffer(rt, n),
    memoryStats: () => ({ live: rt.liveBytes, size: rt.memory.buffer.byteLength, limit: rt.limit }),
    raw: (fn) => rt.call(fn),
  };
}
