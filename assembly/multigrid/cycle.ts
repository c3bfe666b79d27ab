// Multigrid cycles (V, W, F) over a hierarchy the TypeScript side builds (bindings/multigrid):
// geometric levels (constant stencils: full-weighting restriction and linear interpolation
// on the grid) and algebraic ones (CSR prolongator P and restriction R) run the same
// cycle. Layouts: Hierarchy and Level in scripts/layouts.mjs.
import { daxpy } from "../blas/level1";
import { residualFrom } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { sorSweepCsr } from "../relax/sor";
import { CycleKind, Hierarchy, Level, OperatorDescriptor, OperatorKind, SmootherKind } from "../generated/layouts";
import { denseCholeskySolve } from "./dense";
import { chebyshev } from "../krylov/precond";

// The Chebyshev smoother's recurrence length (krylov/precond.ts's `degree`): a quadratic
// polynomial in A, hypre's default cheby_order 2.
const CHEBYSHEV_DEGREE = 3;
import { jacobiUpdate, jacobiUpdateDiag, prolongAdd, rbgsColour, restrictFull } from "./grid";

// @ts-ignore: decorator
@inline function level(h: Hierarchy, l: i32): Level {
  return changetype<Level>(h.records + <usize>l * offsetof<Level>());
}

// @ts-ignore: decorator
@inline function rows(op: usize): i32 {
  const o = changetype<OperatorDescriptor>(op);
  return o.lines * o.perLine;
}

/** One Gauss–Seidel colour with a constant 5-point (2D) or 7-point (3D) stencil. */
function smoothColour(op: usize, colour: i32, pb: usize, px: usize): void {
  const o = changetype<OperatorDescriptor>(op);
  if (o.kind == OperatorKind.STENCIL5) {
    rbgsColour(o.nx, o.ny, 1, colour, 0, o.coef0, o.coef1, o.coef2, o.coef3, o.coef4, 0, pb, px);
  } else {
    rbgsColour(o.nx, o.ny, o.nz, colour, o.coef0, o.coef1, o.coef2, o.coef3, o.coef4, o.coef5, o.coef6, pb, px);
  }
}

/**
 * One smoothing step on a level: red then black (black then red when `reverse`); weighted
 * Jacobi (the level's diagonal or l1 row norms, or a constant stencil's centre); symmetric
 * Gauss–Seidel, a forward then a backward sweep, which is its own adjoint and so ignores
 * `reverse`; or one Gauss–Seidel sweep, backward when `reverse` (a cycle smoothing forward
 * before the correction and backward after it is symmetric, for half SGS's sweeps); or
 * Chebyshev, a polynomial in A, symmetric too.
 */
function smooth(h: Hierarchy, lv: Level, pb: usize, px: usize, reverse: bool): void {
  const op = lv.A;
  const smoother = h.smoother;
  if (smoother == SmootherKind.JACOBI) {
    const n = rows(op), pr = lv.r;
    opApplyAll(op, px, pr);
    residualFrom(n, pb, pr);
    if (lv.diag) {
      jacobiUpdateDiag(n, h.omega, lv.diag, pr, px);
    } else {
      const o = changetype<OperatorDescriptor>(op);
      jacobiUpdate(n, h.omega / (o.kind == OperatorKind.STENCIL5 ? o.coef2 : o.coef3), pr, px);
    }
  } else if (smoother == SmootherKind.SGS) {
    const o = changetype<OperatorDescriptor>(op);
    sorSweepCsr(o.lines, o.ptr0, o.ptr1, o.ptr2, lv.diag, 1.0, pb, px, true);
    sorSweepCsr(o.lines, o.ptr0, o.ptr1, o.ptr2, lv.diag, 1.0, pb, px, false);
  } else if (smoother == SmootherKind.GS) {
    const o = changetype<OperatorDescriptor>(op);
    sorSweepCsr(o.lines, o.ptr0, o.ptr1, o.ptr2, lv.diag, 1.0, pb, px, !reverse);
  } else if (smoother == SmootherKind.CHEBYSHEV) {
    // x += p(A)·r with p of degree 2 (CHEBYSHEV_DEGREE − 1): two products besides the residual's.
    const n = rows(op), pr = lv.r, pz = lv.scratch;
    opApplyAll(op, px, pr);
    residualFrom(n, pb, pr);
    chebyshev(op, n, CHEBYSHEV_DEGREE, lv.chebLo, lv.chebHi, lv.cheb, lv.cheb + (<usize>n << 3), pr, pz);
    daxpy(n, 1.0, pz, px);
  } else {
    smoothColour(op, reverse ? 1 : 0, pb, px);
    smoothColour(op, reverse ? 0 : 1, pb, px);
  }
}

