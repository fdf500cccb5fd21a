/* test_app_lesson.c — the lesson player, headless: a good lesson is stepped through
 * and the scene follows each step (variants, cursor, play, no needless rebuild), the
 * narrative text fits without clipping at three sizes, presenter mode switches the
 * theme, hides the controls and never draws the presenter's notes, the export writes
 * a PNG and a Markdown file per step, and a broken lesson gives its error line. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_harness.h"
#include "check.h"
#include "run/handout.h"
#include "run/headless.h"
#include "run/lesson_sight.h"
#include "session/lesson_handout.h"
#include "session/lesson_player.h"
#include "session/options.h"
#include "views/views.h"

#define GOOD GS_SOURCE_DIR "/tests/lessons_good/"

static int open_lesson(headless *h, const char *path, int w, int hh, int present) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = w;
    o.height = hh;
    o.lesson_path = path;
    o.present = present;
    return harness_open(h, &o);
}

/* ---- The scene follows the steps ------------------------------------------------- */

static void test_steps(void) {
    headless h;
    const app_state *st = &h.app.st;
    box spot[64];
    const void *model;
    if (open_lesson(&h, GOOD "full.lesson", 1600, 1000, 0) != 0) {
        CHECK(0);
        return;
    }
    CHECK(lesson_current(st) != NULL && lesson_current(st)->n_steps == 2);
    CHECK(lesson_step_index(st) == 0);
    /* step 1: rnn and proto, n 16, T 50, seed 7, the cursor at 10, playing */
    CHECK(st->sc.n == 2 && st->setup.variants[0] == GS_RNN && st->setup.variants[1] == GS_PROTO);
    CHECK(st->setup.hidden == 16 && state_T(st) == 50 && st->setup.seed == 7);
    CHECK(st->setup.init == GS_INIT_XAVIER);
    CHECK(st->cursor == 10 && st->playing == 1);
    CHECK(st->L.narrative.w > 0 && st->L.nar_text.h > 0);
    /* the gates view and gate f are spotlit: the heat areas and proto's f row */
    CHECK(lesson_spotlight(st, spot, 64) == 3);
    model = st->sc.models[0];
    /* step 2: the same setup (no rebuild), the cursor at the start, paused */
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(lesson_step_index(st) == 1);
    CHECK(st->sc.models[0] == model);
    CHECK(st->cursor == 0 && st->playing == 0);
    /* past the end: stays, says so */
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(lesson_step_index(st) == 1 && st->toast_left > 0);
    send(&h, CMD_LESSON_PREV, -1);
    CHECK(lesson_step_index(st) == 0 && st->cursor == 10);
    /* interactive: a setup change by hand, then re-entering the step restores it */
    send(&h, CMD_HIDDEN, 1);
    CHECK(st->setup.hidden == 32);
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(st->setup.hidden == 16 && st->cursor == 0);
    /* Esc leaves the lesson; the scene stays */
    send(&h, CMD_CLOSE, 0);
    CHECK(lesson_current(st) == NULL && st->L.narrative.w == 0);
    CHECK(st->sc.n == 2);
    headless_close(&h);

    /* inheritance: variants all (8 panes at most), echo, the cursor at 12 */
    if (open_lesson(&h, GOOD "inherit.lesson", 1024, 640, 0) != 0) {
        CHECK(0);
        return;
    }
    CHECK(st->sc.n == 4 && st->setup.variants[0] == GS_RNN && st->setup.task == GS_TASK_ADDING);
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(st->sc.n == LAYOUT_MAX_PANES && st->setup.task == GS_TASK_ECHO && st->setup.hidden == 8);
    CHECK(st->setup.truncate == 5 && st->cursor == 12 && st->playing == 1);
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(st->cursor == state_T(st) && st->playing == 0 && st->setup.task == GS_TASK_ECHO); /* @cursor is per step: end */
    send(&h, CMD_LESSON_NEXT, 1);
    CHECK(st->sc.n == 2 && st->setup.variants[0] == GS_GRU_RA && st->setup.variants[1] == GS_PEEPHOLE);
    CHECK(lesson_step_index(st) == 3);
    headless_close(&h);
}

/* ---- No clipped text, no overlaps, at three sizes ---------------------------------- */

