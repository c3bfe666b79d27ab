// Constants of a program: weighted least squares (Levenberg–Marquardt on a finite-difference
// Jacobian, since a program need not be linear in its constants) on Chebyshev nodes of the
// reduced interval with relative weights, Lawson iterations toward minimax, rounding to
// float32 (float64 targets keep float64 constants), then a coordinate search of ±1…±4 ulps
// per constant on the bit-exact maximum ULP error of the whole function.
import { compile } from "./program.js";
import { maxUlp } from "./target.js";

/** Solves the small dense system A x = b (Gaussian elimination, partial pivoting). */
function solve(A, b) {
  const n = b.length,
    M = A.map((row, i) => [...row, b[i]]);
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(M[i][j]) > Math.abs(M[p][j])) p = i;
    [M[j], M[p]] = [M[p], M[j]];
    if (Math.abs(M[j][j]) < 1e-300) return undefined;
    for (let i = j + 1; i < n; i++) {
      const f = M[i][j] / M[j][j];
      for (let k = j; k <= n; k++) M[i][k] -= f * M[j][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let k = i + 1; k < n; k++) s -= M[i][k] * x[k];
    x[i] = s / M[i][i];
  }
  return x.every(Number.isFinite) ? x : undefined;
}

/** Levenberg–Marquardt on Σ w_i (P(r_i; c) − g_i)²; returns improved constants. */
function lm(P, c, rs, g, w, iterations) {
  const K = c.length,
    m = rs.length;
  const resid = (cc) => rs.map((r, i) => w[i] * (P(r, cc) - g[i]));
  const norm = (v) => v.reduce((s, x) => s + x * x, 0);
  let cur = c.slice(),
    res = resid(cur),
    val = norm(res),
    mu = 1e-6;
  if (!Number.isFinite(val)) return c;
  for (let it = 0; it < iterations; it++) {
    const J = Array.from({ length: m }, () => new Array(K));
    for (let k = 0; k < K; k++) {
      const h = 1e-7 * Math.max(Math.abs(cur[k]), 1e-3);
      const cc = cur.slice();
      cc[k] += h;
      const r2 = resid(cc);
      for (let i = 0; i < m; i++) J[i][k] = (r2[i] - res[i]) / h;
    }
    const JtJ = Array.from({ length: K }, (_, a) => Array.from({ length: K }, (_, b) => J.reduce((s, row) => s + row[a] * row[b], 0)));
    const Jtr = Array.from({ length: K }, (_, a) => J.reduce((s, row, i) => s + row[a] * res[i], 0));
    let improved = false;
    for (let tries = 0; tries < 8; tries++) {
      const A = JtJ.map((row, a) => row.map((v, b) => (a === b ? v * (1 + mu) + 1e-300 : v)));
      const d = solve(
        A,
        Jtr.map((v) => -v),
      );
      if (!d) {
        mu *= 10;
        continue;
      }
      const next = cur.map((v, k) => v + d[k]);
      const r2 = resid(next),
        v2 = norm(r2);
      if (v2 < val) {
        cur = next;
        res = r2;
        const gain = val - v2;
        val = v2;
        mu = Math.max(mu / 10, 1e-12);
        improved = gain > 1e-15 * val;
        break;
      }
      mu *= 10;
    }
    if (!improved) break;
  }
  return cur;
}

/**
 * Fits the constants of program p for `target`, starting from `start` (inherited constants;
 * undefined entries start random). Returns { c (values in the target's format), ulp, at } or undefined
 * when the fit fails.
 */
export function fitConstants(p, target, xs, start, rand, { lawson = 12, search = true } = {}) {
  const P = compile(p, false);
  const m = 160;
  const [a, b] = target.interval;
  const rs = Array.from({ length: m }, (_, i) => 0.5 * (a + b) + 0.5 * (b - a) * Math.cos((Math.PI * (i + 0.5)) / m));
  rs.push(a, b);
  const g = rs.map(target.kernel);
  let w = rs.map((r) => target.weight(r));
  let c = Array.from({ length: p.nconst }, (_, k) => (start && Number.isFinite(start[k]) ? start[k] : (rand() - 0.5) * 2 ** -Math.floor(rand() * 8)));
  c = lm(P, c, rs, g, w, 40);
  // Lawson: reweight by the relative error so the fit moves toward minimax.
  for (let it = 0; it < lawson; it++) {
    const err = rs.map((r, i) => Math.abs((P(r, c) - g[i]) * target.weight(r)));
    const s = err.reduce((x, y) => x + y, 0);
    if (!(s > 0)) break;
    w = w.map((v, i) => v * Math.sqrt((m * err[i]) / s + 1e-3));
    c = lm(P, c, rs, g, w, 8);
  }
  if (!c.every(Number.isFinite)) return undefined;
  const f64 = target.dtype === "f64";
  let cf = f64 ? c.slice() : c.map(Math.fround);
  const F = compile(p, !f64);
  const score = (cc) => maxUlp(target, (r) => F(r, cc), xs);
  let best = score(cf);
  if (!Number.isFinite(best.ulp)) return undefined;
  if (search) {
    // k units in the last place of the constant's own format.
    const step = (v, k) => {
      if (f64) {
        const buf = new Float64Array([v]),
          bits = new BigInt64Array(buf.buffer);
        bits[0] += BigInt(v >= 0 ? k : -k);
        return buf[0];
      }
      const buf = new Float32Array([v]),
        bits = new Int32Array(buf.buffer);
      bits[0] += v >= 0 ? k : -k;
      return buf[0];
    };
    for (let pass = 0; pass < 3; pass++) {
      let changed = false;
      for (let j = 0; j < cf.length; j++) {
        for (const k of [1, -1, 2, -2, 4, -4]) {
          const trial = cf.slice();
          trial[j] = step(cf[j], k);
          const s = score(trial);
          if (s.ulp < best.ulp) {
            best = s;
            cf = trial;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
  }
  return { c: cf, ulp: best.ulp, at: best.at };
}
