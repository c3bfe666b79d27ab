// Training DCDM's network inside the package, on the wasm kernels: the DCDM loss
// ‖b − A·q·(qᵀb / qᵀAq)‖², q = f(b), over DCDM's data recipe (src/datasetcreate.py): b a
// random combination of A's eigenvectors, the lower part of the spectrum weighted 9×,
// normalised. For the 5-point Dirichlet Laplacian the eigenvectors are the 2-D sine modes
// (DST-I), so no Lanczos run is needed (notes §1.1). Adam, seeded and deterministic.
import { SolvewasmError } from "../errors.js";
import { lanczosRitz } from "../krylov/lanczos.js";
import { type LinearOperator, WasmOperator } from "../operators/operator.js";
import { DiffusionOperator, StencilOperator } from "../operators/stencil.js";
import { Random } from "../relax/random.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { checkDcdmGrid, DcdmModel } from "./dcdm.js";
import { checkMgnoGrid, MgnoModel } from "./mgno.js";
import type { Parameters } from "./network.js";

/** What every trainer takes: the optimiser, the budget and the progress callback. */
export interface TrainOptions {
  /** Samples per Adam step. */
  batch?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  /** With a step budget, the rate decays from lr to lrFinal along a half cosine (default lr: constant). */
  lrFinal?: number;
  /** Stop after this many steps (each trainer has a default unless `seconds` is given). */
  steps?: number;
  /** Stop after this much wall time. */
  seconds?: number;
  /** Seeds the initial weights and the data (default 1). */
  seed?: number;
  /** Called after every step. */
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainDcdmOptions extends TrainOptions {
  /** Grid of the training problem, n or [ny, nx] (default 64), multiples of 4. */
  grid?: number | [number, number];
  /** Hidden channels of a new model (default 8). */
  channels?: number;
  /** Fraction of the spectrum, from the bottom, whose coefficients are weighted (default 0.55: DCDM's m/2 + θ of m Ritz values, θ = m/20). */
  lowFraction?: number;
  /** The weight of those coefficients (default 9). */
  lowWeight?: number;
  /** The system to train for: a 2-D grid operator (gallery.diffusion with a mask or variable
   * coefficients, …; default the grid's 5-point Dirichlet Laplacian). Its data are Ritz
   * vectors from `lanczosSteps` Lanczos steps (DCDM's recipe), restricted to active cells. */
  operator?: LinearOperator & { readonly grid?: readonly number[] };
  /** Lanczos steps for an `operator`'s Ritz vectors (default 500). */
  lanczosSteps?: number;
  /** Continue training this model instead of a new one; an MgnoModel (1 input channel, e.g.
   * a linear V-cycle: activation "none") trains as a learned multigrid preconditioner. */
  model?: DcdmModel | MgnoModel;
}

export interface TrainProgress {
  step: number;
  /** Mean loss of this step's batch. */
  loss: number;
  seconds: number;
  /** Estimated seconds left, when the run has a step or time budget. */
  eta: number | undefined;
}

export interface TrainResult<Model = DcdmModel | MgnoModel> {
  model: Model;
  steps: number;
  /** Mean loss of each step. */
  losses: Float64Array;
  seconds: number;
}

const BUDGET_OPTIONS = ["batch", "lr", "lrFinal", "steps", "seconds", "seed", "onProgress", "signal"];

export function positiveInt(v: unknown, name: string, max: number): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max)
    throw new SolvewasmError("INVALID_OPTION", `${name} must be an integer in [1, ${max}], got ${describe(v)}`);
  return v as number;
}

/** DCDM's right-hand sides for any symmetric operator (src/datasetcreate.py): Σ c_j·y_j
 * over the Ritz vectors y_j of `steps` Lanczos steps (zero Ritz values dropped), c ~ N(0, 1)
 * ×lowWeight for the lowest lowFraction, normalised; the start vector and so every sample
 * is supported on the active cells (mask) only. */
