// npm run verify:elementary -- --fn expf|exp2f|expm1f|sigmoidf|tanhf|logf|log2f|log1pf|erff|sinf|cosf|sinfFast|cosfFast [--exhaustive] [--stride N] [--workers N]
// npm run verify:elementary -- --fn exp|log [--samples N] [--workers N]   (float64: random inputs)
// Checks a float32 kernel against a float64 reference (tools/ulp.js: Math.exp, 2 ** x, Math.expm1, 1/(1 + e^−x),
// Math.tanh, Math.log, Math.log2, Math.log1p, an erf of its own, Math.sin, Math.cos: accurate to about 1e-16
// relative, far below the 1 ULP bound at issue): every one of the 2^32 inputs with
// --exhaustive (streamed in blocks of 2^20, split over worker threads), else a stride
// through all of them plus the special values. Prints one JSON line: the largest error in
// ULP of the exact result, the worst inputs, NaN/∞ mismatches, and how many results differ
// from the f64 reference rounded to f32 (for inputs far from a rounding midpoint that
// means "not correctly rounded"; near one the f64 reference cannot decide, and an
// exact reference (tools/ulp.js REFERENCE_DD: double-double for exp, exp2, expm1, sigmoid, tanh
// and the logs, BigInt fixed point for erf, sin and cos) decides exactly).
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { REFERENCE, ulpError, correctlyRounded, expUlpError64, logUlpError64 } from "./ulp.js";

const BLOCK = 1 << 20;
const SPECIALS = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  0.5,
  2,
  88.72283172607422,
  88.72284,
  -87.33654022216797,
  -103.97207641601562,
  -104,
  1e-45,
  -1e-45,
  1.1754943508222875e-38,
  3.4028234663852886e38,
  -3.4028234663852886e38,
];

function check(fn, ys, xs, stats) {
  const base = fn.replace(/Fast$/, ""), // the fast tier xxxFast of xxx has xxx's reference
    ref = REFERENCE[base];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i],
      y = ys[i],
      r = ref(x);
    stats.inputs++;
    if (Number.isNaN(r) || Number.isNaN(y)) {
      if (Number.isNaN(r) !== Number.isNaN(y)) stats.specialMismatches++;
      continue;
    }
    if (!Number.isFinite(r)) {
      if (y !== r) stats.specialMismatches++;
      continue;
    }
    const err = ulpError(y, r);
    if (err > stats.maxUlp) {
      stats.maxUlp = err;
    }
    if (err > 0.5) stats.worst.push([err, x]), stats.worst.sort((a, b) => b[0] - a[0]), (stats.worst.length = Math.min(stats.worst.length, 5));
    // Distance of r from the nearest float32 midpoint, relative to the grid spacing: near
    // one, the f64 reference cannot decide; the double-double reference (where one exists) can.
    const nearMidpoint = Math.abs((err % 1) - 0.5) < 1e-6;
    if (nearMidpoint) {
      const ok = correctlyRounded(base, x, y);
      if (ok === undefined) stats.undecided++;
      else if (!ok) stats.notCorrectlyRounded++;
    } else if (y !== Math.fround(r)) stats.notCorrectlyRounded++;
  }
}

async function runBlocks(fn, first, last, stride) {
  const { createSolvewasm } = await import("../dist/core.js");
  const sw = await createSolvewasm(readFileSync(new URL("../dist/solvewasm.wasm", import.meta.url)));
  const stats = { inputs: 0, maxUlp: 0, worst: [], specialMismatches: 0, notCorrectlyRounded: 0, undecided: 0 };
  const bits = new Uint32Array(BLOCK),
    xs = new Float32Array(bits.buffer),
    ys = new Float32Array(BLOCK);
  for (let start = first; start < last; start += BLOCK * stride) {
    let count = 0;
    for (let b = start; b < last && count < BLOCK; b += stride) bits[count++] = b;
    const x = xs.subarray(0, count),
      y = ys.subarray(0, count);
    sw.elementary[fn](x, y);
    check(fn, y, x, stats);
  }
  return stats;
}

// Float64 exp and log cannot be swept (2^64 inputs): random inputs against the double-double
// references instead, drawn half uniform in value over the interesting range and half uniform
// in bit pattern (every binade equally: tiny arguments of exp, subnormal arguments of log).
const FLOAT64 = {
  exp: {
    err: expUlpError64,
    value: (u) => -746 + 1456 * u,
    specials: [0, -0, 1, -1, 709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, 5e-324, -5e-324, 1e-300],
  },
  log: {
    err: logUlpError64,
    value: (u) => 0.5 + u,
    specials: [1, 2, 0.5, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1 + 2 ** -52, 1 - 2 ** -53],
  },
};

