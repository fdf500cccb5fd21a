/* test_linalg.c — every product agrees with its naive reference, with strides and
 * batch sizes of 1 (the engine's own kernels) and more (gemm); the batch-1 kernels
 * compute exactly the documented order of summation, bit for bit; the spectral norm
 * matches a known case. */
#include "check.h"
#include "gatescope.h"
#include "../engine/src/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the C library's fused multiply-add: correctly rounded, as the kernels' is */
#ifdef GS_REAL_DOUBLE
#define FMA fma
#else
#define FMA fmaf
#endif

/* float sums of up to 40 products of numbers in [-1, 1]: error well under 1e-5 */
#define TOL 1e-5

static void fill(gs_real *v, int n, gs_rng *r) {
    for (int i = 0; i < n; i++) v[i] = (gs_real)(gs_rng_uniform(r) * 2 - 1);
}

/* The order of summation matvec.c documents, written out one element at a time: 64
 * bytes of lanes, lane l fuses in columns c = l (mod lanes) in order, the lanes are
 * halved pairwise down to one, then the tail columns are fused in one by one. */
static gs_real dot_in_documented_order(const gs_real *a, const gs_real *z, int cols) {
    enum { LANES = 64 / (int)sizeof(gs_real) };
    gs_real lane[LANES] = { 0 };
    int full = cols - cols % LANES, c, w, l;
    for (c = 0; c < full; c++) lane[c % LANES] = FMA(a[c], z[c], lane[c % LANES]);
    for (w = LANES / 2; w >= 1; w /= 2)
        for (l = 0; l < w; l++) lane[l] = lane[l] + lane[l + w];
    for (c = full; c < cols; c++) lane[0] = FMA(a[c], z[c], lane[0]);
    return lane[0];
}

static int same_bits(gs_real a, gs_real b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Batch 1 is exact: A·z, dᵀA and G += Σ dᵀz each equal the documented order to the
 * bit, at sizes around every multiple of the lane count and with rows % 4 != 0. */
static void test_exact_order(gs_rng *r) {
    static const int sizes[] = { 1, 3, 7, 8, 15, 16, 17, 31, 33, 65, 130, 257, 300 };
    enum { N_SIZES = sizeof sizes / sizeof sizes[0], MAX = 300, LD = 303 };
    static gs_real A[MAX * LD], z[LD], out[MAX], ref[MAX], G[MAX * LD], G2[MAX * LD];
    for (int si = 0; si < N_SIZES; si++) {
        int cols = sizes[si], rows = sizes[(si * 7 + 3) % N_SIZES], bad = 0;
        fill(A, MAX * LD, r);
        fill(z, LD, r);
        fill(out, MAX, r);
        for (int i = 0; i < rows; i++) ref[i] = dot_in_documented_order(A + i * LD, z, cols) + out[i];
        gs__mm_nt(out, MAX, z, LD, A, LD, 1, rows, cols, GS_R(1.0));
        for (int i = 0; i < rows; i++) bad += !same_bits(out[i], ref[i]);
        CHECK_MSG(bad == 0, "A.z %dx%d: %d of %d rows differ from the documented order", rows,
                  cols, bad, rows);
        /* dᵀA: rows fused in row order into each column */
        for (int c = 0; c < cols; c++) {
            gs_real acc = 0;
            for (int i = 0; i < rows; i++) acc = FMA(z[i], A[i * LD + c], acc);
            ref[c] = acc;
        }
        gs__mm_nn(out, MAX, z, LD, A, LD, 1, rows, cols, GS_R(0.0));
        bad = 0;
        for (int c = 0; c < cols; c++) bad += !same_bits(out[c], ref[c]);
        CHECK_MSG(bad == 0, "d.A %dx%d: %d columns differ", rows, cols, bad);
        /* G += Σ_k D[k]ᵀ Z[k], step after step */
        fill(G, MAX * LD, r);
        memcpy(G2, G, sizeof G);
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < rows; i++)
                for (int c = 0; c < cols; c++)
                    G2[i * LD + c] = FMA(A[k * LD + i], A[(k + 3) * LD + c], G2[i * LD + c]);
        gs__mm_tn_acc(G, LD, A, LD, A + 3 * LD, LD, 3, rows, cols, 1);
        CHECK_MSG(memcmp(G, G2, sizeof G) == 0, "G += D^T Z %dx%d differs", rows, cols);
    }
}

