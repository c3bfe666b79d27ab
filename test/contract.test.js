// The shared solver contract (bindings/solver.ts) and liveness: every solver rejects the
// same bad options the same way, unknown options are named, results have one shape, and
// a handle whose matrix, storage or hierarchy was disposed refuses with DISPOSED — never a
// wrong answer, never a trap.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  allocF64,
  amg,
  xva,
  cg,
  cgAsync,
  CsrMatrix,
  fcd,
  gallery,
  memoryStats,
  multigrid,
  MultilevelSolver,
  precond,
  raw,
  solve,
  sor,
  SOLVER_DEFAULTS,
} from "solvewasm";
import { randomVector, rejects } from "./_helpers.js";

const contract = suite("one solver contract");

/** Every solver as (A, b, options) → result, on a small SPD problem. */
function solvers(A) {
  const ml = multigrid(A);
  return {
    list: [
      ["cg", (b, o) => cg(A, b, o)],
      ["fcd", (b, o) => fcd(A, b, o)],
      ["sor", (b, o) => sor(A, b, o)],
      ["multigrid", (b, o) => ml.solve(b, o)],
    ],
    dispose: () => ml.dispose(),
  };
}

contract("the same invalid options are rejected identically by every solver", async () => {
  const A = gallery.poisson([15, 15]);
  const n = A.rows,
    b = randomVector(n, 3);
  const { list, dispose } = solvers(A);
  const nanX0 = new Float64Array(n);
  nanX0[7] = NaN;
  const cases = [
    [{ rtol: -1 }, "INVALID_OPTION", /^rtol must be a finite number ≥ 0, got number -1$/],
    [{ rtol: NaN }, "INVALID_OPTION", /^rtol must be a finite number ≥ 0/],
    [{ atol: NaN }, "INVALID_OPTION", /^atol must be a number ≥ 0 \(Infinity allowed\), got number NaN$/],
    [{ atol: -1 }, "INVALID_OPTION", /^atol must be/],
    [{ maxiter: 1.5 }, "INVALID_OPTION", /^maxiter must be an integer ≥ 0, got number 1.5$/],
    [{ maxiter: -2 }, "INVALID_OPTION", /^maxiter must be an integer/],
    [{ callbackEvery: 0 }, "INVALID_OPTION", /^callbackEvery must be an integer ≥ 1/],
    [{ callback: 3 }, "INVALID_OPTION", /^callback must be a function/],
    [{ history: "yes" }, "INVALID_OPTION", /^history must be true or false/],
    [{ x0: nanX0 }, "NOT_FINITE", /^x0\[7\] is NaN$/],
    [{ x0: new Float64Array(3) }, "DIMENSION_MISMATCH", /^x0 has length 3, expected 225$/],
    [{ rtoll: 1e-6 }, "INVALID_OPTION", /has no option "rtoll" \(did you mean "rtol"\?\)/],
    [{ signal: {} }, "INVALID_OPTION", /^signal must be an AbortSignal, got Object$/],
    [null, "INVALID_OPTION", /options must be an object, got null$/],
    [7, "INVALID_OPTION", /options must be an object, got number 7$/],
    [{ maxiter: 2 ** 53 }, "INVALID_OPTION", /^maxiter must be an integer/],
    // Prototype names are not options, whatever Object.prototype holds.
    [{ toString: 1 }, "INVALID_OPTION", /has no option "toString"/],
    [JSON.parse('{"__proto__": {"rtol": -1}}'), "INVALID_OPTION", /has no option "__proto__"/],
  ];
  for (const [name, solve] of list) {
    for (const [options, code, pattern] of cases) {
      const e = await rejects(() => solve(b, options), code, pattern);
      assert.ok(e.message.length > 0, `${name} ${JSON.stringify(options)}`);
    }
  }
  dispose();
  A.dispose();
});

