// Geometric multigrid on vertex-centred Dirichlet grids (n = 2^L − 1 points per axis;
// coarse point I sits on fine point 2I + 1), 2D and 3D, row-major with x fastest.
// Building blocks: red-black Gauss–Seidel on a constant 5-/7-point stencil, full-weighting
// restriction, bilinear/trilinear interpolation; the cycle itself is in cycle.ts.
import { ld } from "../blas/access";

/**
 * One colour of Gauss–Seidel (colour 0: x + y + z even) for the stencil with centre c and
 * neighbour coefficients s/n (y∓1), w/e (x∓1), b/t (z∓1; unused in 2D, nz = 1), zero outside:
 * x ← (rhs − Σ coef·neighbour) / c at every point of that colour.
 */
export function rbgsColour(
  nx: i32, ny: i32, nz: i32, colour: i32, b: f64, s: f64, w: f64, c: f64, e: f64, n: f64, t: f64, pf: usize, px: usize,
): void {
  const plane = nx * ny;
  const inv = 1.0 / c;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const p0 = k * plane + j * nx;
      const start = (colour + j + k) & 1;
      const hasS = j > 0, hasN = j < ny - 1, hasB = k > 0, hasT = k < nz - 1;
      for (let i = start; i < nx; i += 2) {
        const p = p0 + i;
        let sigma = 0.0;
        if (hasB) sigma += b * ld(px, p - plane);
        if (hasS) sigma += s * ld(px, p - nx);
        if (i > 0) sigma += w * ld(px, p - 1);
        if (i < nx - 1) sigma += e * ld(px, p + 1);
        if (hasN) sigma += n * ld(px, p + nx);
        if (hasT) sigma += t * ld(px, p + plane);
        store<f64>(px + (<usize>p << 3), (ld(pf, p) - sigma) * inv);
      }
    }
  }
}

/** Full weighting: coarse (I, J[, K]) ← Σ weights·fine around (2I+1, 2J+1[, 2K+1]),
 * weights (1, 2, 1)/4 per axis. `nz`/`nzc` are 1 in 2D. */
