/* io.c — the files the engine writes: a sequence's trace as tidy CSV, and a model's
 * weights as JSON (read back by weights.c).  Never prints; every failure is a status
 * and a one-line message that names the file and, where there is one, the tensor.
 * Files named by a path are written through a gs_outfile (outfile.c): the whole new
 * file or the old one, never a mix.
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
 * engine) and keeps the sign of -0, so save → load is bit-exact.  Numbers are
 * written with a '.' whatever the C locale says.
 * Statuses: GS_ERR_IO the file cannot be written; GS_ERR_STATE saving a model with
 * inf/NaN weights; GS_ERR_ARG a missing argument. */
#include "internal.h"
#include "io_internal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT_NAME "gatescope-weights"
#define FORMAT_VERSION 1

#ifdef GS_REAL_DOUBLE
#define REAL_FMT "%.17g"
#else
#define REAL_FMT "%.9g"
#endif

/* A stream and the first error met writing it: every write is checked, and after
 * the first failure nothing more is tried. */
typedef struct sink {
    FILE *f;
    int errnum; /* errno of the first failed write; 0 = none */
} sink;

static void sink_fail(sink *w) {
    if (!w->errnum) w->errnum = errno ? errno : EIO;
}

static void put_str(sink *w, const char *s) {
    if (w->errnum) return;
    errno = 0;
    if (fputs(s, w->f) == EOF) sink_fail(w);
}

