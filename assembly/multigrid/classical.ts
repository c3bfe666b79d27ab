// Classical (Ruge–Stüben) AMG setup kernels: strength of connection, C/F splitting (RS first
// pass, PMIS) and the prolongator (direct, classical, extended+i interpolation; truncation).
// CSR arrays in wasm memory (f64 values, i32 indices sorted within each row); scratch comes
// from the caller (bindings/multigrid/classical.ts); nothing here allocates or throws.
//
// Provenance (both read, algorithms re-implemented here):
// - PyAMG 5.3 (MIT), pyamg/amg_core/ruge_stuben.h: rs_cf_splitting (ported data structure
//   and order of operations, so the splitting is PyAMG's exactly), rs_direct_interpolation,
//   rs_classical_interpolation with modified = true (and remove_strong_FF_connections).
// - hypre (Apache-2.0 / MIT), src/parcsr_ls/par_strength.c (hypre_BoomerAMGCreateS: the
//   signed measure), par_coarsen.c (CoarsenPMIS), par_lr_interp.c
//   (hypre_BoomerAMGBuildExtPIInterpHost: extended+i, interp type 6), parcsr_mv/
//   par_csr_matrix.c (hypre_ParCSRMatrixTruncate, what hypre_BoomerAMGInterpTruncation
//   calls): followed as they run on one process.
//
// The splitting is one i8 per point: CF_C (coarse), CF_F (fine), CF_ISO (fine with no strong
// connection either way: a zero row of P, and hypre's SF_PT for extended+i's lumping).
import { ld, ldi } from "../blas/access";

// @ts-ignore: decorator
@inline const CF_C: i8 = 1;
// @ts-ignore: decorator
@inline const CF_F: i8 = 0;
// @ts-ignore: decorator
@inline const CF_ISO: i8 = -1;
// @ts-ignore: decorator
@inline const CF_U: i8 = 2; // undecided, during a splitting only
// @ts-ignore: decorator
@inline const CF_PRE_F: i8 = 3; // RS: a neighbour of the new C point, before its λ updates
// @ts-ignore: decorator
@inline const CF_NEW_C: i8 = 4; // PMIS: chosen this round

// @ts-ignore: decorator
@inline function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline function cfAt(p: usize, i: i32): i8 {
  return load<i8>(p + <usize>i);
}

// @ts-ignore: decorator
@inline function setCf(p: usize, i: i32, v: i8): void {
  store<i8>(p + <usize>i, v);
}

// ---------------------------------------------------------------------------------------
// Strength of connection

/**
 * The strength matrix S of an n × n CSR matrix A, pattern only: its indptr (n + 1) at sp,
 * its column indices (sorted in each row) at sj, which must hold nnz(A) (S ⊂ A: one pass,
 * no counting pass; the block is scratch). Returns nnz(S).
 *
 * The measure is hypre_BoomerAMGCreateS's signed one with PyAMG's
 * classical_strength_of_connection_min's ≥: with s = −1 when a_ii < 0 and +1 otherwise,
 * j ≠ i is strong for i when v = −s·a_ij satisfies v ≥ θ·max_{k≠i}(−s·a_ik) and v > 0 (so a
 * row whose off-diagonals all have a_ii's sign, or are zero, has none). hypre tests
 * v > θ·max (strictly); the two differ only at exact equality.
 */
export function classicalStrength(n: i32, ap: usize, aj: usize, ax: usize, theta: f64, sp: usize, sj: usize): i32 {
  let nnz = 0;
  sti(sp, 0, 0);
  for (let i = 0; i < n; i++) {
    const a0 = ldi(ap, i), a1 = ldi(ap, i + 1);
    let diag = 0.0, maxNeg = 0.0, maxPos = 0.0;
    for (let k = a0; k < a1; k++) {
      const a = ld(ax, k);
      if (ldi(aj, k) == i) diag = a;
      else {
        maxNeg = max(maxNeg, -a);
        maxPos = max(maxPos, a);
      }
    }
    const sign = diag < 0 ? 1.0 : -1.0; // v = sign·a_ij (exact)
    const m = diag < 0 ? maxPos : maxNeg;
    if (m > 0) {
      const threshold = theta * m;
      for (let k = a0; k < a1; k++) {
        const j = ldi(aj, k);
        const v = sign * ld(ax, k);
        if (v >= threshold && v > 0 && j != i) sti(sj, nnz++, j);
      }
    }
    sti(sp, i + 1, nnz);
  }
  return nnz;
}

