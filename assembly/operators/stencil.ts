// Matrix-free constant-coefficient stencils on structured grids, row-major (x fastest):
// index p = (z·ny + y)·nx + x. Neighbours outside the grid are zero (Dirichlet, as
// PyAMG's stencil_grid). Every point sums its terms from 0.0 in increasing neighbour
// index, the order of a sorted CSR row, so `toCsr()` of the operator gives bit-identical
// products. SIMD lanes hold two neighbouring points, each summed in that same order.
import { ld } from "../blas/access";
import { StencilTerm } from "../generated/layouts";

// @ts-ignore: decorator
@inline function ldv(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 3));
}

// Coupling terms a + coef·x. When every off-diagonal coefficient is −1 (Laplacians:
// gallery.poisson, delsq) the kernels subtract instead: a − x equals a + (−1)·x exactly,
// so results stay bit-identical, at half the arithmetic.
// @ts-ignore: decorator
@inline function termv(a: v128, coef: v128, x: v128, unit: bool): v128 {
  if (unit) return f64x2.sub(a, x);
  return f64x2.add(a, f64x2.mul(coef, x));
}

// @ts-ignore: decorator
@inline function term(a: f64, coef: f64, x: f64, unit: bool): f64 {
  if (unit) return a - x;
  return a + coef * x;
}

/** One row of the 5-point stencil; `hasS`/`hasN` say whether rows y−1 and y+1 exist. */
// @ts-ignore: decorator
@inline function row5(
  nx: i32, p0: i32, s: f64, w: f64, c: f64, e: f64, n: f64,
  pu: usize, py: usize, hasS: bool, hasN: bool, unit: bool,
): void {
  const ps = p0 - nx, pn = p0 + nx;
  // x = 0: no west neighbour.
  let acc = 0.0;
  if (hasS) acc = term(acc, s, ld(pu, ps), unit);
  acc += c * ld(pu, p0);
  if (nx > 1) acc = term(acc, e, ld(pu, p0 + 1), unit);
  if (hasN) acc = term(acc, n, ld(pu, pn), unit);
  store<f64>(py + (<usize>p0 << 3), acc);
  if (nx == 1) return;
  let i = 1;
  if (ASC_FEATURE_SIMD) {
    const vs = f64x2.splat(s), vw = f64x2.splat(w), vc = f64x2.splat(c), ve = f64x2.splat(e), vn = f64x2.splat(n);
    const zero = f64x2.splat(0.0);
    const row = <isize>nx << 3;
    // Two independent pairs per step; q walks u from x = 1, o walks y.
    let q = pu + (<usize>(p0 + 1) << 3);
    let o = py + (<usize>(p0 + 1) << 3);
    for (; i + 4 < nx; i += 4, q += 32, o += 32) {
      let a = zero, b = zero;
      if (hasS) {
        a = termv(a, vs, v128.load(q - row), unit);
        b = termv(b, vs, v128.load(q - row, 16), unit);
      }
      a = termv(a, vw, v128.load(q - 8), unit);
      b = termv(b, vw, v128.load(q + 8), unit);
      a = f64x2.add(a, f64x2.mul(vc, v128.load(q)));
      b = f64x2.add(b, f64x2.mul(vc, v128.load(q, 16)));
      a = termv(a, ve, v128.load(q + 8), unit);
      b = termv(b, ve, v128.load(q, 24), unit);
      if (hasN) {
        a = termv(a, vn, v128.load(q + row), unit);
        b = termv(b, vn, v128.load(q + row, 16), unit);
      }
      v128.store(o, a);
      v128.store(o, b, 16);
    }
  }
  for (; i < nx - 1; i++) {
    const p = p0 + i;
    let a = 0.0;
    if (hasS) a = term(a, s, ld(pu, ps + i), unit);
    a = term(a, w, ld(pu, p - 1), unit);
    a += c * ld(pu, p);
    a = term(a, e, ld(pu, p + 1), unit);
    if (hasN) a = term(a, n, ld(pu, pn + i), unit);
    store<f64>(py + (<usize>p << 3), a);
  }
  // x = nx − 1: no east neighbour.
  const p = p0 + nx - 1;
  acc = 0.0;
  if (hasS) acc = term(acc, s, ld(pu, ps + nx - 1), unit);
  acc = term(acc, w, ld(pu, p - 1), unit);
  acc += c * ld(pu, p);
  if (hasN) acc = term(acc, n, ld(pu, pn + nx - 1), unit);
  store<f64>(py + (<usize>p << 3), acc);
}

