// The float64 references for the float32 elementary functions and the ULP error measure,
// shared by the tests, the benchmark and `npm run verify:elementary`. The references are
// accurate to about 1e-16 relative, far below the 1 ULP bound at issue.

export const REFERENCE = {
  expf: Math.exp,
  exp2f: (x) => 2 ** x,
  expm1f: Math.expm1,
  sigmoidf: (x) => 1 / (1 + Math.exp(-x)),
  tanhf: Math.tanh,
  logf: Math.log,
  log2f: Math.log2,
  log1pf: Math.log1p,
  erff: erf,
  sinf: Math.sin,
  cosf: Math.cos,
};

/** erf x in float64 (about 1e-15 relative), by other means than the kernel's positive series:
 * the alternating Taylor series below |x| = 2, 1 − erfc x by its continued fraction above. */
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let v;
  if (a < 2) {
    let term = a,
      sum = a;
    for (let n = 1; n < 100; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
    }
    v = 1.1283791670955126 * sum;
  } else if (a < 6) {
    v = 1 - Math.exp(-a * a) / (1.7724538509055159 * erfcFraction(a));
  } else v = 1;
  return x < 0 || Object.is(x, -0) ? -v : v;
}

/** The continued fraction F(a) = a + (1/2)/(a + 1/(a + (3/2)/(a + …))) by Lentz's method, so
 * that erfc a = e^{−a²}/(√π·F(a)) (a ≥ 2 or so, where it converges fast). */
export function erfcFraction(a) {
  let f = a,
    c = a,
    d = 0;
  for (let k = 1; k < 500; k++) {
    d = 1 / (a + (k / 2) * d);
    c = a + k / 2 / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return f;
}

/** Error of y against the exact value r, in ULP of the float32 grid at r. */
export function ulpError(y, r) {
  const a = Math.abs(r);
  if (a > 3.4028234663852886e38) return y === (r > 0 ? Infinity : -Infinity) ? 0 : Infinity;
  const e = a < 1.1754943508222875e-38 ? -126 : Math.floor(Math.log2(a));
  // Math.log2 can land one off at the edges of a binade: fix with an exact comparison.
  const exp = a >= 2 ** (e + 1) ? e + 1 : a < 2 ** e && e > -126 ? e - 1 : e;
  return Math.abs(y - r) / 2 ** (Math.max(exp, -126) - 23);
}

// ── float64: double-double references (about 2^-100 relative) and the ULP measure ──
const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter
function twoProd(a, b) {
  const p = a * b;
  let c = SPLIT * a;
  const ah = c - (c - a),
    al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b),
    bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function twoSum(a, b) {
  const s = a + b,
    bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function quick(a, b) {
  const s = a + b;
  return [s, b - (s - a)];
}
const ddAdd = ([ah, al], [bh, bl]) => {
  const [s, e] = twoSum(ah, bh);
  return quick(s, e + al + bl);
};
const ddMul = ([ah, al], [bh, bl]) => {
  const [p, e] = twoProd(ah, bh);
  return quick(p, e + ah * bl + al * bh);
};
const ddDivInt = ([ah, al], i) => {
  const q1 = ah / i;
  const [p, e] = twoProd(q1, i);
  return quick(q1, (ah - p - e + al) / i);
};
const LN2_DD = [Math.LN2, 2.3190468138462996e-17];

/** e^x as { hi, lo, k } with e^x = (hi + lo)·2^k and hi + lo ≈ e^r, |r| ≤ ln2/2 (2^-100);
 * x may be a double-double x + xlo. */
export function expDD(x, xlo = 0) {
  const k = Math.round(x / LN2_DD[0]);
  const kl = ddMul([k, 0], LN2_DD);
  const r = ddAdd([x, xlo], [-kl[0], -kl[1]]);
  let term = [1, 0],
    sum = [1, 0];
  for (let i = 1; i < 28; i++) {
    term = ddDivInt(ddMul(term, r), i);
    sum = ddAdd(sum, term);
  }
  return { hi: sum[0], lo: sum[1], k };
}

const f64bits = new Float64Array(1),
  u64 = new BigUint64Array(f64bits.buffer);
/** The float64 ULP at |v| (2^-1074 below the normal range). */
export function ulp64(v) {
  f64bits[0] = Math.abs(v);
  const e = Number(u64[0] >> 52n);
  return e === 0 ? 2 ** -1074 : 2 ** (e - 1075);
}

/** Error of the float64 y against e^x, in ULP of the float64 grid at e^x. */
export function expUlpError64(y, x) {
  const { hi, lo, k } = expDD(x);
  if (k > 1024) return y === Infinity ? 0 : Infinity;
  const exact = (hi + lo) * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2)); // for the ULP and overflow
  if (exact === Infinity) return y === Infinity ? 0 : Infinity;
  const ulp = ulp64(exact) || 2 ** -1074;
  // Compare in the scaled domain, where y·2^-k and hi are close and their difference exact.
  const ys = k >= 0 ? y / 2 ** Math.min(k, 1023) / 2 ** Math.max(k - 1023, 0) : y * 2 ** Math.min(-k, 1023) * 2 ** Math.max(-k - 1023, 0);
  const us = k >= 0 ? ulp / 2 ** Math.min(k, 1023) / 2 ** Math.max(k - 1023, 0) : ulp * 2 ** Math.min(-k, 1023) * 2 ** Math.max(-k - 1023, 0);
  return Math.abs(ys - hi - lo) / us;
}

