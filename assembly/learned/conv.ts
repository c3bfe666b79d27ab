// Convolutions of the learned operators (DCDM's network, MgNO's V-cycles) on float32
// tensors in the HWC4 layout: pixel after pixel, row-major, each pixel's channels
// contiguous and padded with zeros to a multiple of 4, so one f32x4 holds four channels
// of one pixel and every kernel vectorises over channels, whatever the grid size (MgNO's
// coarsest grids are 1 × 1 to 3 × 3, where a vector along x would be mostly padding).
//
// Every convolution is one tap loop. For each *anchor* pixel a and each tap (ky, kx) of a
// k × k kernel, the *partner* pixel is at a·stride − pad + k along each axis:
//   3×3 / 1×1 conv, forward:   anchor = output, partner = input,  gather  (out[a] += Wᵀ·in[p])
//   conv, input gradient:      anchor = output, partner = input,  scatter (gin[p] += W·gout[a])
//   4×4 stride-2 transposed:   anchor = input,  partner = output, scatter (out[p] += Wᵀ·in[a])
//   transposed, input grad:    anchor = input,  partner = output, gather  (gin[a] += W·gout[p])
// so four kernels are one loop with the roles of its two pixels swapped, and the weight
// gradient is a second loop over the same pairs. A partner outside the grid is skipped
// (zero padding) or remapped (replicate, circular, reflect); the gather's adjoint, the
// scatter, then sums into the remapped pixel, as the adjoint of a remap must.
//
// Weights are [tap][nIn][n4Out]: for each tap, one row of n4Out = ceil4(out channels)
// floats per input channel (nIn = the source side's true channel count). The transposed
// copy the other direction needs is made by transposeTaps. Each output lane sums its
// products in the same order in the SIMD and scalar builds, so the two agree bit for bit.
import { Padding } from "../generated/layouts";

/** Channels rounded up to a multiple of 4. */
// @ts-ignore: decorator
@inline export function ceil4(c: i32): i32 {
  return (c + 3) & ~3;
}

/** The partner coordinate along one axis of n points, or −1 where zero padding skips it. */
// @ts-ignore: decorator
@inline function partner(a: i32, k: i32, stride: i32, pad: i32, n: i32, mode: i32): i32 {
  const i = a * stride - pad + k;
  if (<u32>i < <u32>n) return i;
  if (mode == Padding.ZEROS) return -1;
  if (mode == Padding.REPLICATE) return i < 0 ? 0 : n - 1;
  if (mode == Padding.CIRCULAR) return ((i % n) + n) % n;
  // REFLECT: mirrored about the edge pixel (PyTorch's 'reflect'); a 1-point axis has only itself.
  if (n == 1) return 0;
  const m = i < 0 ? -i : 2 * (n - 1) - i;
  return m < 0 ? 0 : m >= n ? n - 1 : m;
}

/** dst[0..n4) += Σ_{i<nIn} src[i]·w[i][0..n4): one pixel's channels through one tap. */
// @ts-ignore: decorator
@inline function mac(dst: usize, src: usize, w: usize, nIn: i32, n4: i32): void {
  const row = <usize>n4 << 2;
  if (ASC_FEATURE_SIMD) {
    for (let b = 0; b < n4; b += 4) {
      const ob = <usize>b << 2;
      let acc = v128.load(dst + ob);
      let wp = w + ob;
      for (let i = 0; i < nIn; i++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(src + (<usize>i << 2)), v128.load(wp)));
        wp += row;
      }
      v128.store(dst + ob, acc);
    }
  } else {
    for (let c = 0; c < n4; c++) {
      const oc = <usize>c << 2;
      let acc = load<f32>(dst + oc);
      let wp = w + oc;
      for (let i = 0; i < nIn; i++) {
        acc += load<f32>(src + (<usize>i << 2)) * load<f32>(wp);
        wp += row;
      }
      store<f32>(dst + oc, acc);
    }
  }
}

/** g[i][0..n4) += x[i]·y[0..n4) for i < nX: one pair's share of a weight gradient. */
// @ts-ignore: decorator
@inline function outer(g: usize, x: usize, y: usize, nX: i32, n4: i32): void {
  const row = <usize>n4 << 2;
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < nX; i++) {
      const xi = v128.load32_splat(x + (<usize>i << 2));
      const gi = g + <usize>i * row;
      for (let b = 0; b < n4; b += 4) {
        const ob = <usize>b << 2;
        v128.store(gi + ob, f32x4.add(v128.load(gi + ob), f32x4.mul(xi, v128.load(y + ob))));
      }
    }
  } else {
    for (let i = 0; i < nX; i++) {
      const xi = load<f32>(x + (<usize>i << 2));
      const gi = g + <usize>i * row;
      for (let c = 0; c < n4; c++) {
        const oc = <usize>c << 2;
        store<f32>(gi + oc, load<f32>(gi + oc) + xi * load<f32>(y + oc));
      }
    }
  }
}

