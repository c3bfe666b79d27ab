// Handles to f64 buffers inside wasm memory: the zero-copy way to feed kernels.
/// <reference lib="esnext.disposable" preserve="true" />
import { SolvewasmError } from "./errors.js";
import type { Exports, Runtime } from "./runtime.js";
import { checkInt, checkLength, describe } from "./validate.js";

// Node 20, Deno, Chromium and workerd define Symbol.dispose; older engines get a stand-in.
export const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose);

interface Held {
  rt: Runtime;
  ptr: number;
  bytes: number;
  generation: number;
}

// A safety net only: an allocation collected without free() gives its block back.
const registry = new FinalizationRegistry<Held>((h) => h.rt.free(h.ptr, h.bytes, h.generation));

/** @internal One block of wasm memory owned by a JavaScript object. */
export class Allocation {
  readonly bytes: number;
  #held: Held | undefined;

  constructor(rt: Runtime, bytes: number) {
    const ptr = rt.alloc(bytes);
    this.bytes = bytes;
    this.#held = { rt, ptr, bytes, generation: rt.generation };
    registry.register(this, this.#held, this);
  }

  #live(what: string): Held {
    const h = this.#held;
    if (!h) throw new SolvewasmError("DISPOSED", `this ${what} was disposed`);
    if (h.generation !== h.rt.generation) {
      throw new SolvewasmError("DISPOSED", `this ${what} belonged to an instance that trapped and was replaced`);
    }
    return h;
  }

  /** Byte offset in wasm memory; throws DISPOSED (naming `what`) once freed or void. */
  ptr(what: string): number {
    return this.#live(what).ptr;
  }

  runtime(what: string): Runtime {
    return this.#live(what).rt;
  }

  get alive(): boolean {
    return this.#held !== undefined && this.#held.generation === this.#held.rt.generation;
  }

  /** Frees the block; safe to call twice. */
  free(): void {
    const h = this.#held;
    if (!h) return;
    this.#held = undefined;
    registry.unregister(this);
    h.rt.free(h.ptr, h.bytes, h.generation);
  }
}

/**
 * A Float64Array's worth of wasm memory, owned by JavaScript. Pass it wherever a
 * Float64Array is accepted: kernels (blas, matvec, elementary) read and write it in place
 * with no copy; solvers copy b once inside wasm into their workspace (they must not see it
 * change) and return x as a new Float64Array. Free it with `dispose()` (or `using`).
 * @example
 * using x = allocF64(1000);
 * x.array.fill(1);
 * blas.dnrm2(x); // ≈ 31.62, read in place
 */
export class F64Buffer {
  /** Number of f64 elements. */
  readonly length: number;
  readonly #block: Allocation;

  /** @internal Use `allocF64(n)`. */
  constructor(rt: Runtime, length: number) {
    checkInt(length, "length", 0, Math.floor(2 ** 30 / 8));
    this.length = length;
    this.#block = new Allocation(rt, length * 8);
  }

  /** Byte offset in wasm memory, for the pointer-level kernels. */
  get ptr(): number {
    return this.#block.ptr("F64Buffer");
  }

  /** @internal The runtime this buffer lives in. */
  get runtime(): Runtime {
    return this.#block.runtime("F64Buffer");
  }

  /** A live view of the buffer. Take a new one after any call that may allocate: growing
   * wasm memory detaches old views. */
  get array(): Float64Array {
    return this.runtime.f64(this.ptr, this.length);
  }

  /** Copies `src` into the buffer and returns the buffer. */
  set(src: ArrayLike<number>): this {
    checkLength(src.length, this.length, "the source");
    this.array.set(src);
    return this;
  }

  /** A copy of the contents as an ordinary Float64Array. */
  toArray(): Float64Array {
    return this.array.slice();
  }

  /** True until `dispose()` is called or the instance is replaced after a trap. */
  get alive(): boolean {
    return this.#block.alive;
  }

