// Geometric multigrid (bindings/multigrid): the reference convergence factors of V(1,1)
// red-black Gauss–Seidel on 2D Poisson, GMG-PCG's 8 iterations at every n, W/F cycles,
// 3D, and the errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { allocF64, amg, cg, CsrMatrix, fcd, gallery, memoryStats, mgBlocks, multigrid } from "solvewasm";
import { MATRICES, matrixText } from "./_fixtures.js";
import { randomVector, rejects } from "./_helpers.js";

const t = suite("multigrid");

// Reference: V(1,1) RB-GS, 2D 5-point Dirichlet: ≈ 0.12 per cycle in the non-symmetric
// colour order, ≈ 0.25–0.27 in the symmetric one, independent of n (± 0.03).
for (const n of [63, 127, 255]) {
  t(`n = ${n}: convergence factors ≈ 0.12 (non-symmetric) and ≈ 0.26 (symmetric), independent of n`, () => {
    const A = gallery.poisson([n, n]);
    const sym = multigrid(A),
      non = multigrid(A, { symmetric: false });
    const rs = sym.convergenceFactor(),
      rn = non.convergenceFactor();
    assert.ok(Math.abs(rn - 0.12) <= 0.03, `non-symmetric ${rn}`);
    assert.ok(Math.abs(rs - 0.26) <= 0.03, `symmetric ${rs}`);
    sym.dispose();
    non.dispose();
    A.dispose();
  });
}

for (const n of [63, 127, 255]) {
  t(`n = ${n}: GMG-PCG takes 8 iterations (± 1); fcd with the non-symmetric cycle ≈ 6 (± 1); both agree with CG`, () => {
    const A = gallery.poisson([n, n]);
    const b = new Float64Array(n * n).fill(1);
    const ml = multigrid(A);
    const M = ml.asPreconditioner();
    const r = cg(A, b, { rtol: 1e-8, M });
    assert.ok(r.converged && Math.abs(r.iterations - 8) <= 1, `GMG-PCG: ${r.iterations}`);
    const N = multigrid(A, { symmetric: false }).asPreconditioner();
    assert.is(N.symmetric, false);
    const f = fcd(A, b, { rtol: 1e-8, M: N });
    assert.ok(f.converged && Math.abs(f.iterations - 6) <= 1, `fcd: ${f.iterations}`);
    const plain = cg(A, b, { rtol: 1e-10 });
    const s = ml.solve(b, { rtol: 1e-10 });
    assert.ok(s.converged);
    let d = 0,
      m = 0;
    for (let i = 0; i < n * n; i++) {
      d = Math.max(d, Math.abs(s.x[i] - plain.x[i]));
      m = Math.max(m, Math.abs(plain.x[i]));
    }
    assert.ok(d <= 1e-8 * m, `standalone vs CG: ${d / m}`);
    M.dispose();
    N.dispose();
    ml.dispose();
    A.dispose();
  });
}

t("W and F cycles converge at least as fast per cycle as V; random right-hand sides too", () => {
  const A = gallery.poisson([127, 127]);
  const b = randomVector(127 * 127, 4);
  const its = {};
  for (const cycle of ["V", "W", "F"]) {
    const ml = multigrid(A, { cycle });
    const r = ml.solve(b, { rtol: 1e-8 });
    assert.ok(r.converged, cycle);
    its[cycle] = r.iterations;
    ml.dispose();
  }
  assert.ok(its.W <= its.V && its.F <= its.V, JSON.stringify(its));
  A.dispose();
});

t("3D 7-point: GMG-PCG converges in ≤ 12 iterations at n = 15 and 31", () => {
  for (const n of [15, 31]) {
    const A = gallery.poisson([n, n, n]);
    const ml = multigrid(A);
    const r = cg(A, new Float64Array(n ** 3).fill(1), { rtol: 1e-8, M: ml.asPreconditioner() });
    assert.ok(r.converged && r.iterations <= 12, `n = ${n}: ${r.iterations}`);
    ml.dispose();
    A.dispose();
  }
});

