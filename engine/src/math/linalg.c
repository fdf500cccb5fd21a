/* linalg.c — the engine's matrix products: batch 1 through the engine's own kernels
 * (matvec.c: the same bits on every machine), larger batches through OpenBLAS, each
 * with a naive reference beside it (tests/test_linalg.c checks they agree); plus small
 * norms and the largest singular value. */
#include "internal.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#ifdef GS_REAL_DOUBLE
#define GEMM cblas_dgemm
#define GEMV_N gs__gemv_n_d
#define GEMV_T gs__gemv_t_d
#else
#define GEMM cblas_sgemm
#define GEMV_N gs__gemv_n_f
#define GEMV_T gs__gemv_t_f
#endif

void gs_blas_set_threads(int n) { openblas_set_num_threads(n < 1 ? 1 : n); }

const char *gs_blas_core(void) { return openblas_get_corename(); }

/* OpenBLAS's x86-64 cores older than AVX2: what it falls back to on a CPU it does not
 * know (0.3.21 gives Prescott to recent Xeons) */
static int is_pre_avx2_core(const char *core) {
    static const char *const old[] = { "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem",
                                       "Atom", "Opteron", "Opteron_SSE3", "Barcelona", "Bobcat",
                                       "Sandybridge", "Bulldozer", "Piledriver", "Katmai",
                                       "Coppermine", "Northwood", "Banias" };
    for (size_t i = 0; core && i < sizeof old / sizeof old[0]; i++)
        if (strcmp(core, old[i]) == 0) return 1;
    return 0;
}

const char *gs_blas_better_core(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (!is_pre_avx2_core(gs_blas_core())) return NULL;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}

/* The engine's own batched kernels (gemm.c) in place of OpenBLAS: only in float, only
 * when OpenBLAS runs a pre-AVX2 core on a CPU with AVX2 and FMA.  0: OpenBLAS;
 * 1: AVX2; 2: AVX-512. */
int gs__gemm_own_level(void) {
#ifdef GS_REAL_DOUBLE
    return 0;
#else
    int level = gs__gemm_own_supported();
    return level && is_pre_avx2_core(gs_blas_core()) ? level : 0;
#endif
}

const char *gs_blas_kernels(void) {
    switch (gs__gemm_own_level()) {
    case 2: return "gatescope AVX-512";
    case 1: return "gatescope AVX2";
    default: return "OpenBLAS";
    }
}

/* the own kernels when they apply and could run (they allocate their packing buffers) */
#ifdef GS_REAL_DOUBLE
#define OWN(...) 0
#else
#define OWN(M, N, K, A, rsa, csa, B_, rsb, csb, beta, C, ldc)                                 \
    own_gemm(M, N, K, A, rsa, csa, B_, rsb, csb, beta, C, ldc)
static int own_gemm(int M, int N, int K, const float *A, long rsa, long csa, const float *B,
                    long rsb, long csb, float beta, float *C, long ldc) {
    int level = gs__gemm_own_level();
    return level && gs__gemm_own(level, M, N, K, A, rsa, csa, B, rsb, csb, beta, C, ldc);
}
#endif

void gs__mm_nt(gs_real *out, int ldo, const gs_real *Z, int ldz, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta) {
    if (rows <= 0) return;
    if (B == 1)
        GEMV_N(out, A, (size_t)lda, Z, rows, cols, beta);
    else if (!OWN(B, rows, cols, Z, ldz, 1, A, 1, lda, beta, out, ldo))
        GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, B, rows, cols, GS_R(1.0), Z, ldz, A, lda,
             beta, out, ldo);
}

void gs__mm_nn(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta) {
    if (cols <= 0) return;
    if (B == 1)
        GEMV_T(out, A, (size_t)lda, D, rows, cols, beta);
    else if (!OWN(B, cols, rows, D, ldd, 1, A, lda, 1, beta, out, ldo))
        GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, cols, rows, GS_R(1.0), D, ldd, A, lda,
             beta, out, ldo);
}

void gs__mm_nn_exact(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A, int lda,
                     int B, int rows, int cols, gs_real beta) {
    if (cols <= 0) return;
    gs__gemv_tk(out, (size_t)ldo, A, (size_t)lda, D, (size_t)ldd, B, rows, cols, beta);
}

