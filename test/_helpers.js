// Small helpers shared by the test files.
import * as assert from "uvu/assert";
import { SolvewasmError } from "solvewasm";

/**
 * Asserts that `fn` throws (or rejects with) a SolvewasmError with `code`, its message
 * matching `pattern` if given; returns the error.
 * @param {() => unknown} fn
 * @param {import("solvewasm").ErrorCode} code
 * @param {RegExp} [pattern]
 * @returns {Promise<SolvewasmError>}
 */
export async function rejects(fn, code, pattern) {
  try {
    await fn();
  } catch (e) {
    assert.instance(e, SolvewasmError, `expected a SolvewasmError, got ${e}`);
    const error = /** @type {SolvewasmError} */ (e);
    assert.is(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error("not reached: assert.unreachable throws");
}

// Deterministic values in [-1, 1) (xorshift32), so failures reproduce; shared with the benches.
export { randomVector } from "./_random.js";

/**
 * Plain JS CSR product, each row summed in storage order from 0.
 * @param {Pick<import("solvewasm").CsrArrays, "rows" | "indptr" | "indices" | "data">} A
 * @param {ArrayLike<number>} x
 * @returns {Float64Array}
 */
export function csrMatvecRef({ rows, indptr, indices, data }, x) {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = indptr[r]; k < indptr[r + 1]; k++) s += data[k] * x[indices[k]];
    y[r] = s;
  }
  return y;
}

/**
 * Asserts bitwise equality of two Float64Arrays (NaN payloads aside; -0 ≠ +0).
 * @param {ArrayLike<number>} got
 * @param {ArrayLike<number>} want
 * @param {string} [what] names the values in the failure message
 */
export function assertSameBits(got, want, what = "values") {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}
