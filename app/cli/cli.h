/* cli.h — the modes that need no window: listing variants and tasks, writing a CSV
 * trace, saving weights.  Errors go to stderr as one line `gatescope: ...`. */
#ifndef GS_APP_CLI_H
#define GS_APP_CLI_H

#include "session/options.h"
#include "session/scene.h"

/* Run o->mode (MODE_LIST_VARIANTS, MODE_LIST_TASKS, MODE_TRACE or MODE_SAVE_ONLY).
 * assets_dir is <data dir>/assets (the text task's corpus), or NULL when it could not
 * be found (then only the text task fails).  Returns the exit code: 0, 1 for a
 * runtime error, 2 for a usage error. */
int cli_run(const options *o, const char *assets_dir);

/* Build o's scene and write its weights to o->save_weights: the file itself with one
 * variant, a directory of <variant>.json (created if missing) with several.  The
 * window mode calls this before opening, so --save-weights means the same everywhere.
 * Returns the exit code. */
int cli_save_weights(const options *o, const char *assets_dir);

/* Build o's scene, saying what went wrong on stderr; returns the exit code. */
int cli_build_scene(scene *sc, const options *o, const char *assets_dir);
/* Write the weights of every model of sc to path (a file with one variant, a
 * directory of <variant>.json with several); returns the exit code. */
int cli_save_scene_weights(const scene *sc, const char *path);

/* --train (cli_train.c): train every variant side by side on the same data and
 * budget, with a progress bar, a CSV log and a final table; returns the exit code. */
int cli_train(const options *o, const char *assets_dir);

#endif
