/* train_window.c — training in the window: the Train / Pause / Reset / Snapshot
 * commands, the per-frame poll of the worker (never a wait), live snapshot loads into
 * the scene, and the snapshot scrubber under the pointer.  The panel that shows all
 * this is views/view_train.c. */
#include "session/train_window.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_LOAD_SECONDS 0.5

int train_active(const app_state *st) { return st->train.w != NULL; }

int train_running(const app_state *st) {
    return st->train.w != NULL && !st->train.paused && !st->train.done;
}

const char *train_button_label(const app_state *st) {
    const train_ui *u = &st->train;
    if (!u->w) return "Train";
    if (u->done) return "Trained";
    return u->paused ? "Resume" : "Pause";
}

static void say(app_state *st, const char *msg) {
    snprintf(st->toast, sizeof st->toast, "%s", msg);
    st->toast_left = 3.0;
}

/* Live loads on big cells skip the Jacobians (O(n^3) a step: ~150 ms at n = 128 on
 * the UI thread); they are computed once the view holds still. */
#define LIVE_JACOBIAN_MAX_HIDDEN 32

static int view_moving(const app_state *st) {
    const train_ui *u = &st->train;
    return u->dragging || (train_running(st) && !u->pinned);
}

/* The scene's weights changed: run the probe sequence again (Jacobians unless the
 * view is moving and they are expensive) and refresh what the state keeps from a full
 * pass (per-step Jacobian numbers), then let the engine sync back to the cursor. */
static void scene_changed(app_state *st) {
    int T = st->sc.length;
    int jac = st->sc.setup.hidden <= 128 &&
              (st->sc.setup.hidden <= LIVE_JACOBIAN_MAX_HIDDEN || !view_moving(st));
    for (int i = 0; i < st->sc.n; i++) {
        gs_backward_opts bo;
        memset(&bo, 0, sizeof bo);
        bo.truncate = st->sc.setup.truncate;
        bo.jacobian = jac;
        gs_seq_rewind(st->sc.seqs[i]);
        gs_seq_forward(st->sc.seqs[i], st->sc.length);
        gs_seq_backward(st->sc.seqs[i], &bo, NULL);
    }
    st->train.jac_stale = !jac && st->sc.setup.hidden <= 128;
    for (int i = 0; i < st->sc.n && i < LAYOUT_MAX_PANES; i++) {
        if (!st->jac_sigma[i] || !st->shrink[i]) continue;
        for (int t = 1; t <= T; t++) {
            const gs_step_stats *ss = gs_seq_stats(st->sc.seqs[i], t);
            st->jac_sigma[i][t] = ss ? ss->jac_sigma : (double)NAN;
            st->shrink[i][t] = ss ? ss->shrink : (double)NAN;
        }
    }
    st->engine_steps = -1; /* the seqs hold all T steps now: sync_engine rewinds */
    st->view_gen++;
}

static void load(app_state *st, int k) {
    train_ui *u = &st->train;
    long it = train_worker_snapshot_iteration(u->w, k);
    if (it < 0 || train_worker_load_snapshot(u->w, k, &st->sc) != 0) return;
    u->shown = k;
    u->shown_iter = it;
    st->weights_trained = it > 0; /* snapshot 0 is the weights training started from */
    scene_changed(st);
}

/* Stop the worker (the panel goes away), leaving the scene's weights as they are. */
static void stop(app_state *st) {
    if (!train_ui_stop(&st->train)) return;
    st->layout_dirty = 1;
    st->view_gen++;
}

static void start(app_state *st) {
    train_ui *u = &st->train;
    train_setup ts = st->opts.train;
    char err[256], msg[200];
    int i;
    if (!st->have_scene || st->sc.n < 1) return;
    ts.seed = st->setup.seed; /* the scene's seed: the same data stream for every variant */
    if (ts.iterations < 1) ts.iterations = 1;
    train_ui_clear(u);
    u->n = st->sc.n;
    u->total = ts.iterations;
    for (i = 0; i < u->n; i++) {
        size_t np;
        const gs_real *P = gs_model_params_const(st->sc.models[i], &np);
        u->variants[i] = gs_model_config_of(st->sc.models[i])->variant;
        u->hist[i] = malloc(sizeof(train_point) * (size_t)u->total);
        u->init[i] = malloc(sizeof(gs_real) * (np ? np : 1));
        if (!u->hist[i] || !u->init[i]) {
            train_ui_clear(u);
            say(st, "cannot train: out of memory");
            return;
        }
        memcpy(u->init[i], P, sizeof(gs_real) * np);
    }
    u->n_base = gs_task_baselines(st->sc.task, u->base, u->base_name, TRAIN_UI_BASELINES);
    if (u->n_base < 0) u->n_base = 0;
    if (u->n_base > TRAIN_UI_BASELINES) u->n_base = TRAIN_UI_BASELINES;
    u->success_name = gs_task_success_name(st->sc.task);
    u->w = train_worker_start(&st->sc, &ts, err, sizeof err);
    if (!u->w) {
        train_ui_clear(u);
        snprintf(msg, sizeof msg, "cannot train: %.180s", err);
        say(st, msg);
        return;
    }
    st->layout_dirty = 1;
    st->view_gen++;
    snprintf(msg, sizeof msg, "training %d variant%s for %ld iterations: G pauses, Shift+G resets",
             u->n, u->n == 1 ? "" : "s", u->total);
    say(st, msg);
}

