/* hypre reference for `npm run bench -- multigrid`: BoomerAMG-preconditioned CG (hypre's defaults)
 * on the 2D 5-point or 3D 7-point Dirichlet Laplacian (unscaled, as gallery.poisson), b = 1
 * or a fixed pseudo-random vector, rtol 1e-8 (relative 2-norm of the residual).
 * Usage: hypre DIM N RHS(ones|random)  → prints "iterations setup_seconds solve_seconds relres".
 * One MPI process. Built by the bench with Debian's libhypre-dev. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mpi.h>
#include "HYPRE.h"
#include "HYPRE_IJ_mv.h"
#include "HYPRE_parcsr_ls.h"
#include "timing.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int dim = atoi(argv[1]), n = atoi(argv[2]);
  int random = argc > 3 && argv[3][0] == 'r';
  int N = dim == 2 ? n * n : n * n * n;
  double t0 = now();
  HYPRE_Init();
  HYPRE_IJMatrix A;
  HYPRE_IJMatrixCreate(MPI_COMM_WORLD, 0, N - 1, 0, N - 1, &A);
  HYPRE_IJMatrixSetObjectType(A, HYPRE_PARCSR);
  HYPRE_IJMatrixInitialize(A);
  for (int p = 0; p < N; p++) {
    int cols[7], nc = 0;
    double vals[7];
    int i = p % n, j = (p / n) % n, k = p / (n * n);
    if (dim == 3 && k > 0) { cols[nc] = p - n * n; vals[nc++] = -1; }
    if (j > 0) { cols[nc] = p - n; vals[nc++] = -1; }
    if (i > 0) { cols[nc] = p - 1; vals[nc++] = -1; }
    cols[nc] = p; vals[nc++] = 2.0 * dim;
    if (i < n - 1) { cols[nc] = p + 1; vals[nc++] = -1; }
    if (j < n - 1) { cols[nc] = p + n; vals[nc++] = -1; }
    if (dim == 3 && k < n - 1) { cols[nc] = p + n * n; vals[nc++] = -1; }
    HYPRE_IJMatrixSetValues(A, 1, &nc, &p, cols, vals);
  }
  HYPRE_IJMatrixAssemble(A);
  HYPRE_ParCSRMatrix parA;
  HYPRE_IJMatrixGetObject(A, (void **)&parA);
  HYPRE_IJVector b, x;
  HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, N - 1, &b);
  HYPRE_IJVectorSetObjectType(b, HYPRE_PARCSR);
  HYPRE_IJVectorInitialize(b);
  HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, N - 1, &x);
  HYPRE_IJVectorSetObjectType(x, HYPRE_PARCSR);
  HYPRE_IJVectorInitialize(x);
  int *rows = malloc(sizeof(int) * N);
  double *bv = malloc(sizeof(double) * N), *xv = calloc(N, sizeof(double));
  unsigned s = 12345;
  for (int p = 0; p < N; p++) {
    rows[p] = p;
    s = s * 1103515245u + 12345u;
    bv[p] = random ? (double)s / 4294967296.0 - 0.5 : 1.0;
  }
  HYPRE_IJVectorSetValues(b, N, rows, bv);
  HYPRE_IJVectorSetValues(x, N, rows, xv);
  HYPRE_IJVectorAssemble(b);
  HYPRE_IJVectorAssemble(x);
  HYPRE_ParVector parb, parx;
  HYPRE_IJVectorGetObject(b, (void **)&parb);
  HYPRE_IJVectorGetObject(x, (void **)&parx);

  HYPRE_Solver pcg, amg;
  HYPRE_ParCSRPCGCreate(MPI_COMM_WORLD, &pcg);
  HYPRE_PCGSetTol(pcg, 1e-8);
  HYPRE_PCGSetMaxIter(pcg, 1000);
  HYPRE_PCGSetTwoNorm(pcg, 1);
  HYPRE_BoomerAMGCreate(&amg);
  HYPRE_BoomerAMGSetTol(amg, 0.0);
  HYPRE_BoomerAMGSetMaxIter(amg, 1);
  HYPRE_PCGSetPrecond(pcg, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSolve, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSetup, amg);
  double t1 = now();
  HYPRE_ParCSRPCGSetup(pcg, parA, parb, parx);
  double t2 = now();
  HYPRE_ParCSRPCGSolve(pcg, parA, parb, parx);
  double t3 = now();
  int its;
  double rel;
  HYPRE_PCGGetNumIterations(pcg, &its);
  HYPRE_PCGGetFinalRelativeResidualNorm(pcg, &rel);
  /* setup includes assembling the matrix, as solvewasm's includes building the hierarchy */
  printf("%d %.6f %.6f %.3e\n", its, t2 - t0, t3 - t2, rel);
  (void)t1;
  HYPRE_Finalize();
  MPI_Finalize();
  return 0;
}
