// Regenerates test/fixtures/hypre-classical.json: hypre 2.26 BoomerAMG's strength matrix, C/F
// splitting and extended+i prolongator of the finest level, with hypre's defaults, for a few
// small matrices — the reference of test/amg-classical.test.js's hypre checks (hypre is not
// installed in CI). Needs Debian's libhypre-dev (2.26) and mpicc; run from the repository:
//   npm run build && node tools/hypre-classical.mjs
// Builds tools/hypre-classical.c into a temporary directory and runs it on one MPI process.
// The matrices come from solvewasm's gallery (dist/), columns sorted in each row: hypre keeps
// that order (with the diagonal first), so its sums and ties run as ours.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CsrMatrix, gallery } from "../dist/entry.node.js";
import { graphLaplacianCoo } from "../test/_random.js";

const dir = mkdtempSync(join(tmpdir(), "hypre-classical-"));
const exe = join(dir, "hypre-classical");
const source = new URL("hypre-classical.c", import.meta.url).pathname;
const cc = spawnSync("mpicc", ["-O2", "-I/usr/include/hypre", source, "-o", exe, "-lHYPRE", "-lm"], { encoding: "utf8" });
if (cc.status !== 0) {
  console.error(cc.stderr || cc.error?.message || "mpicc failed (apt-get install libhypre-dev)");
  process.exit(1);
}
const env = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1", OMPI_MCA_btl_vader_single_copy_mechanism: "none" };

/** @param {{ rows: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data?: ArrayLike<number> }} M */
function sortedRows(M) {
  const indptr = [0],
    indices = [],
    data = [];
  for (let i = 0; i < M.rows; i++) {
    const row = [];
    for (let k = M.indptr[i]; k < M.indptr[i + 1]; k++) row.push([M.indices[k], M.data ? M.data[k] : 0]);
    row.sort((a, b) => a[0] - b[0]);
    for (const [j, v] of row) {
      indices.push(j);
      data.push(v);
    }
    indptr.push(indices.length);
  }
  return { indptr, indices, data };
}

/** A pseudo-random weighted graph Laplacian (n nodes, 3n edges) plus 0.01·I (LCG draws). */
function randomLaplacian(n, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  return CsrMatrix.fromCoo(graphLaplacianCoo(n, rand));
}

/** 2-D Poisson with a_ii + 40 on every 7th row: those rows are weak by max_row_sum (hypre's SF
 * points, which others still depend on). */
function shiftedPoisson(n) {
  const a = gallery.poisson([n, n]).toCsr().toArrays();
  const data = Float64Array.from(a.data);
  for (let i = 0; i < a.rows; i += 7) {
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) if (a.indices[k] === i) data[k] += 40;
  }
  return CsrMatrix.fromArrays({ rows: a.rows, cols: a.cols, indptr: a.indptr, indices: a.indices, data });
}

const cases = [
  ["poisson([15, 15])", gallery.poisson([15, 15]).toCsr()],
  ["poisson([7, 7, 7])", gallery.poisson([7, 7, 7]).toCsr()],
  [
    "stencilGrid([[0.1, -1, 0.2], [-0.5, 3, -0.5], [0.2, -1, 0.1]], [12, 12])",
    gallery
      .stencilGrid(
        [
          [0.1, -1, 0.2],
          [-0.5, 3, -0.5],
          [0.2, -1, 0.1],
        ],
        [12, 12],
      )
      .toCsr(),
  ],
  ["poisson([16, 16]) with a_ii + 40 on every 7th row", shiftedPoisson(16)],
  ["random graph Laplacian n = 300", randomLaplacian(300, 5)],
];

/** Runs the driver on A ({ rows, indptr, indices, data }, columns sorted); its JSON. */
function hypre(a, levels) {
  const lines = [`${a.rows} ${a.indptr[a.rows]}`];
  for (let i = 0; i < a.rows; i++) for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) lines.push(`${i} ${a.indices[k]} ${a.data[k]}`);
  const mtx = join(dir, "A.txt"),
    res = join(dir, "out.json");
  writeFileSync(mtx, `${lines.join("\n")}\n`);
  const run = spawnSync(exe, [mtx, res, "--pcg", "--levels", String(levels)], { encoding: "utf8", env });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(1);
  }
  return JSON.parse(readFileSync(res, "utf8"));
}

const out = [];
let version = "";
/** @param {string} name @param {{ rows: number, cols: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} a */
function record(name, a, levels = 1) {
  const H = hypre(a, levels);
  version = H.hypre;
  const S = sortedRows(H.S);
  const fine = H.levels[0];
  // hypre's markers after interpolation: 1 C, −1 F (its SF points, rows without strong
  // dependencies, are −1 again by then): ours are 1, 0, and −1 for those rows.
  const splitting = fine.cf.map((v, i) => (v === 1 ? 1 : S.indptr[i] === S.indptr[i + 1] ? -1 : 0));
  const P = sortedRows(fine.P);
  out.push({
    name,
    A: { rows: a.rows, cols: a.cols, indptr: Array.from(a.indptr), indices: Array.from(a.indices), data: Array.from(a.data) },
    S: { indptr: S.indptr, indices: S.indices },
    splitting,
    P: { rows: fine.P.rows, cols: fine.P.cols, ...P },
    levels: H.levels.map((l) => [l.rows, l.nnz]),
    operatorComplexity: H.operatorComplexity,
    pcgIterations: H.iterations,
  });
  console.error(`${name}: levels ${H.levels.map((l) => `${l.rows}/${l.nnz}`).join(" ")}, PCG ${H.iterations}`);
  return H;
}

for (const [name, A] of cases) {
  const a = A.toArrays();
  const H = record(name, a, name === "poisson([7, 7, 7])" ? 2 : 1);
  A.dispose();
  if (name === "poisson([7, 7, 7])") {
    // hypre's Galerkin operator of level 1 (its R·A·P), columns sorted: a denser, irregular
    // matrix. (hypre's own row order decides ties on coarse levels; sorted, it matches ours.)
    const L = H.levels[1].A;
    const s = sortedRows(L);
    record("level 1 of hypre's poisson([7, 7, 7]) hierarchy, columns sorted", { rows: L.rows, cols: L.cols, ...s });
  }
}
rmSync(dir, { recursive: true, force: true });
const target = new URL("../test/fixtures/hypre-classical.json", import.meta.url);
const generator = `tools/hypre-classical.mjs (hypre ${version}, BoomerAMG defaults, one MPI process)`;
writeFileSync(target, `${JSON.stringify({ generator, cases: out })}\n`);
console.error(`wrote ${target.pathname}: ${out.length} cases`);
