// MgNO (He, Liu, Xu; ICLR 2024; xlliu2017/MgNO models.py, MgNO_DC): a neural operator
// whose linear maps are multi-channel V-cycles with learned stencils. Each layer is
//   u ← σ(MgConv(u) + W·u + b)      (W·u + b: a parallel 1×1 conv; σ = GELU, or none)
// and MgConv is one V-cycle on (u, f = the layer's input):
//   level 0: u = S∗f, then u ← u + S∗(f − A∗u) for the remaining pre-smoothing steps;
//   down:    u ← Π∗u and f ← R∗f (or R∗(f − A∗u) with residualRestriction), stride-2 3×3;
//   up:      u_l ← u_l + Rᵀ∗u_{l+1} (4×4 stride-2 transposed conv), then post-smoothing.
// A final 1×1 conv projects to one channel. Parameter names are the reference's
// state_dict keys, so tools/export-mgno.py's output loads as is. Two grid families:
// "cell" (n divisible by 2^(levels−1); stride-2 padding 1 and ConvTranspose2d(4, 2, 1), as
// the reference) and "vertex" (n = 2^(levels−1)·m − 1: stride-2 padding 0 and
// output_padding 1, the vertex-centred grids of solvewasm's geometric multigrid).
import { SolvewasmError } from "../errors.js";
import { F64Buffer, requireFiniteInWasm } from "../memory.js";
import type { Runtime } from "../runtime.js";
import { describe } from "../validate.js";
import { GraphBuilder, PADDING_MODES, type PaddingMode } from "./graph.js";
import { type BuiltGraph, LearnedModel } from "./model.js";
import type { Network } from "./network.js";
import type { Weights } from "./weights.js";

export interface MgnoConfig {
  /** Channels of u (and of f after the first layer). */
  channels: number;
  /** Channels of the input field (default 1). */
  inChannels: number;
  /** MgConv layers. */
  layers: number;
  /** [pre, post] smoothing steps per level, finest first; the finest needs pre ≥ 1. */
  levels: [number, number][];
  grid: "cell" | "vertex";
  padding: PaddingMode;
  /** f ← R∗(f − A∗u) on the way down (the reference's use_res) instead of R∗f. */
  residualRestriction: boolean;
  /** "gelu" (the reference) or "none" (a linear operator: a learned V-cycle). */
  activation: "gelu" | "none";
  /** The parallel 1×1 path (the reference's linear_list); off for a bare V-cycle. */
  parallel: boolean;
  /** The network sees scale·a + shift (per input channel, broadcast). */
  inputScale: number;
  inputShift: number;
  /** The prediction is outputScale · the network's output. */
  outputScale: number;
}

const DEFAULTS: MgnoConfig = {
  channels: 12,
  inChannels: 1,
  layers: 4,
  levels: [
    [1, 0],
    [1, 0],
    [1, 0],
    [1, 0],
    [1, 0],
    [2, 0],
  ],
  grid: "vertex",
  padding: "zeros",
  residualRestriction: false,
  activation: "gelu",
  parallel: true,
  inputScale: 1,
  inputShift: 0,
  outputScale: 1,
};

const bad = (m: string) => new SolvewasmError("INVALID_ARGUMENT", m);

export function checkMgnoConfig(config: Readonly<Record<string, unknown>>): MgnoConfig {
  if (typeof config !== "object" || config === null) throw bad(`an MgNO config is an object, got ${describe(config)}`);
  for (const k of Object.keys(config))
    if (!(k in DEFAULTS)) throw new SolvewasmError("INVALID_OPTION", `MgNO config has no field ${k} (fields: ${Object.keys(DEFAULTS).join(", ")})`);
  const c = { ...DEFAULTS, ...structuredClone(config) } as Record<string, unknown>;
  const int = (k: string, lo: number, hi: number) => {
    if (!Number.isInteger(c[k]) || (c[k] as number) < lo || (c[k] as number) > hi)
      throw bad(`MgNO config: ${k} must be an integer in [${lo}, ${hi}], got ${describe(c[k])}`);
  };
  int("channels", 1, 512);
  int("inChannels", 1, 512);
  int("layers", 1, 64);
  const levels = c.levels;
  if (
    !Array.isArray(levels) ||
    levels.length < 1 ||
    levels.length > 12 ||
    !levels.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0 && v <= 16))
  ) {
    throw bad(`MgNO config: levels must be 1 to 12 [pre, post] pairs of integers in [0, 16], got ${describe(levels)}`);
  }
  if ((levels as number[][])[0][0] < 1) throw bad("MgNO config: the finest level needs at least one pre-smoothing step (u = S∗f)");
  if (c.grid !== "cell" && c.grid !== "vertex") throw bad(`MgNO config: grid must be "cell" or "vertex", got ${describe(c.grid)}`);
  if (!PADDING_MODES.includes(c.padding as PaddingMode))
    throw bad(`MgNO config: padding must be one of ${PADDING_MODES.join(", ")}, got ${describe(c.padding)}`);
  for (const k of ["residualRestriction", "parallel"])
    if (typeof c[k] !== "boolean") throw bad(`MgNO config: ${k} must be true or false, got ${describe(c[k])}`);
  if (c.activation !== "gelu" && c.activation !== "none") throw bad(`MgNO config: activation must be "gelu" or "none", got ${describe(c.activation)}`);
  for (const k of ["inputScale", "inputShift", "outputScale"])
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) throw bad(`MgNO config: ${k} must be a finite number, got ${describe(c[k])}`);
  return c as unknown as MgnoConfig;
}

