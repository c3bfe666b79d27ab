// sinf and cosf, fast tier (assembly/elementary/trig-fast.ts): float32 lanes, two kernels
// on the reduced argument shared by both functions, each evolved by its own target:
//   sin r ≈ r + (r_lo + S(r)),  S(r) ≈ sin r − r = r³·(s₀ + s₁r² + …)
//   cos r ≈ a + (e + (C(r) − r·r_lo)),  a + e = 1 − r²/2 exactly (Fast2Sum), C(r) ≈ cos r − 1 + r²/2
// Range reduction (Cody–Waite, as fdlibm's __ieee754_rem_pio2f and Cephes' sinf, here in
// float32 without FMA): a = |x| < 256, n = nearest(a·fl(2/π)) ≤ 163,
//   r₁ = a − n·P1                 exact: P1 has 12 significant bits (n·P1 ≤ 20 bits) and
//                                 a ≈ n·π/2 (Sterbenz);
//   r₂ = r₁ − n·P2, e₂ = (r₁ − r₂) − n·P2
//                                 n·P2 is exact for every n < 164 (P2 has 17 bits; checked over
//                                 all n), and e₂ is the exact error of r₂ (Fast2Sum: either
//                                 |r₁| ≥ |n·P2| or the difference is exact);
//   r = r₂ − n·P3, r_lo = ((r₂ − r) − n·P3) + e₂
//                                 n·P3 rounded: P1 + P2 + P3 carry π/2 to about 2^-62.
// Over every float32 a < 256, |(r + r_lo) − (a − n·π/2)| ≤ 2^-29.6·|a − n·π/2| (the worst is
// a = 252.8982, the float32 nearest to a multiple of π/2 below 2^9: |r| = 2^-27.8), so the
// reduction costs at most ~0.05 ULP. Beyond 256, n·P2 is no longer exact and that worst case
// loses all but 2^-25.5: |x| ≥ 256, ±∞ and NaN take trig.ts's accurate path (≤ 0.5 ULP).
// The quadrant q = n mod 4 picks the kernel and the sign, as in fdlibm's sinf/cosf; sin is
// odd, so it works on |x| and gives the result the sign of x (which also keeps sin(−0) = −0).
import { f, nearest } from "../lanes.js";
import { cost, evaluateF32, R, R2, C } from "../program.js";
import PROGRAMS from "../programs.json" with { type: "json" };

export const TWO_OVER_PI = f(2 / Math.PI); // 0x3f22f983
export const P1 = 1.57080078125; // 0x3fc91000, 12 significant bits
export const P2 = -0.00000445445766672492; // 0xb6957780, π/2 − P1 to 17 bits
export const P3 = 2.5633440682570896e-12; // 0x2c34611a, π/2 − P1 − P2 to float32
export const BOUND = 256; // the fast range |x| < 256 (see above)

/** The reduction of a = |x| < 256: the quadrant n and r + r_lo ≈ a − n·π/2. */
export function reduce(a) {
  const n = nearest(f(a * TWO_OVER_PI));
  const r1 = f(a - f(n * P1));
  const p2 = f(n * P2);
  const r2 = f(r1 - p2);
  const e2 = f(f(r1 - r2) - p2);
  const p3 = f(n * P3);
  const r = f(r2 - p3);
  const rlo = f(f(f(r2 - r) - p3) + e2);
  return { n, r, rlo };
}

/** sin of the reduced argument with tail kernel ks (an f32 function of r). */
export function sinOf(r, rlo, ks) {
  return f(r + f(rlo + ks(r)));
}

/** cos of the reduced argument with tail kernel kc: h = r²/2 (exact halving of fl(r²)),
 * a = fl(1 − h) and its exact error e = (1 − a) − h (Fast2Sum, 1 ≥ h), the first-order
 * term of r_lo (−r·r_lo), and one rounding at the end. */
export function cosOf(r, rlo, kc) {
  const h = f(0.5 * f(r * r));
  const a = f(1 - h);
  const e = f(f(1 - a) - h);
  return f(a + f(e + f(kc(r) - f(r * rlo))));
}

// trig.ts's accurate path for 256 ≤ |x| < 2^18 (its smallOne: float64 Cody–Waite and fdlibm's
// kernels, the same float64 operations in the same order), so `full` is bit-exact there too.
// Above 2^18 trig.ts reduces by Payne–Hanek; there `full` gives Math.sin/cos rounded to float32
// (the same bits but for the rare results within ~2^-30 ULP of a midpoint). The domain of the
// targets is the fast range, so the search never scores that path.
const TWO_OVER_PI_64 = 0.6366197723675814,
  PIO2_1 = 1.5707963267341256,
  PIO2_2 = 6.077100506303966e-11,
  PIO2_3 = 2.0222662487959506e-21;