t("a scaled or anisotropic 5-point stencil works (rediscretised coarse operators)", () => {
  // biome-ignore format: a matrix or stencil literal reads as its grid
  const A = gallery.stencilGrid([[0, -1, 0], [-0.1, 2.2, -0.1], [0, -1, 0]], [63, 63]);
  const ml = multigrid(A);
  const r = cg(A, new Float64Array(63 * 63).fill(1), { rtol: 1e-8, M: ml.asPreconditioner() });
  const plain = cg(A, new Float64Array(63 * 63).fill(1), { rtol: 1e-8 });
  assert.ok(r.converged && r.iterations < plain.iterations / 2, `${r.iterations} vs CG ${plain.iterations}`);
  ml.dispose();
  A.dispose();
});

const blocks = suite("multigrid building blocks");

blocks("restrictions and interpolations match their definitions on 2D and 3D grids", () => {
  // 2D 7 × 5 → 3 × 2: values i + 10·j make the weights easy to check by hand.
  const [ny, nx] = [5, 7];
  const f = Float64Array.from({ length: nx * ny }, (_, p) => (p % nx) + 10 * Math.floor(p / nx));
  const at = (i, j) => f[j * nx + i];
  const full = mgBlocks.restrict(f, [ny, nx]);
  const half = mgBlocks.restrict(f, [ny, nx], "half");
  const inj = mgBlocks.restrict(f, [ny, nx], "injection");
  for (let J = 0; J < 2; J++)
    for (let I = 0; I < 3; I++) {
      const i = 2 * I + 1,
        j = 2 * J + 1,
        c = J * 3 + I;
      let fw = 0;
      for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) fw += ((2 - Math.abs(di)) * (2 - Math.abs(dj)) * at(i + di, j + dj)) / 16;
      assert.ok(Math.abs(full[c] - fw) < 1e-12, `full weighting at ${c}`);
      assert.ok(Math.abs(half[c] - (at(i, j) / 2 + (at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1)) / 8)) < 1e-12, "half weighting");
      assert.is(inj[c], at(i, j));
    }
  // A linear function is reproduced exactly by linear interpolation away from the boundary
  // and by full weighting (weights sum to 1).
  const coarse = Float64Array.from({ length: 6 }, (_, c) => (c % 3) * 2 + 1 + 10 * (2 * Math.floor(c / 3) + 1));
  const fine = mgBlocks.prolong(coarse, [ny, nx]);
  for (let j = 1; j < ny - 1; j++) for (let i = 1; i < nx - 1; i++) assert.ok(Math.abs(fine[j * nx + i] - at(i, j)) < 1e-12, `linear at (${i}, ${j})`);
  // Cell-centred: averaging then constant interpolation keeps block means.
  const cells = Float64Array.from({ length: 4 * 6 * 2 }, (_, p) => Math.sin(p));
  const avg = mgBlocks.restrict(cells, [2, 4, 6], "cell-average");
  assert.is(avg.length, 1 * 2 * 3);
  let s = 0;
  for (let p = 0; p < cells.length; p++) s += cells[p];
  assert.ok(Math.abs(avg.reduce((a, v) => a + v, 0) * 8 - s) < 1e-12, "cell averages keep the total");
  const back = mgBlocks.prolong(avg, [2, 4, 6], "constant");
  assert.is(back[0], avg[0]);
  assert.is(back[6 * 4 + 1 * 6 + 1], avg[0]); // cell (1, 1, 1) lies in coarse cell (0, 0, 0)
  // 3D full weighting of a constant is the constant.
  const ones = mgBlocks.restrict(new Float64Array(7 * 7 * 7).fill(2), [7, 7, 7]);
  assert.ok(ones.every((v, c) => c !== 13 || Math.abs(v - 2) < 1e-12));
});

