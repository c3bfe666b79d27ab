// Conjugate direction solving (bindings/krylov): CG against dense Cholesky solves, the
// reference iteration counts on 2D Poisson, every preconditioner on the SuiteSparse
// matrices, flexible conjugate directions, JavaScript operators through reverse
// communication, null spaces, callbacks, aborts, async, and the errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, asLinearOperator, blas, cg, cgAsync, createSolvewasm, fcd, fcdAsync, gallery, memoryStats, precond, solve, wasmModule } from "solvewasm";
import { MATRICES, matrixText } from "./_fixtures.js";
import { randomVector, rejects } from "./_helpers.js";

/** Dense Cholesky solve of an SPD system (row-major a, n × n). */
function choleskySolve(a, n, b) {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j];
    }
  }
  const y = new Float64Array(n),
    x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** A random SPD matrix: Bᵀ·B + n·I (condition number of a few tens). */
function randomSpd(n, seed) {
  const B = randomVector(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += B[k * n + i] * B[k * n + j];
      a[i * n + j] = s + (i === j ? n : 0);
    }
  return a;
}

const relErr = (x, y) => {
  let d = 0,
    s = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i] - y[i]) ** 2;
    s += y[i] ** 2;
  }
  return Math.sqrt(d / s);
};

/** 2D Poisson of the Reference figures: b = h²·1, h = 1/(n + 1). */
const poissonRhs = (n) => new Float64Array(n * n).fill(1 / (n + 1) ** 2);

const accuracy = suite("cg: accuracy");

accuracy("cg matches a dense Cholesky solve to 1e-10 on random SPD systems and poisson([8, 8])", () => {
  for (const [n, seed] of [
    [1, 1],
    [2, 2],
    [10, 3],
    [30, 4],
  ]) {
    const a = randomSpd(n, seed);
    const A = CsrMatrix.fromDense({ rows: n, cols: n, data: a });
    const b = randomVector(n, seed + 10);
    const r = cg(A, b, { rtol: 1e-14 });
    assert.ok(r.converged, `n = ${n}: ${r.reason}`);
    assert.ok(relErr(r.x, choleskySolve(a, n, b)) <= 1e-10, `n = ${n}: error ${relErr(r.x, choleskySolve(a, n, b))}`);
    A.dispose();
  }
  const P = gallery.poisson([8, 8]);
  const C = P.toCsr();
  const b = randomVector(64, 5);
  const r = cg(P, b, { rtol: 1e-14 });
  assert.ok(relErr(r.x, choleskySolve(C.toDense(), 64, b)) <= 1e-10);
  P.dispose();
  C.dispose();
});

accuracy("the result follows SciPy's contract: the true residual ≤ max(rtol·‖b‖, atol)", () => {
  const A = gallery.poisson([20, 20]);
  const b = randomVector(400, 7);
  for (const [rtol, atol] of [
    [1e-5, 0],
    [1e-10, 0],
    [0, 1e-6],
    [1e-12, 1e-3],
  ]) {
    const r = cg(A, b, { rtol, atol });
    const res = blas.dnrm2(blas.daxpy(-1, A.matvec(r.x), b.slice()));
    assert.ok(r.converged);
    assert.ok(Math.abs(res - r.residualNorm) <= 1e-12 * blas.dnrm2(b), "residualNorm is the recomputed ‖b − Ax‖");
    assert.ok(res <= Math.max(rtol * blas.dnrm2(b), atol), `rtol ${rtol}, atol ${atol}: ${res}`);
  }
  A.dispose();
});

const counts = suite("cg: the reference iteration counts (2D Poisson, b = h²·1, rtol 1e-8)");

