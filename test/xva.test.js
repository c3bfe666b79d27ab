// BSDE stepping and xVA (bindings/xva): the checks of §6.3 in ../shared/papers/xva-bsde.md.
// Every reference is computed here (closed forms, quadrature of closed-form integrands,
// finite differences in test/_finance.js); tolerances are about 3 standard errors or the
// stated bias budget. Seeds are fixed, so a failure reproduces.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { xva, createSolvewasm, memoryStats } from "solvewasm";
import { philox4x32 } from "./_philox.js";
import { rejects, assertSameBits } from "./_helpers.js";
import { scalarModule } from "./_fixtures.js";
import { bsCall, bsPut, blackCoxPd, simpson, solvePde, meanSe, structuralConfig, structuralCvaRef } from "./_finance.js";

const t = suite("xva");

/** Philox4x32-10 of counter c under key k, as an array of four words. */
function philoxJs(c, k) {
  const out = new Uint32Array(4);
  philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
  return [...out];
}

t("Philox4x32-10 matches the Random123 known answers, and a plain JS Philox on 1000 counters", async () => {
  const { raw } = await import("solvewasm");
  // biome-ignore format: a matrix or stencil literal reads as its grid
  const kat = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  raw((ex) => {
    const p = ex.alloc(16 * 1000);
    for (const [c, k, want] of kat) {
      ex.philoxBlock(1, ...c, ...k, p);
      assert.equal([...new Uint32Array(ex.memory.buffer, p, 4)], want);
      assert.equal(philoxJs(c, k), want);
    }
    ex.philoxBlock(1000, 7, 3, 2, 1, 12345, 678, p);
    const got = new Uint32Array(ex.memory.buffer, p, 4000);
    for (let i = 0; i < 1000; i++) assert.equal([...got.subarray(4 * i, 4 * i + 4)], philoxJs([7 + i, 3, 2, 1], [12345, 678]), `counter ${i}`);
    ex.free(p);
  });
});

t("correlated GBM: mean, variance and correlation of log-returns at T (d = 3), within 4 SE", () => {
  const M = 1 << 15,
    T = 1,
    r = 0.03,
    sig = [0.2, 0.3, 0.4],
    S0 = [100, 50, 10];
  const corr = [
    [1, 0.5, -0.3],
    [0.5, 1, 0.2],
    [-0.3, 0.2, 1],
  ];
  const ps = xva.simulate({ paths: M, steps: 10, maturity: T, seed: 42, spot: S0, drift: r, vol: sig, corr });
  try {
    const logs = [0, 1, 2].map((j) => ps.logValue(j, 10));
    for (let j = 0; j < 3; j++) {
      const S = logs[j].map(Math.exp);
      const { mean, se } = meanSe(S);
      assert.ok(Math.abs(mean - S0[j] * Math.exp(r * T)) < 4 * se, `E[S_T] asset ${j}: ${mean} vs ${S0[j] * Math.exp(r * T)} (SE ${se})`);
      const varRef = S0[j] ** 2 * Math.exp(2 * r * T) * (Math.exp(sig[j] ** 2 * T) - 1);
      const dev = S.map((s) => (s - mean) ** 2);
      const v = meanSe(dev);
      assert.ok(Math.abs(v.mean - varRef) < 4 * v.se, `Var[S_T] asset ${j}: ${v.mean} vs ${varRef} (SE ${v.se})`);
    }
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      const a = meanSe(logs[i]),
        b = meanSe(logs[j]);
      let c = 0;
      for (let p = 0; p < M; p++) c += (logs[i][p] - a.mean) * (logs[j][p] - b.mean);
      const rho = c / M / (a.se * b.se * (M - 1));
      assert.ok(Math.abs(rho - corr[i][j]) < (4 * (1 - corr[i][j] ** 2)) / Math.sqrt(M), `corr(${i}, ${j}) = ${rho}, expected ${corr[i][j]}`);
    }
  } finally {
    ps.dispose();
  }
});

t("Black–Cox PD (100, 70, 0.02, 0.25, 1) at N = 50: the bridge test is within ±0.004, grid-only detection is biased low by > 0.015", () => {
  const ref = blackCoxPd(100, 70, 0.02, 0.25, 1);
  assert.ok(Math.abs(ref - 0.163749) < 1e-6, `reference ${ref}`);
  const pd = (exit) => {
    const ps = xva.simulate({
      paths: 1 << 17,
      steps: 50,
      maturity: 1,
      seed: 5,
      spot: [],
      drift: 0,
      vol: [],
      firms: [{ value: 100, drift: 0.02, vol: 0.25, barrier: 70 }],
      exit,
      keepNormals: false,
    });
    const n = ps.exitStep.reduce((s, e) => s + (e > 0 ? 1 : 0), 0);
    ps.dispose();
    return n / (1 << 17);
  };
  const bridge = pd("bridge"),
    discrete = pd("discrete");
  assert.ok(Math.abs(bridge - ref) < 0.004, `bridge PD ${bridge} vs ${ref}`);
  assert.ok(discrete < ref - 0.015, `discrete PD ${discrete} should be below ${ref - 0.015}`);
});