/** One cycle of shape `cycle` (CycleKind) on level l for A_l·x = b; x holds the initial
 * guess and receives the result. */
export function mlCycle(hp: usize, l: i32, pb: usize, px: usize, cycle: i32): void {
  const h = changetype<Hierarchy>(hp);
  if (l == h.levels - 1) {
    denseCholeskySolve(h.coarseFactor, h.coarseSize, pb, px);
    return;
  }
  const lv = level(h, l), next = level(h, l + 1);
  const op = lv.A, pr = lv.r, xc = next.x, bc = next.b;
  const n = rows(op), nc = rows(next.A);
  const f = changetype<OperatorDescriptor>(op), c = changetype<OperatorDescriptor>(next.A);
  for (let s = 0, pre = h.pre; s < pre; s++) smooth(h, lv, pb, px, false);
  opApplyAll(op, px, pr);
  residualFrom(n, pb, pr);
  if (lv.R) opApplyAll(lv.R, pr, bc);
  else restrictFull(f.nx, f.ny, f.nz, pr, c.nx, c.ny, c.nz, bc);
  memory.fill(xc, 0, (<usize>nc) << 3);
  if (cycle == CycleKind.F) {
    mlCycle(hp, l + 1, bc, xc, CycleKind.F);
    mlCycle(hp, l + 1, bc, xc, CycleKind.V);
  } else {
    mlCycle(hp, l + 1, bc, xc, cycle);
    if (cycle == CycleKind.W) mlCycle(hp, l + 1, bc, xc, CycleKind.W);
  }
  if (lv.P) {
    opApplyAll(lv.P, xc, lv.scratch);
    daxpy(n, 1.0, lv.scratch, px);
  } else {
    prolongAdd(c.nx, c.ny, c.nz, xc, f.nx, f.ny, f.nz, px);
  }
  // The symmetric cycle smooths afterwards in the reverse colour order, so that as a
  // preconditioner it is a symmetric operator (CG needs that).
  for (let s = 0, post = h.post; s < post; s++) smooth(h, lv, pb, px, h.symmetric != 0);
}

/**
 * Up to `cycles` cycles on level 0 from x, stopping once ‖b − A·x‖ ≤ tol or once it passes
 * `limit` or is NaN (diverging: the caller reports it while x is still finite); r (n f64) is
 * scratch. Returns the cycles done; each cycle's residual norm goes to `phist` (if not 0)
 * and the last one to `pout`.
 */
export function mlSolve(hp: usize, pb: usize, px: usize, pr: usize, tol: f64, limit: f64, cycles: i32, phist: usize, pout: usize): i32 {
  const h = changetype<Hierarchy>(hp);
  const op = level(h, 0).A;
  const n = rows(op);
  let done = 0;
  let rnorm = 0.0;
  while (done < cycles) {
    mlCycle(hp, 0, pb, px, h.cycle);
    opApplyAll(op, px, pr);
    rnorm = Math.sqrt(residualFrom(n, pb, pr));
    if (phist) store<f64>(phist + (<usize>done << 3), rnorm);
    done++;
    if (!(rnorm > tol && rnorm <= limit)) break;
  }
  store<f64>(pout, rnorm);
  return done;
}
