/* app.c — the five phases (app_init, app_event, app_update, app_draw, app_quit) and
 * app_run: the frame loop of the window, or one headless frame to a PNG. */
#include "run/app.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "run/frame.h"
#include "run/headless.h"
#include "session/lesson_player.h"
#include "platform/paths.h"
#include "platform/platform.h"

/* ---- The five phases -------------------------------------------------------------- */

/* What the pointer is over, where only a view knows (session/hit.h). */
static const view_hits hit_tests = {
    .cell_part_at = view_cell_part_at,
    .plot_at = view_plot_hit,
};

/* Open the fonts at the sizes the layout wants for this window size. */
static void fit_fonts(app_ctx *a) {
    layout probe;
    layout_input in;
    char err[256];
    memset(&in, 0, sizeof in);
    in.w = a->st.w;
    in.h = a->st.h;
    in.dpi = a->st.dpi;
    in.present = a->st.present;
    a->fonts_present = a->st.present;
    layout_compute(&probe, &in);
    if (render_set_fonts(a->rc, probe.font_px, err, sizeof err) != 0)
        fprintf(stderr, "gatescope: %s\n", err);
}

int app_init(app_ctx *a, const options *o, const char *data_dir, SDL_Renderer *r, int w, int h,
             double dpi, char *err, size_t err_len) {
    char fonts[4200], assets[4200];
    app_input size;
    memset(a, 0, sizeof *a);
    snprintf(fonts, sizeof fonts, "%s/assets/fonts", data_dir ? data_dir : ".");
    snprintf(assets, sizeof assets, "%s/assets", data_dir ? data_dir : ".");
    if (!(a->rc = render_create(r, fonts, err, err_len))) return 1;
    if (!(a->vc = view_cache_create())) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    if (session_init(&a->st, o, data_dir ? assets : NULL, err, err_len) != 0) goto fail;
    a->st.measure = render_measure;
    a->st.measure_ud = a->rc;
    a->st.hits = &hit_tests;
    memset(&size, 0, sizeof size);
    size.kind = IN_RESIZE;
    size.x = w;
    size.y = h;
    size.dpi = dpi;
    session_input(&a->st, &size);
    a->st.layout_dirty = 1;
    fit_fonts(a);
    return 0;
fail:
    view_cache_destroy(a->vc);
    render_destroy(a->rc);
    a->vc = NULL;
    a->rc = NULL;
    return 1;
}

void app_event(app_ctx *a, const app_input *in) {
    session_input(&a->st, in);
    if (in->kind == IN_RESIZE && a->st.lesson) a->st.lesson->tall = 0; /* measured again */
    if (in->kind == IN_RESIZE) fit_fonts(a);
}

void app_update(app_ctx *a, double dt) {
    session_update(&a->st, dt);
    if (a->st.present != a->fonts_present) { /* presenter mode: bigger type */
        fit_fonts(a);
        a->st.layout_dirty = 1;
        session_update(&a->st, 0);
    }
    if (a->st.lesson && a->st.lesson->l && !a->st.lesson->tall && a->st.L.nar_text.w > 0 &&
        view_lesson_text_height(a->rc, &a->st, a->st.L.nar_text.w, FONT_BODY) > a->st.L.nar_text.h) {
        a->st.lesson->tall = 1; /* a long text: the panel takes the full height */
        a->st.layout_dirty = 1;
        session_update(&a->st, 0);
    }
}

void app_draw(const app_state *st, render_ctx *rc, view_cache *vc) {
    const cm_theme *th = state_theme(st);
    SDL_Renderer *r = render_sdl(rc);
    int p;
    render_frame_begin(rc);
    SDL_SetRenderDrawColor(r, th->bg.r, th->bg.g, th->bg.b, 255);
    SDL_RenderClear(r);
    /* each view is held to its box: text outside it counts as an overflow */
    render_set_bounds(rc, st->L.topbar);
    if (st->present) view_lesson_bar(rc, st);
    else view_topbar(rc, st);
    if (st->L.sidebar.w > 0) { /* presenter mode hides it */
        render_set_bounds(rc, st->L.sidebar);
        view_sidebar(rc, st);
    }
    for (p = 0; p < st->L.n_panes; p++) {
        render_set_bounds(rc, st->L.pane[p].all);
        view_pane_frame(rc, st, p);
        view_cell(rc, st, p, st->L.pane[p].diagram);
        view_heatmaps(rc, vc, st, p);
    }
    if (st->L.train.w > 0) { /* training: its panel replaces the drift and loss plots */
        render_set_bounds(rc, st->L.train);
        view_train(rc, st, st->L.train);
    } else {
        render_set_bounds(rc, st->L.plot_drift);
        view_plot(rc, st, PLOT_DRIFT, st->L.plot_drift);
        render_set_bounds(rc, st->L.plot_loss);
        view_plot(rc, st, PLOT_LOSS, st->L.plot_loss);
    }
    render_set_bounds(rc, st->L.plot_grad);
    view_plot(rc, st, PLOT_GRAD, st->L.plot_grad);
    if (st->L.equations.w > 0) { /* a long lesson text may take its place */
        render_set_bounds(rc, st->L.equations);
        view_equations(rc, st, st->L.equations);
    }
    if (st->L.narrative.w > 0) { /* a lesson: the spotlight, then its text */
        render_set_bounds(rc, (box){ 0, 0, st->L.w, st->L.h });
        view_lesson_spotlight(rc, st);
        render_set_bounds(rc, st->L.narrative);
        view_lesson(rc, st);
    }
    render_set_bounds(rc, st->L.status);
    view_status(rc, st);
    render_set_bounds(rc, (box){ 0, 0, st->L.w, st->L.h });
    if (st->rebuild_pending) view_busy(rc, st);
    else if (st->show_help) view_help(rc, st);
    else if (st->show_lessons) view_lesson_list(rc, st);
    else view_tooltip(rc, st);
    render_set_bounds(rc, (box){ 0, 0, 0, 0 });
    render_frame_end(rc);
}