/* Several vectors at once in the batch-1 order (the input projection a batch-1 seq does
 * ahead, and its dx after the loop): every element of every vector the chain over the
 * rows in order, for K around the AVX-512 kernel's tiles of 4 vectors and the portable
 * one's blocks of 16, columns around its 16, 64 and 256, rows past its blocks of 32,
 * and beta 0 and 1. */
static void test_exact_several(gs_rng *r) {
    static const int shapes[][3] = { /* K, rows, cols */
        { 1, 5, 16 }, { 2, 4, 33 }, { 3, 7, 17 }, { 4, 8, 64 }, { 5, 9, 31 }, { 7, 12, 1 },
        { 8, 16, 48 }, { 9, 13, 70 }, { 16, 24, 98 }, { 6, 3, 15 }, { 4, 1, 130 },
        { 20, 17, 27 }, { 19, 9, 40 }, { 4, 6, 300 }, { 5, 11, 257 }, { 17, 3, 129 },
        { 6, 70, 40 }, { 9, 33, 257 }, /* rows past a block of 32 */
    };
    enum { KMAX = 20, RMAX = 70, LD = 313, LDO = 320 };
    static gs_real A[RMAX * LD], Z[KMAX * LD], out[KMAX * LDO], ref[KMAX * LDO];
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int beta = 0; beta <= 1; beta++) {
            int K = shapes[s][0], rows = shapes[s][1], cols = shapes[s][2], bad = 0, k, i;
            fill(A, RMAX * LD, r);
            fill(Z, KMAX * LD, r);
            fill(out, KMAX * LDO, r);
            for (k = 0; k < K; k++)
                for (i = 0; i < cols; i++) {
                    gs_real acc = beta ? out[k * LDO + i] : (gs_real)0;
                    for (int q = 0; q < rows; q++) acc = FMA(Z[k * LD + q], A[q * LD + i], acc);
                    ref[k * LDO + i] = acc;
                }
            gs__mm_nn_exact(out, LDO, Z, LD, A, LD, K, rows, cols, (gs_real)beta);
            for (k = 0; k < K; k++)
                for (i = 0; i < cols; i++) bad += !same_bits(out[k * LDO + i], ref[k * LDO + i]);
            CHECK_MSG(bad == 0, "%d rows of D, %dx%d, beta %d: %d of %d differ from rows in order",
                      K, rows, cols, beta, bad, K * cols);
        }
}

/* A batch-1 step's products through the transposed copy of A (cells/cell_mm.c): for
 * outputs across its panels of 256 (and a last one of any width), a block that starts
 * inside a panel and column ranges inside A, every output the chain from its value over
 * the columns in order, for one vector and for several. */
