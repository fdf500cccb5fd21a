/* lesson_handout.h — a lesson's handout as CommonMark: one page per step for students
 * (the title and introduction on the first, the heading, the step's picture, the
 * prose; nothing for the teacher), and one teacher's page (the presenter's notes and
 * every check with its margin).  Prose marks become CommonMark's (* and **, merged
 * across styled runs), x_t and s_{t-1} become Unicode sub- and superscripts (HTML
 * <sub> where Unicode has no such letter), and everything else CommonMark would read
 * as markup (*, _, `, [, <, &, -->, a leading # or -, ...) is escaped. */
#ifndef GS_APP_LESSON_HANDOUT_H
#define GS_APP_LESSON_HANDOUT_H

#include "gatescope_lesson.h"

#include <stdio.h>

/* Write step k's student page to path; png is the picture's file name beside it
 * ("step-01.png"; NULL: none).  0 on success; a one-line message in err. */
int lesson_write_markdown(const gs_lesson *l, int k, const char *path, const char *png, char *err,
                          size_t err_len);

/* Write the teacher's page to path: per step, its notes, its @visible statements and
 * the checks: n lines (checks[i], about lesson line at[i]; each `file:line: ...`) go to
 * the step that holds their line.  0 on success; a one-line message in err. */
int lesson_write_teacher(const gs_lesson *l, const char *path, const int *at,
                         const char *const *checks, int n, char *err, size_t err_len);

/* Text as CommonMark inline text: maths to Unicode, markup escaped; at_start: the
 * text opens a block (a leading '#', '-', '+', '1.' ... is escaped too). */
void md_inline(FILE *f, const char *s, int len, int at_start);

#endif
