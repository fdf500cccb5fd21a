/* cli.h — the modes that need no window: listing variants and tasks, writing a CSV
 * trace, saving weights, training.  Errors go to stderr as one line `gatescope: ...`.
 * Every file is written whole or not at all (gs_outfile), and opened before the work
 * that fills it, so a bad path fails at the start and not after a long run. */
#ifndef GS_APP_CLI_H
#define GS_APP_CLI_H

#include <signal.h>

#include "session/options.h"
#include "session/scene.h"

/* Run o->mode (the modes without a window).  assets_dir is <data dir>/assets (the
 * text task's corpus), or NULL when it could not be found (then only the text task
 * fails).  stop, when not NULL, is set by main's SIGINT/SIGTERM handler: --train
 * stops at the next iteration and saves what it trained.  Returns the exit code: 0,
 * 1 for a runtime error, 2 for a usage error, 130 (143) when stopped by SIGINT
 * (SIGTERM). */
int cli_run(const options *o, const char *assets_dir, volatile sig_atomic_t *stop);

/* Build o's scene and write its weights to o->save_weights: the file itself with one
 * variant, a directory of <variant>.json (created if missing) with several or when
 * the path ends in '/'.  The window mode calls this before opening, so --save-weights
 * means the same everywhere.  Returns the exit code. */
int cli_save_weights(const options *o, const char *assets_dir);

/* Build o's scene, saying what went wrong on stderr; returns the exit code. */
int cli_build_scene(scene *sc, const options *o, const char *assets_dir);

/* The weights files of a run, opened before the work and committed together. */
typedef struct cli_weights {
    int n;                               /* one per variant */
    gs_outfile *out[OPT_MAX_VARIANTS];
} cli_weights;
/* Open an outfile for each of setup's variants under path (a file with one variant;
 * DIR/<variant>.json, DIR created, with several or a trailing '/'): a missing or
 * unwritable place fails here, with one line on stderr.  Returns the exit code. */
int cli_weights_open(cli_weights *w, const opt_setup *setup, const char *path);
/* Write models[i] into each file and commit them all if every one was written; if
 * any failed, abort them all (every old file stays as it was).  w is closed in every
 * case.  Returns the exit code. */
int cli_weights_commit(cli_weights *w, gs_model *const *models);
/* Give up: every old file stays as it was.  NULL-safe, idempotent. */
void cli_weights_abort(cli_weights *w);

/* Flush standard output at the end of a mode: a write error there (a full disk,
 * /dev/full, a closed pipe with SIGPIPE ignored) is one line on stderr and exit 1,
 * unless rc already says the mode failed.  Returns the exit code. */
int cli_close_stdout(int rc);

/* --train (cli_train.c): train every variant side by side on the same data and
 * budget, with a progress bar, a CSV log and a final table; returns the exit code. */
int cli_train(const options *o, const char *assets_dir, volatile sig_atomic_t *stop);

#endif
