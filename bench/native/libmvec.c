/* glibc's float32 elementary functions, for `npm run bench -- elementary` (driven by
 * bench/libmvec.js): y[i] = f(x[i]) over a whole array, one implementation per build of this
 * file. The loops are the same in every build; the compiler flags choose what they call
 * (bench/libmvec.js builds all three):
 *   gcc -O3 -march=native -ffast-math -fopenmp-simd -DIMPL='"libmvec-native"' … -lmvec -lm
 *       glibc's <math.h> declares SIMD variants of logf etc. only under __FAST_MATH__, so the
 *       vectorizer calls libmvec's widest variant for the CPU (on AVX-512: _ZGVeN16v_logf,
 *       16 lanes; bench/libmvec.js then names the build libmvec-avx512);
 *   gcc -O3 -march=x86-64 -ffast-math -fopenmp-simd -DIMPL='"libmvec-sse"' … -lmvec -lm
 *       the same at SSE width (_ZGVbN4v_logf: 4 lanes, wasm SIMD's width for float32);
 *   gcc -O3 -march=native -fno-tree-vectorize -DIMPL='"glibc-scalar"' … -lm
 *       one scalar logf call per element (glibc's own CPU dispatch picks its FMA code).
 * Which symbols a build really calls is read off its disassembly by bench/libmvec.js: a
 * function libmvec lacks compiles to scalar calls, and must not be reported as libmvec.
 *
 * Usage: libmvec FN INPUTS.f32 OUTDIR SAMPLES MIN_SECONDS
 *   FN: expf exp2f expm1f logf log2f log1pf sinf cosf tanhf erff sigmoidf
 *   INPUTS.f32: raw little-endian float32, n = size / 4.
 * Writes OUTDIR/IMPL.f32 (the n outputs of one pass) and prints one JSON line:
 *   {"impl":…,"fn":…,"n":…,"samples":…,"seconds_per_pass":…} (the median over SAMPLES
 *   samples; a sample repeats the pass until MIN_SECONDS have gone by). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xmmintrin.h>
#include "timing.h"

#ifndef IMPL
#error "build with -DIMPL='\"name\"' (see the header comment)"
#endif

/* One noinline function per f, so that bench/libmvec.js can find each loop's calls by name in
 * `objdump -d` (called through the table below, so gcc neither inlines nor clones them). */
#define PASS(fn, expr)                                                                   \
  __attribute__((noinline)) static void pass_##fn(long n, const float *restrict x,      \
                                                  float *restrict y) {                  \
    _Pragma("omp simd") for (long i = 0; i < n; i++) y[i] = (expr);                     \
  }

PASS(expf, expf(x[i]))
PASS(exp2f, exp2f(x[i]))
PASS(expm1f, expm1f(x[i]))
PASS(logf, logf(x[i]))
PASS(log2f, log2f(x[i]))
PASS(log1pf, log1pf(x[i]))
PASS(sinf, sinf(x[i]))
PASS(cosf, cosf(x[i]))
PASS(tanhf, tanhf(x[i]))
PASS(erff, erff(x[i]))
PASS(sigmoidf, 1.0f / (1.0f + expf(-x[i]))) /* vectorizes through libmvec's expf */

static const struct {
  const char *name;
  void (*pass)(long, const float *restrict, float *restrict);
} FNS[] = {
    {"expf", pass_expf},   {"exp2f", pass_exp2f}, {"expm1f", pass_expm1f}, {"logf", pass_logf},
    {"log2f", pass_log2f}, {"log1pf", pass_log1pf}, {"sinf", pass_sinf},   {"cosf", pass_cosf},
    {"tanhf", pass_tanhf}, {"erff", pass_erff},   {"sigmoidf", pass_sigmoidf},
};

static void die(const char *what, const char *arg) {
  fprintf(stderr, "libmvec: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 6) die("usage: libmvec FN INPUTS.f32 OUTDIR SAMPLES MIN_SECONDS", NULL);
  void (*pass)(long, const float *restrict, float *restrict) = NULL;
  for (size_t k = 0; k < sizeof FNS / sizeof FNS[0]; k++)
    if (strcmp(argv[1], FNS[k].name) == 0) pass = FNS[k].pass;
  if (!pass) die("unknown function", argv[1]);
  const int samples = atoi(argv[4]);
  const double min_seconds = atof(argv[5]);
  if (samples < 1 || !(min_seconds >= 0)) die("bad SAMPLES or MIN_SECONDS", NULL);

  FILE *f = fopen(argv[2], "rb");
  if (!f) die("cannot open", argv[2]);
  fseek(f, 0, SEEK_END);
  const long n = ftell(f) / (long)sizeof(float);
  rewind(f);
  /* 64-byte aligned, like the wasm side's buffers: no split loads in the AVX-512 loop. */
  const size_t bytes = ((size_t)(n > 0 ? n : 1) * sizeof(float) + 63) & ~(size_t)63;
  float *x = aligned_alloc(64, bytes), *y = aligned_alloc(64, bytes);
  if (!x || !y) die("out of memory", NULL);
  if (fread(x, sizeof(float), n, f) != (size_t)n) die("short read", argv[2]);
  fclose(f);

  /* -ffast-math links crtfastmath.o, which turns on flush-to-zero and denormals-are-zero at
   * start-up. Wasm has neither, and libmvec is written for the default environment: clear
   * both (MXCSR bits 15 and 6) so every build runs in the same IEEE mode as the wasm kernels. */
  _mm_setcsr(_mm_getcsr() & ~0x8040u);

  pass(n, x, y); /* warm-up (page faults, PLT binding, libmvec's first touch) */
  double *t = malloc(sizeof(double) * samples);
  for (int s = 0; s < samples; s++) {
    long reps = 0;
    const double t0 = now();
    double dt;
    do {
      pass(n, x, y);
      /* y is a result the compiler cannot see used: keep every pass. */
      __asm__ volatile("" : : "r"(y) : "memory");
      reps++;
    } while ((dt = now() - t0) < min_seconds);
    t[s] = dt / reps;
  }
  qsort(t, samples, sizeof(double), cmp_double);

  char path[4096];
  snprintf(path, sizeof path, "%s/%s.f32", argv[3], IMPL);
  FILE *o = fopen(path, "wb");
  if (!o || fwrite(y, sizeof(float), n, o) != (size_t)n || fclose(o) != 0) die("cannot write", path);
  /* the median as bench/harness.js takes it: the mean of the middle two for even SAMPLES */
  const double med = samples % 2 ? t[samples / 2] : 0.5 * (t[samples / 2 - 1] + t[samples / 2]);
  printf("{\"impl\":\"%s\",\"fn\":\"%s\",\"n\":%ld,\"samples\":%d,\"seconds_per_pass\":%.9g}\n", IMPL, argv[1], n,
         samples, med);
  return 0;
}
