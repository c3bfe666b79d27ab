// Nonsymmetric and indefinite Krylov solvers (issue #15): GMRES(m), FGMRES, BiCGSTAB and
// MINRES against plain-JavaScript references iteration by iteration (test/_krylov.js),
// true residuals recomputed in JavaScript, reverse communication, preconditioners,
// breakdowns, solve()'s choice, async, and bad input.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  asLinearOperator,
  bicgstab,
  bicgstabAsync,
  cg,
  CsrMatrix,
  fgmres,
  gallery,
  gmres,
  gmresAsync,
  memoryStats,
  minres,
  minresAsync,
  precond,
  solve,
} from "solvewasm";
import { rejects } from "./_helpers.js";
import { bicgstabReference, gmresReference, minresReference, relativeResidual } from "./_krylov.js";

const test = suite("nonsymmetric Krylov (issue #15)");

/** 2-D convection–diffusion-like 5-point stencil (central differences, skew part a). */
const convection = (n, a) =>
  gallery.stencilGrid(
    [
      [0, -1 - a, 0],
      [-1 - a, 4, -1 + a],
      [0, -1 + a, 0],
    ],
    [n, n],
  );
/** The 2-D Laplacian shifted by σ: symmetric, indefinite for σ above its smallest eigenvalue. */
const shifted = (n, sigma) =>
  gallery.stencilGrid(
    [
      [0, -1, 0],
      [-1, 4 - sigma, -1],
      [0, -1, 0],
    ],
    [n, n],
  );
const ones = (n) => new Float64Array(n).fill(1);

function withOperator(A, fn) {
  try {
    return fn(A.toCsr ? csrArrays(A) : undefined);
  } finally {
    A.dispose();
  }
}

function csrArrays(A) {
  const C = A.toCsr();
  try {
    return C.toArrays();
  } finally {
    C.dispose();
  }
}

/** Relative agreement of two residual histories over their first `count` entries. */
function sameHistory(got, want, count, tol) {
  for (let i = 0; i < count; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(want[i], 1e-300);
    assert.ok(d <= tol, `history[${i}]: ${got[i]} vs ${want[i]} (relative ${d.toExponential(1)})`);
  }
}

test("GMRES(m) follows the textbook iteration: the same residual estimates, restarts and count", () => {
  for (const m of [5, 30]) {
    withOperator(convection(24, 0.4), (csr) => {
      const b = ones(csr.rows);
      const A = CsrMatrix.fromArrays(csr);
      const r = gmres(A, b, { restart: m, rtol: 1e-8, history: true, maxiter: 4000 });
      const ref = gmresReference(csr, b, { m, rtol: 1e-8, maxiter: 4000 });
      assert.ok(r.converged, r.message);
      assert.is(r.method, "gmres");
      assert.ok(Math.abs(r.iterations - ref.iterations) <= 1, `${r.iterations} vs reference ${ref.iterations} (m = ${m})`);
      sameHistory(r.history, ref.history, Math.min(40, ref.history.length), 1e-7);
      assert.ok(relativeResidual(csr, r.x, b) <= 1e-8);
      A.dispose();
    });
  }
});

test("FGMRES with a fixed M takes GMRES's iterations; with a varying M it still converges", async () => {
  await withOperator(convection(32, 0.3), async (csr) => {
    const A = CsrMatrix.fromArrays(csr);
    const b = ones(csr.rows);
    const M = precond.ssor(A);
    const g = gmres(A, b, { M, rtol: 1e-8 });
    const f = fgmres(A, b, { M, rtol: 1e-8 });
    assert.ok(g.converged && f.converged);
    assert.ok(Math.abs(g.iterations - f.iterations) <= 1, `${g.iterations} vs ${f.iterations}`);
    assert.ok(relativeResidual(csr, f.x, b) <= 1e-8);
    // A preconditioner that changes every call (a few damped Jacobi sweeps with a varying
    // weight): nonlinear as far as the Krylov method can tell.
    let calls = 0;
    const varying = {
      rows: A.rows,
      cols: A.cols,
      linear: false,
      matvec: (v) => {
        const weight = 0.2 + 0.05 * Math.sin(calls++);
        return v.map((c) => weight * c);
      },
    };
    const v = fgmres(A, b, { M: varying, rtol: 1e-8, maxiter: 5000 });
    assert.ok(v.converged, v.message);
    assert.ok(relativeResidual(csr, v.x, b) <= 1e-8);
    assert.ok(calls >= v.iterations);
    await rejects(() => gmres(A, b, { M: varying }), "INVALID_OPTION", /gmres needs a linear M/);
    M.dispose();
    A.dispose();
  });
});

