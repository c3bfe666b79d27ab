// The WASI command dist/solvewasm-wasi.wasm (assembly/wasi/), run as a user runs it: a
// separate process under Node's node:wasi, under Deno's node:wasi, and under wasmtime when
// one is on PATH (Debian 12 has no package). Its x is checked against a residual computed
// here in plain JavaScript from the file and against the library's own cg on the same
// matrix (bit for bit: the same kernels on the same matrix); its bad-input exits against
// the library's parser messages.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, cg, precond } from "../../dist/entry.node.js";
import { randomVector } from "../_random.js";

const root = new URL("../../", import.meta.url).pathname;
const hostScript = join(root, "test/integration/_wasi-host.js");
const wasm = join(root, "dist/solvewasm-wasi.wasm");
const fixtures = join(root, "test/fixtures/matrices");
const deno = join(root, "node_modules/.bin/deno");
// SPD fixtures (test/fixtures/matrices/README.md); 1138_bus needs ~1000 iterations.
const SPD = ["nos4.mtx", "bcsstk01.mtx", "bcsstk03.mtx", "494_bus.mtx", "1138_bus.mtx", "gr_30_30.mtx", "ani4.mtx"];

const dir = mkdtempSync(join(tmpdir(), "solvewasm-wasi-"));
for (const name of SPD) copyFileSync(join(fixtures, name), join(dir, name));
const file = (name, text) => writeFileSync(join(dir, name), text);
const read = (name) => readFileSync(join(dir, name), "utf8");

/** How each host runs the command with `dir` preopened as `guest`. */
const hosts = [
  { name: "node:wasi in Node", cmd: (guest, args) => [process.execPath, [hostScript, guest, dir, ...args]] },
  {
    name: "node:wasi in Deno",
    cmd: (guest, args) => [deno, ["run", "--allow-read", "--allow-write", hostScript, guest, dir, ...args]],
  },
];
if (spawnSync("wasmtime", ["--version"]).status === 0) {
  hosts.push({ name: "wasmtime", cmd: (guest, args) => ["wasmtime", ["run", "--dir", `${dir}::${guest}`, wasm, ...args]] });
} else {
  console.log("wasi.test.js: no wasmtime on PATH, its cases are skipped");
}

