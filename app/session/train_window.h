/* train_window.h — training in the window.  The Train command starts a train_worker
 * (session/train_worker.h) on every shown variant at once; each update polls it
 * (never waits), copies the loss history into st->train (session/train_ui.h), and
 * every ~0.5 s loads the newest published snapshot into the scene so the probe
 * sequence's views follow the learning.  The snapshot scrubber (a second time axis,
 * layout_train_panel) pins an older snapshot instead.  views/view_train.c draws it. */
#ifndef GS_APP_TRAIN_WINDOW_H
#define GS_APP_TRAIN_WINDOW_H

#include "session/state.h"

/* CMD_TRAIN (start / pause / resume), CMD_TRAIN_RESET, CMD_SNAPSHOT (arg -1 / +1). */
void train_command(app_state *st, cmd_id cmd, int arg);
/* Poll the worker (never waits), copy the history, load snapshots.  Call every
 * update; cheap when not training. */
void train_update(app_state *st, double dt);
/* Pointer on the scrubber (kind: IN_POINTER_DOWN / MOVE / UP): returns 1 if the event
 * was the training panel's. */
int train_pointer(app_state *st, input_kind kind, int x, int y);
/* 1 while the training panel is shown. */
int train_active(const app_state *st);
/* 1 while the worker is training (not paused, budget not spent): redraw each frame. */
int train_running(const app_state *st);
/* The Train button's label: "Train", "Pause", "Resume" or "Trained". */
const char *train_button_label(const app_state *st);

#endif
