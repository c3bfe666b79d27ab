// Deno: read the .wasm beside this file (needs --allow-read for it).
import { autoInit, setDefaultSource } from "./index.js";

declare const Deno: { readFile(path: URL): Promise<Uint8Array> };
setDefaultSource(() => Deno.readFile(new URL("./solvewasm.wasm", import.meta.url)));
await autoInit();

export * from "./index.js";
