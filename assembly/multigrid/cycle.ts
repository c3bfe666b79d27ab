// Multigrid cycles (V, W, F) over a hierarchy the TypeScript side builds
// (bindings/multigrid). Header (64 bytes):
//   0 levels  4 cycle (0 V, 1 W, 2 F)  8 pre  12 post  16 symmetric  20 level records
//   24 coarse Cholesky factor (dense, row-major)  28 coarse size
//   32 smoother (0 red-black Gauss–Seidel, 1 weighted Jacobi)  40 Jacobi weight ω (f64)
// Level record (32 bytes): 0 operator descriptor  4 x  8 b  12 r (scratch); nx, ny, nz
// come from the descriptor. Level 0's x and b are the caller's.
import { opApply } from "../operators/apply";
import { denseCholeskySolve } from "./dense";
import { residualFrom } from "../blas/fused";
import { jacobiUpdate, prolongAdd, rbgsColour, restrictFull } from "./grid";

const LEVEL_BYTES: usize = 32;

// @ts-ignore: decorator
@inline function level(h: usize, l: i32): usize {
  return load<usize>(h, 20) + <usize>l * LEVEL_BYTES;
}

/** One Gauss–Seidel colour with the level's stencil (5-point 2D or 7-point 3D). */
function smoothColour(op: usize, colour: i32, pb: usize, px: usize): void {
  const kind = load<i32>(op);
  const nx = load<i32>(op, 4), ny = load<i32>(op, 8), nz = load<i32>(op, 12);
  if (kind == 2) {
    rbgsColour(nx, ny, 1, colour, 0, load<f64>(op, 48), load<f64>(op, 56), load<f64>(op, 64), load<f64>(op, 72), load<f64>(op, 80), 0, pb, px);
  } else {
    rbgsColour(
      nx, ny, nz, colour, load<f64>(op, 48), load<f64>(op, 56), load<f64>(op, 64), load<f64>(op, 72),
      load<f64>(op, 80), load<f64>(op, 88), load<f64>(op, 96), pb, px,
    );
  }
}

function coarseSolve(h: usize, pb: usize, px: usize): void {
  denseCholeskySolve(load<usize>(h, 24), load<i32>(h, 28), pb, px);
}

/** One smoothing sweep: red then black (or black then red when `reverse`), or weighted
 * Jacobi using the level's scratch r. */
function smooth(h: usize, op: usize, pb: usize, px: usize, pr: usize, reverse: bool): void {
  if (load<i32>(h, 32) == 1) {
    const n = load<i32>(op, 4) * load<i32>(op, 8) * load<i32>(op, 12);
    opApply(op, 0, load<i32>(op, 16), px, pr);
    residualFrom(n, pb, pr);
    const c = load<i32>(op) == 2 ? load<f64>(op, 64) : load<f64>(op, 72);
    jacobiUpdate(n, load<f64>(h, 40) / c, pr, px);
    return;
  }
  smoothColour(op, reverse ? 1 : 0, pb, px);
  smoothColour(op, reverse ? 0 : 1, pb, px);
}

/** One cycle on level l for A_l·x = b (x holds the initial guess and receives the result). */
export function mgCycle(h: usize, l: i32, pb: usize, px: usize, kind: i32): void {
  const levels = load<i32>(h);
  if (l == levels - 1) {
    coarseSolve(h, pb, px);
    return;
  }
  const rec = level(h, l), next = level(h, l + 1);
  const op = load<usize>(rec), pr = load<usize>(rec, 12);
  const opc = load<usize>(next), xc = load<usize>(next, 4), bc = load<usize>(next, 8);
  const pre = load<i32>(h, 8), post = load<i32>(h, 12), symmetric = load<i32>(h, 16);
  for (let s = 0; s < pre; s++) smooth(h, op, pb, px, pr, false);
  const nx = load<i32>(op, 4), ny = load<i32>(op, 8), nz = load<i32>(op, 12);
  opApply(op, 0, load<i32>(op, 16), px, pr);
  residualFrom(nx * ny * nz, pb, pr);
  const nxc = load<i32>(opc, 4), nyc = load<i32>(opc, 8), nzc = load<i32>(opc, 12);
  restrictFull(nx, ny, nz, pr, nxc, nyc, nzc, bc);
  memory.fill(xc, 0, (<usize>(nxc * nyc * nzc)) << 3);
  if (kind == 2) {
    mgCycle(h, l + 1, bc, xc, 2);
    mgCycle(h, l + 1, bc, xc, 0);
  } else {
    mgCycle(h, l + 1, bc, xc, kind);
    if (kind == 1) mgCycle(h, l + 1, bc, xc, 1);
  }
  prolongAdd(nxc, nyc, nzc, xc, nx, ny, nz, px);
  // The symmetric cycle smooths afterwards in the reverse colour order, so that as a
  // preconditioner it is a symmetric operator (CG needs that).
  for (let s = 0; s < post; s++) smooth(h, op, pb, px, pr, symmetric != 0);
}

/**
 * Up to `cycles` cycles on level 0 from x, stopping once ‖b − A·x‖ ≤ tol; r (n f64) is
 * scratch. Returns the cycles done; each cycle's residual norm goes to `phist` (if not 0)
 * and the last one to `pout`.
 */
export function mgSolve(h: usize, pb: usize, px: usize, pr: usize, tol: f64, cycles: i32, phist: usize, pout: usize): i32 {
  const op = load<usize>(level(h, 0));
  const n = load<i32>(op, 4) * load<i32>(op, 8) * load<i32>(op, 12);
  const kind = load<i32>(h, 4);
  let done = 0;
  let rnorm = 0.0;
  while (done < cycles) {
    mgCycle(h, 0, pb, px, kind);
    opApply(op, 0, load<i32>(op, 16), px, pr);
    rnorm = Math.sqrt(residualFrom(n, pb, pr));
    if (phist) store<f64>(phist + (<usize>done << 3), rnorm);
    done++;
    if (!(rnorm > tol)) break;
  }
  store<f64>(pout, rnorm);
  return done;
}