t("linear BSDE (f = −r y) prices a call: 10.403539 within ±0.2 (N = 20, M = 2^16)", () => {
  const ref = bsCall(100, 100, 0.01, 0.25, 1);
  assert.ok(Math.abs(ref - 10.403539) < 1e-6);
  const ps = xva.simulate({ paths: 1 << 16, steps: 20, maturity: 1, seed: 9, spot: [100], drift: 0.01, vol: [0.25] });
  try {
    const res = xva.solve({
      paths: ps,
      driver: xva.drivers.linear({ r: 0.01 }),
      terminal: ps.value(0, 20).map((s) => Math.max(s - 100, 0)),
      basis: { degree: 4 },
    });
    assert.ok(Math.abs(res.y0 - ref) < 0.2, `Y0 ${res.y0} vs ${ref}`);
    assert.ok(res.se > 0.03 && res.se < 0.1, `SE ${res.se}`);
    assert.equal(res.fallback, { qr: 0, minRank: res.basisSize, ridge: 0 });
  } finally {
    ps.dispose();
  }
});

t("a linear driver's regression Y0 equals the pathwise discounted mean to 1e-10 (with exits at defaults)", () => {
  const ps = xva.simulate({
    paths: 1 << 14,
    steps: 40,
    maturity: 1,
    seed: 3,
    spot: [100],
    drift: 0.02,
    vol: [0.25],
    firms: [{ value: 100, drift: 0.02, vol: 0.25, barrier: 75 }],
  });
  try {
    const M = ps.paths,
      N = 40,
      h = 1 / N,
      r = 0.02;
    const S = ps.value(0, N),
      terminal = S.map((s) => s - 100);
    const exitValue = new Float64Array(M);
    for (let p = 0; p < M; p++) if (ps.exitStep[p]) exitValue[p] = 0.6 * Math.max(ps.value(0, ps.exitStep[p])[p] - 100, 0);
    let s = 0;
    for (let p = 0; p < M; p++) {
      const k = ps.exitStep[p] || N;
      s += (ps.exitStep[p] ? exitValue[p] : terminal[p]) * (1 + r * h) ** -k;
    }
    const res = xva.solve({ paths: ps, driver: xva.drivers.linear({ r }), terminal, exitValue, basis: { degree: 3 } });
    assert.ok(Math.abs(res.y0 - s / M) <= 1e-10 * Math.abs(s / M), `Y0 ${res.y0} vs pathwise ${s / M}`);
  } finally {
    ps.dispose();
  }
});

const diff = { mu: 0.05, sigma: 0.2, rl: 0.01, rb: 0.06, T: 0.5 };
const bsLinear = (rate) => ({
  usesZ: true,
  evaluate(_n, _t, y, z, out) {
    for (let p = 0; p < y.length; p++) out[p] = -rate * y[p] - ((diff.mu - rate) / diff.sigma) * z[0][p];
  },
});

t("differential rates, control-variate mode: call within ±0.05 of BS at r_b, spread within ±0.03 of finite differences", () => {
  const { mu, sigma, rl, rb, T } = diff;
  const ps = xva.simulate({ paths: 1 << 15, steps: 50, maturity: T, seed: 11, spot: [100], drift: mu, vol: [sigma] });
  try {
    const S = ps.value(0, 50);
    const driver = xva.drivers.diffRates({ rl, rb, mu, sigma });
    const callRef = bsCall(100, 100, rb, sigma, T);
    const call = xva.solve({
      paths: ps,
      driver,
      terminal: S.map((s) => Math.max(s - 100, 0)),
      basis: { degree: 5 },
      controlVariate: { driver: bsLinear(rb), value: callRef },
    });
    assert.ok(Math.abs(call.y0 - callRef) < 0.05, `call ${call.y0} vs ${callRef}`);
    const spreadPayoff = (s) => Math.max(s - 95, 0) - 2 * Math.max(s - 105, 0);
    const spreadRef = solvePde({ S0: 100, sigma, T, payoff: spreadPayoff, coeffs: (u, su) => (su - u > 0 ? [rb, rb] : [rl, rl]) });
    const linRef = bsCall(100, 95, rb, sigma, T) - 2 * bsCall(100, 105, rb, sigma, T);
    const spread = xva.solve({
      paths: ps,
      driver,
      terminal: S.map(spreadPayoff),
      basis: { degree: 5 },
      controlVariate: { driver: bsLinear(rb), value: linRef },
    });
    assert.ok(Math.abs(spread.y0 - spreadRef) < 0.03, `spread ${spread.y0} vs FD ${spreadRef}`);
  } finally {
    ps.dispose();
  }
});

