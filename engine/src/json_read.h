/* json_read.h — strict JSON tokens over a byte source read once (json_read.c), for
 * the weights reader (weights.c).  Private to the engine.
 *
 * Every function that can fail returns -1 after writing the first error into the
 * reader (later errors are dropped) and 0 (or a count) otherwise; once failed, the
 * reader reads nothing more, so callers just pass -1 up. */
#ifndef GS_JSON_READ_H
#define GS_JSON_READ_H

#include "gatescope.h"

#include <stdio.h>

#define GS__JR_CHUNK 65536     /* bytes read from a stream at a time */
#define GS__JR_NUMBER_CAP 127  /* the longest number read */

#if defined(__GNUC__)
#define GS__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GS__PRINTF(a, b)
#endif

typedef struct gs__jr {
    FILE *f;                      /* NULL: the bytes are all in memory (p..end) */
    const unsigned char *p, *end; /* bytes in hand, not yet read */
    unsigned char *chunk;         /* (GS__JR_CHUNK) what fread fills; f only */
    uint64_t taken;               /* bytes taken from the source so far */
    uint64_t size;                /* the whole size when known (0 = a stream) */
    uint64_t limit;               /* taking more than this fails with limit_msg */
    char limit_msg[192];          /* "too large for ...: at most N bytes" */
    const char *shown;            /* the file as messages name it (quoted) */
    int line, col;                /* of the next byte, 1-based */
    int tline, tcol;              /* of the token a message is about (gs__jr_mark) */
    int failed;                   /* an error is written: everything stops */
    gs_status st;                 /* its status */
    gs_error *err;                /* where it goes (may be NULL) */
} gs__jr;

/* The next byte (not taken), or -1 at the end of the input or after an error. */
int gs__jr_peek(gs__jr *r);
/* Take the byte gs__jr_peek returned (it must not have returned -1). */
void gs__jr_advance(gs__jr *r);
void gs__jr_skip_ws(gs__jr *r);
/* Messages from now on point at the next byte. */
void gs__jr_mark(gs__jr *r);
/* "file:line:col: msg" at the marked byte (GS_ERR_PARSE), or "file: msg" (status st). */
int gs__jr_fail_at(gs__jr *r, const char *fmt, ...) GS__PRINTF(2, 3);
int gs__jr_fail(gs__jr *r, gs_status st, const char *fmt, ...) GS__PRINTF(3, 4);
/* "not valid JSON: expected <expected>, found <the next byte>" at the next byte. */
int gs__jr_unexpected(gs__jr *r, const char *expected);
/* How a message names byte c ("'x'", "a NUL byte", "byte 0xff", "the end of the file"). */
const char *gs__jr_describe(int c, char *buf, size_t len);
/* 1 if c can start a JSON value of some type. */
int gs__jr_value_start(int c);
static inline int gs__jr_digit(int c) { return c >= '0' && c <= '9'; }
/* A number by RFC 8259's grammar at the next byte ('-' or a digit), converted. */
int gs__jr_number(gs__jr *r, double *v);
/* A string at the next byte ('"'), decoded into out: cap bytes kept, then a NUL;
 * *len gets its whole length.  Afterwards the marked byte is its opening quote. */
int gs__jr_string(gs__jr *r, char *out, size_t cap, size_t *len);
/* In an object, after '{' (*first set) or after a member: the next `"key":` into key
 * (marked at the key).  1: a member's value follows; 0: '}' was taken; -1: error. */
int gs__jr_next_key(gs__jr *r, int *first, char *key, size_t cap, size_t *klen);
/* In an array, after '[' (*first set) or after an element.  1: an element follows;
 * 0: ']' was taken; -1: error. */
int gs__jr_next_element(gs__jr *r, int *first);

#endif
