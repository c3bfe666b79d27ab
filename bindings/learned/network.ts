// Runs a graph (graph.ts) forward and backward in wasm (assembly/learned/): the parameters
// live in one float32 arena in the kernels' layout, the activations and their gradients in
// another per grid, and training adds gradient, Adam moment and transposed-weight arenas.
// Tensors are HWC4 (assembly/learned/conv.ts): channels innermost, padded to 4.
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, withVectors } from "../memory.js";
import type { Exports, Runtime } from "../runtime.js";
import { Padding } from "../generated/layouts.js";
import type { GraphBuilder, Op, ParamSpec, TensorShape } from "./graph.js";
import { describe } from "../validate.js";

const ceil4 = (c: number) => (c + 3) & ~3;
/** How a freed parameter arena is named in DISPOSED messages. */
const ARENA = "model's parameter store";

function checkSpec(spec: unknown): asserts spec is ParamSpec {
  const s = spec as Partial<ParamSpec> | null;
  const shapeOk = Array.isArray(s?.shape) && s.shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 4096);
  const rank = s?.kind === "bias" ? 1 : 4;
  if (!s || typeof s.name !== "string" || !["conv", "convTranspose", "bias"].includes(s.kind as string) || !shapeOk || s.shape!.length !== rank) {
    throw new SolvewasmError(
      "INVALID_ARGUMENT",
      `a parameter spec is { name, kind: "conv" | "convTranspose" | "bias", shape } (4 dims, or 1 for a bias), got ${describe(spec)}`,
    );
  }
}
const PADDING: Record<string, number> = { zeros: Padding.ZEROS, replicate: Padding.REPLICATE, circular: Padding.CIRCULAR, reflect: Padding.REFLECT };

/** A convolution weight's input and output channels and kernel size (PyTorch keeps a conv
 * weight as [out, in, k, k], a transposed conv weight as [in, out, k, k]). */
function channels(p: ParamSpec): { nIn: number; nOut: number; k: number } {
  const [a, b, k] = p.shape;
  return p.kind === "conv" ? { nIn: b, nOut: a, k } : { nIn: a, nOut: b, k };
}

/** Floats a parameter takes in the kernels' layout: [k·k][in][ceil4(out)], or ceil4(out). */
function packedSize(p: ParamSpec): number {
  if (p.kind === "bias") return ceil4(p.shape[0]);
  const { nIn, nOut, k } = channels(p);
  return k * k * nIn * ceil4(nOut);
}

/** Floats of the transposed copy ([k·k][out][ceil4(in)]) the backward pass reads. */
function transposedSize(p: ParamSpec): number {
  const { nIn, nOut, k } = channels(p);
  return k * k * nOut * ceil4(nIn);
}

/** For every value of a weight, its index in PyTorch's layout and in the kernels' packed
 * layout (the one map `set` and `get` both follow). */
function forEachWeight(p: ParamSpec, visit: (torch: number, packed: number) => void): void {
  const [a, b, k] = p.shape;
  const { nIn } = channels(p);
  const row = ceil4(channels(p).nOut);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let t = 0; t < k * k; t++) {
        const [inC, outC] = p.kind === "conv" ? [j, i] : [i, j];
        visit((i * b + j) * k * k + t, (t * nIn + inC) * row + outC);
      }
}

interface Slot {
  spec: ParamSpec;
  /** Float offset in the arenas. */
  at: number;
  floats: number;
  /** Float offset of the transposed copy (convolutions only). */
  tAt: number;
}

/** The learned tensors of a model, in wasm memory; networks of any grid size read them. */
export class Parameters {
  readonly #rt: Runtime;
  readonly #slots = new Map<string, Slot>();
  readonly floats: number;
  readonly #arena: Allocation;
  #training: { grad: Allocation; m: Allocation; v: Allocation; transposed: Allocation; step: number } | undefined;
  readonly #tFloats: number;

