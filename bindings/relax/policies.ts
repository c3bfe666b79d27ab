// Bandit policies over a fixed grid of ω values ("arms"), all learning from the iteration
// counts of the solves they chose (after Khodak, Chow, Balcan and Talwalkar, "Learning to
// Relax", ICLR 2024, and the authors' MATLAB code; see shared/papers/sor-bandit.md).
// Losses are iterations − 1 (a solve costs at least one iteration), divided by the running
// mean of the losses seen so far, so no scale has to be known in advance.
import type { Random } from "./random.js";
import { choleskyFactor, choleskySolve } from "../dense.js";
import { SolvewasmError } from "../errors.js";
import { describe, readNumbers } from "../validate.js";

/** A saved learner's field: numbers of a known length, finite (and ≥ 0 when `nonNegative`). */
function savedNumbers(v: unknown, length: number, name: string, nonNegative = false): Float64Array {
  const a = Float64Array.from(readNumbers(v, `state.learner.${name}`, { length }));
  if (nonNegative && a.some((x) => x < 0)) throw new SolvewasmError("INVALID_ARGUMENT", `state.learner.${name} must be ≥ 0`);
  return a;
}

/** A saved learner's list of `length` entries. */
function savedList(v: unknown, length: number, name: string): unknown[] {
  if (!Array.isArray(v) || v.length !== length)
    throw new SolvewasmError("INVALID_ARGUMENT", `state.learner.${name} must be an array of ${length}, got ${describe(v)}`);
  return Array.from(v);
}

/** A saved learner itself (an object) and its round counter t (an integer ≥ 1). */
function savedRound(saved: unknown): number {
  if (typeof saved !== "object" || saved === null) throw new SolvewasmError("INVALID_ARGUMENT", `state.learner must be an object, got ${describe(saved)}`);
  const t = (saved as { t?: unknown }).t;
  if (!Number.isSafeInteger(t) || (t as number) < 1) throw new SolvewasmError("INVALID_ARGUMENT", `state.learner.t must be an integer ≥ 1, got ${describe(t)}`);
  return t as number;
}

export interface Choice {
  arm: number;
  probability: number;
}

export interface Policy {
  /** Picks an arm; `scale` divides the losses (the running mean). */
  choose(rng: Random, context: number, scale: number): Choice;
  /** Learns the (unscaled) loss of the chosen arm. */
  update(choice: Choice, context: number, loss: number): void;
  toJSON(): unknown;
}

function sample(rng: Random, p: Float64Array): number {
  let u = rng.uniform();
  for (let i = 0; i < p.length - 1; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return p.length - 1;
}

/** What Tsallis-INF and EXP3 share: cumulative importance-weighted losses L̂ per arm and
 * the round t; each draws from its own distribution over the arms. */
abstract class ImportanceWeighted implements Policy {
  lhat: Float64Array;
  t: number;

  constructor(arms: number, saved?: { lhat: number[]; t: number }) {
    this.t = saved === undefined ? 1 : savedRound(saved);
    this.lhat = saved === undefined ? new Float64Array(arms) : savedNumbers(saved.lhat, arms, "lhat", true);
  }

  /** The distribution over the arms at round t, losses divided by `scale`. */
  abstract probabilities(scale: number): Float64Array;

  choose(rng: Random, _context: number, scale = 1): Choice {
    const p = this.probabilities(scale);
    const arm = sample(rng, p);
    return { arm, probability: p[arm] };
  }

  update(choice: Choice, _context: number, loss: number): void {
    this.lhat[choice.arm] += loss / choice.probability;
    this.t++;
  }

  toJSON() {
    return { lhat: Array.from(this.lhat), t: this.t };
  }
}

/**
 * Tsallis-INF (Zimmert & Seldin): FTRL with the ½-Tsallis entropy, η_t = 2/√t. The
 * normaliser x solves Σ 4/(η(L̂_i − x))² = 1 by Newton's method from the safe start
 * min L̂ − 2/η, where the sum is ≥ 1, so the iterates fall monotonically to the root.
 */
export class TsallisInf extends ImportanceWeighted {
  probabilities(scale: number): Float64Array {
    const d = this.lhat.length;
    const eta = 2 / Math.sqrt(this.t);
    const L = Float64Array.from(this.lhat, (v) => v / scale);
    let x = Math.min(...L) - 2 / eta;
    const p = new Float64Array(d);
    for (let it = 0; it < 50; it++) {
      let sum = 0,
        deriv = 0;
      for (let i = 0; i < d; i++) {
        const q = 4 / (eta * (L[i] - x)) ** 2;
        p[i] = q;
        sum += q;
        deriv += q ** 1.5;
      }
      const step = (sum - 1) / (eta * deriv);
      x -= step;
      if (Math.abs(step) < 1e-12) break;
    }
    let total = 0;
    for (let i = 0; i < d; i++) total += p[i] = 4 / (eta * (L[i] - x)) ** 2;
    for (let i = 0; i < d; i++) p[i] /= total;
    return p;
  }
}

/** EXP3 on importance-weighted losses, η_t = √(2 ln d / (d·t)). */
export class Exp3 extends ImportanceWeighted {
  probabilities(scale: number): Float64Array {
    const d = this.lhat.length;
    const eta = Math.sqrt((2 * Math.log(d)) / (d * this.t));
    const min = Math.min(...this.lhat) / scale;
    const p = Float64Array.from(this.lhat, (v) => Math.exp(-eta * (v / scale - min)));
    const total = p.reduce((a, b) => a + b, 0);
    for (let i = 0; i < d; i++) p[i] /= total;
    return p;
  }
}

/** Tsallis-INF-CB: the context range split into `bins` equal bins, one Tsallis-INF each
 * (the nearest bin centre decides). */
export class TsallisInfCb implements Policy {
  bins: TsallisInf[];

  constructor(
    arms: number,
    readonly range: [number, number],
    count: number,
    saved?: { bins: { lhat: number[]; t: number }[] },
  ) {
    if (saved !== undefined && (typeof saved !== "object" || saved === null))
      throw new SolvewasmError("INVALID_ARGUMENT", `state.learner must be an object, got ${describe(saved)}`);
    this.bins = saved
      ? savedList(saved.bins, count, "bins").map((b) => new TsallisInf(arms, b as { lhat: number[]; t: number }))
      : Array.from({ length: count }, () => new TsallisInf(arms));
  }

  #bin(context: number): TsallisInf {
    const [a, b] = this.range;
    const m = this.bins.length;
    const k = Math.min(m - 1, Math.max(0, Math.floor(((context - a) / (b - a)) * m)));
    return this.bins[k];
  }

  choose(rng: Random, context: number, scale = 1): Choice {
    return this.#bin(context).choose(rng, context, scale);
  }

  update(choice: Choice, context: number, loss: number): void {
    this.#bin(context).update(choice, context, loss);
  }

  toJSON() {
    return { bins: this.bins.map((b) => b.toJSON()) };
  }
}

