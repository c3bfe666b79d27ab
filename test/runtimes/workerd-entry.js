// The test bundle's entry in workerd: a Worker that runs the suite on a request and
// answers with uvu's output. Both modules arrive as compiled WebAssembly.Modules.
import scalar from "./solvewasm-scalar.wasm";
import { runAll } from "../index.js";

export default {
  async fetch(_request, env) {
    // The matrices arrive as a JSON binding: a Worker has no file system.
    globalThis.SOLVEWASM_TEST_FIXTURES = {
      scalar: async () => scalar,
      matrix: async (name) => {
        if (!(name in env.MATRICES)) throw new Error(`no matrix ${name} in the MATRICES binding`);
        return env.MATRICES[name];
      },
    };
    const lines = [];
    const log = console.log;
    console.log = (...args) => lines.push(args.join(" "));
    try {
      await runAll();
    } catch (e) {
      lines.push(`\nHARNESS ERROR ${e?.stack ?? e}\n`);
    } finally {
      console.log = log;
    }
    return new Response(lines.join("")); // uvu writes fragments that carry their own newlines
  },
};
