// AMG (bindings/multigrid/amg.ts), set up in wasm: smoothed aggregation against PyAMG 5.3.0's
// own tests (test/fixtures/pyamg-amg.json, from tools/pyamg-reference.py: same inputs, drawn
// from the LCG both implement), the setup's sparse products against plain JavaScript,
// near-null-space candidates, classical AMG's iteration counts, memory, and bad input.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { amg, cg, CsrMatrix, gallery, memoryStats, mgBlocks, rigidBodyModes } from "solvewasm";
import PYAMG from "./fixtures/pyamg-amg.json" with { type: "json" };
import { MATRICES, matrixText } from "./_fixtures.js";
import { assertSameBits, randomVector, rejects } from "./_helpers.js";

/** tools/pyamg-reference.py's LCG: s ← 1103515245·s + 12345 mod 2³², u = s / 2³². */
function lcg(seed) {
  let s = seed >>> 0;
  return (n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      out[i] = s / 2 ** 32;
    }
    return out;
  };
}

/** PyAMG's test statistic: (‖r_last‖ / ‖r_0‖)^(1 / len(residuals)). */
const ratio = (history) => (history.at(-1) / history[0]) ** (1 / history.length);

/** X·Y on plain CSR arrays (Gustavson, each row in X's then Y's storage order, columns sorted). */
function multiplyRef(X, Y) {
  const indptr = [0],
    indices = [],
    data = [];
  for (let i = 0; i < X.rows; i++) {
    const acc = new Map();
    for (let a = X.indptr[i]; a < X.indptr[i + 1]; a++) {
      for (let b = Y.indptr[X.indices[a]]; b < Y.indptr[X.indices[a] + 1]; b++) {
        const j = Y.indices[b];
        acc.set(j, (acc.get(j) ?? 0) + X.data[a] * Y.data[b]);
      }
    }
    for (const j of [...acc.keys()].sort((p, q) => p - q)) {
      indices.push(j);
      data.push(acc.get(j));
    }
    indptr.push(indices.length);
  }
  return { rows: X.rows, cols: Y.cols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** A random sparse rows × cols matrix with about `perRow` entries a row (xorshift, seeded). */
function randomSparse(rows, cols, perRow, seed) {
  const v = randomVector(rows * perRow * 2, seed);
  const row = [],
    col = [],
    data = [];
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < perRow; k++) {
      row.push(i);
      col.push(Math.floor(((v[(i * perRow + k) * 2] + 1) / 2) * cols) % cols);
      data.push(v[(i * perRow + k) * 2 + 1]);
    }
  }
  return CsrMatrix.fromCoo({ rows, cols, row, col, data });
}

const pyamg = suite("smoothed-aggregation AMG against PyAMG 5.3.0");

for (const c of PYAMG.basic.filter((c) => c.name.startsWith("poisson"))) {
  pyamg(`test_basic, ${c.name}: PyAMG's hierarchy level by level, its cycle count ± 1 (${c.cycles}), ratio below ${c.cFactor}`, () => {
    const A = gallery.poisson(c.grid).toCsr();
    const rng = lcg(c.seed);
    const x0 = rng(A.rows);
    const b = A.matvec(rng(A.rows));
    const ml = amg(A);
    assert.equal(
      ml.levels.map((l) => [l.rows, l.nnz]),
      c.levels,
    );
    assert.ok(Math.abs(ml.operatorComplexity() - c.operatorComplexity) < 1e-12);
    const r = ml.solve(b, { x0, rtol: 1e-10, maxiter: 20, history: true });
    assert.ok(Math.abs(r.iterations - c.cycles) <= 1, `${r.iterations} cycles, PyAMG ${c.cycles}`);
    assert.ok(ratio(r.history) < c.cFactor, `ratio ${ratio(r.history)} (PyAMG ${c.ratio})`);
    ml.dispose();
    A.dispose();
  });
}

pyamg("standard aggregation: PyAMG's aggregates exactly (Poisson 10 × 10, gr_30_30)", async () => {
  for (const c of PYAMG.aggregates) {
    const A = c.name === "gr_30_30" ? CsrMatrix.fromMatrixMarket(await matrixText("gr_30_30.mtx")) : gallery.poisson([10, 10]).toCsr();
    const got = mgBlocks.aggregates(A);
    assert.is(got.count, c.count, c.name);
    assert.equal(Array.from(got.of), c.of, c.name);
    A.dispose();
  }
});

