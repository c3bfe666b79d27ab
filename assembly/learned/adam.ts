// Adam (Kingma & Ba 2015, Algorithm 1) over n float32 parameters: m ← β1·m + (1 − β1)·g,
// v ← β2·v + (1 − β2)·g², w ← w − lr·(m·c1)/(√(v·c2) + ε), with the bias corrections
// c1 = 1/(1 − β1ᵗ), c2 = 1/(1 − β2ᵗ) computed by the caller in float64.

export function adamStep(n: i32, pw: usize, pg: usize, pm: usize, pv: usize, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), nb1 = f32x4.splat(<f32>1 - b1), nb2 = f32x4.splat(<f32>1 - b2);
    const vlr = f32x4.splat(lr), veps = f32x4.splat(eps), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const g = v128.load(pg + o);
      const m = f32x4.add(f32x4.mul(vb1, v128.load(pm + o)), f32x4.mul(nb1, g));
      const v = f32x4.add(f32x4.mul(vb2, v128.load(pv + o)), f32x4.mul(nb2, f32x4.mul(g, g)));
      v128.store(pm + o, m);
      v128.store(pv + o, v);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.mul(m, vc1)), f32x4.add(f32x4.sqrt(f32x4.mul(v, vc2)), veps));
      v128.store(pw + o, f32x4.sub(v128.load(pw + o), step));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(pg + o);
    const m = b1 * load<f32>(pm + o) + (<f32>1 - b1) * g;
    const v = b2 * load<f32>(pv + o) + (<f32>1 - b2) * (g * g);
    store<f32>(pm + o, m);
    store<f32>(pv + o, v);
    store<f32>(pw + o, load<f32>(pw + o) - (lr * (m * c1)) / (Mathf.sqrt(v * c2) + eps));
  }
}
