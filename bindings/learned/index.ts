// Learned operators: the layer graph and its wasm runner (the building blocks), DCDM's
// learned preconditioner and MgNO, bound to one runtime.
import type { Runtime } from "../runtime.js";
import { GraphBuilder, type ParamSpec } from "./graph.js";
import { Network, Parameters } from "./network.js";

export interface Learned {
  /** A new layer graph (conv, convTranspose, relu, gelu, add, pool, upsample). */
  graph(): GraphBuilder;
  /** Zeroed parameters for these specs (a graph's `params.values()`), in wasm memory. */
  parameters(specs: Iterable<ParamSpec>): Parameters;
  /** The graph from `input` to `output` bound to `params`, with its activations in wasm. */
  network(graph: GraphBuilder, input: number, output: number, params: Parameters): Network;
}

export function makeLearned(rt: Runtime): Learned {
  return {
    graph: () => new GraphBuilder(),
    parameters: (specs) => new Parameters(rt, specs),
    network: (graph, input, output, params) => new Network(rt, graph, input, output, params),
  };
}
