// BLAS level 1 on contiguous f64 vectors at byte offsets (unit stride).
// SIMD paths use f64x2 with two accumulators where a reduction would otherwise wait on
// the add latency; scalar tails finish the last element, and the scalar build (no SIMD)
// compiles the same source with the `if (ASC_FEATURE_SIMD)` blocks removed.
// Reductions sum in a different order on the SIMD and scalar builds: results agree to
// rounding, not bit for bit.

/** Returns x·y over n f64 at byte offsets px, py. */
export function ddot(n: i32, px: usize, py: usize): f64 {
  let i = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(px + o), v128.load(py + o)));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(px + o, 16), v128.load(py + o, 16)));
    }
    const a = f64x2.add(a0, a1);
    s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    s += load<f64>(px + o) * load<f64>(py + o);
  }
  return s;
}

/** y ← a·x + y over n f64 at byte offsets px, py. */
export function daxpy(n: i32, a: f64, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      v128.store(py + o, f64x2.add(v128.load(py + o), f64x2.mul(va, v128.load(px + o))));
      v128.store(py + o, f64x2.add(v128.load(py + o, 16), f64x2.mul(va, v128.load(px + o, 16))), 16);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(py + o, load<f64>(py + o) + a * load<f64>(px + o));
  }
}

/** x ← a·x over n f64 at byte offset px. */
export function dscal(n: i32, a: f64, px: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(a);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(px + o, f64x2.mul(va, v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(px + o, a * load<f64>(px + o));
  }
}

/** y ← x over n f64 at byte offsets px, py (the ranges may overlap). */
export function dcopy(n: i32, px: usize, py: usize): void {
  memory.copy(py, px, <usize>n << 3);
}

/** Returns max |x_i| over n f64 at byte offset px (NaN if any x_i is NaN). */
export function damax(n: i32, px: usize): f64 {
  let i = 0;
  let m = 0.0;
  if (ASC_FEATURE_SIMD) {
    // f64x2.max propagates NaN, like Math.max below.
    let v = f64x2.splat(0.0);
    for (; i + 2 <= n; i += 2) v = f64x2.max(v, f64x2.abs(v128.load(px + (<usize>i << 3))));
    m = Math.max(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  }
  for (; i < n; i++) m = Math.max(m, Math.abs(load<f64>(px + (<usize>i << 3))));
  return m;
}

// The plain sum of squares is exact enough when it neither overflows nor comes near the
// subnormal range: squares that underflow are each below 2^-1074, so with
// ssq ≥ 2^-900 their total (≤ n·2^-1074) is far below one ulp of ssq for any n < 2^31.
// @ts-ignore: decorator
@inline const SSQ_SAFE_MIN: f64 = reinterpret<f64>(0x07B0000000000000); // 2^-900

/** Returns ‖x‖₂ over n f64 at byte offset px without overflow or underflow in the squares. */
export function dnrm2(n: i32, px: usize): f64 {
  const ssq = sumSquares(n, px, 1.0);
  if (ssq < Infinity && ssq >= SSQ_SAFE_MIN) return Math.sqrt(ssq);
  // Rare path: scale by a power of two near 1/max|x| (exact, so no rounding is added),
  // then sum again. Also the path for zero vectors, Inf and NaN.
  const amax = damax(n, px);
  if (amax == 0.0 || !(amax < Infinity)) return amax; // 0, +Inf or NaN
  // 2^±1022 are normal, so both scale factors below are exact powers of two.
  const e = min(max(<i32>((reinterpret<u64>(amax) >> 52) & 0x7ff) - 1023, -1022), 1022);
  const scale = reinterpret<f64>(<u64>(1023 - e) << 52); // 2^-e
  return Math.sqrt(sumSquares(n, px, scale)) * reinterpret<f64>(<u64>(1023 + e) << 52);
}

/** @internal Σ (s·x_i)² over n f64 at byte offset px. */
function sumSquares(n: i32, px: usize, s: f64): f64 {
  let i = 0;
  let r = 0.0;
  if (ASC_FEATURE_SIMD) {
    const vs = f64x2.splat(s);
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      const u = f64x2.mul(vs, v128.load(px + o));
      const w = f64x2.mul(vs, v128.load(px + o, 16));
      a0 = f64x2.add(a0, f64x2.mul(u, u));
      a1 = f64x2.add(a1, f64x2.mul(w, w));
    }
    const a = f64x2.add(a0, a1);
    r = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  }
  for (; i < n; i++) {
    const v = s * load<f64>(px + (<usize>i << 3));
    r += v * v;
  }
  return r;
}