// @ts-ignore: decorator
@inline function grid5(
  nx: i32, ny: i32, j0: i32, j1: i32, s: f64, w: f64, c: f64, e: f64, n: f64, pu: usize, py: usize, unit: bool,
): void {
  let j = j0;
  if (j == 0 && j < j1) {
    if (ny == 1) row5(nx, 0, s, w, c, e, n, pu, py, false, false, unit);
    else row5(nx, 0, s, w, c, e, n, pu, py, false, true, unit);
    j++;
  }
  const mid = min(j1, ny - 1);
  for (; j < mid; j++) row5(nx, j * nx, s, w, c, e, n, pu, py, true, true, unit);
  if (j == ny - 1 && j < j1) row5(nx, j * nx, s, w, c, e, n, pu, py, true, false, unit);
}

/** y ← A·u on grid rows j0 … j1−1 for the 2D 5-point stencil [[0, s, 0], [w, c, e], [0, n, 0]]
 * on an nx × ny grid (s and n couple rows y−1 and y+1). */
export function stencil5(
  nx: i32, ny: i32, j0: i32, j1: i32, s: f64, w: f64, c: f64, e: f64, n: f64, pu: usize, py: usize,
): void {
  if (s == -1.0 && w == -1.0 && e == -1.0 && n == -1.0) grid5(nx, ny, j0, j1, s, w, c, e, n, pu, py, true);
  else grid5(nx, ny, j0, j1, s, w, c, e, n, pu, py, false);
}

/** y ← A·u on grid rows r0 … r1−1 (row r = z·ny + y) for the 3D 7-point stencil on an
 * nx × ny × nz grid: b/t couple planes z∓1, s/n rows y∓1, w/e points x∓1. */
export function stencil7(
  nx: i32, ny: i32, nz: i32, r0: i32, r1: i32, b: f64, s: f64, w: f64, c: f64, e: f64, n: f64, t: f64, pu: usize, py: usize,
): void {
  if (b == -1.0 && s == -1.0 && w == -1.0 && e == -1.0 && n == -1.0 && t == -1.0) grid7(nx, ny, nz, r0, r1, b, s, w, c, e, n, t, pu, py, true);
  else grid7(nx, ny, nz, r0, r1, b, s, w, c, e, n, t, pu, py, false);
}

// @ts-ignore: decorator
@inline function grid7(
  nx: i32, ny: i32, nz: i32, r0: i32, r1: i32, b: f64, s: f64, w: f64, c: f64, e: f64, n: f64, t: f64,
  pu: usize, py: usize, unit: bool,
): void {
  const plane = nx * ny;
  for (let r = r0; r < r1; r++) {
    const k = r / ny, j = r % ny;
    const hasB = k > 0, hasT = k < nz - 1;
    {
      const p0 = k * plane + j * nx;
      const hasS = j > 0, hasN = j < ny - 1;
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        if (nx >= 4) {
          // The vector body covers x = 1 … nx−2 (pairs); x = 0 and the rest go point by point.
          point7(0, p0, nx, plane, b, s, w, c, e, n, t, pu, py, hasB, hasS, hasN, hasT, unit);
          i = 1;
          const vb = f64x2.splat(b), vs = f64x2.splat(s), vw = f64x2.splat(w), vc = f64x2.splat(c);
          const ve = f64x2.splat(e), vn = f64x2.splat(n), vt = f64x2.splat(t);
          const row = <isize>nx << 3, pl = <isize>plane << 3;
          let q = pu + (<usize>(p0 + 1) << 3);
          let o = py + (<usize>(p0 + 1) << 3);
          for (; i + 2 < nx; i += 2, q += 16, o += 16) {
            let a = f64x2.splat(0.0);
            if (hasB) a = termv(a, vb, v128.load(q - pl), unit);
            if (hasS) a = termv(a, vs, v128.load(q - row), unit);
            a = termv(a, vw, v128.load(q - 8), unit);
            a = f64x2.add(a, f64x2.mul(vc, v128.load(q)));
            a = termv(a, ve, v128.load(q + 8), unit);
            if (hasN) a = termv(a, vn, v128.load(q + row), unit);
            if (hasT) a = termv(a, vt, v128.load(q + pl), unit);
            v128.store(o, a);
          }
        }
      }
      for (; i < nx; i++) point7(i, p0, nx, plane, b, s, w, c, e, n, t, pu, py, hasB, hasS, hasN, hasT, unit);
    }
  }
}