static void check_frame(headless *h, const char *what, int w, int hh) {
    const app_state *st = &h->app.st;
    box leaves[512];
    const char *names[512];
    int n = layout_leaves(&st->L, leaves, names, 512), i, j, overlaps = 0, overflows;
    for (i = 0; i < n; i++) {
        CHECK_MSG(leaves[i].x >= 0 && leaves[i].y >= 0 && leaves[i].x + leaves[i].w <= w &&
                      leaves[i].y + leaves[i].h <= hh,
                  "%s %dx%d: %s outside the window", what, w, hh, names[i]);
        for (j = i + 1; j < n; j++)
            if (box_overlap(leaves[i], leaves[j]) && overlaps++ < 3)
                fprintf(stderr, "%s %dx%d: '%s' overlaps '%s'\n", what, w, hh, names[i], names[j]);
    }
    CHECK_MSG(overlaps == 0, "%s %dx%d: %d overlaps", what, w, hh, overlaps);
    /* the panel's own boxes do not overlap its buttons */
    for (i = 0; i < st->L.n_buttons; i++)
        CHECK(!box_overlap(st->L.button[i].b, st->L.nar_text));
    /* the step's text fits the panel (in the body size or the small one) */
    {
        int need = view_lesson_text_height(h->app.rc, st, st->L.nar_text.w, FONT_SMALL);
        CHECK_MSG(need <= st->L.nar_text.h, "%s %dx%d step %d: text needs %d px, has %d", what, w, hh,
                  lesson_step_index(st) + 1, need, st->L.nar_text.h);
    }
    overflows = render_take_overflows(h->app.rc);
    CHECK_MSG(overflows == 0, "%s %dx%d step %d: %d clipped texts (last: %s)", what, w, hh,
              lesson_step_index(st) + 1, overflows, render_last_overflow(h->app.rc));
}

static void test_sizes(void) {
    static const int sizes[3][2] = { { 1024, 640 }, { 1600, 1000 }, { 3840, 2160 } };
    static const char *const files[2] = { GOOD "full.lesson", GOOD "inherit.lesson" };
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 3; k++)
            for (int present = 0; present < 2; present++) {
                headless h;
                int s;
                if (open_lesson(&h, files[f], sizes[k][0], sizes[k][1], present) != 0) {
                    CHECK(0);
                    continue;
                }
                render_take_overflows(h.app.rc);
                for (s = 0; s < lesson_current(&h.app.st)->n_steps; s++) {
                    if (s > 0) send(&h, CMD_LESSON_NEXT, 1);
                    else headless_frame(&h, 0);
                    check_frame(&h, present ? "presenting" : "lesson", sizes[k][0], sizes[k][1]);
                }
                headless_close(&h);
            }
}

/* GS_LESSON_ALL=1: the same checks over every shipped lesson (slow; for authors). */
static void test_shipped(void) {
    static const int sizes[3][2] = { { 1024, 640 }, { 1600, 1000 }, { 3840, 2160 } };
    char path[1024];
    if (!getenv("GS_LESSON_ALL")) return;
    for (int f = 1; f <= 11; f++) {
        FILE *probe;
        static const char *const names[11] = {
            "01-vanilla-rnn", "02-vanishing-exploding", "03-bptt-truncation", "04-gates",
            "05-prototype-drift", "06-bounded-repairs", "07-basic-lstm", "08-peepholes",
            "09-fair-race", "10-sandbox", "11-greff-ablations" };
        snprintf(path, sizeof path, "%s/lessons/%s.lesson", GS_SOURCE_DIR, names[f - 1]);
        if (!(probe = fopen(path, "rb"))) continue;
        fclose(probe);
        fprintf(stderr, "%s\n", path);
        for (int k = 0; k < 3; k++)
            for (int present = 0; present < 2; present++) {
                headless h;
                if (open_lesson(&h, path, sizes[k][0], sizes[k][1], present) != 0) {
                    CHECK(0);
                    continue;
                }
                render_take_overflows(h.app.rc);
                for (int s = 0; s < lesson_current(&h.app.st)->n_steps; s++) {
                    if (s > 0) send(&h, CMD_LESSON_NEXT, 1);
                    check_frame(&h, path + strlen(GS_SOURCE_DIR) + 9, sizes[k][0], sizes[k][1]);
                }
                headless_close(&h);
            }
    }
}

/* ---- Presenter mode ------------------------------------------------------------------- */

