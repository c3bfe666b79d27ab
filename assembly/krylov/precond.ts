// Preconditioners applied inside wasm: z ← M⁻¹·r. The TypeScript side sets them up
// (bindings/krylov/precond.ts) and writes a PreconditionerDescriptor (scripts/layouts.mjs
// says what each kind keeps where).
import { ld, ldi } from "../blas/access";
import { dmul } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { mlCycle } from "../multigrid/cycle";
import { Hierarchy, PreconditionerDescriptor, PreconditionerKind } from "../generated/layouts";

/** z ← M⁻¹·r for the preconditioner described at `d` (z and r do not overlap). */
export function pcApply(d: usize, pr: usize, pz: usize): void {
  const m = changetype<PreconditionerDescriptor>(d);
  const n = m.n;
  switch (m.kind) {
    case PreconditionerKind.JACOBI:
      dmul(n, m.ptr0, pr, pz);
      break;
    case PreconditionerKind.SSOR:
      ssor(n, m.ptr0, m.ptr1, m.ptr2, m.ptr3, m.param0, pr, pz);
      break;
    case PreconditionerKind.TRIANGULAR: // IC(0): U = Lᵀ; ILU: L with a stored unit diagonal
      lowerSolve(n, m.ptr0, m.ptr1, m.ptr2, pr, pz);
      upperSolve(n, m.ptr3, m.ptr4, m.ptr5, pz, pz);
      break;
    case PreconditionerKind.CHEBYSHEV:
      chebyshev(m.operator, n, m.degree, m.param0, m.param1, m.ptr0, m.ptr1, pr, pz);
      break;
    case PreconditionerKind.MULTILEVEL:
      memory.fill(pz, 0, (<usize>n) << 3);
      mlCycle(m.ptr0, 0, pr, pz, changetype<Hierarchy>(m.ptr0).cycle);
      break;
    case PreconditionerKind.OPERATOR:
      opApplyAll(m.operator, pr, pz);
      break;
  }
}

/**
 * SSOR: z = ω(2−ω)·(D + ωU)⁻¹·D·(D + ωL)⁻¹·r, with A = L + D + U in CSR (columns sorted);
 * ω = 1 is symmetric Gauss–Seidel. One forward and one backward sweep.
 */
function ssor(n: i32, pptr: usize, pidx: usize, pval: usize, pdiag: usize, omega: f64, pr: usize, pz: usize): void {
  for (let i = 0; i < n; i++) {
    let s = ld(pr, i);
    for (let k = ldi(pptr, i), e = ldi(pptr, i + 1); k < e; k++) {
      const j = ldi(pidx, k);
      if (j >= i) break;
      s -= omega * ld(pval, k) * ld(pz, j);
    }
    store<f64>(pz + (<usize>i << 3), s / ld(pdiag, i));
  }
  for (let i = 0; i < n; i++) store<f64>(pz + (<usize>i << 3), ld(pz, i) * ld(pdiag, i));
  const scale = omega * (2.0 - omega);
  for (let i = n - 1; i >= 0; i--) {
    let s = ld(pz, i);
    for (let k = ldi(pptr, i + 1) - 1, b = ldi(pptr, i); k >= b; k--) {
      const j = ldi(pidx, k);
      if (j <= i) break;
      s -= omega * ld(pval, k) * ld(pz, j);
    }
    store<f64>(pz + (<usize>i << 3), s / ld(pdiag, i));
  }
  for (let i = 0; i < n; i++) store<f64>(pz + (<usize>i << 3), scale * ld(pz, i));
}

/** Solves L·y = b with L lower triangular in CSR, each row's diagonal stored last. */
export function lowerSolve(n: i32, pptr: usize, pidx: usize, pval: usize, pb: usize, py: usize): void {
  for (let i = 0; i < n; i++) {
    const last = ldi(pptr, i + 1) - 1;
    let s = ld(pb, i);
    for (let k = ldi(pptr, i); k < last; k++) s -= ld(pval, k) * ld(py, ldi(pidx, k));
    store<f64>(py + (<usize>i << 3), s / ld(pval, last));
  }
}

/** Solves U·y = b with U upper triangular in CSR, each row's diagonal stored first
 * (y may be b: rows are finished from the last up). */
export function upperSolve(n: i32, pptr: usize, pidx: usize, pval: usize, pb: usize, py: usize): void {
  for (let i = n - 1; i >= 0; i--) {
    const first = ldi(pptr, i);
    let s = ld(pb, i);
    for (let k = first + 1, e = ldi(pptr, i + 1); k < e; k++) s -= ld(pval, k) * ld(py, ldi(pidx, k));
    store<f64>(py + (<usize>i << 3), s / ld(pval, first));
  }
}

/**
 * Chebyshev polynomial preconditioner: `degree` steps of the Chebyshev iteration for A·z = r
 * from z = 0 on the interval [a, b] (Saad, Iterative Methods, Alg. 12.1). A linear,
 * symmetric polynomial in A, positive on (0, b]. Scratch vectors pd (direction), pw (residual).
 */
export function chebyshev(op: usize, n: i32, degree: i32, a: f64, b: f64, pd: usize, pw: usize, pr: usize, pz: usize): void {
  const theta = (b + a) / 2, delta = (b - a) / 2, sigma = theta / delta;
  let rho = 1.0 / sigma;
  for (let i = 0; i < n; i++) {
    const v = ld(pr, i) / theta;
    store<f64>(pd + (<usize>i << 3), v);
    store<f64>(pz + (<usize>i << 3), v);
  }
  for (let k = 1; k < degree; k++) {
    opApplyAll(op, pz, pw);
    const rhoNext = 1.0 / (2.0 * sigma - rho);
    const c1 = rhoNext * rho, c2 = (2.0 * rhoNext) / delta;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const dv = c1 * load<f64>(pd + o) + c2 * (load<f64>(pr + o) - load<f64>(pw + o));
      store<f64>(pd + o, dv);
      store<f64>(pz + o, load<f64>(pz + o) + dv);
    }
    rho = rhoNext;
  }
}
