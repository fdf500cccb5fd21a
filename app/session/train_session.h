/* train_session.h — train every variant of a scene side by side: the same task, the
 * same data stream (one seed), the same budget.  No threads and no SDL here: the
 * CLI steps it in a loop, the window steps it in a worker (train_worker.h). */
#ifndef GS_APP_TRAIN_SESSION_H
#define GS_APP_TRAIN_SESSION_H

#include "session/scene.h"

typedef struct train_point {
    long iteration;
    double loss;     /* batch mean */
    double success;  /* the task's success measure (NaN if none) */
} train_point;

typedef struct train_session {
    int n;                                  /* variants */
    gs_variant variants[OPT_MAX_VARIANTS];
    gs_model *models[OPT_MAX_VARIANTS];     /* owned copies, trained in place */
    gs_trainer *trainers[OPT_MAX_VARIANTS];
    const gs_task *task;                    /* the scene's (not owned) */
    train_setup setup;
    long iteration;                         /* iterations done (each variant) */
    train_point *history[OPT_MAX_VARIANTS]; /* (iteration) per variant */
    long history_cap;
    long updates[OPT_MAX_VARIANTS];         /* parameter updates made (a non-finite
                                               gradient makes none) per variant */
} train_session;

/* Copies the scene's models (same initial weights as the window shows) and makes a
 * trainer for each.  The scene must outlive the session (its task is shared). */
int train_session_create(train_session *ts, const scene *sc, const train_setup *setup,
                         char *err, size_t err_len);
/* One iteration for every variant; returns 0, or non-zero when the budget is spent. */
int train_session_step(train_session *ts);
/* The mean of the last `window` points of variant i (loss, success). */
train_point train_session_recent(const train_session *ts, int i, long window);
void train_session_free(train_session *ts);
/* Train sc's models in place, side by side, for setup's whole budget (no threads). */
int train_session_run(scene *sc, const train_setup *setup, char *err, size_t err_len);
/* A lesson step's scene once built without its clamps: its models trained as @train
 * says (the --train defaults, setup->train iterations, its learning rate, the step's
 * seed), then the step's clamps set and applied, then the whole pass again.  Without
 * @train, only the clamps.  0, or non-zero with one line in err. */
int train_session_lesson(scene *sc, const gs_lesson_setup *ls, char *err, size_t err_len);
/* Only the clamps part: sc's clamps become the step's, applied, and the pass again. */
int train_session_lesson_clamps(scene *sc, const gs_lesson_setup *ls, char *err, size_t err_len);

/* What lesson steps' @train produced, kept so that another app entering a step that
 * differs from one of them at most in its clamps takes the same trained weights
 * instead of training again (the same setup and seed train the same numbers):
 * --check's look at the layout opens one app per size.  Start it zeroed;
 * train_memo_free.  The oldest is dropped past TRAIN_MEMO_MAX. */
#define TRAIN_MEMO_MAX 8
typedef struct train_memo_entry {
    gs_lesson_setup ls;                 /* the step it was trained for */
    gs_model *models[OPT_MAX_VARIANTS]; /* trained, unclamped */
    int n;
} train_memo_entry;
typedef struct train_memo {
    train_memo_entry e[TRAIN_MEMO_MAX];
    int n;
} train_memo;
void train_memo_free(train_memo *m);
/* train_session_lesson, through m (NULL: none): weights from m when one of its steps
 * differs from ls at most in its clamps, else trained and, when m is given, kept. */
int train_session_lesson_memo(scene *sc, const gs_lesson_setup *ls, train_memo *m, char *err,
                              size_t err_len);

#endif