static void test_transposed_copy(gs_rng *r) {
    static const int shapes[][6] = { /* outputs, columns, row0, rows, col0, cols */
        { 128, 64, 0, 128, 32, 32 }, { 600, 70, 0, 600, 0, 70 }, { 600, 70, 250, 300, 5, 60 },
        { 96, 40, 64, 32, 0, 20 }, { 33, 9, 1, 31, 3, 6 }, { 520, 17, 256, 264, 0, 17 },
    };
    enum { K = 5, MAXO = 600, MAXC = 70 };
    static gs_real P[MAXO * MAXC], AT[(MAXO + 16) * MAXC + 64], Z[K * MAXC], out[K * MAXO], ref[K * MAXO];
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int *q = shapes[s];
        int outputs = q[0], ncols = q[1], row0 = q[2], rows = q[3], col0 = q[4], cols = q[5];
        gs__layout L = { 0 };
        gs_real *at = gs__at_start(AT);
        L.n = outputs;
        L.blocks = 1;
        L.A = 0;
        L.lda = (size_t)ncols;
        CHECK(gs__at_size(&L) <= sizeof AT / sizeof AT[0]);
        fill(P, outputs * ncols, r);
        fill(Z, K * ncols, r);
        gs__at_fill(at, &L, P);
        for (int k1 = 1; k1 <= K; k1 += K - 1) { /* one vector, then K */
            int bad = 0;
            fill(out, K * MAXO, r);
            for (int k = 0; k < k1; k++)
                for (int i = 0; i < rows; i++) {
                    gs_real acc = out[k * MAXO + i];
                    for (int c = 0; c < cols; c++)
                        acc = FMA(Z[k * MAXC + c], P[(row0 + i) * ncols + col0 + c], acc);
                    ref[k * MAXO + i] = acc;
                }
            gs__at_mm(&L, at, out, MAXO, Z, MAXC, k1, row0, rows, col0, cols);
            for (int k = 0; k < k1; k++)
                for (int i = 0; i < rows; i++) bad += !same_bits(out[k * MAXO + i], ref[k * MAXO + i]);
            CHECK_MSG(bad == 0, "A^T copy %dx%d, rows %d+%d, cols %d+%d, %d vectors: %d differ",
                      outputs, ncols, row0, rows, col0, cols, k1, bad);
        }
    }
}

/* The engine's own batched product (gemm.c): against the naive references in all
 * three shapes training uses, with strides, edge tiles in every direction, K across
 * several KC blocks and beta 0, 1 and other; AVX2 and AVX-512 give the same bits. */
static void test_own_gemm(gs_rng *r) {
#ifndef GS_REAL_DOUBLE
    static const int shapes[][3] = { { 64, 130, 34 }, { 7, 5, 3 }, { 64, 33, 600 },
                                     { 101, 70, 1 }, { 200, 2100, 9 }, { 13, 17, 257 }, { 20, 40, 1500 },
                                     { 64, 2, 384 }, { 300, 3, 700 },
                                     { 64, 20, 300 }, { 128, 34, 700 }, { 70, 130, 40 },
                                     { 50, 7, 1000 }, { 9, 1, 15 } };
    int top = gs__gemm_own_supported();
    if (top == 0) return; /* no AVX2 + FMA: OpenBLAS does it all */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
        int lda = K + 3, ldb = N + 5, ldbt = K + 2, ldc = N + 1, ldat = M + 4;
        float *A = malloc(sizeof(float) * (size_t)M * lda), *Bm = malloc(sizeof(float) * (size_t)K * ldb);
        float *Bt = malloc(sizeof(float) * (size_t)N * ldbt), *At = malloc(sizeof(float) * (size_t)K * ldat);
        float *C0 = malloc(sizeof(float) * (size_t)M * ldc), *C1 = malloc(sizeof(float) * (size_t)M * ldc);
        float *C2 = malloc(sizeof(float) * (size_t)M * ldc), *Cr = malloc(sizeof(float) * (size_t)M * ldc);
        double tol = 1e-6 * (K + 10);
        fill(A, M * lda, r);
        fill(Bm, K * ldb, r);
        fill(Bt, N * ldbt, r);
        fill(C0, M * ldc, r);
        for (int i = 0; i < K; i++)
            for (int j = 0; j < M; j++) At[i * ldat + j] = A[j * lda + i];
        for (int form = 0; form < 3; form++) {
            float beta = form == 0 ? 1.0f : form == 1 ? 0.0f : 0.5f;
            for (int level = 1; level <= top; level++) {
                float *C = level == 1 ? C1 : C2;
                memcpy(C, C0, sizeof(float) * (size_t)M * ldc);
                memcpy(Cr, C0, sizeof(float) * (size_t)M * ldc);
                if (form == 0) { /* out = beta out + Z Aᵀ (the forward step) */
                    CHECK(gs__gemm_own(level, M, N, K, A, lda, 1, Bt, 1, ldbt, beta, C, ldc));
                    gs__mm_nt_naive(Cr, ldc, A, lda, Bt, ldbt, M, N, K, beta);
                } else if (form == 1) { /* out = D A (the backward step) */
                    CHECK(gs__gemm_own(level, M, N, K, A, lda, 1, Bm, ldb, 1, beta, C, ldc));
                    gs__mm_nn_naive(Cr, ldc, A, lda, Bm, ldb, M, K, N, beta);
                } else { /* G = beta G + Dᵀ Z (the gradients; D stored k-major) */
                    CHECK(gs__gemm_own(level, M, N, K, At, 1, ldat, Bm, ldb, 1, beta, C, ldc));
                    for (int i = 0; i < M; i++)
                        for (int j = 0; j < N; j++) Cr[i * ldc + j] *= beta;
                    gs__mm_tn_acc_naive(Cr, ldc, At, ldat, Bm, ldb, K, M, N);
                }
                int bad = 0;
                for (int i = 0; i < M; i++)
                    for (int j = 0; j < ldc; j++) {
                        double d = fabs((double)C[i * ldc + j] - (double)Cr[i * ldc + j]);
                        if (j < N ? !(d <= tol) : C[i * ldc + j] != C0[i * ldc + j]) bad++;
                    }
                CHECK_MSG(bad == 0, "own gemm level %d form %d %dx%dx%d: %d wrong", level, form,
                          M, N, K, bad);
            }
            if (top >= 2)
                CHECK_MSG(memcmp(C1, C2, sizeof(float) * (size_t)M * ldc) == 0,
                          "AVX2 and AVX-512 differ, form %d %dx%dx%d", form, M, N, K);
        }
        free(A), free(Bm), free(Bt), free(At), free(C0), free(C1), free(C2), free(Cr);
    }
    CHECK(gs_blas_kernels() != NULL);
    if (gs__gemm_own_level()) CHECK(strncmp(gs_blas_kernels(), "gatescope", 9) == 0);
