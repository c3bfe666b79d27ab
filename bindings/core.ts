// solvewasm/core: no loading of its own. Bring a compiled WebAssembly.Module (for hosts
// that bundle or precompile wasm) and get an independent instance.
import { makeApi, type Solvewasm } from "./api.js";
import { compileSource, type InitSource } from "./load.js";
import { Runtime, type RuntimeOptions } from "./runtime.js";

/**
 * Creates an independent solvewasm instance from a module (or URL, bytes, Response).
 * @example
 * import { createSolvewasm } from "solvewasm/core";
 * import wasm from "solvewasm/solvewasm.wasm"; // a WebAssembly.Module in workerd
 * const sw = await createSolvewasm(wasm, { memoryLimit: 64 << 20 });
 * sw.blas.ddot(x, y);
 */
export async function createSolvewasm(source: InitSource, options?: RuntimeOptions): Promise<Solvewasm> {
  const rt = new Runtime();
  rt.load(await compileSource(source), options);
  return makeApi(rt);
}

export { SolvewasmError, type ErrorCode } from "./errors.js";
export { F64Buffer, type Vector } from "./memory.js";
export { simdSupported, type Build, type InitSource } from "./load.js";
export type { Solvewasm, MemoryStats } from "./api.js";
export type { Blas } from "./blas.js";
export {
  asLinearOperator,
  type LinearOperator,
  type CsrMatrixFactory,
  type CsrArrays,
  type CooArrays,
  type StencilOperator,
  type DiffusionOperator,
  type Boundary,
  type DiffusionOptions,
  type Gallery,
  type AnisotropicOptions,
  type ConvectionDiffusionOptions,
  type HelmholtzOptions,
  type SaddlePointOptions,
  type MatrixMarketWriteOptions,
} from "./operators/index.js";
export { OmegaTuner, type OmegaTunerOptions, type Suggestion, type TunerPolicy } from "./relax/tuner.js";
export { Random } from "./relax/random.js";
export { MultilevelSolver, type MultilevelLevel, type CycleSettings } from "./multigrid/multilevel.js";
export type { MultigridOptions, AmgOptions, MultigridApi } from "./multigrid/index.js";
export type { Elementary } from "./elementary.js";
export type { MultigridBlocks, Restriction, Prolongation, Smoother } from "./multigrid/blocks.js";
export { omegaOptimal, jacobiRadiusPoisson2d, jacobiRadiusShifted, type SorOptions, type SorResult, type Relax } from "./relax/index.js";
export type { SolveOptions, FcdOptions, GmresOptions, KrylovOptions, Preconditioner, Preconditioners, Krylov } from "./krylov/index.js";
export type { TriangularPreconditioner, TriangularFactors } from "./krylov/precond.js";
export { DEFAULTS as SOLVER_DEFAULTS, type SolveResult, type StopReason, type SolverOptions, type SolverMethod, type Progress } from "./solver.js";
export type { RuntimeOptions } from "./runtime.js";
export { PathSet } from "./xva/index.js";
export type { Learned } from "./learned/index.js";
export { GraphBuilder, type PaddingMode, type ParamSpec, type TensorShape, type ConvOptions, type ConvTransposeOptions } from "./learned/graph.js";
export { Network, Parameters } from "./learned/network.js";
export { DcdmModel, LearnedPreconditioner } from "./learned/dcdm.js";
export { LearnedModel } from "./learned/model.js";
export { MgnoModel, type MgnoConfig } from "./learned/mgno.js";
export type { Weights } from "./learned/weights.js";
export type { TrainOptions, TrainDcdmOptions, TrainProgress, TrainResult } from "./learned/train.js";
export type { DarcySet, TrainMgnoOptions } from "./learned/darcy.js";
export type {
  Bsde,
  RegressOptions,
  PathOptions,
  FirmSpec,
  ExitMethod,
  BsdeSolveOptions,
  BsdeSolveResult,
  Driver,
  BasisOptions,
  Drivers,
  StepValues,
  XvaConfig,
  XvaResult,
  Trade,
  Xva,
  Party,
  Estimate,
} from "./xva/index.js";
