// The standard normal distribution and Black–Scholes values, for the clean-value layer.

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erfc(x) for x ≥ 0: the positive series e^{−x²} Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)) below 3 (no
 * cancellation), the continued fraction above; relative error ≈ 1e-15. */
function erfcPositive(x: number): number {
  if (x < 3) {
    let term = x, sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  // Lentz's method on erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).
  let f = x, c = x, d = 0;
  for (let k = 1; k < 300; k++) {
    const a = k / 2;
    d = x + a * d;
    d = 1 / d;
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Φ(x), the standard normal distribution function. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = x * SQRT1_2;
  return z >= 0 ? 1 - 0.5 * erfcPositive(z) : 0.5 * erfcPositive(-z);
}

/** Φ⁻¹(p) for p ∈ (0, 1): Acklam's rational start refined by two Newton steps on Φ. */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  for (let i = 0; i < 2; i++) x -= (normCdf(x) - p) / (Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));
  return x;
}

/** Black–Scholes value of a forward (long S, pay K at τ), call or put with time to expiry τ. */
export function blackScholes(type: "forward" | "call" | "put", S: number, K: number, r: number, sigma: number, tau: number): number {
  if (type === "forward") return S - K * Math.exp(-r * tau);
  if (tau <= 0) return type === "call" ? Math.max(S - K, 0) : Math.max(K - S, 0);
  const sd = sigma * Math.sqrt(tau);
  const d1 = (Math.log(S / K) + (r + 0.5 * sigma * sigma) * tau) / sd;
  const d2 = d1 - sd;
  const df = K * Math.exp(-r * tau);
  return type === "call" ? S * normCdf(d1) - df * normCdf(d2) : df * normCdf(-d2) - S * normCdf(-d1);
}