pyamg("test_DAD: D·A·D with B = D⁻¹·1 converges below 0.25 per cycle (two levels, PyAMG's hierarchy); the constant B does worse", () => {
  const c = PYAMG.dad;
  const P = gallery.poisson([50, 50]).toCsr();
  const n = P.rows;
  const rng = lcg(c.seed);
  const x0 = rng(n),
    b = rng(n);
  const d = rng(n).map((u) => 1 / Math.sqrt(10 ** (12 * u - 6)));
  const a = P.toArrays();
  for (let i = 0; i < n; i++) for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) a.data[k] *= d[i] * d[a.indices[k]];
  const A = CsrMatrix.fromArrays(a);
  const results = {};
  for (const [label, B] of [
    ["withB", d.map((v) => 1 / v)],
    ["constant", undefined],
  ]) {
    const ml = amg(A, { B, maxCoarse: 1, maxLevels: 2 });
    assert.equal(
      ml.levels.map((l) => [l.rows, l.nnz]),
      c[label].levels,
    );
    const r = ml.solve(b, { x0, rtol: 1e-12, maxiter: 10, history: true });
    results[label] = ratio(r.history);
    ml.dispose();
  }
  assert.ok(results.withB < c.bound, `ratio ${results.withB} (PyAMG ${c.withB.ratio})`);
  assert.ok(results.constant > 1.5 * results.withB, `constant B ${results.constant} vs ${results.withB}`);
  A.dispose();
  P.dispose();
});

pyamg(
  "linearElasticity is PyAMG's linear_elasticity; with rigid-body modes and blockSize 2: PyAMG's level sizes, its cycle count ± 1, below test_basic's 0.32",
  () => {
    const small = gallery.linearElasticity([3, 3]);
    const ref = PYAMG.elasticity3x3;
    const want = new Float64Array(ref.rows * ref.rows);
    for (let i = 0; i < ref.rows; i++) for (let k = ref.indptr[i]; k < ref.indptr[i + 1]; k++) want[i * ref.rows + ref.indices[k]] = ref.data[k];
    const got = small.A.toDense();
    for (let q = 0; q < want.length; q++) assert.ok(Math.abs(got[q] - want[q]) <= 1e-9 * 1e5, `entry ${q}: ${got[q]} vs ${want[q]}`);
    small.B.forEach((mode, m) => assert.equal(Array.from(mode), ref.B[m], `mode ${m}`));
    assert.equal(
      small.B.map((m) => Array.from(m)),
      rigidBodyModes(small.coordinates, 2).map((m) => Array.from(m)),
    );
    small.A.dispose();

    const c = PYAMG.basic.find((x) => x.name.startsWith("linear_elasticity"));
    const { A, B } = gallery.linearElasticity([50, 50]);
    const rng = lcg(c.seed);
    const x0 = rng(A.rows);
    const b = A.matvec(rng(A.rows));
    const ml = amg(A, { B, blockSize: 2 });
    assert.equal(
      ml.levels.map((l) => l.rows),
      c.levels.map((l) => l[0]),
    );
    const r = ml.solve(b, { x0, rtol: 1e-10, maxiter: 20, history: true });
    assert.ok(ratio(r.history) < c.cFactor, `ratio ${ratio(r.history)} (PyAMG ${c.ratio} with block Gauss–Seidel)`);
    assert.ok(Math.abs(r.iterations - c.cycles) <= 1, `${r.iterations} cycles, PyAMG ${c.cycles}`);
    const plain = amg(A);
    const rp = plain.solve(b, { x0, rtol: 1e-10, maxiter: 20, history: true });
    assert.ok(ratio(rp.history) > ratio(r.history) * 1.5, `without B ${ratio(rp.history)} vs ${ratio(r.history)}`);
    plain.dispose();
    ml.dispose();
    A.dispose();
  },
);

const kernels = suite("AMG setup kernels against plain JavaScript");

kernels("CsrMatrix.multiply and transpose equal the plain JS product and transpose bit for bit", () => {
  for (const [m, k, n, per, seed] of [
    [1, 1, 1, 1, 1],
    [40, 30, 50, 3, 2],
    [200, 500, 100, 7, 3],
    [1000, 1000, 1000, 40, 4],
  ]) {
    const X = randomSparse(m, k, per, seed),
      Y = randomSparse(k, n, per, seed + 10);
    const C = X.multiply(Y);
    const want = multiplyRef(X.toArrays(), Y.toArrays());
    const got = C.toArrays();
    assert.equal(Array.from(got.indptr), Array.from(want.indptr), `${m} × ${k} · ${k} × ${n}: indptr`);
    assert.equal(Array.from(got.indices), Array.from(want.indices), "indices");
    assertSameBits(got.data, want.data, "values");
    const T = C.transpose();
    const t = T.toArrays();
    assert.equal([T.rows, T.cols], [C.cols, C.rows]);
    for (let i = 0; i < C.rows; i++) {
      for (let q = got.indptr[i]; q < got.indptr[i + 1]; q++) {
        const j = got.indices[q];
        const at = t.indices.subarray(t.indptr[j], t.indptr[j + 1]).indexOf(i);
        assert.ok(at >= 0 && Object.is(t.data[t.indptr[j] + at], got.data[q]));
      }
    }
    for (const M of [X, Y, C, T]) M.dispose();
  }
  const X = randomSparse(3, 4, 2, 5);
  return rejects(() => X.multiply(X), "DIMENSION_MISMATCH").finally(() => X.dispose());
});