blocks("smoothers reduce the error, residual is b − A·x, and bad kinds are INVALID_OPTION", async () => {
  const A = gallery.poisson([15, 15]);
  const b = randomVector(225, 3);
  const exact = cg(A, b, { rtol: 1e-14 }).x;
  const err = (x) => Math.sqrt(x.reduce((s, v, i) => s + (v - exact[i]) ** 2, 0));
  for (const kind of ["rbgs", "rbgs-reverse", "gs", "sgs", "jacobi", "chebyshev"]) {
    const x = new Float64Array(225);
    const e0 = err(x);
    mgBlocks.smooth(A, b, x, { kind, sweeps: 20 });
    assert.ok(err(x) < 0.9 * e0, `${kind}: ${err(x)} vs ${e0}`);
  }
  const x = randomVector(225, 4);
  const r = mgBlocks.residual(A, b, x);
  const ax = A.matvec(x);
  assert.ok(r.every((v, i) => Math.abs(v - (b[i] - ax[i])) < 1e-12));
  await rejects(() => mgBlocks.smooth(A, b, x, { kind: "sor" }), "INVALID_OPTION");
  const small = gallery.poisson([5, 5]);
  const rhs = randomVector(25, 9);
  const direct = mgBlocks.coarseSolver(small).solve(rhs);
  const ad = small.matvec(direct);
  assert.ok(
    ad.every((v, i) => Math.abs(v - rhs[i]) < 1e-12),
    "the dense coarse solve is exact",
  );
  small.dispose();
  await rejects(() => mgBlocks.smooth(gallery.diffusion(1, [15, 15]), b, x, { kind: "rbgs" }), "INVALID_OPTION", /red-black/);
  await rejects(() => mgBlocks.restrict(new Float64Array(16), [4, 4]), "INVALID_ARGUMENT", /2·n \+ 1/);
  A.dispose();
});

blocks("full multigrid reaches discretisation accuracy in one pass; weighted Jacobi cycles; update() keeps preconditioners working", () => {
  const n = 127,
    A = gallery.poisson([n, n]);
  const b = new Float64Array(n * n).fill(1 / (n + 1) ** 2);
  const ml = multigrid(A);
  const x = ml.fmg(b);
  const r = mgBlocks.residual(A, b, x);
  const rel = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / b.reduce((s, v) => s + v * v, 0));
  const oneCycle = ml.solve(b, { maxiter: 1, rtol: 0 }).residualNorm / Math.sqrt(b.reduce((s, v) => s + v * v, 0));
  assert.ok(rel < oneCycle && rel < 0.05, `FMG ${rel}, one V-cycle ${oneCycle}`);
  const jac = multigrid(A, { smoother: "jacobi", pre: 2, post: 2 });
  const rj = cg(A, b, { rtol: 1e-8, M: jac.asPreconditioner() });
  assert.ok(rj.converged && rj.iterations <= 15, `Jacobi-smoothed GMG-PCG: ${rj.iterations}`);
  // A time step: 2·A with the same hierarchy.
  const M = ml.asPreconditioner();
  // biome-ignore format: a matrix or stencil literal reads as its grid
  const A2 = gallery.stencilGrid([[0, -2, 0], [-2, 8, -2], [0, -2, 0]], [n, n]);
  ml.update(A2);
  const r2 = cg(A2, b, { rtol: 1e-8, M });
  assert.ok(r2.converged && Math.abs(r2.iterations - 8) <= 1, `after update: ${r2.iterations}`);
  const G = gallery.diffusion(1, [64, 64], { boundary: "neumann" });
  const gml = multigrid(G);
  const GM = gml.asPreconditioner();
  const G2 = gallery.diffusion(
    Float64Array.from({ length: 4096 }, (_, p) => 1 + (p % 5)),
    [64, 64],
    { boundary: "neumann" },
  );
  gml.update(G2);
  const bb = randomVector(4096, 8);
  const mean = bb.reduce((s, v) => s + v, 0) / 4096;
  const rg = cg(
    G2,
    bb.map((v) => v - mean),
    { rtol: 1e-8, M: GM, nullspace: "constant" },
  );
  assert.ok(rg.converged && rg.iterations <= 20, `Galerkin after update: ${rg.iterations}`);
  for (const o of [ml, jac, gml, M, GM, A, A2, G, G2]) o.dispose();
  // A two-level hierarchy (maxLevels option) still preconditions well.
  const P = gallery.poisson([63, 63]);
  const two = multigrid(P, { maxLevels: 2 });
  assert.is(two.levels.length, 2);
  assert.ok(cg(P, new Float64Array(3969).fill(1), { rtol: 1e-8, M: two.asPreconditioner() }).iterations <= 9);
  // Pure Neumann with a consistent b converges without the nullspace option too.
  const N = gallery.diffusion(1, [64, 64], { boundary: "neumann" });
  const nb = randomVector(4096, 1);
  const nm = nb.reduce((s, v) => s + v, 0) / 4096;
  const nr = cg(
    N,
    nb.map((v) => v - nm),
    { rtol: 1e-8, M: multigrid(N).asPreconditioner() },
  );
  assert.ok(nr.converged, nr.message);
  two.dispose();
  P.dispose();
  N.dispose();
});

