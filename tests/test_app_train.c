/* test_app_train.c — training in the window, headless: the Train command runs every
 * shown variant in the worker while frames keep coming; the history has one point per
 * iteration, the lstm's loss falls, snapshots load into the scene, pause / resume /
 * reset work, and the training panel fits without overlaps or clipped text at three
 * sizes. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "run/headless.h"
#include "ui/layout.h"
#include "session/options.h"
#include "views/views.h"

static int open_tiny(headless *h, int w, int hh, long iterations) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = w;
    o.height = hh;
    o.at = 10;
    o.setup.task = GS_TASK_ADDING;
    o.setup.length = 10;
    o.setup.hidden = 4;
    o.train.iterations = iterations;
    o.train.lr = 1e-2;
    o.train.batch = 16;
    return harness_open(h, &o);
}

static void pointer(headless *h, input_kind kind, int x, int y) {
    harness_pointer(h, kind, x, y, 0);
    headless_frame(h, 0);
}

/* Frames every 10 ms until training is done (at most 10 s); 0 on time out. */
static int wait_done(headless *h) {
    Uint64 t0 = SDL_GetTicks64();
    while (!h->app.st.train.done) {
        if (SDL_GetTicks64() - t0 > 10000) return 0;
        SDL_Delay(10);
        headless_frame(h, 0.01);
    }
    return 1;
}

/* Frames for ms milliseconds, each told the real time since the last. */
static void frames_for(headless *h, int ms) {
    Uint64 t0 = SDL_GetTicks64(), last = t0;
    while (SDL_GetTicks64() - t0 < (Uint64)ms) {
        Uint64 now;
        SDL_Delay(10);
        now = SDL_GetTicks64();
        headless_frame(h, (double)(now - last) / 1000.0);
        last = now;
    }
}

/* Sum of |a - b| over pane p's parameters against a saved copy. */
static double weight_diff(const headless *h, int p, const gs_real *saved) {
    size_t n;
    const gs_real *P = gs_model_params_const(h->app.st.sc.models[p], &n);
    double d = 0;
    for (size_t i = 0; i < n; i++) d += fabs((double)P[i] - (double)saved[i]);
    return d;
}

static int check_layout(headless *h, const char *what) {
    box leaves[512];
    const char *names[512];
    int n = layout_leaves(&h->app.st.L, leaves, names, 512), overlaps = 0, overflows;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (box_overlap(leaves[i], leaves[j]) && overlaps++ < 5)
                fprintf(stderr, "%s: '%s' overlaps '%s'\n", what, names[i], names[j]);
    CHECK_MSG(overlaps == 0, "%s: %d overlapping boxes", what, overlaps);
    overflows = render_take_overflows(h->app.rc);
    CHECK_MSG(overflows == 0, "%s: %d clipped texts (last: %s)", what, overflows, render_last_overflow(h->app.rc));
    return overlaps + overflows;
}

/* ---- A whole run: history, loss, snapshots, reset --------------------------------- */

