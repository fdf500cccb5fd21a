/* test_app_track.c — the sequence track, headless: its rows line up with every heatmap
 * column and overlap nothing at four sizes (and in presenter mode); a typed sequence's
 * glyphs are drawn in their steps' columns, large at 10 steps and through the lens at
 * 1,000; the hover text carries the engine's numbers; a click or a wheel notch on the
 * track changes the input of every pane and the recomputed trace equals a fresh run on
 * the edited input, and Reset gives back the generated one; the typed task's text
 * field types, refuses what the alphabet lacks and rebuilds on Enter; a lesson can
 * spotlight the track (@view track). */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "run/handout.h"
#include "run/headless.h"
#include "run/lesson_sight.h"
#include "session/input_edit.h"
#include "session/lesson_player.h"
#include "session/options.h"
#include "views/views.h"

static const int sizes[4][2] = { { 1024, 640 }, { 1280, 720 }, { 1600, 1000 }, { 3840, 2160 } };

static int open_task(headless *h, int w, int hh, gs_task_kind task, const char *typed, int panes, int at) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = w;
    o.height = hh;
    o.at = at;
    o.setup.task = task;
    snprintf(o.setup.typed, sizeof o.setup.typed, "%s", typed);
    if (panes == 1) {
        o.setup.n_variants = 1;
        o.setup.variants[0] = GS_LSTM;
    } else if (panes == 2) {
        o.setup.n_variants = 2;
        o.setup.variants[0] = GS_RNN;
        o.setup.variants[1] = GS_LSTM;
    }
    return harness_open(h, &o);
}

static void input(headless *h, const app_input *in) {
    app_event(&h->app, in);
    headless_frame(h, 0);
}

static void pointer(headless *h, input_kind kind, int x, int y) {
    harness_pointer(h, kind, x, y, 0);
    headless_frame(h, 0);
}

static void click(headless *h, int x, int y) {
    pointer(h, IN_POINTER_MOVE, x, y);
    pointer(h, IN_POINTER_DOWN, x, y);
    pointer(h, IN_POINTER_UP, x, y);
}

static void wheel(headless *h, int dy) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_WHEEL;
    in.dy = dy;
    input(h, &in);
}

static void key(headless *h, app_key k) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_KEY;
    in.key = k;
    input(h, &in);
}

static void text(headless *h, const char *s) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_TEXT;
    snprintf(in.text, sizeof in.text, "%s", s);
    input(h, &in);
}

/* The centre of step t's column in row r of pane p. */
static void col_centre(const app_state *st, int p, int r, int t, int *x, int *y) {
    box c = layout_cell(st->L.pane[p].track_row[r], 1, state_T(st), 0, t);
    *x = c.x + c.w / 2;
    *y = c.y + c.h / 2;
}

/* ---- Geometry ---------------------------------------------------------------------- */

static void check_geometry(const headless *h, const char *what) {
    const app_state *st = &h->app.st;
    int T = state_T(st), n = st->setup.hidden, p, r, s, t, bad = 0, clash = 0, i, nl;
    box leaves[512];
    const char *names[512];
    nl = layout_leaves(&st->L, leaves, names, 512);
    for (p = 0; p < st->L.n_panes; p++) {
        const pane_box *P = &st->L.pane[p];
        CHECK_MSG(P->track.h > 0 && P->track.y >= P->diagram.y + P->diagram.h &&
                      P->track.y + P->track.h <= P->strip[0].y,
                  "%s: pane %d's track is not between its diagram and its strips", what, p);
        for (r = 0; r < TRACK_ROWS; r++) {
            box row = P->track_row[r];
            CHECK_MSG(row.w > 0 && row.h > 0 && box_contains(P->all, row.x, row.y) &&
                          box_contains(P->all, row.x + row.w - 1, row.y + row.h - 1),
                      "%s: pane %d row %d outside its pane", what, p, r);
            /* each step's mark is under its heatmap column, in every strip */
            for (s = 0; s < P->n_strips; s++)
                for (t = 1; t <= T; t++) {
                    box a = layout_cell(row, 1, T, 0, t), b = layout_cell(P->strip[s], n, T, n - 1, t);
                    if (a.x != b.x || a.w != b.w) bad++;
                }
            /* and overlaps nothing else on screen */
            for (i = 0; i < nl; i++)
                if (!(leaves[i].x == row.x && leaves[i].y == row.y && leaves[i].w == row.w) && box_overlap(row, leaves[i])) {
                    if (clash++ < 3) fprintf(stderr, "%s: pane %d track row %d overlaps %s\n", what, p, r, names[i]);
                }
        }
    }
    CHECK_MSG(bad == 0, "%s: %d track columns not under their heatmap columns", what, bad);
    CHECK_MSG(clash == 0, "%s: the track overlaps %d boxes", what, clash);
}