test("BiCGSTAB follows the textbook iteration and converges on nonsymmetric systems", () => {
  withOperator(convection(32, 0.45), (csr) => {
    const A = CsrMatrix.fromArrays(csr);
    const b = ones(csr.rows);
    const r = bicgstab(A, b, { rtol: 1e-8, history: true });
    const ref = bicgstabReference(csr, b, { rtol: 1e-8, maxiter: 10000 });
    assert.ok(r.converged, r.message);
    assert.is(r.method, "bicgstab");
    assert.ok(Math.abs(r.iterations - ref.iterations) <= 1, `${r.iterations} vs reference ${ref.iterations}`);
    // BiCGSTAB amplifies rounding (summation orders differ from the reference's): compare
    // the first iterations only.
    sameHistory(r.history, ref.history, Math.min(10, ref.history.length), 1e-6);
    assert.ok(relativeResidual(csr, r.x, b) <= 1e-8);
    const M = precond.ssor(A);
    const p = bicgstab(A, b, { rtol: 1e-8, M });
    assert.ok(p.converged && p.iterations < r.iterations, `${p.iterations} vs ${r.iterations}`);
    assert.ok(relativeResidual(csr, p.x, b) <= 1e-8);
    M.dispose();
    A.dispose();
  });
});

test("MINRES follows SciPy's recurrences on a symmetric indefinite system", () => {
  withOperator(shifted(24, 0.6), (csr) => {
    const A = CsrMatrix.fromArrays(csr);
    const b = ones(csr.rows);
    const r = minres(A, b, { rtol: 1e-8, history: true });
    const ref = minresReference(csr, b, { rtol: 1e-8, maxiter: 5 * csr.rows });
    assert.ok(r.converged, r.message);
    assert.is(r.method, "minres");
    assert.ok(Math.abs(r.iterations - ref.iterations) <= 1, `${r.iterations} vs reference ${ref.iterations}`);
    sameHistory(r.history, ref.history, Math.min(30, ref.history.length), 1e-6);
    assert.ok(relativeResidual(csr, r.x, b) <= 1e-8);
    // An SPD preconditioner on an SPD system; an indefinite one is a breakdown, not a NaN.
    const P = gallery.poisson([24, 24]);
    const ic = precond.ic0(P);
    const q = minres(P, ones(P.rows), { M: ic, rtol: 1e-8 });
    assert.ok(q.converged);
    const negative = { rows: A.rows, cols: A.cols, matvec: (v) => v.map((c) => -c) };
    const bad = minres(A, b, { M: negative });
    assert.equal([bad.converged, bad.reason], [false, "breakdown"]);
    ic.dispose();
    P.dispose();
    A.dispose();
  });
});

test("JavaScript operators and preconditioners (reverse communication) give the same x bit for bit", () => {
  const A = convection(16, 0.3);
  const b = ones(A.rows);
  const user = asLinearOperator({ rows: A.rows, cols: A.cols, matvec: (x) => A.matvec(x) });
  const M = precond.jacobi(A);
  const userM = { rows: A.rows, cols: A.cols, matvec: (x) => x.map((c) => c / 4) };
  for (const [solver, o] of [
    [gmres, { restart: 7 }],
    [fgmres, { restart: 7 }],
    [bicgstab, {}],
  ]) {
    const own = solver(A, b, { rtol: 1e-10, M, ...o });
    const js = solver(user, b, { rtol: 1e-10, M: userM, ...o });
    assert.ok(own.converged && js.converged);
    assert.is(js.iterations, own.iterations);
    assert.equal(js.x, own.x);
  }
  const S = shifted(16, 0.5);
  const userS = asLinearOperator({ rows: S.rows, cols: S.cols, matvec: (x) => S.matvec(x) });
  assert.equal(minres(userS, b, { rtol: 1e-10 }).x, minres(S, b, { rtol: 1e-10 }).x);
  M.dispose();
  S.dispose();
  A.dispose();
});

test("breakdowns and non-convergence are results, never claimed convergence", () => {
  // r̂ᵀ·A·p = 0 on the first step: A swaps the two unknowns, b = e₁.
  const swap = CsrMatrix.fromDense([
    [0, 1],
    [1, 0],
  ]);
  const r = bicgstab(swap, new Float64Array([1, 0]));
  assert.equal([r.converged, r.reason], [false, "breakdown"]);
  // A singular system with b outside the range: no method may say converged.
  const singular = CsrMatrix.fromDense([
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ]);
  const b = new Float64Array([1, 1, 1]);
  for (const solver of [gmres, fgmres, bicgstab, minres]) {
    const s = solver(singular, b, { maxiter: 50 });
    assert.not.ok(s.converged, `${solver.name}: ${s.reason}`);
    assert.ok(s.residualNorm >= 0.99, `${s.residualNorm}`);
  }
  const A = convection(16, 0.3);
  const m = gmres(A, ones(A.rows), { maxiter: 3, rtol: 1e-12 });
  assert.equal([m.converged, m.reason, m.iterations], [false, "maxiter", 3]);
  for (const M of [swap, singular, A]) M.dispose();
});

