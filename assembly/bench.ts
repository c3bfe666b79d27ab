// The benchmark module (asc --target bench → build/solvewasm-bench.wasm; built on demand by
// bench/harness.js, never shipped): every export of the release module, plus the baselines
// that only bench/elementary.bench.js calls.

export * from "./index";
export {
  expfTaylor, expfMinimax, expfMinimaxUp, expfMathf, exp2fMathf, expm1fMathf, sigmoidfMathf, tanhfMathf, logfMathf, log2fMathf, log1pfMathf,
  sinfMathf, cosfMathf, dexpMath, dlogMath,
} from "./elementary/baseline";
// expf and exp2f by the float64 route of f32.ts (sigmoidf's route in the release module).
export { expfAccurate, exp2fAccurate } from "./elementary/f32";
