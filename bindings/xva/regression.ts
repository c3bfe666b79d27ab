// One least-squares projection across paths, as the backward solver does it at every step:
// standardise the regressors, evaluate a total-degree polynomial basis in wasm, accumulate
// the weighted normal equations in wasm (SIMD), solve them here, and write fitted values.
import { SolvewasmError } from "../errors.js";
import type { Runtime } from "../runtime.js";
import { qrLeastSquares, solveNormal } from "./linalg.js";
import { makeSpecial } from "./special.js";
import { BasisKind as BasisTag } from "../generated/layouts.js";

export type BasisKind = "hermite" | "monomial";

/** All exponent vectors e ∈ ℕ^q with |e| ≤ degree, by total degree then lexicographically. */
export function multiIndices(q: number, degree: number): number[][] {
  const out: number[][] = [];
  for (let total = 0; total <= degree; total++) {
    const rec = (prefix: number[], left: number) => {
      if (prefix.length === q - 1) {
        out.push([...prefix, left]);
        return;
      }
      for (let e = left; e >= 0; e--) rec([...prefix, e], left - e);
    };
    if (q === 0) {
      if (total === 0) out.push([]);
    } else rec([], total);
  }
  return out;
}

/** Number of basis functions of total degree ≤ degree in q variables: C(q + degree, degree). */
export function basisSize(q: number, degree: number): number {
  let c = 1;
  for (let i = 1; i <= degree; i++) c = (c * (q + i)) / i;
  return Math.round(c);
}

/**
 * Scratch in wasm memory for regressions of up to `rows` paths, `qMax` regressors of degree
 * ≤ `degree` and `rMax` right-hand sides. Allocate once, then call `fit` any number of times;
 * every view is rebuilt per call because another allocation may have grown memory.
 */
export class RegressionWorkspace {
  readonly M: number;
  readonly qMax: number;
  readonly degree: number;
  readonly kMax: number;
  readonly rMax: number;
  readonly kind: BasisKind;
  /** Fits whose normal equations were numerically singular and were solved by pivoted QR
   * instead, the smallest rank seen there, and fits that still needed a ridge. */
  qrFits = 0;
  minRank = Infinity;
  ridgeFits = 0;
  readonly #rt: Runtime;
  readonly #gen: number;
  readonly #bytes: number;
  readonly #base: number;
  readonly #layout: Record<string, number>;
  #freed = false;
  #last: { kept: number[]; invs: number[]; exps: number[][]; R: number; coef: Float64Array } | undefined;

  constructor(rt: Runtime, M: number, qMax: number, degree: number, rMax: number, kind: BasisKind, extraRows = 0) {
    this.M = M;
    this.qMax = qMax;
    this.degree = degree;
    this.kMax = basisSize(qMax, degree);
    this.rMax = rMax;
    this.kind = kind;
    this.#rt = rt;
    const K = this.kMax;
    const sizes: [string, number][] = [
      ["regs", 4 * qMax + 8],
      ["mean", 8 * qMax + 8],
      ["inv", 8 * qMax + 8],
      ["exp", 4 * K * Math.max(qMax, 1) + 8],
      ["G", 8 * K * K],
      ["B", 8 * K * rMax],
      ["C", 8 * K * rMax],
      ["chunk", 8 * 512 * K],
      ["w", 8 * M],
      ["table", 8 * (degree + 1) * Math.max(qMax, 1) * M],
      ["phi", 8 * K * M],
      ["T", 8 * rMax * M],
      ["out", 8 * rMax * M],
      ["extra", 8 * Math.max(extraRows, 1) * M],
      ["grad", 8 * M],
      ["gc", 8 * K],
    ];
    let total = 0;
    const layout: Record<string, number> = {};
    for (const [name, b] of sizes) {
      layout[name] = total;
      total += (b + 15) & ~15;
    }
    this.#bytes = total;
    this.#base = rt.alloc(total);
    this.#gen = rt.generation;
    this.#layout = layout;
  }

  get runtime(): Runtime {
    return this.#rt;
  }

  /** Byte offset of a named scratch area. */
  ptr(name: "w" | "T" | "out" | "extra"): number {
    return this.#base + this.#layout[name];
  }

