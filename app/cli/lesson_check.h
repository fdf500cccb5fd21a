/* lesson_check.h — `gatescope --check FILE...`: parse each lesson, build every
 * step's scene headless and evaluate its @expect lines, so that a lesson can never
 * silently stop showing what its text claims. */
#ifndef GS_APP_LESSON_CHECK_H
#define GS_APP_LESSON_CHECK_H

#include "gatescope_lesson.h"
#include "session/options.h"

/* The scene a lesson step describes, as the window and the checker build it. */
void lesson_setup_to_options(const gs_lesson_setup *ls, opt_setup *out);

/* Prints `file:line: ...` on stderr for every parse error and failing expectation and
 * a one-line summary on stdout; returns 0 if every lesson parsed and every
 * expectation held, 1 otherwise. */
int lesson_check_files(char **paths, int n, const char *assets_dir);

#endif
