// The operator contract every solver accepts, and the base of the operators that live in
// wasm memory (CSR matrices, stencils).
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, productVectors, withVectors, type Vector } from "../memory.js";
import type { Exports, Runtime } from "../runtime.js";
import { checkF64, checkInt, checkLength, describe } from "../validate.js";
import { OperatorDescriptor, type OperatorKind } from "../generated/layouts.js";

/**
 * A linear map from `cols`-vectors to `rows`-vectors. Solvers take any object of this
 * shape: solvewasm's own operators run their products inside wasm; a user's object
 * (wrapped by `asLinearOperator`) is called from JavaScript.
 */
export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** Returns A·x, written into `out` when given. */
  matvec(x: Float64Array, out?: Float64Array): Float64Array;
}

/**
 * Checks a user's operator and wraps it so that every product is checked too: `x` of
 * length `cols` goes in, a Float64Array of length `rows` must come out.
 * @example
 * const A = asLinearOperator({ rows: 3, cols: 3, matvec: (x) => x.map((v) => 2 * v) });
 * A.matvec(new Float64Array([1, 2, 3])); // Float64Array [2, 4, 6]
 */
export function asLinearOperator(op: {
  rows: number;
  cols: number;
  matvec(x: Float64Array, out?: Float64Array): Float64Array | ArrayLike<number>;
}): LinearOperator {
  if (op instanceof WasmOperator) return op;
  if (typeof op !== "object" || op === null || typeof op.matvec !== "function") {
    throw new SolvewasmError("INVALID_ARGUMENT", `a linear operator needs rows, cols and a matvec function, got ${describe(op)}`);
  }
  checkInt(op.rows, "rows", 1, 2 ** 31 - 1);
  checkInt(op.cols, "cols", 1, 2 ** 31 - 1);
  const { rows, cols } = op;
  return {
    rows,
    cols,
    matvec(x, out) {
      checkF64(x, "x");
      checkLength(x.length, cols, "x");
      if (out !== undefined) {
        checkF64(out, "out");
        checkLength(out.length, rows, "out");
      }
      const y = op.matvec(x, out);
      if (!y || typeof (y as ArrayLike<number>).length !== "number") {
        throw new SolvewasmError("INVALID_ARGUMENT", `the operator's matvec returned ${describe(y)}, not an array`);
      }
      checkLength(y.length, rows, "the operator's matvec result");
      if (out && y !== out) out.set(y);
      return out ?? (y instanceof Float64Array ? y : Float64Array.from(y));
    },
  };
}

/** What an operator tells the wasm side (OperatorDescriptor in scripts/layouts.mjs). */
export interface Descriptor {
  kind: OperatorKind;
  /** Grid sizes, x fastest (1 where absent; 0 for CSR). */
  nx?: number;
  ny?: number;
  nz?: number;
  /** Lines (grid rows or matrix rows) and points per line. */
  lines: number;
  perLine: number;
  pointers: number[];
  nterms?: number;
  coefficients?: number[];
}

/** @internal Operators whose product runs in wasm, through a descriptor that solvers
 * running inside wasm can use as well. */
export abstract class WasmOperator implements LinearOperator {
  readonly rows: number;
  readonly cols: number;
  #descriptor: Allocation | undefined;
  #lines = 0;

  constructor(
    readonly rt: Runtime,
    rows: number,
    cols: number,
  ) {
    this.rows = rows;
    this.cols = cols;
  }

  /** [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** @internal Writes the wasm descriptor; called once the operator's data is in place. */
  protected describe(d: Descriptor): void {
    const block = new Allocation(this.rt, OperatorDescriptor.BYTES);
    const [ptr0, ptr1, ptr2, ptr3] = d.pointers;
    const [coef0, coef1, coef2, coef3, coef4, coef5, coef6] = d.coefficients ?? [];
    new OperatorDescriptor(this.rt, block.ptr("operator")).assign({
      kind: d.kind,
      nx: d.nx,
      ny: d.ny,
      nz: d.nz,
      lines: d.lines,
      perLine: d.perLine,
      ptr0,
      ptr1,
      ptr2,
      ptr3,
      nterms: d.nterms,
      coef0,
      coef1,
      coef2,
      coef3,
      coef4,
      coef5,
      coef6,
    });
    this.#descriptor = block;
    this.#lines = d.lines;
  }

  /** @internal Byte offset of the descriptor; DISPOSED once the operator is. */
  descriptorPtr(): number {
    if (!this.#descriptor) throw new SolvewasmError("DISPOSED", `this ${this.constructor.name} was disposed`);
    return this.#descriptor.ptr(this.constructor.name);
  }

  /** @internal y ← A·x on byte offsets; x and y do not overlap. */
  applyPtr(ex: Exports, px: number, py: number): void {
    ex.opApply(this.descriptorPtr(), 0, this.#lines, px, py);
  }

  /** @internal Most stored entries a converted copy from `asCsr` can have (0: no copy is
   * made), so a solve can reserve it with its workspace before converting. */
  csrEntriesBound(): number {
    return 0;
  }

  /** @internal The operator as CSR: itself, or a converted copy the caller must dispose. */
  asCsr(): { csr: import("./csr.js").CsrMatrix; owned: boolean } {
    throw new SolvewasmError("INVALID_ARGUMENT", `${this.constructor.name} has no CSR form`);
  }

  /** The main diagonal (length min(rows, cols)). */
  abstract diagonal(): Float64Array;

  /** @internal Frees the subclass's own blocks. */
  protected abstract disposeData(): void;

  /** True until `dispose()` (or until its instance is replaced after a trap). */
  get alive(): boolean {
    return this.#descriptor?.alive ?? false;
  }

  /** Frees the operator's wasm memory; safe to call twice. */
  dispose(): void {
    this.#descriptor?.free();
    this.#descriptor = undefined;
    this.disposeData();
  }

  [disposeSymbol](): void {
    this.dispose();
  }

  /**
   * y = A·x. `x` and `out` may be Float64Arrays (copied) or F64Buffers (used in place);
   * without `out` a new Float64Array is returned. Non-finite entries of x propagate.
   */
  matvec(x: Vector): Float64Array;
  matvec<V extends Vector>(x: Vector, out: V): V;
  matvec(x: Vector, out?: Vector): Vector {
    const y = productVectors(x, out, this.cols, this.rows);
    withVectors(this.rt, [x, y], [false, true], (ex, [px, py]) => this.applyPtr(ex, px, py));
    return y;
  }
}
