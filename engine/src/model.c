/* model.c — a model's parameters and gradients: one flat block each, with named
 * views (the tensors of variants.md), and the seeded initialisation schemes. */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { GS__PARAM_ALIGN = 64 };

struct gs_model {
    gs_model_config cfg;          /* as created (alloc included) */
    const gs__variant_impl *impl; /* row of the variant table */
    gs__layout L;                 /* where every tensor and record slot lives */
    gs_real *params;              /* (L.total), at a 64-byte boundary inside params_block */
    void *params_block;           /* what was allocated: L.total reals and 64 bytes more */
    gs_real *grads;               /* (L.total), same layout; backward accumulates */
    /* γ‖W‖₂ of an rnn, kept with a hash of the W it was computed for: every pass asks
       for it, and Lanczos on a large W costs far more than hashing it */
    uint64_t gamma_key;           /* hash of W's bits when gamma was computed */
    double gamma;                 /* NaN until computed */
    /* counts the times the parameters may have been written (reinit, copy, and every
       gs_model_params, whose pointer writes): a batch-1 seq's transposed copy of A and
       its inputs projected ahead (seq.c) hold for one version only */
    uint64_t version;
};

gs_model_config gs_model_config_default(gs_variant v, int n_in, int n_hidden, int n_out) {
    gs_model_config c;
    memset(&c, 0, sizeof c);
    c.variant = v;
    c.n_in = n_in;
    c.n_hidden = n_hidden;
    c.n_out = n_out;
    c.init = GS_INIT_UNIFORM;
    c.init_scale = 0;
    c.weight_scale = 1;
    c.forget_bias = NAN;
    c.seed = 1;
    return c;
}

const gs__layout *gs__model_layout(const gs_model *m) { return &m->L; }
gs__layout *gs__model_layout_mut(gs_model *m) { return &m->L; }

static gs_status check_config(const gs_model_config *c, gs_error *err) {
    if (!c || !gs__variant_get_impl(c->variant)) {
        gs__error(err, "unknown variant");
        return GS_ERR_ARG;
    }
    if (c->n_in < 1 || c->n_in > 4096 || c->n_hidden < 1 || c->n_hidden > 4096 ||
        c->n_out < 1 || c->n_out > 4096) {
        gs__error(err, "sizes must be between 1 and 4096 (input %d, hidden %d, output %d)",
                  c->n_in, c->n_hidden, c->n_out);
        return GS_ERR_ARG;
    }
    if ((int)c->init < 0 || c->init > GS_INIT_ORTHOGONAL) {
        gs__error(err, "unknown init scheme");
        return GS_ERR_ARG;
    }
    if (!isfinite(c->weight_scale) || !isfinite(c->init_scale) || c->init_scale < 0 ||
        (!isnan(c->forget_bias) && !isfinite(c->forget_bias))) {
        gs__error(err, "init scale, weight scale and forget bias must be finite numbers");
        return GS_ERR_ARG;
    }
    /* keeps every initial weight far inside float range (no overflowing conversions) */
    if (fabs(c->weight_scale) > 1e6 || c->init_scale > 1e6 || fabs(c->forget_bias) > 1e6) {
        gs__error(err, "init scale, weight scale and forget bias must lie within +-1e6");
        return GS_ERR_ARG;
    }
    return GS_OK;
}

/* ---- Initialisation ---------------------------------------------------------- */

/* Q of the QR decomposition of a Gaussian n×n matrix (modified Gram-Schmidt on the
 * columns, signs fixed so the distribution is uniform), times gain, into t. */
