/* matvec_t.c — the transposed products of the fixed-order kernels: out = beta*out + dᵀA
 * (A row-major, rows × cols), one vector d (gs__gemv_t_f/_d) or several (gs__gemv_tk).
 * They run a batch-1 step's forward product through the transposed copy of a model's
 * matrix (Wᵀ: then dᵀWᵀ = W d) and its backward products (dᵀA), so every number a
 * person steps through comes from here or from matvec.c.
 *
 * The order, on every path: each output element is one chain of fused multiply-adds
 * from its start value (beta*out: 0, out itself, or out scaled first), over the rows
 * in row order, o = fma(d_r, a_rc, o).  A vector path only computes many elements'
 * chains side by side, so no width, blocking or instruction set can reorder a sum.
 *
 * The speed.  A block of out stays in registers while every row of A is fused into it
 * (one broadcast of d_r, one load and one multiply-add per vector of the block), so A
 * is read once and out loaded and stored once per block and RB_T rows: no reductions,
 * no shuffles, and the rows' loads are all there is.  The portable kernel holds eight 32-byte GCC
 * vectors (the v3 clone: eight ymm); the AVX-512 one up to sixteen zmm (256 floats),
 * the last columns in one masked register. */
#include "simd.h"

/* rows fused into a block of out between its load and its store: 32 rows of a wide
 * matrix (the backward's D·A at H = 512: 1024 columns, 128 KB) stay in L2 while their
 * columns are taken block by block, where whole columns would stream the matrix from
 * memory once per block (measured: 355 against 285 µs a backward step) */
enum { RB_T = 32 };

/* ---- AVX-512, float ---- */

#if defined(GS__HAVE_V4) && !defined(GS_REAL_DOUBLE)
#define GS__T_V4 1

/* out[0, 16 NB) = out + dᵀA over those columns: NB registers held through the rows */
#define BLOCK_T_V4(NB)                                                                   \
    static inline GS__V4 void block##NB##_t_f_v4(float *out, const float *A, size_t lda,  \
                                                 const float *d, int rows) {             \
        __m512 acc[NB];                                                                  \
        _Pragma("GCC unroll 16") for (int j = 0; j < NB; j++) acc[j] =                   \
            _mm512_loadu_ps(out + 16 * j);                                               \
        for (int r = 0; r < rows; r++) {                                                 \
            const float *a = A + (size_t)r * lda;                                        \
            __m512 dr = _mm512_set1_ps(d[r]);                                            \
            _Pragma("GCC unroll 16") for (int j = 0; j < NB; j++) acc[j] =               \
                _mm512_fmadd_ps(dr, _mm512_loadu_ps(a + 16 * j), acc[j]);                \
        }                                                                                \
        _Pragma("GCC unroll 16") for (int j = 0; j < NB; j++)                            \
            _mm512_storeu_ps(out + 16 * j, acc[j]);                                      \
    }
BLOCK_T_V4(16)
BLOCK_T_V4(8)
BLOCK_T_V4(4)
BLOCK_T_V4(2)
BLOCK_T_V4(1)
#undef BLOCK_T_V4

/* the last cols < 16 columns, in one register of which only those lanes are loaded
 * and stored (the others compute fma(d, 0, 0) and are dropped) */
static inline GS__V4 void tail_t_f_v4(float *out, const float *A, size_t lda, const float *d,
                                      int rows, int cols) {
    __mmask16 k = (__mmask16)((1u << cols) - 1);
    __m512 acc = _mm512_maskz_loadu_ps(k, out);
    for (int r = 0; r < rows; r++)
        acc = _mm512_fmadd_ps(_mm512_set1_ps(d[r]), _mm512_maskz_loadu_ps(k, A + (size_t)r * lda),
                              acc);
    _mm512_mask_storeu_ps(out, k, acc);
}

/* out (cols) = out + dᵀA, beta already applied: RB_T rows at a time (a wide A is then
 * read a few rows at a time, in cache for each block of columns), in blocks of 256,
 * 128, .. 16 columns */
static GS__V4 void gemv_t_f_v4(float *out, const float *A, size_t lda, const float *d,
                               int rows, int cols) {
    for (int r0 = 0; r0 < rows; r0 += RB_T) {
        const float *a = A + (size_t)r0 * lda, *dr = d + r0;
        int nr = rows - r0 < RB_T ? rows - r0 : RB_T, c = 0;
        for (; c + 256 <= cols; c += 256) block16_t_f_v4(out + c, a + c, lda, dr, nr);
        if (c + 128 <= cols) block8_t_f_v4(out + c, a + c, lda, dr, nr), c += 128;
        if (c + 64 <= cols) block4_t_f_v4(out + c, a + c, lda, dr, nr), c += 64;
        if (c + 32 <= cols) block2_t_f_v4(out + c, a + c, lda, dr, nr), c += 32;
        if (c + 16 <= cols) block1_t_f_v4(out + c, a + c, lda, dr, nr), c += 16;
        if (c < cols) tail_t_f_v4(out + c, a + c, lda, dr, nr, cols - c);
    }
}

