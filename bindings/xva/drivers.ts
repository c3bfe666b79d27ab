// Built-in BSDE drivers. Each evaluates f on all paths of one step (no per-path calls).
// Per-step inputs such as a clean value V̂_n or collateral C_n are functions n → M values.
import { SolvewasmError } from "../errors.js";
import { checkNumber } from "../validate.js";
import type { Driver } from "./solve.js";

/** Per-step values: a function of the step returning M values, or a constant. */
export type StepValues = number | ((n: number) => Float64Array);

/** Resolves a StepValues to an array for step n (a constant fills a cached array). */
function stepArray(v: StepValues, n: number, M: number, name: string): Float64Array {
  if (typeof v === "number") return new Float64Array(M).fill(v);
  const a = v(n);
  if (!(a instanceof Float64Array) || a.length !== M) {
    throw new SolvewasmError("DIMENSION_MISMATCH", `${name}(${n}) must return a Float64Array of ${M} values`);
  }
  return a;
}
function rate(v: unknown, name: string): number {
  checkNumber(v, name);
  return v as number;
}

/** f = a·e⁺ − b·e⁻ − k·y for an exposure e per path: what a position earns at rate a while
 * positive and pays at rate b while negative, discounted at k (CVA/DVA, ColVA, FVA). */
function asymmetricDriver(a: number, b: number, k: number, exposure: (n: number, y: Float64Array) => Float64Array): Driver {
  return {
    usesZ: false,
    evaluate(n, _t, y, _z, out) {
      const e = exposure(n, y);
      for (let p = 0; p < y.length; p++) out[p] = a * Math.max(e[p], 0) - b * Math.max(-e[p], 0) - k * y[p];
    },
  };
}

export interface Drivers {
  /** f = −r y + s_n: discounting at r plus a source (e.g. a funding cost). Y₀ is the
   * expected discounted terminal/exit value plus the discounted integral of s. */
  linear(o: { r: number; source?: StepValues }): Driver;
  /** Differential lending/borrowing rates (Bergman; E–Han–Jentzen), for one asset with
   * real-world drift mu and volatility sigma simulated as path component 0:
   * f = −r_l y − ((μ − r_l)/σ) z + (r_b − r_l)(z/σ − y)⁺. */
  diffRates(o: { rl: number; rb: number; mu: number; sigma: number }): Driver;
  /** Bilateral CVA/DVA with constant default intensities, value V̂ seen by the bank:
   * f = λ_C·LGD_C·V̂⁺ − λ_B·LGD_B·V̂⁻ − (r + λ_B + λ_C) y, so Y = CVA − DVA ("both"), or
   * only the CVA term ("cva") or only the DVA term with Y = DVA ("dva"). */
  bcva(o: { r: number; lambdaC: number; lgdC: number; lambdaB: number; lgdB: number; clean: StepValues; side?: "both" | "cva" | "dva" }): Driver;
  /** Margin valuation adjustment: f = (r_fb − r_im)·IM_n − r y (IM posted by the bank, funded
   * at r_fb and remunerated at r_im). */
  mva(o: { r: number; rfb: number; rim: number; im: StepValues }): Driver;
  /** Collateral valuation adjustment: f = (r_cl − r) C⁺ − (r_cb − r) C⁻ − r y. */
  colva(o: { r: number; rcl: number; rcb: number; collateral: StepValues }): Driver;
  /** Funding valuation adjustment, recursive (Y = FVA enters its own funding need):
   * f = (r_fl − r)(V̂ − C − Y)⁺ − (r_fb − r)(V̂ − C − Y)⁻ − r y. */
  fva(o: { r: number; rfl: number; rfb: number; clean: StepValues; collateral?: StepValues }): Driver;
}

export const drivers: Drivers = {
  linear({ r, source }) {
    rate(r, "r");
    return {
      usesZ: false,
      evaluate(n, _t, y, _z, out) {
        const s = source === undefined ? undefined : stepArray(source, n, y.length, "source");
        for (let p = 0; p < y.length; p++) out[p] = -r * y[p] + (s ? s[p] : 0);
      },
    };
  },
  diffRates({ rl, rb, mu, sigma }) {
    rate(rl, "rl");
    rate(rb, "rb");
    rate(mu, "mu");
    rate(sigma, "sigma");
    if (!(sigma > 0)) throw new SolvewasmError("INVALID_ARGUMENT", `sigma must be positive, got ${sigma}`);
    const th = (mu - rl) / sigma;
    return {
      usesZ: true,
      evaluate(_n, _t, y, z, out) {
        const z0 = z[0];
        for (let p = 0; p < y.length; p++) out[p] = -rl * y[p] - th * z0[p] + (rb - rl) * Math.max(z0[p] / sigma - y[p], 0);
      },
    };
  },
  bcva({ r, lambdaC, lgdC, lambdaB, lgdB, clean, side = "both" }) {
    for (const [v, name] of [
      [r, "r"],
      [lambdaC, "lambdaC"],
      [lgdC, "lgdC"],
      [lambdaB, "lambdaB"],
      [lgdB, "lgdB"],
    ] as const)
      rate(v, name);
    if (lambdaC < 0 || lambdaB < 0) throw new SolvewasmError("INVALID_ARGUMENT", "default intensities must be non-negative");
    if (!["both", "cva", "dva"].includes(side)) throw new SolvewasmError("INVALID_OPTION", `side must be "both", "cva" or "dva", got ${side}`);
    const kill = r + lambdaB + lambdaC;
    const a = side === "dva" ? 0 : lambdaC * lgdC;
    const b = side === "cva" ? 0 : lambdaB * lgdB * (side === "dva" ? -1 : 1);
    return asymmetricDriver(a, b, kill, (n, y) => stepArray(clean, n, y.length, "clean"));
  },
  mva({ r, rfb, rim, im }) {
    rate(r, "r");
    const s = rate(rfb, "rfb") - rate(rim, "rim");
    return {
      usesZ: false,
      evaluate(n, _t, y, _z, out) {
        const m = stepArray(im, n, y.length, "im");
        for (let p = 0; p < y.length; p++) out[p] = s * m[p] - r * y[p];
      },
    };
  },
  colva({ r, rcl, rcb, collateral }) {
    rate(r, "r");
    return asymmetricDriver(rate(rcl, "rcl") - r, rate(rcb, "rcb") - r, r, (n, y) => stepArray(collateral, n, y.length, "collateral"));
  },
  fva({ r, rfl, rfb, clean, collateral = 0 }) {
    rate(r, "r");
    // The funding need: the clean value less collateral less what the FVA itself covers.
    return asymmetricDriver(rate(rfl, "rfl") - r, rate(rfb, "rfb") - r, r, (n, y) => {
      const v = stepArray(clean, n, y.length, "clean");
      const c = stepArray(collateral, n, y.length, "collateral");
      return y.map((yp, p) => v[p] - c[p] - yp);
    });
  },
};
