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
    static const int sizes[] = { 1, 3, 7, 8, 15, 16, 17, 31, 33, 65, 130 };
    enum { MAX = 130, LD = 133 };
    static gs_real A[MAX * LD], z[LD], out[MAX], ref[MAX], G[MAX * LD], G2[MAX * LD];
    for (int si = 0; si < (int)(sizeof sizes / sizeof sizes[0]); si++) {
        int cols = sizes[si], rows = sizes[(si * 7 + 3) % 11], bad = 0;
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

int main(void) {
    gs_rng r;
    gs_rng_seed(&r, 5);
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
    test_blas_core();
    return check_result("test_linalg");
}
