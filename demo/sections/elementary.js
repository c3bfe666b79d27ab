import { elementary } from "solvewasm";
import { timeCandidates } from "../../bench/harness.js";

/** Throughput and largest error (in ULP, against Math.*) of the float32 kernels. */
export async function elementarySection() {
  const n = 1 << 20;
  const lines = [`${n} float32 inputs, copying form (Float32Array in and out), medians of 5`];
  for (const [fn, ref, make] of [
    ["expf", Math.exp, (u) => -80 + 160 * u],
    ["logf", Math.log, (u) => Math.exp(-14 + 28 * u)],
  ]) {
    const x = new Float32Array(n);
    let s = 3;
    for (let i = 0; i < n; i++) x[i] = make((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const out = new Float32Array(n), outJs = new Float32Array(n);
    const jsf = fn === "expf" ? (v) => Math.fround(Math.exp(v)) : (v) => Math.fround(Math.log(v));
    const t = timeCandidates({
      wasm: () => elementary[fn](x, out),
      js: () => { for (let i = 0; i < n; i++) outJs[i] = jsf(x[i]); },
    }, { samples: 5, minSeconds: 0.02 });
    let max = 0;
    for (let i = 0; i < n; i++) {
      const r = ref(x[i]), a = Math.abs(r);
      const e = Math.max(-126, Math.floor(Math.log2(a)));
      max = Math.max(max, Math.abs(out[i] - r) / 2 ** (e - 23));
    }
    lines.push(`${fn}   ${(n / t.wasm / 1e6).toFixed(0).padStart(5)} M/s   JS Math.fround(Math.${fn.slice(0, 3)}) ${(n / t.js / 1e6).toFixed(0).padStart(4)} M/s   ${(t.js / t.wasm).toFixed(1)}×   max error ${max.toFixed(3)} ULP`);
  }
  return lines;
}
