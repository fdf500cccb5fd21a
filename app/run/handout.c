/* handout.c — a lesson's handout (--lesson --headless --export-dir): every statement
 * of the lesson checked at the frame's size and mode first, then a picture and a
 * student page per step and the teacher's page. */
#include "run/handout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/lesson_check.h"
#include "run/lesson_sight.h"
#include "session/lesson_handout.h"
#include "session/lesson_player.h"

/* mkdir -p: dir and every missing parent. */
static int make_dirs(const char *dir, char *err, size_t err_len) {
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) {
        snprintf(err, err_len, "bad directory name '%.200s'", dir);
        return 1;
    }
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        if (path[i - 1] == '/') continue; /* "a//b" */
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
            return 1;
        }
        path[i] = i < n ? '/' : '\0';
    }
    return 0;
}

/* Every step's expectations and visibility statements at this frame's size and mode,
 * into fs. */
static void export_check(headless *h, findings *fs) {
    const gs_lesson *l = lesson_current(&h->app.st);
    const char *assets = h->app.st.assets_dir[0] ? h->app.st.assets_dir : NULL;
    char where[48];
    lesson_trained cache;
    memset(&cache, 0, sizeof cache);
    snprintf(where, sizeof where, "%dx%d%s", h->app.st.w, h->app.st.h,
             h->app.st.present ? " presenter" : "");
    for (int k = 0; k < l->n_steps; k++) {
        sight_entry en;
        lesson_check_expects(l, k, assets, &cache, fs);
        lesson_sight_settle(&h->app, k, &en);
        lesson_sight_step(&h->app, k, &en, where, fs);
    }
    lesson_trained_free(&cache);
}

int handout_export(headless *h, const char *dir, int allow_failing, char *err, size_t err_len) {
    const gs_lesson *l = lesson_current(&h->app.st);
    char path[4200], png[64];
    findings *fs = NULL;
    int rc = 1;
    if (!l) {
        snprintf(err, err_len, "no lesson is open");
        return 1;
    }
    if (!(fs = calloc(1, sizeof *fs))) {
        snprintf(err, err_len, "out of memory");
        return 1;
    }
    /* a handout shows what its text says, or it is not written (unless asked) */
    export_check(h, fs);
    for (int i = 0; i < fs->n; i++)
        if (fs->f[i].kind != FIND_OK) fprintf(stderr, "%s\n", fs->f[i].msg);
    if (fs->n_fail > 0 && !allow_failing) {
        snprintf(err, err_len, "%d statement%s of the lesson fail%s: no handout written "
                 "(--allow-failing writes it anyway)", fs->n_fail, fs->n_fail == 1 ? "" : "s",
                 fs->n_fail == 1 ? "s" : "");
        goto done;
    }
    if (fs->n_fail > 0)
        fprintf(stderr, "gatescope: warning: %d statement%s fail%s; writing the handout anyway "
                "(--allow-failing)\n", fs->n_fail, fs->n_fail == 1 ? "" : "s",
                fs->n_fail == 1 ? "s" : "");
    if (make_dirs(dir, err, err_len) != 0) goto done;
    h->app.st.handout = 1;
    for (int k = 0; k < l->n_steps; k++) {
        sight_entry en;
        lesson_sight_settle(&h->app, k, &en);
        headless_frame(h, 0);
        snprintf(png, sizeof png, "step-%02d.png", k + 1);
        snprintf(path, sizeof path, "%s/%s", dir, png);
        if (headless_save(h, path, err, err_len) != 0) goto done;
        snprintf(path, sizeof path, "%s/step-%02d.md", dir, k + 1);
        if (lesson_write_markdown(l, k, path, png, err, err_len) != 0) goto done;
    }
    {
        const char *lines[FINDINGS_MAX];
        int at[FINDINGS_MAX];
        for (int i = 0; i < fs->n; i++) {
            lines[i] = fs->f[i].msg;
            at[i] = fs->f[i].line;
        }
        snprintf(path, sizeof path, "%s/teacher.md", dir);
        if (lesson_write_teacher(l, path, at, lines, fs->n, err, err_len) != 0) goto done;
    }
    rc = 0;
done:
    h->app.st.handout = 0;
    free(fs);
    return rc;
}