static void test_geometry(void) {
    for (int k = 0; k < 4; k++)
        for (int mode = 0; mode < 3; mode++) {
            headless h;
            char what[64];
            if (open_task(&h, sizes[k][0], sizes[k][1], GS_TASK_ADDING, NULL, mode == 1 ? 1 : 4, 20) != 0) {
                CHECK(0);
                continue;
            }
            if (mode == 2) send(&h, CMD_PRESENT, 0);
            snprintf(what, sizeof what, "%dx%d %s", sizes[k][0], sizes[k][1],
                     mode == 0 ? "4 panes" : mode == 1 ? "1 pane" : "presenting");
            check_geometry(&h, what);
            /* a long sequence: still one column per step, under the heatmaps' */
            send(&h, CMD_LENGTH, 1);
            for (int i = 0; i < 8 && state_T(&h.app.st) < 1000; i++) send(&h, CMD_LENGTH, 1);
            CHECK(state_T(&h.app.st) == 1000);
            check_geometry(&h, what);
            headless_close(&h);
        }
}

/* ---- The typed characters, where the layout puts them -------------------------------- */

static void test_typed_glyphs(void) {
    static const char *const seq = "hello world";
    static char one[2];
    for (int k = 0; k < 4; k++) {
        headless h;
        const app_state *st = &h.app.st;
        const text_rect *r;
        int n, t, found = 0, T, big = 1;
        box row;
        if (open_task(&h, sizes[k][0], sizes[k][1], GS_TASK_TYPED, seq, 1, 10) != 0) {
            CHECK(0);
            continue;
        }
        T = state_T(st);
        CHECK(T == 10);
        row = st->L.pane[0].track_row[TRACK_IN];
        render_log_rects(h.app.rc, 1);
        headless_frame(&h, 0);
        render_log_rects(h.app.rc, 0);
        r = render_logged_rects(h.app.rc, &n);
        /* step t (1..10) reads seq[t-1]: its glyph inside its column, in a large font */
        for (t = 1; t <= T; t++) {
            box c = layout_cell(row, 1, T, 0, t);
            const char *want;
            int hit = 0;
            one[0] = seq[t - 1];
            want = seq[t - 1] == ' ' ? "\xe2\x90\xa3" : one;
            for (int i = 0; i < n && !hit; i++)
                if (!strcmp(r[i].s, want) && r[i].ink.x >= c.x && r[i].ink.x + r[i].ink.w <= c.x + c.w &&
                    r[i].ink.y >= row.y && r[i].ink.y + r[i].ink.h <= row.y + row.h) {
                    hit = 1;
                    if (r[i].font != FONT_BIG && r[i].font != FONT_TITLE) big = 0;
                }
            found += hit;
            CHECK_MSG(hit, "%dx%d: step %d's '%s' is not drawn in its column (%d..%d)", sizes[k][0], sizes[k][1], t, want,
                      c.x, c.x + c.w);
        }
        CHECK_MSG(found == T && big, "%dx%d: %d of %d glyphs, large type %d", sizes[k][0], sizes[k][1], found, T, big);
        headless_close(&h);
    }
    /* 1,000 steps in four panes: a density strip, and around the cursor a lens of
       legible characters, the cursor's own among them */
    {
        static char longtext[1300];
        headless h;
        const text_rect *r;
        int n, lens = 0, cur = 0, i;
        size_t len = 0;
        static const char *const words = "the cat sat on the mat and the dog ran off ";
        while (len + strlen(words) < sizeof longtext - 1) {
            memcpy(longtext + len, words, strlen(words));
            len += strlen(words);
        }
        longtext[len] = '\0';
        if (open_task(&h, 1280, 720, GS_TASK_TYPED, longtext, 4, 500) == 0) {
            const app_state *st = &h.app.st;
            box row = st->L.pane[0].track_row[TRACK_IN];
            gs_step_input in;
            CHECK(state_T(st) >= 1000);
            render_log_rects(h.app.rc, 1);
            headless_frame(&h, 0);
            render_log_rects(h.app.rc, 0);
            r = render_logged_rects(h.app.rc, &n);
            gs_seq_read_input(state_seq(st, 0), state_task(st), 500, 0, &in, NULL);
            one[0] = gs_task_class_name(state_task(st), 1, in.symbol)[0];
            for (i = 0; i < n; i++)
                if (r[i].font == FONT_BODY && box_overlap(r[i].ink, row) && r[i].ink.y >= row.y &&
                    r[i].ink.y + r[i].ink.h <= row.y + row.h) {
                    lens++;
                    if (!strcmp(r[i].s, one[0] == ' ' ? "\xe2\x90\xa3" : one) &&
                        abs(r[i].ink.x + r[i].ink.w / 2 - (layout_cell(row, 1, state_T(st), 0, 500).x)) < 20)
                        cur = 1;
                }
            CHECK_MSG(lens >= 9 && cur, "1000 steps: %d lens glyphs in pane 0, the cursor's %s", lens, cur ? "found" : "missing");
        } else {
            CHECK(0);
        }
        headless_close(&h);
    }
}

