// Smoothed-aggregation AMG setup kernels (Vaněk, Mandel, Brezina 1996), following PyAMG's
// amg_core (smoothed_aggregation.h) step for step so that hierarchies match PyAMG's:
//   saAggregate   symmetric strength of connection + standard aggregation (its three passes,
//                 quirks included: see below);
//   saTentative   the tentative prolongator T from near-null-space candidates B by a QR of
//                 each aggregate's block of B (fit_candidates), and the coarse candidates R;
//   saSmoothed    P = T − (ω/ρ)·D⁻¹·(A·T), given A·T in P's arrays (jacobi_prolongation_smoother);
//   saSpectralRadius  ρ(D⁻¹A) by Lanczos on D^{-1/2}·A·D^{-1/2};
//   gridAggregates    2 × 2 (× 2) blocks of grid cells as aggregates (Galerkin multigrid);
//   nodeMatrix…       the node (amalgamated) matrix of a system with several unknowns per
//                     node, whose aggregates are spread back to the unknowns.
// CSR arrays: indptr/indices i32, values f64, rows sorted. Scratch comes from the caller.
import { ld, ldi, st, sti } from "../blas/access";
import { daxpy, ddot, dscal } from "../blas/level1";
import { dmul } from "../blas/fused";
import { csrMatvec } from "../operators/csr";
import { sortIndices } from "../operators/sparse";

/**
 * Aggregates of an n-row CSR matrix A with diagonal d: `pof[i]` ← i's aggregate, or −1 for an
 * isolated row (no strong neighbour: it gets no coarse correction). Returns the count.
 * j ≠ i is a strong neighbour of i when a_ij² ≥ θ²·|a_ii|·|a_jj| (PyAMG's symmetric strength;
 * θ = 0 makes every stored entry strong). The passes are PyAMG's standard_aggregation:
 * 1. a row none of whose strong neighbours is aggregated yet roots an aggregate of itself and
 *    them; 2. a row left joins the first pass-1 aggregate among its strong neighbours;
 * 3. a row still left roots an aggregate of itself and its unaggregated strong neighbours.
 * Pass 3 reproduces PyAMG's numbering exactly, including that a neighbour marked ahead of
 * its visit ends up in the aggregate before the one that marked it.
 */
