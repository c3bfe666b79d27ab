// Independent references for the xVA tests and benchmarks: the normal distribution by
// Marsaglia's series (not the library's erfc), Black–Scholes, Black–Cox first passage,
// Simpson quadrature, and a Crank–Nicolson finite-difference solver for the one-factor
// nonlinear pricing PDEs with regime-switching rates (policy iteration at each step).

/**
 * Φ(x) by Marsaglia (2004): ½ + φ(x)(x + x³/3 + x⁵/15 + …); |x| > 8 saturates.
 * @param {number} x
 * @returns {number}
 */
export function Phi(x) {
  if (x < -8) return 0;
  if (x > 8) return 1;
  let s = x,
    t = x;
  for (let i = 3; s + t !== s; i += 2) s += t *= (x * x) / i;
  return 0.5 + s * Math.exp(-0.5 * x * x - 0.9189385332046728); // ln √(2π), Marsaglia's 0.91893853320467274178 as the double it rounds to
}

/**
 * Black–Scholes call and put (no dividends).
 * @param {number} S spot
 * @param {number} K strike
 * @param {number} r risk-free rate
 * @param {number} sigma volatility
 * @param {number} T maturity (years)
 * @returns {number}
 */
export function bsCall(S, K, r, sigma, T) {
  if (T <= 0) return Math.max(S - K, 0);
  const sd = sigma * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  return S * Phi(d1) - K * Math.exp(-r * T) * Phi(d1 - sd);
}
/** @type {typeof bsCall} */
export function bsPut(S, K, r, sigma, T) {
  return bsCall(S, K, r, sigma, T) - S + K * Math.exp(-r * T);
}

/**
 * Black–Cox: probability that V₀e^{νt + σW_t} (ν = μ − σ²/2) touches B < V₀ before T, and
 * the density of that first-passage time.
 * @param {number} V0 firm value now
 * @param {number} B barrier (< V0)
 * @param {number} mu drift
 * @param {number} sigma volatility
 * @param {number} T horizon (blackCoxDensity: the time t)
 * @returns {number}
 */
export function blackCoxPd(V0, B, mu, sigma, T) {
  const nu = mu - 0.5 * sigma * sigma,
    b = Math.log(B / V0),
    s = sigma * Math.sqrt(T);
  return Phi((b - nu * T) / s) + Math.exp((2 * nu * b) / (sigma * sigma)) * Phi((b + nu * T) / s);
}
/** @type {typeof blackCoxPd} */
export function blackCoxDensity(V0, B, mu, sigma, t) {
  if (t <= 0) return 0;
  const nu = mu - 0.5 * sigma * sigma,
    b = Math.log(B / V0);
  return (Math.abs(b) / (sigma * Math.sqrt(2 * Math.PI * t * t * t))) * Math.exp(-((b - nu * t) ** 2) / (2 * sigma * sigma * t));
}

/**
 * ∫_a^b f by composite Simpson with n (even) intervals.
 * @param {(x: number) => number} f
 * @param {number} a
 * @param {number} b
 * @param {number} [n]
 * @returns {number}
 */
