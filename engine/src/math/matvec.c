/* matvec.c — the engine's own matrix–vector kernels, with matvec_t.c (the transposed
 * products, which a batch-1 step's forward and backward run): what a person steps
 * through at batch 1 (the readout, the backward pass, parameter gradients, Jacobian
 * singular values) goes through these, never through OpenBLAS, so a shown number is
 * the same bytes on every machine whatever kernels OpenBLAS picks, however many threads
 * it runs, and whichever of our own instruction-set clones the loader chose.
 *
 * How the bits are pinned.  Every sum has one order of summation written here, and
 * every vector path computes exactly that order:
 *  - a dot product (A·z, one row of A) keeps GS__LANES partial sums (64 bytes: 16
 *    floats or 8 doubles), lane l adding the products of columns c ≡ l (mod GS__LANES)
 *    in column order, each by one fused multiply-add (lane = fma(a_c, z_c, lane)); the
 *    lanes are then added by a fixed halving tree (l += l + w, w = lanes/2 .. 1), and
 *    the columns past the last full block of lanes are fused in one by one after it;
 *  - a transposed product (D·A) and the gradient update (G += Dᵀ Z) fuse the rows in
 *    row order into each output element (o = fma(d_r, a_rc, o)), which no vector width
 *    can reorder.
 * Every multiply-add is fused and rounds once, on every path: the x86-64-v3 and v4
 * paths use the FMA instructions, the baseline calls the C library's fma/fmaf, which
 * is correctly rounded whether the CPU has FMA (glibc then uses it) or not (an exact
 * software routine), so the result is the same bits.  Nothing else is fused: the
 * engine is compiled with -ffp-contract=off, so the compiler never fuses on its own.
 *
 * The paths.  The portable kernels hold a row's lanes as two GCC vectors of 32 bytes
 * and write each multiply-add lane by lane with __builtin_fma(f), which the v3 clone
 * turns into one vfmadd per half; four rows at a time share each load of z.  On an
 * AVX-512 CPU, A·z in float runs gemv_n_f_v4 instead: the same 16 lanes in one 64-byte
 * register, eight rows at a time (eight independent sums keep both FMA pipes busy),
 * and one shuffle network reducing eight rows.  A dot product's reductions are what
 * the forward step avoids by reading A transposed (cells/cell_mm.c). */
#include "simd.h"

/* Lanes 0..7 of a row once lanes 8..15 are added in (w = 8): t[l] += t[l + 4],
 * t[l] += t[l + 2], t[0] += t[1]. */
static inline float hsum8lanes_f(const gs__f8 *a) {
    gs__f4 c = __builtin_shufflevector(*a, *a, 0, 1, 2, 3) +
               __builtin_shufflevector(*a, *a, 4, 5, 6, 7);
    return (c[0] + c[2]) + (c[1] + c[3]);
}

/* One row's 16 float lanes, held as halves lo (lanes 0..7) and hi (8..15), halved
 * pairwise: t[l] += t[l + 8] (lo + hi), then as hsum8lanes_f. */
static inline float hsum_f(const gs__f8 *lo, const gs__f8 *hi) {
    gs__f8 a = *lo + *hi;
    return hsum8lanes_f(&a);
}

/* the same for 8 doubles: t[l] += t[l + 4] (lo + hi), t[l] += t[l + 2], t[0] += t[1] */
static inline double hsum_d(const gs__d4 *lo, const gs__d4 *hi) {
    gs__d4 a = *lo + *hi;
    gs__d2 c = __builtin_shufflevector(a, a, 0, 1) + __builtin_shufflevector(a, a, 2, 3);
    return c[0] + c[1];
}

/* The same halving for four rows at once (each add serves several rows):
 * (t0, t1, t2, t3), each row's lanes reduced exactly as hsum_f does. */
