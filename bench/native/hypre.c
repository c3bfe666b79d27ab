/* hypre reference for `npm run bench -- multigrid`: BoomerAMG-preconditioned CG, one MPI
 * process, rtol 1e-8 on the relative 2-norm of the residual, x0 = 0. The matrix is either
 *   hypre DIM N RHS     the 2D 5-point or 3D 7-point Dirichlet Laplacian on N^DIM points
 *                       (unscaled, as gallery.poisson), or
 *   hypre FILE.mtx RHS  a Matrix Market coordinate file (real or integer; general or
 *                       symmetric, whose lower triangle is expanded; duplicates summed),
 * and RHS is "ones" (b = 1) or "random" (the LCG below, the same as the bench's randomRhs).
 * Prints one JSON object: iterations, read/assembly/setup/solve seconds, the final relative
 * residual (recomputed, ‖b − A·x‖/‖b‖, and hypre's own), operator and grid complexity, the
 * number of levels, the bytes of the hierarchy's matrices, how far the peak resident set
 * rose above the resident set during setup, and the process's peak resident set. Built by the bench with Debian's libhypre-dev
 * (hypre 2.26.0, no OpenMP: one thread).
 *
 * The BoomerAMG settings are hypre 2.26.0's defaults (hypre_BoomerAMGCreate in
 * src/parcsr_ls/par_amg.c at tag v2.26.0), set explicitly below so that the comparison is
 * documented; checkDefaults() reads the freshly created solver first and warns on stderr if
 * the linked library's defaults differ from them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <mpi.h>
#include "HYPRE.h"
#include "HYPRE_IJ_mv.h"
#include "HYPRE_parcsr_ls.h"
#include "_hypre_parcsr_ls.h" /* hypre_ParAMGData: the hierarchy, for the complexities */
#include "timing.h"

/* hypre 2.26.0's BoomerAMG defaults (par_amg.c, hypre_BoomerAMGCreate). */
#define COARSEN_TYPE 10     /* HMIS */
#define MEASURE_TYPE 0      /* local measures */
#define INTERP_TYPE 6       /* extended+i */
#define P_MAX_ELMTS 4       /* interpolation truncated to 4 entries per row */
#define TRUNC_FACTOR 0.0    /* no truncation by size */
#define STRONG_THRESHOLD 0.25
#define MAX_ROW_SUM 0.9
#define AGG_NUM_LEVELS 0    /* no aggressive coarsening */
#define MAX_LEVELS 25
#define MAX_COARSE_SIZE 9
#define CYCLE_TYPE 1        /* V-cycle */
#define NUM_SWEEPS 1        /* one sweep down, one up */
#define RELAX_DOWN 13       /* ℓ1-Gauss–Seidel, forward (hybrid across processes) */
#define RELAX_UP 14         /* ℓ1-Gauss–Seidel, backward: the cycle is symmetric, as CG needs */
#define RELAX_COARSE 9      /* Gaussian elimination on the coarsest level */
#define RELAX_ORDER 0       /* lexicographic, not C/F */
#define RELAX_WT 1.0

typedef struct {
  int n, nnz;
  int *ptr, *col;
  double *val;
} Csr;

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "hypre: %s%s\n", msg, arg ? arg : "");
  exit(2);
}

static void warnDefault(const char *name, double have, double want) {
  if (have != want) fprintf(stderr, "hypre: note: the library's default %s is %g, the bench sets %g\n", name, have, want);
}

static void checkDefaults(HYPRE_Solver amg) {
  hypre_ParAMGData *d = (hypre_ParAMGData *)amg;
  warnDefault("coarsen_type", hypre_ParAMGDataCoarsenType(d), COARSEN_TYPE);
  warnDefault("measure_type", hypre_ParAMGDataMeasureType(d), MEASURE_TYPE);
  warnDefault("interp_type", hypre_ParAMGDataInterpType(d), INTERP_TYPE);
  warnDefault("P_max_elmts", hypre_ParAMGDataPMaxElmts(d), P_MAX_ELMTS);
  warnDefault("trunc_factor", hypre_ParAMGDataTruncFactor(d), TRUNC_FACTOR);
  warnDefault("strong_threshold", hypre_ParAMGDataStrongThreshold(d), STRONG_THRESHOLD);
  warnDefault("max_row_sum", hypre_ParAMGDataMaxRowSum(d), MAX_ROW_SUM);
  warnDefault("agg_num_levels", hypre_ParAMGDataAggNumLevels(d), AGG_NUM_LEVELS);
  warnDefault("max_levels", hypre_ParAMGDataMaxLevels(d), MAX_LEVELS);
  warnDefault("max_coarse_size", hypre_ParAMGDataMaxCoarseSize(d), MAX_COARSE_SIZE);
  warnDefault("cycle_type", hypre_ParAMGDataCycleType(d), CYCLE_TYPE);
  warnDefault("num_grid_sweeps[down]", hypre_ParAMGDataNumGridSweeps(d)[1], NUM_SWEEPS);
  warnDefault("num_grid_sweeps[up]", hypre_ParAMGDataNumGridSweeps(d)[2], NUM_SWEEPS);
  warnDefault("grid_relax_type[down]", hypre_ParAMGDataGridRelaxType(d)[1], RELAX_DOWN);
  warnDefault("grid_relax_type[up]", hypre_ParAMGDataGridRelaxType(d)[2], RELAX_UP);
  warnDefault("grid_relax_type[coarse]", hypre_ParAMGDataGridRelaxType(d)[3], RELAX_COARSE);
  warnDefault("relax_order", hypre_ParAMGDataRelaxOrder(d), RELAX_ORDER);
  warnDefault("relax_weight", hypre_ParAMGDataUserRelaxWeight(d), RELAX_WT);
}