  /** Frees the memory; safe to call twice. */
  dispose(): void {
    this.#block.free();
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}

/** A vector argument: an ordinary Float64Array (copied in) or an F64Buffer (used in place). */
export type Vector = Float64Array | F64Buffer;

/**
 * The vectors of a product y = op·x: `x` a Vector of length `cols`, `out` (when given) a
 * Vector of length `rows` other than x; returns the output (a new Float64Array without
 * `out`). A Float32Array, Array or Uint8Array `out` is refused: it would never be written.
 */
export function productVectors(x: unknown, out: unknown, cols: number, rows: number, inName = "x"): Vector {
  if (!(x instanceof Float64Array || x instanceof F64Buffer)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${inName} must be a Float64Array or an F64Buffer, got ${describe(x)}`);
  }
  checkLength(x.length, cols, inName);
  if (out === undefined) return new Float64Array(rows);
  if (!(out instanceof Float64Array || out instanceof F64Buffer)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `out must be a Float64Array or an F64Buffer, got ${describe(out)}`);
  }
  checkLength(out.length, rows, "out");
  if (out === x) throw new SolvewasmError("INVALID_ARGUMENT", `out must not be the same buffer as ${inName}`);
  return out;
}

/**
 * Runs `fn` with each vector placed in wasm memory: F64Buffers as they are, Float64Arrays
 * copied into temporary blocks (copied back where `out` says so, and always freed).
 */
export function withVectors<T>(rt: Runtime, vectors: Vector[], out: boolean[], fn: (ex: Exports, ptrs: number[]) => T): T {
  // Views of wasm memory (F64Buffer.array) are copied by their offsets, all taken before the
  // first allocation: an allocation may grow memory, which detaches every view.
  const lengths: number[] = [],
    offsets: (number | undefined)[] = [],
    copies: number[] = [];
  for (const v of vectors) {
    lengths.push(v.length);
    offsets.push(v instanceof Float64Array ? wasmOffset(rt, v) : undefined);
    if (!(v instanceof F64Buffer)) copies.push(8 * v.length);
  }
  rt.reserve(copies); // every temporary block at once
  const ptrs: number[] = [];
  const temps: { ptr: number; bytes: number; generation: number }[] = [];
  try {
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i],
        n = lengths[i],
        at = offsets[i];
      if (v instanceof F64Buffer) {
        if (v.runtime !== rt) {
          throw new SolvewasmError("INVALID_ARGUMENT", "an F64Buffer from another solvewasm instance was passed in");
        }
        ptrs.push(v.ptr);
      } else {
        const ptr = rt.alloc(8 * n);
        temps.push({ ptr, bytes: 8 * n, generation: rt.generation });
        rt.f64(ptr, n).set(at === undefined ? v : rt.f64(at, n));
        ptrs.push(ptr);
      }
    }
    const result = rt.call((ex) => fn(ex, ptrs));
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i],
        at = offsets[i];
      if (out[i] && v instanceof Float64Array) (at === undefined ? v : rt.f64(at, lengths[i])).set(rt.f64(ptrs[i], lengths[i]));
    }
    return result;
  } finally {
    for (const t of temps) rt.free(t.ptr, t.bytes, t.generation);
  }
}

/**
 * A vector argument as a Float64Array that stays valid (see below): checks its type
 * (INVALID_ARGUMENT), length (DIMENSION_MISMATCH) and finiteness (NOT_FINITE, naming the
 * first bad entry).
 */
export function finiteVector(v: unknown, n: number, name: string, rt?: Runtime): Float64Array {
  // A copy (given rt: only of a view of its wasm memory, F64Buffer.array, or of an
  // F64Buffer): the next allocation can detach a view.
  const a = checkedVector(v, n, name);
  return rt && v instanceof Float64Array && wasmOffset(rt, v) === undefined ? a : a.slice();
}

/**
 * NOT_FINITE unless the n f64 at `ptr` in wasm memory are all finite: one dnrm2 (SIMD,
 * finite exactly when every entry is), the first bad entry found only then. For vectors
 * already copied in, where a JavaScript scan would be the slower pass.
 */
export function requireFiniteInWasm(rt: Runtime, ptr: number, n: number, name: string): void {
  if (Number.isFinite(rt.call((ex) => ex.dnrm2(n, ptr)))) return;
  const a = rt.f64(ptr, n);
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) throw new SolvewasmError("NOT_FINITE", `${name}[${i}] is ${a[i]}`);
}

/** The checks of `finiteVector`, returning the data without a copy (an F64Buffer's live
 * view: valid until the next allocation). */
function checkedVector(v: unknown, n: number, name: string): Float64Array {
  if (!(v instanceof Float64Array || v instanceof F64Buffer)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a Float64Array or an F64Buffer, got ${describe(v)}`);
  }
  if (v.length !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `${name} has length ${v.length}, expected ${n}`);
  const a = v instanceof F64Buffer ? v.array : v;
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) throw new SolvewasmError("NOT_FINITE", `${name}[${i}] is ${a[i]}`);
  return a;
}