// ---------------------------------------------------------------------------------------
// C/F splittings. S (sp, sj) without its diagonal, T = Sᵀ (tp, tj; csrTranspose of S's
// pattern). Both return the number of C points.

/** Marks CF_ISO the undecided points with no strong connection either way. */
function markIsolated(n: i32, sp: usize, tp: usize, cf: usize): void {
  for (let i = 0; i < n; i++) {
    if (ldi(sp, i) == ldi(sp, i + 1) && ldi(tp, i) == ldi(tp, i + 1)) setCf(cf, i, CF_ISO);
  }
}

/**
 * Ruge–Stüben first pass, as PyAMG's rs_cf_splitting (the same data structure and order of
 * operations, so the same splitting): points sorted by λ_i = |Sᵀ_i| in one array of
 * intervals (one interval per λ value, O(1) moves); repeatedly the last point of the
 * array (largest λ) becomes C, the undecided points that depend on it F, each new F point's
 * undecided dependencies k get λ_k + 1 (moved to the top of their interval, then into the
 * next), and the C point's own undecided dependencies λ − 1 (moved to the bottom of theirs).
 * Ties therefore go: initially to the highest index among equal λ; afterwards to the point
 * most recently moved into the top interval. Points with λ = 0 (nothing depends on them)
 * are F from the start, and undecided points left when the largest λ is 0 become F.
 * Scratch: node 2n i32, interval 2(n + 1) i32, i2n n i32.
 */
export function rsSplitting(n: i32, sp: usize, sj: usize, tp: usize, tj: usize, cf: usize, node: usize, interval: usize, i2n: usize): i32 {
  // node: (λ, position) per point; interval: (start, count) per λ, interleaved so that one
  // move touches few cache lines. λ ≤ n − 1 (S has no diagonal) and increments stop at
  // n − 1: n + 1 intervals suffice.
  memory.fill(interval, 0, (<usize>n + 1) << 3);
  for (let i = 0; i < n; i++) {
    const l = ldi(tp, i + 1) - ldi(tp, i);
    setLambda(node, i, l);
    setCount(interval, l, countOf(interval, l) + 1);
  }
  for (let l = 0, sum = 0; l <= n; l++) {
    const c = countOf(interval, l);
    setStart(interval, l, sum);
    sum += c;
    setCount(interval, l, 0);
  }
  for (let i = 0; i < n; i++) {
    const l = lambdaOf(node, i);
    const c = countOf(interval, l);
    const index = startOf(interval, l) + c;
    sti(i2n, index, i);
    setPos(node, i, index);
    setCount(interval, l, c + 1);
  }
  for (let i = 0; i < n; i++) setCf(cf, i, lambdaOf(node, i) == 0 ? CF_F : CF_U);
  let nc = 0;
  for (let top = n - 1; top >= 0; top--) {
    const i = ldi(i2n, top);
    const li = lambdaOf(node, i);
    setCount(interval, li, countOf(interval, li) - 1);
    if (li <= 0) break;
    if (cfAt(cf, i) != CF_U) continue;
    setCf(cf, i, CF_C);
    nc++;
    const t0 = ldi(tp, i), t1 = ldi(tp, i + 1);
    for (let q = t0; q < t1; q++) {
      const j = ldi(tj, q);
      if (cfAt(cf, j) == CF_U) setCf(cf, j, CF_PRE_F);
    }
    for (let q = t0; q < t1; q++) {
      const j = ldi(tj, q);
      if (cfAt(cf, j) != CF_PRE_F) continue;
      setCf(cf, j, CF_F);
      for (let r = ldi(sp, j), re = ldi(sp, j + 1); r < re; r++) {
        const k = ldi(sj, r);
        if (cfAt(cf, k) != CF_U) continue;
        const lk = lambdaOf(node, k);
        if (lk >= n - 1) continue;
        // To the top of its interval, which then becomes interval λ + 1's bottom.
        const ck = countOf(interval, lk);
        const newPos = startOf(interval, lk) + ck - 1;
        swapPositions(node, i2n, k, newPos);
        setCount(interval, lk, ck - 1);
        setCount(interval, lk + 1, countOf(interval, lk + 1) + 1);
        setStart(interval, lk + 1, newPos);
        setLambda(node, k, lk + 1);
      }
    }
    for (let q = ldi(sp, i), qe = ldi(sp, i + 1); q < qe; q++) {
      const j = ldi(sj, q);
      if (cfAt(cf, j) != CF_U) continue;
      const lj = lambdaOf(node, j);
      if (lj == 0) continue;
      // To the bottom of its interval, which then becomes interval λ − 1's top.
      const start = startOf(interval, lj);
      swapPositions(node, i2n, j, start);
      setCount(interval, lj, countOf(interval, lj) - 1);
      const below = countOf(interval, lj - 1) + 1;
      setCount(interval, lj - 1, below);
      setStart(interval, lj, start + 1);
      setStart(interval, lj - 1, start + 1 - below);
      setLambda(node, j, lj - 1);
    }
  }
  for (let i = 0; i < n; i++) if (cfAt(cf, i) == CF_U) setCf(cf, i, CF_F);
  markIsolated(n, sp, tp, cf);
  return nc;
}

