// Small helpers shared by the test files.
import * as assert from "uvu/assert";
import { SolvewasmError } from "solvewasm";

/** Asserts that `fn` throws (or rejects with) a SolvewasmError with `code`, its message
 * matching `pattern` if given; returns the error. */
export async function rejects(fn, code, pattern) {
  try {
    await fn();
  } catch (e) {
    assert.instance(e, SolvewasmError, `expected a SolvewasmError, got ${e}`);
    assert.is(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.unreachable(`expected ${code}`);
}

// Deterministic values in [-1, 1) (xorshift32), so failures reproduce; shared with the benches.
export { randomVector } from "./_random.js";

/** Plain JS CSR product, each row summed in storage order from 0. */
export function csrMatvecRef({ rows, indptr, indices, data }, x) {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = indptr[r]; k < indptr[r + 1]; k++) s += data[k] * x[indices[k]];
    y[r] = s;
  }
  return y;
}

/** Asserts bitwise equality of two Float64Arrays (NaN payloads aside; -0 ≠ +0). */
export function assertSameBits(got, want, what = "values") {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}
