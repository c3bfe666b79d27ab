// What is evolved: the kernel of a float32 function on its reduced interval, inside a
// hand-written range reduction and scaling that are emulated here bit for bit as
// assembly/elementary/f32.ts computes them in f32x4 lanes.
import { ulpError } from "../ulp.js";
import { horner0, r2Q, rPlusR2Q, cost } from "./program.js";

const f = Math.fround;

/** Ties-to-even rounding, as f32x4.nearest. */
export function nearest(z) {
  const fl = Math.floor(z),
    d = z - fl;
  return d > 0.5 ? fl + 1 : d < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
}

const LOG2E = f(Math.LOG2E);
const LN2_HI = 0.693145751953125; // 0x1.62e4p-1: 15 significant bits, so n·LN2_HI is exact for |n| < 512
const LN2_LO = f(Math.LN2 - LN2_HI); // 0x1.7f7d1cp-20
const X_MIN = -104; // e^−104 < half the smallest subnormal: 0
const X_MAX = 89; // e^89 > the largest float32: +∞

/** 2^k as float32 for k ∈ [−126, 127]. */
const pow2 = (k) => 2 ** k;

export const TARGETS = {
  expf: {
    interval: [-0.3466, 0.3466], // ±ln2/2 and the slack of rounding x·log2 e to float32
    kernel: (r) => Math.expm1(r) - r, // the kernel approximates the tail e^r − 1 − r
    weight: (r) => 1 / Math.exp(r), // errors count relative to the result e^r
    reference: Math.exp,
    domain: [X_MIN - 1, X_MAX],
    /** e^x in float32 with kernel k (an f32 function of r): clamp, n = nearest(x·log2 e),
     * r₁ = x − n·ln2_hi (exact), r = r₁ − n·ln2_lo and its rounding error r_lo =
     * (r₁ − r) − n·ln2_lo; 1 + r as a = fl(1 + r) plus its exact error e = (1 − a) + r
     * (Fast2Sum), so y = a + (e + (k(r) + r_lo)) rounds once at the end; then y·2^⌊n/2⌋·2^(n − ⌊n/2⌋). */
    full(x, k) {
      x = Math.min(Math.max(x, X_MIN), X_MAX);
      const n = nearest(f(x * LOG2E));
      const r1 = f(x - f(n * LN2_HI));
      const nlo = f(n * LN2_LO);
      const r = f(r1 - nlo);
      const rlo = f(f(r1 - r) - nlo);
      const a = f(1 + r);
      const e = f(f(1 - a) + r);
      const y = f(a + f(e + f(k(r) + rlo)));
      const n1 = n >> 1;
      return f(f(y * pow2(n1)) * pow2(n - n1));
    },
    /** Reduction boundaries: x where n changes, i.e. x·log2 e = k + ½. */
    critical: () => Array.from({ length: 300 }, (_, i) => (i - 150 + 0.5) / Math.LOG2E),
    seeds: () => [r2Q(4), r2Q(5), r2Q(6), r2Q(7)],
    /** The classical tail with at most `ops` operations: r²·Q(r), Q in Horner form, and its
     * Taylor coefficients 1/(k + 2)!. */
    classical(ops) {
      let d = 2;
      while (cost(r2Q(d + 1)) <= ops) d++;
      const taylor = Array.from({ length: d - 1 }, (_, j) => 1 / factorial(j + 2));
      return { program: r2Q(d), taylor, degree: d };
    },
  },
  exp2f: {
    interval: [-0.5, 0.5],
    kernel: (r) => Math.expm1(r * Math.LN2) - r, // the tail 2^r − 1 − r (r is exact here)
    weight: (r) => 2 ** -r,
    reference: (x) => 2 ** x,
    domain: [-151, 129],
    /** 2^x in float32: clamp, n = nearest(x), r = x − n (exact); 1 + r as a = fl(1 + r) plus
     * its exact error e = (1 − a) + r (Fast2Sum), y = a + (e + k(r)) rounded once; then
     * y·2^⌊n/2⌋·2^(n − ⌊n/2⌋). (With y = 1 + k(r), k ≈ 2^r − 1, the search stalls at
     * 0.99 ULP: the rounding of k counts in full.) */
    full(x, k) {
      x = Math.min(Math.max(x, -151), 129);
      const n = nearest(x);
      const r = f(x - n);
      const a = f(1 + r);
      const e = f(f(1 - a) + r);
      const y = f(a + f(e + k(r)));
      const n1 = n >> 1;
      return f(f(y * pow2(n1)) * pow2(n - n1));
    },
    critical: () => Array.from({ length: 300 }, (_, i) => i - 150 + 0.5),
    seeds: () => [horner0(5), horner0(6), horner0(7), rPlusR2Q(6), rPlusR2Q(7)],
    /** r·P(r) in Horner form with the Taylor coefficients of 2^r − 1 − r: ln2 − 1, then ln2^k/k!. */
    classical(ops) {
      let d = 1;
      while (cost(horner0(d + 1)) <= ops) d++;
      const taylor = Array.from({ length: d }, (_, j) => (j === 0 ? Math.LN2 - 1 : Math.LN2 ** (j + 1) / factorial(j + 1)));
      return { program: horner0(d), taylor, degree: d };
    },
  },
};

function factorial(k) {
  let p = 1;
  for (let i = 2; i <= k; i++) p *= i;
  return p;
}

/** float32 sample points over the domain: uniform in value and in bit pattern, the
 * reduction boundaries with their float32 neighbours, and stored hard cases. */
export function samplePoints(target, count, rand, hard = []) {
  const [lo, hi] = target.domain;
  const pts = new Set();
  const bits = new Uint32Array(1),
    fl = new Float32Array(bits.buffer);
  const add = (x) => {
    const v = f(x);
    if (v >= lo && v <= hi) pts.add(v);
  };
  for (let i = 0; i < count / 2; i++) add(lo + (hi - lo) * rand());
  for (let i = 0; i < count / 4; i++) {
    bits[0] = (rand() * 2 ** 32) >>> 0;
    add(fl[0]);
  }
  for (const x of target.critical()) {
    fl[0] = x;
    const b = new Uint32Array(fl.buffer)[0];
    for (let d = -2; d <= 2; d++) {
      bits[0] = b + d;
      add(fl[0]);
    }
  }
  for (const x of hard) add(x);
  return Float64Array.from(pts);
}

/** Max ULP error of the full function with kernel k over the points (and the worst input). */
export function maxUlp(target, k, xs) {
  let worst = 0,
    at = NaN;
  for (const x of xs) {
    const ref = target.reference(x);
    const e = ulpError(target.full(x, k), ref);
    if (!(e <= worst)) {
      worst = e;
      at = x;
    }
  }
  return { ulp: worst, at };
}
