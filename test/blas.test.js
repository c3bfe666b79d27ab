// BLAS level 1 against plain JS references, at the lengths where SIMD bodies and scalar
// tails meet (0, 1, 2, 3, 17) and at 10^6, on the default (SIMD) build and the scalar one.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { blas, build, allocF64, createSolvewasm, SolvewasmError } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { randomVector } from "./_helpers.js";

const EPS = 2 ** -52;
const LENGTHS = [0, 1, 2, 3, 17, 1e6];

const ref = {
  ddot(x, y) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  },
  absDot(x, y) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Math.abs(x[i] * y[i]);
    return s;
  },
  // Two-pass scaled norm: exact scaling by max|x|, then the plain sum of squares.
  dnrm2(x) {
    let m = 0;
    for (const v of x) m = Math.max(m, Math.abs(v));
    if (m === 0 || !Number.isFinite(m)) return m;
    let s = 0;
    for (const v of x) s += (v / m) ** 2;
    return Math.sqrt(s) * m;
  },
};

/** Error bound for two n-term sums of the same products in different orders: each is
 * within γ_n·Σ|x_i·y_i| of the exact value (Higham, Accuracy and Stability, §3.1). */
const dotTolerance = (n, x, y) => 2 * (n * EPS) * ref.absDot(x, y) + Number.MIN_VALUE;

function blasSuite(name, getBlas) {
  const t = suite(name);

  for (const n of LENGTHS) {
    t(`ddot matches the JS loop within 2·n·ε·Σ|xy| at n = ${n}`, () => {
      const x = randomVector(n, 1 + n),
        y = randomVector(n, 2 + n);
      const got = getBlas().ddot(x, y);
      const want = ref.ddot(x, y);
      assert.ok(Math.abs(got - want) <= dotTolerance(n, x, y), `got ${got}, want ${want}`);
    });

    t(`daxpy is bit-identical to y + a·x at n = ${n}`, () => {
      const x = randomVector(n, 3 + n),
        y = randomVector(n, 4 + n);
      const want = y.map((v, i) => v + 0.75 * x[i]);
      const out = getBlas().daxpy(0.75, x, y);
      assert.is(out, y, "returns y, updated in place");
      assert.equal(Array.from(y), Array.from(want));
    });

    t(`dscal is bit-identical to a·x and dcopy copies exactly at n = ${n}`, () => {
      const x = randomVector(n, 5 + n);
      const want = x.map((v) => -3.5 * v);
      getBlas().dscal(-3.5, x);
      assert.equal(Array.from(x), Array.from(want));
      const y = new Float64Array(n).fill(7);
      assert.is(getBlas().dcopy(x, y), y);
      assert.equal(Array.from(y), Array.from(x));
    });

    t(`dnrm2 matches the scaled JS reference within 2(n+2)ε at n = ${n}`, () => {
      const x = randomVector(n, 6 + n);
      const got = getBlas().dnrm2(x),
        want = ref.dnrm2(x);
      assert.ok(Math.abs(got - want) <= 2 * (n + 2) * EPS * want, `got ${got}, want ${want}`);
    });
  }

  t("dnrm2 neither overflows nor underflows: entries 1e200, 1e-200, 1e308, subnormals", () => {
    const b = getBlas();
    const cases = [
      [new Float64Array(1000).fill(1e200), 1e200 * Math.sqrt(1000)],
      [new Float64Array(1000).fill(-1e-200), 1e-200 * Math.sqrt(1000)],
      [new Float64Array(3).fill(1e308), 1e308 * Math.sqrt(3)],
      [new Float64Array(4).fill(5e-324), 1e-323], // 2·(smallest subnormal), exactly representable
      [new Float64Array([3e-170, 4e-170]), 5e-170],
      [new Float64Array([1e300, 1, 1e-300]), 1e300],
    ];
    for (const [x, want] of cases) {
      const got = b.dnrm2(x);
      // Same bound as above: a recursive sum of n squares is within γ_n of exact.
      assert.ok(Math.abs(got - want) <= 2 * (x.length + 2) * EPS * want, `‖x‖ for x[0] = ${x[0]}: got ${got}, want ${want}`);
    }
    assert.is(b.dnrm2(new Float64Array(5)), 0);
  });

  t("dnrm2 propagates Infinity and NaN as reference BLAS does", () => {
    assert.is(getBlas().dnrm2(new Float64Array([1, Infinity, 2])), Infinity);
    assert.ok(Number.isNaN(getBlas().dnrm2(new Float64Array([1, NaN, 2]))));
  });

  return t;
}

const simd = blasSuite("blas (default build)", () => blas);
simd("the default build in this runtime is SIMD", () => {
  assert.is(build, "simd");
});
simd.run();

let scalar;
const scalarSuite = blasSuite("blas (scalar build)", () => scalar.blas);
scalarSuite.before(async () => {
  scalar = await createSolvewasm(await scalarModule());
  assert.is(scalar.build, "scalar");
});
scalarSuite.run();

const zeroCopy = suite("blas on F64Buffers and pointers");

zeroCopy("F64Buffer arguments are used in place and agree with the copying form", () => {
  const n = 1001;
  const xs = randomVector(n, 11),
    ys = randomVector(n, 12);
  const x = allocF64(n).set(xs);
  const y = allocF64(n).set(ys);
  try {
    assert.is(blas.ddot(x, y), blas.ddot(xs, ys));
    assert.is(blas.dnrm2(x), blas.dnrm2(xs));
    blas.daxpy(2, x, y);
    blas.daxpy(2, xs, ys);
    assert.equal(Array.from(y.array), Array.from(ys));
    blas.dscal(0.5, x);
    assert.equal(Array.from(x.toArray()), Array.from(xs.map((v) => 0.5 * v)));
  } finally {
    x.dispose();
    y.dispose();
  }
});

zeroCopy("pointer forms compute the same and refuse ranges past the end of memory", () => {
  const n = 64;
  const xs = randomVector(n, 13),
    ys = randomVector(n, 14);
  const x = allocF64(n).set(xs);
  const y = allocF64(n).set(ys);
  try {
    assert.is(blas.ptr.ddot(n, x.ptr, y.ptr), blas.ddot(xs, ys));
    blas.ptr.dcopy(n, x.ptr, y.ptr);
    assert.equal(Array.from(y.array), Array.from(xs));
    assert.throws(
      () => blas.ptr.dnrm2(10, 2 ** 32 - 8),
      (e) => e instanceof SolvewasmError && e.code === "INVALID_ARGUMENT",
    );
  } finally {
    x.dispose();
    y.dispose();
  }
});

zeroCopy("mixing a Float64Array and an F64Buffer works in either position", () => {
  const xs = randomVector(33, 15);
  const x = allocF64(33).set(xs);
  assert.is(blas.ddot(xs, x), blas.ddot(x, xs));
  x.dispose();
});

zeroCopy.run();
