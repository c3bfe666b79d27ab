// Timing for benchmarks and the demo report: each sample repeats the work until it has run
// for at least `minSeconds`, and the median over samples is reported. Candidates are
// sampled in turn (a, b, c, a, b, c, …) so drift on a shared machine hits them alike.
import { randomVector } from "../test/_random.js";

export { randomVector };

/** Median of a list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times each candidate `fn` (called with no arguments); returns median seconds per call,
 * keyed by candidate name. `samples` ≥ 5 for figures that go into RESULTS.md. A candidate
 * may instead be `{ measure() }`, returning seconds per call that it timed itself (a
 * native process): it is sampled in turn with the others.
 */
export function timeCandidates(candidates, { samples = 7, minSeconds = 0.05 } = {}) {
  const reps = {};
  for (const [name, fn] of Object.entries(candidates)) {
    if (typeof fn !== "function") continue;
    fn(); // warm up (JIT tiers, first-touch of memory)
    let r = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < r; i++) fn();
      if ((performance.now() - t0) / 1000 >= minSeconds / 4) break;
      r *= 2;
    }
    reps[name] = r * 4;
  }
  const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let s = 0; s < samples; s++) {
    for (const [name, fn] of Object.entries(candidates)) {
      if (typeof fn !== "function") {
        times[name].push(fn.measure());
        continue;
      }
      const t0 = performance.now();
      for (let i = 0; i < reps[name]; i++) fn();
      times[name].push((performance.now() - t0) / 1000 / reps[name]);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

/** Writes one benchmark record as a JSON line on stdout. */
export function emit(record) {
  console.log(JSON.stringify(record));
}

/**
 * An instance of the benchmark module build/solvewasm-bench.wasm (built on demand by
 * scripts/build-bench.mjs): the release module's exports plus the baselines (Mathf/Math
 * loops, classical tails, the float64 route) that the shipped modules leave out. Node only.
 */
export async function benchInstance() {
  const [{ spawnSync }, { readFileSync }, { createSolvewasm }] = await Promise.all([import("node:child_process"), import("node:fs"), import("solvewasm")]);
  const script = new URL("../scripts/build-bench.mjs", import.meta.url).pathname;
  const r = spawnSync(process.execPath, [script, "--if-needed"], { stdio: ["ignore", 2, 2] });
  if (r.status !== 0) throw new Error("scripts/build-bench.mjs failed");
  return createSolvewasm(readFileSync(new URL("../build/solvewasm-bench.wasm", import.meta.url)));
}

/**
 * The operands of a BLAS comparison at size n: the same two random vectors as Float64Arrays
 * (for plain JS) and as F64Buffers in the default (SIMD) instance and in `scalar`.
 */
export async function blasOperands(n, scalar) {
  const { allocF64 } = await import("solvewasm");
  const xs = randomVector(n, 1);
  const ys = randomVector(n, 2);
  return { xs, ys, x: allocF64(n).set(xs), y: allocF64(n).set(ys), sx: scalar.allocF64(n).set(xs), sy: scalar.allocF64(n).set(ys) };
}
