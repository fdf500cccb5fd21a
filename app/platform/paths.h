/* paths.h — where gatescope's data (assets/ and lessons/) lives: beside the
 * executable, in the install prefix, or in the source tree; never the current
 * directory. */
#ifndef GS_APP_PATHS_H
#define GS_APP_PATHS_H

#include <stddef.h>

/* The first directory holding assets/fonts/DejaVuSans.ttf among: the executable's
 * directory (from /proc/self/exe, else argv0) and its parents up to two levels, each
 * also as <dir>/share/gatescope; GS_INSTALL_DATADIR; GS_SOURCE_DIR.  NULL if none.
 * The string is static: valid until the next call (not thread-safe). */
const char *paths_data_dir(const char *argv0);
/* Write the places paths_data_dir looks, comma-separated, into buf (for the message
 * "cannot find gatescope's assets (looked in ...)"). */
void paths_describe(const char *argv0, char *buf, size_t len);

#endif