#else
    (void)r;
#endif
}

/* Under the fallback kernels (same-numbers.sh runs the suite with
 * OPENBLAS_CORETYPE=Prescott), an AVX2 CPU is offered better ones; never the same. */
static void test_blas_core(void) {
    const char *ct = getenv("OPENBLAS_CORETYPE"), *better = gs_blas_better_core();
    CHECK(gs_blas_core() != NULL);
    if (better) CHECK(strcmp(better, gs_blas_core()) != 0);
#if defined(__x86_64__) && defined(__GNUC__)
    if (ct && strcmp(ct, "Prescott") == 0) {
        CHECK(strcmp(gs_blas_core(), "Prescott") == 0);
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) CHECK(better != NULL);
    }
#endif
    (void)ct;
}

/* The array σ and tanh (vecmath.c: on AVX-512 its own vector code, elsewhere the
 * compiler's loops) give exactly the scalar gs__sigmoid / gs__tanh of each element,
 * NaN bits included: every 509th float bit pattern, the edges of their branches and
 * clamps, and every length up to 40 (the masked tail). */
/* The spectral norm of random matrices (square, tall, wide, one with its top two
 * singular values a hair apart) against power iteration on MᵀM in double, run to
 * convergence: Lanczos with its reorthogonalisation must agree to 1e-9. */
static double power_sigma(const gs_real *M, int rows, int cols) {
    double v[64], u[64], lam = 0;
    for (int c = 0; c < cols; c++) v[c] = 1.0 + 0.1 * c;
    for (int it = 0; it < 20000; it++) {
        double nv = 0, l;
        for (int i = 0; i < rows; i++) {
            u[i] = 0;
            for (int c = 0; c < cols; c++) u[i] += (double)M[i * cols + c] * v[c];
        }
        for (int c = 0; c < cols; c++) {
            v[c] = 0;
            for (int i = 0; i < rows; i++) v[c] += (double)M[i * cols + c] * u[i];
            nv += v[c] * v[c];
        }
        l = sqrt(nv);
        for (int c = 0; c < cols; c++) v[c] /= l;
        if (fabs(l - lam) <= 1e-15 * l) return sqrt(l);
        lam = l;
    }
    return sqrt(lam);
}