/** mac for four pixels at once (dst_j = dst + j·ds, src_j = src + j·ss): each weight
 * vector is loaded once for the four. Each lane sums in mac's order. */
// @ts-ignore: decorator
@inline function mac4(dst: usize, ds: usize, src: usize, ss: usize, w: usize, nIn: i32, n4: i32): void {
  if (!ASC_FEATURE_SIMD) {
    for (let j: usize = 0; j < 4; j++) mac(dst + j * ds, src + j * ss, w, nIn, n4);
    return;
  }
  const row = <usize>n4 << 2;
  const d1 = dst + ds, d2 = d1 + ds, d3 = d2 + ds;
  const s1 = src + ss, s2 = s1 + ss, s3 = s2 + ss;
  let b = 0;
  // Eight output channels at a time: 8 accumulators, 2 weight vectors and 4 splats per input channel.
  for (; b + 8 <= n4; b += 8) {
    const ob = <usize>b << 2;
    let a0 = v128.load(dst + ob), a1 = v128.load(d1 + ob), a2 = v128.load(d2 + ob), a3 = v128.load(d3 + ob);
    let c0 = v128.load(dst + ob, 16), c1 = v128.load(d1 + ob, 16), c2 = v128.load(d2 + ob, 16), c3 = v128.load(d3 + ob, 16);
    let wp = w + ob;
    for (let i = 0; i < nIn; i++) {
      const oi = <usize>i << 2;
      const w0 = v128.load(wp), w1 = v128.load(wp, 16);
      const x0 = v128.load32_splat(src + oi), x1 = v128.load32_splat(s1 + oi), x2 = v128.load32_splat(s2 + oi), x3 = v128.load32_splat(s3 + oi);
      a0 = f32x4.add(a0, f32x4.mul(x0, w0));
      a1 = f32x4.add(a1, f32x4.mul(x1, w0));
      a2 = f32x4.add(a2, f32x4.mul(x2, w0));
      a3 = f32x4.add(a3, f32x4.mul(x3, w0));
      c0 = f32x4.add(c0, f32x4.mul(x0, w1));
      c1 = f32x4.add(c1, f32x4.mul(x1, w1));
      c2 = f32x4.add(c2, f32x4.mul(x2, w1));
      c3 = f32x4.add(c3, f32x4.mul(x3, w1));
      wp += row;
    }
    v128.store(dst + ob, a0);
    v128.store(d1 + ob, a1);
    v128.store(d2 + ob, a2);
    v128.store(d3 + ob, a3);
    v128.store(dst + ob, c0, 16);
    v128.store(d1 + ob, c1, 16);
    v128.store(d2 + ob, c2, 16);
    v128.store(d3 + ob, c3, 16);
  }
  for (; b < n4; b += 4) {
    const ob = <usize>b << 2;
    let a0 = v128.load(dst + ob), a1 = v128.load(d1 + ob), a2 = v128.load(d2 + ob), a3 = v128.load(d3 + ob);
    let wp = w + ob;
    for (let i = 0; i < nIn; i++) {
      const oi = <usize>i << 2;
      const wv = v128.load(wp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(src + oi), wv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(s1 + oi), wv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(s2 + oi), wv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(s3 + oi), wv));
      wp += row;
    }
    v128.store(dst + ob, a0);
    v128.store(d1 + ob, a1);
    v128.store(d2 + ob, a2);
    v128.store(d3 + ob, a3);
  }
}

