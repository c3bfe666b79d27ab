// Fused vector kernels of the Krylov loops: each reads and writes its vectors in one pass.
// f64 vectors at byte offsets, n elements; SIMD with scalar tails.
import { daxpy, ddot } from "./level1";

/** x ← x + α·p, r ← r − α·q; returns ‖r‖² (the new residual's squared norm). */
export function cgStep(n: i32, alpha: f64, pp: usize, pq: usize, px: usize, pr: usize): f64 {
  let i = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      v128.store(px + o, f64x2.add(v128.load(px + o), f64x2.mul(va, v128.load(pp + o))));
      v128.store(px + o, f64x2.add(v128.load(px + o, 16), f64x2.mul(va, v128.load(pp + o, 16))), 16);
      const r0 = f64x2.sub(v128.load(pr + o), f64x2.mul(va, v128.load(pq + o)));
      const r1 = f64x2.sub(v128.load(pr + o, 16), f64x2.mul(va, v128.load(pq + o, 16)));
      v128.store(pr + o, r0);
      v128.store(pr + o, r1, 16);
      a0 = f64x2.add(a0, f64x2.mul(r0, r0));
      a1 = f64x2.add(a1, f64x2.mul(r1, r1));
    }
    const a = f64x2.add(a0, a1);
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(px + o, load<f64>(px + o) + alpha * load<f64>(pp + o));
    const r = load<f64>(pr + o) - alpha * load<f64>(pq + o);
    store<f64>(pr + o, r);
    s += r * r;
  }
  return s;
}

/** p ← z + β·p. */
export function xpby(n: i32, beta: f64, pz: usize, pp: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vb = f64x2.splat(beta);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(pp + o, f64x2.add(v128.load(pz + o), f64x2.mul(vb, v128.load(pp + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(pp + o, load<f64>(pz + o) + beta * load<f64>(pp + o));
  }
}

/** r ← b − r (r holds A·x on entry); returns ‖r‖². */
export function residualFrom(n: i32, pb: usize, pr: usize): f64 {
  let i = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    let a = f64x2.splat(0.0);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const v = f64x2.sub(v128.load(pb + o), v128.load(pr + o));
      v128.store(pr + o, v);
      a = f64x2.add(a, f64x2.mul(v, v));
    }
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(pb + o) - load<f64>(pr + o);
    store<f64>(pr + o, v);
    s += v * v;
  }
  return s;
}

/** z ← a ∘ r (elementwise product). */
export function dmul(n: i32, pa: usize, pr: usize, pz: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(pz + o, f64x2.mul(v128.load(pa + o), v128.load(pr + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(pz + o, load<f64>(pa + o) * load<f64>(pr + o));
  }
}

/** Removes from v its components along k orthonormal vectors stored one after another
 * at pu (each n long): v ← v − Σ (u_i·v)·u_i. */
export function project(n: i32, k: i32, pu: usize, pv: usize): void {
  for (let j = 0; j < k; j++) {
    const u = pu + ((<usize>j * <usize>n) << 3);
    daxpy(n, -ddot(n, u, pv), u, pv);
  }
}
