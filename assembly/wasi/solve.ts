// The solve, on the library's own kernels: a CSR matrix and a Jacobi preconditioner
// described as bindings/operators/csr.ts and bindings/krylov/precond.ts describe them, and
// the CG state machine (assembly/krylov/cg.ts) driven as bindings/krylov/driver.ts drives
// it for a solvewasm operator: the same scaling of b, tolerance, true-residual check at
// convergence and restart, so x is the one `cg(A, b, { M: precond.jacobi(A) })` returns.
import {
  CgState,
  OperatorDescriptor,
  OperatorKind,
  PreconditionerDescriptor,
  PreconditionerKind,
  SolverFlag,
  SolverStatus,
} from "../generated/layouts";
import { ld, ldi, st, sti } from "../blas/access";
import { dcopy, dnrm2, dscal } from "../blas/level1";
import { residualFrom } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { cgIterate } from "../krylov/cg";
import { allocF64, allocI32, bigAlloc, fail, jsNumber } from "./io";
import { Triplets } from "./matrixmarket";

/** A CSR matrix in memory and its operator descriptor. */
export class Csr {
  rows: i32 = 0;
  cols: i32 = 0;
  nnz: i32 = 0;
  indptr: usize = 0;
  indices: usize = 0;
  data: usize = 0;
  descriptor: usize = 0;
}

/**
 * Triplets to CSR with each row's columns sorted and duplicates summed in file order, as
 * the library's fromTriplets (so the same file gives bit for bit the same matrix). Two
 * stable counting sorts, by column then by row: linear however long a row is.
 */
export function csrFromTriplets(t: Triplets, name: string): Csr {
  const rows = t.rows, cols = t.cols, count = t.count;
  const what = `${name}'s matrix`;
  const byCol = allocI32(cols + 1, what);
  for (let k = 0; k < count; k++) {
    const c = ldi(t.col, k) + 1;
    sti(byCol, c, ldi(byCol, c) + 1);
  }
  for (let c = 0; c < cols; c++) sti(byCol, c + 1, ldi(byCol, c + 1) + ldi(byCol, c));
  const order = allocI32(count, what);
  for (let k = 0; k < count; k++) {
    const c = ldi(t.col, k);
    const q = ldi(byCol, c);
    sti(byCol, c, q + 1);
    sti(order, q, k);
  }
  const indptr = allocI32(rows + 1, what);
  for (let k = 0; k < count; k++) {
    const r = ldi(t.row, k) + 1;
    sti(indptr, r, ldi(indptr, r) + 1);
  }
  for (let r = 0; r < rows; r++) sti(indptr, r + 1, ldi(indptr, r + 1) + ldi(indptr, r));
  const next = allocI32(rows, what);
  memory.copy(next, indptr, <usize>rows << 2);
  const indices = allocI32(count, what);
  const data = allocF64(count, what);
  for (let q = 0; q < count; q++) {
    const k = ldi(order, q);
    const r = ldi(t.row, k);
    const at = ldi(next, r);
    sti(next, r, at + 1);
    sti(indices, at, ldi(t.col, k));
    st(data, at, ld(t.data, k));
  }
  // Sum duplicates, compacting the rows towards the front.
  let unique = 0, start = 0;
  for (let r = 0; r < rows; r++) {
    const end = ldi(indptr, r + 1);
    const rowStart = unique;
    for (let k = start; k < end; k++) {
      if (unique > rowStart && ldi(indices, unique - 1) == ldi(indices, k)) {
        st(data, unique - 1, ld(data, unique - 1) + ld(data, k));
      } else {
        sti(indices, unique, ldi(indices, k));
        st(data, unique++, ld(data, k));
      }
    }
    sti(indptr, r + 1, unique);
    start = end;
  }
  const m = new Csr();
  m.rows = rows;
  m.cols = cols;
  m.nnz = unique;
  m.indptr = indptr;
  m.indices = indices;
  m.data = data;
  const d = changetype<OperatorDescriptor>(bigAlloc(offsetof<OperatorDescriptor>(), what));
  d.kind = OperatorKind.CSR;
  d.lines = rows;
  d.perLine = 1;
  d.ptr0 = indptr;
  d.ptr1 = indices;
  d.ptr2 = data;
  m.descriptor = changetype<usize>(d);
  return m;
}

/** The Jacobi preconditioner M = diag(A) (1/diag, as precond.jacobi), or exit 2 naming
 * the first diagonal entry that is not positive. */
