// GMRES(m) and FGMRES (Saad, Iterative Methods for Sparse Linear Systems, 2nd ed.,
// Algorithms 6.9 and 9.6) as a resumable state machine, right-preconditioned so that the
// Arnoldi residual |g_{j+1}| is ‖b − A·x_j‖ itself (in exact arithmetic): the stopping test
// is the contract's, on the true residual. Modified Gram–Schmidt, which makes GMRES
// backward stable without reorthogonalisation (Paige, Rozložník and Strakoš, 2006), with
// one more pass only when cancellation left w at the rounding level of its norm before —
// Kelley's test (Iterative Methods for Linear and Nonlinear Equations, 1995, gmres.m):
// ‖w‖ + 10⁻³·‖w′‖ = ‖w‖. (The stricter test of Daniel, Gragg, Kaufman and Stewart, a pass
// whenever ‖w′‖ < ‖w‖/√2, fires on most iterations of convection–diffusion problems and
// doubled the time of a solve, for no change in iterations.) Givens rotations on the
// Hessenberg matrix. At each
// restart x is updated and r = b − A·x recomputed (one product), so every cycle starts from
// the true residual.
//
// GMRES keeps one preconditioned vector and applies M once more per cycle to form
// x += M⁻¹·(V·y); FGMRES keeps all m (Z), as M may change from one application to the next.
import { daxpy, dcopy, ddot, dnrm2, dscal } from "../blas/level1";
import { residualFrom } from "../blas/fused";
import { opApplyAll } from "../operators/apply";
import { GmresState, SolverFlag, SolverStatus } from "../generated/layouts";
import { pcApply } from "./precond";
import { normFrom, recordIteration, request, stop } from "./state";

const P_CYCLE = 0;
const P_PRECOND = 1;
const P_PRODUCT = 2;
const P_ORTHOGONALISE = 3;
const P_UPDATE = 4;
const P_ADD = 5;
const P_DONE = 6;
const P_RESIDUAL = 7;

/** Kelley's factor: a second pass when before + REORTHOGONALISE·after rounds to before. */
const REORTHOGONALISE = 1e-3;

// @ts-ignore: decorator
@inline function at(base: usize, i: i32, n: i32): usize {
  return base + ((<usize>i * <usize>n) << 3);
}

// @ts-ignore: decorator
@inline function h(s: GmresState, i: i32, j: i32): usize {
  return s.H + ((<usize>j * <usize>(s.m + 1) + <usize>i) << 3);
}