// fdlibm's S1–S6 and C1–C6 (trig.ts), as the shortest decimals of the same doubles.
const S = [-0.16666666666666632, 0.00833333333332249, -0.0001984126982985795, 0.0000027557313707070068, -2.5050760253406863e-8, 1.58969099521155e-10];
const CC = [0.0416666666666666, -0.001388888888887411, 0.00002480158728947673, -2.7557314351390663e-7, 2.087572321298175e-9, -1.1359647557788195e-11];
function accurate(x, cos) {
  if (!Number.isFinite(x)) return NaN;
  if (Math.abs(x) >= 2 ** 18) return f(cos ? Math.cos(x) : Math.sin(x));
  const n = nearest(x * TWO_OVER_PI_64);
  const r = x - n * PIO2_1 - n * PIO2_2 - n * PIO2_3;
  const z = r * r;
  const s = r + r * z * (S[0] + z * (S[1] + z * (S[2] + z * (S[3] + z * (S[4] + z * S[5])))));
  const c = 1.0 - 0.5 * z + z * z * (CC[0] + z * (CC[1] + z * (CC[2] + z * (CC[3] + z * (CC[4] + z * CC[5])))));
  const v = n & 1 ? (cos ? s : c) : cos ? c : s;
  return f((cos ? (n + 1) & 2 : n & 2) ? -v : v);
}

/** r³·S(r²), S of degree d in r² in Horner form: the sin tail (odd, leading term exact). */
export function oddTail(d) {
  const nodes = [{ op: "*", a: C + d, b: R2 }];
  for (let k = d - 1; k >= 0; k--) {
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    if (k > 0) nodes.push({ op: "*", a: nodes.length - 1, b: R2 });
  }
  nodes.push({ op: "*", a: R, b: R2 });
  nodes.push({ op: "*", a: nodes.length - 2, b: nodes.length - 1 });
  return { nodes, nconst: d + 1 };
}

/** r⁴·C(r²), C of degree d in r² in Horner form: the cos tail. */
export function evenTail(d) {
  const p = oddTail(d);
  p.nodes[p.nodes.length - 2] = { op: "*", a: R2, b: R2 };
  return p;
}

// The fallback kernels while programs.json has no evolved one: Cephes' single-precision
// minimax coefficients (sinf.c, cosf.c: |r| ≤ π/4), in the shapes above.
const CEPHES_SIN = { nodes: oddTail(2).nodes, c: [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4].map(f) };
const CEPHES_COS = { nodes: evenTail(2).nodes, c: [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5].map(f) };

/** The shipped kernel of a target (programs.json's evolved entry) or the Cephes fallback. */
function stored(fn, fallback) {
  const e = PROGRAMS[fn]?.evolved ?? fallback;
  return (r) => evaluateF32({ nodes: e.nodes }, e.c, r);
}
const sinKernel = stored("sinf", CEPHES_SIN),
  cosKernel = stored("cosf", CEPHES_COS);

/** sinfFast (cos = false) or cosfFast of x with the kernels ks, kc. */
export function trigFast(x, ks, kc, cos) {
  const a = Math.abs(x);
  if (!(a < BOUND)) return accurate(x, cos);
  const { n, r, rlo } = reduce(a);
  const odd = (n & 1) === 1;
  const v = odd === cos ? sinOf(r, rlo, ks) : cosOf(r, rlo, kc);
  const neg = cos ? ((n + 1) & 2) !== 0 : ((n & 2) !== 0) !== (x < 0 || Object.is(x, -0));
  return neg ? -v : v;
}

const factorial = (k) => (k <= 1 ? 1 : k * factorial(k - 1));
const HI = f(255.99998); // the largest float32 below 256
// Reduction boundaries (a·2/π = k + ½, where n changes) and the cancellation points a ≈ k·π/2.
const critical = () => Array.from({ length: 2 * 163 }, (_, i) => ((i + 1) * Math.PI) / 4).filter((v) => v < BOUND);

export const sinf = {
  name: "sin",
  ships: "sinfFast",
  interval: [-0.7855, 0.7855], // π/4 and the slack of rounding a·2/π to float32
  kernel: (r) => Math.sin(r) - r,
  weight: (r) => 1 / Math.abs(Math.sin(r)),
  reference: Math.sin,
  domain: [-HI, HI],
  full: (x, k) => trigFast(x, k, cosKernel, false),
  uses: (x) => Math.abs(x) < BOUND && (reduce(Math.abs(x)).n & 1) === 0,
  critical,
  seeds: () => [oddTail(2), oddTail(3), oddTail(4)],
  /** r³·S(r²) with Taylor coefficients (−1)^(j+1)/(2j + 3)!. */
  classical(ops) {
    let d = 1;
    while (cost(oddTail(d + 1)) <= ops) d++;
    const taylor = Array.from({ length: d + 1 }, (_, j) => (j % 2 ? 1 : -1) / factorial(2 * j + 3));
    return { program: oddTail(d), taylor, degree: 2 * d + 3 };
  },
};

export const cosf = {
  name: "cos",
  ships: "cosfFast",
  interval: [-0.7855, 0.7855],
  kernel: (r) => r * r * 0.5 - 2 * Math.sin(r / 2) ** 2, // cos r − 1 + r²/2 without cancelling against 1
  weight: (r) => 1 / Math.cos(r),
  reference: Math.cos,
  domain: [-HI, HI],
  full: (x, k) => trigFast(x, sinKernel, k, true),
  uses: (x) => Math.abs(x) < BOUND && (reduce(Math.abs(x)).n & 1) === 0,
  critical,
  seeds: () => [evenTail(2), evenTail(3), evenTail(4)],
  /** r⁴·C(r²) with Taylor coefficients (−1)^j/(2j + 4)!. */
  classical(ops) {
    let d = 1;
    while (cost(evenTail(d + 1)) <= ops) d++;
    const taylor = Array.from({ length: d + 1 }, (_, j) => (j % 2 ? -1 : 1) / factorial(2 * j + 4));
    return { program: evenTail(d), taylor, degree: 2 * d + 4 };
  },
};
