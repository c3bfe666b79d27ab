// Forward path simulation: correlated geometric Brownian motions (exact log steps) and
// firm values whose first exit below a barrier is a default. Paths stay in wasm memory
// ([step][component][path]) for the backward solver; accessors copy slices out.
/// <reference lib="esnext.disposable" preserve="true" />
import { tryCholesky } from "../dense.js";
import { SolvewasmError } from "../errors.js";
import { Allocation } from "../memory.js";
import type { Runtime } from "../runtime.js";
import { checkInt, checkNumber, describe, isArrayLike, readNumbers } from "../validate.js";
import { makeSpecial, type Special } from "./special.js";
import { ExitKind } from "../generated/layouts.js";

/** How a default between grid points is detected. */
export type ExitMethod = "discrete" | "bridge" | "shift";

/** A firm value A (dA/A = drift dt + vol dW) that defaults when it first falls to its barrier. */
export interface FirmSpec {
  /** A₀ > 0. */
  value: number;
  /** Drift under the simulation measure (e.g. r, or a real-world μ). */
  drift: number;
  /** Volatility σ > 0. */
  vol: number;
  /** The default barrier: a constant, or its value at each grid time t₀ … t_N (length N + 1). */
  barrier: number | ArrayLike<number>;
  /** Drift tilt q ≥ 0: simulate with drift − q so that defaults are frequent, and weight
   * each path by the likelihood ratio (importance sampling; see `PathSet.likelihood`). */
  tilt?: number;
}

export interface PathOptions {
  /** Number of paths M (≥ 2). */
  paths: number;
  /** Number of time steps N (≥ 1). */
  steps: number;
  /** Horizon T > 0; the grid is t_n = n·T/N. */
  maturity: number;
  /** Seed of the Philox4x32-10 generator: an integer in [0, 2^53). Default 1. */
  seed?: number;
  /** Start values S₀ of the d market factors (all > 0). */
  spot: ArrayLike<number>;
  /** Drift of each factor (a number for all, or one per factor). Under Q this is r. */
  drift: number | ArrayLike<number>;
  /** Volatility of each factor (> 0). */
  vol: ArrayLike<number>;
  /** Correlation of the d factors followed by the firms, (d + f)×(d + f), symmetric
   * positive definite with unit diagonal. Default: independent. */
  corr?: ArrayLike<ArrayLike<number>>;
  /** Up to two firms (by convention the bank first, then the counterparty). */
  firms?: FirmSpec[];
  /** Default detection: at grid points ("discrete", biased late by O(√h)), with the
   * Brownian-bridge crossing probability ("bridge", default), or at grid points against the
   * Broadie–Glasserman–Kou shifted barrier B·e^{0.5826 σ √h} ("shift"). */
  exit?: ExitMethod;
  /** Keep every step's normals (needed by the backward solver for Z and for tilted
   * likelihoods). Default true; false saves N·D·M·8 bytes. */
  keepNormals?: boolean;
}

const BGK_BETA = 0.5825971579390106; // −ζ(1/2)/√(2π)

/** Simulated paths in wasm memory. Dispose when done (or `using`). */
export class PathSet {
  /** M, N, D = d + number of firms, h = T/N. */
  readonly paths: number;
  readonly steps: number;
  readonly dims: number;
  readonly assets: number;
  readonly maturity: number;
  readonly h: number;
  /** Grid times t₀ … t_N. */
  readonly times: Float64Array;
  /** Per path: the step n (1…N) of the first default of any firm, or 0 if none by T. */
  readonly exitStep: Int32Array;
  /** Per path: which firms defaulted at exitStep (bit 0: firms[0], bit 1: firms[1]). */
  readonly exitWho: Int32Array;
  /** The Cholesky factor of the correlation (row-major D×D), used by the tests and the solver. */
  readonly corrFactor: Float64Array;
  /** Volatility of each component (the factors, then the firms). */
  readonly vols: Float64Array;
  /** Per-step likelihood-ratio exponent φ (in the independent normals) when a firm is tilted. */
  readonly tilt: Float64Array | undefined;
  readonly keepNormals: boolean;
  readonly #rt: Runtime;
  readonly #special: Special;
  readonly #logX: Allocation;
  readonly #z: Allocation;

