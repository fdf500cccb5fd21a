/* gemm.c — the engine's own single-precision matrix product for batched training
 * (batch > 1: a step's W·h over the batch, the backward step's D·W, the parameter
 * gradients Dᵀ Z over a window).  OpenBLAS does these, except when it runs one of its
 * pre-AVX2 cores on a CPU that has AVX2 and FMA — what OpenBLAS 0.3.21 falls back to on
 * a CPU it does not recognise (recent Xeons get Prescott), or what OPENBLAS_CORETYPE
 * asked for: its SSE3 kernels then run far below what the CPU can do, and these take
 * over (linalg.c decides; gs_blas_kernels says which run).
 *
 * A blocked product in the manner of GotoBLAS and BLIS: panels of B (KC x NC) and of A
 * (MC x KC), packed or read in place, feed an MR x NR micro-kernel that keeps its tile
 * of C in registers.  Which operand is packed, and whether C is computed as Cᵀ = Bᵀ Aᵀ,
 * follows the shape (gs__gemm_own's plans): a step's Z Wᵀ over a small batch reads W in
 * place and packs only the batch; the few columns past the last full panel (n + m
 * columns, m small) are a product apart; a product of a few columns along k (dx = D U)
 * is a row of dot products.
 * The bits.  In the blocked plans every element of C sums its products in k order, one
 * fused multiply-add each, in blocks of KC (all of K for Z Wᵀ up to 1024) from zero,
 * each block's sum then added to C (C = beta C + sum for the first); the dot products
 * have a fixed sixteen-lane order.  The plan depends on the shape only, so the AVX2
 * (6 x 16) and AVX-512 (8 x 32) kernels give the same bits, and there is one thread.
 * The bits are not OpenBLAS's: training may differ in its last bits between core types
 * (it already did between OpenBLAS's), never between runs or thread counts. */
#include "internal.h"

#include <stdlib.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(GS_REAL_DOUBLE)
#define GS__HAVE_OWN_GEMM 1
#include <immintrin.h>

enum { KC = 256, MC = 96, NC = 2048 }; /* MC a multiple of both MRs, NC of both NRs */

/* One tile: C (mr x nr of MR x NR; C(i, j) = c[i crs + j ccs]) = beta C + A B over kc,
 * A(i, k) = a[i ars + k acs] (packed: ars 1, acs MR), B(k, j..j+NR) = b + k bks. */
typedef void (*kernel_fn)(int kc, const float *a, long ars, long acs, const float *b, long bks,
                          float *c, long crs, long ccs, int mr, int nr, float beta);

/* C = acc (beta 0: C is not read), C + acc, or beta C + acc (two roundings, as the
 * vector write-back does) */
static inline float put(float c, float acc, float beta) {
    return beta == 0.0f ? acc : beta == 1.0f ? c + acc : beta * c + acc;
}

/* An edge tile, or a transposed C: the kernel's full tile t (MR x NR) into C. */
static void put_tile(const float *t, int NR, float *c, long crs, long ccs, int mr, int nr,
                     float beta) {
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nr; j++) {
            float *e = c + i * crs + j * ccs;
            *e = put(*e, t[i * NR + j], beta);
        }
}

__attribute__((target("avx2,fma"))) static inline __m256 put8(const float *c, __m256 acc,
                                                              float beta) {
    if (beta == 0.0f) return acc;
    if (beta == 1.0f) return _mm256_add_ps(_mm256_loadu_ps(c), acc);
    return _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(beta), _mm256_loadu_ps(c)), acc);
}