t("the finite-difference reference reproduces closed forms (BS at r_b: 1e-4; symmetric funding: 1e-5)", () => {
  const { sigma, rl, rb, T } = diff;
  const call = solvePde({ S0: 100, sigma, T, payoff: (s) => Math.max(s - 100, 0), coeffs: (u, su) => (su - u > 0 ? [rb, rb] : [rl, rl]) });
  assert.ok(Math.abs(call - bsCall(100, 100, rb, sigma, T)) < 1e-4, `FD call ${call}`);
  const fwd = solvePde({ S0: 100, sigma: 0.25, T: 1, payoff: (s) => s - 100, coeffs: () => [0.02, 0.04] });
  assert.ok(Math.abs(fwd - (100 * Math.exp(-0.02) - 100 * Math.exp(-0.04))) < 1e-5, `FD forward ${fwd}`);
});

/** Paths of the forward S0 = K = 100, σ = 0.25, T = 1 and its clean values S − K e^{−r(T−t)}. */
function forwardPaths(r, N, M, seed) {
  const ps = xva.simulate({ paths: M, steps: N, maturity: 1, seed, spot: [100], drift: r, vol: [0.25] });
  const clean = Array.from({ length: N + 1 }, (_, n) => ps.value(0, n).map((s) => s - 100 * Math.exp(-r * (1 - n / N))));
  return { ps, clean };
}

t("bilateral CVA/DVA of a forward with constant intensities (r = 0): within 3% of quadrature", () => {
  const lc = 0.1,
    Rc = 0.3,
    lb = 0.01,
    Rb = 0.4,
    r = 0,
    N = 100;
  const kill = (t) => Math.exp(-(lb + lc) * t);
  const cvaRef = (1 - Rc) * lc * simpson((t) => kill(t) * bsCall(100, 100 * Math.exp(-r * (1 - t)), r, 0.25, t), 0, 1);
  const dvaRef = (1 - Rb) * lb * simpson((t) => kill(t) * bsPut(100, 100 * Math.exp(-r * (1 - t)), r, 0.25, t), 0, 1);
  const { ps, clean } = forwardPaths(r, N, 1 << 15, 21);
  try {
    const o = { r, lambdaC: lc, lgdC: 1 - Rc, lambdaB: lb, lgdB: 1 - Rb, clean: (n) => clean[n] };
    const zero = new Float64Array(ps.paths);
    const cva = xva.solve({ paths: ps, driver: xva.drivers.bcva({ ...o, side: "cva" }), terminal: zero, theta: 0.5 });
    const dva = xva.solve({ paths: ps, driver: xva.drivers.bcva({ ...o, side: "dva" }), terminal: zero, theta: 0.5 });
    assert.ok(Math.abs(cva.y0 / cvaRef - 1) < 0.03, `CVA ${cva.y0} vs ${cvaRef}`);
    assert.ok(Math.abs(dva.y0 / dvaRef - 1) < 0.03, `DVA ${dva.y0} vs ${dvaRef}`);
  } finally {
    ps.dispose();
  }
});

t("FVA of a forward: symmetric funding within ±0.004 of the closed form, asymmetric V0 within ±0.01 of finite differences", () => {
  const r = 0.02,
    N = 50;
  const { ps, clean } = forwardPaths(r, N, 1 << 15, 8);
  try {
    const zero = new Float64Array(ps.paths);
    const v0hat = 100 - 100 * Math.exp(-r);
    const sym = xva.solve({ paths: ps, driver: xva.drivers.fva({ r, rfl: 0.04, rfb: 0.04, clean: (n) => clean[n] }), terminal: zero });
    const symRef = v0hat - (Math.exp(-(0.04 - r)) * 100 - 100 * Math.exp(-0.04));
    assert.ok(Math.abs(symRef - 0.039209) < 1e-6, `reference ${symRef}`);
    assert.ok(Math.abs(sym.y0 - symRef) < 0.004, `FVA ${sym.y0} vs ${symRef}`);
    const asym = xva.solve({ paths: ps, driver: xva.drivers.fva({ r, rfl: 0.03, rfb: 0.05, clean: (n) => clean[n] }), terminal: zero });
    const v0Ref = solvePde({ S0: 100, sigma: 0.25, T: 1, payoff: (s) => s - 100, coeffs: (u) => [r, u > 0 ? 0.03 : 0.05] });
    assert.ok(Math.abs(v0hat - asym.y0 - v0Ref) < 0.01, `V0 ${v0hat - asym.y0} vs FD ${v0Ref}`);
  } finally {
    ps.dispose();
  }
});

