// Elementary functions over typed arrays, evaluated by the SIMD kernels of
// assembly/elementary: float32 results within 1 ULP of the exact value (verified over all
// 2^32 float32 inputs by tools/verify-elementary.mjs; see bench/RESULTS.md), float64 exp and
// log within 1 ULP (fdlibm's algorithms; tested against double-double references).
// Two tiers: the plain names are the accurate tier (≤ 0.513 ULP: float64 lanes rounded once,
// or expf's and exp2f's evolved float32 lanes), the default because most results are then
// correctly rounded; the `…Fast` names are the fast tier (≤ 1 ULP on every input, float32
// lanes with kernels evolved by tools/evolve), for throughput where 1 ULP is enough.
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
  /** erf x, the fast tier of erff: ≤ 1 ULP for every float32 input (verified exhaustively)
   * rather than erff's 0.5, in float32 lanes at several times its rate (specials as erff). */
  erffFast(x: Float32Array, out?: Float32Array): Float32Array;
  /** sin x for every element (≤ 1 ULP for every input, huge ones by Payne–Hanek reduction;
   * NaN, ±∞ → NaN; ±0 → ±0, odd). */
  sinf(x: Float32Array, out?: Float32Array): Float32Array;
  /** cos x for every element (≤ 1 ULP; NaN, ±∞ → NaN; even). */
  cosf(x: Float32Array, out?: Float32Array): Float32Array;
  /** log x, the fast tier (≤ 1 ULP on every input; float32 lanes with an evolved kernel,
   * about twice logf's rate; specials as logf). */
  logfFast(x: Float32Array, out?: Float32Array): Float32Array;
  /** sin x for every element, fast tier of sinf: float32 lanes (twice sinf's width) with
   * evolved kernels, ≤ 1 ULP for every input (|x| ≥ 256 takes sinf's accurate path); NaN,
   * ±∞ → NaN; ±0 → ±0, odd. */
  sinfFast(x: Float32Array, out?: Float32Array): Float32Array;
  /** cos x for every element, fast tier of cosf: float32 lanes with evolved kernels, ≤ 1 ULP
   * for every input (|x| ≥ 256 takes cosf's accurate path); NaN, ±∞ → NaN; even. */
  cosfFast(x: Float32Array, out?: Float32Array): Float32Array;
  /** Float64 e^x for every element (fdlibm's algorithm in f64x2 lanes, < 1 ULP; NaN → NaN,
   * −∞ → 0, +∞ and overflow → +∞, subnormal results). `out` may be `x`.
   * @example elementary.exp(new Float64Array([0, 1])) // Float64Array [1, 2.7182818284590455] (0.67 ULP) */
  exp(x: Float64Array, out?: Float64Array): Float64Array;
  /** Float64 log x for every element (< 1 ULP; x < 0 or NaN → NaN, ±0 → −∞, +∞ → +∞,
   * subnormal inputs). */
  log(x: Float64Array, out?: Float64Array): Float64Array;
}

type Kernel =
  | "expf"
  | "exp2f"
  | "expm1f"
  | "sigmoidf"
  | "tanhf"
  | "logf"
  | "log2f"
  | "log1pf"
  | "erff"
  | "erffFast"
  | "sinf"
  | "cosf"
  | "logfFast"
  | "sinfFast"
  | "cosfFast"
  | "dexp"
  | "dlog";
type FloatArray = typeof Float32Array | typeof Float64Array;

export function makeElementary(rt: Runtime): Elementary {
  /** One batch function: validate, copy x into wasm memory, run the kernel in place, copy out. */
  const batch =
    <A extends FloatArray>(kernel: Kernel, api: string, Array_: A, other: string) =>
    (x: InstanceType<A>, out?: InstanceType<A>): InstanceType<A> => {
      if (!(x instanceof Array_)) {
        throw new SolvewasmError(
          "INVALID_ARGUMENT",
          `${api} takes a ${Array_.name}, got ${describe(x)}${other && (x instanceof Float32Array || x instanceof Float64Array) ? ` (use ${other})` : ""}`,
        );
      }
      const y = (out ?? new Array_(x.length)) as InstanceType<A>;
      if (!(y instanceof Array_)) throw new SolvewasmError("INVALID_ARGUMENT", `out must be a ${Array_.name}, got ${describe(y)}`);
      if (y.length !== x.length) throw new SolvewasmError("DIMENSION_MISMATCH", `out has length ${y.length}, expected ${x.length}`);
      if (x.length === 0) return y;
      const bytes = Array_.BYTES_PER_ELEMENT * x.length;
      const generation = rt.generation;
      const p = rt.alloc(bytes);
      try {
        new Array_(rt.memory.buffer, p, x.length).set(x);
        rt.call((ex) => ex[kernel](x.length, p, p));
        y.set(new Array_(rt.memory.buffer, p, x.length));
        return y;
      } finally {
        rt.free(p, bytes, generation);
      }
    };
  const f32 = (name: Kernel) => batch(name, name, Float32Array, name === "expf" || name === "logf" ? `${name.slice(0, -1)} for float64` : "");
  const f64 = (kernel: Kernel, name: string) => batch(kernel, name, Float64Array, `${name}f for float32`);
  return {
    exp: f64("dexp", "exp"),
    log: f64("dlog", "log"),
    expf: f32("expf"),
    exp2f: f32("exp2f"),
    expm1f: f32("expm1f"),
    sigmoidf: f32("sigmoidf"),
    tanhf: f32("tanhf"),
    logf: f32("logf"),
    log2f: f32("log2f"),
    log1pf: f32("log1pf"),
    erff: f32("erff"),
    erffFast: f32("erffFast"),
    sinf: f32("sinf"),
    cosf: f32("cosf"),
    logfFast: f32("logfFast"),
    sinfFast: f32("sinfFast"),
    cosfFast: f32("cosfFast"),
  };
}
