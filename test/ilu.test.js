// precond.ilu0 and precond.ilut against the plain JS references of test/_ilu.js, the ILU(0)
// property on A's pattern, the wasm triangular solves against JS ones, iteration counts with
// a JS GMRES on the nonsymmetric SuiteSparse matrices, and every rejection.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, cg, createSolvewasm, gallery, memoryStats, precond, solve } from "solvewasm";
import { matrixText, scalarModule } from "./_fixtures.js";
import { assertSameBits, randomVector, rejects } from "./_helpers.js";
import { gmresReference, ilu0Reference, ilutReference, luSolveReference } from "./_ilu.js";

/** A random nonsymmetric, row diagonally dominant n × n matrix, ~6 off-diagonals a row. */
function randomDominant(n, seed) {
  const u = randomVector(7 * n, seed);
  const row = [],
    col = [],
    data = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < 6; t++) {
      const j = Math.floor(((u[7 * i + t] + 1) / 2) * n);
      if (j === i) continue;
      const v = u[(7 * i + t + 3) % (7 * n)];
      row.push(i);
      col.push(j);
      data.push(v);
      sum += Math.abs(v);
    }
    row.push(i);
    col.push(i);
    data.push((u[7 * i + 6] < 0 ? -1 : 1) * (sum + 0.5));
  }
  return CsrMatrix.fromCoo({ rows: n, cols: n, row, col, data });
}

const load = async (name) => (name === "random" ? randomDominant(300, 5) : CsrMatrix.fromMatrixMarket(await matrixText(name)));
const MATRICES = ["gr_30_30.mtx", "494_bus.mtx", "bcsstk03.mtx", "random", "orsirr_1.mtx", "sherman5.mtx"];

/** Same pattern, and every value within `rtol` relative of the reference's. */
function assertFactorsClose(got, want, what, rtol = 1e-12) {
  assertSameBits(Float64Array.from(got.indptr), Float64Array.from(want.indptr), `${what} indptr`);
  assertSameBits(Float64Array.from(got.indices), Float64Array.from(want.indices), `${what} indices`);
  for (let k = 0; k < want.data.length; k++) {
    const a = got.data[k],
      b = want.data[k];
    if (!(Math.abs(a - b) <= rtol * Math.abs(b))) assert.unreachable(`${what}.data[${k}]: got ${a}, want ${b}`);
  }
}

const factors = suite("ilu: factors against the JS references");

for (const name of MATRICES) {
  factors(`${name}: ILU(0) has L·U = A on A's pattern and matches the reference`, async () => {
    const A = await load(name);
    const M = precond.ilu0(A);
    try {
      const a = A.toArrays();
      const { L, U } = M.factors();
      assert.is(M.info.modifiedPivots, 0);
      assert.is(M.info.fillRatio, 1);
      assert.is(M.info.nnzL + M.info.nnzU, A.nnz);
      // (L·U)_ij for (i, j) in A's pattern, with the rounding bound Σ_k |l_ik|·|u_kj|.
      const acc = new Float64Array(A.rows),
        bound = new Float64Array(A.rows);
      for (let i = 0; i < A.rows; i++) {
        for (let p = L.indptr[i]; p < L.indptr[i + 1]; p++) {
          const k = L.indices[p];
          for (let q = U.indptr[k]; q < U.indptr[k + 1]; q++) {
            acc[U.indices[q]] += L.data[p] * U.data[q];
            bound[U.indices[q]] += Math.abs(L.data[p] * U.data[q]);
          }
        }
        for (let t = a.indptr[i]; t < a.indptr[i + 1]; t++) {
          const j = a.indices[t];
          if (!(Math.abs(acc[j] - a.data[t]) <= 1e-14 * bound[j])) assert.unreachable(`(L·U)[${i}][${j}] = ${acc[j]}, A has ${a.data[t]}`);
        }
        for (let p = L.indptr[i]; p < L.indptr[i + 1]; p++) {
          const k = L.indices[p];
          for (let q = U.indptr[k]; q < U.indptr[k + 1]; q++) acc[U.indices[q]] = bound[U.indices[q]] = 0;
        }
      }
      const ref = ilu0Reference(a);
      assertFactorsClose(L, ref.L, "L");
      assertFactorsClose(U, ref.U, "U");
    } finally {
      M.dispose();
      A.dispose();
    }
  });

  factors(`${name}: ILUT(1e-4, 10) and ILUT(1e-3, 3) match the reference`, async () => {
    const A = await load(name);
    const a = A.toArrays();
    try {
      for (const [dropTol, fill] of [
        [1e-4, 10],
        [1e-3, 3],
      ]) {
        const M = dropTol === 1e-4 ? precond.ilut(A) : precond.ilut(A, { dropTol, fill });
        try {
          const ref = ilutReference(a, dropTol, fill);
          const { L, U } = M.factors();
          assertFactorsClose(L, ref.L, `L (τ ${dropTol}, p ${fill})`);
          assertFactorsClose(U, ref.U, `U (τ ${dropTol}, p ${fill})`);
          assert.is(M.info.modifiedPivots, ref.modifiedPivots);
          assert.is(M.info.nnzL, L.indptr[A.rows] - A.rows);
          assert.is(M.info.nnzU, U.indptr[A.rows]);
          assert.is(M.info.fillRatio, (M.info.nnzL + M.info.nnzU) / A.nnz);
          assert.equal([M.info.dropTol, M.info.fill], [dropTol, fill]);
          // At most p entries in each row's L and U besides the diagonal.
          for (let i = 0; i < A.rows; i++) {
            assert.ok(L.indptr[i + 1] - L.indptr[i] <= fill + 1 && U.indptr[i + 1] - U.indptr[i] <= fill + 1, `row ${i} keeps more than ${fill}`);
          }
        } finally {
          M.dispose();
        }
      }
    } finally {
      A.dispose();
    }
  });
}

