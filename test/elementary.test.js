// Elementary functions (bindings/elementary.ts): a stride through all 2^32 float32 inputs
// plus the special values against float64 references (the exhaustive sweep is
// `npm run verify:elementary -- --exhaustive`, results in bench/RESULTS.md), and bad input.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { elementary, createSolvewasm, raw } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { rejects } from "./_helpers.js";
import { randomBits } from "./_random.js";
import PROGRAMS from "../tools/evolve/programs.json" with { type: "json" };
import { TARGETS } from "../tools/evolve/target.js";
import { evaluateF32 } from "../tools/evolve/program.js";
import { REFERENCE, REFERENCE_DD, ulpError, ulp64, expUlpError64, logUlpError64, correctlyRounded } from "../tools/ulp.js";

const t = suite("elementary");

/** The fast tier (`logfFast`, …): each is checked against its function's reference. */
const FAST = Object.keys(elementary).filter((k) => k.endsWith("Fast"));
const referenceOf = (fn) => REFERENCE[fn.replace(/Fast$/, "")];
const FLOAT32_FNS = [...Object.keys(REFERENCE), ...FAST];

for (const fn of FLOAT32_FNS) {
  const ref = referenceOf(fn);
  t(`${fn} is within 1 ULP on a stride of 8191 through all 2^32 float32 bit patterns`, () => {
    const stride = 8191;
    const bits = new Uint32Array(Math.ceil(2 ** 32 / stride));
    for (let i = 0; i < bits.length; i++) bits[i] = i * stride;
    const x = new Float32Array(bits.buffer);
    const y = elementary[fn](x);
    let max = 0,
      checked = 0;
    for (let i = 0; i < x.length; i++) {
      const r = ref(x[i]);
      if (Number.isNaN(r)) {
        assert.ok(Number.isNaN(y[i]), `${fn}(${x[i]}) should be NaN, got ${y[i]}`);
        continue;
      }
      if (Math.abs(r) > 3.4028234663852886e38) {
        assert.is(y[i], Math.fround(r), `${fn}(${x[i]})`);
        continue;
      }
      max = Math.max(max, ulpError(y[i], r));
      checked++;
    }
    assert.ok(max <= 1, `max error ${max} ULP`);
    assert.ok(checked > 200000, `${checked} finite results checked`);
  });
}

