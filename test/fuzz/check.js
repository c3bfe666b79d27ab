// The one checker every fuzz property goes through (issue #13): a call either returns a
// result its property accepts or throws a SolvewasmError with a documented code; it ends
// within TIME_LIMIT_MS; a canary buffer and a canary CsrMatrix made before it are intact
// (bitwise) and usable after it; memoryStats().live is back at its baseline once the
// property has disposed what the call returned.
import { allocF64, CsrMatrix, memoryStats, SolvewasmError } from "solvewasm";

/** The codes of bindings/errors.ts. WASM_TRAP is documented but voids every live handle,
 * so a public call that traps fails the canary check as well as `forbid`. */
export const DOCUMENTED_CODES = /** @type {const} */ ([
  "DIMENSION_MISMATCH",
  "INVALID_ARGUMENT",
  "INVALID_OPTION",
  "NOT_FINITE",
  "OUT_OF_MEMORY",
  "WASM_TRAP",
  "NOT_INITIALIZED",
  "LOAD_FAILED",
  "DISPOSED",
  "INVALID_MATRIX",
  "PARSE_ERROR",
]);

/** A call must end within this many milliseconds. */
export const TIME_LIMIT_MS = 2000;

/** A property violation (what fast-check reports, with the counterexample). */
export class FuzzFailure extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "FuzzFailure";
  }
}

/** @param {string} message @returns {never} */
export function fail(message) {
  throw new FuzzFailure(message);
}

