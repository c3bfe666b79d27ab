// Classical (Ruge–Stüben) AMG setup kernels: strength of connection, C/F splitting (RS first
// pass, PMIS) and the prolongator (direct, classical, extended+i interpolation; truncation).
// CSR arrays in wasm memory (f64 values, i32 indices sorted within each row); scratch comes
// from the caller (bindings/multigrid/classical.ts); nothing here allocates or throws.
//
// Provenance (both read, algorithms re-implemented here):
// - hypre 2.26 (Apache-2.0 / MIT), followed as it runs on one process: src/parcsr_ls/
//   par_strength.c (hypre_BoomerAMGCreateSHost: strength, max_row_sum), par_coarsen.c
//   (hypre_BoomerAMGCoarsenRuge with coarsen_type 10 and hypre_BoomerAMGCoarsenPMISHost:
//   HMIS, its default, and PMIS; utilities/amg_linklist.c's FIFO lists, utilities/random.c's
//   hypre_Rand), par_lr_interp.c (hypre_BoomerAMGBuildExtPIInterpHost: extended+i, interp
//   type 6), parcsr_mv/par_csr_matrix.c (hypre_ParCSRMatrixTruncate, what
//   hypre_BoomerAMGInterpTruncation calls, with utilities/qsort.c's hypre_qsort2_abs). On
//   matrices whose rows have sorted columns (hypre keeps the given order, diagonal first)
//   S, the splitting and P equal hypre's (test/fixtures/hypre-classical.json).
// - PyAMG 5.3 (MIT), pyamg/amg_core/ruge_stuben.h: rs_direct_interpolation,
//   rs_classical_interpolation with modified = true (and remove_strong_FF_connections).
//
// The splitting is one i8 per point: CF_C (coarse), CF_F (fine), CF_ISO (fine without strong
// dependencies, hypre's SF_PT: never C, a zero row of P, left out of extended+i's lumping).
import { ld, ldi, st, sti } from "../blas/access";
import { csrDiagonal } from "../operators/sparse";

