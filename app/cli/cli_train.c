/* cli_train.c — --train: every variant trained side by side on one data stream with
 * one budget, a progress bar on a terminal (plain lines otherwise), a CSV log, and
 * a final table of loss and success beside the task's baselines. */
#define _POSIX_C_SOURCE 200809L /* fileno, clock_gettime */
#include "cli/cli.h"
#include "session/train_session.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The last 2% of the budget (at least one point) stands for "where it ended". */
static long final_window(const train_session *ts) {
    long w = ts->iteration / 50;
    return w < 1 ? 1 : w;
}

static void progress(const train_session *ts, int tty, double elapsed) {
    long it = ts->iteration, total = ts->setup.iterations;
    int width = 24, filled = (int)((double)width * (double)it / (double)total);
    if (tty) {
        fprintf(stderr, "\r[");
        for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %3d%% %ld/%ld %5.0fs ", (int)(100.0 * (double)it / (double)total), it,
                total, elapsed);
    } else {
        fprintf(stderr, "iteration %ld/%ld (%.0fs):", it, total, elapsed);
    }
    for (int i = 0; i < ts->n; i++)
        fprintf(stderr, " %s %.4g", gs_variant_get(ts->variants[i])->name,
                train_session_recent(ts, i, final_window(ts) < 20 ? 20 : final_window(ts)).loss);
    fputs(tty ? "\033[K" : "\n", stderr);
    fflush(stderr);
}

static void final_table(const train_session *ts) {
    double base[4];
    const char *names[4];
    int nb = gs_task_baselines(ts->task, base, names, 4);
    const char *success = gs_task_success_name(ts->task);
    printf("%-10s %12s %12s   (mean of the last %ld iterations of %ld)\n", "variant", "loss",
           success ? "success" : "", final_window(ts), ts->iteration);
    for (int i = 0; i < ts->n; i++) {
        train_point p = train_session_recent(ts, i, final_window(ts));
        printf("%-10s %12.5g", gs_variant_get(ts->variants[i])->name, p.loss);
        if (success) printf(" %11.1f%%", 100.0 * p.success);
        printf("\n");
    }
    for (int b = 0; b < nb; b++) printf("%-10s %12.5g   %s\n", "baseline", base[b], names[b]);
    if (success) printf("success: %s\n", success);
}

int cli_train(const options *o, const char *assets_dir) {
    scene sc;
    train_session ts;
    char err[512];
    FILE *log = NULL;
    int rc, tty = isatty(fileno(stderr));
    double t0 = now(), last = -1;
    if ((rc = cli_build_scene(&sc, o, assets_dir)) != 0) return rc;
    if (train_session_create(&ts, &sc, &o->train, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        scene_free(&sc);
        return 1;
    }
    if (o->train_log && !(log = fopen(o->train_log, "w"))) {
        fprintf(stderr, "gatescope: cannot write %s: %s\n", o->train_log, strerror(errno));
        rc = 1;
        goto done;
    }
    if (log) fprintf(log, "iteration,variant,loss,success\n");
    while (train_session_step(&ts) == 0) {
        double t = now() - t0;
        if (log)
            for (int i = 0; i < ts.n; i++) {
                const train_point *p = &ts.history[i][ts.iteration - 1];
                fprintf(log, "%ld,%s,%.9g,%.9g\n", p->iteration,
                        gs_variant_get(ts.variants[i])->name, p->loss, p->success);
            }
        if (ts.iteration == ts.setup.iterations || t - last >= (tty ? 0.2 : 10.0)) {
            progress(&ts, tty, t);
            last = t;
        }
    }
    if (tty) fputc('\n', stderr);
    final_table(&ts);
    if (log && fclose(log) != 0) {
        fprintf(stderr, "gatescope: cannot write %s: %s\n", o->train_log, strerror(errno));
        rc = 1;
    }
    log = NULL;
    if (rc == 0 && o->save_weights) {
        for (int i = 0; i < sc.n; i++) gs_model_copy_params(sc.models[i], ts.models[i], NULL);
        rc = cli_save_scene_weights(&sc, o->save_weights);
    }
done:
    if (log) fclose(log);
    train_session_free(&ts);
    scene_free(&sc);
    return rc;
}
