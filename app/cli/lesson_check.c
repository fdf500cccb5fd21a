/* lesson_check.c — run every step of every lesson headless and check its
 * expectations against the engine's numbers. */
#include "cli/lesson_check.h"

#include "session/scene.h"

#include <stdio.h>
#include <string.h>

/* Checks one step; returns the number of failures (a scene that cannot be built
 * counts as one). */
static int check_step(const gs_lesson *l, const gs_lesson_step *st, const char *assets_dir,
                      int *n_expects) {
    opt_setup setup;
    scene sc;
    char err[512];
    gs_lesson_failure fails[GS_LESSON_MAX_EXPECTS];
    int nf, shown;
    if (lesson_setup_to_options(&st->setup, l->name, &setup, err, sizeof err) != 0 ||
        scene_build(&sc, &setup, assets_dir, setup.weights[0] ? setup.weights : NULL, err,
                    sizeof err) != 0) {
        fprintf(stderr, "%s:%d: this step's scene cannot be built: %s\n", l->name, st->line, err);
        return 1;
    }
    if ((gs_lesson_step_needs(st) & GS_LESSON_NEEDS_JACOBIAN) && setup.hidden > 128)
        for (int i = 0; i < sc.n; i++) { /* scene_build skips Jacobians above n = 128 */
            gs_backward_opts bo = { 0 };
            bo.truncate = setup.truncate;
            bo.jacobian = 1;
            gs_seq_backward(sc.seqs[i], &bo, NULL);
        }
    nf = gs_lesson_step_check(l, st, setup.variants, (const gs_seq *const *)sc.seqs, sc.n, fails,
                              GS_LESSON_MAX_EXPECTS);
    shown = nf < GS_LESSON_MAX_EXPECTS ? nf : GS_LESSON_MAX_EXPECTS;
    for (int i = 0; i < shown; i++) fprintf(stderr, "%s\n", fails[i].msg);
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
