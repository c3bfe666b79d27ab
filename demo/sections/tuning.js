import { OmegaTuner, sor } from "solvewasm";
import { shiftedSystems } from "../../test/_relax-setup.js";

/** A live OmegaTuner over 300 systems of the paper's A-high setting, against ω = 1 and
 * the best fixed ω of that setting (1.8). */
export async function tuningSection() {
  const T = 300;
  const tuner = new OmegaTuner({ policy: "tsallis-inf", seed: 7 });
  const contextual = new OmegaTuner({ policy: "cheb-igw", seed: 7, contextRange: [-0.15, 0.45] });
  const total = { tuner: 0, contextual: 0, one: 0, fixed: 0 };
  const lines = [`${T} systems A + c·I (10 × 10 Poisson, c random in [−0.15, 0.45]), SOR to 1e-8; cumulative sweeps:`];
  lines.push(
    `${"systems".padStart(8)}  ${"Tsallis-INF".padStart(11)} ${"(mean ω)".padStart(9)}  ${"Cheb-IGW".padStart(9)}  ${"ω = 1".padStart(8)}  ${"ω = 1.8".padStart(8)}`,
  );
  let omegaSum = 0,
    count = 0;
  const t0 = performance.now();
  let t = 0;
  for (const { context, A, b } of shiftedSystems(T, "high", 11)) {
    const r = tuner.solve(A, b, { rtol: 1e-8 });
    total.tuner += r.iterations;
    omegaSum += r.omega;
    count++;
    total.contextual += contextual.solve(A, b, { rtol: 1e-8, context }).iterations;
    total.one += sor(A, b, { omega: 1, rtol: 1e-8 }).iterations;
    total.fixed += sor(A, b, { omega: 1.8, rtol: 1e-8 }).iterations;
    A.dispose();
    if (++t % 50 === 0) {
      lines.push(
        `${String(t).padStart(8)}  ${String(total.tuner).padStart(11)} ${(omegaSum / count).toFixed(3).padStart(9)}  ${String(total.contextual).padStart(9)}  ${String(total.one).padStart(8)}  ${String(total.fixed).padStart(8)}`,
      );
      omegaSum = count = 0;
    }
  }
  lines.push(`(${((performance.now() - t0) / 1000).toFixed(1)} s; npm run bench -- relax runs the full experiment with 20 seeds)`);
  return lines;
}