// Reference figures from the issue: CG 239 / 470 / 941, IC(0) 100 / 176, SSOR(ω = 2/(1 + πh)) 49 / 71.
for (const [n, want] of [
  [128, { cg: 239, ic0: 100, ssor: 49 }],
  [256, { cg: 470, ic0: 176, ssor: 71 }],
  [512, { cg: 941 }],
]) {
  counts(
    `n = ${n}: ${Object.entries(want)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")} (± 2)`,
    () => {
      const A = gallery.poisson([n, n]);
      const b = poissonRhs(n);
      const h = 1 / (n + 1);
      const ms = { cg: undefined };
      if (want.ic0) ms.ic0 = precond.ic0(A);
      if (want.ssor) ms.ssor = precond.ssor(A, { omega: 2 / (1 + Math.PI * h) });
      try {
        for (const [name, M] of Object.entries(ms)) {
          const r = cg(A, b, { rtol: 1e-8, M });
          assert.ok(r.converged, `${name}: ${r.reason}`);
          assert.ok(Math.abs(r.iterations - want[name]) <= 2, `${name}: ${r.iterations} iterations, reference ${want[name]}`);
        }
      } finally {
        for (const M of Object.values(ms)) M?.dispose();
        A.dispose();
      }
    },
  );
}

const real = suite("cg: SuiteSparse matrices with every preconditioner");

for (const { name, rows } of MATRICES) {
  real(`${name} converges to rtol 1e-8 with none, Jacobi, SSOR, IC(0) and Chebyshev`, async () => {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    const b = randomVector(rows, 3);
    const preconditioners = { none: undefined, jacobi: precond.jacobi(A), ssor: precond.ssor(A), ic0: precond.ic0(A), chebyshev: precond.chebyshev(A) };
    try {
      const its = {};
      for (const [pc, M] of Object.entries(preconditioners)) {
        const r = cg(A, b, { rtol: 1e-8, M });
        assert.ok(r.converged, `${pc}: ${r.reason} after ${r.iterations} (‖r‖ = ${r.residualNorm})`);
        its[pc] = r.iterations;
      }
      assert.ok(its.ic0 < its.none, `IC(0) ${its.ic0} should beat plain CG ${its.none}`);
    } finally {
      for (const M of Object.values(preconditioners)) M?.dispose();
      A.dispose();
    }
  });
}

const flexible = suite("fcd and solve");

flexible("fcd without a preconditioner takes CG's iteration count (k = 1, 2, 4)", () => {
  const A = gallery.poisson([64, 64]);
  const b = poissonRhs(64);
  const ref = cg(A, b, { rtol: 1e-8 });
  for (const k of [1, 2, 4]) {
    const r = fcd(A, b, { rtol: 1e-8, k });
    assert.ok(r.converged);
    assert.ok(Math.abs(r.iterations - ref.iterations) <= 2, `k = ${k}: ${r.iterations} vs CG ${ref.iterations}`);
    assert.ok(relErr(r.x, ref.x) < 1e-6);
  }
  const sd = fcd(A, b, { rtol: 1e-8, k: 0, maxiter: 200 });
  assert.ok(!sd.converged && sd.reason === "maxiter", "k = 0 is steepest descent: far slower");
  A.dispose();
});

/** Flexible conjugate directions written plainly (DCDM's loop with k kept directions). */
function fcdReference(A, b, M, k, rtol, maxiter) {
  const n = b.length;
  const x = new Float64Array(n),
    r = b.slice();
  const dot = (u, v) => u.reduce((s, ui, i) => s + ui * v[i], 0);
  const tol = rtol * Math.sqrt(dot(b, b));
  const kept = [];
  for (let it = 1; it <= maxiter; it++) {
    const q = M(r);
    for (const { p, ap, d } of kept.slice().reverse()) {
      const c = dot(q, ap) / d;
      for (let i = 0; i < n; i++) q[i] -= c * p[i];
    }
    const aq = A(q);
    const d = dot(q, aq),
      alpha = dot(q, r) / d;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * q[i];
      r[i] -= alpha * aq[i];
    }
    kept.push({ p: q, ap: aq, d });
    if (kept.length > k) kept.shift();
    if (Math.sqrt(dot(r, r)) <= tol) return { x, iterations: it };
  }
  return { x, iterations: maxiter };
}

