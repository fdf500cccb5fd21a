/* bench_truncation.c — truncated BPTT must cost O(window) per update: the same
 * budget of cell-steps (gru, H = 16, batch 1, k1 = k2 = 10) on sequences of 100, 500
 * and 5,000 steps, seconds each and the ratio to L = 500.  The aim is a flat line:
 * L = 5,000 within 1.3x of L = 500.  Prints figures; asserts nothing.
 * Usage: bench_truncation [cell-steps, default 1000000] */
#define _POSIX_C_SOURCE 200809L
#include "gatescope.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    const int lengths[] = { 100, 500, 5000 };
    long budget = argc > 1 ? atol(argv[1]) : 1000000;
    double at500 = 0;
    gs_blas_set_threads(1);
    printf("truncated BPTT, gru H 16, batch 1, k1 = k2 = 10, %ld cell-steps per length\n", budget);
    printf("%7s %8s %10s %12s\n", "L", "seqs", "seconds", "vs L=500");
    for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
        int L = lengths[l];
        long seqs = budget / L;
        gs_task_config tc = gs_task_config_default(GS_TASK_ECHO);
        gs_train_config cfg = gs_train_config_default();
        gs_task *task;
        gs_model *m;
        gs_trainer *tr;
        gs_error err;
        tc.length = L;
        if (gs_task_create(&task, &tc, &err) != GS_OK) return fprintf(stderr, "%s\n", err.msg), 1;
        gs_model_config mc = gs_model_config_default(GS_GRU, gs_task_n_in(task), 16,
                                                     gs_task_n_out(task));
        if (gs_model_create(&m, &mc, &err) != GS_OK) return fprintf(stderr, "%s\n", err.msg), 1;
        cfg.batch = 1;
        cfg.k1 = 10;
        cfg.k2 = 10;
        if (gs_trainer_create(&tr, m, task, &cfg, &err) != GS_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        double t0 = now();
        for (long i = 0; i < seqs; i++) gs_trainer_step(tr, NULL, NULL);
        double dt = now() - t0;
        if (L == 500) at500 = dt;
        if (at500 > 0)
            printf("%7d %8ld %10.3f %11.2fx\n", L, seqs, dt, dt / at500);
        else
            printf("%7d %8ld %10.3f\n", L, seqs, dt);
        gs_trainer_destroy(tr);
        gs_model_destroy(m);
        gs_task_destroy(task);
    }
    return 0;
}