/** Error of the float64 y against log x (x > 0 finite), in ULP at log x: one Newton step
 * y₁ = y₀ + (x·e^{−y₀} − 1) from y₀ = Math.log(x) with e^{−y₀} in double-double. */
export function logUlpError64(y, x) {
  const y0 = Math.log(x);
  const { hi, lo, k } = expDD(-y0);
  // x·e^{−y0} − 1 = x·2^k·(hi + lo) − 1, with x·2^k formed in two exact steps.
  const xs = x * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));
  const prod = ddMul([xs, 0], [hi, lo]);
  const t = prod[0] - 1 + prod[1];
  const ref = [y0, t];
  if (y0 === 0 && t === 0) return y === 0 ? 0 : Infinity;
  return Math.abs(y - ref[0] - ref[1]) / ulp64(y0 + t || y0);
}

// ── exact decisions near float32 rounding midpoints ──
const scale2 = (v, k) => v * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));
const ddOf = ({ hi, lo, k }) => [scale2(hi, k), scale2(lo, k)]; // fine away from under/overflow
const ddDiv = ([ah, al], [bh, bl]) => {
  const q1 = ah / bh;
  const r = ddAdd([ah, al], ddMul([-q1, 0], [bh, bl]));
  return quick(q1, r[0] / bh);
};
/** log of the double-double a (> 0) by one Newton step from Math.log. */
function logDD(a) {
  const y0 = Math.log(a[0] + a[1]);
  const e = ddOf(expDD(-y0));
  const t = ddAdd(ddMul(a, e), [-1, 0]);
  return ddAdd([y0, 0], t);
}
const LOG2E_DD = ddDiv([1, 0], LN2_DD);

/** Double-double values of the float32 functions (about 2^-100 relative); sinf, cosf and
 * erff are added below, from BigInt fixed point. */
export const REFERENCE_DD = {
  expf: (x) => ddOf(expDD(x)),
  exp2f: (x) => {
    const n = Math.round(x),
      f = x - n; // exact for a float32 x
    const [h, l] = ddMul([f, 0], LN2_DD);
    const e = expDD(h, l);
    return ddOf({ ...e, k: e.k + n });
  },
  expm1f: (x) => ddAdd(ddOf(expDD(x)), [-1, 0]),
  sigmoidf: (x) => ddDiv([1, 0], ddAdd([1, 0], ddOf(expDD(-x)))),
  tanhf: (x) => {
    const e = ddAdd(ddOf(expDD(2 * x)), [-1, 0]); // e^{2x} − 1
    return ddDiv(e, ddAdd(e, [2, 0]));
  },
  logf: (x) => logDD([x, 0]),
  log2f: (x) => ddMul(logDD([x, 0]), LOG2E_DD),
  log1pf: (x) => logDD(quick(1, x)),
};

/**
 * Whether the float32 y is the correctly rounded value of fn at x, decided with the
 * double-double reference: y is correct when the exact value lies on y's side of the
 * midpoint between y and its neighbour towards the exact value. Undefined when the value
 * is out of the reference's range (above 2^127 in magnitude, or below 2^−120 for the
 * double-double ones).
 */
export function correctlyRounded(fn, x, y) {
  const ref = REFERENCE_DD[fn];
  if (!ref) return undefined;
  const [h, l] = ref(x);
  // The double-double references scale by 2^k and lose their low part far below 2^−120; the
  // BigInt ones keep full relative accuracy down to the smallest subnormal.
  const floor = BIGINT_REFERENCES.has(fn) ? 0 : 2 ** -120;
  if (!Number.isFinite(h) || Math.abs(h) < floor || Math.abs(h) > 2 ** 127) return undefined;
  const f32 = new Float32Array(1),
    bits = new Int32Array(f32.buffer);
  f32[0] = y;
  const above = h - y + l > 0; // the exact value is above y
  bits[0] += above === y >= 0 ? 1 : -1; // the neighbour towards the exact value
  const mid = (y + f32[0]) / 2; // exact in f64
  const d = h - mid + l; // exact value minus the midpoint
  return above ? d < 0 : d > 0;
}

