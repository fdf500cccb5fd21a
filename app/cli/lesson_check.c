/* lesson_check.c — run every step of every lesson headless and check its
 * expectations against the engine's numbers. */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#include "cli/lesson_check.h"

#include "session/budget.h"
#include "session/scene.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The sizes of setup's task (inputs, outputs, steps) without building anything; 1 if
 * they depend on a text read later (the text task's corpus). */
static int task_sizes(const opt_setup *setup, int *n_in, int *n_out, int *T) {
    gs_task_config tc = gs_task_config_default(setup->task);
    gs_task *t = NULL;
    if (setup->task == GS_TASK_TEXT || setup->task == GS_TASK_TYPED) return 1;
    if (setup->length > 0) tc.length = setup->length;
    if (gs_task_create(&t, &tc, NULL) != GS_OK) return 1;
    *n_in = gs_task_n_in(t);
    *n_out = gs_task_n_out(t);
    *T = gs_task_length(t);
    gs_task_destroy(t);
    return 0;
}

/* Can this step's Jacobians (n > 128, which scene_build skips) be afforded: their
 * memory and their time?  0, or 1 after saying why on stderr. */
static int jacobians_fit(const char *name, int line, const opt_setup *setup, int n_in, int n_out,
                         int T) {
    char err[512];
    double secs = budget_jacobian_seconds(setup, n_in, n_out, T);
    if (budget_check_scene(setup, n_in, n_out, T, 1, err, sizeof err) != 0) {
        fprintf(stderr, "%s:%d: this step's Jacobians cannot be computed: %s\n", name, line, err);
        return 1;
    }
    if (secs > BUDGET_JAC_SECONDS) {
        fprintf(stderr, "%s:%d: this step's Jacobians would take about %.0f minutes (n = %d, %d "
                "steps, %d variant%s; they cost n^3 per step): lower @hidden or @length\n", name,
                line, secs / 60.0, setup->hidden, T, setup->n_variants,
                setup->n_variants == 1 ? "" : "s");
        return 1;
    }
    if (secs > 2 && isatty(fileno(stderr))) /* long work says so, and Ctrl+C stops it */
        fprintf(stderr, "%s:%d: computing Jacobians, up to %.0f s (Ctrl+C stops)...\n", name,
                line, secs);
    return 0;
}

/* Checks one step; returns the number of failures (a scene that cannot be built
 * counts as one). */
static int check_step(const gs_lesson *l, const gs_lesson_step *st, const char *assets_dir,
                      int *n_expects) {
    opt_setup setup;
    scene sc;
    char err[512], name[300];
    gs_lesson_failure fails[GS_LESSON_MAX_EXPECTS];
    int nf, shown, n_in, n_out, T, known;
    int jac = (gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) && st->setup.hidden > 128;
    lesson_setup_to_options(&st->setup, &setup);
    gs_quote(name, sizeof name, l->name, strlen(l->name));
    /* what the Jacobians cost, before the scene is built when the sizes are known */
    known = jac && task_sizes(&setup, &n_in, &n_out, &T) == 0;
    if (known && jacobians_fit(name, st->line, &setup, n_in, n_out, T) != 0) return 1;
    if (scene_build(&sc, &setup, assets_dir, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s:%d: this step's scene cannot be built: %s\n", name, st->line, err);
        return 1;
    }
    if (jac) {
        if (!known && jacobians_fit(name, st->line, &setup, gs_task_n_in(sc.task),
                                    gs_task_n_out(sc.task), sc.length) != 0) {
            scene_free(&sc);
            return 1;
        }
        for (int i = 0; i < sc.n; i++) {
            gs_backward_opts bo = { 0 };
            bo.truncate = setup.truncate;
            bo.jacobian = 1;
            gs_seq_backward(sc.seqs[i], &bo, NULL);
        }
    }
    nf = gs_lesson_step_check(l, st, setup.variants, (const gs_seq *const *)sc.seqs, sc.n, fails,
                              GS_LESSON_MAX_EXPECTS);
    shown = nf < GS_LESSON_MAX_EXPECTS ? nf : GS_LESSON_MAX_EXPECTS;
    for (int i = 0; i < shown; i++) { /* one line each, whatever the file is called */
        for (char *c = fails[i].msg; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
        fprintf(stderr, "%s\n", fails[i].msg);
    }
    *n_expects += st->n_expects;
    scene_free(&sc);
    return nf;
}

int lesson_check_files(char **paths, int n, const char *assets_dir) {
    int failures = 0, steps = 0, expects = 0;
    for (int f = 0; f < n; f++) {
        gs_lesson *l = NULL;
        gs_error e;
        if (gs_lesson_load(&l, paths[f], NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            failures++;
            continue;
        }
        for (int s = 0; s < l->n_steps; s++) {
            failures += check_step(l, &l->steps[s], assets_dir, &expects);
            steps++;
        }
        gs_lesson_destroy(l);
    }
    printf("%d lesson%s, %d steps, %d expectations: %s\n", n, n == 1 ? "" : "s", steps, expects,
           failures ? "FAILED" : "all hold");
    if (failures) printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
