/* test_app_render.c — the window's drawing, headless: frames at three sizes are the
 * asked size and not blank, no two layout boxes overlap, no text is clipped, a heatmap
 * cell's pixel is exactly the colour map applied to the engine's value, the help
 * overlay lists exactly the command table, and the keyboard table is unambiguous. */
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "ui/colormap.h"
#include "ui/commands.h"
#include "run/headless.h"
#include "ui/layout.h"
#include "session/options.h"
#include "views/views.h"

/* ---- Helpers ---------------------------------------------------------------------- */

static cm_rgb pixel_at(SDL_Surface *s, int x, int y) {
    Uint32 px = ((const Uint32 *)((const char *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
    cm_rgb c;
    SDL_GetRGB(px, s->format, &c.r, &c.g, &c.b);
    return c;
}

static int same(cm_rgb a, cm_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

/* How many pairs of the layout's leaf boxes overlap, or lie outside the window (the
 * first few are said). */
static int layout_faults(const layout *L, const char *what) {
    box leaves[512];
    const char *names[512];
    int n = layout_leaves(L, leaves, names, 512), faults = 0;
    for (int i = 0; i < n; i++) {
        box b = leaves[i];
        if (b.x < 0 || b.y < 0 || b.x + b.w > L->w || b.y + b.h > L->h) {
            if (faults++ < 5) fprintf(stderr, "%s: %s outside the window\n", what, names[i]);
        }
        for (int j = i + 1; j < n; j++)
            if (box_overlap(leaves[i], leaves[j]) && faults++ < 5)
                fprintf(stderr, "%s: '%s' (%d,%d %dx%d) overlaps '%s' (%d,%d %dx%d)\n", what, names[i],
                        leaves[i].x, leaves[i].y, leaves[i].w, leaves[i].h, names[j], leaves[j].x,
                        leaves[j].y, leaves[j].w, leaves[j].h);
    }
    return faults;
}

static int open_at(headless *h, int w, int hh, int at, const char *extra_variant) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = w;
    o.height = hh;
    o.at = at;
    if (extra_variant) {
        gs_variant v;
        if (gs_variant_from_name(extra_variant, &v, NULL) == GS_OK) o.setup.variants[0] = v;
    }
    return harness_open(h, &o);
}

/* ---- Frames at three sizes -------------------------------------------------------- */

static void test_sizes(void) {
    static const int sizes[3][2] = { { 1024, 640 }, { 1600, 1000 }, { 3840, 2160 } };
    for (int k = 0; k < 3; k++) {
        headless h;
        char path[512], err[256];
        SDL_Surface *png;
        box leaves[512];
        const char *names[512];
        int n, i, j, overlaps = 0, overflows;
        if (open_at(&h, sizes[k][0], sizes[k][1], 25, NULL) != 0) {
            CHECK(0);
            continue;
        }
        /* the PNG: written, the asked size, not blank */
        snprintf(path, sizeof path, "%s/app_render_%dx%d.png", GS_BINARY_DIR, sizes[k][0], sizes[k][1]);
        CHECK(headless_save(&h, path, err, sizeof err) == 0);
        png = IMG_Load(path);
        CHECK_MSG(png != NULL, "cannot read back %s", path);
        if (png) {
            SDL_Surface *rgb = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_RGB888, 0);
            CHECK(png->w == sizes[k][0] && png->h == sizes[k][1]);
            if (rgb) {
                /* not blank: many distinct colours, spread over the frame */
                unsigned char seen[4096];
                int distinct = 0;
                memset(seen, 0, sizeof seen);
                for (int y = 0; y < rgb->h; y += 7)
                    for (int x = 0; x < rgb->w; x += 7) {
                        cm_rgb c = pixel_at(rgb, x, y);
                        int key = (c.r >> 4) << 8 | (c.g >> 4) << 4 | (c.b >> 4);
                        if (!seen[key]) {
                            seen[key] = 1;
                            distinct++;
                        }
                    }
                CHECK_MSG(distinct > 100, "%dx%d: only %d colours", sizes[k][0], sizes[k][1], distinct);
                SDL_FreeSurface(rgb);
            }
            SDL_FreeSurface(png);
        }
        /* no two leaf boxes overlap, and every one is inside the window */
        n = layout_leaves(&h.app.st.L, leaves, names, 512);
        CHECK(n > 40);
        for (i = 0; i < n; i++) {
            box b = leaves[i];
            CHECK_MSG(b.x >= 0 && b.y >= 0 && b.x + b.w <= sizes[k][0] && b.y + b.h <= sizes[k][1],
                      "%dx%d: %s outside the window", sizes[k][0], sizes[k][1], names[i]);
            for (j = i + 1; j < n; j++)
                if (box_overlap(leaves[i], leaves[j])) {
                    if (overlaps++ < 5)
                        fprintf(stderr, "%dx%d: '%s' (%d,%d %dx%d) overlaps '%s' (%d,%d %dx%d)\n", sizes[k][0],
                                sizes[k][1], names[i], leaves[i].x, leaves[i].y, leaves[i].w, leaves[i].h,
                                names[j], leaves[j].x, leaves[j].y, leaves[j].w, leaves[j].h);
                }
        }
        CHECK_MSG(overlaps == 0, "%dx%d: %d overlapping boxes", sizes[k][0], sizes[k][1], overlaps);
        /* no text had to be shortened, with and without the help overlay */
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d: %d clipped texts (last: %s)", sizes[k][0], sizes[k][1], overflows,
                  render_last_overflow(h.app.rc));
        send(&h, CMD_END, 0);
        send(&h, CMD_BACK_WALK, -1);
        send(&h, CMD_BACK_WALK, -1);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d, end, walking back: %d clipped texts (last: %s)", sizes[k][0],
                  sizes[k][1], overflows, render_last_overflow(h.app.rc));
        send(&h, CMD_HOME, 0);
        send(&h, CMD_PLAY, 0); /* the button reads "Pause" */
        headless_frame(&h, 0.3);
        CHECK(h.app.st.playing && h.app.st.cursor == 1);
        send(&h, CMD_PLAY, 0);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d, playing: %d clipped texts (last: %s)", sizes[k][0], sizes[k][1], overflows,
                  render_last_overflow(h.app.rc));
        send(&h, CMD_HELP, 0);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d, help: %d clipped texts (last: %s)", sizes[k][0], sizes[k][1], overflows,
                  render_last_overflow(h.app.rc));
        headless_close(&h);
    }
}

