/* cli.c — the modes without a window: --list-variants, --list-tasks, --trace and
 * --save-weights, and what they share with --train: the weights files, opened
 * before the work and committed together, and the final check of standard output.
 * Output goes to stdout (or the named file); every error is one line
 * `gatescope: ...` on stderr, with paths quoted (gs_quote). */
#define _XOPEN_SOURCE 700 /* mkdir */
#include "cli/cli.h"

#include "cli/lesson_check.h"
#include "session/scene.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path quoted for a message. */
static const char *q(char *buf, size_t len, const char *path) {
    return gs_quote(buf, len, path, strlen(path));
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
    while (len > 1 && buf[len - 1] == '/') buf[--len] = '\0';
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
    if ((o->mode == MODE_TRAIN
             ? scene_build_to_train(sc, &o->setup, &o->train, assets_dir, o->load_weights, err,
                                    sizeof err)
             : scene_build(sc, &o->setup, assets_dir, o->load_weights, err, sizeof err)) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return EXIT_RUNTIME;
    }
    return 0;
}

/* ---- Weights files ------------------------------------------------------------------ */

int cli_weights_open(cli_weights *w, const opt_setup *setup, const char *path) {
    char file[4096], shown[300];
    size_t len = strlen(path);
    int several = setup->n_variants > 1, dir = several || (len && path[len - 1] == '/');
    gs_error e;
    memset(w, 0, sizeof *w);
    if (dir || is_dir(path)) {
        if (make_dirs(path) != 0) {
            fprintf(stderr, "gatescope: --save-weights: cannot create the directory '%s': %s%s\n",
                    q(shown, sizeof shown, path), strerror(errno),
                    several ? " (with several variants it names a directory)" : "");
            return EXIT_RUNTIME;
        }
        dir = 1;
    }
    for (int i = 0; i < setup->n_variants; i++) {
        const char *target = path;
        if (dir) {
            const char *sep = len && path[len - 1] == '/' ? "" : "/";
            if (snprintf(file, sizeof file, "%s%s%s.json", path, sep,
                         gs_variant_get(setup->variants[i])->name) >= (int)sizeof file) {
                fprintf(stderr, "gatescope: --save-weights: the path is too long\n");
                cli_weights_abort(w);
                return EXIT_RUNTIME;
            }
            target = file;
        }
        if (gs_outfile_open(&w->out[i], target, NULL, &e) != GS_OK) {
            fprintf(stderr, "gatescope: --save-weights: %s\n", e.msg);
            cli_weights_abort(w);
            return EXIT_RUNTIME;
        }
        w->n = i + 1;
    }
    return 0;
}

int cli_weights_commit(cli_weights *w, gs_model *const *models) {
    gs_error e;
    int i, ok = 1;
    /* every file written and flushed (a full disk shows here) before any replaces its
       old one, so the directory never holds a mix of old and new */
    for (i = 0; i < w->n && ok; i++)
        if (gs_model_write_json(models[i], w->out[i], &e) != GS_OK ||
            gs_outfile_check(w->out[i], &e) != GS_OK)
            ok = 0;
    if (!ok) {
        fprintf(stderr, "gatescope: %s; no weights file was replaced\n", e.msg);
        cli_weights_abort(w);
        return EXIT_RUNTIME;
    }
    for (i = 0; i < w->n; i++) {
        gs_outfile *o = w->out[i];
        w->out[i] = NULL;
        if (ok && gs_outfile_commit(o, &e) != GS_OK) {
            fprintf(stderr, "gatescope: %s\n", e.msg);
            ok = 0;
        } else if (!ok) {
            gs_outfile_abort(o);
        }
    }
    w->n = 0;
    return ok ? 0 : EXIT_RUNTIME;
}

void cli_weights_abort(cli_weights *w) {
    if (!w) return;
    for (int i = 0; i < w->n; i++) {
        gs_outfile_abort(w->out[i]);
        w->out[i] = NULL;
    }
    w->n = 0;
}

