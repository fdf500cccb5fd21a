/* linalg.c — the engine's only BLAS calls, each with a naive reference beside it
 * (tests/test_linalg.c checks they agree), plus small norms. */
#include "internal.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#ifdef GS_REAL_DOUBLE
#define GEMV cblas_dgemv
#define GEMM cblas_dgemm
#else
#define GEMV cblas_sgemv
#define GEMM cblas_sgemm
#endif

void gs_blas_set_threads(int n) { openblas_set_num_threads(n < 1 ? 1 : n); }

void gs__mm_nt(gs_real *out, int ldo, const gs_real *Z, int ldz, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta) {
    if (rows <= 0) return;
    if (B == 1)
        GEMV(CblasRowMajor, CblasNoTrans, rows, cols, GS_R(1.0), A, lda, Z, 1, beta, out, 1);
    else
        GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, B, rows, cols, GS_R(1.0), Z, ldz, A, lda,
             beta, out, ldo);
}

void gs__mm_nn(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta) {
    if (cols <= 0) return;
    if (B == 1)
        GEMV(CblasRowMajor, CblasTrans, rows, cols, GS_R(1.0), A, lda, D, 1, beta, out, 1);
    else
        GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, cols, rows, GS_R(1.0), D, ldd, A, lda,
             beta, out, ldo);
}

void gs__mm_tn_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z, int ldz,
                   int K, int rows, int cols) {
    if (K <= 0 || rows <= 0 || cols <= 0) return;
    GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, rows, cols, K, GS_R(1.0), D, ldd, Z, ldz,
         GS_R(1.0), G, ldg);
}

/* ---- Naive references ---- */

void gs__mm_nt_naive(gs_real *out, int ldo, const gs_real *Z, int ldz, const gs_real *A,
                     int lda, int B, int rows, int cols, gs_real beta) {
    for (int b = 0; b < B; b++)
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int c = 0; c < cols; c++) acc += (double)Z[b * ldz + c] * (double)A[r * lda + c];
            gs_real *o = &out[b * ldo + r];
            *o = (gs_real)(acc + (beta == GS_R(0.0) ? 0.0 : (double)beta * (double)*o));
        }
}

void gs__mm_nn_naive(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A,
                     int lda, int B, int rows, int cols, gs_real beta) {
    for (int b = 0; b < B; b++)
        for (int c = 0; c < cols; c++) {
            double acc = 0;
            for (int r = 0; r < rows; r++) acc += (double)D[b * ldd + r] * (double)A[r * lda + c];
            gs_real *o = &out[b * ldo + c];
            *o = (gs_real)(acc + (beta == GS_R(0.0) ? 0.0 : (double)beta * (double)*o));
        }
}

void gs__mm_tn_acc_naive(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z,
                         int ldz, int K, int rows, int cols) {
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            double acc = 0;
            for (int k = 0; k < K; k++) acc += (double)D[k * ldd + r] * (double)Z[k * ldz + c];
            G[r * ldg + c] += (gs_real)acc;
        }
}

/* ---- Norms ---- */

double gs__norm2(const gs_real *v, int n) {
    double acc = 0;
    for (int i = 0; i < n; i++) acc += (double)v[i] * (double)v[i];
    return sqrt(acc);
}

double gs__maxabs(const gs_real *v, int n) {
    double mx = 0;
    for (int i = 0; i < n; i++) {
        double a = fabs((double)v[i]);
        if (a > mx || isnan(a)) mx = a;
        if (isnan(mx)) return mx;
    }
    return mx;
}

/* Power iteration on M^T M from a fixed start vector: deterministic.  Stops when
 * the estimate changes by < 1e-10 relative, or after 500 iterations. */
double gs__spectral_norm(const gs_real *M, int ldm, int rows, int cols, double *work) {
    double *v = work, *w = work + cols, *u = work + 2 * cols;
    double sigma = 0, prev = -1;
    int i, r, c, it;
    if (rows <= 0 || cols <= 0) return 0;
    for (i = 0; i < cols; i++) v[i] = 1.0 / sqrt((double)cols) * (1.0 + 0.01 * (double)(i % 7));
    for (it = 0; it < 500; it++) {
        double nu = 0, nw = 0;
        for (r = 0; r < rows; r++) {
            double acc = 0;
            for (c = 0; c < cols; c++) acc += (double)M[r * ldm + c] * v[c];
            u[r] = acc;
            nu += acc * acc;
        }
        for (c = 0; c < cols; c++) w[c] = 0;
        for (r = 0; r < rows; r++)
            for (c = 0; c < cols; c++) w[c] += (double)M[r * ldm + c] * u[r];
        for (c = 0; c < cols; c++) nw += w[c] * w[c];
        nw = sqrt(nw);
        sigma = sqrt(nu);
        if (!isfinite(nw) || !isfinite(sigma)) return nw == nw ? INFINITY : NAN;
        if (nw == 0) return 0;
        for (c = 0; c < cols; c++) v[c] = w[c] / nw;
        if (fabs(sigma - prev) <= 1e-10 * sigma) break;
        prev = sigma;
    }
    return sigma;
}