/* ---- Below the smallest window (headless only): nothing drawn over anything ------ */

/* --size accepts down to 320 wide, under the window's 1024x640 minimum: at 800x500 the
 * backward caption once ran under the window buttons and four cell diagrams 41 px tall
 * drew their labels over one another.  The caption gives way, the diagram too. */
static void test_below_minimum(void) {
    headless h;
    box leaves[512];
    const char *names[512];
    int n, i, j, overlaps = 0;
    if (open_at(&h, 800, 500, 25, NULL) != 0) {
        CHECK(0);
        return;
    }
    n = layout_leaves(&h.app.st.L, leaves, names, 512);
    CHECK(n > 40);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (box_overlap(leaves[i], leaves[j]) && overlaps++ < 5)
                fprintf(stderr, "800x500: '%s' overlaps '%s'\n", names[i], names[j]);
    CHECK_MSG(overlaps == 0, "800x500: %d overlapping boxes", overlaps);
    CHECK_MSG(h.app.st.L.back_text.w == 0, "800x500: the backward caption is %d wide", h.app.st.L.back_text.w);
    for (i = 0; i < h.app.st.L.n_panes; i++)
        CHECK_MSG(h.app.st.L.pane[i].diagram.h == 0, "800x500: pane %d has a diagram %d tall", i,
                  h.app.st.L.pane[i].diagram.h);
    headless_close(&h);
    /* at the window's minimum both are there */
    if (open_at(&h, 1024, 640, 25, NULL) != 0) {
        CHECK(0);
        return;
    }
    CHECK(h.app.st.L.back_text.w > 0);
    CHECK(h.app.st.L.n_panes > 0 && h.app.st.L.pane[0].diagram.h > 0);
    headless_close(&h);
}

/* ---- Every variant, theme and scale: still no clipped text ------------------------ */

