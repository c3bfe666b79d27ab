// tanhf: a search target; its fast tier is not shipped. The float32-lane tanh below was built
// (≤ 0.9921 ULP exhaustively) but ran no faster than tanhf's float64 route: 398 and 335 against
// 394 and 381 M elements/s at 2^16 and 2^22 (bench/RESULTS.md), since e^{2|x|}, its hi + lo
// split, the division and its correction take ~52 float32 operations per vector. The design:
//   |x| < 13/16: tanh x = x + k(x), k ≈ tanh x − x (odd, x³·Q(x²)) — the evolved kernel; x
//               stays exact and the result rounds once.
//   |x| ≥ 13/16: tanh |x| = 1 − q, q = 2/(E + 1), E = e^{2|x|} from expf's reduction and
//               evolved kernel (targets/exp.js), kept as E_hi + E_lo (Fast2Sum of its last
//               addition, both scaled by 2^n exactly); D = E_hi + 1 with its exact error
//               (Fast2Sum), t = D_err + E_lo; q₀ = fl(2/D) and q ≈ q₀ − q₀²·t/2; 1 − q₀ as
//               h + l (Fast2Sum), y = h + (l + q₀²·t/2) rounded once, the sign of x put back.
//   At |x| ≥ 13/16, q < ¼, so q₀'s rounding costs at most ⅛ ULP of y; |x| is clamped to 9.5
//   (tanh rounds to 1 beyond 9.01) so E stays finite.
import PROGRAMS from "../programs.json" with { type: "json" };
import { f } from "../lanes.js";
import { C, R, R2, cost, evaluateF32 } from "../program.js";
import { expParts } from "./exp.js";

export const SMALL = 0.8125;
const A_MAX = 9.5;

/** r³·Q(r²) with Q of degree d in r², Horner form: the odd tail of an odd function. */
export function oddTail(d) {
  const nodes = [{ op: "*", a: C + d, b: R2 }];
  for (let k = d - 1; k >= 0; k--) {
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    nodes.push({ op: "*", a: nodes.length - 1, b: R2 });
  }
  nodes.push({ op: "*", a: nodes.length - 1, b: R });
  return { nodes, nconst: d + 1 };
}

const expKernel = (r) => evaluateF32(PROGRAMS.expf.evolved, PROGRAMS.expf.evolved.c, r);

/** tanh |x| for |x| ≥ 13/16 in float32 lanes (the large branch), sign of x put back. */
export function tanhLarge(x) {
  const a = Math.min(Math.abs(x), A_MAX);
  const { n, a: a1, s } = expParts(f(a + a), expKernel);
  const eh = f(a1 + s),
    el = f(f(a1 - eh) + s);
  const p = 2 ** n; // n ≤ 28: a normal power of two, both products exact
  const Eh = f(eh * p),
    El = f(el * p);
  const D = f(Eh + 1),
    De = f(f(Eh - D) + 1);
  const t = f(De + El);
  const q0 = f(2 / D);
  const corr = f(f(q0 * q0) * f(t * 0.5));
  const h = f(1 - q0),
    l = f(f(1 - h) - q0);
  const y = f(h + f(l + corr));
  return x < 0 ? -y : y;
}

export const tanhf = {
  name: "tanh",
  interval: [-SMALL, SMALL],
  kernel: (r) => Math.tanh(r) - r,
  weight: (r) => 1 / Math.max(Math.abs(Math.tanh(r)), 1e-30),
  reference: Math.tanh,
  domain: [-10, 10],
  uses: (x) => Math.abs(x) < SMALL,
  sample: (rand) => (2 * rand() - 1) * SMALL,
  full(x, k) {
    if (!(Math.abs(x) < SMALL)) return tanhLarge(x);
    return Math.abs(x) < 2 ** -12 ? x : f(x + k(x)); // tanh x rounds to x below 2^−12 (and −0 stays)
  },
  critical: () => [SMALL, -SMALL, 0.5, -0.5, 2 ** -12, 2 ** -60],
  seeds: () => [oddTail(4), oddTail(5), oddTail(6), oddTail(7)],
  /** The odd tail x³·Q(x²) with the Taylor coefficients of tanh x − x: −1/3, 2/15, −17/315, … */
  classical(ops) {
    let d = 0;
    while (cost(oddTail(d + 1)) <= ops) d++;
    const T = [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075, -929569 / 638512875, 6404582 / 10854718875, -443861162 / 1856156927625];
    return { program: oddTail(d), taylor: T.slice(0, d + 1), degree: 2 * d + 3 };
  },
};
