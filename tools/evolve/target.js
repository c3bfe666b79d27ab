// What is evolved: the kernel of an elementary function on its reduced interval, inside a
// hand-written range reduction and reconstruction that each target in targets/ emulates bit
// for bit as assembly/elementary computes them in lanes. A target states:
//   name       prefix of the generated AssemblyScript kernels (programs.ts: <name>Evolved, …)
//   ships      the wasm export whose kernel it is (tested against `full` bit for bit)
//   dtype      "f32" (default) or "f64": the arithmetic of the kernel
//   interval   the reduced interval; kernel(r): the function the program approximates there,
//              weight(r): 1/|result| so the constant fit is relative
//   full(x, k) the whole function with kernel k (a function of r in the target's arithmetic)
//   reference, domain, critical(), sample(rand), uses(x): where and against what it is scored
//   seeds(), classical(ops): the initial population and the Horner baselines of ops operations
// The cost model is the operation count of tools/evolve/program.js (a division counts 4);
// the measured wasm time of each shipped kernel is in `npm run bench -- elementary`.
import { ulpError } from "../ulp.js";
import { expf, exp2f } from "./targets/exp.js";
import { logf, log2f, log1pf } from "./targets/log.js";
import { tanhf } from "./targets/tanh.js";
import { erff, erffTail } from "./targets/erf.js";
import { sinf, cosf } from "./targets/trig.js";
import { exp, log } from "./targets/f64.js";

export { nearest } from "./lanes.js";

export const TARGETS = { expf, exp2f, logf, log2f, log1pf, tanhf, erff, erffTail, sinf, cosf, exp, log };

/** Sample inputs over the target's domain: uniform in value (or the target's own `sample`)
 * and in bit pattern, the reduction boundaries with their neighbours, and stored hard cases;
 * only inputs whose reduction reaches the evolved kernel (`uses`). */
export function samplePoints(target, count, rand, hard = []) {
  const [lo, hi] = target.domain;
  const f64 = target.dtype === "f64";
  const pts = new Set();
  const fl = f64 ? new Float64Array(1) : new Float32Array(1);
  const bits = f64 ? new BigUint64Array(fl.buffer) : new Uint32Array(fl.buffer);
  const add = (x) => {
    const v = f64 ? x : Math.fround(x);
    if (v >= lo && v <= hi && (!target.uses || target.uses(v))) pts.add(v);
  };
  const randomBits = () => (f64 ? (BigInt((rand() * 2 ** 32) >>> 0) << 32n) | BigInt((rand() * 2 ** 32) >>> 0) : (rand() * 2 ** 32) >>> 0);
  for (let i = 0; i < count / 2; i++) add(target.sample ? target.sample(rand) : lo + (hi - lo) * rand());
  for (let i = 0; i < count / 4; i++) {
    bits[0] = randomBits();
    add(fl[0]);
  }
  for (const x of target.critical()) {
    fl[0] = x;
    const b = bits[0];
    for (let d = -2; d <= 2; d++) {
      bits[0] = f64 ? b + BigInt(d) : b + d;
      add(fl[0]);
    }
  }
  for (const x of hard) add(x);
  return Float64Array.from(pts);
}

/** Max ULP error of the full function with kernel k over the points (and the worst input). */
export function maxUlp(target, k, xs) {
  const error = target.error ?? ((y, x) => ulpError(y, target.reference(x)));
  let worst = 0,
    at = NaN;
  for (const x of xs) {
    const y = target.full(x, k);
    const e = Number.isNaN(y) ? Infinity : error(y, x); // a kernel that overflows to NaN fails
    if (!(e <= worst)) {
      worst = e;
      at = x;
    }
  }
  return { ulp: worst, at };
}