t("structural CVA of a forward (barrier 70, independent): within ±0.07 of quadrature; the PD within 3 SE", () => {
  const ref = structuralCvaRef(70);
  const res = xva.run(structuralConfig(70));
  assert.ok(Math.abs(res.cva.value - ref) < 0.07, `CVA ${res.cva.value} vs ${ref}`);
  const pd = blackCoxPd(100, 70, 0.02, 0.25, 1);
  assert.ok(
    Math.abs(res.defaultProbability.counterparty - pd) < 3 * Math.sqrt((pd * (1 - pd)) / (1 << 15)),
    `PD ${res.defaultProbability.counterparty} vs ${pd}`,
  );
  assert.is(res.dva.value, 0);
  assert.ok(Math.abs(res.clean.value - (100 - 100 * Math.exp(-0.02))) < 1e-12);
});

t("rare default (barrier 50, PD 0.6%): the drift tilt q = 0.5 with likelihood weights is within ±0.0025 and cuts the SE by 4×", () => {
  const ref = structuralCvaRef(50);
  const plain = xva.run(structuralConfig(50));
  const tilted = xva.run(structuralConfig(50, { tilt: 0.5 }));
  assert.ok(Math.abs(tilted.cva.value - ref) < 0.0025, `tilted CVA ${tilted.cva.value} vs ${ref}`);
  assert.ok(tilted.cva.se <= plain.cva.se / 4, `SE ${tilted.cva.se} vs plain ${plain.cva.se}`);
  assert.ok(Math.abs(tilted.defaultProbability.counterparty - blackCoxPd(100, 50, 0.02, 0.25, 1)) < 0.001);
});

t("implicit Y step: Allen–Cahn ODE f = y − y³ with flat terminal 0.5 matches implicit Euler to 1e-10 and the exact solution to 2e-4", () => {
  const T = 0.5,
    N = 50,
    h = T / N;
  const ps = xva.simulate({ paths: 64, steps: N, maturity: T, seed: 1, spot: [1], drift: 0, vol: [0.1] });
  try {
    const ac = { usesZ: false, evaluate: (_n, _t, y, _z, out) => y.forEach((v, p) => (out[p] = v - v * v * v)) };
    const res = xva.solve({ paths: ps, driver: ac, terminal: new Float64Array(64).fill(0.5), theta: 1, picard: 100 });
    let y = 0.5;
    for (let n = 0; n < N; n++) {
      let x = y;
      for (let it = 0; it < 50; it++) x -= (x - y - h * (x - x ** 3)) / (1 - h * (1 - 3 * x * x));
      y = x;
    }
    const exact = (1 - (1 - 0.5 ** -2) * Math.exp(-2 * T)) ** -0.5;
    assert.ok(Math.abs(res.y0 - y) < 1e-10, `Y0 ${res.y0} vs implicit Euler ${y}`);
    assert.ok(Math.abs(res.y0 - exact) < 2e-4, `Y0 ${res.y0} vs exact ${exact}`);
  } finally {
    ps.dispose();
  }
});

t("reaction–diffusion (DeepBSDE's ReactionDiffusion, d = 1, κ = 0.6): u(0, 0) = 1.6 within ±0.01 (N = 20, M = 2^14, degree 8)", () => {
  // X = W (log of a GBM with σ = 1, drift ½); f = min(1, (y − κ − 1 − sin(x)e^{(t−T)/2})²), g = 1 + κ + sin x.
  const kappa = 0.6,
    T = 1,
    N = 20;
  const ps = xva.simulate({ paths: 1 << 14, steps: N, maturity: T, seed: 13, spot: [1], drift: 0.5, vol: [1] });
  try {
    const x = Array.from({ length: N + 1 }, (_, n) => ps.logValue(0, n));
    const rd = {
      usesZ: false,
      evaluate(n, t, y, _z, out) {
        const e = Math.exp((t - T) / 2);
        for (let p = 0; p < y.length; p++) out[p] = Math.min(1, (y[p] - kappa - 1 - Math.sin(x[n][p]) * e) ** 2);
      },
    };
    const res = xva.solve({ paths: ps, driver: rd, terminal: x[N].map((v) => 1 + kappa + Math.sin(v)), basis: { degree: 8 } });
    assert.ok(Math.abs(res.y0 - 1.6) < 0.01, `Y0 ${res.y0}`);
  } finally {
    ps.dispose();
  }
});

