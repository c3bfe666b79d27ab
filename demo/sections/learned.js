import { cg, fcd, gallery, learned, multigrid, precond } from "solvewasm";
import { randomVector } from "../../bench/harness.js";

/** DCDM (k = 2) against CG and GMG-PCG at 64² and 128², and MgNO on held-out Darcy samples. */
export async function learnedSection() {
  const lines = [];
  const model = learned.dcdm();
  lines.push(`DCDM network: ${model.params.count} parameters, ${Math.round(model.macPerUnknown)} multiply–adds per unknown per application`);
  lines.push(`${"grid".padEnd(8)}${"rtol".padEnd(7)}${"method".padEnd(22)}iterations     time`);
  for (const n of [64, 128]) {
    const A = gallery.poisson([n, n]);
    const b = Float64Array.from(randomVector(n * n, 5));
    const M = precond.dcdm(A, { model });
    const An = gallery.poisson([n - 1, n - 1]); // GMG needs 2^L − 1 points: 63², 127²
    const gmg = multigrid(An);
    const bn = Float64Array.from(randomVector((n - 1) ** 2, 5));
    for (const rtol of [1e-4, 1e-8]) {
      const runs = [
        ["CG", () => cg(A, b, { rtol })],
        ["DCDM fcd(k = 2)", () => fcd(A, b, { k: 2, M, rtol, maxiter: 500 })],
        [`GMG-PCG (${n - 1}²)`, () => cg(An, bn, { rtol, M: gmg.asPreconditioner() })],
      ];
      for (const [label, run] of runs) {
        const t0 = performance.now();
        const r = run();
        const ms = performance.now() - t0;
        lines.push(
          `${`${n}²`.padEnd(8)}${rtol.toExponential(0).padEnd(7)}${label.padEnd(22)}${String(r.iterations).padStart(10)} ${ms.toFixed(1).padStart(8)} ms${r.converged ? "" : ` (${r.reason})`}`,
        );
      }
    }
    M.dispose();
    gmg.dispose();
    An.dispose();
    A.dispose();
  }
  model.dispose();
  const mgno = learned.mgno();
  const t0 = performance.now();
  const held = learned.darcyData(63, 100, 4242);
  const t1 = performance.now();
  const { mean, max } = learned.relativeL2(mgno, held);
  const t2 = performance.now();
  lines.push(
    `MgNO on Darcy flow, 63²: ${mgno.params.count} parameters; 100 held-out samples (seed 4242, solved by solvewasm's multigrid in ${((t1 - t0) / 1000).toFixed(1)} s)`,
    `  relative L2 error mean ${(100 * mean).toFixed(2)} %, max ${(100 * max).toFixed(2)} %; ${((t2 - t1) / 100).toFixed(1)} ms per prediction`,
  );
  mgno.dispose();
  return lines;
}
