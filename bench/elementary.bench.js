// Elements per second of the float32 elementary functions, n = 2^16 (in cache) and 2^22,
// inputs over a typical range (exp: [−80, 80], exp2: [−120, 120], expm1 and tanh: [−10, 10],
// sigmoid: [−30, 30], logs: log-uniform in [1e-6, 1e6], erf: [−4, 4], sin/cos: [−100, 100]):
// solvewasm's SIMD kernels (zero-copy, on wasm memory) vs AssemblyScript's scalar Mathf vs
// plain JS (Math.fround(Math.exp(x)) and the like). max_ulp against the f64 reference. For
// expf also: the same float32 route with the classical tails of tools/evolve (Taylor and
// minimax within the evolved kernel's operation count, and the cheapest minimax reaching its
// accuracy); for expf and exp2f the float64 route. solvewasm's own kernels run in the shipped
// module (the package's default instance); the baselines, which it does not export, in the
// benchmark module (build/solvewasm-bench.wasm, built on demand), sampled in turn with them
// in one run. The fast tier (`logfFast`, …, where it exists) runs beside the accurate one,
// and glibc's libmvec (bench/libmvec.js: AVX-512 at 16 lanes, SSE at 4, scalar libm) right
// after them on the same inputs, with its rate per wasm lane width (×4/lanes) and the fast
// tier's ratio to it.
import { raw } from "solvewasm";
import { readFileSync } from "node:fs";
import { benchInstance, emit, timeCandidates } from "./harness.js";
import { REFERENCE, ulpError, expUlpError64, logUlpError64 } from "../tools/ulp.js";
import { libmvecRates, perLane } from "./libmvec.js";

// Baselines beside expf's and exp2f's float32 lanes: the float64 route, and for expf the
// same lanes with the classical tails of tools/evolve.
const VARIANTS = {
  expf: {
    "wasm-simd-f64-route": "expfAccurate",
    "classical-taylor-same-ops": "expfTaylor",
    "classical-minimax-same-ops": "expfMinimax",
    "classical-minimax-cheapest-sub-1ulp": "expfMinimaxUp",
  },
  exp2f: { "wasm-simd-f64-route": "exp2fAccurate" },
};
const programs = JSON.parse(readFileSync(new URL("../tools/evolve/programs.json", import.meta.url), "utf8"));
const KERNEL_OPS = {
  expf: {
    "wasm-simd": programs.expf.evolved.cost,
    "classical-taylor-same-ops": programs.expf.taylor.cost,
    "classical-minimax-same-ops": programs.expf.minimax.cost,
    "classical-minimax-cheapest-sub-1ulp": programs.expf.minimaxUp?.cost,
  },
  exp2f: { "wasm-simd": programs.exp2f.evolved.cost },
  sinf: { "wasm-simd-fast": programs.sinf.evolved.cost },
  cosf: { "wasm-simd-fast": programs.cosf.evolved.cost },
  logf: { "wasm-simd-fast": programs.logf.evolved.cost },
};

/** Uniform numbers in [0, 1) from a 32-bit LCG: the inputs every recorded run used. */
const uniform = (s) => () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;

/**
 * x copied into the memory of both instances (the shipped one, `bench` with the baselines):
 * `kernel(name)` runs export `name` on it (y ← f(x), in wasm memory, no copies) in the
 * instance that has it, `result(name)` reads its y back, `free()` releases both.
 */
function buffers(x, bench) {
  const n = x.length,
    bytes = x.BYTES_PER_ELEMENT * n,
    Arr = x.constructor;
  const shipped = new Set(raw((ex) => Object.keys(ex)));
  const sides = [raw, bench.raw].map((call) => {
    const [px, py] = call((ex) => [ex.alloc(bytes) >>> 0, ex.alloc(bytes) >>> 0]);
    call((ex) => new Arr(ex.memory.buffer, px, n).set(x));
    return { call, px, py };
  });
  const side = (name) => sides[shipped.has(name) ? 0 : 1];
  return {
    kernel(name) {
      const { call, px, py } = side(name);
      return () => call((ex) => ex[name](n, px, py));
    },
    result(name) {
      const { call, py } = side(name);
      return call((ex) => new Arr(ex.memory.buffer, py, n).slice());
    },
    free() {
      for (const { call, px, py } of sides)
        call((ex) => {
          ex.free(px);
          ex.free(py);
        });
    },
  };
}

/** Float64 exp and log: SIMD (f64x2) vs AssemblyScript's scalar Math (musl) vs JS Math. */
export function float64(bench) {
  for (const [fn, kernel, mathKernel, err, make, jsFn] of [
    ["exp", "dexp", "dexpMath", expUlpError64, (u) => -700 + 1400 * u, Math.exp],
    ["log", "dlog", "dlogMath", logUlpError64, (u) => Math.exp(-700 + 1400 * u), Math.log],
  ]) {
    for (const n of [1 << 16, 1 << 22]) {
      const u = uniform(7);
      const x = Float64Array.from({ length: n }, () => make(u()));
      const mem = buffers(x, bench);
      const yjs = new Float64Array(n);
      const js = () => {
        for (let i = 0; i < n; i++) yjs[i] = jsFn(x[i]);
      };
      const kernels = { "wasm-simd": kernel, "assemblyscript-math": mathKernel };
      const t = timeCandidates(
        {
          ...Object.fromEntries(Object.entries(kernels).map(([impl, name]) => [impl, mem.kernel(name)])),
          js,
        },
        { samples: 7, minSeconds: 0.05 },
      );
      const check = Math.min(n, 1 << 18); // the double-double reference is slow: the first 2^18
      for (const [impl, seconds] of Object.entries(t)) {
        let y;
        if (impl === "js") {
          js();
          y = yjs;
        } else {
          mem.kernel(kernels[impl])();
          y = mem.result(kernels[impl]);
        }
        let m = 0;
        for (let i = 0; i < check; i++) m = Math.max(m, err(y[i], x[i]));
        emit({
          bench: "elementary",
          fn,
          dtype: "f64",
          impl,
          n,
          elems_per_s: Math.round(n / seconds),
          max_ulp: +m.toFixed(4),
          speedup_vs_mathf: +(t["assemblyscript-math"] / seconds).toFixed(2),
          speedup_vs_js: +(t.js / seconds).toFixed(2),
        });
      }
      mem.free();
    }
  }
}