factors("ILUT with no dropping and unbounded fill is the exact LU: M⁻¹·(A·x) = x (bcsstk03)", async () => {
  const A = await load("bcsstk03.mtx");
  const M = precond.ilut(A, { dropTol: 0, fill: A.rows });
  try {
    const x = randomVector(A.rows, 2);
    const y = M.matvec(A.matvec(x));
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
    assert.ok(err < 1e-6, `max |M⁻¹·A·x − x| = ${err} (cond(A) ≈ 7e6)`);
    assert.ok(M.info.fillRatio > 1, "full LU fills in");
  } finally {
    M.dispose();
    A.dispose();
  }
});

factors("a tiny or zero pivot is replaced by ±1e-4·‖a_i‖₂ and counted, as in the reference", () => {
  // [[0, 1], [1, 0]]: u00 = 0 becomes 1e-4; l10 = 1e4; u11 = −1e4.
  const A = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: [0, 2, 4], indices: [0, 1, 0, 1], data: [0, 1, 1, 0] });
  for (const M of [precond.ilu0(A), precond.ilut(A, { dropTol: 0 })]) {
    try {
      assert.is(M.info.modifiedPivots, 1);
      const { L, U } = M.factors();
      assert.equal(Array.from(U.data), [1e-4, 1, -1e4]);
      assert.equal(Array.from(L.data), [1, 1e4, 1]);
      const z = M.matvec(new Float64Array([1, 2]));
      assert.ok(z.every(Number.isFinite), `${z}`);
      assertFactorsClose(U, ilu0Reference(A.toArrays()).U, "U");
    } finally {
      M.dispose();
    }
  }
  A.dispose();
  // A tiny negative pivot keeps its sign: u11 = (1 − 1e-9) − 1 becomes −1e-4·‖a_1‖₂.
  const N = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: [0, 2, 4], indices: [0, 1, 0, 1], data: [1, 1, 1, 1 - 1e-9] });
  const M = precond.ilu0(N);
  try {
    assert.is(M.info.modifiedPivots, 1);
    const u11 = M.factors().U.data[2];
    assert.ok(Math.abs(u11 / (-1e-4 * Math.hypot(1, 1 - 1e-9)) - 1) < 1e-15, `u11 = ${u11}`);
  } finally {
    M.dispose();
    N.dispose();
  }
});

const apply = suite("ilu: M⁻¹·r in wasm");

apply("equals the JS triangular solves bit for bit (SIMD and scalar builds, orsirr_1 and gr_30_30)", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  for (const name of ["orsirr_1.mtx", "gr_30_30.mtx"]) {
    const text = await matrixText(name);
    for (const S of [{ CsrMatrix, precond }, scalar]) {
      const A = S.CsrMatrix.fromMatrixMarket(text);
      for (const M of [S.precond.ilu0(A), S.precond.ilut(A), S.precond.ilut(A, { dropTol: 1e-2, fill: 2 })]) {
        try {
          const r = randomVector(A.rows, 9);
          const want = luSolveReference(M.factors(), r);
          assertSameBits(M.matvec(r), want, `${name} ${M.name}`);
          const out = new Float64Array(A.rows);
          assert.is(M.matvec(r, out), out);
          assertSameBits(out, want, `${name} ${M.name} into out`);
        } finally {
          M.dispose();
        }
      }
      A.dispose();
    }
  }
});

