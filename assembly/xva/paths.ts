// Forward paths of correlated geometric Brownian motions by exact log steps, with first
// exits of chosen components (firm values) below barriers. Storage is [step][component][path]
// so the f64x2 lanes run across paths. The SIMD and scalar builds perform the same IEEE
// operations in the same order on every path: their results are bit-identical.
import { normalPair, normalQuad, normal0, normal1, philox, out0, out1, out2, out3, uniform52 } from "./philox";
import { expLanes, expOne } from "../elementary/f64";
import { ExitKind } from "../generated/layouts";

/** Exit tests: at grid points only, or also by the Brownian-bridge crossing probability. */

// RNG streams (counter word 3): the path normals and the bridge uniforms never overlap.
const STREAM_NORMALS: u32 = 0;
const STREAM_BRIDGE: u32 = 1;

// e^−37 ≈ 8.5e−17 is below 2^−53 ≈ 1.1e−16, the smallest value uniform52 returns.
const BRIDGE_CUTOFF = -37.0;

/**
 * Simulates M paths of D log-values over N steps.
 * logX_{n+1,j} = logX_{n,j} + (drift_j + Σ_{k≤j} vol_{jk} z_{n,k}), z standard normals with
 * normal (n, k) of path p from counter (p >> 1, n, k, 0) under key (k0, k1).
 * - pX0: D f64 start log-values; pDrift: D f64 per-step drifts; pVol: D×D f64 row-major
 *   lower-triangular step volatilities (σ_j √h times the Cholesky factor of the correlation).
 * - pLogX: (N + 1)·D·M f64 written; pZ: the normals, N·D·M f64 when keepZ ≠ 0, else one
 *   D·M block reused every step.
 * - Exits: nFirms (0–2) components listed at pFirm (i32) with log-barriers at pLogB
 *   ((N + 1) × nFirms f64, [n][firm]) and log-volatilities σ at pSigma (nFirms f64);
 *   pExit (M i32) receives the first step at which some firm is at or below its barrier
 *   (0: none) and pWho (M i32) the set of firms (bit f) that exited at that step.
 */
export function simulatePaths(
  M: i32, N: i32, D: i32, k0: u32, k1: u32,
  pX0: usize, pDrift: usize, pVol: usize, pLogX: usize, pZ: usize, keepZ: i32,
  nFirms: i32, pFirm: usize, pLogB: usize, pSigma: usize, h: f64, method: i32, pExit: usize, pWho: usize,
): void {
  const m = <usize>M;
  const rowBytes = m << 3;
  for (let j = 0; j < D; j++) {
    const x0 = load<f64>(pX0 + (<usize>j << 3));
    const row = pLogX + <usize>j * rowBytes;
    for (let p: usize = 0; p < m; p++) store<f64>(row + (p << 3), x0);
  }
  if (nFirms > 0) {
    memory.fill(pExit, 0, m << 2);
    memory.fill(pWho, 0, m << 2);
  }
  for (let n = 0; n < N; n++) {
    const zBlock = pZ + (keepZ ? <usize>n * <usize>D * rowBytes : 0);
    for (let k = 0; k < D; k++) {
      const zRow = zBlock + <usize>k * rowBytes;
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        for (; p + 4 <= M; p += 4) normalQuad(<u32>(p >> 1), <u32>n, <u32>k, STREAM_NORMALS, k0, k1, zRow + (<usize>p << 3));
      }
      for (; p < M; p += 2) {
        normalPair(<u32>(p >> 1), <u32>n, <u32>k, STREAM_NORMALS, k0, k1);
        store<f64>(zRow + (<usize>p << 3), normal0);
        if (p + 1 < M) store<f64>(zRow + (<usize>(p + 1) << 3), normal1);
      }
    }
    const from = pLogX + <usize>n * <usize>D * rowBytes;
    const to = from + <usize>D * rowBytes;
    for (let j = 0; j < D; j++) stepComponent(m, D, j, load<f64>(pDrift + (<usize>j << 3)), pVol, from + <usize>j * rowBytes, to + <usize>j * rowBytes, zBlock);
    for (let f = 0; f < nFirms; f++) {
      const j = load<i32>(pFirm + (<usize>f << 2));
      const b0 = load<f64>(pLogB + ((<usize>n * <usize>nFirms + <usize>f) << 3));
      const b1 = load<f64>(pLogB + ((<usize>(n + 1) * <usize>nFirms + <usize>f) << 3));
      const sigma = load<f64>(pSigma + (<usize>f << 3));
      exitTest(M, n, f, from + <usize>j * rowBytes, to + <usize>j * rowBytes, b0, b1, -2.0 / (sigma * sigma * h), method, k0, k1, pExit, pWho);
    }
  }
}

