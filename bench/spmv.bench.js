// Operator products: matrix-free stencils (2D 5-point, n = 256…2048; 3D 7-point,
// n = 32…128) and CSR SpMV (gallery matrices as CSR, the SuiteSparse matrices), solvewasm
// (F64Buffers through the public matvec) vs a plain JS loop vs C (bench/native/spmv.c,
// gcc -O3 -march=native; skipped with a note when gcc is missing), sampled in turn so that
// load on the shared machine hits all three alike. GB/s counts the bytes
// a product must move: 16 per grid point for stencils (read u, write y); for CSR
// 12·nnz + 4·(rows + 1) + 8·(rows + cols).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allocF64, CsrMatrix, gallery } from "solvewasm";
import { emit, randomVector, timeCandidates } from "./harness.js";

const SAMPLES = 7;
const MIN_SECONDS = 0.05;

/** The C reference twice: -march=native (AVX2 and FMA here: 4 doubles per instruction)
 * and, on x86-64, the baseline ISA (SSE2: 2 doubles, the width of wasm SIMD). */
function compileC(dir) {
  if (spawnSync("gcc", ["--version"]).status !== 0) return {};
  const src = new URL("native/spmv.c", import.meta.url).pathname;
  const native = join(dir, "spmv-native");
  execFileSync("gcc", ["-O3", "-march=native", "-o", native, src]);
  if (process.arch !== "x64") return { native };
  const sse2 = join(dir, "spmv-sse2");
  execFileSync("gcc", ["-O3", "-march=x86-64", "-mtune=native", "-o", sse2, src]);
  return { native, sse2 };
}

/** One timed sample of the C reference (it calibrates its own repetitions). */
function runC(exe, args) {
  const [seconds, checksum] = execFileSync(exe, [...args, String(MIN_SECONDS), "1"], { encoding: "utf8" })
    .trim()
    .split(/\s+/)
    .map(Number);
  return { seconds, checksum };
}

// Plain JS products, compiled afresh for each problem so that JIT feedback from one size
// does not slow another (see blas.bench.js).
const jsStencil5 = () =>
  new Function(
    "nx",
    "ny",
    "u",
    "y",
    `
    for (let j = 0; j < ny; j++) {
      const p0 = j * nx;
      for (let i = 0; i < nx; i++) {
        const p = p0 + i;
        let a = 0;
        if (j > 0) a -= u[p - nx];
        if (i > 0) a -= u[p - 1];
        a += 4 * u[p];
        if (i < nx - 1) a -= u[p + 1];
        if (j < ny - 1) a -= u[p + nx];
        y[p] = a;
      }
    }`,
  );
const jsStencil7 = () =>
  new Function(
    "nx",
    "ny",
    "nz",
    "u",
    "y",
    `
    const plane = nx * ny;
    for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) {
      const p0 = k * plane + j * nx;
      for (let i = 0; i < nx; i++) {
        const p = p0 + i;
        let a = 0;
        if (k > 0) a -= u[p - plane];
        if (j > 0) a -= u[p - nx];
        if (i > 0) a -= u[p - 1];
        a += 6 * u[p];
        if (i < nx - 1) a -= u[p + 1];
        if (j < ny - 1) a -= u[p + nx];
        if (k < nz - 1) a -= u[p + plane];
        y[p] = a;
      }
    }`,
  );
const jsCsr = () =>
  new Function(
    "rows",
    "indptr",
    "indices",
    "data",
    "x",
    "y",
    `
    for (let r = 0; r < rows; r++) {
      let a = 0;
      for (let k = indptr[r]; k < indptr[r + 1]; k++) a += data[k] * x[indices[k]];
      y[r] = a;
    }`,
  );

const sum = (v) => v.reduce((a, b) => a + b, 0);

function report(base, bytes, t, checksum, wasmSum) {
  for (const [impl, seconds] of Object.entries(t)) {
    emit({
      bench: "spmv",
      ...base,
      impl,
      seconds,
      gbps: +(bytes / seconds / 1e9).toFixed(3),
      ratio_to_c: t.c ? +(t.c / seconds).toFixed(3) : null,
      ratio_to_c_sse2: t["c-sse2"] ? +(t["c-sse2"] / seconds).toFixed(3) : null,
      speedup_vs_js: +(t.js / seconds).toFixed(2),
      samples: SAMPLES,
      ...(impl === "c" ? { checksum_rel_diff: +Math.abs((checksum - wasmSum) / (Math.abs(wasmSum) || 1)).toExponential(2) } : {}),
    });
  }
}

