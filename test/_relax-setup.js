// The experiments of "Learning to Relax" (shared/papers/sor-bandit.md §5) as reusable
// pieces: instance streams, cost tables over every arm plus ω*, and bandit replays on them.
// Used by bench/relax.bench.js (full size), test/relax-tuner.test.js (reduced) and the demo.
// Runtime-neutral: no Node imports.
import { cg, CsrMatrix, gallery, OmegaTuner, omegaOptimal, Random, sor } from "solvewasm";

/**
 * One instance of a cost table: its context and the SOR sweeps of every arm, then of ω*.
 * @typedef {{ context: number, costs: number[] }} CostRow
 */
/**
 * One line of `summarize`.
 * @typedef {object} SummaryRow
 * @property {string} policy a tuner policy, a fixed-arm baseline or an oracle
 * @property {number} T instances counted
 * @property {number} mean_iters
 * @property {number} ratio_to_best_fixed
 * @property {"cumulative" | "last-quarter"} window
 */

/** The paper's grid: 20 values of ω evenly on [1, 1.95]. */
export const ARMS = Array.from({ length: 20 }, (_, i) => 1 + (0.95 * i) / 19);

/**
 * CSR arrays of `poisson([m, m])` with the diagonal shifted and everything scaled:
 * scale·(poisson + shift·I).
 * @param {number} m grid side
 * @returns {(shift: number, scale?: number) => CsrMatrix}
 */
function shiftedPoisson(m) {
  const P = gallery.poisson([m, m]).toCsr();
  const arrays = P.toArrays();
  P.dispose();
  /** @type {number[]} indices of the diagonal entries in `data` */
  const diag = [];
  for (let i = 0; i < arrays.rows; i++) for (let k = arrays.indptr[i]; k < arrays.indptr[i + 1]; k++) if (arrays.indices[k] === i) diag.push(k);
  return (shift, scale = 1) => {
    const data = arrays.data.map((v) => v * scale);
    for (const k of diag) data[k] += shift;
    return CsrMatrix.fromArrays({ ...arrays, data });
  };
}

/**
 * The systems of setting A (A-high: variance "high", A-low: "low"): A_t = poisson(10 × 10)
 * + c_t·I with c_t = −0.15 + 0.6·Beta(0.5, 1.5) or Beta(2, 6), b_t ~ N(0, I) truncated to
 * ‖b‖ ≤ √n, and ω*(c_t) from Young's theory. The caller disposes each A.
 * @param {number} T instances
 * @param {"high" | "low"} variance
 * @param {number} [seed]
 * @returns {Generator<{ context: number, A: CsrMatrix, b: Float64Array, optimal: number }, void, unknown>}
 */
export function* shiftedSystems(T, variance, seed = 1) {
  const rng = new Random(seed);
  const [a, b] = variance === "high" ? [0.5, 1.5] : [2, 6];
  const make = shiftedPoisson(10);
  const n = 100;
  for (let t = 0; t < T; t++) {
    const c = -0.15 + 0.6 * rng.beta(a, b);
    let rhs;
    do rhs = Float64Array.from({ length: n }, () => rng.normal());
    while (rhs.reduce((s, v) => s + v * v, 0) > n);
    yield { context: c, A: make(c), b: rhs, optimal: omegaOptimal((4 * Math.cos(Math.PI / 11)) / (4 + c)) };
  }
}

/**
 * Setting A's cost rows: SOR sweeps (x0 = 0, ε = 1e-8 relative to ‖b − A·x0‖, at most
 * 10000) for every arm, then for ω*(c_t).
 * @param {number} T instances
 * @param {"high" | "low"} variance
 * @param {number} [seed]
 * @returns {Generator<CostRow, void, unknown>}
 */
export function* settingA(T, variance, seed = 1) {
  for (const { context, A, b, optimal } of shiftedSystems(T, variance, seed)) {
    const costs = [...ARMS, optimal].map((omega) => sor(A, b, { omega, rtol: 1e-8, maxiter: 10000 }).iterations);
    A.dispose();
    yield { context, costs };
  }
}

/** @type {(x: number, y: number, cx: number, cy: number, r: number) => number} a smooth bump of radius r at (cx, cy) */
const bump = (x, y, cx, cy, r) => {
  const q = Math.min(1, ((x - cx) ** 2 + (y - cy) ** 2) / (r * r));
  return q >= 1 ? 0 : Math.exp(1 - 1 / (1 - q));
};

/**
 * Setting B (heat): Crank–Nicolson for u_t = κ(t)·Δu + f on the unit square, Dirichlet,
 * nx = 32 (31² unknowns), dt = 0.005, κ(t) = max(0.1 sin 2πt, −10 sin 2πt), a moving bump
 * source; each step's arms warm-start from the reference solution of the previous step
 * (CG to 1e-13) and stop at ‖r‖ ≤ 1e-8·‖b‖. Context: κ(t + dt/2) ∈ [0, 10].
 * @param {number} T time steps
 * @param {number} [nx] grid intervals per side
 * @param {number} [dt] time step
 * @returns {Generator<CostRow, void, unknown>}
 */
