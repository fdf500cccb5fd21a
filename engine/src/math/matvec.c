/* matvec.c — the engine's own matrix–vector kernels: what a person steps through at
 * batch 1 (forward, backward, parameter gradients, Jacobian singular values) goes
 * through these, never through OpenBLAS, so a shown number is the same bytes on every
 * machine whatever kernels OpenBLAS picks, however many threads it runs, and whichever
 * of our own instruction-set clones the loader chose.
 *
 * How the bits are pinned.  Every sum has one order of summation written here, and
 * every vector path computes exactly that order:
 *  - a dot product (A·z, one row of A) keeps GS__LANES partial sums, lane l adding the
 *    products of columns c ≡ l (mod GS__LANES) in column order; the lanes are then
 *    added by a fixed halving tree, and the columns past the last full block of lanes
 *    are added one by one after it;
 *  - a transposed product (D·A) and the gradient update (G += Dᵀ Z) add the rows in
 *    row order into each output element, which no vector width can reorder.
 * The engine is compiled with -ffp-contract=off, so no path fuses a multiply and an
 * add (an FMA rounds once where the SSE path rounds twice).  The vector type is a GCC
 * vector of GS__LANES elements that each clone lowers to its own registers: four SSE
 * registers, two AVX2 ones or one AVX-512 one, with the same lane arithmetic. */
#include "internal.h"

#include <string.h>

/* 64 bytes of lanes: 16 floats or 8 doubles */
#define GS__VBYTES 64

typedef float gs__vec_f __attribute__((vector_size(GS__VBYTES)));
typedef double gs__vec_d __attribute__((vector_size(GS__VBYTES)));
typedef float gs__f8 __attribute__((vector_size(32)));
typedef float gs__f4 __attribute__((vector_size(16)));
typedef float gs__f2 __attribute__((vector_size(8)));
typedef double gs__d4 __attribute__((vector_size(32)));
typedef double gs__d2 __attribute__((vector_size(16)));

/* Lane l of the upper half added to lane l of the lower half, down to one lane:
 * t[l] += t[l + 8], t[l] += t[l + 4], t[l] += t[l + 2], t[0] += t[1] (16 floats). */
static inline float hsum_f(const gs__vec_f *acc) {
    gs__f8 a, b;
    gs__f4 c, d;
    gs__f2 e, f;
    float r[2];
    memcpy(&a, acc, sizeof a);
    memcpy(&b, (const char *)acc + sizeof a, sizeof b);
    a = a + b;
    memcpy(&c, &a, sizeof c);
    memcpy(&d, (const char *)&a + sizeof c, sizeof d);
    c = c + d;
    memcpy(&e, &c, sizeof e);
    memcpy(&f, (const char *)&c + sizeof e, sizeof f);
    e = e + f;
    memcpy(r, &e, sizeof r);
    return r[0] + r[1];
}

/* the same for 8 doubles: t[l] += t[l + 4], t[l] += t[l + 2], t[0] += t[1] */
static inline double hsum_d(const gs__vec_d *acc) {
    gs__d4 a, b;
    gs__d2 c, d;
    double r[2];
    memcpy(&a, acc, sizeof a);
    memcpy(&b, (const char *)acc + sizeof a, sizeof b);
    a = a + b;
    memcpy(&c, &a, sizeof c);
    memcpy(&d, (const char *)&a + sizeof c, sizeof d);
    c = c + d;
    memcpy(r, &c, sizeof r);
    return r[0] + r[1];
}

/* The same halving for four rows at once, so that each add serves several rows:
 * returns (t0, t1, t2, t3), each row's lanes reduced exactly as hsum_f does. */