// @ts-ignore: decorator
@inline const CF_C: i8 = 1;
// @ts-ignore: decorator
@inline const CF_F: i8 = 0;
// @ts-ignore: decorator
@inline const CF_ISO: i8 = -1;

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
 * hypre_BoomerAMGCreateS (one function): with a_ii < 0, j ≠ i is strong for i when
 * a_ij > θ·max(0, max_{k≠i} a_ik); otherwise when a_ij < θ·min(0, min_{k≠i} a_ik) (strict,
 * so a row whose off-diagonals all have a_ii's sign, or are zero, has none). A row with
 * |a_ii + Σ_{k≠i} a_ik| > |a_ii|·maxRowSum, when maxRowSum < 1, has none (hypre's
 * max_row_sum, 0.9 by default: nearly diagonally dominant rows are not coarsened).
 */
export function classicalStrength(n: i32, ap: usize, aj: usize, ax: usize, theta: f64, maxRowSum: f64, sp: usize, sj: usize): i32 {
  let nnz = 0;
  sti(sp, 0, 0);
  for (let i = 0; i < n; i++) {
    const a0 = ldi(ap, i), a1 = ldi(ap, i + 1);
    let diag = 0.0;
    for (let k = a0; k < a1; k++) if (ldi(aj, k) == i) diag = ld(ax, k);
    const flip = diag < 0;
    let scale = 0.0, rowSum = diag;
    for (let k = a0; k < a1; k++) {
      if (ldi(aj, k) == i) continue;
      const a = ld(ax, k);
      scale = flip ? max(scale, a) : min(scale, a);
      rowSum += a;
    }
    if (!(maxRowSum < 1 && abs(rowSum) > abs(diag) * maxRowSum)) {
      const threshold = theta * scale;
      for (let k = a0; k < a1; k++) {
        const j = ldi(aj, k);
        const a = ld(ax, k);
        if (j != i && (flip ? a > threshold : a < threshold)) sti(sj, nnz++, j);
      }
    }
    sti(sp, i + 1, nnz);
  }
  return nnz;
}

// ---------------------------------------------------------------------------------------
// C/F splittings. S (sp, sj) without its diagonal, T = Sᵀ (tp, tj; csrTranspose of S's
// pattern). Both return the number of C points.

// hypre's markers during a splitting (par_coarsen.c), and Ruge's undecided.
// @ts-ignore: decorator
@inline const H_C: i8 = 1;
// @ts-ignore: decorator
@inline const H_F: i8 = -1;
// @ts-ignore: decorator
@inline const H_Z: i8 = -2;
// @ts-ignore: decorator
@inline const H_SF: i8 = -3;
// @ts-ignore: decorator
@inline const H_U: i8 = 2;

/** hypre's markers (1 C, −1 F, −3 SF) as ours (CF_C, CF_F, CF_ISO); returns the C count. */
function toOurs(n: i32, cf: usize): i32 {
  let nc = 0;
  for (let i = 0; i < n; i++) {
    const v = cfAt(cf, i);
    if (v == H_C) nc++;
    setCf(cf, i, v == H_C ? CF_C : v == H_SF ? CF_ISO : CF_F);
  }
  return nc;
}

// Ruge's FIFO lists, one per measure: next/prev per point, head/tail per measure.
// @ts-ignore: decorator
@inline function enterList(i: i32, m: i32, next: usize, prev: usize, head: usize, tail: usize): void {
  const t = ldi(tail, m);
  sti(prev, i, t);
  sti(next, i, -1);
  if (t >= 0) sti(next, t, i);
  else sti(head, m, i);
  sti(tail, m, i);
}

// @ts-ignore: decorator
@inline function removeList(i: i32, m: i32, next: usize, prev: usize, head: usize, tail: usize): void {
  const p = ldi(prev, i), q = ldi(next, i);
  if (p >= 0) sti(next, p, q);
  else sti(head, m, q);
  if (q >= 0) sti(prev, q, p);
  else sti(tail, m, p);
}

/** Ruge: adds 1 to the measure of i's undecided dependencies, re-entering each at the tail
 * of its new list; returns the largest measure so reached (or `top`). */
function bumpDependencies(i: i32, top: i32, sp: usize, sj: usize, cf: usize, measure: usize, next: usize, prev: usize, head: usize, tail: usize): i32 {
  for (let r = ldi(sp, i), re = ldi(sp, i + 1); r < re; r++) {
    const k = ldi(sj, r);
    if (cfAt(cf, k) != H_U) continue;
    const m = ldi(measure, k);
    removeList(k, m, next, prev, head, tail);
    sti(measure, k, m + 1);
    enterList(k, m + 1, next, prev, head, tail);
    if (m + 1 > top) top = m + 1;
  }
  return top;
}

/**
 * HMIS on one process, as hypre 2.26's default coarsening (coarsen_type 10):
 * hypre_BoomerAMGCoarsenRuge's first pass with coarsen_type 10, then
 * hypre_BoomerAMGCoarsenPMISHost with CF_init = 1 (`pmisStage`). The first pass: measure
 * λ_i = |Sᵀ_i|; points without strong dependencies are SF (fine, never C); points with
 * λ = 0 are F (hypre's Z_PT) and add 1 to λ of their dependencies (those of smaller index
 * re-entering their list); the others sit on FIFO lists, one per λ (a point enters at the
 * tail). Repeatedly the head of the largest λ's list becomes C; its undecided dependents
 * become F, each of their undecided dependencies gets λ + 1; its undecided dependencies get
 * λ − 1, and those reaching 0 become F and add 1 to their own undecided dependencies.
 * Returns the number of C points. Scratch: measure, next, prev n i32; head, tail 2n + 1
 * i32 (λ ≤ 2|Sᵀ_i|: each dependent adds at most 1); pm n f64, graph n i32.
 */
export function rsSplitting(
  n: i32, sp: usize, sj: usize, tp: usize, tj: usize, cf: usize,
  measure: usize, next: usize, prev: usize, head: usize, tail: usize, pm: usize, graph: usize,
): i32 {
  memory.fill(head, 0xff, (2 * <usize>n + 1) << 2);
  memory.fill(tail, 0xff, (2 * <usize>n + 1) << 2);
  let left = 0;
  for (let i = 0; i < n; i++) {
    if (ldi(sp, i) == ldi(sp, i + 1)) {
      setCf(cf, i, H_SF);
      sti(measure, i, 0);
    } else {
      setCf(cf, i, H_U);
      sti(measure, i, ldi(tp, i + 1) - ldi(tp, i));
      left++;
    }
  }
  let top = 0;
  for (let j = 0; j < n; j++) {
    if (cfAt(cf, j) == H_SF) continue;
    const mj = ldi(measure, j);
    if (mj > 0) {
      enterList(j, mj, next, prev, head, tail);
      if (mj > top) top = mj;
      continue;
    }
    setCf(cf, j, H_Z);
    for (let r = ldi(sp, j), re = ldi(sp, j + 1); r < re; r++) {
      const k = ldi(sj, r);
      if (cfAt(cf, k) == H_SF) continue;
      const m = ldi(measure, k);
      if (k < j) {
        if (m > 0) removeList(k, m, next, prev, head, tail);
        enterList(k, m + 1, next, prev, head, tail);
        if (m + 1 > top) top = m + 1;
      }
      sti(measure, k, m + 1);
    }
    left--;
  }
  while (left > 0) {
    while (ldi(head, top) < 0) top--;
    const i = ldi(head, top);
    setCf(cf, i, H_C);
    removeList(i, top, next, prev, head, tail);
    sti(measure, i, 0);
    left--;
    for (let q = ldi(tp, i), qe = ldi(tp, i + 1); q < qe; q++) {
      const j = ldi(tj, q);
      if (cfAt(cf, j) != H_U) continue;
      setCf(cf, j, H_F);
      removeList(j, ldi(measure, j), next, prev, head, tail);
      left--;
      top = bumpDependencies(j, top, sp, sj, cf, measure, next, prev, head, tail);
    }
    for (let q = ldi(sp, i), qe = ldi(sp, i + 1); q < qe; q++) {
      const j = ldi(sj, q);
      if (cfAt(cf, j) != H_U) continue;
      const m = ldi(measure, j);
      removeList(j, m, next, prev, head, tail);
      sti(measure, j, m - 1);
      if (m - 1 > 0) enterList(j, m - 1, next, prev, head, tail);
      else {
        setCf(cf, j, H_F);
        left--;
        top = bumpDependencies(j, top, sp, sj, cf, measure, next, prev, head, tail);
      }
    }
  }
  pmisStage(n, sp, sj, tp, cf, pm, graph, true);
  return toOurs(n, cf);
}

/**
 * PMIS (De Sterck, Yang, Heys 2006) as hypre's coarsen_type 8 on one process
 * (`pmisStage` from scratch). Returns the number of C points. Scratch: pm n f64, graph n i32.
 */
export function pmisSplitting(n: i32, sp: usize, sj: usize, tp: usize, tj: usize, cf: usize, pm: usize, graph: usize): i32 {
  pmisStage(n, sp, sj, tp, cf, pm, graph, false);
  return toOurs(n, cf);
}

/**
 * hypre_BoomerAMGCoarsenPMISHost on one process, on hypre's markers at cf: measures
 * w_i = |Sᵀ_i| + r_i, r_i hypre_Rand's Park–Miller sequence seeded 2747 (one draw per row,
 * in order). With `init` (HMIS) Ruge's markers are the start: C stays C, SF stays SF, every
 * other point is undecided (those with a strong C dependency become F in the first round,
 * which picks no C point); otherwise points with strong dependencies start undecided, the
 * others SF. Each round: undecided points with w > 1 not beaten by an undecided point
 * they depend on or that depends on them become C; then undecided points with w < 1 or a
 * strong C dependency become F.
 */
function pmisStage(n: i32, sp: usize, sj: usize, tp: usize, cf: usize, pm: usize, graph: usize, init: bool): void {
  let seed = 2747;
  for (let i = 0; i < n; i++) {
    const hi = seed / 127773, lo = seed % 127773;
    const t = 16807 * lo - 2836 * hi;
    seed = t > 0 ? t : t + 2147483647;
    st(pm, i, <f64>(ldi(tp, i + 1) - ldi(tp, i)) + <f64>seed / 2147483647.0);
  }
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (init) {
      let c = cfAt(cf, i);
      if (c == H_SF) {
        st(pm, i, 0);
        continue;
      }
      if (c == H_F) setCf(cf, i, (c = 0));
      if (c == H_Z) {
        if (ld(pm, i) >= 1 || ldi(sp, i + 1) > ldi(sp, i)) {
          setCf(cf, i, 0);
          sti(graph, size++, i);
        } else setCf(cf, i, H_F);
      } else sti(graph, size++, i);
    } else if (ldi(sp, i) == ldi(sp, i + 1)) {
      setCf(cf, i, H_SF);
      st(pm, i, 0);
    } else {
      setCf(cf, i, 0);
      sti(graph, size++, i);
    }
  }
  for (let iter = 0; size > 0; iter++) {
    if (!init || iter > 0) {
      for (let g = 0; g < size; g++) {
        const i = ldi(graph, g);
        if (ld(pm, i) > 1) setCf(cf, i, 1);
      }
      for (let g = 0; g < size; g++) {
        const i = ldi(graph, g);
        const wi = ld(pm, i);
        if (!(wi > 1)) continue;
        for (let r = ldi(sp, i), re = ldi(sp, i + 1); r < re; r++) {
          const j = ldi(sj, r);
          const wj = ld(pm, j);
          if (!(wj > 1)) continue;
          if (wi > wj) setCf(cf, j, 0);
          else if (wj > wi) setCf(cf, i, 0);
        }
      }
    }
    for (let g = 0; g < size; g++) {
      const i = ldi(graph, g);
      if (ld(pm, i) < 1) setCf(cf, i, H_F);
      if (cfAt(cf, i) > 0) setCf(cf, i, H_C);
      else {
        for (let r = ldi(sp, i), re = ldi(sp, i + 1); r < re; r++) {
          if (cfAt(cf, ldi(sj, r)) > 0) setCf(cf, i, H_F);
        }
      }
    }
    let kept = 0;
    for (let g = 0; g < size; g++) {
      const i = ldi(graph, g);
      if (cfAt(cf, i) != 0) st(pm, i, 0);
      else sti(graph, kept++, i);
    }
    size = kept;
  }
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
 * at pj, px, with pp from `classicalInterpCount`; rows in hypre's order (`interpTruncate`
 * truncates and sorts them). Scratch: mark n i32,
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
 * - extended+i (hypre_BoomerAMGBuildExtPIInterpHost; De Sterck, Falgout, Nolting, Yang 2008):
 *   w_ij = −(a_ij + Σ_{k ∈ F_i^s} a_ik·ā_kj / Σ_{l ∈ Ĉ_i ∪ {i}} ā_kl) / ã_ii; a strong F
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
  csrDiagonal(n, ap, aj, ax, diag); // its sign check is not needed here
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
 * hypre_BoomerAMGInterpTruncation calls it), on rows in `classicalInterpFill`'s order
 * (hypre's): first, with tau > 0, drops |w| < tau·max|w|; then, with maxElements > 0,
 * keeps the first maxElements entries of the row after hypre_qsort2_abs (|w| descending;
 * its quicksort's order decides ties, as in hypre). After each step the kept entries are
 * scaled by (row sum before)/(row sum kept) when that sum is not 0 and differs (one factor
 * for the whole row, as hypre). Rows are compacted toward the front and sorted by column
 * (every row, truncated or not); pp is rewritten. Returns the new nnz.
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
      qsortAbs(pj, px, out, out + len - 1);
      let scale = 0.0;
      for (let q = out; q < out + maxElements; q++) scale += ld(px, q);
      len = maxElements;
      rescale(px, out, len, rowSum, scale);
    }
    sortRow(pj, px, out, len);
    out += len;
  }
  sti(pp, n, out);
  return out;
}