t("special values are exact: NaN, ±∞, ±0, overflow and underflow, subnormals", () => {
  const e = elementary.expf(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 89, -104, -87.5, 88.72283172607422));
  assert.ok(Number.isNaN(e[0]));
  assert.equal(Array.from(e.subarray(1, 6)), [Infinity, 0, 1, 1, Infinity]);
  assert.is(e[6], 0, "exp(−104) underflows to 0 in float32");
  assert.ok(e[7] > 0 && e[7] < 2 ** -126, "exp(−87.5) is subnormal");
  assert.ok(e[8] === Math.fround(Math.exp(88.72283172607422)) && e[8] < Infinity, "the largest finite result");
  const l = elementary.logf(Float32Array.of(NaN, -1, -0, 0, Infinity, 1, 1e-45, 2 ** -149 * 3));
  assert.ok(Number.isNaN(l[0]) && Number.isNaN(l[1]));
  assert.equal(Array.from(l.subarray(2, 6)), [-Infinity, -Infinity, Infinity, 0]);
  assert.is(Object.is(l[5], 0), true, "log 1 = +0");
  assert.ok(ulpError(l[6], Math.log(2 ** -149)) <= 1 && ulpError(l[7], Math.log(3 * 2 ** -149)) <= 1, "subnormal inputs");
  assert.equal(Array.from(elementary.exp2f(Float32Array.of(0, 10, -149, 127, 128, -Infinity))), [1, 1024, 2 ** -149, 2 ** 127, Infinity, 0]);
  assert.equal(Array.from(elementary.log2f(Float32Array.of(1, 1024, 2 ** -149, 0.5))), [0, 10, -149, -1]);
  const sg = elementary.sigmoidf(Float32Array.of(0, Infinity, -Infinity, NaN, 200, -200));
  assert.equal(Array.from(sg.subarray(0, 3)), [0.5, 1, 0]);
  assert.ok(Number.isNaN(sg[3]) && sg[4] === 1 && sg[5] === 0);
  const m = elementary.expm1f(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 89, -104, 1e-45, -1e-30));
  assert.ok(Number.isNaN(m[0]));
  assert.equal(Array.from(m.subarray(1, 7)), [Infinity, -1, 0, -0, Infinity, -1]);
  assert.ok(Object.is(m[4], -0), "expm1(−0) = −0");
  assert.is(m[7], Math.fround(1e-45), "expm1 of a subnormal is itself");
  assert.is(m[8], Math.fround(-1e-30));
  const th = elementary.tanhf(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 10, -10, 1e-45, -1e-45));
  assert.ok(Number.isNaN(th[0]));
  assert.equal(Array.from(th.subarray(1, 9)), [1, -1, 0, -0, 1, -1, Math.fround(1e-45), Math.fround(-1e-45)]);
  assert.ok(Object.is(th[4], -0), "tanh(−0) = −0");
  const lp = elementary.log1pf(Float32Array.of(NaN, -2, -1, -0, 0, Infinity, 1e-45, -1e-12, 3e38));
  assert.ok(Number.isNaN(lp[0]) && Number.isNaN(lp[1]), "log1p(x < −1) is NaN");
  assert.equal(Array.from(lp.subarray(2, 6)), [-Infinity, -0, 0, Infinity]);
  assert.ok(Object.is(lp[3], -0), "log1p(−0) = −0");
  assert.is(lp[6], Math.fround(1e-45));
  assert.is(lp[7], Math.fround(-1e-12));
  assert.ok(ulpError(lp[8], Math.log1p(Math.fround(3e38))) <= 1);
});

t("erff: NaN, ±∞ → ±1, ±0 kept, subnormals, odd, and 1 beyond 3.92", () => {
  const e = elementary.erff(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.92, 4, 100, -100));
  assert.ok(Number.isNaN(e[0]));
  assert.equal(Array.from(e.subarray(1, 5)), [1, -1, 0, -0]);
  assert.ok(Object.is(e[4], -0), "erf(−0) = −0");
  assert.equal(Array.from(e.subarray(5, 7)), [Math.fround(1e-45), -Math.fround(1e-45)]);
  assert.equal(Array.from(e.subarray(8, 11)), [1, 1, -1]);
  const x = Float32Array.from({ length: 1001 }, (_, i) => (i - 500) / 100);
  const y = elementary.erff(x),
    yn = elementary.erff(x.map((v) => -v));
  for (let i = 0; i < x.length; i++) assert.ok(Object.is(yn[i], -y[i]), `erff(−x) = −erff(x) at ${x[i]}`);
});

t("sinf, cosf: NaN and ±∞ → NaN, ±0, tiny and huge arguments (Payne–Hanek), odd and even", () => {
  const s = elementary.sinf(Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-30, 1e20, -1e20, 3.4028234663852886e38));
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]) && Number.isNaN(s[2]));
  assert.ok(Object.is(s[3], 0) && Object.is(s[4], -0), "sin(±0) = ±0");
  assert.equal(Array.from(s.subarray(5, 7)), [Math.fround(1e-45), Math.fround(-1e-30)]);
  for (const i of [7, 8, 9]) {
    const x = Math.fround([0, 0, 0, 0, 0, 0, 0, 1e20, -1e20, 3.4028234663852886e38][i]);
    assert.ok(ulpError(s[i], Math.sin(x)) <= 1, `sinf(${x}) = ${s[i]}, Math.sin ${Math.sin(x)}`);
  }
  const c = elementary.cosf(Float32Array.of(NaN, Infinity, 0, -0, 1e-30, 1e20, 3.4028234663852886e38));
  assert.ok(Number.isNaN(c[0]) && Number.isNaN(c[1]));
  assert.equal(Array.from(c.subarray(2, 5)), [1, 1, 1]);
  assert.ok(ulpError(c[5], Math.cos(Math.fround(1e20))) <= 1 && ulpError(c[6], Math.cos(3.4028234663852886e38)) <= 1);
  // Near multiples of π/2, where the reduction cancels: the float32 neighbours of kπ/2.
  const bits = new Uint32Array(1),
    f = new Float32Array(bits.buffer);
  for (let k = 1; k < 2000; k += 7) {
    f[0] = (k * Math.PI) / 2;
    for (let d = -2; d <= 2; d++) {
      const b = bits[0];
      bits[0] = b + d;
      const x = f[0];
      bits[0] = b;
      const v = Float32Array.of(x, -x);
      const sv = elementary.sinf(v),
        cv = elementary.cosf(v);
      assert.ok(ulpError(sv[0], Math.sin(x)) <= 1 && Object.is(sv[1], -sv[0]), `sinf(${x})`);
      assert.ok(ulpError(cv[0], Math.cos(x)) <= 1 && Object.is(cv[1], cv[0]), `cosf(${x})`);
    }
  }
});

