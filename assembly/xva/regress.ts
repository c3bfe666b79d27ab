// Least-squares regression across paths: basis functions of standardised regressors,
// the weighted normal equations ΦᵀWΦ and ΦᵀWT, and fitted values Φc. Data are [column][path].
// Sums run over four interleaved partial sums (paths p ≡ 0…3 mod 4), in the same order on
// the SIMD build (two f64x2 accumulators) and the scalar build: both give the same bits.
import { BasisKind } from "../generated/layouts";


/**
 * Φ[k][p] = Π_i P_{e_ki}(u_i[p]) with u_i = (x_i − mean_i)·invScale_i for q regressors whose
 * rows (M f64 each) are at the byte offsets listed in pRegs (q u32); P_d is u^d (monomial) or
 * the probabilists' Hermite polynomial He_d. Exponents e at pExp (K×q i32), each ≤ deg.
 * pTable is scratch for (deg + 1)·q·M f64; pPhi receives K·M f64.
 */
export function basisEval(
  M: i32, q: i32, pRegs: usize, pMean: usize, pInvScale: usize, deg: i32, kind: i32,
  K: i32, pExp: usize, pTable: usize, pPhi: usize,
): void {
  const m = <usize>M;
  const rowBytes = m << 3;
  for (let i = 0; i < q; i++) {
    const x = <usize>load<u32>(pRegs + (<usize>i << 2));
    const mean = load<f64>(pMean + (<usize>i << 3));
    const s = load<f64>(pInvScale + (<usize>i << 3));
    const t0 = pTable + <usize>(i * (deg + 1)) * rowBytes;
    for (let p: usize = 0; p < m; p++) {
      const o = p << 3;
      const u = (load<f64>(x + o) - mean) * s;
      store<f64>(t0 + o, 1.0);
      if (deg >= 1) store<f64>(t0 + rowBytes + o, u);
      // He_{d+1} = u He_d − d He_{d−1}; u^{d+1} = u·u^d.
      for (let d = 1; d < deg; d++) {
        const next = u * load<f64>(t0 + <usize>d * rowBytes + o) - (kind == BasisKind.HERMITE ? <f64>d * load<f64>(t0 + <usize>(d - 1) * rowBytes + o) : 0.0);
        store<f64>(t0 + <usize>(d + 1) * rowBytes + o, next);
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const col = pPhi + <usize>k * rowBytes;
    memory.copy(col, pTable + <usize>load<i32>(pExp + (<usize>(k * q) << 2)) * rowBytes, rowBytes);
    for (let i = 1; i < q; i++) {
      const e = load<i32>(pExp + (<usize>(k * q + i) << 2));
      if (e == 0) continue;
      const t = pTable + <usize>(i * (deg + 1) + e) * rowBytes;
      let p: usize = 0;
      if (ASC_FEATURE_SIMD) {
        for (; p + 2 <= m; p += 2) v128.store(col + (p << 3), f64x2.mul(v128.load(col + (p << 3)), v128.load(t + (p << 3))));
      }
      for (; p < m; p++) store<f64>(col + (p << 3), load<f64>(col + (p << 3)) * load<f64>(t + (p << 3)));
    }
  }
}

const CHUNK: i32 = 512;

/** Σ_p a[p]·b[p] over n ≤ CHUNK entries, four interleaved partial sums. */
// @ts-ignore: decorator
@inline function dot4(n: i32, a: usize, b: usize): f64 {
  let p = 0;
  let s: f64;
  if (ASC_FEATURE_SIMD) {
    let acc0 = f64x2.splat(0.0);
    let acc1 = f64x2.splat(0.0);
    for (; p + 4 <= n; p += 4) {
      const o = <usize>p << 3;
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    const acc = f64x2.add(acc0, acc1);
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; p + 4 <= n; p += 4) {
      const o = <usize>p << 3;
      s0 += load<f64>(a + o) * load<f64>(b + o);
      s1 += load<f64>(a + o, 8) * load<f64>(b + o, 8);
      s2 += load<f64>(a + o, 16) * load<f64>(b + o, 16);
      s3 += load<f64>(a + o, 24) * load<f64>(b + o, 24);
    }
    s = (s0 + s2) + (s1 + s3);
  }
  for (; p < n; p++) s += load<f64>(a + (<usize>p << 3)) * load<f64>(b + (<usize>p << 3));
  return s;
}

/**
 * Adds ΦᵀWΦ (upper triangle of the K×K row-major matrix at pG) and ΦᵀWT (K×R row-major at
 * pB) over M paths, W = diag(w) from pW (M f64) or the identity when pW = 0; Φ is K·M f64
 * at pPhi, T is R·M f64 at pT. Paths are taken in chunks of 512 that stay in cache;
 * pScratch holds CHUNK·K f64 (the weighted chunk of Φ).
 */
export function gramAccumulate(M: i32, K: i32, pPhi: usize, pW: usize, R: i32, pT: usize, pG: usize, pB: usize, pScratch: usize): void {
  const rowBytes = <usize>M << 3;
  for (let c0 = 0; c0 < M; c0 += CHUNK) {
    const n = min(CHUNK, M - c0);
    const off = <usize>c0 << 3;
    for (let a = 0; a < K; a++) {
      const src = pPhi + <usize>a * rowBytes + off;
      const dst = pScratch + (<usize>(a * CHUNK) << 3);
      if (pW == 0) {
        memory.copy(dst, src, <usize>n << 3);
      } else {
        let p = 0;
        if (ASC_FEATURE_SIMD) {
          for (; p + 2 <= n; p += 2) v128.store(dst + (<usize>p << 3), f64x2.mul(v128.load(src + (<usize>p << 3)), v128.load(pW + off + (<usize>p << 3))));
        }
        for (; p < n; p++) store<f64>(dst + (<usize>p << 3), load<f64>(src + (<usize>p << 3)) * load<f64>(pW + off + (<usize>p << 3)));
      }
    }
    for (let a = 0; a < K; a++) {
      const wa = pScratch + (<usize>(a * CHUNK) << 3);
      for (let b = a; b < K; b++) {
        const g = pG + (<usize>(a * K + b) << 3);
        store<f64>(g, load<f64>(g) + dot4(n, wa, pPhi + <usize>b * rowBytes + off));
      }
      for (let r = 0; r < R; r++) {
        const g = pB + (<usize>(a * R + r) << 3);
        store<f64>(g, load<f64>(g) + dot4(n, wa, pT + <usize>r * rowBytes + off));
      }
    }
  }
}

/** out[r][p] = Σ_k Φ[k][p]·c[k][r] for R right-hand sides (c is K×R row-major at pC). */
export function basisCombine(M: i32, K: i32, pPhi: usize, R: i32, pC: usize, pOut: usize): void {
  const m = <usize>M;
  const rowBytes = m << 3;
  for (let r = 0; r < R; r++) {
    const out = pOut + <usize>r * rowBytes;
    memory.fill(out, 0, rowBytes);
    for (let k = 0; k < K; k++) {
      const c = load<f64>(pC + (<usize>(k * R + r) << 3));
      const col = pPhi + <usize>k * rowBytes;
      let p: usize = 0;
      if (ASC_FEATURE_SIMD) {
        const vc = f64x2.splat(c);
        for (; p + 2 <= m; p += 2) v128.store(out + (p << 3), f64x2.add(v128.load(out + (p << 3)), f64x2.mul(vc, v128.load(col + (p << 3)))));
      }
      for (; p < m; p++) store<f64>(out + (p << 3), load<f64>(out + (p << 3)) + c * load<f64>(col + (p << 3)));
    }
  }
}
