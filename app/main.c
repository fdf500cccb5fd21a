/* main.c — parse the command line, then hand over to the mode: help, version, the
 * window-less modes (cli/cli.c) or the window (run/app.c). */
#include "cli/cli.h"
#include "gatescope_lesson.h"
#include "platform/paths.h"
#include "run/app.h"
#include "session/options.h"

#include <stdio.h>

#ifndef GS_VERSION
#define GS_VERSION "0.1.0"
#endif

/* <data dir>/assets, or NULL after saying why when the setup needs it. */
static const char *assets_dir(const options *o, const char *argv0, char *buf, size_t len) {
    const char *data = paths_data_dir(argv0);
    if (data) {
        snprintf(buf, len, "%s/assets", data);
        return buf;
    }
    if (o->setup.task == GS_TASK_TEXT) {
        char looked[2048];
        paths_describe(argv0, looked, sizeof looked);
        fprintf(stderr, "gatescope: cannot find gatescope's assets (looked in %s); reinstall "
                "or run from the build tree\n", looked);
    }
    return NULL;
}

int main(int argc, char **argv) {
    options o;
    char err[512], assets[4096];
    const char *dir;
    int rc;
    if (options_parse(&o, argc, argv, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return 2;
    }
    switch (o.mode) {
    case MODE_HELP:
        fputs(options_usage(), stdout);
        return 0;
    case MODE_VERSION:
        printf("gatescope %s\n", GS_VERSION);
        return 0;
    case MODE_LIST_VARIANTS:
    case MODE_LIST_TASKS:
        return cli_run(&o, NULL);
    case MODE_TRACE:
    case MODE_SAVE_ONLY:
    case MODE_TRAIN:
    case MODE_CHECK:
        dir = assets_dir(&o, argv[0], assets, sizeof assets);
        if (!dir && o.setup.task == GS_TASK_TEXT) return 1;
        return cli_run(&o, dir);
    case MODE_WINDOW:
        break;
    }
    if (o.lesson_path) { /* a broken lesson says where, before any window opens */
        gs_lesson *l = NULL;
        gs_error e;
        if (gs_lesson_load(&l, o.lesson_path, NULL, &e) != GS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        gs_lesson_destroy(l);
    }
    if (o.save_weights) { /* the starting weights, as in the other modes */
        dir = assets_dir(&o, argv[0], assets, sizeof assets);
        if (!dir && o.setup.task == GS_TASK_TEXT) return 1;
        if ((rc = cli_save_weights(&o, dir)) != 0) return rc;
    }
    return app_run(&o, argv[0]);
}