/* ---- Hover: the engine's numbers ------------------------------------------------------ */

static int has_line(char lines[][200], int n, const char *want) {
    for (int i = 0; i < n; i++)
        if (strstr(lines[i], want)) return 1;
    return 0;
}

static void test_hover(void) {
    headless h;
    char lines[8][200], want[200], a[32], b[32];
    int n, x, y, p;
    gs_step_readout ro;
    gs_step_input in;
    /* adding: the loss step, every variant's y and loss */
    if (open_task(&h, 1280, 720, GS_TASK_ADDING, NULL, 4, 50) != 0) {
        CHECK(0);
        return;
    }
    {
        const app_state *st = &h.app.st;
        int T = state_T(st), marked = 0;
        col_centre(st, 1, TRACK_OUT, T, &x, &y);
        pointer(&h, IN_POINTER_MOVE, x, y);
        CHECK(st->hover.kind == HOV_TRACK && st->hover.pane == 1 && st->hover.step == T && st->hover.strip == TRACK_OUT);
        view_track_tooltip(st, lines, 8, &n);
        CHECK(n >= 3 + st->sc.n);
        gs_seq_readout(state_seq(st, 0), T, 0, &ro, NULL);
        fmt_value(a, sizeof a, ro.target);
        snprintf(want, sizeof want, "target = %s", a);
        CHECK_MSG(has_line(lines, n, want), "no '%s' in the hover text", want);
        for (p = 0; p < st->sc.n; p++) {
            gs_seq_readout(state_seq(st, p), T, 0, &ro, NULL);
            fmt_value(a, sizeof a, ro.y);
            fmt_value(b, sizeof b, ro.loss);
            snprintf(want, sizeof want, "%s: y = %s \xc2\xb7 loss %s", state_variant(st, p)->name, a, b);
            CHECK_MSG(has_line(lines, n, want), "no '%s' in the hover text", want);
        }
        /* a marked step's value */
        for (int t = 1; t <= T && !marked; t++) {
            gs_seq_read_input(state_seq(st, 0), state_task(st), t, 0, &in, NULL);
            if (!in.marked) continue;
            marked = t;
            col_centre(st, 0, TRACK_IN, t, &x, &y);
            pointer(&h, IN_POINTER_MOVE, x, y);
            view_track_tooltip(st, lines, 8, &n);
            fmt_value(a, sizeof a, in.value);
            snprintf(want, sizeof want, "input x = %s  \xe2\x80\x94 marked", a);
            CHECK_MSG(has_line(lines, n, want), "no '%s' in the hover text", want);
        }
        CHECK(marked > 0);
    }
    headless_close(&h);
    /* text: the top character and its probability */
    if (open_task(&h, 1280, 720, GS_TASK_TEXT, NULL, 4, 30) != 0) {
        CHECK(0);
        return;
    }
    {
        const app_state *st = &h.app.st;
        col_centre(st, 2, TRACK_OUT, 17, &x, &y);
        pointer(&h, IN_POINTER_MOVE, x, y);
        view_track_tooltip(st, lines, 8, &n);
        for (p = 0; p < st->sc.n; p++) {
            const char *name;
            gs_seq_readout(state_seq(st, p), 17, 0, &ro, NULL);
            name = gs_task_class_name(state_task(st), 0, ro.top);
            fmt_value(a, sizeof a, ro.top_prob);
            fmt_value(b, sizeof b, ro.loss);
            snprintf(want, sizeof want, "%s: says %s (p %s) \xc2\xb7 loss %s", state_variant(st, p)->name,
                     name[0] == ' ' ? "a space" : name, a, b);
            CHECK_MSG(has_line(lines, n, want), "no '%s' in the hover text", want);
        }
        /* not computed yet: says so */
        col_centre(st, 0, TRACK_OUT, 40, &x, &y);
        pointer(&h, IN_POINTER_MOVE, x, y);
        view_track_tooltip(st, lines, 8, &n);
        CHECK(has_line(lines, n, "not computed yet"));
    }
    headless_close(&h);
}

