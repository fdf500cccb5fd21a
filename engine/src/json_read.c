/* json_read.c — strict RFC 8259 JSON tokens over a byte source read once, from start
 * to end, in 64 KiB chunks (or over bytes in memory): numbers by the grammar (no 01,
 * -.5, 1., +1, NaN), strings checked (UTF-8, escapes, surrogate pairs, no raw control
 * characters, no \u0000), the commas and colons of objects and arrays, a size limit,
 * and every error as "file:line:col: ..." once.  It builds nothing: the weights
 * reader (weights.c) drives it and decides what each value means. */
#include "internal.h"
#include "json_read.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gs__jr_mark(gs__jr *r) {
    r->tline = r->line;
    r->tcol = r->col;
}

static int vfail(gs__jr *r, gs_status st, int at, const char *fmt, va_list ap) GS__PRINTF(4, 0);
/* Write the first error only: "file:line:col: msg" (at the marked token) or
 * "file: msg".  Returns -1 for the callers to pass up. */
static int vfail(gs__jr *r, gs_status st, int at, const char *fmt, va_list ap) {
    char msg[224];
    if (r->failed) return -1;
    r->failed = 1;
    r->st = st;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (at) {
        gs__error(r->err, "%s:%d:%d: %s", r->shown, r->tline, r->tcol, msg);
        if (r->err) r->err->line = r->tline, r->err->col = r->tcol;
    } else {
        gs__error(r->err, "%s: %s", r->shown, msg);
    }
    return -1;
}

