// logf (its fast tier: assembly/elementary/log-fast.ts), log2f and log1pf (search targets
// only): table-free float32 lanes after ARM optimized-routines' v_logf reduction. With
// u = bits(x) − bits(2/3), e = u >> 23 and m = float(u & 0x7fffff + bits(2/3)) ∈ [2/3, 4/3),
// x = 2^e·m and r = m − 1 ∈ [−⅓, ⅓] is exact (Sterbenz). Subnormal x are first scaled by 2^23. Then
//   log x  = e·ln2 + log1p(r):   hi = e·ln2_hi + r (e·ln2_hi exact: ln2_hi has 15 bits),
//            lo = (e·ln2_hi − hi) + r exactly (Fast2Sum: |e·ln2_hi| ≥ ln2_hi > |r| or e = 0),
//            y = hi + (lo + (k(r) + e·ln2_lo)), one rounding at the end;
//   log₂ x = e + log₂(1 + r):   below, with r/ln2 split exactly.
// The search evolves the small tail k (log1p(r) − r for logf), so the large terms stay exact
// and only k's own rounding and approximation error reach the result, relative to it
// (weight 1/|log(1 + r)|). Specials (x ≤ 0, ∞, NaN) are selects in the wasm lanes and
// outside the search's domain.
import { f, bitsOf, fromBits } from "../lanes.js";
import { r2Q, cost } from "../program.js";

const LN2_HI = 0.693145751953125;
const LN2_LO = f(Math.LN2 - LN2_HI);
const TWO_THIRDS = 0x3f2aaaab; // bits of 2/3 (rounded up)
const R_MIN = f(fromBits(TWO_THIRDS) - 1),
  R_MAX = f(fromBits(TWO_THIRDS + 0x800000 - 1) - 1);

/** x = 2^e·(1 + r) for a positive finite float32, as the lanes compute it. */
export function logReduce(x) {
  let ix = bitsOf(x),
    adj = 0;
  if (ix < 0x00800000) {
    ix = bitsOf(f(x * 2 ** 23)); // subnormal: exact scaling into the normal range
    adj = -23;
  }
  const u = (ix - TWO_THIRDS) | 0;
  const e = (u >> 23) + adj;
  const r = f(fromBits((u & 0x7fffff) + TWO_THIRDS) - 1);
  return { e, r };
}

/** Sampling for the logs: log-uniform over the whole positive range, and uniform near 1
 * (x ∈ [0.5, 2]: the results near 0, the hardest relative to themselves). */
const sample = (rand) => (rand() < 0.5 ? 0.5 + 1.5 * rand() : 2 ** (-149 + 277 * rand()));
/** Reduction boundaries: m near 2/3·2^k (where e changes) and x near 1. */
const critical = () => [...Array.from({ length: 60 }, (_, i) => fromBits(TWO_THIRDS) * 2 ** (i - 30)), 1, 0.75, 1.25];

/** The classical tail r²·Q(r) with at most `ops` operations, Q in Horner form, with the
 * Taylor coefficients of log1p(r) − r. */
function classicalLog(ops) {
  let d = 2;
  while (cost(r2Q(d + 1)) <= ops) d++;
  return { program: r2Q(d), taylor: Array.from({ length: d - 1 }, (_, j) => (j % 2 ? 1 : -1) / (j + 2)), degree: d };
}

export const logf = {
  name: "log",
  ships: "logfFast",
  interval: [R_MIN, R_MAX],
  kernel: (r) => Math.log1p(r) - r,
  weight: (r) => 1 / Math.max(Math.abs(Math.log1p(r)), 1e-30),
  reference: Math.log,
  domain: [1e-45, 3.4028234663852886e38],
  sample,
  full(x, k) {
    const { e, r } = logReduce(x);
    const a = f(e * LN2_HI);
    const hi = f(a + r);
    const lo = f(f(a - hi) + r);
    return f(hi + f(lo + f(k(r) + f(e * LN2_LO))));
  },
  critical,
  seeds: () => [r2Q(8), r2Q(9), r2Q(10), r2Q(11)],
  maxNodes: 20,
  classical: classicalLog,
};

// log2f: log₂(1 + r) = r/ln2 + t(r). r/ln2 is split exactly: 1/ln2 = L_hi + L_lo with L_hi of
// 12 significant bits and r = r_hi + r_lo by Veltkamp's split (c = 4097·r, r_hi = c − (c − r)),
// so r_hi·L_hi and r_lo·L_hi are exact products; k evolves the small tail t(r) ≈
// log₂(1 + r) − r/ln2 (weight 1/|log₂(1 + r)|). (With the tail log₂(1 + r) − r instead, 44 %
// of the result, its rounding alone costs 0.5 ULP: 1.02 ULP at best.)
export const L_HI = 1.44287109375; // 2955/2048
export const L_LO = f(1 / Math.LN2 - L_HI);

