/* cli.c — the modes without a window: --list-variants, --list-tasks, --trace,
 * --save-weights, and the view written down (--save-lesson, --print-command).  Output goes to stdout (or the named file); every error is one
 * line `gatescope: ...` on stderr. */
#define _XOPEN_SOURCE 700 /* mkdir */
#include "cli/cli.h"

#include "cli/lesson_check.h"
#include "session/scene.h"
#include "session/session.h"
#include "session/share.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p path; 0 on success (errno set otherwise). */
static int make_dirs(const char *path) {
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    if (!is_dir(buf)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int cli_build_scene(scene *sc, const options *o, const char *assets_dir) {
    char err[512];
    if (o->setup.task == GS_TASK_TEXT && !assets_dir) {
        fprintf(stderr, "gatescope: cannot find gatescope's assets for the text task; "
                "reinstall or run from the build tree\n");
        return EXIT_RUNTIME;
    }
    if (scene_build(sc, &o->setup, assets_dir, o->load_weights, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return EXIT_RUNTIME;
    }
    return 0;
}

int cli_save_scene_weights(const scene *sc, const char *path) {
    char file[4096];
    gs_error e;
    int several = sc->n > 1;
    if (several || is_dir(path)) {
        if (make_dirs(path) != 0) {
            fprintf(stderr, "gatescope: --save-weights: cannot create the directory %s: %s%s\n",
                    path, strerror(errno),
                    several ? " (with several variants it names a directory)" : "");
            return EXIT_RUNTIME;
        }
    }
    for (int i = 0; i < sc->n; i++) {
        const char *name = gs_variant_get(gs_model_config_of(sc->models[i])->variant)->name;
        const char *target = path;
        if (several || is_dir(path)) {
            if (snprintf(file, sizeof file, "%s/%s.json", path, name) >= (int)sizeof file) {
                fprintf(stderr, "gatescope: --save-weights: path too long\n");
                return EXIT_RUNTIME;
            }
            target = file;
        }
        if (gs_model_save_json(sc->models[i], target, &e) != GS_OK) {
            fprintf(stderr, "gatescope: %s\n", e.msg);
            return EXIT_RUNTIME;
        }
    }
    return 0;
}

static int write_trace(const scene *sc, const char *path) {
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    gs_error e;
    int ok = 1;
    if (!f) {
        fprintf(stderr, "gatescope: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_RUNTIME;
    }
    for (int i = 0; i < sc->n && ok; i++)
        if (gs_seq_write_csv(sc->seqs[i], f, i == 0, &e) != GS_OK) {
            fprintf(stderr, "gatescope: %s: %s\n", to_stdout ? "standard output" : path, e.msg);
            ok = 0;
        }
    if (to_stdout) {
        if (ok && fflush(stdout) != 0) {
            fprintf(stderr, "gatescope: cannot write standard output: %s\n", strerror(errno));
            ok = 0;
        }
    } else if (fclose(f) != 0 && ok) {
        fprintf(stderr, "gatescope: cannot write %s: %s\n", path, strerror(errno));
        ok = 0;
    }
    if (!ok && !to_stdout) remove(path);
    return ok ? 0 : EXIT_RUNTIME;
}

int cli_save_weights(const options *o, const char *assets_dir) {
    scene sc;
    int rc = cli_build_scene(&sc, o, assets_dir);
    if (rc) return rc;
    rc = cli_save_scene_weights(&sc, o->save_weights);
    scene_free(&sc);
    return rc;
}

/* --save-lesson and --print-command: the view the window would open with, written. */
static int cli_share(const options *o, const char *assets_dir) {
    app_state *st = calloc(1, sizeof *st);
    char err[512], *line = NULL;
    int rc = 0;
    if (!st) {
        fprintf(stderr, "gatescope: out of memory\n");
        return EXIT_RUNTIME;
    }
    if (session_init(st, o, assets_dir, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        free(st);
        return EXIT_RUNTIME;
    }
    session_update(st, 0); /* a lesson's first step applied */
    if (st->toast_left > 0 && st->toast[0]) /* what the view could not take (--backward
                                               before the loss, ...) */
        fprintf(stderr, "gatescope: note: %s\n", st->toast);
    if (o->mode == MODE_SAVE_LESSON) {
        if (share_save_lesson(st, o->save_lesson, err, sizeof err) != 0) {
            fprintf(stderr, "gatescope: %s\n", err);
            rc = EXIT_RUNTIME;
        }
    } else if (!(line = malloc(SHARE_CLIP_MAX)) || share_command_line(st, line, SHARE_CLIP_MAX)) {
        fprintf(stderr, "gatescope: the command line is too long\n");
        rc = EXIT_RUNTIME;
    } else if (printf("%s\n", line) < 0 || fflush(stdout) != 0) {
        rc = EXIT_RUNTIME;
    }
    free(line);
    session_free(st);
    free(st);
    return rc;
}

int cli_run(const options *o, const char *assets_dir) {
    scene sc;
    int rc, i;
    switch (o->mode) {
    case MODE_LIST_VARIANTS:
        for (i = 0; i < GS_VARIANT_COUNT; i++) {
            const gs_variant_info *v = gs_variant_get((gs_variant)i);
            printf("%s\t%s\n", v->name, v->title);
        }
        return fflush(stdout) == 0 ? 0 : EXIT_RUNTIME;
    case MODE_LIST_TASKS:
        for (i = 0; i < GS_TASK_COUNT; i++) {
            const gs_task_info *t = gs_task_info_get((gs_task_kind)i);
            printf("%s\t%s\n", t->name, t->title);
        }
        return fflush(stdout) == 0 ? 0 : EXIT_RUNTIME;
    case MODE_TRACE:
        if ((rc = cli_build_scene(&sc, o, assets_dir)) != 0) return rc;
        rc = write_trace(&sc, o->trace_path);
        if (rc == 0 && o->save_weights) rc = cli_save_scene_weights(&sc, o->save_weights);
        scene_free(&sc);
        return rc;
    case MODE_SAVE_ONLY:
        return cli_save_weights(o, assets_dir);
    case MODE_TRAIN:
        return cli_train(o, assets_dir);
    case MODE_CHECK:
        return lesson_check_files(o->check_files, o->n_check_files, assets_dir);
    case MODE_SAVE_LESSON:
    case MODE_PRINT_COMMAND:
        return cli_share(o, assets_dir);
    default:
        fprintf(stderr, "gatescope: this mode needs the window\n");
        return EXIT_USAGE;
    }
}