static void put_fmt(sink *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put_fmt(sink *w, const char *fmt, ...) {
    va_list ap;
    int r;
    if (w->errnum) return;
    va_start(ap, fmt);
    errno = 0;
    r = vfprintf(w->f, fmt, ap);
    va_end(ap);
    if (r < 0) sink_fail(w);
}

/* Flush and take any error the stream saw (stdio may drop a failed buffer silently,
 * so ferror counts too). */
static int sink_finish(sink *w) {
    errno = 0;
    if (fflush(w->f) != 0) sink_fail(w);
    if (ferror(w->f)) sink_fail(w);
    return w->errnum;
}

/* ============================== CSV trace =================================== */

/* One value, with the non-finite ones spelled the same on every libc. */
static void put_value(sink *w, double v) {
    if (isnan(v))
        put_str(w, "nan\n");
    else if (isinf(v))
        put_str(w, v > 0 ? "inf\n" : "-inf\n");
    else
        put_fmt(w, "%.9g\n", v);
}

/* Rows `quantity,u` for u = 0..len-1 of vals at step t. */
static void put_units(sink *w, const char *variant, int t, const char *q, const gs_real *vals,
                      int len) {
    if (!vals) return;
    for (int u = 0; u < len && !w->errnum; u++) {
        put_fmt(w, "%s,%d,%s,%d,", variant, t, q, u);
        put_value(w, (double)vals[u]);
    }
}

static void put_scalar(sink *w, const char *variant, int t, const char *q, double v) {
    put_fmt(w, "%s,%d,%s,,", variant, t, q);
    put_value(w, v);
}

/* The rows of s (and the header line when header is set) into w; stops at the first
 * failed write. */
static void put_trace(sink *w, const gs_seq *s, int header) {
    const gs_model *m = gs_seq_model(s);
    const gs_variant_info *info = gs_variant_get(gs_model_config_of(m)->variant);
    const unsigned char *mask = gs__seq_mask(s);
    gs_seq_summary sum = gs_seq_summary_of(s);
    const gs_real *v;
    char name[32];
    int t, g, q, len;
    if (header) put_str(w, "variant,step,quantity,unit,value\n");
    if (sum.steps == 0) return; /* nothing computed: not even the initial state is set */

    for (q = 0; q < info->n_states; q++) {
        v = gs_seq_values(s, GS_Q_STATE, q, 0, 0, &len);
        put_units(w, info->name, 0, info->state_symbols[q], v, len);
    }
    if (info->id == GS_RNN) put_scalar(w, info->name, 0, "gamma_w", sum.gamma_w);

    for (t = 1; t <= sum.steps && !w->errnum; t++) {
        const gs_step_stats *st = gs_seq_stats(s, t);
        v = gs_seq_values(s, GS_Q_X, 0, t, 0, &len);
        put_units(w, info->name, t, "x", v, len);
        for (g = 0; g < info->n_gates; g++) {
            v = gs_seq_values(s, GS_Q_GATE, g, t, 0, &len);
            put_units(w, info->name, t, info->gates[g].symbol, v, len);
        }
        if (info->cand_symbol) {
            v = gs_seq_values(s, GS_Q_CAND, 0, t, 0, &len);
            put_units(w, info->name, t, info->cand_symbol, v, len);
        }
        for (q = 0; q < info->n_states; q++) {
            v = gs_seq_values(s, GS_Q_STATE, q, t, 0, &len);
            put_units(w, info->name, t, info->state_symbols[q], v, len);
        }
        v = gs_seq_values(s, GS_Q_OUT, 0, t, 0, &len);
        put_units(w, info->name, t, "out", v, len);
        v = gs_seq_values(s, GS_Q_Y, 0, t, 0, &len);
        put_units(w, info->name, t, "y", v, len);
        v = gs_seq_values(s, GS_Q_TARGET, 0, t, 0, &len);
        put_units(w, info->name, t, "target", v, len);
        if (st->has_grad) {
            for (q = 0; q < info->n_states; q++) {
                snprintf(name, sizeof name, "d_%s", info->state_symbols[q]);
                v = gs_seq_values(s, GS_Q_D_STATE, q, t, 0, &len);
                put_units(w, info->name, t, name, v, len);
            }
            v = gs_seq_values(s, GS_Q_D_X, 0, t, 0, &len);
            put_units(w, info->name, t, "d_x", v, len);
        }

        /* the mask, not isnan(loss): a loss step whose loss went NaN still says so */
        if (mask[t - 1]) put_scalar(w, info->name, t, "loss", st->loss);
        for (q = 0; q < info->n_states; q++) {
            snprintf(name, sizeof name, "%s_norm", info->state_symbols[q]);
            put_scalar(w, info->name, t, name, st->state_norm[q]);
            snprintf(name, sizeof name, "%s_max", info->state_symbols[q]);
            put_scalar(w, info->name, t, name, st->state_max[q]);
        }
        if (st->has_grad) {
            for (q = 0; q < info->n_states; q++) {
                snprintf(name, sizeof name, "d_%s_norm", info->state_symbols[q]);
                put_scalar(w, info->name, t, name, st->d_state_norm[q]);
            }
            put_scalar(w, info->name, t, "d_x_norm", st->d_x_norm);
        }
        if (isfinite(st->jac_sigma)) put_scalar(w, info->name, t, "jac_sigma", st->jac_sigma);
        if (isfinite(st->shrink)) put_scalar(w, info->name, t, "shrink", st->shrink);
        put_scalar(w, info->name, t, "has_grad", st->has_grad);
    }
}

gs_status gs_seq_write_csv(const gs_seq *s, FILE *f, int header, gs_error *err) {
    sink w = {f, 0};
    if (!s || !f) {
        gs__error(err, "gs_seq_write_csv needs a sequence and an open file");
        return GS_ERR_ARG;
    }
    put_trace(&w, s, header);
    if (sink_finish(&w)) {
        gs__error(err, "cannot write the trace: %s", strerror(w.errnum));
        return GS_ERR_IO;
    }
    return GS_OK;
}

gs_status gs_seq_save_csv(const gs_seq *const *seqs, int n, const char *path,
                          gs_error *err) {
    gs_outfile *o = NULL;
    gs_status st;
    sink w;
    int i;
    if (!seqs || n < 1 || !path) {
        gs__error(err, "gs_seq_save_csv needs at least one sequence and a path");
        return GS_ERR_ARG;
    }
    for (i = 0; i < n; i++)
        if (!seqs[i]) {
            gs__error(err, "gs_seq_save_csv: sequence %d is NULL", i);
            return GS_ERR_ARG;
        }
    st = gs_outfile_open(&o, path, &gs_model_config_of(gs_seq_model(seqs[0]))->alloc, err);
    if (st != GS_OK) return st;
    w.f = gs_outfile_stream(o);
    w.errnum = 0;
    for (i = 0; i < n && !w.errnum; i++) put_trace(&w, seqs[i], i == 0);
    if (w.errnum) {
        char shown[GS__SHOWN_MAX];
        gs__error(err, "cannot write '%s': %s", gs__show_path(shown, sizeof shown, path),
                  strerror(w.errnum));
        gs_outfile_abort(o);
        return GS_ERR_IO;
    }
    return gs_outfile_commit(o, err);
}

/* ============================== JSON: save ================================== */

/* 1-D shape for vectors, [rows, cols] otherwise. */
static int is_vector(const gs_tensor *t) { return t->cols == 1 && t->ld == 1; }

/* v as REAL_FMT prints it, with '.' for the decimal point in any locale. */
static void put_real(sink *w, double v, char point) {
    char buf[40];
    int len = snprintf(buf, sizeof buf, REAL_FMT, v);
    if (point != '.')
        for (int i = 0; i < len; i++)
            if (buf[i] == point) buf[i] = '.';
    put_str(w, buf);
}

/* Refuse what JSON cannot hold, before anything is written. */
static gs_status check_finite(const gs_model *m, const char *shown, gs_error *err) {
    const gs_real *P = gs_model_params_const(m, NULL);
    char where[48];
    for (int i = 0; i < gs_model_tensor_count(m); i++) {
        const gs_tensor *t = gs_model_tensor(m, i);
        for (int r = 0; r < t->rows; r++)
            for (int k = 0; k < t->cols; k++) {
                size_t idx = t->offset + (size_t)r * (size_t)t->ld + (size_t)k;
                double v = (double)P[idx];
                if (!isfinite(v)) {
                    gs_model_describe_index(m, idx, where, sizeof where);
                    gs__error(err, "cannot save '%s': %s is %s (JSON holds finite numbers only)",
                              shown, where, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
                    return GS_ERR_STATE;
                }
            }
    }
    return GS_OK;
}

/* The whole JSON of m into w. */
static void put_model(sink *w, const gs_model *m) {
    const gs_model_config *c = gs_model_config_of(m);
    const gs_real *P = gs_model_params_const(m, NULL);
    char point = localeconv()->decimal_point[0];
    int i, r, k, nt = gs_model_tensor_count(m);
    put_fmt(w, "{\"format\":\"%s\",\"version\":%d,\"variant\":\"%s\",\n", FORMAT_NAME,
            FORMAT_VERSION, gs_variant_get(c->variant)->name);
    put_fmt(w, " \"n_in\":%d,\"n_hidden\":%d,\"n_out\":%d,\n \"tensors\":[\n", c->n_in,
            c->n_hidden, c->n_out);
    for (i = 0; i < nt && !w->errnum; i++) {
        const gs_tensor *t = gs_model_tensor(m, i);
        if (is_vector(t))
            put_fmt(w, "  {\"name\":\"%s\",\"shape\":[%d],\"data\":[", t->name, t->rows);
        else
            put_fmt(w, "  {\"name\":\"%s\",\"shape\":[%d,%d],\"data\":[", t->name, t->rows,
                    t->cols);
        for (r = 0; r < t->rows && !w->errnum; r++)
            for (k = 0; k < t->cols; k++) {
                if (r || k) put_str(w, ",");
                put_real(w, (double)P[t->offset + (size_t)r * (size_t)t->ld + (size_t)k], point);
            }
        put_fmt(w, "]}%s\n", i + 1 < nt ? "," : "");
    }
    put_str(w, " ]}\n");
}

gs_status gs_model_write_json(const gs_model *m, gs_outfile *o, gs_error *err) {
    char shown[GS__SHOWN_MAX];
    gs_status st;
    sink w;
    if (!m || !o) {
        gs__error(err, "gs_model_write_json needs a model and an open file");
        return GS_ERR_ARG;
    }
    gs__show_path(shown, sizeof shown, gs_outfile_target(o));
    if ((st = check_finite(m, shown, err)) != GS_OK) return st;
    w.f = gs_outfile_stream(o);
    w.errnum = 0;
    put_model(&w, m);
    if (w.errnum) {
        gs_outfile_fail(o, w.errnum);
        gs__error(err, "cannot write '%s': %s", shown, strerror(w.errnum));
        return GS_ERR_IO;
    }
    return GS_OK;
}

gs_status gs_model_save_json(const gs_model *m, const char *path, gs_error *err) {
    char shown[GS__SHOWN_MAX];
    gs_outfile *o = NULL;
    gs_status st;
    if (!m || !path) {
        gs__error(err, "gs_model_save_json needs a model and a path");
        return GS_ERR_ARG;
    }
    /* refuse before touching the file */
    if ((st = check_finite(m, gs__show_path(shown, sizeof shown, path), err)) != GS_OK) return st;
    if ((st = gs_outfile_open(&o, path, &gs_model_config_of(m)->alloc, err)) != GS_OK) return st;
    if ((st = gs_model_write_json(m, o, err)) != GS_OK) {
        gs_outfile_abort(o);
        return st;
    }
    return gs_outfile_commit(o, err);
}
