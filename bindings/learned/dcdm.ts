// DCDM's learned preconditioner (Kaneda et al., ICML 2023; ayano721/2023_DCDM): a small
// U-Net f_θ with f_θ(r/‖r‖) ≈ A⁻¹r up to a scale, used as the nonlinear M of flexible
// conjugate directions (fcd, k = 2). The 2-D network of ../shared/papers notes §1.1: a
// 3×3 conv 1 → C, then 2 / 2 / 3 / 2 / 2 residual blocks x + ReLU(conv(x)) over three
// levels (2× average pooling down, nearest upsampling and skip adds up) and a 1×1 head;
// 6,513 parameters for C = 8, about 3.1 kMAC per unknown per application.
import { SolvewasmError } from "../errors.js";
import { disposeSymbol, F64Buffer, type Vector } from "../memory.js";
import type { LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { GraphBuilder } from "./graph.js";
import { type BuiltGraph, LearnedModel } from "./model.js";
import type { Weights } from "./weights.js";

/** The residual blocks per level, down then up (notes §1.1). */
const BLOCKS = [2, 2, 3, 2, 2];
/** Each grid size must be a multiple of this (two 2× poolings). */
const MULTIPLE = 4;

export interface DcdmConfig {
  /** Channels of every hidden layer (default 8). */
  channels: number;
}

/** The DCDM graph for an h × w grid. */
function dcdmGraph(h: number, w: number, channels: number): BuiltGraph {
  const g = new GraphBuilder();
  const input = g.input(h, w, 1);
  let block = 0;
  const res = (x: number) => {
    const name = `block${block++}`;
    return g.add(x, g.relu(g.conv(x, `${name}.weight`, { out: channels, bias: `${name}.bias` })));
  };
  const stack = (x: number, count: number) => {
    for (let i = 0; i < count; i++) x = res(x);
    return x;
  };
  const l0 = stack(g.conv(input, "conv_in.weight", { out: channels, bias: "conv_in.bias" }), BLOCKS[0]);
  const l1 = stack(g.pool(l0), BLOCKS[1]);
  const l2 = stack(g.pool(l1), BLOCKS[2]);
  const u1 = stack(g.add(g.upsample(l2), l1), BLOCKS[3]);
  const u0 = stack(g.add(g.upsample(u1), l0), BLOCKS[4]);
  const output = g.conv(u0, "head.weight", { out: 1, kernel: 1, bias: "head.bias" });
  return { graph: g, input, output };
}

export function checkDcdmGrid(grid: unknown, what: string): [number, number] {
  if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((n) => Number.isInteger(n) && n >= MULTIPLE && n <= 4096)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a 2-D grid [ny, nx] (a 2-D gallery operator), got ${describe(grid)}`);
  }
  const [h, w] = grid as number[];
  if (h % MULTIPLE || w % MULTIPLE) {
    const near = (n: number) => `${Math.max(MULTIPLE, n - (n % MULTIPLE))} or ${n - (n % MULTIPLE) + MULTIPLE}`;
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `${what}: the DCDM network pools twice, so each grid size must be a multiple of ${MULTIPLE} (e.g. ${h % MULTIPLE ? near(h) : h} for ${h}, ${w % MULTIPLE ? near(w) : w} for ${w}); got ${h} × ${w}`,
    );
  }
  return [h, w];
}

function checkConfig(config: Readonly<Record<string, unknown>>): DcdmConfig {
  const channels = config.channels ?? 8;
  if (!Number.isInteger(channels) || (channels as number) < 1 || (channels as number) > 256) {
    throw new SolvewasmError("INVALID_ARGUMENT", `weights: a DCDM config's channels must be an integer in [1, 256], got ${describe(channels)}`);
  }
  return { channels: channels as number };
}

/** A DCDM network with its weights in wasm memory; runs on any grid whose sizes are multiples of 4. */
export class DcdmModel extends LearnedModel {
  readonly kind = "dcdm";
  readonly config: DcdmConfig;

  /** @internal Use `learned.dcdm` or `learned.trainDcdm`. */
  constructor(rt: Runtime, config: DcdmConfig, weights?: Weights) {
    super(rt, dcdmGraph(MULTIPLE, MULTIPLE, config.channels), weights, "learned.dcdm");
    this.config = config;
  }

  protected checkGrid(grid: unknown): [number, number] {
    return checkDcdmGrid(grid, "the DCDM network");
  }

  protected graphOn(h: number, w: number): BuiltGraph {
    return dcdmGraph(h, w, this.config.channels);
  }

  /** Multiply–adds per unknown of one application (the same on every grid, up to the edges). */
  get macPerUnknown(): number {
    return this.macsOn([MULTIPLE * 4, MULTIPLE * 4]);
  }
}

export function dcdmFromWeights(rt: Runtime, weights: Weights): DcdmModel {
  if (weights.model !== "dcdm") throw new SolvewasmError("INVALID_ARGUMENT", `learned.dcdm needs DCDM weights; these are for ${describe(weights.model)}`);
  return new DcdmModel(rt, checkConfig(weights.config), weights);
}

/**
 * A learned network as fcd's M: z = f(r/‖r‖), declared nonlinear and nonsymmetric, so
 * `solve` picks flexible conjugate directions and `cg` refuses it.
 */
export class LearnedPreconditioner implements LinearOperator {
  readonly rows: number;
  readonly cols: number;
  readonly symmetric = false;
  readonly linear = false;
  readonly name: string;
  readonly grid: readonly [number, number];
  readonly model: LearnedModel;
  readonly #owned: boolean;
  readonly #mask: Uint8Array | undefined;

  /** @internal Use `precond.dcdm` or `precond.learned`. */
  constructor(name: string, model: LearnedModel, grid: [number, number], owned: boolean, mask?: Uint8Array) {
    this.name = name;
    this.model = model;
    this.grid = grid;
    this.rows = this.cols = grid[0] * grid[1];
    this.#owned = owned;
    this.#mask = mask;
  }

  /** Parameters, and multiply–adds per unknown of one application. */
  get info(): { parameters: number; macPerUnknown: number } {
    return { parameters: this.model.params.count, macPerUnknown: this.model.macsOn([this.grid[0], this.grid[1]]) };
  }

  /** z = f(r/‖r‖) (a new Float64Array, or written into `out`). */
  matvec(r: Vector, out?: Vector): Float64Array {
    const z = this.model.apply(r, [this.grid[0], this.grid[1]], out);
    // Inactive cells (a fluid mask's solid cells) carry no unknown: keep the direction out of them.
    if (this.#mask) {
      const a = z instanceof F64Buffer ? z.array : z;
      for (let i = 0; i < a.length; i++) if (!this.#mask[i]) a[i] = 0;
    }
    return z as Float64Array;
  }

  get alive(): boolean {
    return this.model.alive;
  }

  /** Frees the model when the preconditioner loaded it (`weights`), not a shared `model`. */
  dispose(): void {
    if (this.#owned) this.model.dispose();
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}
