import { readFile } from "node:fs/promises";
import { blas, createSolvewasm } from "solvewasm";
import { blasOperands, timeCandidates } from "../../bench/harness.js";

/** ddot and daxpy at n = 10^6: SIMD and scalar wasm on F64Buffers against a plain JS loop. */
export async function blasSection() {
  const n = 1e6;
  const scalar = await createSolvewasm(await readFile(new URL("../../dist/solvewasm-scalar.wasm", import.meta.url)));
  const { xs, ys, x, y, sx, sy } = await blasOperands(n, scalar);
  let sink = 0;
  const jsDot = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[i] * ys[i];
    sink += s;
  };
  const jsAxpy = () => {
    for (let i = 0; i < n; i++) ys[i] += 1e-9 * xs[i];
  };
  const dot = timeCandidates(
    {
      simd: () => (sink += blas.ptr.ddot(n, x.ptr, y.ptr)),
      scalar: () => (sink += scalar.blas.ptr.ddot(n, sx.ptr, sy.ptr)),
      js: jsDot,
    },
    { samples: 5, minSeconds: 0.02 },
  );
  const axpy = timeCandidates(
    {
      simd: () => blas.ptr.daxpy(n, 1e-9, x.ptr, y.ptr),
      scalar: () => scalar.blas.ptr.daxpy(n, 1e-9, sx.ptr, sy.ptr),
      js: jsAxpy,
    },
    { samples: 5, minSeconds: 0.02 },
  );
  for (const b of [x, y, sx, sy]) b.dispose();
  const row = (name, t, bytes) =>
    `${name.padEnd(6)} ` +
    ["simd", "scalar", "js"].map((k) => `${k} ${(bytes / t[k] / 1e9).toFixed(1).padStart(5)} GB/s`).join("   ") +
    `   SIMD ${(t.js / t.simd).toFixed(1)}× JS`;
  return [
    `n = 10^6, zero-copy F64Buffers, medians of 5 (npm run bench -- blas for the full sweep)`,
    row("ddot", dot, 16 * n),
    row("daxpy", axpy, 24 * n),
    `‖x‖₂ = ${blas.dnrm2(xs).toFixed(6)} (dnrm2, scaled)${Number.isNaN(sink) ? " !" : ""}`,
  ];
}