/* four vectors' out (ldo) over columns [0, 16 NB) (masked to `cols` lanes in the last
 * register when NB == 1 and cols < 16): 4 NB registers, each row's loads shared by the
 * four vectors */
#define TILE_TK_V4(NB)                                                                   \
    static inline GS__V4 void tile##NB##_tk_f_v4(float *out, size_t ldo, const float *A,  \
                                                 size_t lda, const float *D, size_t ldd, \
                                                 int rows, __mmask16 k) {                \
        __m512 acc[4][NB];                                                               \
        _Pragma("GCC unroll 4") for (int v = 0; v < 4; v++)                              \
            _Pragma("GCC unroll 4") for (int j = 0; j < NB; j++) acc[v][j] =             \
                _mm512_maskz_loadu_ps(k, out + (size_t)v * ldo + 16 * j);                \
        for (int r = 0; r < rows; r++) {                                                 \
            const float *a = A + (size_t)r * lda;                                        \
            __m512 av[NB];                                                               \
            _Pragma("GCC unroll 4") for (int j = 0; j < NB; j++) av[j] =                 \
                _mm512_maskz_loadu_ps(k, a + 16 * j);                                    \
            _Pragma("GCC unroll 4") for (int v = 0; v < 4; v++) {                        \
                __m512 dv = _mm512_set1_ps(D[(size_t)v * ldd + (size_t)r]);              \
                _Pragma("GCC unroll 4") for (int j = 0; j < NB; j++) acc[v][j] =         \
                    _mm512_fmadd_ps(dv, av[j], acc[v][j]);                               \
            }                                                                            \
        }                                                                                \
        _Pragma("GCC unroll 4") for (int v = 0; v < 4; v++)                              \
            _Pragma("GCC unroll 4") for (int j = 0; j < NB; j++)                         \
                _mm512_mask_storeu_ps(out + (size_t)v * ldo + 16 * j, k, acc[v][j]);     \
    }
TILE_TK_V4(4)
TILE_TK_V4(1)
#undef TILE_TK_V4

/* out (K, cols; ldo) = out + D·A, beta already applied: RB_T rows of A at a time (in
 * cache for every vector), in tiles of four vectors by 64 columns, then by 16; the
 * vectors past the last four one at a time */
static GS__V4 void gemv_tk_f_v4(float *out, size_t ldo, const float *A, size_t lda,
                                const float *D, size_t ldd, int K, int rows, int cols) {
    for (int r0 = 0; r0 < rows; r0 += RB_T) {
        const float *a = A + (size_t)r0 * lda;
        int nr = rows - r0 < RB_T ? rows - r0 : RB_T, k = 0, c;
        for (; k + 4 <= K; k += 4) {
            float *o = out + (size_t)k * ldo;
            const float *dk = D + (size_t)k * ldd + r0;
            for (c = 0; c + 64 <= cols; c += 64)
                tile4_tk_f_v4(o + c, ldo, a + c, lda, dk, ldd, nr, (__mmask16)0xffff);
            for (; c < cols; c += 16) {
                int w = cols - c < 16 ? cols - c : 16;
                tile1_tk_f_v4(o + c, ldo, a + c, lda, dk, ldd, nr, (__mmask16)((1u << w) - 1));
            }
        }
        for (; k < K; k++)
            gemv_t_f_v4(out + (size_t)k * ldo, a, lda, D + (size_t)k * ldd + r0, nr, cols);
    }
}
#endif

/* ---- Portable (every path) ---- */

/* out (cols) *= beta, the start of every chain (0: zeros; 1: out as it is) */
#define DEFINE_SCALE(T, SUF)                                                             \
    static void scale_##SUF(T *out, int cols, T beta) {                                  \
        if (beta == 0)                                                                   \
            memset(out, 0, sizeof(T) * (size_t)cols);                                    \
        else if (beta != 1)                                                              \
            for (int c = 0; c < cols; c++) out[c] *= beta;                               \
    }

/* T, SUF: element type and suffix; H: its 32-byte vector of HL lanes.  Blocks of eight
 * vectors (8 HL columns), then four, two, one, held through every row; the columns
 * past the last full vector one at a time. */
