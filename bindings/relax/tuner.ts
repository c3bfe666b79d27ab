// OmegaTuner: picks SOR's ω across a sequence of related systems from iteration counts
// alone, with the bandit policies of "Learning to Relax" (policies.ts).
import { SolvewasmError } from "../errors.js";
import type { Vector } from "../memory.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import { makeRelax, type SorOptions, type SorResult } from "../relax/index.js";
import { describe } from "../validate.js";
import { ChebIgw, Exp3, TsallisInf, TsallisInfCb, type Choice, type Policy } from "./policies.js";
import { Random } from "./random.js";

export type TunerPolicy = "tsallis-inf" | "exp3" | "tinf-cb" | "cheb-igw";

export interface OmegaTunerOptions {
  /** "tsallis-inf" (default), "exp3", or the contextual "tinf-cb" and "cheb-igw". */
  policy?: TunerPolicy;
  /** Number of ω values spread evenly over `range` (default 20), or the values themselves. */
  arms?: number | readonly number[];
  /** [low, high] of the ω grid (default [1, 1.95]). */
  range?: readonly [number, number];
  /** [low, high] of the context (required by the contextual policies); contexts outside
   * are clamped into it and reported. */
  contextRange?: readonly [number, number];
  /** Seed of the tuner's random choices (default 1): same seed, same choices. */
  seed?: number;
  /** Context bins of "tinf-cb" (default 5). */
  bins?: number;
  /** Chebyshev features of "cheb-igw" (default 6). */
  features?: number;
}

/** What `suggest` chose, kept until `observe`. */
export interface Suggestion {
  omega: number;
  arm: number;
  probability: number;
  /** The context used (after clamping). */
  context: number | undefined;
  /** True when the given context lay outside `contextRange` and was clamped. */
  clamped: boolean;
}

const STATE_VERSION = 1;

function invalidOption(message: string): never {
  throw new SolvewasmError("INVALID_OPTION", message);
}

/**
 * Learns a good SOR relaxation factor ω over a sequence of systems.
 * @example
 * const tuner = new OmegaTuner({ seed: 7 });
 * for (const [A, b] of systems) {
 *   const { iterations, omega } = tuner.solve(A, b, { rtol: 1e-8 }); // SOR with the chosen ω
 * }
 * // with your own solver:
 * const omega = tuner.suggest(context);
 * tuner.observe(runMySolver(omega).iterations);
 */
export class OmegaTuner {
  readonly policy: TunerPolicy;
  /** The ω grid. */
  readonly omegas: readonly number[];
  readonly contextRange: readonly [number, number] | undefined;
  readonly seed: number;
  /** The pending (or last) suggestion. */
  last: Suggestion | undefined;
  #rng: Random;
  #learner: Policy;
  #pending = false;
  #lossSum = 0;
  #rounds = 0;
  readonly #options: Required<Pick<OmegaTunerOptions, "bins" | "features">>;

  constructor(options: OmegaTunerOptions = {}, saved?: { rng: number[]; learner: unknown; lossSum: number; rounds: number }) {
    const { policy = "tsallis-inf", arms = 20, range = [1, 1.95], contextRange, seed = 1, bins = 5, features = 6 } = options;
    if (!["tsallis-inf", "exp3", "tinf-cb", "cheb-igw"].includes(policy)) {
      invalidOption(`policy must be "tsallis-inf", "exp3", "tinf-cb" or "cheb-igw", got ${describe(policy)}`);
    }
    if (!Array.isArray(range) || range.length !== 2 || !(range[0] > 0 && range[0] <= range[1] && range[1] < 2)) {
      invalidOption(`range must be [low, high] with 0 < low ≤ high < 2, got ${describe(range)}`);
    }
    let omegas: number[];
    if (typeof arms === "number") {
      if (!Number.isInteger(arms) || arms < 1 || arms > 1000) invalidOption(`arms must be an integer in [1, 1000], got ${arms}`);
      omegas = Array.from({ length: arms }, (_, i) => (arms === 1 ? range[0] : range[0] + ((range[1] - range[0]) * i) / (arms - 1)));
    } else if (Array.isArray(arms) && arms.length > 0) {
      omegas = [...arms];
    } else {
      invalidOption(`arms must be a count or an array of ω values, got ${describe(arms)}`);
    }
    for (const w of omegas) if (typeof w !== "number" || !(w > 0 && w < 2)) invalidOption(`every ω must be in (0, 2), got ${describe(w)}`);
    const contextual = policy === "tinf-cb" || policy === "cheb-igw";
    if (contextRange !== undefined && (!Array.isArray(contextRange) || contextRange.length !== 2 || !(contextRange[0] < contextRange[1]))) {
      invalidOption(`contextRange must be [low, high] with low < high, got ${describe(contextRange)}`);
    }
    if (contextual && !contextRange) invalidOption(`the "${policy}" policy needs a contextRange`);
    if (!Number.isInteger(bins) || bins < 1) invalidOption(`bins must be a positive integer, got ${describe(bins)}`);
    if (!Number.isInteger(features) || features < 1 || features > 20) invalidOption(`features must be an integer in [1, 20], got ${describe(features)}`);
    this.policy = policy;
    this.omegas = Object.freeze(omegas);
    this.contextRange = contextRange ? (Object.freeze([...contextRange]) as [number, number]) : undefined;
    this.seed = seed;
    this.#options = { bins, features };
    this.#rng = new Random(saved?.rng ?? seed);
    const learner = saved?.learner as never;
    const d = omegas.length,
      cr = this.contextRange as [number, number];
    this.#learner =
      policy === "tsallis-inf"
        ? new TsallisInf(d, learner)
        : policy === "exp3"
          ? new Exp3(d, learner)
          : policy === "tinf-cb"
            ? new TsallisInfCb(d, cr, bins, learner)
            : new ChebIgw(d, cr, features, learner);
    this.#lossSum = saved?.lossSum ?? 0;
    this.#rounds = saved?.rounds ?? 0;
  }