/** logX_{n+1,j} = logX_{n,j} + (drift + Σ_{k≤j} vol_{jk} z_k) for every path. */
function stepComponent(m: usize, D: i32, j: i32, drift: f64, pVol: usize, from: usize, to: usize, zBlock: usize): void {
  const rowBytes = m << 3;
  const volRow = pVol + (<usize>(j * D) << 3);
  let p: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const vd = f64x2.splat(drift);
    for (; p + 2 <= m; p += 2) {
      const o = p << 3;
      let acc = vd;
      for (let k = 0; k <= j; k++) {
        acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(volRow + (<usize>k << 3))), v128.load(zBlock + <usize>k * rowBytes + o)));
      }
      v128.store(to + o, f64x2.add(v128.load(from + o), acc));
    }
  }
  for (; p < m; p++) {
    const o = p << 3;
    let acc = drift;
    for (let k = 0; k <= j; k++) acc += load<f64>(volRow + (<usize>k << 3)) * load<f64>(zBlock + <usize>k * rowBytes + o);
    store<f64>(to + o, load<f64>(from + o) + acc);
  }
}

/** Marks paths whose firm value (log x0 → x1 over step n) is at or below the barrier
 * (b0 → b1) at t_{n+1}, or crossed it in between by the bridge test
 * P(cross) = exp(−2 (x0 − b0)(x1 − b1) / (σ² h)); paths 2q and 2q + 1 take the two halves
 * of philox(q, n, f, 1), so each pair draws one Philox block and evaluates its two
 * exponentials in one pair of f64x2 lanes (expLanes gives expOne's bits). */
function exitTest(
  M: i32, n: i32, f: i32, from: usize, to: usize, b0: f64, b1: f64, c: f64, method: i32,
  k0: u32, k1: u32, pExit: usize, pWho: usize,
): void {
  for (let p = 0; p < M; p += 2) {
    const second = p + 1 < M;
    const live0 = alive(pExit, p, n), live1 = second && alive(pExit, p + 1, n);
    if (!live0 && !live1) continue;
    const x10 = load<f64>(to + (<usize>p << 3)), x11 = second ? load<f64>(to + (<usize>(p + 1) << 3)) : 0.0;
    let hit0 = live0 && x10 <= b1, hit1 = live1 && x11 <= b1;
    if (method == ExitKind.BRIDGE) {
      const x00 = load<f64>(from + (<usize>p << 3)), x01 = second ? load<f64>(from + (<usize>(p + 1) << 3)) : 0.0;
      const a0 = c * (x00 - b0) * (x10 - b1), a1 = c * (x01 - b0) * (x11 - b1);
      // A crossing probability e^a below the smallest uniform (2^−53) can never beat it: only
      // paths near the barrier draw their uniform (and pay for the exponential).
      const test0 = live0 && !hit0 && a0 > BRIDGE_CUTOFF, test1 = live1 && !hit1 && a1 > BRIDGE_CUTOFF;
      if (test0 || test1) {
        philox(<u32>(p >> 1), <u32>n, <u32>f, STREAM_BRIDGE, k0, k1);
        let e0: f64, e1: f64;
        if (ASC_FEATURE_SIMD) {
          const e = expLanes(f64x2(a0, a1));
          e0 = f64x2.extract_lane(e, 0);
          e1 = f64x2.extract_lane(e, 1);
        } else {
          e0 = test0 ? expOne(a0) : 0.0;
          e1 = test1 ? expOne(a1) : 0.0;
        }
        if (test0) hit0 = uniform52(out0, out1) < e0;
        if (test1) hit1 = uniform52(out2, out3) < e1;
      }
    }
    if (hit0) markExit(pExit, pWho, p, n, f);
    if (hit1) markExit(pExit, pWho, p + 1, n, f);
  }
}

/** Path p has not exited before step n + 1 (it may have at n + 1, by another firm). */
// @ts-ignore: decorator
@inline function alive(pExit: usize, p: i32, n: i32): bool {
  const prior = load<i32>(pExit + (<usize>p << 2));
  return prior == 0 || prior == n + 1;
}

/** Path p exits at step n + 1, firm f among those that hit it. */
// @ts-ignore: decorator
@inline function markExit(pExit: usize, pWho: usize, p: i32, n: i32, f: i32): void {
  store<i32>(pExit + (<usize>p << 2), n + 1);
  const w = pWho + (<usize>p << 2);
  store<i32>(w, load<i32>(w) | (1 << f));
}