/* 6 x 16 in twelve AVX2 registers */
__attribute__((target("avx2,fma"), always_inline)) static inline void
tile_avx2(int kc, const float *a, long ars, long acs, const float *b, long bks, float *c,
          long crs, long ccs, int mr, int nr, float beta) {
    enum { R = 6, N = 16 };
    __m256 acc[R][2];
    for (int i = 0; i < R; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    for (int k = 0; k < kc; k++) {
        __m256 b0 = _mm256_loadu_ps(b + k * bks), b1 = _mm256_loadu_ps(b + k * bks + 8);
        for (int i = 0; i < R; i++) {
            __m256 ai = _mm256_broadcast_ss(a + i * ars + k * acs);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
    if (mr == R && nr == N && ccs == 1) {
        for (int i = 0; i < R; i++) {
            float *ci = c + i * crs;
            __m256 v0 = put8(ci, acc[i][0], beta), v1 = put8(ci + 8, acc[i][1], beta);
            _mm256_storeu_ps(ci, v0);
            _mm256_storeu_ps(ci + 8, v1);
        }
    } else {
        float t[R * N];
        for (int i = 0; i < R; i++) {
            _mm256_storeu_ps(t + i * N, acc[i][0]);
            _mm256_storeu_ps(t + i * N + 8, acc[i][1]);
        }
        put_tile(t, N, c, crs, ccs, mr, nr, beta);
    }
}

/* A packed (ars 1, acs 6) or read in place along rows (acs 1) */
__attribute__((target("avx2,fma"))) static void
kernel_avx2_packed(int kc, const float *a, long ars, long acs, const float *b, long bks, float *c,
                   long crs, long ccs, int mr, int nr, float beta) {
    (void)ars, (void)acs;
    tile_avx2(kc, a, 1, 6, b, bks, c, crs, ccs, mr, nr, beta);
}
__attribute__((target("avx2,fma"))) static void
kernel_avx2_rows(int kc, const float *a, long ars, long acs, const float *b, long bks, float *c,
                 long crs, long ccs, int mr, int nr, float beta) {
    (void)acs;
    tile_avx2(kc, a, ars, 1, b, bks, c, crs, ccs, mr, nr, beta);
}

__attribute__((target("avx512f"))) static inline __m512 put16(const float *c, __m512 acc,
                                                              float beta) {
    if (beta == 0.0f) return acc;
    if (beta == 1.0f) return _mm512_add_ps(_mm512_loadu_ps(c), acc);
    return _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(beta), _mm512_loadu_ps(c)), acc);
}

/* 8 x 32 in sixteen AVX-512 registers */
__attribute__((target("avx512f"), always_inline)) static inline void
tile_avx512(int kc, const float *a, long ars, long acs, const float *b, long bks, float *c,
            long crs, long ccs, int mr, int nr, float beta) {
    enum { R = 8, N = 32 };
    __m512 acc[R][2];
    for (int i = 0; i < R; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (int k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(b + k * bks), b1 = _mm512_loadu_ps(b + k * bks + 16);
        for (int i = 0; i < R; i++) {
            __m512 ai = _mm512_set1_ps(a[i * ars + k * acs]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
    if (mr == R && nr == N && ccs == 1) {
        for (int i = 0; i < R; i++) {
            float *ci = c + i * crs;
            __m512 v0 = put16(ci, acc[i][0], beta), v1 = put16(ci + 16, acc[i][1], beta);
            _mm512_storeu_ps(ci, v0);
            _mm512_storeu_ps(ci + 16, v1);
        }
    } else {
        float t[R * N];
        for (int i = 0; i < R; i++) {
            _mm512_storeu_ps(t + i * N, acc[i][0]);
            _mm512_storeu_ps(t + i * N + 16, acc[i][1]);
        }
        put_tile(t, N, c, crs, ccs, mr, nr, beta);
    }
}

__attribute__((target("avx512f"))) static void
kernel_avx512_packed(int kc, const float *a, long ars, long acs, const float *b, long bks,
                     float *c, long crs, long ccs, int mr, int nr, float beta) {
    (void)ars, (void)acs;
    tile_avx512(kc, a, 1, 8, b, bks, c, crs, ccs, mr, nr, beta);
}
__attribute__((target("avx512f"))) static void
kernel_avx512_rows(int kc, const float *a, long ars, long acs, const float *b, long bks,
                   float *c, long crs, long ccs, int mr, int nr, float beta) {
    (void)acs;
    tile_avx512(kc, a, ars, 1, b, bks, c, crs, ccs, mr, nr, beta);
}

/* A few columns (N < 8) of a product whose A runs along k (dx = D U for a small input):
 * one dot product per element, sixteen lanes, lane l summing k = l (mod 16) in order,
 * the lanes then halved pairwise (l += l + 8, + 4, + 2, + 1) and the k past the last
 * sixteen added one by one; AVX2 holds the sixteen lanes in two registers, AVX-512 in
 * one, with the same arithmetic.  bt holds B's columns, each along k (N x K). */
__attribute__((target("avx2,fma"))) static float hsum16_avx2(__m256 lo, __m256 hi) {
    __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
    return _mm_cvtss_f32(s1);
}

__attribute__((target("avx2,fma"))) static float fma1(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}

__attribute__((target("avx2,fma"))) static void dots_avx2(int M, int N, int K, const float *A,
                                                          long rsa, const float *bt, float beta,
                                                          float *C, long ldc) {
    int K16 = K / 16 * 16;
    for (int i = 0; i < M; i++) {
        const float *a = A + i * rsa;
        for (int j = 0; j < N; j++) {
            const float *b = bt + (size_t)j * (size_t)K;
            __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
            for (int k = 0; k < K16; k += 16) {
                lo = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), lo);
                hi = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), hi);
            }
            float acc = hsum16_avx2(lo, hi);
            for (int k = K16; k < K; k++) acc = fma1(a[k], b[k], acc);
            C[i * ldc + j] = put(C[i * ldc + j], acc, beta);
        }
    }
}

__attribute__((target("avx512f,avx2,fma"))) static void
dots_avx512(int M, int N, int K, const float *A, long rsa, const float *bt, float beta, float *C,
            long ldc) {
    int K16 = K / 16 * 16;
    for (int i = 0; i < M; i++) {
        const float *a = A + i * rsa;
        for (int j = 0; j < N; j++) {
            const float *b = bt + (size_t)j * (size_t)K;
            __m512 v = _mm512_setzero_ps();
            for (int k = 0; k < K16; k += 16)
                v = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), v);
            __m256 lo = _mm512_castps512_ps256(v);
            __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
            float acc = hsum16_avx2(lo, hi);
            for (int k = K16; k < K; k++) acc = fma1(a[k], b[k], acc);
            C[i * ldc + j] = put(C[i * ldc + j], acc, beta);
        }
    }
}

