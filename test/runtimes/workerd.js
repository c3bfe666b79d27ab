// Runs the test suite in workerd (Cloudflare's runtime) through miniflare: bundles it with
// the `workerd` condition, so "solvewasm" resolves to dist/entry.workerd.js, which imports
// its .wasm as a compiled Module, as in a deployed Worker. Prints uvu's output and one
// JSON line {"runtime","passed","failed"}.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { parseUvu, stripAnsi } from "./summary.js";

const root = new URL("../..", import.meta.url).pathname;
const bundle = await esbuild.build({
  entryPoints: [join(root, "test/runtimes/workerd-entry.js")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["*.wasm"],
  target: "es2022",
  logLevel: "warning",
});

// The vendored fixtures (test/fixtures/matrices), every file but the README, by file name.
const matricesDir = join(root, "test/fixtures/matrices");
const matrices = Object.fromEntries(
  readdirSync(matricesDir)
    .filter((f) => f !== "README.md")
    .map((f) => [f, readFileSync(join(matricesDir, f), "utf8")]),
);
const mf = new Miniflare({
  compatibilityDate: "2025-12-01",
  bindings: { MATRICES: matrices },
  modules: [
    { type: "ESModule", path: "worker.js", contents: bundle.outputFiles[0].text },
    { type: "CompiledWasm", path: "solvewasm.wasm", contents: readFileSync(join(root, "dist/solvewasm.wasm")) },
    { type: "CompiledWasm", path: "solvewasm-scalar.wasm", contents: readFileSync(join(root, "dist/solvewasm-scalar.wasm")) },
  ],
});
let passed = 0,
  failed = 0;
try {
  const response = await mf.dispatchFetch("http://localhost/");
  const text = await response.text();
  console.log(process.stdout.isTTY ? text : stripAnsi(text));
  const r = parseUvu(text);
  if (!r) {
    console.error("the workerd suite did not finish: no uvu summary");
    failed++;
  } else {
    passed = r.passed;
    failed = r.failed;
  }
} finally {
  await mf.dispose();
}
console.log(JSON.stringify({ runtime: "workerd", passed, failed }));
process.exit(failed ? 1 : 0);
