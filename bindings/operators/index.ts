// Operators: what every solver takes. CSR matrices, Matrix Market I/O, grid stencils and
// the gallery, bound to one runtime.
import type { Runtime } from "../runtime.js";
import { CsrMatrix, csrFromArrays, csrFromCoo, csrFromDense, csrFromMatrixMarket, type CooArrays, type CsrArrays } from "./csr.js";
import { makeGallery, type Gallery } from "./gallery.js";

/** The ways to make a CsrMatrix; `x instanceof CsrMatrix` works as with a class. */
export interface CsrMatrixFactory {
  /** From SciPy-style CSR arrays (0-based), validated; `sort: true` sorts each row and sums
   * duplicate columns instead of refusing them. */
  fromArrays(arrays: CsrArrays, options?: { sort?: boolean }): CsrMatrix;
  /** From coordinate triplets (0-based); duplicates are summed. */
  fromCoo(arrays: CooArrays): CsrMatrix;
  /** From an array of rows, or `{ rows, cols, data }` in row-major order; zeros are dropped. */
  fromDense(dense: ArrayLike<ArrayLike<number>> | { rows: number; cols: number; data: ArrayLike<number> }): CsrMatrix;
  /** From Matrix Market text or the file's bytes (coordinate or array; real, integer or
   * pattern; general, symmetric or skew-symmetric). Errors name the offending line. */
  fromMatrixMarket(input: string | Uint8Array): CsrMatrix;
  [Symbol.hasInstance](value: unknown): boolean;
}

export interface Operators {
  CsrMatrix: CsrMatrixFactory;
  gallery: Gallery;
}

export function makeOperators(rt: Runtime): Operators {
  return {
    CsrMatrix: {
      fromArrays: (arrays, options) => csrFromArrays(rt, arrays, options),
      fromCoo: (arrays) => csrFromCoo(rt, arrays),
      fromDense: (dense) => csrFromDense(rt, dense),
      fromMatrixMarket: (input) => csrFromMatrixMarket(rt, input),
      [Symbol.hasInstance]: (value) => value instanceof CsrMatrix,
    },
    gallery: makeGallery(rt),
  };
}

export { asLinearOperator, type LinearOperator } from "./operator.js";
export type { CsrMatrix, CsrArrays, CooArrays } from "./csr.js";
export type { StencilOperator, DiffusionOperator, Boundary, DiffusionOptions } from "./stencil.js";
export type { Gallery, AnisotropicOptions, ConvectionDiffusionOptions, HelmholtzOptions, SaddlePointOptions } from "./gallery.js";
export type { MatrixMarketWriteOptions, MatrixMarketHeader } from "./matrixmarket.js";
