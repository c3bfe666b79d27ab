// erffFast, the fast tier of erff (assembly/elementary/erf-fast.ts): ≤ 1 ULP on a stride
// through all 2^32 float32 inputs (the exhaustive sweep is `npm run verify:elementary -- --fn
// erffFast --exhaustive`), the special values, wasm against tools/evolve's bit-exact
// emulation of both pieces with the kernels in programs.json, and the scalar build.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { elementary, createSolvewasm } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { randomBits } from "./_random.js";
import PROGRAMS from "../tools/evolve/programs.json" with { type: "json" };
import { TARGETS } from "../tools/evolve/target.js";
import { SPLIT } from "../tools/evolve/targets/erf.js";
import { evaluateF32 } from "../tools/evolve/program.js";
import { REFERENCE, ulpError } from "../tools/ulp.js";

const t = suite("elementary-erf-fast");

t("erffFast is within 1 ULP of erf on a stride of 8191 through all 2^32 float32 bit patterns", () => {
  const stride = 8191;
  const bits = new Uint32Array(Math.ceil(2 ** 32 / stride));
  for (let i = 0; i < bits.length; i++) bits[i] = i * stride;
  const x = new Float32Array(bits.buffer);
  const y = elementary.erffFast(x);
  let max = 0,
    checked = 0,
    tail = 0;
  for (let i = 0; i < x.length; i++) {
    const r = REFERENCE.erff(x[i]);
    if (Number.isNaN(r)) {
      assert.ok(Number.isNaN(y[i]), `erffFast(${x[i]}) should be NaN, got ${y[i]}`);
      continue;
    }
    max = Math.max(max, ulpError(y[i], r));
    checked++;
    if (Math.abs(x[i]) >= SPLIT && Math.abs(x[i]) < 4) tail++;
  }
  assert.ok(max <= 1, `max error ${max} ULP`);
  assert.ok(checked > 500000 && tail > 2000, `${checked} finite results checked, ${tail} on the erfc piece`);
});

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

t("the shipped erffFast is what the search scored: wasm equals tools/evolve's bit-exact emulation (2^16 inputs + specials)", () => {
  const xs = [];
  const f = new Float32Array(1),
    b = new Uint32Array(f.buffer);
  for (let i = 0; i < 1 << 15; i++) {
    b[0] = Math.imul(i, 131071) + 12345; // a stride through all bit patterns
    xs.push(f[0], -4.5 + (9 * i) / (1 << 15));
  }
  xs.push(0, -0, SPLIT, -SPLIT, 4, -4, Infinity, -Infinity, 1e-45, -1e-45);
  const x = Float32Array.from(xs),
    y = elementary.erffFast(x);
  // Both targets emulate the whole erffFast; each with its own kernel taken from programs.json.
  for (const fn of ["erff", "erffTail"]) {
    const { nodes, c } = PROGRAMS[fn].evolved,
      target = TARGETS[fn];
    assert.is(target.ships, "erffFast");
    x.forEach((v, i) => {
      const want = target.full(v, (r) => evaluateF32({ nodes }, c, r));
      if (!Object.is(y[i], want) && !(Number.isNaN(y[i]) && Number.isNaN(want))) assert.unreachable(`${fn}: erffFast(${v}): wasm ${y[i]}, emulation ${want}`);
    });
  }
});

t("erffFast: the scalar build gives the same bits as the SIMD build (2^16 + 7 random bit patterns and [−4.5, 4.5])", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  assert.is(scalar.build, "scalar");
  const n = (1 << 16) + 7,
    bits = randomBits(n, 13);
  const x = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i += 2) x[i] = -4.5 + (9 * i) / n; // half of them where erf is not ±1
  const a = new Uint32Array(elementary.erffFast(x).buffer),
    c = new Uint32Array(scalar.elementary.erffFast(x).buffer);
  for (let i = 0; i < n; i++)
    if (a[i] !== c[i] && !Number.isNaN(x[i])) assert.unreachable(`erffFast(${x[i]}): SIMD ${a[i].toString(16)}, scalar ${c[i].toString(16)}`);
});

t.run();