static void test_present(void) {
    headless h;
    const app_state *st = &h.app.st;
    int body, n, i, notes = 0, heading = 0;
    const char *const *logged;
    if (open_lesson(&h, GOOD "full.lesson", 1600, 1000, 0) != 0) {
        CHECK(0);
        return;
    }
    body = st->L.font_px[FONT_BODY];
    CHECK(st->theme == CM_THEME_DARK && st->L.sidebar.w > 0 && st->L.n_buttons > 10);
    render_log_text(h.app.rc, 1);
    send(&h, CMD_PRESENT, 0);
    CHECK(st->present == 1 && st->theme == CM_THEME_CONTRAST);
    CHECK(st->L.sidebar.w == 0 && st->L.n_buttons == 0);
    CHECK(st->L.font_px[FONT_BODY] > body);
    CHECK(st->L.narrative.w > 0);
    logged = render_logged(h.app.rc, &n);
    for (i = 0; i < n; i++) {
        if (strstr(logged[i], "Ask the class")) notes++;
        if (strstr(logged[i], "One state, rewritten")) heading++;
    }
    CHECK_MSG(notes == 0, "presenter notes drawn on the class's screen");
    CHECK(heading > 0);
    render_log_text(h.app.rc, 0);
    send(&h, CMD_PRESENT, 0);
    CHECK(st->present == 0 && st->theme == CM_THEME_DARK && st->L.sidebar.w > 0);
    /* Esc leaves the lesson and presenter mode with it */
    send(&h, CMD_PRESENT, 0);
    send(&h, CMD_CLOSE, 0);
    CHECK(st->present == 0 && lesson_current(st) == NULL && st->theme == CM_THEME_DARK);
    headless_close(&h);
}

/* ---- Handouts ------------------------------------------------------------------------- */

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (buf) buf[n] = '\0';
    fclose(f);
    return buf;
}

static int exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void test_export(void) {
    headless h;
    char err[512], path[1024];
    const char *dir = GS_BINARY_DIR "/lesson_export/a/b", *refused = GS_BINARY_DIR "/lesson_refused";
    struct stat sb;
    char *md;
    if (open_lesson(&h, GOOD "inherit.lesson", 1024, 640, 0) != 0) {
        CHECK(0);
        return;
    }
    /* its checks fail (a parser test): refused, nothing written ... */
    CHECK(handout_export(&h, refused, 0, err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "no handout written") != NULL, "%s", err);
    CHECK(!exists(refused));
    /* ... unless asked; missing parents are made */
    CHECK_MSG(handout_export(&h, dir, 1, err, sizeof err) == 0, "%s", err);
    for (int k = 1; k <= 4; k++) {
        snprintf(path, sizeof path, "%s/step-%02d.png", dir, k);
        CHECK_MSG(stat(path, &sb) == 0 && sb.st_size > 1000, "%s", path);
        snprintf(path, sizeof path, "%s/step-%02d.md", dir, k);
        CHECK_MSG(stat(path, &sb) == 0, "%s", path);
    }
    snprintf(path, sizeof path, "%s/step-05.png", dir);
    CHECK(stat(path, &sb) != 0);
    snprintf(path, sizeof path, "%s/step-04.md", dir);
    md = slurp(path);
    /* students get the text and the picture, not the checks */
    CHECK(md && strstr(md, "## Reset what can be reset") && strstr(md, "](step-04.png)"));
    CHECK(md && !strstr(md, "first\\_nonfinite") && !strstr(md, "first_nonfinite"));
    free(md);
    snprintf(path, sizeof path, "%s/teacher.md", dir);
    md = slurp(path);
    CHECK(md && strstr(md, "## Step 4: Reset what can be reset"));
    CHECK(md && strstr(md, "holds, margin exact: peephole first_nonfinite == 0`"));
    CHECK(md && strstr(md, "expected gru-ra jac_sigma at first >= 0, but"));
    free(md);
    CHECK(!h.app.st.handout); /* the window's own frames keep their key hints */
    headless_close(&h);

    /* the Markdown of the full example: emphasis, strong, bullets, no notes */
    if (open_lesson(&h, GOOD "full.lesson", 1024, 640, 0) != 0) {
        CHECK(0);
        return;
    }
    snprintf(path, sizeof path, "%s/full-01.md", GS_BINARY_DIR);
    CHECK(lesson_write_markdown(lesson_current(&h.app.st), 0, path, NULL, err, sizeof err) == 0);
    md = slurp(path);
    CHECK(md && strstr(md, "## One state, rewritten every step"));
    CHECK(md && strstr(md, "# The vanilla RNN\n\nA short introduction: one state, rewritten at *every* step."));
    CHECK(md && strstr(md, "*emphasis*") && strstr(md, "**strong**"));
    CHECK(md && strstr(md, "\n- a bullet with a formula s\xe2\x82\x9c")); /* s_t: s, subscript t */
    CHECK(md && strstr(md, "- a literal \\* asterisk"));
    CHECK(md && !strstr(md, "Ask the class") && !strstr(md, "!["));
    free(md);
    headless_close(&h);
}

