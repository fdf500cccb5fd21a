/* lesson_check.c — run every step of every lesson headless, check its expectations
 * against the engine's numbers and report each one's margin; what must be visible is
 * checked by the function the caller gives (run/lesson_sight.c).  A step that trains
 * (@train) is trained here exactly as the window trains it; the next steps that differ
 * from it only in their clamps reuse its trained models.  In a trained step, an
 * expectation about mean_loss is measured on HELDOUT held-out sequences (so that a
 * race's claim rests on more than the one sequence the window shows); everything
 * else on that one. */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#include "cli/lesson_check.h"

#include "session/budget.h"
#include "session/scene.h"
#include "session/train_session.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HELDOUT 256                           /* held-out sequences for mean_loss */
#define HELDOUT_SEED 0x9e3779b97f4a7c15ULL    /* xor'ed into the step's seed */

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

/* ---- Trained scenes ------------------------------------------------------------------- */

void lesson_trained_free(lesson_trained *c) {
    if (c->have) scene_free(&c->sc);
    c->have = 0;
}

static int names(const gs_lesson_term *t, const char *q) {
    return !t->is_number && strcmp(t->quantity, q) == 0;
}

/* The step's scene into *out: built (and trained, and clamped) as the window does.
 * A trained scene is owned by the cache (*owned = 0). */
static int step_scene(const gs_lesson_step *st, const opt_setup *step_setup,
                      const char *assets_dir, lesson_trained *cache, scene **out, int *owned,
                      scene *local, char *err, size_t err_len) {
    opt_setup setup = *step_setup;
    const char *weights = setup.weights[0] ? setup.weights : NULL;
    *owned = 0;
    if (st->setup.train <= 0) { /* untrained: built with its clamps, not kept */
        if (scene_build(local, &setup, assets_dir, weights, err, err_len) != 0) return 1;
        *out = local;
        *owned = 1;
        return 0;
    }
    if (!cache->have || !lesson_setup_same_but_clamps(&cache->ls, &st->setup)) {
        lesson_trained_free(cache);
        setup.n_clamps = 0; /* trained free; the clamps come after */
        if (scene_build(&cache->sc, &setup, assets_dir, weights, err, err_len) != 0) return 1;
        cache->have = 1;
        cache->ls = st->setup;
        if (train_session_lesson(&cache->sc, &st->setup, err, err_len) != 0) {
            lesson_trained_free(cache);
            return 1;
        }
    } else if (train_session_lesson_clamps(&cache->sc, &st->setup, err, err_len) != 0) {
        return 1;
    }
    *out = &cache->sc;
    return 0;
}

/* HELDOUT fresh sequences of each model of sc, run forward (for mean_loss). */
static int heldout_seqs(const scene *sc, uint64_t seed, gs_seq **seqs, char *err, size_t err_len) {
    gs_error e;
    memset(seqs, 0, sizeof(gs_seq *) * (size_t)sc->n);
    for (int i = 0; i < sc->n; i++) {
        if (gs_seq_create(&seqs[i], sc->models[i], sc->length, HELDOUT, &e) != GS_OK ||
            gs_seq_fill(seqs[i], sc->task, seed ^ HELDOUT_SEED, &e) != GS_OK) {
            snprintf(err, err_len, "%s", e.msg);
            return 1;
        }
        gs_seq_forward(seqs[i], sc->length);
    }
    return 0;
}

/* Jacobians that would take past the budget, refused before a large scene is built
 * (for a task whose sizes are known without its text: the others are checked after). */
static int jacobians_too_slow(const gs_lesson_step *st, const opt_setup *setup, const char *name,
                              findings *out) {
    gs_task_config tc;
    gs_task *t = NULL;
    gs_error e;
    double secs;
    if (!(gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) || setup->hidden <= 128 ||
        setup->task == GS_TASK_TEXT || setup->task == GS_TASK_TYPED)
        return 0;
    tc = gs_task_config_default(setup->task);
    if (setup->length > 0) tc.length = setup->length;
    if (gs_task_create(&t, &tc, &e) != GS_OK) return 0; /* scene_build says why */
    secs = budget_jacobian_seconds(setup, gs_task_n_in(t), gs_task_n_out(t), gs_task_length(t));
    if (secs > BUDGET_JAC_SECONDS)
        findings_add(out, FIND_FAIL, st->line,
                     "%s:%d: this step's Jacobians would take about %.0f minutes (n = %d, %d "
                     "steps, %d variant%s; they cost n^3 per step): lower @hidden or @length",
                     name, st->line, secs / 60.0, setup->hidden, gs_task_length(t),
                     setup->n_variants, setup->n_variants == 1 ? "" : "s");
    gs_task_destroy(t);
    if (secs <= BUDGET_JAC_SECONDS) return 0;
    out->refused = 1;
    return 1;
}

