/* io.c — files: a sequence's trace as tidy CSV, and a model's weights as JSON
 * (written here, read with cJSON).  Never prints; every failure is a status and a
 * one-line message that names the file and, where there is one, the tensor.
 *
 * ---- CSV ------------------------------------------------------------------------
 * Rows `variant,step,quantity,unit,value`, batch row 0 only.  Step 0 carries the
 * initial state (s, or c and h) and, for rnn, gamma_w.  Each step t = 1..steps
 * carries, in this order: x, the gates by symbol, cand (n for gru-ra), the states,
 * out, y, target, and where the step lies in the last backward window d_s (d_c, d_h)
 * and d_x — all per unit, units counted from 0 — then the per-step scalars with an
 * empty unit: loss (loss steps only), s_norm, s_max (c_/h_ for two-state cells),
 * d_s_norm and d_x_norm (backward window only), jac_sigma and shrink (when finite),
 * has_grad (always).  Values are %.9g; inf, -inf and nan are spelled so.  A seq with
 * no step computed writes the header alone.  The user's guide is docs/cli.md.
 *
 * ---- JSON -----------------------------------------------------------------------
 *   {"format":"gatescope-weights","version":1,"variant":"lstm",
 *    "n_in":2,"n_hidden":16,"n_out":1,
 *    "tensors":[{"name":"W_i","shape":[16,16],"data":[... row-major ...]}, ...]}
 * Vectors (cols == 1, ld == 1) have a one-number shape; [rows, 1] is accepted too.
 * The writer is ours rather than cJSON's printer: it streams (no tree of n² nodes),
 * prints floats with the 9 digits that round-trip them exactly (17 for the double
 * engine) and keeps the sign of -0, so save → load is bit-exact.
 * Statuses: GS_ERR_IO the file cannot be opened/read/written; GS_ERR_PARSE its content
 * is wrong (JSON, format, tensors, values); GS_ERR_ARG a good file for another model
 * (variant, sizes); GS_ERR_STATE saving a model with inf/NaN weights. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_NAME "gatescope-weights"
#define FORMAT_VERSION 1
#define MAX_SIZE 4096 /* as gs_model_create */

/* REAL_LIMIT: values below it in magnitude round to a finite gs_real (for float,
 * FLT_MAX plus half its last place: the printed FLT_MAX lies a little above it). */
#ifdef GS_REAL_DOUBLE
#define REAL_FMT "%.17g"
#define REAL_LIMIT ((double)INFINITY)
#else
#define REAL_FMT "%.9g"
#define REAL_LIMIT ((double)FLT_MAX + ldexp(1.0, 103))
#endif

/* A path short enough to leave room for the message around it: the last 96 bytes
 * behind "...", which keeps the file name itself. */
static const char *short_path(const char *path, char *buf, size_t len) {
    size_t n = strlen(path);
    if (n <= 100) return path;
    snprintf(buf, len, "...%s", path + n - 96);
    return buf;
}

/* ============================== CSV trace =================================== */

/* One value, with the non-finite ones spelled the same on every libc. */
static void put_value(FILE *f, double v) {
    if (isnan(v))
        fputs("nan\n", f);
    else if (isinf(v))
        fputs(v > 0 ? "inf\n" : "-inf\n", f);
    else
        fprintf(f, "%.9g\n", v);
}

/* Rows `quantity,u` for u = 0..len-1 of vals at step t. */
static void put_units(FILE *f, const char *variant, int t, const char *q, const gs_real *vals,
                      int len) {
    if (!vals) return;
    for (int u = 0; u < len; u++) {
        fprintf(f, "%s,%d,%s,%d,", variant, t, q, u);
        put_value(f, (double)vals[u]);
    }
}

static void put_scalar(FILE *f, const char *variant, int t, const char *q, double v) {
    fprintf(f, "%s,%d,%s,,", variant, t, q);
    put_value(f, v);
}

