// Float32 elementary functions evaluated in float64 lanes (f32x4 → two f64x2 halves →
// f32x4), the route ARM's correctly rounded vector expf takes: with the f64 result
// accurate to ~1e-10, rounding it to f32 errs by at most 0.5 ULP plus a hair, so every
// input lands within 1 ULP. Table-free: no gathers. The scalar tail and the scalar build
// evaluate the same f64 operations in the same order, so results are identical.
//
// expfAccurate, exp2fAccurate, sigmoidf: e^x = 2^k·2^r with k = nearest(x·log2 e),
// r = x·log2 e − k ∈ [−½, ½] (exp2: x itself); 2^r by its Taylor polynomial of degree 8 (truncation
// < 2.1e-10 relative). z = x·log2 e is clamped to [−240, 150] first (NaN passes through
// pmin/pmax): beyond it every float32 result is 0 or +∞, and ±∞ land there too.
// sigmoidf = 1/(1 + e^−x) in the same lanes.
// logf, log2f: x = 2^e·m, m ∈ [√½, √2); log m = 2·atanh(s), s = (m − 1)/(m + 1),
// |s| < 0.1716, by the odd series to s¹³ (truncation < 3e-12 relative); log₂ x = e +
// log m / ln 2; specials by selects.


// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const Z_MIN: f64 = -240.0; // 2^−240 rounds to 0 in float32
// @ts-ignore: decorator
@inline const Z_MAX: f64 = 150.0; // 2^150 overflows float32
// @ts-ignore: decorator
@inline const LN2: f64 = 0.6931471805599453;
// Taylor coefficients of 2^r: ln2^i / i!.
// @ts-ignore: decorator
@inline const E1: f64 = 0.6931471805599453;
// @ts-ignore: decorator
@inline const E2: f64 = 0.2402265069591007;
// @ts-ignore: decorator
@inline const E3: f64 = 0.05550410866482158;
// @ts-ignore: decorator
@inline const E4: f64 = 0.009618129107628477;
// @ts-ignore: decorator
@inline const E5: f64 = 0.0013333558146428443;
// @ts-ignore: decorator
@inline const E6: f64 = 0.00015403530393381606;
// @ts-ignore: decorator
@inline const E7: f64 = 0.000015252733804059838;
// @ts-ignore: decorator
@inline const E8: f64 = 0.0000013215486790144307;

// Lanes 0–1 and 2–3 of an f32x4 as f64x2, and two f64x2 rounded back into one f32x4.
// @ts-ignore: decorator
@inline function lowF64(x: v128): v128 {
  return f64x2.promote_low_f32x4(x);
}

// @ts-ignore: decorator
@inline function highF64(x: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
}

// @ts-ignore: decorator
@inline function packF32(a: v128, b: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline function exp2Poly(r: f64): f64 {
  return 1.0 + r * (E1 + r * (E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * (E7 + r * E8)))))));
}

/** 2^(c·x) for one f32 (c = log2 e: e^x; c = 1: 2^x), in f64 as each SIMD lane is. */
// @ts-ignore: decorator
@inline function exp2One(x: f32, c: f64): f64 {
  // The lanes' pmax/pmin on z: NaN compares false and passes through.
  let z = <f64>x * c;
  z = z < Z_MIN ? Z_MIN : z;
  z = Z_MAX < z ? Z_MAX : z;
  const k = nearest<f64>(z);
  const r = z - k;
  const ki: i64 = k != k ? 0 : <i64>k; // trunc_sat in the lanes: NaN → 0
  const scale = reinterpret<f64>((ki + 1023) << 52);
  return exp2Poly(r) * scale;
}

const F_EXP = 0, F_EXP2 = 1, F_SIGMOID = 2;

// @ts-ignore: decorator
@inline function expQuad(x: v128, kind: i32, lo: v128, hi: v128, vc: v128, bias: v128, one: v128): v128 {
  let a = expLanes(lowF64(x), lo, hi, vc, bias);
  let b = expLanes(highF64(x), lo, hi, vc, bias);
  if (kind == F_SIGMOID) {
    a = f64x2.div(one, f64x2.add(one, a));
    b = f64x2.div(one, f64x2.add(one, b));
  }
  return packF32(a, b);
}

