// The benchmark module build/solvewasm-bench.wasm (asc --target bench, entry assembly/bench.ts):
// every export of the release module plus the baselines that only the benchmarks call. It is
// not part of `npm run build` (no test loads it) and never goes to dist/; bench/harness.js
// runs this script on demand. With --if-needed it does nothing when the module is newer than
// every source. It runs `build.mjs --if-needed` first (which writes the generated sources
// under assembly/generated). Progress goes to stderr: stdout of a benchmark is its JSON lines.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "build/solvewasm-bench.wasm");
const sources = ["assembly", "asconfig.json", "scripts/build-bench.mjs"];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

if (spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "--if-needed"], { cwd: root, stdio: ["ignore", 2, 2] }).status !== 0) {
  console.error("bench build failed: scripts/build.mjs");
  process.exit(1);
}

if (process.argv.includes("--if-needed") && existsSync(out)) {
  const built = statSync(out).mtimeMs;
  if (sources.every((s) => newest(join(root, s)) < built)) process.exit(0);
}

function fail(message) {
  console.error(`bench build failed: ${message}`);
  rmSync(out, { force: true }); // so that --if-needed builds again
  process.exit(1);
}

const t0 = performance.now();
const r = spawnSync(join(root, "node_modules/.bin/asc"), ["assembly/bench.ts", "--target", "bench"], { cwd: root, stdio: ["ignore", 2, 2] });
if (r.status !== 0) fail("asc assembly/bench.ts --target bench");
// Like the release module: SIMD, no imports.
const wat = readFileSync(join(root, "build/solvewasm-bench.wat"), "utf8");
if (!/\b(v128|[if](32x4|64x2)|i(8x16|16x8))\./.test(wat)) fail("build/solvewasm-bench.wasm has no SIMD instructions");
if (/\(import /.test(wat)) fail("build/solvewasm-bench.wasm has imports; it must have none");
console.error(`built build/solvewasm-bench.wasm in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