/* ---- Editing: every pane recomputed, as a fresh run ------------------------------------- */

/* Pane p of the app against a fresh run: a copy of its model on a copy of its input,
 * forward to the cursor and backward; every value the trace holds must be equal. */
static int differs_from_fresh(const app_state *st, int p) {
    const gs_seq *s = state_seq(st, p);
    const gs_model *m = gs_seq_model(s);
    gs_model *fm = NULL;
    gs_seq *fs = NULL;
    gs_backward_opts bo = { 0 };
    int T = state_T(st), C = st->cursor, t, bad = 0, mm = gs_task_n_in(state_task(st)), k = gs_task_n_out(state_task(st));
    if (gs_model_clone(&fm, m, NULL) != GS_OK || gs_seq_create(&fs, fm, T, 1, NULL) != GS_OK) return -1;
    if (gs_seq_summary_of(s).steps != C || C < 1) return -2;
    for (t = 1; t <= T; t++) {
        memcpy(gs_seq_inputs(fs) + (size_t)(t - 1) * (size_t)mm, gs_seq_input_at(s, t, 0, NULL), sizeof(gs_real) * (size_t)mm);
        if (t <= C)
            memcpy(gs_seq_targets(fs) + (size_t)(t - 1) * (size_t)k, gs_seq_values(s, GS_Q_TARGET, 0, t, 0, NULL),
                   sizeof(gs_real) * (size_t)k);
        gs_seq_mask(fs)[t - 1] = gs_seq_loss_mask(s)[t - 1];
    }
    gs_seq_set_loss(fs, gs_task_loss(state_task(st)));
    gs_seq_rewind(fs);
    gs_seq_forward(fs, C);
    bo.truncate = st->setup.truncate;
    gs_seq_backward(fs, &bo, NULL);
    for (t = 1; t <= C; t++) {
        static const gs_quantity qs[] = { GS_Q_STATE, GS_Q_OUT, GS_Q_Y, GS_Q_D_STATE };
        for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
            int n1, n2;
            const gs_real *a = gs_seq_values(s, qs[q], 0, t, 0, &n1), *b = gs_seq_values(fs, qs[q], 0, t, 0, &n2);
            if (!a || !b || n1 != n2 || memcmp(a, b, sizeof *a * (size_t)n1)) bad++;
        }
        {
            const gs_step_stats *sa = gs_seq_stats(s, t), *sb = gs_seq_stats(fs, t);
            if (!(sa->loss == sb->loss || (isnan(sa->loss) && isnan(sb->loss)))) bad++;
        }
    }
    gs_seq_destroy(fs);
    gs_model_destroy(fm);
    return bad;
}