contract("a tiny or huge b is solved exactly as b itself: every solver scales by a power of two and reports the original units", () => {
  // Residual norms are sums of squares: unscaled, ‖b‖ = 1e-200 would underflow to "b = 0"
  // and return x = 0 as converged. Power-of-two scaling is exact, so the iteration counts,
  // the bits of x·2^k and of every reported norm match the unscaled solve.
  const A = gallery.poisson([15, 15]);
  const b = randomVector(A.rows, 9);
  const { list, dispose } = solvers(A);
  for (const [name, solve] of list) {
    const options = { rtol: 1e-8, history: true, ...(name === "sor" ? { omega: 1.7 } : {}) };
    const ref = solve(b, options);
    for (const k of [-700, 700]) {
      const f = 2 ** k;
      const seen = [];
      const r = solve(
        b.map((v) => v * f),
        { ...options, callback: (p) => void seen.push(p.residualNorm) },
      );
      assert.ok(r.converged, `${name} at 2^${k}: ${r.message}`);
      assert.is(r.iterations, ref.iterations, `${name} at 2^${k}`);
      assert.ok(
        r.x.every((v, i) => v === ref.x[i] * f),
        `${name} at 2^${k}: x is the unscaled x times 2^${k}`,
      );
      assert.ok(
        r.history.every((v, i) => v === ref.history[i] * f),
        `${name} at 2^${k}: history in the caller's units`,
      );
      assert.equal(seen, Array.from(r.history), `${name}: callbacks in the caller's units`);
      assert.ok(Math.abs(r.residualNorm / f - ref.residualNorm) <= 1e-12 * ref.residualNorm, `${name}: residualNorm`);
    }
    // The smallest subnormal b: never "converged" at a residual it did not reach.
    const tiny = new Float64Array(A.rows);
    tiny[3] = 5e-324;
    const t = solve(tiny, options);
    const Ax = A.matvec(t.x);
    const trueNorm = Math.hypot(...tiny.map((v, i) => v - Ax[i]));
    assert.ok(t.residualNorm === trueNorm || Math.abs(t.residualNorm - trueNorm) <= 1e-300, `${name}: ${t.residualNorm} vs ${trueNorm}`);
    if (t.converged) assert.ok(trueNorm <= 1e-8 * 5e-324, `${name} claimed convergence at ‖b − A·x‖ = ${trueNorm}`);
  }
  dispose();
  A.dispose();
});

contract("every solver returns the same result shape and honours the same stopping test", () => {
  const A = gallery.poisson([15, 15]);
  const b = randomVector(A.rows, 4);
  const bnorm = Math.hypot(...b);
  const { list, dispose } = solvers(A);
  for (const [name, solve] of list) {
    const seen = [];
    const r = solve(b, { rtol: 1e-6, history: true, callback: (p) => void seen.push(p.iteration), ...(name === "sor" ? { relativeTo: "b", omega: 1.7 } : {}) });
    for (const key of ["x", "converged", "reason", "iterations", "residualNorm", "history", "method", "seconds"]) assert.ok(key in r, `${name}: ${key}`);
    assert.ok(r.converged, `${name}: ${r.message}`);
    assert.is(r.reason, "converged");
    assert.is(r.message, undefined);
    assert.ok(r.residualNorm <= 1e-6 * bnorm, `${name}: ${r.residualNorm}`);
    // The recomputed residual is the true one.
    const Ax = A.matvec(r.x);
    assert.ok(Math.abs(Math.hypot(...b.map((v, i) => v - Ax[i])) - r.residualNorm) <= 1e-12 * bnorm, name);
    assert.is(r.history.length, r.iterations + 1, `${name}: one history entry per iteration`);
    assert.equal(
      seen,
      Array.from({ length: r.iterations + 1 }, (_, i) => i),
      `${name}: one callback per iteration`,
    );
    assert.is(typeof r.seconds, "number");
    // Not converging is a result with a message.
    const short = solve(b, { rtol: 1e-12, maxiter: 1 });
    assert.is(short.reason, "maxiter", name);
    assert.ok(!short.converged && /raise maxiter/.test(short.message), name);
    // atol = Infinity accepts x0 at once, as SciPy.
    const any = solve(b, { atol: Infinity });
    assert.ok(any.converged && any.iterations === 0, name);
  }
  assert.is(SOLVER_DEFAULTS.cg.rtol, 1e-5);
  assert.is(SOLVER_DEFAULTS.sor.maxiter(1), 10000);
  dispose();
  A.dispose();
});

