/* seq.c — one batch of sequences through one model: the forward trace, kept whole
 * and sized up front, and backpropagation through time over the steps done so far
 * (full or truncated), with per-step dL/dstate, norms and local-Jacobian singular
 * values.  Drives every variant through the table in cell.c. */
#include "internal.h"

#include <math.h>
#include <string.h>

/* How many steps a batch-1 seq projects its inputs ahead: U x + b for all of them in
 * one pass over Uᵀ, four steps sharing each load (gs__at_mm).  Every output is the
 * chain a step alone would compute, so projecting ahead changes the speed, never the
 * bits. */
enum { GS__AHEAD = 16 };

static int projects_ahead(const gs__layout *L, int batch) { return batch == 1 && L->xp > 0; }

struct gs_seq {
    gs_model *model;              /* not owned; parameters read, gradients written */
    const gs__layout *L;          /* the model's layout */
    const gs__variant_impl *impl; /* the model's variant */
    gs_allocator alloc;
    int T, B, n, m, k, S;         /* capacity, batch, sizes, carried states */
    int Sv;                       /* states the variant shows (fgr carries its gates too) */
    gs_loss_kind loss;
    int steps;                    /* computed so far */
    /* inputs */
    gs_real *x;                   /* (T, B, m) */
    gs_real *target;              /* (T, B, k) */
    unsigned char *mask;          /* (T): 1 where a loss is taken */
    /* forward trace */
    gs_real *rec;                 /* (T, B, L->rec) kernel records: gates, candidate, ... */
    gs_real *states;              /* (T+1, B, S*n): [0] is the initial state */
    gs_real *out;                 /* (T, B, n) output fed to the readout */
    gs_real *y;                   /* (T, B, k) readout */
    gs_real *row_loss;            /* (T, B) loss per step and row (NaN where none) */
    /* backward */
    gs_real *D;                   /* (T, B, dlen) pre-activation gradients */
    gs_real *dstate;              /* (T, B, S*n) total dL/dstate_t */
    gs_real *dx;                  /* (T, B, m) dL/dx_t */
    gs_real *dy;                  /* (T, B, k) dL/dy_t */
    gs_real *carry;               /* (B, S*n) dL/dstate flowing to the previous step */
    gs_real *dout;                /* (B, n) */
    gs_real *work;                /* kernel scratch */
    gs_real *xp;                  /* (T, B, L->xp) input projections, batch > 1 (else NULL) */
    /* batch 1, a variant with an input projection: U x + b of steps [ahead_t0, ahead_t1),
       projected in one pass over U when the first of them is stepped, with the inputs
       they came from and the parameters' version; a step whose input or parameters
       have changed since projects again from itself */
    gs_real *ahead;               /* (GS__AHEAD, L->xp) */
    gs_real *ahead_x;             /* (GS__AHEAD, m) */
    int ahead_t0, ahead_t1;
    uint64_t ahead_version;
    /* batch 1: the combined matrix A transposed (gs__at_fill), which every step's
       products read (gs__cell_mm), copied again when the parameters' version is not
       at_version (0: never copied; a model's versions start at 1) */
    gs_real *AT;                  /* in AT_mem, from its first 64-byte line */
    gs_real *AT_mem;
    uint64_t at_version;
    gs_real *jac;                 /* Jacobian batch, allocated on first use (see jacobian_sigma) */
    double *jwork;                /* singular-value scratch (gs__spectral_work) */
    gs_step_stats *stats;         /* (T) */
    double loss_sum;              /* sum of the row losses of the loss steps done */
    size_t loss_count;            /* how many row losses that sum holds */
    int bw_lo, bw_hi;             /* steps [lo, hi) the last backward wrote: dstate, dx, stats */
    int dy_lo, dy_hi;             /* steps [lo, hi) where dy may be non-zero */
    gs_seq_summary sum;
};

/* ---- Loss ---------------------------------------------------------------------- */

double gs__loss_row(gs_loss_kind kind, const gs_real *y, const gs_real *t, int k,
                    gs_real scale, gs_real *dy) {
    double loss = 0;
    int j;
    if (kind == GS_LOSS_MSE) {
        for (j = 0; j < k; j++) {
            double e = (double)y[j] - (double)t[j];
            loss += e * e;
            if (dy) dy[j] = (gs_real)(2.0 * e / k * (double)scale);
        }
        return loss / k;
    }
    double mx = -INFINITY, sum = 0, tsum = 0;
    for (j = 0; j < k; j++)
        if ((double)y[j] > mx) mx = (double)y[j];
    if (!isfinite(mx)) mx = 0; /* NaN/inf flow through the exp below */
    for (j = 0; j < k; j++) sum += exp((double)y[j] - mx);
    for (j = 0; j < k; j++) tsum += (double)t[j];
    for (j = 0; j < k; j++) {
        double logp = (double)y[j] - mx - log(sum);
        loss -= (double)t[j] * logp;
        if (dy) dy[j] = (gs_real)((exp(logp) * tsum - (double)t[j]) * (double)scale);
    }
    return loss;
}