export function* settingHeat(T, nx = 32, dt = 0.005) {
  const m = nx - 1,
    n = m * m,
    dx = 1 / nx;
  const make = shiftedPoisson(m);
  /** @param {number} t */
  const kappa = (t) => Math.max(0.1 * Math.sin(2 * Math.PI * t), -10 * Math.sin(2 * Math.PI * t));
  /** @type {Float64Array} */
  let u = new Float64Array(n);
  for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) u[j * m + i] = bump((i + 1) * dx, (j + 1) * dx, 0.5, 0.5, 0.25);
  const P = make(0);
  for (let step = 0; step < T; step++) {
    const t = step * dt,
      th = t + dt / 2;
    const k = kappa(th);
    const a = (k * dt) / (2 * dx * dx);
    const cx = 0.5 + Math.cos(16 * Math.PI * th) / 4,
      cy = 0.5 + Math.sin(16 * Math.PI * th) / 4;
    // b = (I − a·poisson)·u + dt·f
    const pu = P.matvec(u);
    const rhs = new Float64Array(n);
    for (let j = 0; j < m; j++)
      for (let i = 0; i < m; i++) {
        const p = j * m + i;
        rhs[p] = u[p] - a * pu[p] + dt * 32 * bump((i + 1) * dx, (j + 1) * dx, cx, cy, 0.125);
      }
    const A = make(1, a); // I + a·poisson
    const best = omegaOptimal((4 * a * Math.cos(Math.PI / nx)) / (1 + 4 * a));
    const costs = [...ARMS, best].map((omega) => sor(A, rhs, { omega, x0: u, rtol: 1e-8, relativeTo: "b", maxiter: 10000 }).iterations);
    u = cg(A, rhs, { x0: u, rtol: 1e-13 }).x;
    A.dispose();
    yield { context: k, costs };
  }
  P.dispose();
}

/**
 * Per-instance costs of a tuner policy replayed on a cost table (20 arms + ω*).
 * @param {readonly CostRow[]} rows
 * @param {import("solvewasm").TunerPolicy} policy
 * @param {number} seed
 * @param {readonly [number, number]} [contextRange] required by the contextual policies
 * @returns {number[]}
 */
export function replay(rows, policy, seed, contextRange) {
  const tuner = new OmegaTuner({ policy, arms: ARMS, seed, contextRange });
  return rows.map(({ context, costs }) => {
    tuner.suggest(context);
    const cost = costs[/** @type {import("solvewasm").Suggestion} */ (tuner.last).arm];
    tuner.observe(cost);
    return cost;
  });
}

/** @type {(a: ArrayLike<number>, from?: number, to?: number) => number} */
const sum = (a, from = 0, to = a.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
};

/**
 * Summaries of a cost table and policy replays: fixed-arm baselines, the grid oracle and
 * ω*, and for each policy (averaged over seeds) cumulative means and ratios to the best
 * fixed ω at the checkpoints, and over the last quarter.
 * @param {readonly CostRow[]} rows
 * @param {object} options
 * @param {readonly import("solvewasm").TunerPolicy[]} options.policies
 * @param {number} options.seeds replays per policy (seeds 1000, 1001, …), averaged
 * @param {readonly [number, number]} [options.contextRange]
 * @param {readonly number[]} options.checkpoints values of T for the cumulative rows
 * @returns {SummaryRow[]}
 */
export function summarize(rows, { policies, seeds, contextRange, checkpoints }) {
  const T = rows.length;
  const d = ARMS.length;
  /** @type {(j: number, from: number, to: number) => number} */
  const column = (j, from, to) =>
    sum(
      rows.map((r) => r.costs[j]),
      from,
      to,
    );
  /** @param {number} to */
  const bestFixed = (to) => {
    let best = 0;
    for (let j = 1; j < d; j++) if (column(j, 0, to) < column(best, 0, to)) best = j;
    return best;
  };
  /** @type {SummaryRow[]} */
  const out = [];
  /** @type {Record<string, number[]>} */
  const series = {
    "omega=1": rows.map((r) => r.costs[0]),
    "grid-oracle": rows.map((r) => Math.min(...r.costs.slice(0, d))),
    "omega-star": rows.map((r) => r.costs[d]),
  };
  for (const policy of policies) {
    const runs = Array.from({ length: seeds }, (_, s) => replay(rows, policy, 1000 + s, contextRange));
    series[policy] = rows.map((_, t) => runs.reduce((a, run) => a + run[t], 0) / seeds);
  }
  for (const cp of checkpoints.filter((c) => c <= T)) {
    const bf = bestFixed(cp);
    const bfCost = column(bf, 0, cp);
    out.push({ policy: `best-fixed (ω = ${ARMS[bf].toFixed(3)})`, T: cp, mean_iters: bfCost / cp, ratio_to_best_fixed: 1, window: "cumulative" });
    for (const [name, costs] of Object.entries(series)) {
      out.push({ policy: name, T: cp, mean_iters: sum(costs, 0, cp) / cp, ratio_to_best_fixed: sum(costs, 0, cp) / bfCost, window: "cumulative" });
    }
  }
  const bf = bestFixed(T),
    from = Math.floor((3 * T) / 4);
  for (const [name, costs] of Object.entries(series)) {
    out.push({
      policy: name,
      T,
      mean_iters: sum(costs, from, T) / (T - from),
      ratio_to_best_fixed: sum(costs, from, T) / column(bf, from, T),
      window: "last-quarter",
    });
  }
  return out;
}