contract("options a hierarchy or preconditioner does not have are refused by name", async () => {
  const A = CsrMatrix.fromDense([
    [4, -1, 0],
    [-1, 4, -1],
    [0, -1, 4],
  ]);
  await rejects(() => amg(A, { kind: "smoothed" }), "INVALID_OPTION", /kind must be "aggregation" or "classical"/);
  await rejects(() => amg(A, { nullspace: [new Float64Array(3)] }), "INVALID_OPTION", /amg has no option "nullspace"/);
  await rejects(() => amg(A, { maxElements: 3 }), "INVALID_OPTION", /maxElements is an option of kind "classical"/);
  await rejects(() => amg(A, { kind: "classical", B: [new Float64Array(3)] }), "INVALID_OPTION", /B is an option of kind "aggregation"/);
  await rejects(() => amg(A, { omega: 1.2 }), "INVALID_OPTION", /prolongatorWeight/);
  await rejects(() => precond.ssor(A, { omgea: 1.2 }), "INVALID_OPTION", /did you mean "omega"/);
  await rejects(() => precond.chebyshev(A, { degre: 3 }), "INVALID_OPTION", /did you mean "degree"/);
  await rejects(() => cg(A, new Float64Array(3).fill(1), { k: 2 }), "INVALID_OPTION", /cg has no option "k"/);
  await rejects(() => sor(A, new Float64Array(3).fill(1), { M: precond.jacobi(A) }), "INVALID_OPTION", /sor has no option "M"/);
  A.dispose();
});

contract("one multilevel class: geometric, Galerkin and algebraic hierarchies are MultilevelSolvers", () => {
  const P = gallery.poisson([31, 31]),
    D = gallery.diffusion(1, [32, 32], { boundary: "neumann" });
  const C = P.toCsr();
  for (const [ml, kind] of [
    [multigrid(P), "geometric"],
    [multigrid(D), "galerkin"],
    [amg(C), "aggregation"],
  ]) {
    assert.instance(ml, MultilevelSolver);
    assert.is(ml.kind, kind);
    for (const l of ml.levels) assert.ok(l.rows > 0 && l.nnz > 0 && l.A.rows === l.rows, kind);
    assert.ok(ml.operatorComplexity() >= 1 && ml.gridComplexity() >= 1, kind);
    const b = new Float64Array(ml.levels[0].rows).fill(1);
    const x = ml.cycle(b);
    assert.is(x.length, b.length);
    if (kind === "geometric") assert.is(ml.fmg(b).length, b.length);
    if (kind !== "geometric") assert.ok(ml.levels[0].P && ml.levels[0].R, kind);
    ml.dispose();
  }
  C.dispose();
  P.dispose();
  D.dispose();
});

const live = suite("liveness: use after dispose is DISPOSED");

/** Synchronous `rejects`: no await, so no finalizer of another test's garbage runs in
 * between and the leak check below stays exact. */