/* ---- Create / destroy ------------------------------------------------------------ */

#define ALLOC(field, count)                                                        \
    do {                                                                           \
        s->field = gs__alloc(&s->alloc, sizeof(*s->field) * (size_t)(count));     \
        if (!s->field) goto nomem;                                                 \
    } while (0)

gs_status gs_seq_create(gs_seq **out, gs_model *model, int capacity, int batch,
                        gs_error *err) {
    gs_seq *s;
    const gs__layout *L;
    size_t TB;
    int Sn;
    *out = NULL;
    if (!model || capacity < 1 || capacity > 1000000 || batch < 1 || batch > 65536) {
        gs__error(err, "a sequence needs a model, 1..1000000 steps and 1..65536 rows (got %d "
                  "steps, %d rows)", capacity, batch);
        return GS_ERR_ARG;
    }
    L = gs__model_layout(model);
    s = gs__alloc(&gs_model_config_of(model)->alloc, sizeof *s);
    if (!s) {
        gs__error(err, "out of memory creating a sequence");
        return GS_ERR_NOMEM;
    }
    s->alloc = gs_model_config_of(model)->alloc;
    s->model = model;
    s->L = L;
    s->impl = gs__variant_get_impl(gs_model_config_of(model)->variant);
    s->T = capacity;
    s->B = batch;
    s->n = L->n;
    s->m = L->m;
    s->k = L->k;
    s->S = L->S;
    s->Sv = s->impl->info.n_states;
    s->loss = GS_LOSS_MSE;
    Sn = s->S * s->n;
    TB = (size_t)capacity * (size_t)batch;
    ALLOC(x, TB * (size_t)s->m);
    ALLOC(target, TB * (size_t)s->k);
    ALLOC(mask, capacity);
    ALLOC(rec, TB * (size_t)L->rec);
    ALLOC(states, (TB + (size_t)batch) * (size_t)Sn);
    ALLOC(out, TB * (size_t)s->n);
    ALLOC(y, TB * (size_t)s->k);
    ALLOC(row_loss, TB);
    ALLOC(D, TB * (size_t)L->dlen);
    ALLOC(dstate, TB * (size_t)Sn);
    ALLOC(dx, TB * (size_t)s->m);
    ALLOC(dy, TB * (size_t)s->k);
    ALLOC(carry, (size_t)batch * (size_t)Sn);
    ALLOC(dout, (size_t)batch * (size_t)s->n);
    ALLOC(work, (size_t)batch * (size_t)(6 * s->n + 2 * (s->n + s->m)));
    if (batch > 1 && L->xp > 0) ALLOC(xp, TB * (size_t)L->xp);
    if (batch == 1) {
        ALLOC(AT_mem, gs__at_size(L));
        s->AT = gs__at_start(s->AT_mem);
    }
    if (projects_ahead(L, batch)) {
        ALLOC(ahead, (size_t)GS__AHEAD * (size_t)L->xp);
        ALLOC(ahead_x, (size_t)GS__AHEAD * (size_t)s->m);
    }
    ALLOC(jwork, gs__spectral_work(Sn, Sn));
    ALLOC(stats, capacity);
    gs_seq_rewind(s);
    *out = s;
    return GS_OK;
nomem:
    gs__error(err, "out of memory for a sequence of %d steps x %d rows", capacity, batch);
    gs_seq_destroy(s);
    return GS_ERR_NOMEM;
}

void gs_seq_destroy(gs_seq *s) {
    gs_allocator a;
    if (!s) return;
    a = s->alloc;
    gs__free(&a, s->x);
    gs__free(&a, s->target);
    gs__free(&a, s->mask);
    gs__free(&a, s->rec);
    gs__free(&a, s->states);
    gs__free(&a, s->out);
    gs__free(&a, s->y);
    gs__free(&a, s->row_loss);
    gs__free(&a, s->D);
    gs__free(&a, s->dstate);
    gs__free(&a, s->dx);
    gs__free(&a, s->dy);
    gs__free(&a, s->carry);
    gs__free(&a, s->dout);
    gs__free(&a, s->work);
    gs__free(&a, s->xp);
    gs__free(&a, s->ahead);
    gs__free(&a, s->ahead_x);
    gs__free(&a, s->AT_mem);
    gs__free(&a, s->jac);
    gs__free(&a, s->jwork);
    gs__free(&a, s->stats);
    gs__free(&a, s);
}