t("expm1f and log1pf are accurate where expf(x) − 1 and logf(1 + x) cancel; tanhf is odd", () => {
  const x = Float32Array.from({ length: 2001 }, (_, i) => (i - 1000) * 1e-4); // |x| ≤ 0.1, across the switch at 1/16
  const m = elementary.expm1f(x),
    t = elementary.tanhf(x),
    tn = elementary.tanhf(x.map((v) => -v));
  const tiny = Float32Array.from({ length: 200 }, (_, i) => (i % 2 ? -1 : 1) * 2 ** (-40 + i / 10)); // across 2^−29
  const lp = elementary.log1pf(x),
    lt = elementary.log1pf(tiny);
  for (let i = 0; i < tiny.length; i++) assert.ok(ulpError(lt[i], Math.log1p(tiny[i])) <= 1, `log1pf(${tiny[i]}) = ${lt[i]}`);
  for (let i = 0; i < x.length; i++) {
    assert.ok(ulpError(lp[i], Math.log1p(x[i])) <= 1, `log1pf(${x[i]}) = ${lp[i]}`);
    assert.ok(ulpError(m[i], Math.expm1(x[i])) <= 1, `expm1f(${x[i]}) = ${m[i]}`);
    assert.ok(ulpError(t[i], Math.tanh(x[i])) <= 1, `tanhf(${x[i]}) = ${t[i]}`);
    assert.ok(Object.is(tn[i], -t[i]), `tanhf(−x) = −tanhf(x) at ${x[i]}`);
  }
});

t("out may alias x; empty arrays work", () => {
  const x = Float32Array.of(0, 1, 2);
  assert.is(elementary.expf(x, x), x);
  assert.equal(Array.from(x), [1, Math.fround(Math.E), Math.fround(Math.exp(2))]);
  assert.is(elementary.logf(new Float32Array(0)).length, 0);
});

t("bad input: a Float64Array, a wrong out length", async () => {
  await rejects(() => elementary.expf(new Float64Array(3)), "INVALID_ARGUMENT", /Float32Array/);
  await rejects(() => elementary.logf([1, 2]), "INVALID_ARGUMENT");
  await rejects(() => elementary.expf(new Float32Array(3), new Float32Array(2)), "DIMENSION_MISMATCH", /out has length 2/);
  await rejects(() => elementary.expf(new Float32Array(3), new Float64Array(3)), "INVALID_ARGUMENT");
});

t("float64 exp and log are within 1 ULP of double-double references on 2^16 inputs each (uniform, bit patterns, near 0 and 1)", () => {
  let s = 9;
  const rand = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const n = 1 << 16;
  const xe = Float64Array.from({ length: n }, (_, i) => (i % 4 === 0 ? (rand() - 0.5) * 2 ** -(rand() * 60) : -746 + 1456 * rand()));
  const ye = elementary.exp(xe);
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, expUlpError64(ye[i], xe[i]));
  assert.ok(m <= 1, `exp: max error ${m} ULP`);
  const bits = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    bits[2 * i] = (rand() * 2 ** 32) >>> 0;
    bits[2 * i + 1] = (rand() * 0x7ff00000) >>> 0; // positive, finite, subnormals included
  }
  const xl = new Float64Array(bits.buffer);
  for (let i = 0; i < n; i += 8) xl[i] = 1 + (rand() - 0.5) * 2 ** -(rand() * 40); // near 1, where log cancels
  const yl = elementary.log(xl);
  m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, logUlpError64(yl[i], xl[i]));
  assert.ok(m <= 1, `log: max error ${m} ULP`);
});

