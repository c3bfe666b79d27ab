// The four-layer xVA pipeline on one set of paths (structural defaults):
//   1 clean values V̂ per trade (Black–Scholes on every path and step) and netted;
//   2 initial margin over the margin period of risk (regressed conditional mean and variance
//     of V̂_{n+k} − V̂_n, normal quantile) and ColVA on variation margin;
//   3 CVA and DVA (close-out at the first default, exit-time BSDEs) and MVA;
//   4 FVA (recursive: the adjustment is part of its own funding need).
// Sign convention: V̂ is the value to the bank; CVA, MVA, ColVA and FVA are costs and DVA a
// benefit, all reported as the amounts in  V = V̂ − CVA + DVA − MVA − ColVA − FVA.
import { SolvewasmError } from "../errors.js";
import { checkInt, checkNumber, describe, readNumbers } from "../validate.js";
import type { Bsde } from "./index.js";
import type { Runtime } from "../runtime.js";
import { makeSpecial } from "./special.js";
import { MAX_STEPS, type ExitMethod, type FirmSpec } from "./paths.js";
import type { BsdeSolveResult } from "./solve.js";
import { PayoffKind } from "../generated/layouts.js";

export interface Trade {
  type: "forward" | "call" | "put";
  /** Index of the underlying in `assets`. */
  asset: number;
  strike: number;
  /** Expiry (≤ the horizon; default the horizon). Values are 0 after it. */
  maturity?: number;
  /** Signed quantity: negative for a short position (default 1). */
  notional?: number;
}

export interface Party extends FirmSpec {
  /** Recovery rate R ∈ [0, 1]: the loss given default is 1 − R. */
  recovery: number;
}

export interface XvaConfig {
  paths: number;
  steps: number;
  /** Horizon T (the last trade's expiry). */
  maturity: number;
  seed?: number;
  /** Risk-free rate r (the drift of every asset under Q). */
  r: number;
  assets: { spot: ArrayLike<number>; vol: ArrayLike<number> };
  /** Correlation of the assets, then the bank, then the counterparty (those present). */
  corr?: ArrayLike<ArrayLike<number>>;
  trades: Trade[];
  /** The bank's firm value and barrier (omit for a default-free bank: DVA = 0). */
  bank?: Party;
  /** The counterparty's firm value and barrier (omit for a default-free one: CVA = 0). */
  counterparty?: Party;
  exit?: ExitMethod;
  /** Variation margin C_n = sign(V̂)·max(|V̂_{n−lag}| − threshold, 0) (default: none). */
  collateral?: { threshold?: number; lag?: number };
  /** Initial margin over a margin period of risk of `mpr` steps at `quantile` (default 0.99);
   * mpr 0 (default) means no IM. method "normal" (default): the regressed conditional mean
   * and variance of the value change with a normal quantile (ORE's regression DIM);
   * "quantile": the conditional quantiles themselves by quantile regression (pinball loss,
   * about 30× the cost). */
  im?: { mpr: number; quantile?: number; method?: "normal" | "quantile" };
  /** Funding rates (default r): unsecured lending/borrowing rfl/rfb, IM remuneration rim,
   * collateral remuneration rcl (received) / rcb (posted). */
  funding?: { rfl?: number; rfb?: number; rim?: number; rcl?: number; rcb?: number };
  /** Total degree of the regression basis (default 2) in the log-states and V̂. */
  degree?: number;
  /** Called as each layer finishes, with its name and milliseconds. */
  onProgress?: (layer: string, ms: number) => void;
}

export interface Estimate {
  value: number;
  /** Monte Carlo standard error. */
  se: number;
}

