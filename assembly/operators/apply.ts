// One entry point for every operator kind, so that solvers running inside wasm can apply
// any of them. The TypeScript side writes a descriptor per operator (OperatorDescriptor,
// generated from scripts/layouts.mjs for both sides). A "line" is a grid row of nx points
// (stencils) or one matrix row (CSR).
import { csrMatvec } from "./csr";
import { stencil5, stencil7, stencilTerms } from "./stencil";
import { diffusion } from "./diffusion";
import { ddot } from "../blas/level1";
import { xpby } from "../blas/fused";
import { OperatorDescriptor, OperatorKind, StencilTerm } from "../generated/layouts";

/** y ← A·x on lines l0 … l1−1 of the operator described at `d`. */
export function opApply(d: usize, l0: i32, l1: i32, px: usize, py: usize): void {
  const o = changetype<OperatorDescriptor>(d);
  const nx = o.nx, ny = o.ny, nz = o.nz;
  switch (o.kind) {
    case OperatorKind.CSR:
      csrMatvec(l0, l1, o.ptr0, o.ptr1, o.ptr2, px, py);
      break;
    case OperatorKind.STENCIL5:
      stencil5(nx, ny, l0, l1, o.coef0, o.coef1, o.coef2, o.coef3, o.coef4, px, py);
      break;
    case OperatorKind.STENCIL7:
      stencil7(nx, ny, nz, l0, l1, o.coef0, o.coef1, o.coef2, o.coef3, o.coef4, o.coef5, o.coef6, px, py);
      break;
    case OperatorKind.TERMS:
      stencilTerms(nx, ny, nz, l0, l1, o.nterms, o.ptr0, px, py);
      break;
    case OperatorKind.DIFFUSION:
      diffusion(nx, ny, nz, l0, l1, o.ptr0, o.ptr1, o.ptr2, o.ptr3, px, py);
      break;
  }
}

/** y ← A·x over all lines. */
// @ts-ignore: decorator
@inline export function opApplyAll(d: usize, px: usize, py: usize): void {
  opApply(d, 0, changetype<OperatorDescriptor>(d).lines, px, py);
}

// Lines per block in the fused product: a block's x and y stay in L1/L2 between the
// product and the dot product that reads them back.
// @ts-ignore: decorator
@inline const BLOCK_POINTS: i32 = 4096;

/** y ← A·x over all lines, returning x·y: the product and the dot product in one pass
 * over memory (block by block). */
export function opApplyDot(d: usize, px: usize, py: usize): f64 {
  const lines = changetype<OperatorDescriptor>(d).lines, per = changetype<OperatorDescriptor>(d).perLine;
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
  const o = changetype<OperatorDescriptor>(d);
  const kind = o.kind, ny = o.ny, nz = o.nz;
  if (kind == OperatorKind.STENCIL5) return 1;
  if (kind == OperatorKind.STENCIL7 || (kind == OperatorKind.DIFFUSION && nz > 1)) return ny;
  if (kind == OperatorKind.DIFFUSION) return 1;
  if (kind == OperatorKind.TERMS) {
    let r = 0;
    for (let t = 0, nt = o.nterms; t < nt; t++) {
      const term = changetype<StencilTerm>(o.ptr0 + <usize>t * offsetof<StencilTerm>());
      r = max(r, <i32>term.dy + <i32>term.dz * ny);
    }
    return r;
  }
  return o.lines; // CSR: any column, so the whole update comes first
}

/**
 * p ← z + β·p, then y ← A·p, returning pᵀy: CG's direction update and product in one pass
 * over memory. Lines of p are updated just far enough ahead of the block being multiplied
 * (`reach` lines), so both stay in cache.
 */
export function opUpdateApplyDot(d: usize, beta: f64, pz: usize, pp: usize, py: usize): f64 {
  const lines = changetype<OperatorDescriptor>(d).lines, per = changetype<OperatorDescriptor>(d).perLine;
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