static void test_scenarios(void) {
    static const int sizes[3][2] = { { 1024, 640 }, { 1600, 1000 }, { 3840, 2160 } };
    for (int k = 0; k < 3; k++) {
        options o;
        headless h;
        char err[512];
        int overflows;
        /* the other four variants, light theme, log colours, per-pane scales, walking */
        options_default(&o);
        o.headless = 1;
        o.width = sizes[k][0];
        o.height = sizes[k][1];
        o.at = 30;
        o.setup.variants[0] = GS_NORM;
        o.setup.variants[1] = GS_GRU_RA;
        o.setup.variants[2] = GS_PSEUDO;
        o.setup.variants[3] = GS_PEEPHOLE;
        o.setup.truncate = 10;
        if (headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            CHECK(0);
            continue;
        }
        headless_frame(&h, 0);
        send(&h, CMD_END, 0);
        send(&h, CMD_THEME, 0);
        send(&h, CMD_LOG, 0);
        send(&h, CMD_SCALE, 0);
        send(&h, CMD_BACK_WALK, -1);
        send(&h, CMD_BACK_WALK, -1);
        send(&h, CMD_PANE, 1);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d, other variants: %d clipped texts (last: %s)", sizes[k][0], sizes[k][1],
                  overflows, render_last_overflow(h.app.rc));
        /* one pane, high contrast, the other palette */
        send(&h, CMD_VARIANT, GS_NORM);
        send(&h, CMD_VARIANT, GS_GRU_RA);
        send(&h, CMD_VARIANT, GS_PSEUDO);
        send(&h, CMD_THEME, 0);
        send(&h, CMD_PALETTE, 0);
        CHECK(h.app.st.sc.n == 1);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%dx%d, one pane: %d clipped texts (last: %s)", sizes[k][0], sizes[k][1], overflows,
                  render_last_overflow(h.app.rc));
        headless_close(&h);
    }
}

/* ---- Eight panes: compact, in two rows --------------------------------------------- */

static void test_compact(void) {
    static const int sizes[4][2] = { { 1024, 640 }, { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 } };
    static const gs_variant eight[8] = { GS_RNN, GS_PROTO, GS_NORM, GS_GRU, GS_GRU_RA, GS_PSEUDO, GS_LSTM,
                                         GS_PEEPHOLE };
    for (int k = 0; k < 4; k++) {
        options o;
        headless h;
        const layout *L = &h.app.st.L;
        char what[64];
        int overflows, p, top_row = 0;
        options_default(&o);
        o.headless = 1;
        o.width = sizes[k][0];
        o.height = sizes[k][1];
        o.at = 30;
        memcpy(o.setup.variants, eight, sizeof eight);
        o.setup.n_variants = 8;
        snprintf(what, sizeof what, "%dx%d, eight panes", sizes[k][0], sizes[k][1]);
        if (harness_open(&h, &o) != 0) {
            CHECK(0);
            continue;
        }
        send(&h, CMD_BACK_WALK, -1);
        CHECK_MSG(h.app.st.sc.n == 8 && L->n_panes == 8 && L->compact, "%s: %d panes, compact %d", what,
                  L->n_panes, L->compact);
        /* two rows of four, no diagrams, every strip at least 4 pixels */
        for (p = 0; p < L->n_panes; p++) {
            top_row += L->pane[p].all.y == L->pane[0].all.y;
            CHECK_MSG(L->pane[p].diagram.w == 0, "%s: pane %d has a diagram", what, p);
            for (int s = 0; s < L->pane[p].n_strips; s++) CHECK(L->pane[p].strip[s].h >= 4);
        }
        CHECK_MSG(top_row == 4, "%s: %d panes in the top row", what, top_row);
        /* the plots: beside the panes on a projector, given up to them in a small window */
        if (sizes[k][1] >= 1080) CHECK_MSG(L->plot_grad.h > 0 && L->equations.h > 0, "%s: no plots", what);
        if (sizes[k][1] <= 640) CHECK_MSG(L->plot_grad.h == 0, "%s: plots in a small window", what);
        CHECK_MSG(layout_faults(L, what) == 0, "%s: boxes overlap", what);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "%s: %d clipped texts (last: %s)", what, overflows, render_last_overflow(h.app.rc));
        /* back to four: the diagrams return */
        for (p = 0; p < 4; p++) send(&h, CMD_VARIANT, eight[p]);
        headless_frame(&h, 0);
        CHECK_MSG(L->n_panes == 4 && !L->compact && L->pane[0].diagram.w > 0, "%s: four again", what);
        headless_close(&h);
    }
}