function benchOperator(A, base, bytes, jsRun, cArgs, exe) {
  const u = randomVector(A.cols, 1);
  const ub = allocF64(A.cols).set(u),
    yb = allocF64(A.rows);
  const yjs = new Float64Array(A.rows);
  try {
    let checksum = NaN;
    const candidates = { "wasm-simd": () => A.matvec(ub, yb), js: () => jsRun(u, yjs) };
    for (const [impl, path] of [
      ["c", exe.native],
      ["c-sse2", exe.sse2],
    ]) {
      if (!path) continue;
      candidates[impl] = {
        measure() {
          const r = runC(path, cArgs());
          checksum = r.checksum;
          return r.seconds;
        },
      };
    }
    const t = timeCandidates(candidates, { samples: SAMPLES, minSeconds: MIN_SECONDS });
    // C fills u by its own formula; compare checksums of products of the same vector.
    const uc = Float64Array.from({ length: A.cols }, (_, i) => (Number((BigInt(i) * 2654435761n) % 4294967296n) % 1000) / 1000 - 0.5);
    report(base, bytes, t, checksum, sum(A.matvec(uc)));
  } finally {
    ub.dispose();
    yb.dispose();
  }
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-spmv-"));
  try {
    const exe = compileC(dir);
    if (!exe.native) console.error("note: gcc not found; the C reference is skipped");

    for (const n of [256, 512, 1024, 2048]) {
      const A = gallery.poisson([n, n]);
      const f = jsStencil5();
      benchOperator(
        A,
        { kernel: "stencil5-2d", n, nnz: null, rows: n * n },
        16 * n * n,
        (u, y) => f(n, n, u, y),
        () => ["stencil5", String(n), String(n)],
        exe,
      );
      A.dispose();
    }
    for (const n of [32, 64, 128]) {
      const A = gallery.poisson([n, n, n]);
      const f = jsStencil7();
      benchOperator(
        A,
        { kernel: "stencil7-3d", n, nnz: null, rows: n ** 3 },
        16 * n ** 3,
        (u, y) => f(n, n, n, u, y),
        () => ["stencil7", String(n), String(n), String(n)],
        exe,
      );
      A.dispose();
    }

    const problems = [
      ...[256, 512, 1024].map((n) => [`poisson2d-${n}`, () => gallery.poisson([n, n]), n]),
      ...[32, 64].map((n) => [`poisson3d-${n}`, () => gallery.poisson([n, n, n]), n]),
    ];
    for (const [name, make, n] of problems) {
      const S = make();
      const A = S.toCsr();
      S.dispose();
      benchCsr(A, name, n, dir, exe);
      A.dispose();
    }
    const fixtures = new URL("../test/fixtures/matrices/", import.meta.url);
    for (const name of ["ani4", "gr_30_30", "1138_bus", "494_bus", "bcsstk03", "nos4", "bcsstk01"]) {
      const A = CsrMatrix.fromMatrixMarket(readFileSync(new URL(`${name}.mtx`, fixtures), "utf8"));
      benchCsr(A, name, A.rows, dir, exe);
      A.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchCsr(A, matrix, n, dir, exe) {
  const { indptr, indices, data } = A.toArrays();
  if (exe.native) {
    writeFileSync(join(dir, "meta.txt"), `${A.rows} ${A.cols} ${A.nnz}\n`);
    writeFileSync(join(dir, "indptr.bin"), indptr);
    writeFileSync(join(dir, "indices.bin"), indices);
    writeFileSync(join(dir, "data.bin"), data);
  }
  const f = jsCsr();
  const bytes = 12 * A.nnz + 4 * (A.rows + 1) + 8 * (A.rows + A.cols);
  benchOperator(
    A,
    { kernel: "csr", matrix, n, nnz: A.nnz, rows: A.rows },
    bytes,
    (u, y) => f(A.rows, indptr, indices, data, u, y),
    () => ["csr", dir],
    exe,
  );
}