/** Runs `solvewasm-wasi ARGS` under `host`; { status, stdout, stderr }. */
function run(host, args, { input, guest = "/work" } = {}) {
  const [cmd, argv] = host.cmd(guest, args);
  const r = spawnSync(cmd, argv, { input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `run` with stdin a pipe that stays empty for 0.2 s before `name` comes through it:
 * Node's node:wasi reads stdin without blocking (AGAIN): the command must wait, not fail. */
function runPiped(host, args, name) {
  const [cmd, argv] = host.cmd("/work", args);
  const r = spawnSync("sh", ["-c", '(sleep 0.2; cat "$0") | "$@"', join(dir, name), cmd, ...argv], { encoding: "utf8" });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `run` with stdout a pipe read only after 0.3 s, so that it fills up first. */
function runSlowReader(host, args) {
  const [cmd, argv] = host.cmd("/work", args);
  const r = spawnSync("bash", ["-c", 'set -o pipefail; "$@" | (sleep 0.3; cat)', "bash", cmd, ...argv], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---- plain JavaScript references, independent of the library and of the command ----

/** A Matrix Market coordinate file as { n, matvec } (symmetric halves expanded). */
function readCoo(text) {
  const lines = text.split("\n").filter((l) => l.trim() && !l.startsWith("%"));
  const symmetric = /symmetric/i.test(text.split("\n")[0]);
  const pattern = /pattern/i.test(text.split("\n")[0]);
  const [rows, , count] = lines[0].trim().split(/\s+/).map(Number);
  const entries = [];
  for (let k = 1; k <= count; k++) {
    const [i, j, v] = lines[k].trim().split(/\s+/);
    const a = pattern ? 1 : Number(v.replace(/[dD]/, "e"));
    entries.push([+i - 1, +j - 1, a]);
    if (symmetric && i !== j) entries.push([+j - 1, +i - 1, a]);
  }
  return {
    n: rows,
    matvec(x) {
      const y = new Float64Array(rows);
      for (const [i, j, a] of entries) y[i] += a * x[j];
      return y;
    },
  };
}

const norm = (v) => Math.sqrt(v.reduce((s, c) => s + c * c, 0));

/** The x the command wrote: the array header, `n 1`, n values. */
function parseX(text, n) {
  const lines = text.trimEnd().split("\n");
  assert.is(lines[0], "%%MatrixMarket matrix array real general");
  assert.is(lines[1], `${n} 1`);
  assert.is(lines.length, n + 2, "one value per line");
  return Float64Array.from(lines.slice(2), Number);
}

/** A vector as Matrix Market array text, each value in JavaScript's shortest round-trip form. */
function arrayText(v) {
  return `%%MatrixMarket matrix array real general\n${v.length} 1\n${Array.from(v, String).join("\n")}\n`;
}

function sameBits(actual, expected, what) {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.unreachable(`${what}[${i}] = ${actual[i]}, the library's is ${expected[i]}`);
  }
}

/** The library's solve of the same system: cg with Jacobi (or no M), rtol 1e-8. */
function library(text, { b, x0, jacobi = true, rtol = 1e-8, maxiter } = {}) {
  const A = CsrMatrix.fromMatrixMarket(text);
  try {
    const rhs = b ?? new Float64Array(A.rows).fill(1);
    const M = jacobi ? precond.jacobi(A) : undefined;
    return { ...cg(A, rhs, { M, rtol, x0, maxiter }), nnz: A.nnz };
  } finally {
    A.dispose();
  }
}

/** The library parser's message for `text` (PARSE_ERROR), to compare the command's with. */
function libraryParseError(text) {
  try {
    CsrMatrix.fromMatrixMarket(text).dispose();
  } catch (e) {
    assert.is(e.code, "PARSE_ERROR");
    return e.message;
  }
  assert.unreachable("the library reads this file");
}

// Malformed or unsupported files: what the command must refuse (exit 2) with the line.
const BAD_FILES = [
  ["bad-index.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1\n0 2 3\n", "Matrix Market line 4: row index 0 is outside 1..3"],
  ["bad-banner.mtx", "%%MatrixMarket tensor coordinate real general\n1 1 1\n1 1 1\n", "Matrix Market line 1: expected the banner"],
  ["truncated.mtx", "%%MatrixMarket matrix coordinate real general\n% c\n3 3 3\n1 1 1\n", "the file declares 3 entries but ends after 1"],
  ["bad-value.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1x\n2 2 1\n", "line 3: the value must be a finite decimal number, found '1x'"],
  ["overflow.mtx", "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1e999\n", "line 3: the value must be a finite decimal number, found '1e999'"],
  ["extra.mtx", "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 2 5\n", "line 3: expected 'row column value', found extra text '5'"],
  ["complex.mtx", "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", "Matrix Market line 1: complex matrices are not supported"],
  ["hermitian.mtx", "%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n", "Matrix Market line 1: complex matrices are not supported"],
  ["integer.mtx", "%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 1.5\n", "line 3: the field is integer but the value is 1.5"],
  ["huge.mtx", "%%MatrixMarket matrix coordinate real general\n100000 100000 1000000000\n1 1 1\n", "line 2: the size line declares 1000000000 entries"],
];

for (const host of hosts) {
  const t = suite(`solvewasm-wasi under ${host.name}`);

  t("solves every SPD fixture: ‖b − A·x‖ ≤ 1e-8·‖b‖ checked in JS, x bit for bit the library's cg with precond.jacobi", () => {
    for (const name of SPD) {
      const text = read(name);
      const r = run(host, ["solve", `/work/${name}`]);
      assert.is(r.status, 0, `${name}: ${r.stderr}`);
      const ref = library(text);
      assert.is(r.stderr, `converged in ${ref.iterations} iterations, relative residual ${(ref.residualNorm / Math.sqrt(ref.x.length)).toExponential(3)}\n`);
      const A = readCoo(text);
      const x = parseX(r.stdout, A.n);
      const b = new Float64Array(A.n).fill(1);
      const res = A.matvec(x).map((v, i) => b[i] - v);
      assert.ok(norm(res) <= 1.0000001e-8 * norm(b), `${name}: ‖b − A·x‖ = ${norm(res)} > 1e-8·‖b‖`);
      sameBits(x, ref.x, name);
    }
  });

  t("reads the matrix from stdin ('-'); --json prints one object and no x", () => {
    const text = read("bcsstk03.mtx");
    const r = run(host, ["solve", "-", "--json"], { input: text });
    assert.is(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.is(lines.length, 1, "one line");
    const j = JSON.parse(lines[0]);
    const ref = library(text);
    // ‖b‖ of the ones vector is the command's dnrm2, within an ulp or two of √112.
    assert.ok(Math.abs(j.relativeResidual / (ref.residualNorm / Math.sqrt(112)) - 1) < 1e-15, `relativeResidual ${j.relativeResidual}`);
    assert.equal(j, {
      converged: true,
      iterations: ref.iterations,
      residual: ref.residualNorm,
      relativeResidual: j.relativeResidual,
      reason: "converged",
      n: 112,
      nnz: ref.nnz,
      method: "pcg",
      precond: "jacobi",
    });
  });

  t("waits for stdin from a slow pipe; the same x as from the file", () => {
    const r = runPiped(host, ["solve", "-"], "gr_30_30.mtx");
    assert.is(r.status, 0, r.stderr);
    sameBits(parseX(r.stdout, 900), library(read("gr_30_30.mtx")).x, "x");
  });

  t("writes an x larger than a pipe's buffer to a slow reader", () => {
    const n = 20000;
    const diag = Array.from({ length: n }, (_, i) => `${i + 1} ${i + 1} ${i + 1}`).join("\n");
    const text = `%%MatrixMarket matrix coordinate real general\n${n} ${n} ${n}\n${diag}\n`;
    file("diag.mtx", text);
    const r = runSlowReader(host, ["solve", "/work/diag.mtx"]);
    assert.is(r.status, 0, r.stderr);
    sameBits(parseX(r.stdout, n), library(text).x, "x");
  });

  t("relative paths through a preopen named '.'; --json with --out writes x to the file only", () => {
    const r = run(host, ["solve", "nos4.mtx", "--json", "--out", "x-json.mtx"], { guest: "." });
    assert.is(r.status, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).converged, true);
    sameBits(parseX(read("x-json.mtx"), 100), library(read("nos4.mtx")).x, "x");
  });

  t("--rhs (array) and --x0 (coordinate, duplicates summed): x bit for bit the library's with the same b and x0", () => {
    const text = read("494_bus.mtx");
    const n = 494;
    const b = randomVector(n, 7).map((v) => v * 1e3);
    const x0 = new Float64Array(n);
    const lines = [];
    for (let i = 0; i < n; i += 3) {
      // Each entry in two parts, summed in file order as fromCoo sums duplicates.
      x0[i] = 0.25 + 0.5;
      lines.push(`${i + 1} 1 0.25`, `${i + 1} 1 0.5`);
    }
    file("b.mtx", arrayText(b));
    file("x0.mtx", `%%MatrixMarket matrix coordinate real general\n% x0\n${n} 1 ${lines.length}\n${lines.join("\n")}\n`);
    const r = run(host, ["solve", "/work/494_bus.mtx", "--rhs", "/work/b.mtx", "--x0=/work/x0.mtx", "--out", "/work/x-rhs.mtx", "--rtol", "1e-10"]);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, "");
    const ref = library(text, { b, x0, rtol: 1e-10 });
    assert.match(r.stderr, `converged in ${ref.iterations} iterations`);
    sameBits(parseX(read("x-rhs.mtx"), n), ref.x, "x");
  });

  t("--method cg --precond none is the library's cg without M; --maxiter 0 from a solution keeps it (x round-trips)", () => {
    const text = read("nos4.mtx");
    const r = run(host, ["solve", "/work/nos4.mtx", "--method", "cg", "--json", "--out", "/work/x-cg.mtx"]);
    assert.is(r.status, 0, r.stderr);
    const ref = library(text, { jacobi: false });
    const j = JSON.parse(r.stdout);
    assert.equal([j.method, j.precond, j.iterations], ["cg", "none", ref.iterations]);
    sameBits(parseX(read("x-cg.mtx"), 100), ref.x, "x");
    // Printed x read back as x0, no iteration: the same text again, so the printing is exact.
    const again = run(host, ["solve", "/work/nos4.mtx", "--method", "cg", "--x0", "/work/x-cg.mtx", "--maxiter", "0"]);
    assert.is(again.status, 0, again.stderr);
    assert.match(again.stderr, "converged in 0 iterations");
    assert.is(again.stdout, read("x-cg.mtx"));
  });

  t("values read and print exactly: A = I gives x = b to the bit, b from long decimals, D exponents, subnormals", () => {
    const n = 300;
    const texts = [];
    const bits = randomVector(2 * n, 11);
    for (let i = 0; i < n; i++) {
      // Magnitudes 1e-100 … 1e100: ‖b‖ stays below 2^400, so b is not rescaled (which
      // would flush the subnormals below).
      const v = bits[i] * 10 ** Math.round(bits[n + i] * 100);
      texts.push(i % 3 === 0 ? v.toPrecision(21) : i % 3 === 1 ? String(v) : v.toExponential(16).replace("e", "D"));
    }
    // Hard cases: halfway between doubles, 2^53 + 1, the smallest subnormal and normal.
    texts.splice(
      0,
      6,
      "9007199254740993",
      "2.2250738585072011e-308",
      "4.9406564584124654e-324",
      "0.1000000000000000055511151231257827",
      "1e23",
      "7.038531e-26",
    );
    const b = Float64Array.from(texts, (s) => Number(s.replace("D", "e")));
    const identity = Array.from({ length: n }, (_, i) => `${i + 1} ${i + 1} 1`).join("\n");
    file("identity.mtx", `%%MatrixMarket matrix coordinate real general\n${n} ${n} ${n}\n${identity}\n`);
    file("b-exact.mtx", `%%MatrixMarket matrix array real general\n${n} 1\n${texts.join("\n")}\n`);
    const r = run(host, ["solve", "/work/identity.mtx", "--rhs", "/work/b-exact.mtx"]);
    assert.is(r.status, 0, r.stderr);
    sameBits(parseX(r.stdout, n), b, "x");
    // The largest double: ‖b‖ > 2^400, so the system is scaled by a power of two and back.
    file("one.mtx", "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1\n");
    file("b-max.mtx", "%%MatrixMarket matrix array real general\n1 1\n1.7976931348623157e308\n");
    const big = run(host, ["solve", "/work/one.mtx", "--rhs", "/work/b-max.mtx"]);
    assert.is(big.status, 0, big.stderr);
    sameBits(parseX(big.stdout, 1), [Number.MAX_VALUE], "x");
  });

  t("symmetric, pattern and integer files with duplicates read as fromMatrixMarket reads them", () => {
    const n = 40;
    const u = randomVector(n * n, 3);
    const lower = [];
    for (let i = 0; i < n; i++) {
      lower.push([i, i, 40 + Math.round(10 * u[i])]);
      for (let j = 0; j < i; j++) if (u[i * n + j] > 0.8) lower.push([i, j, Math.round(5 * u[j * n + i])]);
    }
    // Every off-diagonal entry stored twice (summed), as integers.
    const lines = lower.flatMap(([i, j, v]) => (i === j ? [`${i + 1} ${j + 1} ${v}`] : [`${i + 1} ${j + 1} ${v}`, `${i + 1} ${j + 1} 1`]));
    const text = `%%MatrixMarket matrix coordinate integer symmetric\n${n} ${n} ${lines.length}\n${lines.join("\n")}\n`;
    file("sym.mtx", text);
    const pattern = `%%MatrixMarket matrix coordinate pattern general\n${n} ${n} ${n + 1}\n${Array.from({ length: n }, (_, i) => `${i + 1} ${i + 1}`).join("\n")}\n1 1\n`;
    file("pattern.mtx", pattern);
    for (const [name, source] of [
      ["sym.mtx", text],
      ["pattern.mtx", pattern],
    ]) {
      const r = run(host, ["solve", `/work/${name}`, "--json", "--out", "/work/x-sym.mtx"]);
      assert.is(r.status, 0, r.stderr);
      const ref = library(source);
      assert.is(JSON.parse(r.stdout).nnz, ref.nnz, `${name}: nnz`);
      sameBits(parseX(read("x-sym.mtx"), n), ref.x, name);
    }
  });

  t("exit 1 when not converged: --maxiter 2, the iterate still written, reason maxiter", () => {
    const r = run(host, ["solve", "/work/bcsstk03.mtx", "--maxiter", "2"]);
    assert.is(r.status, 1);
    assert.match(r.stderr, /^not converged \(maxiter\) after 2 iterations, relative residual \d\.\d{3}e[+-]\d+: stopped after 2 iterations/);
    sameBits(parseX(r.stdout, 112), library(read("bcsstk03.mtx"), { maxiter: 2 }).x, "x");
    const j = run(host, ["solve", "/work/bcsstk03.mtx", "--maxiter", "2", "--json"]);
    assert.is(j.status, 1);
    const o = JSON.parse(j.stdout);
    assert.equal([o.converged, o.reason, o.iterations], [false, "maxiter", 2]);
  });

  t("exit 2 on malformed or unsupported files, with the library parser's message and line", () => {
    for (const [name, text, fragment] of BAD_FILES) {
      file(name, text);
      const r = run(host, ["solve", `/work/${name}`]);
      assert.is(r.status, 2, `${name}: status`);
      assert.is(r.stdout, "");
      assert.is(r.stderr, `solvewasm-wasi: /work/${name}: ${libraryParseError(text)}\n`, name);
      assert.match(r.stderr, fragment);
    }
  });

  t("exit 2, one line on stderr, for each bad input", () => {
    file("rect.mtx", "%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 1\n");
    file("dense.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n0\n0\n1\n");
    file("zero-diag.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 1 1\n");
    file("short-b.mtx", "%%MatrixMarket matrix array real general\n3 1\n1\n2\n3\n");
    const cases = [
      [["solve", "/work/missing.mtx"], "solvewasm-wasi: /work/missing.mtx: cannot open for reading: no such file or directory"],
      [["solve", "/outside/nos4.mtx"], "solvewasm-wasi: /outside/nos4.mtx: no preopened directory holds this path"],
      [["solve", "/work/rect.mtx"], "solvewasm-wasi: /work/rect.mtx: solve needs a square matrix, got 2 × 3"],
      [["solve", "/work/dense.mtx"], "solvewasm-wasi: /work/dense.mtx: Matrix Market line 1: the matrix must be in the coordinate format"],
      [["solve", "/work/zero-diag.mtx"], "solvewasm-wasi: --precond jacobi needs a positive diagonal, but A(2, 2) = 0"],
      [
        ["solve", "/work/nos4.mtx", "--rhs", "/work/short-b.mtx"],
        "solvewasm-wasi: /work/short-b.mtx: --rhs must be a 100 × 1 vector (A is 100 × 100), got 3 × 1",
      ],
      [
        ["solve", "/work/nos4.mtx", "--out", "/work/no-such-dir/x.mtx"],
        "solvewasm-wasi: /work/no-such-dir/x.mtx: cannot open for writing: no such file or directory",
      ],
      [["solve", "/work/nos4.mtx", "--out", "/elsewhere/x.mtx"], "solvewasm-wasi: /elsewhere/x.mtx: no preopened directory holds this path"],
      [["solve", "/work/nos4.mtx", "--tol", "1"], "solvewasm-wasi: unknown option '--tol'"],
      [["solve", "/work/nos4.mtx", "-v"], "solvewasm-wasi: unknown option '-v'"],
      [["solve", "/work/nos4.mtx", "--rtol", "abc"], "solvewasm-wasi: --rtol must be a finite number ≥ 0, got 'abc'"],
      [["solve", "/work/nos4.mtx", "--rtol", "-1"], "solvewasm-wasi: --rtol must be a finite number ≥ 0, got '-1'"],
      [["solve", "/work/nos4.mtx", "--atol", "1e"], "solvewasm-wasi: --atol must be a number ≥ 0 (Infinity allowed), got '1e'"],
      [["solve", "/work/nos4.mtx", "--maxiter", "1.5"], "solvewasm-wasi: --maxiter must be an integer ≥ 0, got '1.5'"],
      [["solve", "/work/nos4.mtx", "--maxiter"], "solvewasm-wasi: --maxiter needs a value"],
      [["solve", "/work/nos4.mtx", "--method", "gmres"], "solvewasm-wasi: --method must be cg or pcg, got 'gmres'"],
      [["solve", "/work/nos4.mtx", "--precond", "ilu"], "solvewasm-wasi: --precond must be none or jacobi, got 'ilu'"],
      [["solve", "/work/nos4.mtx", "/work/bcsstk01.mtx"], "solvewasm-wasi: unexpected argument '/work/bcsstk01.mtx'"],
      [["solve", "-", "--rhs", "-"], "solvewasm-wasi: --rhs and the matrix cannot both read stdin ('-')"],
      [["solve"], "solvewasm-wasi: no matrix file: usage: solvewasm-wasi solve A.mtx"],
      [["factor", "/work/nos4.mtx"], "solvewasm-wasi: unknown command 'factor'"],
      [[], "solvewasm-wasi: no command: usage:"],
    ];
    for (const [args, start] of cases) {
      const r = run(host, args, { input: args.includes("-") ? read("nos4.mtx") : "" });
      const what = args.join(" ");
      assert.is(r.status, 2, `${what}: status ${r.status}, stderr ${r.stderr}`);
      assert.is(r.stdout, "", what);
      assert.ok(r.stderr.startsWith(start), `${what}: ${r.stderr}`);
      assert.is(r.stderr.split("\n").length, 2, `${what}: one line`);
    }
    // Every input is read before --out is opened: a bad one leaves the file as it was.
    file("kept.mtx", "kept");
    assert.is(run(host, ["solve", "/work/nos4.mtx", "--rhs", "/work/short-b.mtx", "--out", "/work/kept.mtx"]).status, 2);
    assert.is(read("kept.mtx"), "kept");
  });

  t.run();
}

process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