export function saAggregate(n: i32, ap: usize, aj: usize, ax: usize, pd: usize, theta: f64, pof: usize): i32 {
  const t2 = theta * theta;
  memory.fill(pof, 0, <usize>n << 2); // 0: unmarked; PyAMG's numbering is 1-based until pass 3
  let next = 1;
  for (let i = 0; i < n; i++) {
    if (ldi(pof, i) != 0) continue;
    const eps = t2 * Math.abs(ld(pd, i));
    let neighbours = false, aggregated = false;
    for (let k = ldi(ap, i), e = ldi(ap, i + 1); k < e; k++) {
      const j = ldi(aj, k);
      if (j == i || !strong(ld(ax, k), eps, pd, j)) continue;
      neighbours = true;
      if (ldi(pof, j) != 0) {
        aggregated = true;
        break;
      }
    }
    if (!neighbours) {
      sti(pof, i, -n); // isolated
    } else if (!aggregated) {
      sti(pof, i, next);
      for (let k = ldi(ap, i), e = ldi(ap, i + 1); k < e; k++) {
        const j = ldi(aj, k);
        if (j == i || strong(ld(ax, k), eps, pd, j)) sti(pof, j, next);
      }
      next++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (ldi(pof, i) != 0) continue;
    const eps = t2 * Math.abs(ld(pd, i));
    for (let k = ldi(ap, i), e = ldi(ap, i + 1); k < e; k++) {
      const j = ldi(aj, k);
      if (j != i && !strong(ld(ax, k), eps, pd, j)) continue;
      const xj = ldi(pof, j);
      if (xj > 0) {
        sti(pof, i, -xj);
        break;
      }
    }
  }
  next--;
  for (let i = 0; i < n; i++) {
    const xi = ldi(pof, i);
    if (xi != 0) {
      sti(pof, i, xi > 0 ? xi - 1 : xi == -n ? -1 : -xi - 1);
      continue;
    }
    const eps = t2 * Math.abs(ld(pd, i));
    sti(pof, i, next);
    for (let k = ldi(ap, i), e = ldi(ap, i + 1); k < e; k++) {
      const j = ldi(aj, k);
      if ((j == i || strong(ld(ax, k), eps, pd, j)) && ldi(pof, j) == 0) sti(pof, j, next);
    }
    next++;
  }
  return next;
}

// @ts-ignore: decorator
@inline function strong(a: f64, eps: f64, pd: usize, j: i32): bool {
  return a * a >= eps * Math.abs(ld(pd, j));
}

/** T's indptr (n + 1) for aggregates `pof` and k candidates; returns nnz(T). */
export function saTentativePattern(n: i32, k: i32, pof: usize, tp: usize): i32 {
  let nnz = 0;
  sti(tp, 0, 0);
  for (let i = 0; i < n; i++) {
    if (ldi(pof, i) >= 0) nnz += k;
    sti(tp, i + 1, nnz);
  }
  return nnz;
}

/**
 * The tentative prolongator T (n × count·k) of aggregates `pof` for the k candidates B
 * (n × k, column-major: k vectors of n) and the coarse candidates Bc (count·k × k,
 * column-major): for each
 * aggregate, its rows of B (in fine-row order) are orthonormalised by modified Gram–Schmidt,
 * giving T's block (Q) and Bc's (R), so that T·Bc = B on aggregated rows. A column whose norm
 * falls below 10⁻¹⁰ of its norm before orthogonalisation is dropped (zero), as PyAMG's
 * fit_candidates does. Row i of T holds k entries (columns of[i]·k …) when i is aggregated,
 * none otherwise: T's indptr comes from `saTentativePattern`. Scratch: `pstart` count + 1 i32,
 * `pmembers` n i32.
 */
export function saTentative(
  n: i32, k: i32, pof: usize, count: i32, pb: usize, tp: usize, tj: usize, tx: usize, pbc: usize, pstart: usize, pmembers: usize,
): void {
  // Members of each aggregate, in increasing row order (a counting sort).
  memory.fill(pstart, 0, (<usize>count + 1) << 2);
  for (let i = 0; i < n; i++) {
    const a = ldi(pof, i);
    if (a >= 0) sti(pstart, a + 1, ldi(pstart, a + 1) + 1);
  }
  for (let a = 0; a < count; a++) sti(pstart, a + 1, ldi(pstart, a + 1) + ldi(pstart, a));
  for (let i = 0; i < n; i++) {
    const a = ldi(pof, i);
    if (a < 0) continue;
    const q = ldi(pstart, a);
    sti(pmembers, q, i);
    sti(pstart, a, q + 1);
  }
  for (let a = count; a > 0; a--) sti(pstart, a, ldi(pstart, a - 1));
  sti(pstart, 0, 0);
  // T's pattern, with B's values as the first Q.
  for (let i = 0; i < n; i++) {
    const a = ldi(pof, i);
    if (a < 0) continue;
    const at = ldi(tp, i);
    for (let c = 0; c < k; c++) {
      sti(tj, at + c, a * k + c);
      st(tx, at + c, ld(pb, c * n + i));
    }
  }
  memory.fill(pbc, 0, (<usize>count * k * k) << 3);
  for (let a = 0; a < count; a++) {
    const m0 = ldi(pstart, a), m1 = ldi(pstart, a + 1);
    const nc = count * k, r = a * k; // R's block: rows a·k … a·k + k − 1 of Bc
    for (let cj = 0; cj < k; cj++) {
      let norm = 0.0;
      for (let m = m0; m < m1; m++) {
        const v = ld(tx, ldi(tp, ldi(pmembers, m)) + cj);
        norm += v * v;
      }
      const threshold = 1e-10 * Math.sqrt(norm);
      for (let ci = 0; ci < cj; ci++) {
        let dot = 0.0;
        for (let m = m0; m < m1; m++) {
          const at = ldi(tp, ldi(pmembers, m));
          dot += ld(tx, at + cj) * ld(tx, at + ci);
        }
        for (let m = m0; m < m1; m++) {
          const at = ldi(tp, ldi(pmembers, m));
          st(tx, at + cj, ld(tx, at + cj) - dot * ld(tx, at + ci));
        }
        st(pbc, cj * nc + r + ci, dot);
      }
      norm = 0.0;
      for (let m = m0; m < m1; m++) {
        const v = ld(tx, ldi(tp, ldi(pmembers, m)) + cj);
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      let scale = 0.0;
      if (norm > threshold) {
        scale = 1.0 / norm;
        st(pbc, cj * nc + r + cj, norm);
      }
      for (let m = m0; m < m1; m++) {
        const at = ldi(tp, ldi(pmembers, m)) + cj;
        st(tx, at, ld(tx, at) * scale);
      }
    }
  }
}

/**
 * P = T − s·D⁻¹·(A·T) in place, where P's arrays hold A·T (whose pattern contains T's, A's
 * diagonal being stored) and s = ω/ρ(D⁻¹A). Returns the number of T entries not found in
 * P's pattern (0 unless A lacks a stored diagonal entry).
 */
export function saSmoothed(
  n: i32, pp: usize, pj: usize, px: usize, pd: usize, s: f64, tp: usize, tj: usize, tx: usize,
): i32 {
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const f = -s / ld(pd, i);
    const e = ldi(pp, i + 1);
    let q = ldi(pp, i);
    for (let k = q; k < e; k++) st(px, k, f * ld(px, k));
    // T's row is sorted, as P's: one merge pass.
    for (let t = ldi(tp, i), te = ldi(tp, i + 1); t < te; t++) {
      const c = ldi(tj, t);
      while (q < e && ldi(pj, q) < c) q++;
      if (q < e && ldi(pj, q) == c) st(px, q, ld(px, q) + ld(tx, t));
      else missing++;
    }
  }
  return missing;
}

/**
 * ρ(D⁻¹A) of an n-row CSR matrix as the largest Ritz value of `steps` Lanczos steps on
 * D^{-1/2}·A·D^{-1/2} (similar to D⁻¹A, and symmetric when A is), from a fixed positive,
 * slightly irregular start vector. `pd` is A's diagonal; scratch `pwork` 5n f64 and
 * `ptri` 2·steps f64.
 */
export function saSpectralRadius(n: i32, ap: usize, aj: usize, ax: usize, pd: usize, steps: i32, pwork: usize, ptri: usize): f64 {
  const bytes = <usize>n << 3;
  const s = pwork, sv = pwork + 4 * bytes;
  let v = pwork + bytes, w = pwork + 2 * bytes, prev = pwork + 3 * bytes;
  let norm = 0.0;
  for (let i = 0; i < n; i++) {
    st(s, i, 1.0 / Math.sqrt(ld(pd, i)));
    const x = 1.0 + <f64>((i * 7919) % 13) / 13.0;
    st(v, i, x);
    norm += x * x;
  }
  dscal(n, 1.0 / Math.sqrt(norm), v);
  memory.fill(prev, 0, bytes);
  const alpha = ptri, beta = ptri + (<usize>steps << 3);
  let m = 0, b = 0.0;
  const limit = steps < n ? steps : n;
  for (let j = 0; j < limit; j++) {
    dmul(n, v, s, sv);
    csrMatvec(0, n, ap, aj, ax, sv, w);
    dmul(n, w, s, w); // w = S·A·S·v
    const a = ddot(n, v, w);
    daxpy(n, -a, v, w);
    if (b != 0.0) daxpy(n, -b, prev, w);
    st(alpha, m, a);
    m++;
    b = Math.sqrt(ddot(n, w, w));
    if (!(b > 1e-14 * Math.abs(a)) || j == limit - 1) break;
    st(beta, m - 1, b);
    // prev ← v, v ← w / b; the old prev becomes the next w.
    dscal(n, 1.0 / b, w);
    const free = prev;
    prev = v;
    v = w;
    w = free;
  }
  return tridiagonalMax(m, alpha, beta);
}

/** The largest eigenvalue of the symmetric tridiagonal matrix with diagonal α (m) and
 * off-diagonal β (m − 1), by bisection on Sturm counts inside the Gershgorin interval. */
function tridiagonalMax(m: i32, alpha: usize, beta: usize): f64 {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(ld(beta, i - 1)) : 0.0) + (i < m - 1 ? Math.abs(ld(beta, i)) : 0.0);
    lo = Math.min(lo, ld(alpha, i) - r);
    hi = Math.max(hi, ld(alpha, i) + r);
  }
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    // Eigenvalues below mid: sign changes of the LDLᵀ pivots of T − mid·I.
    let below = 0, q = 1.0;
    for (let i = 0; i < m; i++) {
      const b2 = i > 0 ? ld(beta, i - 1) * ld(beta, i - 1) : 0.0;
      q = ld(alpha, i) - mid - (i > 0 ? b2 / q : 0.0);
      if (q == 0.0) q = -1e-300;
      if (q < 0.0) below++;
    }
    if (below == m) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Geometric aggregates of an nx × ny × nz grid (x fastest): each 2 × 2 × 2 block of cells
 * (2 × 2 when nz = 1; odd sizes leave a thinner last block) is one aggregate, numbered on
 * the ⌈n/2⌉ grid. Returns the count.
 */