/** A short, bounded description of a value for failure messages. @param {unknown} v */
export function show(v) {
  if (typeof v === "string") return v.length > 80 ? `${JSON.stringify(v.slice(0, 60))}… (${v.length} chars)` : JSON.stringify(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${/** @type {any} */ (v).length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  return String(v);
}

// The canary: 40 f64 bit patterns (signed zeros, subnormals, huge, NaN-free) and a 3×3 matrix.
const CANARY_BITS = new Float64Array(40);
for (let i = 0; i < CANARY_BITS.length; i++) {
  CANARY_BITS[i] = [0.1 * (i + 1), -0, 5e-324, -1.7976931348623157e308, 2 ** -1022, i][i % 6] * (i % 4 === 3 ? -1 : 1);
}
const CANARY_CSR = { rows: 3, cols: 3, indptr: [0, 2, 5, 7], indices: [0, 1, 0, 1, 2, 1, 2], data: [4, -1, -1, 4, -1, -1, 4] };
const CANARY_X = new Float64Array([1, 2, 3]);
const CANARY_Y = [2, 4, 10];

function makeCanary() {
  const buffer = allocF64(CANARY_BITS.length);
  buffer.array.set(CANARY_BITS);
  const matrix = CsrMatrix.fromArrays(CANARY_CSR);
  return { buffer, matrix };
}

/** @param {ReturnType<typeof makeCanary>} canary @returns {string | undefined} */
function canaryDamage({ buffer, matrix }) {
  try {
    const a = buffer.array;
    for (let i = 0; i < CANARY_BITS.length; i++) {
      if (!Object.is(a[i], CANARY_BITS[i])) return `canary buffer[${i}] changed from ${CANARY_BITS[i]} to ${a[i]}`;
    }
    const { indptr, indices, data } = matrix.toArrays();
    const same = (/** @type {ArrayLike<number>} */ x, /** @type {number[]} */ y) => x.length === y.length && y.every((v, i) => Object.is(x[i], v));
    if (!same(indptr, CANARY_CSR.indptr) || !same(indices, CANARY_CSR.indices) || !same(data, CANARY_CSR.data)) {
      return "canary CsrMatrix arrays changed";
    }
    const y = matrix.matvec(CANARY_X);
    if (!same(y, CANARY_Y)) return `canary CsrMatrix product changed: ${Array.from(y)}`;
  } catch (e) {
    return `canary no longer usable: ${e instanceof SolvewasmError ? e.code : /** @type {Error} */ (e)?.name}: ${/** @type {Error} */ (e)?.message}`;
  }
  return undefined;
}

/** @param {unknown} e */
export function describeError(e) {
  if (e instanceof SolvewasmError) return `SolvewasmError ${e.code}: ${e.message.slice(0, 200)}`;
  if (e instanceof Error) return `${e.name}: ${e.message.slice(0, 200)}`;
  return `a thrown ${typeof e}: ${String(e).slice(0, 100)}`;
}

/**
 * @template T
 * @typedef {object} CaseSpec
 * @property {() => T} call the call under test
 * @property {readonly string[]} [allowed] codes accepted from it (default: every documented code but WASM_TRAP, NOT_INITIALIZED and LOAD_FAILED)
 * @property {string} [mustThrow] when set, returning is a failure (the reason the input is invalid)
 * @property {readonly unknown[]} [passThrough] exceptions of the caller's own (a user matvec's) that may propagate as they are
 * @property {(value: T) => void} [check] checks a returned value (throw via `fail`)
 * @property {(value: T) => void} [cleanup] disposes what the call returned
 * @property {(error: import("solvewasm").SolvewasmError) => void} [checkError] further checks on an accepted error
 * @property {number} [timeLimitMs] the call's own limit where honest work can pass TIME_LIMIT_MS
 *   (at most TIME_LIMIT_MS + the runner's GRACE_MS, whose watchdog catches hangs either way)
 */

/**
 * Runs one call under the invariants; throws FuzzFailure naming the first one broken.
 * @template T
 * @param {CaseSpec<T>} spec
 */
export function runCase(spec) {
  // The module is loaded: a trap, a load failure or "not initialized" is never a right answer.
  const allowed = spec.allowed ?? DOCUMENTED_CODES.filter((c) => c !== "WASM_TRAP" && c !== "NOT_INITIALIZED" && c !== "LOAD_FAILED");
  const before = memoryStats().live;
  const canary = makeCanary();
  const baseline = memoryStats().live;
  /** @type {string[]} */
  const failures = [];
  const limit = spec.timeLimitMs ?? TIME_LIMIT_MS;
  const t0 = performance.now();
  /** @type {{ value: T } | undefined} */
  let returned;
  try {
    returned = { value: spec.call() };
  } catch (e) {
    const ms = performance.now() - t0;
    if (ms > limit) failures.push(`took ${ms.toFixed(0)} ms (limit ${limit}) before throwing`);
    if (spec.passThrough?.includes(e)) {
      // the caller's own exception, propagated unchanged: fine
    } else if (!(e instanceof SolvewasmError)) {
      failures.push(`threw ${describeError(e)} (not a SolvewasmError)`);
    } else if (!allowed.includes(e.code)) {
      failures.push(`threw ${describeError(e)}; expected ${spec.mustThrow ? "one of " : "a result or one of "}${allowed.join(", ")}`);
    } else if (spec.checkError) {
      try {
        spec.checkError(e);
      } catch (f) {
        failures.push(/** @type {Error} */ (f).message);
      }
    }
  }
  if (returned) {
    const ms = performance.now() - t0;
    if (ms > limit) failures.push(`took ${ms.toFixed(0)} ms (limit ${limit})`);
    try {
      if (spec.mustThrow) failures.push(`returned (${show(returned.value)}) instead of refusing: ${spec.mustThrow}`);
      else spec.check?.(returned.value);
    } catch (f) {
      failures.push(f instanceof FuzzFailure ? f.message : `the result check threw ${describeError(f)}`);
    } finally {
      try {
        spec.cleanup?.(returned.value);
      } catch (e) {
        failures.push(`disposing the result threw ${describeError(e)}`);
      }
    }
  }
  const damage = canaryDamage(canary);
  if (damage) failures.push(damage);
  const live = memoryStats().live;
  if (live !== baseline) failures.push(`memoryStats().live is ${live}, ${live - baseline} bytes off its baseline ${baseline}`);
  try {
    canary.buffer.dispose();
    canary.matrix.dispose();
  } catch {
    // a voided canary was reported above
  }
  const after = memoryStats().live;
  if (!damage && after !== before) failures.push(`after disposing the canary, live is ${after}, expected ${before}`);
  if (failures.length) fail(failures.join("; "));
}