/* A problem with the content at the marked token. */
int gs__jr_fail_at(gs__jr *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(r, GS_ERR_PARSE, 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* A problem with the file as a whole. */
int gs__jr_fail(gs__jr *r, gs_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(r, st, 0, fmt, ap);
    va_end(ap);
    return -1;
}

/* The next byte, or -1 at the end of the input (or after an error). */
int gs__jr_peek(gs__jr *r) {
    size_t n;
    if (r->failed) return -1;
    if (r->p < r->end) return *r->p;
    if (!r->f) return -1;
    errno = 0;
    n = fread(r->chunk, 1, GS__JR_CHUNK, r->f);
    if (n == 0) {
        if (ferror(r->f))
            gs__jr_fail(r, GS_ERR_IO, "cannot read: %s", strerror(errno ? errno : EIO));
        return -1;
    }
    r->taken += n;
    if (r->taken > r->limit) {
        gs__jr_fail(r, GS_ERR_PARSE, "%s", r->limit_msg);
        return -1;
    }
    r->p = r->chunk;
    r->end = r->chunk + n;
    return *r->p;
}

void gs__jr_advance(gs__jr *r) {
    if (*r->p++ == '\n') {
        r->line++;
        r->col = 1;
    } else {
        r->col++;
    }
}

void gs__jr_skip_ws(gs__jr *r) {
    int c;
    while ((c = gs__jr_peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r') gs__jr_advance(r);
}

/* How a message names byte c. */
const char *gs__jr_describe(int c, char *buf, size_t len) {
    if (c < 0) snprintf(buf, len, "the end of the file");
    else if (c == 0) snprintf(buf, len, "a NUL byte");
    else if (c > 0x20 && c < 0x7F) snprintf(buf, len, "'%c'", c);
    else snprintf(buf, len, "byte 0x%02x", (unsigned)c);
    return buf;
}

/* A syntax error at the current byte: "expected X, found Y". */
int gs__jr_unexpected(gs__jr *r, const char *expected) {
    char what[32];
    int c = gs__jr_peek(r);
    if (r->failed) return -1;
    gs__jr_mark(r);
    return gs__jr_fail_at(r, "not valid JSON: expected %s, found %s", expected,
                   gs__jr_describe(c, what, sizeof what));
}


/* The first byte of some JSON value (of any type). */
int gs__jr_value_start(int c) {
    return c == '{' || c == '[' || c == '"' || c == '-' || gs__jr_digit(c) || c == 't' ||
           c == 'f' || c == 'n';
}

/* ============================== Tokens ======================================== */

/* A number per RFC 8259 at the current byte: -? (0 | [1-9][0-9]*) (.[0-9]+)?
 * ([eE][+-]?[0-9]+)?, converted by strtod (with the locale's decimal point). */
int gs__jr_number(gs__jr *r, double *v) {
    char buf[GS__JR_NUMBER_CAP + 1];
    const char *point = localeconv()->decimal_point;
    size_t n = 0;
    int c;
    gs__jr_mark(r);
#define TAKE()                                                                        \
    do {                                                                              \
        if (n == GS__JR_NUMBER_CAP)                                                          \
            return gs__jr_fail_at(r, "a number longer than %d characters", GS__JR_NUMBER_CAP);      \
        buf[n++] = (char)c;                                                           \
        gs__jr_advance(r);                                                                   \
        c = gs__jr_peek(r);                                                                  \
    } while (0)
    c = gs__jr_peek(r);
    if (c == '-') TAKE();
    if (c == '0') {
        TAKE();
        if (gs__jr_digit(c)) return gs__jr_fail_at(r, "not valid JSON: a number with a leading zero");
    } else if (gs__jr_digit(c)) {
        while (gs__jr_digit(c)) TAKE();
    } else {
        return gs__jr_fail_at(r, "not valid JSON: '-' must be followed by a digit");
    }
    if (c == '.') {
        TAKE();
        if (!gs__jr_digit(c)) return gs__jr_fail_at(r, "not valid JSON: a digit must follow '.' in a number");
        while (gs__jr_digit(c)) TAKE();
    }
    if (c == 'e' || c == 'E') {
        TAKE();
        if (c == '+' || c == '-') TAKE();
        if (!gs__jr_digit(c)) return gs__jr_fail_at(r, "not valid JSON: a digit must follow the exponent");
        while (gs__jr_digit(c)) TAKE();
    }
#undef TAKE
    if (r->failed) return -1;
    buf[n] = '\0';
    if (point[0] != '.' && point[0] && !point[1]) /* strtod reads the locale's point */
        for (size_t i = 0; i < n; i++)
            if (buf[i] == '.') buf[i] = point[0];
    *v = strtod(buf, NULL);
    return 0;
}

static int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits after "\u". */
static int read_hex4(gs__jr *r, unsigned long *cp) {
    *cp = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(gs__jr_peek(r));
        if (h < 0) return gs__jr_unexpected(r, "four hex digits after \\u");
        *cp = (*cp << 4) | (unsigned long)h;
        gs__jr_advance(r);
    }
    return 0;
}

/* Append byte b to a string being read (kept up to cap bytes). */
static void put_byte(char *out, size_t cap, size_t *len, unsigned char b) {
    if (*len < cap) out[*len] = (char)b;
    (*len)++;
}

static void put_utf8(char *out, size_t cap, size_t *len, unsigned long cp) {
    if (cp < 0x80) {
        put_byte(out, cap, len, (unsigned char)cp);
    } else if (cp < 0x800) {
        put_byte(out, cap, len, (unsigned char)(0xC0 | (cp >> 6)));
        put_byte(out, cap, len, (unsigned char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        put_byte(out, cap, len, (unsigned char)(0xE0 | (cp >> 12)));
        put_byte(out, cap, len, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        put_byte(out, cap, len, (unsigned char)(0x80 | (cp & 0x3F)));
    } else {
        put_byte(out, cap, len, (unsigned char)(0xF0 | (cp >> 18)));
        put_byte(out, cap, len, (unsigned char)(0x80 | ((cp >> 12) & 0x3F)));
        put_byte(out, cap, len, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        put_byte(out, cap, len, (unsigned char)(0x80 | (cp & 0x3F)));
    }
}

/* An escape after the backslash: one code point into out. */
static int read_escape(gs__jr *r, char *out, size_t cap, size_t *len) {
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit;
    unsigned long cp, lo;
    int c = gs__jr_peek(r);
    gs__jr_mark(r);
    if (c > 0 && (hit = strchr(from, c)) != NULL) {
        gs__jr_advance(r);
        put_byte(out, cap, len, (unsigned char)to[hit - from]);
        return 0;
    }
    if (c != 'u') return gs__jr_unexpected(r, "an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    gs__jr_advance(r);
    if (read_hex4(r, &cp)) return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF) { /* a pair: \uD83D\uDE00 */
        if (gs__jr_peek(r) != '\\') return gs__jr_fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        gs__jr_advance(r);
        if (gs__jr_peek(r) != 'u') return gs__jr_fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        gs__jr_advance(r);
        if (read_hex4(r, &lo)) return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return gs__jr_fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return gs__jr_fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
    }
    if (cp == 0) return gs__jr_fail_at(r, "a string may not hold \\u0000 (NUL)");
    put_utf8(out, cap, len, cp);
    return 0;
}

/* The rest of a UTF-8 sequence whose lead byte c has just been read. */
static int read_utf8_tail(gs__jr *r, int c, char *out, size_t cap, size_t *len) {
    int need, lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return gs__jr_fail_at(r, "not valid JSON: byte 0x%02x is not UTF-8", (unsigned)c);
    put_byte(out, cap, len, (unsigned char)c);
    for (int i = 0; i < need; i++) {
        int b = gs__jr_peek(r);
        if (b < lo || b > hi) return gs__jr_fail_at(r, "not valid JSON: broken UTF-8 in a string");
        put_byte(out, cap, len, (unsigned char)b);
        gs__jr_advance(r);
        lo = 0x80;
        hi = 0xBF;
    }
    return 0;
}

/* A string at the current '"', decoded into out (cap bytes kept, NUL-terminated);
 * *len gets its whole length.  Afterwards the marked token is the string. */
int gs__jr_string(gs__jr *r, char *out, size_t cap, size_t *len) {
    int c, line = r->line, col = r->col;
    *len = 0;
    gs__jr_advance(r); /* the opening quote */
    for (;;) {
        c = gs__jr_peek(r);
        if (c == '"') break;
        if (c < 0) {
            if (r->failed) return -1;
            r->tline = line, r->tcol = col;
            return gs__jr_fail_at(r, "not valid JSON: the file ends inside a string");
        }
        gs__jr_mark(r);
        gs__jr_advance(r);
        if (c < 0x20) {
            return gs__jr_fail_at(r, "not valid JSON: a raw control character (byte 0x%02x) in a "
                           "string", (unsigned)c);
        } else if (c == '\\') {
            if (read_escape(r, out, cap, len)) return -1;
        } else if (c >= 0x80) {
            if (read_utf8_tail(r, c, out, cap, len)) return -1;
        } else {
            put_byte(out, cap, len, (unsigned char)c);
        }
    }
    gs__jr_advance(r);
    out[*len < cap ? *len : cap] = '\0';
    r->tline = line, r->tcol = col;
    return 0;
}

/* ============================== Structure ===================================== */

/* Inside an object, just after '{' (*first set) or after a member: read `"key":`
 * into key.  1: a member follows (at its value); 0: the object ended; -1: error. */
int gs__jr_next_key(gs__jr *r, int *first, char *key, size_t cap, size_t *klen) {
    int c, line, col;
    gs__jr_skip_ws(r);
    c = gs__jr_peek(r);
    if (c == '}' && *first) {
        gs__jr_advance(r);
        return 0;
    }
    if (!*first) {
        if (c == '}') {
            gs__jr_advance(r);
            return 0;
        }
        if (c != ',') return gs__jr_unexpected(r, "',' or '}' after a member");
        gs__jr_advance(r);
        gs__jr_skip_ws(r);
        c = gs__jr_peek(r);
    }
    if (c != '"') return gs__jr_unexpected(r, "a key in double quotes");
    *first = 0;
    if (gs__jr_string(r, key, cap, klen)) return -1;
    line = r->tline, col = r->tcol;
    gs__jr_skip_ws(r);
    if (gs__jr_peek(r) != ':') return gs__jr_unexpected(r, "':' after a key");
    gs__jr_advance(r);
    gs__jr_skip_ws(r);
    r->tline = line, r->tcol = col; /* messages about the member point at its key */
    return 1;
}

/* Inside an array, just after '[' or after an element.  1: an element follows;
 * 0: the array ended; -1: error. */
int gs__jr_next_element(gs__jr *r, int *first) {
    int c;
    gs__jr_skip_ws(r);
    c = gs__jr_peek(r);
    if (c == ']') {
        gs__jr_advance(r);
        return 0;
    }
    if (!*first) {
        if (c != ',') return gs__jr_unexpected(r, "',' or ']' after a value");
        gs__jr_advance(r);
        gs__jr_skip_ws(r);
        if (gs__jr_peek(r) == ']') return gs__jr_unexpected(r, "a value after ','");
    }
    *first = 0;
    return 1;
}