export function jacobi(A: Csr): usize {
  const n = A.rows;
  const inv = allocF64(n, "the Jacobi preconditioner");
  for (let i = 0; i < n; i++) {
    let d = 0.0;
    for (let k = ldi(A.indptr, i), e = ldi(A.indptr, i + 1); k < e; k++) {
      if (ldi(A.indices, k) == i) {
        d = ld(A.data, k);
        break;
      }
    }
    if (!(d > 0)) {
      fail(`--precond jacobi needs a positive diagonal, but A(${i + 1}, ${i + 1}) = ${jsNumber(d)} (A is not SPD): use --precond none`);
    }
    st(inv, i, 1.0 / d);
  }
  const m = changetype<PreconditionerDescriptor>(bigAlloc(offsetof<PreconditionerDescriptor>(), "the Jacobi preconditioner"));
  m.kind = PreconditionerKind.JACOBI;
  m.n = n;
  m.ptr0 = inv;
  return changetype<usize>(m);
}

// The residual norm past which the iteration has diverged, times ‖r0‖ (bindings/solver.ts).
// @ts-ignore: decorator
@inline const DIVERGENCE_FACTOR = 1e50;

/** 2^k for |k| ≤ 1023 (every exponent this file asks for). */
function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** v·2^k in two steps, exact unless the result is subnormal (timesPow2 in bindings/solver.ts). */
function timesPow2(v: f64, k: i32): f64 {
  const half = k / 2;
  return v * pow2(half) * pow2(k - half);
}

function scaleByPow2(n: i32, p: usize, k: i32): void {
  if (k == 0) return;
  const half = k / 2;
  dscal(n, pow2(half), p);
  dscal(n, pow2(k - half), p);
}

/** The power of two that brings ‖b‖ near 1 when it lies outside [2^−400, 2^400], as
 * rhsScale in bindings/solver.ts (x0 may limit it). */
function rhsScale(n: i32, bnorm: f64, x0: usize): i32 {
  let x0size = 0.0;
  if (x0) for (let i = 0; i < n; i++) x0size = Math.max(x0size, Math.abs(ld(x0, i)));
  const size = bnorm > 0 ? bnorm : x0size;
  if (!(size > 0 && size < Infinity) || (size >= pow2(-400) && size <= pow2(400))) return 0;
  let exp = -<i32>Math.round(Math.log2(size));
  if (x0size > 0) exp = min(exp, 500 - <i32>Math.ceil(Math.log2(x0size)));
  return exp;
}

/** r ← b − r (r holding A·x); ‖r‖, through dnrm2 where the square over- or underflows. */
function residualNormFrom(n: i32, pb: usize, pr: usize): f64 {
  const rr = residualFrom(n, pb, pr);
  return rr < Infinity && rr > pow2(-960) ? Math.sqrt(rr) : dnrm2(n, pr);
}

/** What a solve ends with (the library's SolveResult without x, which stays in memory). */
export class Outcome {
  converged: bool = false;
  reason: string = "";
  iterations: i32 = 0;
  residualNorm: f64 = 0;
  bnorm: f64 = 0;
  tol: f64 = 0;
  /** Why it stopped short (stopMessage in bindings/solver.ts), or "". */
  message: string = "";
  /** False when x left float64 (the library's NOT_FINITE): x is not worth writing. */
  finite: bool = true;
}

/**
 * Solves A·x = b by CG with the preconditioner descriptor `pc` (0: none). `x` holds x0
 * (`hasX0`) or zeros and receives the solution; b and x are scaled and restored in place.
 */