/* CommonMark that reads as written: marks merged across runs, maths in Unicode, markup
 * escaped (tests/lessons_good/handout.lesson; `cmark` renders it as intended). */
static void test_handout_text(void) {
    gs_lesson *l = NULL;
    gs_error e;
    char err[256], *md;
    const char *path = GS_BINARY_DIR "/handout-01.md";
    static const char *const want[] = {
        "# Escapes --\\> and \\<b\\>raw\\</b\\> \\& more\n",
        "An intro with **\xe2\x88\x82L/\xe2\x88\x82s\xe2\x82\x9c** in strong", /* one span */
        "x\xe2\x82\x9c, s\xe2\x82\x9c\xe2\x82\x8b\xe2\x82\x81 and W<sub>f</sub> h", /* x_t s_{t-1} W_f */
        "## 1. A step -- with \\<i\\>html\\</i\\> \\#hash\n",
        "](step-01.png)\n", "\n1\\. not a list\n", "\n\\+ plus start\n",
        "Prose with\\_underscores, s\\_norm and d\\_x\\_norm, a \\* star, \\[link\\](x), a \\* b and x\xc2\xb2.",
    };
    if (gs_lesson_load(&l, GOOD "handout.lesson", NULL, &e) != GS_OK) {
        CHECK_MSG(0, "%s", e.msg);
        return;
    }
    CHECK(lesson_write_markdown(l, 0, path, "step-01.png", err, sizeof err) == 0);
    md = slurp(path);
    for (size_t i = 0; md && i < sizeof want / sizeof *want; i++)
        CHECK_MSG(strstr(md, want[i]) != NULL, "handout lacks '%s':\n%s", want[i], md);
    CHECK(md && !strstr(md, "Teacher only") && !strstr(md, "<!--") && !strstr(md, "****"));
    free(md);
    gs_lesson_destroy(l);
}

/* ---- What a step shows --------------------------------------------------------------- */

static void test_sight(void) {
    headless h;
    findings *fs = calloc(1, sizeof *fs);
    sight_entry en;
    const app_state *st = &h.app.st;
    if (!fs || open_lesson(&h, GS_SOURCE_DIR "/tests/lessons_check/unseen.lesson", 1024, 640, 0) != 0) {
        CHECK(0);
        free(fs);
        return;
    }
    /* step 1 is paused at the loss: the walk is not shown */
    lesson_sight_settle(&h.app, 0, &en);
    CHECK(en.play_seconds == 0 && st->back_active && st->back_pos == 50);
    CHECK(lesson_sight_step(&h.app, 0, &en, "here", fs) == 2 && fs->n_fail == 1);
    CHECK_MSG(fs->n && strstr(fs->f[0].msg, "unseen.lesson:14: expected @visible backward to 1, but at "
                                            "here the backward playhead stops at step 50"), "%s", fs->f[0].msg);
    /* step 2 walks it back at 4 steps/s: it gets there, in 12 s */
    memset(fs, 0, sizeof *fs);
    lesson_sight_settle(&h.app, 1, &en);
    CHECK(en.back_playing && en.speed == 4 && fabs(en.play_seconds - 49 / 4.0) < 0.6);
    CHECK(st->back_active && st->back_pos == 1 && state_speed(st->speed) == 4);
    lesson_sight_step(&h.app, 1, &en, "here", fs);
    CHECK(fs->n_fail == 0 && fs->n_warn == 1); /* the slow walk (the track is seen) */
    /* the spotlit view covered: the text made tall takes the equations' place */
    h.app.st.lesson->tall = 1;
    h.app.st.layout_dirty = 1;
    session_update(&h.app.st, 0);
    CHECK(st->L.equations.w == 0);
    headless_close(&h);
    free(fs);
}

