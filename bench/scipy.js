// The SciPy baseline of the benchmarks that compare with it (krylov, krylov-ns): Debian's
// python3-scipy at /usr/bin/python3, installed with apt-get when running as root.
import { spawnSync } from "node:child_process";

/** True when /usr/bin/python3 imports scipy (after installing it if it can); else a note. */
export function findScipy() {
  const probe = () => spawnSync("/usr/bin/python3", ["-c", "import scipy"]).status === 0;
  if (probe()) return true;
  if (process.getuid?.() === 0 && spawnSync("apt-get", ["--version"]).status === 0) {
    console.error("note: installing python3-scipy with apt-get for the SciPy baseline …");
    spawnSync("apt-get", ["install", "-y", "-qq", "python3-scipy"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (probe()) return true;
  }
  console.error("note: SciPy is not available (Debian's python3-scipy); its baseline is skipped");
  return false;
}
