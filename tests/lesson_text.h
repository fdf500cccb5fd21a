/* lesson_text.h — parse a lesson given as a string, for the lesson tests: the parse
 * must succeed (a check fails with the parser's message otherwise). */
#ifndef GS_LESSON_TEXT_H
#define GS_LESSON_TEXT_H
#include "check.h"
#include "gatescope.h"
#include "gatescope_lesson.h"

#include <string.h>

static inline gs_lesson *parse_str(const char *name, const char *text, gs_error *err) {
    gs_lesson *l = NULL;
    gs_status st = gs_lesson_parse(&l, name, text, strlen(text), NULL, err);
    CHECK_MSG(st == GS_OK, "%s: %s", name, err->msg);
    return l;
}

#endif