export interface XvaResult {
  /** Netted clean value V̂₀ and each trade's. */
  clean: { value: number; trades: number[] };
  cva: Estimate;
  dva: Estimate;
  mva: Estimate;
  colva: Estimate;
  /** FVA = FCA − FBA: FCA from funding positive exposure at rfl, FBA from negative at rfb. */
  fva: Estimate & { fca: number; fba: number };
  /** V̂₀ − CVA + DVA − MVA − ColVA − FVA. */
  adjusted: number;
  /** Probability of default before T (likelihood-weighted when tilted). */
  defaultProbability: { bank: number; counterparty: number };
  /** Per grid time: discounted expected positive / negative exposure E[e^{−rt}(V̂ − C)^±]
   * and the mean initial margin the bank posts. */
  profiles: { times: Float64Array; epe: Float64Array; ene: Float64Array; im: Float64Array };
  /** Milliseconds per layer. */
  timings: Record<"paths" | "clean" | "margin" | "cva" | "fva", number>;
}

export interface Xva extends Bsde {
  /** Runs the four layers and returns the breakdown (see XvaConfig, XvaResult).
   * @example
   * const res = xva.run({ paths: 1 << 15, steps: 50, maturity: 1, r: 0.02,
   *   assets: { spot: [100], vol: [0.25] }, trades: [{ type: "forward", asset: 0, strike: 100 }],
   *   counterparty: { value: 100, drift: 0.02, vol: 0.25, barrier: 70, recovery: 0.4 } });
   * res.cva.value; */
  run(config: XvaConfig): XvaResult;
}

/** The pipeline's entry, over the BSDE pieces it builds on. */
export function makeXva(rt: Runtime, bsde: Bsde): Pick<Xva, "run"> {
  return { run: (c) => runXva(rt, bsde, c) };
}

const BS_KIND = { forward: PayoffKind.FORWARD, call: PayoffKind.CALL, put: PayoffKind.PUT } as const;

/** The largest clean value on any path the estimates can square without overflow. */
const MAX_VALUE = 1e150;

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