t("float64 specials: NaN, ±∞, ±0, overflow, underflow and subnormals; Float32Array in, INVALID_ARGUMENT", async () => {
  const e = elementary.exp(Float64Array.of(NaN, Infinity, -Infinity, 0, -0, 709.78, 709.79, -745.13, -745.14, -740));
  assert.ok(Number.isNaN(e[0]));
  assert.equal(Array.from(e.subarray(1, 5)), [Infinity, 0, 1, 1]);
  assert.ok(e[5] < Infinity && e[6] === Infinity, "overflow past 709.7827");
  assert.is(e[7], 5e-324, "the smallest subnormal");
  assert.is(e[8], 0);
  assert.ok(expUlpError64(e[9], -740) <= 1, "subnormal result");
  const l = elementary.log(Float64Array.of(NaN, -1, 0, -0, Infinity, 1, 5e-324, 2 ** -1030));
  assert.ok(Number.isNaN(l[0]) && Number.isNaN(l[1]));
  assert.equal(Array.from(l.subarray(2, 6)), [-Infinity, -Infinity, Infinity, 0]);
  assert.ok(Object.is(l[5], 0), "log 1 = +0");
  assert.ok(logUlpError64(l[6], 5e-324) <= 1 && logUlpError64(l[7], 2 ** -1030) <= 1, "subnormal inputs");
  const x = Float64Array.of(0, 1);
  assert.is(elementary.exp(x, x), x);
  assert.is(x[0], 1);
  assert.ok(expUlpError64(x[1], 1) <= 1, "exp(1) in place");
  assert.is(elementary.log(new Float64Array(0)).length, 0);
  await rejects(() => elementary.exp(new Float32Array(2)), "INVALID_ARGUMENT", /Float64Array.*expf/);
  await rejects(() => elementary.log(new Float64Array(2), new Float64Array(3)), "DIMENSION_MISMATCH");
  await rejects(() => elementary.exp(new Float64Array(2), new Float32Array(2)), "INVALID_ARGUMENT");
});

// The worst inputs of the exhaustive sweeps (bench/RESULTS.md), with the error recorded there.
const HARD_CASES = {
  expf: [
    [-87.68309783935547, 0.7898],
    [-87.68234252929688, 0.777],
    [-87.68152618408203, 0.773],
    [-87.56201934814453, 0.7682],
    [-87.84114837646484, 0.7681],
  ],
  exp2f: [
    [0.5018625855445862, 0.8625],
    [-0.4981374144554138, 0.8625],
    [-0.49793508648872375, 0.8532],
    [-0.4991742670536041, 0.8504],
    [-0.498691588640213, 0.8484],
  ],
  erff: [
    [3.919206142425537, 0.5],
    [-3.919206142425537, 0.5],
    [3.919205904006958, 0.5],
    [-3.919205904006958, 0.5],
  ],
};

t("stored hard cases: the worst inputs of the exhaustive sweeps keep their recorded error", () => {
  for (const [fn, cases] of Object.entries(HARD_CASES)) {
    const y = elementary[fn](Float32Array.from(cases, ([x]) => x));
    cases.forEach(([x, ulp], i) => {
      const e = ulpError(y[i], REFERENCE[fn](x));
      assert.ok(e <= ulp + 1e-4, `${fn}(${x}): ${e} ULP, recorded ${ulp}`);
    });
  }
});

