/* lesson_check.c — run every step of every lesson headless and check its
 * expectations against the engine's numbers.  A step that trains (@train) is trained
 * here exactly as the window trains it; the next steps that differ from it only in
 * their clamps reuse its trained models.  In a trained step, an expectation about
 * mean_loss is measured on HELDOUT held-out sequences (so that a race's claim rests
 * on more than the one sequence the window shows); everything else on that one. */
#include "cli/lesson_check.h"

#include "session/scene.h"
#include "session/train_session.h"

#include <stdio.h>
#include <string.h>

#define HELDOUT 256                           /* held-out sequences for mean_loss */
#define HELDOUT_SEED 0x9e3779b97f4a7c15ULL    /* xor'ed into the step's seed */

/* The last trained scene, kept for the steps that only clamp it differently. */
typedef struct trained {
    scene sc;
    gs_lesson_setup ls; /* what it was built and trained from */
    int have;
} trained;

static void trained_free(trained *c) {
    if (c->have) scene_free(&c->sc);
    c->have = 0;
}

/* 1 if a and b differ at most in their clamps. */
static int same_but_clamps(const gs_lesson_setup *a, const gs_lesson_setup *b) {
    gs_lesson_setup x = *a, y = *b;
    x.n_clamps = y.n_clamps = 0;
    return gs_lesson_setup_equal(&x, &y);
}

static int names(const gs_lesson_term *t, const char *q) {
    return !t->is_number && strcmp(t->quantity, q) == 0;
}

/* The step's scene into *out: built (and trained, and clamped) as the window does.
 * A trained scene is owned by the cache (*owned = 0). */
static int step_scene(const gs_lesson_step *st, const char *assets_dir, trained *cache, scene **out,
                      int *owned, scene *local, char *err, size_t err_len) {
    opt_setup setup;
    lesson_setup_to_options(&st->setup, &setup);
    *owned = 0;
    if (st->setup.train <= 0) { /* untrained: built with its clamps, not kept */
        if (scene_build(local, &setup, assets_dir, NULL, err, err_len) != 0) return 1;
        *out = local;
        *owned = 1;
        return 0;
    }
    if (!cache->have || !same_but_clamps(&cache->ls, &st->setup)) {
        trained_free(cache);
        setup.n_clamps = 0; /* trained free; the clamps come after */
        if (scene_build(&cache->sc, &setup, assets_dir, NULL, err, err_len) != 0) return 1;
        cache->have = 1;
        cache->ls = st->setup;
        if (train_session_lesson(&cache->sc, &st->setup, err, err_len) != 0) {
            trained_free(cache);
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

/* Checks one step; returns the number of failures (a scene that cannot be built
 * counts as one). */
static int check_step(const gs_lesson *l, const gs_lesson_step *st, const char *assets_dir,
                      int *n_expects, trained *cache) {
    opt_setup setup;
    scene local, *sc = NULL;
    gs_seq *held[OPT_MAX_VARIANTS];
    char err[512], msg[512];
    int nf = 0, owned = 0, have_held = 0;
    lesson_setup_to_options(&st->setup, &setup);
    if (step_scene(st, assets_dir, cache, &sc, &owned, &local, err, sizeof err) != 0) {
        fprintf(stderr, "%s:%d: this step's scene cannot be built: %s\n", l->name, st->line, err);
        return 1;
    }
    if ((gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) && setup.hidden > 128)
        for (int i = 0; i < sc->n; i++) { /* scene_build skips Jacobians above n = 128 */
            gs_backward_opts bo = { 0 };
            bo.truncate = setup.truncate;
            bo.jacobian = 1;
            gs_seq_backward(sc->seqs[i], &bo, NULL);
        }
    for (int i = 0; i < st->n_expects; i++) {
        const gs_lesson_expect *e = &st->expects[i];
        const gs_seq *const *seqs = (const gs_seq *const *)sc->seqs;
        if (st->setup.train > 0 && (names(&e->lhs, "mean_loss") || names(&e->rhs, "mean_loss"))) {
            if (!have_held) {
                have_held = 1; /* (freed below, made or not) */
                if (heldout_seqs(sc, st->setup.seed, held, err, sizeof err) != 0) {
                    fprintf(stderr, "%s:%d: no held-out sequences: %s\n", l->name, e->line, err);
                    nf++;
                    break;
                }
            }
            seqs = (const gs_seq *const *)held;
        }
        if (!gs_lesson_expect_eval(l, e, setup.variants, seqs, sc->n, msg, sizeof msg)) {
            fprintf(stderr, "%s\n", msg);
            nf++;
        }
    }
    if (have_held)
        for (int i = 0; i < sc->n; i++) gs_seq_destroy(held[i]);
    *n_expects += st->n_expects;
    if (owned) scene_free(sc);
    return nf;
}

int lesson_check_files(char **paths, int n, const char *assets_dir) {
    int failures = 0, steps = 0, expects = 0;
    for (int f = 0; f < n; f++) {
        gs_lesson *l = NULL;
        gs_error e;
        trained cache;
        memset(&cache, 0, sizeof cache);
        if (gs_lesson_load(&l, paths[f], NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            failures++;
            continue;
        }
        for (int s = 0; s < l->n_steps; s++) {
            failures += check_step(l, &l->steps[s], assets_dir, &expects, &cache);
            steps++;
        }
        trained_free(&cache);
        gs_lesson_destroy(l);
    }
    printf("%d lesson%s, %d steps, %d expectations: %s\n", n, n == 1 ? "" : "s", steps, expects,
           failures ? "FAILED" : "all hold");
    if (failures) printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
