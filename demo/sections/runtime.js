import { build, memoryStats, simdSupported, wasmModule } from "solvewasm";

/** Which runtime, which module, and the memory it has. */
export function runtimeSection() {
  const g = globalThis;
  const runtime = g.Deno ? `Deno ${g.Deno.version.deno}` : g.process?.versions?.node ? `Node.js ${g.process.versions.node}` : "unknown";
  const exports = WebAssembly.Module.exports(wasmModule()).filter((e) => e.kind === "function").length;
  const m = memoryStats();
  return [
    `runtime        ${runtime}`,
    `engine SIMD    ${simdSupported() ? "yes" : "no"} (WebAssembly.validate probe)`,
    `module loaded  ${build} (${exports} exported kernels, ${WebAssembly.Module.imports(wasmModule()).length} imports)`,
    `wasm memory    ${(m.size / 2 ** 20).toFixed(1)} MiB now, ceiling ${(m.limit / 2 ** 30).toFixed(1)} GiB`,
  ];
}