static void test_edit(void) {
    headless h;
    int x, y, p, T, t2 = 0;
    if (open_task(&h, 1280, 720, GS_TASK_ADDING, NULL, 4, 0) != 0) {
        CHECK(0);
        return;
    }
    {
        app_state *st = &h.app.st;
        gs_step_input in;
        gs_step_readout before, after;
        T = state_T(st);
        send(&h, CMD_END, 0);
        gs_seq_readout(state_seq(st, 0), T, 0, &before, NULL);
        /* a click on an unmarked step of the second half moves marker 2 there */
        for (int t = T; t > T / 2 && !t2; t--) {
            gs_seq_read_input(state_seq(st, 0), state_task(st), t, 0, &in, NULL);
            if (!in.marked) t2 = t;
        }
        col_centre(st, 2, TRACK_IN, t2, &x, &y);
        click(&h, x, y);
        headless_frame(&h, 0);
        CHECK(st->cursor == T && st->engine_steps == T);
        for (p = 0; p < st->sc.n; p++) {
            gs_seq_read_input(state_seq(st, p), state_task(st), t2, 0, &in, NULL);
            CHECK_MSG(in.marked, "pane %d: step %d not marked after the click", p, t2);
            CHECK(input_edited(st, t2));
            CHECK_MSG(differs_from_fresh(st, p) == 0, "pane %d: the recomputed trace differs from a fresh run", p);
        }
        gs_seq_readout(state_seq(st, 0), T, 0, &after, NULL);
        CHECK(after.target != before.target && after.loss != before.loss);
        /* the Jacobians the state keeps are the new input's */
        {
            gs_model *fm = NULL;
            gs_seq *fs = NULL;
            gs_backward_opts bo = { 0 };
            const gs_seq *s = state_seq(st, 0);
            int m = gs_task_n_in(state_task(st));
            bo.jacobian = 1;
            gs_model_clone(&fm, gs_seq_model(s), NULL);
            gs_seq_create(&fs, fm, T, 1, NULL);
            for (int t = 1; t <= T; t++)
                memcpy(gs_seq_inputs(fs) + (size_t)(t - 1) * (size_t)m, gs_seq_input_at(s, t, 0, NULL), sizeof(gs_real) * (size_t)m);
            gs_seq_rewind(fs);
            gs_seq_forward(fs, T);
            gs_seq_backward(fs, &bo, NULL);
            CHECK(state_jac_sigma(st, 0, t2) == gs_seq_stats(fs, t2)->jac_sigma);
            gs_seq_destroy(fs);
            gs_model_destroy(fm);
        }
        /* the wheel over a step: its value moves by 0.05, everywhere */
        {
            double v;
            gs_seq_read_input(state_seq(st, 0), state_task(st), 7, 0, &in, NULL);
            v = in.value;
            col_centre(st, 0, TRACK_IN, 7, &x, &y);
            pointer(&h, IN_POINTER_MOVE, x, y);
            wheel(&h, v > 0.5 ? -1 : 1);
            headless_frame(&h, 0);
            for (p = 0; p < st->sc.n; p++) {
                gs_seq_read_input(state_seq(st, p), state_task(st), 7, 0, &in, NULL);
                CHECK_NEAR(in.value, v + (v > 0.5 ? -0.05 : 0.05), 1e-6);
            }
            CHECK(differs_from_fresh(st, 3) == 0);
        }
        /* a marked step refuses, and says why */
        col_centre(st, 0, TRACK_IN, t2, &x, &y);
        click(&h, x, y);
        headless_frame(&h, 0);
        CHECK_MSG(strstr(st->toast, "already marked") != NULL, "toast: %s", st->toast);
        /* Reset: the generated input, the trace as it was */
        send(&h, CMD_INPUT_RESET, 0);
        headless_frame(&h, 0);
        for (int t = 1; t <= T; t++) CHECK(!input_edited(st, t));
        gs_seq_readout(state_seq(st, 0), T, 0, &after, NULL);
        CHECK(after.target == before.target && after.loss == before.loss && after.y == before.y);
        CHECK(differs_from_fresh(st, 1) == 0);
    }
    headless_close(&h);
    /* echo: a click flips the bit; copy: the delimiter is the task's */
    if (open_task(&h, 1280, 720, GS_TASK_ECHO, NULL, 4, 30) == 0) {
        app_state *st = &h.app.st;
        gs_step_input in;
        double was;
        gs_seq_read_input(state_seq(st, 0), state_task(st), 12, 0, &in, NULL);
        was = in.value;
        col_centre(st, 1, TRACK_IN, 12, &x, &y);
        click(&h, x, y);
        headless_frame(&h, 0);
        gs_seq_read_input(state_seq(st, 3), state_task(st), 12, 0, &in, NULL);
        CHECK(in.value == 1 - was);
        CHECK(st->cursor == 30 && differs_from_fresh(st, 2) == 0);
    } else {
        CHECK(0);
    }
    headless_close(&h);
    if (open_task(&h, 1280, 720, GS_TASK_COPY, NULL, 2, 30) == 0) {
        app_state *st = &h.app.st;
        col_centre(st, 0, TRACK_IN, state_T(st) - 10, &x, &y);
        click(&h, x, y);
        headless_frame(&h, 0);
        CHECK_MSG(strstr(st->toast, "delimiter") != NULL, "toast: %s", st->toast);
    } else {
        CHECK(0);
    }
    headless_close(&h);
}

