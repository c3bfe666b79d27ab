// SOR sweep rate on the 2D 5-point Laplacian, n = 64 … 1024: red-black SIMD SOR (colours
// stored apart) vs natural-order SOR on CSR (both through `sor`, residual included, as a
// solver runs them) vs a C lexicographic sweep (bench/native/sor.c, gcc -O3 -march=native;
// sweeps only, no residual). Point-updates per second, medians.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gallery, sor } from "solvewasm";
import { emit, randomVector, timeCandidates } from "./harness.js";

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-sor-"));
  try {
    let exe = null;
    if (spawnSync("gcc", ["--version"]).status === 0) {
      exe = join(dir, "sor");
      execFileSync("gcc", ["-O3", "-march=native", "-o", exe, new URL("native/sor.c", import.meta.url).pathname]);
    } else {
      console.error("note: gcc not found; the C reference is skipped");
    }
    for (const n of [64, 128, 256, 512, 1024]) {
      const A = gallery.poisson([n, n]);
      const C = A.toCsr();
      const b = randomVector(n * n, 1);
      const sweeps = Math.max(2, Math.round(4e6 / (n * n)));
      const omega = 1.9;
      const candidates = {
        "wasm red-black simd": () => sor(A, b, { omega, ordering: "red-black", maxiter: sweeps, rtol: 0 }),
        "wasm natural csr": () => sor(C, b, { omega, maxiter: sweeps, rtol: 0 }),
      };
      if (exe) {
        candidates["c lexicographic"] = {
          measure: () => (n * n) / Number(execFileSync(exe, [String(n), String(omega), "0.05"], { encoding: "utf8" }).split(" ")[0]),
        };
      }
      const t = timeCandidates(candidates, { samples: 5, minSeconds: 0.05 });
      for (const [impl, seconds] of Object.entries(t)) {
        // The wasm candidates time whole solves of `sweeps` sweeps; C reports one sweep.
        const perSweep = impl.startsWith("c ") ? seconds : seconds / sweeps;
        emit({ bench: "relax-sweep", impl, n, updates_per_second: Math.round((n * n) / perSweep), samples: 5 });
      }
      A.dispose();
      C.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
