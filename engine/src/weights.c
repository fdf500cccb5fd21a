/* weights.c — reading a weights file (the JSON io.c writes) into a gs_weights, and
 * from there into a model.  One mechanism: a strict reader of RFC 8259 JSON that
 * knows the format's schema and pulls the bytes once, from start to end, in 64 KiB
 * chunks — no tree, no second pass, no second open.  So a FIFO or /dev/stdin works,
 * /dev/zero fails at its first byte, an endless stream stops at a size limit, and the
 * memory is the numbers themselves.  Not here: writing (io.c), the format's meaning
 * (io.c's header comment).
 *
 * What it refuses, each with "file:line:col: ...": anything that is not JSON (a BOM,
 * a NUL, bytes after the closing brace, 01, -.5, 1., 1e, +1, NaN, raw control
 * characters or invalid UTF-8 in a string), strings holding \u0000, duplicate keys,
 * keys the format does not have, values of the wrong type, numbers that are not
 * finite in gs_real.  Checks that need the model (variant, sizes, names, shapes,
 * counts) are made by gs_model_load_weights.  Names found in the file are quoted
 * (gs__quote) in every message. */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */

#include "internal.h"
#include "io_internal.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FORMAT_NAME "gatescope-weights"
#define FORMAT_VERSION 1
#define MAX_SIZE 4096             /* as gs_model_create */
#define CHUNK 65536               /* bytes read at a time */
#define BYTES_PER_NUMBER 32       /* the size limit: room for "%.17g", a comma, indent */
#define SLACK 65536               /* ... plus this for the keys, names and shapes */
#define NAME_CAP 63               /* bytes of a string kept (longer ones never match) */
#define NUMBER_CAP 127            /* longest number read */
#define MAX_VALUES ((size_t)MAX_SIZE * MAX_SIZE) /* the largest tensor of any model */

/* REAL_LIMIT: values below it in magnitude round to a finite gs_real (for float,
 * FLT_MAX plus half its last place: the printed FLT_MAX lies a little above it). */
#ifdef GS_REAL_DOUBLE
#define REAL_LIMIT ((double)INFINITY)
#else
#define REAL_LIMIT ((double)FLT_MAX + ldexp(1.0, 103))
#endif

/* One entry of "tensors", as the file has it. */
typedef struct wentry {
    char name[NAME_CAP + 1]; /* decoded UTF-8, no NUL inside (cut at NAME_CAP) */
    size_t name_len;         /* its full length; > NAME_CAP means cut */
    int has_name, has_shape, has_data;
    int nd, dims[2];         /* "shape": 0..2 sizes */
    gs_real *data;           /* (count) values in file order (row-major) */
    size_t count, cap;
} wentry;

struct gs_weights {
    gs_allocator alloc;           /* of this handle and every data block */
    char shown[GS__SHOWN_MAX];    /* the file, quoted, for messages */
    gs_variant variant;
    int n_in, n_hidden, n_out;
    int n_entries;
    wentry entries[GS__MAX_TENSORS];
};

/* ============================== The largest file ============================== */

/* Numbers in the weights file of a (v, m, n, k) model: its tensors' elements. */
static size_t model_numbers(gs_variant v, int m, int n, int k) {
    gs__layout L;
    size_t total = 0;
    memset(&L, 0, sizeof L);
    L.n = n;
    L.m = m;
    L.k = k;
    gs__variant_get_impl(v)->layout(&L);
    for (int i = 0; i < L.n_tensors; i++)
        total += (size_t)L.tensors[i].rows * (size_t)L.tensors[i].cols;
    return total;
}

static uint64_t max_bytes(gs_variant *largest) {
    size_t most = 0;
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        size_t n = model_numbers((gs_variant)v, MAX_SIZE, MAX_SIZE, MAX_SIZE);
        if (n > most) {
            most = n;
            if (largest) *largest = (gs_variant)v;
        }
    }
    return (uint64_t)most * BYTES_PER_NUMBER + SLACK;
}

uint64_t gs_weights_max_bytes(void) { return max_bytes(NULL); }

/* ============================== The byte source =============================== */

typedef struct rd {
    FILE *f;                      /* NULL: the bytes are all in memory */
    const unsigned char *p, *end; /* bytes in hand, not yet read */
    unsigned char *chunk;         /* (CHUNK) what fread fills */
    uint64_t taken;               /* bytes taken from the source so far */
    uint64_t size;                /* the whole size when known (0 = a stream) */
    uint64_t limit;               /* refuse more bytes than this */
    int model_limit;              /* 1: limit comes from the header's model */
    int line, col;                /* of the next byte, 1-based */
    int tline, tcol;              /* of the token a message is about */
    int failed;                   /* an error is written: everything stops */
    gs_status st;
    gs_error *err;
    gs_weights *w;
    unsigned seen;                /* header keys met (bit per key) */
} rd;

