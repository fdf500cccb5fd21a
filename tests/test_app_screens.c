/* test_app_screens.c — a fixed set of headless screenshots: the default scene at three
 * cursors, the backward walk, hover over a cell, the diagram, a plot and a button,
 * the help, the "computing" frame, two other setups, a lesson step, presenter mode,
 * the list of lessons and the training panel (live and scrubbed back), each at
 * 1600x1000 and 1024x640.
 *   test_app_screens          (ctest) each is drawn twice from a fresh start and must
 *                             come out pixel-identical: a picture is a function of the
 *                             scene, so comparing two trees' pictures means something;
 *   test_app_screens DIR      also writes them as DIR/NAME-WxH.png (scripts/screens.sh
 *                             compares two such directories pixel for pixel). */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "run/headless.h"
#include "session/options.h"

#define LESSONS GS_SOURCE_DIR "/lessons/"

/* ---- Driving ---------------------------------------------------------------------- */

static void base_options(options *o, int w, int hh) {
    options_default(o);
    o->headless = 1;
    o->width = w;
    o->height = hh;
}

static void pointer(headless *h, input_kind kind, int x, int y) { harness_pointer(h, kind, x, y, 0); }

/* Move the pointer to (x, y) and draw. */
static void hover_at(headless *h, int x, int y) {
    pointer(h, IN_POINTER_MOVE, x, y);
    headless_frame(h, 0);
}

static box centre_of(box b) { return (box){ b.x + b.w / 2, b.y + b.h / 2, 0, 0 }; }

/* ---- The scenes (each opens h, drives it and leaves the frame to be saved) --------- */

static int scene_start(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    return harness_open(h, &o);
}

static int scene_step25(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.at = 25;
    return harness_open(h, &o);
}

static int scene_end(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.at = 50;
    return harness_open(h, &o);
}

/* The backward playhead walked eight steps back from the loss at step 50. */
static int scene_backward_walk(headless *h, int w, int hh) {
    if (scene_end(h, w, hh) != 0) return 1;
    send(h, CMD_BACK_LOSS, 0);
    for (int i = 0; i < 8; i++) send(h, CMD_BACK_WALK, -1);
    return 0;
}

/* The walk, and the pointer on a revealed gradient cell of pane 1 (its tooltip). */
static int scene_backward_hover(headless *h, int w, int hh) {
    const app_state *st = &h->app.st;
    const pane_box *P;
    box c;
    if (scene_backward_walk(h, w, hh) != 0) return 1;
    P = &st->L.pane[1];
    c = layout_cell(P->strip[P->n_strips - 1], st->setup.hidden, state_T(st), 3, 46);
    hover_at(h, c.x + c.w / 2, c.y + c.h / 2);
    CHECK(st->hover.kind == HOV_CELL);
    return 0;
}

/* The pointer on a gate of proto's diagram (found by scanning the diagram's box). */
static int scene_hover_diagram(headless *h, int w, int hh) {
    const app_state *st = &h->app.st;
    box d;
    if (scene_step25(h, w, hh) != 0) return 1;
    d = st->L.pane[1].diagram;
    for (int y = d.y; y < d.y + d.h; y += 3)
        for (int x = d.x; x < d.x + d.w; x += 3) {
            pointer(h, IN_POINTER_MOVE, x, y);
            app_update(&h->app, 0);
            if (st->hover.kind == HOV_DIAGRAM && st->hover.part >= 0 && st->hover.part < 8) {
                headless_frame(h, 0);
                return 0;
            }
        }
    CHECK_MSG(0, "no gate found in proto's diagram at %dx%d", w, hh);
    return 0;
}

static int scene_hover_plot(headless *h, int w, int hh) {
    const app_state *st = &h->app.st;
    box c;
    if (scene_end(h, w, hh) != 0) return 1;
    c = centre_of(st->L.plot_grad);
    hover_at(h, c.x, c.y);
    CHECK(st->hover.kind == HOV_PLOT);
    return 0;
}

static int scene_hover_button(headless *h, int w, int hh) {
    const app_state *st = &h->app.st;
    if (scene_step25(h, w, hh) != 0) return 1;
    for (int i = 0; i < st->L.n_buttons; i++)
        if (st->L.button[i].cmd == CMD_STEP) {
            box c = centre_of(st->L.button[i].b);
            hover_at(h, c.x, c.y);
        }
    CHECK(st->hover.kind == HOV_BUTTON);
    return 0;
}

static int scene_help(headless *h, int w, int hh) {
    if (scene_step25(h, w, hh) != 0) return 1;
    send(h, CMD_HELP, 0);
    return 0;
}

