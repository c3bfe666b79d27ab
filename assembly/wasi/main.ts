// solvewasm-wasi: a WASI preview1 command that reads a Matrix Market matrix, solves
// A·x = b with the library's CG kernels and writes x, with the command line of the Node
// CLI's `solvewasm solve` (assembly/wasi/README.md has the flags and the exit codes).
// Exit 0: converged; 1: not converged; 2: bad input, with one line on stderr.
import { proc_exit } from "bindings/wasi_snapshot_preview1";
import { parseDecimal } from "./decimal";
import { allocF64, closeFile, errorLine, fail, initMemory, jsNumber, openFile, readAll, Writer } from "./io";
import { parseMatrixMarket } from "./matrixmarket";
import { csrFromTriplets, jacobi, solveCg, toExponential3 } from "./solve";

// @ts-ignore: decorator
@lazy const USAGE =
  "usage: solvewasm-wasi solve A.mtx [--rhs b.mtx] [--x0 x0.mtx] [--method cg|pcg] [--precond none|jacobi] " +
  "[--rtol R] [--atol A] [--maxiter N] [--out x.mtx] [--json]  (a path '-' reads stdin)";

class Options {
  matrix: string | null = null;
  rhs: string | null = null;
  x0: string | null = null;
  method: string = "pcg";
  precond: string | null = null;
  rtol: f64 = 1e-8;
  atol: f64 = 0;
  maxiter: i32 = -1; // 10·n
  out: string | null = null;
  json: bool = false;
}

/** A number argument: the same grammar as a Matrix Market value, or NaN. */
function number(text: string): f64 {
  const bytes = String.UTF8.encode(text);
  return parseDecimal(changetype<usize>(bytes), bytes.byteLength);
}

function parseArgs(argv: string[]): Options {
  const o = new Options();
  if (argv.length < 2) fail(`no command: ${USAGE}`);
  const command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    const w = new Writer(1);
    w.str(USAGE + "\n");
    w.flush();
    proc_exit(0);
  }
  if (command != "solve") fail(`unknown command '${command}' (the one command is solve): ${USAGE}`);
  const valued = ["--rhs", "--x0", "--method", "--precond", "--rtol", "--atol", "--maxiter", "--out"];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg == "-" || !arg.startsWith("-")) {
      if (o.matrix != null) fail(`unexpected argument '${arg}': the matrix is already '${o.matrix!}'`);
      o.matrix = arg;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      const w = new Writer(1);
      w.str(USAGE + "\n");
      w.flush();
      proc_exit(0);
    }
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    // --name value or --name=value
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.substring(0, eq) : arg;
    if (!valued.includes(flag)) fail(`unknown option '${flag}' (options: ${valued.join(", ")}, --json)`);
    let value: string;
    if (eq > 0) {
      value = arg.substring(eq + 1);
    } else {
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      value = argv[++i];
    }
    if (flag == "--rhs") o.rhs = value;
    else if (flag == "--x0") o.x0 = value;
    else if (flag == "--out") o.out = value;
    else if (flag == "--method") {
      if (value != "cg" && value != "pcg") fail(`--method must be cg or pcg, got '${value}'`);
      o.method = value;
    } else if (flag == "--precond") {
      if (value != "none" && value != "jacobi") fail(`--precond must be none or jacobi, got '${value}'`);
      o.precond = value;
    } else if (flag == "--rtol") {
      const v = number(value);
      if (!(v >= 0) || !isFinite(v)) fail(`--rtol must be a finite number ≥ 0, got '${value}'`);
      o.rtol = v;
    } else if (flag == "--atol") {
      const v = value == "Infinity" || value == "inf" ? Infinity : number(value);
      if (!(v >= 0)) fail(`--atol must be a number ≥ 0 (Infinity allowed), got '${value}'`);
      o.atol = v;
    } else {
      const v = number(value);
      if (!(v >= 0 && v <= 2147483647 && v == Math.floor(v))) fail(`--maxiter must be an integer ≥ 0, got '${value}'`);
      o.maxiter = <i32>v;
    }
  }
  if (o.matrix == null) fail(`no matrix file: ${USAGE}`);
  // cg is CG without a preconditioner unless one is asked for; pcg defaults to Jacobi.
  if (o.precond == null) o.precond = o.method == "cg" ? "none" : "jacobi";
  return o;
}

let stdinTaken: string | null = null;