/** The grid sizes (per axis) this configuration's V-cycle coarsens, or an error naming some that work. */
export function checkMgnoGrid(config: MgnoConfig, grid: unknown): [number, number] {
  const L = config.levels.length;
  const step = 2 ** (L - 1);
  const works = (n: number) => (config.grid === "cell" ? n % step === 0 : (n + 1) % step === 0);
  // Vertex-centred: n_{l+1} = (n_l − 1)/2 down to n ≥ 1 on the coarsest level.
  const examples = [1, 2, 3, 4].map((m) => (config.grid === "cell" ? m * step : (m + 1) * step - 1)).join(", ");
  if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((n) => Number.isInteger(n) && n >= 1 && n <= 8192)) {
    throw bad(`MgNO needs a 2-D grid [ny, nx], got ${describe(grid)}`);
  }
  if (!grid.every((n) => works(n) && n >= (config.grid === "cell" ? step : 2 * step - 1))) {
    throw bad(
      `MgNO with ${L} levels on ${config.grid}-centred grids coarsens sizes ${config.grid === "cell" ? `divisible by ${step}` : `of the form ${step}·m − 1, m ≥ 2`} (${examples}, …); got ${grid[0]} × ${grid[1]}`,
    );
  }
  return [grid[0], grid[1]];
}

/** The MgNO graph on an h × w grid. */
export function mgnoGraph(config: MgnoConfig, h: number, w: number): BuiltGraph {
  const g = new GraphBuilder();
  const C = config.channels;
  const padding = config.padding;
  const vertex = config.grid === "vertex";
  const mgIte = (u: number, f: number, name: string, cf: number) => {
    const au = g.conv(u, `${name}.A.weight`, { out: cf, padding });
    return g.add(u, g.conv(g.add(f, au, -1), `${name}.S.weight`, { out: C, padding }));
  };
  const mgConv = (f0: number, p: string, cf: number) => {
    const us: number[] = [],
      fs: number[] = [];
    let u = -1,
      f = f0;
    config.levels.forEach(([pre], l) => {
      let index = 0;
      if (l > 0) {
        const name = `${p}.layer${l}.0`;
        const source = config.residualRestriction ? g.add(f, g.conv(u, `${name}.A.weight`, { out: cf, padding }), -1) : f;
        f = g.conv(source, `${name}.R.weight`, { out: cf, stride: 2, pad: vertex ? 0 : 1, padding });
        u = g.conv(u, `${name}.Pi.weight`, { out: C, stride: 2, pad: vertex ? 0 : 1, padding });
        index = 1;
      }
      for (let i = 0; i < pre; i++) {
        if (l === 0 && i === 0) u = g.conv(f, `${p}.layer0.0.S.weight`, { out: C, padding });
        else u = mgIte(u, f, `${p}.layer${l}.${index}`, cf);
        index++;
      }
      us.push(u);
      fs.push(f);
    });
    for (let j = config.levels.length - 2; j >= 0; j--) {
      let uj = g.add(us[j], g.convTranspose(us[j + 1], `${p}.RTlayers.${j}.weight`, { out: C, pad: 1, outputPadding: vertex ? 1 : 0 }));
      for (let k = 0; k < config.levels[j][1]; k++) uj = mgIte(uj, fs[j], `${p}.post_smooth_layer${j}.${k}`, cf);
      us[j] = uj;
    }
    return us[0];
  };
  const input = g.input(h, w, config.inChannels);
  let u = input;
  for (let i = 0; i < config.layers; i++) {
    const cf = i === 0 ? config.inChannels : C;
    let s = mgConv(u, `conv_list.${i}`, cf);
    if (config.parallel) s = g.add(s, g.conv(u, `linear_list.${i}.weight`, { out: C, kernel: 1, bias: `linear_list.${i}.bias` }));
    u = config.activation === "gelu" ? g.gelu(s) : s;
  }
  const output = g.conv(u, "linear.weight", { out: 1, kernel: 1 });
  return { graph: g, input, output };
}

/** An MgNO model with its weights in wasm memory. */
export class MgnoModel extends LearnedModel {
  readonly kind = "mgno";
  readonly config: MgnoConfig;

  /** @internal Use `learned.mgno` or `learned.newMgno`. */
  constructor(rt: Runtime, config: MgnoConfig, weights?: Weights) {
    const step = 2 ** (config.levels.length - 1);
    const small = config.grid === "cell" ? step : 2 * step - 1;
    super(rt, mgnoGraph(config, small, small), weights, "learned.mgno");
    this.config = config;
  }