  /** A view of row r (M f64) of area `name`; rebuild after any allocation. */
  row(name: "w" | "T" | "out" | "extra", r = 0): Float64Array {
    return new Float64Array(this.#rt.memory.buffer, this.ptr(name) + 8 * this.M * r, this.M);
  }

  /**
   * Fits R targets (rows 0…R−1 of area T) on the basis of the regressors at byte offsets
   * `regs` (M f64 each), weighted by area w when `weighted` (0 drops a path), and writes the
   * fitted values to area out. Regressors that are constant over the weighted paths are
   * left out of the basis. Returns the coefficients' count K.
   */
  fit(regs: number[], R: number, weighted: boolean): number {
    if (this.#gen !== this.#rt.generation)
      throw new SolvewasmError("DISPOSED", "this regression workspace belonged to an instance that trapped and was replaced");
    const M = this.M;
    const mem = this.#rt.memory.buffer;
    const w = weighted ? this.row("w") : undefined;
    const keep: number[] = [];
    const means: number[] = [];
    const invs: number[] = [];
    for (const p of regs) {
      const x = new Float64Array(mem, p, M);
      let sw = 0,
        s = 0,
        s2 = 0;
      for (let i = 0; i < M; i++) {
        const wi = w ? w[i] : 1;
        if (wi === 0) continue;
        sw += wi;
        s += wi * x[i];
      }
      if (!(sw > 0)) continue;
      const mean = s / sw;
      for (let i = 0; i < M; i++) {
        const wi = w ? w[i] : 1;
        if (wi !== 0) s2 += wi * (x[i] - mean) * (x[i] - mean);
      }
      const sd = Math.sqrt(s2 / sw);
      if (!(sd > 1e-12 * (Math.abs(mean) + 1e-300)) || !Number.isFinite(sd)) continue;
      keep.push(p);
      means.push(mean);
      invs.push(1 / sd);
    }
    const kept: number[] = [];
    regs.forEach((p, i) => {
      if (keep.includes(p) && !kept.some((k) => regs[k] === p)) kept.push(i);
    });
    const q = keep.length;
    const exps = multiIndices(q, q ? this.degree : 0);
    const K = exps.length;
    const b = this.#base,
      L = this.#layout;
    new Uint32Array(mem, b + L.regs, q).set(keep);
    new Float64Array(mem, b + L.mean, q).set(means);
    new Float64Array(mem, b + L.inv, q).set(invs);
    const e = new Int32Array(mem, b + L.exp, K * Math.max(q, 1));
    if (q === 0) e.fill(0);
    else exps.forEach((v, k) => e.set(v, k * q));
    new Float64Array(mem, b + L.G, K * K).fill(0);
    new Float64Array(mem, b + L.B, K * R).fill(0);
    this.#rt.call((ex) => {
      if (q === 0) new Float64Array(mem, b + L.phi, M).fill(1);
      else
        ex.basisEval(
          M,
          q,
          b + L.regs,
          b + L.mean,
          b + L.inv,
          this.degree,
          this.kind === "hermite" ? BasisTag.HERMITE : BasisTag.MONOMIAL,
          K,
          b + L.exp,
          b + L.table,
          b + L.phi,
        );
      ex.gramAccumulate(M, K, b + L.phi, weighted ? b + L.w : 0, R, b + L.T, b + L.G, b + L.B, b + L.chunk);
    });
    const G = new Float64Array(mem, b + L.G, K * K).slice();
    const B = new Float64Array(mem, b + L.B, K * R).slice();
    let coef = solveNormal(G, K, B, R);
    if (!coef) {
      // Numerically singular normal equations: least squares on the weighted data by QR.
      const mem2 = this.#rt.memory.buffer;
      const w2 = weighted ? new Float64Array(mem2, b + L.w, M) : undefined;
      const sq = (v: Float64Array) => {
        if (w2) for (let i = 0; i < M; i++) v[i] *= Math.sqrt(w2[i]);
        return v;
      };
      const A = Array.from({ length: K }, (_, k) => sq(new Float64Array(mem2, b + L.phi + 8 * M * k, M).slice()));
      const Bs = Array.from({ length: R }, (_, r) => sq(new Float64Array(mem2, b + L.T + 8 * M * r, M).slice()));
      const qr = qrLeastSquares(A, Bs);
      this.qrFits++;
      this.minRank = Math.min(this.minRank, qr.rank);
      coef = qr.coef;
      if (!coef.every(Number.isFinite)) {
        for (let lambda = 1e-12; lambda <= 1e4; lambda *= 100) {
          coef = solveNormal(G, K, B, R, lambda);
          if (coef?.every(Number.isFinite)) break;
        }
        this.ridgeFits++;
        if (!coef?.every(Number.isFinite))
          throw new SolvewasmError("NOT_FINITE", "a regression has non-finite normal equations: check the targets and regressors for NaN or overflow");
      }
    }
    new Float64Array(this.#rt.memory.buffer, b + L.C, K * R).set(coef);
    this.#last = { kept, invs, exps, R, coef };
    this.#rt.call((ex) => ex.basisCombine(M, K, b + L.phi, R, b + L.C, b + L.out));
    return K;
  }

  /**
   * The gradient of the last fit of target r with respect to each regressor that entered the
   * basis: ∂ŷ/∂x_i = invScale_i Σ_k c_k e_ki P_{e_k − 1_i} (He_d′ = d·He_{d−1}, (u^d)′ = d·u^{d−1}),
   * so it is a combination of the basis columns already evaluated. Returns (index in the
   * `regs` list of that fit, M values) pairs; regressors left out (constant) have no entry.
   */
  gradient(r: number): [number, Float64Array][] {
    const last = this.#last;
    if (!last) return [];
    const { kept, invs, exps, R, coef } = last;
    const K = exps.length;
    const index = new Map(exps.map((e, k) => [e.join(","), k]));
    const mem = () => this.#rt.memory.buffer;
    const b = this.#base,
      L = this.#layout;
    return kept.map((regIndex, j) => {
      const c = new Float64Array(K);
      exps.forEach((e, k) => {
        if (e[j] === 0) return;
        const lower = e.slice();
        lower[j]--;
        c[index.get(lower.join(","))!] += coef[k * R + r] * e[j] * invs[j];
      });
      new Float64Array(mem(), b + L.gc, K).set(c);
      this.#rt.call((ex) => ex.basisCombine(this.M, K, b + L.phi, 1, b + L.gc, b + L.grad));
      return [regIndex, new Float64Array(mem(), b + L.grad, this.M).slice()];
    });
  }

  dispose(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#rt.free(this.#base, this.#bytes, this.#gen);
  }
}

/**
 * The conditional α-quantile of target row 0 (area T) given the regressors: the basis fit
 * minimising Σ w·ρ_α(y − ŷ), ρ_α(u) = max(αu, (α − 1)u) (pinball loss), by iteratively
 * reweighted least squares: weights α/|r| above the fit and (1 − α)/|r| below, |r| floored
 * at 1e-6 of the spread of y, started from the normal guess mean + Φ⁻¹(α)·sd (regressed mean
 * and variance), which leaves far fewer iterations to converge than the mean alone. `base` holds the path weights (0 drops a
 * path). Returns the fitted quantile on every path.
 */
export function quantileFit(
  ws: RegressionWorkspace,
  regs: number[],
  y: Float64Array,
  base: Float64Array | undefined,
  alpha: number,
  iterations: number,
): Float64Array {
  const M = ws.M;
  let lo = Infinity,
    hi = -Infinity;
  for (let p = 0; p < M; p++) {
    if (base && base[p] === 0) continue;
    lo = Math.min(lo, y[p]);
    hi = Math.max(hi, y[p]);
  }
  const floor = 1e-6 * Math.max(hi - lo, 1e-300);
  ws.row("T", 0).set(y);
  const w0 = ws.row("w");
  if (base) w0.set(base);
  else w0.fill(1);
  ws.fit(regs, 1, true);
  const mean = ws.row("out", 0).slice();
  const T = ws.row("T", 0);
  for (let p = 0; p < M; p++) T[p] = (y[p] - mean[p]) ** 2;
  ws.fit(regs, 1, true);
  const variance = ws.row("out", 0);
  const z = makeSpecial(ws.runtime).normInv(alpha);
  let fit = mean.map((m, p) => m + z * Math.sqrt(Math.max(variance[p], 0)));
  for (let it = 0; it < iterations; it++) {
    const w = ws.row("w");
    for (let p = 0; p < M; p++) {
      const b = base ? base[p] : 1;
      if (b === 0) {
        w[p] = 0;
        continue;
      }
      const r = y[p] - fit[p];
      w[p] = (b * (r >= 0 ? alpha : 1 - alpha)) / Math.max(Math.abs(r), floor);
    }
    ws.row("T", 0).set(y);
    ws.fit(regs, 1, true);
    fit = ws.row("out", 0).slice();
  }
  return fit;
}