/* ---- Expectations ---------------------------------------------------------------------- */

int lesson_check_expects(const gs_lesson *l, int k, const char *assets_dir, lesson_trained *cache,
                         findings *out) {
    const gs_lesson_step *st = &l->steps[k];
    opt_setup setup;
    scene local, *sc = NULL;
    gs_seq *held[OPT_MAX_VARIANTS];
    char err[512], name[300];
    int fails = 0, owned = 0, have_held = 0;
    gs_quote(name, sizeof name, l->name, strlen(l->name));
    if (lesson_setup_to_options(&st->setup, l->name, &setup, err, sizeof err) != 0) {
        findings_add(out, FIND_FAIL, st->line, "%s:%d: this step's scene cannot be built: %s",
                     name, st->line, err);
        out->refused = 1;
        return 1;
    }
    /* a trained step is trained even without expectations: the next ones may reuse it */
    if (st->n_expects == 0 && st->setup.train <= 0) return 0;
    if (jacobians_too_slow(st, &setup, name, out)) return 1;
    if (step_scene(st, &setup, assets_dir, cache, &sc, &owned, &local, err, sizeof err) != 0) {
        findings_add(out, FIND_FAIL, st->line, "%s:%d: this step's scene cannot be built: %s",
                     name, st->line, err);
        out->refused = 1;
        return 1;
    }
    if ((gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) && setup.hidden > 128) {
        /* scene_build skips Jacobians above n = 128: their memory and time, first */
        int n_in = gs_task_n_in(sc->task), n_out = gs_task_n_out(sc->task);
        double secs = budget_jacobian_seconds(&setup, n_in, n_out, sc->length);
        const char *why = NULL;
        if (budget_check_scene(&setup, n_in, n_out, sc->length, 1, err, sizeof err) != 0) {
            findings_add(out, FIND_FAIL, st->line, "%s:%d: this step's Jacobians cannot be "
                         "computed: %s", name, st->line, err);
            why = "refused";
        } else if (secs > BUDGET_JAC_SECONDS) {
            findings_add(out, FIND_FAIL, st->line,
                         "%s:%d: this step's Jacobians would take about %.0f minutes (n = %d, "
                         "%d steps, %d variant%s; they cost n^3 per step): lower @hidden or "
                         "@length", name, st->line, secs / 60.0, setup.hidden, sc->length, sc->n,
                         sc->n == 1 ? "" : "s");
            why = "too slow";
        }
        if (why) {
            if (owned) scene_free(sc);
            out->refused = 1;
            return 1;
        }
        if (secs > 2 && isatty(fileno(stderr))) /* long work says so, and Ctrl+C stops it */
            fprintf(stderr, "%s:%d: computing Jacobians, up to %.0f s (Ctrl+C stops)...\n", name,
                    st->line, secs);
        for (int i = 0; i < sc->n; i++) {
            gs_backward_opts bo = { 0 };
            bo.truncate = setup.truncate;
            bo.jacobian = 1;
            gs_seq_backward(sc->seqs[i], &bo, NULL);
        }
    }
    for (int i = 0; i < st->n_expects; i++) {
        const gs_lesson_expect *e = &st->expects[i];
        const gs_seq *const *seqs = (const gs_seq *const *)sc->seqs;
        gs_lesson_result r;
        char m[48], at[32];
        if (st->setup.train > 0 && (names(&e->lhs, "mean_loss") || names(&e->rhs, "mean_loss"))) {
            if (!have_held) {
                have_held = 1; /* (freed below, made or not) */
                if (heldout_seqs(sc, st->setup.seed, held, err, sizeof err) != 0) {
                    findings_add(out, FIND_FAIL, e->line, "%s:%d: no held-out sequences: %s", name,
                                 e->line, err);
                    fails++;
                    break;
                }
            }
            seqs = (const gs_seq *const *)held;
        }
        gs_lesson_expect_check(l, e, setup.variants, seqs, sc->n, &r);
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
    if (have_held)
        for (int i = 0; i < sc->n; i++) gs_seq_destroy(held[i]);
    if (owned) scene_free(sc);
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
        lesson_trained cache;
        if (gs_lesson_load(&l, paths[f], NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            failures++;
            continue;
        }
        memset(fs, 0, sizeof *fs);
        memset(&cache, 0, sizeof cache);
        for (int s = 0; s < l->n_steps; s++) {
            lesson_check_expects(l, s, assets_dir, &cache, fs);
            expects += l->steps[s].n_expects;
            steps++;
        }
        lesson_trained_free(&cache);
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