#define DEFINE_GEMV_T(T, SUF, H, HL, V4)                                                 \
    DEFINE_SCALE(T, SUF)                                                                 \
    static inline __attribute__((always_inline)) void block_t_##SUF(                     \
        T *out, const T *A, size_t lda, const T *d, int rows, const int nb) {            \
        H acc[8];                                                                        \
        _Pragma("GCC unroll 8") for (int j = 0; j < nb; j++) load_##SUF(&acc[j], out + HL * j); \
        for (int r = 0; r < rows; r++) {                                                 \
            const T *a = A + (size_t)r * lda;                                            \
            H dr, v;                                                                     \
            for (int l = 0; l < HL; l++) dr[l] = d[r];                                   \
            _Pragma("GCC unroll 8") for (int j = 0; j < nb; j++) {                       \
                load_##SUF(&v, a + HL * j);                                              \
                fma_h_##SUF(&acc[j], &dr, &v);                                           \
            }                                                                            \
        }                                                                                \
        _Pragma("GCC unroll 8") for (int j = 0; j < nb; j++) store_##SUF(out + HL * j, &acc[j]); \
    }                                                                                    \
                                                                                         \
    /* out (cols) = beta*out + dᵀ A: out[c] = Σ_r d[r] A[r][c], rows fused in order.    \
     * out must not overlap A or d. */                                                  \
    GS__CLONES void gs__gemv_t_##SUF(T *out, const T *A, size_t lda, const T *d,      \
                                        int rows, int cols, T beta) {                    \
        scale_##SUF(out, cols, beta);                                                    \
        if (V4) return;                                                                  \
        for (int r0 = 0; r0 < rows; r0 += RB_T) {                                        \
            const T *a = A + (size_t)r0 * lda, *dr = d + r0;                             \
            int nr = rows - r0 < RB_T ? rows - r0 : RB_T, c = 0;                         \
            for (; c + 8 * HL <= cols; c += 8 * HL) block_t_##SUF(out + c, a + c, lda, dr, nr, 8); \
            if (c + 4 * HL <= cols) block_t_##SUF(out + c, a + c, lda, dr, nr, 4), c += 4 * HL; \
            if (c + 2 * HL <= cols) block_t_##SUF(out + c, a + c, lda, dr, nr, 2), c += 2 * HL; \
            if (c + HL <= cols) block_t_##SUF(out + c, a + c, lda, dr, nr, 1), c += HL;  \
            for (; c < cols; c++) {                                                      \
                T o = out[c];                                                            \
                for (int r = 0; r < nr; r++) o = fma_s_##SUF(dr[r], a[(size_t)r * lda + c], o); \
                out[c] = o;                                                              \
            }                                                                            \
        }                                                                                \
    }

#ifdef GS__T_V4
#define T_V4_f (gs__have_v4() ? (gemv_t_f_v4(out, A, lda, d, rows, cols), 1) : 0)
#else
#define T_V4_f 0
#endif
DEFINE_GEMV_T(float, f, gs__f8, 8, T_V4_f)
DEFINE_GEMV_T(double, d, gs__d4, 4, 0)

#ifdef GS_REAL_DOUBLE
#define FMA_R fma_s_d
#define SCALE_R scale_d
#else
#define FMA_R fma_s_f
#define SCALE_R scale_f
#endif

/* out (K, cols; ldo) = beta*out + D (K, rows; ldd) · A: gs__gemv_t_f/_d for each of the
 * K rows of D, bit for bit (each element fuses the rows in row order, whatever the
 * blocking).  On AVX-512 tiles of four vectors share each load of A; else sixteen
 * vectors per pass over A (eight rows at a time), so that A streams once for sixteen. */
GS__CLONES void gs__gemv_tk(gs_real *out, size_t ldo, const gs_real *A, size_t lda,
                            const gs_real *D, size_t ldd, int K, int rows, int cols, gs_real beta) {
#ifdef GS__T_V4
    if (gs__have_v4()) {
        for (int k = 0; k < K; k++) SCALE_R(out + (size_t)k * ldo, cols, beta);
        gemv_tk_f_v4(out, ldo, A, lda, D, ldd, K, rows, cols);
        return;
    }
#endif
    enum { KB = 16 };
    int k0, k1, k, r, c;
    for (k0 = 0; k0 < K; k0 = k1) {
        k1 = k0 + KB < K ? k0 + KB : K;
        for (k = k0; k < k1; k++) SCALE_R(out + (size_t)k * ldo, cols, beta);
        for (r = 0; r + 8 <= rows; r += 8) {
            const gs_real *a0 = A + (size_t)r * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                          *a3 = a2 + lda, *a4 = a3 + lda, *a5 = a4 + lda, *a6 = a5 + lda,
                          *a7 = a6 + lda;
            for (k = k0; k < k1; k++) {
                const gs_real *d = D + (size_t)k * ldd + r;
                gs_real d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4], d5 = d[5],
                        d6 = d[6], d7 = d[7], *o = out + (size_t)k * ldo;
                for (c = 0; c < cols; c++) {
                    gs_real e = FMA_R(d0, a0[c], o[c]);
                    e = FMA_R(d1, a1[c], e);
                    e = FMA_R(d2, a2[c], e);
                    e = FMA_R(d3, a3[c], e);
                    e = FMA_R(d4, a4[c], e);
                    e = FMA_R(d5, a5[c], e);
                    e = FMA_R(d6, a6[c], e);
                    o[c] = FMA_R(d7, a7[c], e);
                }
            }
        }
        for (; r < rows; r++) {
            const gs_real *a0 = A + (size_t)r * lda;
            for (k = k0; k < k1; k++) {
                gs_real d0 = D[(size_t)k * ldd + (size_t)r], *o = out + (size_t)k * ldo;
                for (c = 0; c < cols; c++) o[c] = FMA_R(d0, a0[c], o[c]);
            }
        }
    }
}
