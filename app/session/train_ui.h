/* train_ui.h — what the window holds of a training run: the worker, the loss history
 * copied from it, the published snapshots and which one the scene shows.  It lives in
 * app_state (st->train); session/train_window.c fills it, views/view_train.c draws it.
 * Types and two helpers that touch nothing else, so the state can embed it. */
#ifndef GS_APP_TRAIN_UI_H
#define GS_APP_TRAIN_UI_H

#include "session/train_worker.h"

#define TRAIN_UI_BASELINES 4

typedef struct train_ui {
    train_worker *w;            /* NULL: not training (the panel is not shown) */
    int n;                      /* variants trained (the scene's panes) */
    gs_variant variants[OPT_MAX_VARIANTS];
    long total;                 /* the budget (iterations) */
    long n_hist;                /* points copied into hist */
    train_point *hist[OPT_MAX_VARIANTS];
    gs_real *init[OPT_MAX_VARIANTS]; /* the untrained weights (Reset restores them) */
    long iteration;             /* published iterations */
    int paused, done;
    double rate;                /* iterations per second (smoothed) */
    double rate_clock;          /* seconds since the last rate sample */
    long rate_iter;             /* iteration at the last rate sample */
    int n_snaps;
    long snap_iter[TRAIN_MAX_SNAPSHOTS];
    int shown;                  /* snapshot loaded in the scene (-1 none) */
    long shown_iter;            /* ... and its iteration */
    int pinned;                 /* scrubbed back: the live update leaves the view alone */
    int dragging;               /* the scrubber is being dragged */
    double since_load;          /* seconds since the last live snapshot load */
    int jac_stale;              /* the last load skipped the Jacobians (redo when still) */
    int n_base;
    double base[TRAIN_UI_BASELINES];
    const char *base_name[TRAIN_UI_BASELINES];
    const char *success_name;   /* NULL if the task has none */
} train_ui;

/* Free the copies and zero u (shown = -1); the worker must be stopped already. */
void train_ui_clear(train_ui *u);
/* Stop the worker and clear u, leaving the scene's weights as they are.  Returns 1 if
 * it was training, 0 (and nothing done) if not. */
int train_ui_stop(train_ui *u);

#endif
