// Multigrid against hypre 2.26's BoomerAMG-PCG (bench/native/hypre.c with Debian's
// libhypre-dev, installed here with apt-get when possible; skipped with a note otherwise),
// rtol 1e-8, x0 = 0, one run each, hypre in the same run right after solvewasm's rows.
// Cases (select with MG_CASES, a comma list of names or name prefixes, e.g.
// MG_CASES=2d1023,fe3d):
//   2d255 2d511 2d1023 3d31 3d63  gallery.poisson, b = 1 and the LCG b: GMG-PCG, GMG
//                                  standalone, AMG-PCG, CG;
//   gr_30_30 1138_bus ani4 bcsstk01 bcsstk03 nos4 494_bus  the SPD SuiteSparse matrices
//                                  of test/fixtures/matrices, LCG b: AMG-PCG, CG;
//   fe3d32 fe3d64                   P1 Laplacian on a jittered tetrahedral mesh of the unit
//                                  cube (bench/meshes.js; 29 791 and 250 047 unknowns),
//                                  written as Matrix Market for hypre, LCG b: AMG-PCG, CG.
// AMG-PCG runs amg(A, { kind: "aggregation" }) and amg(A, { kind: "classical" }) where amg
// takes `kind`; an amg without it is smoothed aggregation, run as amg(A), and the classical
// row is skipped (a note on stderr).
//
// What the times are:
//   solvewasm setup_seconds  amg() (or multigrid()) alone; the CSR form is made before and
//                            not counted (csr_seconds: A.toCsr() for the Poisson operators;
//                            files and meshes are CSR from the start);
//   solvewasm solve_seconds  asPreconditioner() and cg();  seconds = setup + solve;
//   hypre setup_seconds      HYPRE_ParCSRPCGSetup (BoomerAMGSetup), not the assembly;
//   hypre assembly_seconds   the IJ matrix and vectors from CSR arrays (reading a file is
//                            read_seconds, counted nowhere);
//   hypre seconds            assembly + setup + solve; seconds_excl_assembly = setup + solve.
// Ratios on solvewasm rows, against the hypre row of the same case and b: total_ratio =
// seconds ÷ hypre seconds (assembly included, the "total time"),
// total_ratio_excl_assembly = seconds ÷ hypre seconds_excl_assembly, setup_ratio = setup ÷
// hypre setup. Memory: live_delta_bytes is memoryStats().live after amg() less before (what
// the hierarchy keeps in wasm memory), wasm_grown_bytes how far wasm memory grew during
// amg(); peak_setup_bytes and hierarchy_bytes are ml.memory's setupPeakBytes and hierarchyBytes.
// hypre's hierarchy_bytes are the CSR bytes of its coarse operators and interpolations
// (A_0 and the smoothers left out), setup_rss_growth_bytes the peak resident set during
// setup less the resident set before it, peak_rss_bytes the process's peak.
// A note on stderr names the cases during whose solvewasm rows other processes took more
// than a fifth of a core (from /proc/stat): on a shared machine, rerun those.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { amg, cg, CsrMatrix, gallery, memoryStats, multigrid } from "solvewasm";
import { emit } from "./harness.js";
import { kuhnLaplacian, toMatrixMarket } from "./meshes.js";

const RTOL = 1e-8;
const ROOT_OK = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1", OMPI_MCA_btl_vader_single_copy_mechanism: "none" };
const FIXTURES = new URL("../test/fixtures/matrices/", import.meta.url);

const CASES = [
  ...[
    [2, 255],
    [2, 511],
    [2, 1023],
    [3, 31],
    [3, 63],
  ].map(([dim, n]) => ({ name: `${dim}d${n}`, type: "poisson", dim, n, rhs: ["ones", "random"] })),
  // The SPD matrices of test/fixtures/matrices (orsirr_1 and sherman5 are nonsymmetric).
  ...["gr_30_30", "1138_bus", "ani4", "bcsstk01", "bcsstk03", "nos4", "494_bus"].map((name) => ({ name, type: "file", rhs: ["random"] })),
  ...[32, 64].map((m) => ({ name: `fe3d${m}`, type: "fe", m, rhs: ["random"] })),
];

