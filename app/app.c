/* app.c — the window and the headless renderer: app_run (placeholder, grows). */
#include "app.h"

#include <stdio.h>

int app_run(const options *o, const char *argv0) {
    (void)o;
    (void)argv0;
    fprintf(stderr, "gatescope: the window is not built yet\n");
    return 1;
}
