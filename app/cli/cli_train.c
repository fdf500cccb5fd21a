/* cli_train.c — --train: every variant trained side by side on one data stream with
 * one budget, a progress bar on a terminal (plain lines otherwise), a CSV log, and
 * a final table of loss and success beside the task's baselines.  Every output is
 * opened before the first iteration; the log is checked at every progress tick (a
 * full disk shows as it happens) and a failed log never costs the weights; Ctrl+C
 * (SIGINT, SIGTERM) stops at the next iteration and saves what was trained. */
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

/* A number for the log and the screen: NaN is "nan" whatever its sign bit (printf
 * writes "-nan" for some), inf "inf" and "-inf". */
static const char *num(char *buf, size_t len, int digits, double v) {
    if (isnan(v)) snprintf(buf, len, "nan");
    else snprintf(buf, len, "%.*g", digits, v);
    return buf;
}

/* The last 2% of the budget (at least one point) stands for "where it ended". */
static long final_window(const train_session *ts) {
    long w = ts->iteration / 50;
    return w < 1 ? 1 : w;
}

static void progress(const train_session *ts, int tty, double elapsed) {
    long it = ts->iteration, total = ts->setup.iterations;
    int width = 24, filled = (int)((double)width * (double)it / (double)total);
    char b[32];
    if (tty) {
        fprintf(stderr, "\r[");
        for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %3d%% %ld/%ld %5.0fs ", (int)(100.0 * (double)it / (double)total), it,
                total, elapsed);
    } else {
        fprintf(stderr, "iteration %ld/%ld (%.0fs):", it, total, elapsed);
    }
    for (int i = 0; i < ts->n; i++)
        fprintf(stderr, " %s %s", gs_variant_get(ts->variants[i])->name,
                num(b, sizeof b, 4,
                    train_session_recent(ts, i, final_window(ts) < 20 ? 20 : final_window(ts)).loss));
    fputs(tty ? "\033[K" : "\n", stderr);
    fflush(stderr);
}

static void final_table(const train_session *ts) {
    double base[4];
    const char *names[4];
    int nb = gs_task_baselines(ts->task, base, names, 4);
    const char *success = gs_task_success_name(ts->task);
    char b[32];
    printf("%-10s %12s %12s   (mean of the last %ld iterations of %ld)\n", "variant", "loss",
           success ? "success" : "", final_window(ts), ts->iteration);
    for (int i = 0; i < ts->n; i++) {
        train_point p = train_session_recent(ts, i, final_window(ts));
        printf("%-10s %12s", gs_variant_get(ts->variants[i])->name,
               num(b, sizeof b, 5, p.loss));
        if (success) {
            if (isnan(p.success)) printf(" %12s", "nan");
            else printf(" %11.1f%%", 100.0 * p.success);
        }
        printf("\n");
    }
    for (int b2 = 0; b2 < nb; b2++) printf("%-10s %12.5g   %s\n", "baseline", base[b2], names[b2]);
    if (success) printf("success: %s\n", success);
}

/* The log's rows of the last iteration; GS_ERR_IO once a write has failed. */
static gs_status log_rows(gs_outfile *log, const train_session *ts) {
    char l[32], s[32];
    gs_status st = GS_OK;
    for (int i = 0; i < ts->n && st == GS_OK; i++) {
        const train_point *p = &ts->history[i][ts->iteration - 1];
        st = gs_outfile_printf(log, "%ld,%s,%s,%s\n", p->iteration,
                               gs_variant_get(ts->variants[i])->name,
                               num(l, sizeof l, 9, p->loss), num(s, sizeof s, 9, p->success));
    }
    return st;
}

/* Variants none of whose updates was made (every gradient inf/NaN): named in one
 * line, since their saved weights are the untrained ones.  Returns how many. */
static int untrained(const train_session *ts, const options *o) {
    char names[256] = "", shown[300];
    int k = 0;
    size_t used = 0;
    for (int i = 0; i < ts->n; i++)
        if (ts->updates[i] == 0) {
            used += (size_t)snprintf(names + used, used < sizeof names ? sizeof names - used : 0,
                                     "%s%s", k ? ", " : "", gs_variant_get(ts->variants[i])->name);
            if (used >= sizeof names) used = sizeof names - 1;
            k++;
        }
    if (!k || ts->iteration == 0) return 0;
    if (o->save_weights)
        gs_quote(shown, sizeof shown, o->save_weights, strlen(o->save_weights));
    fprintf(stderr, "gatescope: every update of %s was non-finite (inf or NaN), so none was "
            "made: %s the initial weights%s%s%s; look at where training starts (--weight-scale, "
            "--load-weights) or lower --lr\n", names, k == 1 ? "it keeps" : "they keep", o->save_weights ? " (saved as such in '" : "",
            o->save_weights ? shown : "", o->save_weights ? "')" : "");
    return k;
}

