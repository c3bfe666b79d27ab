// Classical AMG prolongators (bindings/multigrid/classical.ts, assembly/multigrid/classical.ts):
// the wasm strength, splittings and P bit for bit against the plain-JS reference
// (test/_classical.js) on model problems and the SuiteSparse fixtures; properties (row sums,
// injection, truncation); PyAMG 5.3's strength and direct/classical interpolation
// (test/fixtures/pyamg-classical.json, written by tools/pyamg-classical.py); and hypre 2.26
// BoomerAMG's strength, HMIS splitting and truncated extended+i P with its defaults
// (test/fixtures/hypre-classical.json, written by tools/hypre-classical.mjs).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, gallery, memoryStats, mgBlocks } from "solvewasm";
import HYPRE from "./fixtures/hypre-classical.json" with { type: "json" };
import PYAMG from "./fixtures/pyamg-classical.json" with { type: "json" };
import * as ref from "./_classical.js";
import { MATRICES, matrixText } from "./_fixtures.js";
import { assertSameBits, randomVector, rejects } from "./_helpers.js";
import { graphLaplacianCoo } from "./_random.js";

const t = suite("amg-classical");
const { classical } = mgBlocks;
const defaults = classical.defaults;

/** @typedef {{ rows: number, indptr: ArrayLike<number>, indices: ArrayLike<number>, data: ArrayLike<number> }} Csr */

/**
 * Asserts two CSR matrices equal bit for bit.
 * @param {Csr & { cols: number }} got
 * @param {Csr & { cols: number }} want
 * @param {string} what
 */
function assertSameCsr(got, want, what) {
  assert.is(got.cols, want.cols, `${what}: columns`);
  assert.equal(Array.from(got.indptr), Array.from(want.indptr), `${what}: indptr`);
  assert.equal(Array.from(got.indices), Array.from(want.indices), `${what}: indices`);
  assertSameBits(got.data, want.data, `${what}: data`);
}

/** @returns {CsrMatrix} a random sparse SPD matrix: a weighted graph Laplacian plus 0.01·I */
function randomSpd(n, seed) {
  const r = randomVector(9 * n, seed);
  let at = 0;
  return CsrMatrix.fromCoo(graphLaplacianCoo(n, () => (r[at++] + 1) / 2));
}

/** A random nonsymmetric matrix with off-diagonals of both signs and some negative diagonals. */
function mixedSigns(n, seed) {
  const r = randomVector(n * 8, seed);
  const row = [],
    col = [],
    data = [];
  for (let i = 0; i < n; i++) {
    row.push(i);
    col.push(i);
    data.push(i % 7 === 3 ? -4 : 4);
    for (let q = 0; q < 3; q++) {
      const j = Math.floor(((r[8 * i + 2 * q] + 1) / 2) * n);
      if (j !== i) {
        row.push(i);
        col.push(j);
        data.push(r[8 * i + 2 * q + 1]);
      }
    }
  }
  return CsrMatrix.fromCoo({ rows: n, cols: n, row, col, data });
}

/** 2-D Poisson on n × n with every third row replaced by a diagonal-only row (isolated points). */
function withIsolatedRows(n) {
  const A = gallery.poisson([n, n]).toCsr();
  const a = A.toArrays();
  A.dispose();
  const row = [],
    col = [],
    data = [];
  const isolated = (/** @type {number} */ i) => i % 3 === 1;
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) {
      const j = a.indices[k];
      if ((isolated(i) || isolated(j)) && j !== i) continue;
      row.push(i);
      col.push(j);
      data.push(a.data[k]);
    }
  }
  return CsrMatrix.fromCoo({ rows: a.rows, cols: a.rows, row, col, data });
}

/** Every setting combination checked against the reference. */
const SETTINGS = [];
for (const coarsening of ["rs", "pmis"]) {
  for (const interpolation of ["extended+i", "classical", "direct"]) SETTINGS.push({ ...defaults, coarsening, interpolation });
}
SETTINGS.push(
  { ...defaults, maxElements: 0 },
  { ...defaults, maxElements: 2, truncation: 0.3 },
  { ...defaults, theta: 0.5, coarsening: "pmis", truncation: 0.2 },
);

/**
 * Checks strength, splitting and P of A against the JS reference under every setting.
 * @param {CsrMatrix} A
 * @param {string} name
 * @param {object[]} [settings]
 */
function checkAgainstReference(A, name, settings = SETTINGS) {
  const a = A.toArrays();
  for (const s of settings) {
    const what = `${name} ${JSON.stringify(s)}`;
    const S = ref.strength(a, s.theta);
    const got = classical.strength(A, s.theta);
    assert.equal(Array.from(got.indptr), Array.from(S.indptr), `${what}: S indptr`);
    assert.equal(Array.from(got.indices), Array.from(S.indices), `${what}: S indices`);
    const cf = s.coarsening === "rs" ? ref.rsSplitting(S, a.rows) : ref.pmisSplitting(S, a.rows);
    assert.equal(Array.from(classical.splitting(A, s)), Array.from(cf), `${what}: splitting`);
    const P = classical.prolongator(A, s);
    assertSameCsr(P.toArrays(), ref.prolongator(a, S, cf, s.interpolation, s.maxElements, s.truncation), what);
    P.dispose();
  }
}

