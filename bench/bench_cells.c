/* bench_cells.c — the engine's cells at batch 1: µs per forward step (gs_seq_forward
 * one step at a time over a T = 100 sequence) and µs per step of backward over
 * T = 100 (gs_seq_backward, default options: full BPTT, per-step gradient norms, no
 * Jacobian), for lstm, gru-ra and gru at H = 32, 128, 512 with input size m = H.
 * Prints figures and the issue-2 targets; asserts nothing (not a test).
 * Usage: bench_cells [threads]   (OpenBLAS threads, default 2).  One thread count per
 * process: gs_blas_set_threads is meant to be called once, at start — switching it
 * mid-process leaves OpenBLAS's worker parked and every threaded call then pays to
 * wake it (measured: +30-75% at H <= 128).  scripts/bench.sh runs 1 and 2. */
#define _POSIX_C_SOURCE 200809L
#include "gatescope.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { T = 100, RUNS = 7 };

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e6 * (double)ts.tv_sec + 1e-3 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Repetitions per timed run: about 20 ms of work at the engine's expected speed, so
 * that a run is long against timer and scheduler noise but 7 runs stay short. */
static int reps_for(int H) { return H <= 32 ? 200 : H <= 128 ? 40 : 4; }

/* Forward: one timed run is `reps` sequences of T single-step gs_seq_forward calls
 * (the app's "step"), after a rewind; µs per step.  The rewind is inside the timing:
 * it is a few stores, once per 100 steps. */
static double time_forward(gs_seq *s, int reps) {
    double t0 = now_us();
    for (int r = 0; r < reps; r++) {
        gs_seq_rewind(s);
        for (int t = 0; t < T; t++) gs_seq_forward(s, 1);
    }
    return (now_us() - t0) / ((double)reps * T);
}

/* Backward: the forward pass over T steps is done once, outside the timing; each
 * timed call is a full gs_seq_backward (it zeroes the gradients itself and rewrites
 * the whole trace, so repeating it does the same work every time); µs per step. */
static double time_backward(gs_seq *s, int reps) {
    gs_backward_opts bo = { 0 }; /* full BPTT, no clip, no Jacobian */
    double t0 = now_us();
    for (int r = 0; r < reps; r++) gs_seq_backward(s, &bo, NULL);
    return (now_us() - t0) / ((double)reps * T);
}

typedef struct bench_result {
    double fwd, bwd; /* µs per step, median of RUNS runs */
} bench_result;

static int bench_one(gs_variant v, int H, bench_result *res) {
    gs_model *m = NULL;
    gs_seq *s = NULL;
    gs_error err;
    gs_rng rng;
    double f[RUNS], b[RUNS];
    int reps = reps_for(H), rc = 1, i;
    gs_model_config mc = gs_model_config_default(v, H, H, 1); /* m = H, k = 1 */
    mc.seed = 1;
    if (gs_model_create(&m, &mc, &err) != GS_OK || gs_seq_create(&s, m, T, 1, &err) != GS_OK) {
        fprintf(stderr, "bench_cells: %s\n", err.msg);
        goto done;
    }
    /* inputs U(-1, 1); one loss, at the last step (as torch_cells.py) */
    gs_rng_seed(&rng, 7);
    {
        gs_real *x = gs_seq_inputs(s), *y = gs_seq_targets(s);
        unsigned char *mask = gs_seq_mask(s);
        for (i = 0; i < T * H; i++) x[i] = (gs_real)(2.0 * gs_rng_uniform(&rng) - 1.0);
        for (i = 0; i < T; i++) {
            y[i] = (gs_real)0.5;
            mask[i] = i == T - 1;
        }
        gs_seq_set_loss(s, GS_LOSS_MSE);
        gs_seq_rewind(s);
    }
    time_forward(s, reps); /* warm up: caches, OpenBLAS thread start-up, page faults */
    for (i = 0; i < RUNS; i++) f[i] = time_forward(s, reps);
    if (gs_seq_backward(s, NULL, &err) != GS_OK) { /* warm up; s has T steps done */
        fprintf(stderr, "bench_cells: %s\n", err.msg);
        goto done;
    }
    for (i = 0; i < RUNS; i++) b[i] = time_backward(s, reps);
    res->fwd = median(f, RUNS);
    res->bwd = median(b, RUNS);
    rc = 0;
done:
    gs_seq_destroy(s);
    gs_model_destroy(m);
    return rc;
}

int main(int argc, char **argv) {
    static const int sizes[] = { 32, 128, 512 };
    static const double fwd_target[] = { 2, 12, 150 }, bwd_target[] = { 6, 30, 400 };
    static const gs_variant variants[] = { GS_LSTM, GS_GRU_RA, GS_GRU };
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (argc > 2 || threads < 1) {
        fprintf(stderr, "usage: bench_cells [threads]  (OpenBLAS threads >= 1, default 2)\n");
        return 2;
    }
    gs_blas_set_threads(threads);
    printf("gatescope cells, batch 1, input size m = H, T = %d, float, OpenBLAS threads %d; "
           "median of %d runs (µs per step)\n", T, threads, RUNS);
    printf("fwd: gs_seq_forward(s, 1) x %d; bwd: gs_seq_backward (full, grad norms, no "
           "Jacobian) / %d\n\n", T, T);
    printf("%-8s %5s %10s %8s %10s %8s\n", "variant", "H", "fwd µs", "target", "bwd µs",
           "target");
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++)
        for (size_t h = 0; h < sizeof sizes / sizeof *sizes; h++) {
            bench_result r;
            if (bench_one(variants[v], sizes[h], &r)) return 1;
            printf("%-8s %5d %10.2f %8.0f%s %10.2f %8.0f%s\n", gs_variant_get(variants[v])->name,
                   sizes[h], r.fwd, fwd_target[h], r.fwd <= fwd_target[h] ? " " : "!", r.bwd,
                   bwd_target[h], r.bwd <= bwd_target[h] ? " " : "!");
            fflush(stdout);
        }
    printf("(! = slower than the issue-2 target; the targets are set for lstm and gru-ra)\n");
    return 0;
}