  constructor(rt: Runtime, specs: Iterable<ParamSpec>) {
    this.#rt = rt;
    if (specs === null || typeof specs !== "object" || typeof (specs as Iterable<ParamSpec>)[Symbol.iterator] !== "function") {
      throw new SolvewasmError("INVALID_ARGUMENT", `parameters takes the specs of a graph (graph.params.values()), got ${describe(specs)}`);
    }
    let at = 0,
      tAt = 0;
    for (const spec of specs) {
      checkSpec(spec);
      const floats = packedSize(spec);
      this.#slots.set(spec.name, { spec, at, floats, tAt });
      at += floats;
      if (spec.kind !== "bias") tAt += transposedSize(spec);
    }
    this.floats = at;
    this.#tFloats = tAt;
    this.#arena = new Allocation(rt, Math.max(4, at) * 4);
    rt.call((ex) => new Uint8Array(ex.memory.buffer, this.#arena.ptr(ARENA), at * 4).fill(0));
  }

  /** @internal The instance whose memory holds them. */
  get runtime(): Runtime {
    return this.#rt;
  }

  get specs(): ParamSpec[] {
    return [...this.#slots.values()].map((s) => s.spec);
  }

  /** The number of learned scalars (PyTorch's count, without the padding lanes). */
  get count(): number {
    return this.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  has(name: string): boolean {
    return this.#slots.has(name);
  }

  /** The spec of a parameter, or undefined. */
  spec(name: string): ParamSpec | undefined {
    return this.#slots.get(name)?.spec;
  }

  #slot(name: string): Slot {
    const s = this.#slots.get(name);
    if (!s) throw new SolvewasmError("INVALID_ARGUMENT", `this model has no parameter ${name}`);
    return s;
  }

  /** @internal Byte offset of a parameter (or of its gradient / transposed copy). */
  ptr(name: string, which: "value" | "grad" | "transposed" = "value"): number {
    const s = this.#slot(name);
    if (which === "value") return this.#arena.ptr(ARENA) + 4 * s.at;
    const t = this.#training;
    if (!t) throw new SolvewasmError("INVALID_ARGUMENT", "backward needs startTraining() first");
    return which === "grad" ? t.grad.ptr("model's gradients") + 4 * s.at : t.transposed.ptr("model's transposed weights") + 4 * s.tAt;
  }

  /** Sets a parameter from PyTorch's layout (a conv weight [out][in][k][k], a transposed
   * conv weight [in][out][k][k], a bias [out]). */
  set(name: string, data: ArrayLike<number>): void {
    const s = this.#slot(name);
    const { kind, shape } = s.spec;
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new SolvewasmError("DIMENSION_MISMATCH", `${name} has ${size} values ([${shape}]), got ${data.length}`);
    const packed = new Float32Array(s.floats);
    if (kind === "bias") packed.set(data);
    else forEachWeight(s.spec, (torch, at) => (packed[at] = data[torch]));
    this.#rt.f32(this.ptr(name), s.floats).set(packed);
    // The backward pass reads the transposed copy: keep it in step with the weights.
    if (this.#training && kind !== "bias") this.#refreshOne(s);
  }

  /** A parameter (or its accumulated gradient) in PyTorch's layout. */
  get(name: string, which: "value" | "grad" = "value"): Float32Array {
    const s = this.#slot(name);
    const { kind, shape } = s.spec;
    const packed = this.#rt.f32(this.ptr(name, which), s.floats);
    const size = shape.reduce((a, b) => a * b, 1);
    if (kind === "bias") return Float32Array.from(packed.subarray(0, size));
    const out = new Float32Array(size);
    forEachWeight(s.spec, (torch, at) => (out[torch] = packed[at]));
    return out;
  }

  /** Allocates gradients, Adam's moments and the transposed weights (zeroed). */
  startTraining(): void {
    this.requireAlive();
    if (this.#training) return;
    const bytes = Math.max(4, this.floats) * 4;
    this.#rt.reserve([bytes, bytes, bytes, Math.max(16, this.#tFloats * 4)], "training");
    const t = {
      grad: new Allocation(this.#rt, bytes),
      m: new Allocation(this.#rt, bytes),
      v: new Allocation(this.#rt, bytes),
      transposed: new Allocation(this.#rt, Math.max(16, this.#tFloats * 4)),
      step: 0,
    };
    this.#training = t;
    for (const a of [t.grad, t.m, t.v]) this.#rt.f32(a.ptr("training state"), this.floats).fill(0);
    this.refreshTransposed();
  }

  get training(): boolean {
    return this.#training !== undefined;
  }

  /** The transposed weights, recomputed after the weights change. */
  refreshTransposed(): void {
    if (!this.#training) return;
    for (const s of this.#slots.values()) if (s.spec.kind !== "bias") this.#refreshOne(s);
  }

  #refreshOne(s: Slot): void {
    const { nIn, nOut, k } = channels(s.spec);
    this.#rt.call((ex) => ex.transposeTaps(this.ptr(s.spec.name), k * k, nIn, nOut, this.ptr(s.spec.name, "transposed")));
  }

  zeroGrad(): void {
    this.requireAlive();
    const t = this.#training;
    if (t) this.#rt.f32(t.grad.ptr("model's gradients"), this.floats).fill(0);
  }

  /** One Adam step on every parameter with the accumulated gradients. */
  adam(lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): void {
    this.requireAlive();
    for (const [v, name] of [
      [lr, "lr"],
      [beta1, "beta1"],
      [beta2, "beta2"],
      [eps, "eps"],
    ] as const) {
      if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v) || (name.startsWith("beta") && !(v < 1))) {
        throw new SolvewasmError(
          "INVALID_OPTION",
          `adam: ${name} must be a positive finite number${name.startsWith("beta") ? " below 1" : ""}, got ${describe(v)}`,
        );
      }
    }
    const t = this.#training;
    if (!t) throw new SolvewasmError("INVALID_ARGUMENT", "adam needs startTraining() first");
    t.step++;
    const c1 = 1 / (1 - beta1 ** t.step),
      c2 = 1 / (1 - beta2 ** t.step);
    this.#rt.call((ex) =>
      ex.adamStep(this.floats, this.#arena.ptr(ARENA), t.grad.ptr("gradients"), t.m.ptr("moments"), t.v.ptr("moments"), lr, beta1, beta2, eps, c1, c2),
    );
    this.refreshTransposed();
  }

  /** True when every parameter is finite. */
  finite(): boolean {
    const all = this.#rt.f32(this.#arena.ptr(ARENA), this.floats);
    for (let i = 0; i < all.length; i++) if (!Number.isFinite(all[i])) return false;
    return true;
  }

  get alive(): boolean {
    return this.#arena.alive;
  }

  /** DISPOSED once the parameters are freed. */
  requireAlive(): void {
    this.#arena.ptr(ARENA);
  }

  dispose(): void {
    this.#arena.free();
    const t = this.#training;
    if (t) for (const a of [t.grad, t.m, t.v, t.transposed]) a.free();
    this.#training = undefined;
  }
}

/** A graph bound to parameters, with its activations (and their gradients) in wasm. */
export class Network {
  readonly #rt: Runtime;
  readonly shapes: readonly TensorShape[];
  readonly ops: readonly Op[];
  readonly input: number;
  readonly output: number;
  readonly params: Parameters;
  /** Float offsets of each tensor in the activation (and gradient) arena. */
  readonly #at: number[];
  readonly #floats: number;
  readonly #arena: Allocation;
  #grads: Allocation | undefined;
  readonly #scratch: Allocation;

  /** @internal The graph must have been built with `params`' specs (checked by name and shape). */
  constructor(rt: Runtime, graph: GraphBuilder, input: number, output: number, params: Parameters) {
    this.#rt = rt;
    if (!(params instanceof Parameters))
      throw new SolvewasmError("INVALID_ARGUMENT", `a network needs Parameters (learned.parameters), got ${describe(params)}`);
    if (params.runtime !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "the parameters belong to another solvewasm instance");
    params.requireAlive();
    if (!graph || !Array.isArray(graph.shapes) || !Array.isArray(graph.ops) || !(graph.params instanceof Map)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `a network needs a graph (learned.graph()), got ${describe(graph)}`);
    }
    // A copy: layers added to the builder later are not part of this network.
    this.shapes = Object.freeze(graph.shapes.map((s) => Object.freeze({ ...s })));
    this.ops = Object.freeze(graph.ops.map((o) => Object.freeze({ ...o })));
    for (const [id, what] of [
      [input, "input"],
      [output, "output"],
    ] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= this.shapes.length)
        throw new SolvewasmError("INVALID_ARGUMENT", `${what} must be a tensor of the graph (0 to ${this.shapes.length - 1}), got ${describe(id)}`);
    }
    this.input = input;
    this.output = output;
    this.params = params;
    for (const spec of graph.params.values()) {
      const had = params.spec(spec.name);
      if (!had || had.kind !== spec.kind || had.shape.join() !== spec.shape.join()) {
        throw new SolvewasmError("INVALID_ARGUMENT", `the parameters have no ${spec.kind} ${spec.name} of shape [${spec.shape}]`);
      }
    }
    this.#at = [];
    let at = 0,
      largest = 4;
    for (const s of this.shapes) {
      this.#at.push(at);
      const f = s.h * s.w * ceil4(s.c);
      at += f;
      largest = Math.max(largest, f);
    }
    this.#floats = at;
    rt.reserve([at * 4, largest * 4], "the network's activations");
    this.#arena = new Allocation(rt, at * 4);
    this.#scratch = new Allocation(rt, largest * 4);
  }

  /** Floats of tensor t (padding lanes included). */
  floatsOf(t: number): number {
    const s = this.shapes[t];
    return s.h * s.w * ceil4(s.c);
  }

  #tensor(t: unknown): TensorShape {
    const s = Number.isInteger(t) ? this.shapes[t as number] : undefined;
    if (!s) throw new SolvewasmError("INVALID_ARGUMENT", `no tensor ${Number.isInteger(t) ? t : describe(t)} in this network (0 to ${this.shapes.length - 1})`);
    return s;
  }

  /** @internal Byte offset of tensor t's values (or gradient). */
  ptr(t: number, grad = false): number {
    this.#tensor(t);
    if (grad) {
      if (!this.#grads) throw new SolvewasmError("INVALID_ARGUMENT", "no gradients: call backward first");
      return this.#grads.ptr("network's gradients") + 4 * this.#at[t];
    }
    return this.#arena.ptr("network's activations") + 4 * this.#at[t];
  }

  /** Runs every layer; the input tensor must have been written. */
  forward(): void {
    this.params.requireAlive();
    this.#rt.call((ex) => {
      for (const op of this.ops) this.#forwardOp(ex, op);
    });
  }

  #forwardOp(ex: Exports, op: Op): void {
    const S = this.shapes;
    const P = (t: number) => this.ptr(t);
    switch (op.op) {
      case "conv": {
        const x = S[op.x],
          y = S[op.y];
        ex.fillBias(P(op.y), y.h * y.w, y.c, op.bias ? this.params.ptr(op.bias) : 0);
        ex.convTaps(0, P(op.y), y.h, y.w, y.c, P(op.x), x.h, x.w, x.c, this.params.ptr(op.weight), op.k, op.stride, op.pad, PADDING[op.padding]);
        return;
      }
      case "convTranspose": {
        const x = S[op.x],
          y = S[op.y];
        ex.fillBias(P(op.y), y.h * y.w, y.c, 0);
        ex.convTaps(1, P(op.x), x.h, x.w, x.c, P(op.y), y.h, y.w, y.c, this.params.ptr(op.weight), op.k, op.stride, op.pad, Padding.ZEROS);
        return;
      }
      case "relu":
        ex.relu(this.floatsOf(op.x), P(op.x), P(op.y));
        return;
      case "gelu":
        ex.gelu(this.floatsOf(op.x), P(op.x), P(op.y), this.#scratch.ptr("network's scratch"));
        return;
      case "add":
        ex.addScaledf(this.floatsOf(op.a), P(op.a), op.beta, P(op.b), P(op.y));
        return;
      case "pool": {
        const x = S[op.x];
        ex.avgPool2(P(op.x), x.h, x.w, ceil4(x.c), P(op.y));
        return;
      }
      case "upsample": {
        const x = S[op.x];
        ex.upsample2(P(op.x), x.h, x.w, ceil4(x.c), P(op.y));
        return;
      }
    }
  }

  /**
   * Back-propagates the gradient of the output (written by `seed` into the output's
   * gradient buffer, which starts zeroed) through every layer, adding the parameters'
   * gradients to their accumulators (Parameters.zeroGrad clears them). The input's
   * gradient is left at ptr(input, true).
   */
  backward(seed: (gradOutputPtr: number) => void): void {
    this.params.requireAlive();
    this.#arena.ptr("network's activations");
    if (!this.params.training) this.params.startTraining();
    if (!this.#grads) {
      this.#rt.reserve([this.#floats * 4], "the network's gradients");
      this.#grads = new Allocation(this.#rt, this.#floats * 4);
    }
    this.#rt.f32(this.#grads.ptr("network's gradients"), this.#floats).fill(0);
    seed(this.ptr(this.output, true));
    this.#rt.call((ex) => {
      for (let i = this.ops.length - 1; i >= 0; i--) this.#backwardOp(ex, this.ops[i]);
    });
  }

  #backwardOp(ex: Exports, op: Op): void {
    const S = this.shapes;
    const P = (t: number) => this.ptr(t);
    const G = (t: number) => this.ptr(t, true);
    const params = this.params;
    switch (op.op) {
      case "conv": {
        const x = S[op.x],
          y = S[op.y],
          mode = PADDING[op.padding];
        ex.convTaps(1, G(op.y), y.h, y.w, y.c, G(op.x), x.h, x.w, x.c, params.ptr(op.weight, "transposed"), op.k, op.stride, op.pad, mode);
        ex.convTapsGrad(0, G(op.y), y.h, y.w, y.c, P(op.x), x.h, x.w, x.c, params.ptr(op.weight, "grad"), op.k, op.stride, op.pad, mode);
        if (op.bias) ex.biasGrad(G(op.y), y.h * y.w, y.c, params.ptr(op.bias, "grad"));
        return;
      }
      case "convTranspose": {
        const x = S[op.x],
          y = S[op.y];
        ex.convTaps(0, G(op.x), x.h, x.w, x.c, G(op.y), y.h, y.w, y.c, params.ptr(op.weight, "transposed"), op.k, op.stride, op.pad, Padding.ZEROS);
        ex.convTapsGrad(1, P(op.x), x.h, x.w, x.c, G(op.y), y.h, y.w, y.c, params.ptr(op.weight, "grad"), op.k, op.stride, op.pad, Padding.ZEROS);
        return;
      }
      case "relu":
        ex.reluGrad(this.floatsOf(op.x), P(op.x), G(op.y), G(op.x));
        return;
      case "gelu":
        ex.geluGrad(this.floatsOf(op.x), P(op.x), G(op.y), G(op.x), this.#scratch.ptr("network's scratch"));
        return;
      case "add": {
        const n = this.floatsOf(op.a);
        ex.axpyf(n, 1, G(op.y), G(op.a));
        ex.axpyf(n, op.beta, G(op.y), G(op.b));
        return;
      }
      case "pool": {
        const x = S[op.x];
        ex.avgPool2Grad(G(op.y), x.h, x.w, ceil4(x.c), G(op.x));
        return;
      }
      case "upsample": {
        const x = S[op.x];
        ex.upsample2Grad(G(op.y), x.h, x.w, ceil4(x.c), G(op.x));
        return;
      }
    }
  }

  /** Multiply–adds of one forward pass (convolutions and transposed convolutions). */
  get macs(): number {
    let mac = 0;
    for (const op of this.ops) {
      if (op.op !== "conv" && op.op !== "convTranspose") continue;
      const x = this.shapes[op.x],
        y = this.shapes[op.y];
      mac += (op.op === "conv" ? y.h * y.w : x.h * x.w) * op.k * op.k * x.c * y.c;
    }
    return mac;
  }

  /** @internal out ← f(scaleIn · v) for float64 fields of n points at byte offsets pv and
   * pout (channel 0 of a one-channel input and output), the float32 crossing done in wasm. */
  mapVectorAt(pv: number, pout: number, scaleIn: number): void {
    const { h, w } = this.shapes[this.input];
    this.#rt.call((ex) => ex.packChannel(h * w, pv, scaleIn, this.ptr(this.input), 4));
    this.forward();
    this.#rt.call((ex) => ex.unpackChannel(h * w, this.ptr(this.output), 4, 1, pout));
  }

  /** out ← f(scaleIn · v) for float64 fields on a network of one input and one output channel. */
  mapVector(v: Float64Array, out: Float64Array, scaleIn = 1): Float64Array {
    this.#checkVectors([v, out]);
    withVectors(this.#rt, [v, out], [false, true], (_, [pv, pout]) => this.mapVectorAt(pv, pout, scaleIn));
    return out;
  }

  /** The grid's point count, once the network maps one channel to one and every vector is a
   * Float64Array of that length. */
  #checkVectors(vs: Float64Array[]): number {
    const { h, w, c } = this.shapes[this.input];
    const n = h * w;
    if (c !== 1 || this.shapes[this.output].c !== 1 || this.shapes[this.output].h * this.shapes[this.output].w !== n) {
      throw new SolvewasmError("INVALID_ARGUMENT", "a vector map needs a network with one input and one output channel on the same grid");
    }
    for (const v of vs) {
      if (!(v instanceof Float64Array)) throw new SolvewasmError("INVALID_ARGUMENT", `the vectors must be Float64Arrays, got ${describe(v)}`);
      if (v.length !== n) throw new SolvewasmError("DIMENSION_MISMATCH", `the vectors must have ${n} entries (the ${h} × ${w} grid), got ${v.length}`);
    }
    return n;
  }

  /** Seeds the output gradient with scale · g (a float64 field) and back-propagates (see backward). */
  backwardVector(g: Float64Array, scale = 1): void {
    const n = this.#checkVectors([g]);
    if (typeof scale !== "number" || !Number.isFinite(scale))
      throw new SolvewasmError("INVALID_ARGUMENT", `scale must be a finite number, got ${describe(scale)}`);
    withVectors(this.#rt, [g], [false], (_, [pg]) => this.backward((gy) => this.#rt.call((ex) => ex.packChannel(n, pg, scale, gy, 4))));
  }

  /** Writes tensor t from a CHW Float32Array (PyTorch's layout for one sample). */
  write(t: number, chw: ArrayLike<number>, grad = false): void {
    const { h, w, c } = this.#tensor(t);
    if (chw === null || typeof chw !== "object" || typeof chw.length !== "number")
      throw new SolvewasmError("INVALID_ARGUMENT", `write takes an array of values, got ${describe(chw)}`);
    if (chw.length !== h * w * c) throw new SolvewasmError("DIMENSION_MISMATCH", `the tensor is ${c} × ${h} × ${w} (${c * h * w} values), got ${chw.length}`);
    const c4 = ceil4(c);
    const v = this.#rt.f32(this.ptr(t, grad), h * w * c4);
    v.fill(0);
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) {
        const x = chw[ch * h * w + p];
        if (!Number.isFinite(x)) throw new SolvewasmError("NOT_FINITE", `value ${ch * h * w + p} written to tensor ${t} is ${x}`);
        v[p * c4 + ch] = x;
      }
  }

  /** Tensor t (or its gradient) as a CHW Float32Array. */
  read(t: number, grad = false): Float32Array {
    const { h, w, c } = this.#tensor(t);
    const c4 = ceil4(c);
    const v = this.#rt.f32(this.ptr(t, grad), h * w * c4);
    const out = new Float32Array(h * w * c);
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[ch * h * w + p] = v[p * c4 + ch];
    return out;
  }

  get alive(): boolean {
    return this.#arena.alive && this.params.alive;
  }

  /** Frees the activations (not the parameters, which other networks may share). */
  dispose(): void {
    this.#arena.free();
    this.#scratch.free();
    this.#grads?.free();
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}
