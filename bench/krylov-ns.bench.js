// Nonsymmetric Krylov solvers (issue #15): GMRES(30), BiCGSTAB and ILU-preconditioned
// GMRES(30) on 2D convection–diffusion (gallery.convectionDiffusion, 512², upwind, Péclet
// 10 and 100) and on the SuiteSparse matrices orsirr_1 and sherman5, against SciPy's gmres,
// bicgstab and spilu(drop_tol 1e-4, fill_factor 10)-gmres on the same matrices (written as
// Matrix Market for the Python side; Debian's python3-scipy, installed here when apt-get
// can, skipped with a note otherwise). b = A·1, x0 = 0, rtol 1e-8, atol 0; every method
// is capped at the same number of inner iterations (MAXITER; GMRES's SciPy maxiter is in
// restart cycles, converted), so a capped solve does the same work on both sides.
// Per repeat the candidates run in turn (solvewasm, then one SciPy process timing each
// solve with perf_counter); seconds are medians, ratios are of medians from this run.
// Setup (matrix assembly, ILU factorisation) is reported as setup_seconds, not timed in
// seconds. `KRYLOV_NS_N=64 npm run bench -- krylov-ns` shrinks the grids for a smoke run.
// Solvers that are not in this build (gmres, bicgstab, precond.ilut) are skipped with a note.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sw from "solvewasm";
import { emit, median } from "./harness.js";
import { findScipy } from "./scipy.js";

const { CsrMatrix, gallery } = sw;
const RTOL = 1e-8;
const RESTART = 30;
const MAXITER = 5000; // inner iterations (products of the Krylov loop), both sides
const N = Number(process.env.KRYLOV_NS_N ?? 512);

const SCIPY = `
import json, sys, time, numpy as np, scipy, scipy.io, scipy.sparse as sp, scipy.sparse.linalg as sla
path, rtol, restart, maxiter = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
A = sp.csr_matrix(scipy.io.mmread(path)); n = A.shape[0]
b = A @ np.ones(n); nb = np.linalg.norm(b)
new = tuple(int(v) for v in scipy.__version__.split(".")[:2]) >= (1, 12)
tol = {"rtol": rtol} if new else {"tol": rtol}
def out(impl, t, its, x, setup=None, info=None):
    rec = {"impl": impl, "seconds": t, "iters": its, "relres": float(np.linalg.norm(b - A @ x) / nb), "info": int(info), "version": scipy.__version__}
    if setup is not None: rec["setup_seconds"] = setup
    print(json.dumps(rec), flush=True)
def gm(M=None):
    its = [0]
    def cb(_): its[0] += 1
    t0 = time.perf_counter()
    x, info = sla.gmres(A, b, restart=restart, maxiter=-(-maxiter // restart), atol=0.0, M=M, callback=cb, callback_type="pr_norm", **tol)
    return time.perf_counter() - t0, its[0], x, info
t, its, x, info = gm(); out("scipy gmres", t, its, x, info=info)
its = [0]
def cb(_): its[0] += 1
t0 = time.perf_counter(); x, info = sla.bicgstab(A, b, maxiter=maxiter, atol=0.0, callback=cb, **tol); t = time.perf_counter() - t0
out("scipy bicgstab", t, its[0], x, info=info)
t0 = time.perf_counter(); ilu = sla.spilu(A.tocsc(), drop_tol=1e-4, fill_factor=10); setup = time.perf_counter() - t0
M = sla.LinearOperator(A.shape, matvec=ilu.solve, dtype=float)
t, its, x, info = gm(M); out("scipy spilu-gmres", t, its, x, setup=setup, info=info)
`;

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

