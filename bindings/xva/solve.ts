// The backward regression (least-squares Monte Carlo) scheme for a BSDE
//   −dY_t = f(t, X_t, Y_t, Z_t) dt − Z_t dB_t,  Y_T = ξ (or Y_τ = exit value at a default),
// on simulated paths (Gobet–Lemor–Warin 2005, with a θ-step and Picard iterations):
//   Z_n = E_n[Y_{n+1} ΔB_n] / h
//   Y_n = E_n[Y_{n+1} + (1 − θ) h f_{n+1}] + θ h f(t_n, X_n, Y_n, Z_n)
// where E_n is the regression on a polynomial basis of the state at t_n. B is the vector of
// independent Brownian motions behind the paths (the correlated increments are L·ΔB).
import { SolvewasmError } from "../errors.js";
import type { Runtime } from "../runtime.js";
import { checkF64, checkInt, checkLength, checkNumber, describe, oneOf } from "../validate.js";
import type { PathSet } from "./paths.js";
import { RegressionWorkspace, type BasisKind } from "./regression.js";

/** A BSDE driver f, evaluated on all paths of one time step at a time. */
export interface Driver {
  /** True when f depends on z (Z is then estimated at every step). */
  readonly usesZ: boolean;
  /** out[p] = f(t_n, X_n, y[p], z[·][p]) for every path p; z[k] is the Z component on
   * independent Brownian motion k (all zeros when usesZ is false). */
  evaluate(n: number, t: number, y: Float64Array, z: readonly Float64Array[], out: Float64Array): void;
}

export interface BasisOptions {
  /** Total degree of the polynomial basis (default 3). */
  degree?: number;
  /** Probabilists' Hermite polynomials (default) or monomials, in standardised regressors. */
  kind?: BasisKind;
  /** Path components whose logarithms are regressors (default: all). */
  components?: number[];
  /** Extra regressors per step, e.g. a clean value: features(n) → arrays of M values. */
  features?: (n: number) => Float64Array[];
}

export interface BsdeSolveOptions {
  paths: PathSet;
  driver: Driver;
  /** ξ: Y_N for each path alive at T (M values). */
  terminal: Float64Array;
  /** Stop each path at its default (paths.exitStep): Y equals exitValue[p] there. */
  exitValue?: Float64Array;
  basis?: BasisOptions;
  /** θ ∈ [0, 1]: 1 implicit in Y (default, Picard iterations), ½ trapezoidal, 0 explicit. */
  theta?: number;
  /** How Z is estimated: "regression" of Y_{n+1}ΔB_n/h (default), or "gradient": σ·∇ of the
   * fitted E_n[Y_{n+1}] in the log-state regressors (features do not contribute; at t₀,
   * where the state is a point, Z₀ comes from the regression). */
  z?: "regression" | "gradient";
  /** Maximum Picard iterations per step (default 20; stops at relative change 1e-14). */
  picard?: number;
  /** Control variate: solve the same scheme on the same paths with a linear `driver` whose
   * exact Y₀ is `value`; the result is Y₀ − Y₀(linear) + value. */
  controlVariate?: { driver: Driver; value: number };
  /** Keep the fitted Y_n of every path and step (result.grid, 0 after a path's exit). */
  keepGrid?: boolean;
  /** Called after each backward step with the number of steps done. */
  onProgress?: (done: number, total: number) => void;
}

export interface BsdeSolveResult {
  /** Y₀ (with the control variate applied, if any). */
  y0: number;
  /** Z₀, one entry per independent Brownian motion (zeros if the driver ignores z). */
  z0: Float64Array;
  /** Standard error of the pathwise estimator ξ + Σ h f(t_n, X_n, Ŷ_n, Ẑ_n) (weighted by the
   * likelihood ratio of tilted paths; control variate subtracted) — the Monte Carlo error. */
  se: number;
  /** Mean of that pathwise estimator: agrees with y0 up to the regression bias. */
  pathwise: number;
  /** Basis functions per regression (the largest over steps). */
  basisSize: number;
  /** Regressions whose normal equations were numerically singular and were solved by
   * pivoted QR (dependent basis functions dropped), the smallest rank among them (K when
   * none), and how many still needed a ridge. */
  fallback: { qr: number; minRank: number; ridge: number };
  /** Fitted Y_n per step (N + 1 rows of M values) when keepGrid. */
  grid?: Float64Array[];
}

