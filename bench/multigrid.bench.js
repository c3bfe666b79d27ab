// Multigrid on Poisson problems (rtol 1e-8, x0 = 0, b = 1 and a random b): 2D n = 255, 511,
// 1023 and 3D n = 31, 63. solvewasm GMG-PCG, GMG standalone, SA-AMG-PCG (on the CSR form)
// and plain CG, against hypre's BoomerAMG-PCG (bench/native/hypre.c, Debian's libhypre-dev,
// installed here with apt-get when possible; skipped with a note otherwise). Every time
// includes setup (hierarchy, or for hypre matrix assembly + AMG setup), one run each.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { amg, cg, gallery, multigrid } from "solvewasm";
import { emit } from "./harness.js";

const RTOL = 1e-8;
const ROOT_OK = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1", OMPI_MCA_btl_vader_single_copy_mechanism: "none" };

function buildHypre(dir) {
  const have = () => spawnSync("mpicc", ["--version"]).status === 0 && spawnSync("sh", ["-c", "ls /usr/include/hypre/HYPRE.h"]).status === 0;
  if (!have() && process.getuid?.() === 0) {
    console.error("note: installing libhypre-dev with apt-get for the hypre baseline …");
    spawnSync("apt-get", ["install", "-y", "-qq", "libhypre-dev"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
  if (!have()) {
    console.error("note: hypre (Debian's libhypre-dev) is not available; its baseline is skipped");
    return null;
  }
  const exe = join(dir, "hypre");
  execFileSync("mpicc", ["-O2", "-I/usr/include/hypre", "-o", exe, new URL("native/hypre.c", import.meta.url).pathname, "-lHYPRE", "-lm"]);
  return exe;
}

/** The same pseudo-random b as hypre.c (LCG, (s / 2^32) − 0.5). */
function randomRhs(N) {
  const b = new Float64Array(N);
  let s = 12345;
  for (let p = 0; p < N; p++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[p] = s / 4294967296 - 0.5;
  }
  return b;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-mg-"));
  try {
    const hypre = buildHypre(dir);
    for (const [dim, n] of [
      [2, 255],
      [2, 511],
      [2, 1023],
      [3, 31],
      [3, 63],
    ]) {
      const grid = dim === 2 ? [n, n] : [n, n, n];
      const N = grid.reduce((a, b) => a * b, 1);
      for (const rhs of ["ones", "random"]) {
        const b = rhs === "ones" ? new Float64Array(N).fill(1) : randomRhs(N);
        const A = gallery.poisson(grid);
        const base = { bench: "mg", dim, n, rhs };
        const report = (impl, iters, setup, solve, relres) =>
          emit({
            ...base,
            impl,
            iters,
            setup_seconds: +setup.toFixed(4),
            solve_seconds: +solve.toFixed(4),
            seconds: +(setup + solve).toFixed(4),
            relres: +relres.toExponential(3),
          });
        const bnorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));

        let t0 = performance.now();
        const ml = multigrid(A);
        let t1 = performance.now();
        const M = ml.asPreconditioner();
        let r = cg(A, b, { rtol: RTOL, M });
        let t2 = performance.now();
        report("solvewasm gmg-pcg", r.iterations, (t1 - t0) / 1000, (t2 - t1) / 1000, r.residualNorm / bnorm);
        t1 = performance.now();
        const s = ml.solve(b, { rtol: RTOL });
        report("solvewasm gmg standalone", s.iterations, ml.setupSeconds, (performance.now() - t1) / 1000, s.residualNorm / bnorm);
        M.dispose();
        ml.dispose();

        t0 = performance.now();
        const C = A.toCsr();
        const am = amg(C);
        t1 = performance.now();
        const AM = am.asPreconditioner();
        r = cg(C, b, { rtol: RTOL, M: AM });
        t2 = performance.now();
        report("solvewasm sa-amg-pcg (csr)", r.iterations, (t1 - t0) / 1000, (t2 - t1) / 1000, r.residualNorm / bnorm);
        AM.dispose();
        am.dispose();
        C.dispose();

        t1 = performance.now();
        r = cg(A, b, { rtol: RTOL });
        report("solvewasm cg", r.iterations, 0, (performance.now() - t1) / 1000, r.residualNorm / bnorm);
        A.dispose();

        if (hypre) {
          const [its, setup, solve, rel] = execFileSync(hypre, [String(dim), String(n), rhs], { encoding: "utf8", env: ROOT_OK })
            .trim()
            .split(/\s+/)
            .map(Number);
          report("hypre boomeramg-pcg", its, setup, solve, rel);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