static void reset(app_state *st) {
    train_ui *u = &st->train;
    gs_real *init[OPT_MAX_VARIANTS];
    int n = u->n;
    if (!u->w) {
        say(st, "not training: G starts training");
        return;
    }
    /* keep the untrained weights past stop() (it frees the ui) */
    for (int i = 0; i < n; i++) {
        init[i] = u->init[i];
        u->init[i] = NULL;
    }
    stop(st);
    for (int i = 0; i < n && i < st->sc.n; i++) {
        size_t np;
        gs_real *P = gs_model_params(st->sc.models[i], &np);
        if (init[i]) memcpy(P, init[i], sizeof(gs_real) * np);
        free(init[i]);
    }
    st->weights_trained = 0;
    scene_changed(st);
    say(st, "training reset: the untrained weights are back");
}

static void snapshot_step(app_state *st, int dir) {
    train_ui *u = &st->train;
    int k;
    if (!u->w || u->n_snaps < 1) return;
    k = (u->pinned ? u->shown : u->n_snaps - 1) + (dir < 0 ? -1 : 1);
    if (k < 0) k = 0;
    if (k >= u->n_snaps - 1) {
        k = u->n_snaps - 1;
        u->pinned = 0; /* the newest: follow training live again */
    } else {
        u->pinned = 1;
    }
    if (k != u->shown || train_worker_snapshot_iteration(u->w, k) != u->shown_iter) load(st, k);
}

void train_command(app_state *st, cmd_id cmd, int arg) {
    train_ui *u = &st->train;
    switch (cmd) {
    case CMD_TRAIN:
        if (!u->w) {
            start(st);
        } else if (u->done) {
            say(st, "training finished: Shift+G restores the untrained weights");
        } else {
            u->paused = !u->paused;
            train_worker_set_paused(u->w, u->paused);
            say(st, u->paused ? "training paused: G resumes" : "training resumed");
            st->view_gen++;
        }
        break;
    case CMD_TRAIN_RESET: reset(st); break;
    case CMD_SNAPSHOT: snapshot_step(st, arg); break;
    default: break;
    }
}

void train_update(app_state *st, double dt) {
    train_ui *u = &st->train;
    long it;
    int done, n;
    if (!u->w) return;
    it = train_worker_iteration(u->w);
    if (it != u->n_hist) {
        for (int i = 0; i < u->n; i++) {
            long got = train_worker_history(u->w, i, u->hist[i], u->total);
            if (i == 0) u->n_hist = got;
        }
    }
    u->iteration = u->n_hist;
    /* speed: iterations per second over the last half second, smoothed */
    u->rate_clock += dt;
    if (u->rate_clock >= 0.5) {
        double r = (double)(it - u->rate_iter) / u->rate_clock;
        u->rate = u->rate > 0 ? 0.5 * u->rate + 0.5 * r : r;
        u->rate_clock = 0;
        u->rate_iter = it;
    }
    done = train_worker_done(u->w);
    u->paused = train_worker_paused(u->w);
    n = train_worker_snapshot_count(u->w);
    for (int k = 0; k < n && k < TRAIN_MAX_SNAPSHOTS; k++)
        u->snap_iter[k] = train_worker_snapshot_iteration(u->w, k);
    u->n_snaps = n;
    if (u->jac_stale && !view_moving(st)) scene_changed(st); /* the view holds still now */
    if (u->pinned) {
        /* thinning may have moved (or dropped) the pinned snapshot: follow it */
        int best = 0;
        for (int k = 1; k < n; k++)
            if (labs(u->snap_iter[k] - u->shown_iter) < labs(u->snap_iter[best] - u->shown_iter)) best = k;
        u->shown = best;
    } else if (n > 0) {
        u->since_load += dt;
        if ((u->since_load >= LIVE_LOAD_SECONDS || (done && !u->done)) &&
            u->snap_iter[n - 1] != u->shown_iter) {
            load(st, n - 1);
            u->since_load = 0;
        }
    }
    if (done != u->done) {
        u->done = done;
        u->rate = 0;
        st->view_gen++;
    }
}

/* ---- The snapshot scrubber ------------------------------------------------------- */

static int snap_at(const app_state *st, box track, int x) {
    const train_ui *u = &st->train;
    long k;
    if (u->n_snaps < 2 || track.w <= 0) return u->n_snaps - 1;
    k = lround((double)(x - track.x) * (double)(u->n_snaps - 1) / (double)track.w);
    return (int)(k < 0 ? 0 : k > u->n_snaps - 1 ? u->n_snaps - 1 : k);
}

int train_pointer(app_state *st, input_kind kind, int x, int y) {
    train_ui *u = &st->train;
    box track;
    int k;
    if (!u->w || st->L.train.w <= 0) return 0;
    track = layout_train_panel(&st->L, st->L.train).scrub;
    switch (kind) {
    case IN_POINTER_DOWN:
        /* the track and the caption under it are one target */
        if (!box_contains((box){ track.x, track.y, track.w, track.h + st->L.font_px[FONT_SMALL] + st->L.pad }, x, y))
            return 0;
        u->dragging = 1;
        break;
    case IN_POINTER_MOVE:
        if (!u->dragging) return 0;
        break;
    case IN_POINTER_UP:
        if (!u->dragging) return 0;
        u->dragging = 0;
        return 1;
    default: return 0;
    }
    if (u->n_snaps < 1) return 1;
    k = snap_at(st, track, x);
    u->pinned = k < u->n_snaps - 1;
    if (k != u->shown || u->snap_iter[k] != u->shown_iter) load(st, k);
    return 1;
}