export const log2f = {
  name: "log2",
  // No fast tier ships: exhaustively the best kernel (cost 22) errs by 1.10 ULP at x ≈ 1.336,
  // where e = 1 and log₂ m ≈ −0.58 cancel; its worst inputs are the hard cases.
  interval: [R_MIN, R_MAX],
  kernel: (r) => Math.log2(1 + r) - r / Math.LN2,
  weight: (r) => 1 / Math.max(Math.abs(Math.log2(1 + r)), 1e-30),
  reference: Math.log2,
  domain: [1e-45, 3.4028234663852886e38],
  sample,
  full(x, k) {
    const { e, r } = logReduce(x);
    const c = f(r * 4097);
    const rh = f(c - f(c - r)),
      rl = f(r - rh);
    const p = f(rh * L_HI);
    const hi = f(e + p);
    const lo = f(f(e - hi) + p);
    return f(hi + f(lo + f(f(rl * L_HI) + f(f(r * L_LO) + k(r)))));
  },
  critical,
  seeds: () => [r2Q(9), r2Q(10), r2Q(11), r2Q(12)],
  maxNodes: 22,
  /** r²·Q(r) with the Taylor coefficients of (log1p(r) − r)/ln2. */
  classical(ops) {
    const cl = classicalLog(ops);
    return { ...cl, taylor: cl.taylor.map((v) => v / Math.LN2) };
  },
};

// log1pf (a search target; no fast tier ships, see below): 1 + x is not formed. k comes from m = fl(1 + x) by the same reduction, then
// f = x·2^−k + (2^−k − 1) as f_hi + f_lo by TwoSum (x·2^−k is an exact scaling and 2^−k − 1
// is exact for k ≤ 24; beyond, x ≥ 2^24 and log(1 + x) = log x to 2^−28 relative, so the
// constant is −1 and f = x·2^−k − 1 is exact by Sterbenz). Then as logf with r = f_hi, plus
// f_lo/(1 + f_hi) ≈ f_lo·(1 − f_hi), f_lo ≤ 2^−24·|f_hi|: log1p x = k·ln2 + log1p(f_hi) + ….
// For k = 0 (x ∈ [−⅓, ⅓]) f = x exactly, so results near 0 keep their relative accuracy.
export function log1pReduce(x) {
  const m = f(1 + x);
  const u = (bitsOf(m) - TWO_THIRDS) | 0;
  const k = u >> 23;
  // x·2^−k by its exponent field (exact: x and the result are normal wherever k ≠ 0), and
  // 2^−k − 1 from 2^−k's bits (k ∈ [−24, 24] there).
  const d = fromBits(bitsOf(x) - (k << 23));
  const c = k > 24 ? -1 : f(fromBits((127 - k) << 23) - 1);
  // TwoSum(d, c): exact for any magnitudes.
  const s = f(d + c);
  const bb = f(s - d);
  const lo = f(f(d - f(s - bb)) + f(c - bb));
  return { k, rh: s, rl: lo };
}

export const log1pf = {
  name: "log1p",
  // No fast tier ships: exhaustively this reconstruction with the cost-18 kernel errs by
  // 1.04 ULP at x ≈ 0.380 (k = 1, f ≈ −0.31: ln2 and log1p f cancel); the hard cases below.
  interval: [R_MIN - 2 ** -23, R_MAX + 2 ** -23], // f_hi may pass m's interval by its rounding
  kernel: (r) => Math.log1p(r) - r,
  weight: (r) => 1 / Math.max(Math.abs(Math.log1p(r)), 1e-30),
  reference: Math.log1p,
  domain: [-0.99999994, 3.4028234663852886e38],
  sample: (rand) => (rand() < 0.5 ? -0.5 + 1.5 * rand() : rand() < 0.5 ? 2 ** (-149 + 277 * rand()) : -(2 ** (-149 + 149 * rand()))),
  full(x, K) {
    if (x === 0) return x; // ±0 (the lanes' slow path: −0 + 0 would give +0)
    const { k, rh, rl } = log1pReduce(x);
    const a = f(k * LN2_HI);
    const hi = f(a + rh);
    const lo = f(f(a - hi) + rh);
    const tail = f(f(K(rh) + f(k * LN2_LO)) + f(rl * f(1 - rh)));
    return f(hi + f(lo + tail));
  },
  critical: () => [0, -1 / 3, 1 / 3, 0.5, -0.5, 1, 2 ** 24, 2 ** 25, -0.75, 2 ** -20, -(2 ** -20)],
  seeds: () => [r2Q(9), r2Q(10), r2Q(11)],
  maxNodes: 20,
  classical: classicalLog,
};