flexible("a nonsymmetric preconditioner: solve picks fcd, which follows the plain reference loop", () => {
  const A = gallery.poisson([12, 12]);
  const C = A.toCsr();
  const { indptr, indices, data } = C.toArrays();
  const n = 144;
  // One forward Gauss–Seidel sweep: z = (D + L)⁻¹·r, a nonsymmetric M⁻¹.
  const gs = (r) => {
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = r[i],
        d = 0;
      for (let q = indptr[i]; q < indptr[i + 1]; q++) {
        if (indices[q] < i) s -= data[q] * z[indices[q]];
        else if (indices[q] === i) d = data[q];
      }
      z[i] = s / d;
    }
    return z;
  };
  const M = { rows: n, cols: n, symmetric: false, linear: true, matvec: gs };
  const b = randomVector(n, 9);
  for (const k of [1, 2, 4]) {
    const r = solve(A, b, { rtol: 1e-8, M, k });
    assert.is(r.method, "fcd");
    assert.ok(r.converged, r.reason);
    const ref = fcdReference((v) => A.matvec(Float64Array.from(v)), b, gs, k, 1e-8, 1000);
    assert.ok(Math.abs(r.iterations - ref.iterations) <= 1, `k = ${k}: ${r.iterations} vs the reference ${ref.iterations}`);
    assert.ok(relErr(r.x, ref.x) < 1e-6);
    const t = fcd(A, b, { rtol: 1e-8, M, k, trueResidual: true });
    assert.ok(t.converged && Math.abs(t.iterations - r.iterations) <= 2);
  }
  assert.is(solve(A, b, { rtol: 1e-8 }).method, "cg");
  A.dispose();
  C.dispose();
});

flexible("with a symmetric positive preconditioner fcd (k ≥ 1) takes PCG's iteration count", () => {
  const A = gallery.poisson([48, 48]);
  const b = poissonRhs(48);
  const M = precond.ic0(A);
  const ref = cg(A, b, { rtol: 1e-8, M });
  for (const k of [1, 2]) {
    const r = fcd(A, b, { rtol: 1e-8, M, k });
    assert.ok(Math.abs(r.iterations - ref.iterations) <= 2, `k = ${k}: ${r.iterations} vs PCG ${ref.iterations}`);
  }
  M.dispose();
  A.dispose();
});