// @ts-ignore: decorator
@inline function point7(
  i: i32, p0: i32, nx: i32, plane: i32, b: f64, s: f64, w: f64, c: f64, e: f64, n: f64, t: f64,
  pu: usize, py: usize, hasB: bool, hasS: bool, hasN: bool, hasT: bool, unit: bool,
): void {
  const p = p0 + i;
  let a = 0.0;
  if (hasB) a = term(a, b, ld(pu, p - plane), unit);
  if (hasS) a = term(a, s, ld(pu, p - nx), unit);
  if (i > 0) a = term(a, w, ld(pu, p - 1), unit);
  a += c * ld(pu, p);
  if (i < nx - 1) a = term(a, e, ld(pu, p + 1), unit);
  if (hasN) a = term(a, n, ld(pu, p + nx), unit);
  if (hasT) a = term(a, t, ld(pu, p + plane), unit);
  store<f64>(py + (<usize>p << 3), a);
}

// A general stencil is a list of StencilTerm records (scripts/layouts.mjs): i8 offsets dx,
// dy, dz and the f64 coefficient; sorted by linear offset (dz·ny + dy)·nx + dx.
// @ts-ignore: decorator
@inline const TERM_BYTES: usize = offsetof<StencilTerm>();

// @ts-ignore: decorator
@inline function termAt(pterms: usize, t: i32): StencilTerm {
  return changetype<StencilTerm>(pterms + <usize>t * TERM_BYTES);
}

/** y ← A·u on grid rows r0 … r1−1 (row r = z·ny + y) for a general stencil of `nterms`
 * terms at pterms (layout above) on an nx × ny × nz grid (ny = nz = 1 in 1D, nz = 1 in 2D). */
export function stencilTerms(
  nx: i32, ny: i32, nz: i32, r0: i32, r1: i32, nterms: i32, pterms: usize, pu: usize, py: usize,
): void {
  // The interior box: points whose every neighbour exists.
  let lx = 0, hx = 0, ly = 0, hy = 0, lz = 0, hz = 0;
  for (let t = 0; t < nterms; t++) {
    const q = termAt(pterms, t);
    const dx = <i32>q.dx, dy = <i32>q.dy, dz = <i32>q.dz;
    lx = max(lx, -dx); hx = max(hx, dx);
    ly = max(ly, -dy); hy = max(hy, dy);
    lz = max(lz, -dz); hz = max(hz, dz);
  }
  const plane = nx * ny;
  for (let r = r0; r < r1; r++) {
    const k = r / ny, j = r % ny;
    {
      const p0 = k * plane + j * nx;
      const inner = k >= lz && k < nz - hz && j >= ly && j < ny - hy;
      let i = 0;
      if (inner) {
        // Edge points before the interior run, then the run without checks.
        for (; i < min(lx, nx); i++) termsPoint(i, j, k, nx, ny, nz, nterms, pterms, pu, py);
        let end = nx - hx;
        if (ASC_FEATURE_SIMD) {
          for (; i + 2 <= end; i += 2) {
            const p = p0 + i;
            let a = f64x2.splat(0.0);
            for (let t = 0; t < nterms; t++) {
              const q = termAt(pterms, t);
              const off = <i32>q.dx + (<i32>q.dy + <i32>q.dz * ny) * nx;
              a = f64x2.add(a, f64x2.mul(f64x2.splat(q.coef), ldv(pu, p + off)));
            }
            v128.store(py + (<usize>p << 3), a);
          }
        }
        for (; i < end; i++) {
          const p = p0 + i;
          let a = 0.0;
          for (let t = 0; t < nterms; t++) {
            const q = termAt(pterms, t);
            const off = <i32>q.dx + (<i32>q.dy + <i32>q.dz * ny) * nx;
            a += q.coef * ld(pu, p + off);
          }
          store<f64>(py + (<usize>p << 3), a);
        }
      }
      for (; i < nx; i++) termsPoint(i, j, k, nx, ny, nz, nterms, pterms, pu, py);
    }
  }
}

/** @internal One point of a general stencil, skipping neighbours outside the grid. */
function termsPoint(
  i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32, nterms: i32, pterms: usize, pu: usize, py: usize,
): void {
  let a = 0.0;
  for (let t = 0; t < nterms; t++) {
    const q = termAt(pterms, t);
    const x = i + <i32>q.dx, y = j + <i32>q.dy, z = k + <i32>q.dz;
    if (<u32>x < <u32>nx && <u32>y < <u32>ny && <u32>z < <u32>nz) {
      a += q.coef * ld(pu, (z * ny + y) * nx + x);
    }
  }
  store<f64>(py + ((<usize>(k * ny + j) * nx + i) << 3), a);
}