async function runFloat64(fn, seed, count) {
  const { createSolvewasm } = await import("../dist/core.js");
  const sw = await createSolvewasm(readFileSync(new URL("../dist/solvewasm.wasm", import.meta.url)));
  const { err, value } = FLOAT64[fn];
  const stats = { inputs: 0, maxUlp: 0, worst: [] };
  const xs = new Float64Array(BLOCK),
    bits = new BigUint64Array(xs.buffer);
  let s = BigInt(seed) << 40n; // one splitmix64 stream per worker, 2^40 steps apart
  const next = () => {
    // splitmix64
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  for (let done = 0; done < count; done += BLOCK) {
    const n = Math.min(BLOCK, count - done);
    for (let i = 0; i < n; i++) {
      const z = next();
      if (i & 1) xs[i] = value(Number(z >> 11n) / 2 ** 53);
      else {
        bits[i] = fn === "log" ? z >> 1n : z; // log: positive patterns only
        if (!Number.isFinite(xs[i]) || (fn === "exp" && Math.abs(xs[i]) > 746)) xs[i] = value(Number(z >> 11n) / 2 ** 53);
      }
    }
    checkFloat64(sw.elementary[fn](xs.subarray(0, n)), xs.subarray(0, n), err, stats);
  }
  return stats;
}

function checkFloat64(ys, xs, err, stats) {
  for (let i = 0; i < xs.length; i++) {
    const e = err(ys[i], xs[i]);
    stats.inputs++;
    if (e > stats.maxUlp) stats.maxUlp = e;
    if (e > 0.5) stats.worst.push([e, xs[i]]), stats.worst.sort((a, b) => b[0] - a[0]), (stats.worst.length = Math.min(stats.worst.length, 5));
  }
}

const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);

/** Runs this file once per entry of `data` on worker threads; resolves to their reports. */
const inWorkers = (data) =>
  Promise.all(
    data.map(
      (d) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: d });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  );

if (!isMainThread) {
  const { fn, first, last, stride, seed, count } = workerData;
  parentPort.postMessage(fn in FLOAT64 ? await runFloat64(fn, seed, count) : await runBlocks(fn, first, last, stride));
} else if (arg("--fn") in FLOAT64) {
  const fn = arg("--fn"),
    samples = Number(arg("--samples", 2 ** 24)),
    workers = Number(arg("--workers", cpus().length));
  const t0 = performance.now();
  const per = Math.ceil(samples / workers);
  const parts = await inWorkers(Array.from({ length: workers }, (_, w) => ({ fn, seed: w + 1, count: Math.min(per, samples - w * per) })));
  const { createSolvewasm } = await import("../dist/core.js");
  const sw = await createSolvewasm(readFileSync(new URL("../dist/solvewasm.wasm", import.meta.url)));
  const specials = { inputs: 0, maxUlp: 0, worst: [] },
    sx = Float64Array.from(FLOAT64[fn].specials);
  checkFloat64(sw.elementary[fn](sx), sx, FLOAT64[fn].err, specials);
  const all = [...parts, specials];
  const maxUlp = Math.max(...all.map((p) => p.maxUlp));
  console.log(
    JSON.stringify({
      bench: "verify-elementary",
      fn,
      dtype: "f64",
      mode: `random ${samples} + ${sx.length} specials`,
      inputs: all.reduce((a, p) => a + p.inputs, 0),
      max_ulp: +maxUlp.toFixed(4),
      worst: all
        .flatMap((p) => p.worst)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 5)
        .map(([e, x]) => ({ x, ulp: +e.toFixed(4) })),
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    }),
  );
  process.exit(maxUlp <= 1 ? 0 : 1);
} else {
  const fn = arg("--fn", "expf");
  if (!(fn.replace(/Fast$/, "") in REFERENCE)) {
    console.error(
      `usage: npm run verify:elementary -- --fn ${Object.keys(REFERENCE).join("|")} [--exhaustive] [--stride N] [--workers N]\n       npm run verify:elementary -- --fn exp|log [--samples N] [--workers N]`,
    );
    process.exit(2);
  }
  const exhaustive = process.argv.includes("--exhaustive");
  const stride = exhaustive ? 1 : Number(arg("--stride", 4099));
  const workers = Number(arg("--workers", cpus().length));
  const t0 = performance.now();
  const span = 2 ** 32;
  // Split the bit patterns into equal contiguous ranges, aligned to the stride.
  const per = Math.ceil(span / workers / stride) * stride;
  const parts = await inWorkers(Array.from({ length: workers }, (_, w) => ({ fn, first: w * per, last: Math.min(span, (w + 1) * per), stride })));
  // The special values, on the main thread.
  const specials = await runBlocksForSpecials(fn);
  const total = [...parts, specials].reduce((a, s) => ({
    inputs: a.inputs + s.inputs,
    maxUlp: Math.max(a.maxUlp, s.maxUlp),
    worst: [...a.worst, ...s.worst].sort((p, q) => q[0] - p[0]).slice(0, 5),
    specialMismatches: a.specialMismatches + s.specialMismatches,
    notCorrectlyRounded: a.notCorrectlyRounded + s.notCorrectlyRounded,
    undecided: a.undecided + s.undecided,
  }));
  console.log(
    JSON.stringify({
      bench: "verify-elementary",
      fn,
      mode: exhaustive ? "exhaustive" : `stride ${stride}`,
      inputs: total.inputs,
      max_ulp: +total.maxUlp.toFixed(4),
      worst: total.worst.map(([e, x]) => ({ x, ulp: +e.toFixed(4) })),
      special_mismatches: total.specialMismatches,
      not_correctly_rounded: total.notCorrectlyRounded,
      undecided: total.undecided,
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
    }),
  );
  process.exit(total.maxUlp <= 1 && total.specialMismatches === 0 ? 0 : 1);
}

async function runBlocksForSpecials(fn) {
  const { createSolvewasm } = await import("../dist/core.js");
  const sw = await createSolvewasm(readFileSync(new URL("../dist/solvewasm.wasm", import.meta.url)));
  const xs = Float32Array.from(SPECIALS);
  const stats = { inputs: 0, maxUlp: 0, worst: [], specialMismatches: 0, notCorrectlyRounded: 0, undecided: 0 };
  check(fn, sw.elementary[fn](xs), xs, stats);
  return stats;
}
