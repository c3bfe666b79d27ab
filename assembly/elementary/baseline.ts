// Baselines for `npm run bench -- elementary`: expf's float32 lanes with the classical tails
// of tools/evolve, and AssemblyScript's own scalar Mathf/Math functions (the musl/ARM table
// algorithms) over a batch, as a user would write the loop. Exported only by the benchmark
// build (assembly/bench.ts → build/solvewasm-bench.wasm), never by the shipped modules.

import { expfWith, TAIL_TAYLOR, TAIL_MINIMAX, TAIL_MINIMAX_UP } from "./expf";

/** y ← e^x by expf's float32 route with the classical Taylor tail of the evolved kernel's
 * operation count (tools/evolve's baseline). */
export function expfTaylor(n: i32, px: usize, py: usize): void {
  expfWith(n, px, py, TAIL_TAYLOR);
}

/** The same with the minimax (least squares → Lawson → float32 → coordinate search) tail. */
export function expfMinimax(n: i32, px: usize, py: usize): void {
  expfWith(n, px, py, TAIL_MINIMAX);
}

/** The same with the cheapest minimax tail that reaches the evolved kernel's accuracy. */
export function expfMinimaxUp(n: i32, px: usize, py: usize): void {
  expfWith(n, px, py, TAIL_MINIMAX_UP);
}

/** y ← Mathf.exp(x) over n f32. */
export function expfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.exp(x));
  }
}

/** y ← Mathf.exp2(x) over n f32. */
export function exp2fMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.exp2(x));
  }
}

/** y ← 1/(1 + Mathf.exp(−x)) over n f32. */
export function sigmoidfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), <f32>1.0 / (<f32>1.0 + Mathf.exp(-x)));
  }
}

/** y ← Mathf.log(x) over n f32. */
export function logfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.log(x));
  }
}

/** y ← Mathf.log2(x) over n f32. */
export function log2fMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.log2(x));
  }
}

/** y ← Mathf.expm1(x) over n f32. */
export function expm1fMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.expm1(x));
  }
}

/** y ← Mathf.tanh(x) over n f32. */
export function tanhfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.tanh(x));
  }
}

/** y ← Mathf.log1p(x) over n f32. */
export function log1pfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(px + (<usize>i << 2));
    store<f32>(py + (<usize>i << 2), Mathf.log1p(x));
  }
}

/** y ← Mathf.sin(x) over n f32. */
export function sinfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f32>(py + (<usize>i << 2), Mathf.sin(load<f32>(px + (<usize>i << 2))));
}

/** y ← Mathf.cos(x) over n f32. */
export function cosfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f32>(py + (<usize>i << 2), Mathf.cos(load<f32>(px + (<usize>i << 2))));
}

/** y ← Math.exp(x) over n f64 (musl's table-driven scalar exp). */
export function dexpMath(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f64>(py + (<usize>i << 3), Math.exp(load<f64>(px + (<usize>i << 3))));
}

/** y ← Math.log(x) over n f64 (musl's table-driven scalar log). */
export function dlogMath(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f64>(py + (<usize>i << 3), Math.log(load<f64>(px + (<usize>i << 3))));
}
