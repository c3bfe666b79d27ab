// Runs dist/solvewasm-wasi.wasm as a WASI preview1 command under `node:wasi`, in Node or in
// Deno (whose node:wasi runs preview1 commands too), and exits with its exit code:
//   node test/integration/_wasi-host.js GUEST HOST [args…]
//   deno run --allow-read --allow-write test/integration/_wasi-host.js GUEST HOST [args…]
// The host directory HOST is preopened as GUEST ("/work", or "." for relative paths);
// stdin, stdout and stderr are the process's own.
import { readFileSync } from "node:fs";
import process from "node:process";

const [guest, host, ...args] = process.argv.slice(2);
// node:wasi warns that it is experimental when it loads: silenced (the tests read stderr),
// so it is imported after this.
process.emitWarning = () => {};
const { WASI } = await import("node:wasi");
const wasi = new WASI({ version: "preview1", args: ["solvewasm-wasi", ...args], env: {}, preopens: { [guest]: host } });
const wasm = new URL("../../dist/solvewasm-wasi.wasm", import.meta.url);
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
process.exit(wasi.start(instance));
