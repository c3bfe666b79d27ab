// npm run bench -- xva: path simulation against plain JS, one regression step SIMD vs
// scalar, the four-layer pipeline with time per layer, and the validation cases of issue #8
// with references computed by test/_finance.js (the test suite's own reference code).
import { xva, createSolvewasm } from "solvewasm";
import { readFileSync } from "node:fs";
import { timeCandidates, emit, randomVector } from "./harness.js";
import { bsCall, bsPut, blackCoxPd, simpson, solvePde, structuralConfig, structuralCvaRef } from "../test/_finance.js";
import { philox4x32 } from "../test/_philox.js";

/** The same model in plain JS: Philox4x32-10 (Math.imul), Box–Muller, exact log steps with
 * the Cholesky factor, bridge exit tests; log paths stored [step][component][path]. */
function simulateJs({ M, N, D, x0, drift, vol, k0, k1, firms, logB, sigmaF, h }) {
  const out = new Float64Array((N + 1) * D * M);
  const z = new Float64Array(D * M);
  const exit = new Int32Array(M);
  const o = new Uint32Array(4);
  const philox = (c0, c1, c2, c3) => philox4x32(c0, c1, c2, c3, k0, k1, o);
  const u52 = (a, b) => ((a >>> 6) * 67108864 + (b >>> 6) + 0.5) * 2.220446049250313e-16;
  for (let j = 0; j < D; j++) out.fill(x0[j], j * M, (j + 1) * M);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < D; k++) {
      for (let p = 0; p < M; p += 2) {
        philox(p >> 1, n, k, 0);
        const r = Math.sqrt(-2 * Math.log(u52(o[0], o[1]))),
          a = 6.283185307179586 * u52(o[2], o[3]);
        z[k * M + p] = r * Math.cos(a);
        if (p + 1 < M) z[k * M + p + 1] = r * Math.sin(a);
      }
    }
    const from = n * D * M,
      to = from + D * M;
    for (let j = 0; j < D; j++) {
      for (let p = 0; p < M; p++) {
        let acc = drift[j];
        for (let k = 0; k <= j; k++) acc += vol[j * D + k] * z[k * M + p];
        out[to + j * M + p] = out[from + j * M + p] + acc;
      }
    }
    firms.forEach((j, f) => {
      const b0 = logB[f],
        c = -2 / (sigmaF[f] * sigmaF[f] * h);
      for (let p = 0; p < M; p++) {
        if (exit[p] !== 0 && exit[p] !== n + 1) continue;
        const x0v = out[from + j * M + p],
          x1 = out[to + j * M + p];
        let hit = x1 <= b0;
        if (!hit) {
          philox(p >> 1, n, f, 1);
          const u = p & 1 ? u52(o[2], o[3]) : u52(o[0], o[1]);
          hit = u < Math.exp(c * (x0v - b0) * (x1 - b0));
        }
        if (hit) exit[p] = n + 1;
      }
    });
  }
  return { out, exit };
}

