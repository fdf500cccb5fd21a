/* test_app_damage.c — drawing only what changed (ui/render_region.c) gives the same
 * pixels as drawing everything.  Two headless apps get the same inputs: one keeps its
 * frame and redraws only the regions whose drawing changed (what the program does),
 * the other redraws the whole window every frame, its heatmap strips built from
 * nothing (the first builds only the pixel columns whose steps changed); after every
 * frame their pictures must be equal.  The inputs walk through what changes a part of the window: stepping,
 * the pointer over every part (tooltips appear, move and go), help, the theme, the
 * backward walk, a lesson's spotlight, the training panel and the text field.  It also
 * checks that an unchanged frame draws nothing and a step draws less than a quarter
 * of the window again (so the saving is real). */
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "session/train_worker.h"
#include "ui/render.h"
#include "views/views.h"

typedef struct pair {
    headless kept, whole;
    int frames, bad;
    const char *script;
} pair;

static int open_pair(pair *p, const options *o, const char *script) {
    memset(p, 0, sizeof *p);
    p->script = script;
    if (harness_open(&p->kept, o) != 0) return 1;
    if (harness_open(&p->whole, o) != 0) {
        headless_close(&p->kept);
        return 1;
    }
    render_keep_frame(p->whole.app.rc, 0);
    return 0;
}

/* Both surfaces the same, or one message with the first pixel that is not. */
static void compare(pair *p, const char *what) {
    SDL_Surface *a = p->kept.surf, *b = p->whole.surf;
    int x, y;
    p->frames++;
    if (p->bad) return; /* one report per script */
    for (y = 0; y < a->h; y++) {
        const Uint32 *ra = (const Uint32 *)((const Uint8 *)a->pixels + (size_t)y * (size_t)a->pitch);
        const Uint32 *rb = (const Uint32 *)((const Uint8 *)b->pixels + (size_t)y * (size_t)b->pitch);
        for (x = 0; x < a->w; x++)
            if ((ra[x] & 0xFFFFFF) != (rb[x] & 0xFFFFFF)) {
                CHECK_MSG(0, "%s, frame %d (%s): pixel %d,%d is %06x drawing what changed, %06x whole",
                          p->script, p->frames, what, x, y, (unsigned)(ra[x] & 0xFFFFFF),
                          (unsigned)(rb[x] & 0xFFFFFF));
                p->bad = 1;
                return;
            }
    }
    CHECK(1);
}

static void both_event(pair *p, const app_input *in) {
    app_event(&p->kept.app, in);
    app_event(&p->whole.app, in);
}

static void both_frame(pair *p, const char *what) {
    headless_frame(&p->kept, 0);
    view_cache_invalidate(p->whole.app.vc); /* its strips built from nothing, every frame */
    headless_frame(&p->whole, 0);
    compare(p, what);
}

static void both_cmd(pair *p, cmd_id cmd, int arg, const char *what) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_COMMAND;
    in.cmd = cmd;
    in.arg = arg;
    both_event(p, &in);
    both_frame(p, what);
}

static void both_move(pair *p, int x, int y) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_POINTER_MOVE;
    in.x = x;
    in.y = y;
    both_event(p, &in);
    both_frame(p, "pointer moved");
}

/* The pointer over the whole window, in a coarse raster. */
static void sweep(pair *p) {
    const app_state *st = &p->kept.app.st;
    int x, y, dx = st->L.w / 13, dy = st->L.h / 11;
    for (y = dy / 2; y < st->L.h; y += dy)
        for (x = dx / 3; x < st->L.w; x += dx) both_move(p, x, y);
}

/* (the first opened started SDL_ttf and stops it when closed: it closes last) */
static void close_pair(pair *p) {
    headless_close(&p->whole);
    headless_close(&p->kept);
}

static void script_default(int w, int h) {
    options o;
    pair p;
    long all;
    options_default(&o);
    o.width = w;
    o.height = h;
    o.at = 20;
    if (open_pair(&p, &o, "default") != 0) return;
    all = (long)w * h;
    CHECK_MSG(render_pixels_redrawn(p.kept.app.rc) == all, "the first frame drew %ld of %ld pixels",
              render_pixels_redrawn(p.kept.app.rc), all);
    compare(&p, "first frame");
    both_frame(&p, "nothing changed");
    CHECK_MSG(render_pixels_redrawn(p.kept.app.rc) == 0, "an unchanged frame drew %ld pixels",
              render_pixels_redrawn(p.kept.app.rc));
    both_cmd(&p, CMD_STEP, 1, "step");
    CHECK_MSG(render_pixels_redrawn(p.kept.app.rc) > 0 && render_pixels_redrawn(p.kept.app.rc) < all / 4,
              "a step drew %ld of %ld pixels again", render_pixels_redrawn(p.kept.app.rc), all);
    for (int i = 0; i < 5; i++) both_cmd(&p, CMD_STEP, 1, "step");
    sweep(&p);
    both_cmd(&p, CMD_HELP, 0, "help on");
    both_move(&p, 300, 300);
    both_cmd(&p, CMD_HELP, 0, "help off");
    both_cmd(&p, CMD_THEME, 0, "theme");
    both_cmd(&p, CMD_BACK_WALK, 0, "backward walk");
    for (int i = 0; i < 4; i++) both_cmd(&p, CMD_BACK_WALK, 0, "backward walk");
    sweep(&p);
    both_cmd(&p, CMD_PANE, 1, "next pane");
    both_cmd(&p, CMD_LOG, 0, "log scale");
    both_cmd(&p, CMD_STEP_BACK, 1, "step back");
    both_cmd(&p, CMD_END, 0, "end");
    both_cmd(&p, CMD_TYPE, 0, "text field");
    both_cmd(&p, CMD_CLOSE, 0, "close");
    both_cmd(&p, CMD_HIDDEN, 1, "more units");
    both_frame(&p, "rebuilt");
    /* the renderer lost its target textures, then every texture: each time the next
       frame is drawn whole, with the text and strips made again, and equals the other */
    for (int dev = 0; dev < 2; dev++) {
        app_input in;
        memset(&in, 0, sizeof in);
        in.kind = IN_RENDER_RESET;
        in.arg = dev;
        both_event(&p, &in);
        both_frame(&p, dev ? "device reset" : "targets reset");
        CHECK_MSG(render_pixels_redrawn(p.kept.app.rc) == all, "after a %s reset the frame drew %ld of %ld pixels",
                  dev ? "device" : "targets",
                  render_pixels_redrawn(p.kept.app.rc), all);
        both_frame(&p, "nothing changed since the reset");
        CHECK(render_pixels_redrawn(p.kept.app.rc) == 0);
    }
    close_pair(&p);
}