static void setDefaults(HYPRE_Solver amg) {
  HYPRE_BoomerAMGSetCoarsenType(amg, COARSEN_TYPE);
  HYPRE_BoomerAMGSetMeasureType(amg, MEASURE_TYPE);
  HYPRE_BoomerAMGSetInterpType(amg, INTERP_TYPE);
  HYPRE_BoomerAMGSetPMaxElmts(amg, P_MAX_ELMTS);
  HYPRE_BoomerAMGSetTruncFactor(amg, TRUNC_FACTOR);
  HYPRE_BoomerAMGSetStrongThreshold(amg, STRONG_THRESHOLD);
  HYPRE_BoomerAMGSetMaxRowSum(amg, MAX_ROW_SUM);
  HYPRE_BoomerAMGSetAggNumLevels(amg, AGG_NUM_LEVELS);
  HYPRE_BoomerAMGSetMaxLevels(amg, MAX_LEVELS);
  HYPRE_BoomerAMGSetMaxCoarseSize(amg, MAX_COARSE_SIZE);
  HYPRE_BoomerAMGSetCycleType(amg, CYCLE_TYPE);
  HYPRE_BoomerAMGSetNumSweeps(amg, NUM_SWEEPS);
  HYPRE_BoomerAMGSetCycleRelaxType(amg, RELAX_DOWN, 1);
  HYPRE_BoomerAMGSetCycleRelaxType(amg, RELAX_UP, 2);
  HYPRE_BoomerAMGSetCycleRelaxType(amg, RELAX_COARSE, 3);
  HYPRE_BoomerAMGSetRelaxOrder(amg, RELAX_ORDER);
  HYPRE_BoomerAMGSetRelaxWt(amg, RELAX_WT);
  /* as a preconditioner: one V-cycle per application */
  HYPRE_BoomerAMGSetTol(amg, 0.0);
  HYPRE_BoomerAMGSetMaxIter(amg, 1);
}

static Csr poisson(int dim, int n) {
  Csr A;
  A.n = dim == 2 ? n * n : n * n * n;
  A.ptr = malloc(sizeof(int) * (A.n + 1));
  A.col = malloc(sizeof(int) * 7 * (size_t)A.n);
  A.val = malloc(sizeof(double) * 7 * (size_t)A.n);
  int q = 0;
  for (int p = 0; p < A.n; p++) {
    int i = p % n, j = (p / n) % n, k = p / (n * n);
    A.ptr[p] = q;
    if (dim == 3 && k > 0) { A.col[q] = p - n * n; A.val[q++] = -1; }
    if (j > 0) { A.col[q] = p - n; A.val[q++] = -1; }
    if (i > 0) { A.col[q] = p - 1; A.val[q++] = -1; }
    A.col[q] = p; A.val[q++] = 2.0 * dim;
    if (i < n - 1) { A.col[q] = p + 1; A.val[q++] = -1; }
    if (j < n - 1) { A.col[q] = p + n; A.val[q++] = -1; }
    if (dim == 3 && k < n - 1) { A.col[q] = p + n * n; A.val[q++] = -1; }
  }
  A.ptr[A.n] = A.nnz = q;
  return A;
}