const galerkin = suite("multigrid on variable coefficients, masks and Neumann grids");

galerkin("jumping coefficients (×100), Dirichlet and Neumann, 2D and 3D: PCG in a handful of iterations where CG needs hundreds", () => {
  for (const [grid, boundary, maxIts] of [
    [[64, 64], "dirichlet", 12],
    [[128, 128], "neumann", 15],
    [[16, 16, 16], "dirichlet", 20],
  ]) {
    const n = grid.reduce((a, b) => a * b, 1);
    const k = Float64Array.from({ length: n }, (_, i) => (Math.floor(i / 7) % 3 === 0 ? 100 : 1));
    const A = gallery.diffusion(k, grid, { boundary });
    let b = randomVector(n, 1);
    const opts = {};
    if (boundary === "neumann") {
      const m = b.reduce((s, v) => s + v, 0) / n;
      b = b.map((v) => v - m);
      opts.nullspace = "constant";
    }
    const ml = multigrid(A);
    assert.ok(ml.levels.length >= 3);
    const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner(), ...opts });
    const plain = cg(A, b, { rtol: 1e-8, ...opts });
    assert.ok(r.converged && r.iterations <= maxIts, `${JSON.stringify(grid)} ${boundary}: ${r.iterations}`);
    assert.ok(plain.iterations > 10 * r.iterations, `CG ${plain.iterations}`);
    ml.dispose();
    A.dispose();
  }
});

galerkin("a 9-point rotated anisotropic stencil gets the Galerkin hierarchy", () => {
  const A = gallery.anisotropic([64, 64], { epsilon: 0.5, theta: 0.3 });
  const b = randomVector(4096, 5);
  const ml = multigrid(A);
  const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() });
  const plain = cg(A, b, { rtol: 1e-8 });
  assert.ok(r.converged && r.iterations * 5 < plain.iterations, `${r.iterations} vs CG ${plain.iterations}`);
  // One multilevel class: W-cycles run on the Galerkin hierarchy too; what it cannot
  // honour (red-black smoothing, a nonsymmetric cycle) is refused.
  const w = multigrid(A, { cycle: "W" });
  const rw = cg(A, b, { rtol: 1e-8, M: w.asPreconditioner() });
  assert.ok(rw.converged && rw.iterations <= r.iterations, `W ${rw.iterations} vs V ${r.iterations}`);
  assert.is(w.kind, "galerkin");
  assert.throws(
    () => multigrid(A, { smoother: "rbgs" }),
    (e) => e.code === "INVALID_OPTION" && /smoother/.test(e.message),
  );
  assert.throws(
    () => multigrid(A, { symmetric: false }),
    (e) => e.code === "INVALID_OPTION" && /symmetric/.test(e.message),
  );
  assert.throws(
    () => w.fmg(b),
    (e) => e.code === "INVALID_ARGUMENT" && /geometric/.test(e.message),
  );
  w.dispose();
  ml.dispose();
  A.dispose();
});

galerkin("a masked fluid domain (a disc) with Neumann walls", () => {
  const mask = Array.from({ length: 64 * 64 }, (_, p) => ((p % 64) - 32) ** 2 + (Math.floor(p / 64) - 32) ** 2 < 28 ** 2);
  const A = gallery.diffusion(1, [64, 64], { boundary: "neumann", mask });
  const active = mask.filter(Boolean).length;
  const raw = randomVector(4096, 2);
  const mean = raw.reduce((s, v, p) => s + (mask[p] ? v : 0), 0) / active;
  const b = raw.map((v, p) => (mask[p] ? v - mean : 0));
  const ml = multigrid(A);
  const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner(), nullspace: "constant" });
  const plain = cg(A, b, { rtol: 1e-8, nullspace: "constant" });
  assert.ok(r.converged && r.iterations <= 20 && r.iterations * 5 < plain.iterations, `${r.iterations} vs CG ${plain.iterations}`);
  ml.dispose();
  A.dispose();
});

