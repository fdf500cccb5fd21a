/* test_app_faults.c — the app headless against hostile files, each in a data
 * directory of its own under the build tree: an empty and a damaged font (one clear
 * error from headless_open, never SIGFPE), a lessons/ folder holding a FIFO nobody
 * writes and a link to /dev/zero (F2 lists the real lesson and returns), PNGs to a
 * full device and to a missing folder (an error, the old file untouched), and the
 * budget refusing a scene that cannot fit.  An alarm turns any hang into a failure. */
#define _POSIX_C_SOURCE 200809L /* mkfifo, symlink, alarm, setenv */
#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_harness.h"
#include "check.h"
#include "run/headless.h"
#include "session/lesson_player.h"
#include "session/options.h"
#include "session/scene.h"

#define ROOT GS_BINARY_DIR "/app_faults"

/* A data directory at ROOT/name: assets/ copied by links (fonts by copy, so a test
 * can break one) and an empty lessons/. */
static void make_data_dir(const char *name) {
    static const char *const fonts[] = { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                         "DejaVuSansMono.ttf" };
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/%s' && mkdir -p '%s/%s/assets/fonts' '%s/%s/lessons' && "
             "ln -s '%s/assets/text' '%s/%s/assets/text'", ROOT, name, ROOT, name, ROOT, name,
             GS_SOURCE_DIR, ROOT, name);
    CHECK(system(cmd) == 0);
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "cp '%s/assets/fonts/%s' '%s/%s/assets/fonts/'", GS_SOURCE_DIR,
                 fonts[i], ROOT, name);
        CHECK(system(cmd) == 0);
    }
}

static void at(char *buf, size_t len, const char *name, const char *rel) {
    snprintf(buf, len, "%s/%s/%s", ROOT, name, rel);
}

static int open_in(headless *h, const char *name, char *err, size_t err_len) {
    char dir[1024];
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    snprintf(dir, sizeof dir, "%s/%s", ROOT, name);
    return headless_open(h, &o, dir, err, err_len);
}

/* An empty DejaVuSans.ttf, then one cut short: headless_open fails with one line
 * naming the font (it divided by a font height of 0 before). */
static void test_fonts(void) {
    headless h;
    char err[512], path[1024];
    FILE *f;
    make_data_dir("font_empty");
    at(path, sizeof path, "font_empty", "assets/fonts/DejaVuSans.ttf");
    CHECK((f = fopen(path, "w")) != NULL && fclose(f) == 0);
    CHECK(open_in(&h, "font_empty", err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "DejaVuSans.ttf") && strstr(err, "reinstall") && !strchr(err, '\n'),
              "%s", err);
    make_data_dir("font_cut");
    at(path, sizeof path, "font_cut", "assets/fonts/DejaVuSans-Bold.ttf");
    CHECK(truncate(path, 20000) == 0);
    CHECK(open_in(&h, "font_cut", err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "DejaVuSans-Bold.ttf") != NULL, "%s", err);
    /* the intact copy opens: the directory itself is good */
    make_data_dir("font_ok");
    CHECK_MSG(open_in(&h, "font_ok", err, sizeof err) == 0, "%s", err);
    headless_close(&h);
}

/* F2 over a lessons/ folder with a FIFO (opening it would wait for a writer forever)
 * and a link to /dev/zero (an endless stream): only the real lesson is listed. */
static void test_lesson_list(void) {
    headless h;
    char err[512], path[1024], cmd[1200];
    make_data_dir("lessons");
    at(path, sizeof path, "lessons", "lessons/a-fifo.lesson");
    CHECK(mkfifo(path, 0644) == 0);
    at(path, sizeof path, "lessons", "lessons/b-zero.lesson");
    CHECK(symlink("/dev/zero", path) == 0);
    at(path, sizeof path, "lessons", "lessons");
    snprintf(cmd, sizeof cmd, "cp '%s/tests/lessons_good/full.lesson' '%s/c-real.lesson'",
             GS_SOURCE_DIR, path);
    CHECK(system(cmd) == 0);
    if (open_in(&h, "lessons", err, sizeof err) != 0) {
        CHECK_MSG(0, "%s", err);
        return;
    }
    headless_frame(&h, 0);
    send(&h, CMD_LESSONS, 0);
    CHECK(h.app.st.show_lessons);
    CHECK_MSG(h.app.st.lesson && h.app.st.lesson->n_list == 1, "%d lessons listed",
              h.app.st.lesson ? h.app.st.lesson->n_list : -1);
    if (h.app.st.lesson && h.app.st.lesson->n_list == 1)
        CHECK(strstr(h.app.st.lesson->list[0].path, "c-real.lesson") != NULL);
    /* --lesson on the endless stream: an error, at once */
    CHECK(lesson_open(&h.app.st, "/dev/zero", err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "too large") != NULL, "%s", err);
    headless_close(&h);
}

/* PNGs: to a link to /dev/full (written in place, the error seen, the device kept),
 * to a missing folder (fails at open), and over a good file with a failing write
 * (the old file stays). */
static void test_png_errors(void) {
    headless h;
    char err[512], path[1024];
    struct stat st;
    make_data_dir("png");
    if (open_in(&h, "png", err, sizeof err) != 0) {
        CHECK_MSG(0, "%s", err);
        return;
    }
    headless_frame(&h, 0);
    at(path, sizeof path, "png", "full.png");
    CHECK(symlink("/dev/full", path) == 0);
    CHECK(headless_save(&h, path, err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "No space left on device") != NULL, "%s", err);
    CHECK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
    at(path, sizeof path, "png", "no/such/dir/x.png");
    CHECK(headless_save(&h, path, err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "No such file or directory") != NULL, "%s", err);
    at(path, sizeof path, "png", "good.png");
    CHECK(headless_save(&h, path, err, sizeof err) == 0);
    CHECK(stat(path, &st) == 0 && st.st_size > 1000);
    headless_close(&h);
}

/* The budget: a scene of 16 variants at n = 4096 over 100000 steps is refused by
 * scene_build with the memory it needs, before allocating any of it. */
static void test_budget(void) {
    options o;
    scene sc;
    char err[512];
    options_default(&o);
    o.setup.n_variants = GS_VARIANT_COUNT;
    for (int i = 0; i < GS_VARIANT_COUNT; i++) o.setup.variants[i] = (gs_variant)i;
    o.setup.hidden = 4096;
    o.setup.length = 100000;
    CHECK(scene_build(&sc, &o.setup, NULL, NULL, err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "GiB of memory") && strstr(err, "lower the hidden size"), "%s", err);
    /* GATESCOPE_MEMORY lowers the budget: a small scene is refused under 1 MiB */
    setenv("GATESCOPE_MEMORY", "1M", 1);
    options_default(&o);
    o.setup.hidden = 64;
    o.setup.length = 200;
    CHECK(scene_build(&sc, &o.setup, NULL, NULL, err, sizeof err) != 0);
    CHECK_MSG(strstr(err, "GATESCOPE_MEMORY") != NULL, "%s", err);
    unsetenv("GATESCOPE_MEMORY");
    CHECK_MSG(scene_build(&sc, &o.setup, NULL, NULL, err, sizeof err) == 0, "%s", err);
    scene_free(&sc);
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    alarm(60); /* a hang (FIFO, endless stream) fails the test instead of blocking it */
    mkdir(ROOT, 0755);
    test_fonts();
    test_lesson_list();
    test_png_errors();
    test_budget();
    SDL_Quit();
    return check_result("test_app_faults");
}
