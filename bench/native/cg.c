/* C reference for `npm run bench -- krylov`: conjugate gradients on the matrix-free 2D 5-point
 * Dirichlet Laplacian (unscaled, as gallery.poisson), fused the way solvewasm's loop is:
 * q = A·p with pᵀq in one pass; x += α·p, r −= α·q with ‖r‖² in one pass; p = r + β·p.
 * Stops when ‖r‖ ≤ rtol·‖b‖ (recursive residual), then reports the true relative residual.
 * Usage: cg N RTOL  → prints "iterations seconds relres". b = h²·1, h = 1/(N+1), x0 = 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "timing.h"

static double edge(int n, int i, int j, const double *u) {
  const double *c = u + (size_t)j * n;
  double a = 4.0 * c[i];
  if (j > 0) a -= c[i - n];
  if (i > 0) a -= c[i - 1];
  if (i < n - 1) a -= c[i + 1];
  if (j < n - 1) a -= c[i + n];
  return a;
}

/* y = A·u on lines [j0, j1), returns Σ u·y over them; interior points without branches. */
static double apply_dot(int n, int j0, int j1, const double *restrict u, double *restrict y) {
  double s = 0.0;
  for (int j = j0; j < j1; j++) {
    const double *c = u + (size_t)j * n;
    double *o = y + (size_t)j * n;
    if (j == 0 || j == n - 1 || n < 3) {
      for (int i = 0; i < n; i++) { o[i] = edge(n, i, j, u); s += c[i] * o[i]; }
      continue;
    }
    const double *sr = c - n, *nr = c + n;
    o[0] = edge(n, 0, j, u);
    s += c[0] * o[0];
    for (int i = 1; i < n - 1; i++) {
      double a = 4.0 * c[i] - sr[i] - c[i - 1] - c[i + 1] - nr[i];
      o[i] = a;
      s += c[i] * a;
    }
    o[n - 1] = edge(n, n - 1, j, u);
    s += c[n - 1] * o[n - 1];
  }
  return s;
}

static void apply(int n, const double *u, double *y) { apply_dot(n, 0, n, u, y); }

int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  double rtol = atof(argv[2]);
  size_t N = (size_t)n * n;
  double *x = calloc(N, 8), *r = malloc(N * 8), *p = malloc(N * 8), *q = malloc(N * 8), *b = malloc(N * 8);
  double h = 1.0 / (n + 1);
  for (size_t i = 0; i < N; i++) b[i] = h * h;
  double t0 = now();
  double bb = 0;
  for (size_t i = 0; i < N; i++) { r[i] = b[i]; p[i] = b[i]; bb += b[i] * b[i]; }
  double tol = rtol * sqrt(bb), rr = bb;
  int it = 0, maxiter = 10 * (int)N;
  while (sqrt(rr) > tol && it < maxiter) {
    double pq = 0;
    /* blocks of rows keep p and q in cache between the product and the dot */
    for (int j = 0; j < n; j += 8) pq += apply_dot(n, j, j + 8 < n ? j + 8 : n, p, q);
    double alpha = rr / pq, rrNew = 0;
    for (size_t i = 0; i < N; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      rrNew += r[i] * r[i];
    }
    double beta = rrNew / rr;
    rr = rrNew;
    for (size_t i = 0; i < N; i++) p[i] = r[i] + beta * p[i];
    it++;
  }
  double seconds = now() - t0;
  apply(n, x, q);
  double res = 0;
  for (size_t i = 0; i < N; i++) res += (b[i] - q[i]) * (b[i] - q[i]);
  printf("%d %.6e %.6e\n", it, seconds, sqrt(res / bb));
  return 0;
}