/** The bytes of `path` ('-': stdin), at the returned pointer; their count in `length[0]`. */
function readInput(path: string, flag: string, length: usize[]): usize {
  if (path == "-") {
    if (stdinTaken != null) fail(`${flag} and ${stdinTaken!} cannot both read stdin ('-')`);
    stdinTaken = flag;
    return readAll(0, "<stdin>", length);
  }
  const fd = openFile(path, false);
  const p = readAll(fd, path, length);
  closeFile(fd);
  return p;
}

function displayName(path: string): string {
  return path == "-" ? "<stdin>" : path;
}

/** An n-vector from a Matrix Market file: array n × 1, or coordinate n × 1 (duplicates
 * summed in file order, absent entries zero). */
function readVector(path: string, flag: string, n: i32, into: usize): void {
  const length: usize[] = [];
  const buf = readInput(path, flag, length);
  const name = displayName(path);
  const t = parseMatrixMarket(name, buf, length[0], false);
  if (t.cols != 1 || t.rows != n) fail(`${name}: ${flag} must be a ${n} × 1 vector (A is ${n} × ${n}), got ${t.rows} × ${t.cols}`);
  for (let k = 0; k < t.count; k++) {
    const at = into + (<usize>load<i32>(t.row + (<usize>k << 2)) << 3);
    store<f64>(at, load<f64>(at) + load<f64>(t.data + (<usize>k << 3)));
  }
}

/** A number for JSON: JSON has no NaN or Infinity. */
function jsonNumber(v: f64): string {
  return isFinite(v) ? jsNumber(v) : "null";
}

function main(): void {
  initMemory();
  const o = parseArgs(process.argv);
  const matrixPath = o.matrix!;
  const length: usize[] = [];
  const buf = readInput(matrixPath, "the matrix", length);
  const name = displayName(matrixPath);
  const t = parseMatrixMarket(name, buf, length[0], true);
  if (t.rows != t.cols) fail(`${name}: solve needs a square matrix, got ${t.rows} × ${t.cols}`);
  const A = csrFromTriplets(t, name);
  const n = A.rows;

  // Fresh pages are zero: x starts at 0 and b's coordinate entries add up from 0.
  const b = allocF64(n, "b");
  const rhs = o.rhs;
  if (rhs != null) readVector(rhs, "--rhs", n, b);
  else for (let i = 0; i < n; i++) store<f64>(b + (<usize>i << 3), 1.0);
  const x = allocF64(n, "x");
  const x0 = o.x0;
  if (x0 != null) readVector(x0, "--x0", n, x);
  const maxiter = o.maxiter >= 0 ? o.maxiter : <i32>min<i64>(10 * <i64>n, 2147483647);
  const precond = o.precond!;
  const pc = precond == "jacobi" ? jacobi(A) : 0;

  // Opened before the solve, after every input is read: each exit 2 comes before any
  // output, and a bad input leaves an existing --out file as it was.
  const out = o.out;
  const writeX = !o.json || out != null;
  const fd: u32 = writeX && out != null && out != "-" ? openFile(out, true) : 1;

  const r = solveCg(A, b, x, x0 != null, pc, o.rtol, o.atol, maxiter);

  const relative = r.bnorm > 0 ? r.residualNorm / r.bnorm : r.residualNorm;
  if (r.converged) {
    errorLine(`converged in ${r.iterations} iterations, relative residual ${toExponential3(relative)}`);
  } else {
    errorLine(`not converged (${r.reason}) after ${r.iterations} iterations, relative residual ${toExponential3(relative)}: ${r.message}`);
  }
  if (writeX && r.finite) {
    const w = new Writer(fd);
    w.str(`%%MatrixMarket matrix array real general\n${n} 1\n`);
    for (let i = 0; i < n; i++) {
      w.f64(load<f64>(x + (<usize>i << 3)));
      w.str("\n");
    }
    w.flush();
  }
  if (fd != 1) closeFile(fd);
  if (o.json) {
    const w = new Writer(1);
    w.str(
      `{"converged":${r.converged},"iterations":${r.iterations},"residual":${jsonNumber(r.residualNorm)},` +
        `"relativeResidual":${jsonNumber(relative)},"reason":"${r.reason}","n":${n},"nnz":${A.nnz},` +
        `"method":"${o.method}","precond":"${precond}"}\n`,
    );
    w.flush();
  }
  proc_exit(r.converged ? 0 : 1);
}

main();
