// Elementary functions over typed arrays, evaluated by the SIMD kernels of
// assembly/elementary: float32 results within 1 ULP of the exact value (verified over all
// 2^32 float32 inputs by tools/verify-elementary.mjs; see bench/RESULTS.md), float64 exp and
// log within 1 ULP (fdlibm's algorithms; tested against double-double references).
import { SolvewasmError } from "./errors.js";
import type { Runtime } from "./runtime.js";
import { describe } from "./validate.js";

export interface Elementary {
  /** e^x for every element (≤ 1 ULP; NaN → NaN, −∞ → 0, +∞ → +∞, overflow → +∞,
   * results down to the subnormal range). `out` may be `x`.
   * @example elementary.expf(new Float32Array([0, 1])) // Float32Array [1, 2.7182817] */
  expf(x: Float32Array, out?: Float32Array): Float32Array;
  /** 2^x for every element (≤ 1 ULP; specials as expf). */
  exp2f(x: Float32Array, out?: Float32Array): Float32Array;
  /** e^x − 1 for every element (≤ 1 ULP, accurate near 0 where expf(x) − 1 is not; NaN → NaN,
   * −∞ → −1, +∞ → +∞, ±0 → ±0, overflow → +∞). */
  expm1f(x: Float32Array, out?: Float32Array): Float32Array;
  /** 1/(1 + e^−x) for every element (≤ 1 ULP; NaN → NaN, −∞ → 0, +∞ → 1). */
  sigmoidf(x: Float32Array, out?: Float32Array): Float32Array;
  /** tanh x for every element (≤ 1 ULP; NaN → NaN, ±∞ → ±1, ±0 → ±0, odd). */
  tanhf(x: Float32Array, out?: Float32Array): Float32Array;
  /** log x for every element (≤ 1 ULP; x < 0 or NaN → NaN, ±0 → −∞, +∞ → +∞, subnormal
   * inputs exact in range). `out` may be `x`. */
  logf(x: Float32Array, out?: Float32Array): Float32Array;
  /** log₂ x for every element (≤ 1 ULP; specials as logf). */
  log2f(x: Float32Array, out?: Float32Array): Float32Array;
  /** log(1 + x) for every element (≤ 1 ULP, accurate near 0 where logf(1 + x) is not;
   * x < −1 or NaN → NaN, −1 → −∞, +∞ → +∞, ±0 → ±0). */
  log1pf(x: Float32Array, out?: Float32Array): Float32Array;
  /** erf x for every element (≤ 1 ULP; NaN → NaN, ±∞ → ±1, ±0 → ±0, odd). */
  erff(x: Float32Array, out?: Float32Array): Float32Array;
  /** sin x for every element (≤ 1 ULP for every input, huge ones by Payne–Hanek reduction;
   * NaN, ±∞ → NaN; ±0 → ±0, odd). */
  sinf(x: Float32Array, out?: Float32Array): Float32Array;
  /** cos x for every element (≤ 1 ULP; NaN, ±∞ → NaN; even). */
  cosf(x: Float32Array, out?: Float32Array): Float32Array;
  /** Float64 e^x for every element (fdlibm's algorithm in f64x2 lanes, < 1 ULP; NaN → NaN,
   * −∞ → 0, +∞ and overflow → +∞, subnormal results). `out` may be `x`.
   * @example elementary.exp(new Float64Array([0, 1])) // Float64Array [1, 2.718281828459045] */
  exp(x: Float64Array, out?: Float64Array): Float64Array;
  /** Float64 log x for every element (< 1 ULP; x < 0 or NaN → NaN, ±0 → −∞, +∞ → +∞,
   * subnormal inputs). */
  log(x: Float64Array, out?: Float64Array): Float64Array;
}

export function makeElementary(rt: Runtime): Elementary {
  const batch = (name: "expf" | "exp2f" | "expm1f" | "sigmoidf" | "tanhf" | "logf" | "log2f" | "log1pf" | "erff" | "sinf" | "cosf") => (x: Float32Array, out?: Float32Array): Float32Array => {
    if (!(x instanceof Float32Array)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `${name} takes a Float32Array, got ${describe(x)}`);
    }
    const y = out ?? new Float32Array(x.length);
    if (!(y instanceof Float32Array)) throw new SolvewasmError("INVALID_ARGUMENT", `out must be a Float32Array, got ${describe(y)}`);
    if (y.length !== x.length) throw new SolvewasmError("DIMENSION_MISMATCH", `out has length ${y.length}, expected ${x.length}`);
    if (x.length === 0) return y;
    const bytes = 4 * x.length;
    const generation = rt.generation;
    const p = rt.alloc(bytes);
    try {
      new Float32Array(rt.memory.buffer, p, x.length).set(x);
      rt.call((ex) => ex[name](x.length, p, p));
      y.set(new Float32Array(rt.memory.buffer, p, x.length));
      return y;
    } finally {
      rt.free(p, bytes, generation);
    }
  };
  const batch64 = (name: "dexp" | "dlog", api: string) => (x: Float64Array, out?: Float64Array): Float64Array => {
    if (!(x instanceof Float64Array)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `${api} takes a Float64Array, got ${describe(x)}${(x as unknown) instanceof Float32Array ? ` (use ${api}f for float32)` : ""}`);
    }
    const y = out ?? new Float64Array(x.length);
    if (!(y instanceof Float64Array)) throw new SolvewasmError("INVALID_ARGUMENT", `out must be a Float64Array, got ${describe(y)}`);
    if (y.length !== x.length) throw new SolvewasmError("DIMENSION_MISMATCH", `out has length ${y.length}, expected ${x.length}`);
    if (x.length === 0) return y;
    const bytes = 8 * x.length;
    const generation = rt.generation;
    const p = rt.alloc(bytes);
    try {
      new Float64Array(rt.memory.buffer, p, x.length).set(x);
      rt.call((ex) => ex[name](x.length, p, p));
      y.set(new Float64Array(rt.memory.buffer, p, x.length));
      return y;
    } finally {
      rt.free(p, bytes, generation);
    }
  };
  return {
    exp: batch64("dexp", "exp"),
    log: batch64("dlog", "log"),
    expf: batch("expf"),
    exp2f: batch("exp2f"),
    expm1f: batch("expm1f"),
    sigmoidf: batch("sigmoidf"),
    tanhf: batch("tanhf"),
    logf: batch("logf"),
    log2f: batch("log2f"),
    log1pf: batch("log1pf"),
    erff: batch("erff"),
    sinf: batch("sinf"),
    cosf: batch("cosf"),
  };
}
