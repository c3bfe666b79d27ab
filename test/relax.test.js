// SOR and SSOR (bindings/relax): Young's theory on the 2D Poisson problem, red-black
// against natural ordering and against a plain JS sweep, SSOR, and the errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, gallery, jacobiRadiusPoisson2d, jacobiRadiusShifted, memoryStats, omegaOptimal, sor } from "solvewasm";
import { randomVector, rejects } from "./_helpers.js";

const t = suite("sor");

t("Young's theory on poisson([64, 64]), b = h²·1, 1e-8 relative to ‖b‖: ≈ 248 sweeps at ω_opt, ≈ 7800 at ω = 1", () => {
  const n = 64,
    h = 1 / (n + 1);
  const A = gallery.poisson([n, n]);
  const b = new Float64Array(n * n).fill(h * h);
  const wopt = omegaOptimal(jacobiRadiusPoisson2d(n));
  assert.ok(Math.abs(wopt - 2 / (1 + Math.sin(Math.PI * h))) < 1e-12, "ω_opt = 2/(1 + sin πh)");
  const opt = sor(A, b, { omega: wopt, rtol: 1e-8, relativeTo: "b" });
  const gs = sor(A, b, { omega: 1, rtol: 1e-8, relativeTo: "b" });
  assert.ok(opt.converged && gs.converged);
  assert.ok(Math.abs(opt.iterations - 248) <= 5, `ω_opt: ${opt.iterations} sweeps`);
  assert.ok(Math.abs(gs.iterations - 7800) <= 80, `ω = 1: ${gs.iterations} sweeps`);
  // Red-black has the same asymptotic rate: within a few percent.
  const rb = sor(A, b, { omega: wopt, rtol: 1e-8, relativeTo: "b", ordering: "red-black" });
  assert.ok(rb.converged && Math.abs(rb.iterations - opt.iterations) <= 0.08 * opt.iterations, `red-black: ${rb.iterations}`);
  A.dispose();
});

/** Plain JS SOR sweeps on a grid, natural or red-black order (zero outside). */
function sweepRef(nx, ny, b, omega, order, sweeps) {
  const x = new Float64Array(nx * ny);
  const at = (i, j) => (i < 0 || j < 0 || i >= nx || j >= ny ? 0 : x[j * nx + i]);
  const point = (i, j) => {
    const p = j * nx + i;
    const gs = (b[p] + at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1)) / 4;
    x[p] += omega * (gs - x[p]);
  };
  for (let s = 0; s < sweeps; s++) {
    for (const colour of order) {
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (colour < 0 || (i + j) % 2 === colour) point(i, j);
    }
  }
  return x;
}

t("natural and red-black sweeps match plain JS sweeps on odd and even grids (SOR and SSOR)", () => {
  for (const [ny, nx] of [
    [1, 1],
    [3, 4],
    [5, 7],
    [8, 6],
    [9, 9],
  ]) {
    const A = gallery.poisson([ny, nx]);
    const b = randomVector(nx * ny, nx + ny);
    for (const omega of [1, 1.6]) {
      const natural = sor(A, b, { omega, maxiter: 3, rtol: 0 });
      const rb = sor(A, b, { omega, maxiter: 3, rtol: 0, ordering: "red-black" });
      const rbs = sor(A, b, { omega, maxiter: 2, rtol: 0, ordering: "red-black", symmetric: true });
      const close = (u, v, what) =>
        u.forEach((val, i) => assert.ok(Math.abs(val - v[i]) <= 1e-13 * (1 + Math.abs(v[i])), `${what} ${nx}×${ny} ω ${omega} [${i}]: ${val} vs ${v[i]}`));
      close(natural.x, sweepRef(nx, ny, b, omega, [-1], 3), "natural");
      close(rb.x, sweepRef(nx, ny, b, omega, [0, 1], 3), "red-black");
      close(rbs.x, sweepRef(nx, ny, b, omega, [0, 1, 1, 0], 2), "red-black SSOR");
    }
    A.dispose();
  }
});

t("SSOR in natural order sweeps forward then backward; on CSR and on a diffusion operator", () => {
  const A = gallery.diffusion(
    Float64Array.from({ length: 30 }, (_, i) => 1 + (i % 4)),
    [5, 6],
  );
  const C = A.toCsr();
  const b = randomVector(30, 3);
  const r1 = sor(A, b, { omega: 1.2, symmetric: true, rtol: 1e-10 });
  const r2 = sor(C, b, { omega: 1.2, symmetric: true, rtol: 1e-10 });
  assert.is(r1.method, "ssor");
  assert.is(r1.iterations, r2.iterations);
  const bnorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
  assert.ok(r1.converged && r1.residualNorm <= 1e-10 * bnorm, `${r1.residualNorm}`);
  A.dispose();
  C.dispose();
});

