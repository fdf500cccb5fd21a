/* bench_train.c — training throughput: cell-steps per second (forward + backward +
 * update) of lstm and gru-ra at H = 32, 128, 512, batch 64, T = 100, Adam.  Prints
 * figures; asserts nothing.  Usage: bench_train [threads] [iterations] */
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
    const int sizes[] = { 32, 128, 512 };
    const gs_variant variants[] = { GS_LSTM, GS_GRU_RA };
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    int iters = argc > 2 ? atoi(argv[2]) : 0;
    enum { T = 100, B = 64 };
    gs_blas_set_threads(threads);
    printf("training throughput, batch %d, T %d, Adam, OpenBLAS threads %d\n", B, T, threads);
    printf("batched products: %s (OpenBLAS core %s)\n", gs_blas_kernels(), gs_blas_core());
    printf("%-8s %5s %14s %12s\n", "variant", "H", "cell-steps/s", "ms/iter");
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++)
        for (size_t h = 0; h < sizeof sizes / sizeof *sizes; h++) {
            int H = sizes[h], n_iter = iters > 0 ? iters : (H <= 32 ? 60 : H <= 128 ? 20 : 4);
            gs_task_config tc = gs_task_config_default(GS_TASK_ADDING);
            gs_task *task;
            gs_model *m;
            gs_trainer *tr;
            gs_train_config cfg = gs_train_config_default();
            gs_error err;
            tc.length = T;
            if (gs_task_create(&task, &tc, &err) != GS_OK) return fprintf(stderr, "%s\n", err.msg), 1;
            gs_model_config mc = gs_model_config_default(variants[v], gs_task_n_in(task), H,
                                                         gs_task_n_out(task));
            if (gs_model_create(&m, &mc, &err) != GS_OK) return fprintf(stderr, "%s\n", err.msg), 1;
            cfg.batch = B;
            cfg.clip_norm = 1;
            if (gs_trainer_create(&tr, m, task, &cfg, &err) != GS_OK)
                return fprintf(stderr, "%s\n", err.msg), 1;
            gs_trainer_step(tr, NULL, NULL); /* warm up */
            double t0 = now();
            for (int i = 0; i < n_iter; i++) gs_trainer_step(tr, NULL, NULL);
            double dt = (now() - t0) / n_iter;
            printf("%-8s %5d %14.0f %12.2f\n", gs_variant_get(variants[v])->name, H,
                   (double)T * B / dt, 1e3 * dt);
            gs_trainer_destroy(tr);
            gs_model_destroy(m);
            gs_task_destroy(task);
        }
    printf("(input size m = 2: the adding problem's value and marker channels)\n");
    return 0;
}
