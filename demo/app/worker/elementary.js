// The Elementary functions section's jobs: ULP errors over a range against float64
// references (tools/ulp.js, the ones the tests and the verifier use), and throughput of
// the wasm kernel against the plain JavaScript it replaces.
import * as sw from "solvewasm";
import { erf, expUlpError64, logUlpError64, REFERENCE, ulpError } from "../../../tools/ulp.js";
import { FUNCTIONS } from "../shared/functions.js";

const JS = {
  expf: (x) => Math.exp(x),
  exp2f: (x) => 2 ** x,
  expm1f: (x) => Math.expm1(x),
  sigmoidf: (x) => 1 / (1 + Math.exp(-x)),
  tanhf: (x) => Math.tanh(x),
  logf: (x) => Math.log(x),
  log2f: (x) => Math.log2(x),
  log1pf: (x) => Math.log1p(x),
  erff: (x) => erf(x),
  sinf: (x) => Math.sin(x),
  cosf: (x) => Math.cos(x),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
};

function inputs(fn, lo, hi, count, logspace) {
  const T = FUNCTIONS[fn].f64 ? Float64Array : Float32Array;
  const x = new T(count);
  for (let i = 0; i < count; i++) {
    const u = count === 1 ? 0 : i / (count - 1);
    x[i] = logspace ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u) : lo + (hi - lo) * u;
  }
  return x;
}

/** { fn, lo, hi, count, logspace } → the inputs, their errors in ULP and a summary. */
export function ulpJob({ fn, lo, hi, count, logspace }) {
  if (!(fn in FUNCTIONS)) throw new Error(`unknown function ${fn}`);
  if (!(hi > lo)) throw new Error("the range needs From < To");
  if (logspace && !(lo > 0)) throw new Error("a log-spaced range must be positive");
  const x = inputs(fn, lo, hi, count, logspace);
  const t0 = performance.now();
  const y = sw.elementary[fn](x);
  const kernelMs = performance.now() - t0;
  const err = new Float64Array(count);
  let max = 0,
    sum = 0,
    counted = 0,
    within = 0,
    argmax = NaN;
  for (let i = 0; i < count; i++) {
    let e;
    if (fn === "exp") e = expUlpError64(y[i], x[i]);
    else if (fn === "log") e = x[i] > 0 && Number.isFinite(x[i]) ? logUlpError64(y[i], x[i]) : NaN;
    else {
      const r = REFERENCE[fn](x[i]);
      e = Number.isNaN(r) ? (Number.isNaN(y[i]) ? 0 : Infinity) : ulpError(y[i], r);
    }
    err[i] = e;
    if (Number.isFinite(e)) {
      counted++;
      sum += e;
      if (e <= 0.5) within++;
      if (e > max) (max = e), (argmax = x[i]);
    }
  }
  const xs = Float64Array.from(x);
  return {
    result: { fn, count, max, argmax, mean: sum / Math.max(1, counted), halfUlp: within / Math.max(1, counted), kernelMs, x: xs, err },
    transfer: [xs.buffer, err.buffer],
  };
}

/** Median milliseconds of `f` over 7 samples, each repeated to ≥ 15 ms (the worker's clock
 * is coarse without cross-origin isolation). */
function time(f) {
  f();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) f();
    if (performance.now() - t0 >= 15) break;
    reps *= 2;
  }
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) f();
    samples.push((performance.now() - t0) / reps);
  }
  samples.sort((a, b) => a - b);
  return samples[3];
}

/** { fn, lo, hi, logspace } → millions of results per second, wasm (copying form and in
 * wasm memory) against the JavaScript loop, on 2^18 random inputs of the range. */
export function speedJob({ fn, lo, hi, logspace }) {
  const n = 1 << 18;
  const f64 = FUNCTIONS[fn].f64;
  const T = f64 ? Float64Array : Float32Array;
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const x = T.from({ length: n }, () => (logspace ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand()) : lo + (hi - lo) * rand()));
  const out = new T(n),
    outJs = new T(n);
  const js = JS[fn];
  const wasm = time(() => sw.elementary[fn](x, out));
  const plain = time(() => {
    for (let i = 0; i < n; i++) outJs[i] = js(x[i]);
  });
  return { result: { fn, n, wasmMps: n / wasm / 1e3, jsMps: n / plain / 1e3, speedup: plain / wasm } };
}
