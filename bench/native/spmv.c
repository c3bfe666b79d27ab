/* C reference for `npm run bench -- spmv`: the same products as solvewasm's kernels,
 * compiled by the bench with gcc -O3 -march=native. Usage:
 *   spmv stencil5 NX NY MIN_SECONDS SAMPLES
 *   spmv stencil7 NX NY NZ MIN_SECONDS SAMPLES
 *   spmv csr DIR MIN_SECONDS SAMPLES     (DIR holds meta.txt: rows cols nnz, and
 *                                         indptr.bin, indices.bin, data.bin, x.bin)
 * Prints one line: median seconds per product, then y[0..] checksum (sum of y). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "timing.h"

/* 5-point Laplacian, zero outside: interior rows without branches, edges apart. */
static void stencil5(int nx, int ny, const double *restrict u, double *restrict y) {
  for (int j = 0; j < ny; j++) {
    const double *row = u + (size_t)j * nx;
    const double *s = j > 0 ? row - nx : NULL, *n = j < ny - 1 ? row + nx : NULL;
    double *out = y + (size_t)j * nx;
    for (int i = 0; i < nx; i++) {
      double a = 0.0;
      if (s) a += -1.0 * s[i];
      if (i > 0) a += -1.0 * row[i - 1];
      a += 4.0 * row[i];
      if (i < nx - 1) a += -1.0 * row[i + 1];
      if (n) a += -1.0 * n[i];
      out[i] = a;
    }
  }
}

static void stencil5_fast(int nx, int ny, const double *restrict u, double *restrict y) {
  if (nx < 3 || ny < 3) { stencil5(nx, ny, u, y); return; }
  for (int j = 1; j < ny - 1; j++) {
    const double *row = u + (size_t)j * nx, *s = row - nx, *n = row + nx;
    double *out = y + (size_t)j * nx;
    out[0] = -s[0] + 4.0 * row[0] - row[1] - n[0];
    for (int i = 1; i < nx - 1; i++) out[i] = -s[i] - row[i - 1] + 4.0 * row[i] - row[i + 1] - n[i];
    out[nx - 1] = -s[nx - 1] - row[nx - 2] + 4.0 * row[nx - 1] - n[nx - 1];
  }
  /* first and last rows */
  for (int i = 0; i < nx; i++) {
    double a = 4.0 * u[i] - u[nx + i];
    if (i > 0) a -= u[i - 1];
    if (i < nx - 1) a -= u[i + 1];
    y[i] = a;
    size_t p = (size_t)(ny - 1) * nx + i;
    double b = 4.0 * u[p] - u[p - nx];
    if (i > 0) b -= u[p - 1];
    if (i < nx - 1) b -= u[p + 1];
    y[p] = b;
  }
}

static double point7(int nx, int ny, int nz, size_t plane, int i, int j, int k, const double *u) {
  size_t p = k * plane + (size_t)j * nx + i;
  double a = 6.0 * u[p];
  if (k > 0) a -= u[p - plane];
  if (j > 0) a -= u[p - nx];
  if (i > 0) a -= u[p - 1];
  if (i < nx - 1) a -= u[p + 1];
  if (j < ny - 1) a -= u[p + nx];
  if (k < nz - 1) a -= u[p + plane];
  return a;
}

/* 7-point Laplacian, zero outside: interior runs without branches, edges apart. */
static void stencil7(int nx, int ny, int nz, const double *restrict u, double *restrict y) {
  size_t plane = (size_t)nx * ny;
  for (int k = 0; k < nz; k++)
    for (int j = 0; j < ny; j++) {
      size_t p0 = k * plane + (size_t)j * nx;
      if (k > 0 && k < nz - 1 && j > 0 && j < ny - 1 && nx > 2) {
        y[p0] = point7(nx, ny, nz, plane, 0, j, k, u);
        const double *c = u + p0, *b = c - plane, *t = c + plane, *s = c - nx, *n = c + nx;
        double *out = y + p0;
        for (int i = 1; i < nx - 1; i++) out[i] = -b[i] - s[i] - c[i - 1] + 6.0 * c[i] - c[i + 1] - n[i] - t[i];
        y[p0 + nx - 1] = point7(nx, ny, nz, plane, nx - 1, j, k, u);
      } else {
        for (int i = 0; i < nx; i++) y[p0 + i] = point7(nx, ny, nz, plane, i, j, k, u);
      }
    }
}

static void csr(int rows, const int *restrict ptr, const int *restrict idx, const double *restrict val,
                const double *restrict x, double *restrict y) {
  for (int r = 0; r < rows; r++) {
    double a = 0.0;
    for (int k = ptr[r]; k < ptr[r + 1]; k++) a += val[k] * x[idx[k]];
    y[r] = a;
  }
}

static void *readall(const char *dir, const char *name, size_t bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  void *p = malloc(bytes ? bytes : 1);
  if (bytes && fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short read %s\n", path); exit(2); }
  fclose(f);
  return p;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *kind = argv[1];
  int nx = 0, ny = 1, nz = 1, rows = 0, cols = 0, nnz = 0;
  int *ptr = NULL, *idx = NULL;
  double *val = NULL, *u, *y;
  double minSeconds;
  int samples;
  if (!strcmp(kind, "stencil5")) {
    nx = atoi(argv[2]); ny = atoi(argv[3]); minSeconds = atof(argv[4]); samples = atoi(argv[5]);
    rows = cols = nx * ny;
  } else if (!strcmp(kind, "stencil7")) {
    nx = atoi(argv[2]); ny = atoi(argv[3]); nz = atoi(argv[4]); minSeconds = atof(argv[5]); samples = atoi(argv[6]);
    rows = cols = nx * ny * nz;
  } else {
    const char *dir = argv[2];
    minSeconds = atof(argv[3]); samples = atoi(argv[4]);
    char path[4096];
    snprintf(path, sizeof path, "%s/meta.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f || fscanf(f, "%d %d %d", &rows, &cols, &nnz) != 3) { fprintf(stderr, "bad %s\n", path); return 2; }
    fclose(f);
    ptr = readall(dir, "indptr.bin", sizeof(int) * (rows + 1));
    idx = readall(dir, "indices.bin", sizeof(int) * nnz);
    val = readall(dir, "data.bin", sizeof(double) * nnz);
  }
  u = malloc(sizeof(double) * cols);
  y = malloc(sizeof(double) * rows);
  for (int i = 0; i < cols; i++) u[i] = (double)((i * 2654435761u) % 1000) / 1000.0 - 0.5;
  #define RUN() do { \
    if (!strcmp(kind, "stencil5")) stencil5_fast(nx, ny, u, y); \
    else if (!strcmp(kind, "stencil7")) stencil7(nx, ny, nz, u, y); \
    else csr(rows, ptr, idx, val, u, y); } while (0)
  RUN();
  int reps = 1;
  for (;;) {
    double t0 = now();
    for (int r = 0; r < reps; r++) RUN();
    if (now() - t0 >= minSeconds / 4) break;
    reps *= 2;
  }
  reps *= 4;
  double *t = malloc(sizeof(double) * samples);
  for (int s = 0; s < samples; s++) {
    double t0 = now();
    for (int r = 0; r < reps; r++) RUN();
    t[s] = (now() - t0) / reps;
  }
  qsort(t, samples, sizeof(double), cmp_double);
  double sum = 0;
  for (int i = 0; i < rows; i++) sum += y[i];
  printf("%.9e %.17g\n", samples % 2 ? t[samples / 2] : 0.5 * (t[samples / 2 - 1] + t[samples / 2]), sum);
  return 0;
}