export function gridAggregates(nx: i32, ny: i32, nz: i32, pof: usize): i32 {
  const cx = (nx + 1) >> 1, cy = (ny + 1) >> 1, cz = (nz + 1) >> 1;
  let p = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = ((z >> 1) * cy + (y >> 1)) * cx;
      for (let x = 0; x < nx; x++) sti(pof, p++, row + (x >> 1));
    }
  }
  return cx * cy * cz;
}

/**
 * The node matrix of an n-row CSR matrix with bs unknowns per node (rows i·bs … i·bs + bs − 1
 * are node i's): entry (I, J) is the Frobenius norm of A's bs × bs block (I, J), as PyAMG's
 * strength of connection on a BSR matrix. Counting pass: nodes = n / bs rows' indptr at np_,
 * returning nnz; `pmark` is scratch of nodes i32.
 */
export function nodeMatrixCount(n: i32, bs: i32, ap: usize, aj: usize, np_: usize, pmark: usize): i32 {
  const nodes = n / bs;
  memory.fill(pmark, 0xff, <usize>nodes << 2);
  let nnz = 0;
  sti(np_, 0, 0);
  for (let I = 0; I < nodes; I++) {
    for (let k = ldi(ap, I * bs), e = ldi(ap, (I + 1) * bs); k < e; k++) {
      const J = ldi(aj, k) / bs;
      if (ldi(pmark, J) != I) {
        sti(pmark, J, I);
        nnz++;
      }
    }
    sti(np_, I + 1, nnz);
  }
  return nnz;
}