/* ---- Inputs ---------------------------------------------------------------------- */

gs_real *gs_seq_inputs(gs_seq *s) { return s->x; }
gs_real *gs_seq_targets(gs_seq *s) { return s->target; }
unsigned char *gs_seq_mask(gs_seq *s) { return s->mask; }
const unsigned char *gs_seq_loss_mask(const gs_seq *s) { return s->mask; }
void gs_seq_set_loss(gs_seq *s, gs_loss_kind k) { s->loss = k; }
const gs_model *gs_seq_model(const gs_seq *s) { return s->model; }

gs_status gs_seq_fill(gs_seq *s, const gs_task *task, uint64_t seed, gs_error *err) {
    gs_rng rng;
    int T = gs_task_length(task);
    if (gs_task_n_in(task) != s->m || gs_task_n_out(task) != s->k) {
        gs__error(err, "task '%s' has %d inputs and %d outputs; the model has %d and %d",
                  gs_task_info_get(gs_task_kind_of(task))->name, gs_task_n_in(task),
                  gs_task_n_out(task), s->m, s->k);
        return GS_ERR_ARG;
    }
    if (T > s->T) {
        gs__error(err, "task length %d exceeds the sequence capacity %d", T, s->T);
        return GS_ERR_ARG;
    }
    memset(s->x, 0, sizeof(gs_real) * (size_t)s->T * (size_t)s->B * (size_t)s->m);
    memset(s->target, 0, sizeof(gs_real) * (size_t)s->T * (size_t)s->B * (size_t)s->k);
    memset(s->mask, 0, (size_t)s->T);
    gs_rng_seed(&rng, seed);
    gs_task_generate(task, &rng, s->B, s->x, s->target, s->mask);
    s->loss = gs_task_loss(task);
    gs_seq_rewind(s);
    return GS_OK;
}

void gs_seq_rewind(gs_seq *s) {
    s->steps = 0;
    s->ahead_t0 = s->ahead_t1 = 0;
    s->loss_sum = 0;
    s->loss_count = 0;
    memset(&s->sum, 0, sizeof s->sum);
    s->sum.capacity = s->T;
    s->sum.batch = s->B;
    s->sum.loss = NAN;
    s->sum.grad_norm = NAN;
    s->sum.gamma_w = NAN;
}

/* ---- Forward ---------------------------------------------------------------------- */

static gs__cell_dims dims_of(const gs_seq *s, int B) {
    gs__cell_dims d;
    d.n = s->n;
    d.m = s->m;
    d.B = B;
    d.rec = s->L->rec;
    d.dlen = s->L->dlen;
    d.work = s->work;
    d.xp = NULL;
    d.AT = B == 1 ? s->AT : NULL;
    /* dx after the loop, for all steps at once, where the inputs were projected beforehand;
       at batch 1 in the fixed order (rows in order into each element: for the lstm family
       and gru-ra the bits of step by step; the gru's two row blocks become one chain) */
    d.defer_dx = (B > 1 && s->xp != NULL) || (B == 1 && s->ahead != NULL);
    return d;
}

static void start(gs_seq *s) {
    const gs_real *P = gs_model_params_const(s->model, NULL);
    int Sn = s->S * s->n;
    for (int b = 0; b < s->B; b++)
        memcpy(s->states + (size_t)b * (size_t)Sn, P + s->L->init, sizeof(gs_real) * (size_t)Sn);
    s->sum.gamma_w = gs_model_rnn_gamma_norm(s->model);
}

/* Whether the step's new states are all finite.  With one row whose every state is
 * shown, the max |.| just taken of each says it (inf or NaN there is a non-finite
 * element); otherwise a scan. */
static int states_finite(const gs_seq *s, const gs_step_stats *ss, const gs_real *st) {
    if (s->B == 1 && s->Sv == s->S) {
        for (int q = 0; q < s->Sv; q++)
            if (!isfinite(ss->state_max[q])) return 0;
        return 1;
    }
    return gs__all_finite(st, (size_t)s->B * (size_t)(s->S * s->n));
}

/* Batch 1: U x + b of step t, from the steps projected ahead when they still hold (the
 * same parameters, the same input); else steps [t, t + GS__AHEAD) projected now, in one
 * pass over Uᵀ (AT's columns n..n+m), each output the chain of fused multiply-adds
 * that gs__cell_mm would compute for the step alone: the same bits (gs__at_mm). */
