/* options_parse.h — the small parsing helpers options.c and options_clamp.c share:
 * a usage error's message, and a whole number read strictly. */
#ifndef GS_APP_OPTIONS_PARSE_H
#define GS_APP_OPTIONS_PARSE_H

#include <stddef.h>

/* Write the message into err (when given); returns 1, the usage error's code. */
int options_fail(char *err, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The whole of s as a long in [lo, hi]; 0 on success. */
int options_parse_long(const char *s, long lo, long hi, long *out);

#endif
