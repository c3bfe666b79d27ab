// Learned operators: the layer graph and its wasm runner (the building blocks), DCDM's
// learned preconditioner (and its trainer) and MgNO, bound to one runtime.
import type { Runtime } from "../runtime.js";
import { SolvewasmError } from "../errors.js";
import { lanczosRitz } from "../krylov/lanczos.js";
import { asLinearOperator, type LinearOperator } from "../operators/operator.js";
import { DiffusionOperator } from "../operators/stencil.js";
import { checkOptionNames } from "../solver.js";
import { checkSquare, describe } from "../validate.js";
import { checkDcdmGrid, DcdmModel, LearnedPreconditioner, dcdmFromWeights } from "./dcdm.js";
import { GraphBuilder, type ParamSpec } from "./graph.js";
import { type MgnoConfig, MgnoModel, mgnoFromWeights, multigridVcycle, newMgno } from "./mgno.js";
import { Network, Parameters } from "./network.js";
import { SHIPPED } from "./shipped.js";
import { darcyData, relativeL2, trainMgno, type DarcySet, type TrainMgnoOptions } from "./darcy.js";
import { trainDcdm, type TrainDcdmOptions, type TrainResult } from "./train.js";
import { decodeWeights, encodeWeights, resolveWeights, type Weights } from "./weights.js";

export interface Learned {
  /** A new layer graph (conv, convTranspose, relu, gelu, add, pool, upsample). */
  graph(): GraphBuilder;
  /** Zeroed parameters for these specs (a graph's `params.values()`), in wasm memory. */
  parameters(specs: Iterable<ParamSpec>): Parameters;
  /** The graph from `input` to `output` bound to `params`, with its activations in wasm. */
  network(graph: GraphBuilder, input: number, output: number, params: Parameters): Network;
  /** Reads a weight file (its bytes) or its JSON form; INVALID_ARGUMENT names what is wrong. */
  readWeights(source: Uint8Array | ArrayBuffer | object): Weights;
  /** The bytes of a weight file, from decoded Weights or the JSON form. */
  writeWeights(weights: Weights | object): Uint8Array;
  /** The names of the weights shipped in the package. */
  readonly shipped: readonly string[];
  /** A DCDM network from a weight file, its JSON form, decoded Weights, or a shipped name
   * (default "dcdm-poisson": trained on the 64 × 64 Dirichlet Laplacian). */
  dcdm(weights?: Uint8Array | ArrayBuffer | object | string): DcdmModel;
  /** An MgNO model from a weight file, its JSON form, decoded Weights, or a shipped name
   * (default "mgno-darcy": the Darcy flow operator a ↦ u on 63 × 63). */
  mgno(weights?: Uint8Array | ArrayBuffer | object | string): MgnoModel;
  /** A new MgNO model with seeded random weights (PyTorch's default initialisation). */
  newMgno(config?: Partial<MgnoConfig>, seed?: number): MgnoModel;
  /** The MgNO V-cycle with geometric multigrid's kernels frozen in (vertex-centred grids,
   * damped Jacobi ω, V(pre, post) on `levels` levels): on n = 2^levels − 1 points per axis,
   * where the coarsest grid is 1 × 1, the same map as multigrid(A, { smoother: "jacobi" }).cycle
   * (on larger grids its coarsest level smooths once instead of solving). */
  multigridVcycle(options?: { levels?: number; pre?: number; post?: number; omega?: number }): MgnoModel;
  /** Darcy flow samples on n × n (the FNO recipe; ground truth by solvewasm's multigrid at rtol 1e-10), seeded. */
  darcyData(n: number, count: number, seed?: number, onSample?: (i: number) => void): DarcySet;
  /** Trains MgNO on Darcy data in wasm with the relative L2 loss; yields between steps. */
  trainMgno(options: TrainMgnoOptions): Promise<TrainResult<MgnoModel>>;
  /** Mean and largest relative L2 error ‖û − u‖/‖u‖ of a model over Darcy data. */
  relativeL2(model: MgnoModel, data: DarcySet): { mean: number; max: number };
  /** Ritz pairs of a symmetric operator after `steps` Lanczos steps with full
   * reorthogonalisation (the data of DCDM's recipe): values ascending, one unit vector each. */
  ritz(A: LinearOperator, steps: number): { values: Float64Array; vectors: Float64Array[] };
  /** Trains a DCDM network in wasm (see TrainDcdmOptions); yields to the event loop between steps. */
  trainDcdm(options?: TrainDcdmOptions): Promise<TrainResult>;
}