static inline gs__f4 hsum4_f(const gs__vec_f *p0, const gs__vec_f *p1, const gs__vec_f *p2,
                             const gs__vec_f *p3) {
    gs__vec_f s0 = *p0, s1 = *p1, s2 = *p2, s3 = *p3;
    /* w = 8: [row0 l0..7 | row1 l0..7], [row2 | row3] */
    gs__vec_f a01 = __builtin_shufflevector(s0, s1, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20,
                                            21, 22, 23) +
                    __builtin_shufflevector(s0, s1, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27,
                                            28, 29, 30, 31);
    gs__vec_f a23 = __builtin_shufflevector(s2, s3, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20,
                                            21, 22, 23) +
                    __builtin_shufflevector(s2, s3, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27,
                                            28, 29, 30, 31);
    /* w = 4: [row0 l0..3 | row1 | row2 | row3] */
    gs__vec_f b = __builtin_shufflevector(a01, a23, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24,
                                          25, 26, 27) +
                  __builtin_shufflevector(a01, a23, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23,
                                          28, 29, 30, 31);
    /* w = 2, then w = 1 */
    gs__f8 c = __builtin_shufflevector(b, b, 0, 1, 4, 5, 8, 9, 12, 13) +
               __builtin_shufflevector(b, b, 2, 3, 6, 7, 10, 11, 14, 15);
    return __builtin_shufflevector(c, c, 0, 2, 4, 6) + __builtin_shufflevector(c, c, 1, 3, 5, 7);
}

#define DEFINE_KERNELS(T, SUF)                                                           \
    enum { LANES_##SUF = GS__VBYTES / (int)sizeof(T) };                                  \
                                                                                         \
    /* unaligned loads: the vectors stay in registers, never passed by value */         \
    static inline void load_##SUF(gs__vec_##SUF *v, const T *p) { memcpy(v, p, sizeof *v); } \
                                                                                         \
    /* the fixed reduction: the lanes halved pairwise (l += l + w, w = lanes/2 .. 1,    \
     * by vector halves: hsum_*), then the tail columns one by one */                  \
    static inline T finish_##SUF(const gs__vec_##SUF *acc, const T *a, const T *z, int tail) { \
        T t = hsum_##SUF(acc);                                                           \
        for (int c = 0; c < tail; c++) t = t + a[c] * z[c];                              \
        return t;                                                                        \
    }                                                                                    \
                                                                                         \
    /* out (rows) = beta*out + A (rows, cols; lda) · z (cols); four rows share each     \
     * load of z.  beta is 0 or 1 in the engine; other values scale out first. */       \
    GS__CLONES void gs__gemv_n_##SUF(T *out, const T *A, size_t lda, const T *z,      \
                                        int rows, int cols, T beta) {                    \
        int full = cols - cols % LANES_##SUF, tail = cols - full, r = 0, c;              \
        for (; r + 4 <= rows; r += 4) {                                                  \
            const T *a0 = A + (size_t)r * lda, *a1 = a0 + lda, *a2 = a1 + lda,           \
                    *a3 = a2 + lda;                                                      \
            gs__vec_##SUF s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };                \
            for (c = 0; c < full; c += LANES_##SUF) {                                    \
                gs__vec_##SUF zv, v;                                                     \
                load_##SUF(&zv, z + c);                                                  \
                load_##SUF(&v, a0 + c);                                                  \
                s0 += v * zv;                                                            \
                load_##SUF(&v, a1 + c);                                                  \
                s1 += v * zv;                                                            \
                load_##SUF(&v, a2 + c);                                                  \
                s2 += v * zv;                                                            \
                load_##SUF(&v, a3 + c);                                                  \
                s3 += v * zv;                                                            \
            }                                                                            \
            T d0, d1, d2, d3;                                                            \
            HSUM4_##SUF(d0, d1, d2, d3, s0, s1, s2, s3);                                 \
            for (c = full; c < cols; c++) {                                              \
                d0 = d0 + a0[c] * z[c];                                                  \
                d1 = d1 + a1[c] * z[c];                                                  \
                d2 = d2 + a2[c] * z[c];                                                  \
                d3 = d3 + a3[c] * z[c];                                                  \
            }                                                                            \
            out[r] = beta == 0 ? d0 : d0 + beta * out[r];                                \
            out[r + 1] = beta == 0 ? d1 : d1 + beta * out[r + 1];                        \
            out[r + 2] = beta == 0 ? d2 : d2 + beta * out[r + 2];                        \
            out[r + 3] = beta == 0 ? d3 : d3 + beta * out[r + 3];                        \
        }                                                                                \
        for (; r < rows; r++) {                                                          \
            const T *a0 = A + (size_t)r * lda;                                           \
            gs__vec_##SUF s0 = { 0 };                                                    \
            for (c = 0; c < full; c += LANES_##SUF) {                                    \
                gs__vec_##SUF zv, v;                                                     \
                load_##SUF(&zv, z + c);                                                  \
                load_##SUF(&v, a0 + c);                                                  \
                s0 += v * zv;                                                            \
            }                                                                            \
            T d0 = finish_##SUF(&s0, a0 + full, z + full, tail);                          \
            out[r] = beta == 0 ? d0 : d0 + beta * out[r];                                \
        }                                                                                \
    }                                                                                    \
                                                                                         \
    /* out (cols) = beta*out + Dᵀ A: out[c] = Σ_r d[r] A[r][c], rows added in order.    \
     * out must not overlap A or d. */                                                  \
    GS__CLONES void gs__gemv_t_##SUF(T *out, const T *A, size_t lda, const T *d,      \
                                        int rows, int cols, T beta) {                    \
        int r, c;                                                                        \
        if (beta == 0)                                                                   \
            memset(out, 0, sizeof(T) * (size_t)cols);                                    \
        else if (beta != 1)                                                              \
            for (c = 0; c < cols; c++) out[c] *= beta;                                   \
        for (r = 0; r + 4 <= rows; r += 4) {                                             \
            const T *a0 = A + (size_t)r * lda, *a1 = a0 + lda, *a2 = a1 + lda,           \
                    *a3 = a2 + lda;                                                      \
            T d0 = d[r], d1 = d[r + 1], d2 = d[r + 2], d3 = d[r + 3];                    \
            for (c = 0; c < cols; c++)                                                   \
                out[c] = (((out[c] + d0 * a0[c]) + d1 * a1[c]) + d2 * a2[c]) + d3 * a3[c]; \
        }                                                                                \
        for (; r < rows; r++) {                                                          \
            const T *a0 = A + (size_t)r * lda;                                           \
            T d0 = d[r];                                                                 \
            for (c = 0; c < cols; c++) out[c] = out[c] + d0 * a0[c];                     \
        }                                                                                \
    }