static inline gs__f4 hsum4_f(const gs__f8 *l0, const gs__f8 *h0, const gs__f8 *l1,
                             const gs__f8 *h1, const gs__f8 *l2, const gs__f8 *h2,
                             const gs__f8 *l3, const gs__f8 *h3) {
    /* w = 8: each row's lo + hi */
    gs__f8 a0 = *l0 + *h0, a1 = *l1 + *h1, a2 = *l2 + *h2, a3 = *l3 + *h3;
    /* w = 4: [row0 l0..3 | row1 l0..3], [row2 | row3] */
    gs__f8 b01 = __builtin_shufflevector(a0, a1, 0, 1, 2, 3, 8, 9, 10, 11) +
                 __builtin_shufflevector(a0, a1, 4, 5, 6, 7, 12, 13, 14, 15);
    gs__f8 b23 = __builtin_shufflevector(a2, a3, 0, 1, 2, 3, 8, 9, 10, 11) +
                 __builtin_shufflevector(a2, a3, 4, 5, 6, 7, 12, 13, 14, 15);
    /* w = 2: [row0 l0,1 | row1 | row2 | row3] */
    gs__f8 c = __builtin_shufflevector(b01, b23, 0, 1, 4, 5, 8, 9, 12, 13) +
               __builtin_shufflevector(b01, b23, 2, 3, 6, 7, 10, 11, 14, 15);
    /* w = 1 */
    return __builtin_shufflevector(c, c, 0, 2, 4, 6) + __builtin_shufflevector(c, c, 1, 3, 5, 7);
}

/* four rows' reductions: one shuffle network for floats; row by row for doubles */
#define HSUM4_f(d0, d1, d2, d3)                                                          \
    do {                                                                                 \
        gs__f4 r4_ = hsum4_f(&s0a, &s0b, &s1a, &s1b, &s2a, &s2b, &s3a, &s3b);            \
        d0 = r4_[0];                                                                     \
        d1 = r4_[1];                                                                     \
        d2 = r4_[2];                                                                     \
        d3 = r4_[3];                                                                     \
    } while (0)
#define HSUM4_d(d0, d1, d2, d3)                                                          \
    do {                                                                                 \
        d0 = hsum_d(&s0a, &s0b);                                                         \
        d1 = hsum_d(&s1a, &s1b);                                                         \
        d2 = hsum_d(&s2a, &s2b);                                                         \
        d3 = hsum_d(&s3a, &s3b);                                                         \
    } while (0)

/* ---- A·z on AVX-512: the same lanes and order, one register per row ---- */

#ifdef GS__HAVE_V4

/* w = 8 of one row: lanes 0..7 + lanes 8..15 */
static inline GS__V4 gs__f8 half_sum(__m512 s) {
    return _mm512_castps512_ps256(s) + _mm512_extractf32x8_ps(s, 1);
}

/* Eight rows' 16 lanes reduced at once, in zmm registers: (t0..t7), each row's lanes
 * added pairwise exactly as hsum_f does (w = 8, 4, 2, 1); the 128-bit quarter q of a
 * row's register holds its lanes 4q..4q+3. */
static inline GS__V4 gs__f8 hsum8_zmm(__m512 s0, __m512 s1, __m512 s2, __m512 s3, __m512 s4,
                                       __m512 s5, __m512 s6, __m512 s7) {
    /* w = 8: [row a lanes 0..7 | row b lanes 0..7] = [a.q0 a.q1 b.q0 b.q1] + [a.q2 a.q3 b.q2 b.q3] */
#define W8_(a, b)                                                                        \
    _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),                   \
                  _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)))
    __m512 p01 = W8_(s0, s1), p23 = W8_(s2, s3), p45 = W8_(s4, s5), p67 = W8_(s6, s7);