// @ts-ignore: decorator
@inline function swapEntries(pj: usize, px: usize, a: i32, b: i32): void {
  const c = ldi(pj, a), w = ld(px, a);
  sti(pj, a, ldi(pj, b));
  st(px, a, ld(px, b));
  sti(pj, b, c);
  st(px, b, w);
}

/** hypre_qsort2_abs on entries [left, right] of pj, px: |w| descending, the middle entry
 * as pivot. The two halves are independent, so recursing into the shorter one and looping
 * on the longer gives hypre's order with O(log len) depth. */
function qsortAbs(pj: usize, px: usize, left: i32, right: i32): void {
  while (left < right) {
    swapEntries(pj, px, left, (left + right) >> 1);
    let last = left;
    const pivot = abs(ld(px, left));
    for (let i = left + 1; i <= right; i++) {
      if (abs(ld(px, i)) > pivot) swapEntries(pj, px, ++last, i);
    }
    swapEntries(pj, px, left, last);
    if (last - left < right - last) {
      qsortAbs(pj, px, left, last - 1);
      left = last + 1;
    } else {
      qsortAbs(pj, px, last + 1, right);
      right = last - 1;
    }
  }
}

// @ts-ignore: decorator
@inline function rescale(px: usize, at: i32, len: i32, rowSum: f64, scale: f64): void {
  if (scale != 0 && scale != rowSum) {
    const s = rowSum / scale;
    for (let q = at; q < at + len; q++) st(px, q, ld(px, q) * s);
  }
}