flexible('a Krylov iteration that diverges on a nonsymmetric matrix stops with reason "diverged" and a finite x, never NOT_FINITE', () => {
  const A = CsrMatrix.fromDense([
    [1, 2, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const r = fcd(A, new Float64Array([0, 1, 0]), { maxiter: 5000, history: true });
  assert.is(r.converged, false);
  assert.is(r.reason, "diverged");
  assert.ok(r.x.every(Number.isFinite) && r.iterations < 5000, `${r.iterations} iterations`);
  assert.ok(r.history[r.history.length - 1] > 1e50 * r.history[0]);
  A.dispose();
});

flexible("solve checks fcd's own options whichever method it picks", async () => {
  const A = gallery.poisson([4, 4]);
  const b = new Float64Array(16).fill(1);
  for (const options of [{ k: Symbol.for("x") }, { k: "abc" }, { k: 65 }, { trueResidual: "yes" }]) {
    await rejects(() => solve(A, b, options), "INVALID_OPTION", /^(k|trueResidual) must be/);
  }
  assert.is(solve(A, b, { k: 3 }).method, "cg");
  A.dispose();
});

const interop = suite("JavaScript operators and preconditioners");

interop("a preconditioner whose product runs its own solve (and grows a fresh instance's memory) works on the first call", async () => {
  const S = await createSolvewasm(wasmModule());
  const A = S.gallery.poisson([256, 256]);
  const b = new Float64Array(A.rows).fill(1);
  const size = S.memoryStats().size;
  const M = { rows: A.rows, cols: A.cols, linear: false, matvec: (r) => S.cg(A, Float64Array.from(r), { maxiter: 5 }).x };
  const r = S.fcd(A, b, { M, maxiter: 3 });
  assert.is(r.iterations, 3);
  assert.ok(S.memoryStats().size > size, "memory grew inside M");
  assert.ok(r.x.every(Number.isFinite));
  A.dispose();
});

interop("an out of the wrong type is refused, never left unwritten (operators and preconditioners)", async () => {
  const A = gallery.poisson([4, 4]);
  const J = precond.jacobi(A);
  const r = new Float64Array(16).fill(1);
  for (const out of [new Float32Array(16), new Array(16).fill(0), new Uint8Array(16), new BigInt64Array(16)]) {
    await rejects(() => J.matvec(r, out), "INVALID_ARGUMENT", /out must be a Float64Array/);
    await rejects(() => A.matvec(r, out), "INVALID_ARGUMENT", /out must be a Float64Array/);
    await rejects(() => asLinearOperator({ rows: 16, cols: 16, matvec: (x) => x }).matvec(r, out), "INVALID_ARGUMENT", /out must be a Float64Array/);
  }
  const out = new Float64Array(16);
  assert.is(J.matvec(r, out), out);
  assert.is(out[0], 0.25);
  J.dispose();
  A.dispose();
});

interop("a JS operator and a JS preconditioner give the wasm results", () => {
  const A = gallery.poisson([24, 24]);
  const b = randomVector(576, 4);
  const jsA = { rows: 576, cols: 576, matvec: (x) => A.matvec(x) };
  const J = precond.jacobi(A);
  const jsM = asLinearOperator({ rows: 576, cols: 576, matvec: (r) => r.map((v) => v / 4) });
  for (const [M1, M2] of [
    [undefined, undefined],
    [J, jsM],
  ]) {
    const w = cg(A, b, { rtol: 1e-10, M: M1 });
    const j = cg(jsA, b, { rtol: 1e-10, M: M2 });
    assert.is(j.iterations, w.iterations);
    assert.ok(relErr(j.x, w.x) < 1e-12);
    const f = fcd(jsA, b, { rtol: 1e-10, M: M2, trueResidual: true });
    assert.ok(f.converged);
  }
  assert.equal(Array.from(J.matvec(new Float64Array(576).fill(8)).slice(0, 3)), [2, 2, 2]);
  J.dispose();
  A.dispose();
});

interop("a solvewasm operator can serve as M⁻¹ (here the exact inverse of a diagonal)", () => {
  const d = Float64Array.from({ length: 50 }, (_, i) => 1 + i);
  const A = CsrMatrix.fromCoo({ rows: 50, cols: 50, row: [...d.keys()], col: [...d.keys()], data: d });
  const Minv = CsrMatrix.fromCoo({ rows: 50, cols: 50, row: [...d.keys()], col: [...d.keys()], data: d.map((v) => 1 / v) });
  const r = cg(A, new Float64Array(50).fill(1), { rtol: 1e-12, M: Minv });
  assert.is(r.iterations, 1);
  A.dispose();
  Minv.dispose();
});

const singular = suite("singular problems");

singular('pure Neumann Poisson: nullspace "constant" converges to the zero-mean solution', () => {
  const A = gallery.diffusion(1, [16, 16], { boundary: "neumann" });
  const b = randomVector(256, 2);
  const mean = b.reduce((a, v) => a + v, 0) / 256;
  b.forEach((v, i) => (b[i] = v - mean));
  const r = cg(A, b, { rtol: 1e-10, nullspace: "constant" });
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.x.reduce((a, v) => a + v, 0)) < 1e-9, "x has no constant component");
  A.dispose();
});

singular("an inconsistent singular system is not called converged: the true residual, the null-space component and the projected residual are reported", () => {
  const A = gallery.diffusion(1, [16, 16], { boundary: "neumann" });
  const b = new Float64Array(256);
  b[0] = 1; // Σb = 1: b has the component (1/256)·1 in the null space, of norm 1/16
  const r = cg(A, b, { nullspace: "constant" });
  assert.is(r.converged, false);
  assert.is(r.reason, "inconsistent");
  assert.match(r.message ?? "", /null space/);
  const Ax = A.matvec(r.x);
  const trueNorm = Math.hypot(...b.map((v, i) => v - Ax[i]));
  assert.ok(Math.abs(r.residualNorm - trueNorm) <= 1e-12, `residualNorm ${r.residualNorm} is ‖b − A·x‖ = ${trueNorm}`);
  assert.ok(Math.abs(r.nullspace.component - 1 / 16) < 1e-15, `component ${r.nullspace.component}`);
  assert.ok(r.nullspace.projectedResidualNorm <= 1e-5, "the projected system is solved (the least-squares x)");
  // The same b made consistent converges, with a component at rounding level.
  const consistent = b.map((v) => v - 1 / 256);
  const c = cg(A, consistent, { nullspace: "constant" });
  assert.ok(c.converged && c.reason === "converged" && c.nullspace.component < 1e-15, `${c.reason} ${c.nullspace.component}`);
  A.dispose();
});

singular("a masked Neumann grid with two fluid regions: one null vector per region", () => {
  // A wall (inactive column 8) splits the 16 × 16 grid into two regions.
  const mask = Array.from({ length: 256 }, (_, p) => p % 16 !== 8);
  const A = gallery.diffusion(1, [16, 16], { boundary: "neumann", mask });
  const ns = A.nullspace();
  assert.is(ns.length, 2);
  const b = randomVector(256, 6).map((v, p) => (mask[p] ? v : 0));
  for (const v of ns) {
    // make b consistent: zero mean on each region
    const m = b.reduce((a, x, p) => a + x * v[p], 0) / v.reduce((a, x) => a + x, 0);
    b.forEach((x, p) => (b[p] = x - m * v[p]));
  }
  const r = cg(A, b, { rtol: 1e-10, nullspace: "constant", M: precond.jacobi(A) });
  assert.ok(r.converged, r.reason);
  const D = gallery.diffusion(1, [16, 16], { mask });
  assert.is(D.nullspace().length, 0, "Dirichlet boundaries ground both regions");
  A.dispose();
  D.dispose();
});

const control = suite("callbacks, history, aborts, async");

control("the callback sees iteration 0 and every iteration, and may stop the solve", () => {
  const A = gallery.poisson([32, 32]);
  const b = randomVector(1024, 1);
  const seen = [];
  const r = cg(A, b, {
    rtol: 1e-8,
    history: true,
    callback: (p) => {
      seen.push(p);
    },
  });
  assert.is(seen.length, r.iterations + 1);
  assert.equal(
    seen.map((p) => p.iteration),
    [...Array(r.iterations + 1).keys()],
  );
  assert.is(r.history.length, r.iterations + 1);
  assert.ok(Math.abs(r.history[0] - blas.dnrm2(b)) <= 1e-12 * blas.dnrm2(b), "history starts at ‖b − A·x0‖");
  const stopped = cg(A, b, { rtol: 1e-8, callback: (p) => p.iteration < 10 });
  assert.is(stopped.reason, "aborted");
  assert.is(stopped.iterations, 10);
  assert.is(stopped.converged, false);
  const every = [];
  cg(A, b, {
    rtol: 1e-8,
    callback: (p) => {
      every.push(p.iteration);
    },
    callbackEvery: 7,
  });
  assert.equal(
    every,
    seen.map((p) => p.iteration),
    "callbackEvery batches calls but reports every iteration",
  );
  A.dispose();
});

control('an aborted signal stops with reason "aborted" and the best x so far', async () => {
  const A = gallery.poisson([64, 64]);
  const b = poissonRhs(64);
  const ac = new AbortController();
  ac.abort();
  const r0 = cg(A, b, { signal: ac.signal, x0: new Float64Array(4096).fill(1e-6) });
  assert.is(r0.reason, "aborted");
  assert.is(r0.iterations, 0);
  assert.is(r0.x[0], 1e-6);
  const live = new AbortController();
  const r = await cgAsync(A, b, {
    rtol: 1e-12,
    signal: live.signal,
    callback: (p) => {
      if (p.iteration === 20) live.abort();
    },
  });
  assert.is(r.reason, "aborted");
  assert.ok(r.iterations >= 20 && r.iterations < 100, `${r.iterations}`);
  // The best x so far: the 20th-and-later iterate, finite and no longer x0 = 0.
  assert.ok(r.x.every(Number.isFinite) && blas.dnrm2(r.x) > 0);
  A.dispose();
});

control("cgAsync and fcdAsync give cg's and fcd's results and let a timer run meanwhile", async () => {
  const A = gallery.poisson([128, 128]);
  const b = poissonRhs(128);
  let fired = false;
  setTimeout(() => (fired = true), 0);
  let settled = false;
  const pending = cgAsync(A, b, { rtol: 1e-8 }).then((r) => ((settled = true), r));
  await Promise.resolve();
  assert.is(settled, false, "the first chunk hands back before the solve ends");
  const a = await pending;
  assert.ok(fired, "a timer queued before the solve ran before it finished");
  const f = await fcdAsync(A, b, { rtol: 1e-8 });
  const s = cg(A, b, { rtol: 1e-8 });
  assert.is(a.iterations, s.iterations);
  assert.ok(relErr(a.x, s.x) < 1e-14);
  assert.ok(f.converged);
  A.dispose();
});

const errors = suite("cg: bad input and edge cases");

errors("wrong lengths, non-finite input, bad options", async () => {
  const A = gallery.poisson([4, 4]);
  const b = new Float64Array(16).fill(1);
  await rejects(() => cg(A, new Float64Array(15)), "DIMENSION_MISMATCH", /b has length 15, expected 16/);
  await rejects(() => cg(A, b, { x0: new Float64Array(3) }), "DIMENSION_MISMATCH", /x0/);
  await rejects(
    () =>
      cg(
        A,
        b.map((v, i) => (i === 3 ? NaN : v)),
      ),
    "NOT_FINITE",
    /b\[3\] is NaN/,
  );
  await rejects(() => cg(A, b, { x0: new Float64Array(16).fill(Infinity) }), "NOT_FINITE", /x0\[0\]/);
  await rejects(() => cg(A, b, { rtol: -1 }), "INVALID_OPTION", /rtol/);
  await rejects(() => cg(A, b, { maxiter: -1 }), "INVALID_OPTION", /maxiter/);
  await rejects(() => cg(A, b, { maxiter: 2.5 }), "INVALID_OPTION", /maxiter/);
  await rejects(() => cg(A, b, { atol: NaN }), "INVALID_OPTION", /atol/);
  await rejects(() => fcd(A, b, { k: -1 }), "INVALID_OPTION", /k must be/);
  await rejects(() => precond.ssor(A, { omega: 2 }), "INVALID_OPTION", /omega/);
  await rejects(() => cg(CsrMatrix.fromDense([[1, 2, 3]]), new Float64Array(1)), "DIMENSION_MISMATCH", /square/);
  await rejects(() => cg(A, [1, 2]), "INVALID_ARGUMENT");
  A.dispose();
});

errors("NaN from the operator is NOT_FINITE; the module works afterwards and nothing leaks", async () => {
  const live = memoryStats().live;
  const bad = { rows: 3, cols: 3, matvec: (x) => x.map(() => NaN) };
  await rejects(() => cg(bad, new Float64Array([1, 2, 3])), "NOT_FINITE", /A's matvec returned NaN at entry 0/);
  await rejects(() => fcd(bad, new Float64Array([1, 2, 3])), "NOT_FINITE", /A's matvec/);
  // One infinity on one call of a product, A's or M's, is the product's fault, never a "breakdown".
  const B = gallery.poisson([3, 3]);
  let calls = 0;
  const onceInfinite = {
    rows: 9,
    cols: 9,
    matvec: (x) => {
      const y = B.matvec(x);
      if (++calls === 2) y[4] = Infinity;
      return y;
    },
  };
  await rejects(() => cg(onceInfinite, new Float64Array(9).fill(1)), "NOT_FINITE", /A's matvec returned Infinity at entry 4/);
  const M = { rows: 9, cols: 9, symmetric: true, linear: true, matvec: (r) => r.map((v, i) => (i === 8 ? -Infinity : v)) };
  await rejects(() => cg(B, new Float64Array(9).fill(1), { M }), "NOT_FINITE", /M's matvec returned -Infinity at entry 8/);
  B.dispose();
  assert.is(memoryStats().live, live);
  const A = gallery.poisson([3, 3]);
  assert.ok(cg(A, new Float64Array(9).fill(1)).converged);
  A.dispose();
});

errors("a solution past float64 is NOT_FINITE, never an infinite x in a result (cg, fcd, sor, JavaScript operators)", async () => {
  const tiny = CsrMatrix.fromDense([[1e-10]]);
  const b = Float64Array.of(1e300);
  for (const solve of [() => cg(tiny, b), () => fcd(tiny, b), () => cg({ rows: 1, cols: 1, matvec: (x) => x.map((v) => v * 1e-10) }, b)]) {
    await rejects(solve, "NOT_FINITE", /x\[0\] became Infinity .* not representable/);
  }
  tiny.dispose();
});

errors("b = 0 returns x = 0, converged, in 0 iterations", () => {
  const A = gallery.poisson([5, 5]);
  const r = cg(A, new Float64Array(25), { x0: new Float64Array(25).fill(3) });
  assert.equal([r.iterations, r.converged, r.reason, r.residualNorm], [0, true, "converged", 0]);
  assert.ok(r.x.every((v) => v === 0));
  A.dispose();
});

errors("an indefinite matrix or preconditioner ends in breakdown, without NaN or a hang", () => {
  const A = CsrMatrix.fromDense([
    [1, 0, 0],
    [0, -1, 0],
    [0, 0, 2],
  ]);
  const r = cg(A, new Float64Array([1, 1, 1]));
  assert.is(r.reason, "breakdown");
  assert.match(r.message, /not positive definite.*nullspace/);
  assert.ok(r.x.every(Number.isFinite));
  assert.is(fcd(A, new Float64Array([1, 1, 1])).reason, "breakdown");
  const P = gallery.poisson([4, 4]);
  const negative = { rows: 16, cols: 16, matvec: (x) => x.map((v) => -v) };
  const m = cg(P, new Float64Array(16).fill(1), { M: negative });
  assert.is(m.reason, "breakdown");
  assert.ok(m.x.every(Number.isFinite));
  A.dispose();
  P.dispose();
});

errors("IC(0) breaking down on Kershaw's matrix is shifted, reported, and still preconditions", () => {
  const K = CsrMatrix.fromDense([
    [3, -2, 0, 2],
    [-2, 3, -2, 0],
    [0, -2, 3, -2],
    [2, 0, -2, 3],
  ]);
  const M = precond.ic0(K);
  assert.ok(M.info.shift > 0, `shift ${M.info.shift}`);
  const r = cg(K, new Float64Array([1, 2, 3, 4]), { rtol: 1e-10, M });
  assert.ok(r.converged);
  M.dispose();
  K.dispose();
});

errors('maxiter ends with reason "maxiter" and converged false', () => {
  const A = gallery.poisson([32, 32]);
  const r = cg(A, poissonRhs(32), { rtol: 1e-10, maxiter: 5 });
  assert.equal([r.iterations, r.reason, r.converged], [5, "maxiter", false]);
  assert.match(r.message, /stopped after 5 iterations/);
  A.dispose();
});

accuracy.run();
counts.run();
real.run();
flexible.run();
interop.run();
singular.run();
control.run();
errors.run();