/* Matrix Market coordinate real/integer, general/symmetric → CSR, rows sorted, duplicates summed. */
static Csr readMatrixMarket(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open ", path);
  char line[1024], object[64], format[64], field[64], symmetry[64];
  if (!fgets(line, sizeof line, f) || sscanf(line, "%%%%MatrixMarket %63s %63s %63s %63s", object, format, field, symmetry) != 4)
    die("no %%MatrixMarket header in ", path);
  if (strcmp(format, "coordinate") || (strcmp(field, "real") && strcmp(field, "integer")))
    die("only coordinate real or integer files are read: ", path);
  int symmetric = !strcmp(symmetry, "symmetric");
  if (!symmetric && strcmp(symmetry, "general")) die("only general or symmetric files are read: ", path);
  do {
    if (!fgets(line, sizeof line, f)) die("no size line in ", path);
  } while (line[0] == '%');
  int rows, cols;
  long stored;
  if (sscanf(line, "%d %d %ld", &rows, &cols, &stored) != 3 || rows != cols) die("bad size line (square matrices only) in ", path);
  long cap = symmetric ? 2 * stored : stored, m = 0;
  int *ri = malloc(sizeof(int) * cap), *ci = malloc(sizeof(int) * cap);
  double *vi = malloc(sizeof(double) * cap);
  for (long e = 0; e < stored; e++) {
    int i, j;
    double v;
    if (fscanf(f, "%d %d %lf", &i, &j, &v) != 3 || i < 1 || i > rows || j < 1 || j > cols) die("bad entry in ", path);
    ri[m] = i - 1, ci[m] = j - 1, vi[m++] = v;
    if (symmetric && i != j) ri[m] = j - 1, ci[m] = i - 1, vi[m++] = v;
  }
  fclose(f);
  Csr A;
  A.n = rows;
  A.ptr = calloc(rows + 1, sizeof(int));
  A.col = malloc(sizeof(int) * m);
  A.val = malloc(sizeof(double) * m);
  for (long e = 0; e < m; e++) A.ptr[ri[e] + 1]++;
  for (int r = 0; r < rows; r++) A.ptr[r + 1] += A.ptr[r];
  int *fill = malloc(sizeof(int) * rows);
  memcpy(fill, A.ptr, sizeof(int) * rows);
  for (long e = 0; e < m; e++) {
    int q = fill[ri[e]]++;
    A.col[q] = ci[e], A.val[q] = vi[e];
  }
  /* sort each row (insertion: rows are short) and sum duplicates, compacting in place */
  int q = 0;
  for (int r = 0; r < rows; r++) {
    int lo = A.ptr[r], hi = A.ptr[r + 1];
    for (int a = lo + 1; a < hi; a++) {
      int c = A.col[a];
      double v = A.val[a];
      int b = a - 1;
      while (b >= lo && A.col[b] > c) A.col[b + 1] = A.col[b], A.val[b + 1] = A.val[b], b--;
      A.col[b + 1] = c, A.val[b + 1] = v;
    }
    A.ptr[r] = q;
    for (int a = lo; a < hi; a++) {
      if (q > A.ptr[r] && A.col[q - 1] == A.col[a]) A.val[q - 1] += A.val[a];
      else A.col[q] = A.col[a], A.val[q++] = A.val[a];
    }
  }
  A.ptr[rows] = A.nnz = q;
  free(ri), free(ci), free(vi), free(fill);
  return A;
}

/* A field of /proc/self/status in bytes (VmHWM: peak resident set; VmRSS: now). Not
 * getrusage's ru_maxrss, which survives execve and so would report the bench's node process. */
static long procStatus(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  size_t len = strlen(field);
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, field, len) && line[len] == ':') kb = atol(line + len + 1);
  if (f) fclose(f);
  return kb < 0 ? -1 : kb * 1024;
}

/* CSR bytes of a ParCSR matrix as stored here: f64 values and i32 indices of its diag and offd parts. */
static double csrBytes(hypre_ParCSRMatrix *M) {
  double b = 0;
  hypre_CSRMatrix *parts[2] = {hypre_ParCSRMatrixDiag(M), hypre_ParCSRMatrixOffd(M)};
  for (int i = 0; i < 2; i++)
    b += 12.0 * hypre_CSRMatrixNumNonzeros(parts[i]) + 4.0 * (hypre_CSRMatrixNumRows(parts[i]) + 1);
  return b;
}