/* Panels of P rows of X (X(i, k) = x[i rs + k cs], rows x kc), each k-major (P values
 * per k), the rows past the last padded with zeros (their results are never stored). */
static void pack(float *p, const float *x, long rs, long cs, int rows, int kc, int P) {
    for (int r0 = 0; r0 < rows; r0 += P) {
        int pr = rows - r0 < P ? rows - r0 : P;
        float *q = p + (size_t)r0 * (size_t)kc;
        const float *xr = x + r0 * rs;
        if (cs == 1) { /* a transpose, 16 k at a time so that the panel's lines stay in L1 */
            for (int k0 = 0; k0 < kc; k0 += 16) {
                int k1 = kc - k0 < 16 ? kc : k0 + 16;
                for (int i = 0; i < pr; i++)
                    for (int k = k0; k < k1; k++) q[k * P + i] = xr[i * rs + k];
            }
        } else {
            for (int k = 0; k < kc; k++)
                for (int i = 0; i < pr; i++) q[k * P + i] = xr[i * rs + k * cs];
        }
        for (int k = 0; k < kc; k++)
            for (int i = pr; i < P; i++) q[k * P + i] = 0.0f;
    }
}

/* The product, C(i, j) = c[i crs + j ccs].  A is read in place when its rows run along k
 * (csa 1), else packed; B in place when its rows run along j (csb 1) and few panels of
 * A share each of its panels, else packed; a last, partial panel is always packed. */