/* ---- A heatmap cell is the colour map of the engine's value ---------------------- */

static void check_cell(headless *h, int pane, gs_quantity q, int index, int unit, int step) {
    const app_state *st = &h->app.st;
    const pane_box *P = &st->L.pane[pane];
    int s, found = -1, len = 0, shown;
    for (s = 0; s < P->n_strips; s++)
        if (st->L.strips[pane][s].q == q && st->L.strips[pane][s].index == index) found = s;
    CHECK(found >= 0);
    if (found < 0) return;
    {
        box cell = layout_cell(P->strip[found], st->setup.hidden, state_T(st), unit, step);
        const gs_real *v = gs_seq_values(state_seq(st, pane), q, index, step, 0, &len);
        cm_scale sc = view_strip_scale(st, pane, found);
        double shown_v = view_cell_value(st, pane, found, unit, step, &shown);
        cm_rgb want, got;
        CHECK(v != NULL && unit < len);
        CHECK(cell.w >= 1 && cell.h >= 1);
        if (!v || unit >= len || cell.w < 1 || cell.h < 1) return;
        CHECK(shown && shown_v == (double)v[unit]);
        want = cm_map(st->palette, &sc, (double)v[unit], NULL);
        got = pixel_at(h->surf, cell.x + cell.w / 2, cell.y + cell.h / 2);
        CHECK_MSG(same(want, got), "pane %d q %d[%d] unit %d step %d: value %g wants (%d,%d,%d), pixel (%d,%d,%d)",
                  pane, (int)q, index, unit, step, (double)v[unit], want.r, want.g, want.b, got.r, got.g, got.b);
    }
}

static void test_cell_colours(void) {
    headless h;
    if (open_at(&h, 1600, 1000, 50, NULL) != 0) {
        CHECK(0);
        return;
    }
    /* gates (fixed 0..1), the candidate (fixed -1..1), a state (data range) and a gradient */
    check_cell(&h, 1, GS_Q_GATE, 2, 3, 10);    /* proto: forget gate f */
    check_cell(&h, 3, GS_Q_GATE, 0, 7, 33);    /* lstm: write gate i */
    check_cell(&h, 2, GS_Q_CAND, 0, 0, 1);     /* gru: candidate */
    check_cell(&h, 3, GS_Q_STATE, 0, 15, 50);  /* lstm: c */
    check_cell(&h, 0, GS_Q_D_STATE, 0, 5, 49); /* rnn: dL/ds */
    /* the other palette and the log scale */
    send(&h, CMD_PALETTE, 0);
    send(&h, CMD_LOG, 0);
    check_cell(&h, 1, GS_Q_GATE, 0, 4, 20);
    check_cell(&h, 1, GS_Q_STATE, 0, 9, 41);
    check_cell(&h, 3, GS_Q_D_STATE, 1, 2, 48);
    /* per-pane scales */
    send(&h, CMD_SCALE, 0);
    check_cell(&h, 0, GS_Q_STATE, 0, 1, 12);
    headless_close(&h);
}

/* ---- Inf and NaN are drawn, never converted -------------------------------------- */

