// Float64 exp and log (assembly/elementary/f64.ts: fdlibm's e_exp.c and e_log.c in f64x2
// lanes). The reductions and reconstructions are fdlibm's, emulated here in JavaScript's own
// float64 arithmetic (the same IEEE operations as the lanes, no FMA); the search evolves the
// polynomial fdlibm fits by Remez, so the evolved kernel competes with fdlibm's directly:
//   exp: k = nearest(x/ln2), hi = x − k·ln2_hi (exact), lo = k·ln2_lo, r = hi − lo,
//        c = r − K(r) with K(r) ≈ r·coth(r/2) − 2 = r²/6 − r⁴/360 + … (fdlibm: r²·P(r²), 5
//        coefficients), e^r = 1 − ((lo − r·c/(2 − c)) − hi), scaled by 2^k in two halves;
//   log: x = 2^k·m, m ∈ [√½, √2), f = m − 1, s = f/(2 + f),
//        log x = k·ln2_hi − ((f²/2 − (s·(f²/2 + K(s)) + k·ln2_lo)) − f), K(s) ≈
//        2·atanh(s)/s − 2 = 2s²/3 + 2s⁴/5 + … (fdlibm: 7 coefficients in s²).
// Fitness: the max error in float64 ULP against tools/ulp.js's double-double references.
import { expUlpError64, logUlpError64 } from "../../ulp.js";
import { nearest } from "../lanes.js";
import { C, R2, cost } from "../program.js";

const LN2_HI = 0.6931471803691238, // fdlibm's ln2_hi, 6.93147180369123816490e-01
  LN2_LO = 1.9082149292705877e-10,
  INV_LN2 = Math.LOG2E; // fdlibm's invln2, the same double

/** r²·Q(r²), Q of degree d − 1 in r² (Horner): the even tail of an even kernel. */
export function evenTail(d) {
  const nodes = [{ op: "*", a: C + d - 1, b: R2 }];
  for (let k = d - 2; k >= 0; k--) {
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    nodes.push({ op: "*", a: nodes.length - 1, b: R2 });
  }
  return { nodes, nconst: d };
}

/** The classical even tail with at most `ops` operations and Taylor coefficients `taylor(j)`. */
function classicalEven(ops, taylor) {
  let d = 1;
  while (cost(evenTail(d + 1)) <= ops) d++;
  return { program: evenTail(d), taylor: Array.from({ length: d }, (_, j) => taylor(j)), degree: 2 * d };
}

const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798];
const factorial = (k) => (k <= 1 ? 1 : k * factorial(k - 1));

export const exp = {
  name: "dexp",
  dtype: "f64",
  interval: [-0.3466, 0.3466],
  kernel: (r) => (r === 0 ? 0 : r / Math.tanh(r / 2) - 2),
  weight: () => 1,
  error: expUlpError64,
  reference: Math.exp,
  domain: [-745, 709.7],
  full(x0, K) {
    const x = Math.min(Math.max(x0, -746), 710);
    const k = nearest(x * INV_LN2);
    const hi = x - k * LN2_HI,
      lo = k * LN2_LO;
    const r = hi - lo;
    const c = r - K(r);
    const y = 1 - (lo - (r * c) / (2 - c) - hi);
    const k1 = Math.floor(k / 2); // the lanes' arithmetic shift
    return y * 2 ** k1 * 2 ** (k - k1);
  },
  critical: () => Array.from({ length: 200 }, (_, i) => (i - 100 + 0.5) * Math.LN2),
  seeds: () => [evenTail(4), evenTail(5), evenTail(6)],
  maxNodes: 14,
  /** r·coth(r/2) − 2 = Σ 2·B_{2n}·r^{2n}/(2n)!. */
  classical: (ops) => classicalEven(ops, (j) => (2 * BERNOULLI[j]) / factorial(2 * j + 2)),
};

export const log = {
  name: "dlog",
  dtype: "f64",
  interval: [-0.1716, 0.1716], // s for m ∈ [√½, √2)
  kernel: (s) => (s === 0 ? 0 : (2 * Math.atanh(s)) / s - 2),
  weight: () => 1,
  error: logUlpError64,
  reference: Math.log,
  domain: [2.2250738585072014e-308, 1.7976931348623157e308],
  sample: (rand) => (rand() < 0.5 ? 0.5 + rand() : Math.exp(-700 + 1400 * rand())),
  full(x, K) {
    const F = new Float64Array([x]),
      B = new BigUint64Array(F.buffer);
    let k = Number(B[0] >> 52n) - 1023;
    B[0] = (B[0] & 0xfffffffffffffn) | 0x3ff0000000000000n;
    let m = F[0];
    if (m > Math.SQRT2) {
      m *= 0.5;
      k += 1;
    }
    const f = m - 1;
    const s = f / (2 + f);
    const hfsq = 0.5 * f * f;
    return k * LN2_HI - (hfsq - (s * (hfsq + K(s)) + k * LN2_LO) - f);
  },
  critical: () => [1, Math.SQRT2, Math.SQRT1_2, 2, 0.5, 1 + 2 ** -30, 1 - 2 ** -30],
  seeds: () => [evenTail(5), evenTail(6), evenTail(7)],
  maxNodes: 16,
  /** 2·atanh(s)/s − 2 = Σ 2·s^{2n}/(2n + 1). */
  classical: (ops) => classicalEven(ops, (j) => 2 / (2 * j + 3)),
};
