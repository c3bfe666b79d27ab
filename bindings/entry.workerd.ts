// Cloudflare Workers (workerd): the runtime hands over the .wasm as a compiled Module;
// compiling from bytes is forbidden there.
// @ts-expect-error: resolved by workerd / wrangler, not by TypeScript
import wasm from "./solvewasm.wasm";
import { autoInit, setDefaultSource } from "./index.js";

setDefaultSource(async () => wasm as WebAssembly.Module);
await autoInit();

export * from "./index.js";