static void test_nonfinite(void) {
    headless h;
    options o;
    char err[512];
    const app_state *st;
    gs_seq_summary sum;
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    /* lesson 5's last step: walking back, the gradient climbs about 0.2 decades a
       step, steadily, and overflows at step 805 with 804 steps still to go, so the
       overflow does not hang on the last bits */
    o.at = 1000;
    o.setup.task = GS_TASK_ADDING;
    o.setup.length = 1000;
    o.setup.seed = 13;
    o.setup.weight_scale = 30;
    o.setup.forget_bias = 2;
    o.setup.n_variants = 1;
    o.setup.variants[0] = GS_PROTO;
    if (headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    headless_frame(&h, 0);
    st = &h.app.st;
    sum = gs_seq_summary_of(state_seq(st, 0));
    /* this setup overflows the prototype's gradient: the view must draw it (this test
       runs under UBSan too) and mark it in grey */
    CHECK(sum.first_nonfinite_grad > 0);
    if (sum.first_nonfinite_grad > 0) {
        const pane_box *P = &st->L.pane[0];
        int s, t = 0, u = 0, len = 0;
        for (s = 0; s < P->n_strips; s++)
            if (st->L.strips[0][s].q == GS_Q_D_STATE) break;
        /* find a NaN cell and check its pixel is the NaN colour */
        for (t = 1; t <= sum.first_nonfinite_grad && s < P->n_strips; t++) {
            const gs_real *v = gs_seq_values(state_seq(st, 0), GS_Q_D_STATE, 0, t, 0, &len);
            for (u = 0; v && u < len; u++)
                if (isnan((double)v[u])) goto found;
        }
        CHECK_MSG(0, "no NaN cell found");
        goto done;
    found: {
        box cell = layout_cell(P->strip[s], st->setup.hidden, state_T(st), u, t);
        cm_rgb got = pixel_at(h.surf, cell.x + cell.w / 2, cell.y + cell.h / 2);
        CHECK_MSG(same(got, cm_nan_colour(st->palette)), "NaN cell at unit %d step %d is (%d,%d,%d)", u, t, got.r,
                  got.g, got.b);
    }
    }
done:
    headless_close(&h);
}

/* ---- The help overlay lists exactly the command table ---------------------------- */

static void test_help(void) {
    const char *keys[64], *labels[64], *texts[64];
    int n, rows, i, logged, pos = 0;
    const command *tab = commands_table(&n);
    const char *const *log;
    headless h;
    rows = view_help_rows(keys, labels, texts, 64);
    CHECK(rows == n);
    for (i = 0; i < n && i < rows; i++) {
        CHECK(strcmp(keys[i], tab[i].keys) == 0);
        CHECK(strcmp(labels[i], tab[i].label) == 0);
        CHECK(strcmp(texts[i], tab[i].help) == 0);
    }
    /* and what the overlay actually draws: every row, in table order */
    if (open_at(&h, 1600, 1000, 0, NULL) != 0) {
        CHECK(0);
        return;
    }
    render_log_text(h.app.rc, 0);
    send(&h, CMD_HELP, 0);
    render_log_text(h.app.rc, 1);
    view_help(h.app.rc, &h.app.st);
    render_log_text(h.app.rc, 0);
    log = render_logged(h.app.rc, &logged);
    for (i = 0; i < n; i++) {
        int found = 0;
        for (; pos + 2 < logged; pos++)
            if (strcmp(log[pos], tab[i].keys) == 0 && strcmp(log[pos + 1], tab[i].label) == 0 &&
                strcmp(log[pos + 2], tab[i].help) == 0) {
                found = 1;
                pos += 3;
                break;
            }
        CHECK_MSG(found, "help overlay is missing '%s' (%s)", tab[i].label, tab[i].keys);
    }
    /* nothing else: the title, the hint, the group titles and 3 strings per command */
    {
        int groups = 0;
        cmd_group last = (cmd_group)-1;
        for (i = 0; i < n; i++)
            if (tab[i].group != last) groups++, last = tab[i].group;
        CHECK_MSG(logged == 2 + groups + 3 * n, "help drew %d strings, expected %d", logged, 2 + groups + 3 * n);
    }
    headless_close(&h);
}

/* ---- The command table: keys unambiguous, every button laid out ------------------ */

static void test_commands(void) {
    int n, i, c, j, d;
    const command *tab = commands_table(&n);
    headless h;
    for (i = 0; i < n; i++) {
        CHECK(tab[i].name && tab[i].label && tab[i].keys && tab[i].help);
        CHECK(commands_get(tab[i].id) == &tab[i]);
        for (c = 0; c < CMD_MAX_CHORDS && tab[i].chords[c].key != KEY_NONE; c++) {
            int arg = -99;
            /* each chord triggers exactly this command */
            CHECK(commands_for_key(tab[i].chords[c].key, tab[i].chords[c].mods, &arg) == tab[i].id);
            CHECK(arg == tab[i].chords[c].arg);
            for (j = 0; j < n; j++)
                for (d = 0; d < CMD_MAX_CHORDS && tab[j].chords[d].key != KEY_NONE; d++)
                    if ((j != i || d != c) && tab[j].chords[d].key == tab[i].chords[c].key &&
                        tab[j].chords[d].mods == tab[i].chords[c].mods)
                        CHECK_MSG(0, "'%s' and '%s' share a key", tab[i].name, tab[j].name);
        }
    }
    /* the required keys */
    CHECK(commands_for_key(KEY_SPACE, 0, NULL) == CMD_PLAY);
    CHECK(commands_for_key(KEY_RIGHT, 0, NULL) == CMD_STEP);
    CHECK(commands_for_key(KEY_LEFT, 0, NULL) == CMD_STEP_BACK);
    CHECK(commands_for_key(KEY_HOME, 0, NULL) == CMD_HOME);
    CHECK(commands_for_key(KEY_END, 0, NULL) == CMD_END);
    CHECK(commands_for_key(KEY_LBRACKET, 0, NULL) == CMD_SPEED);
    CHECK(commands_for_key(KEY_RBRACKET, 0, NULL) == CMD_SPEED);
    CHECK(commands_for_key(KEY_DIGIT(8), 0, NULL) == CMD_VARIANT);
    CHECK(commands_for_key(KEY_LETTER('r'), 0, NULL) == CMD_NEW_SEQ);
    CHECK(commands_for_key(KEY_F11, 0, NULL) == CMD_FULLSCREEN);
    CHECK(commands_for_key(KEY_QUESTION, 0, NULL) == CMD_HELP);
    CHECK(commands_for_key(KEY_LEFT, MOD_SHIFT, NULL) == CMD_BACK_WALK);
    CHECK(commands_for_key(KEY_RIGHT, MOD_SHIFT, NULL) == CMD_BACK_UNWALK);
    /* every command with a button has one in the layout */
    if (open_at(&h, 1024, 640, 0, NULL) != 0) {
        CHECK(0);
        return;
    }
    for (i = 0; i < n; i++) {
        int has = 0;
        if (tab[i].group == CMDG_LESSON) continue; /* only with a lesson open (test_app_lesson) */
        for (j = 0; j < h.app.st.L.n_buttons; j++)
            if (h.app.st.L.button[j].cmd == tab[i].id) has = 1;
        CHECK_MSG(has == (tab[i].button != BTN_NONE), "'%s': button %s", tab[i].name, has ? "unexpected" : "missing");
    }
    headless_close(&h);
}

/* ---- Behaviour: the cursor and the backward playhead ------------------------------ */

static void test_playheads(void) {
    headless h;
    const app_state *st;
    int T;
    if (open_at(&h, 1024, 640, -1, NULL) != 0) {
        CHECK(0);
        return;
    }
    st = &h.app.st;
    T = state_T(st);
    CHECK(st->cursor == 0); /* a window opens at step 0 */
    CHECK(st->sc.n == 4);
    send(&h, CMD_STEP, 1);
    send(&h, CMD_STEP, 1);
    CHECK(st->cursor == 2 && st->engine_steps == 2);
    CHECK(gs_seq_summary_of(state_seq(st, 0)).steps == 2);
    send(&h, CMD_END, 0);
    CHECK(st->cursor == T);
    CHECK(state_grad_shown(st, 0, T) && state_grad_shown(st, 0, 1));
    send(&h, CMD_BACK_WALK, -1); /* starts at the loss */
    CHECK(st->back_active && st->back_pos == T);
    CHECK(state_grad_shown(st, 0, T) && !state_grad_shown(st, 0, T - 1));
    send(&h, CMD_BACK_WALK, -1);
    CHECK(st->back_pos == T - 1 && state_grad_shown(st, 3, T - 1));
    send(&h, CMD_BACK_UNWALK, 1);
    CHECK(st->back_pos == T);
    send(&h, CMD_BACK_ALL, 0);
    CHECK(!st->back_active && state_grad_shown(st, 0, 1));
    /* the shrink factor is the engine's: mean f for the LSTM, sigma(J) for rnn */
    CHECK(isfinite(state_shrink(st, 3, T)));
    CHECK(isfinite(state_jac_sigma(st, 0, T)));
    CHECK(state_shrink(st, 0, T) == state_jac_sigma(st, 0, T));
    /* variants: toggling rebuilds at once; 1 to 8 panes (a fifth makes them compact) */
    send(&h, CMD_VARIANT, GS_RNN);
    CHECK(st->sc.n == 3);
    send(&h, CMD_VARIANT, GS_PEEPHOLE);
    CHECK(st->sc.n == 4 && !st->L.compact);
    send(&h, CMD_VARIANT, GS_NORM);
    CHECK(st->sc.n == 5 && st->L.compact);
    send(&h, CMD_VARIANT, GS_RNN);
    send(&h, CMD_VARIANT, GS_GRU_RA);
    send(&h, CMD_VARIANT, GS_PSEUDO);
    CHECK(st->sc.n == 8);
    send(&h, CMD_VARIANT, GS_NIG); /* a ninth: refused */
    CHECK(st->sc.n == 8);
    send(&h, CMD_VARIANT, GS_NORM);
    send(&h, CMD_VARIANT, GS_RNN);
    send(&h, CMD_VARIANT, GS_GRU_RA);
    send(&h, CMD_VARIANT, GS_PSEUDO);
    CHECK(st->sc.n == 4 && !st->L.compact);
    /* setup changes rebuild the scene */
    send(&h, CMD_HIDDEN, 1);
    CHECK(st->setup.hidden == 32 && gs_model_config_of(gs_seq_model(state_seq(st, 0)))->n_hidden == 32);
    send(&h, CMD_NEW_SEQ, 1);
    CHECK(st->setup.seed == 2);
    send(&h, CMD_TRUNC, 1);
    CHECK(st->setup.truncate == 1);
    send(&h, CMD_END, 0);
    CHECK(gs_seq_summary_of(state_seq(st, 0)).truncated == 1);
    headless_close(&h);
}

/* ---- Colour maps are pure functions ----------------------------------------------- */

/* ---- Variant colours: apart from each other, as everyone sees them --------------- */

static double lin(int c) {
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* CIELAB of c as seen with normal vision (k = 0) or simulated protanopia (1),
 * deuteranopia (2), tritanopia (3) (Machado, Oliveira and Fernandes 2009, severity 1,
 * applied to linear RGB). */
static void lab_of(cm_rgb c, int k, double out[3]) {
    static const double M[4][3][3] = {
        { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
        { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
        { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
        { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 } } };
    double l[3] = { lin(c.r), lin(c.g), lin(c.b) }, s[3], X, Y, Z, f[3];
    for (int i = 0; i < 3; i++) {
        s[i] = M[k][i][0] * l[0] + M[k][i][1] * l[1] + M[k][i][2] * l[2];
        s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
    }
    X = (0.4124564 * s[0] + 0.3575761 * s[1] + 0.1804375 * s[2]) / 0.95047;
    Y = 0.2126729 * s[0] + 0.7151522 * s[1] + 0.0721750 * s[2];
    Z = (0.0193339 * s[0] + 0.1191920 * s[1] + 0.9503041 * s[2]) / 1.08883;
    f[0] = X > 216.0 / 24389 ? cbrt(X) : (24389.0 / 27 * X + 16) / 116;
    f[1] = Y > 216.0 / 24389 ? cbrt(Y) : (24389.0 / 27 * Y + 16) / 116;
    f[2] = Z > 216.0 / 24389 ? cbrt(Z) : (24389.0 / 27 * Z + 16) / 116;
    out[0] = 116 * f[1] - 16;
    out[1] = 500 * (f[0] - f[1]);
    out[2] = 200 * (f[1] - f[2]);
}

static double delta_e(cm_rgb a, cm_rgb b, int k) {
    double x[3], y[3];
    lab_of(a, k, x);
    lab_of(b, k, y);
    return sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + (x[2] - y[2]) * (x[2] - y[2]));
}

static double contrast_ratio(cm_rgb a, cm_rgb b) {
    double la = 0.2126 * lin(a.r) + 0.7152 * lin(a.g) + 0.0722 * lin(a.b);
    double lb = 0.2126 * lin(b.r) + 0.7152 * lin(b.g) + 0.0722 * lin(b.b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* All 16 variant colours, every palette and theme: each of Greff's eight at least 15
 * apart (CIELAB) from every other variant colour, and 7 apart as each deficiency sees
 * them; readable (3:1) on the panels. */
static void test_variant_colours(void) {
    for (int p = 0; p < CM_PALETTE_COUNT; p++)
        for (int th = 0; th < CM_THEME_COUNT; th++) {
            const cm_theme *t = cm_theme_get((cm_theme_id)th);
            double worst = 1e9, worst_cvd = 1e9, low = 1e9;
            for (int a = GS_NIG; a < GS_VARIANT_COUNT; a++) {
                cm_rgb ca = cm_variant_colour((cm_palette)p, (cm_theme_id)th, a);
                double c1 = contrast_ratio(ca, t->panel), c2 = contrast_ratio(ca, t->panel_alt);
                if (c1 < low) low = c1;
                if (c2 < low) low = c2;
                for (int b = 0; b < GS_VARIANT_COUNT; b++) {
                    cm_rgb cb = cm_variant_colour((cm_palette)p, (cm_theme_id)th, b);
                    if (b == a) continue;
                    if (delta_e(ca, cb, 0) < worst) worst = delta_e(ca, cb, 0);
                    for (int k = 1; k < 4; k++)
                        if (delta_e(ca, cb, k) < worst_cvd) worst_cvd = delta_e(ca, cb, k);
                }
            }
            CHECK_MSG(worst >= 15, "palette %d theme %d: two variant colours only %.1f apart", p, th, worst);
            CHECK_MSG(worst_cvd >= 7, "palette %d theme %d: two variant colours %.1f apart as a deficiency sees them",
                      p, th, worst_cvd);
            CHECK_MSG(low >= 3.0, "palette %d theme %d: a variant colour at %.2f:1 on the panel", p, th, low);
        }
    /* the measure itself: black and white are far apart, a colour is 0 from itself */
    CHECK(delta_e((cm_rgb){ 0, 0, 0 }, (cm_rgb){ 255, 255, 255 }, 0) > 99);
    CHECK(delta_e((cm_rgb){ 200, 30, 30 }, (cm_rgb){ 200, 30, 30 }, 2) == 0);
    CHECK(delta_e((cm_rgb){ 200, 30, 30 }, (cm_rgb){ 30, 160, 30 }, 0) > 3 * delta_e((cm_rgb){ 200, 30, 30 }, (cm_rgb){ 30, 160, 30 }, 2) / 2);
}

static void test_colormap(void) {
    cm_rgb a = cm_sequential(CM_PALETTE_A, 0), b = cm_sequential(CM_PALETTE_A, 1), w = cm_diverging(CM_PALETTE_A, 0);
    cm_scale lin = { CM_DIV, 0, 2, 0, 0 }, lg = { CM_DIV, 0, 100, 1, 4 };
    cm_class c;
    CHECK(a.r == 0x44 && a.g == 0x01 && a.b == 0x54); /* viridis ends */
    CHECK(b.r == 0xfd && b.g == 0xe7 && b.b == 0x25);
    CHECK(w.r == 0xf7 && w.g == 0xf7 && w.b == 0xf7); /* diverging centre */
    CHECK(same(cm_sequential(CM_PALETTE_A, (double)NAN), cm_nan_colour(CM_PALETTE_A)));
    CHECK(same(cm_sequential(CM_PALETTE_A, -5), a)); /* clamped */
    CHECK_NEAR(cm_position(&lin, 1, &c), 0.5, 1e-12);
    CHECK(c == CM_IN_RANGE);
    cm_position(&lin, 3, &c);
    CHECK(c == CM_BEYOND);
    cm_position(&lin, (double)INFINITY, &c);
    CHECK(c == CM_POS_INF);
    cm_position(&lin, -(double)INFINITY, &c);
    CHECK(c == CM_NEG_INF);
    cm_position(&lin, (double)NAN, &c);
    CHECK(c == CM_NAN);
    CHECK_NEAR(cm_position(&lg, 1, &c), 0.5, 1e-12); /* 2 of 4 decades below 100 */
    CHECK_NEAR(cm_position(&lg, -100, &c), -1, 1e-12);
    CHECK_NEAR(cm_position(&lg, 1e-9, &c), 0, 1e-12);
    for (int th = 0; th < CM_THEME_COUNT; th++)
        for (int v = 0; v < GS_VARIANT_COUNT; v++) {
            cm_rgb x = cm_variant_colour(CM_PALETTE_A, (cm_theme_id)th, v), bg = cm_theme_get((cm_theme_id)th)->bg;
            CHECK(!same(x, bg));
        }
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy"); /* never needed; never a real display */
    test_colormap();
    test_variant_colours();
    test_commands();
    test_help();
    test_sizes();
    test_below_minimum();
    test_scenarios();
    test_compact();
    test_cell_colours();
    test_nonfinite();
    test_playheads();
    SDL_Quit();
    return check_result("test_app_render");
}
