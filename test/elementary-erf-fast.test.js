// erffFast, the fast tier of erff (assembly/elementary/erf-fast.ts): its special values and
// the inputs at its split. The stride through all 2^32 inputs, wasm against the search's
// emulation and the scalar build are test/elementary.test.js's, for every fast function.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { elementary } from "solvewasm";
import { SPLIT } from "../tools/evolve/targets/erf.js";
import { REFERENCE, ulpError } from "../tools/ulp.js";

const t = suite("elementary-erf-fast");

t("erffFast specials: NaN → NaN, ±∞ → ±1, ±0 kept, ±1 from the clamp 4 on, odd, the split and tiny inputs", () => {
  const x = Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 4, -4, 4.5, 10, -1e30, 1e-45, -1e-45, 2 ** -126, 3.9193, -3.92);
  const y = elementary.erffFast(x);
  assert.ok(Number.isNaN(y[0]));
  assert.equal(Array.from(y.subarray(1, 3)), [1, -1]);
  assert.ok(Object.is(y[3], 0) && Object.is(y[4], -0), "±0 kept");
  assert.equal(Array.from(y.subarray(5, 10)), [1, -1, 1, 1, -1]);
  for (let i = 10; i < x.length; i++) assert.ok(ulpError(y[i], REFERENCE.erff(x[i])) <= 1, `erffFast(${x[i]}) = ${y[i]}`);
  // Odd: erf(−x) = −erf(x) bit for bit, and both sides of the split.
  const s = Math.fround(SPLIT);
  const f = new Float32Array([s, s]),
    b = new Int32Array(f.buffer);
  b[0]--;
  const xs = Float32Array.from([f[0], f[1], 0.5, 1, 2, 3, 3.9], (v) => v);
  const pos = elementary.erffFast(xs),
    neg = elementary.erffFast(xs.map((v) => -v));
  pos.forEach((v, i) => {
    assert.ok(Object.is(neg[i], -v), `erffFast(−${xs[i]}) = ${neg[i]}, −erffFast(${xs[i]}) = ${-v}`);
    assert.ok(ulpError(v, REFERENCE.erff(xs[i])) <= 1, `erffFast(${xs[i]})`);
  });
});

t.run();
