// Conjugate gradients on 2D Poisson (gallery.poisson, b = h²·1, h = 1/(n + 1), x0 = 0,
// rtol 1e-8), n = 128 … 1024: solvewasm matrix-free and on CSR, against a fused matrix-free
// C CG (bench/native/cg.c, gcc -O3 -march=native), a plain JS CG and SciPy's cg (Debian's
// python3-scipy; installed here when apt-get can, skipped with a note otherwise). Then
// solvewasm PCG with each preconditioner and fcd with k = 1, 2, 4 (n ≤ 512).
// Candidates run in turn for each repeat; seconds are medians (5 repeats for n ≤ 256,
// 3 for 512, 1 for 1024). Setup (matrix assembly, preconditioner) is not timed in
// `seconds`; preconditioner setup is reported as `setup_seconds`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cg, fcd, gallery, precond } from "solvewasm";
import { emit, median } from "./harness.js";
import { findScipy } from "./scipy.js";

const RTOL = 1e-8;
const SIZES = [128, 256, 512, 1024];
const repeatsFor = (n) => (n <= 256 ? 5 : n <= 512 ? 3 : 1);

const SCIPY = `
import sys, time, numpy as np, scipy, scipy.sparse as sp, scipy.sparse.linalg as sla
n = int(sys.argv[1]); rtol = float(sys.argv[2])
T = sp.diags([-np.ones(n - 1), 4 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1])
S = sp.diags([-np.ones(n - 1), -np.ones(n - 1)], [-1, 1])
A = (sp.kron(sp.identity(n), T) + sp.kron(S, sp.identity(n))).tocsr()
h = 1.0 / (n + 1); b = np.full(n * n, h * h)
its = [0]
def count(xk): its[0] += 1
kw = {"rtol": rtol} if tuple(int(v) for v in scipy.__version__.split(".")[:2]) >= (1, 12) else {"tol": rtol}
t0 = time.perf_counter(); x, info = sla.cg(A, b, callback=count, maxiter=10 * n * n, atol=0.0, **kw); t = time.perf_counter() - t0
print(its[0], t, np.linalg.norm(b - A @ x) / np.linalg.norm(b), scipy.__version__)
`;

/** Plain JS CG on the matrix-free 5-point Laplacian, compiled afresh per n (see blas.bench.js). */
const jsCg = () =>
  new Function(
    "n",
    "b",
    "rtol",
    `
    const N = n * n, x = new Float64Array(N), r = b.slice(), p = b.slice(), q = new Float64Array(N);
    let rr = 0;
    for (let i = 0; i < N; i++) rr += r[i] * r[i];
    const tol = rtol * Math.sqrt(rr);
    let it = 0;
    while (Math.sqrt(rr) > tol && it < 10 * N) {
      let pq = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        const k = j * n + i;
        let a = 4 * p[k];
        if (j > 0) a -= p[k - n];
        if (i > 0) a -= p[k - 1];
        if (i < n - 1) a -= p[k + 1];
        if (j < n - 1) a -= p[k + n];
        q[k] = a;
        pq += p[k] * a;
      }
      const alpha = rr / pq;
      let next = 0;
      for (let i = 0; i < N; i++) { x[i] += alpha * p[i]; r[i] -= alpha * q[i]; next += r[i] * r[i]; }
      const beta = next / rr;
      rr = next;
      for (let i = 0; i < N; i++) p[i] = r[i] + beta * p[i];
      it++;
    }
    return { x, iterations: it };`,
  );

