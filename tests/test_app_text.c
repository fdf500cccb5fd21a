/* test_app_text.c — the text on screen, headless: no two strings drawn in a frame
 * overlap (each string's ink rectangle against every other's), at 1024x640, 1280x720,
 * 1600x1000 and 3840x2160, in the normal window (every task), in every step of every
 * shipped lesson, and in presenter mode; and the variant names read as their letters
 * (one run of ink per letter: "rnn" never melts into "mn") wherever they are drawn.
 * `test_app_text window`, `lessons` or `presenter` runs one part. */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "run/headless.h"
#include "session/lesson_player.h"
#include "session/options.h"
#include "views/views.h"

static const int sizes[4][2] = { { 1024, 640 }, { 1280, 720 }, { 1600, 1000 }, { 3840, 2160 } };

/* ---- Overlaps ----------------------------------------------------------------------- */

static int inter(box a, box b) { return box_overlap(a, b); }

/* Every pair of text rectangles of the last frame; prints the first few clashes. */
static int overlaps(const headless *h, const char *what) {
    int n, i, j, bad = 0;
    const text_rect *r = render_logged_rects(h->app.rc, &n);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++) {
            if (r[i].group == r[j].group || !inter(r[i].ink, r[j].ink)) continue;
            if (bad++ < 4)
                fprintf(stderr, "%s: '%s' (%d,%d %dx%d) overlaps '%s' (%d,%d %dx%d)\n", what, r[i].s, r[i].ink.x,
                        r[i].ink.y, r[i].ink.w, r[i].ink.h, r[j].s, r[j].ink.x, r[j].ink.y, r[j].ink.w, r[j].ink.h);
        }
    return bad;
}

/* Draw one frame with the rectangles logged and check it: no overlaps, and no text
 * shortened to fit (render_text_in counts those). */
static void check_frame(headless *h, const char *what) {
    int bad, clipped;
    render_take_overflows(h->app.rc);
    render_log_rects(h->app.rc, 1);
    headless_frame(h, 0);
    render_log_rects(h->app.rc, 0);
    bad = overlaps(h, what);
    CHECK_MSG(bad == 0, "%s: %d overlapping strings", what, bad);
    clipped = render_take_overflows(h->app.rc);
    CHECK_MSG(clipped == 0, "%s: %d clipped texts (last: %s)", what, clipped, render_last_overflow(h->app.rc));
}

/* ---- Names that read as their letters ---------------------------------------------- */

