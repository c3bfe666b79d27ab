// BSDE stepping: seeded path simulation, least-squares regression and the backward solver.
import type { Runtime } from "../runtime.js";
import { SolvewasmError } from "../errors.js";
import { checkF64, checkInt, checkLength, checkNumber, describe, oneOf } from "../validate.js";
import { finiteVector, requireFiniteInWasm } from "../memory.js";
import { drivers, type Drivers } from "./drivers.js";
import { PathSet, type PathOptions } from "./paths.js";
import { RegressionWorkspace, quantileFit, type BasisKind } from "./regression.js";
import { solveBsde, type BsdeSolveOptions, type BsdeSolveResult } from "./solve.js";
import { makeXva, type Xva } from "./xva.js";

export type { PathOptions, FirmSpec, ExitMethod } from "./paths.js";
export type { BsdeSolveOptions, BsdeSolveResult, Driver, BasisOptions } from "./solve.js";
export type { Drivers, StepValues } from "./drivers.js";
export type { XvaConfig, XvaResult, Trade, Xva, Party, Estimate } from "./xva.js";
export { PathSet };

export interface RegressOptions {
  /** Regressors, M values each. */
  x: Float64Array[];
  /** Targets to project, M values each. */
  y: Float64Array[];
  /** Path weights (0 drops a path). Default: all 1. */
  weights?: Float64Array;
  /** Total degree (default 3) and kind (default "hermite") of the polynomial basis in the
   * standardised regressors. */
  degree?: number;
  kind?: BasisKind;
  /** Fit the conditional quantile at this level in (0, 1) instead of the conditional mean
   * (pinball loss by iteratively reweighted least squares; 30 iterations by default). */
  quantile?: number;
  quantileIterations?: number;
  /** Also return the fit's gradient: gradient[r][i] = ∂ŷ_r/∂x_i on every path. */
  gradient?: boolean;
}

export interface Bsde {
  /** Simulates correlated GBM paths with firm-value defaults (Philox4x32-10, seeded:
   * bitwise the same in every runtime and for any chunking).
   * @example
   * const paths = xva.simulate({ paths: 1 << 15, steps: 50, maturity: 1, spot: [100], drift: 0.02, vol: [0.25] });
   * paths.dispose(); // when done (or `using paths = …` where `using` is available) */
  simulate(o: PathOptions): PathSet;
  /** Solves a BSDE backward by regression on simulated paths.
   * @example
   * const { y0, se } = xva.solve({ paths, driver: xva.drivers.linear({ r: 0.02 }), terminal: payoff }); */
  solve(o: BsdeSolveOptions): BsdeSolveResult;
  /** Least-squares projection of targets on a polynomial basis of regressors (the step
   * the backward solver repeats): fitted values, basis size, and the rank when the normal
   * equations were singular and pivoted QR solved the fit instead (`rank < basisSize`). */
  regress(o: RegressOptions): { fitted: Float64Array[]; gradient?: Float64Array[][]; basisSize: number; rank: number; qr: boolean };
  /** Built-in drivers. */
  readonly drivers: Drivers;
}

/** The xVA capability: path simulation, regression, the backward BSDE solver and the
 * four-layer pipeline, as one namespace `xva` (`bsde` is the same object, kept so code
 * written before the two were joined keeps working). */
export function makeXvaApi(rt: Runtime): { xva: Xva; bsde: Xva } {
  const bsde: Bsde = {
    simulate: (o) => new PathSet(rt, o),
    solve: (o) => solveBsde(rt, o),
    regress(o) {
      if (typeof o !== "object" || o === null) throw new SolvewasmError("INVALID_ARGUMENT", `regress takes an options object, got ${describe(o)}`);
      if (!Array.isArray(o.x) || !Array.isArray(o.y) || o.y.length === 0)
        throw new SolvewasmError("INVALID_ARGUMENT", "x and y must be arrays of Float64Arrays (y non-empty)");
      const M = o.y[0]?.length;
      // Types and lengths here; finiteness once the values are in the workspace (below). A
      // view of wasm memory is copied first: the workspace's allocation may detach it.
      const vector = (v: unknown, name: string) => {
        checkF64(v, name);
        checkLength(v.length, M, name);
        return v.buffer === rt.memory.buffer ? v.slice() : v;
      };
      const x = o.x.map((v, i) => vector(v, `x[${i}]`)),
        y = o.y.map((v, r) => vector(v, `y[${r}]`));
      const weights = o.weights === undefined ? undefined : finiteVector(o.weights, M, "weights", rt);
      if (weights) {
        let positive = false;
        for (let m = 0; m < M; m++) {
          if (weights[m] < 0) throw new SolvewasmError("INVALID_ARGUMENT", `weights must be ≥ 0, got weights[${m}] = ${weights[m]}`);
          positive ||= weights[m] > 0;
        }
        if (!positive) throw new SolvewasmError("INVALID_ARGUMENT", "weights are all zero: nothing to fit");
      }
      const degree = o.degree ?? 3;
      checkInt(degree, "degree", 0, 12);
      const kind = oneOf(o.kind ?? "hermite", ["hermite", "monomial"], "kind");
      const q = x.length,
        R = y.length;
      const ws = new RegressionWorkspace(rt, M, q, degree, R, kind, q);
      try {
        x.forEach((v, i) => ws.row("extra", i).set(v));
        y.forEach((v, r) => ws.row("T", r).set(v));
        if (weights) ws.row("w").set(weights);
        // A NaN would not fail the fit, it would quietly flatten it (in x) or spread to every
        // fitted value (in y).
        x.forEach((_, i) => requireFiniteInWasm(rt, ws.ptr("extra") + 8 * M * i, M, `x[${i}]`));
        y.forEach((_, r) => requireFiniteInWasm(rt, ws.ptr("T") + 8 * M * r, M, `y[${r}]`));
        const regs = x.map((_, i) => ws.ptr("extra") + 8 * M * i);
        let fitted: Float64Array[];
        let K: number;
        if (o.quantile !== undefined) {
          checkNumber(o.quantile, "quantile");
          if (!(o.quantile > 0 && o.quantile < 1)) throw new SolvewasmError("INVALID_OPTION", `quantile must be in (0, 1), got ${o.quantile}`);
          const iterations = o.quantileIterations ?? 30;
          checkInt(iterations, "quantileIterations", 0, 1000);
          if (o.gradient) throw new SolvewasmError("INVALID_OPTION", "gradient is only available for mean fits");
          fitted = y.map((target) => quantileFit(ws, regs, target, weights, o.quantile!, iterations));
          K = ws.kMax;
        } else {
          K = ws.fit(regs, R, !!weights);
          fitted = y.map((_, r) => ws.row("out", r).slice());
        }
        let gradient: Float64Array[][] | undefined;
        if (o.gradient) {
          gradient = y.map((_, r) => {
            const g: Float64Array[] = x.map(() => new Float64Array(M));
            for (const [i, v] of ws.gradient(r)) g[i] = v;
            return g;
          });
        }
        return { fitted, gradient, basisSize: K, rank: Math.min(ws.minRank, K), qr: ws.qrFits > 0 };
      } finally {
        ws.dispose();
      }
    },
    drivers,
  };
  const xva: Xva = { ...bsde, run: makeXva(rt, bsde).run };
  return { xva, bsde: xva };
}