// ── exact values in BigInt fixed point: sin, cos (reduction by π/2 to any float32 size) and
// erf, whose double-double forms would each need their own reduction or cancellation care ──
const FB = 320n; // fractional bits of the results
const f64view = new Float64Array(1),
  bitsView = new BigUint64Array(f64view.buffer);

/** The float64 x (finite) as the BigInt x·2^p, exact when x has at most p fractional bits. */
function toFixed(x, p) {
  f64view[0] = x;
  const b = bitsView[0],
    e = Number((b >> 52n) & 0x7ffn);
  const m = (b & 0xfffffffffffffn) | (e ? 1n << 52n : 0n);
  const shift = BigInt(Math.max(e, 1) - 1075) + p; // x = m·2^(e − 1075)
  const v = shift >= 0n ? m << shift : m >> -shift;
  return x < 0 ? -v : v;
}

/** The BigInt V·2^−p as a double-double [hi, lo]. */
function toDD(V, p) {
  const s = 2 ** -Number(p);
  const hi = Number(V) * s;
  return [hi, Number(V - toFixed(hi, p)) * s];
}

/** atan(1/k)·2^p by its alternating series. */
function atanInv(k, p) {
  const k2 = BigInt(k * k);
  let term = (1n << p) / BigInt(k),
    sum = term;
  for (let n = 1n; term !== 0n; n++) {
    term /= k2;
    sum += (n % 2n ? -term : term) / (2n * n + 1n);
  }
  return sum;
}

const PI_BITS = FB + 200n; // π/2 multiplied by |x|/(π/2) < 2^128 keeps FB + 72 bits
const HALF_PI = (16n * atanInv(5, PI_BITS + 8n) - 4n * atanInv(239, PI_BITS + 8n)) >> 9n; // Machin: π/2·2^PI_BITS

/** sin and cos of r·2^−FB (|r| ≤ π/4) by their Taylor series, in FB-bit fixed point. */
function sinCosFixed(r) {
  const r2 = (r * r) >> FB;
  let s = r,
    c = 1n << FB,
    ts = r,
    tc = c;
  for (let n = 1n; ts !== 0n || tc !== 0n; n++) {
    ts = -((ts * r2) >> FB) / (2n * n * (2n * n + 1n));
    tc = -((tc * r2) >> FB) / ((2n * n - 1n) * (2n * n));
    s += ts;
    c += tc;
  }
  return [s, c];
}

/** sin x or cos x (cos when `cos`) as a double-double, x reduced exactly: |x| = j·π/2 + r. */
function sinCosDD(x, cos) {
  const X = toFixed(Math.abs(x), PI_BITS);
  const j = (X + HALF_PI / 2n) / HALF_PI;
  const [s, c] = sinCosFixed((X - j * HALF_PI) >> (PI_BITS - FB));
  const q = Number(j % 4n);
  // sin(jπ/2 + r) and cos(jπ/2 + r) for j mod 4 = 0, 1, 2, 3.
  let v = cos ? [c, -s, -c, s][q] : [s, c, -s, -c][q];
  if (!cos && x < 0) v = -v;
  return toDD(v, FB);
}

/** erf x as a double-double: 2/√π·Σ (−1)^n x^{2n+1}/(n!(2n + 1)) with enough guard bits
 * for the series' cancellation (its largest term is about e^{x²}). */
function erfDD(x) {
  const a = Math.abs(x);
  if (a >= 10) return [Math.sign(x), -Math.sign(x) * 2e-45]; // erfc 10 < 3e-45: far from any float32 midpoint
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: log2 e rounded up on purpose, a bound on the guard bits
  const p = FB + BigInt(Math.ceil(a * a * 1.4427)) + 16n;
  const A = toFixed(a, p),
    A2 = (A * A) >> p;
  let term = A,
    sum = A; // term = (−1)^n a^{2n+1}/n!
  for (let n = 1n; term !== 0n; n++) {
    term = -((term * A2) >> p) / n;
    sum += term / (2n * n + 1n);
  }
  const pi = (HALF_PI << 1n) >> (PI_BITS - p);
  const sqrtPi = isqrt(pi << p);
  const v = ((2n * sum) << p) / sqrtPi;
  return toDD(x < 0 ? -v : v, p);
}

function isqrt(n) {
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const BIGINT_REFERENCES = new Set(["sinf", "cosf", "erff"]);
REFERENCE_DD.sinf = (x) => sinCosDD(x, false);
REFERENCE_DD.cosf = (x) => sinCosDD(x, true);
REFERENCE_DD.erff = erfDD;
