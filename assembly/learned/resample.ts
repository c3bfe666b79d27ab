// 2× average pooling and nearest 2× upsampling on HWC4 tensors (see conv.ts), vectorised
// over channels, with their backward passes (accumulating into the gradient).

/** y (h/2 × w/2) ← the mean of each 2 × 2 block of x (h × w, both even), c4 floats a pixel. */
export function avgPool2(px: usize, h: i32, w: i32, c4: i32, py: usize): void {
  const ho = h >> 1, wo = w >> 1, pix = <usize>c4 << 2, row = <usize>w * pix;
  for (let y = 0; y < ho; y++) {
    for (let x = 0; x < wo; x++) {
      const s = px + <usize>(2 * y) * row + <usize>(2 * x) * pix, d = py + <usize>(y * wo + x) * pix;
      for (let b: usize = 0; b < pix; b += 16) {
        if (ASC_FEATURE_SIMD) {
          const t = f32x4.add(f32x4.add(v128.load(s + b), v128.load(s + pix + b)), f32x4.add(v128.load(s + row + b), v128.load(s + row + pix + b)));
          v128.store(d + b, f32x4.mul(t, f32x4.splat(0.25)));
        } else {
          for (let l: usize = 0; l < 16; l += 4) {
            const t = load<f32>(s + b + l) + load<f32>(s + pix + b + l) + (load<f32>(s + row + b + l) + load<f32>(s + row + pix + b + l));
            store<f32>(d + b + l, t * <f32>0.25);
          }
        }
      }
    }
  }
}

/** gx (h × w) += gy/4 spread over each 2 × 2 block; gy is h/2 × w/2. */
export function avgPool2Grad(pgy: usize, h: i32, w: i32, c4: i32, pgx: usize): void {
  const ho = h >> 1, wo = w >> 1, pix = <usize>c4 << 2, row = <usize>w * pix;
  for (let y = 0; y < ho; y++) {
    for (let x = 0; x < wo; x++) {
      const g = pgy + <usize>(y * wo + x) * pix, d = pgx + <usize>(2 * y) * row + <usize>(2 * x) * pix;
      for (let b: usize = 0; b < pix; b += 4) {
        const v = load<f32>(g + b) * <f32>0.25;
        store<f32>(d + b, load<f32>(d + b) + v);
        store<f32>(d + pix + b, load<f32>(d + pix + b) + v);
        store<f32>(d + row + b, load<f32>(d + row + b) + v);
        store<f32>(d + row + pix + b, load<f32>(d + row + pix + b) + v);
      }
    }
  }
}

/** y (2h × 2w) ← x (h × w) repeated over each 2 × 2 block. */
export function upsample2(px: usize, h: i32, w: i32, c4: i32, py: usize): void {
  const pix = <usize>c4 << 2, row = <usize>(2 * w) * pix;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = px + <usize>(y * w + x) * pix, d = py + <usize>(2 * y) * row + <usize>(2 * x) * pix;
      memory.copy(d, s, pix);
      memory.copy(d + pix, s, pix);
      memory.copy(d + row, s, pix);
      memory.copy(d + row + pix, s, pix);
    }
  }
}

/** gx (h × w) += the sum of gy (2h × 2w) over each 2 × 2 block. */
export function upsample2Grad(pgy: usize, h: i32, w: i32, c4: i32, pgx: usize): void {
  const pix = <usize>c4 << 2, row = <usize>(2 * w) * pix;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = pgy + <usize>(2 * y) * row + <usize>(2 * x) * pix, d = pgx + <usize>(y * w + x) * pix;
      for (let b: usize = 0; b < pix; b += 4) {
        const t = load<f32>(g + b) + load<f32>(g + pix + b) + (load<f32>(g + row + b) + load<f32>(g + row + pix + b));
        store<f32>(d + b, load<f32>(d + b) + t);
      }
    }
  }
}