/** Sorts the len (column, weight) pairs at offset `at` of pj, px by column: insertion sort
 * for short rows, heapsort (no recursion) for long ones. */
function sortRow(pj: usize, px: usize, at: i32, len: i32): void {
  const bj = pj + (<usize>at << 2), bx = px + (<usize>at << 3);
  if (len <= 32) {
    for (let i = 1; i < len; i++) {
      const c = ldi(bj, i), w = ld(bx, i);
      let q = i;
      while (q > 0 && c < ldi(bj, q - 1)) {
        sti(bj, q, ldi(bj, q - 1));
        st(bx, q, ld(bx, q - 1));
        q--;
      }
      sti(bj, q, c);
      st(bx, q, w);
    }
    return;
  }
  for (let i = (len >> 1) - 1; i >= 0; i--) siftDown(bj, bx, i, len);
  for (let e = len - 1; e > 0; e--) {
    const c = ldi(bj, 0), w = ld(bx, 0);
    sti(bj, 0, ldi(bj, e));
    st(bx, 0, ld(bx, e));
    sti(bj, e, c);
    st(bx, e, w);
    siftDown(bj, bx, 0, e);
  }
}

function siftDown(bj: usize, bx: usize, i: i32, len: i32): void {
  const c0 = ldi(bj, i), w0 = ld(bx, i);
  while (true) {
    let ch = 2 * i + 1;
    if (ch >= len) break;
    if (ch + 1 < len && ldi(bj, ch) < ldi(bj, ch + 1)) ch++;
    if (!(c0 < ldi(bj, ch))) break;
    sti(bj, i, ldi(bj, ch));
    st(bx, i, ld(bx, ch));
    i = ch;
  }
  sti(bj, i, c0);
  st(bx, i, w0);
}