t(
  "the verifier's exact decision near midpoints: the five inputs where fround(Math.log(x)) is misrounded (double rounding), and their correct neighbours",
  () => {
    const f = new Float32Array(1),
      b = new Uint32Array(f.buffer);
    for (const h of [0x3c413d3a, 0x41178feb, 0x4c5d65a5, 0x65d890d3, 0x6f31a8ec]) {
      b[0] = h;
      const x = f[0],
        y = Math.fround(Math.log(x));
      assert.is(correctlyRounded("logf", x, y), false, `fround(log(${x})) is misrounded`);
      f[0] = y;
      const up = new Float32Array(1),
        down = new Float32Array(1);
      new Uint32Array(up.buffer)[0] = b[0] + 1;
      new Uint32Array(down.buffer)[0] = b[0] - 1;
      const right = [up[0], down[0]].filter((c) => correctlyRounded("logf", x, c));
      assert.is(right.length, 1, `exactly one neighbour of ${y} is the correctly rounded log(${x})`);
      assert.ok(Math.abs(right[0] - Math.log(x)) < 1.5 * Math.abs(right[0] - y), "and it is the one next to the exact value");
    }
  },
);

t(
  "the exact references of sin, cos and erf (BigInt fixed point): agree with Math.sin/Math.cos and the f64 erf, reduce fround(π) exactly, and decide the notes' hard cases",
  () => {
    for (const x of [0.5, 1, -2.5, 100, 9830.3984375, 1e10, 3.4028234663852886e38, -1e-30]) {
      const s = REFERENCE_DD.sinf(x),
        c = REFERENCE_DD.cosf(x);
      assert.ok(Math.abs(s[0] - Math.sin(x) + s[1]) <= ulp64(Math.sin(x)), `sin ${x}`);
      assert.ok(Math.abs(c[0] - Math.cos(x) + c[1]) <= ulp64(Math.cos(x)), `cos ${x}`);
    }
    for (const x of [1e-30, 0.001, 0.5, 1, 2, -3.9, 5]) {
      const e = REFERENCE_DD.erff(x);
      assert.ok(Math.abs(e[0] - REFERENCE.erff(x) + e[1]) <= 2e-16 * Math.abs(e[0]), `erf ${x}`);
    }
    // sin(p) for p = fround(π): δ = π − p, sin p = δ − δ³/6 + O(δ⁵) with δ ≈ 8.7e-8, in double-double.
    const p = Math.fround(Math.PI),
      s = REFERENCE_DD.sinf(p),
      d = Math.PI - p + 1.2246467991473532e-16;
    assert.ok(Math.abs(s[0] - (Math.PI - p) + s[1] - 1.2246467991473532e-16 + d ** 3 / 6) < 1e-31, "sin(fround(π))");
    // The inputs where fround of V8's correctly rounded-looking double is misrounded (the notes' mpmath sweep).
    const f = new Float32Array(1),
      b = new Uint32Array(f.buffer);
    for (const [fn, h] of [
      ["sinf", 0x46199998],
      ["sinf", 0xc6199998],
      ["cosf", 0x5f18b878],
      ["cosf", 0xdf18b878],
      ["cosf", 0x6115cb11],
      ["cosf", 0xe115cb11],
    ]) {
      b[0] = h;
      const x = f[0],
        y = Math.fround(fn === "sinf" ? Math.sin(x) : Math.cos(x));
      assert.is(correctlyRounded(fn, x, y), false, `fround(${fn}(${x})) is misrounded`);
      const nb = new Float32Array([y, y]),
        nbits = new Int32Array(nb.buffer);
      nbits[0]++;
      nbits[1]--;
      assert.is([nb[0], nb[1]].filter((v) => correctlyRounded(fn, x, v)).length, 1, `exactly one neighbour of ${y} is the correctly rounded ${fn}(${x})`);
    }
  },
);

t("the fast tier gives the accurate tier's special values (NaN, ±∞, ±0, subnormals, huge)", () => {
  const x = Float32Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1, -1, 3.4e38, -3.4e38, 2 ** -126);
  for (const fn of FAST) {
    const fast = elementary[fn](x),
      accurate = elementary[fn.replace(/Fast$/, "")](x);
    x.forEach((v, i) => {
      const same = Object.is(fast[i], accurate[i]) || (Number.isNaN(fast[i]) && Number.isNaN(accurate[i]));
      const close = Number.isFinite(accurate[i]) && accurate[i] !== 0 && ulpError(fast[i], referenceOf(fn)(v)) <= 1;
      assert.ok(same || close, `${fn}(${v}) = ${fast[i]}, ${fn.replace(/Fast$/, "")} gives ${accurate[i]}`);
    });
  }
});