static const gs_real *projected_ahead(gs_seq *s, int t) {
    const gs__layout *L = s->L;
    size_t m = (size_t)s->m, xp = (size_t)L->xp, i;
    const gs_real *x = s->x + (size_t)t * m;
    if (t < s->ahead_t0 || t >= s->ahead_t1 || s->ahead_version != gs__model_version(s->model) ||
        memcmp(x, s->ahead_x + (size_t)(t - s->ahead_t0) * m, sizeof(gs_real) * m) != 0) {
        const gs_real *P = gs_model_params_const(s->model, NULL);
        int t1 = t + GS__AHEAD < s->T ? t + GS__AHEAD : s->T;
        for (i = 0; i < (size_t)(t1 - t); i++)
            memcpy(s->ahead + i * xp, P + L->xp_bias, sizeof(gs_real) * xp);
        gs__at_mm(L, s->AT, s->ahead, (int)xp, x, (int)m, t1 - t, 0, (int)xp, s->n, (int)m);
        memcpy(s->ahead_x, x, sizeof(gs_real) * m * (size_t)(t1 - t));
        s->ahead_t0 = t;
        s->ahead_t1 = t1;
        s->ahead_version = gs__model_version(s->model);
    }
    return s->ahead + (size_t)(t - s->ahead_t0) * xp;
}

static void forward_step(gs_seq *s, int t) {
    const gs__layout *L = s->L;
    const gs_real *P = gs_model_params_const(s->model, NULL);
    gs__cell_dims d = dims_of(s, s->B);
    int B = s->B, n = s->n, k = s->k, Sn = s->S * n, b;
    size_t tb = (size_t)t * (size_t)B;
    gs_real *rec = s->rec + tb * (size_t)L->rec, *st = s->states + (tb + (size_t)B) * (size_t)Sn;
    gs_real *prev = s->states + tb * (size_t)Sn, *out = s->out + tb * (size_t)n;
    gs_real *y = s->y + tb * (size_t)k;
    gs_step_stats *ss = &s->stats[t];

    if (s->AT && s->at_version != gs__model_version(s->model)) {
        gs__at_fill(s->AT, L, P);
        s->at_version = gs__model_version(s->model);
    }
    if (s->xp) d.xp = s->xp + tb * (size_t)L->xp;
    if (s->ahead) d.xp = projected_ahead(s, t);
    s->impl->forward(&d, L, P, rec, st, out, prev, s->x + tb * (size_t)s->m);
    for (b = 0; b < B; b++) memcpy(y + b * k, P + L->c, sizeof(gs_real) * (size_t)k);
    gs__mm_nt(y, k, out, n, P + L->V, n, B, k, n, GS_R(1.0));

    memset(ss, 0, sizeof *ss);
    ss->loss = NAN;
    ss->jac_sigma = NAN;
    ss->shrink = NAN;
    for (b = 0; b < B; b++) {
        s->row_loss[tb + (size_t)b] = (gs_real)NAN;
        if (s->mask[t])
            s->row_loss[tb + (size_t)b] = (gs_real)gs__loss_row(
                s->loss, y + b * k, s->target + (tb + (size_t)b) * (size_t)k, k, GS_R(0.0), NULL);
    }
    if (s->mask[t]) {
        ss->loss = (double)s->row_loss[tb];
        for (b = 0; b < B; b++) s->loss_sum += (double)s->row_loss[tb + (size_t)b];
        s->loss_count += (size_t)B;
    }
    gs__norms_maxabs(st, n, s->Sv, ss->state_norm, ss->state_max);
    if (s->impl->shrink_gate >= 0) {
        const gs_real *g = rec + L->r_gates + s->impl->shrink_gate * n;
        ss->shrink = gs__sum(g, n) / n;
    }
    if (!s->sum.first_nonfinite && (!states_finite(s, ss, st) ||
                                    !gs__all_finite(rec, (size_t)B * (size_t)L->rec) ||
                                    !gs__all_finite(y, (size_t)B * (size_t)k)))
        s->sum.first_nonfinite = t + 1;
}

