// expf and exp2f in float32 lanes (four per f32x4, twice the width of the float64 route in
// f32.ts), with the kernels evolved by tools/evolve (assembly/elementary/programs.ts). The
// range reductions and scaling are hand-written and emulated bit for bit by
// tools/evolve/target.js, so the search scores exactly what runs here. expf:
//   clamp x to [−104, 89] (beyond it e^x is 0 or +∞ in float32; NaN passes through pmin/pmax),
//   n = nearest(x·log2 e), r₁ = x − n·ln2_hi (exact: ln2_hi has 15 significant bits),
//   r = r₁ − n·ln2_lo and its rounding error r_lo = (r₁ − r) − n·ln2_lo,
//   1 + r as a = fl(1 + r) plus its exact error e = (1 − a) + r (Fast2Sum),
//   y = a + (e + (tail(r) + r_lo)) with tail(r) ≈ e^r − 1 − r, rounded once at the end,
//   e^x = (y·2^⌊n/2⌋)·2^(n − ⌊n/2⌋): exact but for the last product (subnormal results).
// exp2f: clamp x to [−151, 129], n = nearest(x), r = x − n (exact), then 1 + r, its error
// and y = a + (e + tail(r)) with tail(r) ≈ 2^r − 1 − r, scaled as above.
// The scalar tail and the scalar build perform the same float32 operations in order.
import { exp2Evolved, exp2EvolvedScalar, expEvolved, expEvolvedScalar, expTaylor, expTaylorScalar, expMinimax, expMinimaxScalar, expMinimaxUp, expMinimaxUpScalar } from "./programs";

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.4426950216293335;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693145751953125;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = 0.000001428606765330187;
// @ts-ignore: decorator
@inline const X_MIN: f32 = -104.0;
// @ts-ignore: decorator
@inline const X_MAX: f32 = 89.0;
// @ts-ignore: decorator
@inline const X2_MIN: f32 = -151.0; // 2^−151 rounds to 0 in float32
// @ts-ignore: decorator
@inline const X2_MAX: f32 = 129.0; // 2^129 overflows

/** Which tail kernel: the evolved one (shipped), or the classical baselines (for the
 * benchmark): Taylor and minimax within the evolved kernel's operation count, and the
 * cheapest minimax that reaches its accuracy. */
export const TAIL_EVOLVED = 0;
export const TAIL_TAYLOR = 1;
export const TAIL_MINIMAX = 2;
export const TAIL_MINIMAX_UP = 3;

// @ts-ignore: decorator
@inline function tail(r: v128, kind: i32): v128 {
  return kind == TAIL_TAYLOR ? expTaylor(r) : kind == TAIL_MINIMAX ? expMinimax(r) : kind == TAIL_MINIMAX_UP ? expMinimaxUp(r) : expEvolved(r);
}

// @ts-ignore: decorator
@inline function tailScalar(r: f32, kind: i32): f32 {
  return kind == TAIL_TAYLOR ? expTaylorScalar(r) : kind == TAIL_MINIMAX ? expMinimaxScalar(r) : kind == TAIL_MINIMAX_UP ? expMinimaxUpScalar(r) : expEvolvedScalar(r);
}

// @ts-ignore: decorator
@inline function expLanes(x0: v128, kind: i32): v128 {
  const one = f32x4.splat(1.0);
  const x = f32x4.pmin(f32x4.pmax(x0, f32x4.splat(X_MIN)), f32x4.splat(X_MAX));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r1 = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  const nlo = f32x4.mul(n, f32x4.splat(LN2_LO));
  const r = f32x4.sub(r1, nlo);
  const rlo = f32x4.sub(f32x4.sub(r1, r), nlo);
  const a = f32x4.add(one, r);
  const e = f32x4.add(f32x4.sub(one, a), r);
  const y = f32x4.add(a, f32x4.add(e, f32x4.add(tail(r, kind), rlo)));
  return scaleLanes(y, n);
}

/** y·2^n in two exact halves, 2^⌊n/2⌋ then 2^(n − ⌊n/2⌋), so n down to −151 and up to 129
 * needs no subnormal or infinite scale factor. */
// @ts-ignore: decorator
@inline function scaleLanes(y: v128, n: v128): v128 {
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), bias), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

// @ts-ignore: decorator
@inline function scaleOne(y: f32, n: f32): f32 {
  const ni: i32 = n != n ? 0 : <i32>n; // trunc_sat: NaN → 0
  const n1 = ni >> 1;
  const s1 = reinterpret<f32>((n1 + 127) << 23);
  const s2 = reinterpret<f32>((ni - n1 + 127) << 23);
  return (y * s1) * s2;
}

// @ts-ignore: decorator
@inline function exp2Lanes(x0: v128): v128 {
  const one = f32x4.splat(1.0);
  const x = f32x4.pmin(f32x4.pmax(x0, f32x4.splat(X2_MIN)), f32x4.splat(X2_MAX));
  const n = f32x4.nearest(x);
  const r = f32x4.sub(x, n);
  const a = f32x4.add(one, r);
  const e = f32x4.add(f32x4.sub(one, a), r);
  return scaleLanes(f32x4.add(a, f32x4.add(e, exp2Evolved(r))), n);
}

// @ts-ignore: decorator
@inline function exp2One(x0: f32): f32 {
  let x = X2_MIN > x0 ? X2_MIN : x0;
  x = X2_MAX < x ? X2_MAX : x;
  const n = nearest<f32>(x);
  const r = x - n;
  const a = <f32>1.0 + r;
  const e = (<f32>1.0 - a) + r;
  return scaleOne(a + (e + exp2EvolvedScalar(r)), n);
}

// @ts-ignore: decorator
@inline function expOne(x0: f32, kind: i32): f32 {
  let x = X_MIN > x0 ? X_MIN : x0; // pmax: x0 < X_MIN ? X_MIN : x0 (NaN stays)
  x = X_MAX < x ? X_MAX : x;
  const n = nearest<f32>(x * LOG2E);
  const r1 = x - n * LN2_HI;
  const nlo = n * LN2_LO;
  const r = r1 - nlo;
  const rlo = (r1 - r) - nlo;
  const a = <f32>1.0 + r;
  const e = (<f32>1.0 - a) + r;
  return scaleOne(a + (e + (tailScalar(r, kind) + rlo)), n);
}

/** y ← e^x over n f32 at byte offsets px, py (y may be x), with tail kernel `kind`. */
// @ts-ignore: decorator
@inline export function expfWith(n: i32, px: usize, py: usize, kind: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Two vectors per iteration: two independent dependency chains for the out-of-order core.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = expLanes(v128.load(px + o), kind);
      const b = expLanes(v128.load(px + o, 16), kind);
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, expLanes(v128.load(px + o), kind));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, expOne(load<f32>(px + o), kind));
  }
}

/** y ← e^x over n f32 at byte offsets px, py (y may be x), with the evolved tail. */
export function expf(n: i32, px: usize, py: usize): void {
  expfWith(n, px, py, TAIL_EVOLVED);
}

/** y ← 2^x over n f32 at byte offsets px, py (y may be x), with the evolved tail. */
export function exp2f(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = exp2Lanes(v128.load(px + o));
      const b = exp2Lanes(v128.load(px + o, 16));
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, exp2Lanes(v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, exp2One(load<f32>(px + o)));
  }
}
