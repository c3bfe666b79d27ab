// The .wasm inlined, for pages without a bundler and file:// pages: the IIFE build
// (global `solvewasm`, await `solvewasm.ready`) and, through entry.compat.ts, solvewasm/compat.
// @ts-expect-error: esbuild's binary loader turns this into a Uint8Array
import bytes from "../dist/solvewasm.wasm";
// @ts-expect-error: as above
import scalarBytes from "../dist/solvewasm-scalar.wasm";
import { simdSupported } from "./load.js";
import { autoInit, setDefaultSource } from "./index.js";

setDefaultSource(async () => (simdSupported() ? bytes : scalarBytes) as Uint8Array);
/** Resolves once the inlined module is loaded (the IIFE build cannot await at top level). */
export const ready: Promise<void> = autoInit();

export * from "./index.js";