export function pathsBench(scalar) {
  const d = 10,
    N = 100,
    M = 1 << 12,
    T = 1,
    h = T / N,
    D = d + 2;
  const rho = 0.3; // equicorrelated assets; firms independent of them
  const corr = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? 1 : i < d && j < d ? rho : 0)));
  const spot = Array(d).fill(100),
    vol = Array.from({ length: d }, (_, i) => 0.15 + 0.01 * i);
  const firms = [
    { value: 100, drift: 0.02, vol: 0.2, barrier: 60 },
    { value: 100, drift: 0.02, vol: 0.25, barrier: 70 },
  ];
  const opts = { paths: M, steps: N, maturity: T, seed: 3, spot, drift: 0.02, vol, corr, firms, keepNormals: false };
  // JS inputs built exactly as bindings/xva/paths.ts builds them.
  const ps = xva.simulate(opts);
  const L = ps.corrFactor,
    sig = [...vol, 0.2, 0.25],
    mu = [...Array(d).fill(0.02), 0.02, 0.02];
  const js = {
    M,
    N,
    D,
    h,
    k0: 3,
    k1: 0,
    firms: [d, d + 1],
    sigmaF: [0.2, 0.25],
    logB: [Math.log(60), Math.log(70)],
    x0: [...spot.map(Math.log), 0, 0].map((v, j) => (j >= d ? Math.log(100) : v)),
    drift: Float64Array.from(sig, (s, j) => (mu[j] - 0.5 * s * s) * h),
    vol: Float64Array.from({ length: D * D }, (_, i) => (i % D <= Math.floor(i / D) ? sig[Math.floor(i / D)] * Math.sqrt(h) * L[i] : 0)),
  };
  const ref = simulateJs(js);
  let maxDiff = 0;
  for (let j = 0; j < D; j++) {
    const w = ps.logValue(j, N);
    for (let p = 0; p < M; p++) maxDiff = Math.max(maxDiff, Math.abs(w[p] - ref.out[N * D * M + j * M + p]));
  }
  let exitSame = 0;
  for (let p = 0; p < M; p++) if (ref.exit[p] === ps.exitStep[p]) exitSame++;
  ps.dispose();
  const t = timeCandidates(
    {
      simd: () => xva.simulate(opts).dispose(),
      scalar: () => scalar.xva.simulate(opts).dispose(),
      js: () => simulateJs(js),
    },
    { samples: 5, minSeconds: 0.5 },
  );
  for (const [impl, s] of Object.entries(t)) emit({ bench: "xva", case: "paths", impl, d, firms: 2, N, M, paths_per_s: M / s, vs_js: t.js / s });
  emit({ bench: "xva", case: "paths-agreement", max_abs_diff_log: maxDiff, exit_steps_equal: exitSame / M });
}

export function regressionBench(scalar) {
  const M = 1 << 16;
  for (const [q, degree] of [
    [2, 4],
    [3, 4],
  ]) {
    // Independent regressors (trigonometric ones of related frequencies satisfy polynomial
    // identities and make the basis singular); one smooth target plus noise.
    const x = Array.from({ length: q }, (_, i) => randomVector(M, 11 + i));
    const y = [Float64Array.from({ length: M }, (_, p) => Math.exp(x[0][p]) * (1 + x[q - 1][p]) + 0.1 * randomVector(1, p + 1)[0])];
    const t = timeCandidates(
      {
        simd: () => xva.regress({ x, y, degree }),
        scalar: () => scalar.xva.regress({ x, y, degree }),
      },
      { samples: 7, minSeconds: 0.3 },
    );
    const K = xva.regress({ x, y, degree }).basisSize;
    if (xva.regress({ x, y, degree }).qr) throw new Error("the benchmark's basis is singular");
    emit({ bench: "xva", case: "regression", M, basis: K, simd_ms: t.simd * 1e3, scalar_ms: t.scalar * 1e3, speedup: t.scalar / t.simd });
  }
}

