// erffFast (assembly/elementary/erf-fast.ts): erf in float32 lanes, two pieces on a = |x|
// (clamped to 4, where erf rounds to 1: erfc x < 2^−25 from x = 3.9193 on), the sign put
// back last (erf is odd; ±0 kept, NaN passes through pmin):
//   a < SPLIT (0.8125): erf a = a + k(a), k ≈ erf a − a = a·(2/√π − 1 − …), the leading
//                       term a exact until the one final rounding (fdlibm s_erf.c and ARM
//                       optimized-routines erff use this form below 0.84375 and 0.921875);
//   SPLIT ≤ a ≤ 4:      erf a = 1 − e^{−a²}·Q(a − 1), Q(t) = erfcx(t + 1) = e^{(t+1)²}·erfc(t + 1)
//                       smooth (fdlibm's erfc form exp(−z²)·exp(R/S)/x without the second exp);
//                       the kernel is Q − Q0, Q0 = erfcx 1, so Q0 enters the last sums exactly
//                       (erfPart). e^{−a²} is expf's float32 route (targets/exp.js) applied to
//                       a² = hi + lo: hi = a_h² exact for a_h = a with its low 12 bits cleared,
//                       lo = (a − a_h)(a + a_h) (error ~2^−34 a²), and lo enters the argument
//                       reduction instead of being rounded into a² (a rounded a² errs by up to
//                       2^−24 a² in the exponent, 0.16 ULP of erf near a = 1).
// Evolved: the two kernels k (target erff, name "erf") and Q − Q0 (erffTail, "erfTail"),
// each with the other piece's kernel from programs.json (or the fixed minimax polynomials
// below before one is stored) and expf's evolved kernel for e^r; the pieces see disjoint
// inputs (`uses`), so the searches are independent. Cost model: program.js's operation
// count of the kernel alone (the reduction, exp and reconstruction are fixed, ~30 operations).
import PROGRAMS from "../programs.json" with { type: "json" };
import { f, nearest, bitsOf, fromBits } from "../lanes.js";
import { compile, evaluateF32, cost, horner0, R, R2, C } from "../program.js";
import { erf, erfcFraction } from "../../ulp.js";