/* U x + b for steps [t0, t1) in one product (batch > 1, a variant that has one) */
static void project_inputs(gs_seq *s, int t0, int t1) {
    if (!s->xp || t1 <= t0) return;
    const gs__layout *L = s->L;
    const gs_real *P = gs_model_params_const(s->model, NULL);
    size_t r0 = (size_t)t0 * (size_t)s->B, rows = (size_t)(t1 - t0) * (size_t)s->B, i;
    gs_real *xp = s->xp + r0 * (size_t)L->xp;
    for (i = 0; i < rows; i++)
        memcpy(xp + i * (size_t)L->xp, P + L->xp_bias, sizeof(gs_real) * (size_t)L->xp);
    gs__mm_nt(xp, L->xp, s->x + r0 * (size_t)s->m, s->m, P + L->A + (size_t)s->n, (int)L->lda,
              (int)rows, L->xp, s->m, GS_R(1.0));
}

int gs_seq_forward(gs_seq *s, int n) {
    if (s->steps == 0 && n > 0) start(s);
    if (n > 0) project_inputs(s, s->steps, s->steps + n < s->T ? s->steps + n : s->T);
    while (n-- > 0 && s->steps < s->T) {
        forward_step(s, s->steps);
        s->steps++;
    }
    s->sum.loss = s->loss_count ? s->loss_sum / (double)s->loss_count : (double)NAN;
    s->sum.steps = s->steps;
    return s->steps;
}

/* ---- Backward --------------------------------------------------------------------- */

/* The output's share of dL/dstate: out = s, φ(s) or h. */
static void add_output_grad(const gs_seq *s, gs_real *dst, const gs_real *dout,
                            const gs_real *out) {
    int n = s->n, Sn = s->S * n, b, j;
    for (b = 0; b < s->B; b++) {
        gs_real *d = dst + b * Sn;
        const gs_real *g = dout + b * n, *o = out + b * n;
        switch (s->impl->out_kind) {
        case GS__OUT_STATE:
            for (j = 0; j < n; j++) d[j] += g[j];
            break;
        case GS__OUT_TANH_STATE:
            for (j = 0; j < n; j++) d[j] += g[j] * (GS_R(1.0) - o[j] * o[j]);
            break;
        case GS__OUT_H:
            for (j = 0; j < n; j++) d[n + j] += g[j];
            break;
        }
    }
}
/* ---- Budget ---------------------------------------------------------------------- */

/* What gs_seq_create allocates: the same list, element by element. */
static uint64_t seq_bytes(const gs__layout *L, uint64_t T, uint64_t B) {
    uint64_t TB = T * B, n = (uint64_t)L->n, m = (uint64_t)L->m, k = (uint64_t)L->k;
    uint64_t Sn = (uint64_t)L->S * n, R = sizeof(gs_real), reals;
    reals = TB * m + TB * k                 /* x, target */
            + TB * (uint64_t)L->rec         /* rec */
            + (TB + B) * Sn                 /* states */
            + TB * n + TB * k + TB          /* out, y, row_loss */
            + TB * (uint64_t)L->dlen        /* D */
            + TB * Sn + TB * m + TB * k     /* dstate, dx, dy */
            + B * Sn + B * n                /* carry, dout */
            + B * (6 * n + 2 * (n + m))     /* work */
            + (B > 1 ? TB * (uint64_t)L->xp : 0) /* xp */
            + (projects_ahead(L, (int)B) ? GS__AHEAD * ((uint64_t)L->xp + m) : 0) /* ahead */
            + (B == 1 ? (uint64_t)gs__at_size(L) : 0); /* AT */
    return sizeof(gs_seq) + R * reals + T /* mask */ + sizeof(gs_step_stats) * T +
           sizeof(double) * (uint64_t)gs__spectral_work((int)Sn, (int)Sn);
}

uint64_t gs_seq_bytes_needed(const gs_model_config *cfg, int capacity, int batch, int jacobian) {
    gs__layout L;
    uint64_t bytes, Sn, extra = 0, jac;
    if (capacity < 1 || capacity > 1000000 || batch < 1 || batch > 65536 ||
        gs__layout_of(&L, cfg) != GS_OK)
        return 0;
    bytes = seq_bytes(&L, (uint64_t)capacity, (uint64_t)batch);
    if (cfg->variant == GS_RNN) /* gamma_w's scratch, for a moment at the first step */
        extra = sizeof(double) * (uint64_t)gs__spectral_work(L.n, L.n);
    if (jacobian) { /* jac_size(), allocated by the first backward that asks for it */
        Sn = (uint64_t)L.S * (uint64_t)L.n;
        jac = sizeof(gs_real) * (Sn * Sn + Sn + (uint64_t)L.dlen + (uint64_t)L.m +
                                 6 * (uint64_t)L.n + 2 * (uint64_t)(L.n + L.m));
        if (jac > extra) extra = jac;
    }
    return bytes + extra;
}

