// Transcendental functions for the xVA bindings, computed in wasm so that every runtime
// gets the same bits (engines' Math.exp/log differ in the last bit between V8 versions):
// exp and log are elementary/f64.ts's (fdlibm's, < 1 ULP; the scalar form of dexp/dlog,
// so both builds agree bit for bit), Φ is built on them here.
import { expOne, logOne } from "../elementary/f64";
import { PayoffKind } from "../generated/layouts";

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_PI = 1.7724538509055159;

/** erfc(x) for x ≥ 0: below 3 the positive series e^{−x²} Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1))
 * (no cancellation), above it Lentz's continued fraction; relative error ≈ 1e-15. */
function erfcPositive(x: f64): f64 {
  if (x < 3.0) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2.0 * x * x) / <f64>(2 * n + 1);
      sum += term;
    }
    return 1.0 - TWO_OVER_SQRT_PI * expOne(-x * x) * sum;
  }
  let f = x;
  let c = x;
  let d = 0.0;
  for (let k = 1; k < 300; k++) {
    const a = <f64>k * 0.5;
    d = 1.0 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1.0) < 1e-16) break;
  }
  return expOne(-x * x) / (SQRT_PI * f);
}

/** Φ(x), the standard normal distribution function. */
export function normCdf(x: f64): f64 {
  if (isNaN(x)) return x;
  const z = x * Math.SQRT1_2;
  return z >= 0 ? 1.0 - 0.5 * erfcPositive(z) : 0.5 * erfcPositive(-z);
}

/** e^x for one f64 (the bindings' scalar exp): expOne, the same bits as dexp. */
export function exp64(x: f64): f64 {
  return expOne(x);
}

/** log x for one f64 (the bindings' scalar log): logOne, the same bits as dlog. */
export function log64(x: f64): f64 {
  return logOne(x);
}

/** out[i] = exp(a·x[i] + b) for n f64 (in place allowed). */
export function expAffine(n: i32, a: f64, b: f64, px: usize, pOut: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(pOut + o, expOne(a * load<f64>(px + o) + b));
  }
}


/** out[p] += notional × the Black–Scholes value of a forward, call or put with strike K and
 * time to expiry tau on spot e^{logS[p]} (rate r, volatility sigma), for M paths. */
export function bsAccumulate(M: i32, kind: i32, pLogS: usize, K: f64, r: f64, sigma: f64, tau: f64, notional: f64, pOut: usize): void {
  const df = K * expOne(-r * tau);
  const sd = sigma * Math.sqrt(tau);
  const logK = logOne(K);
  for (let p = 0; p < M; p++) {
    const o = <usize>p << 3;
    const x = load<f64>(pLogS + o);
    const S = expOne(x);
    let v: f64;
    if (kind == PayoffKind.FORWARD) {
      v = S - df;
    } else if (tau <= 0) {
      v = kind == PayoffKind.CALL ? max(S - K, 0.0) : max(K - S, 0.0);
    } else {
      const d1 = (x - logK + (r + 0.5 * sigma * sigma) * tau) / sd;
      const d2 = d1 - sd;
      v = kind == PayoffKind.CALL ? S * normCdf(d1) - df * normCdf(d2) : df * normCdf(-d2) - S * normCdf(-d1);
    }
    store<f64>(pOut + o, load<f64>(pOut + o) + notional * v);
  }
}
