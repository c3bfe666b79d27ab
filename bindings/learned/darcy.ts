// Darcy flow data and MgNO's trainer. The FNO paper's recipe (Li et al. 2021, §5.2;
// its GRF.m): a = 12 where a Gaussian random field with covariance (−Δ + 9I)^−2 (cosine
// series, zero mean) is ≥ 0 and 3 elsewhere; u solves −∇·(a∇u) = 1 on the unit square with
// u = 0 on the boundary. The ground truth is solvewasm's own: the vertex-centred
// gallery.diffusion operator (harmonic face means) on n × n interior points, h = 1/(n + 1),
// solved by multigrid-preconditioned CG to rtol 1e-10.
import { SolvewasmError } from "../errors.js";
import { makeKrylov } from "../krylov/index.js";
import { makeMultigrid } from "../multigrid/index.js";
import { DiffusionOperator } from "../operators/stencil.js";
import { Random } from "../relax/random.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { type MgnoConfig, MgnoModel, checkMgnoConfig } from "./mgno.js";
import { checkBudget, runProvenance, runSteps, type TrainOptions, type TrainResult } from "./train.js";

export interface DarcySet {
  n: number;
  /** Coefficient fields, one n·n Float64Array per sample. */
  a: Float64Array[];
  /** Solutions, one per sample. */
  u: Float64Array[];
}

/** One coefficient field on n × n points: the thresholded GRF (α = 2, τ = 3). */
export function darcyCoefficient(random: Random, n: number): Float64Array {
  // Cosine modes k = 0..n−1 per axis with weight (π²|k|² + τ²)^(−α/2), the (0, 0) mode dropped,
  // evaluated at the points x_i = (i + 1)/(n + 1).
  const tau = 3;
  const c = new Float64Array(n * n);
  for (let k1 = 0; k1 < n; k1++)
    for (let k2 = 0; k2 < n; k2++) c[k1 * n + k2] = k1 + k2 === 0 ? 0 : random.normal() / (Math.PI ** 2 * (k1 * k1 + k2 * k2) + tau * tau);
  const cos = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) cos[i * n + k] = Math.cos((Math.PI * k * (i + 1)) / (n + 1));
  // field = Cos · C · Cosᵀ through t = C · Cosᵀ.
  const t = new Float64Array(n * n);
  for (let k1 = 0; k1 < n; k1++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k2 = 0; k2 < n; k2++) s += c[k1 * n + k2] * cos[j * n + k2];
      t[k1 * n + j] = s;
    }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k1 = 0; k1 < n; k1++) s += cos[i * n + k1] * t[k1 * n + j];
      a[i * n + j] = s >= 0 ? 12 : 3;
    }
  return a;
}

/** `count` Darcy samples on n × n (seeded), each solved to rtol 1e-10. */
export function darcyData(rt: Runtime, n: number, count: number, seed: number, onSample?: (i: number) => void): DarcySet {
  const krylov = makeKrylov(rt),
    mg = makeMultigrid(rt);
  const random = new Random(seed);
  const h2 = 1 / (n + 1) ** 2;
  const b = new Float64Array(n * n).fill(h2); // unscaled operator: A·u = h²·f
  const set: DarcySet = { n, a: [], u: [] };
  for (let i = 0; i < count; i++) {
    const a = darcyCoefficient(random, n);
    const A = new DiffusionOperator(rt, a, [n, n]);
    const ml = mg.multigrid(A);
    const M = ml.asPreconditioner();
    try {
      const r = krylov.cg(A, b, { M, rtol: 1e-10, maxiter: 500 });
      if (!r.converged) throw new SolvewasmError("NOT_FINITE", `Darcy sample ${i}: the multigrid solve did not converge (${r.reason})`);
      set.a.push(a);
      set.u.push(r.x);
    } finally {
      M.dispose();
      ml.dispose();
      A.dispose();
    }
    onSample?.(i + 1);
  }
  return set;
}

/** INVALID_ARGUMENT unless `set` is a non-empty Darcy set of n·n finite fields with u ≠ 0. */
export function checkDarcySet(set: unknown, what: string): asserts set is DarcySet {
  const d = set as DarcySet | null;
  const fields = (v: unknown): v is Float64Array[] =>
    Array.isArray(v) && v.every((f) => f instanceof Float64Array && f.length === d!.n * d!.n && f.every(Number.isFinite));
  if (!d || !Number.isInteger(d.n) || d.n < 1 || !fields(d.a) || !fields(d.u) || d.a.length === 0 || d.a.length !== d.u.length) {
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `${what} needs a non-empty Darcy set { n, a, u } of finite n·n Float64Arrays (learned.darcyData), got ${describe(set)}`,
    );
  }
  for (let i = 0; i < d.u.length; i++)
    if (!d.u[i].some((v) => v !== 0)) throw new SolvewasmError("INVALID_ARGUMENT", `${what}: solution ${i} is zero (its relative error is undefined)`);
}