  /** Systems observed so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /** Chooses ω for the next system (context: e.g. a diagonal shift or a diffusion
   * coefficient; needed by the contextual policies). Call `observe` with its cost next. */
  suggest(context?: number): number {
    let c = context;
    let clamped = false;
    if (this.contextRange) {
      if (typeof c !== "number" || !Number.isFinite(c)) {
        if (this.policy === "tinf-cb" || this.policy === "cheb-igw") {
          throw new SolvewasmError("INVALID_ARGUMENT", `the "${this.policy}" policy needs a finite context, got ${describe(context)}`);
        }
        c = undefined;
      } else {
        const [a, b] = this.contextRange;
        if (c < a || c > b) {
          c = Math.min(b, Math.max(a, c));
          clamped = true;
        }
      }
    }
    const scale = this.#rounds > 0 && this.#lossSum > 0 ? this.#lossSum / this.#rounds : 1;
    const choice = this.#learner.choose(this.#rng, c ?? 0, scale);
    this.last = { omega: this.omegas[choice.arm], arm: choice.arm, probability: choice.probability, context: c, clamped };
    this.#pending = true;
    return this.last.omega;
  }

  /** Reports the cost (iterations, ≥ 1) of the system solved with the suggested ω. */
  observe(iterations: number): void {
    if (!this.#pending || !this.last) throw new SolvewasmError("INVALID_ARGUMENT", "observe() needs a pending suggest(): call suggest() first");
    if (typeof iterations !== "number" || !Number.isFinite(iterations) || iterations < 0) {
      throw new SolvewasmError("INVALID_ARGUMENT", `iterations must be a finite number ≥ 0, got ${describe(iterations)}`);
    }
    const loss = Math.max(0, iterations - 1);
    this.#learner.update({ arm: this.last.arm, probability: this.last.probability } as Choice, this.last.context ?? 0, loss);
    this.#lossSum += loss;
    this.#rounds++;
    this.#pending = false;
  }

  /** SOR with the suggested ω; learns from its iteration count. */
  solve(A: LinearOperator, b: Vector, options: SorOptions & { context?: number } = {}): SorResult & { suggestion: Suggestion } {
    if (!(A instanceof WasmOperator)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `tuner.solve needs a solvewasm operator, got ${describe(A)}`);
    }
    const { context, ...sorOptions } = options;
    const omega = this.suggest(context);
    const result = makeRelax(A.rt).sor(A, b, { ...sorOptions, omega });
    this.observe(result.iterations);
    return { ...result, suggestion: this.last! };
  }

  /** Everything needed to continue learning later (JSON-serialisable). */
  state(): object {
    return {
      version: STATE_VERSION,
      options: {
        policy: this.policy,
        arms: [...this.omegas],
        contextRange: this.contextRange && [...this.contextRange],
        seed: this.seed,
        ...this.#options,
      },
      rng: this.#rng.state(),
      learner: this.#learner.toJSON(),
      lossSum: this.#lossSum,
      rounds: this.#rounds,
    };
  }

  /** A tuner that continues from `state()`. */
  static fromState(state: unknown): OmegaTuner {
    const s = state as { version?: number; options?: OmegaTunerOptions; rng?: number[]; learner?: unknown; lossSum?: number; rounds?: number };
    if (!s || typeof s !== "object" || s.version !== STATE_VERSION || !s.options || !Array.isArray(s.rng)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `not an OmegaTuner state (version ${STATE_VERSION})`);
    }
    const lossSum = s.lossSum ?? 0,
      rounds = s.rounds ?? 0;
    if (typeof lossSum !== "number" || !(lossSum >= 0 && lossSum < Infinity))
      throw new SolvewasmError("INVALID_ARGUMENT", `state.lossSum must be a finite number ≥ 0, got ${describe(lossSum)}`);
    if (!Number.isSafeInteger(rounds) || rounds < 0)
      throw new SolvewasmError("INVALID_ARGUMENT", `state.rounds must be an integer ≥ 0, got ${describe(rounds)}`);
    return new OmegaTuner(s.options, { rng: s.rng, learner: s.learner, lossSum, rounds });
  }
}
