// One entry point for every operator kind, so that solvers running inside wasm can apply
// any of them. The TypeScript side writes a descriptor per operator (bindings/operators/
// operator.ts writes the same layout):
//   0 kind (i32)   4 nx   8 ny   12 nz   16 lines (rows of the row range)   20 points per line
//   24, 28, 32, 36 data pointers   40 nterms   48 … 96 seven f64 coefficients
// A "line" is a grid row of nx points (stencils) or one matrix row (CSR).
import { csrMatvec } from "./csr";
import { stencil5, stencil7, stencilTerms } from "./stencil";
import { diffusion } from "./diffusion";
import { ddot } from "../blas/level1";
import { xpby } from "../blas/fused";

export const OP_CSR = 1;
export const OP_STENCIL5 = 2;
export const OP_STENCIL7 = 3;
export const OP_TERMS = 4;
export const OP_DIFFUSION = 5;

/** Bytes of an operator descriptor. */
export const OP_DESCRIPTOR_BYTES: i32 = 104;

/** y ← A·x on lines l0 … l1−1 of the operator described at `d`. */
export function opApply(d: usize, l0: i32, l1: i32, px: usize, py: usize): void {
  const kind = load<i32>(d);
  const nx = load<i32>(d, 4), ny = load<i32>(d, 8), nz = load<i32>(d, 12);
  const p0 = load<usize>(d, 24), p1 = load<usize>(d, 28), p2 = load<usize>(d, 32), p3 = load<usize>(d, 36);
  switch (kind) {
    case OP_CSR:
      csrMatvec(l0, l1, p0, p1, p2, px, py);
      break;
    case OP_STENCIL5:
      stencil5(nx, ny, l0, l1, load<f64>(d, 48), load<f64>(d, 56), load<f64>(d, 64), load<f64>(d, 72), load<f64>(d, 80), px, py);
      break;
    case OP_STENCIL7:
      stencil7(
        nx, ny, nz, l0, l1, load<f64>(d, 48), load<f64>(d, 56), load<f64>(d, 64), load<f64>(d, 72),
        load<f64>(d, 80), load<f64>(d, 88), load<f64>(d, 96), px, py,
      );
      break;
    case OP_TERMS:
      stencilTerms(nx, ny, nz, l0, l1, load<i32>(d, 40), p0, px, py);
      break;
    case OP_DIFFUSION:
      diffusion(nx, ny, nz, l0, l1, p0, p1, p2, p3, px, py);
      break;
  }
}

// Lines per block in the fused product: a block's x and y stay in L1/L2 between the
// product and the dot product that reads them back.
// @ts-ignore: decorator
@inline const BLOCK_POINTS: i32 = 4096;

/** y ← A·x over all lines, returning x·y: the product and the dot product in one pass
 * over memory (block by block). */
export function opApplyDot(d: usize, px: usize, py: usize): f64 {
  const lines = load<i32>(d, 16), per = load<i32>(d, 20);
  const step = max(1, BLOCK_POINTS / per);
  let s = 0.0;
  for (let l = 0; l < lines; l += step) {
    const e = min(lines, l + step);
    opApply(d, l, e, px, py);
    const o = <usize>(l * per) << 3;
    s += ddot((e - l) * per, px + o, py + o);
  }
  return s;
}

/** How many lines ahead of line l the product on line l reads. */
function reach(d: usize): i32 {
  const kind = load<i32>(d), ny = load<i32>(d, 8), nz = load<i32>(d, 12), lines = load<i32>(d, 16);
  if (kind == OP_STENCIL5) return 1;
  if (kind == OP_STENCIL7 || (kind == OP_DIFFUSION && nz > 1)) return ny;
  if (kind == OP_DIFFUSION) return 1;
  if (kind == OP_TERMS) {
    let r = 0;
    const pt = load<usize>(d, 24);
    for (let t = 0, nt = load<i32>(d, 40); t < nt; t++) {
      const q = pt + (<usize>t << 4);
      r = max(r, <i32>load<i8>(q, 1) + <i32>load<i8>(q, 2) * ny);
    }
    return r;
  }
  return lines; // CSR: any column, so the whole update comes first
}

/**
 * p ← z + β·p, then y ← A·p, returning pᵀy: CG's direction update and product in one pass
 * over memory. Lines of p are updated just far enough ahead of the block being multiplied
 * (`reach` lines), so both stay in cache.
 */
export function opUpdateApplyDot(d: usize, beta: f64, pz: usize, pp: usize, py: usize): f64 {
  const lines = load<i32>(d, 16), per = load<i32>(d, 20);
  const ahead = reach(d);
  const step = max(1, BLOCK_POINTS / per);
  let updated = 0;
  let s = 0.0;
  for (let l = 0; l < lines; l += step) {
    const e = min(lines, l + step);
    const target = min(lines, e + ahead);
    if (target > updated) {
      const o = <usize>(updated * per) << 3;
      xpby((target - updated) * per, beta, pz + o, pp + o);
      updated = target;
    }
    opApply(d, l, e, pp, py);
    const o = <usize>(l * per) << 3;
    s += ddot((e - l) * per, pp + o, py + o);
  }
  return s;
}
