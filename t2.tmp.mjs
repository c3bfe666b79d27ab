import { raw } from "solvewasm";
import { timeCandidates } from "./bench/harness.js";
const n = 1 << 16;
const x = new Float32Array(n); let s = 7;
for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = -80 + 160 * (s / 2 ** 32); }
const [px, py] = raw((ex) => [ex.alloc(4 * n) >>> 0, ex.alloc(4 * n) >>> 0]);
raw((ex) => new Float32Array(ex.memory.buffer, px, n).set(x));
const t = timeCandidates({ simd: () => raw((ex) => ex.expf(n, px, py)), mathf: () => raw((ex) => ex.expfMathf(n, px, py)), minimax8: () => raw((ex) => ex.expfMinimax(n, px, py)) }, { samples: 9, minSeconds: 0.1 });
console.log("simd/mathf", (t.mathf / t.simd).toFixed(3), "minimax8/mathf", (t.mathf / t.minimax8).toFixed(3));
