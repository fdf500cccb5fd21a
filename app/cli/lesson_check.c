/* lesson_check.c — run every step of every lesson headless, check its expectations
 * against the engine's numbers and report each one's margin; what must be visible is
 * checked by the function the caller gives (run/lesson_sight.c). */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#include "cli/lesson_check.h"

#include "session/budget.h"
#include "session/scene.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Findings ------------------------------------------------------------------------ */

void findings_add(findings *fs, finding_kind kind, int line, const char *fmt, ...) {
    va_list ap;
    if (kind == FIND_OK) fs->n_ok++;
    else if (kind == FIND_WARN) fs->n_warn++;
    else fs->n_fail++;
    if (fs->n >= FINDINGS_MAX) return;
    fs->f[fs->n].kind = kind;
    fs->f[fs->n].line = line;
    va_start(ap, fmt);
    vsnprintf(fs->f[fs->n].msg, sizeof fs->f[fs->n].msg, fmt, ap);
    va_end(ap);
    fs->n++;
}

/* By line, then in the order found. */
static int by_line(const void *a, const void *b) {
    const finding *x = *(const finding *const *)a, *y = *(const finding *const *)b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x < y ? -1 : x > y;
}

void findings_print(const findings *fs, FILE *out, FILE *err) {
    const finding *order[FINDINGS_MAX];
    for (int i = 0; i < fs->n; i++) order[i] = &fs->f[i];
    qsort(order, (size_t)fs->n, sizeof *order, by_line);
    for (int i = 0; i < fs->n; i++) {
        FILE *to = order[i]->kind == FIND_OK ? out : err;
        if (to) fprintf(to, "%s\n", order[i]->msg);
    }
    if (fs->n_ok + fs->n_warn + fs->n_fail > fs->n && err)
        fprintf(err, "(%d more findings not shown)\n", fs->n_ok + fs->n_warn + fs->n_fail - fs->n);
}

/* ---- Expectations ---------------------------------------------------------------------- */

int lesson_check_expects(const gs_lesson *l, int k, const char *assets_dir, findings *out) {
    const gs_lesson_step *st = &l->steps[k];
    opt_setup setup;
    scene sc;
    char err[512], name[300];
    int fails = 0;
    lesson_setup_to_options(&st->setup, &setup);
    if (st->n_expects == 0) return 0;
    gs_quote(name, sizeof name, l->name, strlen(l->name));
    if (scene_build(&sc, &setup, assets_dir, NULL, err, sizeof err) != 0) {
        findings_add(out, FIND_FAIL, st->line, "%s:%d: this step's scene cannot be built: %s",
                     name, st->line, err);
        out->refused = 1;
        return 1;
    }
    if ((gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) && setup.hidden > 128) {
        /* scene_build skips Jacobians above n = 128: their memory and time, first */
        int n_in = gs_task_n_in(sc.task), n_out = gs_task_n_out(sc.task);
        double secs = budget_jacobian_seconds(&setup, n_in, n_out, sc.length);
        if (budget_check_scene(&setup, n_in, n_out, sc.length, 1, err, sizeof err) != 0) {
            findings_add(out, FIND_FAIL, st->line, "%s:%d: this step's Jacobians cannot be "
                         "computed: %s", name, st->line, err);
            scene_free(&sc);
            out->refused = 1;
            return 1;
        }
        if (secs > BUDGET_JAC_SECONDS) {
            findings_add(out, FIND_FAIL, st->line,
                         "%s:%d: this step's Jacobians would take about %.0f minutes (n = %d, "
                         "%d steps, %d variant%s; they cost n^3 per step): lower @hidden or "
                         "@length", name, st->line, secs / 60.0, setup.hidden, sc.length, sc.n,
                         sc.n == 1 ? "" : "s");
            scene_free(&sc);
            out->refused = 1;
            return 1;
        }
        if (secs > 2 && isatty(fileno(stderr))) /* long work says so, and Ctrl+C stops it */
            fprintf(stderr, "%s:%d: computing Jacobians, up to %.0f s (Ctrl+C stops)...\n", name,
                    st->line, secs);
        for (int i = 0; i < sc.n; i++) {
            gs_backward_opts bo = { 0 };
            bo.truncate = setup.truncate;
            bo.jacobian = 1;
            gs_seq_backward(sc.seqs[i], &bo, NULL);
        }
    }
    for (int i = 0; i < st->n_expects; i++) {
        const gs_lesson_expect *e = &st->expects[i];
        gs_lesson_result r;
        char m[48], at[32];
        gs_lesson_expect_check(l, e, setup.variants, (const gs_seq *const *)sc.seqs, sc.n, &r);
        gs_lesson_margin_text(&r, m, sizeof m);
        at[0] = '\0';
        if (r.step > 0 && (r.kind == GS_MARGIN_FACTOR || r.kind == GS_MARGIN_DIFF))
            snprintf(at, sizeof at, " (at step %d)", r.step);
        if (!r.holds) {
            findings_add(out, FIND_FAIL, e->line, "%s", r.msg);
            fails++;
        } else if (gs_lesson_margin_thin(&r)) {
            findings_add(out, FIND_WARN, e->line,
                         "%s:%d: warning: '%s' holds by only %s%s (a margin under \xc3\x97%g "
                         "or %g %% is thin; lessons/README.md, Margins)", name, e->line,
                         e->text, m, at, GS_LESSON_THIN_FACTOR, 100 * GS_LESSON_THIN_DIFF);
        } else {
            findings_add(out, FIND_OK, e->line, "%s:%d: holds, margin %s%s: %s", name, e->line,
                         m, at, e->text);
        }
    }
    scene_free(&sc);
    return fails;
}

/* ---- Lessons ----------------------------------------------------------------------------- */

int lesson_check_files(char **paths, int n, const char *assets_dir, lesson_sight_fn sight,
                       void *sight_ud) {
    int failures = 0, warnings = 0, steps = 0, expects = 0, seen = 0;
    findings *fs = calloc(1, sizeof *fs);
    if (!fs) {
        fprintf(stderr, "gatescope: out of memory\n");
        return 1;
    }
    for (int f = 0; f < n; f++) {
        gs_lesson *l = NULL;
        gs_error e;
        if (gs_lesson_load(&l, paths[f], NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            failures++;
            continue;
        }
        memset(fs, 0, sizeof *fs);
        for (int s = 0; s < l->n_steps; s++) {
            lesson_check_expects(l, s, assets_dir, fs);
            expects += l->steps[s].n_expects;
            steps++;
        }
        if (sight && !fs->refused) { /* a refused scene is not built again to be seen */
            int k = sight(sight_ud, l, fs);
            if (k > 0) seen += k;
        }
        findings_print(fs, stdout, stderr);
        fflush(stdout);
        failures += fs->n_fail;
        warnings += fs->n_warn;
        gs_lesson_destroy(l);
    }
    free(fs);
    printf("%d lesson%s, %d steps, %d expectations, ", n, n == 1 ? "" : "s", steps, expects);
    if (sight) printf("%d visibility statements: ", seen);
    else printf("visibility not checked: ");
    printf("%s", failures ? "FAILED" : "all hold");
    if (warnings) printf(", %d warning%s", warnings, warnings == 1 ? "" : "s");
    printf("\n");
    if (failures) printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
