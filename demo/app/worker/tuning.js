// The ω tuning section's job: the systems of "Learning to Relax" setting A (10 × 10 Poisson
// + c·I, test/_relax-setup.js), each solved by SOR with the tuner's ω, and by every arm of
// its grid so the best fixed ω in hindsight is known at each step. Points stream to the page.
import * as sw from "solvewasm";
import { ARMS, shiftedSystems } from "../../../test/_relax-setup.js";
import { yieldNow } from "./solve.js";

const CONTEXTUAL = new Set(["cheb-igw", "tinf-cb"]);

/** { T, variance, policy, rtol, seed } */
export async function tuningJob({ T, variance, policy, rtol, seed }, { signal, progress }) {
  const contextual = CONTEXTUAL.has(policy);
  const tuner = new sw.OmegaTuner({ policy, arms: ARMS, seed, ...(contextual ? { contextRange: [-0.15, 0.45] } : {}) });
  const armTotals = new Float64Array(ARMS.length);
  let tunerTotal = 0,
    oneTotal = 0,
    batch = [],
    last = performance.now(),
    t = 0;
  const t0 = performance.now();
  for (const { context, A, b } of shiftedSystems(T, variance, seed)) {
    try {
      const r = tuner.solve(A, b, contextual ? { rtol, context } : { rtol });
      tunerTotal += r.iterations;
      for (let k = 0; k < ARMS.length; k++) armTotals[k] += sw.sor(A, b, { omega: ARMS[k], rtol, maxiter: 10000 }).iterations;
      oneTotal = armTotals[0];
      let best = 0;
      for (let k = 1; k < ARMS.length; k++) if (armTotals[k] < armTotals[best]) best = k;
      t++;
      batch.push({ t, context, omega: r.omega, sweeps: r.iterations, tunerTotal, bestOmega: ARMS[best], bestTotal: armTotals[best], oneTotal });
    } finally {
      A.dispose();
    }
    if (performance.now() - last > 40) {
      progress({ points: batch, total: T });
      batch = [];
      await yieldNow();
      last = performance.now();
      if (signal.aborted) break;
    }
  }
  if (batch.length) progress({ points: batch, total: T });
  let best = 0;
  for (let k = 1; k < ARMS.length; k++) if (armTotals[k] < armTotals[best]) best = k;
  return {
    result: {
      systems: t,
      aborted: signal.aborted,
      tunerTotal,
      bestOmega: ARMS[best],
      bestTotal: armTotals[best],
      oneTotal,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