static void fill_orthogonal(gs_real *P, const gs_tensor *t, gs_rng *rng, double gain,
                            double *q) {
    int n = t->rows, i, j, k;
    for (i = 0; i < n * n; i++) q[i] = gs_rng_normal(rng);
    for (j = 0; j < n; j++) {           /* column j of q (row-major: q[i*n+j]) */
        double norm = 0;
        for (k = 0; k < j; k++) {
            double dot = 0;
            for (i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
            for (i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
        }
        for (i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
        norm = sqrt(norm);
        if (norm < 1e-300) norm = 1;
        for (i = 0; i < n; i++) q[i * n + j] /= norm;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) P[t->offset + (size_t)i * (size_t)t->ld + (size_t)j] =
            (gs_real)(gain * q[i * n + j]);
}

static void fill_uniform(gs_real *P, const gs_tensor *t, gs_rng *rng, double a) {
    for (int i = 0; i < t->rows; i++)
        for (int j = 0; j < t->cols; j++)
            P[t->offset + (size_t)i * (size_t)t->ld + (size_t)j] =
                (gs_real)((2.0 * gs_rng_uniform(rng) - 1.0) * a);
}

static void set_vector(gs_model *m, const char *name, double v) {
    const gs_tensor *t = gs_model_find_tensor(m, name);
    if (!t) return;
    for (int i = 0; i < t->rows; i++) m->params[t->offset + (size_t)i] = (gs_real)v;
}

static gs_status init_weights(gs_model *m, gs_error *err) {
    const gs_model_config *c = &m->cfg;
    int n = c->n_hidden, i;
    double *q = NULL;
    gs_rng rng;
    gs_rng_seed(&rng, c->seed);
    m->version++;
    memset(m->params, 0, sizeof(gs_real) * m->L.total);
    if (c->init == GS_INIT_ORTHOGONAL) {
        q = gs__alloc(&c->alloc, sizeof(double) * (size_t)n * (size_t)n);
        if (!q) {
            gs__error(err, "out of memory initialising a %dx%d orthogonal matrix", n, n);
            return GS_ERR_NOMEM;
        }
    }
    for (i = 0; i < m->L.n_tensors; i++) {
        const gs_tensor *t = &m->L.tensors[i];
        int recurrent = t->name[0] == 'W', matrix = t->cols > 1 || t->name[0] == 'U' ||
                                                     t->name[0] == 'V' || recurrent;
        if (t->is_state) continue;
        if (c->init == GS_INIT_UNIFORM) {
            fill_uniform(m->params, t, &rng, c->init_scale > 0 ? c->init_scale : 1.0 / sqrt(n));
        } else if (c->init == GS_INIT_ORTHOGONAL && recurrent) {
            fill_orthogonal(m->params, t, &rng, c->init_scale > 0 ? c->init_scale : 1.0, q);
        } else if (matrix) {
            fill_uniform(m->params, t, &rng, sqrt(6.0 / (double)(t->rows + t->cols)));
        }
        if (recurrent && c->weight_scale != 1.0)
            for (int r = 0; r < t->rows; r++)
                for (int k = 0; k < t->cols; k++)
                    m->params[t->offset + (size_t)r * (size_t)t->ld + (size_t)k] *=
                        (gs_real)c->weight_scale;
    }
    gs__free(&c->alloc, q);
    if (gs_model_find_tensor(m, "b_f")) { /* the LSTM family (not nfg, cifg: no f gate) */
        set_vector(m, "b_f", isnan(c->forget_bias) ? 1.0 : c->forget_bias);
    } else if (!isnan(c->forget_bias)) {
        set_vector(m, "b_z", c->forget_bias);  /* gru */
        set_vector(m, "b_iz", c->forget_bias); /* gru-ra: the sum b_iz + b_hz */
        set_vector(m, "b_hz", 0.0);
    }
    memset(m->grads, 0, sizeof(gs_real) * m->L.total);
    return GS_OK;
}

/* ---- Budget ------------------------------------------------------------------- */

gs_status gs__layout_of(gs__layout *L, const gs_model_config *cfg) {
    gs_status st = check_config(cfg, NULL);
    if (st != GS_OK) return st;
    memset(L, 0, sizeof *L);
    L->n = cfg->n_hidden;
    L->m = cfg->n_in;
    L->k = cfg->n_out;
    gs__variant_get_impl(cfg->variant)->layout(L);
    return GS_OK;
}

uint64_t gs_model_bytes_needed(const gs_model_config *cfg) {
    gs__layout L;
    uint64_t n, bytes;
    if (gs__layout_of(&L, cfg) != GS_OK) return 0;
    n = (uint64_t)cfg->n_hidden;
    /* what gs_model_create holds at its peak: the handle, parameters and gradients,
       and the orthogonal scheme's n×n scratch while it initialises */
    bytes = sizeof(gs_model) + 2 * sizeof(gs_real) * (uint64_t)L.total + GS__PARAM_ALIGN;
    if (cfg->init == GS_INIT_ORTHOGONAL) bytes += sizeof(double) * n * n;
    return bytes;
}

/* ---- Create / destroy -------------------------------------------------------- */

gs_status gs_model_create(gs_model **out, const gs_model_config *cfg, gs_error *err) {
    gs_model *m = NULL;
    gs_status st;
    *out = NULL;
    if ((st = check_config(cfg, err)) != GS_OK) return st;
    m = gs__alloc(&cfg->alloc, sizeof *m);
    if (!m) goto nomem;
    m->cfg = *cfg;
    m->gamma = NAN;
    m->impl = gs__variant_get_impl(cfg->variant);
    m->L.n = cfg->n_hidden;
    m->L.m = cfg->n_in;
    m->L.k = cfg->n_out;
    m->impl->layout(&m->L);
    /* the combined matrix starts at the block's start (L.A = 0): on a 64-byte boundary,
       a row of 16 floats is one cache line, so the batch-1 kernel's 64-byte loads of a
       row never straddle two (every row is aligned too when n + m is a multiple of 16) */
    m->params_block = gs__alloc(&cfg->alloc, sizeof(gs_real) * m->L.total + GS__PARAM_ALIGN);
    if (m->params_block)
        m->params = (gs_real *)((char *)m->params_block +
                                (GS__PARAM_ALIGN - (uintptr_t)m->params_block % GS__PARAM_ALIGN) %
                                    GS__PARAM_ALIGN);
    m->grads = gs__alloc(&cfg->alloc, sizeof(gs_real) * m->L.total);
    if (!m->params || !m->grads) goto nomem;
    if ((st = init_weights(m, err)) != GS_OK) goto fail;
    *out = m;
    return GS_OK;
nomem:
    gs__error(err, "out of memory creating a %s model", m ? m->impl->info.name : "cell");
    st = GS_ERR_NOMEM;
fail:
    gs_model_destroy(m);
    return st;
}

void gs_model_destroy(gs_model *m) {
    gs_allocator a;
    if (!m) return;
    a = m->cfg.alloc;
    gs__clamp_free(&m->L, &a);
    gs__free(&a, m->params_block);
    gs__free(&a, m->grads);
    gs__free(&a, m);
}

gs_status gs_model_reinit(gs_model *m, const gs_model_config *cfg, gs_error *err) {
    gs_status st;
    if ((st = check_config(cfg, err)) != GS_OK) return st;
    if (cfg->variant != m->cfg.variant || cfg->n_in != m->cfg.n_in ||
        cfg->n_hidden != m->cfg.n_hidden || cfg->n_out != m->cfg.n_out) {
        gs__error(err, "reinit needs the same variant and sizes");
        return GS_ERR_ARG;
    }
    gs_allocator keep = m->cfg.alloc;
    m->cfg = *cfg;
    m->cfg.alloc = keep;
    return init_weights(m, err);
}

gs_status gs_model_clone(gs_model **out, const gs_model *m, gs_error *err) {
    gs_status st = gs_model_create(out, &m->cfg, err);
    if (st != GS_OK) return st;
    memcpy((*out)->params, m->params, sizeof(gs_real) * m->L.total);
    memcpy((*out)->grads, m->grads, sizeof(gs_real) * m->L.total);
    if (gs__clamp_copy(&(*out)->L, &m->L, &m->cfg.alloc) != GS_OK) {
        gs__error(err, "out of memory copying the gate clamps of a %s model", m->impl->info.name);
        gs_model_destroy(*out);
        *out = NULL;
        return GS_ERR_NOMEM;
    }
    return GS_OK;
}

gs_status gs_model_copy_params(gs_model *dst, const gs_model *src, gs_error *err) {
    if (dst->cfg.variant != src->cfg.variant || dst->L.total != src->L.total) {
        gs__error(err, "cannot copy parameters between different models");
        return GS_ERR_ARG;
    }
    dst->version++;
    memcpy(dst->params, src->params, sizeof(gs_real) * src->L.total);
    return GS_OK;
}

/* ---- Views ------------------------------------------------------------------- */

const gs_model_config *gs_model_config_of(const gs_model *m) { return &m->cfg; }
int gs_model_tensor_count(const gs_model *m) { return m->L.n_tensors; }

const gs_tensor *gs_model_tensor(const gs_model *m, int i) {
    return i >= 0 && i < m->L.n_tensors ? &m->L.tensors[i] : NULL;
}

const gs_tensor *gs_model_find_tensor(const gs_model *m, const char *name) {
    for (int i = 0; i < m->L.n_tensors; i++)
        if (strcmp(m->L.tensors[i].name, name) == 0) return &m->L.tensors[i];
    return NULL;
}

gs_real *gs_model_params(gs_model *m, size_t *count) {
    if (count) *count = m->L.total;
    m->version++;
    return m->params;
}
uint64_t gs__model_version(const gs_model *m) { return m->version; }
const gs_real *gs_model_params_const(const gs_model *m, size_t *count) {
    if (count) *count = m->L.total;
    return m->params;
}
gs_real *gs_model_grads(gs_model *m, size_t *count) {
    if (count) *count = m->L.total;
    return m->grads;
}
const gs_real *gs_model_grads_const(const gs_model *m, size_t *count) {
    if (count) *count = m->L.total;
    return m->grads;
}
void gs_model_zero_grads(gs_model *m) { memset(m->grads, 0, sizeof(gs_real) * m->L.total); }

void gs_model_describe_index(const gs_model *m, size_t idx, char *buf, size_t len) {
    for (int i = 0; i < m->L.n_tensors; i++) {
        const gs_tensor *t = &m->L.tensors[i];
        size_t rel, r, c;
        if (idx < t->offset) continue;
        rel = idx - t->offset;
        r = rel / (size_t)t->ld;
        c = rel % (size_t)t->ld;
        if (r >= (size_t)t->rows || c >= (size_t)t->cols) continue;
        if (t->cols == 1)
            snprintf(buf, len, "%s[%zu]", t->name, r);
        else
            snprintf(buf, len, "%s[%zu,%zu]", t->name, r, c);
        return;
    }
    snprintf(buf, len, "?[%zu]", idx);
}

/* 64-bit FNV-1a over W's bits, row by row (rows n of length n, stride ld) */
static uint64_t hash_matrix(const gs_real *W, int n, int ld) {
    uint64_t h = 1469598103934665603u;
    for (int r = 0; r < n; r++) {
        const unsigned char *b = (const unsigned char *)(W + (size_t)r * (size_t)ld);
        for (size_t i = 0; i < sizeof(gs_real) * (size_t)n; i++) h = (h ^ b[i]) * 1099511628211u;
    }
    return h;
}

double gs_model_rnn_gamma_norm(const gs_model *m) {
    const gs_tensor *W;
    double *work, s;
    uint64_t key;
    int n = m->cfg.n_hidden;
    if (m->cfg.variant != GS_RNN || !(W = gs_model_find_tensor(m, "W"))) return NAN;
    key = hash_matrix(m->params + W->offset, n, W->ld);
    if (key == m->gamma_key && !isnan(m->gamma)) return m->gamma;
    work = gs__alloc(&m->cfg.alloc, sizeof(double) * gs__spectral_work(n, n));
    if (!work) return NAN;
    s = gs__spectral_norm(m->params + W->offset, W->ld, n, n, work);
    gs__free(&m->cfg.alloc, work);
    /* a cache, not the model's meaning: the model is written only here, and only for W */
    ((gs_model *)m)->gamma_key = key;
    ((gs_model *)m)->gamma = 1.0 * s; /* gamma = 1: tanh' <= 1 */
    return m->gamma;
}
