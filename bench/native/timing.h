/* Timing helpers shared by the C references of the benchmarks: a monotonic clock and the
 * comparison qsort needs for medians. */
#ifndef SOLVEWASM_BENCH_TIMING_H
#define SOLVEWASM_BENCH_TIMING_H
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#endif
