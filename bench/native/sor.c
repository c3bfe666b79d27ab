/* C reference for `npm run bench -- relax-sweep`: lexicographic SOR sweeps on the 2D
 * 5-point Laplacian (zero outside), the plain loop gcc compiles with -O3 -march=native.
 * Usage: sor N OMEGA MIN_SECONDS → prints point-updates per second (median of 5). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "timing.h"

/* One sweep on an (n+2)² zero-bordered array: x ← x + ω((b + Σ neighbours)/4 − x). */
static void sweep(int n, double omega, const double *restrict b, double *restrict x) {
  int m = n + 2;
  for (int j = 1; j <= n; j++)
    for (int i = 1; i <= n; i++) {
      int p = j * m + i;
      double gs = 0.25 * (b[p] + x[p - 1] + x[p + 1] + x[p - m] + x[p + m]);
      x[p] += omega * (gs - x[p]);
    }
}

int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  double omega = atof(argv[2]), minSeconds = atof(argv[3]);
  size_t m = (size_t)(n + 2) * (n + 2);
  double *x = calloc(m, 8), *b = calloc(m, 8);
  for (int j = 1; j <= n; j++) for (int i = 1; i <= n; i++) b[j * (n + 2) + i] = 1e-4 * ((i * 7 + j * 13) % 17);
  int reps = 1;
  for (;;) {
    double t0 = now();
    for (int r = 0; r < reps; r++) sweep(n, omega, b, x);
    if (now() - t0 >= minSeconds / 4) break;
    reps *= 2;
  }
  reps *= 4;
  double t[5];
  for (int s = 0; s < 5; s++) {
    double t0 = now();
    for (int r = 0; r < reps; r++) sweep(n, omega, b, x);
    t[s] = (now() - t0) / reps;
  }
  qsort(t, 5, sizeof(double), cmp_double);
  printf("%.6e %.17g\n", (double)n * n / t[2], x[(n / 2 + 1) * (n + 2) + n / 2 + 1]);
  return 0;
}
