// "Learning to Relax", §5 of shared/papers/sor-bandit.md: settings A-high and A-low
// (T = 2000) and B-heat (nx = 32, T = 500). One cost table per setting (SOR sweeps for all
// 20 arms plus ω*), bandits replayed on it with 20 seeds. JSON lines
// {"bench":"relax","setting","policy","T","window","mean_iters","ratio_to_best_fixed"}.
import { settingA, settingHeat, summarize } from "../test/_relax-setup.js";
import { emit } from "./harness.js";

const POLICIES = ["tsallis-inf", "exp3", "tinf-cb", "cheb-igw"];
const SEEDS = 20;

export async function run() {
  const t0 = performance.now();
  const settings = [
    ["A-high", () => settingA(2000, "high", 1), [-0.15, 0.45], [250, 500, 1000, 2000]],
    ["A-low", () => settingA(2000, "low", 1), [-0.15, 0.45], [250, 500, 1000, 2000]],
    ["B-heat", () => settingHeat(500), [0, 10], [125, 250, 500]],
  ];
  for (const [setting, stream, contextRange, checkpoints] of settings) {
    const t1 = performance.now();
    const rows = [...stream()];
    const tableSeconds = (performance.now() - t1) / 1000;
    for (const r of summarize(rows, { policies: POLICIES, seeds: SEEDS, contextRange, checkpoints })) {
      emit({ bench: "relax", setting, ...r, mean_iters: +r.mean_iters.toFixed(2), ratio_to_best_fixed: +r.ratio_to_best_fixed.toFixed(3) });
    }
    emit({ bench: "relax", setting, table_seconds: +tableSeconds.toFixed(1), seeds: SEEDS });
  }
  emit({ bench: "relax", total_seconds: +((performance.now() - t0) / 1000).toFixed(1) });
}