/* four rows' reductions: one shuffle network for floats; row by row for doubles */
#define HSUM4_f(d0, d1, d2, d3, s0, s1, s2, s3)                                          \
    do {                                                                                 \
        gs__f4 r4_ = hsum4_f(&s0, &s1, &s2, &s3);                                            \
        d0 = r4_[0];                                                                     \
        d1 = r4_[1];                                                                     \
        d2 = r4_[2];                                                                     \
        d3 = r4_[3];                                                                     \
    } while (0)
#define HSUM4_d(d0, d1, d2, d3, s0, s1, s2, s3)                                          \
    do {                                                                                 \
        d0 = hsum_d(&s0);                                                                \
        d1 = hsum_d(&s1);                                                                \
        d2 = hsum_d(&s2);                                                                \
        d3 = hsum_d(&s3);                                                                \
    } while (0)

DEFINE_KERNELS(float, f)
DEFINE_KERNELS(double, d)

/* G (rows, cols; ldg) += Σ_k D[k]ᵀ Z[k], one step k after another into each element:
 * the exact form of the parameter-gradient product.  Eight rows of G at a time take
 * every step before the next eight, so a large G is streamed once, not K times (the
 * order of the adds into each element is the same either way). */
GS__CLONES void gs__ger_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z,
                            int ldz, int K, int rows, int cols) {
    enum { RB = 8 };
    for (int r0 = 0; r0 < rows; r0 += RB) {
        int r1 = r0 + RB < rows ? r0 + RB : rows;
        for (int k = 0; k < K; k++) {
            const gs_real *dk = D + (size_t)k * (size_t)ldd, *zk = Z + (size_t)k * (size_t)ldz;
            for (int r = r0; r < r1; r++) {
                gs_real dr = dk[r], *g = G + (size_t)r * (size_t)ldg;
                for (int c = 0; c < cols; c++) g[c] = g[c] + dr * zk[c];
            }
        }
    }
}