/** solvewasm's candidates, those present in this build. */
function candidates() {
  const have = (f) => typeof f === "function";
  const list = [];
  if (have(sw.gmres)) list.push({ impl: "solvewasm gmres", solve: (A, b) => sw.gmres(A, b, { restart: RESTART, rtol: RTOL, atol: 0, maxiter: MAXITER }) });
  else console.error("note: solvewasm has no gmres in this build (issue #15 not merged); skipped");
  if (have(sw.bicgstab)) list.push({ impl: "solvewasm bicgstab", solve: (A, b) => sw.bicgstab(A, b, { rtol: RTOL, atol: 0, maxiter: MAXITER }) });
  else console.error("note: solvewasm has no bicgstab in this build (issue #15 not merged); skipped");
  if (have(sw.gmres) && have(sw.precond?.ilut)) {
    list.push({
      impl: "solvewasm ilut-gmres",
      setup: (A, p) => sw.precond.ilut(A, p.ilut ?? { dropTol: 1e-4, fill: 10 }),
      solve: (A, b, M) => sw.gmres(A, b, { M, restart: RESTART, rtol: RTOL, atol: 0, maxiter: MAXITER }),
    });
  } else console.error("note: solvewasm has no precond.ilut (or gmres) in this build; ILU-GMRES skipped");
  return list;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-krylov-ns-"));
  try {
    const scipy = findScipy();
    if (scipy) writeFileSync(join(dir, "krylov.py"), SCIPY);
    const cands = candidates();
    const problems = [
      { name: `convection-diffusion ${N}² Pe 10`, make: () => gallery.convectionDiffusion([N, N], { peclet: 10 }) },
      { name: `convection-diffusion ${N}² Pe 100`, make: () => gallery.convectionDiffusion([N, N], { peclet: 100 }) },
      // The two real matrices use ILUT settings whose fill is near spilu's (as
      // test/scipy-iterative.test.js): fill ratio 2.64 vs 4.1, 7.0 vs 5.9.
      {
        name: "orsirr_1",
        ilut: { dropTol: 1e-5, fill: 33 },
        make: () => CsrMatrix.fromMatrixMarket(readFileSync(new URL("../test/fixtures/matrices/orsirr_1.mtx", import.meta.url))),
      },
      {
        name: "sherman5",
        ilut: { dropTol: 1e-6, fill: 62 },
        make: () => CsrMatrix.fromMatrixMarket(readFileSync(new URL("../test/fixtures/matrices/sherman5.mtx", import.meta.url))),
      },
    ];
    for (const p of problems) {
      const A = p.make();
      const b = A.matvec(new Float64Array(A.cols).fill(1));
      const C = typeof A.toCsr === "function" ? A.toCsr() : A; // ILU factors a CSR matrix
      const mtx = join(dir, "A.mtx");
      if (scipy) writeFileSync(mtx, C.toMatrixMarket());
      const repeats = A.rows > 100_000 ? 1 : 3;
      const runs = {};
      const record = (impl, r) => (runs[impl] ??= []).push(r);
      for (let rep = 0; rep < repeats; rep++) {
        for (const c of cands) {
          const t0 = performance.now();
          const M = c.setup?.(C, p);
          const setup = (performance.now() - t0) / 1000;
          const t1 = performance.now();
          const r = c.solve(A, b, M);
          const seconds = (performance.now() - t1) / 1000;
          record(c.impl, { seconds, iters: r.iterations, relres: relres(A, r.x, b), converged: r.converged, ...(M ? { setup_seconds: setup } : {}) });
          M?.dispose?.();
        }
        if (scipy) {
          const lines = execFileSync("/usr/bin/python3", [join(dir, "krylov.py"), mtx, String(RTOL), String(RESTART), String(MAXITER)], { encoding: "utf8" })
            .trim()
            .split("\n");
          for (const line of lines) {
            const o = JSON.parse(line);
            record(`${o.impl} ${o.version}`, {
              seconds: o.seconds,
              iters: o.iters,
              relres: o.relres,
              converged: o.info === 0,
              ...(o.setup_seconds !== undefined ? { setup_seconds: o.setup_seconds } : {}),
            });
          }
        }
      }
      const med = (impl) => (runs[impl] ? median(runs[impl].map((r) => r.seconds)) : null);
      const scipyOf = (kind) => Object.keys(runs).find((k) => k.startsWith(`scipy ${kind} `));
      const pair = { "solvewasm gmres": scipyOf("gmres"), "solvewasm bicgstab": scipyOf("bicgstab"), "solvewasm ilut-gmres": scipyOf("spilu-gmres") };
      for (const [impl, rs] of Object.entries(runs)) {
        const seconds = median(rs.map((r) => r.seconds));
        const base = pair[impl] ? med(pair[impl]) : null;
        emit({
          bench: "krylov-ns",
          problem: p.name,
          rows: A.rows,
          impl,
          iters: rs[0].iters,
          converged: rs[0].converged,
          seconds: +seconds.toFixed(4),
          ...(rs[0].setup_seconds !== undefined ? { setup_seconds: +median(rs.map((r) => r.setup_seconds)).toFixed(4) } : {}),
          relres: +rs[0].relres.toExponential(3),
          repeats: rs.length,
          speedup_vs_scipy: base ? +(base / seconds).toFixed(2) : null,
          seconds_per_iter_vs_scipy: base && pair[impl] ? +(seconds / rs[0].iters / (base / runs[pair[impl]][0].iters)).toFixed(3) : null,
        });
      }
      if (C !== A) C.dispose();
      A.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
