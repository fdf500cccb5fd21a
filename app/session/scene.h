/* scene.h — the engine objects behind one comparison: a task, and one model and one
 * sequence per variant, all from the same seed and input.  Built from opt_setup;
 * rebuilt whole when the setup changes.  Used by the CLI (--trace) and the window. */
#ifndef GS_APP_SCENE_H
#define GS_APP_SCENE_H

#include "gatescope_lesson.h"
#include "session/options.h"

typedef struct scene {
    opt_setup setup;                 /* what this scene was built from */
    gs_task *task;
    int length;                      /* T actually used */
    int n;                           /* panes */
    gs_model *models[OPT_MAX_VARIANTS];
    gs_seq *seqs[OPT_MAX_VARIANTS];
    char *corpus;                    /* text task corpus (owned) */
    gs_real *gen_x;                  /* the generated input (T, m): edited steps differ */
} scene;

/* Build every model and sequence, run forward over the whole sequence and backward
 * from its loss (truncated as setup says; Jacobians when n <= 128).  assets_dir is
 * where assets/text/corpus.txt lives (text task).  load_weights (or NULL): a
 * FILE.json for the matching variant, or a DIR with <variant>.json files.
 * Refuses, before allocating, a scene that does not fit the memory (session/budget.h).
 * On failure writes one line into err and returns non-zero; sc is left empty. */
int scene_build(scene *sc, const opt_setup *setup, const char *assets_dir,
                const char *load_weights, char *err, size_t err_len);
/* Set every model's clamps to sc->setup.clamps (those of its variant, in order),
 * freeing the others; the caller recomputes.  0, or non-zero with one line in err. */
int scene_apply_clamps(scene *sc, char *err, size_t err_len);
/* scene_build for a training run of train: the budget check covers the training too
 * (a copy of each model and its trainer), before any model is made. */
int scene_build_to_train(scene *sc, const opt_setup *setup, const train_setup *train,
                         const char *assets_dir, const char *load_weights, char *err,
                         size_t err_len);
/* Re-run forward and backward (after weights changed). */
void scene_recompute(scene *sc);
void scene_free(scene *sc);

/* The setup a lesson step describes, as the window and the checker build it.  Its
 * @weights is read from the folder of lesson_path (the lesson's file) unless it is
 * absolute.  0 on success; 1 with a one-line message in err when the weights path or
 * the typed text does not fit opt_setup's buffers. */
int lesson_setup_to_options(const gs_lesson_setup *ls, const char *lesson_path, opt_setup *out,
                            char *err, size_t err_len);
/* 1 if the lesson setups a and b differ at most in their clamps (a trained scene can
 * then be reused, clamped anew). */
int lesson_setup_same_but_clamps(const gs_lesson_setup *a, const gs_lesson_setup *b);

#endif
