/* test_linalg.c — every cblas path agrees with its naive reference, with strides and
 * batch sizes of 1 (gemv) and more (gemm); the spectral norm matches a known case. */
#include "check.h"
#include "gatescope.h"
#include "../engine/src/internal.h"

#include <stdlib.h>

/* float sums of up to 40 products of numbers in [-1, 1]: error well under 1e-5 */
#define TOL 1e-5

static void fill(gs_real *v, int n, gs_rng *r) {
    for (int i = 0; i < n; i++) v[i] = (gs_real)(gs_rng_uniform(r) * 2 - 1);
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
        gs__mm_tn_acc(G1, LDA, DK, LDZ, ZK, LDZ, K, ROWS, COLS);
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
    return check_result("test_linalg");
}
