// Regenerates test/fixtures/scipy-iterative.json with Debian's SciPy (python3-scipy, 1.10.1
// on Debian 12), installing it with apt-get when it is missing and this runs as root:
//   node tools/scipy-iterative.mjs
// The cases and what is counted are described in tools/scipy-iterative.py.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const python = "/usr/bin/python3"; // the system Python, whose scipy is Debian's package
const probe = () => spawnSync(python, ["-c", "import scipy"]).status === 0;
if (!probe() && process.getuid?.() === 0 && spawnSync("apt-get", ["--version"]).status === 0) {
  console.error("installing python3-scipy with apt-get …");
  spawnSync("apt-get", ["install", "-y", "-qq", "python3-scipy"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}
if (!probe()) {
  console.error("Debian's python3-scipy is not available (apt-get install python3-scipy)");
  process.exit(1);
}
const script = new URL("scipy-iterative.py", import.meta.url).pathname;
const out = spawnSync(python, [script], { encoding: "utf8", maxBuffer: 64 << 20 });
if (out.status !== 0) {
  console.error(out.stderr);
  process.exit(1);
}
const target = new URL("../test/fixtures/scipy-iterative.json", import.meta.url);
writeFileSync(target, out.stdout);
const { scipy, cases } = JSON.parse(out.stdout);
console.error(`wrote ${target.pathname}: ${cases.length} cases, SciPy ${scipy}`);