gs_status gs_seq_write_csv(const gs_seq *s, FILE *f, int header, gs_error *err) {
    const gs_model *m;
    const gs_variant_info *info;
    const unsigned char *mask;
    gs_seq_summary sum;
    const gs_real *v;
    char name[32];
    int t, g, q, len;
    if (!s || !f) {
        gs__error(err, "gs_seq_write_csv needs a sequence and an open file");
        return GS_ERR_ARG;
    }
    m = gs_seq_model(s);
    info = gs_variant_get(gs_model_config_of(m)->variant);
    sum = gs_seq_summary_of(s);
    mask = gs__seq_mask(s);
    if (header) fputs("variant,step,quantity,unit,value\n", f);
    if (sum.steps == 0) goto out; /* nothing computed: not even the initial state is set */

    for (q = 0; q < info->n_states; q++) {
        v = gs_seq_values(s, GS_Q_STATE, q, 0, 0, &len);
        put_units(f, info->name, 0, info->state_symbols[q], v, len);
    }
    if (info->id == GS_RNN) put_scalar(f, info->name, 0, "gamma_w", sum.gamma_w);

    for (t = 1; t <= sum.steps; t++) {
        const gs_step_stats *st = gs_seq_stats(s, t);
        v = gs_seq_values(s, GS_Q_X, 0, t, 0, &len);
        put_units(f, info->name, t, "x", v, len);
        for (g = 0; g < info->n_gates; g++) {
            v = gs_seq_values(s, GS_Q_GATE, g, t, 0, &len);
            put_units(f, info->name, t, info->gates[g].symbol, v, len);
        }
        if (info->cand_symbol) {
            v = gs_seq_values(s, GS_Q_CAND, 0, t, 0, &len);
            put_units(f, info->name, t, info->cand_symbol, v, len);
        }
        for (q = 0; q < info->n_states; q++) {
            v = gs_seq_values(s, GS_Q_STATE, q, t, 0, &len);
            put_units(f, info->name, t, info->state_symbols[q], v, len);
        }
        v = gs_seq_values(s, GS_Q_OUT, 0, t, 0, &len);
        put_units(f, info->name, t, "out", v, len);
        v = gs_seq_values(s, GS_Q_Y, 0, t, 0, &len);
        put_units(f, info->name, t, "y", v, len);
        v = gs_seq_values(s, GS_Q_TARGET, 0, t, 0, &len);
        put_units(f, info->name, t, "target", v, len);
        if (st->has_grad) {
            for (q = 0; q < info->n_states; q++) {
                snprintf(name, sizeof name, "d_%s", info->state_symbols[q]);
                v = gs_seq_values(s, GS_Q_D_STATE, q, t, 0, &len);
                put_units(f, info->name, t, name, v, len);
            }
            v = gs_seq_values(s, GS_Q_D_X, 0, t, 0, &len);
            put_units(f, info->name, t, "d_x", v, len);
        }

        /* the mask, not isnan(loss): a loss step whose loss went NaN still says so */
        if (mask[t - 1]) put_scalar(f, info->name, t, "loss", st->loss);
        for (q = 0; q < info->n_states; q++) {
            snprintf(name, sizeof name, "%s_norm", info->state_symbols[q]);
            put_scalar(f, info->name, t, name, st->state_norm[q]);
            snprintf(name, sizeof name, "%s_max", info->state_symbols[q]);
            put_scalar(f, info->name, t, name, st->state_max[q]);
        }
        if (st->has_grad) {
            for (q = 0; q < info->n_states; q++) {
                snprintf(name, sizeof name, "d_%s_norm", info->state_symbols[q]);
                put_scalar(f, info->name, t, name, st->d_state_norm[q]);
            }
            put_scalar(f, info->name, t, "d_x_norm", st->d_x_norm);
        }
        if (isfinite(st->jac_sigma)) put_scalar(f, info->name, t, "jac_sigma", st->jac_sigma);
        if (isfinite(st->shrink)) put_scalar(f, info->name, t, "shrink", st->shrink);
        put_scalar(f, info->name, t, "has_grad", st->has_grad);
    }
out:
    if (fflush(f) != 0 || ferror(f)) {
        gs__error(err, "cannot write the trace: %s", strerror(errno));
        return GS_ERR_IO;
    }
    return GS_OK;
}

/* ============================== JSON: save ================================== */