/** The exp family over n f32 (y may be x): e^x, 2^x or 1/(1 + e^−x) by `kind`. */
// @ts-ignore: decorator
@inline function expFamily(n: i32, px: usize, py: usize, kind: i32): void {
  const c: f64 = kind == F_EXP2 ? 1.0 : kind == F_SIGMOID ? -LOG2E : LOG2E;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lo = f64x2.splat(Z_MIN), hi = f64x2.splat(Z_MAX), vc = f64x2.splat(c);
    const bias = i64x2.splat(1023), one = f64x2.splat(1.0);
    // Eight inputs per iteration (four independent f64x2 chains), then four.
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const u = expQuad(v128.load(px + o), kind, lo, hi, vc, bias, one);
      const v = expQuad(v128.load(px + o, 16), kind, lo, hi, vc, bias, one);
      v128.store(py + o, u);
      v128.store(py + o, v, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, expQuad(v128.load(px + o), kind, lo, hi, vc, bias, one));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const y = exp2One(load<f32>(px + o), c);
    store<f32>(py + o, <f32>(kind == F_SIGMOID ? 1.0 / (1.0 + y) : y));
  }
}

/** y ← e^x by the float64 route below (0.503 ULP, half the lanes): a baseline of expf's
 * float32 lanes (expf.ts), exported by the benchmark module only (assembly/bench.ts). */
export function expfAccurate(n: i32, px: usize, py: usize): void {
  expFamily(n, px, py, F_EXP);
}

/** y ← 2^x by the float64 route (0.503 ULP, half the lanes): the baseline of exp2f's float32
 * lanes (expf.ts), exported by the benchmark module only. */
export function exp2fAccurate(n: i32, px: usize, py: usize): void {
  expFamily(n, px, py, F_EXP2);
}

/** y ← 1/(1 + e^−x) over n f32 at byte offsets px, py (y may be x). */
export function sigmoidf(n: i32, px: usize, py: usize): void {
  expFamily(n, px, py, F_SIGMOID);
}

// @ts-ignore: decorator
@inline function expLanes(x: v128, lo: v128, hi: v128, c: v128, bias: v128): v128 {
  // pmax(z, lo) = z < lo ? lo : z and pmin(z, hi) = hi < z ? hi : z: ±∞ clamp, NaN passes.
  const z = f64x2.pmin(f64x2.pmax(f64x2.mul(x, c), lo), hi);
  const k = f64x2.nearest(z);
  const r = f64x2.sub(z, k);
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, bias), 52);
  let p = f64x2.splat(E8);
  p = f64x2.add(f64x2.splat(E7), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E6), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E5), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E4), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E3), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E2), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(E1), f64x2.mul(r, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p));
  return f64x2.mul(p, scale);
}

// @ts-ignore: decorator
@inline const SQRT2: f64 = 1.4142135623730951;
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.4426950408889634;
// 2/(2j + 1) for the atanh series.
// @ts-ignore: decorator
@inline const L3: f64 = 0.6666666666666666;
// @ts-ignore: decorator
@inline const L5: f64 = 0.4;
// @ts-ignore: decorator
@inline const L7: f64 = 0.2857142857142857;
// @ts-ignore: decorator
@inline const L9: f64 = 0.2222222222222222;
// @ts-ignore: decorator
@inline const L11: f64 = 0.18181818181818182;
// @ts-ignore: decorator
@inline const L13: f64 = 0.15384615384615385;

/** log v (or log₂ v when `base2`) for one f32 (or 1 + an f32, exact in f64), evaluated as
 * each SIMD lane is. */