static void test_spectral(gs_rng *r) {
    static const int shapes[4][2] = { { 48, 48 }, { 60, 20 }, { 20, 60 }, { 32, 32 } };
    static double work[64 * 64 + 42 * 64 + 64 + 3 * 41];
    gs_real M[64 * 64];
    for (int k = 0; k < 4; k++) {
        int rows = shapes[k][0], cols = shapes[k][1];
        double ref, got;
        fill(M, rows * cols, r);
        if (k == 3) /* diag(1, 0.999, 0.5, ...) : a close pair on top */
            for (int i = 0; i < rows; i++)
                for (int c = 0; c < cols; c++)
                    M[i * cols + c] = i == c ? (gs_real)(i == 0 ? 1.0 : i == 1 ? 0.999 : 0.5 / (1 + i)) : 0;
        CHECK(gs__spectral_work(rows, cols) <= sizeof work / sizeof *work);
        ref = power_sigma(M, rows, cols);
        got = gs__spectral_norm(M, cols, rows, cols, work);
        CHECK_MSG(fabs(got - ref) <= 1e-9 * ref, "%dx%d: spectral norm %.15g, power iteration %.15g", rows, cols,
                  got, ref);
    }
}

static void test_activations(void) {
    enum { C = 4096 };
    static gs_real in[C], v[C], w[C];
    static const float edges[] = { 0.0f, -0.0f, 0.25f, 0.2499999f, 9.0f, 9.000001f, 88.0f,
                                   88.00001f, 87.3f, 87.29999f, 87.30001f, 1e-45f, 1e-38f,
                                   1.0f, 0.5f, 20.0f, 100.0f, 1e30f, INFINITY, NAN };
    int bad = 0, n = 0, len, i;
#ifdef GS_REAL_DOUBLE
    for (i = 0; i < C; i++) in[i] = (gs_real)(i - C / 2) * 0.013;
    n = C;
#else
    for (uint64_t u = 0; u < (1ull << 32); u += 509) {
        uint32_t bits = (uint32_t)u;
        float f;
        memcpy(&f, &bits, sizeof f);
        in[n++] = f;
        if (n < C && u + 509 < (1ull << 32)) continue;
        memcpy(v, in, sizeof(gs_real) * (size_t)n);
        memcpy(w, in, sizeof(gs_real) * (size_t)n);
        gs__sigmoid_v(v, n);
        gs__tanh_v(w, n);
        for (i = 0; i < n; i++) bad += !same_bits(v[i], gs__sigmoid(in[i])) + !same_bits(w[i], gs__tanh(in[i]));
        n = 0;
    }
    CHECK_MSG(bad == 0, "%d sampled floats: sigma or tanh of the array differs from the scalar", bad);
    bad = 0;
    for (i = 0; i < (int)(sizeof edges / sizeof *edges); i++) {
        uint32_t bits;
        in[n++] = edges[i];
        in[n++] = -edges[i];
        memcpy(&bits, &edges[i], sizeof bits);
        bits++; /* the next float up (from NaN: another NaN) */
        memcpy(&in[n++], &bits, sizeof bits);
        bits ^= 0x80000000u;
        memcpy(&in[n++], &bits, sizeof bits);
    }
    {
        uint32_t snan = 0x7f800001u, nsnan = 0xff812345u;
        memcpy(&in[n++], &snan, sizeof snan);
        memcpy(&in[n++], &nsnan, sizeof nsnan);
    }
#endif
    for (len = 0; len <= 40 && len <= n; len++) {
        gs_real *x = in + (n - len); /* the edge values, at every offset of the tail */
        for (i = 0; i <= len; i++) v[i] = w[i] = GS_R(7.0);
        memcpy(v, x, sizeof(gs_real) * (size_t)len);
        gs__sigmoid_v(v, len);
        gs__tanh_to(w, x, len);
        for (i = 0; i < len; i++) bad += !same_bits(v[i], gs__sigmoid(x[i])) + !same_bits(w[i], gs__tanh(x[i]));
        bad += v[len] != GS_R(7.0) || w[len] != GS_R(7.0); /* nothing past the end */
        memcpy(v, x, sizeof(gs_real) * (size_t)len);
        gs__tanh_v(v, len);
        for (i = 0; i < len; i++) bad += !same_bits(v[i], gs__tanh(x[i]));
        bad += v[len] != GS_R(7.0);
    }
    CHECK_MSG(bad == 0, "%d edge cases: sigma / tanh of the array differ from the scalar", bad);
}