const pipeline = (extra = {}) => ({
  paths: 1 << 12,
  steps: 20,
  maturity: 1,
  seed: 4,
  r: 0.02,
  assets: { spot: [100, 90], vol: [0.25, 0.3] },
  corr: [
    [1, 0.3, 0, -0.4],
    [0.3, 1, 0, 0],
    [0, 0, 1, 0.2],
    [-0.4, 0, 0.2, 1],
  ],
  trades: [
    { type: "forward", asset: 0, strike: 100 },
    { type: "call", asset: 1, strike: 95, notional: -2 },
  ],
  bank: { value: 100, drift: 0.02, vol: 0.2, barrier: 70, recovery: 0.4 },
  counterparty: { value: 100, drift: 0.02, vol: 0.3, barrier: 75, recovery: 0.3 },
  im: { mpr: 2 },
  collateral: { threshold: 5 },
  funding: { rfl: 0.03, rfb: 0.05, rim: 0.01, rcl: 0.015, rcb: 0.025 },
  ...extra,
});

t("layer invariants: no defaults → CVA = DVA = 0; full collateral without lag and no IM → CVA = DVA = 0; funding at r → FVA = 0", () => {
  const full = xva.run(pipeline());
  assert.ok(full.cva.value > 0 && full.dva.value > 0 && full.mva.value > 0 && full.colva.value !== 0 && full.fva.value !== 0, JSON.stringify(full.cva));
  const safe = xva.run(pipeline({ bank: { ...pipeline().bank, barrier: 0 }, counterparty: { ...pipeline().counterparty, barrier: 0 } }));
  assert.is(safe.cva.value, 0);
  assert.is(safe.dva.value, 0);
  const collateralised = xva.run(pipeline({ im: { mpr: 0 }, collateral: { threshold: 0, lag: 0 } }));
  assert.ok(
    Math.abs(collateralised.cva.value) < 1e-12 && Math.abs(collateralised.dva.value) < 1e-12,
    `${collateralised.cva.value}, ${collateralised.dva.value}`,
  );
  const r = 0.02;
  const flat = xva.run(pipeline({ funding: { rfl: r, rfb: r, rim: r, rcl: r, rcb: r } }));
  assert.ok(Math.abs(flat.fva.value) < 1e-12 && flat.mva.value === 0 && Math.abs(flat.colva.value) < 1e-12, `FVA ${flat.fva.value}`);
  const sum = full.clean.value - full.cva.value + full.dva.value - full.mva.value - full.colva.value - full.fva.value;
  assert.ok(Math.abs(full.adjusted - sum) < 1e-12);
  assert.ok(
    Math.abs(full.fva.value - (full.fva.fca - full.fva.fba)) < 3 * full.fva.se + 1e-3,
    `FVA ${full.fva.value} vs FCA − FBA ${full.fva.fca - full.fva.fba}`,
  );
});

t("initial margin of a forward: the quantile-regression IM matches the exact conditional 1 % quantile of the 2-step value change within 2 %", () => {
  const r = 0.02,
    sig = 0.25,
    N = 20,
    k = 2,
    h = 1 / N,
    z = -2.3263478740408408;
  const cfg = (method) => ({
    paths: 1 << 13,
    steps: N,
    maturity: 1,
    seed: 6,
    r,
    assets: { spot: [100], vol: [sig] },
    trades: [{ type: "forward", asset: 0, strike: 100 }],
    im: { mpr: k, method },
    degree: 3,
    counterparty: { value: 100, drift: r, vol: 0.25, barrier: 70, recovery: 0.4 },
  });
  const quantile = xva.run(cfg("quantile")),
    normal = xva.run(cfg("normal"));
  for (const n of [4, 10, 16]) {
    // ΔV = S_n(e^{(r − σ²/2)kh + σ√(kh) Z} − 1) − 100(e^{−r(1 − t_{n+k})} − e^{−r(1 − t_n)}); IM posted = −q_1%.
    const t = n * h,
      shift = 100 * (Math.exp(-r * (1 - t - k * h)) - Math.exp(-r * (1 - t)));
    const exact = -(100 * Math.exp(r * t) * (Math.exp((r - (sig * sig) / 2) * k * h + sig * Math.sqrt(k * h) * z) - 1) - shift);
    assert.ok(Math.abs(quantile.profiles.im[n] / exact - 1) < 0.02, `step ${n}: quantile IM ${quantile.profiles.im[n]} vs exact ${exact}`);
    // The normal approximation overstates the lighter lognormal left tail (reported, not a target).
    assert.ok(normal.profiles.im[n] > exact, `step ${n}: normal IM ${normal.profiles.im[n]} vs exact ${exact}`);
  }
});

