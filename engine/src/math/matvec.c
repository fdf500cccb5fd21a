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

#define DEFINE_KERNELS(T, SUF)                                                           \
    typedef T gs__vec_##SUF __attribute__((vector_size(GS__VBYTES)));                    \
    enum { LANES_##SUF = GS__VBYTES / (int)sizeof(T) };                                  \
                                                                                         \
    /* unaligned loads: the vectors stay in registers, never passed by value */         \
    static inline void load_##SUF(gs__vec_##SUF *v, const T *p) { memcpy(v, p, sizeof *v); } \
                                                                                         \
    /* the fixed reduction: halve the lanes (l += l + w) down to one, then the tail */   \
    static inline T finish_##SUF(const gs__vec_##SUF *acc, const T *a, const T *z, int tail) { \
        T t[LANES_##SUF];                                                                \
        memcpy(t, acc, sizeof t);                                                        \
        for (int w = LANES_##SUF / 2; w >= 1; w /= 2)                                    \
            for (int l = 0; l < w; l++) t[l] = t[l] + t[l + w];                          \
        for (int c = 0; c < tail; c++) t[0] = t[0] + a[c] * z[c];                        \
        return t[0];                                                                     \
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
            T d0 = finish_##SUF(&s0, a0 + full, z + full, tail);                          \
            T d1 = finish_##SUF(&s1, a1 + full, z + full, tail);                          \
            T d2 = finish_##SUF(&s2, a2 + full, z + full, tail);                          \
            T d3 = finish_##SUF(&s3, a3 + full, z + full, tail);                          \
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

DEFINE_KERNELS(float, f)
DEFINE_KERNELS(double, d)

/* G (rows, cols; ldg) += Σ_k D[k]ᵀ Z[k], one step k after another: the exact form of
 * the parameter-gradient product. */
GS__CLONES void gs__ger_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z,
                               int ldz, int K, int rows, int cols) {
    for (int k = 0; k < K; k++) {
        const gs_real *dk = D + (size_t)k * (size_t)ldd, *zk = Z + (size_t)k * (size_t)ldz;
        for (int r = 0; r < rows; r++) {
            gs_real dr = dk[r], *g = G + (size_t)r * (size_t)ldg;
            for (int c = 0; c < cols; c++) g[c] = g[c] + dr * zk[c];
        }
    }
}