kernels("every coarse operator is R·A·P of the level above (products checked in plain JS), R = Pᵀ, for both kinds", async () => {
  const A = CsrMatrix.fromMatrixMarket(await matrixText("gr_30_30.mtx"));
  for (const kind of ["aggregation", "classical"]) {
    const ml = amg(A, { kind });
    for (let l = 0; l + 1 < ml.levels.length; l++) {
      const { A: Al, P, R } = ml.levels[l];
      const want = multiplyRef(R.toArrays(), multiplyRef(Al.toArrays(), P.toArrays()));
      const got = ml.levels[l + 1].A.toArrays();
      assert.equal(Array.from(got.indices), Array.from(want.indices), `${kind} level ${l + 1}`);
      assertSameBits(got.data, want.data, `${kind} level ${l + 1}`);
      assert.equal(R.toDense(), P.transpose().toDense());
    }
    ml.dispose();
  }
  A.dispose();
});

const classical = suite("classical AMG");

// hypre BoomerAMG-PCG (HMIS, extended+i, P_max 4, hybrid GS) takes 7–8 iterations on these
// (bench/RESULTS.md, the multigrid suite); the issue asks ≤ 8.
for (const grid of [
  [255, 255],
  [511, 511],
  [1023, 1023],
  [31, 31, 31],
  [63, 63, 63],
]) {
  classical(`Poisson ${grid.join(" × ")}: classical AMG-PCG in at most 8 iterations (rtol 1e-8, b = 1)`, () => {
    const A = gallery.poisson(grid).toCsr();
    const ml = amg(A, { kind: "classical" });
    const r = cg(A, new Float64Array(A.rows).fill(1), { rtol: 1e-8, M: ml.asPreconditioner() });
    assert.ok(r.converged && r.iterations <= 8, `${r.iterations} iterations, operator complexity ${ml.operatorComplexity()}`);
    assert.is(ml.kind, "classical");
    ml.dispose();
    A.dispose();
  });
}

classical("every SuiteSparse SPD matrix: classical AMG-PCG converges and beats plain CG", async () => {
  for (const { name, rows } of MATRICES) {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    const b = randomVector(rows, 3);
    const ml = amg(A, { kind: "classical" });
    const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() });
    const plain = cg(A, b, { rtol: 1e-8 });
    assert.ok(r.converged && r.iterations <= plain.iterations, `${name}: ${r.iterations} vs CG ${plain.iterations}`);
    ml.dispose();
    A.dispose();
  }
});

classical("every smoother (sgs, gs, jacobi, l1jacobi, chebyshev) makes a convergent AMG-PCG for both kinds; l1-Jacobi uses the l1 row norms", async () => {
  const A = CsrMatrix.fromMatrixMarket(await matrixText("ani4.mtx"));
  const b = randomVector(A.rows, 4);
  const plain = cg(A, b, { rtol: 1e-8 });
  for (const kind of ["aggregation", "classical"]) {
    for (const smoother of ["sgs", "gs", "jacobi", "l1jacobi", "chebyshev"]) {
      const ml = amg(A, { kind, smoother });
      const r = cg(A, b, { rtol: 1e-8, M: ml.asPreconditioner() });
      assert.ok(r.converged && r.iterations < plain.iterations / 2, `${kind} ${smoother}: ${r.iterations} vs CG ${plain.iterations}`);
      ml.dispose();
    }
  }
  // A two-level cycle with one l1-Jacobi pre-smoothing step, against plain JS:
  // x1 = b ./ l1 (from x = 0), then x = x1 + P·A_c⁻¹·R·(b − A·x1).
  const ml = amg(A, { smoother: "l1jacobi", maxLevels: 2, pre: 1, post: 0 });
  const got = ml.cycle(b);
  const a = A.toArrays();
  const x1 = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let l1 = 0;
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) l1 += Math.abs(a.data[k]);
    x1[i] = b[i] / l1;
  }
  const r = A.matvec(x1).map((v, i) => b[i] - v);
  const { P, R } = ml.levels[0];
  const Ac = ml.levels[1].A.toDense(),
    nc = ml.levels[1].rows;
  const ec = solveDense(Ac, nc, R.matvec(r));
  const want = P.matvec(ec).map((v, i) => v + x1[i]);
  for (let i = 0; i < A.rows; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-9 * (Math.abs(want[i]) + 1e-300), `x[${i}] ${got[i]} vs ${want[i]}`);
  ml.dispose();
  A.dispose();
});