// Below fdlibm's 0.84375 (ARM: 0.921875): the small piece's error grows as a³ (the rounding of
// a² times erf's a³ term), the tail's with erfc at the split; at 0.8125 both floors are ~0.65 ULP.
export const SPLIT = 0.8125;
export const X_CLAMP = 4;
export const TAIL_SHIFT = 1; // the tail kernel's argument t = a − 1 (exact for a ∈ [0.5, 4]): small near the split, where erfc is largest
const LOG2E = f(Math.LOG2E);
const LN2_HI = 0.693145751953125; // as in expf: n·LN2_HI exact for |n| < 512
const LN2_LO = f(Math.LN2 - LN2_HI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
export const Q0 = f(0.42758357615580705); // erfcx 1 in float32: the tail kernel approximates Q − Q0

/** erfcx x = e^{x²}·erfc x in float64: 1 − erf x below 2 (erfc ≥ 0.0047 there, so the
 * cancellation costs ~1e-13), the continued fraction of tools/ulp.js's erf above. */
export function erfcx(x) {
  if (x < 2) return (1 - erf(x)) * Math.exp(x * x);
  return 1 / (Math.sqrt(Math.PI) * erfcFraction(x));
}

/** A stored kernel as an f32 function of r: compiled, or interpreted where `new Function`
 * is forbidden (workerd). */
function kernelOf({ nodes, c }) {
  try {
    const F = compile({ nodes }, true);
    return (r) => F(r, c);
  } catch {
    return (r) => evaluateF32({ nodes }, c, r);
  }
}

/** r·P(r²), P of degree d in Horner form over r²: an odd polynomial without constant term. */
export function oddHorner(d) {
  const nodes = [{ op: "*", a: C + d, b: R2 }];
  for (let k = d - 1; k >= 0; k--) {
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    nodes.push({ op: "*", a: nodes.length - 1, b: k > 0 ? R2 : R });
  }
  return { nodes, nconst: d + 1 };
}

// Before a search stores a kernel: minimax polynomials fitted by tools/evolve/fit.js
// (oddHorner(6) for k, horner0(9) for Q − Q0; near 0.7 ULP on their samples).
const FALLBACK_SMALL = {
  ...oddHorner(6),
  c: [
    0.12837918102741241, -0.37612634897232056, 0.11283695697784424, -0.026859408244490623, 0.005201050080358982, -0.0008142852457240224, 0.00008370567229576409,
  ],
};
const FALLBACK_TAIL = {
  ...horner0(9),
  c: [
    -0.2732119560241699, 0.15437203645706177, -0.07921886444091797, 0.03748145326972008, -0.016303030773997307, 0.006233250256627798, -0.0018782917177304626,
    0.00037206546403467655, -0.00003447542985668406,
  ],
};

let cached;
/** The kernels erffFast ships: the stored evolved ones (or the fallbacks) and expf's. */
function shipped() {
  if (!cached) {
    cached = {
      small: kernelOf(PROGRAMS.erff?.evolved ?? FALLBACK_SMALL),
      tail: kernelOf(PROGRAMS.erffTail?.evolved ?? FALLBACK_TAIL),
      exp: kernelOf(PROGRAMS.expf.evolved),
    };
  }
  return cached;
}

/** erf a for a ≥ SPLIT from k = Q(a − 1) − Q0, e^{−a²} by expf's reduction (targets/exp.js
 * expParts) with lo folded in: n = nearest((hi + lo)·log2 e), r₁ = n·ln2_hi − hi (exact),
 * u = lo − n·ln2_lo, r = r₁ − u and its error r_lo = (r₁ − r) − u, so e^{−a²} = 2^−n·e^(r + r_lo);
 * in expm1 form m = r + (k_exp(r) + r_lo) ≈ e^r − 1. Then erfc·2^n = Q0 + s, s = k + (Q0 + k)·m,
 * and erf = d + (err − s·2^−n) with 1 − Q0·2^−n = d + err exactly (Fast2Sum; the scalings are
 * exact: n ≤ 23, no subnormals): Q, erfc and 1 − erfc are never rounded on their own, where
 * fl(1 − fl(fl(Q)·fl(e^{−a²}))) costs 0.81 ULP with the exact Q (0.65 this way). */
function erfPart(a, k, kexp) {
  const ah = fromBits(bitsOf(a) & 0xfffff000);
  const hi = f(ah * ah);
  const lo = f(f(a - ah) * f(a + ah));
  const n = nearest(f(f(hi + lo) * LOG2E));
  const r1 = f(f(n * LN2_HI) - hi);
  const u = f(lo - f(n * LN2_LO));
  const r = f(r1 - u);
  const rlo = f(f(r1 - r) - u);
  const m = f(r + f(kexp(r) + rlo));
  const q = f(Q0 + k);
  const s = f(k + f(q * m)); // erfc = (Q0 + s)·2^−n
  const scale = 2 ** -n;
  const c = f(Q0 * scale); // exact
  const d = f(1 - c);
  const err = f(f(1 - d) - c); // Fast2Sum: 1 − c = d + err exactly
  return f(d + f(err - f(s * scale)));
}

/** erffFast bit for bit, with small-piece kernel ks and tail kernel kt (f32 functions). */
export function erffFast(x, ks, kt, kexp) {
  if (Number.isNaN(x)) return NaN;
  const a = Math.min(Math.abs(x), X_CLAMP);
  const y = a < SPLIT ? f(a + ks(a)) : erfPart(a, kt(f(a - TAIL_SHIFT)), kexp);
  return x < 0 || Object.is(x, -0) ? -y : y; // the sign bit OR-ed in (y ≥ +0)
}

const factorial = (k) => (k <= 1 ? 1 : k * factorial(k - 1));
// Reduction boundaries of e^{−a²} (a²·log2 e = j + ½), the split and the clamp.
const critical = () => [
  SPLIT,
  -SPLIT,
  X_CLAMP,
  3.9193,
  ...Array.from({ length: 23 }, (_, j) => Math.sqrt((j + 0.5) * Math.LN2)).filter((v) => v >= SPLIT && v <= X_CLAMP),
];

export const erff = {
  name: "erf",
  ships: "erffFast",
  interval: [1e-4, SPLIT], // the kernel is odd; r = 0 itself would weigh 1/erf 0
  kernel: (r) => erf(r) - r,
  weight: (r) => 1 / erf(r),
  reference: erf,
  domain: [-SPLIT, SPLIT],
  uses: (x) => Math.abs(x) < SPLIT,
  full(x, k) {
    const s = shipped();
    return erffFast(x, k, s.tail, s.exp);
  },
  critical,
  seeds: () => [oddHorner(3), oddHorner(4), oddHorner(5), oddHorner(6)],
  /** a·P(a²) in Horner form over a² with the Taylor coefficients of erf a − a:
   * 2/√π·(−1)^j/(j!(2j + 1)), less 1 for j = 0. */
  classical(ops) {
    let d = 1;
    while (cost(oddHorner(d + 1)) <= ops) d++;
    const taylor = Array.from({ length: d + 1 }, (_, j) => (TWO_OVER_SQRT_PI * (-1) ** j) / (factorial(j) * (2 * j + 1)) - (j === 0 ? 1 : 0));
    return { program: oddHorner(d), taylor, degree: d };
  },
};

export const erffTail = {
  name: "erfTail",
  ships: "erffFast",
  interval: [SPLIT - TAIL_SHIFT, X_CLAMP - TAIL_SHIFT],
  kernel: (t) => erfcx(t + TAIL_SHIFT) - Q0,
  // An error δ in Q moves erf by e^{−a²}·δ: relative to erf, weight e^{−a²}/erf a.
  weight: (t) => Math.exp(-((t + TAIL_SHIFT) ** 2)) / erf(t + TAIL_SHIFT),
  reference: erf,
  domain: [-4.5, 4.5],
  sample: (rand) => (rand() < 0.5 ? -1 : 1) * (SPLIT + (X_CLAMP - SPLIT) * rand()),
  uses: (x) => Math.abs(x) >= SPLIT,
  full(x, k) {
    const s = shipped();
    return erffFast(x, s.small, k, s.exp);
  },
  critical,
  seeds: () => [horner0(8), horner0(9), horner0(10), horner0(11)],
  /** t·P(t) in Horner form with the Taylor coefficients c₁ … c_d of erfcx at 1 (c₀ = Q0 is
   * outside the kernel): y' = 2xy − 2/√π gives c₁ = 2c₀ − 2/√π, (j + 1)c_{j+1} = 2c_j + 2c_{j−1}. */
  classical(ops) {
    let d = 1;
    while (cost(horner0(d + 1)) <= ops) d++;
    const x0 = TAIL_SHIFT,
      c = [erfcx(x0), 2 * x0 * erfcx(x0) - TWO_OVER_SQRT_PI];
    for (let j = 1; j < d; j++) c.push((2 * x0 * c[j] + 2 * c[j - 1]) / (j + 1));
    return { program: horner0(d), taylor: c.slice(1, d + 1), degree: d };
  },
};