t("determinism: the same seed gives the same bits; the scalar build agrees with the SIMD build bit for bit", async () => {
  const a = xva.run(pipeline()),
    b = xva.run(pipeline());
  assert.equal(a.cva, b.cva);
  assert.equal(a.fva, b.fva);
  const scalar = await createSolvewasm(await scalarModule());
  const s = scalar.xva.run(pipeline());
  for (const k of ["cva", "dva", "mva", "colva", "fva"])
    assert.ok(Math.abs(s[k].value - a[k].value) <= 1e-12 * Math.max(1, Math.abs(a[k].value)), `${k}: ${s[k].value} vs ${a[k].value}`);
  const p1 = xva.simulate({ paths: 1000, steps: 3, maturity: 1, seed: 99, spot: [100], drift: 0, vol: [0.2] });
  const p2 = scalar.xva.simulate({ paths: 1000, steps: 3, maturity: 1, seed: 99, spot: [100], drift: 0, vol: [0.2] });
  assertSameBits(p2.logValue(0, 3), p1.logValue(0, 3), "log S_T");
  // Independent of how paths are split: the first 500 of 1000 paths are the 500 paths of a smaller run.
  const p3 = xva.simulate({ paths: 500, steps: 3, maturity: 1, seed: 99, spot: [100], drift: 0, vol: [0.2] });
  assertSameBits(p3.logValue(0, 3), p1.logValue(0, 3).subarray(0, 500), "first 500 paths");
  p1.dispose();
  p2.dispose();
  p3.dispose();
});

