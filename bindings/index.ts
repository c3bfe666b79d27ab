// The default instance behind `import { blas } from "solvewasm"`. Each runtime's entry
// (entry.*.ts) says where its .wasm comes from, awaits the first load, and re-exports
// this module; `init()` reloads from anywhere else.
import { makeApi } from "./api.js";
import { compileSource, type Build, type InitSource } from "./load.js";
import { Runtime, type RuntimeOptions } from "./runtime.js";

const runtime = new Runtime();
let defaultSource: () => Promise<InitSource> = () => Promise.reject(new Error("no default source for this runtime"));

/** @internal Called once by each entry with the way its runtime finds the .wasm. */
export function setDefaultSource(source: () => Promise<InitSource>): void {
  defaultSource = source;
}

/** @internal The first load at import time: a failure is kept and reported by every
 * call (NOT_INITIALIZED, naming the cause) until `init(source)` succeeds. */
export async function autoInit(): Promise<void> {
  try {
    await init();
  } catch (e) {
    runtime.loadError = e;
  }
}

/**
 * (Re)loads the default instance. Without arguments it loads the module shipped next to
 * this entry (the scalar one where the engine lacks SIMD); give a URL, bytes, a Response
 * or a compiled WebAssembly.Module to load from elsewhere. Buffers from before are void.
 * @example
 * import { init, blas } from "solvewasm";
 * await init(new URL("/assets/solvewasm.wasm", location.href)); // only when the default fails
 */
export async function init(source?: InitSource, options?: RuntimeOptions): Promise<void> {
  const module = await compileSource(source ?? (await defaultSource()), source ? undefined : "the bundled solvewasm.wasm");
  runtime.load(module, options);
  build = runtime.build;
}

/** "simd" or "scalar": which module the default instance runs (undefined until loaded). */
export let build: Build | undefined;

/** The compiled module of the default instance, to create more instances from it. */
export function wasmModule(): WebAssembly.Module {
  return runtime.module ?? (runtime.exports, runtime.module!);
}

const api = makeApi(runtime);
export const {
  blas,
  allocF64,
  memoryStats,
  raw,
  gallery,
  cg,
  fcd,
  solve,
  cgAsync,
  fcdAsync,
  gmres,
  fgmres,
  bicgstab,
  minres,
  gmresAsync,
  fgmresAsync,
  bicgstabAsync,
  minresAsync,
  precond,
  sor,
  multigrid,
  amg,
  mgBlocks,
  elementary,
  bsde,
  xva,
  learned,
  rigidBodyModes,
} = api;
/** Sparse matrices in CSR format (see CsrMatrixFactory). */
export const CsrMatrix = api.CsrMatrix;
export type CsrMatrix = import("./operators/csr.js").CsrMatrix;

export * from "./core.js";