double gs_jacobian_flops(const gs_model_config *cfg, int steps) {
    gs__layout L;
    double Sn, vjp;
    if (steps < 1 || gs__layout_of(&L, cfg) != GS_OK) return 0;
    Sn = (double)L.S * (double)L.n;
    /* one batch-1 backward step per row of J_t: a multiply and an add for each
       weight of the cell (the readout V, c is not touched), then Lanczos on JᵀJ:
       two products with J per iteration */
    vjp = 2.0 * (double)(L.total - (size_t)L.k * (size_t)L.n - (size_t)L.k);
    return (double)steps * (Sn * vjp + 4.0 * GS__LANCZOS_STEPS * Sn * Sn);
}

/* Zero rows [lo, hi) of a (T, row) buffer. */
static void clear_rows(gs_real *v, int lo, int hi, size_t row) {
    if (hi > lo) memset(v + (size_t)lo * row, 0, sizeof(gs_real) * (size_t)(hi - lo) * row);
}

/* The Jacobian scratch: J_t (S*n rows) and, for one row at a time, the incoming
 * gradient e_j (a backward step rewrites it) and the kernel's outputs. */
static size_t jac_size(const gs_seq *s) {
    size_t Sn = (size_t)(s->S * s->n), m = (size_t)s->m, n = (size_t)s->n;
    /* J, then one row each of dst, D, dx and the kernel's work */
    return Sn * Sn + Sn + (size_t)s->L->dlen + m + 6 * n + 2 * (n + m);
}

/* J_t = d state_t / d state_{t-1} (batch row 0): row j is the VJP of e_j through the
 * step, one batch-1 backward call per row, so that every row goes through the same
 * fixed-order kernels as the stepped sequence; then its largest singular value. */
static double jacobian_sigma(gs_seq *s, int t) {
    const gs__layout *L = s->L;
    const gs_real *P = gs_model_params_const(s->model, NULL);
    int Sn = s->S * s->n, R = L->rec, m = s->m, j;
    size_t tb = (size_t)t * (size_t)s->B;
    gs_real *J = s->jac, *dst = J + (size_t)Sn * (size_t)Sn, *D = dst + Sn;
    gs_real *dx = D + L->dlen, *work = dx + m;
    const gs_real *rec = s->rec + tb * (size_t)R;
    const gs_real *prev = s->states + tb * (size_t)Sn, *st = prev + (size_t)s->B * (size_t)Sn;
    const gs_real *x = s->x + tb * (size_t)m;
    gs__cell_dims d = dims_of(s, 1);
    d.work = work;
    for (j = 0; j < Sn; j++) {
        memset(dst, 0, sizeof(gs_real) * (size_t)Sn);
        dst[j] = GS_R(1.0);
        s->impl->backward(&d, L, P, NULL, dst, D, J + (size_t)j * (size_t)Sn, dx, rec, st, prev, x);
    }
    return gs__spectral_norm(J, Sn, Sn, Sn, s->jwork);
}