#undef W8_
    /* w = 4: quarter k = row k's lanes 0..3 (+ 4..7), rows 0..3 and 4..7 */
    __m512 q0 = _mm512_add_ps(_mm512_shuffle_f32x4(p01, p23, _MM_SHUFFLE(2, 0, 2, 0)),
                              _mm512_shuffle_f32x4(p01, p23, _MM_SHUFFLE(3, 1, 3, 1)));
    __m512 q1 = _mm512_add_ps(_mm512_shuffle_f32x4(p45, p67, _MM_SHUFFLE(2, 0, 2, 0)),
                              _mm512_shuffle_f32x4(p45, p67, _MM_SHUFFLE(3, 1, 3, 1)));
    /* w = 2: quarter k = [row k l0, l1, row k+4 l0, l1] */
    __m512 u = _mm512_add_ps(_mm512_shuffle_ps(q0, q1, _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(q0, q1, _MM_SHUFFLE(3, 2, 3, 2)));
    /* w = 1: quarter k = [row k, row k+4, row k, row k+4] */
    __m512 f = _mm512_add_ps(_mm512_shuffle_ps(u, u, _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_ps(u, u, _MM_SHUFFLE(3, 1, 3, 1)));
    __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
    return _mm512_castps512_ps256(_mm512_permutexvar_ps(order, f));
}

/* rows r0 .. r0+7 of out = beta*out + A·z (cols) */
static inline GS__V4 void rows8_n_f_v4(float *out, const float *A, size_t lda, const float *z,
                                       int cols, float beta) {
    int full = cols - cols % 16, c, k;
    const float *a0 = A, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda, *a4 = a3 + lda,
                *a5 = a4 + lda, *a6 = a5 + lda, *a7 = a6 + lda;
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0,
           s7 = s0;
    gs__f8 t;
    float d[8];
    for (c = 0; c < full; c += 16) {
        __m512 zv = _mm512_loadu_ps(z + c);
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + c), zv, s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a1 + c), zv, s1);
        s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a2 + c), zv, s2);
        s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a3 + c), zv, s3);
        s4 = _mm512_fmadd_ps(_mm512_loadu_ps(a4 + c), zv, s4);
        s5 = _mm512_fmadd_ps(_mm512_loadu_ps(a5 + c), zv, s5);
        s6 = _mm512_fmadd_ps(_mm512_loadu_ps(a6 + c), zv, s6);
        s7 = _mm512_fmadd_ps(_mm512_loadu_ps(a7 + c), zv, s7);
    }
    t = hsum8_zmm(s0, s1, s2, s3, s4, s5, s6, s7);
    if (full == cols) {
        if (beta != 0) {
            gs__f8 o;
            memcpy(&o, out, sizeof o);
            t = t + beta * o;
        }
        memcpy(out, &t, sizeof t);
        return;
    }
    memcpy(d, &t, sizeof d);
    for (c = full; c < cols; c++) {
        d[0] = fma_s_f(a0[c], z[c], d[0]);
        d[1] = fma_s_f(a1[c], z[c], d[1]);
        d[2] = fma_s_f(a2[c], z[c], d[2]);
        d[3] = fma_s_f(a3[c], z[c], d[3]);
        d[4] = fma_s_f(a4[c], z[c], d[4]);
        d[5] = fma_s_f(a5[c], z[c], d[5]);
        d[6] = fma_s_f(a6[c], z[c], d[6]);
        d[7] = fma_s_f(a7[c], z[c], d[7]);
    }
    for (k = 0; k < 8; k++) out[k] = beta == 0 ? d[k] : d[k] + beta * out[k];
}

/* one row: out[0] = beta*out[0] + a·z */
static inline GS__V4 void row1_n_f_v4(float *out, const float *a0, const float *z, int cols,
                                      float beta) {
    int full = cols - cols % 16, c;
    __m512 s0 = _mm512_setzero_ps();
    gs__f8 h;
    float d0;
    for (c = 0; c < full; c += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + c), _mm512_loadu_ps(z + c), s0);
    h = half_sum(s0);
    d0 = hsum8lanes_f(&h);
    for (c = full; c < cols; c++) d0 = fma_s_f(a0[c], z[c], d0);
    out[0] = beta == 0 ? d0 : d0 + beta * out[0];
}

static GS__V4 void gemv_n_f_v4(float *out, const float *A, size_t lda, const float *z, int rows,
                               int cols, float beta) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) rows8_n_f_v4(out + r, A + (size_t)r * lda, lda, z, cols, beta);
    for (; r < rows; r++) row1_n_f_v4(out + r, A + (size_t)r * lda, z, cols, beta);
}
#endif

/* ---- The portable kernels (every path; A·z in float where AVX-512 is absent) ---- */

/* T: the element type; SUF: f or d; H: its half vector (32 bytes), of HL lanes;
 * V4: 1 where A·z goes to gemv_n_f_v4 when the CPU has it */
