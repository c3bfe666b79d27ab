// Node.js: read the .wasm beside this file.
import { readFile } from "node:fs/promises";
import { autoInit, setDefaultSource } from "./index.js";
import { setFileReader } from "./load.js";

setFileReader((url) => readFile(url));
setDefaultSource(() => readFile(new URL("./solvewasm.wasm", import.meta.url)));
await autoInit();

export * from "./index.js";
