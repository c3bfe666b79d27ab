// Plain-JavaScript references for the nonsymmetric and indefinite Krylov solvers, written
// from the textbooks (Saad 2003, Algorithms 6.9 and 7.7; Paige–Saunders as in SciPy's
// minres.py) with no shared code: test/krylov-ns.test.js checks solvewasm's wasm loops
// against them iteration by iteration.

import { csrMatvecRef as matvec } from "./_helpers.js";

const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm = (a) => Math.sqrt(dot(a, a));

/** ‖b − A·x‖ / ‖b‖ in plain JavaScript. */
export function relativeResidual(A, x, b) {
  const y = matvec(A, x);
  return norm(y.map((v, i) => b[i] - v)) / norm(b);
}

/** Unpreconditioned GMRES(m) from x0 = 0: residual estimates per inner iteration. */
export function gmresReference(A, b, { m, rtol, maxiter }) {
  const n = b.length;
  const x = new Float64Array(n);
  const tol = rtol * norm(b);
  const history = [norm(b)];
  let iterations = 0;
  while (iterations < maxiter) {
    const r = b.map((v, i) => v - matvec(A, x)[i]);
    const beta = norm(r);
    if (beta <= tol) break;
    const V = [r.map((v) => v / beta)];
    const H = Array.from({ length: m + 1 }, () => new Float64Array(m));
    const cs = [],
      sn = [];
    const g = new Float64Array(m + 1);
    g[0] = beta;
    let j = 0;
    for (; j < m && iterations < maxiter; j++) {
      const w = matvec(A, V[j]);
      const before = norm(w);
      for (let i = 0; i <= j; i++) {
        H[i][j] = dot(w, V[i]);
        for (let l = 0; l < n; l++) w[l] -= H[i][j] * V[i][l];
      }
      if (before + 1e-3 * norm(w) === before) {
        for (let i = 0; i <= j; i++) {
          const c = dot(w, V[i]);
          H[i][j] += c;
          for (let l = 0; l < n; l++) w[l] -= c * V[i][l];
        }
      }
      H[j + 1][j] = norm(w);
      V.push(w.map((v) => v / H[j + 1][j]));
      for (let i = 0; i < j; i++) {
        const t = cs[i] * H[i][j] + sn[i] * H[i + 1][j];
        H[i + 1][j] = cs[i] * H[i + 1][j] - sn[i] * H[i][j];
        H[i][j] = t;
      }
      const rho = Math.hypot(H[j][j], H[j + 1][j]);
      cs[j] = H[j][j] / rho;
      sn[j] = H[j + 1][j] / rho;
      H[j][j] = rho;
      g[j + 1] = -sn[j] * g[j];
      g[j] = cs[j] * g[j];
      iterations++;
      history.push(Math.abs(g[j + 1]));
      if (Math.abs(g[j + 1]) <= tol) {
        j++;
        break;
      }
    }
    const y = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let t = g[i];
      for (let l = i + 1; l < j; l++) t -= H[i][l] * y[l];
      y[i] = t / H[i][i];
    }
    for (let i = 0; i < j; i++) for (let l = 0; l < n; l++) x[l] += y[i] * V[i][l];
    if (history.at(-1) <= tol) break;
  }
  return { x, iterations, history };
}

/** Unpreconditioned BiCGSTAB from x0 = 0 (r̂ = r0): ‖r‖ after each iteration. */
export function bicgstabReference(A, b, { rtol, maxiter }) {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const rhat = Float64Array.from(b);
  const tol = rtol * norm(b);
  let p = Float64Array.from(r);
  let v = new Float64Array(n);
  let rho = dot(rhat, r),
    alpha = 1,
    omega = 1;
  const history = [norm(b)];
  for (let it = 0; it < maxiter; it++) {
    if (it > 0) {
      const rhoNew = dot(rhat, r);
      const beta = (rhoNew / rho) * (alpha / omega);
      rho = rhoNew;
      p = p.map((pi, i) => r[i] + beta * (pi - omega * v[i]));
    }
    v = matvec(A, p);
    alpha = rho / dot(rhat, v);
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * v[i];
    }
    if (norm(r) <= tol) {
      history.push(norm(r));
      break;
    }
    const t = matvec(A, r);
    omega = dot(t, r) / dot(t, t);
    for (let i = 0; i < n; i++) {
      x[i] += omega * r[i];
      r[i] -= omega * t[i];
    }
    history.push(norm(r));
    if (norm(r) <= tol) break;
  }
  return { x, iterations: history.length - 1, history };
}

/** Unpreconditioned MINRES from x0 = 0 (SciPy's minres.py recurrences): φ̄ per iteration. */
export function minresReference(A, b, { rtol, maxiter }) {
  const n = b.length;
  const x = new Float64Array(n);
  const tol = rtol * norm(b);
  let r1 = Float64Array.from(b),
    r2 = Float64Array.from(b),
    y = Float64Array.from(b);
  let beta = norm(b),
    oldb = 0,
    dbar = 0,
    epsln = 0,
    phibar = beta,
    cs = -1,
    sn = 0;
  let w = new Float64Array(n),
    w2 = new Float64Array(n);
  const history = [beta];
  for (let it = 0; it < maxiter; it++) {
    const v = y.map((c) => c / beta);
    y = matvec(A, v);
    if (it > 0) y = y.map((c, i) => c - (beta / oldb) * r1[i]);
    const alfa = dot(v, y);
    y = y.map((c, i) => c - (alfa / beta) * r2[i]);
    r1 = r2;
    r2 = y;
    y = Float64Array.from(r2);
    oldb = beta;
    beta = norm(r2);
    const oldeps = epsln;
    const delta = cs * dbar + sn * alfa;
    const gbar = sn * dbar - cs * alfa;
    epsln = sn * beta;
    dbar = -cs * beta;
    const gamma = Math.max(Math.hypot(gbar, beta), Number.EPSILON);
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar = sn * phibar;
    const w1 = w2;
    w2 = w;
    w = v.map((c, i) => (c - oldeps * w1[i] - delta * w2[i]) / gamma);
    for (let i = 0; i < n; i++) x[i] += phi * w[i];
    history.push(phibar);
    if (phibar <= tol) break;
  }
  return { x, iterations: history.length - 1, history };
}
