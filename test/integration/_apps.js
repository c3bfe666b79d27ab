// Helpers for the integration tests that run the examples and bundlers as a user would:
// the package as `npm pack` makes it, unpacked into a temporary app's node_modules (what
// `npm install solvewasm-0.1.0.tgz` puts there: solvewasm has no dependencies), servers
// started on free ports of 127.0.0.1 and stopped, and a plain-JS check of a solve's answer.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const root = new URL("../..", import.meta.url).pathname;
export const bin = (name) => join(root, "node_modules/.bin", name);
export const matrixPath = (name) => join(root, "test/fixtures/matrices", name);

let tarball;
const made = [];
const servers = new Set();
process.on("exit", () => {
  for (const pid of servers) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = "solvewasm-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The package as published: `npm pack` of the built tree, made once per run. */
export function packed() {
  if (tarball) return tarball;
  const dir = tempDir("solvewasm-pack-");
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  tarball = join(dir, r.stdout.trim().split("\n").pop());
  return tarball;
}

/**
 * A temporary app: a copy of `from` (an examples/ folder, or nothing) plus `files`
 * ({ name: text }), with the packed solvewasm in node_modules/solvewasm.
 */
export function makeApp({ from, files = {} } = {}) {
  const dir = tempDir("solvewasm-app-");
  if (from) cpSync(join(root, from), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const target = join(dir, "node_modules/solvewasm");
  mkdirSync(target, { recursive: true });
  const r = spawnSync("tar", ["xzf", packed(), "-C", target, "--strip-components=1"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return dir;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server process and waits until its output matches `ready` (a RegExp; its
 * first group, if any, is returned as `match`). `stop()` ends its process group.
 */
export function startServer(cmd, args, { cwd, env, ready, timeout = 30_000 }) {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  servers.add(child.pid);
  child.on("close", () => servers.delete(child.pid));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("close", resolve);
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        resolve();
      }
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${cmd} ${args.join(" ")} was not ready after ${timeout} ms:\n${output}`));
    }, timeout);
    const look = (d) => {
      output += d;
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ match: m[1], stop, output: () => output, startMs: performance.now() - t0 });
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(" ")} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Runs a command to its end; throws with its output unless it exits 0. */
export function run(cmd, args, { cwd, env } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/** The lines of a README's ```sh blocks (comments after `#` removed). */
export function shellLines(readmePath) {
  const text = readFileSync(readmePath, "utf8");
  const lines = [];
  for (const m of text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
    for (const line of m[1].split("\n")) if (line.trim()) lines.push(line.replace(/\s+#.*$/, "").trim());
  }
  return lines;
}

/** The one line of a README's shell blocks that starts with `prefix`, split into words. */
export function documentedCommand(readmePath, prefix) {
  const found = shellLines(readmePath).filter((l) => l.startsWith(prefix));
  if (found.length !== 1) throw new Error(`${readmePath}: expected one command starting with "${prefix}", found ${found.length}`);
  return found[0].split(/\s+/);
}

/** A Matrix Market coordinate file as plain arrays (symmetric halves expanded): the check's own reader. */
export function readMtx(text) {
  const lines = text.split(/\r?\n/);
  const banner = lines[0].toLowerCase().split(/\s+/);
  const symmetry = banner[4];
  let i = 1;
  while (lines[i].startsWith("%") || !lines[i].trim()) i++;
  const [rows, cols, nnz] = lines[i++].trim().split(/\s+/).map(Number);
  const entries = [];
  let stored = 0;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t || t.startsWith("%")) continue;
    const [r, c, v = "1"] = t.split(/\s+/);
    const value = Number(v.replace(/[dD]/, "e"));
    stored++;
    entries.push([Number(r) - 1, Number(c) - 1, value]);
    if (symmetry !== "general" && r !== c) entries.push([Number(c) - 1, Number(r) - 1, symmetry === "skew-symmetric" ? -value : value]);
  }
  if (stored !== nnz) throw new Error(`readMtx: ${stored} entries, the size line says ${nnz}`);
  return { rows, cols, entries };
}

/** ‖b − A·x‖ / ‖b‖ in plain JavaScript. */
export function relativeResidual({ rows, entries }, x, b) {
  const r = Float64Array.from(b);
  for (const [i, j, v] of entries) r[i] -= v * x[j];
  const norm = (v) => Math.sqrt(v.reduce((s, e) => s + e * e, 0));
  return norm(r) / norm(b.length ? b : new Float64Array(rows));
}
