// Placeholder until the classical kernels land (replaced by the classical branch).
import { SolvewasmError } from "../errors.js";
import type { CsrMatrix } from "../operators/csr.js";

export interface ClassicalSettings {
  theta: number;
  coarsening: "rs" | "pmis";
  interpolation: "extended+i" | "direct";
  maxElements: number;
  truncation: number;
}

export function classicalProlongator(_A: CsrMatrix, _s: ClassicalSettings): CsrMatrix {
  throw new SolvewasmError("INVALID_OPTION", "classical AMG is not built yet");
}