int main(void) {
    gs_rng r;
    gs_rng_seed(&r, 5);
    test_exact_several(&r);
    test_transposed_copy(&r);
    for (int B = 1; B <= 3; B++) {
        enum { ROWS = 7, COLS = 9, LDA = 12, LDZ = 11, LDO = 10, K = 6 };
        gs_real A[ROWS * LDA], Z[3 * LDZ], o1[3 * LDO], o2[3 * LDO], D[3 * LDZ];
        gs_real G1[ROWS * LDA], G2[ROWS * LDA], DK[K * LDZ], ZK[K * LDZ];
        fill(A, ROWS * LDA, &r);
        fill(Z, 3 * LDZ, &r);
        fill(D, 3 * LDZ, &r);
        fill(o1, 3 * LDO, &r);
        for (int i = 0; i < 3 * LDO; i++) o2[i] = o1[i];
        gs__mm_nt(o1, LDO, Z, LDZ, A, LDA, B, ROWS, COLS, GS_R(1.0));
        gs__mm_nt_naive(o2, LDO, Z, LDZ, A, LDA, B, ROWS, COLS, GS_R(1.0));
        for (int b = 0; b < B; b++)
            for (int i = 0; i < ROWS; i++) CHECK_NEAR(o1[b * LDO + i], o2[b * LDO + i], TOL);
        gs__mm_nn(o1, LDO, D, LDZ, A, LDA, B, ROWS, COLS - 2, GS_R(0.0));
        gs__mm_nn_naive(o2, LDO, D, LDZ, A, LDA, B, ROWS, COLS - 2, GS_R(0.0));
        for (int b = 0; b < B; b++)
            for (int i = 0; i < COLS - 2; i++) CHECK_NEAR(o1[b * LDO + i], o2[b * LDO + i], TOL);
        fill(G1, ROWS * LDA, &r);
        for (int i = 0; i < ROWS * LDA; i++) G2[i] = G1[i];
        fill(DK, K * LDZ, &r);
        fill(ZK, K * LDZ, &r);
        gs__mm_tn_acc(G1, LDA, DK, LDZ, ZK, LDZ, K, ROWS, COLS, B == 2);
        gs__mm_tn_acc_naive(G2, LDA, DK, LDZ, ZK, LDZ, K, ROWS, COLS);
        for (int i = 0; i < ROWS * LDA; i++) CHECK_NEAR(G1[i], G2[i], TOL);
    }
    {
        /* diag(3, -5, 1) rotated: singular values 5, 3, 1 */
        gs_real M[9] = { 3, 0, 0, 0, -5, 0, 0, 0, 1 };
        double work[64];
        CHECK_NEAR(gs__spectral_norm(M, 3, 3, 3, work), 5.0, 1e-6);
        gs_real Z2[4] = { 0, 0, 0, 0 };
        CHECK_NEAR(gs__spectral_norm(Z2, 2, 2, 2, work), 0.0, 0);
    }
    test_exact_order(&r);
    test_spectral(&r);
    test_blas_core();
    test_own_gemm(&r);
    test_activations();
    return check_result("test_linalg");
}