/* ---- The text field ------------------------------------------------------------------- */

static void test_text_field(void) {
    headless h;
    const app_state *st = &h.app.st;
    int n, drawn = 0;
    const char *const *log;
    if (open_task(&h, 1280, 720, GS_TASK_ADDING, NULL, 2, 5) != 0) {
        CHECK(0);
        return;
    }
    send(&h, CMD_TYPE, 0);
    CHECK(st->edit.field == 1 && st->edit.draft[0] == '\0');
    text(&h, "Hi");
    text(&h, " there!");
    key(&h, KEY_BACKSPACE);
    CHECK(!strcmp(st->edit.draft, "Hi there"));
    key(&h, KEY_HOME);
    key(&h, KEY_DELETE);
    text(&h, "h");
    CHECK(!strcmp(st->edit.draft, "hi there"));
    /* what the alphabet lacks: refused, with the reason */
    text(&h, "\xc3\xa9");
    CHECK(!strcmp(st->edit.draft, "hi there"));
    CHECK_MSG(strstr(st->toast, "'\xc3\xa9'") && strstr(st->toast, "not in the alphabet"), "toast: %s", st->toast);
    text(&h, "4");
    CHECK(!strcmp(st->edit.draft, "hi there") && strstr(st->toast, "'4'"));
    /* the field is drawn */
    render_log_text(h.app.rc, 1);
    headless_frame(&h, 0);
    render_log_text(h.app.rc, 0);
    log = render_logged(h.app.rc, &n);
    for (int i = 0; i < n; i++) drawn |= !strcmp(log[i], "Type your own sequence") || !strcmp(log[i], "hi there");
    CHECK(drawn);
    /* Enter: the typed task on it */
    key(&h, KEY_END);
    text(&h, ".");
    key(&h, KEY_RETURN);
    headless_frame(&h, 0);
    CHECK(!st->edit.field);
    CHECK(st->setup.task == GS_TASK_TYPED && !strcmp(st->setup.typed, "hi there."));
    CHECK(state_T(st) == 8 && st->sc.n == 2);
    /* again, and Esc: nothing changes */
    send(&h, CMD_TYPE, 0);
    CHECK(!strcmp(st->edit.draft, "hi there."));
    text(&h, " more");
    key(&h, KEY_ESCAPE);
    headless_frame(&h, 0);
    CHECK(!st->edit.field && !strcmp(st->setup.typed, "hi there."));
    /* a click on the typed task's track opens the field too */
    {
        int x, y;
        col_centre(st, 0, TRACK_IN, 3, &x, &y);
        click(&h, x, y);
        CHECK(st->edit.field);
        key(&h, KEY_ESCAPE);
    }
    headless_close(&h);
}

