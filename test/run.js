// Runs the test suite in Node or Deno: `node test/run.js [filter]`,
// `deno run -A test/run.js [filter]`. The summary is uvu's; the exit code is non-zero
// when a test fails.
import { readFile } from "node:fs/promises";
import { runAll } from "./index.js";

const root = new URL("../", import.meta.url);
globalThis.SOLVEWASM_TEST_FIXTURES = {
  scalar: () => readFile(new URL("dist/solvewasm-scalar.wasm", root)),
  matrix: (name) => readFile(new URL(`test/fixtures/matrices/${name}`, root), "utf8"),
};
const filter = (globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2))[0];
await runAll(filter);