function runXva(rt: Runtime, bsde: Bsde, c: XvaConfig): XvaResult {
  const special = makeSpecial(rt);
  if (typeof c !== "object" || c === null) throw new SolvewasmError("INVALID_ARGUMENT", `xva.run takes a config object, got ${describe(c)}`);
  checkNumber(c.r, "r");
  const r = c.r;
  if (typeof c.assets !== "object" || c.assets === null) throw new SolvewasmError("INVALID_ARGUMENT", "assets must be { spot: number[], vol: number[] }");
  // Read once: the trades and the asset volatilities used below are these checked copies.
  const spot = readNumbers(c.assets.spot, "assets.spot", { memory: rt.memory });
  const vols = readNumbers(c.assets.vol, "assets.vol", { length: spot.length, memory: rt.memory });
  const d = spot.length;
  const maturity = c.maturity;
  checkNumber(maturity, "maturity");
  checkInt(c.steps, "steps", 1, MAX_STEPS); // before it bounds the margin period and lag below
  if (!Array.isArray(c.trades) || c.trades.length === 0) throw new SolvewasmError("INVALID_ARGUMENT", "trades must be a non-empty array");
  const trades: Trade[] = Array.from(c.trades, (given: Trade, i) => {
    if (typeof given !== "object" || given === null) throw new SolvewasmError("INVALID_ARGUMENT", `trades[${i}] must be a trade, got ${describe(given)}`);
    const { type, asset, strike, maturity: end, notional } = given;
    if (!["forward", "call", "put"].includes(type))
      throw new SolvewasmError("INVALID_ARGUMENT", `trades[${i}].type must be "forward", "call" or "put", got ${describe(type)}`);
    checkInt(asset, `trades[${i}].asset`, 0, d - 1);
    checkNumber(strike, `trades[${i}].strike`);
    if (type !== "forward" && !(strike > 0))
      throw new SolvewasmError("INVALID_ARGUMENT", `trades[${i}].strike must be positive for a ${type}, got ${strike} (a forward takes any strike)`);
    if (end !== undefined) {
      checkNumber(end, `trades[${i}].maturity`);
      if (!(end > 0) || end > maturity) throw new SolvewasmError("INVALID_ARGUMENT", `trades[${i}].maturity must be in (0, ${maturity}], got ${end}`);
    }
    if (notional !== undefined) checkNumber(notional, `trades[${i}].notional`);
    return { type, asset, strike, maturity: end, notional };
  });
  const parties = [c.bank, c.counterparty];
  parties.forEach((p, i) => {
    if (p === undefined) return;
    checkNumber(p.recovery, `${i ? "counterparty" : "bank"}.recovery`);
    if (p.recovery < 0 || p.recovery > 1)
      throw new SolvewasmError("INVALID_ARGUMENT", `${i ? "counterparty" : "bank"}.recovery must be in [0, 1], got ${p.recovery}`);
  });
  const mpr = c.im?.mpr ?? 0;
  checkInt(mpr, "im.mpr", 0, c.steps);
  const quantile = c.im?.quantile ?? 0.99;
  checkNumber(quantile, "im.quantile");
  if (!(quantile > 0.5 && quantile < 1)) throw new SolvewasmError("INVALID_OPTION", `im.quantile must be in (0.5, 1), got ${quantile}`);
  const imMethod = c.im?.method ?? "normal";
  if (imMethod !== "normal" && imMethod !== "quantile")
    throw new SolvewasmError("INVALID_OPTION", `im.method must be "normal" or "quantile", got ${describe(imMethod)}`);
  const threshold = c.collateral ? (c.collateral.threshold ?? 0) : Infinity;
  if (typeof threshold !== "number" || !(threshold >= 0))
    throw new SolvewasmError("INVALID_ARGUMENT", `collateral.threshold must be a number ≥ 0 (Infinity: uncollateralised), got ${describe(threshold)}`);
  const lag = c.collateral?.lag ?? mpr;
  checkInt(lag, "collateral.lag", 0, c.steps);
  const fr = { rfl: r, rfb: r, rim: r, rcl: r, rcb: r, ...c.funding };
  for (const [k, v] of Object.entries(fr)) checkNumber(v, `funding.${k}`);
  const degree = c.degree ?? 2;
  const timings = { paths: 0, clean: 0, margin: 0, cva: 0, fva: 0 };
  let t0 = now();
  const lap = (name: keyof typeof timings) => {
    const t = now();
    timings[name] = t - t0;
    c.onProgress?.(name, t - t0);
    t0 = t;
  };

  const firms = parties.filter((p): p is Party => p !== undefined);
  const bankBit = c.bank ? 1 : 0;
  const cptyBit = c.counterparty ? 1 << (c.bank ? 1 : 0) : 0;
  const paths = bsde.simulate({
    paths: c.paths,
    steps: c.steps,
    maturity,
    seed: c.seed,
    spot,
    drift: r,
    vol: vols,
    corr: c.corr,
    firms,
    exit: c.exit,
  });
  try {
    lap("paths");
    const M = paths.paths,
      N = paths.steps,
      h = paths.h;

    // Layer 1: clean values on every path and step (Black–Scholes in wasm).
    const clean: Float64Array[] = [];
    const tradeValues: number[] = [];
    const gen = rt.generation;
    const tmp = rt.alloc(8 * M);
    try {
      const value = (n: number, trades: Trade[], count: number) => {
        new Float64Array(rt.memory.buffer, tmp, count).fill(0);
        const t = n * h;
        for (const tr of trades) {
          const T = tr.maturity ?? maturity;
          if (t > T + 1e-12) continue;
          rt.call((ex) => ex.bsAccumulate(count, BS_KIND[tr.type], paths.logPtr(n, tr.asset), tr.strike, r, vols[tr.asset], T - t, tr.notional ?? 1, tmp));
        }
        return new Float64Array(rt.memory.buffer, tmp, count).slice();
      };
      for (let n = 0; n <= N; n++) clean.push(value(n, trades, M));
      for (const tr of trades) tradeValues.push(value(0, [tr], 1)[0]);
      // Standard errors and the margin regressions square these values: past ~1e150 their
      // squares leave float64 and the estimates would come back NaN.
      let largest = 0;
      for (const v of clean) for (let p = 0; p < M; p++) largest = Math.max(largest, Math.abs(v[p]));
      if (!(largest <= MAX_VALUE))
        throw new SolvewasmError(
          "NOT_FINITE",
          `the portfolio's values reach ${largest.toPrecision(3)}: past ${MAX_VALUE} their squares overflow float64 in the standard errors and margin regressions; state notionals in larger units`,
        );
    } finally {
      rt.free(tmp, 8 * M, gen);
    }
    lap("clean");

    // Layer 2: variation margin, initial margin by regression, ColVA.
    const vm = clean.map((_, n) => {
      const C = new Float64Array(M);
      if (threshold === Infinity || n - lag < 0) return C;
      const v = clean[n - lag];
      for (let p = 0; p < M; p++) C[p] = Math.sign(v[p]) * Math.max(Math.abs(v[p]) - threshold, 0);
      return C;
    });
    const imfc = clean.map(() => new Float64Array(M)); // IM the bank holds
    const imtc = clean.map(() => new Float64Array(M)); // IM the bank posts
    if (mpr > 0) {
      const z = special.normInv(quantile);
      for (let n = 0; n < N; n++) {
        const ahead = clean[Math.min(n + mpr, N)],
          v = clean[n];
        const dv = new Float64Array(M),
          dv2 = new Float64Array(M);
        for (let p = 0; p < M; p++) {
          dv[p] = ahead[p] - v[p];
          dv2[p] = dv[p] * dv[p];
        }
        const x = Array.from({ length: d }, (_, j) => paths.logValue(j, n));
        if (imMethod === "quantile") {
          const up = bsde.regress({ x, y: [dv], degree, quantile }).fitted[0];
          const down = bsde.regress({ x, y: [dv], degree, quantile: 1 - quantile }).fitted[0];
          for (let p = 0; p < M; p++) {
            imfc[n][p] = Math.max(up[p], 0);
            imtc[n][p] = Math.max(-down[p], 0);
          }
          continue;
        }
        const { fitted } = bsde.regress({ x, y: [dv, dv2], degree });
        for (let p = 0; p < M; p++) {
          const mean = fitted[0][p],
            sd = Math.sqrt(Math.max(fitted[1][p] - mean * mean, 0));
          imfc[n][p] = Math.max(mean + z * sd, 0);
          imtc[n][p] = Math.max(z * sd - mean, 0);
        }
      }
    }
    const zero = new Float64Array(M);
    const exitZero = new Float64Array(M);
    const basis = { degree, features: (n: number) => [clean[n]] };
    const exitSolve = (driver: Parameters<Bsde["solve"]>[0]["driver"], exitValue: Float64Array, keepGrid = false): BsdeSolveResult =>
      bsde.solve({ paths, driver, terminal: zero, exitValue: firms.length ? exitValue : undefined, basis, keepGrid });
    const colva = threshold === Infinity ? undefined : exitSolve(bsde.drivers.colva({ r, rcl: fr.rcl, rcb: fr.rcb, collateral: (n) => vm[n] }), exitZero);
    lap("margin");

    // Layer 3: close-out at the first default.
    const who = paths.exitWho,
      step = paths.exitStep;
    const cvaExit = new Float64Array(M),
      dvaExit = new Float64Array(M);
    for (let p = 0; p < M; p++) {
      const n = step[p];
      if (n === 0) continue;
      const exposure = clean[n][p] - vm[n][p];
      if (who[p] & cptyBit) cvaExit[p] = (1 - c.counterparty!.recovery) * Math.max(exposure - imfc[n][p], 0);
      if (who[p] & bankBit) dvaExit[p] = (1 - c.bank!.recovery) * Math.max(-(exposure + imtc[n][p]), 0);
    }
    const linear = bsde.drivers.linear({ r });
    const cva = c.counterparty ? exitSolve(linear, cvaExit) : undefined;
    const dva = c.bank ? exitSolve(linear, dvaExit) : undefined;
    const mva = mpr > 0 ? exitSolve(bsde.drivers.mva({ r, rfb: fr.rfb, rim: fr.rim, im: (n) => imtc[n] }), exitZero) : undefined;
    lap("cva");

    // Layer 4: FVA, recursive; FCA/FBA split pathwise along the fitted adjustment.
    const fvaRes = exitSolve(bsde.drivers.fva({ r, rfl: fr.rfl, rfb: fr.rfb, clean: (n) => clean[n], collateral: (n) => vm[n] }), exitZero, true);
    let fca = 0,
      fba = 0;
    const grid = fvaRes.grid!;
    const likelihood = paths.likelihood();
    for (let n = 0; n < N; n++) {
      const df = special.exp(-r * n * h) * h;
      for (let p = 0; p < M; p++) {
        if (step[p] !== 0 && step[p] <= n) continue;
        const need = clean[n][p] - vm[n][p] - grid[n][p];
        fca += likelihood[p] * df * (fr.rfl - r) * Math.max(need, 0);
        fba += likelihood[p] * df * (fr.rfb - r) * Math.max(-need, 0);
      }
    }
    lap("fva");

    const epe = new Float64Array(N + 1),
      ene = new Float64Array(N + 1),
      imProfile = new Float64Array(N + 1);
    for (let n = 0; n <= N; n++) {
      let a = 0,
        b = 0,
        m = 0;
      for (let p = 0; p < M; p++) {
        const e = clean[n][p] - vm[n][p];
        a += Math.max(e, 0);
        b += Math.max(-e, 0);
        m += imtc[n][p];
      }
      const df = special.exp(-r * n * h) / M;
      epe[n] = a * df;
      ene[n] = b * df;
      imProfile[n] = m / M;
    }
    let pdB = 0,
      pdC = 0;
    for (let p = 0; p < M; p++) {
      if (who[p] & bankBit && bankBit) pdB += likelihood[p];
      if (who[p] & cptyBit && cptyBit) pdC += likelihood[p];
    }
    // Linear layers report the likelihood-weighted pathwise mean: without a tilt it equals the
    // regression Y₀ to rounding; with one, re-weighting inside the regressions adds noise
    // (tens of standard errors at PD 0.6 %) that the pathwise mean does not have.
    const est = (s: BsdeSolveResult | undefined): Estimate => ({ value: s ? s.pathwise : 0, se: s ? s.se : 0 });
    const clean0 = clean[0][0];
    const out = {
      clean: { value: clean0, trades: tradeValues },
      cva: est(cva),
      dva: est(dva),
      mva: est(mva),
      colva: est(colva),
      fva: { value: fvaRes.y0, se: fvaRes.se, fca: fca / M, fba: fba / M },
      adjusted: 0,
      defaultProbability: { bank: pdB / M, counterparty: pdC / M },
      profiles: { times: paths.times.slice(), epe, ene, im: imProfile },
      timings,
    };
    out.adjusted = clean0 - out.cva.value + out.dva.value - out.mva.value - out.colva.value - out.fva.value;
    // The last guard: an estimate that left float64 on the way (values or their squares
    // overflowing over a long maturity, say) is an error, never a NaN in the result.
    for (const [name, e] of Object.entries({ cva: out.cva, dva: out.dva, mva: out.mva, colva: out.colva, fva: out.fva })) {
      if (!Number.isFinite(e.value) || !Number.isFinite(e.se))
        throw new SolvewasmError(
          "NOT_FINITE",
          `the ${name} estimate overflowed float64 (value ${e.value}, standard error ${e.se}): the values on the paths are too large for this maturity, these rates and volatilities, or these notionals`,
        );
    }
    return out;
  } finally {
    paths.dispose();
  }
}
