// The offline app's Fluids section (demo/app/fluids.js): a smoke plume whose pressure
// projection solvewasm solves every frame. What is checked: every frame's solve converges
// and its residual, recomputed here in plain JS, is ≤ rtol; the divergence left after
// projection is rtol-level relative to before (on the MAC grid it *is* the residual);
// density stays finite and ≥ 0 and grows with the source; DCDM works where its network
// applies (grids in multiples of 4) and is refused elsewhere without a leak; a frame keeps
// wasm memory flat and dispose() returns it to its baseline; and one projection's pressure
// matches a plain-JS CG on the same 5-point system.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as sw from "../../dist/entry.node.js";
import { createSmoke } from "../../demo/app/fluids.js";

const t = suite("fluids (demo/app/fluids.js)");
const RTOL = 1e-6;

/** y = A·x for the unscaled Dirichlet 5-point Laplacian on n × n (zeros outside). */
function laplacian(n, x) {
  const y = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const p = j * n + i;
      y[p] = 4 * x[p] - (i > 0 ? x[p - 1] : 0) - (i < n - 1 ? x[p + 1] : 0) - (j > 0 ? x[p - n] : 0) - (j < n - 1 ? x[p + n] : 0);
    }
  return y;
}

const norm = (x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/** ‖b − A·x‖/‖b‖ of the last projection, in plain JS. */
function jsRelativeResidual(smoke) {
  const { b, x } = smoke.lastSystem();
  const Ax = laplacian(smoke.n, x);
  return norm(b.map((v, p) => v - Ax[p])) / norm(b);
}

/** Runs `frames` frames and checks each one; returns the per-frame results. */
function runAndCheck(smoke, frames, { rtol = RTOL, label }) {
  const results = [];
  let total = 0;
  let live;
  for (let f = 1; f <= frames; f++) {
    const r = smoke.step();
    results.push(r);
    const what = `${label} frame ${f}`;
    assert.is(r.frame, f, `${what}: frame counter`);
    assert.ok(r.converged, `${what}: converged (${r.iterations} iterations, ${r.relativeResidual})`);
    assert.ok(r.relativeResidual <= rtol, `${what}: relative residual ${r.relativeResidual} > ${rtol}`);
    assert.ok(r.divergenceBefore > 0, `${what}: the forces made the field divergent`);
    // The divergence left is −(b − A·φ)/h: the solve's residual, up to float64 rounding.
    assert.ok(r.divergenceAfter <= rtol * r.divergenceBefore * (1 + 1e-6) + 1e-12, `${what}: divergence ${r.divergenceAfter} of ${r.divergenceBefore}`);
    if (f % 10 === 0 || f === 1) {
      const js = jsRelativeResidual(smoke);
      assert.ok(js <= rtol * (1 + 1e-6), `${what}: ‖b − A·p‖/‖b‖ recomputed in JS is ${js}`);
      assert.ok(Math.abs(js - r.relativeResidual) <= 1e-3 * rtol, `${what}: JS residual ${js} vs reported ${r.relativeResidual}`);
    }
    let sum = 0;
    for (const d of smoke.density) {
      if (!(Number.isFinite(d) && d >= 0)) assert.unreachable(`${what}: density ${d}`);
      sum += d;
    }
    assert.ok(sum > total, `${what}: total smoke ${sum} did not grow from ${total}`);
    total = sum;
    // A frame allocates nothing that outlives it in wasm (the solver's workspace is freed).
    if (f === 1) live = sw.memoryStats().live;
    else assert.is(sw.memoryStats().live, live, `${what}: wasm live bytes changed`);
  }
  return results;
}

for (const n of [64, 128]) {
  t(`${n}²: 30 frames of GMG-PCG, each converged, divergence-free to rtol; dispose frees all`, () => {
    const before = sw.memoryStats().live;
    const smoke = createSmoke(sw, { n, solver: "gmg-pcg", rtol: RTOL, seed: 1, vorticity: 2 });
    assert.is(smoke.n, n);
    assert.is(smoke.density.length, n * n);
    assert.is(smoke.hierarchy, "galerkin");
    const results = runAndCheck(smoke, 30, { label: `${n}² gmg-pcg` });
    // Warm-started GMG-PCG: a handful of iterations per frame at any n.
    assert.ok(Math.max(...results.map((r) => r.iterations)) <= 10, `iterations ${results.map((r) => r.iterations)}`);
    smoke.dispose();
    smoke.dispose(); // idempotent
    assert.is(sw.memoryStats().live, before, "dispose returns wasm memory to its baseline");
  });
}

t("127²: the geometric hierarchy (n = 2^L − 1), 30 frames", () => {
  const before = sw.memoryStats().live;
  const smoke = createSmoke(sw, { n: 127 });
  assert.is(smoke.hierarchy, "geometric");
  runAndCheck(smoke, 30, { label: "127² gmg-pcg" });
  smoke.dispose();
  assert.is(sw.memoryStats().live, before);
});

t("64²: plain CG and DCDM (fcd, k = 2) give the same flow as GMG-PCG; switching solvers mid-run", () => {
  const before = sw.memoryStats().live;
  const ref = createSmoke(sw, { n: 64, solver: "gmg-pcg", rtol: 1e-10 });
  const dcdm = createSmoke(sw, { n: 64, solver: "dcdm" });
  const plain = createSmoke(sw, { n: 64, solver: "cg" });
  const rd = runAndCheck(dcdm, 30, { label: "64² dcdm" });
  const rc = runAndCheck(plain, 30, { label: "64² cg" });
  runAndCheck(ref, 30, { rtol: 1e-10, label: "64² gmg-pcg 1e-10" });
  // DCDM's network was trained on this very operator (the 64² Dirichlet Laplacian): far
  // fewer iterations than CG, though each costs a network application.
  const mean = (rs) => rs.reduce((s, r) => s + r.iterations, 0) / rs.length;
  assert.ok(mean(rd) < 0.25 * mean(rc), `dcdm ${mean(rd)} vs cg ${mean(rc)} iterations per frame`);
  // The solvers differ only within rtol per frame, so after 30 frames the smoke agrees closely.
  for (const s of [dcdm, plain]) {
    let diff = 0,
      size = 0;
    for (let p = 0; p < 64 * 64; p++) {
      diff += (s.density[p] - ref.density[p]) ** 2;
      size += ref.density[p] ** 2;
    }
    assert.ok(Math.sqrt(diff / size) < 1e-5, `${s.solver}: density differs from the 1e-10 run by ${Math.sqrt(diff / size)}`);
  }
  dcdm.setSolver("gmg-pcg");
  assert.is(dcdm.solver, "gmg-pcg");
  assert.ok(dcdm.step().converged);
  plain.setSolver("dcdm");
  assert.ok(plain.step().converged);
  for (const s of [ref, dcdm, plain]) s.dispose();
  assert.is(sw.memoryStats().live, before);
});

t("DCDM needs grids in multiples of 4: refused at 63² and 127² without a leak; unknown solvers refused", () => {
  const before = sw.memoryStats().live;
  for (const n of [63, 127]) {
    try {
      createSmoke(sw, { n, solver: "dcdm" });
      assert.unreachable("dcdm accepted a grid that is not a multiple of 4");
    } catch (e) {
      assert.instance(e, sw.SolvewasmError);
      assert.is(e.code, "INVALID_ARGUMENT");
      assert.match(e.message, /multiple of 4/);
    }
  }
  const smoke = createSmoke(sw, { n: 63, solver: "cg" });
  assert.throws(() => smoke.setSolver("dcdm"), /multiple of 4/);
  assert.throws(() => smoke.setSolver("amg"), /solver must be one of/);
  assert.is(smoke.solver, "cg", "a refused switch keeps the solver");
  assert.ok(smoke.step().converged);
  smoke.dispose();
  assert.throws(() => smoke.step(), /disposed/);
  assert.is(sw.memoryStats().live, before);
});

t("16²: one projection's pressure equals a plain-JS CG on the same 5-point system", () => {
  const smoke = createSmoke(sw, { n: 16, rtol: 1e-12 });
  for (let f = 0; f < 5; f++) smoke.step();
  const { b, x } = smoke.lastSystem();
  // Textbook CG from x = 0 (Hestenes–Stiefel), in float64, to ‖r‖ ≤ 1e-14‖b‖.
  const n = 16;
  const xs = new Float64Array(n * n);
  const r = b.slice();
  const p = r.slice();
  let rr = r.reduce((s, v) => s + v * v, 0);
  const stop = 1e-28 * rr;
  for (let k = 0; k < 1000 && rr > stop; k++) {
    const Ap = laplacian(n, p);
    const alpha = rr / p.reduce((s, v, i) => s + v * Ap[i], 0);
    for (let i = 0; i < n * n; i++) {
      xs[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
    }
    const next = r.reduce((s, v) => s + v * v, 0);
    for (let i = 0; i < n * n; i++) p[i] = r[i] + (next / rr) * p[i];
    rr = next;
  }
  const err = norm(xs.map((v, i) => v - x[i])) / norm(xs);
  assert.ok(err < 1e-9, `solvewasm's pressure differs from the JS CG's by ${err} (relative)`);
  smoke.dispose();
});

t.run();