  protected checkGrid(grid: unknown): [number, number] {
    return checkMgnoGrid(this.config, grid);
  }

  protected graphOn(h: number, w: number): BuiltGraph {
    return mgnoGraph(this.config, h, w);
  }

  /** Writes the (scaled, shifted) input field into the network: channel-major float64 or float32. */
  writeInput(net: Network, input: ArrayLike<number>): void {
    const { h, w } = net.shapes[net.input];
    const c = this.config.inChannels;
    if (input.length !== h * w * c)
      throw new SolvewasmError("DIMENSION_MISMATCH", `the input has ${input.length} values; the grid ${h} × ${w} × ${c} channels needs ${h * w * c}`);
    const { inputScale: s, inputShift: t } = this.config;
    const x = new Float32Array(input.length);
    for (let i = 0; i < x.length; i++) {
      const v = input[i];
      if (!Number.isFinite(v)) throw new SolvewasmError("NOT_FINITE", `the input's value ${i} is ${v}`);
      x[i] = s * v + t;
    }
    net.write(net.input, x);
  }

  /** The operator's output on a grid: input is the field (channel-major, inChannels × ny × nx). */
  predict(input: ArrayLike<number>, grid: [number, number]): Float64Array {
    const net = this.network(grid);
    this.writeInput(net, input);
    net.forward();
    const n = grid[0] * grid[1];
    const out = new F64Buffer(this.rt, n);
    try {
      this.rt.call((ex) => ex.unpackChannel(n, net.ptr(net.output), 4, this.config.outputScale, out.ptr));
      requireFiniteInWasm(this.rt, out.ptr, n, "MgNO's prediction"); // a float32 overflow is an error, not a NaN
      return out.toArray();
    } finally {
      out.dispose();
    }
  }
}

export function mgnoFromWeights(rt: Runtime, weights: Weights): MgnoModel {
  if (weights.model !== "mgno") throw bad(`learned.mgno needs MgNO weights; these are for ${describe(weights.model)}`);
  return new MgnoModel(rt, checkMgnoConfig(weights.config), weights);
}

/** A new, randomly initialised MgNO model (seeded) for training. */
export function newMgno(rt: Runtime, config: Partial<MgnoConfig>, seed: number): MgnoModel {
  const model = new MgnoModel(rt, checkMgnoConfig(config as Record<string, unknown>));
  model.initialize(seed);
  return model;
}

/**
 * The MgNO V-cycle that *is* geometric multigrid on vertex-centred grids: one channel, no
 * GELU, no 1×1 path, residual restriction, and its kernels frozen to the 5-point
 * Laplacian ÷ 4^l (A, rediscretised), damped Jacobi ω/diag (S; exactly 1/diag on the
 * coarsest level, as a direct solve of its 1 × 1 grid), full weighting (R), Π = 0 (the
 * coarse correction starts from zero) and bilinear interpolation (the transposed conv).
 * A starting point for a learned multigrid preconditioner (trainDcdm with `model`).
 */
export function multigridVcycle(rt: Runtime, levels: number, pre: number, post: number, omega: number): MgnoModel {
  const pairs: [number, number][] = Array.from({ length: levels }, (_, l) => (l < levels - 1 ? [pre, post] : [1, 0]));
  const model = new MgnoModel(
    rt,
    checkMgnoConfig({ channels: 1, layers: 1, levels: pairs, grid: "vertex", residualRestriction: true, activation: "none", parallel: false }),
  );
  const lap = [0, -1, 0, -1, 4, -1, 0, -1, 0];
  const full = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);
  const bilinear = [0, 0.5, 1, 0.5].flatMap((a) => [0, 0.5, 1, 0.5].map((b) => a * b));
  for (const { name } of model.params.specs) {
    if (name === "linear.weight") model.params.set(name, [1]);
    else if (name.includes("RTlayers")) model.params.set(name, bilinear);
    else {
      const [, post, l, index, kind] = name.match(/(post_smooth_)?layer(\d+)\.(\d+)\.(\w+)\.weight$/) ?? [];
      const level = Number(l);
      // The restriction's residual A (layer{l}.0.A) acts on the finer level l − 1.
      const on = !post && level > 0 && index === "0" ? level - 1 : level;
      const diag = 4 / 4 ** on;
      if (kind === "A")
        model.params.set(
          name,
          lap.map((v) => v / 4 ** on),
        );
      else if (kind === "S") model.params.set(name, [0, 0, 0, 0, (on === levels - 1 ? 1 : omega) / diag, 0, 0, 0, 0]);
      else if (kind === "R") model.params.set(name, full);
      else model.params.set(name, new Array(9).fill(0)); // Pi
    }
  }
  model.provenance = { source: `multigridVcycle(levels ${levels}, V(${pre},${post}), Jacobi ω = ${omega})` };
  return model;
}