/* the packing buffer product() needs, in floats */
static size_t need(int level, int M, int N, int kcmax) {
    int MR = level >= 2 ? 8 : 6, NR = level >= 2 ? 32 : 16;
    int ncap = N < NC ? N : NC, mcap = M < MC ? M : MC;
    return (size_t)kcmax * (size_t)((mcap + MR - 1) / MR * MR + (ncap + NR - 1) / NR * NR);
}

static void product(float *pa, int level, int M, int N, int K, int kcmax, const float *A,
                    long rsa, long csa, const float *B, long rsb, long csb, float beta, float *C,
                    long crs, long ccs) {
    int MR = level >= 2 ? 8 : 6, NR = level >= 2 ? 32 : 16;
    int packa = csa != 1, packb = csb != 1 || M > MC;
    kernel_fn kern = level >= 2 ? (packa ? kernel_avx512_packed : kernel_avx512_rows)
                                : (packa ? kernel_avx2_packed : kernel_avx2_rows);
    int mcap = M < MC ? M : MC;
    float *pb = pa + (size_t)kcmax * (size_t)((mcap + MR - 1) / MR * MR);
    for (int jc = 0; jc < N; jc += NC) {
        int nc = N - jc < NC ? N - jc : NC;
        for (int pc = 0; pc < K; pc += kcmax) {
            int kc = K - pc < kcmax ? K - pc : kcmax, nfull = nc / NR * NR;
            float be = pc == 0 ? beta : 1.0f;
            const float *Bb = B + pc * rsb + jc * csb;
            if (packb)
                pack(pb, Bb, csb, rsb, nc, kc, NR);
            else if (nfull < nc) /* the partial panel, at its place in pb */
                pack(pb + (size_t)nfull * (size_t)kc, Bb + nfull * csb, csb, rsb, nc - nfull,
                     kc, NR);
            for (int ic = 0; ic < M; ic += MC) {
                int mc = M - ic < MC ? M - ic : MC, mfull = mc / MR * MR;
                const float *Ab = A + ic * rsa + pc * csa;
                if (packa)
                    pack(pa, Ab, rsa, csa, mc, kc, MR);
                else if (mfull < mc)
                    pack(pa + (size_t)mfull * (size_t)kc, Ab + mfull * rsa, rsa, csa,
                         mc - mfull, kc, MR);
                /* in place A with packed B: each A panel once, against every B panel
                 * (kept in L2); otherwise each B panel once (in L1), against every A panel */
                int a_outer = !packa && packb, no = a_outer ? mc : nc, ni = a_outer ? nc : mc;
                int so = a_outer ? MR : NR, si = a_outer ? NR : MR;
                for (int o = 0; o < no; o += so)
                    for (int in = 0; in < ni; in += si) {
                        int ir = a_outer ? o : in, jr = a_outer ? in : o;
                        int mr = mc - ir < MR ? mc - ir : MR, nr = nc - jr < NR ? nc - jr : NR;
                        const float *ap, *bp;
                        long ars = 1, bks = NR;
                        if (packa || mr < MR)
                            ap = pa + (size_t)ir * (size_t)kc;
                        else
                            ap = Ab + ir * rsa, ars = rsa;
                        if (packb || nr < NR)
                            bp = pb + (size_t)jr * (size_t)kc;
                        else
                            bp = Bb + jr * csb, bks = rsb;
                        /* a packed partial A panel under the in-place kernel */
                        if (!packa && mr < MR)
                            (level >= 2 ? kernel_avx512_packed : kernel_avx2_packed)(
                                kc, ap, 1, MR, bp, bks, C + (ic + ir) * crs + (jc + jr) * ccs,
                                crs, ccs, mr, nr, be);
                        else
                            kern(kc, ap, ars, MR, bp, bks, C + (ic + ir) * crs + (jc + jr) * ccs,
                                 crs, ccs, mr, nr, be);
                    }
            }
        }
    }
}