function refuses(fn, code, pattern) {
  try {
    fn();
  } catch (e) {
    assert.is(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.unreachable(`expected ${code}`);
}

live("a preconditioner or hierarchy whose matrix, storage or hierarchy was disposed refuses", () => {
  const before = memoryStats().live;
  const n = 15 * 15;
  const b = randomVector(n, 9);
  const poissonCsr = () => {
    const S = gallery.poisson([15, 15]);
    const C = S.toCsr();
    S.dispose();
    return C;
  };
  // A hierarchy disposed (algebraic and geometric), its preconditioner and solve used.
  for (const [A, build] of [
    [poissonCsr(), amg],
    [gallery.poisson([15, 15]), multigrid],
  ]) {
    const ml = build(A);
    const M = ml.asPreconditioner();
    ml.dispose();
    refuses(() => cg(A, b, { M }), "DISPOSED", /multigrid hierarchy/);
    refuses(() => M.matvec(b), "DISPOSED");
    refuses(() => ml.solve(b), "DISPOSED");
    M.dispose();
    A.dispose();
  }
  // The matrix under a hierarchy disposed.
  {
    const A = poissonCsr();
    const ml = amg(A);
    const M = ml.asPreconditioner();
    A.dispose();
    refuses(() => ml.solve(b), "DISPOSED", /CsrMatrix/);
    refuses(() => M.matvec(b), "DISPOSED", /CsrMatrix/);
    M.dispose();
    ml.dispose();
  }
  // SSOR and Chebyshev point into their matrix.
  for (const make of [(B) => precond.ssor(B), (B) => precond.chebyshev(B)]) {
    const B = poissonCsr(),
      B2 = poissonCsr();
    const M = make(B);
    B.dispose();
    refuses(() => cg(B2, b, { M }), "DISPOSED", /CsrMatrix/);
    assert.ok(!M.alive);
    M.dispose();
    // No trap happened: other live handles still work.
    assert.ok(cg(B2, b).converged);
    B2.dispose();
  }
  // A disposed matrix and a disposed path set.
  {
    const A = gallery.poisson([15, 15]);
    A.dispose();
    refuses(() => cg(A, b), "DISPOSED");
    refuses(() => sor(A, b), "DISPOSED");
    refuses(() => multigrid(A), "DISPOSED");
    const ps = xva.simulate({ paths: 64, steps: 4, maturity: 1, seed: 1, spot: [100], drift: 0.01, vol: [0.2] });
    ps.dispose();
    refuses(() => xva.solve({ paths: ps, driver: xva.drivers.linear({ r: 0.01 }), terminal: new Float64Array(64), basis: { degree: 2 } }), "DISPOSED");
  }
  // A buffer disposed, a level of a hierarchy disposed by hand.
  {
    const A = gallery.poisson([15, 15]);
    const v = allocF64(n);
    v.array.fill(1);
    v.dispose();
    refuses(() => cg(A, v), "DISPOSED", /F64Buffer/);
    const ml = multigrid(A);
    ml.levels[1].A.dispose();
    refuses(() => ml.solve(b), "DISPOSED", /level 1/);
    ml.dispose();
    A.dispose();
  }
  // Time stepping: the hierarchy takes the next operator after the previous one is gone.
  {
    const A1 = gallery.poisson([15, 15]);
    const ml = multigrid(A1);
    const M = ml.asPreconditioner();
    // biome-ignore format: a matrix or stencil literal reads as its grid
    const A2 = gallery.stencilGrid([[0, -2, 0], [-2, 8, -2], [0, -2, 0]], [15, 15]);
    A1.dispose();
    refuses(() => ml.solve(b), "DISPOSED", /StencilOperator/);
    ml.update(A2);
    assert.ok(cg(A2, b, { rtol: 1e-8, M }).converged);
    for (const h of [M, ml, A2]) h.dispose();
  }
  assert.is(memoryStats().live, before, "nothing leaked");
  // A hierarchy made before a trap refuses after it (its memory is gone with the instance).
  {
    const A = gallery.poisson([15, 15]);
    const ml = multigrid(A);
    refuses(() => raw((ex) => ex.ddot(4, 2 ** 32 - 16, 0)), "WASM_TRAP");
    refuses(() => ml.solve(b), "DISPOSED", /trapped/);
    refuses(() => cg(A, b), "DISPOSED", /trapped/);
    ml.dispose(); // void already: a no-op, never a second free
    A.dispose();
  }
});

live("a matrix disposed during an async solve stops it with DISPOSED", async () => {
  // A matrix disposed during an async solve stops it.
  {
    const A = gallery.poisson([63, 63]);
    await rejects(() => cgAsync(A, randomVector(A.rows, 2), { rtol: 1e-12, callback: ({ iteration }) => void (iteration === 5 && A.dispose()) }), "DISPOSED");
  }
});

contract.run();
live.run();

const review = suite("edges found in review");

review("a JavaScript operator or preconditioner that allocates wasm memory inside its product works", () => {
  const B = gallery.poisson([15, 15]);
  const b = randomVector(B.rows, 1);
  const scratch = [];
  // Each product allocates (and so may grow wasm memory) before answering.
  const A = { rows: B.rows, cols: B.cols, matvec: (x) => (scratch.push(allocF64(1 << 18)), B.matvec(x)) };
  const M = { rows: B.rows, cols: B.cols, symmetric: true, linear: true, matvec: (r) => (scratch.push(allocF64(1 << 18)), r.map((v) => v / 4)) };
  const r = cg(A, b, { rtol: 1e-8, M, maxiter: 200 });
  assert.ok(r.converged, r.message);
  for (const s of scratch) s.dispose();
  B.dispose();
});

review("a handle disposed by JavaScript in the middle of a solve stops it with DISPOSED, never a trap", () => {
  const b = randomVector(225, 2);
  const keep = allocF64(8);
  {
    // sor: the callback disposes the matrix and allocates over it.
    const A = gallery.poisson([15, 15]);
    const C = A.toCsr();
    refuses(
      () => sor(C, b, { rtol: 1e-12, callback: ({ iteration }) => void (iteration === 3 && (C.dispose(), allocF64(4096).dispose())) }),
      "DISPOSED",
      /CsrMatrix/,
    );
    A.dispose();
  }
  {
    // cg: a JavaScript A disposes the hierarchy its preconditioner uses.
    const A = gallery.poisson([15, 15]);
    const ml = multigrid(A);
    const M = ml.asPreconditioner();
    let calls = 0;
    const userA = { rows: A.rows, cols: A.cols, matvec: (x) => (++calls === 3 && ml.dispose(), A.matvec(x)) };
    refuses(() => cg(userA, b, { rtol: 1e-12, M }), "DISPOSED", /multigrid hierarchy/);
    M.dispose();
    A.dispose();
  }
  assert.ok(keep.alive, "no trap: other buffers live on");
  keep.dispose();
});

review("an F-cycle preconditioner is not symmetric; asPreconditioner checks its options", () => {
  const A = gallery.poisson([31, 31]);
  const ml = multigrid(A, { cycle: "F" });
  const M = ml.asPreconditioner();
  assert.is(M.symmetric, false);
  assert.throws(
    () => ml.asPreconditioner({ symmetric: true }),
    (e) => e.code === "INVALID_OPTION" && /F-cycle/.test(e.message),
  );
  assert.throws(
    () => ml.asPreconditioner({ symetric: false }),
    (e) => e.code === "INVALID_OPTION" && /did you mean "symmetric"/.test(e.message),
  );
  const r = solve(A, new Float64Array(A.rows).fill(1), { rtol: 1e-8, M });
  assert.is(r.method, "fcd");
  assert.ok(r.converged);
  M.dispose();
  ml.dispose();
  A.dispose();
});

review("a Galerkin hierarchy knows its grids and refuses an update on another grid", () => {
  const A = gallery.diffusion(1, [8, 128], { boundary: "neumann" });
  const B = gallery.diffusion(1, [128, 8], { boundary: "neumann" });
  const ml = multigrid(A);
  assert.equal(ml.levels[0].grid, [8, 128]);
  assert.equal(ml.levels[1].grid, [4, 64]);
  assert.throws(
    () => ml.update(B),
    (e) => e.code === "INVALID_ARGUMENT" && /\[8, 128\]/.test(e.message),
  );
  for (const h of [ml, A, B]) h.dispose();
});

review("no leak on refused input or disposed preconditioners; DISPOSED from every method after dispose", () => {
  const A = gallery.poisson([15, 15]);
  const ml = multigrid(A);
  const before = memoryStats().live;
  for (let i = 0; i < 5; i++) {
    refuses(() => ml.cycle(new Float64Array(3)), "DIMENSION_MISMATCH");
    refuses(() => ml.fmg(new Float64Array(225).fill(NaN)), "NOT_FINITE");
    ml.asPreconditioner().dispose();
  }
  assert.is(memoryStats().live, before, "nothing leaked");
  refuses(() => fcd(A, new Float64Array(225).fill(1), { trueResidual: 1 }), "INVALID_OPTION", /trueResidual/);
  ml.dispose();
  refuses(() => ml.operatorComplexity(), "DISPOSED");
  refuses(() => ml.gridComplexity(), "DISPOSED");
  refuses(() => ml.cycle(new Float64Array(225)), "DISPOSED");
  A.dispose();
});

review("sor reports every sweep to its callback and history, in batches of callbackEvery", () => {
  const A = gallery.poisson([15, 15]);
  const b = randomVector(225, 3);
  const seen = [];
  const r = sor(A, b, { omega: 1.5, rtol: 1e-8, history: true, callbackEvery: 7, callback: (p) => void seen.push(p.iteration) });
  assert.ok(r.converged);
  assert.equal(
    seen,
    Array.from({ length: r.iterations + 1 }, (_, i) => i),
  );
  assert.is(r.history.length, r.iterations + 1);
  A.dispose();
});

review.run();