int cli_train(const options *o, const char *assets_dir, volatile sig_atomic_t *stop) {
    scene sc;
    train_session ts;
    cli_weights w = { 0 };
    gs_outfile *log = NULL;
    gs_error e;
    char err[512];
    int rc, rw, wrc = 0, log_ok = 0, tty = isatty(fileno(stderr)), have_scene = 0,
        have_session = 0, sig = 0;
    double t0, last = -1;
    /* every output first: a wrong path fails now, not after the whole run */
    if (o->save_weights && (rc = cli_weights_open(&w, &o->setup, o->save_weights)) != 0)
        return rc;
    if (o->train_log && gs_outfile_open(&log, o->train_log, NULL, &e) != GS_OK) {
        fprintf(stderr, "gatescope: --log: %s\n", e.msg);
        rc = 1;
        goto done;
    }
    if ((rc = cli_build_scene(&sc, o, assets_dir)) != 0) goto done;
    have_scene = 1;
    if (train_session_create(&ts, &sc, &o->train, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        rc = 1;
        goto done;
    }
    have_session = 1;
    if (log) gs_outfile_printf(log, "iteration,variant,loss,success\n");
    t0 = now();
    while (!(stop && *stop) && train_session_step(&ts) == 0) {
        double t = now() - t0;
        int tick = ts.iteration == ts.setup.iterations || t - last >= (tty ? 0.2 : 10.0);
        /* a failed write shows when stdio hands a buffer over, or at the latest at the
           next tick's flush; said then, and training goes on: the weights do not
           depend on the log */
        if (log && (log_rows(log, &ts) != GS_OK || (tick && gs_outfile_check(log, &e) != GS_OK))) {
            gs_outfile_check(log, &e);
            fprintf(stderr, "%sgatescope: --log: %s; training goes on without the log\n",
                    tty && last >= 0 ? "\n" : "", e.msg);
            gs_outfile_abort(log);
            log = NULL;
            rc = 1;
        }
        if (tick) {
            progress(&ts, tty, t);
            last = t;
        }
    }
    if (stop && *stop) sig = (int)*stop;
    if (tty && ts.iteration > 0) fputc('\n', stderr);
    /* the outputs before the table: a closed standard output cannot cost them */
    if (log) {
        rw = gs_outfile_commit(log, &e);
        log = NULL;
        if (rw != GS_OK) {
            fprintf(stderr, "gatescope: --log: %s\n", e.msg);
            rc = 1;
        } else {
            log_ok = 1;
        }
    }
    if (o->save_weights) {
        if (ts.iteration == 0) {
            cli_weights_abort(&w); /* nothing trained: the old files stay */
        } else {
            for (int i = 0; i < sc.n; i++) gs_model_copy_params(sc.models[i], ts.models[i], NULL);
            if ((wrc = cli_weights_commit(&w, sc.models)) != 0) rc = wrc;
        }
    }
    if (ts.iteration > 0) final_table(&ts);
    if (untrained(&ts, o)) rc = rc ? rc : 1;
    if (sig) {
        char line[1024], sw[300], sl[300];
        size_t u = (size_t)snprintf(line, sizeof line, "stopped by %s at iteration %ld of %ld",
                                    sig == SIGTERM ? "SIGTERM" : "Ctrl+C", ts.iteration,
                                    ts.setup.iterations);
        if (o->save_weights) gs_quote(sw, sizeof sw, o->save_weights, strlen(o->save_weights));
        if (!o->save_weights)
            u += (size_t)snprintf(line + u, sizeof line - u, "; no weights saved (no --save-weights)");
        else if (ts.iteration == 0)
            u += (size_t)snprintf(line + u, sizeof line - u, "; nothing trained, nothing saved");
        else if (!wrc)
            u += (size_t)snprintf(line + u, sizeof line - u, "; the weights trained so far are in '%s'", sw);
        if (o->train_log && log_ok && u < sizeof line)
            snprintf(line + u, sizeof line - u, "; the log, up to there, in '%s'",
                     gs_quote(sl, sizeof sl, o->train_log, strlen(o->train_log)));
        fprintf(stderr, "gatescope: %s\n", line);
        rc = 128 + sig;
    }
done:
    cli_weights_abort(&w);
    gs_outfile_abort(log);
    if (have_session) train_session_free(&ts);
    if (have_scene) scene_free(&sc);
    return cli_close_stdout(rc);
}
