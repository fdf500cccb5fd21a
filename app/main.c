/* main.c — pick OpenBLAS's kernels, parse the command line, then hand over to the
 * mode: help, version, the window-less modes (cli/cli.c) or the window (run/app.c). */
#define _POSIX_C_SOURCE 200809L /* setenv, sigaction */
#include "cli/cli.h"
#include "gatescope_lesson.h"
#include "platform/paths.h"
#include "cli/lesson_check.h"
#include "run/app.h"
#include "run/lesson_sight.h"
#include "session/options.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GS_VERSION
#define GS_VERSION "0.1.0"
#endif

/* <data dir>/assets, or NULL after saying why when the setup needs it. */
static const char *assets_dir(const options *o, const char *argv0, char *buf, size_t len) {
    const char *data = paths_data_dir(argv0);
    if (data) {
        snprintf(buf, len, "%s/assets", data);
        return buf;
    }
    if (o->setup.task == GS_TASK_TEXT) {
        char looked[2048];
        paths_describe(argv0, looked, sizeof looked);
        fprintf(stderr, "gatescope: cannot find gatescope's assets (looked in %s); reinstall "
                "or run from the build tree\n", looked);
    }
    return NULL;
}

/* OpenBLAS chooses its kernels when it loads and, on a CPU it does not know, falls
 * back to old ones (Prescott's SSE3 on a recent Xeon): training then runs at a third
 * of its speed.  When that happened and the user did not choose a core type, start
 * again with the fitting one.  The shown numbers never depend on this (batch 1 does
 * not use OpenBLAS); GS_BLAS_FELL_BACK tells --version what happened. */
static void pick_blas_kernels(char **argv) {
    const char *better;
    /* the user's choice, or ours on the second start; GS_TEST_BLAS_FALLBACK=1 is the
       tests' way to have OPENBLAS_CORETYPE play OpenBLAS's own fallback */
    if (getenv("OPENBLAS_CORETYPE") && !getenv("GS_TEST_BLAS_FALLBACK")) return;
    if (!(better = gs_blas_better_core())) return;
    if (setenv("GS_BLAS_FELL_BACK", gs_blas_core(), 1) != 0 ||
        setenv("OPENBLAS_CORETYPE", better, 1) != 0 || unsetenv("GS_TEST_BLAS_FALLBACK") != 0)
        return;
    execv("/proc/self/exe", argv);
    unsetenv("OPENBLAS_CORETYPE"); /* could not start again: carry on with the old kernels */
    unsetenv("GS_BLAS_FELL_BACK");
}

static void print_version(void) {
    const char *fell = getenv("GS_BLAS_FELL_BACK");
    printf("gatescope %s\n", GS_VERSION);
    if (fell && strcmp(fell, gs_blas_core()) != 0)
        printf("OpenBLAS kernels: %s (chosen by gatescope: OpenBLAS did not recognise this CPU "
               "and fell back to %s)\n", gs_blas_core(), fell);
    else if (getenv("OPENBLAS_CORETYPE"))
        printf("OpenBLAS kernels: %s (OPENBLAS_CORETYPE)\n", gs_blas_core());
    else
        printf("OpenBLAS kernels: %s (OpenBLAS's choice)\n", gs_blas_core());
    printf("training's batched products: %s\n", gs_blas_kernels());
    printf("shown numbers: the engine's own fixed-order kernels, the same on every machine\n");
}

/* A message that quotes an argument as typed: its control bytes (a newline, ESC)
 * become '?', so the message stays one line and cannot paint the terminal. */
static char *one_line(char *s) {
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    return s;
}

/* ---- Signals ---------------------------------------------------------------------- */

/* SIGINT or SIGTERM seen during --train (0: none), and how many were: main's globals,
 * the only ones. */
static volatile sig_atomic_t stop_signal;
static atomic_int stop_requests;

/* The first stop request is remembered; the defaults come back, so the second
 * (Ctrl+C or SIGTERM) quits at once.  The count settles a race: another thread (the
 * BLAS pool) may take the second signal while this handler still runs, before the
 * defaults are back; that one raises it again, at the default.  sigaction and raise
 * are async-signal-safe, and so is a lock-free atomic. */
static void on_stop(int sig) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    if (atomic_fetch_add(&stop_requests, 1) > 0) {
        raise(sig);
        return;
    }
    stop_signal = sig;
}

/* --train stops at the next iteration on the first Ctrl+C (or SIGTERM) and saves what
 * it trained; a second one quits at once.
 * SIGPIPE is ignored there: a closed standard output or error becomes a write error
 * (reported at the end), never a death before the weights are saved.  The other
 * modes keep SIGPIPE's default, so `gatescope --list-variants | head -1` is quiet. */
static void catch_stop_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    /* the other one waits while the handler runs: it then meets the default */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv) {
    options o;
    char err[512], assets[4096];
    const char *dir;
    int rc;
    pick_blas_kernels(argv);
    /* the cells are small: one OpenBLAS thread is fastest on a few cores, leaves the
       other core to drawing, and makes training independent of the thread count */
    gs_blas_set_threads(1);
    if (options_parse(&o, argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", one_line(err));
        return 2;
    }
    switch (o.mode) {
    case MODE_HELP:
        fputs(options_usage(), stdout);
        return cli_close_stdout(0);
    case MODE_VERSION:
        print_version();
        return cli_close_stdout(0);
    case MODE_LIST_VARIANTS:
    case MODE_LIST_TASKS:
        return cli_run(&o, NULL, NULL);
    case MODE_TRACE:
    case MODE_SAVE_ONLY:
    case MODE_TRAIN:
    case MODE_SAVE_LESSON:
    case MODE_PRINT_COMMAND:
        dir = assets_dir(&o, argv[0], assets, sizeof assets);
        if (!dir && o.setup.task == GS_TASK_TEXT) return 1;
        if (o.mode == MODE_TRAIN) catch_stop_signals();
        return cli_run(&o, dir, &stop_signal);
    case MODE_CHECK: /* the numbers (cli/), and what is visible with the real layout (run/) */
        dir = assets_dir(&o, argv[0], assets, sizeof assets);
        return cli_close_stdout(lesson_check_files(o.check_files, o.n_check_files, dir,
                                                   lesson_sight_check,
                                                   (void *)paths_data_dir(argv[0])));
    case MODE_WINDOW:
        break;
    }
    if (o.lesson_path) { /* a broken lesson says where, before any window opens */
        gs_lesson *l = NULL;
        gs_error e;
        if (gs_lesson_load(&l, o.lesson_path, NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        gs_lesson_destroy(l);
    }
    if (o.save_weights) { /* the starting weights, as in the other modes */
        dir = assets_dir(&o, argv[0], assets, sizeof assets);
        if (!dir && o.setup.task == GS_TASK_TEXT) return 1;
        if ((rc = cli_save_weights(&o, dir)) != 0) return rc;
    }
    return app_run(&o, argv[0]);
}