static double nnzOf(hypre_ParCSRMatrix *M) {
  return (double)hypre_CSRMatrixNumNonzeros(hypre_ParCSRMatrixDiag(M)) + hypre_CSRMatrixNumNonzeros(hypre_ParCSRMatrixOffd(M));
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  if (argc < 3) die("usage: hypre DIM N ones|random, or hypre FILE.mtx ones|random", NULL);
  int fromFile = argc == 3;
  const char *rhs = argv[argc - 1];
  if (strcmp(rhs, "ones") && strcmp(rhs, "random")) die("RHS must be ones or random, got ", rhs);
  int random = rhs[0] == 'r';

  double t0 = now();
  Csr C = fromFile ? readMatrixMarket(argv[1]) : poisson(atoi(argv[1]), atoi(argv[2]));
  int N = C.n;
  double *bv = malloc(sizeof(double) * N), *xv = calloc(N, sizeof(double));
  int *rows = malloc(sizeof(int) * N), *sizes = malloc(sizeof(int) * N);
  unsigned s = 12345;
  for (int p = 0; p < N; p++) {
    rows[p] = p;
    sizes[p] = C.ptr[p + 1] - C.ptr[p];
    s = s * 1103515245u + 12345u;
    bv[p] = random ? (double)s / 4294967296.0 - 0.5 : 1.0;
  }
  HYPRE_Init();

  /* assembly: the IJ matrix and vectors from CSR arrays (the file's parse is read_seconds) */
  double t1 = now();
  HYPRE_IJMatrix A;
  HYPRE_IJMatrixCreate(MPI_COMM_WORLD, 0, N - 1, 0, N - 1, &A);
  HYPRE_IJMatrixSetObjectType(A, HYPRE_PARCSR);
  HYPRE_IJMatrixSetRowSizes(A, sizes);
  HYPRE_IJMatrixInitialize(A);
  HYPRE_IJMatrixSetValues(A, N, sizes, rows, C.col, C.val);
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
  HYPRE_PCGSetAbsoluteTol(pcg, 0.0);
  HYPRE_PCGSetMaxIter(pcg, 1000);
  HYPRE_PCGSetTwoNorm(pcg, 1);
  HYPRE_BoomerAMGCreate(&amg);
  checkDefaults(amg);
  setDefaults(amg);
  HYPRE_PCGSetPrecond(pcg, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSolve, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSetup, amg);

  /* setup: PCG's, which is BoomerAMGSetup's (coarsening, interpolation, Galerkin products) */
  long rssBeforeSetup = procStatus("VmRSS");
  double t2 = now();
  HYPRE_ParCSRPCGSetup(pcg, parA, parb, parx);
  double t3 = now();
  long peakAfterSetup = procStatus("VmHWM");
  HYPRE_ParCSRPCGSolve(pcg, parA, parb, parx);
  double t4 = now();

  int its;
  double rel;
  HYPRE_PCGGetNumIterations(pcg, &its);
  HYPRE_PCGGetFinalRelativeResidualNorm(pcg, &rel);
  /* ‖b − A·x‖/‖b‖ recomputed, as solvewasm's residualNorm */
  HYPRE_ParVector r = hypre_ParVectorCreate(MPI_COMM_WORLD, N, hypre_ParVectorPartitioning((hypre_ParVector *)parb));
  hypre_ParVectorInitialize(r);
  HYPRE_ParVectorCopy(parb, r);
  HYPRE_ParCSRMatrixMatvec(-1.0, parA, parx, 1.0, r);
  double rr, bb;
  HYPRE_ParVectorInnerProd(r, r, &rr);
  HYPRE_ParVectorInnerProd(parb, parb, &bb);

  /* this process's CPU time (all threads), for the bench's estimate of competing load */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  hypre_ParAMGData *d = (hypre_ParAMGData *)amg;
  int L = hypre_ParAMGDataNumLevels(d);
  hypre_ParCSRMatrix **As = hypre_ParAMGDataAArray(d), **Ps = hypre_ParAMGDataPArray(d);
  double nnz = 0, rowsum = 0, hierarchy = 0;
  for (int l = 0; l < L; l++) {
    nnz += nnzOf(As[l]);
    rowsum += (double)hypre_ParCSRMatrixGlobalNumRows(As[l]);
    /* the hierarchy's matrices: coarse operators and interpolations (A_0 is the caller's;
     * R = Pᵀ is not stored); smoother and coarse-solve storage are left out */
    if (l > 0) hierarchy += csrBytes(As[l]);
    if (l < L - 1) hierarchy += csrBytes(Ps[l]);
  }
  printf("{\"iters\":%d,\"read_seconds\":%.6f,\"assembly_seconds\":%.6f,\"setup_seconds\":%.6f,\"solve_seconds\":%.6f,"
         "\"relres\":%.3e,\"hypre_relres\":%.3e,\"operator_complexity\":%.4f,\"grid_complexity\":%.4f,\"levels\":%d,"
         "\"rows\":%d,\"nnz\":%d,\"hierarchy_bytes\":%.0f,\"setup_rss_growth_bytes\":%ld,\"peak_rss_bytes\":%ld,\"cpu_seconds\":%.3f}\n",
         its, t1 - t0, t2 - t1, t3 - t2, t4 - t3, sqrt(rr / bb), rel, nnz / nnzOf(As[0]), rowsum / N, L, N, C.nnz, hierarchy,
         peakAfterSetup - rssBeforeSetup, procStatus("VmHWM"), cpu);
  hypre_ParVectorDestroy(r);
  HYPRE_ParCSRPCGDestroy(pcg);
  HYPRE_BoomerAMGDestroy(amg);
  HYPRE_IJMatrixDestroy(A);
  HYPRE_IJVectorDestroy(b);
  HYPRE_IJVectorDestroy(x);
  HYPRE_Finalize();
  MPI_Finalize();
  return 0;
}