/** x = A⁻¹·b for a dense row-major SPD n × n A (Gaussian elimination, no pivoting). */
function solveDense(A, n, b) {
  const M = Float64Array.from(A),
    x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const f = M[i * n + k] / M[k * n + k];
      for (let j = k; j < n; j++) M[i * n + j] -= f * M[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= M[i * n + j] * x[j];
    x[i] = s / M[i * n + i];
  }
  return x;
}

classical("update(A) rebuilds a classical or aggregation hierarchy for new values on the same pattern", () => {
  const A = gallery.poisson([63, 63]).toCsr();
  const a = A.toArrays();
  const A2 = CsrMatrix.fromArrays({ ...a, data: a.data.map((v) => 3 * v) });
  const b = new Float64Array(A.rows).fill(1);
  for (const kind of ["classical", "aggregation"]) {
    const ml = amg(A, { kind });
    const M = ml.asPreconditioner();
    const before = cg(A, b, { rtol: 1e-8, M });
    ml.update(A2);
    const after = cg(A2, b, { rtol: 1e-8, M });
    assert.ok(after.converged && after.iterations === before.iterations, `${kind}: ${before.iterations} → ${after.iterations}`);
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(3 * after.x[i] - before.x[i]) <= 1e-6 * Math.abs(before.x[i]));
    M.dispose();
    ml.dispose();
  }
  A2.dispose();
  A.dispose();
});

const memory = suite("AMG memory");

memory("the setup's peak wasm memory is at most 3× the hierarchy it builds, and nothing outlives dispose()", () => {
  for (const grid of [
    [255, 255],
    [31, 31, 31],
  ]) {
    const A = gallery.poisson(grid).toCsr();
    const live = memoryStats().live;
    for (const kind of ["aggregation", "classical"]) {
      const ml = amg(A, { kind });
      const { hierarchyBytes, setupPeakBytes } = ml.memory;
      assert.ok(hierarchyBytes > 0 && setupPeakBytes >= hierarchyBytes, `${kind}: ${setupPeakBytes} vs ${hierarchyBytes}`);
      assert.ok(setupPeakBytes <= 3 * hierarchyBytes, `${grid.join("×")} ${kind}: peak ${setupPeakBytes} > 3 × ${hierarchyBytes}`);
      assert.ok(memoryStats().live - live >= hierarchyBytes, "the hierarchy's bytes are live");
      ml.dispose();
      assert.is(memoryStats().live, live, `${kind}: nothing leaked`);
    }
    A.dispose();
  }
});

const bad = suite("AMG: bad input");

bad("bad candidates, block sizes and level limits are typed errors that leave nothing allocated", async () => {
  const A = gallery.poisson([20, 20]).toCsr();
  const live = memoryStats().live;
  await rejects(() => amg(A, { B: new Float64Array(10) }), "DIMENSION_MISMATCH", /B\[0\] has length 10, expected 400/);
  await rejects(() => amg(A, { B: [new Float64Array(400), new Float64Array(400).fill(Number.NaN)] }), "NOT_FINITE", /B\[1\]\[0\]/);
  await rejects(() => amg(A, { B: [] }), "INVALID_OPTION", /1 to 32/);
  await rejects(() => amg(A, { B: "ones" }), "INVALID_OPTION", /Float64Array/);
  await rejects(() => amg(A, { blockSize: 3 }), "INVALID_OPTION", /does not divide the 400 rows/);
  await rejects(() => amg(A, { improveCandidates: -1 }), "INVALID_OPTION", /improveCandidates/);
  await rejects(() => amg(A, { kind: "classical", coarsening: "cljp" }), "INVALID_OPTION", /coarsening/);
  const grid = gallery.poisson([100, 100]);
  const big = grid.toCsr();
  await rejects(() => amg(big, { maxLevels: 1 }), "INVALID_OPTION", /coarsest AMG level has 10000 rows.*raise maxLevels/);
  big.dispose();
  grid.dispose();
  await rejects(() => rigidBodyModes(new Float64Array(5), 2), "INVALID_ARGUMENT", /2 numbers per node/);
  await rejects(() => mgBlocks.aggregates(A, { blockSize: 7 }), "INVALID_OPTION", /blockSize/);
  assert.is(memoryStats().live, live, "nothing leaked");
  // The module is usable afterwards.
  const ml = amg(A, { B: [new Float64Array(400).fill(1)] });
  assert.ok(ml.solve(new Float64Array(400).fill(1), { rtol: 1e-8 }).converged);
  ml.dispose();
  A.dispose();
});

pyamg.run();
kernels.run();
classical.run();
memory.run();
bad.run();