int gs__gemm_own(int level, int M, int N, int K, const float *A, long rsa, long csa,
                 const float *B, long rsb, long csb, float beta, float *C, long ldc) {
    if (level < 1 || M <= 0 || N <= 0) return level >= 1;
    if (K <= 0) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) C[i * ldc + j] = put(C[i * ldc + j], 0.0f, beta);
        return 1;
    }
    /* the plan: one product, or two (the second for a few trailing columns) */
    struct plan {
        int M, N, kc;
        const float *A, *B;
        long rsa, csa, rsb, csb, crs, ccs;
        float *C;
    } p[2];
    int np = 1, NR = level >= 2 ? 32 : 16, r = N % NR;
    size_t size = 0;
    float *buf;
    if (N < 8 && M > N && csa == 1) {
        float *bt = malloc(sizeof(float) * (size_t)N * (size_t)K);
        if (!bt) return 0;
        for (int j = 0; j < N; j++)
            for (int k = 0; k < K; k++) bt[(size_t)j * (size_t)K + k] = B[k * rsb + j * csb];
        (level >= 2 ? dots_avx512 : dots_avx2)(M, N, K, A, rsa, bt, beta, C, ldc);
        free(bt);
        return 1;
    }
    if (N < 8 && M > N) {
        /* a few columns (dx, the input weights' gradient, for a small input): Cᵀ = Bᵀ Aᵀ,
         * so that the long side runs along the vectors */
        p[0] = (struct plan){ N, M, KC, B, A, csb, rsb, csa, rsa, 1, ldc, C };
    } else if (csa == 1 && rsb == 1 && csb != 1 && M <= N) {
        /* C = Z Wᵀ with both along k (a step's products over a small batch): Cᵀ = W Zᵀ, W
         * in place, the batch packed, and all of K in one block (C is written back
         * transposed, once) */
        p[0] = (struct plan){ N, M, K <= 1024 ? K : KC, B, A, csb, 1, 1, rsa, 1, ldc, C };
    } else if (N > NR && r > 0 && r < 8) {
        /* a few columns past the last full panel (n + m columns, m small): those apart,
         * as in the first case, rather than a panel of mostly padding.  Every plan sums
         * each element the same way (k in order, in blocks of KC), so where this split
         * falls (it depends on NR) does not change a bit. */
        p[0] = (struct plan){ M, N - r, KC, A, B, rsa, csa, rsb, csb, ldc, 1, C };
        p[1] = (struct plan){ r, M, KC, B + (N - r) * csb, A, csb, rsb, csa, rsa, 1, ldc,
                              C + (N - r) };
        np = 2;
    } else {
        p[0] = (struct plan){ M, N, KC, A, B, rsa, csa, rsb, csb, ldc, 1, C };
    }
    for (int i = 0; i < np; i++) {
        size_t z = need(level, p[i].M, p[i].N, p[i].kc);
        if (z > size) size = z;
    }
    /* (C11: the size a multiple of the alignment) */
    if (!(buf = aligned_alloc(64, (sizeof(float) * size + 63) / 64 * 64))) return 0;
    for (int i = 0; i < np; i++)
        product(buf, level, p[i].M, p[i].N, K, p[i].kc, p[i].A, p[i].rsa, p[i].csa, p[i].B,
                p[i].rsb, p[i].csb, beta, p[i].C, p[i].crs, p[i].ccs);
    free(buf);
    return 1;
}

int gs__gemm_own_supported(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return 0;
    return __builtin_cpu_supports("avx512f") ? 2 : 1;
}

#else

int gs__gemm_own(int level, int M, int N, int K, const float *A, long rsa, long csa,
                 const float *B, long rsb, long csb, float beta, float *C, long ldc) {
    (void)level, (void)M, (void)N, (void)K, (void)A, (void)rsa, (void)csa, (void)B;
    (void)rsb, (void)csb, (void)beta, (void)C, (void)ldc;
    return 0;
}

int gs__gemm_own_supported(void) { return 0; }

#endif