function selectedCases() {
  const spec = process.env.MG_CASES;
  if (!spec) return CASES;
  const tokens = spec
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = tokens.filter((t) => !CASES.some((c) => c.name.startsWith(t)));
  if (unknown.length) throw new Error(`MG_CASES: no case named ${unknown.join(", ")}; the cases are ${CASES.map((c) => c.name).join(", ")}`);
  return CASES.filter((c) => tokens.some((t) => c.name.startsWith(t)));
}

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

/** CPU seconds all processes have used (Linux /proc/stat, USER_HZ = 100), or NaN elsewhere. */
function machineCpuSeconds() {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / 100;
  } catch {
    return Number.NaN;
  }
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

/** The solvewasm-side matrices of a case: `A` (the operator CG and GMG take), `C` (CSR, for amg) and what it took. */
function makeCase(c, dir) {
  if (c.type === "poisson") {
    const grid = c.dim === 2 ? [c.n, c.n] : [c.n, c.n, c.n];
    const A = gallery.poisson(grid);
    const t0 = performance.now();
    const C = A.toCsr();
    const csr = (performance.now() - t0) / 1000;
    return { A, C, facts: { dim: c.dim, n: c.n, rows: C.rows, nnz: C.nnz, csr_seconds: +csr.toFixed(4) }, hypreArgs: [String(c.dim), String(c.n)] };
  }
  if (c.type === "file") {
    const url = new URL(`${c.name}.mtx`, FIXTURES);
    const C = CsrMatrix.fromMatrixMarket(readFileSync(url));
    return { A: C, C, facts: { rows: C.rows, nnz: C.nnz }, hypreArgs: [url.pathname] };
  }
  const t0 = performance.now();
  const mesh = kuhnLaplacian(c.m);
  const generated = (performance.now() - t0) / 1000;
  const path = join(dir, `${c.name}.mtx`);
  const facts = {
    m: c.m,
    rows: mesh.rows,
    nnz: mesh.indptr[mesh.rows],
    tetrahedra: mesh.tetrahedra,
    min_quality: +mesh.minQuality.toFixed(3),
    repaired_vertices: mesh.repaired,
  };
  writeFileSync(
    path,
    toMatrixMarket(mesh, `bench/meshes.js kuhnLaplacian(${c.m}): P1 Laplacian, jittered Kuhn mesh of the unit cube, Dirichlet boundary eliminated`),
  );
  console.error(`note: ${c.name}: ${facts.rows} unknowns, ${facts.nnz} entries, generated in ${generated.toFixed(1)} s, written to ${path}`);
  const C = CsrMatrix.fromArrays(mesh);
  return { A: C, C, facts, hypreArgs: [path] };
}

/** Four significant digits: setup times run from 0.2 ms (bcsstk01) to seconds. */
const round = (v, digits = 4) => +v.toPrecision(digits);

/** One AMG-PCG row: amg(C, options), then CG preconditioned by one V-cycle. */
function amgRow(C, b, bnorm, options) {
  const before = memoryStats();
  const t0 = performance.now();
  const ml = amg(C, options);
  const t1 = performance.now();
  const after = memoryStats();
  const M = ml.asPreconditioner();
  const r = cg(C, b, { rtol: RTOL, M });
  const t2 = performance.now();
  const { hierarchyBytes, setupPeakBytes } = ml.memory;
  const row = {
    iters: r.iterations,
    converged: r.converged,
    setup_seconds: round((t1 - t0) / 1000),
    solve_seconds: round((t2 - t1) / 1000),
    seconds: round((t2 - t0) / 1000),
    relres: +(r.residualNorm / bnorm).toExponential(3),
    operator_complexity: round(ml.operatorComplexity()),
    grid_complexity: round(ml.gridComplexity()),
    levels: ml.levels.length,
    live_delta_bytes: after.live - before.live,
    wasm_grown_bytes: after.size - before.size,
  };
  row.peak_setup_bytes = setupPeakBytes;
  row.hierarchy_bytes = hierarchyBytes;
  row.peak_setup_ratio = round(setupPeakBytes / hierarchyBytes, 3);
  M.dispose();
  ml.dispose();
  return row;
}