void app_quit(app_ctx *a) {
    session_free(&a->st);
    view_cache_destroy(a->vc);
    render_destroy(a->rc);
    a->vc = NULL;
    a->rc = NULL;
}

/* ---- The window ------------------------------------------------------------------- */

static int run_window(const options *o, const char *data_dir) {
    platform pf;
    app_ctx a;
    char err[512];
    int rc, n, i, dirty = 1;
    Uint64 last, now, freq = SDL_GetPerformanceFrequency();
    app_input in[64];
    rc = platform_open(&pf, o, err, sizeof err);
    if (rc == 2) {
        fprintf(stderr, "%s\n", PLATFORM_NO_DISPLAY);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return 1;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "gatescope: cannot start SDL_ttf: %s\n", TTF_GetError());
        platform_close(&pf);
        return 1;
    }
    if (app_init(&a, o, data_dir, pf.r, pf.out_w, pf.out_h, pf.dpi, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        TTF_Quit();
        platform_close(&pf);
        return 1;
    }
    last = SDL_GetPerformanceCounter();
    while (!a.st.quit) {
        /* draw only when something changed; otherwise sleep until the next input, the
           next step of playback, or a toast running out */
        int wait = 0, seen;
        unsigned long gen;
        int toast_was, cursor_was;
        if (!dirty) {
            wait = 250;
            if (train_running(&a.st)) wait = 16; /* training: poll the worker each frame */
            if (a.st.playing || a.st.back_playing) {
                double left = (1.0 - a.st.play_acc) / state_speed(a.st.speed);
                wait = (int)(left * 1000.0);
                if (wait < 1) wait = 1;
                if (wait > 250) wait = 250;
            }
        }
        n = platform_poll(&pf, in, 64, wait, &seen);
        for (i = 0; i < n; i++) app_event(&a, &in[i]);
        if (seen > 0) dirty = 1;
        if (a.st.fullscreen != pf.fullscreen) {
            app_input size;
            platform_set_fullscreen(&pf, a.st.fullscreen);
            size = platform_size_input(&pf);
            app_event(&a, &size);
            dirty = 1;
        }
        if (a.st.rebuild_pending) { /* say so before the (possibly long) rebuild */
            app_draw(&a.st, a.rc, a.vc);
            SDL_RenderPresent(pf.r);
        }
        now = SDL_GetPerformanceCounter();
        gen = a.st.view_gen;
        toast_was = a.st.toast_left > 0;
        cursor_was = a.st.cursor;
        app_update(&a, (double)(now - last) / (double)freq);
        last = now;
        if (gen != a.st.view_gen || cursor_was != a.st.cursor || toast_was != (a.st.toast_left > 0))
            dirty = 1;
        if (train_running(&a.st)) dirty = 1; /* the iteration counter and curves move */
        if (dirty) {
            app_draw(&a.st, a.rc, a.vc);
            SDL_RenderPresent(pf.r);
            dirty = 0;
        }
    }
    app_quit(&a);
    TTF_Quit();
    platform_close(&pf);
    SDL_Quit();
    return 0;
}

int app_run(const options *o, const char *argv0) {
    const char *data = paths_data_dir(argv0);
    char dir[4096];
    /* the cells are small: one BLAS thread is fastest, and leaves the other core to
       drawing instead of a spinning thread pool */
    gs_blas_set_threads(1);
    if (!data) {
        char looked[2048];
        paths_describe(argv0, looked, sizeof looked);
        fprintf(stderr, "gatescope: cannot find gatescope's fonts (looked in %s); reinstall or run "
                "from the build tree\n", looked);
        return 1;
    }
    snprintf(dir, sizeof dir, "%s", data); /* paths_data_dir's buffer is static */
    if (o->headless || o->screenshot) return headless_run(o, dir);
    return run_window(o, dir);
}
