// A small seeded generator (xoshiro128**, seeded through splitmix32): the same seed gives
// the same numbers in every runtime, and its state can be saved and restored.
import { SolvewasmError } from "../errors.js";

export class Random {
  #s: Uint32Array;

  constructor(seed: number | readonly number[] = 1) {
    if (Array.isArray(seed)) {
      if (seed.length !== 4 || !seed.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32) || seed.every((v) => v === 0)) {
        throw new SolvewasmError("INVALID_ARGUMENT", "a generator state is four 32-bit integers, not all zero");
      }
      this.#s = Uint32Array.from(seed);
      return;
    }
    if (typeof seed !== "number" || !Number.isInteger(seed)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `the seed must be an integer, got ${seed}`);
    }
    // splitmix32 spreads any integer seed over the 128-bit state.
    let z = seed >>> 0;
    this.#s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (t ^ (t >>> 16)) >>> 0;
    }
  }

  /** The next 32 random bits. */
  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; one of the pair). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Gamma(a, 1) by Marsaglia–Tsang, with G(a + 1)·U^(1/a) for a < 1. */
  gamma(a: number): number {
    if (a < 1) return this.gamma(a + 1) * (this.uniform() || Number.MIN_VALUE) ** (1 / a);
    const d = a - 1 / 3,
      c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(a, b) as G_a / (G_a + G_b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** The generator's state, for `new Random(state)`. */
  state(): number[] {
    return Array.from(this.#s);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