#define DEFINE_KERNELS(T, SUF, H, HL, V4)                                                \
    enum { HL_##SUF = HL, LANES_##SUF = 2 * HL };                                        \
                                                                                         \
    /* out (rows) = beta*out + A (rows, cols; lda) · z (cols); four rows share each     \
     * load of z.  beta is 0 or 1 in the engine; other values scale out first. */       \
    GS__CLONES void gs__gemv_n_##SUF(T *out, const T *A, size_t lda, const T *z,      \
                                        int rows, int cols, T beta) {                    \
        int full = cols - cols % LANES_##SUF, r = 0, c;                                  \
        if (V4_CALL_##SUF(out, A, lda, z, rows, cols, beta)) return;                     \
        for (; r + 4 <= rows; r += 4) {                                                  \
            const T *a0 = A + (size_t)r * lda, *a1 = a0 + lda, *a2 = a1 + lda,           \
                    *a3 = a2 + lda;                                                      \
            H s0a = { 0 }, s0b = { 0 }, s1a = { 0 }, s1b = { 0 }, s2a = { 0 },           \
              s2b = { 0 }, s3a = { 0 }, s3b = { 0 };                                     \
            for (c = 0; c < full; c += LANES_##SUF) {                                    \
                H zl, zh, v;                                                             \
                load_##SUF(&zl, z + c);                                                  \
                load_##SUF(&zh, z + c + HL_##SUF);                                       \
                load_##SUF(&v, a0 + c);                                                  \
                fma_h_##SUF(&s0a, &v, &zl);                                              \
                load_##SUF(&v, a0 + c + HL_##SUF);                                       \
                fma_h_##SUF(&s0b, &v, &zh);                                              \
                load_##SUF(&v, a1 + c);                                                  \
                fma_h_##SUF(&s1a, &v, &zl);                                              \
                load_##SUF(&v, a1 + c + HL_##SUF);                                       \
                fma_h_##SUF(&s1b, &v, &zh);                                              \
                load_##SUF(&v, a2 + c);                                                  \
                fma_h_##SUF(&s2a, &v, &zl);                                              \
                load_##SUF(&v, a2 + c + HL_##SUF);                                       \
                fma_h_##SUF(&s2b, &v, &zh);                                              \
                load_##SUF(&v, a3 + c);                                                  \
                fma_h_##SUF(&s3a, &v, &zl);                                              \
                load_##SUF(&v, a3 + c + HL_##SUF);                                       \
                fma_h_##SUF(&s3b, &v, &zh);                                              \
            }                                                                            \
            T d0, d1, d2, d3;                                                            \
            HSUM4_##SUF(d0, d1, d2, d3);                                                 \
            for (c = full; c < cols; c++) {                                              \
                d0 = fma_s_##SUF(a0[c], z[c], d0);                                       \
                d1 = fma_s_##SUF(a1[c], z[c], d1);                                       \
                d2 = fma_s_##SUF(a2[c], z[c], d2);                                       \
                d3 = fma_s_##SUF(a3[c], z[c], d3);                                       \
            }                                                                            \
            out[r] = beta == 0 ? d0 : d0 + beta * out[r];                                \
            out[r + 1] = beta == 0 ? d1 : d1 + beta * out[r + 1];                        \
            out[r + 2] = beta == 0 ? d2 : d2 + beta * out[r + 2];                        \
            out[r + 3] = beta == 0 ? d3 : d3 + beta * out[r + 3];                        \
        }                                                                                \
        for (; r < rows; r++) {                                                          \
            const T *a0 = A + (size_t)r * lda;                                           \
            H s0a = { 0 }, s0b = { 0 };                                                  \
            for (c = 0; c < full; c += LANES_##SUF) {                                    \
                H zl, zh, v;                                                             \
                load_##SUF(&zl, z + c);                                                  \
                load_##SUF(&zh, z + c + HL_##SUF);                                       \
                load_##SUF(&v, a0 + c);                                                  \
                fma_h_##SUF(&s0a, &v, &zl);                                              \
                load_##SUF(&v, a0 + c + HL_##SUF);                                       \
                fma_h_##SUF(&s0b, &v, &zh);                                              \
            }                                                                            \
            T d0 = hsum_##SUF(&s0a, &s0b);                                               \
            for (c = full; c < cols; c++) d0 = fma_s_##SUF(a0[c], z[c], d0);             \
            out[r] = beta == 0 ? d0 : d0 + beta * out[r];                                \
        }                                                                                \
    }

#ifdef GS__HAVE_V4
#define V4_CALL_f(out, A, lda, z, rows, cols, beta)                                      \
    (gs__have_v4() ? (gemv_n_f_v4(out, A, lda, z, rows, cols, beta), 1) : 0)
#else
#define V4_CALL_f(out, A, lda, z, rows, cols, beta) 0
#endif
#define V4_CALL_d(out, A, lda, z, rows, cols, beta) 0

DEFINE_KERNELS(float, f, gs__f8, 8, 1)
DEFINE_KERNELS(double, d, gs__d4, 4, 0)

#ifdef GS_REAL_DOUBLE
#define FMA_R fma_s_d
#else
#define FMA_R fma_s_f
#endif

#if defined(GS__HAVE_V4) && !defined(GS_REAL_DOUBLE)
/* gs__ger_acc on AVX-512: a tile of G (8 rows × 32 columns) stays in 16 registers
 * while every step k is fused into it, k in order as below, so that G is loaded and
 * stored once per tile, not once per step.  The same operations on each element. */
static GS__V4 void ger_acc_f_v4(float *G, int ldg, const float *D, int ldd, const float *Z,
                                int ldz, int K, int rows, int cols) {
    int cfull = cols - cols % 32, r0 = 0, c0, k, r, c;
    for (; r0 + 8 <= rows; r0 += 8) {
        float *g0 = G + (size_t)r0 * (size_t)ldg;
        for (c0 = 0; c0 < cfull; c0 += 32) {
            __m512 t[16];
            for (r = 0; r < 8; r++) {
                t[2 * r] = _mm512_loadu_ps(g0 + (size_t)r * (size_t)ldg + c0);
                t[2 * r + 1] = _mm512_loadu_ps(g0 + (size_t)r * (size_t)ldg + c0 + 16);
            }
            for (k = 0; k < K; k++) {
                const float *dk = D + (size_t)k * (size_t)ldd + r0;
                const float *zk = Z + (size_t)k * (size_t)ldz + c0;
                __m512 z0 = _mm512_loadu_ps(zk), z1 = _mm512_loadu_ps(zk + 16);
                for (r = 0; r < 8; r++) {
                    __m512 dr = _mm512_set1_ps(dk[r]);
                    t[2 * r] = _mm512_fmadd_ps(dr, z0, t[2 * r]);
                    t[2 * r + 1] = _mm512_fmadd_ps(dr, z1, t[2 * r + 1]);
                }
            }
            for (r = 0; r < 8; r++) {
                _mm512_storeu_ps(g0 + (size_t)r * (size_t)ldg + c0, t[2 * r]);
                _mm512_storeu_ps(g0 + (size_t)r * (size_t)ldg + c0 + 16, t[2 * r + 1]);
            }
        }
        if (cfull < cols)
            for (k = 0; k < K; k++) {
                const float *dk = D + (size_t)k * (size_t)ldd, *zk = Z + (size_t)k * (size_t)ldz;
                for (r = r0; r < r0 + 8; r++) {
                    float dr = dk[r], *g = G + (size_t)r * (size_t)ldg;
                    for (c = cfull; c < cols; c++) g[c] = fma_s_f(dr, zk[c], g[c]);
                }
            }
    }
    for (k = 0; r0 < rows && k < K; k++) {
        const float *dk = D + (size_t)k * (size_t)ldd, *zk = Z + (size_t)k * (size_t)ldz;
        for (r = r0; r < rows; r++) {
            float dr = dk[r], *g = G + (size_t)r * (size_t)ldg;
            for (c = 0; c < cols; c++) g[c] = fma_s_f(dr, zk[c], g[c]);
        }
    }
}
#define GER_V4(G, ldg, D, ldd, Z, ldz, K, rows, cols)                                   \
    (gs__have_v4() ? (ger_acc_f_v4(G, ldg, D, ldd, Z, ldz, K, rows, cols), 1) : 0)
#else
#define GER_V4(G, ldg, D, ldd, Z, ldz, K, rows, cols) 0
#endif

/* G (rows, cols; ldg) += Σ_k D[k]ᵀ Z[k], one step k after another fused into each element:
 * the exact form of the parameter-gradient product.  Eight rows of G at a time take
 * every step before the next eight, so a large G is streamed once, not K times (the
 * order of the adds into each element is the same either way). */
GS__CLONES void gs__ger_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z,
                            int ldz, int K, int rows, int cols) {
    enum { RB = 8 };
    if (GER_V4(G, ldg, D, ldd, Z, ldz, K, rows, cols)) return;
    for (int r0 = 0; r0 < rows; r0 += RB) {
        int r1 = r0 + RB < rows ? r0 + RB : rows;
        for (int k = 0; k < K; k++) {
            const gs_real *dk = D + (size_t)k * (size_t)ldd, *zk = Z + (size_t)k * (size_t)ldz;
            for (int r = r0; r < r1; r++) {
                gs_real dr = dk[r], *g = G + (size_t)r * (size_t)ldg;
                for (int c = 0; c < cols; c++) g[c] = FMA_R(dr, zk[c], g[c]);
            }
        }
    }
}