// @ts-ignore: decorator
@inline function logfOne(v: f64, base2: bool): f32 {
  const bits = reinterpret<i64>(v);
  let e = ((bits >>> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const s = (m - 1.0) / (m + 1.0), s2 = s * s;
  const poly = s * (2.0 + s2 * (L3 + s2 * (L5 + s2 * (L7 + s2 * (L9 + s2 * (L11 + s2 * L13))))));
  let y = base2 ? <f64>(<i32>e) + poly * INV_LN2 : <f64>(<i32>e) * LN2 + poly;
  if (v == Infinity) y = Infinity;
  if (v == 0.0) y = -Infinity;
  if (v < 0.0 || v != v) y = NaN;
  return <f32>y;
}

const F_LOG = 0, F_LOG2 = 1, F_LOG1P = 2;
// log1pf: log(1 + x) with 1 + x formed in f64, exact for |x| ≥ 2^−29; there and near 0 the
// logf lanes take e = 0, m = 1 + x and s = x/(2 + x), so the result keeps its relative
// accuracy. Below 2^−29, log(1 + x) = x to within 2^−30 relative: x itself.
// @ts-ignore: decorator
@inline const TINY: f64 = 1.862645149230957e-9; // 2^−29

// @ts-ignore: decorator
@inline function logQuad(x: v128, kind: i32, base2: bool, one: v128, tiny: v128): v128 {
  const xa = lowF64(x), xb = highF64(x);
  let a: v128, b: v128;
  if (kind == F_LOG1P) {
    a = v128.bitselect(xa, logLanes(f64x2.add(one, xa), false), f64x2.lt(f64x2.abs(xa), tiny));
    b = v128.bitselect(xb, logLanes(f64x2.add(one, xb), false), f64x2.lt(f64x2.abs(xb), tiny));
  } else {
    a = logLanes(xa, base2);
    b = logLanes(xb, base2);
  }
  return packF32(a, b);
}

// @ts-ignore: decorator
@inline function logFamily(n: i32, px: usize, py: usize, kind: i32): void {
  const base2 = kind == F_LOG2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f64x2.splat(1.0), tiny = f64x2.splat(TINY);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const u = logQuad(v128.load(px + o), kind, base2, one, tiny);
      const v = logQuad(v128.load(px + o, 16), kind, base2, one, tiny);
      v128.store(py + o, u);
      v128.store(py + o, v, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, logQuad(v128.load(px + o), kind, base2, one, tiny));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(px + o);
    let y: f32;
    if (kind == F_LOG1P) y = Math.abs(<f64>x) < TINY ? x : logfOne(1.0 + <f64>x, false);
    else y = logfOne(<f64>x, base2);
    store<f32>(py + o, y);
  }
}

/** y ← log x over n f32 at byte offsets px, py (y may be x). */
export function logf(n: i32, px: usize, py: usize): void {
  logFamily(n, px, py, F_LOG);
}

/** y ← log₂ x over n f32 at byte offsets px, py (y may be x). */
export function log2f(n: i32, px: usize, py: usize): void {
  logFamily(n, px, py, F_LOG2);
}

/** y ← log(1 + x) over n f32 at byte offsets px, py (y may be x). */
export function log1pf(n: i32, px: usize, py: usize): void {
  logFamily(n, px, py, F_LOG1P);
}

// @ts-ignore: decorator
@inline function logLanes(v: v128, base2: bool): v128 {
  // Negatives and NaN get garbage here and NaN from the final select.
  let e = i64x2.sub(i64x2.shr_u(v128.and(v, i64x2.splat(0x7ff0000000000000)), 52), i64x2.splat(1023));
  let m = v128.or(v128.and(v, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = i64x2.sub(e, big); // big lanes are −1: e + 1
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const s2 = f64x2.mul(s, s);
  let p = f64x2.splat(L13);
  p = f64x2.add(f64x2.splat(L11), f64x2.mul(s2, p));
  p = f64x2.add(f64x2.splat(L9), f64x2.mul(s2, p));
  p = f64x2.add(f64x2.splat(L7), f64x2.mul(s2, p));
  p = f64x2.add(f64x2.splat(L5), f64x2.mul(s2, p));
  p = f64x2.add(f64x2.splat(L3), f64x2.mul(s2, p));
  p = f64x2.add(f64x2.splat(2.0), f64x2.mul(s2, p));
  const ef = f64x2.convert_low_i32x4_s(i32x4.shuffle(e, e, 0, 2, 0, 2));
  let y = base2
    ? f64x2.add(ef, f64x2.mul(f64x2.mul(s, p), f64x2.splat(INV_LN2)))
    : f64x2.add(f64x2.mul(ef, f64x2.splat(LN2)), f64x2.mul(s, p));
  y = v128.bitselect(f64x2.splat(Infinity), y, f64x2.eq(v, f64x2.splat(Infinity)));
  y = v128.bitselect(f64x2.splat(-Infinity), y, f64x2.eq(v, f64x2.splat(0.0)));
  // Negative or NaN: NaN (x < 0 is false for NaN, so test "not x ≥ 0").
  return v128.bitselect(f64x2.splat(NaN), y, v128.not(f64x2.ge(v, f64x2.splat(0.0))));
}

// expm1f, tanhf: from the same 2^z lanes, e^x − 1 and 1 − 2/(e^{2|x|} + 1) (sign of x put
// back). Both lose relative accuracy to cancellation as x → 0, so for |x| < 1/16 they use
// their Taylor series instead (truncation below 1e-13 relative); at |x| = 1/16 the
// cancellation costs at most a factor 17 on the ~2e-10 error of 2^z, still < 0.07 ULP.
// @ts-ignore: decorator
@inline const SMALL: f64 = 0.0625;
// 1/i! for expm1's series, to x⁷/7!.
// @ts-ignore: decorator
@inline const X2: f64 = 0.5;
// @ts-ignore: decorator
@inline const X3: f64 = 0.16666666666666666;
// @ts-ignore: decorator
@inline const X4: f64 = 0.041666666666666664;
// @ts-ignore: decorator
@inline const X5: f64 = 0.008333333333333333;
// @ts-ignore: decorator
@inline const X6: f64 = 0.001388888888888889;
// @ts-ignore: decorator
@inline const X7: f64 = 0.0001984126984126984;
// tanh x = x + T3·x³ + T5·x⁵ + T7·x⁷ + T9·x⁹ + …
// @ts-ignore: decorator
@inline const T3: f64 = -0.3333333333333333;
// @ts-ignore: decorator
@inline const T5: f64 = 0.13333333333333333;
// @ts-ignore: decorator
@inline const T7: f64 = -0.05396825396825397;
// @ts-ignore: decorator
@inline const T9: f64 = 0.021869488536155203;

/** e^x − 1 (or tanh x when `tanh`) for one f32, evaluated as each SIMD lane is. */
// @ts-ignore: decorator
@inline function expm1TanhOne(x: f32, tanh: bool): f64 {
  const v = <f64>x;
  if (tanh) {
    const big = 1.0 - 2.0 / (exp2One(<f32>Math.abs(v), 2.0 * LOG2E) + 1.0);
    const v2 = v * v;
    const small = v * (1.0 + v2 * (T3 + v2 * (T5 + v2 * (T7 + v2 * T9))));
    return Math.abs(v) < SMALL ? small : copysign<f64>(big, v);
  }
  const big = exp2One(x, LOG2E) - 1.0;
  const small = v * (1.0 + v * (X2 + v * (X3 + v * (X4 + v * (X5 + v * (X6 + v * X7))))));
  return Math.abs(v) < SMALL ? small : big;
}

// @ts-ignore: decorator
@inline function expm1TanhLanes(v: v128, tanh: bool): v128 {
  const lo = f64x2.splat(Z_MIN), hi = f64x2.splat(Z_MAX), bias = i64x2.splat(1023), one = f64x2.splat(1.0);
  const a = f64x2.abs(v);
  const small = f64x2.lt(a, f64x2.splat(SMALL));
  if (tanh) {
    const e = expLanes(a, lo, hi, f64x2.splat(2.0 * LOG2E), bias);
    const big = f64x2.sub(one, f64x2.div(f64x2.splat(2.0), f64x2.add(e, one)));
    const v2 = f64x2.mul(v, v);
    let p = f64x2.splat(T9);
    p = f64x2.add(f64x2.splat(T7), f64x2.mul(v2, p));
    p = f64x2.add(f64x2.splat(T5), f64x2.mul(v2, p));
    p = f64x2.add(f64x2.splat(T3), f64x2.mul(v2, p));
    p = f64x2.mul(v, f64x2.add(one, f64x2.mul(v2, p)));
    const signed = v128.bitselect(v, big, f64x2.splat(-0.0)); // copysign(big, v)
    return v128.bitselect(p, signed, small);
  }
  const big = f64x2.sub(expLanes(v, lo, hi, f64x2.splat(LOG2E), bias), one);
  let p = f64x2.splat(X7);
  p = f64x2.add(f64x2.splat(X6), f64x2.mul(v, p));
  p = f64x2.add(f64x2.splat(X5), f64x2.mul(v, p));
  p = f64x2.add(f64x2.splat(X4), f64x2.mul(v, p));
  p = f64x2.add(f64x2.splat(X3), f64x2.mul(v, p));
  p = f64x2.add(f64x2.splat(X2), f64x2.mul(v, p));
  p = f64x2.mul(v, f64x2.add(one, f64x2.mul(v, p)));
  return v128.bitselect(p, big, small);
}

// @ts-ignore: decorator
@inline function expm1Tanh(n: i32, px: usize, py: usize, tanh: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const x = v128.load(px + o), x2 = v128.load(px + o, 16);
      const u = packF32(expm1TanhLanes(lowF64(x), tanh), expm1TanhLanes(highF64(x), tanh));
      const v = packF32(expm1TanhLanes(lowF64(x2), tanh), expm1TanhLanes(highF64(x2), tanh));
      v128.store(py + o, u);
      v128.store(py + o, v, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(px + o);
      v128.store(py + o, packF32(expm1TanhLanes(lowF64(x), tanh), expm1TanhLanes(highF64(x), tanh)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, <f32>expm1TanhOne(load<f32>(px + o), tanh));
  }
}

/** y ← e^x − 1 over n f32 at byte offsets px, py (y may be x). */
export function expm1f(n: i32, px: usize, py: usize): void {
  expm1Tanh(n, px, py, false);
}

/** y ← tanh x over n f32 at byte offsets px, py (y may be x). */
export function tanhf(n: i32, px: usize, py: usize): void {
  expm1Tanh(n, px, py, true);
}