/* ---- A lesson spotlights the track ---------------------------------------------------- */

static void test_lesson(void) {
    static const char *const lesson = "# The track\n\n## Look at the input\nThe marked steps.\n@variants rnn,lstm\n"
                                      "@cursor end\n@view track\n@expect lstm target at last > 0\n"
                                      "@expect lstm y at last < 100\n";
    char path[512], dir[512];
    FILE *f;
    headless h;
    options o;
    box spot[16];
    int n;
    snprintf(path, sizeof path, "%s/track_view.lesson", GS_BINARY_DIR);
    snprintf(dir, sizeof dir, "%s/track_handout", GS_BINARY_DIR);
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    fputs(lesson, f);
    fclose(f);
    options_default(&o);
    o.headless = 1;
    o.width = 1280;
    o.height = 720;
    o.lesson_path = path;
    if (harness_open(&h, &o) != 0) {
        CHECK(0);
        return;
    }
    n = lesson_spotlight(&h.app.st, spot, 16);
    CHECK(n == 2);
    for (int p = 0; p < n && p < h.app.st.L.n_panes; p++) {
        box t = h.app.st.L.pane[p].track;
        CHECK(spot[p].x == t.x && spot[p].y == t.y && spot[p].w == t.w && spot[p].h == t.h);
    }
    /* @view track is a statement that the track is seen, in every pane: it holds here,
       and fails when one pane's track is covered */
    {
        findings *fs = calloc(1, sizeof *fs);
        sight_entry en;
        if (fs) {
            lesson_sight_settle(&h.app, 0, &en);
            CHECK(lesson_sight_step(&h.app, 0, &en, "here", fs) == 1 && fs->n_fail == 0);
            memset(fs, 0, sizeof *fs);
            h.app.st.L.narrative = h.app.st.L.pane[1].track;
            lesson_sight_step(&h.app, 0, &en, "here", fs);
            CHECK(fs->n_fail == 1);
            CHECK_MSG(fs->n && strstr(fs->f[0].msg, "expected @view track, but at here the narrative "
                                                    "panel covers it (in one of the panes)"),
                      "%s", fs->n ? fs->f[0].msg : "");
            h.app.st.layout_dirty = 1;
            session_update(&h.app.st, 0);
        }
        CHECK(fs != NULL);
        free(fs);
    }
    /* the handout draws the track */
    {
        char err[256];
        const char *const *log;
        int m, x = 0;
        render_log_text(h.app.rc, 1);
        CHECK_MSG(handout_export(&h, dir, 0, err, sizeof err) == 0, "%s", err);
        render_log_text(h.app.rc, 0);
        log = render_logged(h.app.rc, &m);
        for (int i = 0; i < m; i++) x += !strncmp(log[i], "target ", 7);
        CHECK_MSG(x >= 2, "the handout's track drew %d target labels", x);
    }
    headless_close(&h);
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    test_geometry();
    test_typed_glyphs();
    test_hover();
    test_edit();
    test_text_field();
    test_lesson();
    SDL_Quit();
    return check_result("test_app_track");
}