t("1-D, 2-D and 3-D Poisson: strength, splitting and P equal the JS reference bit for bit", () => {
  for (const grid of [[1], [2], [33], [8, 8], [17, 13], [31, 31], [6, 6, 6], [9, 7, 8]]) {
    const A = gallery.poisson(grid).toCsr();
    checkAgainstReference(A, `poisson(${JSON.stringify(grid)})`);
    A.dispose();
  }
});

t("anisotropic stencils (gallery.stencilGrid, 5- and 9-point) equal the JS reference bit for bit", () => {
  // biome-ignore format: stencils
  const stencils = [
    [[0, -1, 0], [-0.001, 2.002, -0.001], [0, -1, 0]],
    [[-0.25, -1, -0.25], [-0.1, 3.2, -0.1], [-0.25, -1, -0.25]],
    [[0.1, -1, 0.2], [-0.5, 3, -0.5], [0.2, -1, 0.1]],
  ];
  for (const stencil of stencils) {
    const A = gallery.stencilGrid(stencil, [23, 19]).toCsr();
    checkAgainstReference(A, `stencilGrid(${JSON.stringify(stencil)})`);
    A.dispose();
  }
});

t("random SPD, mixed-sign and isolated-row matrices equal the JS reference bit for bit", () => {
  for (const [name, A] of [
    ["random SPD n = 400", randomSpd(400, 3)],
    ["random SPD n = 1500", randomSpd(1500, 11)],
    ["mixed signs n = 300", mixedSigns(300, 5)],
    ["isolated rows 20 × 20", withIsolatedRows(20)],
    ["diagonal only", CsrMatrix.fromCoo({ rows: 5, cols: 5, row: [0, 1, 2, 3, 4], col: [0, 1, 2, 3, 4], data: [1, 2, 3, 4, 5] })],
  ]) {
    checkAgainstReference(A, name);
    A.dispose();
  }
});

t("the SuiteSparse fixtures equal the JS reference bit for bit", async () => {
  for (const { name } of MATRICES) {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    checkAgainstReference(A, name, SETTINGS.slice(0, 6));
    A.dispose();
  }
});

t("diagonal-only and no-coupling levels do not coarsen: P has 0 columns; isolated points are marked −1", () => {
  const D = CsrMatrix.fromCoo({ rows: 4, cols: 4, row: [0, 1, 2, 3], col: [0, 1, 2, 3], data: [1, 1, 1, 1] });
  assert.equal(Array.from(classical.splitting(D, defaults)), [-1, -1, -1, -1]);
  const P = classical.prolongator(D, defaults);
  assert.is(P.cols, 0);
  assert.is(P.nnz, 0);
  P.dispose();
  D.dispose();
  const I = withIsolatedRows(10);
  const cf = classical.splitting(I, defaults);
  for (let i = 0; i < 100; i++) if (i % 3 === 1) assert.is(cf[i], -1, `row ${i}`);
  I.dispose();
});

t("properties: C rows inject, ≤ maxElements per row, no NaN, F rows with zero row sum interpolate constants (1e-12)", () => {
  const A = gallery.poisson([40, 40]).toCsr();
  const a = A.toArrays();
  for (const s of SETTINGS) {
    const cf = classical.splitting(A, s);
    const P = classical.prolongator(A, s);
    const p = P.toArrays();
    let c = 0;
    for (let i = 0; i < a.rows; i++) {
      const len = p.indptr[i + 1] - p.indptr[i];
      if (s.maxElements > 0) assert.ok(len <= Math.max(1, s.maxElements), `row ${i} has ${len} entries`);
      let sum = 0;
      for (let k = p.indptr[i]; k < p.indptr[i + 1]; k++) {
        assert.ok(Number.isFinite(p.data[k]), `P[${i}] is ${p.data[k]}`);
        if (k > p.indptr[i]) assert.ok(p.indices[k] > p.indices[k - 1], `row ${i} sorted`);
        sum += p.data[k];
      }
      if (cf[i] === 1) {
        assert.equal([len, p.indices[p.indptr[i]], p.data[p.indptr[i]]], [1, c++, 1], `C row ${i}`);
        continue;
      }
      let rowSum = 0;
      for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) rowSum += a.data[k];
      // Sums of O(10) weights of size O(1): rounding is a few ulps; 1e-12 is far above it.
      if (rowSum === 0 && len > 0) assert.ok(Math.abs(sum - 1) <= 1e-12, `${JSON.stringify(s)} row ${i}: Σw = ${sum}`);
    }
    assert.is(P.cols, c);
    P.dispose();
  }
  A.dispose();
});

