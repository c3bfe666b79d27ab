// erffFast: the fast tier of erff, ≤ 1 ULP, in float32 lanes (four per f32x4, where erff
// runs a 52-term series in float64 lanes). Two pieces on a = min(|x|, 4), the sign of x OR-ed
// in last (odd; ±0 kept; NaN passes through pmin; ±∞ → ±1):
//   a < 0.8125 (the form of fdlibm s_erf.c below 0.84375 and ARM optimized-routines erff below
//     0.921875): erf a = a + k(a), k ≈ erf a − a, the leading term a exact until the last rounding;
//   0.8125 ≤ a ≤ 4 (erf rounds to 1 from 3.9193 on, so 4 is a safe clamp):
//     erf a = 1 − e^{−a²}·Q(a − 1), Q ≈ erfcx = e^{x²}·erfc x, smooth; e^{−a²} by expf's
//     reduction and kernel with a² = hi + lo (hi = a_h² exact, a_h = a with its low 12 bits
//     cleared, lo = (a − a_h)(a + a_h)), lo entering the reduction, not rounded into a²; then
//     m = r + (k_exp(r) + r_lo) ≈ e^r − 1, and the evolved kernel is Q − Q0 (Q0 = erfcx 1), so
//     neither Q nor erfc is rounded on its own: erf = (1 − Q0·2^−n) − (Q − Q0)(1 + m)·2^−n
//     with the first difference exact as a Fast2Sum pair, one rounding at the end.
// k and Q are evolved by tools/evolve (targets/erf.js, which emulates this file bit for bit;
// programs.ts). A vector evaluates a piece only when one of its lanes needs it. The scalar
// tail and the scalar build perform the same float32 operations in the same order.
import { erfEvolved, erfEvolvedScalar, erfTailEvolved, erfTailEvolvedScalar, expEvolved, expEvolvedScalar } from "./programs";

// @ts-ignore: decorator
@inline const SPLIT: f32 = 0.8125;
// @ts-ignore: decorator
@inline const X_CLAMP: f32 = 4.0;
// @ts-ignore: decorator
@inline const TAIL_SHIFT: f32 = 1.0;
// @ts-ignore: decorator
@inline const Q0: f32 = 0.42758357524871826; // erfcx 1 = e·erfc 1 in float32
// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.4426950216293335;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693145751953125;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = 0.000001428606765330187;

/** erf a for a ∈ [0.8125, 4] (or NaN) from k = Q(a − 1) − Q0: e^{−a²}·2^n ≈ 1 + m, then
 * erfc·2^n = Q0 + s with s = k + (Q0 + k)·m, and 1 − Q0·2^−n as d + err exactly (Fast2Sum),
 * so erf = d + (err − s·2^−n) rounds once. */
// @ts-ignore: decorator
@inline function erfTailLanes(a: v128, k: v128): v128 {
  const one = f32x4.splat(1.0);
  const ah = v128.and(a, i32x4.splat(0xfffff000));
  const hi = f32x4.mul(ah, ah);
  const lo = f32x4.mul(f32x4.sub(a, ah), f32x4.add(a, ah));
  const n = f32x4.nearest(f32x4.mul(f32x4.add(hi, lo), f32x4.splat(LOG2E)));
  const r1 = f32x4.sub(f32x4.mul(n, f32x4.splat(LN2_HI)), hi);
  const u = f32x4.sub(lo, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const r = f32x4.sub(r1, u);
  const rlo = f32x4.sub(f32x4.sub(r1, r), u);
  const m = f32x4.add(r, f32x4.add(expEvolved(r), rlo));
  const q0 = f32x4.splat(Q0);
  const s = f32x4.add(k, f32x4.mul(f32x4.add(q0, k), m));
  const scale = i32x4.shl(i32x4.sub(i32x4.splat(127), i32x4.trunc_sat_f32x4_s(n)), 23); // 2^−n
  const c = f32x4.mul(q0, scale);
  const d = f32x4.sub(one, c);
  const err = f32x4.sub(f32x4.sub(one, d), c);
  return f32x4.add(d, f32x4.sub(err, f32x4.mul(s, scale)));
}

// @ts-ignore: decorator
@inline function erfTailOne(a: f32, k: f32): f32 {
  const ah = reinterpret<f32>(reinterpret<u32>(a) & 0xfffff000);
  const hi = ah * ah;
  const lo = (a - ah) * (a + ah);
  const n = nearest<f32>((hi + lo) * LOG2E);
  const r1 = n * LN2_HI - hi;
  const u = lo - n * LN2_LO;
  const r = r1 - u;
  const rlo = (r1 - r) - u;
  const m = r + (expEvolvedScalar(r) + rlo);
  const s = k + (Q0 + k) * m;
  const ni: i32 = n != n ? 0 : <i32>n; // trunc_sat: NaN → 0
  const scale = reinterpret<f32>((127 - ni) << 23);
  const c = Q0 * scale;
  const d = <f32>1.0 - c;
  const err = (<f32>1.0 - d) - c;
  return d + (err - s * scale);
}

// @ts-ignore: decorator
@inline function erfFastLanes(x: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(x), f32x4.splat(X_CLAMP));
  const small = f32x4.lt(a, f32x4.splat(SPLIT));
  let y = a;
  if (v128.any_true(small)) y = f32x4.add(a, erfEvolved(a));
  if (!i32x4.all_true(small)) {
    const k = erfTailEvolved(f32x4.sub(a, f32x4.splat(TAIL_SHIFT)));
    y = v128.bitselect(y, erfTailLanes(a, k), small);
  }
  return v128.or(y, v128.and(x, f32x4.splat(-0.0)));
}

// @ts-ignore: decorator
@inline function erfFastOne(x: f32): f32 {
  const ax = abs<f32>(x);
  const a = X_CLAMP < ax ? X_CLAMP : ax; // pmin (NaN stays)
  const y: f32 = a < SPLIT ? a + erfEvolvedScalar(a) : erfTailOne(a, erfTailEvolvedScalar(a - TAIL_SHIFT));
  return reinterpret<f32>(reinterpret<u32>(y) | (reinterpret<u32>(x) & 0x80000000));
}

/** y ← erf x over n f32 at byte offsets px, py (y may be x): the fast tier (≤ 1 ULP). */
export function erffFast(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Two vectors per iteration: two independent dependency chains for the out-of-order core.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = erfFastLanes(v128.load(px + o));
      const b = erfFastLanes(v128.load(px + o, 16));
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, erfFastLanes(v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, erfFastOne(load<f32>(px + o)));
  }
}