export function simpson(f, a, b, n = 2000) {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/**
 * Solves u_τ = ½σ²S²u_SS + a·S·u_S − b·u backward from u(τ=0) = payoff, where (a, b) at each
 * node come from coeffs(u, S·u_S) (regimes re-chosen by policy iteration each step), on a
 * uniform S grid [0, sMax] with u_SS = 0 at sMax (upwind), by Crank–Nicolson with four
 * implicit half steps first (Rannacher). Returns u(S0) by linear interpolation.
 * @param {object} problem
 * @param {number} problem.S0 spot at which u is read off
 * @param {number} problem.sigma volatility
 * @param {number} problem.T maturity
 * @param {(S: number) => number} problem.payoff u at τ = 0
 * @param {(u: number, SuS: number) => [number, number]} problem.coeffs (a, b) at a node from u and S·u_S
 * @param {number} [problem.sMax] top of the S grid (default 5·S0)
 * @param {number} [problem.nS] S intervals (default 6000)
 * @param {number} [problem.nT] time steps (default 1000)
 * @returns {number}
 */
export function solvePde({ S0, sigma, T, payoff, coeffs, sMax = 5 * S0, nS = 6000, nT = 1000 }) {
  const dS = sMax / nS,
    J = nS + 1;
  const S = Float64Array.from({ length: J }, (_, j) => j * dS);
  /** @type {Float64Array} */
  let u = S.map(payoff);
  const A = new Float64Array(J),
    Bd = new Float64Array(J),
    C = new Float64Array(J),
    rhs = new Float64Array(J);
  const a = new Float64Array(J),
    b = new Float64Array(J);
  /** @type {(v: Float64Array, j: number) => number} S·u_S at node j (one-sided at the ends) */
  const sus = (v, j) => (j === 0 ? 0 : j === J - 1 ? (S[j] * (v[j] - v[j - 1])) / dS : (S[j] * (v[j + 1] - v[j - 1])) / (2 * dS));
  // L v at node j, as (lower, diag, upper) coefficients.
  /** @type {(j: number, aj: number, bj: number) => [number, number, number]} */
  const op = (j, aj, bj) => {
    if (j === 0) return [0, -bj, 0];
    if (j === J - 1) {
      const c = (aj * S[j]) / dS;
      return [-c, c - bj, 0];
    }
    const diff = (0.5 * sigma * sigma * S[j] * S[j]) / (dS * dS),
      conv = (aj * S[j]) / (2 * dS);
    return [diff - conv, -2 * diff - bj, diff + conv];
  };
  /** @param {Float64Array} v */
  const setCoeffs = (v) => {
    for (let j = 0; j < J; j++) [a[j], b[j]] = coeffs(v[j], sus(v, j));
  };
  const dts = [...Array(4).fill(T / nT / 2), ...Array(nT - 2).fill(T / nT)];
  for (let k = 0; k < dts.length; k++) {
    const dt = dts[k],
      th = k < 4 ? 1 : 0.5;
    setCoeffs(u);
    for (let j = 0; j < J; j++) {
      const [l, d, up] = op(j, a[j], b[j]);
      rhs[j] = u[j] + (1 - th) * dt * (d * u[j] + (j > 0 ? l * u[j - 1] : 0) + (j < J - 1 ? up * u[j + 1] : 0));
    }
    /** @type {Float64Array} */
    let next = u.slice();
    for (let it = 0; it < 50; it++) {
      setCoeffs(next);
      for (let j = 0; j < J; j++) {
        const [l, d, up] = op(j, a[j], b[j]);
        A[j] = -th * dt * l;
        Bd[j] = 1 - th * dt * d;
        C[j] = -th * dt * up;
      }
      const sol = thomas(A, Bd, C, rhs);
      let same = true;
      for (let j = 0; j < J && same; j++) {
        const [a1, b1] = coeffs(sol[j], sus(sol, j));
        if (a1 !== a[j] || b1 !== b[j]) same = false;
      }
      next = sol;
      if (same) break;
    }
    u = next;
  }
  const j = Math.floor(S0 / dS),
    w = (S0 - S[j]) / dS;
  return (1 - w) * u[j] + w * u[j + 1];
}

/**
 * Solves the tridiagonal system with sub-, main and super-diagonals a, b, c and right side d.
 * @param {Float64Array} a
 * @param {Float64Array} b
 * @param {Float64Array} c
 * @param {Float64Array} d
 * @returns {Float64Array}
 */
function thomas(a, b, c, d) {
  const n = d.length,
    cp = new Float64Array(n),
    dp = new Float64Array(n),
    x = new Float64Array(n);
  cp[0] = c[0] / b[0];
  dp[0] = d[0] / b[0];
  for (let i = 1; i < n; i++) {
    const m = b[i] - a[i] * cp[i - 1];
    cp[i] = c[i] / m;
    dp[i] = (d[i] - a[i] * dp[i - 1]) / m;
  }
  x[n - 1] = dp[n - 1];
  for (let i = n - 2; i >= 0; i--) x[i] = dp[i] - cp[i] * x[i + 1];
  return x;
}

/**
 * Sample mean and standard error.
 * @param {ArrayLike<number> & Iterable<number>} x
 * @returns {{ mean: number, se: number }}
 */
export function meanSe(x) {
  let s = 0,
    s2 = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
  }
  const n = x.length,
    m = s / n;
  return { mean: m, se: Math.sqrt(Math.max(0, s2 / n - m * m) / (n - 1)) };
}

/**
 * CVA of a forward (S0 = K = 100, σ = 0.25, r = 0.02, T = 1) against a Black–Cox
 * counterparty (V0 = 100, drift 0.02, σ = 0.25, barrier B) independent of it.
 * @param {number} B
 * @param {number} [recovery]
 */
export function structuralCvaRef(B, recovery = 0.4) {
  const r = 0.02;
  return (1 - recovery) * simpson((t) => bsCall(100, 100 * Math.exp(-r * (1 - t)), r, 0.25, t) * blackCoxDensity(100, B, 0.02, 0.25, t), 0, 1, 4000);
}

/**
 * The xva.run configuration of that case (2^15 paths, 100 steps, seed 17); `rho` correlates
 * the asset with the firm value, `extra` goes to the counterparty (e.g. a drift `tilt`).
 * @param {number} B
 * @param {Record<string, number>} [extra]
 * @param {number} [rho]
 */
export function structuralConfig(B, extra = {}, rho) {
  return {
    paths: 1 << 15,
    steps: 100,
    maturity: 1,
    seed: 17,
    r: 0.02,
    assets: { spot: [100], vol: [0.25] },
    ...(rho === undefined
      ? {}
      : {
          corr: [
            [1, rho],
            [rho, 1],
          ],
        }),
    trades: [{ type: /** @type {const} */ ("forward"), asset: 0, strike: 100 }],
    counterparty: { value: 100, drift: 0.02, vol: 0.25, barrier: B, recovery: 0.4, ...extra },
  };
}