apply("ic0 is the same kind: its factors are L and Lᵀ and M⁻¹·r is their triangular solves", async () => {
  const A = CsrMatrix.fromMatrixMarket(await matrixText("bcsstk03.mtx"));
  const M = precond.ic0(A);
  try {
    const { L, U } = M.factors();
    for (let i = 0; i < A.rows; i++) assert.is(L.indices[L.indptr[i + 1] - 1], i, `row ${i} of L ends on its diagonal`);
    const T = CsrMatrix.fromArrays(L).transpose();
    assertFactorsClose(U, T.toArrays(), "U = Lᵀ", 0);
    T.dispose();
    const r = randomVector(A.rows, 6);
    assertSameBits(M.matvec(r), luSolveReference({ L, U }, r), "ic0");
    assert.is(M.symmetric, true);
  } finally {
    M.dispose();
    A.dispose();
  }
});

apply("a grid operator is converted to CSR once: the same factors as its toCsr()", () => {
  const P = gallery.poisson([9, 7]);
  const C = P.toCsr();
  try {
    for (const make of [(A) => precond.ilu0(A), (A) => precond.ilut(A, { fill: 3 })]) {
      const live = memoryStats().live;
      const M = make(P),
        N = make(C);
      const f = M.factors(),
        g = N.factors();
      assertFactorsClose(f.L, g.L, "L", 0);
      assertFactorsClose(f.U, g.U, "U", 0);
      M.dispose();
      N.dispose();
      assert.is(memoryStats().live, live, "the converted copy and both factors are freed");
    }
  } finally {
    C.dispose();
    P.dispose();
  }
});

apply("declared linear, not symmetric: solve picks fcd; cg on SPD Poisson works like IC(0)", () => {
  const A = gallery.poisson([48, 48]);
  const b = randomVector(A.rows, 4);
  const ilu = precond.ilu0(A),
    ic = precond.ic0(A);
  try {
    assert.is(ilu.symmetric, false);
    assert.is(ilu.linear, true);
    assert.is(solve(A, b, { M: ilu, rtol: 1e-8 }).method, "fcd");
    // For symmetric A, ILU(0) = L·D·Lᵀ = IC(0) up to rounding: CG converges as with IC(0).
    const a = cg(A, b, { M: ilu, rtol: 1e-8 }),
      c = cg(A, b, { M: ic, rtol: 1e-8 });
    assert.ok(a.converged && c.converged);
    assert.ok(Math.abs(a.iterations - c.iterations) <= 1, `ILU(0) ${a.iterations}, IC(0) ${c.iterations}`);
    assert.ok(a.iterations < cg(A, b, { rtol: 1e-8 }).iterations / 2);
  } finally {
    ilu.dispose();
    ic.dispose();
  }
});

// SciPy 1.17 with b = A·1, GMRES(30), rtol 1e-8: unpreconditioned it stalls (orsirr_1 relres 0.29
// after 200 restarts); spilu(drop_tol 1e-4, fill_factor 10)-GMRES takes 7 and 5 iterations
// at nnz(L+U)/nnz(A) = 4.1 and 5.9. Measured here: orsirr_1 ILU(0) 56, ILUT(1e-4, 10) 11 (fill
// 1.67); sherman5 ILU(0) 30, ILUT(1e-4, 10) 18 (fill 1.46), ILUT(1e-4, 40) 10 (fill 3.97).
const counts = suite("ilu: GMRES(30) iterations on the nonsymmetric matrices (b = A·1, rtol 1e-8)");

for (const [name, want] of [
  ["orsirr_1.mtx", { ilu0: 56, ilut: 11 }],
  ["sherman5.mtx", { ilu0: 30, ilut: 18 }],
]) {
  counts(`${name}: none does not converge in 300, ILU(0) ${want.ilu0}, ILUT ${want.ilut} (± 2)`, async () => {
    const A = await load(name);
    const b = A.matvec(new Float64Array(A.rows).fill(1));
    const matvec = (x) => A.matvec(x);
    const ilu0 = precond.ilu0(A),
      ilut = precond.ilut(A);
    try {
      const none = gmresReference(matvec, undefined, b, { maxiter: 300 });
      assert.not.ok(none.converged, `plain GMRES(30) converged in ${none.iterations}`);
      for (const [pc, M] of Object.entries({ ilu0, ilut })) {
        const r = gmresReference(matvec, (v) => M.matvec(v), b, { maxiter: 200 });
        assert.ok(r.converged, `${pc}: relres ${r.relres} after ${r.iterations}`);
        assert.ok(Math.abs(r.iterations - want[pc]) <= 2, `${pc}: ${r.iterations} iterations, expected ${want[pc]} ± 2`);
      }
    } finally {
      ilu0.dispose();
      ilut.dispose();
      A.dispose();
    }
  });
}