export function solveBsde(rt: Runtime, o: BsdeSolveOptions): BsdeSolveResult {
  if (typeof o !== "object" || o === null) throw new SolvewasmError("INVALID_ARGUMENT", `solve takes an options object, got ${describe(o)}`);
  const paths = o.paths;
  if (!paths || typeof paths.logPtr !== "function") throw new SolvewasmError("INVALID_ARGUMENT", "paths must be a PathSet from xva.simulate");
  const M = paths.paths,
    N = paths.steps,
    D = paths.dims,
    h = paths.h;
  checkDriver(o.driver, "driver");
  checkF64(o.terminal, "terminal");
  checkLength(o.terminal.length, M, "terminal");
  const exitValue = o.exitValue;
  if (exitValue !== undefined) {
    checkF64(exitValue, "exitValue");
    checkLength(exitValue.length, M, "exitValue");
  }
  const theta = o.theta ?? 1;
  checkNumber(theta, "theta");
  if (theta < 0 || theta > 1) throw new SolvewasmError("INVALID_OPTION", `theta must be in [0, 1], got ${theta}`);
  const picard = o.picard ?? 20;
  checkInt(picard, "picard", 1, 1000);
  const degree = o.basis?.degree ?? 3;
  checkInt(degree, "basis.degree", 0, 12);
  const kind = oneOf(o.basis?.kind ?? "hermite", ["hermite", "monomial"], "basis.kind");
  const comps = o.basis?.components ?? Array.from({ length: D }, (_, j) => j);
  comps.forEach((j, i) => checkInt(j, `basis.components[${i}]`, 0, D - 1));
  const zMethod = o.z ?? "regression";
  if (zMethod !== "regression" && zMethod !== "gradient")
    throw new SolvewasmError("INVALID_OPTION", `z must be "regression" or "gradient", got ${describe(zMethod)}`);
  const cv = o.controlVariate;
  if (cv) {
    checkDriver(cv.driver, "controlVariate.driver");
    checkNumber(cv.value, "controlVariate.value");
  }
  const nFeatures = o.basis?.features ? o.basis.features(N - 1).length : 0;
  const usesZ = o.driver.usesZ || !!cv?.driver.usesZ;
  if (usesZ && !paths.keepNormals) throw new SolvewasmError("INVALID_OPTION", "a driver that uses z needs paths simulated with keepNormals: true");

  const nY = cv ? 2 : 1;
  const R = nY + (usesZ ? nY * D : 0);
  const ws = new RegressionWorkspace(rt, M, comps.length + nFeatures, degree, R, kind, nFeatures);
  try {
    const exitStep = exitValue ? paths.exitStep : undefined;
    const drivers = cv ? [o.driver, cv.driver] : [o.driver];
    const Y = drivers.map(() => o.terminal.slice()); // Y_{n+1}, then Y_n
    const Znext = drivers.map(() => Array.from({ length: D }, () => new Float64Array(M)));
    const Zn = drivers.map(() => Array.from({ length: D }, () => new Float64Array(M)));
    const E = drivers.map(() => new Float64Array(M));
    const F = drivers.map(() => new Float64Array(M)); // pathwise Σ h f
    const xi = drivers.map(() => o.terminal.slice()); // pathwise terminal or exit value
    const f = new Float64Array(M),
      yNew = new Float64Array(M);
    // Tilted paths: regress at step n with the likelihood ratio up to t_{n+1} (so that the fit
    // is a projection under Q), kept as log Σ_{m≤n} from the total minus the tail.
    const tilted = paths.tilt !== undefined;
    const logL = new Float64Array(M);
    if (tilted) for (let n = 0; n < N; n++) paths.stepLogLikelihood(n).forEach((v, p) => (logL[p] += v));
    const likelihood = tilted ? paths.likelihood() : new Float64Array(M).fill(1);
    const grid = o.keepGrid ? Array.from({ length: N + 1 }, () => new Float64Array(M)) : undefined;
    if (exitStep) {
      for (let p = 0; p < M; p++) if (exitStep[p] !== 0) for (const x of xi) x[p] = exitValue![p];
    }
    const alive = new Uint8Array(M);
    const sqrtH = Math.sqrt(h);

    for (let n = N - 1; n >= 0; n--) {
      const t = n * h;
      // Y_{n+1} of paths that default at step n + 1 is their exit value.
      if (exitStep) for (let p = 0; p < M; p++) if (exitStep[p] === n + 1) for (const y of Y) y[p] = exitValue![p];
      if (grid && n === N - 1) grid[N].set(Y[0]);
      for (let p = 0; p < M; p++) alive[p] = !exitStep || exitStep[p] === 0 || exitStep[p] > n ? 1 : 0;
      if (tilted) ws.row("w").set(logL);
      if (tilted) rt.call((ex) => ex.expAffine(M, 1, 0, ws.ptr("w"), ws.ptr("w")));
      const w = ws.row("w");
      for (let p = 0; p < M; p++) w[p] = alive[p] ? (tilted ? w[p] : 1) : 0;
      // The regressors' offsets are taken anew before each fit (logPtr checks that the
      // paths are alive): user callbacks (features, drivers) run in between.
      const extra: number[] = [];
      const regs = () => [...comps.map((j) => paths.logPtr(n, j)), ...extra];
      if (nFeatures) {
        const feats = o.basis!.features!(n);
        if (!Array.isArray(feats) || feats.length !== nFeatures)
          throw new SolvewasmError("DIMENSION_MISMATCH", `basis.features(${n}) returned ${describe(feats)}, expected ${nFeatures} arrays`);
        feats.forEach((v, i) => {
          checkF64(v, `basis.features(${n})[${i}]`);
          checkLength(v.length, M, `basis.features(${n})[${i}]`);
          ws.row("extra", i).set(v);
          extra.push(ws.ptr("extra") + 8 * M * i);
        });
      }
      // Z_n = E_n[Y_{n+1} ΔB_n]/h with ΔB_n = √h z_n.
      const zByGradient = usesZ && zMethod === "gradient" && n > 0;
      if (zByGradient) drivers.forEach((_, i) => Zn[i].forEach((z, k) => z.set(Znext[i][k])));
      if (usesZ && !zByGradient) {
        for (let k = 0; k < D; k++) {
          const z = new Float64Array(rt.memory.buffer, paths.normalPtr(n, k), M);
          drivers.forEach((_, i) => {
            const T = ws.row("T", i * D + k);
            const y = Y[i];
            for (let p = 0; p < M; p++) T[p] = alive[p] ? (y[p] * z[p]) / sqrtH : 0;
          });
        }
        ws.fit(regs(), nY * D, true);
        drivers.forEach((_, i) => Zn[i].forEach((z, k) => z.set(ws.row("out", i * D + k))));
      }
      // E_n[Y_{n+1} + (1 − θ) h f_{n+1}]
      drivers.forEach((drv, i) => {
        const T = ws.row("T", i);
        const y = Y[i];
        if (theta < 1) {
          // Z at a path's last point (terminal or exit) is unknown: take Z_n there.
          const zs = Znext[i].map((z, k) => {
            const c = z.slice();
            for (let p = 0; p < M; p++) if (n + 1 === N || (exitStep && exitStep[p] === n + 1)) c[p] = Zn[i][k][p];
            return c;
          });
          drv.evaluate(n + 1, t + h, y, zs, f);
          for (let p = 0; p < M; p++) T[p] = alive[p] ? y[p] + (1 - theta) * h * f[p] : 0;
        } else {
          for (let p = 0; p < M; p++) T[p] = alive[p] ? y[p] : 0;
        }
      });
      ws.fit(regs(), nY, true);
      drivers.forEach((_, i) => E[i].set(ws.row("out", i)));
      if (zByGradient) {
        // d log X_j = … + σ_j Σ_k L_jk dB_k, so Z_k = Σ_j ∂ŷ/∂log X_j · σ_j L_jk.
        const L = paths.corrFactor,
          vols = paths.vols;
        drivers.forEach((_, i) => {
          Zn[i].forEach((z) => z.fill(0));
          for (const [r, g] of ws.gradient(i)) {
            if (r >= comps.length) continue;
            const j = comps[r];
            for (let k = 0; k <= j; k++) {
              const c = vols[j] * L[j * D + k],
                z = Zn[i][k];
              if (c !== 0) for (let p = 0; p < M; p++) z[p] += c * g[p];
            }
          }
        });
      }
      drivers.forEach((drv, i) => {
        const e = E[i],
          z = Zn[i],
          y = Y[i];
        const yn = yNew.fill(0);
        yn.set(e);
        if (theta > 0) {
          for (let it = 0; it < picard; it++) {
            drv.evaluate(n, t, yn, z, f);
            let change = 0,
              size = 0;
            for (let p = 0; p < M; p++) {
              if (!alive[p]) continue;
              const v = e[p] + theta * h * f[p];
              change = Math.max(change, Math.abs(v - yn[p]));
              size = Math.max(size, Math.abs(v));
              yn[p] = v;
            }
            if (change <= 1e-14 * (1 + size)) break;
          }
        }
        drv.evaluate(n, t, yn, z, f);
        const acc = F[i];
        for (let p = 0; p < M; p++) {
          if (!alive[p]) continue;
          acc[p] += h * f[p];
          y[p] = yn[p];
        }
        for (let k = 0; k < D; k++) Znext[i][k].set(z[k]);
      });
      if (tilted) paths.stepLogLikelihood(n).forEach((v, p) => (logL[p] -= v));
      if (grid) {
        const g = grid[n];
        for (let p = 0; p < M; p++) g[p] = alive[p] ? Y[0][p] : 0;
      }
      o.onProgress?.(N - n, N);
    }
    // Pathwise estimator and its standard error.
    let s = 0,
      s2 = 0;
    for (let p = 0; p < M; p++) {
      let v = likelihood[p] * (xi[0][p] + F[0][p]);
      if (cv) v -= likelihood[p] * (xi[1][p] + F[1][p]);
      s += v;
      s2 += v * v;
    }
    const mean = s / M;
    const se = Math.sqrt(Math.max(0, s2 / M - mean * mean) / (M - 1));
    const y0 = cv ? Y[0][0] - Y[1][0] + cv.value : Y[0][0];
    const z0 = Float64Array.from({ length: D }, (_, k) => (cv ? Zn[0][k][0] - Zn[1][k][0] : Zn[0][k][0]));
    if (!Number.isFinite(y0))
      throw new SolvewasmError("NOT_FINITE", `the backward scheme produced Y₀ = ${y0}: check the driver and terminal values for NaN or overflow`);
    return {
      y0,
      z0,
      se,
      pathwise: cv ? mean + cv.value : mean,
      basisSize: ws.kMax,
      fallback: { qr: ws.qrFits, minRank: Math.min(ws.minRank, ws.kMax), ridge: ws.ridgeFits },
      grid,
    };
  } finally {
    ws.dispose();
  }
}

function checkDriver(d: Driver, name: string): void {
  if (!d || typeof d.evaluate !== "function" || typeof d.usesZ !== "boolean") {
    throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a driver { usesZ, evaluate(n, t, y, z, out) } (see xva.drivers), got ${describe(d)}`);
  }
}