// @ts-ignore: decorator
@inline function lambdaOf(node: usize, i: i32): i32 {
  return load<i32>(node + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function setLambda(node: usize, i: i32, v: i32): void {
  store<i32>(node + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function posOf(node: usize, i: i32): i32 {
  return load<i32>(node + (<usize>i << 3), 4);
}
// @ts-ignore: decorator
@inline function setPos(node: usize, i: i32, v: i32): void {
  store<i32>(node + (<usize>i << 3), v, 4);
}
// @ts-ignore: decorator
@inline function startOf(interval: usize, l: i32): i32 {
  return load<i32>(interval + (<usize>l << 3));
}
// @ts-ignore: decorator
@inline function setStart(interval: usize, l: i32, v: i32): void {
  store<i32>(interval + (<usize>l << 3), v);
}
// @ts-ignore: decorator
@inline function countOf(interval: usize, l: i32): i32 {
  return load<i32>(interval + (<usize>l << 3), 4);
}
// @ts-ignore: decorator
@inline function setCount(interval: usize, l: i32, v: i32): void {
  store<i32>(interval + (<usize>l << 3), v, 4);
}

/** Exchanges the array positions of point k and of the point at position p. */
// @ts-ignore: decorator
@inline function swapPositions(node: usize, i2n: usize, k: i32, p: i32): void {
  const q = posOf(node, k);
  const other = ldi(i2n, p);
  setPos(node, other, q);
  setPos(node, k, p);
  sti(i2n, q, other);
  sti(i2n, p, k);
}

/** The tie-breaker of PMIS: a bijective 32-bit mix of the row index (Wellons' lowbias32),
 * so weights λ_i + h(i)/2³² never tie and are the same in every runtime. */
// @ts-ignore: decorator
@inline function mix32(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

/**
 * PMIS (De Sterck, Yang, Heys 2006; hypre_BoomerAMGCoarsenPMIS on one process): weights
 * w_i = |Sᵀ_i| + h(i)/2³², compared as the pair (|Sᵀ_i|, h(i)) (exact, no floating point).
 * Points nothing depends on are F from the start (hypre: measure < 1). Each round, every
 * undecided point whose weight exceeds that of all its undecided neighbours in S ∪ Sᵀ
 * becomes C, then every undecided point that depends strongly on a new C point becomes F.
 * Scratch: key n u64, list n i32.
 */
export function pmisSplitting(n: i32, sp: usize, sj: usize, tp: usize, tj: usize, cf: usize, key: usize, list: usize): i32 {
  let left = 0;
  for (let i = 0; i < n; i++) {
    const l = ldi(tp, i + 1) - ldi(tp, i);
    store<u64>(key + (<usize>i << 3), (<u64>l << 32) | <u64>mix32(<u32>i));
    if (l == 0) setCf(cf, i, CF_F);
    else {
      setCf(cf, i, CF_U);
      sti(list, left++, i);
    }
  }
  let nc = 0;
  while (left > 0) {
    for (let q = 0; q < left; q++) {
      const i = ldi(list, q);
      const ki = load<u64>(key + (<usize>i << 3));
      let best = true;
      for (let r = ldi(sp, i), re = ldi(sp, i + 1); r < re && best; r++) {
        const j = ldi(sj, r);
        const c = cfAt(cf, j);
        if ((c == CF_U || c == CF_NEW_C) && load<u64>(key + (<usize>j << 3)) > ki) best = false;
      }
      for (let r = ldi(tp, i), re = ldi(tp, i + 1); r < re && best; r++) {
        const j = ldi(tj, r);
        const c = cfAt(cf, j);
        if ((c == CF_U || c == CF_NEW_C) && load<u64>(key + (<usize>j << 3)) > ki) best = false;
      }
      if (best) setCf(cf, i, CF_NEW_C);
    }
    for (let q = 0; q < left; q++) {
      const i = ldi(list, q);
      if (cfAt(cf, i) != CF_NEW_C) continue;
      setCf(cf, i, CF_C);
      nc++;
      for (let r = ldi(tp, i), re = ldi(tp, i + 1); r < re; r++) {
        const j = ldi(tj, r);
        if (cfAt(cf, j) == CF_U) setCf(cf, j, CF_F);
      }
    }
    let kept = 0;
    for (let q = 0; q < left; q++) {
      const i = ldi(list, q);
      if (cfAt(cf, i) == CF_U) sti(list, kept++, i);
    }
    left = kept;
  }
  markIsolated(n, sp, tp, cf);
  return nc;
}

/** Coarse column of each C point, numbered in increasing fine index (−1 elsewhere), at
 * map (n i32); returns the number of C points. */
export function coarseMap(n: i32, cf: usize, map: usize): i32 {
  let nc = 0;
  for (let i = 0; i < n; i++) sti(map, i, cfAt(cf, i) == CF_C ? nc++ : -1);
  return nc;
}

// ---------------------------------------------------------------------------------------
// Interpolation. kind: INTERP_DIRECT, INTERP_CLASSICAL, INTERP_EXTENDED_I.

// @ts-ignore: decorator
@inline const INTERP_DIRECT = 0;
// @ts-ignore: decorator
@inline const INTERP_CLASSICAL = 1;
// @ts-ignore: decorator
@inline const INTERP_EXTENDED_I = 2;

/**
 * Counting pass of P before truncation: its indptr (n + 1) at pp. A C row has one entry, an
 * F row its interpolation set: C_i^s (direct, classical) or Ĉ_i = C_i^s ∪ ⋃_{k ∈ F_i^s} C_k^s
 * (extended+i, counted as hypre's first pass does), a CF_ISO row none. Returns nnz, or −1
 * past 2³¹ − 1. Scratch: mark n i32.
 */
export function classicalInterpCount(kind: i32, n: i32, sp: usize, sj: usize, cf: usize, pp: usize, mark: usize): i32 {
  memory.fill(mark, 0xff, <usize>n << 2);
  let nnz: i64 = 0;
  sti(pp, 0, 0);
  for (let i = 0; i < n; i++) {
    const c = cfAt(cf, i);
    let len = 0;
    if (c == CF_C) len = 1;
    else if (c == CF_F) {
      for (let q = ldi(sp, i), qe = ldi(sp, i + 1); q < qe; q++) {
        const j = ldi(sj, q);
        const cj = cfAt(cf, j);
        if (cj == CF_C) {
          if (ldi(mark, j) != i) {
            sti(mark, j, i);
            len++;
          }
        } else if (cj == CF_F && kind == INTERP_EXTENDED_I) {
          for (let r = ldi(sp, j), re = ldi(sp, j + 1); r < re; r++) {
            const k = ldi(sj, r);
            if (cfAt(cf, k) == CF_C && ldi(mark, k) != i) {
              sti(mark, k, i);
              len++;
            }
          }
        }
      }
    }
    nnz += len;
    if (nnz > 0x7fffffff) return -1;
    sti(pp, i + 1, <i32>nnz);
  }
  return <i32>nnz;
}

/**
 * Filling pass of P before truncation: column indices (coarse, from `coarseMap`) and weights
 * at pj, px, with pp from `classicalInterpCount`; rows come out sorted. Scratch: mark n i32,
 * diag n f64.
 *
 * - direct (PyAMG rs_direct_interpolation_pass2): w_ij = −α·a_ij/d for a_ij < 0, −β·a_ij/d
 *   otherwise, α = Σ_{k≠i, a_ik<0} a_ik / Σ_{C_i^s, a<0} a_ij, β likewise for a > 0 (β = 0 and
 *   the positive sum lumped into d = a_ii when C_i^s has no positive entry).
 * - classical (PyAMG rs_classical_interpolation_pass2, modified = true, after
 *   remove_strong_FF_connections): strong F neighbours k sharing no strong C point with i
 *   count as weak; w_ij = −(a_ij + Σ_{k ∈ F_i^s} a_ik·ā_kj / Σ_{l ∈ C_i^s} ā_kl) / d,
 *   d = a_ii + Σ_weak a_in, ā_kl = a_kl when its sign is opposite to a_kk's, else 0. A k
 *   whose inner sum is 0 contributes nothing (PyAMG skips it: all its ā_kj are 0).
 * - extended+i (hypre_BoomerAMGBuildExtPIInterpHost): the formula of the brief; a strong F
 *   neighbour k whose sum Σ_{l ∈ Ĉ_i ∪ {i}} ā_kl is 0 has a_ik lumped into ã_ii; weak
 *   neighbours marked CF_ISO are dropped, the others outside Ĉ_i lumped (as hypre).
 * In every kind, a row whose denominator (d, ã_ii) is exactly 0 keeps its numerators
 * undivided: what hypre's `if (diagonal != 0.0)` does (PyAMG would divide by zero).
 */
export function classicalInterpFill(
  kind: i32, n: i32, ap: usize, aj: usize, ax: usize, sp: usize, sj: usize, cf: usize, map: usize,
  pp: usize, pj: usize, px: usize, mark: usize, diag: usize,
): void {
  memory.fill(mark, 0xff, <usize>n << 2);
  for (let i = 0; i < n; i++) {
    let d = 0.0;
    for (let k = ldi(ap, i), e = ldi(ap, i + 1); k < e; k++) {
      if (ldi(aj, k) == i) d = ld(ax, k);
    }
    st(diag, i, d);
  }
  let strongF = -2; // hypre's strong_f_marker: a value below every row start, new per row
  for (let i = 0; i < n; i++) {
    const begin = ldi(pp, i);
    const c = cfAt(cf, i);
    if (c == CF_C) {
      sti(pj, begin, ldi(map, i));
      st(px, begin, 1.0);
      continue;
    }
    if (c != CF_F) continue;
    strongF--;
    let cnt = begin;
    for (let q = ldi(sp, i), qe = ldi(sp, i + 1); q < qe; q++) {
      const j = ldi(sj, q);
      const cj = cfAt(cf, j);
      if (cj == CF_C) {
        if (ldi(mark, j) < begin) {
          sti(mark, j, cnt);
          sti(pj, cnt, ldi(map, j));
          st(px, cnt, 0.0);
          cnt++;
        }
      } else if (cj == CF_F && kind == INTERP_EXTENDED_I) {
        sti(mark, j, strongF);
        for (let r = ldi(sp, j), re = ldi(sp, j + 1); r < re; r++) {
          const k = ldi(sj, r);
          if (cfAt(cf, k) == CF_C && ldi(mark, k) < begin) {
            sti(mark, k, cnt);
            sti(pj, cnt, ldi(map, k));
            st(px, cnt, 0.0);
            cnt++;
          }
        }
      }
    }
    const end = cnt;
    if (end == begin) continue; // no interpolation set: a zero row
    if (kind == INTERP_DIRECT) directRow(i, ap, aj, ax, pp, px, mark, begin, end);
    else {
      if (kind == INTERP_CLASSICAL) {
        // Strong F neighbours that share a strong C point with i (the others are weak).
        for (let q = ldi(sp, i), qe = ldi(sp, i + 1); q < qe; q++) {
          const k = ldi(sj, q);
          if (cfAt(cf, k) != CF_F) continue;
          for (let r = ldi(sp, k), re = ldi(sp, k + 1); r < re; r++) {
            if (ldi(mark, ldi(sj, r)) >= begin) {
              sti(mark, k, strongF);
              break;
            }
          }
        }
      }
      const withI = kind == INTERP_EXTENDED_I; // ã_ii: the sum over Ĉ_i ∪ {i}
      let dd = kind == INTERP_EXTENDED_I ? ld(diag, i) : 0.0;
      for (let q = ldi(ap, i), qe = ldi(ap, i + 1); q < qe; q++) {
        const j = ldi(aj, q);
        const a = ld(ax, q);
        if (j == i) {
          if (!withI) dd += a;
          continue;
        }
        const mj = ldi(mark, j);
        if (mj >= begin) {
          st(px, mj, ld(px, mj) + a);
        } else if (mj == strongF) {
          const neg = ld(diag, j) < 0; // ā_jl = a_jl when a_jl·sign(a_jj) < 0
          let sum = 0.0;
          const r0 = ldi(ap, j), r1 = ldi(ap, j + 1);
          for (let r = r0; r < r1; r++) {
            const l = ldi(aj, r);
            const b = ld(ax, r);
            if (l != j && (ldi(mark, l) >= begin || (withI && l == i)) && (neg ? b > 0 : b < 0)) sum += b;
          }
          if (sum != 0) {
            if (withI) {
              const distribute = a / sum;
              for (let r = r0; r < r1; r++) {
                const l = ldi(aj, r);
                const b = ld(ax, r);
                if (l == j || !(neg ? b > 0 : b < 0)) continue;
                const ml = ldi(mark, l);
                if (ml >= begin) st(px, ml, ld(px, ml) + distribute * b);
                if (l == i) dd += distribute * b;
              }
            } else {
              for (let r = r0; r < r1; r++) {
                const b = ld(ax, r);
                const ml = ldi(mark, ldi(aj, r));
                if (ml >= begin && (neg ? b > 0 : b < 0)) st(px, ml, ld(px, ml) + (a * b) / sum);
              }
            }
          } else if (withI) dd += a;
        } else if (!withI || cfAt(cf, j) != CF_ISO) {
          dd += a;
        }
      }
      if (dd != 0) {
        const nd = -dd;
        for (let q = begin; q < end; q++) st(px, q, ld(px, q) / nd);
      }
    }
    strongF--;
    sortRow(pj, px, begin, end - begin, false);
  }
}

/** PyAMG's direct interpolation of F row i into the slots [begin, end) marked for C_i^s. */
function directRow(i: i32, ap: usize, aj: usize, ax: usize, pp: usize, px: usize, mark: usize, begin: i32, end: i32): void {
  let strongNeg = 0.0, strongPos = 0.0, allNeg = 0.0, allPos = 0.0, d = 0.0;
  for (let q = ldi(ap, i), qe = ldi(ap, i + 1); q < qe; q++) {
    const j = ldi(aj, q);
    const a = ld(ax, q);
    if (j == i) {
      d += a;
      continue;
    }
    if (a < 0) allNeg += a;
    else allPos += a;
    const mj = ldi(mark, j);
    if (mj >= begin) {
      if (a < 0) strongNeg += a;
      else strongPos += a;
      st(px, mj, a);
    }
  }
  const alpha = allNeg / strongNeg;
  let beta = allPos / strongPos;
  if (strongPos == 0) {
    d += allPos;
    beta = 0;
  }
  const negCoeff = d != 0 ? -alpha / d : alpha;
  const posCoeff = d != 0 ? -beta / d : beta;
  for (let q = begin; q < end; q++) {
    const a = ld(px, q);
    st(px, q, a < 0 ? negCoeff * a : posCoeff * a);
  }
}

// ---------------------------------------------------------------------------------------
// Truncation

/**
 * Truncates P in place (hypre_ParCSRMatrixTruncate with rescale = 1, the ∞-norm, as
 * hypre_BoomerAMGInterpTruncation calls it): first, with tau > 0, drops |w| < tau·max|w|;
 * then, with maxElements > 0, keeps a row's maxElements largest |w| (ties: the smaller
 * column first; hypre's quicksort leaves them unspecified). After each step the kept
 * entries are scaled by (row sum before)/(row sum kept) when that sum is not 0 and differs
 * (one factor for the whole row: current hypre does not scale positive and negative parts
 * apart). Rows are compacted toward the front and stay sorted; pp is rewritten. Returns
 * the new nnz.
 */
export function interpTruncate(n: i32, pp: usize, pj: usize, px: usize, maxElements: i32, tau: f64): i32 {
  let out = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = ldi(pp, i + 1);
    let len = end - start;
    if (out != start && len > 0) {
      memory.copy(pj + (<usize>out << 2), pj + (<usize>start << 2), <usize>len << 2);
      memory.copy(px + (<usize>out << 3), px + (<usize>start << 3), <usize>len << 3);
    }
    start = end;
    sti(pp, i, out);
    if (tau > 0 && len > 0) {
      let rowMax = 0.0;
      for (let q = out; q < out + len; q++) rowMax = max(rowMax, abs(ld(px, q)));
      const drop = tau * rowMax;
      let rowSum = 0.0, scale = 0.0, w = out;
      for (let q = out; q < out + len; q++) {
        const v = ld(px, q);
        rowSum += v;
        if (abs(v) >= drop) {
          scale += v;
          st(px, w, v);
          sti(pj, w, ldi(pj, q));
          w++;
        }
      }
      len = w - out;
      rescale(px, out, len, rowSum, scale);
    }
    if (maxElements > 0 && len > maxElements) {
      let rowSum = 0.0;
      for (let q = out; q < out + len; q++) rowSum += ld(px, q);
      sortRow(pj, px, out, len, true);
      let scale = 0.0;
      for (let q = out; q < out + maxElements; q++) scale += ld(px, q);
      len = maxElements;
      rescale(px, out, len, rowSum, scale);
      sortRow(pj, px, out, len, false);
    }
    out += len;
  }
  sti(pp, n, out);
  return out;
}

// @ts-ignore: decorator
@inline function rescale(px: usize, at: i32, len: i32, rowSum: f64, scale: f64): void {
  if (scale != 0 && scale != rowSum) {
    const s = rowSum / scale;
    for (let q = at; q < at + len; q++) st(px, q, ld(px, q) * s);
  }
}

/** True when entry (ca, wa) goes before (cb, wb): by column, or by |w| descending then column. */
// @ts-ignore: decorator
@inline function before(ca: i32, wa: f64, cb: i32, wb: f64, byMagnitude: bool): bool {
  if (byMagnitude) {
    const x = abs(wa), y = abs(wb);
    if (x != y) return x > y;
  }
  return ca < cb;
}

/** Sorts the len (column, weight) pairs at offset `at` of pj, px: insertion sort for short
 * rows, heapsort (no recursion) for long ones. */
function sortRow(pj: usize, px: usize, at: i32, len: i32, byMagnitude: bool): void {
  const bj = pj + (<usize>at << 2), bx = px + (<usize>at << 3);
  if (len <= 32) {
    for (let i = 1; i < len; i++) {
      const c = ldi(bj, i), w = ld(bx, i);
      let q = i;
      while (q > 0 && before(c, w, ldi(bj, q - 1), ld(bx, q - 1), byMagnitude)) {
        sti(bj, q, ldi(bj, q - 1));
        st(bx, q, ld(bx, q - 1));
        q--;
      }
      sti(bj, q, c);
      st(bx, q, w);
    }
    return;
  }
  for (let i = (len >> 1) - 1; i >= 0; i--) siftDown(bj, bx, i, len, byMagnitude);
  for (let e = len - 1; e > 0; e--) {
    const c = ldi(bj, 0), w = ld(bx, 0);
    sti(bj, 0, ldi(bj, e));
    st(bx, 0, ld(bx, e));
    sti(bj, e, c);
    st(bx, e, w);
    siftDown(bj, bx, 0, e, byMagnitude);
  }
}

function siftDown(bj: usize, bx: usize, i: i32, len: i32, byMagnitude: bool): void {
  const c0 = ldi(bj, i), w0 = ld(bx, i);
  while (true) {
    let ch = 2 * i + 1;
    if (ch >= len) break;
    if (ch + 1 < len && before(ldi(bj, ch), ld(bx, ch), ldi(bj, ch + 1), ld(bx, ch + 1), byMagnitude)) ch++;
    if (!before(c0, w0, ldi(bj, ch), ld(bx, ch), byMagnitude)) break;
    sti(bj, i, ldi(bj, ch));
    st(bx, i, ld(bx, ch));
    i = ch;
  }
  sti(bj, i, c0);
  st(bx, i, w0);
}
