// tanhfFast: tanh x in float32 lanes, ≤ 1 ULP, emulated bit for bit by
// tools/evolve/targets/tanh.js (where the error budget is worked out):
//   |x| < 13/16: x + k(x), k ≈ tanh x − x evolved (programs.ts: tanhEvolved); x itself below
//                2^−12, where tanh x rounds to x (this also keeps −0);
//   otherwise:   1 − 2/(E + 1) with E = e^{2|x|} from expf's pieces (expf.ts: expPiece) as
//                E_hi + E_lo, the division's input error corrected to first order and 1 − q₀
//                split exactly, so the result rounds once; the sign of x put back.
// A vector computes the branch its lanes need (both when they are mixed).
import { expPiece, expPieceOne, EXP_A, EXP_N, EXP_S, TAIL_EVOLVED } from "./expf";
import { tanhEvolved, tanhEvolvedScalar } from "./programs";

// @ts-ignore: decorator
@inline const SMALL: f32 = 0.8125;
// @ts-ignore: decorator
@inline const TINY: f32 = 0.000244140625; // 2^−12
// @ts-ignore: decorator
@inline const A_MAX: f32 = 9.5; // tanh rounds to 1 beyond 9.01; E stays finite

// @ts-ignore: decorator
@inline function tanhLarge(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const ax = f32x4.pmin(f32x4.abs(x), f32x4.splat(A_MAX)); // NaN passes
  const z = f32x4.add(ax, ax);
  const a = expPiece(z, TAIL_EVOLVED, EXP_A),
    s = expPiece(z, TAIL_EVOLVED, EXP_S);
  const eh = f32x4.add(a, s);
  const el = f32x4.add(f32x4.sub(a, eh), s);
  // 2^n for n ≤ 28: one normal scale factor, both products exact.
  const p = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(expPiece(z, TAIL_EVOLVED, EXP_N)), i32x4.splat(127)), 23);
  const Eh = f32x4.mul(eh, p),
    El = f32x4.mul(el, p);
  const D = f32x4.add(Eh, one);
  const t = f32x4.add(f32x4.add(f32x4.sub(Eh, D), one), El); // D's exact error, plus E_lo
  const q0 = f32x4.div(f32x4.splat(2.0), D);
  const corr = f32x4.mul(f32x4.mul(q0, q0), f32x4.mul(t, f32x4.splat(0.5)));
  const h = f32x4.sub(one, q0);
  const l = f32x4.sub(f32x4.sub(one, h), q0);
  const y = f32x4.add(h, f32x4.add(l, corr));
  return v128.or(y, v128.and(x, f32x4.splat(-0.0)));
}

// @ts-ignore: decorator
@inline function tanhSmall(x: v128): v128 {
  const y = f32x4.add(x, tanhEvolved(x));
  return v128.bitselect(x, y, f32x4.lt(f32x4.abs(x), f32x4.splat(TINY)));
}

// @ts-ignore: decorator
@inline function tanhLanes(x: v128): v128 {
  const small = f32x4.lt(f32x4.abs(x), f32x4.splat(SMALL));
  if (i32x4.all_true(small)) return tanhSmall(x);
  const y = tanhLarge(x);
  return v128.any_true(small) ? v128.bitselect(tanhSmall(x), y, small) : y;
}

// @ts-ignore: decorator
@inline function tanhOne(x: f32): f32 {
  const ax0 = abs<f32>(x);
  if (ax0 < SMALL) return ax0 < TINY ? x : x + tanhEvolvedScalar(x);
  const ax = A_MAX < ax0 ? A_MAX : ax0;
  const z = ax + ax;
  const a = expPieceOne(z, TAIL_EVOLVED, EXP_A),
    s = expPieceOne(z, TAIL_EVOLVED, EXP_S);
  const eh = a + s;
  const el = (a - eh) + s;
  const nf = expPieceOne(z, TAIL_EVOLVED, EXP_N);
  const p = reinterpret<f32>(((nf != nf ? 0 : <i32>nf) + 127) << 23);
  const Eh = eh * p,
    El = el * p;
  const D = Eh + <f32>1.0;
  const t = ((Eh - D) + <f32>1.0) + El;
  const q0 = <f32>2.0 / D;
  const corr = (q0 * q0) * (t * <f32>0.5);
  const h = <f32>1.0 - q0;
  const l = (<f32>1.0 - h) - q0;
  const y = h + (l + corr);
  return reinterpret<f32>(reinterpret<u32>(y) | (reinterpret<u32>(x) & 0x80000000));
}

/** y ← tanh x over n f32 at byte offsets px, py (y may be x): the fast tier of tanhf. */
export function tanhfFast(n: i32, px: usize, py: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = tanhLanes(v128.load(px + o));
      const b = tanhLanes(v128.load(px + o, 16));
      v128.store(py + o, a);
      v128.store(py + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, tanhLanes(v128.load(px + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, tanhOne(load<f32>(px + o)));
  }
}
