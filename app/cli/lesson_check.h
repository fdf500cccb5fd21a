/* lesson_check.h — `gatescope --check FILE...`: parse each lesson, build every
 * step's scene headless and evaluate its @expect lines, so that a lesson can never
 * silently stop showing what its text claims. */
#ifndef GS_APP_LESSON_CHECK_H
#define GS_APP_LESSON_CHECK_H

/* Prints `file:line: ...` on stderr for every parse error and failing expectation and
 * a one-line summary on stdout; returns 0 if every lesson parsed and every
 * expectation held, 1 otherwise. */
int lesson_check_files(char **paths, int n, const char *assets_dir);

#endif