/**
 * Checks a vector argument as `finiteVector` does, without copying it, and returns how to
 * write it into wasm memory: an F64Buffer by one copy inside wasm (its contents are read in
 * place), a Float64Array by one copy in. Solvers take b this way.
 */
export function vectorArgument(rt: Runtime, v: unknown, n: number, name: string): { writeTo(ptr: number): void } {
  const data = checkedVector(v, n, name);
  const buffer = v instanceof F64Buffer ? v : undefined;
  if (buffer && buffer.runtime !== rt) throw new SolvewasmError("INVALID_ARGUMENT", `${name} is an F64Buffer from another solvewasm instance`);
  const at = buffer ? buffer.ptr : wasmOffset(rt, data);
  return {
    writeTo: (ptr) => {
      if (at !== undefined) rt.call((ex) => ex.dcopy(n, buffer ? buffer.ptr : at, ptr));
      else rt.f64(ptr, n).set(data);
    },
  };
}

/** The byte offset of a Float64Array that views this instance's wasm memory (taken from
 * F64Buffer.array, say): allocations may grow memory and detach the view, but the offset
 * keeps its contents. Undefined for an ordinary array. */
function wasmOffset(rt: Runtime, v: Float64Array): number | undefined {
  return v.buffer === rt.memory.buffer ? v.byteOffset : undefined;
}

/** What a handle needs to be usable: its own memory, and that of the handles it points into. */
export interface Liveness {
  readonly alive: boolean;
  /** Throws DISPOSED naming what exactly is gone (handles that depend on others). */
  assertAlive?(): void;
}

/**
 * DISPOSED unless every dependency is alive, naming the first one that is not: a handle
 * whose matrix or storage was freed must refuse to run (never read freed memory).
 */
export function requireAlive(user: string, dependencies: readonly (readonly [name: string, handle: Liveness])[]): void {
  for (const [name, handle] of dependencies) {
    // A handle that depends on others names what is gone itself.
    if (handle.assertAlive) handle.assertAlive();
    else if (!handle.alive) {
      throw new SolvewasmError("DISPOSED", `${user} uses ${name}, which was disposed (or belonged to an instance that trapped and was replaced)`);
    }
  }
}

/**
 * Runs `fn` with scratch blocks of these byte sizes in wasm memory (reserved together first,
 * so a refusal allocates nothing) and frees them afterwards, whatever happens.
 */
export function withScratch<T>(rt: Runtime, sizes: readonly number[], what: string, fn: (ptrs: number[]) => T): T {
  rt.reserve(sizes, what);
  const blocks: Allocation[] = [];
  try {
    for (const bytes of sizes) blocks.push(new Allocation(rt, Math.max(8, bytes)));
    return fn(blocks.map((b) => b.ptr(what)));
  } finally {
    for (const b of blocks) b.free();
  }
}