t(
  "every evolved kernel ships as the search scored it: wasm equals tools/evolve's bit-exact emulation of reduction, kernel and reconstruction (2^16 + specials per target)",
  () => {
    const targets = Object.entries(TARGETS).filter(([fn, tg]) => tg.ships && PROGRAMS[fn] && tg.dtype !== "f64");
    assert.ok(targets.length >= 4, `${targets.length} targets ship`);
    for (const [fn, target] of targets) {
      const { nodes, c } = PROGRAMS[fn].evolved,
        [lo, hi] = target.domain;
      const xs = [];
      const f = new Float32Array(1),
        b = new Uint32Array(f.buffer);
      for (let i = 0; i < 1 << 16; i++) {
        b[0] = Math.imul(i, 65537) + 12345; // a stride through all bit patterns
        if (f[0] >= lo - 10 && f[0] <= hi + 10) xs.push(f[0]);
        xs.push(lo + ((hi - lo) * i) / (1 << 16));
      }
      xs.push(lo, hi, ...target.critical());
      const x = Float32Array.from(xs.filter((v) => v >= lo && v <= hi)),
        y = elementary[target.ships](x);
      x.forEach((v, i) => {
        const want = target.full(v, (r) => evaluateF32({ nodes }, c, r));
        if (!Object.is(y[i], Math.fround(want))) assert.unreachable(`${target.ships}(${v}): wasm ${y[i]}, emulation ${want}`);
      });
    }
  },
);

t("one float64 exp and log: the scalar exports exp64/log64 (xVA's exp and log) give dexp's and dlog's bits, in both builds", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  const xs = [0, -0, 1, -1, 0.5, 100, 80, 709.78, 710, -745.1, -746, 1e-310, 5e-324, Infinity, -Infinity, NaN];
  let s = 5;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = 0; i < 4096; i++) xs.push(-40 + 50 * u(), Math.exp(-20 + 30 * u()), (u() - 0.5) * 1500);
  const x = Float64Array.from(xs);
  for (const [scalarExport, arrayFn] of [
    ["exp64", "exp"],
    ["log64", "log"],
  ]) {
    for (const [name, sw] of [
      ["SIMD", { raw, elementary }],
      ["scalar", scalar],
    ]) {
      const y = sw.elementary[arrayFn](x);
      const z = sw.raw((ex) => Array.from(x, (v) => ex[scalarExport](v)));
      for (let i = 0; i < x.length; i++) if (!Object.is(y[i], z[i])) assert.unreachable(`${name} ${scalarExport}(${x[i]}) = ${z[i]}, ${arrayFn} gives ${y[i]}`);
    }
  }
});

t("the scalar build gives the same bits as the SIMD build (2^16 + 7 random bit patterns: SIMD bodies and scalar tails)", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  assert.is(scalar.build, "scalar");
  const n = (1 << 16) + 7,
    bits = randomBits(n, 11);
  const x = new Float32Array(bits.buffer);
  for (const fn of FLOAT32_FNS) {
    const a = new Uint32Array(elementary[fn](x).buffer),
      b = new Uint32Array(scalar.elementary[fn](x).buffer);
    for (let i = 0; i < n; i++)
      if (a[i] !== b[i] && !Number.isNaN(x[i])) assert.unreachable(`${fn}(${x[i]}): SIMD ${a[i].toString(16)}, scalar ${b[i].toString(16)}`);
  }
  const x64 = new Float64Array(bits.buffer, 0, n >> 1);
  for (const fn of ["exp", "log"]) {
    const a = elementary[fn](x64),
      b = scalar.elementary[fn](x64);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.unreachable(`${fn}(${x64[i]}): SIMD ${a[i]}, scalar ${b[i]}`);
  }
});

t.run();
