// Vercel Edge and other `edge-light` hosts: `?module` imports give a compiled Module.
// @ts-expect-error: resolved by the edge bundler, not by TypeScript
import wasm from "./solvewasm.wasm?module";
import { autoInit, setDefaultSource } from "./index.js";

setDefaultSource(async () => wasm as WebAssembly.Module);
await autoInit();

export * from "./index.js";