static void test_run(void) {
    headless h;
    gs_real *init;
    size_t np;
    int lstm = -1, p;
    const app_state *st = &h.app.st;
    if (open_tiny(&h, 1024, 640, 50) != 0) {
        CHECK(0);
        return;
    }
    for (p = 0; p < st->sc.n; p++)
        if (gs_model_config_of(st->sc.models[p])->variant == GS_LSTM) lstm = p;
    CHECK(lstm >= 0);
    if (lstm < 0) lstm = 0;
    {
        const gs_real *P = gs_model_params_const(st->sc.models[lstm], &np);
        init = malloc(sizeof(gs_real) * np);
        memcpy(init, P, sizeof(gs_real) * np);
    }
    CHECK(!train_active(st) && st->L.train.w == 0);
    send(&h, CMD_TRAIN, 0);
    CHECK(train_active(st));
    CHECK(st->L.train.w > 0 && st->L.plot_loss.w == 0 && st->L.plot_grad.w > 0);
    CHECK(wait_done(&h));
    headless_frame(&h, 0.01);
    CHECK(st->train.n == st->sc.n);
    CHECK(st->train.n_hist == 50);
    for (p = 0; p < st->train.n; p++) CHECK(st->train.hist[p][49].iteration == 50);
    {
        double first = 0, last = 0;
        for (int t = 0; t < 10; t++) {
            first += st->train.hist[lstm][t].loss;
            last += st->train.hist[lstm][40 + t].loss;
        }
        CHECK_MSG(last < first, "lstm loss did not fall: %g -> %g", first / 10, last / 10);
    }
    CHECK(st->train.success_name != NULL && isfinite(st->train.hist[lstm][49].success));
    CHECK(st->train.n_base >= 1 && fabs(st->train.base[0] - 0.167) < 0.01);
    /* the newest snapshot is in the scene: trained weights */
    CHECK(st->train.n_snaps >= 2);
    CHECK(!st->train.pinned && st->train.shown == st->train.n_snaps - 1 && st->train.shown_iter == 50);
    CHECK(weight_diff(&h, lstm, init) > 0);
    check_layout(&h, "1024x640 trained");
    /* scrub back to the first snapshot: the untrained weights */
    for (int k = 0; k < TRAIN_MAX_SNAPSHOTS; k++) send(&h, CMD_SNAPSHOT, -1);
    CHECK(st->train.pinned && st->train.shown == 0 && st->train.shown_iter == 0);
    CHECK(weight_diff(&h, lstm, init) == 0);
    /* and forward again to the newest: live */
    for (int k = 0; k < TRAIN_MAX_SNAPSHOTS; k++) send(&h, CMD_SNAPSHOT, 1);
    CHECK(!st->train.pinned && st->train.shown_iter == 50);
    CHECK(weight_diff(&h, lstm, init) > 0);
    /* the scrubber with the pointer: its left end is the first snapshot */
    {
        box tr = view_train_scrubber(st, st->L.train);
        pointer(&h, IN_POINTER_DOWN, tr.x + 1, tr.y + tr.h / 2);
        CHECK(st->train.dragging && st->train.pinned && st->train.shown == 0);
        pointer(&h, IN_POINTER_MOVE, tr.x + tr.w - 1, tr.y + tr.h / 2);
        CHECK(!st->train.pinned && st->train.shown == st->train.n_snaps - 1);
        pointer(&h, IN_POINTER_UP, tr.x + tr.w - 1, tr.y + tr.h / 2);
        CHECK(!st->train.dragging);
    }
    check_layout(&h, "1024x640 scrubbed");
    /* reset: the untrained scene, the plots back */
    send(&h, CMD_TRAIN_RESET, 0);
    CHECK(!train_active(st) && st->L.train.w == 0 && st->L.plot_loss.w > 0);
    CHECK(weight_diff(&h, lstm, init) == 0);
    free(init);
    headless_close(&h);
}

/* ---- Pause and resume; a setup change stops training ------------------------------ */

static void test_pause(void) {
    headless h;
    const app_state *st = &h.app.st;
    long a, b;
    if (open_tiny(&h, 1600, 1000, 10000000) != 0) {
        CHECK(0);
        return;
    }
    send(&h, CMD_TRAIN, 0);
    frames_for(&h, 400);
    CHECK(st->train.iteration > 0);
    send(&h, CMD_TRAIN, 0); /* pause */
    CHECK(st->train.paused);
    frames_for(&h, 300);
    a = st->train.iteration;
    frames_for(&h, 400);
    b = st->train.iteration;
    CHECK_MSG(a == b, "paused, yet %ld -> %ld", a, b);
    check_layout(&h, "1600x1000 paused");
    send(&h, CMD_TRAIN, 0); /* resume */
    CHECK(!st->train.paused);
    frames_for(&h, 500);
    CHECK(st->train.iteration > b);
    CHECK(st->train.rate > 0);
    /* a setup change rebuilds the scene: training stops first (no dangling task) */
    send(&h, CMD_HIDDEN, 1);
    headless_frame(&h, 0.01);
    CHECK(!train_active(st));
    headless_close(&h); /* also fine while training: tested by closing mid-run below */
    if (open_tiny(&h, 1024, 640, 10000000) != 0) {
        CHECK(0);
        return;
    }
    send(&h, CMD_TRAIN, 0);
    frames_for(&h, 100);
    headless_close(&h);
}

/* ---- Big cells: live loads skip the Jacobians, a still view gets them ------------ */

static void test_live_jacobians(void) {
    headless h;
    const app_state *st = &h.app.st;
    options o;
    char err[512];
    int rnn = -1;
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    o.at = 10;
    o.setup.task = GS_TASK_ADDING;
    o.setup.length = 10;
    o.setup.hidden = 48;
    o.train.iterations = 10000000;
    if (headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "headless_open: %s\n", err);
        CHECK(0);
        return;
    }
    for (int p = 0; p < st->sc.n; p++)
        if (gs_model_config_of(st->sc.models[p])->variant == GS_RNN) rnn = p;
    CHECK(rnn >= 0);
    send(&h, CMD_TRAIN, 0);
    for (int k = 0; k < 50 && st->train.shown < 1; k++) frames_for(&h, 100); /* a live load */
    CHECK(st->train.shown >= 1 && st->train.jac_stale);
    send(&h, CMD_TRAIN, 0); /* pause: the view holds still */
    headless_frame(&h, 0.01);
    CHECK(!st->train.jac_stale);
    if (rnn >= 0) CHECK(isfinite(state_jac_sigma(st, rnn, 5)));
    headless_close(&h);
}

/* ---- The panel at three sizes, mid-run -------------------------------------------- */