static void mark(rd *r) {
    r->tline = r->line;
    r->tcol = r->col;
}

#if defined(__GNUC__)
#define GS__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GS__PRINTF(a, b)
#endif
static int vfail(rd *r, gs_status st, int at, const char *fmt, va_list ap) GS__PRINTF(4, 0);
/* Write the first error only: "file:line:col: msg" (at the marked token) or
 * "file: msg".  Returns -1 for the callers to pass up. */
static int vfail(rd *r, gs_status st, int at, const char *fmt, va_list ap) {
    char msg[224];
    if (r->failed) return -1;
    r->failed = 1;
    r->st = st;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (at) {
        gs__error(r->err, "%s:%d:%d: %s", r->w->shown, r->tline, r->tcol, msg);
        if (r->err) r->err->line = r->tline, r->err->col = r->tcol;
    } else {
        gs__error(r->err, "%s: %s", r->w->shown, msg);
    }
    return -1;
}

static int fail_at(rd *r, const char *fmt, ...) GS__PRINTF(2, 3);
static int fail_plain(rd *r, gs_status st, const char *fmt, ...) GS__PRINTF(3, 4);

/* A problem with the content at the marked token. */
static int fail_at(rd *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(r, GS_ERR_PARSE, 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* A problem with the file as a whole. */
static int fail_plain(rd *r, gs_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(r, st, 0, fmt, ap);
    va_end(ap);
    return -1;
}

static int too_large(rd *r) {
    gs_variant largest = GS_RNN;
    uint64_t most = max_bytes(&largest);
    if (r->model_limit) {
        const gs_weights *w = r->w;
        return fail_plain(r, GS_ERR_PARSE, "too large for the weights of a %s model with n_in "
                          "%d, n_hidden %d, n_out %d: at most %llu bytes",
                          gs_variant_get(w->variant)->name, w->n_in, w->n_hidden, w->n_out,
                          (unsigned long long)r->limit);
    }
    return fail_plain(r, GS_ERR_PARSE, "too large for a weights file: at most %llu bytes "
                      "(%d per number of the largest model, %s %dx%dx%d)",
                      (unsigned long long)most, BYTES_PER_NUMBER,
                      gs_variant_get(largest)->name, MAX_SIZE, MAX_SIZE, MAX_SIZE);
}

/* The next byte, or -1 at the end of the input (or after an error). */
static int peek(rd *r) {
    size_t n;
    if (r->failed) return -1;
    if (r->p < r->end) return *r->p;
    if (!r->f) return -1;
    errno = 0;
    n = fread(r->chunk, 1, CHUNK, r->f);
    if (n == 0) {
        if (ferror(r->f))
            fail_plain(r, GS_ERR_IO, "cannot read: %s", strerror(errno ? errno : EIO));
        return -1;
    }
    r->taken += n;
    if (r->taken > r->limit) {
        too_large(r);
        return -1;
    }
    r->p = r->chunk;
    r->end = r->chunk + n;
    return *r->p;
}

static void advance(rd *r) {
    if (*r->p++ == '\n') {
        r->line++;
        r->col = 1;
    } else {
        r->col++;
    }
}

static void skip_ws(rd *r) {
    int c;
    while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r') advance(r);
}

/* How a message names byte c. */
static const char *describe(int c, char *buf, size_t len) {
    if (c < 0) snprintf(buf, len, "the end of the file");
    else if (c == 0) snprintf(buf, len, "a NUL byte");
    else if (c > 0x20 && c < 0x7F) snprintf(buf, len, "'%c'", c);
    else snprintf(buf, len, "byte 0x%02x", (unsigned)c);
    return buf;
}

/* A syntax error at the current byte: "expected X, found Y". */
static int unexpected(rd *r, const char *expected) {
    char what[32];
    int c = peek(r);
    if (r->failed) return -1;
    mark(r);
    return fail_at(r, "not valid JSON: expected %s, found %s", expected,
                   describe(c, what, sizeof what));
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* The first byte of some JSON value (of any type). */
static int value_start(int c) {
    return c == '{' || c == '[' || c == '"' || c == '-' || is_digit(c) || c == 't' ||
           c == 'f' || c == 'n';
}

/* ============================== Tokens ======================================== */

/* A number per RFC 8259 at the current byte: -? (0 | [1-9][0-9]*) (.[0-9]+)?
 * ([eE][+-]?[0-9]+)?, converted by strtod (with the locale's decimal point). */
static int read_number(rd *r, double *v) {
    char buf[NUMBER_CAP + 1];
    const char *point = localeconv()->decimal_point;
    size_t n = 0;
    int c;
    mark(r);
#define TAKE()                                                                        \
    do {                                                                              \
        if (n == NUMBER_CAP)                                                          \
            return fail_at(r, "a number longer than %d characters", NUMBER_CAP);      \
        buf[n++] = (char)c;                                                           \
        advance(r);                                                                   \
        c = peek(r);                                                                  \
    } while (0)
    c = peek(r);
    if (c == '-') TAKE();
    if (c == '0') {
        TAKE();
        if (is_digit(c)) return fail_at(r, "not valid JSON: a number with a leading zero");
    } else if (is_digit(c)) {
        while (is_digit(c)) TAKE();
    } else {
        return fail_at(r, "not valid JSON: '-' must be followed by a digit");
    }
    if (c == '.') {
        TAKE();
        if (!is_digit(c)) return fail_at(r, "not valid JSON: a digit must follow '.' in a number");
        while (is_digit(c)) TAKE();
    }
    if (c == 'e' || c == 'E') {
        TAKE();
        if (c == '+' || c == '-') TAKE();
        if (!is_digit(c)) return fail_at(r, "not valid JSON: a digit must follow the exponent");
        while (is_digit(c)) TAKE();
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
static int read_hex4(rd *r, unsigned long *cp) {
    *cp = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(peek(r));
        if (h < 0) return unexpected(r, "four hex digits after \\u");
        *cp = (*cp << 4) | (unsigned long)h;
        advance(r);
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
static int read_escape(rd *r, char *out, size_t cap, size_t *len) {
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit;
    unsigned long cp, lo;
    int c = peek(r);
    mark(r);
    if (c > 0 && (hit = strchr(from, c)) != NULL) {
        advance(r);
        put_byte(out, cap, len, (unsigned char)to[hit - from]);
        return 0;
    }
    if (c != 'u') return unexpected(r, "an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    advance(r);
    if (read_hex4(r, &cp)) return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF) { /* a pair: \uD83D\uDE00 */
        if (peek(r) != '\\') return fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        advance(r);
        if (peek(r) != 'u') return fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        advance(r);
        if (read_hex4(r, &lo)) return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail_at(r, "not valid JSON: \\u%04lx is half of a surrogate pair", cp);
    }
    if (cp == 0) return fail_at(r, "a string may not hold \\u0000 (NUL)");
    put_utf8(out, cap, len, cp);
    return 0;
}

/* The rest of a UTF-8 sequence whose lead byte c has just been read. */
static int read_utf8_tail(rd *r, int c, char *out, size_t cap, size_t *len) {
    int need, lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return fail_at(r, "not valid JSON: byte 0x%02x is not UTF-8", (unsigned)c);
    put_byte(out, cap, len, (unsigned char)c);
    for (int i = 0; i < need; i++) {
        int b = peek(r);
        if (b < lo || b > hi) return fail_at(r, "not valid JSON: broken UTF-8 in a string");
        put_byte(out, cap, len, (unsigned char)b);
        advance(r);
        lo = 0x80;
        hi = 0xBF;
    }
    return 0;
}

/* A string at the current '"', decoded into out (cap bytes kept, NUL-terminated);
 * *len gets its whole length.  Afterwards the marked token is the string. */
static int read_string(rd *r, char *out, size_t cap, size_t *len) {
    int c, line = r->line, col = r->col;
    *len = 0;
    advance(r); /* the opening quote */
    for (;;) {
        c = peek(r);
        if (c == '"') break;
        if (c < 0) {
            if (r->failed) return -1;
            r->tline = line, r->tcol = col;
            return fail_at(r, "not valid JSON: the file ends inside a string");
        }
        mark(r);
        advance(r);
        if (c < 0x20) {
            return fail_at(r, "not valid JSON: a raw control character (byte 0x%02x) in a "
                           "string", (unsigned)c);
        } else if (c == '\\') {
            if (read_escape(r, out, cap, len)) return -1;
        } else if (c >= 0x80) {
            if (read_utf8_tail(r, c, out, cap, len)) return -1;
        } else {
            put_byte(out, cap, len, (unsigned char)c);
        }
    }
    advance(r);
    out[*len < cap ? *len : cap] = '\0';
    r->tline = line, r->tcol = col;
    return 0;
}

/* ============================== Structure ===================================== */

/* Inside an object, just after '{' (*first set) or after a member: read `"key":`
 * into key.  1: a member follows (at its value); 0: the object ended; -1: error. */
static int next_key(rd *r, int *first, char *key, size_t cap, size_t *klen) {
    int c, line, col;
    skip_ws(r);
    c = peek(r);
    if (c == '}' && *first) {
        advance(r);
        return 0;
    }
    if (!*first) {
        if (c == '}') {
            advance(r);
            return 0;
        }
        if (c != ',') return unexpected(r, "',' or '}' after a member");
        advance(r);
        skip_ws(r);
        c = peek(r);
    }
    if (c != '"') return unexpected(r, "a key in double quotes");
    *first = 0;
    if (read_string(r, key, cap, klen)) return -1;
    line = r->tline, col = r->tcol;
    skip_ws(r);
    if (peek(r) != ':') return unexpected(r, "':' after a key");
    advance(r);
    skip_ws(r);
    r->tline = line, r->tcol = col; /* messages about the member point at its key */
    return 1;
}

/* Inside an array, just after '[' or after an element.  1: an element follows;
 * 0: the array ended; -1: error. */
static int next_element(rd *r, int *first) {
    int c;
    skip_ws(r);
    c = peek(r);
    if (c == ']') {
        advance(r);
        return 0;
    }
    if (!*first) {
        if (c != ',') return unexpected(r, "',' or ']' after a value");
        advance(r);
        skip_ws(r);
        if (peek(r) == ']') return unexpected(r, "a value after ','");
    }
    *first = 0;
    return 1;
}

/* The value at the current byte must start with `open`; otherwise say that `what`
 * must be `kind` (when some other JSON value is there) or that it is not JSON. */
static int want(rd *r, int open, const char *what, const char *kind) {
    int c = peek(r);
    if (c == open || (open == '0' && (c == '-' || is_digit(c)))) return 0;
    if (r->failed) return -1;
    mark(r);
    if (value_start(c)) return fail_at(r, "%s must be %s", what, kind);
    return unexpected(r, "a value");
}

/* Index of key among names (NULL-terminated), -1 if not there. */
static int key_index(const char *key, size_t klen, const char *const *names) {
    for (int i = 0; names[i]; i++)
        if (klen == strlen(names[i]) && memcmp(key, names[i], klen) == 0) return i;
    return -1;
}

/* A key already met in this object, or one the format does not have. */
static int bad_key(rd *r, const char *key, size_t klen, int dup, const char *where,
                   const char *keys) {
    char q[80];
    gs__quote(q, sizeof q, key, klen < NAME_CAP ? klen : NAME_CAP);
    if (dup) return fail_at(r, "duplicate key \"%s\"%s", q, where);
    return fail_at(r, "unknown key \"%s\"%s (%s)", q, where, keys);
}

/* ============================== One tensor entry ============================== */

/* "tensor 'W_i'" or, before the name is known, "tensors[3]". */
static const char *entry_label(const wentry *e, int idx, char *buf, size_t len) {
    char q[72];
    if (e->has_name) {
        gs__quote(q, sizeof q, e->name, e->name_len < NAME_CAP ? e->name_len : NAME_CAP);
        snprintf(buf, len, "tensor '%s%s'", q, e->name_len > NAME_CAP ? "..." : "");
    } else {
        snprintf(buf, len, "tensors[%d]", idx);
    }
    return buf;
}

/* "value 5 (W_i[1,1])" by the shape read so far, or "value 5". */
static const char *value_label(const wentry *e, size_t i, char *buf, size_t len) {
    char q[72];
    if (!e->has_name) {
        snprintf(buf, len, "value %zu", i);
        return buf;
    }
    gs__quote(q, sizeof q, e->name, e->name_len < NAME_CAP ? e->name_len : NAME_CAP);
    if (e->has_shape && e->nd == 2 && e->dims[1] > 1)
        snprintf(buf, len, "value %zu (%s[%zu,%zu])", i, q, i / (size_t)e->dims[1],
                 i % (size_t)e->dims[1]);
    else
        snprintf(buf, len, "value %zu (%s[%zu])", i, q, i);
    return buf;
}

static int read_shape(rd *r, wentry *e, int idx) {
    char label[96];
    int first = 1, k, c;
    double v;
    advance(r);
    e->nd = 0;
    while ((k = next_element(r, &first)) == 1) {
        c = peek(r);
        mark(r);
        if (!(c == '-' || is_digit(c)) && !value_start(c)) return unexpected(r, "a value");
        if (!(c == '-' || is_digit(c)) || read_number(r, &v) ||
            e->nd == 2 || !(v >= 0 && v <= 1e9) || v != floor(v))
            return r->failed ? -1 : fail_at(r, "%s: \"shape\" must be one or two sizes",
                                            entry_label(e, idx, label, sizeof label));
        e->dims[e->nd++] = (int)v;
    }
    if (k < 0) return -1;
    e->has_shape = 1;
    return 0;
}

/* Room for one more value in e (the first time: as many as the shape asks, but no
 * more than the bytes left could hold). */
static int reserve(rd *r, wentry *e, int idx) {
    const gs_allocator *a = &r->w->alloc;
    size_t want_n;
    gs_real *bigger;
    if (e->count < e->cap) return 0;
    if (e->count == MAX_VALUES) {
        char label[96];
        mark(r);
        return fail_at(r, "%s has more than %zu values (no tensor of any model is larger)",
                       entry_label(e, idx, label, sizeof label), MAX_VALUES);
    }
    want_n = e->cap ? e->cap * 2 : 256;
    if (!e->cap && e->has_shape && e->nd >= 1) {
        size_t shape_n = (size_t)e->dims[0] * (size_t)(e->nd == 2 ? e->dims[1] : 1);
        uint64_t used = r->taken - (uint64_t)(r->end - r->p);
        uint64_t left = r->size > used ? r->size - used : 0;
        /* every value takes two bytes at least ("0,"): no more than the rest can hold */
        if (shape_n >= 1 && shape_n <= MAX_VALUES && (shape_n <= want_n || left / 2 + 1 >= shape_n))
            want_n = shape_n;
    }
    if (want_n > MAX_VALUES) want_n = MAX_VALUES;
    if (!(bigger = gs__alloc(a, sizeof(gs_real) * want_n)))
        return fail_plain(r, GS_ERR_NOMEM, "out of memory reading the tensors");
    if (e->count) memcpy(bigger, e->data, sizeof(gs_real) * e->count);
    gs__free(a, e->data);
    e->data = bigger;
    e->cap = want_n;
    return 0;
}

static int read_data(rd *r, wentry *e, int idx) {
    char label[96], vlabel[160];
    int first = 1, k;
    double v;
    advance(r);
    while ((k = next_element(r, &first)) == 1) {
        int c = peek(r);
        if (!(c == '-' || is_digit(c))) {
            mark(r);
            if (!value_start(c)) return unexpected(r, "a value");
            return fail_at(r, "%s: %s is not a number", entry_label(e, idx, label, sizeof label),
                           value_label(e, e->count, vlabel, sizeof vlabel));
        }
        if (read_number(r, &v)) return -1;
        if (!isfinite(v) || !(fabs(v) < REAL_LIMIT))
            return fail_at(r, "%s: %s is %s", entry_label(e, idx, label, sizeof label),
                           value_label(e, e->count, vlabel, sizeof vlabel),
                           isfinite(v) ? "out of range" : "not finite");
        if (reserve(r, e, idx)) return -1;
        e->data[e->count++] = (gs_real)v;
    }
    if (k < 0) return -1;
    e->has_data = 1;
    return 0;
}

static int read_entry(rd *r, wentry *e, int idx) {
    static const char *const keys[] = {"name", "shape", "data", NULL};
    char key[NAME_CAP + 1], where[128], label[96];
    size_t klen;
    unsigned met = 0;
    int first = 1, k, i;
    advance(r);
    while ((k = next_key(r, &first, key, sizeof key - 1, &klen)) == 1) {
        snprintf(where, sizeof where, " in tensors[%d]", idx);
        i = key_index(key, klen, keys);
        if (i < 0 || (met & (1u << i)))
            return bad_key(r, key, klen, i >= 0, where, "a tensor has name, shape and data");
        met |= 1u << i;
        snprintf(where, sizeof where, "%s: \"%s\"", entry_label(e, idx, label, sizeof label),
                 keys[i]);
        if (i == 0) {
            if (want(r, '"', where, "a string") || read_string(r, e->name, NAME_CAP, &e->name_len))
                return -1;
            e->has_name = 1;
        } else if (i == 1) {
            if (want(r, '[', where, "an array") || read_shape(r, e, idx)) return -1;
        } else {
            if (want(r, '[', where, "an array") || read_data(r, e, idx)) return -1;
        }
    }
    return k < 0 ? -1 : 0;
}

static int read_tensors(rd *r) {
    gs_weights *w = r->w;
    int first = 1, k;
    advance(r);
    while ((k = next_element(r, &first)) == 1) {
        char what[32];
        if (w->n_entries == GS__MAX_TENSORS) {
            mark(r);
            return fail_at(r, "more than %d tensors (no model has that many)", GS__MAX_TENSORS);
        }
        snprintf(what, sizeof what, "tensors[%d]", w->n_entries);
        if (want(r, '{', what, "an object") || read_entry(r, &w->entries[w->n_entries],
                                                          w->n_entries))
            return -1;
        w->n_entries++;
    }
    return k < 0 ? -1 : 0;
}

/* ============================== The header ==================================== */

enum { K_FORMAT, K_VERSION, K_VARIANT, K_N_IN, K_N_HIDDEN, K_N_OUT, K_TENSORS };
static const char *const header_keys[] = {"format", "version", "variant", "n_in",
                                          "n_hidden", "n_out", "tensors", NULL};
#define SIZE_KEYS ((1u << K_VARIANT) | (1u << K_N_IN) | (1u << K_N_HIDDEN) | (1u << K_N_OUT))

/* Once the variant and sizes are known, the file cannot need more bytes than that
 * model's numbers take. */
static int tighten(rd *r) {
    const gs_weights *w = r->w;
    uint64_t lim;
    if ((r->seen & SIZE_KEYS) != SIZE_KEYS || r->model_limit) return 0;
    lim = (uint64_t)model_numbers(w->variant, w->n_in, w->n_hidden, w->n_out) *
              BYTES_PER_NUMBER + SLACK;
    if (lim >= r->limit) return 0;
    r->limit = lim;
    r->model_limit = 1;
    if ((r->size ? r->size : r->taken) > r->limit) return too_large(r);
    return 0;
}

static int read_header_value(rd *r, int key) {
    gs_weights *w = r->w;
    char text[NAME_CAP + 1], q[96], what[24];
    size_t len;
    double v;
    gs_error e;
    snprintf(what, sizeof what, "\"%s\"", header_keys[key]);
    if (key == K_FORMAT || key == K_VARIANT) {
        if (want(r, '"', what, "a string") || read_string(r, text, NAME_CAP, &len)) return -1;
        if (key == K_FORMAT) {
            if (len != strlen(FORMAT_NAME) || strcmp(text, FORMAT_NAME) != 0)
                return fail_at(r, "not a gatescope weights file (\"format\" must be \"%s\")",
                               FORMAT_NAME);
            return 0;
        }
        /* the quoted form is the name itself for every real variant */
        gs__quote(q, sizeof q, text, len < NAME_CAP ? len : NAME_CAP);
        if (gs_variant_from_name(q, &w->variant, &e) != GS_OK) return fail_at(r, "%s", e.msg);
        return 0;
    }
    if (key == K_TENSORS) return want(r, '[', what, "an array") || read_tensors(r) ? -1 : 0;
    if (want(r, '0', what, "a number") || read_number(r, &v)) return -1;
    if (key == K_VERSION) {
        if (v != FORMAT_VERSION)
            return fail_at(r, "weights format version %.9g; this gatescope reads version %d", v,
                           FORMAT_VERSION);
        return 0;
    }
    if (!(v >= 1 && v <= MAX_SIZE) || v != floor(v))
        return fail_at(r, "\"%s\" must be an integer in 1..%d (got %.9g)", header_keys[key],
                       MAX_SIZE, v);
    if (key == K_N_IN) w->n_in = (int)v;
    if (key == K_N_HIDDEN) w->n_hidden = (int)v;
    if (key == K_N_OUT) w->n_out = (int)v;
    return 0;
}

static int read_root(rd *r) {
    char key[NAME_CAP + 1], what[32];
    size_t klen;
    int first = 1, k, i, c;
    skip_ws(r);
    c = peek(r);
    mark(r);
    if (c == 0xEF && r->end - r->p >= 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0)
        return fail_at(r, "not valid JSON: the file starts with a byte-order mark (save it as "
                       "UTF-8 without one)");
    if (c < 0 && !r->failed)
        return fail_at(r, "not valid JSON (the file is %s)", r->taken ? "only white space" : "empty");
    if (c != '{') {
        if (value_start(c)) return fail_at(r, "not a gatescope weights file (expected a JSON object)");
        return unexpected(r, "'{'");
    }
    advance(r);
    while ((k = next_key(r, &first, key, sizeof key - 1, &klen)) == 1) {
        i = key_index(key, klen, header_keys);
        if (i < 0 && !(r->seen & (1u << K_FORMAT))) {
            char q[80];
            return fail_at(r, "not a gatescope weights file (unknown key \"%s\")",
                           gs__quote(q, sizeof q, key, klen < NAME_CAP ? klen : NAME_CAP));
        }
        if (i < 0 || (r->seen & (1u << i)))
            return bad_key(r, key, klen, i >= 0, "",
                           "a weights file has format, version, variant, n_in, n_hidden, "
                           "n_out and tensors");
        if (read_header_value(r, i)) return -1;
        r->seen |= 1u << i;
        if (tighten(r)) return -1;
    }
    if (k < 0) return -1;
    for (i = 0; header_keys[i]; i++)
        if (!(r->seen & (1u << i))) {
            if (i == K_FORMAT)
                return fail_plain(r, GS_ERR_PARSE, "not a gatescope weights file (\"format\" "
                                  "must be \"%s\")", FORMAT_NAME);
            return fail_plain(r, GS_ERR_PARSE, "\"%s\" is missing", header_keys[i]);
        }
    skip_ws(r);
    if ((c = peek(r)) >= 0) {
        mark(r);
        return fail_at(r, "not valid JSON: %s after the end of the object",
                       describe(c, what, sizeof what));
    }
    return r->failed ? -1 : 0;
}

/* ============================== Read, parse, destroy ========================== */

void gs_weights_destroy(gs_weights *w) {
    gs_allocator a;
    if (!w) return;
    a = w->alloc;
    for (int i = 0; i < GS__MAX_TENSORS; i++) gs__free(&a, w->entries[i].data);
    gs__free(&a, w);
}

/* Read everything r gives into a new gs_weights. */
static gs_status run(rd *r, const gs_allocator *a, const char *shown, gs_weights **out,
                     gs_error *err) {
    r->line = r->col = r->tline = r->tcol = 1;
    r->st = GS_OK;
    r->err = err;
    if (!(r->w = gs__alloc(a, sizeof *r->w))) {
        gs__error(err, "out of memory reading '%s'", shown);
        return GS_ERR_NOMEM;
    }
    r->w->alloc = *a;
    snprintf(r->w->shown, sizeof r->w->shown, "%s", shown);
    r->limit = max_bytes(NULL);
    if ((r->size ? r->size : r->taken) > r->limit) too_large(r);
    else read_root(r);
    if (r->failed) {
        gs_weights_destroy(r->w);
        return r->st;
    }
    *out = r->w;
    return GS_OK;
}

gs_status gs_weights_parse(gs_weights **out, const char *name, const char *text, size_t len,
                           const gs_allocator *alloc, gs_error *err) {
    gs_allocator a = {NULL, NULL};
    char shown[GS__SHOWN_MAX];
    rd r;
    if (out) *out = NULL;
    if (!out || !name || (!text && len)) {
        gs__error(err, "gs_weights_parse needs an output pointer, a name and the text");
        return GS_ERR_ARG;
    }
    if (alloc) a = *alloc;
    memset(&r, 0, sizeof r);
    r.p = (const unsigned char *)text;
    r.end = r.p + len;
    r.taken = r.size = len;
    return run(&r, &a, gs__show_path(shown, sizeof shown, name), out, err);
}

gs_status gs_weights_read(gs_weights **out, const char *path, const gs_allocator *alloc,
                          gs_error *err) {
    gs_allocator a = {NULL, NULL};
    char shown[GS__SHOWN_MAX];
    struct stat st;
    gs_status status;
    rd r;
    if (out) *out = NULL;
    if (!out || !path) {
        gs__error(err, "gs_weights_read needs an output pointer and a path");
        return GS_ERR_ARG;
    }
    if (alloc) a = *alloc;
    gs__show_path(shown, sizeof shown, path);
    memset(&r, 0, sizeof r);
    if (!(r.f = fopen(path, "rb"))) {
        gs__error(err, "cannot open '%s': %s", shown, strerror(errno));
        return GS_ERR_IO;
    }
    if (fstat(fileno(r.f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            gs__error(err, "cannot read '%s': %s", shown, strerror(EISDIR));
            fclose(r.f);
            return GS_ERR_IO;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0) r.size = (uint64_t)st.st_size;
    }
    if (!(r.chunk = gs__alloc(&a, CHUNK))) {
        gs__error(err, "out of memory reading '%s'", shown);
        fclose(r.f);
        return GS_ERR_NOMEM;
    }
    r.p = r.end = r.chunk;
    status = run(&r, &a, shown, out, err);
    gs__free(&a, r.chunk);
    fclose(r.f);
    return status;
}

void gs_weights_header(const gs_weights *w, gs_variant *variant, int *n_in, int *n_hidden,
                       int *n_out) {
    if (!w) return;
    if (variant) *variant = w->variant;
    if (n_in) *n_in = w->n_in;
    if (n_hidden) *n_hidden = w->n_hidden;
    if (n_out) *n_out = w->n_out;
}

/* ============================== Into a model ================================== */

/* Check entry e (tensors[idx]) against the model's tensor t. */
static gs_status check_entry(const gs_weights *w, const wentry *e, const gs_tensor *t,
                             gs_error *err) {
    char got[48], want[48];
    if (!e->has_shape) {
        gs__error(err, "%s: tensor '%s' has no \"shape\" array", w->shown, t->name);
        return GS_ERR_PARSE;
    }
    if (t->cols == 1)
        snprintf(want, sizeof want, "[%d] or [%d,1]", t->rows, t->rows);
    else
        snprintf(want, sizeof want, "[%d,%d]", t->rows, t->cols);
    if (e->nd == 1)
        snprintf(got, sizeof got, "[%d]", e->dims[0]);
    else if (e->nd == 2)
        snprintf(got, sizeof got, "[%d,%d]", e->dims[0], e->dims[1]);
    else
        snprintf(got, sizeof got, "[]");
    if (!((e->nd == 2 && e->dims[0] == t->rows && e->dims[1] == t->cols) ||
          (e->nd == 1 && t->cols == 1 && e->dims[0] == t->rows))) {
        gs__error(err, "%s: tensor '%s' has shape %s; the model needs %s", w->shown, t->name,
                  got, want);
        return GS_ERR_PARSE;
    }
    if (!e->has_data) {
        gs__error(err, "%s: tensor '%s' has no \"data\" array", w->shown, t->name);
        return GS_ERR_PARSE;
    }
    if (e->count != (size_t)t->rows * (size_t)t->cols) {
        gs__error(err, "%s: tensor '%s' has %zu values; its shape %s needs %d", w->shown,
                  t->name, e->count, got, t->rows * t->cols);
        return GS_ERR_PARSE;
    }
    return GS_OK;
}

gs_status gs_model_load_weights(gs_model *m, const gs_weights *w, gs_error *err) {
    const gs_model_config *c;
    const gs_variant_info *vi;
    int match[GS__MAX_TENSORS], seen[GS__MAX_TENSORS];
    gs_status st;
    gs_real *P;
    int i, j, nt;
    if (!m || !w) {
        gs__error(err, "gs_model_load_weights needs a model and weights");
        return GS_ERR_ARG;
    }
    c = gs_model_config_of(m);
    vi = gs_variant_get(c->variant);
    nt = gs_model_tensor_count(m);
    if (nt > GS__MAX_TENSORS) {
        gs__error(err, "%s: model has too many tensors", w->shown);
        return GS_ERR_ARG;
    }
    if (w->variant != c->variant) {
        gs__error(err, "%s: variant is '%s', the model is '%s'", w->shown,
                  gs_variant_get(w->variant)->name, vi->name);
        return GS_ERR_ARG;
    }
    if (w->n_in != c->n_in || w->n_hidden != c->n_hidden || w->n_out != c->n_out) {
        gs__error(err, "%s: sizes are n_in %d, n_hidden %d, n_out %d; the %s model has %d, %d, "
                  "%d", w->shown, w->n_in, w->n_hidden, w->n_out, vi->name, c->n_in,
                  c->n_hidden, c->n_out);
        return GS_ERR_ARG;
    }
    /* every check first, so that m changes only when all is well */
    memset(seen, 0, sizeof seen);
    for (j = 0; j < w->n_entries; j++) {
        const wentry *e = &w->entries[j];
        if (!e->has_name) {
            gs__error(err, "%s: tensors[%d] has no \"name\" string", w->shown, j);
            return GS_ERR_PARSE;
        }
        for (i = 0; i < nt; i++)
            if (e->name_len <= NAME_CAP && strcmp(gs_model_tensor(m, i)->name, e->name) == 0)
                break;
        if (i == nt) {
            const char *names[GS__MAX_TENSORS];
            char q[56];
            int near;
            for (int k = 0; k < nt; k++) names[k] = gs_model_tensor(m, k)->name;
            near = gs__nearest(e->name, names, nt);
            gs__quote(q, sizeof q, e->name, e->name_len < 40 ? e->name_len : 40);
            gs__error(err, "%s: unknown tensor '%s%s' for a %s model%s%s%s", w->shown, q,
                      e->name_len > 40 ? "..." : "", vi->name,
                      near >= 0 ? " (did you mean '" : "", near >= 0 ? names[near] : "",
                      near >= 0 ? "'?)" : "");
            return GS_ERR_PARSE;
        }
        if (seen[i]) {
            gs__error(err, "%s: tensor '%s' appears more than once", w->shown,
                      gs_model_tensor(m, i)->name);
            return GS_ERR_PARSE;
        }
        seen[i] = 1;
        match[j] = i;
        if ((st = check_entry(w, e, gs_model_tensor(m, i), err)) != GS_OK) return st;
    }
    for (i = 0; i < nt; i++)
        if (!seen[i]) {
            gs__error(err, "%s: tensor '%s' is missing", w->shown, gs_model_tensor(m, i)->name);
            return GS_ERR_PARSE;
        }
    P = gs_model_params(m, NULL);
    for (j = 0; j < w->n_entries; j++) {
        const wentry *e = &w->entries[j];
        const gs_tensor *t = gs_model_tensor(m, match[j]);
        for (int r = 0; r < t->rows; r++)
            memcpy(P + t->offset + (size_t)r * (size_t)t->ld, e->data + (size_t)r * (size_t)t->cols,
                   sizeof(gs_real) * (size_t)t->cols);
    }
    return GS_OK;
}

/* ============================== The path-based calls ========================== */

gs_status gs_model_load_json(gs_model *m, const char *path, gs_error *err) {
    gs_weights *w = NULL;
    gs_status st;
    if (!m || !path) {
        gs__error(err, "gs_model_load_json needs a model and a path");
        return GS_ERR_ARG;
    }
    if ((st = gs_weights_read(&w, path, &gs_model_config_of(m)->alloc, err)) != GS_OK) return st;
    st = gs_model_load_weights(m, w, err);
    gs_weights_destroy(w);
    return st;
}

gs_status gs_weights_peek(const char *path, gs_variant *variant, int *n_in, int *n_hidden,
                          int *n_out, gs_error *err) {
    gs_weights *w = NULL;
    gs_status st;
    if (!path) {
        gs__error(err, "gs_weights_peek needs a path");
        return GS_ERR_ARG;
    }
    if ((st = gs_weights_read(&w, path, NULL, err)) != GS_OK) return st;
    gs_weights_header(w, variant, n_in, n_hidden, n_out);
    gs_weights_destroy(w);
    return GS_OK;
}