/** The learned preconditioners, joined to `precond` by the api (krylov does not import learned). */
export interface LearnedPreconditioners {
  /**
   * DCDM's learned preconditioner for a 2-D grid operator (gallery.poisson, gallery.diffusion,
   * masks included): z = f(r/‖r‖) by a small float32 U-Net. Nonlinear, so it is used by
   * `fcd` (and `solve`, which picks fcd); `cg` refuses it. `weights`: a weight file, its
   * JSON, or a shipped name (default "dcdm-poisson"); `model`: a loaded DcdmModel to share
   * (not disposed with the preconditioner).
   * @example fcd(A, b, { k: 2, M: precond.dcdm(A) })
   */
  dcdm(A: LinearOperator, options?: { weights?: Uint8Array | ArrayBuffer | object | string; model?: DcdmModel }): LearnedPreconditioner;
  /**
   * Any learned model with one input and one output channel as M (a DcdmModel, or an
   * MgnoModel such as a linear learned V-cycle trained by trainDcdm): z = f(r/‖r‖),
   * nonlinear as far as the solver knows. The model is shared, not disposed with M.
   */
  learned(A: LinearOperator, options: { model: DcdmModel | MgnoModel }): LearnedPreconditioner;
}

function gridOf(A: LinearOperator, what: string): [number, number] {
  const grid = (A as { grid?: unknown } | null)?.grid;
  if (!Array.isArray(grid) || grid.length !== 2)
    throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a 2-D grid [ny, nx] (a 2-D gallery operator), got ${describe(grid)}`);
  checkSquare(A, what);
  if (A.rows !== grid[0] * grid[1]) throw new SolvewasmError("DIMENSION_MISMATCH", `${what}: A has ${A.rows} rows, its grid ${grid[0] * grid[1]} points`);
  return [grid[0], grid[1]];
}

export function makeLearnedPreconditioners(rt: Runtime): LearnedPreconditioners {
  return {
    dcdm(A, options = {}) {
      checkOptionNames(options, ["weights", "model"], "precond.dcdm");
      const grid = checkDcdmGrid((A as { grid?: unknown } | null)?.grid, "precond.dcdm");
      gridOf(A, "precond.dcdm");
      if (options.model !== undefined && options.weights !== undefined)
        throw new SolvewasmError("INVALID_OPTION", "precond.dcdm takes weights or model, not both");
      if (options.model !== undefined && !(options.model instanceof DcdmModel)) {
        throw new SolvewasmError("INVALID_OPTION", `model must be a DcdmModel (learned.dcdm), got ${describe(options.model)}`);
      }
      const mask = A instanceof DiffusionOperator ? A.mask : undefined;
      if (options.model) return new LearnedPreconditioner("dcdm", options.model, grid, false, mask);
      return new LearnedPreconditioner("dcdm", dcdmFromWeights(rt, resolveWeights(options.weights ?? "dcdm-poisson")), grid, true, mask);
    },
    learned(A, options = {} as { model: DcdmModel | MgnoModel }) {
      checkOptionNames(options, ["model"], "precond.learned");
      const grid = gridOf(A, "precond.learned");
      const model = options.model;
      if (model instanceof DcdmModel) checkDcdmGrid(grid, "precond.learned");
      else if (model instanceof MgnoModel) {
        if (model.config.inChannels !== 1)
          throw new SolvewasmError("INVALID_OPTION", `precond.learned needs a model of one input channel; this MgNO has ${model.config.inChannels}`);
        model.network(grid); // INVALID_ARGUMENT naming the sizes that work
      } else throw new SolvewasmError("INVALID_OPTION", `model must be a DcdmModel or an MgnoModel, got ${describe(model)}`);
      const mask = A instanceof DiffusionOperator ? A.mask : undefined;
      return new LearnedPreconditioner(model instanceof MgnoModel ? "mgno" : "dcdm", model, grid, false, mask);
    },
  };
}

export function makeLearned(rt: Runtime): Learned {
  return {
    graph: () => new GraphBuilder(),
    parameters: (specs) => new Parameters(rt, specs),
    network: (graph, input, output, params) => new Network(rt, graph, input, output, params),
    readWeights: (source) => decodeWeights(source),
    writeWeights: (source) => {
      const w = resolveWeights(source); // checks a JSON form (or bytes) before writing it
      return encodeWeights({ ...w, config: { ...w.config }, provenance: { ...w.provenance }, tensors: w.tensors.entries() });
    },
    shipped: Object.freeze(Object.keys(SHIPPED)),
    dcdm: (weights = "dcdm-poisson") => dcdmFromWeights(rt, resolveWeights(weights)),
    trainDcdm: (options) => trainDcdm(rt, options),
    mgno: (weights = "mgno-darcy") => mgnoFromWeights(rt, resolveWeights(weights)),
    newMgno: (config = {}, seed = 1) => newMgno(rt, config, seed),
    multigridVcycle: (options = {}) => {
      checkOptionNames(options, ["levels", "pre", "post", "omega"], "learned.multigridVcycle");
      const { levels = 6, pre = 1, post = 1, omega = 0.8 } = options;
      for (const [v, name, lo, hi] of [
        [levels, "levels", 2, 12],
        [pre, "pre", 1, 16],
        [post, "post", 0, 16],
      ] as const) {
        if (!Number.isInteger(v) || v < lo || v > hi)
          throw new SolvewasmError("INVALID_OPTION", `${name} must be an integer in [${lo}, ${hi}], got ${describe(v)}`);
      }
      if (typeof omega !== "number" || !(omega > 0 && omega < 2)) throw new SolvewasmError("INVALID_OPTION", `omega must be in (0, 2), got ${describe(omega)}`);
      return multigridVcycle(rt, levels, pre, post, omega);
    },
    darcyData: (n, count, seed = 1, onSample) => {
      for (const [v, name] of [
        [n, "n"],
        [count, "count"],
      ] as const) {
        if (!Number.isInteger(v) || v < 1 || v > 100000)
          throw new SolvewasmError("INVALID_ARGUMENT", `darcyData: ${name} must be a positive integer, got ${describe(v)}`);
      }
      if (!Number.isInteger(seed)) throw new SolvewasmError("INVALID_ARGUMENT", `darcyData: seed must be an integer, got ${describe(seed)}`);
      if (onSample !== undefined && typeof onSample !== "function")
        throw new SolvewasmError("INVALID_ARGUMENT", `darcyData: onSample must be a function, got ${describe(onSample)}`);
      return darcyData(rt, n, count, seed, onSample);
    },
    trainMgno: (options) => trainMgno(rt, options),
    ritz: (A, steps) => {
      const op = asLinearOperator(A);
      checkSquare(op, "ritz");
      if (!Number.isInteger(steps) || steps < 1 || steps > Math.min(op.rows, 20000)) {
        throw new SolvewasmError("INVALID_ARGUMENT", `ritz: steps must be an integer in [1, ${Math.min(op.rows, 20000)}], got ${describe(steps)}`);
      }
      const n = op.rows;
      const w = new Float64Array(n);
      const { basis, values, vectors } = lanczosRitz((v, out) => out.set(op.matvec(v, w)), n, steps);
      const m = values.length;
      const ritz = Array.from({ length: m }, (_, j) => {
        const y = new Float64Array(n);
        for (let q = 0; q < basis.length; q++) {
          const c = vectors[q * m + j];
          for (let i = 0; i < n; i++) y[i] += c * basis[q][i];
        }
        return y;
      });
      return { values, vectors: ritz };
    },
    relativeL2: (model, data) => relativeL2(model, data),
  };
}
