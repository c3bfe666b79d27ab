// What every learned model is: its parameters in wasm memory, one network per grid size
// built on demand from its graph, PyTorch's default initialisation, its weight file, and
// its use as a map of vectors f(r/‖r‖) (a learned preconditioner). DcdmModel (dcdm.ts) and
// MgnoModel (mgno.ts) add their graph and their checks.
import { SolvewasmError } from "../errors.js";
import { disposeSymbol, productVectors, requireFiniteInWasm, withVectors, type Vector } from "../memory.js";
import { Random } from "../relax/random.js";
import type { Runtime } from "../runtime.js";
import type { GraphBuilder } from "./graph.js";
import { Network, Parameters } from "./network.js";
import { checkTensors, encodeWeights, type Weights } from "./weights.js";

export interface BuiltGraph {
  graph: GraphBuilder;
  input: number;
  output: number;
}

export abstract class LearnedModel {
  protected readonly rt: Runtime;
  readonly params: Parameters;
  readonly #nets = new Map<string, Network>();
  /** How the weights were made (the weight file's provenance). */
  provenance: Record<string, unknown>;

  /** `probe` is the model's graph on any grid it runs on: it names the parameters. */
  protected constructor(rt: Runtime, probe: BuiltGraph, weights: Weights | undefined, what: string) {
    this.rt = rt;
    if (weights) checkTensors(weights, probe.graph.params.values(), what);
    this.params = new Parameters(rt, probe.graph.params.values());
    this.provenance = { ...(weights?.provenance ?? {}) };
    if (weights) for (const [name, t] of weights.tensors) this.params.set(name, t.data);
  }

  /** The model's name in its weight file ("dcdm", "mgno"). */
  abstract readonly kind: string;
  abstract readonly config: object;
  /** The grid as [h, w] if the model runs on it, or an error naming the sizes that work. */
  protected abstract checkGrid(grid: unknown): [number, number];
  /** The graph on an h × w grid (checked). */
  protected abstract graphOn(h: number, w: number): BuiltGraph;

  /** @internal The network for a grid (built once per size); DISPOSED once the model is. */
  network(grid: [number, number]): Network {
    this.params.requireAlive();
    const [h, w] = this.checkGrid(grid);
    const key = `${h}x${w}`;
    let net = this.#nets.get(key);
    if (!net?.alive) {
      const { graph, input, output } = this.graphOn(h, w);
      net = new Network(this.rt, graph, input, output, this.params);
      this.#nets.set(key, net);
    }
    return net;
  }

  /** PyTorch's default initialisation, seeded: U(−1/√fan_in, 1/√fan_in) for weights and
   * biases, fan_in being a weight's dims after the first (in·k·k of a conv, out·k·k of a
   * transposed conv) and a bias's that of its weight. */
  initialize(seed: number): void {
    const random = new Random(seed);
    const specs = this.params.specs;
    for (const s of specs) {
      const of = s.kind === "bias" ? specs.find((w) => w.name === s.name.replace(/bias$/, "weight")) : s;
      if (!of) throw new SolvewasmError("INVALID_ARGUMENT", `bias ${s.name} has no weight beside it`);
      const bound = 1 / Math.sqrt(of.shape.slice(1).reduce((a, b) => a * b, 1));
      const n = s.shape.reduce((a, b) => a * b, 1);
      this.params.set(
        s.name,
        Float32Array.from({ length: n }, () => (2 * random.uniform() - 1) * bound),
      );
    }
  }

  /** q = f(r/‖r‖) (float64 in and out, float32 inside; 0 for r = 0): the model as a
   * learned preconditioner (one input and one output channel). NOT_FINITE, never a NaN, if
   * the network's float32 arithmetic overflows (weights or r far outside its training). */
  apply(r: Vector, grid: [number, number], out?: Vector): Vector {
    const net = this.network(grid); // before any vector is placed: building it allocates
    const n = net.shapes[net.input].h * net.shapes[net.input].w;
    const z = productVectors(r, out, n, n, "r");
    withVectors(this.rt, [r, z], [false, true], (ex, [pr, pz]) => {
      const norm = ex.dnrm2(n, pr);
      if (!Number.isFinite(norm)) throw new SolvewasmError("NOT_FINITE", "a learned preconditioner was given a non-finite residual");
      if (norm === 0) this.rt.f64(pz, n).fill(0);
      else net.mapVectorAt(pr, pz, 1 / norm);
      requireFiniteInWasm(this.rt, pz, n, `the ${this.kind} network's output`);
    });
    return z;
  }

  /** Multiply–adds per unknown of one forward pass on this grid. */
  macsOn(grid: [number, number]): number {
    const net = this.network(grid);
    const { h, w } = net.shapes[net.input];
    return net.macs / (h * w);
  }

  /** The weights as a weight file (format in weights.ts). */
  toWeights(provenance: Record<string, unknown> = this.provenance): Uint8Array {
    return encodeWeights({
      model: this.kind,
      config: { ...this.config },
      tensors: this.params.specs.map(
        (s) => [s.name, { shape: s.shape, data: this.params.get(s.name) }] as [string, { shape: readonly number[]; data: Float32Array }],
      ),
      provenance,
    });
  }

  get alive(): boolean {
    return this.params.alive;
  }

  dispose(): void {
    for (const net of this.#nets.values()) net.dispose();
    this.#nets.clear();
    this.params.dispose();
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}
