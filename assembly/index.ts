// The export surface of the solvewasm module: pointer-and-size kernels only.
// Every function here takes byte offsets (usize) and counts (i32) and never throws.
// Benchmark baselines are not here: assembly/bench.ts adds them in a separate build.

export { alloc, free, heapBase, hasSimd } from "./memory";
export { ddot, daxpy, dscal, dcopy, damax, dnrm2 } from "./blas/level1";
export { opApply, opApplyDot, opUpdateApplyDot } from "./operators/apply";
export { csrTranspose, csrProductCount, csrProduct, csrDiagonal, csrAsymmetry, csrRowNorms1 } from "./operators/sparse";
export { layoutOffset, layoutProbe } from "./generated/layouts";
export { cgStep, xpby, residualFrom, dmul, project } from "./blas/fused";
export { pcApply, lowerSolve, upperSolve } from "./krylov/precond";
export { cgIterate } from "./krylov/cg";
export { fcdIterate } from "./krylov/fcd";
export { gmresIterate } from "./krylov/gmres";
export { bicgstabIterate } from "./krylov/bicgstab";
export { minresIterate } from "./krylov/minres";
export { sorCsr, sorSweepCsr } from "./relax/sor";
export { rbColourBytes, rbSplit, rbMerge, rbSor } from "./relax/redblack";
export {
  rbgsColour, restrictFull, restrictHalf, restrictInject, restrictCellAverage, prolongAdd, prolongConstantAdd, jacobiUpdate, jacobiUpdateDiag,
} from "./multigrid/grid";
export { mlCycle, mlSolve } from "./multigrid/cycle";
export {
  saAggregate, saTentativePattern, saTentative, saSmoothed, saSpectralRadius, gridAggregates, nodeMatrixCount, nodeMatrix, spreadAggregates,
} from "./multigrid/aggregation";
export { classicalStrength, rsSplitting, pmisSplitting, coarseMap, classicalInterpCount, classicalInterpFill, interpTruncate } from "./multigrid/classical";
export { expm1f, sigmoidf, tanhf, logf, log2f, log1pf } from "./elementary/f32";
export { expf, exp2f } from "./elementary/expf";
export { philoxBlock, normals } from "./xva/philox";
export { simulatePaths } from "./xva/paths";
export { basisEval, gramAccumulate, basisCombine } from "./xva/regress";
export { normCdf, exp64, log64, expAffine, bsAccumulate } from "./xva/special";
export { dexp, dlog } from "./elementary/f64";
export { erff } from "./elementary/erf";
export { erffFast } from "./elementary/erf-fast";
export { sinf, cosf } from "./elementary/trig";
export { logfFast } from "./elementary/log-fast";
export { sinfFast, cosfFast } from "./elementary/trig-fast";
export { convTaps, convTapsGrad, transposeTaps, fillBias, biasGrad } from "./learned/conv";
export { relu, reluGrad, gelu, geluGrad, addScaledf, axpyf, packChannel, unpackChannel } from "./learned/pointwise";
export { avgPool2, avgPool2Grad, upsample2, upsample2Grad } from "./learned/resample";
export { adamStep } from "./learned/adam";
