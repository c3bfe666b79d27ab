// gmres, bicgstab and minres against SciPy's own test cases (scipy/sparse/linalg/_isolve/
// tests/test_iterative.py) and SciPy's figures on orsirr_1 and sherman5, as recorded in
// test/fixtures/scipy-iterative.json by tools/scipy-iterative.py with Debian's SciPy
// (1.10.1). For each case: the same success or failure as SciPy's test expects, and the
// iteration count within ±10 % + 1 of SciPy's (gmres: inner iterations; bicgstab, minres:
// iterations; the first iteration meeting ‖b − A·x‖ ≤ rtol·‖b‖ where recorded, since SciPy
// 1.10's minres stops on its own test), plus the number of products with A (counted here
// through a JS operator) within ±10 % + 3 of SciPy's.
//
// Written against the issue #15 API: gmres(A, b, { restart, M, x0, rtol, atol, maxiter,
// history }), bicgstab(A, b, { M, … }), minres(A, b, { M, … }), maxiter counting inner
// iterations. Not in test/index.js until those solvers are merged.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as sw from "solvewasm";
import { matrixText } from "./_fixtures.js";
import SCIPY from "./fixtures/scipy-iterative.json" with { type: "json" };

const { CsrMatrix, gallery, asLinearOperator } = sw;
const SOLVERS = { gmres: sw.gmres, bicgstab: sw.bicgstab, minres: sw.minres };
for (const [name, f] of Object.entries(SOLVERS)) {
  if (typeof f !== "function") throw new Error(`test/scipy-iterative.test.js needs solvewasm's ${name} (issue #15), which this build does not export`);
}

/** |got − want| ≤ 10 % of want + slack. */
function near(got, want, slack, what) {
  assert.ok(Math.abs(got - want) <= Math.ceil(0.1 * want) + slack, `${what}: ${got}, SciPy ${want} (±10 % + ${slack})`);
}

/** The case's matrix as a CsrMatrix: dense values, or the named construction (checked
 * against the nnz and sums SciPy recorded). */
function matrixOf(desc) {
  if (desc.dense) return CsrMatrix.fromDense(desc.dense);
  const grid = { poisson1d: [40], "-poisson1d": [40], poisson2d: [40, 40] }[desc.construction];
  assert.ok(grid, `unknown construction ${desc.construction}`);
  const op = gallery.poisson(grid);
  const P = op.toCsr();
  op.dispose();
  let A = P;
  if (desc.construction.startsWith("-")) {
    const a = P.toArrays();
    A = CsrMatrix.fromArrays({ ...a, data: a.data.map((v) => -v) });
    P.dispose();
  }
  const { data } = A.toArrays();
  assert.is(A.rows, desc.rows);
  assert.is(A.nnz, desc.nnz);
  assert.is(
    data.reduce((s, v) => s + v, 0),
    desc.sum,
  );
  assert.is(
    data.reduce((s, v) => s + Math.abs(v), 0),
    desc.sumAbs,
  );
  return A;
}

/** A as a JS operator that counts its products (the solve then runs by reverse communication). */
function counting(A) {
  const op = { count: 0 };
  op.A = asLinearOperator({
    rows: A.rows,
    cols: A.cols,
    matvec: (x, out) => {
      op.count++;
      return A.matvec(x, out);
    },
  });
  return op;
}

function relres(A, x, b) {
  const r = A.matvec(x);
  let d = 0,
    s = 0;
  for (let i = 0; i < b.length; i++) {
    d += (b[i] - r[i]) ** 2;
    s += b[i] ** 2;
  }
  return s > 0 ? Math.sqrt(d / s) : Math.sqrt(d);
}

/** SciPy's default iteration limits in inner iterations: gmres 10n restart cycles, bicgstab 10n, minres 5n. */
function maxiterOf(solver, n, restart) {
  return solver === "gmres" ? 10 * n * restart : solver === "bicgstab" ? 10 * n : 5 * n;
}

/** Options for solvewasm from a recorded case. */
function optionsOf(c, extra = {}) {
  const n = c.b.length;
  const o = { rtol: c.rtol, atol: c.atol ?? 0, maxiter: maxiterOf(c.solver, n, c.restart), ...extra };
  // SciPy uses min(restart, n); solvewasm refuses a restart beyond n.
  if (c.solver === "gmres") o.restart = Math.min(c.restart, n);
  return o;
}

/** The count to compare solvewasm's `iterations` with. */
const scipyIterations = (s) => s.firstPassing ?? s.iterations;

