// The layers of a learned operator as a graph: tensors (grid sizes and channels) and the
// operations between them, each naming the parameters it reads in PyTorch's shapes. One
// graph is built per architecture and grid (bindings/learned/dcdm.ts, mgno.ts); a Network
// (network.ts) runs it forward and backward in wasm.
import { SolvewasmError } from "../errors.js";
import { describe } from "../validate.js";

export type PaddingMode = "zeros" | "replicate" | "circular" | "reflect";
export const PADDING_MODES: readonly PaddingMode[] = ["zeros", "replicate", "circular", "reflect"];

/** A tensor of the graph: an h × w grid of c channels. */
export interface TensorShape {
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/** A learned tensor and the layout it has in PyTorch (`state_dict` shapes): a conv weight is
 * [out, in, k, k], a transposed conv weight [in, out, k, k], a bias [out]. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: "conv" | "convTranspose" | "bias";
  readonly shape: readonly number[];
}

export type Op =
  | { op: "conv"; x: number; y: number; weight: string; bias?: string; k: number; stride: number; pad: number; padding: PaddingMode }
  | { op: "convTranspose"; x: number; y: number; weight: string; k: number; stride: number; pad: number }
  | { op: "relu" | "gelu"; x: number; y: number }
  | { op: "add"; a: number; b: number; beta: number; y: number }
  | { op: "pool" | "upsample"; x: number; y: number };

export interface ConvOptions {
  /** Output channels. */
  out: number;
  /** Kernel size: 1 or 3 (default 3). */
  kernel?: number;
  /** 1 or 2 (default 1). */
  stride?: number;
  /** Padding on each side (default (kernel − 1)/2, PyTorch's 'same' for stride 1). */
  pad?: number;
  /** How the kernel reads past the edge (default "zeros"). */
  padding?: PaddingMode;
  /** The name of the bias parameter, if the layer has one. */
  bias?: string;
}

export interface ConvTransposeOptions {
  out: number;
  /** Kernel size (default 4). */
  kernel?: number;
  /** Padding (default 1): PyTorch's ConvTranspose2d(k, stride 2, padding). */
  pad?: number;
  /** 0 (default) or 1 extra output row and column: PyTorch's output_padding, which maps a
   * vertex-centred grid of n back to 2n + 1. */
  outputPadding?: number;
}

/** Builds a graph one layer at a time; every method returns the id of its output tensor. */
export class GraphBuilder {
  readonly shapes: TensorShape[] = [];
  readonly ops: Op[] = [];
  readonly params = new Map<string, ParamSpec>();