int cli_save_weights(const options *o, const char *assets_dir) {
    scene sc;
    cli_weights w;
    int rc = cli_weights_open(&w, &o->setup, o->save_weights);
    if (rc) return rc;
    if ((rc = cli_build_scene(&sc, o, assets_dir)) != 0) {
        cli_weights_abort(&w);
        return rc;
    }
    rc = cli_weights_commit(&w, sc.models);
    scene_free(&sc);
    return rc;
}

/* ---- Standard output ----------------------------------------------------------------- */

int cli_close_stdout(int rc) {
    int had = ferror(stdout), before = errno; /* a failed write earlier left its errno */
    errno = 0;
    if (fflush(stdout) != 0 || had) {
        int e = errno ? errno : before ? before : EIO;
        fprintf(stderr, "gatescope: cannot write standard output: %s\n", strerror(e));
        return rc ? rc : EXIT_RUNTIME;
    }
    return rc;
}

/* ---- --trace ----------------------------------------------------------------------- */

static int write_trace(const scene *sc, const char *path) {
    gs_error e;
    if (strcmp(path, "-") != 0) {
        if (gs_seq_save_csv((const gs_seq *const *)sc->seqs, sc->n, path, &e) != GS_OK) {
            fprintf(stderr, "gatescope: --trace: %s\n", e.msg);
            return EXIT_RUNTIME;
        }
        return 0;
    }
    for (int i = 0; i < sc->n; i++)
        if (gs_seq_write_csv(sc->seqs[i], stdout, i == 0, &e) != GS_OK) {
            /* "cannot write the trace: <reason>": said as every failed stdout is */
            const char *why = strrchr(e.msg, ':');
            fprintf(stderr, "gatescope: cannot write standard output: %s\n",
                    why && why[1] == ' ' ? why + 2 : e.msg);
            return EXIT_RUNTIME;
        }
    return cli_close_stdout(0);
}

static int run_trace(const options *o, const char *assets_dir) {
    scene sc;
    cli_weights w = { 0 };
    int rc, rw;
    /* the weights files are opened first: a bad path fails before anything is written */
    if (o->save_weights && (rc = cli_weights_open(&w, &o->setup, o->save_weights)) != 0)
        return rc;
    if ((rc = cli_build_scene(&sc, o, assets_dir)) != 0) {
        cli_weights_abort(&w);
        return rc;
    }
    rc = write_trace(&sc, o->trace_path);
    /* a failed trace does not cost the weights (nor the other way round) */
    if (o->save_weights && (rw = cli_weights_commit(&w, sc.models)) != 0 && rc == 0) rc = rw;
    scene_free(&sc);
    return rc;
}

int cli_run(const options *o, const char *assets_dir, volatile sig_atomic_t *stop) {
    int i;
    switch (o->mode) {
    case MODE_LIST_VARIANTS:
        for (i = 0; i < GS_VARIANT_COUNT; i++) {
            const gs_variant_info *v = gs_variant_get((gs_variant)i);
            printf("%s\t%s\n", v->name, v->title);
        }
        return cli_close_stdout(0);
    case MODE_LIST_TASKS:
        for (i = 0; i < GS_TASK_COUNT; i++) {
            const gs_task_info *t = gs_task_info_get((gs_task_kind)i);
            printf("%s\t%s\n", t->name, t->title);
        }
        return cli_close_stdout(0);
    case MODE_TRACE:
        return run_trace(o, assets_dir);
    case MODE_SAVE_ONLY:
        return cli_save_weights(o, assets_dir);
    case MODE_TRAIN:
        return cli_train(o, assets_dir, stop);
    case MODE_CHECK:
        /* main.c checks what is visible too (run/lesson_sight.c); here only the numbers */
        return cli_close_stdout(lesson_check_files(o->check_files, o->n_check_files, assets_dir,
                                                   NULL, NULL));
    default:
        fprintf(stderr, "gatescope: this mode needs the window\n");
        return EXIT_USAGE;
    }
}
