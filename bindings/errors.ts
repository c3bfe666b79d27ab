/** Stable error codes: programs branch on `code`, people read `message`. */
export type ErrorCode =
  | "DIMENSION_MISMATCH" // array lengths or shapes disagree
  | "INVALID_ARGUMENT" // wrong type or value of an argument, bad pointer
  | "INVALID_OPTION" // an option out of its range (rtol < 0, maxiter < 0, ω ∉ (0, 2), …)
  | "NOT_FINITE" // NaN or ±Infinity where a finite number is required
  | "OUT_OF_MEMORY" // a request would pass the memory ceiling; nothing was allocated
  | "WASM_TRAP" // the module trapped; the instance was replaced, handles made before are void
  | "NOT_INITIALIZED" // no module is loaded yet (or loading failed: see `cause`)
  | "LOAD_FAILED" // the .wasm could not be fetched, read or compiled
  | "DISPOSED" // a handle was used after dispose() or after its instance was replaced
  | "INVALID_MATRIX" // CSR arrays that do not describe a matrix (indptr, indices, lengths)
  | "PARSE_ERROR"; // a Matrix Market text that does not follow the format (the message names the line)

/**
 * The one error type solvewasm throws.
 * @example
 * try { blas.ddot(new Float64Array(2), new Float64Array(3)); }
 * catch (e) { if (e instanceof SolvewasmError && e.code === "DIMENSION_MISMATCH") … }
 */
export class SolvewasmError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SolvewasmError";
    this.code = code;
  }
}