/* 1-D shape for vectors, [rows, cols] otherwise. */
static int is_vector(const gs_tensor *t) { return t->cols == 1 && t->ld == 1; }

gs_status gs_model_save_json(const gs_model *m, const char *path, gs_error *err) {
    const gs_model_config *c;
    const gs_real *P;
    char pbuf[128], where[48];
    const char *shown;
    FILE *f = NULL;
    int i, r, k, nt;
    if (!m || !path) {
        gs__error(err, "gs_model_save_json needs a model and a path");
        return GS_ERR_ARG;
    }
    c = gs_model_config_of(m);
    P = gs_model_params_const(m, NULL);
    nt = gs_model_tensor_count(m);
    shown = short_path(path, pbuf, sizeof pbuf);

    /* JSON has no inf or NaN: refuse before touching the file */
    for (i = 0; i < nt; i++) {
        const gs_tensor *t = gs_model_tensor(m, i);
        for (r = 0; r < t->rows; r++)
            for (k = 0; k < t->cols; k++) {
                double v = (double)P[t->offset + (size_t)r * (size_t)t->ld + (size_t)k];
                if (!isfinite(v)) {
                    gs_model_describe_index(m, t->offset + (size_t)r * (size_t)t->ld + (size_t)k,
                                            where, sizeof where);
                    gs__error(err, "cannot save %s: %s is %s (JSON holds finite numbers only)",
                              shown, where, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
                    return GS_ERR_STATE;
                }
            }
    }

    if (!(f = fopen(path, "w"))) {
        gs__error(err, "cannot write %s: %s", shown, strerror(errno));
        return GS_ERR_IO;
    }
    fprintf(f, "{\"format\":\"%s\",\"version\":%d,\"variant\":\"%s\",\n", FORMAT_NAME,
            FORMAT_VERSION, gs_variant_get(c->variant)->name);
    fprintf(f, " \"n_in\":%d,\"n_hidden\":%d,\"n_out\":%d,\n \"tensors\":[\n", c->n_in,
            c->n_hidden, c->n_out);
    for (i = 0; i < nt; i++) {
        const gs_tensor *t = gs_model_tensor(m, i);
        if (is_vector(t))
            fprintf(f, "  {\"name\":\"%s\",\"shape\":[%d],\"data\":[", t->name, t->rows);
        else
            fprintf(f, "  {\"name\":\"%s\",\"shape\":[%d,%d],\"data\":[", t->name, t->rows,
                    t->cols);
        for (r = 0; r < t->rows; r++)
            for (k = 0; k < t->cols; k++) {
                if (r || k) fputc(',', f);
                fprintf(f, REAL_FMT, (double)P[t->offset + (size_t)r * (size_t)t->ld + (size_t)k]);
            }
        fprintf(f, "]}%s\n", i + 1 < nt ? "," : "");
    }
    fputs(" ]}\n", f);
    if (ferror(f) | (fclose(f) != 0)) {
        gs__error(err, "cannot write %s: %s", shown, strerror(errno));
        remove(path);
        return GS_ERR_IO;
    }
    return GS_OK;
}

/* ============================== JSON: load ================================== */

/* The whole file, NUL-terminated, through the allocator a.  Read in growing chunks
 * (not fseek/ftell), so pipes work and a directory fails cleanly. */
static gs_status read_whole(const char *path, const char *shown, const gs_allocator *a,
                            char **out, size_t *len, gs_error *err) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *bigger;
    size_t cap = 0, n = 0, got;
    gs_status st = GS_OK;
    *out = NULL;
    *len = 0;
    if (!f) {
        gs__error(err, "cannot open %s: %s", shown, strerror(errno));
        return GS_ERR_IO;
    }
    do {
        if (cap - n < 2) {
            size_t want = cap ? cap * 2 : 65536;
            if (want > ((size_t)1 << 31) || !(bigger = gs__alloc(a, want))) {
                gs__error(err, "%s is too large to load (%zu bytes read)", shown, n);
                st = GS_ERR_NOMEM;
                goto done;
            }
            if (n) memcpy(bigger, buf, n);
            gs__free(a, buf);
            buf = bigger;
            cap = want;
        }
        errno = 0;
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        gs__error(err, "cannot read %s: %s", shown, errno ? strerror(errno) : "read error");
        st = GS_ERR_IO;
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    gs__free(a, buf);
    fclose(f);
    return st;
}

/* Parse buf; on failure say where (line:col, from the byte cJSON stopped at). */
static gs_status parse_json(const char *buf, size_t len, const char *shown, cJSON **out,
                            gs_error *err) {
    const char *end = NULL;
    /* len + 1: cJSON wants the terminating NUL inside the buffer it is given */
    *out = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (*out) return GS_OK;
    if (end && end >= buf && end <= buf + len) {
        int line = 1, col = 1;
        for (const char *p = buf; p < end; p++) {
            if (*p == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        gs__error(err, "%s:%d:%d: not valid JSON%s", shown, line, col,
                  len == 0 ? " (the file is empty)" : "");
        if (err) {
            err->line = line;
            err->col = col;
        }
    } else {
        gs__error(err, "%s: not valid JSON", shown);
    }
    return GS_ERR_PARSE;
}

/* An integer in [lo, hi] stored under key, or -1 after writing err. */
static int get_int(const cJSON *root, const char *key, int lo, int hi, const char *shown,
                   gs_error *err) {
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, key);
    double v;
    if (!cJSON_IsNumber(it)) {
        gs__error(err, "%s: \"%s\" is missing or not a number", shown, key);
        return -1;
    }
    v = it->valuedouble;
    if (!(v >= lo && v <= hi) || v != floor(v)) {
        gs__error(err, "%s: \"%s\" must be an integer in %d..%d (got %.9g)", shown, key, lo, hi,
                  v);
        return -1;
    }
    return (int)v;
}

/* The header every weights file starts with: format, version, variant, sizes. */
typedef struct header {
    gs_variant variant;
    int n_in, n_hidden, n_out;
} header;

static gs_status read_header(const cJSON *root, const char *shown, header *h, gs_error *err) {
    const cJSON *it;
    gs_error e;
    if (!cJSON_IsObject(root)) {
        gs__error(err, "%s: not a gatescope weights file (expected a JSON object)", shown);
        return GS_ERR_PARSE;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(it) || strcmp(it->valuestring, FORMAT_NAME) != 0) {
        gs__error(err, "%s: not a gatescope weights file (\"format\" must be \"%s\")", shown,
                  FORMAT_NAME);
        return GS_ERR_PARSE;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(it) || it->valuedouble != FORMAT_VERSION) {
        if (cJSON_IsNumber(it))
            gs__error(err, "%s: weights format version %.9g; this gatescope reads version %d",
                      shown, it->valuedouble, FORMAT_VERSION);
        else
            gs__error(err, "%s: \"version\" is missing or not a number", shown);
        return GS_ERR_PARSE;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "variant");
    if (!cJSON_IsString(it)) {
        gs__error(err, "%s: \"variant\" is missing or not a string", shown);
        return GS_ERR_PARSE;
    }
    if (gs_variant_from_name(it->valuestring, &h->variant, &e) != GS_OK) {
        gs__error(err, "%s: %s", shown, e.msg);
        return GS_ERR_PARSE;
    }
    if ((h->n_in = get_int(root, "n_in", 1, MAX_SIZE, shown, err)) < 0 ||
        (h->n_hidden = get_int(root, "n_hidden", 1, MAX_SIZE, shown, err)) < 0 ||
        (h->n_out = get_int(root, "n_out", 1, MAX_SIZE, shown, err)) < 0)
        return GS_ERR_PARSE;
    return GS_OK;
}

/* Read and parse path, and check its header. */
static gs_status open_weights(const char *path, const char *shown, const gs_allocator *a,
                              cJSON **root, header *h, gs_error *err) {
    char *buf = NULL;
    size_t len = 0;
    gs_status st;
    *root = NULL;
    if ((st = read_whole(path, shown, a, &buf, &len, err)) != GS_OK) return st;
    st = parse_json(buf, len, shown, root, err);
    gs__free(a, buf);
    if (st != GS_OK) return st;
    if ((st = read_header(*root, shown, h, err)) != GS_OK) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return st;
}

gs_status gs_weights_peek(const char *path, gs_variant *variant, int *n_in, int *n_hidden,
                          int *n_out, gs_error *err) {
    char pbuf[128];
    cJSON *root;
    header h;
    gs_status st;
    if (!path) {
        gs__error(err, "gs_weights_peek needs a path");
        return GS_ERR_ARG;
    }
    st = open_weights(path, short_path(path, pbuf, sizeof pbuf), NULL, &root, &h, err);
    if (st != GS_OK) return st;
    cJSON_Delete(root);
    if (variant) *variant = h.variant;
    if (n_in) *n_in = h.n_in;
    if (n_hidden) *n_hidden = h.n_hidden;
    if (n_out) *n_out = h.n_out;
    return GS_OK;
}

/* Check one tensor entry of the file against t and copy its data into scratch. */
static gs_status load_tensor(const cJSON *entry, const gs_tensor *t, gs_real *scratch,
                             const char *shown, gs_error *err) {
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(entry, "shape");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(entry, "data");
    const cJSON *it;
    int dims[3] = { 0, 0, 0 }, nd = 0, count, i;
    char got[48], want[48];

    if (!cJSON_IsArray(shape)) {
        gs__error(err, "%s: tensor '%s' has no \"shape\" array", shown, t->name);
        return GS_ERR_PARSE;
    }
    cJSON_ArrayForEach(it, shape) {
        if (nd == 3 || !cJSON_IsNumber(it) || it->valuedouble < 0 ||
            it->valuedouble > 1e9 || it->valuedouble != floor(it->valuedouble)) {
            gs__error(err, "%s: tensor '%s': \"shape\" must be one or two sizes", shown, t->name);
            return GS_ERR_PARSE;
        }
        dims[nd++] = (int)it->valuedouble;
    }
    if (t->cols == 1)
        snprintf(want, sizeof want, "[%d] or [%d,1]", t->rows, t->rows);
    else
        snprintf(want, sizeof want, "[%d,%d]", t->rows, t->cols);
    if (nd == 1)
        snprintf(got, sizeof got, "[%d]", dims[0]);
    else if (nd == 2)
        snprintf(got, sizeof got, "[%d,%d]", dims[0], dims[1]);
    else
        snprintf(got, sizeof got, "[]");
    if (!((nd == 2 && dims[0] == t->rows && dims[1] == t->cols) ||
          (nd == 1 && t->cols == 1 && dims[0] == t->rows))) {
        gs__error(err, "%s: tensor '%s' has shape %s; the model needs %s", shown, t->name, got,
                  want);
        return GS_ERR_PARSE;
    }
    if (!cJSON_IsArray(data)) {
        gs__error(err, "%s: tensor '%s' has no \"data\" array", shown, t->name);
        return GS_ERR_PARSE;
    }
    count = cJSON_GetArraySize(data);
    if (count != t->rows * t->cols) {
        gs__error(err, "%s: tensor '%s' has %d values; its shape %s needs %d", shown, t->name,
                  count, got, t->rows * t->cols);
        return GS_ERR_PARSE;
    }
    i = 0;
    cJSON_ArrayForEach(it, data) {
        int r = i / t->cols, c = i % t->cols;
        double v = it->valuedouble;
        if (!cJSON_IsNumber(it) || !isfinite(v) || !(fabs(v) < REAL_LIMIT)) {
            if (t->cols == 1)
                snprintf(want, sizeof want, "%s[%d]", t->name, r);
            else
                snprintf(want, sizeof want, "%s[%d,%d]", t->name, r, c);
            gs__error(err, "%s: tensor '%s': value %d (%s) is %s", shown, t->name, i, want,
                      !cJSON_IsNumber(it) ? "not a number"
                      : isfinite(v)       ? "out of range"
                                          : "not finite");
            return GS_ERR_PARSE;
        }
        scratch[t->offset + (size_t)r * (size_t)t->ld + (size_t)c] = (gs_real)v;
        i++;
    }
    return GS_OK;
}

gs_status gs_model_load_json(gs_model *m, const char *path, gs_error *err) {
    const gs_model_config *c;
    const gs_variant_info *vi;
    const cJSON *tensors, *entry;
    const char *shown;
    char pbuf[128];
    unsigned char seen[GS__MAX_TENSORS];
    cJSON *root = NULL;
    gs_real *scratch = NULL;
    gs_real *P;
    size_t total;
    header h;
    gs_status st;
    int i, nt, idx;
    if (!m || !path) {
        gs__error(err, "gs_model_load_json needs a model and a path");
        return GS_ERR_ARG;
    }
    c = gs_model_config_of(m);
    vi = gs_variant_get(c->variant);
    shown = short_path(path, pbuf, sizeof pbuf);
    nt = gs_model_tensor_count(m);
    if (nt > GS__MAX_TENSORS) {
        gs__error(err, "%s: model has too many tensors", shown);
        return GS_ERR_ARG;
    }
    if ((st = open_weights(path, shown, &c->alloc, &root, &h, err)) != GS_OK) return st;

    if (h.variant != c->variant) {
        gs__error(err, "%s: variant is '%s', the model is '%s'", shown,
                  gs_variant_get(h.variant)->name, vi->name);
        st = GS_ERR_ARG;
        goto done;
    }
    if (h.n_in != c->n_in || h.n_hidden != c->n_hidden || h.n_out != c->n_out) {
        gs__error(err, "%s: sizes are n_in %d, n_hidden %d, n_out %d; the %s model has %d, %d, "
                  "%d", shown, h.n_in, h.n_hidden, h.n_out, vi->name, c->n_in, c->n_hidden,
                  c->n_out);
        st = GS_ERR_ARG;
        goto done;
    }
    tensors = cJSON_GetObjectItemCaseSensitive(root, "tensors");
    if (!cJSON_IsArray(tensors)) {
        gs__error(err, "%s: \"tensors\" is missing or not an array", shown);
        st = GS_ERR_PARSE;
        goto done;
    }

    P = gs_model_params(m, &total);
    if (!(scratch = gs__alloc(&c->alloc, sizeof(gs_real) * total))) {
        gs__error(err, "out of memory loading %s", shown);
        st = GS_ERR_NOMEM;
        goto done;
    }
    memcpy(scratch, P, sizeof(gs_real) * total);
    memset(seen, 0, sizeof seen);
    idx = 0;
    cJSON_ArrayForEach(entry, tensors) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(entry, "name");
        const gs_tensor *t = NULL;
        if (!cJSON_IsObject(entry) || !cJSON_IsString(name)) {
            gs__error(err, "%s: tensors[%d] has no \"name\" string", shown, idx);
            st = GS_ERR_PARSE;
            goto done;
        }
        for (i = 0; i < nt; i++)
            if (strcmp(gs_model_tensor(m, i)->name, name->valuestring) == 0) break;
        if (i == nt) {
            const char *names[GS__MAX_TENSORS];
            int near;
            for (int j = 0; j < nt; j++) names[j] = gs_model_tensor(m, j)->name;
            near = gs__nearest(name->valuestring, names, nt);
            gs__error(err, "%s: unknown tensor '%.40s' for a %s model%s%s%s", shown,
                      name->valuestring, vi->name, near >= 0 ? " (did you mean '" : "",
                      near >= 0 ? names[near] : "", near >= 0 ? "'?)" : "");
            st = GS_ERR_PARSE;
            goto done;
        }
        t = gs_model_tensor(m, i);
        if (seen[i]) {
            gs__error(err, "%s: tensor '%s' appears more than once", shown, t->name);
            st = GS_ERR_PARSE;
            goto done;
        }
        seen[i] = 1;
        if ((st = load_tensor(entry, t, scratch, shown, err)) != GS_OK) goto done;
        idx++;
    }
    for (i = 0; i < nt; i++)
        if (!seen[i]) {
            gs__error(err, "%s: tensor '%s' is missing", shown, gs_model_tensor(m, i)->name);
            st = GS_ERR_PARSE;
            goto done;
        }
    memcpy(P, scratch, sizeof(gs_real) * total);
    st = GS_OK;
done:
    gs__free(&c->alloc, scratch);
    cJSON_Delete(root);
    return st;
}
