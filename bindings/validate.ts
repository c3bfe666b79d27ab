import { SolvewasmError, type ErrorCode } from "./errors.js";

/** Throws INVALID_ARGUMENT unless `v` is a Float64Array. */
export function checkF64(v: unknown, name: string): asserts v is Float64Array {
  if (!(v instanceof Float64Array)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a Float64Array, got ${describe(v)}`);
  }
}

/** Throws INVALID_ARGUMENT unless `v` is a finite number. */
export function checkNumber(v: unknown, name: string): asserts v is number {
  if (typeof v !== "number") {
    throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a number, got ${describe(v)}`);
  }
  if (!Number.isFinite(v)) throw new SolvewasmError("NOT_FINITE", `${name} must be finite, got ${v}`);
}

/** Throws INVALID_ARGUMENT unless `v` is an integer in [min, max]. */
export function checkInt(v: unknown, name: string, min: number, max: number): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
  }
}

/** Throws DIMENSION_MISMATCH unless `actual === expected`. */
export function checkLength(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new SolvewasmError("DIMENSION_MISMATCH", `${what} has length ${actual}, expected ${expected}`);
  }
}

/** The prototypes of the standard numeric typed arrays. */
const PLAIN_TYPED = new Set<object>(
  [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray].map((C) => C.prototype),
);

/**
 * The numbers of an array read exactly once, so what is checked is what is used: a Proxy
 * or getter cannot hand the check one value and the kernel another. A plain typed array is
 * used as it is (reading it runs no code of the caller's) unless it views `memory`, which
 * the allocation that stores it could detach; a subclass or a typed array with its own
 * `length` is copied (slice reads the internal length); anything else is copied in one
 * pass into a Float64Array. Entries must be numbers, and finite unless `finite` is false;
 * `length` fixes the length; `code` is the error for a wrong shape or type
 * (INVALID_ARGUMENT by default; INVALID_MATRIX for CSR arrays).
 */
export function readNumbers(
  v: unknown,
  name: string,
  options: { length?: number; finite?: boolean; code?: ErrorCode; memory?: WebAssembly.Memory } = {},
): ArrayLike<number> {
  const { length, finite = true, code = "INVALID_ARGUMENT", memory } = options;
  if (!isArrayLike(v)) throw new SolvewasmError(code, `${name} must be an array, got ${describe(v)}`);
  let values: ArrayLike<number>;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) throw new SolvewasmError(code, `${name} must hold numbers, got ${describe(v)}`);
    const plain = PLAIN_TYPED.has(Object.getPrototypeOf(v)) && !Object.hasOwn(v, "length");
    values = plain && (memory === undefined || v.buffer !== memory.buffer) ? (v as unknown as ArrayLike<number>) : (v as unknown as Float64Array).slice();
  } else {
    const n = v.length;
    if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31) throw new SolvewasmError(code, `${name} has an invalid length ${describe(n)}`);
    const copy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = (v as ArrayLike<unknown>)[i];
      if (typeof x !== "number") throw new SolvewasmError(code, `${name}[${i}] is ${describe(x)}, not a number`);
      copy[i] = x;
    }
    values = copy;
  }
  if (length !== undefined && values.length !== length) {
    throw new SolvewasmError("DIMENSION_MISMATCH", `${name} has length ${values.length}, expected ${length}`);
  }
  if (finite) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new SolvewasmError("NOT_FINITE", `${name}[${i}] is ${values[i]}`);
    }
  }
  return values;
}

/** `value` if it is one of `choices`, else INVALID_OPTION listing them. A list, not an
 * object's keys, so a prototype name ("toString", "constructor") is never a choice. */
export function oneOf<T extends string>(value: unknown, choices: readonly T[], name: string): T {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  const list = choices.map((c) => `"${c}"`);
  const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : list[0];
  throw new SolvewasmError("INVALID_OPTION", `${name} must be ${text}, got ${describe(value)}`);
}

/** DIMENSION_MISMATCH unless the operator is square: every smoother, preconditioner and
 * solver indexes x by A's rows, so a non-square A would read or write past x. */
export function checkSquare(A: { rows: number; cols: number }, what: string): void {
  if (A.rows !== A.cols) throw new SolvewasmError("DIMENSION_MISMATCH", `${what} needs a square operator, got ${A.rows} × ${A.cols}`);
}

/** True for arrays and typed arrays (not DataViews). */
export function isArrayLike(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === "object") return v.constructor?.name ?? "object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  return `${typeof v} ${String(v)}`;
}
