// One solvewasm instance and the memory it owns: creation from a cached Module, the
// memory ceiling, allocation accounting, and recovery from traps.
import { SolvewasmError } from "./errors.js";
import { checkModule, type Build } from "./load.js";
import type { instantiate } from "./generated/solvewasm.js";

/** The module's exports, typed by the compiler's generated raw bindings. */
export type Exports = Awaited<ReturnType<typeof instantiate>>;

/** Options for an instance. */
export interface RuntimeOptions {
  /** Most bytes of wasm memory this instance may use (default and upper bound: the
   * module's maximum, 2 GiB). Allocations that would pass it throw OUT_OF_MEMORY. */
  memoryLimit?: number;
}

/** The module's `maximumMemory` (asconfig.json): 32768 pages of 64 KiB. */
export const MODULE_MAX_BYTES = 32768 * 65536;
/** TLSF's largest block (BLOCK_MAXSIZE in std/assembly/rt/common.ts), less its header. */
export const MAX_ALLOCATION_BYTES = 2 ** 30 - 16;
// Room for static data, the allocator's root table and page rounding when memory grows.
const HEAP_SLACK = 2 * 65536;

/** Bytes the allocator takes for a request of `bytes`: a 4-byte header, 16-byte aligned. */
export function blockCost(bytes: number): number {
  return Math.max(16, (bytes + 4 + 15) & ~15);
}

/**
 * Owns one WebAssembly.Instance at a time. A trap (out-of-bounds access, a bug) leaves an
 * instance's memory in an unknown state, so `call` replaces the instance and bumps
 * `generation`: handles from an older generation refuse to be used.
 *
 * Instances are created with the synchronous `new WebAssembly.Instance` rather than the
 * generated `instantiate` (which is async) so that the call right after a trap works.
 */
export class Runtime {
  module: WebAssembly.Module | undefined;
  build: Build | undefined;
  generation = 0;
  /** Bytes held by live allocations, as the allocator counts them. */
  liveBytes = 0;
  /** The most `liveBytes` has been since it was last set (AMG setup reports its peak). */
  peakBytes = 0;
  limit = MODULE_MAX_BYTES;
  /** Why the last load failed, reported by every call until a load succeeds. */
  loadError: unknown;
  #ex: Exports | undefined;
  #base = 0;

  /** Takes a compiled module and instantiates it; the previous instance (if any) is dropped. */
  load(module: WebAssembly.Module, options: RuntimeOptions = {}): void {
    checkModule(module);
    const limit = options.memoryLimit ?? MODULE_MAX_BYTES;
    if (!Number.isFinite(limit) || limit < 4 * 65536 || limit > MODULE_MAX_BYTES) {
      throw new SolvewasmError("INVALID_ARGUMENT", `memoryLimit must be between ${4 * 65536} and ${MODULE_MAX_BYTES} bytes, got ${limit}`);
    }
    this.module = module;
    this.limit = limit;
    this.loadError = undefined;
    this.#instantiate();
  }

  #instantiate(): void {
    const instance = new WebAssembly.Instance(this.module!, {});
    this.#ex = instance.exports as unknown as Exports;
    this.build = this.#ex.hasSimd() ? "simd" : "scalar";
    this.#base = this.#ex.heapBase() >>> 0;
    this.generation++;
    this.liveBytes = 0;
  }

  /** The current exports; throws NOT_INITIALIZED before a module is loaded. */
  get exports(): Exports {
    if (this.#ex) return this.#ex;
    if (this.loadError) {
      const why = (this.loadError as Error).message ?? String(this.loadError);
      throw new SolvewasmError("NOT_INITIALIZED", `solvewasm failed to load: ${why}`, { cause: this.loadError });
    }
    throw new SolvewasmError("NOT_INITIALIZED", "solvewasm is not loaded yet: await init() first");
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /**
   * Runs `fn` against the exports. A WebAssembly trap replaces the instance and becomes a
   * WASM_TRAP error; the next call runs on a fresh instance.
   */
  call<T>(fn: (ex: Exports) => T): T {
    const ex = this.exports;
    try {
      return fn(ex);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.#instantiate();
      throw new SolvewasmError(
        "WASM_TRAP",
        `the WebAssembly module trapped (${e.message}); a fresh instance replaced it, and buffers allocated before are void`,
        { cause: e },
      );
    }
  }

  /** Allocates `bytes` in wasm memory, or throws OUT_OF_MEMORY without touching wasm. */
  alloc(bytes: number): number {
    const cost = blockCost(bytes);
    if (!this.#fits(cost, bytes)) this.reserve([bytes]); // throws, with the message
    const ex = this.exports;
    const ptr = this.call(() => ex.alloc(bytes) >>> 0);
    this.liveBytes += cost;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    return ptr;
  }

  /**
   * OUT_OF_MEMORY unless blocks of all these sizes fit under the ceiling together. A solve
   * reserves its whole workspace before allocating any of it: wasm memory never shrinks,
   * so a request refused halfway would leave it grown for the life of the instance.
   */
  reserve(sizes: readonly number[], what?: string): void {
    let largest = 0,
      total = 0;
    for (const bytes of sizes) {
      largest = Math.max(largest, bytes);
      total += blockCost(bytes);
    }
    if (this.#fits(total, largest)) return;
    const asked = sizes.reduce((a, b) => a + b, 0);
    throw new SolvewasmError(
      "OUT_OF_MEMORY",
      `${what ? `${what} needs` : "allocating"} ${formatBytes(asked)}, which would pass the memory ceiling of ${formatBytes(this.limit)} ` +
        `(${formatBytes(this.liveBytes)} in use${largest > MAX_ALLOCATION_BYTES ? `; one buffer holds at most ${formatBytes(MAX_ALLOCATION_BYTES)}` : ""}); ` +
        (this.#base + HEAP_SLACK + total > MODULE_MAX_BYTES
          ? "nothing was allocated: that is more than one instance can address (wasm32, 2 GiB), so split the problem"
          : "nothing was allocated: dispose() buffers you no longer need or raise memoryLimit"),
    );
  }

  /** True when blocks costing `total` bytes, the largest asking `largest`, fit under the ceiling. */
  #fits(total: number, largest: number): boolean {
    return largest <= MAX_ALLOCATION_BYTES && this.#base + HEAP_SLACK + this.liveBytes + total <= this.limit;
  }

  /** Frees a block from `alloc` made in `generation`; blocks of replaced instances are gone already. */
  free(ptr: number, bytes: number, generation: number): void {
    if (generation !== this.generation) return;
    this.exports.free(ptr);
    this.liveBytes -= blockCost(bytes);
  }

  /** A Float64Array over `n` f64 at byte offset `ptr`; valid until the next call that may allocate. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, n);
  }

  /** A Float32Array over `n` f32 at byte offset `ptr`; valid until the next call that may allocate. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}