static cm_rgb px_at(SDL_Surface *s, int x, int y) {
    Uint32 v = ((const Uint32 *)((const char *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
    cm_rgb c;
    SDL_GetRGB(v, s->format, &c.r, &c.g, &c.b);
    return c;
}

static int differs(cm_rgb a, cm_rgb b) { return abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b) > 60; }

/* 1 if column x of the frame has ink (differs from bg) between rows y0 and y1. */
static int inked(SDL_Surface *s, int x, int y0, int y1, cm_rgb bg) {
    for (int y = y0; y <= y1; y++)
        if (differs(px_at(s, x, y), bg)) return 1;
    return 0;
}

/* Letters that may touch their neighbours and still read (crossbars, a hyphen). */
static int may_touch(char c) { return c == 't' || c == 'f' || c == 'j' || c == '-' || c < 'a' || c > 'z'; }

/* The name at byte `at` of the string r drew: between every two of its letters (but
 * t, f, j) an unlit column where the layout puts their boundary, over the x-height
 * (where r and n melt into m).  Returns the letters that touch. */
static int touching(headless *h, const text_rect *r, size_t at, const char *name) {
    SDL_Surface *s = h->surf;
    int fh = r->ink.h, y0 = r->ink.y + fh / 3, y1 = r->ink.y + fh - 2, bad = 0, t;
    int track = render_measure(h->app.rc, r->font, "nn") - 2 * render_measure(h->app.rc, r->font, "n");
    cm_rgb bg;
    char pre[64];
    if (r->ink.x < 1 || y1 >= s->h || at + strlen(name) >= sizeof pre) return 0;
    bg = px_at(s, r->ink.x - 1, y0);
    for (size_t i = 0; name[i + 1]; i++) {
        int bx, gap = 0;
        if (may_touch(name[i]) || may_touch(name[i + 1])) continue;
        memcpy(pre, r->s, at + i + 1);
        pre[at + i + 1] = '\0';
        bx = r->ink.x + render_measure(h->app.rc, r->font, pre);
        for (t = bx - 2; t <= bx + (track > 0 ? track : 0) + 1 && !gap; t++) gap = !inked(s, t, y0, y1, bg);
        if (!gap) bad++;
    }
    return bad;
}

static void check_names(headless *h, const char *what) {
    int n, i, v, seen = 0;
    const text_rect *r;
    render_log_rects(h->app.rc, 1);
    headless_frame(h, 0);
    render_log_rects(h->app.rc, 0);
    r = render_logged_rects(h->app.rc, &n);
    for (i = 0; i < n; i++)
        for (v = 0; v < GS_VARIANT_COUNT; v++) {
            const char *name = gs_variant_get((gs_variant)v)->name;
            size_t at = 0;
            int bad;
            /* the chips read "1 rnn": the name after the digit */
            if (r[i].s[0] >= '1' && r[i].s[0] <= '8' && r[i].s[1] == ' ') at = 2;
            if (strcmp(r[i].s + at, name) != 0) continue;
            seen++;
            bad = touching(h, &r[i], at, name);
            CHECK_MSG(bad == 0, "%s: '%s' at %d,%d (%d px): %d pairs of letters touch", what, r[i].s, r[i].ink.x,
                      r[i].ink.y, r[i].ink.h, bad);
        }
    CHECK_MSG(seen >= 8, "%s: only %d variant names found", what, seen);
}

/* ---- The window, every task ---------------------------------------------------------- */

static void test_window(void) {
    for (int k = 0; k < 4; k++)
        for (int task = 0; task < GS_TASK_COUNT; task++) {
            options o;
            headless h;
            char what[96];
            options_default(&o);
            o.headless = 1;
            o.width = sizes[k][0];
            o.height = sizes[k][1];
            o.at = 30;
            o.setup.task = (gs_task_kind)task;
            if (task == GS_TASK_TYPED) snprintf(o.setup.typed, sizeof o.setup.typed, "%s", "the cat sat on the mat, and then it ran off.");
            if (harness_open(&h, &o) != 0) {
                CHECK(0);
                continue;
            }
            snprintf(what, sizeof what, "%dx%d %s", sizes[k][0], sizes[k][1], gs_task_info_get((gs_task_kind)task)->name);
            check_frame(&h, what);
            if (task == GS_TASK_ADDING) {
                check_names(&h, what);
                send(&h, CMD_END, 0); /* the loss, the backward pass, the playhead */
                send(&h, CMD_BACK_WALK, -1);
                send(&h, CMD_BACK_WALK, -1);
                snprintf(what, sizeof what, "%dx%d walking back", sizes[k][0], sizes[k][1]);
                check_frame(&h, what);
                send(&h, CMD_THEME, 0);
                send(&h, CMD_THEME, 0);
                snprintf(what, sizeof what, "%dx%d high contrast", sizes[k][0], sizes[k][1]);
                check_names(&h, what);
            }
            headless_close(&h);
        }
}

/* ---- Every step of every shipped lesson, normal or in presenter mode ---------------- */

static void test_lessons(int present) {
    static const char *const lessons[] = {
        "01-vanilla-rnn", "02-vanishing-exploding", "03-bptt-truncation", "04-gates", "05-prototype-drift",
        "06-bounded-repairs", "07-basic-lstm", "08-peepholes", "09-fair-race", "10-sandbox" };
    for (int k = 0; k < 4; k++)
            for (size_t l = 0; l < sizeof lessons / sizeof *lessons; l++) {
                options o;
                headless h;
                char path[512], what[160];
                const gs_lesson *ls;
                snprintf(path, sizeof path, "%s/lessons/%s.lesson", GS_SOURCE_DIR, lessons[l]);
                options_default(&o);
                o.headless = 1;
                o.width = sizes[k][0];
                o.height = sizes[k][1];
                o.lesson_path = path;
                o.present = present;
                if (harness_open(&h, &o) != 0) {
                    CHECK(0);
                    continue;
                }
                ls = lesson_current(&h.app.st);
                for (int s = 0; ls && s < ls->n_steps; s++) {
                    /* as the export draws a step: where its play ends, the walk revealed */
                    if (s != lesson_step_index(&h.app.st)) lesson_enter(&h.app.st, s);
                    app_update(&h.app, 0);
                    if (h.app.st.playing) {
                        h.app.st.cursor = state_T(&h.app.st);
                        h.app.st.view_gen++;
                    }
                    if (h.app.st.back_playing) h.app.st.back_active = 0;
                    h.app.st.playing = h.app.st.back_playing = 0;
                    snprintf(what, sizeof what, "%dx%d %s%s step %d", sizes[k][0], sizes[k][1], lessons[l],
                             present ? " presenting" : "", s + 1);
                    check_frame(&h, what);
                }
                headless_close(&h);
            }
}

int main(int argc, char **argv) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    /* "window", "lessons" or "presenter": that part only (ctest runs them as three
       tests, each well inside its time limit under the sanitizers); none: all three */
    const char *only = argc > 1 ? argv[1] : "";
    if (!*only || !strcmp(only, "window")) test_window();
    if (!*only || !strcmp(only, "lessons")) test_lessons(0);
    if (!*only || !strcmp(only, "presenter")) test_lessons(1);
    SDL_Quit();
    return check_result("test_app_text");
}