const errors = suite("ilu: bad input");

const small = () => CsrMatrix.fromArrays({ rows: 3, cols: 3, indptr: [0, 2, 4, 6], indices: [0, 1, 0, 1, 1, 2], data: [4, 1, 1, 4, 1, 4] });
const both = [(A) => precond.ilu0(A), (A) => precond.ilut(A)];

errors("a non-square matrix is DIMENSION_MISMATCH; a non-operator is INVALID_ARGUMENT", async () => {
  const A = CsrMatrix.fromArrays({ rows: 2, cols: 3, indptr: [0, 1, 2], indices: [0, 1], data: [1, 1] });
  for (const f of both) {
    await rejects(() => f(A), "DIMENSION_MISMATCH", /2 × 3/);
    await rejects(() => f({ rows: 2, cols: 2, matvec: (x) => x }), "INVALID_ARGUMENT", /needs a solvewasm operator/);
  }
  A.dispose();
});

errors("a missing diagonal entry or a zero row is INVALID_MATRIX naming the row", async () => {
  const missing = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: [0, 2, 3], indices: [0, 1, 0], data: [1, 1, 1] });
  const zero = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: [0, 1, 3], indices: [0, 0, 1], data: [1, 0, 0] });
  for (const f of both) {
    await rejects(() => f(missing), "INVALID_MATRIX", /row 1 has none/);
    await rejects(() => f(zero), "INVALID_MATRIX", /row 1 of A is zero/);
  }
  missing.dispose();
  zero.dispose();
});

errors("NaN in A: refused when the matrix is made, and by the factorisation if its memory is overwritten", async () => {
  await rejects(() => CsrMatrix.fromArrays({ rows: 1, cols: 1, indptr: [0, 1], indices: [0], data: [NaN] }), "NOT_FINITE", /data\[0\] is NaN/);
  const A = small();
  A.views().data[3] = NaN; // (internal view: what a stray raw write would do)
  for (const f of both) await rejects(() => f(A), "NOT_FINITE", /A\[1\]\[1\] is NaN/);
  A.dispose();
});

errors("a factorisation that overflows float64 is NOT_FINITE, never an Infinity in the factors", async () => {
  // u00 = 1 is below 1e-4·1e308 so becomes 1e304; l10 = 1e4; u11 = 1 − 1e4·1e308 overflows.
  const A = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: [0, 2, 4], indices: [0, 1, 0, 1], data: [1, 1e308, 1e308, 1] });
  for (const f of both) await rejects(() => f(A), "NOT_FINITE", /overflowed float64 in row 1/);
  A.dispose();
});

errors("dropTol, fill and option names are checked (INVALID_OPTION)", async () => {
  const A = small();
  for (const dropTol of [-1, NaN, Infinity, "1e-4"]) {
    await rejects(() => precond.ilut(A, { dropTol }), "INVALID_OPTION", /dropTol must be a finite number ≥ 0/);
  }
  for (const fill of [1.5, -1, NaN, Infinity, "10", 2 ** 53]) {
    await rejects(() => precond.ilut(A, { fill }), "INVALID_OPTION", /fill must be an integer ≥ 0/);
  }
  await rejects(() => precond.ilut(A, { droptol: 1e-3 }), "INVALID_OPTION", /no option "droptol" \(did you mean "dropTol"\?\)/);
  await rejects(() => precond.ilut(A, 5), "INVALID_OPTION", /options must be an object/);
  await rejects(() => precond.ilu0(A, { fill: 0 }), "INVALID_OPTION", /precond.ilu0 takes no options, got "fill"/);
  await rejects(() => precond.ilu0(A, "x"), "INVALID_OPTION", /options must be an object/);
  const M = precond.ilut(A, { dropTol: 0, fill: 0 }); // the limits are allowed
  assert.is(M.info.nnzL + M.info.nnzU, 3);
  M.dispose();
  A.dispose();
});

errors("a disposed A is DISPOSED; a disposed M is DISPOSED everywhere; M outlives A", async () => {
  const A = small();
  const M = precond.ilu0(A);
  A.dispose();
  for (const f of both) await rejects(() => f(A), "DISPOSED");
  const z = M.matvec(new Float64Array([1, 2, 3])); // M owns its factors
  assertSameBits(z, luSolveReference(M.factors(), [1, 2, 3]));
  M.dispose();
  await rejects(() => M.matvec(new Float64Array(3)), "DISPOSED", /ilu0 preconditioner/);
  await rejects(() => M.factors(), "DISPOSED");
  const B = small();
  await rejects(() => cg(B, new Float64Array(3).fill(1), { M }), "DISPOSED");
  B.dispose();
});

factors.run();
apply.run();
counts.run();
errors.run();