export function restrictFull(nx: i32, ny: i32, nz: i32, pf: usize, nxc: i32, nyc: i32, nzc: i32, pc: usize): void {
  const plane = nx * ny;
  const dims3 = nz > 1;
  for (let K = 0; K < nzc; K++) {
    for (let J = 0; J < nyc; J++) {
      for (let I = 0; I < nxc; I++) {
        const i = 2 * I + 1, j = 2 * J + 1, k = dims3 ? 2 * K + 1 : 0;
        let s = 0.0;
        const kmin = dims3 ? -1 : 0, kmax = dims3 ? 1 : 0;
        for (let dk = kmin; dk <= kmax; dk++) {
          const wk: f64 = dims3 ? (dk == 0 ? 0.5 : 0.25) : 1.0;
          const pk = (k + dk) * plane;
          for (let dj = -1; dj <= 1; dj++) {
            const wj: f64 = dj == 0 ? 0.5 : 0.25;
            const pj = pk + (j + dj) * nx;
            s += wk * wj * (0.25 * ld(pf, pj + i - 1) + 0.5 * ld(pf, pj + i) + 0.25 * ld(pf, pj + i + 1));
          }
        }
        store<f64>(pc + (<usize>((K * nyc + J) * nxc + I) << 3), s);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function coarseAt(pc: usize, nxc: i32, nyc: i32, nzc: i32, I: i32, J: i32, K: i32): f64 {
  if (<u32>I >= <u32>nxc || <u32>J >= <u32>nyc || <u32>K >= <u32>nzc) return 0.0;
  return ld(pc, (K * nyc + J) * nxc + I);
}

/** Interpolation, added: fine x += P·coarse (bilinear in 2D, trilinear in 3D). */
export function prolongAdd(nxc: i32, nyc: i32, nzc: i32, pc: usize, nx: i32, ny: i32, nz: i32, pf: usize): void {
  const dims3 = nz > 1;
  for (let k = 0; k < nz; k++) {
    // Fine index 2I+1 is coarse I; an even fine index lies halfway between I−1 and I.
    const kOdd = !dims3 || (k & 1) == 1;
    const K0 = dims3 ? (k - 1) >> 1 : 0;
    for (let j = 0; j < ny; j++) {
      const jOdd = (j & 1) == 1;
      const J0 = (j - 1) >> 1;
      for (let i = 0; i < nx; i++) {
        const iOdd = (i & 1) == 1;
        const I0 = (i - 1) >> 1;
        let v = 0.0;
        // Sum over the (up to 8) coarse neighbours with tensor-product weights.
        const na = kOdd ? 1 : 2, nb = jOdd ? 1 : 2, nc = iOdd ? 1 : 2;
        for (let a = 0; a < na; a++) {
          const KK = kOdd ? K0 : K0 + a;
          const wk: f64 = kOdd ? 1.0 : 0.5;
          for (let bb = 0; bb < nb; bb++) {
            const JJ = jOdd ? J0 : J0 + bb;
            const wj: f64 = jOdd ? 1.0 : 0.5;
            for (let cc = 0; cc < nc; cc++) {
              const II = iOdd ? I0 : I0 + cc;
              const wi: f64 = iOdd ? 1.0 : 0.5;
              v += wk * wj * wi * coarseAt(pc, nxc, nyc, nzc, II, JJ, dims3 ? KK : 0);
            }
          }
        }
        const o = <usize>((k * ny + j) * nx + i) << 3;
        store<f64>(pf + o, load<f64>(pf + o) + v);
      }
    }
  }
}

/** Half weighting: coarse ← ½·centre + the 2·dims face neighbours shared equally (1/8 each
 * in 2D, 1/12 in 3D) around fine (2I+1, 2J+1[, 2K+1]). */
export function restrictHalf(nx: i32, ny: i32, nz: i32, pf: usize, nxc: i32, nyc: i32, nzc: i32, pc: usize): void {
  const plane = nx * ny;
  const dims3 = nz > 1;
  const side: f64 = dims3 ? 1.0 / 12.0 : 0.125;
  for (let K = 0; K < nzc; K++) {
    for (let J = 0; J < nyc; J++) {
      for (let I = 0; I < nxc; I++) {
        const p = (dims3 ? 2 * K + 1 : 0) * plane + (2 * J + 1) * nx + 2 * I + 1;
        let s = ld(pf, p - 1) + ld(pf, p + 1) + ld(pf, p - nx) + ld(pf, p + nx);
        if (dims3) s += ld(pf, p - plane) + ld(pf, p + plane);
        store<f64>(pc + (<usize>((K * nyc + J) * nxc + I) << 3), 0.5 * ld(pf, p) + side * s);
      }
    }
  }
}

/** Injection: coarse (I, J[, K]) ← fine (2I+1, 2J+1[, 2K+1]). */
export function restrictInject(nx: i32, ny: i32, nz: i32, pf: usize, nxc: i32, nyc: i32, nzc: i32, pc: usize): void {
  const plane = nx * ny;
  const dims3 = nz > 1;
  for (let K = 0; K < nzc; K++) {
    for (let J = 0; J < nyc; J++) {
      for (let I = 0; I < nxc; I++) {
        const p = (dims3 ? 2 * K + 1 : 0) * plane + (2 * J + 1) * nx + 2 * I + 1;
        store<f64>(pc + (<usize>((K * nyc + J) * nxc + I) << 3), ld(pf, p));
      }
    }
  }
}

/** Cell-centred grids (n = 2·n_c per axis): coarse cell ← mean of its 2^dims fine cells. */
export function restrictCellAverage(nx: i32, ny: i32, nz: i32, pf: usize, pc: usize): void {
  const nxc = nx >> 1, nyc = ny >> 1, nzc = nz > 1 ? nz >> 1 : 1;
  const dims3 = nz > 1;
  const w: f64 = dims3 ? 0.125 : 0.25;
  for (let K = 0; K < nzc; K++) {
    for (let J = 0; J < nyc; J++) {
      for (let I = 0; I < nxc; I++) {
        let s = 0.0;
        const layers = dims3 ? 2 : 1;
        for (let dk = 0; dk < layers; dk++) {
          for (let dj = 0; dj < 2; dj++) {
            const row = ((dims3 ? 2 * K + dk : 0) * ny + 2 * J + dj) * nx + 2 * I;
            s += ld(pf, row) + ld(pf, row + 1);
          }
        }
        store<f64>(pc + (<usize>((K * nyc + J) * nxc + I) << 3), w * s);
      }
    }
  }
}

/** Cell-centred grids: fine x += the value of the coarse cell containing each fine cell. */
export function prolongConstantAdd(nx: i32, ny: i32, nz: i32, pc: usize, pf: usize): void {
  const nxc = nx >> 1, nyc = ny >> 1;
  for (let k = 0; k < nz; k++) {
    const K = nz > 1 ? k >> 1 : 0;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const o = <usize>((k * ny + j) * nx + i) << 3;
        store<f64>(pf + o, load<f64>(pf + o) + ld(pc, (K * nyc + (j >> 1)) * nxc + (i >> 1)));
      }
    }
  }
}

/** Weighted Jacobi with precomputed residual r = b − A·x: x ← x + ω·r / c. */
export function jacobiUpdate(n: i32, omegaOverC: f64, pr: usize, px: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(px + o, load<f64>(px + o) + omegaOverC * load<f64>(pr + o));
  }
}

/** Weighted Jacobi with a varying diagonal: x ← x + ω·r / d (r = b − A·x precomputed). */
export function jacobiUpdateDiag(n: i32, omega: f64, pdiag: usize, pr: usize, px: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(px + o, load<f64>(px + o) + omega * load<f64>(pr + o) / load<f64>(pdiag + o));
  }
}