function pipelineBench() {
  const d = 5;
  const D = d + 2;
  const corr = Array.from({ length: D }, (_, i) =>
    Array.from({ length: D }, (_, j) => (i === j ? 1 : i < d && j < d ? 0.4 : (i === d + 1 && j < d) || (j === d + 1 && i < d) ? -0.2 : 0)),
  );
  const trades = [];
  for (let a = 0; a < d; a++) {
    trades.push({ type: "forward", asset: a, strike: 100, notional: a % 2 ? -1 : 1 });
    trades.push({ type: "call", asset: a, strike: 105, notional: 1 });
  }
  const cfg = {
    paths: 1 << 15,
    steps: 50,
    maturity: 1,
    seed: 1,
    r: 0.02,
    assets: { spot: Array(d).fill(100), vol: [0.2, 0.25, 0.3, 0.22, 0.28] },
    corr,
    trades,
    bank: { value: 100, drift: 0.02, vol: 0.2, barrier: 65, recovery: 0.4 },
    counterparty: { value: 100, drift: 0.02, vol: 0.25, barrier: 70, recovery: 0.4 },
    im: { mpr: 2 },
    collateral: { threshold: 10 },
    funding: { rfl: 0.03, rfb: 0.05, rim: 0.01, rcl: 0.015, rcb: 0.025 },
  };
  const t0 = performance.now();
  const res = xva.run(cfg);
  const total = (performance.now() - t0) / 1e3;
  emit({
    bench: "xva",
    case: "pipeline",
    d,
    N: 50,
    M: 1 << 15,
    total_s: total,
    layers_ms: res.timings,
    clean: res.clean.value,
    cva: res.cva.value,
    cva_se: res.cva.se,
    dva: res.dva.value,
    dva_se: res.dva.se,
    mva: res.mva.value,
    colva: res.colva.value,
    fva: res.fva.value,
    fva_se: res.fva.se,
    adjusted: res.adjusted,
  });
}

