// ddot and daxpy: SIMD wasm vs scalar wasm (both on F64Buffers, no copies) vs a plain JS
// loop, plus SIMD through the copying Float64Array form so the cost of copies is visible.
// GB/s counts the bytes each kernel must move: ddot reads 16n bytes, daxpy reads 16n and
// writes 8n.
import { readFile } from "node:fs/promises";
import { blas, createSolvewasm } from "solvewasm";
import { blasOperands, emit, timeCandidates } from "./harness.js";

export async function run({ sizes = [1e3, 1e4, 1e5, 1e6, 1e7], samples = 7 } = {}) {
  const scalar = await createSolvewasm(await readFile(new URL("../dist/solvewasm-scalar.wasm", import.meta.url)));
  let sink = 0;
  for (const n of sizes) {
    const { xs, ys, x, y, sx, sy } = await blasOperands(n, scalar);
    const px = x.ptr,
      py = y.ptr,
      spx = sx.ptr,
      spy = sy.ptr;
    // daxpy with a = ±tiny alternating keeps y bounded over millions of calls.
    let a = 1e-9;
    // Plain JS loops, compiled afresh for each n: one shared function (or closures of one
    // literal) carries JIT feedback from the other sizes and ran up to 2× slower.
    const jsDot = new Function("xs", "ys", "n", "let s = 0; for (let i = 0; i < n; i++) s += xs[i] * ys[i]; return s;");
    const jsAxpy = new Function("a", "xs", "ys", "n", "for (let i = 0; i < n; i++) ys[i] += a * xs[i];");
    const kernels = {
      ddot: {
        bytes: 16 * n,
        candidates: {
          "wasm-simd": () => (sink += blas.ptr.ddot(n, px, py)),
          "wasm-scalar": () => (sink += scalar.blas.ptr.ddot(n, spx, spy)),
          js: () => (sink += jsDot(xs, ys, n)),
          "wasm-simd-copying": () => (sink += blas.ddot(xs, ys)),
        },
      },
      daxpy: {
        bytes: 24 * n,
        candidates: {
          "wasm-simd": () => blas.ptr.daxpy(n, (a = -a), px, py),
          "wasm-scalar": () => scalar.blas.ptr.daxpy(n, (a = -a), spx, spy),
          js: () => jsAxpy((a = -a), xs, ys, n),
          "wasm-simd-copying": () => blas.daxpy((a = -a), xs, ys),
        },
      },
    };
    for (const [kernel, { bytes, candidates }] of Object.entries(kernels)) {
      const t = timeCandidates(candidates, { samples });
      for (const [impl, seconds] of Object.entries(t)) {
        emit({
          bench: "blas",
          kernel,
          impl,
          n,
          seconds,
          gbps: +(bytes / seconds / 1e9).toFixed(3),
          speedup_vs_js: +(t.js / seconds).toFixed(2),
          samples,
        });
      }
    }
    for (const b of [x, y, sx, sy]) b.dispose();
  }
  if (Number.isNaN(sink)) console.error("unexpected NaN");
}
