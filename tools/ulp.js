// The float64 references for the float32 elementary functions and the ULP error measure,
// shared by the tests, the benchmark and `npm run verify:elementary`. The references are
// accurate to about 1e-16 relative, far below the 1 ULP bound at issue.

export const REFERENCE = {
  expf: Math.exp,
  exp2f: (x) => 2 ** x,
  expm1f: Math.expm1,
  sigmoidf: (x) => 1 / (1 + Math.exp(-x)),
  tanhf: Math.tanh,
  logf: Math.log,
  log2f: Math.log2,
  log1pf: Math.log1p,
};

/** Error of y against the exact value r, in ULP of the float32 grid at r. */
export function ulpError(y, r) {
  const a = Math.abs(r);
  if (a > 3.4028234663852886e38) return y === (r > 0 ? Infinity : -Infinity) ? 0 : Infinity;
  const e = a < 1.1754943508222875e-38 ? -126 : Math.floor(Math.log2(a));
  // Math.log2 can land one off at the edges of a binade: fix with an exact comparison.
  const exp = a >= 2 ** (e + 1) ? e + 1 : a < 2 ** e && e > -126 ? e - 1 : e;
  return Math.abs(y - r) / 2 ** (Math.max(exp, -126) - 23);
}
