// expf and exp2f: the tails of e^r and 2^r after their range reductions (assembly/elementary/expf.ts).
import { f, nearest, pow2 } from "../lanes.js";
import { horner0, r2Q, rPlusR2Q, cost } from "../program.js";

const LOG2E = f(Math.LOG2E);
const LN2_HI = 0.693145751953125; // 0x1.62e4p-1: 15 significant bits, so n·LN2_HI is exact for |n| < 512
const LN2_LO = f(Math.LN2 - LN2_HI); // 0x1.7f7d1cp-20
const X_MIN = -104; // e^−104 < half the smallest subnormal: 0
const X_MAX = 89; // e^89 > the largest float32: +∞

export function factorial(k) {
  let p = 1;
  for (let i = 2; i <= k; i++) p *= i;
  return p;
}

/** The pieces of e^x before the last rounding, for the functions built on it (tanhf):
 * n, a = fl(1 + r), and the small part s = e + (k(r) + r_lo), so e^x ≈ (a + s)·2^n. */
export function expParts(x, k) {
  x = Math.min(Math.max(x, X_MIN), X_MAX);
  const n = nearest(f(x * LOG2E));
  const r1 = f(x - f(n * LN2_HI));
  const nlo = f(n * LN2_LO);
  const r = f(r1 - nlo);
  const rlo = f(f(r1 - r) - nlo);
  const a = f(1 + r);
  const e = f(f(1 - a) + r);
  return { n, a, s: f(e + f(k(r) + rlo)) };
}

/** y·2^⌊n/2⌋·2^(n − ⌊n/2⌋): exact but for the last product (subnormal results). */
export function scale(y, n) {
  const n1 = n >> 1;
  return f(f(y * pow2(n1)) * pow2(n - n1));
}

export const expf = {
  name: "exp",
  ships: "expf",
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
    const { n, a, s } = expParts(x, k);
    return scale(f(a + s), n);
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
};

export const exp2f = {
  name: "exp2",
  ships: "exp2f",
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
    return scale(f(a + f(e + k(r))), n);
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
};