function relres(A, x, b) {
  const ax = A.matvec(x);
  let d = 0,
    s = 0;
  for (let i = 0; i < b.length; i++) {
    d += (b[i] - ax[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-cg-"));
  try {
    // The C reference twice: for this machine (AVX-512 on the current one: 8 doubles per
    // instruction) and for SSE2 (-march=x86-64: 2 doubles, wasm SIMD's width).
    const cExes = {};
    if (spawnSync("gcc", ["--version"]).status === 0) {
      for (const [impl, march] of [
        ["c fused matrix-free", "native"],
        ["c fused matrix-free sse2", "x86-64"],
      ]) {
        cExes[impl] = join(dir, `cg-${march}`);
        execFileSync("gcc", ["-O3", `-march=${march}`, "-o", cExes[impl], new URL("native/cg.c", import.meta.url).pathname, "-lm"]);
      }
    } else {
      console.error("note: gcc not found; the C reference is skipped");
    }
    const scipy = findScipy();
    if (scipy) writeFileSync(join(dir, "cg.py"), SCIPY);

    for (const n of SIZES) {
      const A = gallery.poisson([n, n]);
      const C = A.toCsr();
      const b = new Float64Array(n * n).fill(1 / (n + 1) ** 2);
      const js = jsCg();
      const runs = {};
      const record = (impl, r) => (runs[impl] ??= []).push(r);
      for (let rep = 0; rep < repeatsFor(n); rep++) {
        for (const [impl, op] of [
          ["solvewasm matrix-free", A],
          ["solvewasm csr", C],
        ]) {
          const t0 = performance.now();
          const r = cg(op, b, { rtol: RTOL });
          record(impl, { seconds: (performance.now() - t0) / 1000, iters: r.iterations, relres: r.residualNorm / Math.sqrt(n * n) / b[0] });
        }
        for (const [impl, exe] of Object.entries(cExes)) {
          const [iters, seconds, rel] = execFileSync(exe, [String(n), String(RTOL)], { encoding: "utf8" })
            .trim()
            .split(/\s+/)
            .map(Number);
          record(impl, { seconds, iters, relres: rel });
        }
        const t0 = performance.now();
        const j = js(n, b, RTOL);
        record("js matrix-free", { seconds: (performance.now() - t0) / 1000, iters: j.iterations, relres: relres(A, j.x, b) });
        if (scipy && (n <= 512 || rep === 0)) {
          const out = execFileSync("/usr/bin/python3", [join(dir, "cg.py"), String(n), String(RTOL)], { encoding: "utf8" })
            .trim()
            .split(/\s+/);
          record(`scipy ${out[3]} cg (csr)`, { seconds: Number(out[1]), iters: Number(out[0]), relres: Number(out[2]) });
        }
      }
      const medianOf = (impl) => (runs[impl] ? median(runs[impl].map((r) => r.seconds)) : null);
      const c = medianOf("c fused matrix-free"),
        c2 = medianOf("c fused matrix-free sse2");
      const sc = Object.keys(runs).find((k) => k.startsWith("scipy"));
      const s = sc ? median(runs[sc].map((r) => r.seconds)) : null;
      for (const [impl, rs] of Object.entries(runs)) {
        const seconds = median(rs.map((r) => r.seconds));
        emit({
          bench: "cg-poisson2d",
          impl,
          n,
          iters: rs[0].iters,
          seconds: +seconds.toFixed(4),
          relres: +rs[0].relres.toExponential(3),
          repeats: rs.length,
          time_vs_c: c ? +(seconds / c).toFixed(3) : null,
          time_vs_c_sse2: c2 ? +(seconds / c2).toFixed(3) : null,
          speedup_vs_scipy: s ? +(s / seconds).toFixed(2) : null,
        });
      }

      if (n <= 512) {
        const h = 1 / (n + 1);
        const builders = {
          jacobi: () => precond.jacobi(A),
          ssor: () => precond.ssor(A, { omega: 2 / (1 + Math.PI * h) }),
          ic0: () => precond.ic0(A),
          chebyshev: () => precond.chebyshev(A, { degree: 4 }),
        };
        for (const [name, build] of Object.entries(builders)) {
          const t0 = performance.now();
          const M = build();
          const setup = (performance.now() - t0) / 1000;
          const t1 = performance.now();
          const r = cg(A, b, { rtol: RTOL, M });
          emit({
            bench: "cg-poisson2d",
            impl: `solvewasm pcg-${name}`,
            n,
            iters: r.iterations,
            seconds: +((performance.now() - t1) / 1000).toFixed(4),
            setup_seconds: +setup.toFixed(4),
            relres: +(r.residualNorm / Math.sqrt(n * n) / b[0]).toExponential(3),
            ...(name === "ssor" ? { omega: M.info.omega } : {}),
          });
          M.dispose();
        }
        for (const k of [1, 2, 4]) {
          const t0 = performance.now();
          const r = fcd(A, b, { rtol: RTOL, k });
          emit({
            bench: "cg-poisson2d",
            impl: `solvewasm fcd-k${k}`,
            n,
            iters: r.iterations,
            seconds: +((performance.now() - t0) / 1000).toFixed(4),
            relres: +(r.residualNorm / Math.sqrt(n * n) / b[0]).toExponential(3),
          });
        }
      }
      A.dispose();
      C.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
