// Elementwise layers of the learned operators over n float32 (a whole HWC4 tensor, its
// zero padding lanes included: ReLU(0) = GELU(0) = 0 keeps them zero), their backward
// passes (which accumulate into the gradient, so a tensor read twice sums both), and the
// float64 ↔ float32 crossings at a network's input and output.
import { tanhf } from "../elementary/f32";

/** y ← max(x, 0). */
export function relu(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, f32x4.max(v128.load(px + o), zero));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(px + o);
    store<f32>(py + o, x > 0 ? x : 0);
  }
}

/** gx += gy where the forward input x > 0. */
export function reluGrad(n: i32, px: usize, pgy: usize, pgx: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pass = v128.and(v128.load(pgy + o), f32x4.gt(v128.load(px + o), zero));
      v128.store(pgx + o, f32x4.add(v128.load(pgx + o), pass));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(px + o) > 0 ? load<f32>(pgy + o) : <f32>0;
    store<f32>(pgx + o, load<f32>(pgx + o) + g);
  }
}

// GELU in its tanh form (PyTorch's approximate='tanh'): ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
// the tanh from solvewasm's own tanhf (≤ 1 ULP).
// @ts-ignore: decorator
@inline const GELU_A: f32 = 0.7978845608028654; // √(2/π)
// @ts-ignore: decorator
@inline const GELU_B: f32 = 0.044715;

/** t ← √(2/π)(x + 0.044715x³), then tanh t in place. */
function geluTanh(n: i32, px: usize, pt: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(px + o);
    store<f32>(pt + o, GELU_A * (x + GELU_B * x * x * x));
  }
  tanhf(n, pt, pt);
}

/** y ← GELU(x) (y may be x). */
export function gelu(n: i32, px: usize, py: usize, pt: usize): void {
  geluTanh(n, px, pt);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(px + o);
    store<f32>(py + o, <f32>0.5 * x * (<f32>1 + load<f32>(pt + o)));
  }
}

/** gx += gy·GELU′(x); pt is n floats of scratch. */
export function geluGrad(n: i32, px: usize, pgy: usize, pgx: usize, pt: usize): void {
  geluTanh(n, px, pt);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(px + o), t = load<f32>(pt + o);
    const d = <f32>0.5 * (<f32>1 + t) + <f32>0.5 * x * (<f32>1 - t * t) * GELU_A * (<f32>1 + <f32>3 * GELU_B * x * x);
    store<f32>(pgx + o, load<f32>(pgx + o) + load<f32>(pgy + o) * d);
  }
}

/** y ← a + β·b (y may be a or b): a residual or skip connection (β = 1), or MgNO's
 * residual f − A∗u (β = −1). */
export function addScaledf(n: i32, pa: usize, beta: f32, pb: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vb = f32x4.splat(beta);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, f32x4.add(v128.load(pa + o), f32x4.mul(vb, v128.load(pb + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, load<f32>(pa + o) + beta * load<f32>(pb + o));
  }
}

/** y ← y + a·x: the gradients of a sum flowing back into its terms. */
export function axpyf(n: i32, a: f32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, f32x4.add(v128.load(py + o), f32x4.mul(va, v128.load(px + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, load<f32>(py + o) + a * load<f32>(px + o));
  }
}

/** Channel 0 of npix pixels (stride c4 floats) ← scale·x (float64 at px), the other
 * channels 0: a float64 field into a 1-channel HWC4 tensor. */
export function packChannel(npix: i32, px: usize, scale: f64, py: usize, c4: i32): void {
  memory.fill(py, 0, (<usize>npix * <usize>c4) << 2);
  for (let p = 0; p < npix; p++) store<f32>(py + ((<usize>p * <usize>c4) << 2), <f32>(scale * load<f64>(px + (<usize>p << 3))));
}

/** y (float64) ← scale · channel 0 of npix pixels (stride c4 floats) at px. */
export function unpackChannel(npix: i32, px: usize, c4: i32, scale: f64, py: usize): void {
  for (let p = 0; p < npix; p++) store<f64>(py + (<usize>p << 3), scale * <f64>load<f32>(px + ((<usize>p * <usize>c4) << 2)));
}