gs_status gs_seq_backward(gs_seq *s, const gs_backward_opts *opts, gs_error *err) {
    static const gs_backward_opts defaults = { 0, 0, 0, 0, 0 };
    const gs__layout *L = s->L;
    const gs_real *P = gs_model_params_const(s->model, NULL);
    gs_real *G = gs_model_grads(s->model, NULL);
    gs__cell_dims d = dims_of(s, s->B);
    int B = s->B, n = s->n, m = s->m, k = s->k, Sn = s->S * n, R = L->rec;
    int hi = s->steps, lo, t, b, q, nloss = 0, from;
    gs_real scale;
    double gn = 0;
    size_t i;
    if (!opts) opts = &defaults;
    if (hi == 0) {
        gs__error(err, "backward needs at least one computed step");
        return GS_ERR_STATE;
    }
    if (opts->truncate < 0) {
        gs__error(err, "truncation must be 0 (full) or a positive number of steps");
        return GS_ERR_ARG;
    }
    lo = opts->truncate > 0 && opts->truncate < hi ? hi - opts->truncate : 0;
    if (!opts->keep_grads) gs_model_zero_grads(s->model);
    from = opts->loss_from > 0 ? opts->loss_from - 1 : 0;
    for (t = from; t < hi; t++) nloss += s->mask[t] ? 1 : 0;
    scale = nloss ? (gs_real)(1.0 / ((double)nloss * (double)B)) : GS_R(0.0);

    /* Only what the last backward wrote is cleared and only the window is written, so
     * that k1/k2-truncated training costs O(window) per update, not O(steps so far). */
    clear_rows(s->dy, s->dy_lo, s->dy_hi, (size_t)B * (size_t)k);
    clear_rows(s->dstate, s->bw_lo, s->bw_hi, (size_t)B * (size_t)Sn);
    clear_rows(s->dx, s->bw_lo, s->bw_hi, (size_t)B * (size_t)m);
    for (t = s->bw_lo; t < s->bw_hi; t++) {
        s->stats[t].has_grad = 0;
        s->stats[t].d_x_norm = 0;
        for (q = 0; q < s->Sv; q++) s->stats[t].d_state_norm[q] = 0;
    }
    /* dL/dy at every loss step from `from` (the readout has no time: all of them count) */
    for (t = from; t < hi; t++)
        if (s->mask[t])
            for (b = 0; b < B; b++) {
                size_t r = (size_t)t * (size_t)B + (size_t)b;
                gs__loss_row(s->loss, s->y + r * (size_t)k, s->target + r * (size_t)k, k, scale,
                             s->dy + r * (size_t)k);
            }
    s->dy_lo = from;
    s->dy_hi = hi;
    s->bw_lo = lo;
    s->bw_hi = hi;
    memset(s->carry, 0, sizeof(gs_real) * (size_t)B * (size_t)Sn);
    s->sum.first_nonfinite_grad = 0;

    for (t = hi - 1; t >= lo; t--) {
        size_t tb = (size_t)t * (size_t)B;
        gs_real *dst = s->dstate + tb * (size_t)Sn, *dxt = s->dx + tb * (size_t)m;
        gs_step_stats *ss = &s->stats[t];
        memcpy(dst, s->carry, sizeof(gs_real) * (size_t)B * (size_t)Sn);
        gs__mm_nn(s->dout, n, s->dy + tb * (size_t)k, k, P + L->V, n, B, k, n, GS_R(0.0));
        add_output_grad(s, dst, s->dout, s->out + tb * (size_t)n);
        s->impl->backward(&d, L, P, G, dst, s->D + tb * (size_t)L->dlen, s->carry, dxt,
                          s->rec + tb * (size_t)R, s->states + (tb + (size_t)B) * (size_t)Sn,
                          s->states + tb * (size_t)Sn, s->x + tb * (size_t)m);
        ss->has_grad = 1;
        for (q = 0; q < s->Sv; q++) ss->d_state_norm[q] = gs__norm2(dst + q * n, n);
        if (!d.defer_dx) ss->d_x_norm = gs__norm2(dxt, m);
        if (!s->sum.first_nonfinite_grad && !gs__all_finite(dst, (size_t)B * (size_t)Sn))
            s->sum.first_nonfinite_grad = t + 1; /* the first met walking back */
    }
    /* dx = D_x U for the whole window at once, when the kernel left it */
    if (d.defer_dx) {
        size_t r0 = (size_t)lo * (size_t)B;
        (B == 1 ? gs__mm_nn_exact : gs__mm_nn)(s->dx + r0 * (size_t)m, m,
                                                s->D + r0 * (size_t)L->dlen + L->xp_d, L->dlen,
                                                P + L->A + (size_t)n, (int)L->lda,
                                                (hi - lo) * B, L->xp, m, GS_R(0.0));
        for (t = lo; t < hi; t++)
            s->stats[t].d_x_norm = gs__norm2(s->dx + (size_t)t * (size_t)B * (size_t)m, m);
    }
    /* the initial state, when the window reaches it */
    if (lo == 0)
        for (b = 0; b < B; b++)
            for (i = 0; i < (size_t)Sn; i++) G[L->init + i] += s->carry[(size_t)b * (size_t)Sn + i];

    /* matrix and bias gradients from D, all window steps at once */
    {
        size_t K = (size_t)(hi - lo) * (size_t)B, r0 = (size_t)lo * (size_t)B;
        for (q = 0; q < L->n_groups; q++) {
            const gs__mm_group *g = &L->groups[q];
            const gs_real *Dg = s->D + r0 * (size_t)L->dlen + g->d_off;
            gs__mm_tn_acc(G + L->A + (size_t)g->row0 * L->lda + (size_t)g->col0, (int)L->lda, Dg,
                          L->dlen, s->rec + r0 * (size_t)R + g->z_off, R, (int)K, g->rows,
                          g->cols, B == 1);
            if (g->bias_off >= 0)
                for (i = 0; i < K; i++)
                    for (int j = 0; j < g->rows; j++)
                        G[(size_t)g->bias_off + (size_t)j] += Dg[i * (size_t)L->dlen + (size_t)j];
        }
        /* readout, over the loss steps from `from` (dy is zero where no loss counts) */
        K = (size_t)(hi - from) * (size_t)B;
        r0 = (size_t)from * (size_t)B;
        gs__mm_tn_acc(G + L->V, n, s->dy + r0 * (size_t)k, k, s->out + r0 * (size_t)n, n, (int)K,
                      k, n, B == 1);
        for (i = r0; i < r0 + K; i++)
            for (int j = 0; j < k; j++) G[L->c + (size_t)j] += s->dy[i * (size_t)k + (size_t)j];
    }

    gn = gs__norm2(G, (int)L->total);
    s->sum.grad_norm = gn;
    if (opts->clip > 0 && gn > opts->clip) {
        gs_real f = (gs_real)(opts->clip / gn);
        for (i = 0; i < L->total; i++) G[i] *= f;
    }
    if (opts->jacobian && !s->jac && !(s->jac = gs__alloc(&s->alloc, sizeof(gs_real) * jac_size(s)))) {
        gs__error(err, "out of memory for the local Jacobians");
        return GS_ERR_NOMEM;
    }
    if (opts->jacobian)
        for (t = lo; t < hi; t++) {
            s->stats[t].jac_sigma = jacobian_sigma(s, t);
            if (s->impl->shrink_gate < 0) s->stats[t].shrink = s->stats[t].jac_sigma;
        }
    s->sum.backward_steps = hi - lo;
    s->sum.grad_lo = lo + 1;
    s->sum.truncated = lo > 0;
    return GS_OK;
}