/** Fills the node matrix counted by `nodeMatrixCount` (columns sorted). Scratch: `pmark`
 * nodes i32, `pacc` nodes f64. */
export function nodeMatrix(n: i32, bs: i32, ap: usize, aj: usize, ax: usize, np_: usize, nj: usize, nx: usize, pmark: usize, pacc: usize): void {
  const nodes = n / bs;
  memory.fill(pmark, 0xff, <usize>nodes << 2);
  for (let I = 0; I < nodes; I++) {
    const start = ldi(np_, I);
    let len = 0;
    for (let k = ldi(ap, I * bs), e = ldi(ap, (I + 1) * bs); k < e; k++) {
      const J = ldi(aj, k) / bs, a = ld(ax, k);
      if (ldi(pmark, J) != I) {
        sti(pmark, J, I);
        st(pacc, J, a * a);
        sti(nj, start + len++, J);
      } else {
        st(pacc, J, ld(pacc, J) + a * a);
      }
    }
    sortIndices(nj + (<usize>start << 2), len);
    for (let q = 0; q < len; q++) st(nx, start + q, Math.sqrt(ld(pacc, ldi(nj, start + q))));
  }
}

/** Spreads node aggregates to their unknowns: of[i] ← nodeOf[i / bs], from the last row
 * down so that `of` may share its first n / bs entries with `nodeOf`. */
export function spreadAggregates(n: i32, bs: i32, pnodeof: usize, pof: usize): void {
  for (let i = n - 1; i >= 0; i--) sti(pof, i, ldi(pnodeof, i / bs));
}
