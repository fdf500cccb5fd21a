/* train.c — training: minibatches of a task through one batch-B sequence, truncated
 * BPTT with both knobs (k1: how often to update; k2: how far back the gradient
 * flows), gradient clipping, and the optimizers SGD, momentum, Adam and RMSProp as
 * PyTorch defines them.  All state lives in the gs_trainer handle. */
#include "internal.h"

#include <math.h>
#include <string.h>

struct gs_trainer {
    gs_train_config cfg;
    gs_model *model;       /* not owned */
    const gs_task *task;   /* not owned */
    gs_seq *seq;           /* (T, B) */
    gs_rng rng;            /* the data stream */
    gs_real *m1, *m2;      /* optimizer state (momentum buffer / first and second moments) */
    long iteration;        /* iterations done */
    long updates;          /* optimizer steps done (Adam's t) */
    double last_grad_norm;
};

gs_train_config gs_train_config_default(void) {
    gs_train_config c;
    memset(&c, 0, sizeof c);
    c.optimizer = GS_OPT_ADAM;
    c.lr = 1e-3;
    c.momentum = 0.9;
    c.beta1 = 0.9;
    c.beta2 = 0.999;
    c.rms_decay = 0.99;
    c.eps = 1e-8;
    c.batch = 32;
    c.seed = 1;
    return c;
}

gs_status gs_trainer_create(gs_trainer **out, gs_model *m, const gs_task *task,
                            const gs_train_config *cfg, gs_error *err) {
    gs_trainer *t;
    gs_status st;
    size_t n;
    *out = NULL;
    if (!m || !task || !cfg) {
        gs__error(err, "a trainer needs a model, a task and a configuration");
        return GS_ERR_ARG;
    }
    if (!(cfg->lr > 0) || !isfinite(cfg->lr) || cfg->batch < 1 || cfg->batch > 65536 ||
        cfg->k1 < 0 || cfg->k2 < 0 || (int)cfg->optimizer < 0 || cfg->optimizer > GS_OPT_RMSPROP ||
        cfg->clip_norm < 0 || cfg->clip_value < 0 || !(cfg->eps > 0)) {
        gs__error(err, "training needs lr > 0, batch 1..65536, k1, k2, clip >= 0 and eps > 0");
        return GS_ERR_ARG;
    }
    if (gs_task_n_in(task) != gs_model_config_of(m)->n_in ||
        gs_task_n_out(task) != gs_model_config_of(m)->n_out) {
        gs__error(err, "the task's input/output sizes do not match the model's");
        return GS_ERR_ARG;
    }
    t = gs__alloc(&cfg->alloc, sizeof *t);
    if (!t) goto nomem;
    t->cfg = *cfg;
    t->model = m;
    t->task = task;
    gs_model_params_const(m, &n);
    t->m1 = gs__alloc(&cfg->alloc, sizeof(gs_real) * n);
    t->m2 = gs__alloc(&cfg->alloc, sizeof(gs_real) * n);
    if (!t->m1 || !t->m2) goto nomem;
    if ((st = gs_seq_create(&t->seq, m, gs_task_length(task), cfg->batch, err)) != GS_OK) {
        gs_trainer_destroy(t);
        return st;
    }
    gs_seq_set_loss(t->seq, gs_task_loss(task));
    gs_trainer_reset(t);
    *out = t;
    return GS_OK;
nomem:
    gs__error(err, "out of memory creating a trainer");
    gs_trainer_destroy(t);
    return GS_ERR_NOMEM;
}

uint64_t gs_trainer_bytes_needed(const gs_model_config *cfg, int length,
                                 const gs_train_config *tc) {
    gs__layout L;
    uint64_t seq;
    if (!tc || gs__layout_of(&L, cfg) != GS_OK ||
        !(seq = gs_seq_bytes_needed(cfg, length, tc->batch, 0)))
        return 0;
    /* the handle, the optimizer's two buffers (a number per parameter each) and the
       batch sequence */
    return sizeof(gs_trainer) + 2 * sizeof(gs_real) * (uint64_t)L.total + seq;
}

void gs_trainer_destroy(gs_trainer *t) {
    gs_allocator a;
    if (!t) return;
    a = t->cfg.alloc;
    gs_seq_destroy(t->seq);
    gs__free(&a, t->m1);
    gs__free(&a, t->m2);
    gs__free(&a, t);
}

void gs_trainer_reset(gs_trainer *t) {
    size_t n;
    gs_model_params_const(t->model, &n);
    memset(t->m1, 0, sizeof(gs_real) * n);
    memset(t->m2, 0, sizeof(gs_real) * n);
    t->iteration = 0;
    t->updates = 0;
    t->last_grad_norm = NAN;
    gs_rng_seed(&t->rng, t->cfg.seed);
}

const gs_seq *gs_trainer_seq(const gs_trainer *t) { return t->seq; }

/* ---- The update ------------------------------------------------------------------ */

