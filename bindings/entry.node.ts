// Node.js: read the .wasm beside this file.
import { readFile } from "node:fs/promises";
import { autoInit, setDefaultSource } from "./index.js";

setDefaultSource(() => readFile(new URL("./solvewasm.wasm", import.meta.url)));
await autoInit();

export * from "./index.js";