  /** @internal Use `xva.simulate`. */
  constructor(rt: Runtime, o: PathOptions) {
    const { M, N, T, d, D, firms, spot, drift, vol, corr, seed, method, keep } = checkPathOptions(o, rt.memory);
    const L = tryCholesky(corr, D);
    if (!L) throw new SolvewasmError("INVALID_ARGUMENT", "corr is not positive definite (its Cholesky factorisation failed)");
    const h = T / N;
    this.paths = M;
    this.steps = N;
    this.dims = D;
    this.assets = d;
    this.maturity = T;
    this.h = h;
    this.times = Float64Array.from({ length: N + 1 }, (_, n) => n * h);
    this.corrFactor = L;
    this.keepNormals = keep;
    this.#rt = rt;
    const special = (this.#special = makeSpecial(rt));

    const sig = [...Array.from(vol), ...firms.map((f) => f.vol)];
    this.vols = Float64Array.from(sig);
    const mu = [...(typeof drift === "number" ? Array(d).fill(drift) : Array.from(drift)), ...firms.map((f) => f.drift - (f.tilt ?? 0))];
    const x0 = [...Array.from(spot, (v) => special.log(v)), ...firms.map((f) => special.log(f.value))];
    const stepVol = new Float64Array(D * D);
    for (let j = 0; j < D; j++) for (let k = 0; k <= j; k++) stepVol[j * D + k] = sig[j] * Math.sqrt(h) * L[j * D + k];
    const stepDrift = Float64Array.from({ length: D }, (_, j) => (mu[j] - 0.5 * sig[j] * sig[j]) * h);
    const F = firms.length;
    const logB = new Float64Array((N + 1) * Math.max(F, 1));
    firms.forEach((f, i) => {
      const shift = method === "shift" ? BGK_BETA * f.vol * Math.sqrt(h) : 0;
      for (let n = 0; n <= N; n++) {
        const b = typeof f.barrier === "number" ? f.barrier : f.barrier[n];
        logB[n * F + i] = (b > 0 ? special.log(b) : -Infinity) + shift;
      }
    });
    // Tilted firms: W̃ = W + u t with u_j = q_j/σ_j; in the independent normals φ = L⁻¹u.
    if (firms.some((f) => (f.tilt ?? 0) !== 0)) {
      const u = new Float64Array(D);
      firms.forEach((f, i) => (u[d + i] = (f.tilt ?? 0) / f.vol));
      const phi = new Float64Array(D);
      for (let j = 0; j < D; j++) {
        let s = u[j];
        for (let k = 0; k < j; k++) s -= L[j * D + k] * phi[k];
        phi[j] = s / L[j * D + j];
      }
      if (!keep) throw new SolvewasmError("INVALID_OPTION", "a tilted firm needs keepNormals: true (the likelihood ratio is built from the normals)");
      this.tilt = phi;
    }

    const stepBytes = D * M * 8;
    const pathBytes = (N + 1) * stepBytes;
    const zBytes = (keep ? N : 1) * stepBytes;
    const small = 8 * (3 * D + D * D + logB.length + F) + 4 * (F + 2 * M) + 64;
    this.#logX = new Allocation(rt, pathBytes);
    try {
      this.#z = new Allocation(rt, zBytes);
    } catch (e) {
      this.#logX.free();
      throw e;
    }
    const tmp = rt.alloc(small);
    const gen = rt.generation;
    try {
      const mem = rt.memory.buffer;
      let at = tmp;
      const put = (a: ArrayLike<number>) => {
        const p = at;
        new Float64Array(mem, p, a.length).set(a);
        at += 8 * a.length;
        return p;
      };
      const pX0 = put(x0),
        pDrift = put(stepDrift),
        pVol = put(stepVol),
        pLogB = put(logB),
        pSigma = put(firms.map((f) => f.vol));
      const pFirm = at;
      new Int32Array(mem, pFirm, F).set(firms.map((_, i) => d + i));
      at += 4 * F + 4;
      at = (at + 7) & ~7;
      const pExit = at,
        pWho = at + 4 * M;
      const [k0, k1] = [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
      rt.call((ex) =>
        ex.simulatePaths(
          M,
          N,
          D,
          k0,
          k1,
          pX0,
          pDrift,
          pVol,
          this.#logX.ptr("PathSet"),
          this.#z.ptr("PathSet"),
          keep ? 1 : 0,
          F,
          pFirm,
          pLogB,
          pSigma,
          h,
          method === "bridge" ? ExitKind.BRIDGE : ExitKind.DISCRETE,
          pExit,
          pWho,
        ),
      );
      this.exitStep = F ? new Int32Array(rt.memory.buffer, pExit, M).slice() : new Int32Array(M);
      this.exitWho = F ? new Int32Array(rt.memory.buffer, pWho, M).slice() : new Int32Array(M);
    } catch (e) {
      this.dispose();
      throw e;
    } finally {
      rt.free(tmp, small, gen);
    }
  }

  /** @internal Byte offset of log X at (step n, component j): M f64. */
  logPtr(n: number, j: number): number {
    return this.#logX.ptr("PathSet") + 8 * this.paths * (n * this.dims + j);
  }

  /** @internal Byte offset of the normals of (step n, component k): M f64. */
  normalPtr(n: number, k: number): number {
    if (!this.keepNormals) throw new SolvewasmError("INVALID_OPTION", "these paths were simulated with keepNormals: false");
    return this.#z.ptr("PathSet") + 8 * this.paths * (n * this.dims + k);
  }

  /** log X_j at step n for every path (a copy). Components: the d factors, then the firms. */
  logValue(j: number, n: number): Float64Array {
    this.#check(j, n, this.steps);
    return new Float64Array(this.#rt.memory.buffer, this.logPtr(n, j), this.paths).slice();
  }

  /** X_j at step n for every path (a copy). */
  value(j: number, n: number): Float64Array {
    return this.#special.expArray(this.logValue(j, n));
  }

  /** The standard normals that drove step n → n + 1 in independent component k (a copy);
   * the correlated Brownian increments are √h·L·z. */
  normal(k: number, n: number): Float64Array {
    this.#check(k, n, this.steps - 1);
    return new Float64Array(this.#rt.memory.buffer, this.normalPtr(n, k), this.paths).slice();
  }

  /** log dQ/dQ^tilt of step n → n + 1 for every path (all 0 without a tilt):
   * φ·z_n √h − |φ|²h/2 with φ the tilt in the independent normals. */
  stepLogLikelihood(n: number): Float64Array {
    const phi = this.tilt;
    if (!phi) return new Float64Array(this.paths);
    const sh = Math.sqrt(this.h);
    const e = new Float64Array(this.paths).fill(-0.5 * phi.reduce((s, v) => s + v * v, 0) * this.h);
    const mem = this.#rt.memory.buffer;
    for (let k = 0; k < this.dims; k++) {
      if (phi[k] === 0) continue;
      const z = new Float64Array(mem, this.normalPtr(n, k), this.paths);
      const c = phi[k] * sh;
      for (let p = 0; p < this.paths; p++) e[p] += c * z[p];
    }
    return e;
  }

  /** Per path, the likelihood ratio dQ/dQ^tilt up to its exit step (or T): the weight that
   * makes averages over tilted paths unbiased under Q. All 1 without a tilt. */
  likelihood(): Float64Array {
    const L = new Float64Array(this.paths).fill(1);
    if (!this.tilt) return L;
    const log = new Float64Array(this.paths);
    for (let n = 0; n < this.steps; n++) {
      const w = this.stepLogLikelihood(n);
      for (let p = 0; p < this.paths; p++) if (this.exitStep[p] === 0 || this.exitStep[p] > n) log[p] += w[p];
    }
    return this.#special.expArray(log);
  }

  /** Frees the wasm memory; safe to call twice. */
  dispose(): void {
    this.#logX?.free();
    this.#z?.free();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #check(j: number, n: number, last: number): void {
    checkInt(j, "component", 0, this.dims - 1);
    checkInt(n, "step", 0, last);
  }
}

/** Most time steps one path set holds. */
export const MAX_STEPS = 1 << 20;

function checkPathOptions(o: PathOptions, memory: WebAssembly.Memory) {
  if (typeof o !== "object" || o === null) throw new SolvewasmError("INVALID_ARGUMENT", `simulate takes an options object, got ${describe(o)}`);
  checkInt(o.paths, "paths", 2, 2 ** 30);
  checkInt(o.steps, "steps", 1, MAX_STEPS);
  checkNumber(o.maturity, "maturity");
  if (!(o.maturity > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `maturity must be positive, got ${o.maturity}`);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SolvewasmError("INVALID_ARGUMENT", `seed must be an integer in [0, 2^53), got ${describe(seed)}`);
  // Every array is read once (readNumbers) and the copies are what the paths use.
  const spot = readNumbers(o.spot, "spot", { memory });
  const d = spot.length;
  const vol = readNumbers(o.vol, "vol", { length: d, memory });
  const drift = typeof o.drift === "number" ? (checkNumber(o.drift, "drift"), o.drift) : readNumbers(o.drift, "drift", { length: d, memory });
  for (let i = 0; i < d; i++) {
    if (!(spot[i] > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `spot[${i}] must be positive, got ${spot[i]}`);
    if (!(vol[i] > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `vol[${i}] must be positive, got ${vol[i]}`);
  }
  const given = o.firms ?? [];
  if (!Array.isArray(given) || given.length > 2) throw new SolvewasmError("INVALID_ARGUMENT", "firms must be an array of at most two firm specifications");
  const firms: FirmSpec[] = given.map((f: FirmSpec, i) => {
    const name = `firms[${i}]`;
    if (typeof f !== "object" || f === null) throw new SolvewasmError("INVALID_ARGUMENT", `${name} must be a firm specification, got ${describe(f)}`);
    const { value, drift, vol, tilt, barrier } = f;
    checkNumber(value, `${name}.value`);
    checkNumber(drift, `${name}.drift`);
    checkNumber(vol, `${name}.vol`);
    if (!(value > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `${name}.value must be positive, got ${value}`);
    if (!(vol > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `${name}.vol must be positive, got ${vol}`);
    if (tilt !== undefined) checkNumber(tilt, `${name}.tilt`);
    let b: number | ArrayLike<number>;
    if (typeof barrier === "number") {
      checkNumber(barrier, `${name}.barrier`);
      b = barrier;
    } else {
      if (!isArrayLike(barrier))
        throw new SolvewasmError("INVALID_ARGUMENT", `${name}.barrier must be a number or an array of N + 1 values, got ${describe(barrier)}`);
      b = readNumbers(barrier, `${name}.barrier`, { length: o.steps + 1, memory });
    }
    for (let n = 0; n < (typeof b === "number" ? 1 : b.length); n++) {
      const v = typeof b === "number" ? b : b[n];
      if (!(v >= 0))
        throw new SolvewasmError("INVALID_ARGUMENT", `${name}.barrier must be ≥ 0 (0: no default), got ${v}${typeof b === "number" ? "" : ` at step ${n}`}`);
    }
    return { ...f, value, drift, vol, tilt, barrier: b };
  });
  const D = d + firms.length;
  if (D === 0) throw new SolvewasmError("INVALID_ARGUMENT", "nothing to simulate: give at least one spot or one firm");
  let corr: Float64Array;
  if (o.corr === undefined) {
    corr = new Float64Array(D * D);
    for (let i = 0; i < D; i++) corr[i * D + i] = 1;
  } else {
    if (!isArrayLike(o.corr)) throw new SolvewasmError("INVALID_ARGUMENT", `corr must be a ${D}×${D} array of rows, got ${describe(o.corr)}`);
    const rows = Array.from(o.corr as ArrayLike<unknown>);
    if (rows.length !== D) throw new SolvewasmError("DIMENSION_MISMATCH", `corr has ${rows.length} rows, expected ${D} (${d} factors + ${firms.length} firms)`);
    corr = new Float64Array(D * D);
    rows.forEach((row, i) => corr.set(readNumbers(row, `corr[${i}]`, { length: D, memory }), i * D));
    for (let i = 0; i < D; i++) {
      if (corr[i * D + i] !== 1) throw new SolvewasmError("INVALID_ARGUMENT", `corr must have a unit diagonal; corr[${i}][${i}] = ${corr[i * D + i]}`);
      for (let j = 0; j < i; j++) {
        if (corr[i * D + j] !== corr[j * D + i]) throw new SolvewasmError("INVALID_ARGUMENT", `corr is not symmetric at (${i}, ${j})`);
      }
    }
  }
  const method = o.exit ?? "bridge";
  if (!["discrete", "bridge", "shift"].includes(method))
    throw new SolvewasmError("INVALID_OPTION", `exit must be "discrete", "bridge" or "shift", got ${describe(method)}`);
  const keep = o.keepNormals ?? true;
  if (typeof keep !== "boolean") throw new SolvewasmError("INVALID_OPTION", `keepNormals must be true or false, got ${describe(keep)}`);
  return { M: o.paths, N: o.steps, T: o.maturity, d, D, firms, spot, drift, vol, corr, seed, method, keep };
}