/** Runs up to `steps` inner iterations from the state at `st`; returns a SolverStatus. */
export function gmresIterate(st: usize, steps: i32): i32 {
  const s = changetype<GmresState>(st);
  const n = s.n, m = s.m, op = s.op, pc = s.pc;
  const x = s.x, r = s.r, w = s.w, V = s.V, Z = s.Z;
  const flags = s.flags;
  const caller = (flags & SolverFlag.PC_CALLER) != 0;
  const preconditioned = pc != 0 || caller;
  let done = 0;
  let phase = s.phase;
  for (;;) {
    if (phase == P_CYCLE) {
      const beta = dnrm2(n, r);
      if (!isFinite(beta)) return stop(s, P_CYCLE, SolverStatus.NONFINITE);
      if (beta == 0.0) return stop(s, P_CYCLE, SolverStatus.CONVERGED);
      dcopy(n, r, V);
      dscal(n, 1.0 / beta, V);
      store<f64>(s.g, beta);
      s.j = 0;
      s.flags = s.flags & ~SolverFlag.RESTART;
      phase = P_PRECOND;
    }
    if (phase == P_PRECOND) {
      phase = P_PRODUCT;
      const v = at(V, s.j, n);
      if (preconditioned) {
        const z = s.flexible ? at(Z, s.j, n) : Z;
        if (caller) return request(s, SolverStatus.NEED_PRECOND, v, z, phase);
        pcApply(pc, v, z);
      }
    }
    if (phase == P_PRODUCT) {
      phase = P_ORTHOGONALISE;
      const z = preconditioned ? (s.flexible ? at(Z, s.j, n) : Z) : at(V, s.j, n);
      if (!op) return request(s, SolverStatus.NEED_MATVEC, z, w, phase);
      opApplyAll(op, z, w);
    }
    if (phase == P_ORTHOGONALISE) {
      const j = s.j;
      const before = dnrm2(n, w);
      if (!isFinite(before)) return stop(s, P_ORTHOGONALISE, SolverStatus.NONFINITE);
      for (let i = 0; i <= j; i++) {
        const v = at(V, i, n);
        const hij = ddot(n, w, v);
        daxpy(n, -hij, v, w);
        store<f64>(h(s, i, j), hij);
      }
      let after = dnrm2(n, w);
      if (before + REORTHOGONALISE * after == before) {
        for (let i = 0; i <= j; i++) {
          const v = at(V, i, n);
          const c = ddot(n, w, v);
          daxpy(n, -c, v, w);
          store<f64>(h(s, i, j), load<f64>(h(s, i, j)) + c);
        }
        s.reorth += 1;
        after = dnrm2(n, w);
      }
      store<f64>(h(s, j + 1, j), after);
      // The earlier rotations on the new column, then the one that zeroes H[j+1, j].
      for (let i = 0; i < j; i++) {
        const c = load<f64>(s.cs + (<usize>i << 3)), sn = load<f64>(s.sn + (<usize>i << 3));
        const a = load<f64>(h(s, i, j)), b = load<f64>(h(s, i + 1, j));
        store<f64>(h(s, i, j), c * a + sn * b);
        store<f64>(h(s, i + 1, j), c * b - sn * a);
      }
      const a = load<f64>(h(s, j, j)), b = after;
      const rho = Math.hypot(a, b);
      if (!(rho > 0.0)) {
        // A·z_j lies in span(V) and H is singular there: no progress is possible (A singular).
        s.pending = SolverStatus.BREAKDOWN;
        phase = P_UPDATE;
        continue;
      }
      const c = a / rho, sn = b / rho;
      store<f64>(s.cs + (<usize>j << 3), c);
      store<f64>(s.sn + (<usize>j << 3), sn);
      store<f64>(h(s, j, j), rho);
      store<f64>(h(s, j + 1, j), 0.0);
      const gj = load<f64>(s.g + (<usize>j << 3));
      store<f64>(s.g + (<usize>(j + 1) << 3), -sn * gj);
      store<f64>(s.g + (<usize>j << 3), c * gj);
      const rnorm = Math.abs(sn * gj);
      // A new basis vector unless the space is invariant (a "lucky" breakdown: x is exact).
      const invariant = !(after > 1e-300) || after <= 1e-15 * before;
      if (!invariant) {
        const v = at(V, j + 1, n);
        dcopy(n, w, v);
        dscal(n, 1.0 / after, v);
      }
      s.j = j + 1;
      recordIteration(s, rnorm);
      done++;
      if (!isFinite(rnorm)) return stop(s, P_CYCLE, SolverStatus.NONFINITE);
      if (rnorm <= s.tol || invariant) s.pending = SolverStatus.CONVERGED;
      else if (s.iter >= s.maxiter) s.pending = SolverStatus.MAXITER;
      else if (s.j == m) s.pending = 0;
      else {
        phase = P_PRECOND;
        if (done >= steps) return stop(s, phase, SolverStatus.RUNNING);
        continue;
      }
      phase = P_UPDATE;
    }
    if (phase == P_UPDATE) {
      // y = H⁻¹·g on the j × j triangle, then x += Z·y (FGMRES), M⁻¹·(V·y) (GMRES) or V·y.
      const k = s.j;
      const y = s.y;
      for (let i = k - 1; i >= 0; i--) {
        let t = load<f64>(s.g + (<usize>i << 3));
        for (let l = i + 1; l < k; l++) t -= load<f64>(h(s, i, l)) * load<f64>(y + (<usize>l << 3));
        store<f64>(y + (<usize>i << 3), t / load<f64>(h(s, i, i)));
      }
      phase = P_DONE;
      if (s.flexible && preconditioned) {
        for (let i = 0; i < k; i++) daxpy(n, load<f64>(y + (<usize>i << 3)), at(Z, i, n), x);
      } else if (preconditioned) {
        memory.fill(w, 0, <usize>n << 3);
        for (let i = 0; i < k; i++) daxpy(n, load<f64>(y + (<usize>i << 3)), at(V, i, n), w);
        phase = P_ADD;
        if (caller) return request(s, SolverStatus.NEED_PRECOND, w, Z, phase);
        pcApply(pc, w, Z);
      } else {
        for (let i = 0; i < k; i++) daxpy(n, load<f64>(y + (<usize>i << 3)), at(V, i, n), x);
      }
    }
    if (phase == P_ADD) {
      daxpy(n, 1.0, Z, x);
      phase = P_DONE;
    }
    if (phase == P_DONE) {
      const pending = s.pending;
      if (pending != 0) {
        s.pending = 0;
        return stop(s, P_CYCLE, pending);
      }
      // A restart: r = b − A·x, the true residual the next cycle starts from.
      phase = P_RESIDUAL;
      if (!op) return request(s, SolverStatus.NEED_MATVEC, x, w, phase);
      opApplyAll(op, x, w);
    }
    if (phase == P_RESIDUAL) {
      const rr = residualFrom(n, s.b, w);
      dcopy(n, w, r);
      const rnorm = normFrom(rr, n, r);
      s.rnorm = rnorm;
      phase = P_CYCLE;
      if (!isFinite(rnorm)) return stop(s, phase, SolverStatus.NONFINITE);
      if (rnorm > s.limit) return stop(s, phase, SolverStatus.DIVERGED);
      if (rnorm <= s.tol) return stop(s, phase, SolverStatus.CONVERGED);
      if (done >= steps) return stop(s, phase, SolverStatus.RUNNING);
    }
  }
  return SolverStatus.RUNNING; // not reached
}