export function solveCg(A: Csr, b: usize, x: usize, hasX0: bool, pc: usize, rtol: f64, atol: f64, maxiter: i32): Outcome {
  const n = A.rows;
  const op = A.descriptor;
  const what = "the solver's workspace";
  const r = allocF64(n, what), tmp = allocF64(n, what);
  const z = pc ? allocF64(n, what) : r;
  const out = new Outcome();

  // A tiny or huge b is solved as 2^exp·b: norms of it would under- or overflow.
  const norm = dnrm2(n, b);
  const exp = rhsScale(n, norm, hasX0 ? x : 0);
  scaleByPow2(n, b, exp);
  scaleByPow2(n, x, exp);
  const bnorm = timesPow2(norm, exp);
  const tolScaled = Math.max(rtol * bnorm, timesPow2(atol, exp));
  const tol = timesPow2(tolScaled, -exp);
  out.bnorm = norm;
  out.tol = tol;

  let iterations = 0, reason = "converged", trueNorm = NaN;

  if (norm == 0) {
    memory.fill(x, 0, <usize>n << 3);
    trueNorm = 0;
  } else {
    let rnorm: f64;
    if (hasX0) {
      rnorm = residualOf(op, n, x, b, r);
    } else {
      dcopy(n, b, r);
      rnorm = bnorm;
    }
    if (rnorm <= tolScaled) {
      trueNorm = rnorm;
    } else if (maxiter == 0) {
      reason = "maxiter";
      trueNorm = rnorm;
    } else {
      const s = changetype<CgState>(bigAlloc(offsetof<CgState>(), what));
      s.n = n;
      s.op = op;
      s.pc = pc;
      s.maxiter = maxiter;
      s.x = x;
      s.r = r;
      s.z = z;
      s.b = b;
      s.tol = tolScaled;
      s.limit = DIVERGENCE_FACTOR * rnorm;
      s.rnorm = rnorm;
      s.flags = SolverFlag.RESTART;
      s.p = allocF64(n, what);
      s.q = allocF64(n, what);
      for (;;) {
        const status = cgIterate(changetype<usize>(s), 1 << 30);
        iterations = s.iter;
        if (status == SolverStatus.NONFINITE || status == SolverStatus.DIVERGED) {
          reason = "diverged";
          break;
        }
        if (status == SolverStatus.BREAKDOWN) {
          reason = "breakdown";
          break;
        }
        if (status == SolverStatus.MAXITER) {
          reason = "maxiter";
          break;
        }
        if (status == SolverStatus.CONVERGED) {
          // The recursive residual says yes; the true one decides. If rounding has made
          // them drift apart, continue from the true residual (a restart).
          const t = residualOf(op, n, x, b, tmp);
          if (t <= tolScaled) {
            trueNorm = t;
            break;
          }
          dcopy(n, tmp, r);
          s.flags |= SolverFlag.RESTART;
          s.rnorm = t;
          if (iterations >= maxiter) {
            reason = "maxiter";
            trueNorm = t;
            break;
          }
        }
      }
    }
  }

  // Back to the caller's units; a norm of the scaled system is recomputed.
  scaleByPow2(n, b, -exp);
  scaleByPow2(n, x, -exp);
  if (exp != 0) trueNorm = NaN;
  if (!isFinite(dnrm2(n, x))) {
    for (let i = 0; i < n; i++) {
      if (!isFinite(ld(x, i))) {
        out.finite = false;
        out.message = `x[${i}] became ${ld(x, i)} by iteration ${iterations}: the iterates overflowed float64 (the iteration diverges, or the solution is not representable)`;
        break;
      }
    }
  }
  const residualNorm = isNaN(trueNorm) ? residualOf(op, n, x, b, tmp) : trueNorm;
  out.iterations = iterations;
  out.residualNorm = residualNorm;
  out.converged = out.finite && residualNorm <= tol;
  out.reason = out.converged ? "converged" : reason == "converged" ? "maxiter" : reason;
  if (!out.finite) out.reason = "diverged";
  else if (!out.converged) out.message = stopMessage(out.reason, iterations, residualNorm, tol);
  return out;
}

/** r ← b − A·x into `into`; ‖r‖. */
function residualOf(op: usize, n: i32, x: usize, b: usize, into: usize): f64 {
  opApplyAll(op, x, into);
  return residualNormFrom(n, b, into);
}

/** Why a solve stopped short and what to try (stopMessage in bindings/solver.ts, less the
 * options only the API has). */
function stopMessage(reason: string, iterations: i32, residualNorm: f64, tol: f64): string {
  if (reason == "maxiter") {
    return `stopped after ${iterations} iterations with ‖b − A·x‖ = ${toExponential3(residualNorm)} > ${toExponential3(tol)}: raise --maxiter or use a stronger preconditioner`;
  }
  if (reason == "breakdown") {
    return "a curvature pᵀA·p or rᵀM⁻¹r was not positive: A or M is not positive definite, or A is singular and b has a component in its null space";
  }
  return `the residual grew to ${toExponential3(residualNorm)} after ${iterations} iterations: the iteration diverges for this matrix (CG converges for symmetric positive definite A)`;
}

/** v as JavaScript's v.toExponential(3) prints it ("1.235e-9"), rounded from the shortest
 * round-trip digits (for messages only). */
export function toExponential3(v: f64): string {
  if (!isFinite(v)) return v.toString();
  if (v == 0) return "0.000e+0";
  const sign = v < 0 ? "-" : "";
  const s = Math.abs(v).toString();
  const e = s.indexOf("e");
  const mantissa = e >= 0 ? s.substring(0, e) : s;
  let exp10 = e >= 0 ? I32.parseInt(s.substring(e + 1)) : 0;
  const dot = mantissa.indexOf(".");
  const intDigits = dot >= 0 ? dot : mantissa.length;
  let digits = mantissa.replace(".", "");
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) == 48) lead++;
  digits = digits.substring(lead);
  exp10 += intDigits - 1 - lead;
  let d = 0;
  for (let i = 0; i < 4; i++) d = d * 10 + (i < digits.length ? digits.charCodeAt(i) - 48 : 0);
  if (digits.length > 4 && digits.charCodeAt(4) >= 53) d++;
  if (d >= 10000) {
    d /= 10;
    exp10++;
  }
  const text = d.toString();
  return `${sign}${text.substring(0, 1)}.${text.substring(1)}e${exp10 >= 0 ? "+" : "-"}${abs(exp10)}`;
}