const cases = suite("SciPy test_iterative.py cases");

cases("the fixture is SciPy 1.10.1's (Debian 12's python3-scipy)", () => {
  assert.is(SCIPY.scipy, "1.10.1");
  assert.ok(SCIPY.cases.length >= 20);
});

for (const c of SCIPY.cases) {
  if (c.expect === "skip") continue; // SciPy's own skip list: no expectation
  cases(`${c.id}: ${c.expect === "converge" ? "converges" : "fails"} as in SciPy, in SciPy's iteration count`, () => {
    const A = matrixOf(c.matrix);
    const b = Float64Array.from(c.b);
    try {
      const solve = SOLVERS[c.solver];
      const counted = counting(A);
      const r = solve(counted.A, b, optionsOf(c));
      assert.ok(
        r.x.every((v) => Number.isFinite(v)),
        "x is finite",
      );
      if (c.expect === "converge") {
        assert.ok(r.converged, `${c.id}: ${r.reason} after ${r.iterations} (${r.message ?? ""})`);
        assert.ok(relres(A, r.x, b) <= c.rtol, `relative residual ${relres(A, r.x, b)}`);
        near(r.iterations, scipyIterations(c.scipy), 1, "iterations");
        near(counted.count, c.scipy.matvecs, 3, "products with A");
      } else {
        // SciPy's check for its nonconvergence list: info ≠ 0 and ‖A·x − b‖ ≤ ‖b‖.
        assert.is(r.converged, false);
        assert.ok(["breakdown", "maxiter"].includes(r.reason), `reason ${r.reason}`);
        assert.ok(relres(A, r.x, b) <= 1, "‖b − A·x‖ ≤ ‖b‖");
      }
      if (c.scipy.maxiterOne) {
        // check_maxiter: maxiter 1 with rtol 1e-12 stops after one iteration, not converged.
        const one = solve(A, b, optionsOf(c, { rtol: 1e-12, maxiter: 1 }));
        assert.is(one.iterations, 1);
        assert.is(one.converged, false);
        assert.is(one.reason, "maxiter");
      }
    } finally {
      A.dispose();
    }
  });
}

/** x ← A⁻¹·v by banded Gaussian elimination without pivoting (the Poisson matrices are SPD). */
function bandSolver(A) {
  const { rows: n, indptr, indices, data } = A.toArrays();
  let w = 0;
  for (let r = 0; r < n; r++) for (let k = indptr[r]; k < indptr[r + 1]; k++) w = Math.max(w, Math.abs(indices[k] - r));
  const band = new Float64Array(n * (2 * w + 1)); // band[r, w + c − r]
  const at = (r, c) => r * (2 * w + 1) + w + c - r;
  for (let r = 0; r < n; r++) for (let k = indptr[r]; k < indptr[r + 1]; k++) band[at(r, indices[k])] = data[k];
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i <= Math.min(n - 1, k + w); i++) {
      const l = (band[at(i, k)] /= band[at(k, k)]);
      for (let j = k + 1; j <= Math.min(n - 1, k + w); j++) band[at(i, j)] -= l * band[at(k, j)];
    }
  }
  return (v) => {
    const x = Float64Array.from(v);
    for (let i = 0; i < n; i++) for (let k = Math.max(0, i - w); k < i; k++) x[i] -= band[at(i, k)] * x[k];
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k <= Math.min(n - 1, i + w); k++) x[i] -= band[at(i, k)] * x[k];
      x[i] /= band[at(i, i)];
    }
    return x;
  };
}

for (const c of SCIPY.precondInverse) {
  cases(`${c.case}-${c.solver} with M = A⁻¹ converges nearly at once (≤ ${c.expect.maxMatvecs} products, SciPy ${c.scipy.matvecs})`, () => {
    const A = matrixOf({ construction: c.case, ...SCIPY.cases.find((k) => k.case === c.case).matrix });
    const n = A.rows;
    const b = Float64Array.from({ length: n }, (_, i) => i);
    const solveA = bandSolver(A);
    const M = asLinearOperator({
      rows: n,
      cols: n,
      matvec: (v) => solveA(v), // asLinearOperator copies into `out`
    });
    const counted = counting(A);
    const r = SOLVERS[c.solver](counted.A, b, { M, rtol: c.rtol, atol: 0, ...(c.solver === "gmres" ? { restart: Math.min(20, counted.A.rows) } : {}) });
    assert.ok(r.converged, r.message);
    assert.ok(relres(A, r.x, b) <= c.rtol);
    assert.ok(counted.count <= c.expect.maxMatvecs, `${counted.count} products`);
    A.dispose();
  });
}