/** outer for four pixel pairs at once (x_j = x + j·xs, y_j = y + j·ys), added in j order. */
// @ts-ignore: decorator
@inline function outer4(g: usize, x: usize, xs: usize, y: usize, ys: usize, nX: i32, n4: i32): void {
  if (!ASC_FEATURE_SIMD) {
    for (let j: usize = 0; j < 4; j++) outer(g, x + j * xs, y + j * ys, nX, n4);
    return;
  }
  const row = <usize>n4 << 2;
  const x1 = x + xs, x2 = x1 + xs, x3 = x2 + xs;
  const y1 = y + ys, y2 = y1 + ys, y3 = y2 + ys;
  for (let i = 0; i < nX; i++) {
    const oi = <usize>i << 2;
    const v0 = v128.load32_splat(x + oi), v1 = v128.load32_splat(x1 + oi), v2 = v128.load32_splat(x2 + oi), v3 = v128.load32_splat(x3 + oi);
    const gi = g + <usize>i * row;
    for (let b = 0; b < n4; b += 4) {
      const ob = <usize>b << 2;
      let acc = v128.load(gi + ob);
      acc = f32x4.add(acc, f32x4.mul(v0, v128.load(y + ob)));
      acc = f32x4.add(acc, f32x4.mul(v1, v128.load(y1 + ob)));
      acc = f32x4.add(acc, f32x4.mul(v2, v128.load(y2 + ob)));
      acc = f32x4.add(acc, f32x4.mul(v3, v128.load(y3 + ob)));
      v128.store(gi + ob, acc);
    }
  }
}

/** The anchors [lo, hi) along an axis of na whose partner under tap k lies inside the np
 * partner points (no remapping needed): the range the blocked loops take. */
// @ts-ignore: decorator
@inline function insideLo(k: i32, stride: i32, pad: i32): i32 {
  const d = pad - k; // a·stride ≥ pad − k
  return d <= 0 ? 0 : (d + stride - 1) / stride;
}

// @ts-ignore: decorator
@inline function insideHi(k: i32, stride: i32, pad: i32, np: i32, na: i32): i32 {
  const d = np - 1 + pad - k; // a·stride ≤ np − 1 + pad − k
  const hi = d < 0 ? 0 : d / stride + 1;
  return hi < na ? hi : na;
}

/**
 * The tap loop: anchors on an ha × wa grid of ca channels at pa, partners on hp × wp of
 * cp channels at pp, weights at pw ([k·k][nIn][n4Out]). scatter = 0 accumulates into the
 * anchor (dst = anchor, src = partner), scatter = 1 into the partner.
 */
export function convTaps(
  scatter: i32, pa: usize, ha: i32, wa: i32, ca: i32, pp: usize, hp: i32, wp: i32, cp: i32,
  pw: usize, k: i32, stride: i32, pad: i32, mode: i32,
): void {
  const sa = <usize>ceil4(ca) << 2, sp = <usize>ceil4(cp) << 2;
  const nIn = scatter ? ca : cp, n4 = scatter ? ceil4(cp) : ceil4(ca);
  const tapBytes = (<usize>nIn * <usize>n4) << 2;
  const ps = sp * <usize>stride; // partner step between neighbouring anchors
  // Per anchor pixel the taps still add in (ky, kx) order, so blocking changes no result.
  for (let ay = 0; ay < ha; ay++) {
    for (let ky = 0; ky < k; ky++) {
      const py = partner(ay, ky, stride, pad, hp, mode);
      if (py < 0) continue;
      const aRow = pa + <usize>(ay * wa) * sa, pRow = pp + <usize>(py * wp) * sp;
      for (let kx = 0; kx < k; kx++) {
        const wt = pw + <usize>(ky * k + kx) * tapBytes;
        const lo = insideLo(kx, stride, pad), hi = insideHi(kx, stride, pad, wp, wa);
        for (let ax = 0; ax < wa; ax++) {
          if (ax == lo && hi - lo >= 4) {
            // The inside run: partners need no remap; four anchors at a time.
            for (; ax + 4 <= hi; ax += 4) {
              const aPix = aRow + <usize>ax * sa, pPix = pRow + <usize>(ax * stride - pad + kx) * sp;
              if (scatter) mac4(pPix, ps, aPix, sa, wt, nIn, n4);
              else mac4(aPix, sa, pPix, ps, wt, nIn, n4);
            }
            if (ax >= wa) break;
          }
          const px = partner(ax, kx, stride, pad, wp, mode);
          if (px < 0) continue;
          const aPix = aRow + <usize>ax * sa, pPix = pRow + <usize>px * sp;
          if (scatter) mac(pPix, aPix, wt, nIn, n4);
          else mac(aPix, pPix, wt, nIn, n4);
        }
      }
    }
  }
}

/**
 * The weight gradient of the same pairs (the same loop as convTaps with outer for mac: one
 * loop for both, switching on a role, measured 1.4–2× slower at C = 8, so they stay two): pg[tap][cx][n4(cy)] += x·yᵀ, where x is the
 * input side and y the output-gradient side. xAtAnchor = 1 when the input is the anchor
 * (transposed conv), 0 when it is the partner (conv).
 */