export async function run() {
  const bench = await benchInstance();
  const shipped = new Set(raw((ex) => Object.keys(ex)));
  let noted = false;
  float64(bench);
  for (const [fn, ref, lo, hi, jsExpr] of [
    ["expf", REFERENCE.expf, -80, 80, "Math.exp(x[i])"],
    ["exp2f", REFERENCE.exp2f, -120, 120, "2 ** x[i]"],
    ["expm1f", REFERENCE.expm1f, -10, 10, "Math.expm1(x[i])"],
    ["sigmoidf", REFERENCE.sigmoidf, -30, 30, "1 / (1 + Math.exp(-x[i]))"],
    ["tanhf", REFERENCE.tanhf, -10, 10, "Math.tanh(x[i])"],
    ["logf", REFERENCE.logf, 1e-6, 1e6, "Math.log(x[i])"],
    ["log2f", REFERENCE.log2f, 1e-6, 1e6, "Math.log2(x[i])"],
    ["log1pf", REFERENCE.log1pf, 1e-6, 1e6, "Math.log1p(x[i])"],
    ["erff", REFERENCE.erff, -4, 4, "erf(x[i])"], // no Math.erf or Mathf.erf: JS is tools/ulp.js's erf
    ["sinf", REFERENCE.sinf, -100, 100, "Math.sin(x[i])"],
    ["cosf", REFERENCE.cosf, -100, 100, "Math.cos(x[i])"],
  ]) {
    const mathf = fn === "erff" ? undefined : `${fn}Mathf`;
    for (const n of [1 << 16, 1 << 22]) {
      const u = uniform(7);
      const x = Float32Array.from({ length: n }, () =>
        fn.startsWith("log") ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u()) : lo + (hi - lo) * u(),
      );
      // Inputs and outputs live in wasm memory for the wasm candidates (no copies timed).
      const mem = buffers(x, bench);
      const yjs = new Float32Array(n);
      const js = new Function("erf", "x", "y", "n", `for (let i = 0; i < n; i++) y[i] = Math.fround(${jsExpr});`).bind(null, REFERENCE.erff);
      const fast = shipped.has(`${fn}Fast`) ? { "wasm-simd-fast": `${fn}Fast` } : {};
      const kernels = { "wasm-simd": fn, ...fast, ...(mathf ? { "assemblyscript-mathf": mathf } : {}), ...VARIANTS[fn] };
      const t = timeCandidates(
        {
          ...Object.fromEntries(Object.entries(kernels).map(([impl, name]) => [impl, mem.kernel(name)])),
          js: () => js(x, yjs, n),
        },
        { samples: 7, minSeconds: 0.05 },
      );
      const maxUlp = {};
      for (const impl of Object.keys(t)) {
        if (impl === "js") {
          js(x, yjs, n);
          let m = 0;
          for (let i = 0; i < n; i++) m = Math.max(m, ulpError(yjs[i], ref(x[i])));
          maxUlp[impl] = m;
        } else {
          mem.kernel(kernels[impl])();
          const y = mem.result(kernels[impl]);
          let m = 0;
          for (let i = 0; i < n; i++) m = Math.max(m, ulpError(y[i], ref(x[i])));
          maxUlp[impl] = m;
        }
      }
      for (const [impl, seconds] of Object.entries(t)) {
        emit({
          bench: "elementary",
          fn,
          dtype: "f32",
          impl,
          n,
          elems_per_s: Math.round(n / seconds),
          max_ulp: +maxUlp[impl].toFixed(4),
          speedup_vs_mathf: mathf ? +(t["assemblyscript-mathf"] / seconds).toFixed(2) : null,
          speedup_vs_js: +(t.js / seconds).toFixed(2),
          ...(KERNEL_OPS[fn]?.[impl] ? { kernel_ops: KERNEL_OPS[fn][impl] } : {}),
        });
      }
      mem.free();
      // libmvec on the same inputs, right after (a native process; not interleaved).
      const lib = libmvecRates(fn, x, { samples: 7, minSeconds: 0.05 });
      if (!lib.available) {
        if (!noted) console.error(`note: libmvec skipped: ${lib.reason}`);
        noted = true;
        continue;
      }
      const best = t["wasm-simd-fast"] ?? t["wasm-simd"];
      for (const [impl, r] of Object.entries(lib.impls)) {
        if (!r.available) continue;
        let m = 0;
        for (let i = 0; i < n; i++) m = Math.max(m, ulpError(r.y[i], ref(x[i])));
        const lane = r.lanes ? perLane(r.elems_per_s, r.lanes) : r.elems_per_s;
        emit({
          bench: "elementary",
          fn,
          dtype: "f32",
          impl,
          n,
          elems_per_s: Math.round(r.elems_per_s),
          ...(r.lanes ? { lanes: r.lanes, per_4_lanes: Math.round(lane) } : {}),
          max_ulp: +m.toFixed(4),
          // the wasm tier (fast where it exists) over libmvec's rate at wasm's width
          wasm_vs_per_4_lanes: +(n / best / lane).toFixed(2),
          symbols: r.symbols,
        });
      }
    }
  }
}