/* A long sequence in a small window: several steps under each pixel column of a
 * strip, a loss at every step (the gradient strips change whole each step), steps
 * back (columns go empty), the scale per pane and log, the palette and a new sequence. */
static void script_long(void) {
    options o;
    pair p;
    options_default(&o);
    o.width = 1024;
    o.height = 640;
    o.setup.task = GS_TASK_SINE;
    o.setup.length = 1000;
    o.at = 500;
    if (open_pair(&p, &o, "long") != 0) return;
    compare(&p, "first frame");
    for (int i = 0; i < 4; i++) both_cmd(&p, CMD_STEP, 1, "step");
    both_cmd(&p, CMD_BACK_WALK, 0, "backward walk");
    for (int i = 0; i < 3; i++) both_cmd(&p, CMD_STEP_BACK, 1, "step back");
    both_cmd(&p, CMD_SCALE, 0, "scale per pane");
    both_cmd(&p, CMD_STEP, 1, "step");
    both_cmd(&p, CMD_LOG, 0, "log scale");
    both_cmd(&p, CMD_PALETTE, 0, "palette");
    both_cmd(&p, CMD_END, 0, "end");
    both_cmd(&p, CMD_NEW_SEQ, 1, "new sequence");
    both_frame(&p, "rebuilt");
    both_cmd(&p, CMD_HOME, 0, "home");
    close_pair(&p);
}

static void script_lesson(void) {
    options o;
    pair p;
    options_default(&o);
    o.width = 1600;
    o.height = 1000;
    o.lesson_path = GS_SOURCE_DIR "/lessons/02-vanishing-exploding.lesson";
    if (open_pair(&p, &o, "lesson") != 0) return;
    for (int i = 0; i < 6; i++) {
        both_cmd(&p, CMD_LESSON_NEXT, 1, "next lesson step");
        both_cmd(&p, CMD_STEP, 1, "step");
        both_move(&p, 200 + 150 * i, 300 + 60 * i);
    }
    both_cmd(&p, CMD_PRESENT, 0, "presenter mode");
    both_cmd(&p, CMD_LESSON_NEXT, 1, "next lesson step");
    both_cmd(&p, CMD_LESSONS, 0, "lesson list");
    both_cmd(&p, CMD_CLOSE, 0, "close");
    close_pair(&p);
}

/* Training to the end, then the panel, its scrubber and the pointer over it. */
static void script_train(void) {
    options o;
    pair p;
    app_input in;
    Uint64 t0;
    options_default(&o);
    o.width = 1280;
    o.height = 720;
    o.at = 10;
    o.setup.length = 10;
    o.setup.hidden = 4;
    o.train.iterations = 40;
    o.train.lr = 1e-2;
    o.train.batch = 16;
    if (open_pair(&p, &o, "training") != 0) return;
    memset(&in, 0, sizeof in); /* (not compared while it runs: each worker has its own pace) */
    in.kind = IN_COMMAND;
    in.cmd = CMD_TRAIN;
    both_event(&p, &in);
    headless_frame(&p.kept, 0);
    headless_frame(&p.whole, 0);
    t0 = SDL_GetTicks64();
    while (!(p.kept.app.st.train.w && train_worker_done(p.kept.app.st.train.w) &&
             p.whole.app.st.train.w && train_worker_done(p.whole.app.st.train.w))) {
        if (SDL_GetTicks64() - t0 > 20000) {
            CHECK_MSG(0, "training did not finish in 20 s");
            close_pair(&p);
            return;
        }
        SDL_Delay(5);
    }
    headless_frame(&p.kept, 0.6);
    headless_frame(&p.whole, 0.6);
    compare(&p, "trained");
    both_frame(&p, "trained, still");
    sweep(&p);
    both_cmd(&p, CMD_SNAPSHOT, -1, "snapshot back");
    both_cmd(&p, CMD_SNAPSHOT, 1, "snapshot on");
    close_pair(&p);
}

int main(void) {
    gs_blas_set_threads(1); /* as app_run does */
    script_default(1600, 1000);
    script_default(1024, 640);
    script_long();
    script_lesson();
    script_train();
    SDL_Quit();
    return check_result("test_app_damage");
}
