// Red-black SOR for the constant 5-point stencil [[0, s, 0], [w, c, e], [0, n, 0]] on an
// nx × ny grid (zero outside). Each colour is stored contiguously, row by row, with a
// border of zeros (never written) so the stencil needs no branches: every neighbour of a
// red point is black and lies at a fixed offset in the black array, so a colour's
// half-sweep is a plain SIMD loop over f64x2 pairs.
//
// Colour layout: (ny + 2) rows of P = ⌈nx/2⌉ + 2 slots; point (x, y) of colour
// (x + y) mod 2 sits in row y + 1, slot ⌊x/2⌋ + 1.

// @ts-ignore: decorator
@inline function pitch(nx: i32): i32 {
  return ((nx + 1) >> 1) + 2;
}

/** Bytes one colour array needs. */
export function rbColourBytes(nx: i32, ny: i32): i32 {
  return (ny + 2) * pitch(nx) * 8;
}

/** Splits a natural-order vector v into the zero-bordered colour arrays (red, black). */
export function rbSplit(nx: i32, ny: i32, pv: usize, pred: usize, pblack: usize): void {
  const P = pitch(nx);
  memory.fill(pred, 0, <usize>rbColourBytes(nx, ny));
  memory.fill(pblack, 0, <usize>rbColourBytes(nx, ny));
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const dst = ((x + y) & 1) == 0 ? pred : pblack;
      store<f64>(dst + (<usize>((y + 1) * P + (x >> 1) + 1) << 3), load<f64>(pv + (<usize>(y * nx + x) << 3)));
    }
  }
}

/** Gathers the colour arrays back into natural order. */
export function rbMerge(nx: i32, ny: i32, pred: usize, pblack: usize, pv: usize): void {
  const P = pitch(nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const src = ((x + y) & 1) == 0 ? pred : pblack;
      store<f64>(pv + (<usize>(y * nx + x) << 3), load<f64>(src + (<usize>((y + 1) * P + (x >> 1) + 1) << 3)));
    }
  }
}

/**
 * Updates every point of one colour (0 red, 1 black): x ← x + ω·((b − Σ neighbours)/c − x).
 * With `residual`, instead leaves x alone and returns Σ (b − A·x)² over the colour.
 * When it updates and the other colour stays fixed until the next half-sweep, the new
 * residual of the updated colour is c·(1 − ω)·(gs − x_old); that sum is returned too.
 */
// @ts-ignore: decorator
@inline function halfSweep(
  nx: i32, ny: i32, colour: i32, s: f64, w: f64, c: f64, e: f64, n: f64, omega: f64,
  pbc: usize, pxc: usize, pxo: usize, residual: bool,
): f64 {
  const P = pitch(nx);
  const row = <usize>P << 3;
  const inv = 1.0 / c;
  const rscale = c * (1.0 - omega);
  let acc = 0.0;
  for (let y = 0; y < ny; y++) {
    // This colour's points in row y sit at x = parity, parity + 2, …
    const parity = (y + colour) & 1;
    const count = (nx - parity + 1) >> 1;
    // West neighbour of slot k is the other colour's slot k − 1 + parity (bordered: +1).
    const base = <usize>((y + 1) * P + 1) << 3;
    const xc = pxc + base, bc = pbc + base;
    const wo = pxo + base + (<usize>(parity) << 3) - 8; // west: slot k + parity − 1
    const so = pxo + base - row, no = pxo + base + row;
    let k = 0;
    if (ASC_FEATURE_SIMD) {
      const vs = f64x2.splat(s), vw = f64x2.splat(w), ve = f64x2.splat(e), vn = f64x2.splat(n);
      const vinv = f64x2.splat(inv), vo = f64x2.splat(omega), vr = f64x2.splat(rscale), vc = f64x2.splat(c);
      let a = f64x2.splat(0.0);
      for (; k + 2 <= count; k += 2) {
        const o = <usize>k << 3;
        let sigma = f64x2.mul(vs, v128.load(so + o));
        sigma = f64x2.add(sigma, f64x2.mul(vw, v128.load(wo + o)));
        sigma = f64x2.add(sigma, f64x2.mul(ve, v128.load(wo + o, 8)));
        sigma = f64x2.add(sigma, f64x2.mul(vn, v128.load(no + o)));
        const rhs = f64x2.sub(v128.load(bc + o), sigma);
        const x = v128.load(xc + o);
        if (residual) {
          const r = f64x2.sub(rhs, f64x2.mul(vc, x));
          a = f64x2.add(a, f64x2.mul(r, r));
        } else {
          const d = f64x2.sub(f64x2.mul(rhs, vinv), x);
          v128.store(xc + o, f64x2.add(x, f64x2.mul(vo, d)));
          const r = f64x2.mul(vr, d);
          a = f64x2.add(a, f64x2.mul(r, r));
        }
      }
      acc += f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    }
    for (; k < count; k++) {
      const o = <usize>k << 3;
      const sigma = s * load<f64>(so + o) + w * load<f64>(wo + o) + e * load<f64>(wo + o, 8) + n * load<f64>(no + o);
      const rhs = load<f64>(bc + o) - sigma;
      const x = load<f64>(xc + o);
      if (residual) {
        const r = rhs - c * x;
        acc += r * r;
      } else {
        const d = rhs * inv - x;
        store<f64>(xc + o, x + omega * d);
        const r = rscale * d;
        acc += r * r;
      }
    }
  }
  return acc;
}

/**
 * Up to `sweeps` red-black SOR sweeps (red then black; SSOR adds black then red) on the
 * colour arrays, stopping once ‖b − A·x‖ ≤ tol or once it passes `limit` or is NaN
 * (diverging). Returns the sweeps done; sweep k's residual
 * norm is stored at phist[k] (`sweeps` f64).
 */
export function rbSor(
  nx: i32, ny: i32, s: f64, w: f64, c: f64, e: f64, n: f64, omega: f64, symmetric: bool,
  pbr: usize, pbb: usize, pxr: usize, pxb: usize, tol: f64, limit: f64, sweeps: i32, phist: usize,
): i32 {
  let done = 0;
  while (done < sweeps) {
    let rr: f64;
    halfSweep(nx, ny, 0, s, w, c, e, n, omega, pbr, pxr, pxb, false);
    if (symmetric) {
      halfSweep(nx, ny, 1, s, w, c, e, n, omega, pbb, pxb, pxr, false);
      halfSweep(nx, ny, 1, s, w, c, e, n, omega, pbb, pxb, pxr, false);
      // The last half-sweep updates red; its residual comes with it, black's is recomputed.
      rr = halfSweep(nx, ny, 0, s, w, c, e, n, omega, pbr, pxr, pxb, false);
      rr += halfSweep(nx, ny, 1, s, w, c, e, n, omega, pbb, pxb, pxr, true);
    } else {
      rr = halfSweep(nx, ny, 1, s, w, c, e, n, omega, pbb, pxb, pxr, false);
      rr += halfSweep(nx, ny, 0, s, w, c, e, n, omega, pbr, pxr, pxb, true);
    }
    const rnorm = Math.sqrt(rr);
    store<f64>(phist + (<usize>done << 3), rnorm);
    done++;
    if (!(rnorm > tol && rnorm <= limit)) break;
  }
  return done;
}
