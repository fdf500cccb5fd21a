/* app_harness.h — driving the app headless from a test: open it with options, send
 * commands as the keyboard would, one frame after each.  Shared by tests/test_app_*.c. */
#ifndef GS_APP_HARNESS_H
#define GS_APP_HARNESS_H
#include <stdio.h>
#include <string.h>

#include "ui/commands.h"
#include "run/headless.h"
#include "session/options.h"

/* Open h with o (sources from GS_SOURCE_DIR) and draw the first frame; 0 on success. */
static inline int harness_open(headless *h, const options *o) {
    char err[512];
    if (headless_open(h, o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "headless_open: %s\n", err);
        return 1;
    }
    headless_frame(h, 0);
    return 0;
}

/* Run command cmd (with arg) as an input event would, then draw a frame. */
static inline void send(headless *h, cmd_id cmd, int arg) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_COMMAND;
    in.cmd = cmd;
    in.arg = arg;
    app_event(&h->app, &in);
    headless_frame(h, 0);
}

/* A press, move or release of button 1 at (x, y) with mods held, as the platform
 * sends it; no frame is drawn. */
static inline void harness_pointer(headless *h, input_kind kind, int x, int y, int mods) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = kind;
    in.x = x;
    in.y = y;
    in.button = 1;
    in.mods = mods;
    app_event(&h->app, &in);
}
#endif