/**
 * Cheb-IGW: per arm a ridge regression of the loss on Chebyshev features T_0 … T_{m−1} of
 * the context (scaled to [−1, 1]); inverse-gap weighting with γ_t = 4√(d·t) picks the arm:
 * p_i = 1/(d + γ·(ŷ_i − ŷ_min)) for the others, the rest to the predicted best.
 */
export class ChebIgw implements Policy {
  gram: Float64Array[];
  moment: Float64Array[];
  t: number;

  constructor(
    arms: number,
    readonly range: [number, number],
    readonly m: number,
    saved?: { gram: number[][]; moment: number[][]; t: number },
  ) {
    this.t = saved === undefined ? 1 : savedRound(saved);
    this.gram = saved
      ? savedList(saved.gram, arms, "gram").map((g, i) => savedNumbers(g, m * m, `gram[${i}]`))
      : Array.from({ length: arms }, () => identity(m));
    this.moment = saved
      ? savedList(saved.moment, arms, "moment").map((h, i) => savedNumbers(h, m, `moment[${i}]`))
      : Array.from({ length: arms }, () => new Float64Array(m));
    // Each Gram matrix is the identity plus outer products: symmetric positive definite.
    this.gram.forEach((g, i) => choleskyFactor(g, m, `state.learner.gram[${i}] is not symmetric positive definite`));
  }

  features(context: number): Float64Array {
    const [a, b] = this.range;
    const z = (2 * (context - a)) / (b - a) - 1;
    const phi = new Float64Array(this.m);
    phi[0] = 1;
    if (this.m > 1) phi[1] = z;
    for (let j = 2; j < this.m; j++) phi[j] = 2 * z * phi[j - 1] - phi[j - 2];
    return phi;
  }

  /** Predicted (unscaled) loss of every arm. */
  predict(context: number): Float64Array {
    const phi = this.features(context);
    return Float64Array.from(this.gram, (g, i) => {
      const theta = choleskySolve(choleskyFactor(g, this.m), this.m, this.moment[i]);
      return theta.reduce((s, v, j) => s + v * phi[j], 0);
    });
  }

  choose(rng: Random, context: number, scale = 1): Choice {
    const y = this.predict(context);
    const d = y.length;
    const gamma = 4 * Math.sqrt(d * this.t);
    let best = 0;
    for (let i = 1; i < d; i++) if (y[i] < y[best]) best = i;
    const p = new Float64Array(d);
    let rest = 0;
    for (let i = 0; i < d; i++) {
      if (i === best) continue;
      p[i] = 1 / (d + (gamma * (y[i] - y[best])) / scale);
      rest += p[i];
    }
    p[best] = 1 - rest;
    const arm = sample(rng, p);
    return { arm, probability: p[arm] };
  }

  update(choice: Choice, context: number, loss: number): void {
    const phi = this.features(context);
    const g = this.gram[choice.arm],
      h = this.moment[choice.arm],
      m = this.m;
    for (let i = 0; i < m; i++) {
      h[i] += phi[i] * loss;
      for (let j = 0; j < m; j++) g[i * m + j] += phi[i] * phi[j];
    }
    this.t++;
  }

  toJSON() {
    return { gram: this.gram.map((g) => Array.from(g)), moment: this.moment.map((h) => Array.from(h)), t: this.t };
  }
}

function identity(m: number): Float64Array {
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++) g[i * m + i] = 1;
  return g;
}
