import { SolvewasmError } from "./errors.js";

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

/** True for arrays and typed arrays (not DataViews). */
export function isArrayLike(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === "object") return v.constructor?.name ?? "object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  return `${typeof v} ${String(v)}`;
}
