// The offline app's smoke simulation (demo/app/fluids.js) in Node: frames per second and
// the pressure solve's share of the frame, at 128² and 256² (Galerkin multigrid hierarchy)
// and 127² and 255² (geometric hierarchy, n = 2^L − 1), for GMG-PCG and plain CG, rtol 1e-6,
// vorticity confinement on. Each case runs WARMUP frames (JIT, the plume developing) and
// then times FRAMES frames of the same run; one run per case, so figures on a shared machine
// are indicative. Setup (matrix, hierarchy) is reported separately as `setup_ms`.
import * as sw from "solvewasm";
import { createSmoke } from "../demo/app/fluids.js";
import { emit } from "./harness.js";

const WARMUP = 30;
const FRAMES = 60;
const RTOL = 1e-6;

export async function run() {
  for (const n of [127, 128, 255, 256]) {
    for (const solver of ["gmg-pcg", "cg"]) {
      const t0 = performance.now();
      const smoke = createSmoke(sw, { n, solver, rtol: RTOL, vorticity: 2 });
      const setupMs = performance.now() - t0;
      for (let f = 0; f < WARMUP; f++) smoke.step();
      let step = 0,
        solve = 0,
        iterations = 0,
        worst = 0;
      for (let f = 0; f < FRAMES; f++) {
        const r = smoke.step();
        if (!r.converged) throw new Error(`${solver} at ${n}²: frame ${r.frame} did not converge`);
        step += r.stepMs;
        solve += r.solveMs;
        iterations += r.iterations;
        worst = Math.max(worst, r.relativeResidual);
      }
      emit({
        bench: "fluids",
        n,
        solver,
        hierarchy: solver === "gmg-pcg" ? smoke.hierarchy : undefined,
        frames: FRAMES,
        fps: Math.round((1000 * FRAMES) / step),
        frame_ms: +(step / FRAMES).toFixed(2),
        solve_ms: +(solve / FRAMES).toFixed(2),
        solve_share: +(solve / step).toFixed(3),
        iterations: +(iterations / FRAMES).toFixed(1),
        max_relres: worst,
        setup_ms: +setupMs.toFixed(1),
      });
      smoke.dispose();
    }
  }
}
