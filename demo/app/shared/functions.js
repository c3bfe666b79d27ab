// The elementary functions the app measures (shared by the page and the worker): default
// input range, whether the range is log-spaced, the float type, and the plain JavaScript
// that each replaces (for the throughput comparison; JS has no erf, so erff's stand-in is
// the float64 reference of tools/ulp.js).
export const FUNCTIONS = {
  expf: { lo: -80, hi: 80, js: "Math.exp(x)" },
  exp2f: { lo: -120, hi: 120, js: "2 ** x" },
  expm1f: { lo: -10, hi: 10, js: "Math.expm1(x)" },
  sigmoidf: { lo: -30, hi: 30, js: "1 / (1 + Math.exp(-x))" },
  tanhf: { lo: -10, hi: 10, js: "Math.tanh(x)" },
  logf: { lo: 1e-6, hi: 1e6, log: true, js: "Math.log(x)" },
  log2f: { lo: 1e-6, hi: 1e6, log: true, js: "Math.log2(x)" },
  log1pf: { lo: 1e-6, hi: 1e6, log: true, js: "Math.log1p(x)" },
  erff: { lo: -4, hi: 4, js: "erf(x) (tools/ulp.js)" },
  sinf: { lo: -100, hi: 100, js: "Math.sin(x)" },
  cosf: { lo: -100, hi: 100, js: "Math.cos(x)" },
  exp: { lo: -700, hi: 700, f64: true, js: "Math.exp(x)" },
  log: { lo: 1e-300, hi: 1e300, log: true, f64: true, js: "Math.log(x)" },
};