// FNV-1a over the bytes of Float64Arrays/Int32Arrays.
const fnv = (arrays) => {
  let h = 0x811c9dc5;
  for (const a of arrays) for (const x of new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h.toString(16);
};

t("the same seed gives the same bits in every runtime: hashes of paths and of a pipeline run equal the ones recorded in Node 20", () => {
  // Recorded once with `node` on this code; every runtime (Node, Deno, Chromium, workerd) must reproduce them.
  // The pipeline's hash was re-recorded (44f4230c → c83cc878) when xVA's exp and log moved from
  // AssemblyScript's Math (musl) to elementary/f64.ts's fdlibm routines: the two exps differ in the
  // last bit on ~10 % of arguments, which moves every value here by at most 7e-15 relative (CVA
  // 0.050068362584064344 → …425, its SE 0.018). The path hash did not change: log of the spots and
  // barriers rounds the same in both, and no bridge crossing test flipped.
  const ps = xva.simulate({
    paths: 1000,
    steps: 3,
    maturity: 1,
    seed: 99,
    spot: [100, 50],
    drift: 0.01,
    vol: [0.2, 0.3],
    corr: [
      [1, 0.5, 0.2],
      [0.5, 1, 0],
      [0.2, 0, 1],
    ],
    firms: [{ value: 100, drift: 0.02, vol: 0.4, barrier: 80 }],
  });
  assert.is(fnv([0, 1, 2].flatMap((j) => [0, 1, 2, 3].map((n) => ps.logValue(j, n))).concat([ps.exitStep])), "6d50be4e");
  ps.dispose();
  const res = xva.run({
    paths: 1 << 10,
    steps: 10,
    maturity: 1,
    seed: 4,
    r: 0.02,
    assets: { spot: [100], vol: [0.25] },
    trades: [
      { type: "call", asset: 0, strike: 100 },
      { type: "forward", asset: 0, strike: 95, notional: -1 },
    ],
    bank: { value: 100, drift: 0.02, vol: 0.2, barrier: 75, recovery: 0.4 },
    counterparty: { value: 100, drift: 0.02, vol: 0.3, barrier: 75, recovery: 0.3 },
    im: { mpr: 2 },
    collateral: { threshold: 5 },
    funding: { rfl: 0.03, rfb: 0.05 },
  });
  assert.is(
    fnv([Float64Array.of(res.cva.value, res.dva.value, res.mva.value, res.colva.value, res.fva.value, res.fva.se), res.profiles.epe, res.profiles.im]),
    "c83cc878",
  );
});

t("bad input: non-positive vol or maturity, corr not positive definite, mismatched dimensions", async () => {
  const base = { paths: 100, steps: 10, maturity: 1, spot: [100], drift: 0, vol: [0.2] };
  await rejects(() => xva.simulate({ ...base, vol: [0] }), "INVALID_ARGUMENT", /vol\[0\] must be positive/);
  await rejects(() => xva.simulate({ ...base, maturity: -1 }), "INVALID_ARGUMENT", /maturity/);
  await rejects(
    () =>
      xva.simulate({
        ...base,
        spot: [100, 100],
        vol: [0.2, 0.2],
        corr: [
          [1, 1.2],
          [1.2, 1],
        ],
      }),
    "INVALID_ARGUMENT",
    /corr is not positive definite/,
  );
  await rejects(() => xva.simulate({ ...base, vol: [0.2, 0.3] }), "DIMENSION_MISMATCH", /vol/);
  await rejects(() => xva.simulate({ ...base, firms: [{ value: 100, drift: 0, vol: -0.2, barrier: 50 }] }), "INVALID_ARGUMENT", /firms\[0\]\.vol/);
  await rejects(
    () =>
      xva.run({
        ...pipeline(),
        corr: [
          [1, 0],
          [0, 1],
        ],
      }),
    "DIMENSION_MISMATCH",
    /corr/,
  );
  const ps = xva.simulate(base);
  await rejects(() => xva.solve({ paths: ps, driver: xva.drivers.linear({ r: 0 }), terminal: new Float64Array(99) }), "DIMENSION_MISMATCH", /terminal/);
  ps.dispose();
});

t("bad input: a path count past the memory ceiling is OUT_OF_MEMORY before any work, and the module stays usable", async () => {
  const before = memoryStats().live;
  await rejects(() => xva.simulate({ paths: 1 << 26, steps: 100, maturity: 1, spot: [100], drift: 0, vol: [0.2] }), "OUT_OF_MEMORY");
  assert.is(memoryStats().live, before);
  const ps = xva.simulate({ paths: 16, steps: 2, maturity: 1, spot: [100], drift: 0, vol: [0.2] });
  assert.ok(ps.value(0, 2).every(Number.isFinite));
  ps.dispose();
});

t("regression: an exactly representable polynomial is fitted and differentiated to rounding (Hermite and monomial bases)", () => {
  const M = 2000;
  const x1 = Float64Array.from({ length: M }, (_, i) => Math.sin(0.37 * i) * 3 + 1);
  const x2 = Float64Array.from({ length: M }, (_, i) => Math.cos(0.11 * i) * 0.5 - 2);
  const y = x1.map((a, i) => 1 + 2 * a - 0.5 * a * a * x2[i] + x2[i] ** 3);
  for (const kind of ["hermite", "monomial"]) {
    const res = xva.regress({ x: [x1, x2], y: [y], degree: 3, kind, gradient: true });
    assert.is(res.basisSize, 10);
    for (let i = 0; i < M; i++) {
      assert.ok(Math.abs(res.fitted[0][i] - y[i]) < 1e-9, `${kind} fit at ${i}`);
      assert.ok(Math.abs(res.gradient[0][0][i] - (2 - x1[i] * x2[i])) < 1e-8, `${kind} ∂/∂x1 at ${i}`);
      assert.ok(Math.abs(res.gradient[0][1][i] - (-0.5 * x1[i] ** 2 + 3 * x2[i] ** 2)) < 1e-8, `${kind} ∂/∂x2 at ${i}`);
    }
  }
});

t("quantile regression: y = 1 + 2x + (1 + x/2)ε recovers the conditional 1 % and 99 % quantiles (±0.1) and their coverage (±0.003)", () => {
  const M = 1 << 15;
  const ps = xva.simulate({ paths: M, steps: 1, maturity: 1, seed: 31, spot: [1], drift: 0, vol: [1] });
  const eps = ps.normal(0, 0);
  ps.dispose();
  const x = Float64Array.from({ length: M }, (_, i) => (2 * (i + 0.5)) / M);
  const y = x.map((v, i) => 1 + 2 * v + (1 + 0.5 * v) * eps[i]);
  for (const alpha of [0.99, 0.01]) {
    const z = alpha > 0.5 ? 2.3263478740408408 : -2.3263478740408408;
    const q = xva.regress({ x: [x], y: [y], degree: 1, quantile: alpha }).fitted[0];
    let below = 0,
      err = 0;
    for (let i = 0; i < M; i++) {
      if (y[i] <= q[i]) below++;
      err = Math.max(err, Math.abs(q[i] - (1 + 2 * x[i] + (1 + 0.5 * x[i]) * z)));
    }
    assert.ok(err < 0.1, `α = ${alpha}: max error ${err}`);
    assert.ok(Math.abs(below / M - alpha) < 0.003, `α = ${alpha}: coverage ${below / M}`);
  }
});

t("Z from the gradient of the fit: the differential-rates call (no control variate) within 3 SE of BS at r_b", () => {
  const { mu, sigma, rl, rb, T } = diff;
  const ps = xva.simulate({ paths: 1 << 15, steps: 50, maturity: T, seed: 12, spot: [100], drift: mu, vol: [sigma] });
  try {
    const res = xva.solve({
      paths: ps,
      driver: xva.drivers.diffRates({ rl, rb, mu, sigma }),
      terminal: ps.value(0, 50).map((s) => Math.max(s - 100, 0)),
      basis: { degree: 5 },
      z: "gradient",
    });
    const ref = bsCall(100, 100, rb, sigma, T);
    assert.ok(Math.abs(res.y0 - ref) < 3 * res.se, `Y0 ${res.y0} vs ${ref} (SE ${res.se})`);
  } finally {
    ps.dispose();
  }
});

t("a singular regression falls back to pivoted QR, reports the rank, and fits exactly; never NaN", () => {
  const M = 4096;
  const x = Float64Array.from({ length: M }, (_, i) => Math.sin(i));
  const y = x.map((v) => 2 + 3 * v);
  const res = xva.regress({ x: [x, x.slice()], y: [y], degree: 2 });
  assert.ok(res.qr, "QR fallback reported");
  assert.is(res.basisSize, 6);
  assert.is(res.rank, 3); // 1, x, x² survive; the copies of x and x² are dependent
  let err = 0;
  for (let i = 0; i < M; i++) err = Math.max(err, Math.abs(res.fitted[0][i] - y[i]));
  assert.ok(err < 1e-12, `max fit error ${err}`);
  const clean = xva.regress({ x: [x], y: [y], degree: 2 });
  assert.is(clean.qr, false);
  assert.is(clean.rank, 3);
  for (let i = 0; i < M; i++) assert.ok(Math.abs(clean.fitted[0][i] - y[i]) < 1e-12);
  // All paths dropped by weight 0 but one: still finite (a constant fit).
  const w = new Float64Array(M);
  w[7] = 1;
  const one = xva.regress({ x: [x], y: [y], weights: w, degree: 2 });
  assert.ok(one.fitted[0].every(Number.isFinite));
  assert.ok(Math.abs(one.fitted[0][7] - y[7]) < 1e-12);
});

t(
  "hostile input is refused with a typed error before it can change a result: NaN in barriers, x, y, weights; negative weights; unknown basis kinds; overflowing notionals; zero strikes",
  async () => {
    const base = { ...structuralConfig(70), paths: 512, steps: 10 };
    const live = memoryStats().live;
    const barrier = Array.from({ length: 11 }, (_, n) => (n === 3 ? NaN : 70));
    await rejects(() => xva.run({ ...base, counterparty: { ...base.counterparty, barrier } }), "NOT_FINITE", /counterparty|firms\[0\]\.barrier\[3\] is NaN/);
    await rejects(() => xva.run({ ...base, counterparty: { ...base.counterparty, barrier: -1 } }), "INVALID_ARGUMENT", /barrier must be ≥ 0/);
    const x = Float64Array.from({ length: 64 }, (_, i) => i / 64),
      y = x.map((v) => v * v);
    const withNaN = (v) => Object.assign(v.slice(), { 5: NaN });
    await rejects(() => xva.regress({ x: [withNaN(x)], y: [y] }), "NOT_FINITE", /x\[0\]\[5\] is NaN/);
    await rejects(() => xva.regress({ x: [x], y: [withNaN(y)] }), "NOT_FINITE", /y\[0\]\[5\] is NaN/);
    await rejects(() => xva.regress({ x: [x], y: [y], weights: withNaN(x) }), "NOT_FINITE", /weights\[5\]/);
    await rejects(() => xva.regress({ x: [x], y: [y], weights: x.map(() => -1) }), "INVALID_ARGUMENT", /weights must be ≥ 0/);
    await rejects(() => xva.regress({ x: [x], y: [y], weights: new Float64Array(64) }), "INVALID_ARGUMENT", /all zero/);
    for (const kind of ["x", "toString", "constructor"])
      await rejects(() => xva.regress({ x: [x], y: [y], kind }), "INVALID_OPTION", /"hermite" or "monomial"/);
    const forward = base.trades[0];
    await rejects(() => xva.run({ ...base, trades: [{ ...forward, notional: 1e300 }] }), "NOT_FINITE", /larger units/);
    await rejects(() => xva.run({ ...base, trades: [{ ...forward, type: "call", strike: 0 }] }), "INVALID_ARGUMENT", /strike must be positive for a call/);
    await rejects(() => xva.run({ ...base, collateral: { threshold: Number.NaN } }), "INVALID_ARGUMENT", /collateral\.threshold/);
    await rejects(() => xva.run({ ...base, steps: Symbol.for("x") }), "INVALID_ARGUMENT", /steps must be an integer/);
    // Values that overflow over an absurd maturity: an error, never a NaN standard error.
    const longDated = {
      ...base,
      paths: 64,
      steps: 4,
      seed: 3,
      maturity: 3.3e9,
      trades: [{ type: "call", asset: 0, strike: 100 }],
      collateral: { threshold: 1, lag: 1 },
      im: { mpr: 1 },
      bank: { value: 100, drift: 0.02, vol: 0.2, barrier: 70, recovery: 0.4 },
    };
    await rejects(() => xva.run(longDated), "NOT_FINITE", /estimate overflowed float64/);
    assert.is(memoryStats().live, live, "nothing leaked");
    // A forward takes any strike, zero included, and the same config without the bad entry runs.
    const zeroStrike = xva.run({ ...base, trades: [{ ...forward, strike: 0 }] });
    assert.ok(Number.isFinite(zeroStrike.cva.value) && Number.isFinite(zeroStrike.cva.se));
  },
);

t.run();
