/* view_train.h — training in the window.  The Train command starts a train_worker
 * (train_worker.h) on every shown variant at once; each update polls it (never
 * waits), copies the loss history, and every ~0.5 s loads the newest published
 * snapshot into the scene so the probe sequence's views follow the learning.  The
 * snapshot scrubber (a second time axis) pins an older snapshot instead.
 *
 * train_ui lives in app_state; train_* functions that change it are called from
 * state.c (commands, pointer, update); view_train draws from `const app_state *`. */
#ifndef GS_APP_VIEW_TRAIN_H
#define GS_APP_VIEW_TRAIN_H

#include "ui/layout.h"
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

struct app_state;
struct render_ctx;

/* ---- State side (state.c calls these) --------------------------------------------- */
/* CMD_TRAIN (start / pause / resume), CMD_TRAIN_RESET, CMD_SNAPSHOT (arg -1 / +1). */
void train_command(struct app_state *st, int cmd, int arg);
/* Poll the worker (never waits), copy the history, load snapshots.  Call every
 * update; cheap when not training. */
void train_update(struct app_state *st, double dt);
/* Pointer on the scrubber: returns 1 if the event was the training panel's. */
int train_pointer(struct app_state *st, int kind, int x, int y);
/* Stop the worker and free everything, leaving the scene's weights as they are (the
 * scene is about to be replaced or freed).  Safe when not training. */
void train_stop(struct app_state *st);
/* 1 while the training panel is shown. */
int train_active(const struct app_state *st);
/* 1 while the worker is training (not paused, budget not spent): redraw each frame. */
int train_running(const struct app_state *st);
/* The Train button's label: "Train", "Pause", "Resume" or "Trained". */
const char *train_button_label(const struct app_state *st);

/* ---- Drawing (view_train.c) ------------------------------------------------------- */
void view_train(struct render_ctx *rc, const struct app_state *st, box b);
/* The scrubber track inside panel b (what view_train draws and the pointer hits). */
box view_train_scrubber(const struct app_state *st, box b);

#endif