/* ---- Errors ----------------------------------------------------------------------------- */

static void test_errors(void) {
    headless h;
    options o;
    char err[512], *want;
    const char *argv_bad[] = { "gatescope", "--lesson", "x.lesson", "--export-dir", "d" };
    const char *argv_ok[] = { "gatescope", "--lesson", "x.lesson", "--headless", "--export-dir", "d", "--present" };
    const char *argv_check[] = { "gatescope", "--check", "--lesson", "x.lesson" };
    /* a broken lesson: its one-line message, nothing opened */
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    o.lesson_path = GS_SOURCE_DIR "/tests/lessons_bad/bad_number.lesson";
    CHECK(headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0);
    want = slurp(GS_SOURCE_DIR "/tests/lessons_bad/bad_number.expected");
    if (want) {
        char *nl = strchr(want, '\n');
        if (nl) *nl = '\0';
        CHECK_MSG(strlen(err) >= strlen(want) && !strcmp(err + strlen(err) - strlen(want), want),
                  "got '%s', want '...%s'", err, want);
        CHECK(!strchr(err, '\n'));
    }
    free(want);
    /* the flags */
    CHECK(options_parse(&o, 5, (char **)argv_bad, err, sizeof err) != 0 && strstr(err, "--headless"));
    CHECK(options_parse(&o, 7, (char **)argv_ok, err, sizeof err) == 0);
    CHECK(o.mode == MODE_WINDOW && o.present && o.export_dir && !strcmp(o.lesson_path, "x.lesson"));
    CHECK(options_parse(&o, 4, (char **)argv_check, err, sizeof err) != 0);
}

/* ---- The start screen: the list of shipped lessons ------------------------------------- */

static void test_list(void) {
    headless h;
    const app_state *st = &h.app.st;
    options o;
    char err[512];
    int n, overflows;
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    if (headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        CHECK(0);
        return;
    }
    headless_frame(&h, 0);
    CHECK(lesson_current(st) == NULL && st->L.narrative.w == 0);
    send(&h, CMD_LESSON_NEXT, 1); /* no lesson: a hint, nothing else */
    CHECK(lesson_current(st) == NULL && st->toast_left > 0);
    render_take_overflows(h.app.rc);
    send(&h, CMD_LESSONS, 0);
    n = st->lesson ? st->lesson->n_list : 0;
    if (n > 0) { /* the shipped lessons are there (lessons, *.lesson) */
        CHECK(st->show_lessons);
        CHECK(headless_save(&h, GS_BINARY_DIR "/app_lesson_list.png", err, sizeof err) == 0);
        overflows = render_take_overflows(h.app.rc);
        CHECK_MSG(overflows == 0, "the list: %d clipped texts (last: %s)", overflows,
                  render_last_overflow(h.app.rc));
        if (n > 1) {
            app_input in;
            memset(&in, 0, sizeof in);
            in.kind = IN_COMMAND;
            in.cmd = CMD_UNIT; /* Down moves the highlight */
            in.arg = 1;
            app_event(&h.app, &in);
            CHECK(st->lesson_pick == 1);
            in.arg = -1;
            app_event(&h.app, &in);
            CHECK(st->lesson_pick == 0);
        }
        send(&h, CMD_LESSONS, 1); /* Enter opens it */
        CHECK(!st->show_lessons);
        if (lesson_current(st)) {
            CHECK(lesson_step_index(st) == 0 && st->L.narrative.w > 0);
            /* Previous and Next are buttons now */
            int prev = 0, next = 0;
            for (int i = 0; i < st->L.n_buttons; i++) {
                prev += st->L.button[i].cmd == CMD_LESSON_PREV;
                next += st->L.button[i].cmd == CMD_LESSON_NEXT;
            }
            CHECK(prev == 1 && next == 1);
            send(&h, CMD_HELP, 0);
            overflows = render_take_overflows(h.app.rc);
            CHECK_MSG(overflows == 0, "help in a lesson: %d clipped texts (last: %s)", overflows,
                      render_last_overflow(h.app.rc));
        }
    } else {
        CHECK(!st->show_lessons);
    }
    headless_close(&h);
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    test_steps();
    test_present();
    test_export();
    test_handout_text();
    test_sight();
    test_errors();
    test_list();
    test_sizes();
    test_shipped();
    SDL_Quit();
    return check_result("test_app_lesson");
}
