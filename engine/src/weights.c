/* weights.c — reading a weights file (the JSON io.c writes) into a gs_weights, and
 * from there into a model.  One mechanism: a strict reader of RFC 8259 JSON
 * (json_read.c, the tokens) driven by the format's schema (here), pulling the bytes
 * once, from start to end, in 64 KiB chunks — no tree, no second pass, no second
 * open.  So a FIFO or /dev/stdin works, /dev/zero fails at its first byte, an
 * endless stream stops at a size limit, and the memory is the numbers themselves.  Not here: writing (io.c), the format's meaning
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
#include "json_read.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FORMAT_NAME "gatescope-weights"
#define FORMAT_VERSION 1
#define MAX_SIZE 4096             /* as gs_model_create */
#define BYTES_PER_NUMBER 32       /* the size limit: room for "%.17g", a comma, indent */
#define SLACK 65536               /* ... plus this for the keys, names and shapes */
#define NAME_CAP 63               /* bytes of a string kept (longer ones never match) */
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

/* ============================== The reader ==================================== */

/* The tokens, and what the schema has met so far. */
typedef struct rd {
    gs__jr j;         /* the bytes and the first error */
    gs_weights *w;    /* what is being filled */
    unsigned seen;    /* header keys met (bit per key) */
    int model_limit;  /* 1: j.limit comes from the header's model */
} rd;

/* The limit and what to say past it: the largest model, or the header's. */
static void set_limit(rd *r, uint64_t limit) {
    const gs_weights *w = r->w;
    gs_variant largest = GS_RNN;
    uint64_t most = max_bytes(&largest);
    r->j.limit = limit;
    if (r->model_limit)
        snprintf(r->j.limit_msg, sizeof r->j.limit_msg, "too large for the weights of a %s "
                 "model with n_in %d, n_hidden %d, n_out %d: at most %llu bytes",
                 gs_variant_get(w->variant)->name, w->n_in, w->n_hidden, w->n_out,
                 (unsigned long long)limit);
    else
        snprintf(r->j.limit_msg, sizeof r->j.limit_msg, "too large for a weights file: at "
                 "most %llu bytes (%d per number of the largest model, %s %dx%dx%d)",
                 (unsigned long long)most, BYTES_PER_NUMBER, gs_variant_get(largest)->name,
                 MAX_SIZE, MAX_SIZE, MAX_SIZE);
}

/* Past the limit already (a file of known size, or bytes taken)? */
static int over_limit(rd *r) {
    if ((r->j.size ? r->j.size : r->j.taken) <= r->j.limit) return 0;
    return gs__jr_fail(&r->j, GS_ERR_PARSE, "%s", r->j.limit_msg);
}

/* The value at the current byte must start with `open`; otherwise say that `what`
 * must be `kind` (when some other JSON value is there) or that it is not JSON. */
