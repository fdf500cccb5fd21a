/* simd.h — what the fixed-order kernels (matvec.c, matvec_t.c) share: their 32-byte
 * GCC vectors, the lane-by-lane fused multiply-add (one vfmadd per vector in the v3
 * and v4 clones, the C library's exact fma/fmaf in the baseline: the same bits), and
 * whether the AVX-512 kernels are built at all. */
#ifndef GS_SIMD_H
#define GS_SIMD_H

#include "internal.h"

#include <string.h>

typedef float gs__f8 __attribute__((vector_size(32)));
typedef float gs__f4 __attribute__((vector_size(16)));
typedef double gs__d4 __attribute__((vector_size(32)));
typedef double gs__d2 __attribute__((vector_size(16)));

/* acc = fma(a, b, acc), lane by lane (pointers: no vector is passed by value) */
static inline void fma_h_f(gs__f8 *acc, const gs__f8 *a, const gs__f8 *b) {
    gs__f8 r;
    for (int l = 0; l < 8; l++) r[l] = __builtin_fmaf((*a)[l], (*b)[l], (*acc)[l]);
    *acc = r;
}
static inline void fma_h_d(gs__d4 *acc, const gs__d4 *a, const gs__d4 *b) {
    gs__d4 r;
    for (int l = 0; l < 4; l++) r[l] = __builtin_fma((*a)[l], (*b)[l], (*acc)[l]);
    *acc = r;
}
static inline float fma_s_f(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
static inline double fma_s_d(double a, double b, double c) { return __builtin_fma(a, b, c); }

/* unaligned loads and stores of one vector */
static inline void load_f(gs__f8 *v, const float *p) { memcpy(v, p, sizeof *v); }
static inline void load_d(gs__d4 *v, const double *p) { memcpy(v, p, sizeof *v); }
static inline void store_f(float *p, const gs__f8 *v) { memcpy(p, v, sizeof *v); }
static inline void store_d(double *p, const gs__d4 *v) { memcpy(p, v, sizeof *v); }

/* the AVX-512 kernels: built in a multi-ISA build, or when the whole build is for v4 */
#if defined(GS__MULTI_ISA) || (defined(__AVX512F__) && defined(__AVX512DQ__))
#define GS__HAVE_V4 1
#include <immintrin.h>
#endif

#endif