/* A setup change drawn before it is built: the "computing" frame. */
static int scene_busy(headless *h, int w, int hh) {
    app_input in;
    if (scene_step25(h, w, hh) != 0) return 1;
    memset(&in, 0, sizeof in);
    in.kind = IN_COMMAND;
    in.cmd = CMD_HIDDEN;
    in.arg = 1;
    app_event(&h->app, &in);
    app_draw(&h->app.st, h->app.rc, h->app.vc);
    SDL_RenderFlush(h->r);
    return 0;
}

/* Two other cells (the normalisation, the peepholes), light theme, the other palette,
 * log magnitudes, per-pane scales. */
static int scene_light_log(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.setup.n_variants = 2;
    o.setup.variants[0] = GS_NORM;
    o.setup.variants[1] = GS_PEEPHOLE;
    o.at = 30;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_THEME, 0);
    send(h, CMD_PALETTE, 0);
    send(h, CMD_LOG, 0);
    send(h, CMD_SCALE, 0);
    return 0;
}

/* One wide pane: the GRU on the sine task, walked back to the start. */
static int scene_one_pane(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.setup.n_variants = 1;
    o.setup.variants[0] = GS_GRU;
    o.setup.task = GS_TASK_SINE;
    o.setup.length = 40;
    o.at = 40;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_BACK_WALK, -1);
    send(h, CMD_BACK_WALK, -1);
    return 0;
}

/* Lesson 2, its third step (a spotlight, the narrative panel). */
static int scene_lesson(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.lesson_path = LESSONS "02-vanishing-exploding.lesson";
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_LESSON_NEXT, 1);
    send(h, CMD_LESSON_NEXT, 1);
    return 0;
}

static int scene_present(headless *h, int w, int hh) {
    options o;
    base_options(&o, w, hh);
    o.lesson_path = LESSONS "03-bptt-truncation.lesson";
    o.present = 1;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_LESSON_NEXT, 1);
    return 0;
}

/* The list of shipped lessons, the pointer on its second row. */
static int scene_lesson_list(headless *h, int w, int hh) {
    if (scene_start(h, w, hh) != 0) return 1;
    send(h, CMD_LESSONS, 0);
    send(h, CMD_LESSON_NEXT, 1);
    return 0;
}

/* Train 60 iterations: each one publishes a snapshot (the budget is under 64), so the
 * snapshots do not depend on timing; frames start once the worker is done. */
static int scene_train(headless *h, int w, int hh) {
    options o;
    Uint64 t0;
    base_options(&o, w, hh);
    o.at = 10;
    o.setup.length = 10;
    o.setup.hidden = 4;
    o.train.iterations = 60;
    o.train.lr = 1e-2;
    o.train.batch = 16;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_TRAIN, 0);
    t0 = SDL_GetTicks64();
    while (h->app.st.train.w && !train_worker_done(h->app.st.train.w)) {
        if (SDL_GetTicks64() - t0 > 20000) {
            CHECK_MSG(0, "training did not finish in 20 s");
            return 1;
        }
        SDL_Delay(5);
    }
    headless_frame(h, 0.6); /* the newest snapshot */
    headless_frame(h, 0);   /* ... with its Jacobians, the view now still */
    CHECK(h->app.st.train.done);
    return 0;
}

/* The training panel scrubbed back to the first snapshot (the untrained weights). */
static int scene_train_scrubbed(headless *h, int w, int hh) {
    const app_state *st = &h->app.st;
    box tr;
    if (scene_train(h, w, hh) != 0) return 1;
    tr = view_train_scrubber(st, st->L.train);
    pointer(h, IN_POINTER_DOWN, tr.x, tr.y + tr.h / 2);
    headless_frame(h, 0);
    pointer(h, IN_POINTER_UP, tr.x, tr.y + tr.h / 2);
    headless_frame(h, 0);
    CHECK(st->train.pinned && st->train.shown == 0);
    return 0;
}

/* The sequence track: hovered at the adding task's loss step (every variant's y). */
static int scene_track_hover(headless *h, int w, int hh) {
    options o;
    box c;
    base_options(&o, w, hh);
    o.at = 50;
    if (harness_open(h, &o) != 0) return 1;
    c = layout_cell(h->app.st.L.pane[1].track_row[TRACK_OUT], 1, state_T(&h->app.st), 0, 50);
    hover_at(h, c.x + c.w / 2, c.y + c.h / 2);
    return 0;
}