/* ---- Snapshots over the whole run ---------------------------------------------- */

/* A two-minute run at `rate` iterations per second, published as the worker does (on
 * the log schedule and every 150 ms, one dropped when full): the snapshots reach from
 * iteration 0 to the end with no gap wider than ~30% on a log axis, so the moment
 * learning starts (around 500 for the GRU on adding) can be scrubbed to. */
static void snapshot_schedule(double rate) {
    long it[TRAIN_MAX_SNAPSHOTS], end = (long)(120 * rate), next = 1, tick = (long)(0.15 * rate);
    int n = 1, near500 = 0;
    double worst = 0;
    it[0] = 0;
    if (tick < 1) tick = 1;
    for (long i = 1; i <= end; i++) {
        if (i % tick != 0 && i < next && i != end) continue;
        if (n == TRAIN_MAX_SNAPSHOTS) {
            int k = train_snapshot_to_drop(it, n);
            CHECK(k >= 1 && k <= n - 2);
            if (k < 1) return;
            memmove(&it[k], &it[k + 1], sizeof *it * (size_t)(n - k - 1));
            n--;
        }
        it[n++] = i;
        while (next <= i) next = train_snapshot_next(next);
    }
    CHECK(n == TRAIN_MAX_SNAPSHOTS && it[0] == 0 && it[n - 1] == end);
    CHECK(it[1] <= 5); /* not 1,532 */
    for (int k = 1; k < n; k++) {
        double gap = log((double)(it[k] + 10) / (double)(it[k - 1] + 10));
        if (gap > worst) worst = gap;
        if (it[k] >= 300 && it[k] <= 700) near500++;
    }
    CHECK(worst < log(1.3));
    CHECK(near500 >= 2);
    printf("snapshots at %.0f it/s: %ld iterations, 2nd at %ld, widest log gap x%.3f, %d in "
           "300..700\n", rate, end, it[1], exp(worst), near500);
}

static void test_snapshots(void) {
    CHECK(train_snapshot_next(0) == 1 && train_snapshot_next(1) == 2 && train_snapshot_next(10) == 12);
    CHECK(train_snapshot_next(1000) == 1200);
    {
        long three[3] = { 0, 5, 9 }, four[4] = { 0, 100, 101, 1000 };
        CHECK(train_snapshot_to_drop(three, 2) == -1);
        CHECK(train_snapshot_to_drop(three, 3) == 1);
        CHECK(train_snapshot_to_drop(four, 4) == 1 || train_snapshot_to_drop(four, 4) == 2);
    }
    snapshot_schedule(25);   /* a big cell */
    snapshot_schedule(115);  /* four small ones (docs/window.md) */
    snapshot_schedule(2000); /* one tiny one */
    /* and the worker itself: a whole run keeps its first iterations */
    {
        headless h;
        app_state *st = &h.app.st;
        if (open_tiny(&h, 1024, 640, 600) != 0) { /* quick, under ASan too */
            CHECK(0);
            return;
        }
        send(&h, CMD_TRAIN, 0);
        CHECK(wait_done(&h));
        headless_frame(&h, 0.6);
        CHECK(st->train.n_snaps >= 20 && st->train.snap_iter[0] == 0);
        CHECK(st->train.n_snaps >= 2 && st->train.snap_iter[1] <= 5);
        CHECK(st->train.snap_iter[st->train.n_snaps - 1] == 600);
        headless_close(&h);
    }
}

static void test_sizes(void) {
    static const int sizes[3][2] = { { 1024, 640 }, { 1600, 1000 }, { 3840, 2160 } };
    for (int k = 0; k < 3; k++) {
        headless h;
        char what[64], path[512], err[256];
        if (open_tiny(&h, sizes[k][0], sizes[k][1], 200) != 0) {
            CHECK(0);
            continue;
        }
        send(&h, CMD_TRAIN, 0);
        CHECK(wait_done(&h));
        headless_frame(&h, 0.6);
        snprintf(what, sizeof what, "%dx%d training", sizes[k][0], sizes[k][1]);
        check_layout(&h, what);
        CHECK(h.app.st.L.train.x >= 0 && h.app.st.L.train.x + h.app.st.L.train.w <= sizes[k][0]);
        send(&h, CMD_SNAPSHOT, -1);
        send(&h, CMD_SNAPSHOT, -1);
        snprintf(what, sizeof what, "%dx%d scrubbed", sizes[k][0], sizes[k][1]);
        check_layout(&h, what);
        snprintf(path, sizeof path, "%s/app_train_%dx%d.png", GS_BINARY_DIR, sizes[k][0], sizes[k][1]);
        CHECK(headless_save(&h, path, err, sizeof err) == 0);
        headless_close(&h);
    }
}

int main(void) {
    test_run();
    test_pause();
    test_live_jacobians();
    test_sizes();
    test_snapshots();
    return check_result("test_app_train");
}