t("the shifted problem's ω*(c) from jacobiRadiusShifted is the best of a fine ω grid (± one step)", () => {
  for (const c of [-0.15, 0, 0.45]) {
    const base = gallery.poisson([10, 10]).toCsr();
    const arrays = base.toArrays();
    base.dispose();
    for (let i = 0; i < 100; i++) for (let k = arrays.indptr[i]; k < arrays.indptr[i + 1]; k++) if (arrays.indices[k] === i) arrays.data[k] += c;
    const A = CsrMatrix.fromArrays(arrays);
    const b = randomVector(100, 1);
    const cost = (omega) => sor(A, b, { omega, rtol: 1e-8 }).iterations;
    const star = omegaOptimal(jacobiRadiusShifted(10, c));
    const grid = Array.from({ length: 96 }, (_, i) => 1 + i * 0.01);
    const best = Math.min(...grid.map(cost));
    assert.ok(cost(star) <= best * 1.1 + 2, `c = ${c}: ω* ${star.toFixed(3)} costs ${cost(star)}, grid best ${best}`);
    A.dispose();
  }
});

t("the residual norm red-black SOR stops on is the true ‖b − A·x‖", () => {
  const A = gallery.poisson([9, 12]);
  const b = randomVector(108, 5);
  const seen = [];
  const r = sor(A, b, {
    omega: 1.5,
    ordering: "red-black",
    maxiter: 7,
    rtol: 0,
    callback: (p) => {
      seen.push(p.residualNorm);
    },
  });
  assert.ok(Math.abs(seen.at(-1) - r.residualNorm) <= 1e-12 * r.residualNorm, `${seen.at(-1)} vs ${r.residualNorm}`);
  A.dispose();
});

const errors = suite("sor: bad input");

errors('divergence is a result, not an exception: an indefinite matrix stops with reason "diverged" and a finite x (natural and red-black)', () => {
  const indefinite = CsrMatrix.fromDense([
    [1, 2],
    [2, 1],
  ]);
  const r = sor(indefinite, new Float64Array([1, 1]), { history: true });
  assert.is(r.converged, false);
  assert.is(r.reason, "diverged");
  assert.match(r.message ?? "", /diverges/);
  assert.ok(r.x.every(Number.isFinite), "x is the last finite iterate");
  assert.ok(r.history && r.history[r.history.length - 1] > 1e50 * r.history[0]);
  indefinite.dispose();
  // A 5-point stencil with centre 1 (< 4) is indefinite: the red-black kernel stops the same way.
  const H = gallery.stencilGrid(
    [
      [0, -1, 0],
      [-1, 1, -1],
      [0, -1, 0],
    ],
    [15, 15],
  );
  const rb = sor(H, new Float64Array(H.rows).fill(1), { ordering: "red-black", maxiter: 100_000 });
  assert.is(rb.reason, "diverged");
  assert.ok(rb.iterations < 1000 && rb.x.every(Number.isFinite), `${rb.iterations} sweeps`);
  H.dispose();
});

errors("ω outside (0, 2), a zero or non-finite diagonal, red-black on the wrong operator", async () => {
  const A = gallery.poisson([4, 4]);
  const b = new Float64Array(16).fill(1);
  for (const omega of [0, 2, -1, 2.5, NaN]) await rejects(() => sor(A, b, { omega }), "INVALID_OPTION", /omega/);
  const Z = CsrMatrix.fromDense([
    [0, 1],
    [1, 2],
  ]);
  await rejects(() => sor(Z, new Float64Array(2)), "INVALID_MATRIX", /A\[0\]\[0\] = 0/);
  const D = gallery.diffusion(1, [4, 4]);
  await rejects(() => sor(D, b, { ordering: "red-black" }), "INVALID_OPTION", /red-black/);
  await rejects(() => sor(A, new Float64Array(3)), "DIMENSION_MISMATCH");
  await rejects(() => sor(A, b, { maxiter: -1 }), "INVALID_OPTION");
  await rejects(() => sor({ rows: 2, cols: 2, matvec: (x) => x }, new Float64Array(2)), "INVALID_ARGUMENT");
  const live = memoryStats().live;
  assert.ok(sor(A, b, { omega: 1.5, ordering: "red-black", rtol: 1e-10 }).converged);
  assert.is(memoryStats().live, live, "workspace freed");
  for (const m of [A, Z, D]) m.dispose();
});

t.run();
errors.run();
