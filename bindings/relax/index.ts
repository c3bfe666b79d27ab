// SOR and SSOR: natural order on any solvewasm operator (as CSR), red-black order with
// SIMD over each colour for constant 5-point stencils. Plus Young's model-problem formulas
// for the optimal ω.
import { SolvewasmError } from "../errors.js";
import { Allocation, requireAlive, vectorArgument, type Vector } from "../memory.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import { StencilOperator } from "../operators/stencil.js";
import type { Runtime } from "../runtime.js";
import { checkSquare, describe } from "../validate.js";
import {
  checkSolverOptions,
  DIVERGENCE_FACTOR,
  invalidOption,
  residualNormFrom,
  scaledSystem,
  solveResult,
  tolerance,
  type SolveResult,
  type SolverOptions,
} from "../solver.js";

/** Options of `sor`: the shared ones (rtol default 1e-8, maxiter 10000, relative to the
 * initial residual: Learning to Relax's setting) plus the relaxation's own. */
export interface SorOptions extends SolverOptions {
  /** Relaxation factor in (0, 2) (default 1: Gauss–Seidel). */
  omega?: number;
  /** SSOR: a forward sweep then a backward one (default false). */
  symmetric?: boolean;
  /** "natural" (default; any operator) or "red-black" (constant 2D 5-point stencils, SIMD). */
  ordering?: "natural" | "red-black";
  /** "initial": ‖b − A·x‖ ≤ rtol·‖b − A·x0‖, as Learning to Relax (default); "b": ≤ rtol·‖b‖. */
  relativeTo?: "initial" | "b";
}

const SOR_OPTIONS = ["omega", "symmetric", "ordering", "relativeTo"] as const;

export interface SorResult extends SolveResult {
  method: "sor" | "ssor";
  omega: number;
  ordering: "natural" | "red-black";
}

export interface Relax {
  /**
   * SOR (or SSOR) iterations x ← x + ω·(D/ω + L)⁻¹·(b − A·x) until
   * ‖b − A·x‖ ≤ max(rtol·‖b − A·x0‖, atol) (or relative to ‖b‖). The whole loop runs in wasm.
   * @example
   * const A = gallery.poisson([64, 64]);
   * const r = sor(A, b, { omega: omegaOptimal(jacobiRadiusPoisson2d(64)), rtol: 1e-8 });
   */
  sor(A: LinearOperator, b: Vector, options?: SorOptions): SorResult;
}