  #tensor(h: number, w: number, c: number): number {
    if (!(h >= 1 && w >= 1)) throw new SolvewasmError("INVALID_ARGUMENT", `a layer would produce a ${h} × ${w} grid`);
    this.shapes.push({ h, w, c });
    return this.shapes.length - 1;
  }

  #shape(id: number): TensorShape {
    const s = this.shapes[id];
    if (s === undefined) throw new SolvewasmError("INVALID_ARGUMENT", `no tensor ${describe(id)} in this graph`);
    return s;
  }

  #param(name: string, kind: ParamSpec["kind"], shape: number[]): void {
    if (typeof name !== "string" || name === "")
      throw new SolvewasmError("INVALID_ARGUMENT", `a parameter name must be a non-empty string, got ${describe(name)}`);
    const had = this.params.get(name);
    if (had && (had.kind !== kind || had.shape.join() !== shape.join())) {
      throw new SolvewasmError("INVALID_ARGUMENT", `parameter ${name} is used as ${kind} [${shape}] and as ${had.kind} [${had.shape}]`);
    }
    this.params.set(name, { name, kind, shape });
  }

  input(h: number, w: number, c: number): number {
    for (const [v, what] of [
      [h, "height"],
      [w, "width"],
      [c, "channels"],
    ] as const) {
      if (!Number.isInteger(v) || v < 1 || v > 2 ** 15)
        throw new SolvewasmError("INVALID_ARGUMENT", `the input ${what} must be an integer in [1, 32768], got ${describe(v)}`);
    }
    return this.#tensor(h, w, c);
  }

  conv(x: number, weight: string, o: ConvOptions = {} as ConvOptions): number {
    const s = this.#shape(x);
    checkOptions(o, "conv");
    const k = o.kernel ?? 3,
      stride = o.stride ?? 1,
      pad = o.pad ?? (k - 1) / 2,
      padding = o.padding ?? "zeros";
    if (![1, 3].includes(k) || ![1, 2].includes(stride) || !Number.isInteger(pad) || pad < 0 || pad >= k || !PADDING_MODES.includes(padding)) {
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `conv ${weight}: kernel 1 or 3, stride 1 or 2, pad in [0, kernel) and padding one of ${PADDING_MODES.join(", ")}`,
      );
    }
    checkChannels(o.out, weight);
    const h = Math.floor((s.h + 2 * pad - k) / stride) + 1,
      w = Math.floor((s.w + 2 * pad - k) / stride) + 1;
    if (padding === "reflect" && pad > 0 && (s.h <= pad || s.w <= pad)) {
      throw new SolvewasmError(
        "INVALID_ARGUMENT",
        `conv ${weight}: reflect padding by ${pad} needs more than ${pad} points per axis, got ${s.h} × ${s.w} (as PyTorch)`,
      );
    }
    this.#param(weight, "conv", [o.out, s.c, k, k]);
    if (o.bias !== undefined) this.#param(o.bias, "bias", [o.out]);
    const y = this.#tensor(h, w, o.out);
    this.ops.push({ op: "conv", x, y, weight, bias: o.bias, k, stride, pad, padding });
    return y;
  }

  convTranspose(x: number, weight: string, o: ConvTransposeOptions = {} as ConvTransposeOptions): number {
    const s = this.#shape(x);
    checkOptions(o, "convTranspose");
    const k = o.kernel ?? 4,
      pad = o.pad ?? 1,
      extra = o.outputPadding ?? 0;
    if (!Number.isInteger(k) || k < 2 || k > 4 || !Number.isInteger(pad) || pad < 0 || pad >= k || (extra !== 0 && extra !== 1)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `convTranspose ${weight}: kernel 2 to 4, pad in [0, kernel), outputPadding 0 or 1`);
    }
    checkChannels(o.out, weight);
    this.#param(weight, "convTranspose", [s.c, o.out, k, k]);
    const y = this.#tensor((s.h - 1) * 2 - 2 * pad + k + extra, (s.w - 1) * 2 - 2 * pad + k + extra, o.out);
    this.ops.push({ op: "convTranspose", x, y, weight, k, stride: 2, pad });
    return y;
  }

  relu(x: number): number {
    const s = this.#shape(x);
    const y = this.#tensor(s.h, s.w, s.c);
    this.ops.push({ op: "relu", x, y });
    return y;
  }

  gelu(x: number): number {
    const s = this.#shape(x);
    const y = this.#tensor(s.h, s.w, s.c);
    this.ops.push({ op: "gelu", x, y });
    return y;
  }

  /** a + β·b, the two of the same shape. */
  add(a: number, b: number, beta = 1): number {
    const s = this.#shape(a),
      t = this.#shape(b);
    if (typeof beta !== "number" || !Number.isFinite(beta))
      throw new SolvewasmError("INVALID_ARGUMENT", `add: beta must be a finite number, got ${describe(beta)}`);
    if (s.h !== t.h || s.w !== t.w || s.c !== t.c) {
      throw new SolvewasmError("DIMENSION_MISMATCH", `add: ${s.h} × ${s.w} × ${s.c} and ${t.h} × ${t.w} × ${t.c} differ`);
    }
    const y = this.#tensor(s.h, s.w, s.c);
    this.ops.push({ op: "add", a, b, beta, y });
    return y;
  }

  /** 2 × 2 average pooling (even sizes only). */
  pool(x: number): number {
    const s = this.#shape(x);
    if (s.h % 2 || s.w % 2) throw new SolvewasmError("INVALID_ARGUMENT", `pool needs even grid sizes, got ${s.h} × ${s.w}`);
    const y = this.#tensor(s.h / 2, s.w / 2, s.c);
    this.ops.push({ op: "pool", x, y });
    return y;
  }

  /** Nearest 2× upsampling. */
  upsample(x: number): number {
    const s = this.#shape(x);
    const y = this.#tensor(2 * s.h, 2 * s.w, s.c);
    this.ops.push({ op: "upsample", x, y });
    return y;
  }
}

function checkOptions(o: unknown, layer: string): void {
  if (typeof o !== "object" || o === null) throw new SolvewasmError("INVALID_OPTION", `${layer} takes an options object { out, … }, got ${describe(o)}`);
}

function checkChannels(c: unknown, layer: string): void {
  if (!Number.isInteger(c) || (c as number) < 1 || (c as number) > 4096) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${layer}: out must be an integer number of channels in [1, 4096], got ${describe(c)}`);
  }
}