static int want(rd *r, int open, const char *what, const char *kind) {
    int c = gs__jr_peek(&r->j);
    if (c == open || (open == '0' && (c == '-' || gs__jr_digit(c)))) return 0;
    if (r->j.failed) return -1;
    gs__jr_mark(&r->j);
    if (gs__jr_value_start(c)) return gs__jr_fail_at(&r->j, "%s must be %s", what, kind);
    return gs__jr_unexpected(&r->j, "a value");
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
    if (dup) return gs__jr_fail_at(&r->j, "duplicate key \"%s\"%s", q, where);
    return gs__jr_fail_at(&r->j, "unknown key \"%s\"%s (%s)", q, where, keys);
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
    gs__jr_advance(&r->j);
    e->nd = 0;
    while ((k = gs__jr_next_element(&r->j, &first)) == 1) {
        c = gs__jr_peek(&r->j);
        gs__jr_mark(&r->j);
        if (!(c == '-' || gs__jr_digit(c)) && !gs__jr_value_start(c)) return gs__jr_unexpected(&r->j, "a value");
        if (!(c == '-' || gs__jr_digit(c)) || gs__jr_number(&r->j, &v) ||
            e->nd == 2 || !(v >= 0 && v <= 1e9) || v != floor(v))
            return r->j.failed ? -1 : gs__jr_fail_at(&r->j, "%s: \"shape\" must be one or two sizes",
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
        gs__jr_mark(&r->j);
        return gs__jr_fail_at(&r->j, "%s has more than %zu values (no tensor of any model is larger)",
                       entry_label(e, idx, label, sizeof label), MAX_VALUES);
    }
    want_n = e->cap ? e->cap * 2 : 256;
    if (!e->cap && e->has_shape && e->nd >= 1) {
        size_t shape_n = (size_t)e->dims[0] * (size_t)(e->nd == 2 ? e->dims[1] : 1);
        uint64_t used = r->j.taken - (uint64_t)(r->j.end - r->j.p);
        uint64_t left = r->j.size > used ? r->j.size - used : 0;
        /* every value takes two bytes at least ("0,"): no more than the rest can hold */
        if (shape_n >= 1 && shape_n <= MAX_VALUES && (shape_n <= want_n || left / 2 + 1 >= shape_n))
            want_n = shape_n;
    }
    if (want_n > MAX_VALUES) want_n = MAX_VALUES;
    if (!(bigger = gs__alloc(a, sizeof(gs_real) * want_n)))
        return gs__jr_fail(&r->j, GS_ERR_NOMEM, "out of memory reading the tensors");
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
    gs__jr_advance(&r->j);
    while ((k = gs__jr_next_element(&r->j, &first)) == 1) {
        int c = gs__jr_peek(&r->j);
        if (!(c == '-' || gs__jr_digit(c))) {
            gs__jr_mark(&r->j);
            if (!gs__jr_value_start(c)) return gs__jr_unexpected(&r->j, "a value");
            return gs__jr_fail_at(&r->j, "%s: %s is not a number", entry_label(e, idx, label, sizeof label),
                           value_label(e, e->count, vlabel, sizeof vlabel));
        }
        if (gs__jr_number(&r->j, &v)) return -1;
        if (!isfinite(v) || !(fabs(v) < REAL_LIMIT))
            return gs__jr_fail_at(&r->j, "%s: %s is %s", entry_label(e, idx, label, sizeof label),
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
    gs__jr_advance(&r->j);
    while ((k = gs__jr_next_key(&r->j, &first, key, sizeof key - 1, &klen)) == 1) {
        snprintf(where, sizeof where, " in tensors[%d]", idx);
        i = key_index(key, klen, keys);
        if (i < 0 || (met & (1u << i)))
            return bad_key(r, key, klen, i >= 0, where, "a tensor has name, shape and data");
        met |= 1u << i;
        snprintf(where, sizeof where, "%s: \"%s\"", entry_label(e, idx, label, sizeof label),
                 keys[i]);
        if (i == 0) {
            if (want(r, '"', where, "a string") || gs__jr_string(&r->j, e->name, NAME_CAP, &e->name_len))
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
    gs__jr_advance(&r->j);
    while ((k = gs__jr_next_element(&r->j, &first)) == 1) {
        char what[32];
        if (w->n_entries == GS__MAX_TENSORS) {
            gs__jr_mark(&r->j);
            return gs__jr_fail_at(&r->j, "more than %d tensors (no model has that many)", GS__MAX_TENSORS);
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
    if (lim >= r->j.limit) return 0;
    r->model_limit = 1;
    set_limit(r, lim);
    return over_limit(r);
}

static int read_header_value(rd *r, int key) {
    gs_weights *w = r->w;
    char text[NAME_CAP + 1], q[96], what[24];
    size_t len;
    double v;
    gs_error e;
    snprintf(what, sizeof what, "\"%s\"", header_keys[key]);
    if (key == K_FORMAT || key == K_VARIANT) {
        if (want(r, '"', what, "a string") || gs__jr_string(&r->j, text, NAME_CAP, &len)) return -1;
        if (key == K_FORMAT) {
            if (len != strlen(FORMAT_NAME) || strcmp(text, FORMAT_NAME) != 0)
                return gs__jr_fail_at(&r->j, "not a gatescope weights file (\"format\" must be \"%s\")",
                               FORMAT_NAME);
            return 0;
        }
        /* the quoted form is the name itself for every real variant */
        gs__quote(q, sizeof q, text, len < NAME_CAP ? len : NAME_CAP);
        if (gs_variant_from_name(q, &w->variant, &e) != GS_OK) return gs__jr_fail_at(&r->j, "%s", e.msg);
        return 0;
    }
    if (key == K_TENSORS) return want(r, '[', what, "an array") || read_tensors(r) ? -1 : 0;
    if (want(r, '0', what, "a number") || gs__jr_number(&r->j, &v)) return -1;
    if (key == K_VERSION) {
        if (v != FORMAT_VERSION)
            return gs__jr_fail_at(&r->j, "weights format version %.9g; this gatescope reads version %d", v,
                           FORMAT_VERSION);
        return 0;
    }
    if (!(v >= 1 && v <= MAX_SIZE) || v != floor(v))
        return gs__jr_fail_at(&r->j, "\"%s\" must be an integer in 1..%d (got %.9g)", header_keys[key],
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
    gs__jr_skip_ws(&r->j);
    c = gs__jr_peek(&r->j);
    gs__jr_mark(&r->j);
    if (c == 0xEF && r->j.end - r->j.p >= 3 && memcmp(r->j.p, "\xEF\xBB\xBF", 3) == 0)
        return gs__jr_fail_at(&r->j, "not valid JSON: the file starts with a byte-order mark (save it as "
                       "UTF-8 without one)");
    if (c < 0 && !r->j.failed)
        return gs__jr_fail_at(&r->j, "not valid JSON (the file is %s)", r->j.taken ? "only white space" : "empty");
    if (c != '{') {
        if (gs__jr_value_start(c)) return gs__jr_fail_at(&r->j, "not a gatescope weights file (expected a JSON object)");
        return gs__jr_unexpected(&r->j, "'{'");
    }
    gs__jr_advance(&r->j);
    while ((k = gs__jr_next_key(&r->j, &first, key, sizeof key - 1, &klen)) == 1) {
        i = key_index(key, klen, header_keys);
        if (i < 0 && !(r->seen & (1u << K_FORMAT))) {
            char q[80];
            return gs__jr_fail_at(&r->j, "not a gatescope weights file (unknown key \"%s\")",
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
                return gs__jr_fail(&r->j, GS_ERR_PARSE, "not a gatescope weights file (\"format\" "
                                  "must be \"%s\")", FORMAT_NAME);
            return gs__jr_fail(&r->j, GS_ERR_PARSE, "\"%s\" is missing", header_keys[i]);
        }
    gs__jr_skip_ws(&r->j);
    if ((c = gs__jr_peek(&r->j)) >= 0) {
        gs__jr_mark(&r->j);
        return gs__jr_fail_at(&r->j, "not valid JSON: %s after the end of the object",
                       gs__jr_describe(c, what, sizeof what));
    }
    return r->j.failed ? -1 : 0;
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
    r->j.line = r->j.col = r->j.tline = r->j.tcol = 1;
    r->j.st = GS_OK;
    r->j.err = err;
    if (!(r->w = gs__alloc(a, sizeof *r->w))) {
        gs__error(err, "out of memory reading '%s'", shown);
        return GS_ERR_NOMEM;
    }
    r->w->alloc = *a;
    snprintf(r->w->shown, sizeof r->w->shown, "%s", shown);
    r->j.shown = r->w->shown;
    set_limit(r, max_bytes(NULL));
    if (!over_limit(r)) read_root(r);
    if (r->j.failed) {
        gs_weights_destroy(r->w);
        return r->j.st;
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
    r.j.p = (const unsigned char *)text;
    r.j.end = r.j.p + len;
    r.j.taken = r.j.size = len;
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
    if (!(r.j.f = fopen(path, "rb"))) {
        gs__error(err, "cannot open '%s': %s", shown, strerror(errno));
        return GS_ERR_IO;
    }
    if (fstat(fileno(r.j.f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            gs__error(err, "cannot read '%s': %s", shown, strerror(EISDIR));
            fclose(r.j.f);
            return GS_ERR_IO;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0) r.j.size = (uint64_t)st.st_size;
    }
    if (!(r.j.chunk = gs__alloc(&a, GS__JR_CHUNK))) {
        gs__error(err, "out of memory reading '%s'", shown);
        fclose(r.j.f);
        return GS_ERR_NOMEM;
    }
    r.j.p = r.j.end = r.j.chunk;
    status = run(&r, &a, shown, out, err);
    gs__free(&a, r.j.chunk);
    fclose(r.j.f);
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