/* ---- Views ------------------------------------------------------------------------ */

gs_seq_summary gs_seq_summary_of(const gs_seq *s) { return s->sum; }

const gs_real *gs__seq_y(const gs_seq *s) { return s->y; }
const gs_real *gs__seq_targets(const gs_seq *s) { return s->target; }
const unsigned char *gs__seq_mask(const gs_seq *s) { return s->mask; }
const gs_real *gs__seq_row_loss(const gs_seq *s) { return s->row_loss; }
const gs_real *gs__seq_x(const gs_seq *s) { return s->x; }
gs_loss_kind gs__seq_loss_kind(const gs_seq *s) { return s->loss; }

const gs_step_stats *gs_seq_stats(const gs_seq *s, int t) {
    return t >= 1 && t <= s->steps ? &s->stats[t - 1] : NULL;
}

const gs_real *gs_seq_values(const gs_seq *s, gs_quantity q, int index, int t, int b,
                             int *len) {
    const gs__layout *L = s->L;
    const gs_variant_info *info = &s->impl->info;
    int n = s->n, Sn = s->S * n;
    size_t row;
    if (len) *len = 0;
    if (b < 0 || b >= s->B) return NULL;
    if (q == GS_Q_STATE && t == 0 && index >= 0 && index < s->Sv) {
        if (len) *len = n;
        return s->states + (size_t)b * (size_t)Sn + (size_t)index * (size_t)n;
    }
    if (t < 1 || t > s->steps) return NULL;
    row = (size_t)(t - 1) * (size_t)s->B + (size_t)b;
    switch (q) {
    case GS_Q_X:
        if (len) *len = s->m;
        return s->x + row * (size_t)s->m;
    case GS_Q_GATE:
        if (index < 0 || index >= info->n_gates) return NULL;
        if (len) *len = n;
        return s->rec + row * (size_t)L->rec + L->r_gates + index * n;
    case GS_Q_CAND:
        if (L->r_cand < 0) return NULL;
        if (len) *len = n;
        return s->rec + row * (size_t)L->rec + L->r_cand;
    case GS_Q_STATE:
        if (index < 0 || index >= s->Sv) return NULL;
        if (len) *len = n;
        return s->states + (row + (size_t)s->B) * (size_t)Sn + (size_t)index * (size_t)n;
    case GS_Q_OUT:
        if (len) *len = n;
        return s->out + row * (size_t)n;
    case GS_Q_Y:
        if (len) *len = s->k;
        return s->y + row * (size_t)s->k;
    case GS_Q_TARGET:
        if (len) *len = s->k;
        return s->target + row * (size_t)s->k;
    case GS_Q_D_STATE:
        if (index < 0 || index >= s->Sv) return NULL;
        if (len) *len = n;
        return s->dstate + row * (size_t)Sn + (size_t)index * (size_t)n;
    case GS_Q_D_X:
        if (len) *len = s->m;
        return s->dx + row * (size_t)s->m;
    }
    return NULL;
}
