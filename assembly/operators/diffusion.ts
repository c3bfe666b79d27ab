// Matrix-free -div(k grad u) on structured grids in the symmetric face form
//   (A·u)_p = d_p·u_p − Σ_faces w_f·u_q,
// with per-point diagonals d and per-face weights: we[p] on the face between p and p+1
// (x), wn[p] between p and p+nx (y), wt[p] between p and p+nx·ny (z). The TypeScript
// side builds d and the weights from k (harmonic face means), the boundary condition and
// the mask; faces that do not exist carry weight 0. Terms are summed from 0.0 in
// increasing neighbour index, the order of a sorted CSR row, so `toCsr()` agrees bit for bit.
import { ld } from "../blas/access";

// @ts-ignore: decorator
@inline function ldv(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 3));
}

/** y ← A·u on grid rows r0 … r1−1 (row r = z·ny + y) of an nx × ny × nz grid (d, we, wn,
 * wt at pd, pwe, pwn, pwt; pwt unused if nz = 1). */
export function diffusion(
  nx: i32, ny: i32, nz: i32, r0: i32, r1: i32, pd: usize, pwe: usize, pwn: usize, pwt: usize, pu: usize, py: usize,
): void {
  const plane = nx * ny;
  for (let r = r0; r < r1; r++) {
    const k = r / ny, j = r % ny;
    const hasB = k > 0, hasT = k < nz - 1;
    {
      const hasS = j > 0, hasN = j < ny - 1;
      const p0 = k * plane + j * nx;
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        if (nx >= 4) {
          facePoint(0, p0, nx, plane, pd, pwe, pwn, pwt, pu, py, hasB, hasS, hasN, hasT);
          i = 1;
          for (; i + 2 < nx; i += 2) {
            const p = p0 + i;
            let a = f64x2.splat(0.0);
            if (hasB) a = f64x2.sub(a, f64x2.mul(ldv(pwt, p - plane), ldv(pu, p - plane)));
            if (hasS) a = f64x2.sub(a, f64x2.mul(ldv(pwn, p - nx), ldv(pu, p - nx)));
            a = f64x2.sub(a, f64x2.mul(ldv(pwe, p - 1), ldv(pu, p - 1)));
            a = f64x2.add(a, f64x2.mul(ldv(pd, p), ldv(pu, p)));
            a = f64x2.sub(a, f64x2.mul(ldv(pwe, p), ldv(pu, p + 1)));
            if (hasN) a = f64x2.sub(a, f64x2.mul(ldv(pwn, p), ldv(pu, p + nx)));
            if (hasT) a = f64x2.sub(a, f64x2.mul(ldv(pwt, p), ldv(pu, p + plane)));
            v128.store(py + (<usize>p << 3), a);
          }
        }
      }
      for (; i < nx; i++) facePoint(i, p0, nx, plane, pd, pwe, pwn, pwt, pu, py, hasB, hasS, hasN, hasT);
    }
  }
}

// @ts-ignore: decorator
@inline function facePoint(
  i: i32, p0: i32, nx: i32, plane: i32, pd: usize, pwe: usize, pwn: usize, pwt: usize,
  pu: usize, py: usize, hasB: bool, hasS: bool, hasN: bool, hasT: bool,
): void {
  const p = p0 + i;
  let a = 0.0;
  if (hasB) a -= ld(pwt, p - plane) * ld(pu, p - plane);
  if (hasS) a -= ld(pwn, p - nx) * ld(pu, p - nx);
  if (i > 0) a -= ld(pwe, p - 1) * ld(pu, p - 1);
  a += ld(pd, p) * ld(pu, p);
  if (i < nx - 1) a -= ld(pwe, p) * ld(pu, p + 1);
  if (hasN) a -= ld(pwn, p) * ld(pu, p + nx);
  if (hasT) a -= ld(pwt, p) * ld(pu, p + plane);
  store<f64>(py + (<usize>p << 3), a);
}