export function makeRelax(rt: Runtime): Relax {
  return {
    sor(A, b, options = {}) {
      const started = performance.now();
      if (!(A instanceof WasmOperator)) {
        throw new SolvewasmError("INVALID_ARGUMENT", `sor needs a solvewasm operator (CsrMatrix or a gallery operator), got ${describe(A)}`);
      }
      if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", "A belongs to another solvewasm instance");
      A.descriptorPtr(); // DISPOSED for a disposed matrix
      const n = A.rows;
      checkSquare(A, "sor");
      const o = checkSolverOptions("sor", options, n, SOR_OPTIONS);
      const { omega = 1, symmetric = false, ordering = "natural", relativeTo = "initial" } = options;
      if (typeof symmetric !== "boolean") invalidOption(`symmetric must be true or false, got ${describe(symmetric)}`);
      const { maxiter, callback, signal, history } = o;
      if (typeof omega !== "number" || !(omega > 0 && omega < 2)) invalidOption(`omega must be in (0, 2), got ${describe(omega)}`);
      if (ordering !== "natural" && ordering !== "red-black") invalidOption(`ordering must be "natural" or "red-black", got ${describe(ordering)}`);
      if (relativeTo !== "initial" && relativeTo !== "b") invalidOption(`relativeTo must be "initial" or "b", got ${describe(relativeTo)}`);
      const five = A instanceof StencilOperator ? A.fivePoint : undefined;
      if (ordering === "red-black" && !five) {
        invalidOption('red-black ordering needs a constant 2D 5-point stencil (gallery.poisson or stencilGrid); use ordering "natural"');
      }
      const bIn = vectorArgument(rt, b, n, "b");
      const x0 = o.x0;

      // The whole request (workspace, and the CSR copy natural order needs of a grid
      // operator) is reserved before any of it is allocated.
      const chunk = Math.max(1, Math.min(callback ? o.callbackEvery : 4096, maxiter));
      const copyEntries = ordering === "natural" ? A.csrEntriesBound() : 0;
      const grid = (A as StencilOperator).grid;
      const colour = ordering === "natural" ? 0 : rt.call((ex) => ex.rbColourBytes(grid[1], grid[0])); // each of br, bk, xr, xk
      rt.reserve(
        [
          ...(copyEntries ? [12 * copyEntries + 4 * (n + 1)] : []),
          ...[8 * n, 8 * n, 8 * n, 8 * chunk], // x, r, b, history
          ...(ordering === "natural" ? [8 * n] : [colour, colour, colour, colour]), // the diagonal, or the colour arrays
        ],
        "this sor solve",
      );
      // Natural order works on CSR: the matrix itself, or a converted copy.
      const converted = ordering === "natural" ? A.asCsr() : undefined;
      const csr = converted?.csr;
      const blocks: Allocation[] = [];
      const f64 = (count: number) => {
        const block = new Allocation(rt, 8 * Math.max(1, count));
        blocks.push(block);
        return block.ptr("workspace");
      };
      try {
        const diag = csr ? csr.diagonal() : new Float64Array(n).fill(five![2]);
        for (let i = 0; i < n; i++) {
          if (!Number.isFinite(diag[i]) || diag[i] === 0) {
            throw new SolvewasmError("INVALID_MATRIX", `SOR divides by the diagonal: A[${i}][${i}] = ${diag[i]}`);
          }
        }
        // Sweeps per call (chunk): callbackEvery while a callback watches, else up to 4096
        // (each call records its sweeps' norms in \`hist\`).
        const x = f64(n),
          r = f64(n),
          bb = f64(n),
          hist = f64(chunk);
        const view = (p: number, len = n) => rt.f64(p, len);
        bIn.writeTo(bb);
        if (x0) view(x).set(x0);
        else view(x).fill(0);
        // A tiny or huge b is solved as 2^exp·b (see scaledSystem): r0, rnorm, tolScaled and the
        // kernels' norms are of the scaled system, reported unscaled.
        const scaled = scaledSystem(rt, n, [bb], x, x0);
        const unscale = scaled.unscale;
        // ‖b − A·x0‖ and ‖b‖
        rt.call((ex) => A.applyPtr(ex, x, r));
        const r0 = rt.call((ex) => residualNormFrom(ex, n, bb, r));
        const bnorm = scaled.norm;
        const tolScaled = tolerance(o, relativeTo === "initial" ? r0 : bnorm, scaled.exp);
        const tol = unscale(tolScaled);
        const limit = DIVERGENCE_FACTOR * r0;
        const norms = [unscale(r0)];
        let sweeps: (count: number) => number;
        let finishX: () => void = () => {};
        if (csr) {
          const pd = f64(n);
          view(pd).set(diag);
          const p = csr.pointers();
          sweeps = (count) => rt.call((ex) => ex.sorCsr(n, p.indptr, p.indices, p.data, pd, omega, symmetric, bb, x, r, tolScaled, limit, count, hist));
        } else {
          const [nx, ny] = [(A as StencilOperator).grid[1], (A as StencilOperator).grid[0]];
          const cb = colour / 8;
          const br = f64(cb),
            bk = f64(cb),
            xr = f64(cb),
            xk = f64(cb);
          rt.call((ex) => {
            ex.rbSplit(nx, ny, bb, br, bk);
            ex.rbSplit(nx, ny, x, xr, xk);
          });
          const [s, w, c, e, nn] = five!;
          sweeps = (count) => rt.call((ex) => ex.rbSor(nx, ny, s, w, c, e, nn, omega, symmetric, br, bk, xr, xk, tolScaled, limit, count, hist));
          finishX = () => rt.call((ex) => ex.rbMerge(nx, ny, xr, xk, x));
        }
        let iterations = 0;
        let reason: "converged" | "maxiter" | "diverged" | "aborted" = "converged";
        let rnorm = r0;
        if (callback?.({ iteration: 0, residualNorm: unscale(r0) }) === false || signal?.aborted) reason = "aborted";
        else if (r0 > tolScaled) {
          // Sweeps run in chunks (of callbackEvery while a callback watches); the kernel
          // records every sweep's norm, which are reported in order after each chunk.
          for (;;) {
            if (iterations >= maxiter) {
              reason = "maxiter";
              break;
            }
            requireAlive("this sor solve", [
              [`its ${A.constructor.name}`, A],
              ...(converted?.owned ? [["its CSR copy", converted.csr] as [string, WasmOperator]] : []),
            ]);
            const count = Math.min(chunk, maxiter - iterations);
            const done = sweeps(count);
            const recorded = view(hist, done).slice();
            rnorm = recorded[done - 1];
            let stopped = false;
            for (let i = 0; i < done; i++) {
              if (history) norms.push(unscale(recorded[i]));
              if (!stopped && callback?.({ iteration: iterations + i + 1, residualNorm: unscale(recorded[i]) }) === false) stopped = true;
            }
            iterations += done;
            if (!(rnorm <= limit)) {
              reason = "diverged";
              break;
            }
            if (stopped || signal?.aborted) {
              reason = "aborted";
              break;
            }
            if (rnorm <= tolScaled) break;
          }
        }
        finishX();
        // Scaled back first: the residual reported is the returned x's.
        scaled.restore(iterations);
        rt.call((ex) => A.applyPtr(ex, x, r));
        const trueNorm = rt.call((ex) => residualNormFrom(ex, n, bb, r));
        const method = symmetric ? "ssor" : "sor";
        return {
          ...solveResult({ method, x: view(x).slice(), iterations, residualNorm: trueNorm, tol, reason, history: history ? norms : undefined, started }),
          omega,
          ordering,
        };
      } finally {
        for (const block of blocks) block.free();
        if (converted?.owned) converted.csr.dispose();
      }
    },
  };
}

