/* lesson_internal.h — what the lesson files (lesson_lex.c, lesson_parse.c,
 * lesson_expect.c) share: the parse context with its arena and error helper, lines,
 * numbers, UTF-8, symbols and prose.  Private to the engine, like internal.h. */
#ifndef GS_LESSON_INTERNAL_H
#define GS_LESSON_INTERNAL_H

#include "gatescope_lesson.h"
#include "internal.h"

#include <stdint.h>

/* ---- Context: arena memory and the first error ------------------------------------ */

/* One block of lesson memory; the lesson's allocations are bump-allocated from a list
 * of these, freed together by gs_lesson_destroy. */
typedef struct gs__lblock {
    struct gs__lblock *next;
    size_t used, cap; /* bytes used / available after the header */
} gs__lblock;

typedef struct gs__lx {
    const char *name;      /* file name for messages */
    gs_error *err;         /* may be NULL */
    gs_allocator alloc;    /* realloc NULL = libc */
    gs__lblock *blocks;    /* newest first */
    gs_status status;      /* GS_OK until the first failure */
} gs__lx;

/* Zeroed arena memory aligned for any type; NULL (status NOMEM, message set) when
 * the allocator fails or an earlier failure happened. */
void *gs__lx_alloc(gs__lx *x, size_t n);
/* A NUL-terminated copy of n bytes of s in the arena. */
char *gs__lx_strndup(gs__lx *x, const char *s, size_t n);
/* Grow an arena array *arr of *cap elements of size elem to hold at least need. */
int gs__lx_reserve(gs__lx *x, void **arr, int *cap, int need, size_t elem);
void gs__lx_free_blocks(const gs_allocator *a, gs__lblock *b);
/* Record a parse error `name:line:col: message[ near 'tok']` (only the first one
 * counts).  near may be NULL. */
void gs__lx_error(gs__lx *x, int line, int col, const char *near, size_t near_len,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void gs__lx_nomem(gs__lx *x);

/* ---- Lines ---------------------------------------------------------------------- */

typedef struct gs__line {
    const char *p; /* first byte of the line (after a BOM on line 1) */
    int len;       /* bytes, without the newline or a trailing CR */
    int no;        /* 1-based */
} gs__line;

typedef struct gs__lines {
    const char *p, *end; /* what is left of the text */
    int no;              /* number of the last line returned */
} gs__lines;

void gs__lines_init(gs__lines *it, const char *text, size_t len);
/* Next line, checked: valid UTF-8, no NUL, no control characters but tab.  Returns 1
 * with *out set, 0 at the end, -1 after recording an error. */
int gs__lines_next(gs__lx *x, gs__lines *it, gs__line *out);
/* 1-based column (in characters) of p within line. */
int gs__col(const gs__line *ln, const char *p);

/* Bytes of s (len bytes) to keep so that at most max are kept, cut at a character
 * boundary. */
int gs__utf8_clip(const char *s, int len, int max);
/* printf arguments for "%.*s": a file name, clipped to 100 bytes */
#define NAME_ARG(name) gs__utf8_clip((name), (int)strlen(name), 100), (name)

/* ---- Small lexical helpers ---------------------------------------------------------- */

int gs__is_space(int c);
/* Length of the UTF-8 sequence at p (1..4; 0 if invalid or cut by end) and its code
 * point. */
int gs__utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);
/* Strict numbers: a whole number (digits only, with an optional leading '+') or a
 * decimal ([+-]digits[.digits][e[+-]digits]).  0 = ok, 1 = not a number,
 * 2 = too large / not finite. */
int gs__parse_uint(const char *s, size_t n, uint64_t *out);
int gs__parse_real(const char *s, size_t n, double *out);
/* Length of the number at s (decimal syntax above), 0 if none starts there. */
size_t gs__scan_real(const char *s, const char *end);

/* ---- Symbols (\sigma) and prose --------------------------------------------------- */

/* UTF-8 of the symbol escape \name (n bytes of name); *combining = 1 for marks that
 * attach to the character before (\tilde, \hat, \bar, \dot).  NULL if unknown. */
const char *gs__symbol(const char *name, size_t n, int *combining);
/* The known symbol name nearest to name, or NULL. */
const char *gs__symbol_nearest(const char *name, size_t n);

/* Parse the prose lines (blank lines separate paragraphs) into out, with the raw text
 * as written.  Records an error (unterminated emphasis, unknown escape) and returns
 * nonzero on failure. */
int gs__prose_build(gs__lx *x, const gs__line *lines, int n, gs_lesson_prose *out);
/* Expand \name escapes in a heading (no styles); NULL after recording an error. */
char *gs__expand_plain(gs__lx *x, const gs__line *ln, const char *p, int len);

#endif