/** Mean relative L2 error ‖û − u‖/‖u‖ of a model over a data set. */
export function relativeL2(model: MgnoModel, set: DarcySet): { mean: number; max: number } {
  if (!(model instanceof MgnoModel)) throw new SolvewasmError("INVALID_ARGUMENT", `relativeL2 needs an MgnoModel, got ${describe(model)}`);
  checkDarcySet(set, "relativeL2");
  let sum = 0,
    max = 0;
  for (let i = 0; i < set.a.length; i++) {
    const p = model.predict(set.a[i], [set.n, set.n]);
    let e = 0,
      s = 0;
    for (let j = 0; j < p.length; j++) {
      e += (p[j] - set.u[i][j]) ** 2;
      s += set.u[i][j] ** 2;
    }
    const rel = Math.sqrt(e / s);
    sum += rel;
    max = Math.max(max, rel);
  }
  return { mean: sum / set.a.length, max };
}

export interface TrainMgnoOptions extends TrainOptions {
  /** Training data (darcyData); its grid is the model's. */
  data: DarcySet;
  /** Configuration of a new model (MgnoConfig; defaults: 12 channels, 4 layers, 6 levels). */
  config?: Partial<MgnoConfig>;
  /** Continue training this model. */
  model?: MgnoModel;
}

/** Trains MgNO on Darcy data with the relative L2 loss (the FNO/MgNO papers' loss). */
export async function trainMgno(rt: Runtime, options: TrainMgnoOptions): Promise<TrainResult<MgnoModel>> {
  const budget = checkBudget(options, ["data", "config", "model"], "trainMgno", { batch: 8, steps: 1000 });
  const data = options.data;
  checkDarcySet(data, "trainMgno's data");
  const n = data.n;
  let model = options.model;
  if (model !== undefined && options.config !== undefined)
    throw new SolvewasmError("INVALID_OPTION", "trainMgno takes config (a new model) or model (continue training), not both");
  const fresh = model === undefined;
  if (!model) {
    // Input a ∈ {3, 12} → {−1, 1}; output scaled to the data's RMS.
    let ss = 0;
    for (const u of data.u) for (const v of u) ss += v * v;
    const rms = Math.sqrt(ss / (data.u.length * n * n));
    const config = checkMgnoConfig({ inputScale: 2 / 9, inputShift: -15 / 9, outputScale: rms, ...(options.config ?? {}) });
    model = new MgnoModel(rt, config);
    model.initialize(budget.seed);
  } else if (!(model instanceof MgnoModel)) throw new SolvewasmError("INVALID_OPTION", `model must be an MgnoModel, got ${describe(model)}`);
  const random = new Random(budget.seed + 0x5eed);
  const scale = model.config.outputScale;
  const m = model;
  let run: { losses: Float64Array; seconds: number };
  try {
    const net = model.network([n, n]);
    run = await runSteps(model.params, budget, () => {
      const i = Math.floor(random.uniform() * data.a.length);
      m.writeInput(net, data.a[i]);
      net.forward();
      const out = net.read(net.output);
      const u = data.u[i];
      let e = 0,
        s = 0;
      for (let j = 0; j < out.length; j++) {
        e += (scale * out[j] - u[j]) ** 2;
        s += u[j] * u[j];
      }
      const err = Math.sqrt(e),
        norm = Math.sqrt(s);
      if (!(err > 0)) return 0;
      // ∂(‖ŷ − u‖/‖u‖)/∂out = scale·(ŷ − u)/(‖ŷ − u‖·‖u‖), averaged over the batch.
      const g = new Float32Array(out.length);
      const k = scale / (err * norm * budget.batch);
      for (let j = 0; j < g.length; j++) g[j] = k * (scale * out[j] - u[j]);
      net.backward(() => net.write(net.output, g, true));
      return err / norm;
    });
  } catch (e) {
    if (fresh) model.dispose();
    throw e;
  }
  model.provenance = {
    ...model.provenance,
    trainer: "solvewasm learned.trainMgno",
    problem: "darcy",
    grid: [n, n],
    samples: data.a.length,
    ...runProvenance(budget, model.provenance, run.losses),
  };
  return { model, steps: run.losses.length, losses: run.losses, seconds: run.seconds };
}
