// The Fluids section's jobs around the smoke simulation of ../fluids.js (createSmoke): one
// simulation per worker; the page asks for each frame (requestAnimationFrame pacing, one
// frame in flight), and every answer carries a copy of the density, transferred.
import * as sw from "solvewasm";
import { createSmoke } from "../fluids.js";

let smoke;

export function fluidsStart({ n, solver, rtol, seed }) {
  smoke?.dispose();
  smoke = undefined;
  smoke = createSmoke(sw, { n, solver, rtol, seed });
  return { result: { n: smoke.n } };
}

export function fluidsStep({ dt }) {
  if (!smoke) throw new Error("no simulation is running");
  const stats = smoke.step(dt);
  const density = new Float32Array(smoke.density);
  return { result: { ...stats, n: smoke.n, density }, transfer: [density.buffer] };
}

export function fluidsSolver({ solver }) {
  smoke?.setSolver(solver);
  return { result: { solver } };
}

export function fluidsStop() {
  smoke?.dispose();
  smoke = undefined;
  return { result: {} };
}
