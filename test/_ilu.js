// Plain JavaScript references for the incomplete LU preconditioners (precond.ilu0, ilut),
// written from the definitions rather than from bindings/krylov/ilu.ts: rows as Maps and
// dense work rows, no heaps, no shared code. Also triangular solves and a right-
// preconditioned restarted GMRES for the iteration-count tests.

/**
 * @typedef {{ rows: number, cols: number, indptr: Int32Array, indices: Int32Array, data: Float64Array }} Csr
 * @typedef {{ L: Csr, U: Csr, modifiedPivots: number }} Factors
 */

/**
 * ‖a_i‖₂ of each row.
 * @param {Csr} A
 * @returns {Float64Array}
 */
function rowNorms(A) {
  const out = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) s += A.data[k] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * Rows as sorted [column, value] lists → CSR.
 * @param {[number, number][][]} rows
 * @returns {Csr}
 */
function toCsr(rows) {
  const n = rows.length;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + rows[i].length;
  const indices = new Int32Array(indptr[n]),
    data = new Float64Array(indptr[n]);
  let q = 0;
  for (const row of rows) {
    for (const [j, v] of row) {
      indices[q] = j;
      data[q++] = v;
    }
  }
  return { rows: n, cols: n, indptr, indices, data };
}

/**
 * The pivot rule: |u| below (1e-4 + τ)·‖a_i‖₂ becomes ±that (+ for 0).
 * @param {number} u
 * @param {number} floor
 */
function pivot(u, floor) {
  if (Math.abs(u) >= floor) return u;
  return u < 0 ? -floor : floor;
}

/**
 * ILU(0), Saad's Algorithm 10.4 (IKJ) on a row-Map copy of A. L is returned with its unit
 * diagonal stored last in each row, U with the pivot first.
 * @param {Csr} A
 * @returns {Factors}
 */
export function ilu0Reference(A) {
  const n = A.rows;
  const norms = rowNorms(A);
  /** @type {Map<number, number>[]} */
  const rows = [];
  for (let i = 0; i < n; i++) {
    const m = new Map();
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) m.set(A.indices[k], A.data[k]);
    rows.push(m);
  }
  let modifiedPivots = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const cols = [...row.keys()].sort((a, b) => a - b);
    for (const k of cols) {
      if (k >= i) break;
      const lik = /** @type {number} */ (row.get(k)) / /** @type {number} */ (rows[k].get(k));
      row.set(k, lik);
      for (const j of [...rows[k].keys()].sort((a, b) => a - b)) {
        if (j > k && row.has(j)) row.set(j, /** @type {number} */ (row.get(j)) - lik * /** @type {number} */ (rows[k].get(j)));
      }
    }
    const u = /** @type {number} */ (row.get(i));
    const fixed = pivot(u, 1e-4 * norms[i]);
    if (fixed !== u) modifiedPivots++;
    row.set(i, fixed);
  }
  /** @type {[number, number][][]} */
  const L = [];
  /** @type {[number, number][][]} */
  const U = [];
  for (let i = 0; i < n; i++) {
    const entries = [...rows[i].entries()].sort((a, b) => a[0] - b[0]);
    L.push([...entries.filter(([j]) => j < i), [i, 1]]);
    U.push(entries.filter(([j]) => j >= i));
  }
  return { L: toCsr(L), U: toCsr(U), modifiedPivots };
}

/**
 * ILUT(τ, p) with a dense work row scanned left to right: a k < i with w_k ≠ 0 is dropped
 * when |w_k| < τ·‖a_i‖₂, else l_ik = w_k/u_kk and w −= l_ik·u_k; then the U part keeps the
 * entries ≥ τ·‖a_i‖₂ (nonzero), and L and U each keep their p largest (L by |w_k| before the
 * division, U by |u_ij|; ties to the lower column). The diagonal always stays.
 * @param {Csr} A
 * @param {number} tau
 * @param {number} p
 * @returns {Factors}
 */
export function ilutReference(A, tau, p) {
  const n = A.rows;
  const norms = rowNorms(A);
  /** @type {[number, number][][]} */
  const L = [];
  /** @type {[number, number][][]} */
  const U = [];
  let modifiedPivots = 0;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = tau * norms[i];
    w.fill(0);
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) w[A.indices[k]] = A.data[k];
    /** @type {[number, number, number][]} column, l_ik, |w_k| */
    const lower = [];
    for (let k = 0; k < i; k++) {
      if (w[k] === 0) continue;
      if (Math.abs(w[k]) < t) {
        w[k] = 0;
        continue;
      }
      const size = Math.abs(w[k]);
      const urow = U[k];
      const lik = w[k] / urow[0][1];
      lower.push([k, lik, size]);
      w[k] = 0;
      for (let q = 1; q < urow.length; q++) w[urow[q][0]] -= lik * urow[q][1];
    }
    /** @type {[number, number][]} */
    const upper = [];
    for (let j = i + 1; j < n; j++) if (w[j] !== 0 && Math.abs(w[j]) >= t) upper.push([j, w[j]]);
    const keepL = lower
      .sort((a, b) => b[2] - a[2] || a[0] - b[0])
      .slice(0, p)
      .sort((a, b) => a[0] - b[0]);
    const keepU = upper
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0])
      .slice(0, p)
      .sort((a, b) => a[0] - b[0]);
    const u = pivot(w[i], (1e-4 + tau) * norms[i]);
    if (u !== w[i]) modifiedPivots++;
    L.push([...keepL.map(([j, v]) => /** @type {[number, number]} */ ([j, v])), [i, 1]]);
    U.push([[i, u], ...keepU]);
  }
  return { L: toCsr(L), U: toCsr(U), modifiedPivots };
}

