// Browsers and anything else with fetch: stream the .wasm from beside this file, the
// scalar build where the engine lacks SIMD. The URL literals stay literal so bundlers see them.
import { simdSupported } from "./load.js";
import { autoInit, setDefaultSource } from "./index.js";

setDefaultSource(async () => (simdSupported() ? new URL("./solvewasm.wasm", import.meta.url) : new URL("./solvewasm-scalar.wasm", import.meta.url)));
await autoInit();

export * from "./index.js";