/* The echo task, a bit flipped on the track (every pane recomputed), high contrast. */
static int scene_track_edit(headless *h, int w, int hh) {
    options o;
    box c;
    base_options(&o, w, hh);
    o.setup.task = GS_TASK_ECHO;
    o.at = 30;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_THEME, 0);
    send(h, CMD_THEME, 0);
    c = layout_cell(h->app.st.L.pane[0].track_row[TRACK_IN], 1, state_T(&h->app.st), 0, 27);
    pointer(h, IN_POINTER_MOVE, c.x + c.w / 2, c.y + c.h / 2);
    pointer(h, IN_POINTER_DOWN, c.x + c.w / 2, c.y + c.h / 2);
    pointer(h, IN_POINTER_UP, c.x + c.w / 2, c.y + c.h / 2);
    headless_frame(h, 0);
    CHECK(h->app.st.toast[0] != '\0');
    return 0;
}

/* The typed task in two panes, light theme, with its text field open. */
static int scene_typed_field(headless *h, int w, int hh) {
    options o;
    app_input in;
    base_options(&o, w, hh);
    o.setup.n_variants = 2;
    o.setup.variants[0] = GS_GRU;
    o.setup.variants[1] = GS_LSTM;
    o.setup.task = GS_TASK_TYPED;
    snprintf(o.setup.typed, sizeof o.setup.typed, "%s", "a teacher types, the class reads.");
    o.at = 12;
    if (harness_open(h, &o) != 0) return 1;
    send(h, CMD_THEME, 0);
    send(h, CMD_TYPE, 0);
    memset(&in, 0, sizeof in);
    in.kind = IN_TEXT;
    snprintf(in.text, sizeof in.text, " and again");
    app_event(&h->app, &in);
    headless_frame(h, 0);
    return 0;
}

typedef struct scene_def {
    const char *name;
    int (*open)(headless *h, int w, int hh);
} scene_def;

static const scene_def scenes[] = {
    { .name = "default-start", .open = scene_start },
    { .name = "default-step25", .open = scene_step25 },
    { .name = "default-end", .open = scene_end },
    { .name = "backward-walk", .open = scene_backward_walk },
    { .name = "backward-hover-cell", .open = scene_backward_hover },
    { .name = "hover-diagram", .open = scene_hover_diagram },
    { .name = "hover-plot", .open = scene_hover_plot },
    { .name = "hover-button", .open = scene_hover_button },
    { .name = "help", .open = scene_help },
    { .name = "busy", .open = scene_busy },
    { .name = "light-log", .open = scene_light_log },
    { .name = "one-pane", .open = scene_one_pane },
    { .name = "lesson-step", .open = scene_lesson },
    { .name = "lesson-present", .open = scene_present },
    { .name = "lesson-list", .open = scene_lesson_list },
    { .name = "training", .open = scene_train },
    { .name = "training-scrubbed", .open = scene_train_scrubbed },
    { .name = "track-hover", .open = scene_track_hover },
    { .name = "track-edit-contrast", .open = scene_track_edit },
    { .name = "typed-field-light", .open = scene_typed_field },
};

static const int sizes[][2] = { { 1600, 1000 }, { 1024, 640 } };

/* ---- Drawing twice, comparing, saving ------------------------------------------------ */

/* Open the scene, copy its pixels into a new buffer (*len bytes); NULL on failure. */
static unsigned char *shoot(const scene_def *s, int w, int hh, headless *h, size_t *len) {
    unsigned char *px;
    if (s->open(h, w, hh) != 0) {
        CHECK_MSG(0, "%s at %dx%d did not open", s->name, w, hh);
        return NULL;
    }
    *len = (size_t)h->surf->pitch * (size_t)h->surf->h;
    if (!(px = malloc(*len))) return NULL;
    SDL_LockSurface(h->surf);
    memcpy(px, h->surf->pixels, *len);
    SDL_UnlockSurface(h->surf);
    return px;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : NULL;
    gs_blas_set_threads(1); /* as app_run does */
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++)
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
            int w = sizes[k][0], hh = sizes[k][1];
            headless h;
            size_t n1 = 0, n2 = 0;
            unsigned char *a = shoot(&scenes[i], w, hh, &h, &n1), *b;
            headless_close(&h);
            b = shoot(&scenes[i], w, hh, &h, &n2);
            CHECK_MSG(a && b && n1 == n2 && memcmp(a, b, n1) == 0,
                      "%s at %dx%d: two fresh draws differ", scenes[i].name, w, hh);
            if (dir && b) {
                char path[4096], err[512];
                snprintf(path, sizeof path, "%s/%s-%dx%d.png", dir, scenes[i].name, w, hh);
                CHECK_MSG(headless_save(&h, path, err, sizeof err) == 0, "%s", err);
            }
            headless_close(&h);
            free(a);
            free(b);
        }
    SDL_Quit();
    return check_result("test_app_screens");
}