void gs__transpose(gs_real *dst, int ldd, const gs_real *src, int lds, int rows, int cols) {
    enum { TILE = 32 }; /* a tile of each stays in cache while it is read across */
    for (int r0 = 0; r0 < rows; r0 += TILE)
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int r1 = r0 + TILE < rows ? r0 + TILE : rows, c1 = c0 + TILE < cols ? c0 + TILE : cols;
            for (int c = c0; c < c1; c++)
                for (int r = r0; r < r1; r++)
                    dst[(size_t)c * (size_t)ldd + (size_t)r] = src[(size_t)r * (size_t)lds + (size_t)c];
        }
}

void gs__mm_tn_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z, int ldz,
                   int K, int rows, int cols, int exact) {
    if (K <= 0 || rows <= 0 || cols <= 0) return;
    if (exact) {
        gs__ger_acc(G, ldg, D, ldd, Z, ldz, K, rows, cols);
        return;
    }
    if (OWN(rows, cols, K, D, 1, ldd, Z, ldz, 1, GS_R(1.0), G, ldg)) return;
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

/* How many eigenvalues of the symmetric tridiagonal matrix (a on the diagonal, b off
 * it, k×k) lie above each of x[0..3]: the Sturm sequence counts, four independent
 * recurrences side by side, so that each one's division waits less on its own last
 * (one count's time, or little more, for four). */
static void tridiag_above4(const double *a, const double *b, int k, const double *x, int *above) {
    double q[4] = { 1, 1, 1, 1 };
    int c[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < k; i++) {
        double bb = i > 0 ? b[i - 1] * b[i - 1] : 0;
        for (int p = 0; p < 4; p++) {
            q[p] = a[i] - x[p] - (i > 0 ? bb / q[p] : 0);
            if (q[p] == 0) q[p] = 1e-300;
            c[p] += q[p] > 0;
        }
    }
    for (int p = 0; p < 4; p++) above[p] = c[p];
}

/* The count above one point (the same recurrence, the same bits). */
static int tridiag_above(const double *a, const double *b, int k, double x) {
    double xs[4] = { x, x, x, x };
    int above[4];
    tridiag_above4(a, b, k, xs, above);
    return above[0];
}

/* A bracket [*lo, *hi] of the largest eigenvalue of that matrix, by bisection on the
 * Sturm count.  floor (or -inf) is the largest eigenvalue of its leading (k-1)×(k-1)
 * block, or a number below it, which by interlacing the answer is not below; near is
 * how far above floor it is likely (0: unknown), so that a settled Lanczos estimate
 * starts from a narrow bracket.  The bracket is cut in five at a time (four counts
 * side by side) down to a width of 1e-15 of the value or rel of its rise above floor,
 * whichever is wider (rel = 0: exact to ~1e-15). */
static void tridiag_top(const double *a, const double *b, int k, double floor, double near, double rel,
                        double *plo, double *phi) {
    double lo = a[0], hi = a[0];
    int settled = floor > -HUGE_VAL;
    for (int i = 0; i < k; i++) { /* Gershgorin bounds */
        double r = (i > 0 ? fabs(b[i - 1]) : 0) + (i < k - 1 ? fabs(b[i]) : 0);
        if (a[i] - r < lo) lo = a[i] - r;
        if (a[i] + r > hi) hi = a[i] + r;
    }
    if (settled && floor > lo && floor < hi && tridiag_above(a, b, k, floor) > 0) {
        lo = floor;
        for (double step = near; step > 0 && floor + step < hi; step *= 8) {
            if (tridiag_above(a, b, k, floor + step) == 0) {
                hi = floor + step;
                break;
            }
            lo = floor + step;
        }
    } else {
        settled = 0;
    }
    for (int it = 0; it < 100; it++) {
        double x[4], width = 1e-15 * fmax(fabs(hi), 1e-300), nlo = lo, nhi = hi;
        int above[4];
        if (settled && rel * (lo - floor) > width) width = rel * (lo - floor);
        if (hi - lo <= width) break;
        for (int p = 0; p < 4; p++) x[p] = lo + (hi - lo) * (double)(p + 1) / 5.0;
        tridiag_above4(a, b, k, x, above);
        for (int p = 0; p < 4; p++) { /* counts fall with x: up to the first above it */
            if (above[p] == 0) {
                nhi = x[p];
                break;
            }
            nlo = x[p];
        }
        if (nlo == lo && nhi == hi) break; /* no point strictly inside: as narrow as it gets */
        lo = nlo;
        hi = nhi;
    }
    *plo = lo;
    *phi = hi;
}

size_t gs__spectral_work(int rows, int cols) {
    int k = cols < GS__LANCZOS_STEPS ? cols : GS__LANCZOS_STEPS;
    return (size_t)rows * (size_t)cols + (size_t)(k + 2) * (size_t)cols + (size_t)rows +
           3 * (size_t)(k + 1);
}

/* Largest singular value of M: Lanczos on M^T M (full reorthogonalisation: classical
 * Gram-Schmidt twice, as two products with the basis, up to GS__LANCZOS_STEPS steps,
 * stopping once the estimate is stable to 1e-12), whose
 * largest Ritz value converges far faster than power iteration when the top singular
 * values cluster.  In double, through a double copy of M and the engine's own
 * kernels, so the same M gives the same bits on every machine. */
double gs__spectral_norm(const gs_real *M, int ldm, int rows, int cols, double *work) {
    int k = cols < GS__LANCZOS_STEPS ? cols : GS__LANCZOS_STEPS, j, i, c;
    double *Md = work, *V = Md + (size_t)rows * (size_t)cols, *u = V + (size_t)(k + 2) * (size_t)cols;
    double *alpha = u + rows, *beta = alpha + (k + 1), *h = beta + (k + 1), est = 0, prev = -1;
    double rise = 0, floor = -HUGE_VAL, lo, hi; /* the last step's rise and bracket */
    int used = 0;                                /* Lanczos steps taken */
    if (rows <= 0 || cols <= 0) return 0;
    for (i = 0; i < rows; i++)
        for (c = 0; c < cols; c++) {
            double v = (double)M[(size_t)i * (size_t)ldm + (size_t)c];
            if (!isfinite(v)) return isnan(v) ? (double)NAN : (double)INFINITY;
            Md[(size_t)i * (size_t)cols + (size_t)c] = v;
        }
    for (c = 0; c < cols; c++) V[c] = 1.0 / sqrt((double)cols) * (1.0 + 0.01 * (double)(c % 7));
    {
        double nv = 0;
        for (c = 0; c < cols; c++) nv += V[c] * V[c];
        for (c = 0; c < cols; c++) V[c] /= sqrt(nv);
    }
    for (j = 0; j < k; j++) {
        double *v = V + (size_t)j * (size_t)cols, *w = V + (size_t)(j + 1) * (size_t)cols, nw = 0;
        gs__gemv_n_d(u, Md, (size_t)cols, v, rows, cols, 0.0);
        gs__gemv_t_d(w, Md, (size_t)cols, u, rows, cols, 0.0);
        alpha[j] = 0;
        for (c = 0; c < cols; c++) alpha[j] += w[c] * v[c];
        for (int pass = 0; pass < 2; pass++) { /* w -= V Vᵀ w over v_0..v_j, twice */
            gs__gemv_n_d(h, V, (size_t)cols, w, j + 1, cols, 0.0);
            for (i = 0; i <= j; i++) h[i] = -h[i];
            gs__gemv_t_d(w, V, (size_t)cols, h, j + 1, cols, 1.0);
        }
        for (c = 0; c < cols; c++) nw += w[c] * w[c];
        beta[j] = sqrt(nw);
        {
            /* each step's estimate to a thousandth of its rise (enough to see it settle:
               the rise is then below 1e-12 of it, and the answer below is exact) */
            double last = est;
            tridiag_top(alpha, beta, j + 1, floor, 2 * rise, 1e-3, &lo, &hi);
            est = 0.5 * (lo + hi);
            rise = j > 0 ? est - last : 0;
            floor = lo;
            used = j + 1;
        }
        if (beta[j] <= 1e-14 * fmax(est, 1e-300) || fabs(est - prev) <= 1e-12 * est) break;
        prev = est;
        for (c = 0; c < cols; c++) w[c] /= beta[j];
    }
    if (used > 0) { /* the last estimate, exact to ~1e-15 */
        tridiag_top(alpha, beta, used, floor, 0, 0, &lo, &hi);
        est = 0.5 * (lo + hi);
    }
    return sqrt(fmax(est, 0));
}