export function convTapsGrad(
  xAtAnchor: i32, pa: usize, ha: i32, wa: i32, ca: i32, pp: usize, hp: i32, wp: i32, cp: i32,
  pg: usize, k: i32, stride: i32, pad: i32, mode: i32,
): void {
  const sa = <usize>ceil4(ca) << 2, sp = <usize>ceil4(cp) << 2;
  const nX = xAtAnchor ? ca : cp, n4 = xAtAnchor ? ceil4(cp) : ceil4(ca);
  const tapBytes = (<usize>nX * <usize>n4) << 2;
  const ps = sp * <usize>stride;
  for (let ay = 0; ay < ha; ay++) {
    for (let ky = 0; ky < k; ky++) {
      const py = partner(ay, ky, stride, pad, hp, mode);
      if (py < 0) continue;
      const aRow = pa + <usize>(ay * wa) * sa, pRow = pp + <usize>(py * wp) * sp;
      for (let kx = 0; kx < k; kx++) {
        const g = pg + <usize>(ky * k + kx) * tapBytes;
        const lo = insideLo(kx, stride, pad), hi = insideHi(kx, stride, pad, wp, wa);
        for (let ax = 0; ax < wa; ax++) {
          if (ax == lo && hi - lo >= 4) {
            for (; ax + 4 <= hi; ax += 4) {
              const aPix = aRow + <usize>ax * sa, pPix = pRow + <usize>(ax * stride - pad + kx) * sp;
              if (xAtAnchor) outer4(g, aPix, sa, pPix, ps, nX, n4);
              else outer4(g, pPix, ps, aPix, sa, nX, n4);
            }
            if (ax >= wa) break;
          }
          const px = partner(ax, kx, stride, pad, wp, mode);
          if (px < 0) continue;
          const aPix = aRow + <usize>ax * sa, pPix = pRow + <usize>px * sp;
          if (xAtAnchor) outer(g, aPix, pPix, nX, n4);
          else outer(g, pPix, aPix, nX, n4);
        }
      }
    }
  }
}

/** pt[tap][o][n4(nIn)] ← pw[tap][i][n4(nOut)]: the weights for the other direction
 * (padding lanes zero). */
export function transposeTaps(pw: usize, taps: i32, nIn: i32, nOut: i32, pt: usize): void {
  const rowW = ceil4(nOut), rowT = ceil4(nIn);
  memory.fill(pt, 0, (<usize>taps * <usize>nOut * <usize>rowT) << 2);
  for (let t = 0; t < taps; t++) {
    const w = pw + ((<usize>t * <usize>nIn * <usize>rowW) << 2);
    const o = pt + ((<usize>t * <usize>nOut * <usize>rowT) << 2);
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) store<f32>(o + ((<usize>j * rowT + i) << 2), load<f32>(w + ((<usize>i * rowW + j) << 2)));
    }
  }
}

/** Every pixel of an npix-pixel tensor of c channels at py ← the bias at pb (ceil4(c)
 * floats), or zero when pb is 0: a convolution's output before its taps accumulate. */
export function fillBias(py: usize, npix: i32, c: i32, pb: usize): void {
  const bytes = <usize>ceil4(c) << 2;
  if (pb == 0) {
    memory.fill(py, 0, <usize>npix * bytes);
    return;
  }
  for (let p = 0; p < npix; p++) memory.copy(py + <usize>p * bytes, pb, bytes);
}

/** pg[0..ceil4(c)) += Σ over pixels of the output gradient at py: the bias gradient. */
export function biasGrad(py: usize, npix: i32, c: i32, pg: usize): void {
  const c4 = ceil4(c), bytes = <usize>c4 << 2;
  for (let b = 0; b < c4; b += 4) {
    const ob = <usize>b << 2;
    if (ASC_FEATURE_SIMD) {
      let acc = v128.load(pg + ob);
      for (let p = 0; p < npix; p++) acc = f32x4.add(acc, v128.load(py + <usize>p * bytes + ob));
      v128.store(pg + ob, acc);
    } else {
      for (let l = 0; l < 4; l++) {
        const o = ob + (<usize>l << 2);
        let acc = load<f32>(pg + o);
        for (let p = 0; p < npix; p++) acc += load<f32>(py + <usize>p * bytes + o);
        store<f32>(pg + o, acc);
      }
    }
  }
}