/** Young's optimal ω for a consistently ordered matrix with Jacobi spectral radius β < 1:
 * ω = 2 / (1 + √(1 − β²)). */
export function omegaOptimal(jacobiSpectralRadius: number): number {
  const b = jacobiSpectralRadius;
  if (typeof b !== "number" || !(b >= 0 && b < 1)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `the Jacobi spectral radius must be in [0, 1), got ${describe(b)}`);
  }
  return 2 / (1 + Math.sqrt(1 - b * b));
}

/** ρ(I − D⁻¹A) of gallery.poisson([n, n]): cos(π/(n + 1)). */
export function jacobiRadiusPoisson2d(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new SolvewasmError("INVALID_ARGUMENT", `n must be a positive integer, got ${describe(n)}`);
  return Math.cos(Math.PI / (n + 1));
}

/** ρ(I − D⁻¹A) of gallery.poisson([n, n]) + c·I (c > −4 + 4cos(π/(n+1)) keeps it SPD):
 * 4·cos(π/(n + 1)) / (4 + c). */
export function jacobiRadiusShifted(n: number, c: number): number {
  const beta = (4 * jacobiRadiusPoisson2d(n)) / (4 + c);
  if (!(c > -4) || !(beta < 1)) throw new SolvewasmError("INVALID_ARGUMENT", `the shift c = ${c} makes poisson([${n}, ${n}]) + cI indefinite`);
  return beta;
}