const algebraic = suite("smoothed-aggregation AMG");

// Reference (PyAMG SA, rtol 1e-8): 2D Poisson SA-AMG-PCG 9–13 iterations; random right-hand
// sides on gr_30_30 ≈ 6, 1138_bus ≈ 65, ani4 ≈ 43. The issue allows ± 50 %.
algebraic("2D Poisson as CSR: AMG-PCG in 9–13 iterations (± 50 %), operator complexity below 2, standalone cycles converge", () => {
  for (const n of [63, 127]) {
    const A = gallery.poisson([n, n]).toCsr();
    const b = new Float64Array(n * n).fill(1);
    const ml = amg(A);
    const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() });
    assert.ok(r.converged && r.iterations >= 4.5 && r.iterations <= 19.5, `n = ${n}: ${r.iterations}`);
    const oc = ml.operatorComplexity();
    assert.ok(oc > 1 && oc < 2, `operator complexity ${oc}`);
    assert.ok(ml.levels.length >= 3 && ml.levels.at(-1).rows <= 300);
    assert.ok(ml.solve(b, { rtol: 1e-8 }).converged);
    ml.dispose();
    A.dispose();
  }
});

for (const [name, ref] of [
  ["gr_30_30.mtx", 6],
  ["1138_bus.mtx", 65],
  ["ani4.mtx", 43],
]) {
  algebraic(`${name}: AMG-PCG with a random right-hand side in ≈ ${ref} iterations (± 50 %)`, async () => {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    const ml = amg(A);
    const r = cg(A, randomVector(A.rows, 1), { rtol: 1e-8, M: ml.asPreconditioner() });
    assert.ok(r.converged && Math.abs(r.iterations - ref) <= 0.5 * ref, `${r.iterations} iterations`);
    ml.dispose();
    A.dispose();
  });
}

algebraic("every SuiteSparse matrix gets a hierarchy whose preconditioner beats plain CG", async () => {
  for (const { name, rows } of MATRICES) {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    const b = randomVector(rows, 2);
    const ml = amg(A);
    const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() });
    const plain = cg(A, b, { rtol: 1e-8 });
    assert.ok(r.converged && r.iterations <= plain.iterations, `${name}: ${r.iterations} vs CG ${plain.iterations}`);
    ml.dispose();
    A.dispose();
  }
});

const bad = suite("multigrid: bad input");

bad('a diverging cycle is a result (reason "diverged", x finite), not NOT_FINITE', () => {
  const H = gallery.stencilGrid(
    [
      [0, -1, 0],
      [-1, 1, -1],
      [0, -1, 0],
    ],
    [31, 31],
  );
  const ml = multigrid(H);
  const r = ml.solve(new Float64Array(H.rows).fill(1), { maxiter: 1000 });
  assert.is(r.converged, false);
  assert.is(r.reason, "diverged");
  assert.ok(r.x.every(Number.isFinite) && r.iterations < 100, `${r.iterations} cycles`);
  ml.dispose();
  H.dispose();
});

