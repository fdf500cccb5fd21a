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

/* Where the user's own files go. */
typedef enum paths_kind { PATHS_PICTURES, PATHS_VIDEOS, PATHS_DOCUMENTS } paths_kind;
/* The folder for screenshots (PATHS_PICTURES), recordings (PATHS_VIDEOS) or saved
 * lessons and weights (PATHS_DOCUMENTS): <the XDG user folder>/gatescope (from the
 * environment's XDG_PICTURES_DIR ..., else $XDG_CONFIG_HOME/user-dirs.dirs), else
 * ~/Pictures/gatescope (~/Videos, ~/Documents), created if missing; else the current
 * folder ".".  Writes it into buf and returns buf. */
const char *paths_user_dir(paths_kind kind, char *buf, size_t len);
/* path with the home folder written "~" (for messages), into buf. */
const char *paths_pretty(const char *path, char *buf, size_t len);

#endif