/**
 * z = U⁻¹·L⁻¹·r for L lower triangular (diagonal last) and U upper (diagonal first).
 * @param {Factors | { L: Csr, U: Csr }} f
 * @param {ArrayLike<number>} r
 * @returns {Float64Array}
 */
export function luSolveReference({ L, U }, r) {
  const n = L.rows;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = r[i];
    const last = L.indptr[i + 1] - 1;
    for (let k = L.indptr[i]; k < last; k++) s -= L.data[k] * y[L.indices[k]];
    y[i] = s / L.data[last];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    const first = U.indptr[i];
    for (let k = first + 1; k < U.indptr[i + 1]; k++) s -= U.data[k] * x[U.indices[k]];
    x[i] = s / U.data[first];
  }
  return x;
}

/**
 * Restarted GMRES(m) with right preconditioning (A·M⁻¹·u = b, x = M⁻¹·u), modified
 * Gram–Schmidt and Givens rotations, x0 = 0. Stops when the true residual ‖b − A·x‖ ≤
 * rtol·‖b‖ (checked when the recursive estimate passes it, and at each restart).
 * @param {(x: Float64Array) => Float64Array} matvec
 * @param {((r: Float64Array) => Float64Array) | undefined} precond
 * @param {Float64Array} b
 * @param {{ restart?: number, rtol?: number, maxiter?: number }} [options]
 * @returns {{ x: Float64Array, iterations: number, converged: boolean, relres: number }}
 */
export function gmresReference(matvec, precond, b, { restart = 30, rtol = 1e-8, maxiter = 1000 } = {}) {
  const n = b.length;
  const M = precond ?? ((/** @type {Float64Array} */ r) => r.slice());
  const norm = (/** @type {Float64Array} */ v) => Math.sqrt(v.reduce((s, t) => s + t * t, 0));
  const bnorm = norm(b);
  const x = new Float64Array(n);
  let iterations = 0;
  let relres = 1;
  while (iterations < maxiter) {
    const Ax = matvec(x);
    const r = b.map((v, i) => v - Ax[i]);
    const beta = norm(r);
    relres = beta / bnorm;
    if (relres <= rtol) return { x, iterations, converged: true, relres };
    const V = [r.map((v) => v / beta)];
    const H = Array.from({ length: restart + 1 }, () => new Float64Array(restart));
    const cs = new Float64Array(restart),
      sn = new Float64Array(restart);
    const g = new Float64Array(restart + 1);
    g[0] = beta;
    let j = 0;
    for (; j < restart && iterations < maxiter; j++) {
      iterations++;
      const w = matvec(M(V[j]));
      for (let i = 0; i <= j; i++) {
        let h = 0;
        for (let q = 0; q < n; q++) h += w[q] * V[i][q];
        H[i][j] = h;
        for (let q = 0; q < n; q++) w[q] -= h * V[i][q];
      }
      const hn = norm(w);
      H[j + 1][j] = hn;
      V.push(w.map((v) => v / hn));
      for (let i = 0; i < j; i++) {
        const t = cs[i] * H[i][j] + sn[i] * H[i + 1][j];
        H[i + 1][j] = -sn[i] * H[i][j] + cs[i] * H[i + 1][j];
        H[i][j] = t;
      }
      const d = Math.hypot(H[j][j], H[j + 1][j]);
      cs[j] = H[j][j] / d;
      sn[j] = H[j + 1][j] / d;
      H[j][j] = d;
      H[j + 1][j] = 0;
      g[j + 1] = -sn[j] * g[j];
      g[j] = cs[j] * g[j];
      if (Math.abs(g[j + 1]) / bnorm <= rtol || hn === 0) {
        j++;
        break;
      }
    }
    // y = H⁻¹·g on the j × j triangle; x += M⁻¹·(V·y).
    const y = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let s = g[i];
      for (let k = i + 1; k < j; k++) s -= H[i][k] * y[k];
      y[i] = s / H[i][i];
    }
    const u = new Float64Array(n);
    for (let i = 0; i < j; i++) for (let q = 0; q < n; q++) u[q] += y[i] * V[i][q];
    const dx = M(u);
    for (let q = 0; q < n; q++) x[q] += dx[q];
  }
  const Ax = matvec(x);
  relres = norm(b.map((v, i) => v - Ax[i])) / bnorm;
  return { x, iterations, converged: relres <= rtol, relres };
}
