import { elementary } from "solvewasm";
import { timeCandidates } from "../../bench/harness.js";
import { REFERENCE, ulpError, expUlpError64, logUlpError64 } from "../../tools/ulp.js";

// Typical input ranges, and the plain JS each function replaces.
const F32 = [
  ["expf", (u) => -80 + 160 * u, (v) => Math.fround(Math.exp(v)), "Math.exp"],
  ["exp2f", (u) => -120 + 240 * u, (v) => Math.fround(2 ** v), "2 ** x"],
  ["expm1f", (u) => -10 + 20 * u, (v) => Math.fround(Math.expm1(v)), "Math.expm1"],
  ["sigmoidf", (u) => -30 + 60 * u, (v) => Math.fround(1 / (1 + Math.exp(-v))), "1/(1+Math.exp(−x))"],
  ["tanhf", (u) => -10 + 20 * u, (v) => Math.fround(Math.tanh(v)), "Math.tanh"],
  ["logf", (u) => Math.exp(-14 + 28 * u), (v) => Math.fround(Math.log(v)), "Math.log"],
  ["log2f", (u) => Math.exp(-14 + 28 * u), (v) => Math.fround(Math.log2(v)), "Math.log2"],
  ["log1pf", (u) => Math.exp(-14 + 28 * u), (v) => Math.fround(Math.log1p(v)), "Math.log1p"],
  ["erff", (u) => -4 + 8 * u, (v) => Math.fround(REFERENCE.erff(v)), "erf (tools/ulp.js)"], // JS has no Math.erf
  ["sinf", (u) => -100 + 200 * u, (v) => Math.fround(Math.sin(v)), "Math.sin"],
  ["cosf", (u) => -100 + 200 * u, (v) => Math.fround(Math.cos(v)), "Math.cos"],
];

/** Throughput and largest error (in ULP, against float64 references) of every kernel. */
export async function elementarySection() {
  const n = 1 << 18;
  const lines = [`${n} inputs each, copying form (typed array in and out), medians of 5; errors against float64 references`];
  const rand = (s) => () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  // One row per function: [name, input range, plain JS, its name, error of one result, array type, seed, every k-th result checked, note].
  const rows = [
    ...F32.map(([fn, make, jsf, jsName]) => [fn, make, jsf, jsName, (y, x) => ulpError(y, REFERENCE[fn](x)), Float32Array, 3, 1, ""]),
    ["exp", (u) => -700 + 1400 * u, Math.exp, "Math.exp", expUlpError64, Float64Array, 5, 16, " (float64)"],
    ["log", (u) => Math.exp(-700 + 1400 * u), Math.log, "Math.log", logUlpError64, Float64Array, 5, 16, " (float64)"],
  ];
  for (const [fn, make, jsf, jsName, err, Array_, seed, every, note] of rows) {
    const r = rand(seed);
    const x = Array_.from({ length: n }, () => make(r()));
    const out = new Array_(n),
      outJs = new Array_(n);
    const t = timeCandidates(
      {
        wasm: () => elementary[fn](x, out),
        js: () => {
          for (let i = 0; i < n; i++) outJs[i] = jsf(x[i]);
        },
      },
      { samples: 5, minSeconds: 0.02 },
    );
    let max = 0;
    for (let i = 0; i < n; i += every) max = Math.max(max, err(out[i], x[i]));
    lines.push(
      `${fn.padEnd(8)} ${(n / t.wasm / 1e6).toFixed(0).padStart(5)} M/s   JS ${jsName.padEnd(18)} ${(n / t.js / 1e6).toFixed(0).padStart(4)} M/s   ${(t.js / t.wasm).toFixed(1).padStart(4)}×   max ${max.toFixed(3)} ULP${note}`,
    );
  }
  return lines;
}
