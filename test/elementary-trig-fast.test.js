// sinfFast and cosfFast (assembly/elementary/trig-fast.ts): a stride through all 2^32 float32
// inputs within 1 ULP, the special values and the accurate path beyond |x| = 256, wasm equal
// to tools/evolve's bit-exact emulation (targets/trig.js) and the scalar build equal to the
// SIMD one. The exhaustive sweep is `npm run verify:elementary -- --fn sinfFast --exhaustive`.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { elementary, createSolvewasm } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { randomBits } from "./_random.js";
import PROGRAMS from "../tools/evolve/programs.json" with { type: "json" };
import { TARGETS } from "../tools/evolve/target.js";
import { evaluateF32 } from "../tools/evolve/program.js";
import { REFERENCE, ulpError } from "../tools/ulp.js";

const t = suite("elementary-trig-fast");
const FNS = ["sinfFast", "cosfFast"];
const base = (fn) => fn.replace(/Fast$/, "");

for (const fn of FNS) {
  t(`${fn} is within 1 ULP on a stride of 8191 through all 2^32 float32 bit patterns`, () => {
    const stride = 8191,
      ref = REFERENCE[base(fn)];
    const bits = new Uint32Array(Math.ceil(2 ** 32 / stride));
    for (let i = 0; i < bits.length; i++) bits[i] = i * stride;
    const x = new Float32Array(bits.buffer);
    const y = elementary[fn](x);
    let max = 0,
      fast = 0;
    for (let i = 0; i < x.length; i++) {
      const r = ref(x[i]);
      if (Number.isNaN(r)) {
        assert.ok(Number.isNaN(y[i]), `${fn}(${x[i]}) should be NaN, got ${y[i]}`);
        continue;
      }
      max = Math.max(max, ulpError(y[i], r));
      if (Math.abs(x[i]) < 256) fast++;
    }
    assert.ok(max <= 1, `max error ${max} ULP`);
    assert.ok(fast > 200000, `${fast} inputs in the fast range`);
  });
}

t("specials: NaN and ±∞ → NaN, sin keeps ±0, cos(±0) = 1, |x| ≥ 256 gives sinf's and cosf's bits", () => {
  const x = Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 2 ** -126, 256, -256, 255.99998, 1e10, -3e38, 3.4028234663852886e38, 262144, 1e5);
  const s = elementary.sinfFast(x),
    c = elementary.cosfFast(x);
  for (let i = 0; i < 3; i++) assert.ok(Number.isNaN(s[i]) && Number.isNaN(c[i]), `sin/cos(${x[i]}) = NaN`);
  assert.ok(Object.is(s[3], 0) && Object.is(s[4], -0), "sin(±0) = ±0");
  assert.ok(c[3] === 1 && c[4] === 1, "cos(±0) = 1");
  assert.ok(s[5] === x[5] && s[6] === x[6] && s[7] === x[7], "sin of the smallest inputs is the input");
  const s0 = elementary.sinf(x),
    c0 = elementary.cosf(x);
  for (let i = 8; i < x.length; i++) {
    if (Math.abs(x[i]) < 256) continue;
    assert.ok(Object.is(s[i], s0[i]) && Object.is(c[i], c0[i]), `${x[i]}: the accurate path`);
  }
});

t(
  "the shipped sinfFast and cosfFast are what the search scored: wasm equals the bit-exact emulation of tools/evolve/targets/trig.js (2^16 + specials, in and beyond the fast range, mixed within vectors)",
  () => {
    for (const fn of ["sinf", "cosf"]) {
      const target = TARGETS[fn];
      const { nodes, c } = PROGRAMS[fn].evolved;
      const xs = [];
      const f = new Float32Array(1),
        b = new Uint32Array(f.buffer);
      for (let i = 0; i < 1 << 16; i++) {
        b[0] = Math.imul(i, 65537) + 12345; // a stride through all bit patterns
        if (Math.abs(f[0]) < 300) xs.push(f[0]);
        xs.push(-300 + (600 * i) / (1 << 16)); // |x| ≥ 256 in some lanes of a vector
      }
      xs.push(0, -0, 256, -256, 255.99998, -Infinity, Infinity, NaN, 1e-45, -1e-45);
      const x = Float32Array.from(xs),
        y = elementary[target.ships](x);
      x.forEach((v, i) => {
        const want = target.full(v, (r) => evaluateF32({ nodes }, c, r));
        if (!Object.is(y[i], Math.fround(want))) assert.unreachable(`${target.ships}(${v}): wasm ${y[i]}, emulation ${want}`);
      });
    }
  },
);

t("the scalar build gives the same bits as the SIMD build (2^16 + 7 random bit patterns and 2^16 + 7 values in [−300, 300])", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  assert.is(scalar.build, "scalar");
  const n = (1 << 16) + 7;
  const x = new Float32Array(randomBits(n, 17).buffer);
  const u = Float32Array.from({ length: n }, (_, i) => -300 + (600 * ((i * 40503) % n)) / n);
  for (const fn of FNS)
    for (const v of [x, u]) {
      const a = new Uint32Array(elementary[fn](v).buffer),
        b = new Uint32Array(scalar.elementary[fn](v).buffer);
      for (let i = 0; i < n; i++)
        if (a[i] !== b[i] && !Number.isNaN(v[i])) assert.unreachable(`${fn}(${v[i]}): SIMD ${a[i].toString(16)}, scalar ${b[i].toString(16)}`);
    }
});

t.run();
