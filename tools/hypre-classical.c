/* hypre 2.26 BoomerAMG reference for classical AMG (test/fixtures/hypre-classical.json, written
 * by tools/hypre-classical.mjs). Reads a square matrix (text: "n nnz" then nnz lines
 * "i j a_ij", 0-based, rows in order, columns sorted within each row), runs BoomerAMG's setup
 * with hypre's defaults (HMIS coarsening, extended+i interpolation, P_max_elmts 4, θ 0.25,
 * max_row_sum 0.9) on one MPI process and writes, as JSON: the strength matrix of the fine
 * level (hypre_BoomerAMGCreateS), and per level its rows, nnz, C/F marker and P (rows in
 * hypre's storage order) — with `--pcg`, also the BoomerAMG-PCG iteration count for b = 1,
 * x0 = 0, rtol 1e-8 (relative 2-norm), as bench/native/hypre.c.
 * Usage: hypre-classical MATRIX.txt OUT.json [--pcg] [--levels N]  (N: levels whose S (the
 * finest's), C/F marker and P are dumped, default 1; 0: sizes only)
 * Build: mpicc -O2 -I/usr/include/hypre tools/hypre-classical.c -lHYPRE -lm  (Debian libhypre-dev)
 * Run as root with OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>
#include "HYPRE.h"
#include "HYPRE_IJ_mv.h"
#include "HYPRE_parcsr_ls.h"
#include "_hypre_parcsr_ls.h"

static void put_ints(FILE *f, const char *name, const HYPRE_Int *v, HYPRE_Int n) {
  fprintf(f, "\"%s\":[", name);
  for (HYPRE_Int i = 0; i < n; i++) fprintf(f, i ? ",%d" : "%d", (int)v[i]);
  fprintf(f, "]");
}

static void put_reals(FILE *f, const char *name, const HYPRE_Real *v, HYPRE_Int n) {
  fprintf(f, "\"%s\":[", name);
  for (HYPRE_Int i = 0; i < n; i++) fprintf(f, i ? ",%.17g" : "%.17g", v[i]);
  fprintf(f, "]");
}

/* The diag block of a one-process ParCSR matrix (hypre keeps each row's diagonal first). */
static void put_csr(FILE *f, const char *name, hypre_ParCSRMatrix *M, int values) {
  hypre_CSRMatrix *d = hypre_ParCSRMatrixDiag(M);
  HYPRE_Int n = hypre_CSRMatrixNumRows(d), nnz = hypre_CSRMatrixI(d)[n];
  fprintf(f, "\"%s\":{\"rows\":%d,\"cols\":%d,", name, (int)n, (int)hypre_CSRMatrixNumCols(d));
  put_ints(f, "indptr", hypre_CSRMatrixI(d), n + 1);
  fprintf(f, ",");
  put_ints(f, "indices", hypre_CSRMatrixJ(d), nnz);
  if (values) {
    fprintf(f, ",");
    put_reals(f, "data", hypre_CSRMatrixData(d), nnz);
  }
  fprintf(f, "}");
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  if (argc < 3) {
    fprintf(stderr, "usage: %s MATRIX.txt OUT.json [--pcg] [--levels N]\n", argv[0]);
    return 2;
  }
  int pcg_run = 0, dump_levels = 1;
  for (int a = 3; a < argc; a++) {
    if (!strcmp(argv[a], "--pcg")) pcg_run = 1;
    else if (!strcmp(argv[a], "--levels") && a + 1 < argc) dump_levels = atoi(argv[++a]);
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) { perror(argv[1]); return 1; }
  int n, nnz;
  if (fscanf(in, "%d %d", &n, &nnz) != 2) return 1;
  int *ri = malloc(sizeof(int) * nnz), *cj = malloc(sizeof(int) * nnz);
  double *va = malloc(sizeof(double) * nnz);
  for (int k = 0; k < nnz; k++)
    if (fscanf(in, "%d %d %lf", &ri[k], &cj[k], &va[k]) != 3) return 1;
  fclose(in);

  HYPRE_Init();
  HYPRE_IJMatrix A;
  HYPRE_IJMatrixCreate(MPI_COMM_WORLD, 0, n - 1, 0, n - 1, &A);
  HYPRE_IJMatrixSetObjectType(A, HYPRE_PARCSR);
  HYPRE_IJMatrixInitialize(A);
  for (int k = 0; k < nnz;) {
    int row = ri[k], e = k;
    while (e < nnz && ri[e] == row) e++;
    int nc = e - k;
    HYPRE_IJMatrixSetValues(A, 1, &nc, &row, cj + k, va + k);
    k = e;
  }
  HYPRE_IJMatrixAssemble(A);
  HYPRE_ParCSRMatrix parA;
  HYPRE_IJMatrixGetObject(A, (void **)&parA);

  HYPRE_IJVector b, x;
  HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, n - 1, &b);
  HYPRE_IJVectorSetObjectType(b, HYPRE_PARCSR);
  HYPRE_IJVectorInitialize(b);
  HYPRE_IJVectorCreate(MPI_COMM_WORLD, 0, n - 1, &x);
  HYPRE_IJVectorSetObjectType(x, HYPRE_PARCSR);
  HYPRE_IJVectorInitialize(x);
  int *rows = malloc(sizeof(int) * n);
  double *bv = malloc(sizeof(double) * n), *xv = calloc(n, sizeof(double));
  for (int p = 0; p < n; p++) { rows[p] = p; bv[p] = 1.0; }
  HYPRE_IJVectorSetValues(b, n, rows, bv);
  HYPRE_IJVectorSetValues(x, n, rows, xv);
  HYPRE_IJVectorAssemble(b);
  HYPRE_IJVectorAssemble(x);
  HYPRE_ParVector parb, parx;
  HYPRE_IJVectorGetObject(b, (void **)&parb);
  HYPRE_IJVectorGetObject(x, (void **)&parx);

  HYPRE_Solver amg, pcg = NULL;
  HYPRE_BoomerAMGCreate(&amg);
  HYPRE_BoomerAMGSetPrintLevel(amg, 1);
  HYPRE_BoomerAMGSetTol(amg, 0.0);
  HYPRE_BoomerAMGSetMaxIter(amg, 1);
  int its = -1;
  double rel = 0;
  if (pcg_run) {
    HYPRE_ParCSRPCGCreate(MPI_COMM_WORLD, &pcg);
    HYPRE_PCGSetTol(pcg, 1e-8);
    HYPRE_PCGSetMaxIter(pcg, 1000);
    HYPRE_PCGSetTwoNorm(pcg, 1);
    HYPRE_PCGSetPrecond(pcg, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSolve, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSetup, amg);
    HYPRE_ParCSRPCGSetup(pcg, parA, parb, parx);
    HYPRE_ParCSRPCGSolve(pcg, parA, parb, parx);
    HYPRE_PCGGetNumIterations(pcg, &its);
    HYPRE_PCGGetFinalRelativeResidualNorm(pcg, &rel);
  } else {
    HYPRE_BoomerAMGSetup(amg, parA, parb, parx);
  }

  hypre_ParAMGData *data = (hypre_ParAMGData *)amg;
  int levels = hypre_ParAMGDataNumLevels(data);
  hypre_ParCSRMatrix **As = hypre_ParAMGDataAArray(data), **Ps = hypre_ParAMGDataPArray(data);
  hypre_IntArray **cfs = hypre_ParAMGDataCFMarkerArray(data);

  FILE *f = fopen(argv[2], "w");
  if (!f) { perror(argv[2]); return 1; }
  fprintf(f, "{\"hypre\":\"%s\",\"iterations\":%d,\"relres\":%.6e,", HYPRE_RELEASE_VERSION, its, rel);
  /* hypre's strength matrix of the fine level, with its defaults (θ 0.25, max_row_sum 0.9). */
  if (dump_levels > 0) {
    hypre_ParCSRMatrix *S;
    hypre_BoomerAMGCreateS(parA, 0.25, 0.9, 1, NULL, &S);
    put_csr(f, "S", S, 0);
    hypre_ParCSRMatrixDestroy(S);
    fprintf(f, ",");
  }
  double sumRows = 0, sumNnz = 0;
  fprintf(f, "\"levels\":[");
  for (int l = 0; l < levels; l++) {
    hypre_CSRMatrix *d = hypre_ParCSRMatrixDiag(As[l]);
    HYPRE_Int rl = hypre_CSRMatrixNumRows(d), nl = hypre_CSRMatrixI(d)[rl];
    sumRows += rl;
    sumNnz += nl;
    fprintf(f, "%s{\"rows\":%d,\"nnz\":%d", l ? "," : "", (int)rl, (int)nl);
    if (l < dump_levels && l < levels - 1) {
      fprintf(f, ",");
      put_ints(f, "cf", hypre_IntArrayData(cfs[l]), rl);
      fprintf(f, ",");
      put_csr(f, "P", Ps[l], 1);
      if (l > 0) {
        fprintf(f, ",");
        put_csr(f, "A", As[l], 1);
      }
    }
    fprintf(f, "}");
  }
  hypre_CSRMatrix *d0 = hypre_ParCSRMatrixDiag(As[0]);
  HYPRE_Int r0 = hypre_CSRMatrixNumRows(d0);
  fprintf(f, "],\"operatorComplexity\":%.17g,\"gridComplexity\":%.17g}\n", sumNnz / hypre_CSRMatrixI(d0)[r0], sumRows / r0);
  fclose(f);
  if (pcg) HYPRE_ParCSRPCGDestroy(pcg);
  HYPRE_BoomerAMGDestroy(amg);
  HYPRE_Finalize();
  MPI_Finalize();
  return 0;
}