export class RitzSampler {
  readonly #basis: Float64Array[];
  readonly #vectors: Float64Array;
  readonly #keep: number[];
  readonly #weight: Float64Array;
  readonly #m: number;

  constructor(A: LinearOperator, steps: number, lowFraction: number, lowWeight: number, random: Random, mask?: Uint8Array) {
    const n = A.rows;
    const start = Float64Array.from({ length: n }, (_, i) => (mask && !mask[i] ? 0 : random.normal()));
    const w = new Float64Array(n);
    // DCDM starts from A·randn; the active-cell support is kept either way.
    const first = A.matvec(start);
    if (mask) for (let i = 0; i < n; i++) if (!mask[i]) first[i] = 0;
    const { basis, values, vectors } = lanczosRitz((v, out) => out.set(A.matvec(v, w)), n, steps, first);
    this.#basis = basis;
    this.#vectors = vectors;
    this.#m = values.length;
    const top = Math.max(...values.map(Math.abs));
    this.#keep = Array.from(values.keys()).filter((j) => Math.abs(values[j]) > 1e-10 * top);
    if (this.#keep.length === 0) throw new SolvewasmError("INVALID_ARGUMENT", "trainDcdm: the operator's Lanczos run found only zero Ritz values");
    this.#weight = new Float64Array(this.#m).fill(1);
    const low = Math.round(lowFraction * this.#keep.length);
    for (let i = 0; i < low; i++) this.#weight[this.#keep[i]] = lowWeight;
  }

  /** Ritz vectors found (zero values dropped). */
  get count(): number {
    return this.#keep.length;
  }

  sample(random: Random): Float64Array {
    const m = this.#m;
    // t = S·c over the kept columns, then b = Q·t.
    const c = new Float64Array(m);
    for (const j of this.#keep) c[j] = random.normal() * this.#weight[j];
    const b = new Float64Array(this.#basis[0].length);
    for (let q = 0; q < m; q++) {
      let t = 0;
      for (const j of this.#keep) t += this.#vectors[q * m + j] * c[j];
      const v = this.#basis[q];
      for (let i = 0; i < b.length; i++) b[i] += t * v[i];
    }
    let ss = 0;
    for (let i = 0; i < b.length; i++) ss += b[i] * b[i];
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < b.length; i++) b[i] *= inv;
    return b;
  }
}

/** DCDM's right-hand sides for the h × w Dirichlet Laplacian: Σ c_jk·v_jk with c ~ N(0, 1),
 * ×lowWeight for the lowest lowFraction of eigenvalues, normalised to ‖b‖ = 1. */
export class SineModeSampler {
  readonly #h: number;
  readonly #w: number;
  readonly #sh: Float64Array;
  readonly #sw: Float64Array;
  readonly #weight: Float64Array;

  constructor(h: number, w: number, lowFraction: number, lowWeight: number) {
    this.#h = h;
    this.#w = w;
    const sines = (n: number) => {
      const s = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = Math.sin((Math.PI * (i + 1) * (j + 1)) / (n + 1));
      return s;
    };
    this.#sh = sines(h);
    this.#sw = sines(w);
    const lambda = new Float64Array(h * w);
    for (let j = 0; j < h; j++)
      for (let k = 0; k < w; k++) lambda[j * w + k] = 4 - 2 * Math.cos((Math.PI * (j + 1)) / (h + 1)) - 2 * Math.cos((Math.PI * (k + 1)) / (w + 1));
    const order = Array.from(lambda.keys()).sort((a, b) => lambda[a] - lambda[b]);
    this.#weight = new Float64Array(h * w).fill(1);
    const low = Math.round(lowFraction * h * w);
    for (let i = 0; i < low; i++) this.#weight[order[i]] = lowWeight;
  }

  sample(random: Random): Float64Array {
    const h = this.#h,
      w = this.#w;
    const c = new Float64Array(h * w);
    for (let i = 0; i < c.length; i++) c[i] = random.normal() * this.#weight[i];
    // b = S_h · C · S_wᵀ, through t = C · S_wᵀ.
    const t = new Float64Array(h * w);
    for (let j = 0; j < h; j++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = 0; k < w; k++) s += c[j * w + k] * this.#sw[x * w + k];
        t[j * w + x] = s;
      }
    const b = new Float64Array(h * w);
    for (let y = 0; y < h; y++)
      for (let j = 0; j < h; j++) {
        const s = this.#sh[y * h + j];
        for (let x = 0; x < w; x++) b[y * w + x] += s * t[j * w + x];
      }
    let ss = 0;
    for (let i = 0; i < b.length; i++) ss += b[i] * b[i];
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < b.length; i++) b[i] *= inv;
    return b;
  }
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * The DCDM loss of q for b and its gradient: r = b − α·A·q with α = qᵀb / qᵀAq,
 * L = ‖r‖², ∂L/∂q = −2α·A·r − 2(rᵀAq)·(b − 2α·Aq)/qᵀAq (A symmetric).
 */
export function dcdmLoss(A: { matvec(x: Float64Array): Float64Array }, b: Float64Array, q: Float64Array): { loss: number; grad: Float64Array } | undefined {
  const Aq = A.matvec(q);
  const t = dot(q, Aq);
  if (!(t > 0) || !Number.isFinite(t)) return undefined;
  const alpha = dot(q, b) / t;
  const r = new Float64Array(b.length);
  for (let i = 0; i < r.length; i++) r[i] = b[i] - alpha * Aq[i];
  const Ar = A.matvec(r);
  const c = dot(r, Aq);
  const grad = new Float64Array(b.length);
  for (let i = 0; i < grad.length; i++) grad[i] = -2 * alpha * Ar[i] - (2 * c * (b[i] - 2 * alpha * Aq[i])) / t;
  return { loss: dot(r, r), grad };
}

const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The checked optimiser settings and budget of a trainer's options (names checked too). */
export interface Budget {
  batch: number;
  seed: number;
  lr: number;
  lrFinal: number;
  steps: number;
  seconds: number | undefined;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export function checkBudget(options: TrainOptions, own: readonly string[], what: string, defaults: { batch: number; steps: number }): Budget {
  if (typeof options !== "object" || options === null) throw new SolvewasmError("INVALID_OPTION", `options must be an object, got ${describe(options)}`);
  const names = [...own, ...BUDGET_OPTIONS];
  for (const k of Object.keys(options))
    if (!names.includes(k)) throw new SolvewasmError("INVALID_OPTION", `unknown option ${k} (${what} takes ${names.join(", ")})`);
  const batch = positiveInt(options.batch ?? defaults.batch, "batch", 4096);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new SolvewasmError("INVALID_OPTION", `seed must be an integer, got ${describe(seed)}`);
  const lr = options.lr ?? 1e-3;
  if (typeof lr !== "number" || !(lr > 0 && lr < 1)) throw new SolvewasmError("INVALID_OPTION", `lr must be in (0, 1), got ${describe(lr)}`);
  const lrFinal = options.lrFinal ?? lr;
  if (typeof lrFinal !== "number" || !(lrFinal > 0 && lrFinal <= lr))
    throw new SolvewasmError("INVALID_OPTION", `lrFinal must be in (0, lr], got ${describe(lrFinal)}`);
  const seconds = options.seconds;
  if (seconds !== undefined && (typeof seconds !== "number" || !(seconds > 0)))
    throw new SolvewasmError("INVALID_OPTION", `seconds must be positive, got ${describe(seconds)}`);
  const steps = options.steps === undefined ? (seconds === undefined ? defaults.steps : Infinity) : positiveInt(options.steps, "steps", 1e7);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") throw new SolvewasmError("INVALID_OPTION", "onProgress must be a function");
  return { batch, seed, lr, lrFinal, steps, seconds, onProgress: options.onProgress, signal: options.signal };
}

/**
 * The training loop every trainer shares: per step, zeroed gradients, `batch` calls of
 * `sample` (a forward pass, the loss, a backward pass seeded with ∂loss/∂output ÷ batch;
 * it returns the loss, or undefined to skip the sample), then one Adam step at the
 * half-cosine rate; stops at the step or time budget or the signal.
 */
export async function runSteps(params: Parameters, budget: Budget, sample: () => number | undefined): Promise<{ losses: Float64Array; seconds: number }> {
  const { batch, steps, seconds, lr, lrFinal } = budget;
  const losses: number[] = [];
  const t0 = performance.now();
  params.startTraining();
  for (let step = 0; step < steps; step++) {
    if (budget.signal?.aborted) break;
    if (seconds !== undefined && (performance.now() - t0) / 1000 >= seconds) break;
    params.zeroGrad();
    let sum = 0,
      used = 0;
    for (let s = 0; s < batch; s++) {
      const loss = sample();
      if (loss === undefined) continue;
      sum += loss;
      used++;
    }
    const rate = Number.isFinite(steps) ? lrFinal + 0.5 * (lr - lrFinal) * (1 + Math.cos((Math.PI * step) / steps)) : lr;
    params.adam(rate);
    if (!params.finite())
      throw new SolvewasmError("NOT_FINITE", `training diverged at step ${step + 1}: a weight is no longer finite (try a smaller lr than ${lr})`);
    const loss = used ? sum / used : Number.NaN;
    losses.push(loss);
    const now = (performance.now() - t0) / 1000;
    const left = Math.min(Number.isFinite(steps) ? ((steps - step - 1) * now) / (step + 1) : Infinity, seconds !== undefined ? seconds - now : Infinity);
    budget.onProgress?.({ step: step + 1, loss, seconds: now, eta: Number.isFinite(left) ? Math.max(0, left) : undefined });
    await yieldNow();
  }
  return { losses: Float64Array.from(losses), seconds: (performance.now() - t0) / 1000 };
}

/** What every trainer records in the weights' provenance about its run (steps add up over
 * runs that continue a model). */
export function runProvenance(budget: Budget, previous: Record<string, unknown>, losses: Float64Array): Record<string, unknown> {
  const { batch, seed, lr, lrFinal } = budget;
  return {
    seed,
    batch,
    lr,
    lrFinal,
    steps: (Number(previous.steps) || 0) + losses.length,
    ...(losses.length ? { loss: finalLoss(losses) } : {}),
  };
}

/** The mean of the last (up to) 50 losses. */
export function finalLoss(losses: Float64Array): number {
  const last = losses.slice(-50);
  return last.reduce((a, b) => a + b, 0) / Math.max(1, last.length);
}

/** Trains a preconditioner network with DCDM's loss on the grid's Poisson problem: a new
 * DCDM network, or `options.model`. */
export async function trainDcdm(rt: Runtime, options: TrainDcdmOptions = {}): Promise<TrainResult> {
  const budget = checkBudget(options, ["grid", "channels", "lowFraction", "lowWeight", "model", "operator", "lanczosSteps"], "trainDcdm", {
    batch: 16,
    steps: 2000,
  });
  const lowFraction = options.lowFraction ?? 0.55,
    lowWeight = options.lowWeight ?? 9;
  if (typeof lowFraction !== "number" || !(lowFraction >= 0 && lowFraction <= 1))
    throw new SolvewasmError("INVALID_OPTION", `lowFraction must be in [0, 1], got ${describe(lowFraction)}`);
  if (typeof lowWeight !== "number" || !(lowWeight > 0) || !Number.isFinite(lowWeight))
    throw new SolvewasmError("INVALID_OPTION", `lowWeight must be positive, got ${describe(lowWeight)}`);
  let model = options.model;
  if (model !== undefined && !(model instanceof DcdmModel) && !(model instanceof MgnoModel)) {
    throw new SolvewasmError("INVALID_OPTION", `model must be a DcdmModel or an MgnoModel, got ${describe(model)}`);
  }
  const operator = options.operator;
  if (operator !== undefined) {
    if (
      !(operator instanceof WasmOperator) ||
      !Array.isArray((operator as { grid?: unknown }).grid) ||
      (operator as unknown as { grid: number[] }).grid.length !== 2
    ) {
      throw new SolvewasmError(
        "INVALID_OPTION",
        `operator must be a 2-D solvewasm grid operator (gallery.poisson, gallery.diffusion), got ${describe(operator)}`,
      );
    }
    if (options.grid !== undefined) throw new SolvewasmError("INVALID_OPTION", "trainDcdm takes grid or operator (whose grid it is), not both");
  }
  const lanczosSteps = positiveInt(options.lanczosSteps ?? 500, "lanczosSteps", 20000);
  const g = operator ? (operator as unknown as { grid: [number, number] }).grid : (options.grid ?? (model instanceof MgnoModel ? 63 : 64));
  const grid: [number, number] = typeof g === "number" ? [g, g] : [g[0], g[1]];
  const [h, w] = model instanceof MgnoModel ? checkMgnoGrid(model.config, grid) : checkDcdmGrid(grid, "trainDcdm");
  if (model !== undefined && options.channels !== undefined)
    throw new SolvewasmError("INVALID_OPTION", "trainDcdm takes channels (a new model) or model (continue training), not both");
  const fresh = model === undefined;
  if (!model) {
    model = new DcdmModel(rt, { channels: positiveInt(options.channels ?? 8, "channels", 256) });
    model.initialize(budget.seed);
  }
  const random = new Random(budget.seed + 0x5eed);
  const mask = operator instanceof DiffusionOperator ? operator.mask : undefined;
  const q = new Float64Array(h * w);
  let run: { losses: Float64Array; seconds: number };
  let A: StencilOperator | undefined;
  try {
    // biome-ignore format: a matrix or stencil literal reads as its grid
    const op = operator ?? (A = new StencilOperator(rt, [[0, -1, 0], [-1, 4, -1], [0, -1, 0]], [h, w]));
    const sampler = operator
      ? new RitzSampler(operator, lanczosSteps, lowFraction, lowWeight, random, mask)
      : new SineModeSampler(h, w, lowFraction, lowWeight);
    const net = model.network([h, w]);
    run = await runSteps(model.params, budget, () => {
      const b = sampler.sample(random);
      net.mapVector(b, q);
      // As the preconditioner does: no direction in the inactive cells (their gradient is 0 too).
      if (mask) for (let i = 0; i < q.length; i++) if (!mask[i]) q[i] = 0;
      const lg = dcdmLoss(op, b, q);
      if (!lg) return undefined;
      if (mask) for (let i = 0; i < q.length; i++) if (!mask[i]) lg.grad[i] = 0;
      net.backwardVector(lg.grad, 1 / budget.batch);
      return lg.loss;
    });
  } catch (e) {
    if (fresh) model.dispose();
    throw e;
  } finally {
    A?.dispose();
  }
  model.provenance = {
    ...model.provenance,
    trainer: "solvewasm learned.trainDcdm",
    grid: [h, w],
    ...runProvenance(budget, model.provenance, run.losses),
    lowFraction,
    lowWeight,
    ...(operator
      ? { data: `Ritz vectors of the given operator (${lanczosSteps} Lanczos steps)${mask ? ", masked" : ""}` }
      : { data: "2-D sine modes (the Dirichlet Laplacian)" }),
  };
  return { model, steps: run.losses.length, losses: run.losses, seconds: run.seconds };
}
