// BLAS level 1 on f64 vectors. Each routine takes Float64Arrays (copied into wasm memory
// and, for outputs, back out) or F64Buffers (used in place, no copies); the `ptr` forms
// take byte offsets for callers who manage wasm memory themselves.
// NaN and ±Infinity inside vectors follow IEEE 754 as in reference BLAS: they propagate.
import { SolvewasmError } from "./errors.js";
import { F64Buffer, withVectors, type Vector } from "./memory.js";
import type { Runtime } from "./runtime.js";
import { checkInt, checkLength, checkNumber, describe } from "./validate.js";

const MAX_N = 2 ** 31 - 1;

export interface Blas {
  /** x·y. @example blas.ddot(new Float64Array([1, 2]), new Float64Array([3, 4])) // 11 */
  ddot(x: Vector, y: Vector): number;
  /** y ← a·x + y, in place; returns y. */
  daxpy<V extends Vector>(a: number, x: Vector, y: V): V;
  /** x ← a·x, in place; returns x. */
  dscal<V extends Vector>(a: number, x: V): V;
  /** y ← x; returns y. */
  dcopy<V extends Vector>(x: Vector, y: V): V;
  /** ‖x‖₂, scaled: no overflow for entries near 1e300, no underflow for entries near 1e-300. */
  dnrm2(x: Vector): number;
  /** The same routines on byte offsets into wasm memory (from `F64Buffer.ptr`): no copies,
   * bounds checked against the memory, nothing else. */
  readonly ptr: {
    ddot(n: number, px: number, py: number): number;
    daxpy(n: number, a: number, px: number, py: number): void;
    dscal(n: number, a: number, px: number): void;
    dcopy(n: number, px: number, py: number): void;
    dnrm2(n: number, px: number): number;
  };
}

/** The BLAS routines bound to one runtime. */
export function makeBlas(rt: Runtime): Blas {
  const ptrCheck = (n: number, ...ptrs: number[]): void => {
    checkInt(n, "n", 0, MAX_N);
    const size = rt.memory.buffer.byteLength;
    for (const p of ptrs) {
      checkInt(p, "pointer", 0, 2 ** 32 - 1);
      if (p + n * 8 > size) {
        throw new SolvewasmError("INVALID_ARGUMENT", `pointer ${p} + ${n} f64 runs past the end of wasm memory (${size} bytes)`);
      }
    }
  };
  return {
    ddot(x, y) {
      const n = lengthOf(x, "x");
      checkLength(lengthOf(y, "y"), n, "y");
      return withVectors(rt, [x, y], [false, false], (ex, [px, py]) => ex.ddot(n, px, py));
    },
    daxpy(a, x, y) {
      checkNumber(a, "a");
      const n = lengthOf(x, "x");
      checkLength(lengthOf(y, "y"), n, "y");
      withVectors(rt, [x, y], [false, true], (ex, [px, py]) => ex.daxpy(n, a, px, py));
      return y;
    },
    dscal(a, x) {
      checkNumber(a, "a");
      const n = lengthOf(x, "x");
      withVectors(rt, [x], [true], (ex, [px]) => ex.dscal(n, a, px));
      return x;
    },
    dcopy(x, y) {
      const n = lengthOf(x, "x");
      checkLength(lengthOf(y, "y"), n, "y");
      withVectors(rt, [x, y], [false, true], (ex, [px, py]) => ex.dcopy(n, px, py));
      return y;
    },
    dnrm2(x) {
      const n = lengthOf(x, "x");
      return withVectors(rt, [x], [false], (ex, [px]) => ex.dnrm2(n, px));
    },
    ptr: {
      ddot: (n, px, py) => (ptrCheck(n, px, py), rt.call((ex) => ex.ddot(n, px, py))),
      daxpy: (n, a, px, py) => (checkNumber(a, "a"), ptrCheck(n, px, py), rt.call((ex) => ex.daxpy(n, a, px, py))),
      dscal: (n, a, px) => (checkNumber(a, "a"), ptrCheck(n, px), rt.call((ex) => ex.dscal(n, a, px))),
      dcopy: (n, px, py) => (ptrCheck(n, px, py), rt.call((ex) => ex.dcopy(n, px, py))),
      dnrm2: (n, px) => (ptrCheck(n, px), rt.call((ex) => ex.dnrm2(n, px))),
    },
  };
}

function lengthOf(v: unknown, name: string): number {
  if (v instanceof Float64Array || v instanceof F64Buffer) return v.length;
  throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a Float64Array or an F64Buffer, got ${describe(v)}`);
}