static int trainable(const gs_model *m, size_t i, const gs_trainer *t) {
    const gs__layout *L = gs__model_layout(m);
    return t->cfg.train_init_state || i < L->init;
}

void gs_trainer_apply(gs_trainer *t) {
    const gs_train_config *c = &t->cfg;
    size_t n, i;
    gs_real *P = gs_model_params(t->model, &n), *G = gs_model_grads(t->model, NULL);
    double gn = 0, b1t = 1, b2t = 1;
    /* the norm PyTorch's clip_grad_norm_ takes: over the trained parameters only (the
     * initial state comes last in the block and is trained only on request) */
    size_t trained = c->train_init_state ? n : gs__model_layout(t->model)->init;
    for (i = 0; i < trained; i++) gn += (double)G[i] * (double)G[i];
    gn = sqrt(gn);
    t->last_grad_norm = gn;
    if (c->clip_norm > 0 && gn > c->clip_norm) {
        gs_real f = (gs_real)(c->clip_norm / gn);
        for (i = 0; i < n; i++) G[i] *= f;
    }
    if (c->clip_value > 0)
        for (i = 0; i < n; i++) {
            if (G[i] > (gs_real)c->clip_value) G[i] = (gs_real)c->clip_value;
            if (G[i] < (gs_real)-c->clip_value) G[i] = (gs_real)-c->clip_value;
        }
    t->updates++;
    if (c->optimizer == GS_OPT_ADAM) {
        b1t = 1.0 - pow(c->beta1, (double)t->updates);
        b2t = 1.0 - pow(c->beta2, (double)t->updates);
    }
    for (i = 0; i < n; i++) {
        double g = (double)G[i], p = (double)P[i];
        if (!trainable(t->model, i, t)) continue;
        switch (c->optimizer) {
        case GS_OPT_SGD:
            p -= c->lr * g;
            break;
        case GS_OPT_MOMENTUM: {
            double buf = t->updates == 1 ? g : c->momentum * (double)t->m1[i] + g;
            t->m1[i] = (gs_real)buf;
            p -= c->lr * buf;
            break;
        }
        case GS_OPT_ADAM: {
            double m1 = c->beta1 * (double)t->m1[i] + (1 - c->beta1) * g;
            double m2 = c->beta2 * (double)t->m2[i] + (1 - c->beta2) * g * g;
            t->m1[i] = (gs_real)m1;
            t->m2[i] = (gs_real)m2;
            p -= c->lr * (m1 / b1t) / (sqrt(m2 / b2t) + c->eps);
            break;
        }
        case GS_OPT_RMSPROP: {
            double v = c->rms_decay * (double)t->m2[i] + (1 - c->rms_decay) * g * g;
            t->m2[i] = (gs_real)v;
            p -= c->lr * g / (sqrt(v) + c->eps);
            break;
        }
        }
        P[i] = (gs_real)p;
    }
}

/* ---- An iteration ---------------------------------------------------------------- */

gs_status gs_trainer_step(gs_trainer *t, gs_train_result *out, gs_error *err) {
    gs_seq *s = t->seq;
    int T = gs_task_length(t->task), B = t->cfg.batch;
    int k1 = t->cfg.k1 > 0 && t->cfg.k1 < T ? t->cfg.k1 : T;
    int hi = 0, updates = 0, nonfinite = 0;
    gs_seq_summary sum;
    gs_status st;
    gs_task_generate(t->task, &t->rng, B, gs_seq_inputs(s), gs_seq_targets(s), gs_seq_mask(s));
    gs_seq_rewind(s);
    while (hi < T) {
        gs_backward_opts bo = { 0 };
        int lo_loss = hi + 1, any = 0;
        hi = hi + k1 < T ? hi + k1 : T;
        gs_seq_forward(s, hi - gs_seq_summary_of(s).steps);
        for (int i = lo_loss - 1; i < hi; i++) any |= gs__seq_mask(s)[i];
        if (!any) continue;
        bo.truncate = t->cfg.k2;
        bo.loss_from = lo_loss;
        if ((st = gs_seq_backward(s, &bo, err)) != GS_OK) return st;
        sum = gs_seq_summary_of(s);
        if (!isfinite(sum.grad_norm) || sum.first_nonfinite) {
            nonfinite = 1; /* never step into NaN: skip this update */
            t->last_grad_norm = sum.grad_norm;
            continue;
        }
        gs_trainer_apply(t);
        updates++;
    }
    t->iteration++;
    sum = gs_seq_summary_of(s);
    if (out) {
        out->iteration = t->iteration;
        out->loss = sum.loss;
        out->success = gs_task_success(t->task, gs__seq_y(s), gs__seq_targets(s),
                                       gs__seq_mask(s), B);
        out->grad_norm = t->last_grad_norm;
        out->updates = updates;
        out->nonfinite = nonfinite || sum.first_nonfinite != 0;
    }
    return GS_OK;
}