cases("x0_working: a random SPD 10 × 10 solves from 0 and from a random x0 (rtol 1e-6)", () => {
  const w = SCIPY.x0Working;
  const A = CsrMatrix.fromDense(w.matrix.dense);
  const b = Float64Array.from(w.b);
  for (const run of w.runs) {
    const o = { rtol: w.rtol, atol: 0, ...(run.solver === "gmres" ? { restart: Math.min(run.restart, b.length) } : {}) };
    if (run.start === "x0") o.x0 = Float64Array.from(w.x0);
    const r = SOLVERS[run.solver](A, b, o);
    assert.ok(r.converged, `${run.solver} from ${run.start}`);
    assert.ok(relres(A, r.x, b) <= w.rtol);
    near(r.iterations, run.scipy.iterations, 1, `${run.solver} from ${run.start}`);
  }
  A.dispose();
});

cases("zero_rhs: b = 0 gives x = 0, converged, for every rtol", () => {
  const z = SCIPY.zeroRhs;
  const A = CsrMatrix.fromDense(z.matrix.dense);
  for (const run of z.runs) {
    const r = SOLVERS[run.solver](A, new Float64Array(10), { rtol: run.rtol });
    assert.ok(r.converged, `${run.solver} rtol ${run.rtol}`);
    assert.ok(
      r.x.every((v) => v === 0),
      "x = 0",
    );
  }
  A.dispose();
});

const g = suite("SciPy TestGMRES");

g("basic: vander(1..10), b = e0, restart 5, 5 inner iterations: x[0] ≈ 0.359", () => {
  const t = SCIPY.gmres.basic;
  const A = CsrMatrix.fromDense(t.matrix.dense);
  const r = sw.gmres(A, Float64Array.from(t.b), { restart: t.restart, maxiter: t.maxiter });
  assert.is(r.iterations, t.maxiter);
  assert.ok(Math.abs(r.x[0] - t.expect.x0) <= t.expect.x0Rtol * t.expect.x0, `x[0] = ${r.x[0]}`);
  assert.ok(Math.abs(r.x[0] - t.scipy.x[0]) <= 1e-6, `x[0] = ${r.x[0]}, SciPy ${t.scipy.x[0]}`);
  A.dispose();
});

g("callback: the residual after one inner iteration is 0.81649658092772603·‖b‖", () => {
  const t = SCIPY.gmres.callback;
  const A = CsrMatrix.fromDense(t.matrix.dense);
  const r = sw.gmres(A, Float64Array.from(t.b), { rtol: 1e-16, atol: 0, maxiter: 1, history: true });
  const ratio = r.history[1] / r.history[0];
  assert.ok(Math.abs(ratio - t.expect.relativeResidualAfter1) <= t.expect.rtol * t.expect.relativeResidualAfter1, `ratio ${ratio}`);
  A.dispose();
});

g("defective matrix: no NaN, no false success, A·A·x = A·b", () => {
  const t = SCIPY.gmres.defectiveMatrix;
  const A = CsrMatrix.fromDense(t.matrix.dense);
  const b = Float64Array.from(t.b);
  const r = sw.gmres(A, b, { rtol: t.rtol, atol: 0 });
  assert.ok(r.x.every(Number.isFinite));
  if (r.converged) assert.ok(relres(A, r.x, b) <= t.rtol);
  assert.is(r.converged, t.expect.converged);
  const AAx = A.matvec(A.matvec(r.x)),
    Ab = A.matvec(b);
  AAx.forEach((v, i) => assert.ok(Math.abs(v - Ab[i]) <= 1e-7 * Math.abs(Ab[i]) + 1e-12, `(A·A·x)[${i}] = ${v}, (A·b)[${i}] = ${Ab[i]}`));
  A.dispose();
});