test("solve picks GMRES, MINRES, FGMRES or CG from what A and M declare, and says so", () => {
  const C = convection(8, 0.3);
  const Ccsr = C.toCsr();
  const b = ones(C.rows);
  assert.is(solve(Ccsr, b, { rtol: 1e-8 }).method, "gmres");
  assert.is(solve(Object.assign(asLinearOperator({ rows: C.rows, cols: C.cols, matvec: (x) => C.matvec(x) }), { symmetric: false }), b).method, "gmres");
  const S = shifted(8, 1);
  const indefinite = Object.assign(asLinearOperator({ rows: S.rows, cols: S.cols, matvec: (x) => S.matvec(x) }), { definite: false });
  assert.is(solve(indefinite, b, { rtol: 1e-8 }).method, "minres");
  const nonlinear = { rows: C.rows, cols: C.cols, linear: false, matvec: (x) => x.map((c) => c / 4) };
  assert.is(solve(Ccsr, b, { M: nonlinear }).method, "fgmres");
  const P = gallery.poisson([8, 8]);
  assert.is(solve(P, b).method, "cg");
  assert.is(solve(Ccsr, b, { restart: 5, rtol: 1e-8 }).method, "gmres");
  // ILU declares symmetric: false but is linear: GMRES keeps it; CG becomes FCD.
  const ilu = precond.ilu0(Ccsr);
  const withIlu = solve(Ccsr, b, { M: ilu, rtol: 1e-8 });
  assert.equal([withIlu.method, withIlu.converged], ["gmres", true]);
  assert.is(solve(indefinite, b, { M: ilu, rtol: 1e-8 }).method, "gmres");
  const iluP = precond.ilu0(P);
  assert.is(solve(P, b, { M: iluP }).method, "fcd");
  ilu.dispose();
  iluP.dispose();
  for (const h of [C, Ccsr, S, P]) h.dispose();
});

test("async variants give the sync results; a signal aborts them", async () => {
  const A = convection(24, 0.3);
  const b = ones(A.rows);
  for (const [sync, async_] of [
    [gmres, gmresAsync],
    [bicgstab, bicgstabAsync],
  ]) {
    const s = sync(A, b, { rtol: 1e-8 });
    const a = await async_(A, b, { rtol: 1e-8 });
    assert.equal([a.iterations, a.converged], [s.iterations, s.converged]);
    assert.equal(a.x, s.x);
  }
  const S = shifted(24, 0.3);
  assert.equal((await minresAsync(S, b, { rtol: 1e-8 })).x, minres(S, b, { rtol: 1e-8 }).x);
  const controller = new AbortController();
  let seen = 0;
  const aborted = await gmresAsync(A, b, {
    rtol: 1e-14,
    callback: () => {
      if (++seen === 5) controller.abort();
    },
    signal: controller.signal,
  });
  assert.equal([aborted.converged, aborted.reason], [false, "aborted"]);
  S.dispose();
  A.dispose();
});

test("products per solve: x0 given as zeros costs no product; a one-iteration solve costs two", () => {
  // SciPy's test_precond_inverse allows 3 products for a one-iteration solve; solvewasm
  // needs one for the iteration and one for the true residual that confirms it.
  for (const solver of [cg, gmres, bicgstab, minres]) {
    for (const x0 of [undefined, new Float64Array(4)]) {
      let products = 0;
      const A = { rows: 4, cols: 4, matvec: (x) => (products++, x.map((v) => 2 * v)) };
      const r = solver(A, new Float64Array([1, 2, 3, 4]), { x0, rtol: 1e-8 });
      assert.ok(r.converged && r.iterations === 1, `${solver.name}: ${r.iterations}`);
      assert.is(products, 2, `${solver.name} with x0 ${x0 ? "zeros" : "absent"}`);
    }
  }
});

test("bad input: restart, shapes, option names, NaN from an operator; memory is returned", async () => {
  const A = convection(8, 0.3);
  const b = ones(A.rows);
  const P4 = gallery.poisson([4, 4]);
  const small = precond.jacobi(P4);
  const live = memoryStats().live;
  for (const restart of [0, -1, 2.5, A.rows + 1, Number.NaN, "30"]) await rejects(() => gmres(A, b, { restart }), "INVALID_OPTION", /restart/);
  await rejects(() => fgmres(A, b, { restart: 0 }), "INVALID_OPTION", /restart/);
  const rect = CsrMatrix.fromDense([[1, 2, 3]]);
  for (const solver of [gmres, bicgstab, minres]) await rejects(() => solver(rect, new Float64Array(1)), "DIMENSION_MISMATCH");
  await rejects(() => gmres(A, b, { M: small }), "DIMENSION_MISMATCH", /M is 16 × 16/);
  await rejects(() => bicgstab(A, b, { nullspace: "constant" }), "INVALID_OPTION");
  await rejects(() => minres(A, b, { restart: 5 }), "INVALID_OPTION");
  let calls = 0;
  const nan = { rows: A.rows, cols: A.cols, matvec: (x) => (++calls > 3 ? x.map(() => Number.NaN) : A.matvec(x)) };
  for (const solver of [gmres, bicgstab, minres]) {
    calls = 0;
    await rejects(() => solver(nan, b, { rtol: 1e-12 }), "NOT_FINITE", /A's matvec returned NaN/);
  }
  rect.dispose();
  assert.is(memoryStats().live, live, "every failed solve freed its workspace");
  small.dispose();
  P4.dispose();
  A.dispose();
});

test.run();
