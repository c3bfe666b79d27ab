// The `solvewasm` command (bin/solvewasm.js, cli/): exit codes, output formats, progress,
// and its answers checked in plain JavaScript against the Matrix Market files themselves.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../cli/main.js";

const root = new URL("../..", import.meta.url).pathname;
const fixture = (name) => join(root, "test/fixtures/matrices", name);
const dir = mkdtempSync(join(tmpdir(), "solvewasm-cli-"));

function cli(args, input) {
  const r = spawnSync(process.execPath, [join(root, "bin/solvewasm.js"), ...args], { cwd: dir, input, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A Matrix Market coordinate file as dense-free CSR-like triplets, expanded when symmetric (plain JS). */
function readTriplets(text) {
  const lines = text.split("\n").filter((l) => l.trim() && !l.startsWith("%"));
  const [rows, cols] = lines[0].trim().split(/\s+/).map(Number);
  const symmetric = /symmetric/.test(text.split("\n")[0]);
  const entries = [];
  for (const l of lines.slice(1)) {
    const [i, j, v] = l.trim().split(/\s+/).map(Number);
    entries.push([i - 1, j - 1, v]);
    if (symmetric && i !== j) entries.push([j - 1, i - 1, v]);
  }
  return { rows, cols, entries };
}

function readArray(text) {
  const lines = text.split("\n").filter((l) => l.trim() && !l.startsWith("%"));
  return Float64Array.from(lines.slice(1), Number);
}

function relativeResidual({ entries }, x, b) {
  const r = Float64Array.from(b);
  for (const [i, j, v] of entries) r[i] -= v * x[j];
  return Math.hypot(...r) / Math.hypot(...b);
}

function file(name, text) {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const bcsstk03 = readTriplets(readFileSync(fixture("bcsstk03.mtx"), "utf8"));
const NONSYM = file("nonsym.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 5\n1 1 1\n1 2 3\n2 1 -2\n2 2 1\n3 3 1\n");

test("solve: converged is exit 0; x on stdout reads back and meets rtol in plain JS", () => {
  const r = cli(["solve", fixture("bcsstk03.mtx"), "--rtol", "1e-10"]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /^converged in \d+ iterations \(cg, precond amg\)/);
  const x = readArray(r.out);
  assert.is(x.length, 112);
  assert.ok(relativeResidual(bcsstk03, x, new Float64Array(112).fill(1)) <= 1e-10);
});

test("solve --json --out: the summary is JSON, x goes to the file and round-trips exactly", () => {
  const out = join(dir, "x.mtx");
  const r = cli(["solve", fixture("bcsstk03.mtx"), "--method", "cg", "--precond", "ic0", "--json", "--out", out]);
  assert.is(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal([s.converged, s.method, s.precond, s.n, s.nnz], [true, "cg", "ic0", 112, 640]);
  assert.not.ok("x" in s);
  const x = readArray(readFileSync(out, "utf8"));
  const rel = relativeResidual(bcsstk03, x, new Float64Array(112).fill(1));
  assert.ok(Math.abs(rel - s.relativeResidual) <= 1e-6 * s.relativeResidual + 1e-15, `${rel} vs ${s.relativeResidual}`);
  const again = cli(["solve", fixture("bcsstk03.mtx"), "--method", "cg", "--precond", "ic0", "--json"]);
  assert.equal(Float64Array.from(JSON.parse(again.out).x), x, "the file holds the same float64s as the JSON");
});

test("solve reads A from stdin, --rhs and --x0 from files; every method runs", () => {
  const b = Float64Array.from({ length: 112 }, (_, i) => Math.sin(i));
  const rhs = file("b.mtx", `%%MatrixMarket matrix array real general\n112 1\n${Array.from(b).join("\n")}\n`);
  const x0 = file("x0.mtx", `%%MatrixMarket matrix array real general\n112 1\n${"0\n".repeat(112)}`);
  for (const [method, precond, ...extra] of [
    ["cg", "jacobi"],
    ["cg", "ssor"],
    ["cg", "chebyshev"],
    ["fcd", "amg"],
    ["cg", "amg", "--amg", "classical"],
    ["amg", "auto"],
    ["amg", "auto", "--amg", "classical"],
    ["cg", "none"],
    ["gmres", "ilu0"],
    ["bicgstab", "ilut"],
    ["minres", "jacobi"],
  ]) {
    const r = cli(
      ["solve", "-", "--rhs", rhs, "--x0", x0, "--method", method, "--precond", precond, ...extra, "--maxiter", "100000", "--json"],
      readFileSync(fixture("bcsstk03.mtx")),
    );
    assert.is(r.code, 0, `${method}/${precond} ${extra.join(" ")}: ${r.err}`);
    const x = Float64Array.from(JSON.parse(r.out).x);
    assert.ok(relativeResidual(bcsstk03, x, b) <= 1e-8, `${method}/${precond}`);
  }
});

test("a nonsymmetric matrix: info suggests GMRES and solve --method auto uses it", () => {
  const r = cli(["solve", NONSYM, "--json"]);
  assert.is(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal([s.method, s.converged], ["gmres", true]);
  assert.ok(relativeResidual(readTriplets(readFileSync(NONSYM, "utf8")), Float64Array.from(s.x), new Float64Array(3).fill(1)) <= 1e-8);
  const b = cli(["solve", NONSYM, "--method", "bicgstab", "--precond", "none", "--json"]);
  assert.is(b.code, 0, b.err);
});

test("not converged is exit 1, with the reason on stderr and x still written", () => {
  const r = cli(["solve", fixture("bcsstk03.mtx"), "--method", "cg", "--precond", "none", "--maxiter", "3"]);
  assert.is(r.code, 1);
  assert.match(r.err, /^not converged \(maxiter\) after 3 iterations/);
  assert.is(readArray(r.out).length, 112);
});

test("bad input is exit 2 with one line on stderr and no stack trace", () => {
  const cases = [
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["solve"], /takes one file, got none/],
    [["solve", fixture("bcsstk03.mtx"), "--tol", "1"], /Unknown option '--tol'/],
    [["solve", join(dir, "missing.mtx")], /cannot read .*missing\.mtx: no such file/],
    [["solve", file("bad.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 x 3\n")], /PARSE_ERROR: Matrix Market line 3/],
    [["solve", file("rect.mtx", "%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 3\n")], /2 × 3; solve needs a square matrix/],
    [["solve", fixture("bcsstk03.mtx"), "--rtol", "abc"], /--rtol must be a number ≥ 0, got 'abc'/],
    [["solve", fixture("bcsstk03.mtx"), "--maxiter", "2.5"], /--maxiter must be an integer ≥ 1/],
    [["solve", fixture("bcsstk03.mtx"), "--method", "gmres2"], /--method must be one of/],
    [
      ["solve", fixture("bcsstk03.mtx"), "--rhs", file("short.mtx", "%%MatrixMarket matrix array real general\n3 1\n1\n2\n3\n")],
      /it must be a vector of length 112/,
    ],
    [["solve", "-", "--rhs", "-"], /only one input can come from stdin/],
    [["solve", fixture("bcsstk03.mtx"), "--method", "sor", "--precond", "ic0"], /takes no preconditioner/],
    [["xva", file("bad.json", "{ nope")], /is not JSON/],
    [["xva", file("badcfg.json", '{"paths": -1}')], /INVALID_/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, "");
    assert.is(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.err}`);
    assert.match(r.err, message, args.join(" "));
    assert.is(r.err.trim().split("\n").length, 1, `one line: ${r.err}`);
    assert.not.match(r.err, /\n\s+at /);
  }
});

test("info: symmetry, dominance, Lanczos extremes against the known spectrum, and a suggestion", () => {
  // The 1-D Laplacian tridiag(−1, 2, −1) of order 50: eigenvalues 2 − 2cos(kπ/51).
  const n = 50;
  const lines = [];
  for (let i = 1; i <= n; i++) {
    lines.push(`${i} ${i} 2`);
    if (i < n) lines.push(`${i + 1} ${i} -1`);
  }
  const lap = file("lap.mtx", `%%MatrixMarket matrix coordinate real symmetric\n${n} ${n} ${lines.length}\n${lines.join("\n")}\n`);
  const r = cli(["info", lap, "--json"]);
  assert.is(r.code, 0, r.err);
  const info = JSON.parse(r.out);
  assert.equal([info.rows, info.nnz, info.symmetric, info.nonPositiveDiagonal], [n, 3 * n - 2, true, 0]);
  assert.equal(info.diagonallyDominantRows, { weak: n, strict: 2 });
  const exact = [2 - 2 * Math.cos(Math.PI / 51), 2 - 2 * Math.cos((50 * Math.PI) / 51)];
  assert.ok(Math.abs(info.eigenvalues.min - exact[0]) <= 1e-10 && Math.abs(info.eigenvalues.max - exact[1]) <= 1e-10, JSON.stringify(info.eigenvalues));
  assert.equal([info.suggestion.method, info.suggestion.precond], ["cg", "amg"]);

  const ns = JSON.parse(cli(["info", NONSYM, "--json"]).out);
  assert.equal([ns.symmetric, ns.suggestion.method, ns.suggestion.precond], [false, "gmres", "ilut"]);
  const text = cli(["info", fixture("bcsstk03.mtx")]);
  assert.match(text.out, /112 × 112, 640 nonzeros/);
  assert.match(text.out, /suggested: --method cg --precond amg/);
});

test("xva: the pipeline on a JSON config prints each adjustment with its standard error", () => {
  const config = {
    paths: 4096,
    steps: 20,
    maturity: 1,
    r: 0.02,
    assets: { spot: [100], vol: [0.25] },
    corr: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    trades: [{ type: "forward", asset: 0, strike: 100 }],
    bank: { value: 100, drift: 0.02, vol: 0.2, barrier: 60, recovery: 0.4 },
    counterparty: { value: 100, drift: 0.02, vol: 0.25, barrier: 70, recovery: 0.4 },
  };
  const r = cli(["xva", file("xva.json", JSON.stringify(config)), "--json"]);
  assert.is(r.code, 0, r.err);
  const res = JSON.parse(r.out);
  for (const k of ["cva", "dva", "mva", "colva", "fva"]) assert.ok(Number.isFinite(res[k].value) && res[k].se >= 0, k);
  const text = cli(["xva", join(dir, "xva.json")]);
  assert.match(text.out, /CVA\s+-?\d+\.\d{4}\s+±/);
});

/** An in-process stream pair for main(): stderr may pretend to be a terminal. */
function streams(isTTY) {
  const chunks = { out: "", err: "" };
  const sink = (key) =>
    new Writable({
      write(chunk, _enc, done) {
        chunks[key] += chunk;
        done();
      },
    });
  const stderr = sink("err");
  stderr.isTTY = isTTY;
  return { io: { stdin: Readable.from([]), stdout: sink("out"), stderr }, chunks };
}

test("progress: a rewritten line on a terminal's stderr, none when stderr is not a terminal", async () => {
  const args = ["solve", fixture("bcsstk03.mtx"), "--method", "cg", "--precond", "none", "--maxiter", "100000", "--out", join(dir, "p.mtx")];
  const tty = streams(true);
  assert.is(await main(args, tty.io), 0);
  assert.match(tty.chunks.err, /\riteration \d+ {2}‖r‖ = /);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC [K is the erase-line sequence checked for
  assert.match(tty.chunks.err, /\r\x1b\[K(converged in \d+ iterations)/, "the progress line is cleared before the summary");
  const pipe = streams(false);
  assert.is(await main(args, pipe.io), 0);
  assert.not.match(pipe.chunks.err, /iteration \d+ {2}/);
  assert.match(pipe.chunks.err, /^converged in/);
});

test.run();
