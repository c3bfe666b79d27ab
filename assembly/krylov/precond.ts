// Preconditioners applied inside wasm: z ← M⁻¹·r. The TypeScript side sets them up
// (bindings/krylov/precond.ts) and writes a descriptor:
//   0 kind (i32)   4 n   8 … 28 six data pointers   32 degree (i32)   40, 48 two f64
//   56 operator descriptor (Chebyshev)
import { opApply } from "../operators/apply";
import { dmul } from "../blas/fused";
import { mgCycle } from "../multigrid/cycle";
import { amgCycle } from "../multigrid/amg";

export const PC_JACOBI = 1; // p0: 1/diag(A)
export const PC_SSOR = 2; // p0 indptr, p1 indices, p2 values of A (CSR), p3 diag(A); ω at 40
export const PC_IC0 = 3; // p0–p2: L (CSR, diagonal last in each row); p3–p5: Lᵀ (diagonal first)
export const PC_CHEBYSHEV = 4; // operator at 56, interval [a, b] at 40, 48, degree at 32; p0, p1 scratch
export const PC_OPERATOR = 5; // any solvewasm operator used as M⁻¹: its descriptor at 56
export const PC_MULTIGRID = 6; // one multigrid cycle from zero: hierarchy at p0 (multigrid/cycle.ts)
export const PC_AMG = 7; // one AMG V-cycle from zero: hierarchy at p0 (multigrid/amg.ts)

/** Bytes of a preconditioner descriptor. */
export const PC_DESCRIPTOR_BYTES: i32 = 64;

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** z ← M⁻¹·r for the preconditioner described at `d` (z and r do not overlap). */
export function pcApply(d: usize, pr: usize, pz: usize): void {
  const kind = load<i32>(d), n = load<i32>(d, 4);
  const p0 = load<usize>(d, 8), p1 = load<usize>(d, 12), p2 = load<usize>(d, 16);
  const p3 = load<usize>(d, 20), p4 = load<usize>(d, 24), p5 = load<usize>(d, 28);
  switch (kind) {
    case PC_JACOBI:
      dmul(n, p0, pr, pz);
      break;
    case PC_SSOR:
      ssor(n, p0, p1, p2, p3, load<f64>(d, 40), pr, pz);
      break;
    case PC_IC0:
      lowerSolve(n, p0, p1, p2, pr, pz);
      upperSolve(n, p3, p4, p5, pz, pz);
      break;
    case PC_CHEBYSHEV:
      chebyshev(load<usize>(d, 56), n, load<i32>(d, 32), load<f64>(d, 40), load<f64>(d, 48), p0, p1, pr, pz);
      break;
    case PC_MULTIGRID:
      memory.fill(pz, 0, (<usize>n) << 3);
      mgCycle(p0, 0, pr, pz, load<i32>(p0, 4));
      break;
    case PC_AMG:
      memory.fill(pz, 0, (<usize>n) << 3);
      amgCycle(p0, 0, pr, pz);
      break;
    case PC_OPERATOR: {
      const op = load<usize>(d, 56);
      opApply(op, 0, load<i32>(op, 16), pr, pz);
      break;
    }
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
function chebyshev(op: usize, n: i32, degree: i32, a: f64, b: f64, pd: usize, pw: usize, pr: usize, pz: usize): void {
  const theta = (b + a) / 2, delta = (b - a) / 2, sigma = theta / delta;
  let rho = 1.0 / sigma;
  for (let i = 0; i < n; i++) {
    const v = ld(pr, i) / theta;
    store<f64>(pd + (<usize>i << 3), v);
    store<f64>(pz + (<usize>i << 3), v);
  }
  const lines = load<i32>(op, 16);
  for (let k = 1; k < degree; k++) {
    opApply(op, 0, lines, pz, pw);
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
