/* app.h — the window and the headless renderer: the entry main.c calls for
 * MODE_WINDOW (with or without --headless).  Returns the process exit code. */
#ifndef GS_APP_APP_H
#define GS_APP_APP_H

#include "session/options.h"

int app_run(const options *o, const char *argv0);

#endif