bad("building blocks check the shapes their kernels rely on: a non-square smoother, a prototype name as a kind", async () => {
  const canary = allocF64(64).set(new Float64Array(64).fill(7));
  const tall = CsrMatrix.fromCoo({ rows: 40, cols: 2, row: [...Array(40).keys()], col: [...Array(40).keys()].map((i) => i % 2), data: new Array(40).fill(2) });
  const wide = tall.transpose();
  for (const kind of ["gs", "sgs", "jacobi", "chebyshev"]) {
    await rejects(() => mgBlocks.smooth(tall, new Float64Array(40).fill(1), new Float64Array(2), { kind }), "DIMENSION_MISMATCH", /square/);
    await rejects(() => mgBlocks.smooth(wide, new Float64Array(2).fill(1), new Float64Array(40), { kind }), "DIMENSION_MISMATCH", /square/);
  }
  await rejects(() => mgBlocks.coarseSolver(tall), "DIMENSION_MISMATCH", /square/);
  await rejects(() => mgBlocks.residual(tall, new Float64Array(40), new Float64Array(3)), "DIMENSION_MISMATCH");
  for (const kind of ["toString", "constructor", "__proto__"]) {
    await rejects(() => mgBlocks.restrict(new Float64Array(49), [7, 7], kind), "INVALID_OPTION", /kind must be/);
    await rejects(() => mgBlocks.smooth(gallery.poisson([7, 7]), new Float64Array(49), new Float64Array(49), { kind }), "INVALID_OPTION", /kind must be/);
  }
  await rejects(() => mgBlocks.prolong(new Float64Array(5), [2 ** 20, 2 ** 20]), "OUT_OF_MEMORY", /more than one vector holds/);
  // A finite system whose sweep overflows: an error, never a NaN or infinity in x.
  const huge = CsrMatrix.fromDense([
    [1, 1e300],
    [1e300, 1],
  ]);
  await rejects(() => mgBlocks.smooth(huge, new Float64Array([1e300, 1]), new Float64Array(2), { kind: "gs" }), "NOT_FINITE", /overflowed/);
  await rejects(() => mgBlocks.smooth(huge, new Float64Array(2), new Float64Array(2), null), "INVALID_OPTION", /options must be an object/);
  huge.dispose();
  assert.ok(
    canary.array.every((v) => v === 7),
    "a live buffer beside them is untouched",
  );
  canary.dispose();
  tall.dispose();
  wide.dispose();
});

bad("AMG refuses non-square, non-symmetric and non-positive-diagonal matrices", async () => {
  await rejects(() => amg(CsrMatrix.fromDense([[1, 2, 3]])), "DIMENSION_MISMATCH", /square/);
  await rejects(
    () =>
      amg(
        CsrMatrix.fromDense([
          [2, -1],
          [-0.5, 2],
        ]),
      ),
    "INVALID_MATRIX",
    /symmetric/,
  );
  await rejects(
    () =>
      amg(
        CsrMatrix.fromDense([
          [0, 1],
          [1, 2],
        ]),
      ),
    "INVALID_MATRIX",
    /positive diagonal/,
  );
  await rejects(
    () =>
      amg(
        CsrMatrix.fromDense([
          [-2, 1],
          [1, 2],
        ]),
      ),
    "INVALID_MATRIX",
    /positive diagonal/,
  );
  await rejects(() => amg({ rows: 2, cols: 2, matvec: (x) => x }), "INVALID_ARGUMENT");
  await rejects(() => amg(gallery.poisson([7, 7]), { theta: 2 }), "INVALID_OPTION", /theta/);
});

bad("sizes that do not coarsen, operators it cannot take, bad options", async () => {
  await rejects(() => multigrid(gallery.poisson([64, 64])), "INVALID_ARGUMENT", /2\^L − 1 points per axis .* \[64, 64\]/);
  await rejects(() => multigrid(gallery.poisson([16383, 1])), "INVALID_ARGUMENT", /coarsens only to \[16383, 1\]/);
  await rejects(
    () =>
      multigrid(
        CsrMatrix.fromDense([
          [2, -1],
          [-1, 2],
        ]),
      ),
    "INVALID_ARGUMENT",
    /grid operator.*amg\(A\)/,
  );
  await rejects(() => multigrid(gallery.poisson([7, 7]), { levels: 2 }), "INVALID_OPTION", /"levels".*did you mean "maxLevels"/);
  // biome-ignore format: a matrix or stencil literal reads as its grid
  await rejects(() => multigrid(gallery.stencilGrid([[0, -1, 0], [-1, -4, -1], [0, -1, 0]], [7, 7])), "INVALID_MATRIX", /centre/);
  await rejects(() => multigrid(gallery.poisson([7, 7]), { pre: -1 }), "INVALID_OPTION", /pre/);
  await rejects(() => multigrid(gallery.poisson([7, 7]), { cycle: "X" }), "INVALID_OPTION", /cycle/);
  const live = memoryStats().live;
  const A = gallery.poisson([15, 15]);
  const ml = multigrid(A);
  await rejects(() => ml.solve(new Float64Array(10)), "DIMENSION_MISMATCH");
  ml.dispose();
  await rejects(() => ml.solve(new Float64Array(225)), "DISPOSED");
  A.dispose();
  assert.is(memoryStats().live, live, "nothing leaked");
});

t.run();
blocks.run();
galerkin.run();
algebraic.run();
bad.run();