g("defective preconditioner M = diag(1, 1, 0): no NaN, no false success, M·A·x = M·b", () => {
  const t = SCIPY.gmres.defectivePreconditioner;
  const A = CsrMatrix.fromDense(t.matrix.dense);
  const Mc = CsrMatrix.fromDense(t.M.dense);
  const M = asLinearOperator({ rows: 3, cols: 3, matvec: (v, out) => Mc.matvec(v, out) });
  const b = Float64Array.from(t.b);
  const r = sw.gmres(A, b, { M, x0: Float64Array.from(t.x0), rtol: t.rtol, atol: 0 });
  assert.ok(r.x.every(Number.isFinite));
  if (r.converged) assert.ok(relres(A, r.x, b) <= t.rtol);
  const MAx = Mc.matvec(A.matvec(r.x)),
    Mb = Mc.matvec(b);
  MAx.forEach((v, i) => assert.ok(Math.abs(v - Mb[i]) <= 1e-7 * Math.abs(Mb[i]) + 1e-12, `(M·A·x)[${i}] = ${v}`));
  Mc.dispose();
  A.dispose();
});

const ss = suite("SciPy on orsirr_1 and sherman5 (b = A·1, rtol 1e-8)");

/** ILUT settings whose fill is near spilu(drop_tol 1e-4, fill_factor 10)'s on each matrix
 * (fill ratios 2.64 vs 4.1 on orsirr_1, 7.0 vs 5.9 on sherman5). */
const ILUT_AT_SCIPY_FILL = { "orsirr_1.mtx": { dropTol: 1e-5, fill: 33 }, "sherman5.mtx": { dropTol: 1e-6, fill: 62 } };

for (const e of SCIPY.suitesparse) {
  ss(
    `${e.matrix}: GMRES(30) and BiCGSTAB as SciPy (${e.runs.map((r) => `${r.solver}${r.M ? "+ILU" : ""} ${r.scipy.converged ? r.scipy.iterations : "no"}`).join(", ")})`,
    async () => {
      const A = CsrMatrix.fromMatrixMarket(await matrixText(e.matrix));
      assert.is(A.rows, e.rows);
      assert.is(A.nnz, e.nnz);
      const b = A.matvec(new Float64Array(A.cols).fill(1));
      try {
        for (const run of e.runs) {
          if (run.M) {
            // SciPy's spilu (SuperLU: COLAMD column order, row pivoting) is not solvewasm's ILUT,
            // so the issue's bound is at comparable fill: ILUT settings whose nnz(L + U) stays
            // within 1.25× spilu's, and at most 2× SciPy's ILU-GMRES iterations.
            const settings = ILUT_AT_SCIPY_FILL[e.matrix];
            const M = sw.precond.ilut(A, settings);
            const scipyFill = (run.scipy.iluNnz - e.rows) / e.nnz;
            assert.ok(M.info.fillRatio <= 1.25 * scipyFill, `ILUT fill ${M.info.fillRatio.toFixed(2)} vs spilu's ${scipyFill.toFixed(2)}`);
            const r = sw.gmres(A, b, { M, restart: run.restart, rtol: e.rtol, atol: 0, maxiter: run.restart * run.maxiterCycles });
            assert.ok(r.converged, `ILU-GMRES: ${r.reason} after ${r.iterations}`);
            assert.ok(relres(A, r.x, b) <= e.rtol);
            assert.ok(r.iterations <= 2 * run.scipy.iterations, `ILU-GMRES ${r.iterations} iterations, SciPy ${run.scipy.iterations}`);
            M.dispose?.();
            continue;
          }
          const o = { rtol: e.rtol, atol: 0 };
          if (run.solver === "gmres") Object.assign(o, { restart: run.restart, maxiter: run.maxiterInner });
          else o.maxiter = run.maxiter;
          const r = SOLVERS[run.solver](A, b, o);
          if (run.solver === "bicgstab") {
            // The issue asks BiCGSTAB to converge to 1e-8 on both. Its iteration counts on these
            // ill-conditioned matrices depend on rounding: SciPy 1.10 and 1.17 differ by up to
            // 2× (1984 vs 1469 on orsirr_1, 3834 vs 1992 on sherman5), so they are not compared.
            assert.ok(r.converged, `bicgstab: ${r.reason} after ${r.iterations}`);
          }
          // Plain GMRES(30) is as sensitive (SciPy 1.10 converges on orsirr_1 in 5046 inner
          // iterations, 1.17 stalls); whatever happens, a claimed convergence must be true.
          if (r.converged) assert.ok(relres(A, r.x, b) <= e.rtol, `${run.solver} claimed convergence`);
          else assert.ok(relres(A, r.x, b) > e.rtol * 0.5, `${run.solver} stopped below the tolerance without saying so`);
        }
      } finally {
        A.dispose();
      }
    },
  );
}

cases.run();
g.run();
ss.run();