function hypreRow(exe, args, rhs, facts) {
  const h = JSON.parse(execFileSync(exe, [...args, rhs], { encoding: "utf8", env: ROOT_OK }));
  // The same matrix on both sides: hypre.c counts what it read (symmetric files expanded).
  if (h.rows !== facts.rows || h.nnz !== facts.nnz)
    throw new Error(`hypre read ${h.rows} rows and ${h.nnz} entries, solvewasm has ${facts.rows} and ${facts.nnz}`);
  const total = h.assembly_seconds + h.setup_seconds + h.solve_seconds;
  return {
    iters: h.iters,
    converged: h.relres <= RTOL,
    setup_seconds: round(h.setup_seconds),
    solve_seconds: round(h.solve_seconds),
    seconds: round(total),
    assembly_seconds: round(h.assembly_seconds),
    seconds_excl_assembly: round(h.setup_seconds + h.solve_seconds),
    read_seconds: round(h.read_seconds),
    relres: h.relres,
    operator_complexity: h.operator_complexity,
    grid_complexity: h.grid_complexity,
    levels: h.levels,
    hierarchy_bytes: h.hierarchy_bytes,
    setup_rss_growth_bytes: h.setup_rss_growth_bytes,
    peak_rss_bytes: h.peak_rss_bytes,
  };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-mg-"));
  try {
    const hypre = buildHypre(dir);
    for (const c of selectedCases()) {
      // CPU that other processes took while solvewasm's rows ran: the machine's less this
      // process's. (Not over hypre's run: its MPI start forks an orted daemon, busy for a moment.)
      let othersCpu = 0,
        wall = 0;
      const { A, C, facts, hypreArgs } = makeCase(c, dir);
      try {
        for (const rhs of c.rhs) {
          const N = C.rows;
          const b = rhs === "ones" ? new Float64Array(N).fill(1) : randomRhs(N);
          const bnorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
          const rows = [];
          const machine0 = machineCpuSeconds(),
            own0 = process.cpuUsage(),
            wall0 = performance.now();
          const add = (impl, fields) => rows.push({ bench: "mg", case: c.name, ...facts, rhs, impl, ...fields });
          const timed = (iters, setup, solve, r) => ({
            iters,
            converged: r.converged,
            setup_seconds: round(setup),
            solve_seconds: round(solve),
            seconds: round(setup + solve),
            relres: +(r.residualNorm / bnorm).toExponential(3),
          });

          if (c.type === "poisson") {
            const t0 = performance.now();
            const ml = multigrid(A);
            const t1 = performance.now();
            const M = ml.asPreconditioner();
            const r = cg(A, b, { rtol: RTOL, M });
            const t2 = performance.now();
            add("solvewasm gmg-pcg", { ...timed(r.iterations, (t1 - t0) / 1000, (t2 - t1) / 1000, r), levels: ml.levels.length });
            const t3 = performance.now();
            const s = ml.solve(b, { rtol: RTOL });
            add("solvewasm gmg standalone", { ...timed(s.iterations, ml.setupSeconds, (performance.now() - t3) / 1000, s), levels: ml.levels.length });
            M.dispose();
            ml.dispose();
          }
          for (const kind of ["aggregation", "classical"]) {
            add(`solvewasm amg-pcg (${kind})`, amgRow(C, b, bnorm, { kind }));
          }
          const t0 = performance.now();
          const r = cg(A, b, { rtol: RTOL });
          add("solvewasm cg", timed(r.iterations, 0, (performance.now() - t0) / 1000, r));

          const own = process.cpuUsage(own0);
          othersCpu += machineCpuSeconds() - machine0 - (own.user + own.system) / 1e6;
          wall += (performance.now() - wall0) / 1000;

          if (hypre) {
            const h = hypreRow(hypre, hypreArgs, rhs, facts);
            for (const row of rows) {
              row.total_ratio = round(row.seconds / h.seconds, 3);
              row.total_ratio_excl_assembly = round(row.seconds / h.seconds_excl_assembly, 3);
              if (row.impl.includes("amg")) row.setup_ratio = round(row.setup_seconds / h.setup_seconds, 3);
            }
            add("hypre boomeramg-pcg", h);
          }
          for (const row of rows) emit(row);
        }
      } finally {
        if (C !== A) C.dispose();
        A.dispose();
      }
      // /proc/stat counts in 10 ms ticks: over less than half a second the estimate is noise.
      const others = othersCpu / wall;
      if (wall >= 0.5 && others > 0.2)
        console.error(`note: ${c.name}: other processes kept ${others.toFixed(2)} cores busy meanwhile: its times are unreliable`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
