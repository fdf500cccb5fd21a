/* frame.c — the five phases (style rule 16): app_init builds the session, the render
 * context and the caches and wires the views' hit tests into the state; app_event
 * and app_update hand over to the session (and refit the fonts when the size or
 * presenter mode changes); app_draw draws every view from `const app_state *`;
 * app_quit frees it all.  The window (run/app.c) and headless frames
 * (run/headless.c) share them. */
#include "run/frame.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>

/* What the pointer is over, where only a view knows (session/hit.h). */
static const view_hits hit_tests = {
    .cell_part_at = view_cell_part_at,
    .plot_at = view_plot_hit,
};

/* Open the fonts at the sizes the layout wants for this window size.  0, or 1 with
 * one line in err (fonts already open at other sizes stay open and in use). */
static int open_fonts(app_ctx *a, char *err, size_t err_len) {
    layout probe;
    layout_input in;
    memset(&in, 0, sizeof in);
    in.w = a->st.w;
    in.h = a->st.h;
    in.dpi = a->st.dpi;
    in.present = a->st.present;
    a->fonts_present = a->st.present;
    layout_compute(&probe, &in);
    return render_set_fonts(a->rc, probe.font_px, err, err_len);
}

/* A refit after a resize: a failure is said, and the fonts open stay in use. */
static void fit_fonts(app_ctx *a) {
    char err[512];
    if (open_fonts(a, err, sizeof err) != 0) fprintf(stderr, "gatescope: %s\n", err);
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
    if (open_fonts(a, err, err_len) != 0) { /* nothing can be drawn without them */
        session_free(&a->st);
        goto fail;
    }
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
    if (in->kind == IN_RENDER_RESET) {
        if (in->arg) view_cache_invalidate(a->vc); /* the strips' textures went too */
        render_lost(a->rc, in->arg);
    }
}

void app_update(app_ctx *a, double dt) {
    session_update(&a->st, dt);
    if (a->st.present != a->fonts_present) { /* presenter mode: bigger type */
        fit_fonts(a);
        a->st.layout_dirty = 1;
        session_update(&a->st, 0);
    }
    /* a long text: the panel takes the full height, and the equations' place; unless
       the step needs the equations and its text fits in the small type */
    if (a->st.lesson && a->st.lesson->l && !a->st.lesson->tall && a->st.L.nar_text.w > 0 &&
        view_lesson_text_height(a->rc, &a->st, a->st.L.nar_text.w, FONT_BODY) > a->st.L.nar_text.h &&
        !(lesson_needs_view(&a->st, GS_LESSON_VIEW_EQUATIONS) &&
          view_lesson_text_height(a->rc, &a->st, a->st.L.nar_text.w, FONT_SMALL) <= a->st.L.nar_text.h)) {
        a->st.lesson->tall = 1;
        a->st.layout_dirty = 1;
        session_update(&a->st, 0);
    }
}

/* The frame's regions (render_region_begin), in drawing order: ui/render_region.c
 * compares each with itself a frame earlier.  (They may overlap: the spotlight covers
 * the panes and plots.) */
enum {
    RG_TOP, RG_SIDE, RG_TRAIN, RG_DRIFT, RG_LOSS, RG_GRAD, RG_EQUATIONS, RG_SPOTLIGHT,
    RG_NARRATIVE, RG_STATUS, RG_PANE0 /* .. RG_PANE0 + LAYOUT_MAX_PANES - 1 */
};

void app_draw(const app_state *st, render_ctx *rc, view_cache *vc) {
    const box whole = { 0, 0, st->L.w, st->L.h };
    int p;
    render_frame_begin(rc, state_theme(st)->bg);
    render_region_begin(rc, RG_TOP, st->L.topbar);
    if (st->present) view_lesson_bar(rc, st);
    else view_topbar(rc, st);
    render_region_end(rc);
    if (st->L.sidebar.w > 0) { /* presenter mode hides it */
        render_region_begin(rc, RG_SIDE, st->L.sidebar);
        view_sidebar(rc, st);
        render_region_end(rc);
    }
    for (p = 0; p < st->L.n_panes; p++) {
        render_region_begin(rc, RG_PANE0 + p, st->L.pane[p].all);
        view_pane_frame(rc, st, p);
        view_cell(rc, st, p, st->L.pane[p].diagram);
        view_track(rc, st, p);
        view_heatmaps(rc, vc, st, p);
        render_region_end(rc);
    }
    if (st->L.train.w > 0) { /* training: its panel replaces the drift and loss plots */
        render_region_begin(rc, RG_TRAIN, st->L.train);
        view_train(rc, st, st->L.train);
        render_region_end(rc);
    } else if (st->L.plot_drift.w > 0) { /* (none beside eight panes in a small window) */
        render_region_begin(rc, RG_DRIFT, st->L.plot_drift);
        view_plot(rc, st, PLOT_DRIFT, st->L.plot_drift);
        render_region_end(rc);
        render_region_begin(rc, RG_LOSS, st->L.plot_loss);
        view_plot(rc, st, PLOT_LOSS, st->L.plot_loss);
        render_region_end(rc);
    }
    if (st->L.plot_grad.w > 0) {
        render_region_begin(rc, RG_GRAD, st->L.plot_grad);
        view_plot(rc, st, PLOT_GRAD, st->L.plot_grad);
        render_region_end(rc);
    }
    if (st->L.equations.w > 0) { /* a long lesson text may take its place */
        render_region_begin(rc, RG_EQUATIONS, st->L.equations);
        view_equations(rc, st, st->L.equations);
        render_region_end(rc);
    }
    if (st->L.narrative.w > 0) { /* a lesson: the spotlight, then its text */
        render_region_begin(rc, RG_SPOTLIGHT, whole);
        view_lesson_spotlight(rc, st);
        render_region_end(rc);
        render_region_begin(rc, RG_NARRATIVE, st->L.narrative);
        view_lesson(rc, st);
        render_region_end(rc);
    }
    render_region_begin(rc, RG_STATUS, st->L.status);
    view_status(rc, st);
    render_region_end(rc);
    render_overlay_begin(rc, whole);
    if (st->rebuild_pending) view_busy(rc, st);
    else if (st->show_help) view_help(rc, st);
    else if (st->show_lessons) view_lesson_list(rc, st);
    else if (st->edit.field) view_text_field(rc, st);
    else view_tooltip(rc, st);
    render_overlay_end(rc);
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