t("a given splitting is used as given; invalid settings and splittings are refused", async () => {
  const A = gallery.poisson([7]).toCsr();
  const cf = new Int8Array([1, 0, 0, 1, 0, 0, 1]);
  const P = classical.prolongator(A, { ...defaults, interpolation: "direct" }, cf);
  assert.is(P.cols, 3);
  // Direct interpolation in 1-D from C points 0, 3, 6: each F point copies its one strong C neighbour.
  assert.equal(Array.from(P.toArrays().indices), [0, 0, 1, 1, 1, 2, 2]);
  assert.equal(Array.from(P.toArrays().data), [1, 1, 1, 1, 1, 1, 1]);
  P.dispose();
  await rejects(() => classical.prolongator(A, { ...defaults, theta: 2 }), "INVALID_OPTION", /theta/);
  await rejects(() => classical.prolongator(A, { ...defaults, interpolation: "standard" }), "INVALID_OPTION", /interpolation/);
  await rejects(() => classical.prolongator(A, { ...defaults, maxElements: -1 }), "INVALID_OPTION", /maxElements/);
  await rejects(() => classical.prolongator(A, defaults, new Int8Array(6)), "DIMENSION_MISMATCH");
  await rejects(() => classical.prolongator(A, defaults, new Int8Array(7).fill(5)), "INVALID_ARGUMENT", /splitting\[0\]/);
  A.dispose();
});

t("scratch is freed: memoryStats().live is unchanged after strength, splitting and prolongator", () => {
  const A = gallery.poisson([20, 20]).toCsr();
  const before = memoryStats().live;
  for (const s of SETTINGS) {
    classical.strength(A, s.theta);
    classical.splitting(A, s);
    classical.prolongator(A, s).dispose();
  }
  assert.is(memoryStats().live, before);
  A.dispose();
});

// PyAMG: its strength (norm "min") is ours for these matrices (no ties at θ·max, no row
// weakened by hypre's max_row_sum); its direct and modified classical interpolation from
// its own splitting match ours to 1e-12 (their sums run in a different order: a few ulps on
// weights of size ≤ 1). Its RS splitting is not ours: ours is hypre's HMIS (checked below).
for (const c of PYAMG.cases) {
  t(`PyAMG (${PYAMG.generator}): ${c.name}: S, direct and classical P`, () => {
    const A = CsrMatrix.fromArrays(c.A);
    const S = classical.strength(A, c.theta);
    assert.equal(Array.from(S.indptr), c.S.indptr, "S indptr");
    assert.equal(Array.from(S.indices), c.S.indices, "S indices");
    const given = Int8Array.from(c.splitting);
    for (const interpolation of ["direct", "classical"]) {
      const P = classical.prolongator(A, { ...defaults, theta: c.theta, interpolation, maxElements: 0 }, given);
      assertCloseCsr(P.toArrays(), c[interpolation], interpolation);
      P.dispose();
    }
    A.dispose();
  });
}

/**
 * Asserts two CSR matrices have the same pattern and values within 1e-12.
 * @param {Csr & { cols: number }} got
 * @param {{ cols: number, indptr: number[], indices: number[], data: number[] }} want
 * @param {string} what
 */
function assertCloseCsr(got, want, what) {
  assert.is(got.cols, want.cols, `${what}: columns`);
  assert.equal(Array.from(got.indptr), want.indptr, `${what}: indptr`);
  assert.equal(Array.from(got.indices), want.indices, `${what}: indices`);
  for (let k = 0; k < want.data.length; k++) {
    assert.ok(Math.abs(got.data[k] - want.data[k]) <= 1e-12, `${what}: data[${k}] = ${got.data[k]}, reference ${want.data[k]}`);
  }
}

// hypre 2.26 (one MPI process, BoomerAMG's defaults: θ = 0.25, max_row_sum 0.9, HMIS,
// extended+i, P_max_elmts 4): its strength matrix and splitting exactly; its P, from its
// splitting and from ours, to 1e-12 (the same sums in the same order: equal in practice).
for (const c of HYPRE.cases) {
  t(`hypre (${HYPRE.generator}): ${c.name}: S, HMIS splitting and extended+i P`, () => {
    const A = CsrMatrix.fromArrays(c.A);
    const S = classical.strength(A, defaults.theta);
    assert.equal(Array.from(S.indptr), c.S.indptr, "S indptr");
    assert.equal(Array.from(S.indices), c.S.indices, "S indices");
    assert.equal(Array.from(classical.splitting(A, defaults)), c.splitting, "splitting");
    for (const given of [Int8Array.from(c.splitting), undefined]) {
      const P = classical.prolongator(A, defaults, given);
      assertCloseCsr(P.toArrays(), c.P, given ? "P from hypre's splitting" : "P");
      P.dispose();
    }
    A.dispose();
  });
}

t.run();