function cases() {
  // bcva-forward
  for (const r of [0, 0.02]) {
    const lc = 0.1,
      Rc = 0.3,
      lb = 0.01,
      Rb = 0.4,
      N = 100,
      M = 1 << 15;
    const kill = (t) => Math.exp(-(lb + lc) * t);
    const cvaRef = (1 - Rc) * lc * simpson((t) => kill(t) * bsCall(100, 100 * Math.exp(-r * (1 - t)), r, 0.25, t), 0, 1);
    const dvaRef = (1 - Rb) * lb * simpson((t) => kill(t) * bsPut(100, 100 * Math.exp(-r * (1 - t)), r, 0.25, t), 0, 1);
    const ps = xva.simulate({ paths: M, steps: N, maturity: 1, seed: 21, spot: [100], drift: r, vol: [0.25] });
    const clean = Array.from({ length: N + 1 }, (_, n) => ps.value(0, n).map((s) => s - 100 * Math.exp(-r * (1 - n / N))));
    const o = { r, lambdaC: lc, lgdC: 1 - Rc, lambdaB: lb, lgdB: 1 - Rb, clean: (n) => clean[n] };
    const zero = new Float64Array(M);
    const cva = xva.solve({ paths: ps, driver: xva.drivers.bcva({ ...o, side: "cva" }), terminal: zero, theta: 0.5 });
    const dva = xva.solve({ paths: ps, driver: xva.drivers.bcva({ ...o, side: "dva" }), terminal: zero, theta: 0.5 });
    ps.dispose();
    emit({ bench: "xva", case: "bcva-forward", r, N, M, cva: cva.y0, cva_se: cva.se, cva_ref: cvaRef, dva: dva.y0, dva_se: dva.se, dva_ref: dvaRef });
  }
  // fva-forward
  {
    const r = 0.02,
      N = 50,
      M = 1 << 15;
    const ps = xva.simulate({ paths: M, steps: N, maturity: 1, seed: 8, spot: [100], drift: r, vol: [0.25] });
    const clean = Array.from({ length: N + 1 }, (_, n) => ps.value(0, n).map((s) => s - 100 * Math.exp(-r * (1 - n / N))));
    const v0hat = 100 - 100 * Math.exp(-r);
    for (const [rfl, rfb] of [
      [0.04, 0.04],
      [0.03, 0.05],
      [0.02, 0.06],
    ]) {
      const res = xva.solve({ paths: ps, driver: xva.drivers.fva({ r, rfl, rfb, clean: (n) => clean[n] }), terminal: new Float64Array(M) });
      const v0Ref = solvePde({ S0: 100, sigma: 0.25, T: 1, payoff: (s) => s - 100, coeffs: (u) => [r, u > 0 ? rfl : rfb] });
      emit({
        bench: "xva",
        case: "fva-forward",
        r,
        r_fl: rfl,
        r_fb: rfb,
        N,
        M,
        v0: v0hat - res.y0,
        v0_se: res.se,
        v0_ref: v0Ref,
        fva: res.y0,
        fva_se: res.se,
        fva_ref: v0hat - v0Ref,
      });
    }
    ps.dispose();
  }
  for (const [barrier, rho, tilt] of [
    [70, 0, 0],
    [70, -0.5, 0],
    [70, 0.5, 0],
    [50, 0, 0],
    [50, 0, 0.5],
  ]) {
    const res = xva.run(structuralConfig(barrier, { tilt }, rho));
    emit({
      bench: "xva",
      case: "structural-cva-forward",
      barrier,
      rho,
      tilt,
      N: 100,
      M: 1 << 15,
      cva: res.cva.value,
      cva_se: res.cva.se,
      cva_ref: rho === 0 ? structuralCvaRef(barrier) : null,
    });
  }
  // diffrate
  {
    const mu = 0.05,
      sigma = 0.2,
      rl = 0.01,
      rb = 0.06,
      T = 0.5,
      N = 50,
      M = 1 << 15;
    const ps = xva.simulate({ paths: M, steps: N, maturity: T, seed: 11, spot: [100], drift: mu, vol: [sigma] });
    const S = ps.value(0, N);
    const lin = {
      usesZ: true,
      evaluate(_n, _t, y, z, out) {
        for (let p = 0; p < y.length; p++) out[p] = -rb * y[p] - ((mu - rb) / sigma) * z[0][p];
      },
    };
    const coeffs = (u, su) => (su - u > 0 ? [rb, rb] : [rl, rl]);
    const payoffs = {
      call: [(s) => Math.max(s - 100, 0), bsCall(100, 100, rb, sigma, T)],
      spread: [(s) => Math.max(s - 95, 0) - 2 * Math.max(s - 105, 0), bsCall(100, 95, rb, sigma, T) - 2 * bsCall(100, 105, rb, sigma, T)],
    };
    for (const [payoff, [g, linValue]] of Object.entries(payoffs)) {
      const driver = xva.drivers.diffRates({ rl, rb, mu, sigma });
      const plain = xva.solve({ paths: ps, driver, terminal: S.map(g), basis: { degree: 5 } });
      const cv = xva.solve({ paths: ps, driver, terminal: S.map(g), basis: { degree: 5 }, controlVariate: { driver: lin, value: linValue } });
      const ref = solvePde({ S0: 100, sigma, T, payoff: g, coeffs });
      emit({
        bench: "xva",
        case: "diffrate",
        payoff,
        K: payoff === "call" ? 100 : [95, 105],
        N,
        M,
        price: cv.y0,
        price_se: cv.se,
        price_ref: ref,
        price_plain: plain.y0,
        price_plain_se: plain.se,
      });
    }
    ps.dispose();
  }
  // black-cox-pd
  {
    const ref = blackCoxPd(100, 70, 0.02, 0.25, 1),
      M = 1 << 17;
    for (const N of [25, 50, 100, 200]) {
      for (const method of ["discrete", "bridge"]) {
        const ps = xva.simulate({
          paths: M,
          steps: N,
          maturity: 1,
          seed: 5,
          spot: [],
          drift: 0,
          vol: [],
          firms: [{ value: 100, drift: 0.02, vol: 0.25, barrier: 70 }],
          exit: method,
          keepNormals: false,
        });
        const pd = ps.exitStep.reduce((s, e) => s + (e > 0 ? 1 : 0), 0) / M;
        ps.dispose();
        emit({ bench: "xva", case: "black-cox-pd", barrier: 70, N, M, method, pd, pd_se: Math.sqrt((pd * (1 - pd)) / M), pd_ref: ref });
      }
    }
  }
}

export async function run() {
  const bytes = readFileSync(new URL("../dist/solvewasm-scalar.wasm", import.meta.url));
  const scalar = await createSolvewasm(bytes);
  pathsBench(scalar);
  regressionBench(scalar);
  pipelineBench();
  cases();
}
