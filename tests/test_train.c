/* test_train.c — training: each optimizer's step against a step computed by hand,
 * clipping by norm and by value, k1/k2 truncation giving exactly the gradients of
 * the truncated graph, the update count of an iteration, and determinism. */
#include "check.h"
#include "gatescope.h"

#include <stdlib.h>
#include <string.h>

/* a tiny model whose parameters and gradients the test sets by hand */
static gs_model *tiny(gs_variant v, int m, int n, int k, uint64_t seed) {
    gs_model_config c = gs_model_config_default(v, m, n, k);
    gs_model *mod = NULL;
    c.seed = seed;
    CHECK(gs_model_create(&mod, &c, NULL) == GS_OK);
    return mod;
}

static gs_task *adding(int T) {
    gs_task_config tc = gs_task_config_default(GS_TASK_ADDING);
    gs_task *task = NULL;
    tc.length = T;
    CHECK(gs_task_create(&task, &tc, NULL) == GS_OK);
    return task;
}

/* float parameters: one update in double then rounded; 1e-6 relative is ample */
static void check_optimizer(gs_optimizer kind) {
    gs_task *task = adding(10);
    gs_model *mod = tiny(GS_RNN, 2, 3, 1, 1);
    gs_train_config tc = gs_train_config_default();
    gs_trainer *tr = NULL;
    size_t n;
    tc.optimizer = kind;
    tc.lr = 0.1;
    CHECK(gs_trainer_create(&tr, mod, task, &tc, NULL) == GS_OK);
    gs_real *P = gs_model_params(mod, &n), *G = gs_model_grads(mod, NULL);
    double *p = malloc(sizeof(double) * n), *m1 = calloc(n, sizeof(double)),
           *m2 = calloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++) p[i] = (double)P[i];
    for (int step = 1; step <= 3; step++) {
        for (size_t i = 0; i < n; i++) G[i] = (gs_real)(0.01 * (double)((int)(i % 7) - 3) * step);
        gs_trainer_apply(tr);
        for (size_t i = 0; i < n; i++) {
            double g = 0.01 * (double)((int)(i % 7) - 3) * step;
            g = (double)(gs_real)g;
            const gs_tensor *init = gs_model_find_tensor(mod, "s0");
            if (i >= init->offset) continue; /* the initial state is not trained by default */
            switch (kind) {
            case GS_OPT_SGD: p[i] -= 0.1 * g; break;
            case GS_OPT_MOMENTUM:
                m1[i] = step == 1 ? g : 0.9 * m1[i] + g;
                p[i] -= 0.1 * m1[i];
                break;
            case GS_OPT_ADAM:
                m1[i] = 0.9 * m1[i] + 0.1 * g;
                m2[i] = 0.999 * m2[i] + 0.001 * g * g;
                p[i] -= 0.1 * (m1[i] / (1 - pow(0.9, step))) /
                        (sqrt(m2[i] / (1 - pow(0.999, step))) + 1e-8);
                break;
            case GS_OPT_RMSPROP:
                m2[i] = 0.99 * m2[i] + 0.01 * g * g;
                p[i] -= 0.1 * g / (sqrt(m2[i]) + 1e-8);
                break;
            }
        }
        for (size_t i = 0; i < n; i++) CHECK_NEAR(P[i], p[i], 1e-6 * (1 + fabs(p[i])));
    }
    free(p);
    free(m1);
    free(m2);
    gs_trainer_destroy(tr);
    gs_model_destroy(mod);
    gs_task_destroy(task);
}

static void check_clipping(void) {
    gs_task *task = adding(10);
    gs_model *mod = tiny(GS_RNN, 2, 3, 1, 1);
    gs_train_config tc = gs_train_config_default();
    gs_trainer *tr = NULL;
    size_t n;
    tc.optimizer = GS_OPT_SGD;
    tc.lr = 1.0;
    tc.clip_norm = 0.5;
    tc.clip_value = 0.2;
    CHECK(gs_trainer_create(&tr, mod, task, &tc, NULL) == GS_OK);
    gs_real *P = gs_model_params(mod, &n), *G = gs_model_grads(mod, NULL);
    gs_real *before = malloc(sizeof(gs_real) * n);
    memcpy(before, P, sizeof(gs_real) * n);
    memset(G, 0, sizeof(gs_real) * n);
    G[0] = 3;  /* norm 5: scaled to 0.5 -> (0.3, -0.4), then clipped to 0.2 -> (0.2, -0.2) */
    G[1] = -4;
    gs_trainer_apply(tr);
    CHECK_NEAR(P[0], (double)before[0] - 0.2, 1e-6);
    CHECK_NEAR(P[1], (double)before[1] + 0.2, 1e-6);
    for (size_t i = 2; i < n; i++) CHECK(P[i] == before[i]);
    /* the untrained initial state's gradient is not part of the clipping norm, as in
       PyTorch's clip_grad_norm_ over the parameters handed to the optimizer: with a
       huge s0 gradient, (3, -4) is still scaled by 0.5 / 5 */
    tc.clip_value = 0;
    gs_trainer_destroy(tr);
    tr = NULL;
    CHECK(gs_trainer_create(&tr, mod, task, &tc, NULL) == GS_OK);
    memcpy(before, P, sizeof(gs_real) * n);
    memset(G, 0, sizeof(gs_real) * n);
    G[0] = 3;
    G[1] = -4;
    G[n - 1] = 1000; /* dL/ds0 (the rnn's last tensor) */
    gs_trainer_apply(tr);
    CHECK_NEAR(P[0], (double)before[0] - 0.3, 1e-6);
    CHECK_NEAR(P[1], (double)before[1] + 0.4, 1e-6);
    CHECK(P[n - 1] == before[n - 1]);
    free(before);
    gs_trainer_destroy(tr);
    gs_model_destroy(mod);
    gs_task_destroy(task);
}

/* Backward over the window [hi-k2+1, hi] with losses from hi-k1+1 equals the full
 * gradient of a graph that starts at step hi-k2+1 from the detached state s_{hi-k2}. */
static void check_truncated_graph(gs_variant v) {
    enum { T = 12, HI = 9, K1 = 3, K2 = 5, M = 2, N = 4, K = 1 };
    gs_model *a = tiny(v, M, N, K, 7), *b = NULL;
    gs_seq *sa = NULL, *sb = NULL;
    gs_backward_opts bo = { 0 };
    gs_rng r;
    int S = gs_variant_get(v)->n_states, len, Sc = 0;
    size_t n;
    CHECK(gs_seq_create(&sa, a, T, 1, NULL) == GS_OK);
    gs_rng_seed(&r, 3);
    for (int i = 0; i < T * M; i++) gs_seq_inputs(sa)[i] = (gs_real)gs_rng_uniform(&r);
    for (int i = 0; i < T * K; i++) gs_seq_targets(sa)[i] = (gs_real)gs_rng_uniform(&r);
    for (int t = 0; t < T; t++) gs_seq_mask(sa)[t] = 1;
    gs_seq_forward(sa, HI);
    bo.truncate = K2;
    bo.loss_from = HI - K1 + 1;
    CHECK(gs_seq_backward(sa, &bo, NULL) == GS_OK);

    CHECK(gs_model_clone(&b, a, NULL) == GS_OK);
    /* the carried state: the states shown, and for fgr the previous gates too (its
     * initial state tensors c0 h0 i0 f0 o0 are the model's last ones) */
    for (int i = 0; i < gs_model_tensor_count(a); i++) Sc += gs_model_tensor(a, i)->is_state;
    CHECK(Sc == S || (v == GS_FGR && Sc == S + 3));
    {
        gs_real *Pb = gs_model_params(b, &n);
        for (int q = 0; q < Sc; q++) {
            const gs_tensor *init = gs_model_tensor(b, gs_model_tensor_count(b) - Sc + q);
            const gs_real *from = q < S ? gs_seq_values(sa, GS_Q_STATE, q, HI - K2, 0, &len)
                                        : gs_seq_values(sa, GS_Q_GATE, q - S, HI - K2, 0, &len);
            CHECK(init->is_state && from != NULL);
            if (from) memcpy(Pb + init->offset, from, sizeof(gs_real) * N);
        }
    }
    CHECK(gs_seq_create(&sb, b, K2, 1, NULL) == GS_OK);
    memcpy(gs_seq_inputs(sb), gs_seq_inputs(sa) + (HI - K2) * M, sizeof(gs_real) * K2 * M);
    memcpy(gs_seq_targets(sb), gs_seq_targets(sa) + (HI - K2) * K, sizeof(gs_real) * K2 * K);
    for (int t = 0; t < K2; t++) gs_seq_mask(sb)[t] = t >= K2 - K1;
    gs_seq_forward(sb, K2);
    CHECK(gs_seq_backward(sb, NULL, NULL) == GS_OK);
    {
        const gs_real *Ga = gs_model_grads_const(a, &n), *Gb = gs_model_grads_const(b, NULL);
        size_t init0 = gs_model_tensor(a, gs_model_tensor_count(a) - Sc)->offset;
        double worst = 0;
        for (size_t i = 0; i < init0; i++) {
            double e = fabs((double)Ga[i] - (double)Gb[i]) / (1e-6 + fabs((double)Gb[i]));
            if (e > worst) worst = e;
        }
        /* same operations in the same order but for gemm blocking: float round-off only */
        CHECK_MSG(worst < 1e-4, "%s: truncated gradient differs by %g (relative)",
                  gs_variant_get(v)->name, worst);
        for (int t = HI - K2 + 1; t <= HI; t++)
            for (int q = 0; q < S; q++) {
                const gs_real *da = gs_seq_values(sa, GS_Q_D_STATE, q, t, 0, &len);
                const gs_real *db = gs_seq_values(sb, GS_Q_D_STATE, q, t - (HI - K2), 0, &len);
                for (int j = 0; j < N; j++) CHECK_NEAR(da[j], db[j], 1e-6 * (1 + fabs(db[j])));
            }
    }
    gs_seq_destroy(sa);
    gs_seq_destroy(sb);
    gs_model_destroy(a);
    gs_model_destroy(b);
}

static void check_iteration(void) {
    gs_task_config tcfg = gs_task_config_default(GS_TASK_ECHO);
    gs_task *task = NULL;
    gs_train_config tc = gs_train_config_default();
    gs_trainer *t1 = NULL, *t2 = NULL;
    gs_model *a, *b;
    gs_train_result r1, r2;
    size_t n;
    tcfg.length = 20;
    CHECK(gs_task_create(&task, &tcfg, NULL) == GS_OK);
    a = tiny(GS_GRU, 1, 8, 2, 5);
    b = tiny(GS_GRU, 1, 8, 2, 5);
    tc.batch = 4;
    tc.k1 = 6;
    tc.k2 = 8;
    CHECK(gs_trainer_create(&t1, a, task, &tc, NULL) == GS_OK);
    CHECK(gs_trainer_create(&t2, b, task, &tc, NULL) == GS_OK);
    for (int i = 0; i < 5; i++) {
        CHECK(gs_trainer_step(t1, &r1, NULL) == GS_OK);
        CHECK(gs_trainer_step(t2, &r2, NULL) == GS_OK);
        CHECK(r1.updates == 4); /* every step has a loss: steps 6, 12, 18, 20 */
        CHECK(r1.iteration == i + 1 && isfinite(r1.loss) && r1.loss == r2.loss);
    }
    gs_model_params_const(a, &n);
    CHECK(memcmp(gs_model_params_const(a, NULL), gs_model_params_const(b, NULL),
                 n * sizeof(gs_real)) == 0);
    gs_trainer_destroy(t1);
    gs_trainer_destroy(t2);
    gs_trainer_destroy(NULL);
    gs_model_destroy(a);
    gs_model_destroy(b);
    gs_task_destroy(task);
}

/* A short version of the demonstration: Adam on the adding problem moves an LSTM's
 * loss well below where it started. */
static void check_learns(void) {
    gs_task *task = adding(10);
    gs_model *mod = tiny(GS_LSTM, 2, 16, 1, 2);
    gs_train_config tc = gs_train_config_default();
    gs_trainer *tr = NULL;
    gs_train_result r;
    double first = 0, last = 0;
    tc.lr = 1e-2;
    tc.batch = 32;
    tc.clip_norm = 1;
    CHECK(gs_trainer_create(&tr, mod, task, &tc, NULL) == GS_OK);
    for (int i = 0; i < 300; i++) {
        gs_trainer_step(tr, &r, NULL);
        if (i < 20) first += r.loss / 20;
        if (i >= 280) last += r.loss / 20;
    }
    printf("adding T=10 lstm: loss %.4f -> %.4f\n", first, last);
    CHECK(last < 0.5 * first && last < 0.05);
    gs_trainer_destroy(tr);
    gs_model_destroy(mod);
    gs_task_destroy(task);
}

/* The echo task through truncation windows (k1 = k2 = w): shorter than the 3-step
 * echo it learns nothing; between 3 and 8 it learns the 3-step echo (and a little of
 * the 8-step one, which leaks in through the readout: that is trained at every step
 * without backpropagation through time); longer than 8 it goes lower still.  The
 * full-size run is in docs/training.md; this is the same at T = 40 and 800
 * iterations, deterministic for its seeds. */
static double echo_loss(int w) {
    gs_task_config tcfg = gs_task_config_default(GS_TASK_ECHO);
    gs_task *task = NULL;
    gs_train_config tc = gs_train_config_default();
    gs_trainer *tr = NULL;
    gs_model *mod;
    gs_train_result r;
    double acc = 0;
    tcfg.length = 40;
    CHECK(gs_task_create(&task, &tcfg, NULL) == GS_OK);
    mod = tiny(GS_GRU, 1, 6, 2, 3);
    tc.batch = 32;
    tc.k1 = tc.k2 = w;
    tc.lr = 1e-2;
    tc.clip_norm = 1;
    tc.seed = 5;
    CHECK(gs_trainer_create(&tr, mod, task, &tc, NULL) == GS_OK);
    for (int i = 0; i < 800; i++) {
        gs_trainer_step(tr, &r, NULL);
        if (i >= 640) acc += r.loss / 160;
    }
    gs_trainer_destroy(tr);
    gs_model_destroy(mod);
    gs_task_destroy(task);
    return acc;
}

static void check_echo_levels(void) {
    double l2 = echo_loss(2), l5 = echo_loss(5), l12 = echo_loss(12);
    printf("echo, gru n=6, T=40: window 2 -> %.4f, 5 -> %.4f, 12 -> %.4f "
           "(levels: nothing 0.662, 3-step 0.519, both 0.454)\n", l2, l5, l12);
    CHECK(l2 > 0.62);          /* learned nothing */
    CHECK(l5 < 0.53);          /* the 3-step echo */
    CHECK(l12 < l5 - 0.005);   /* and more of the 8-step one */
}

int main(void) {
    check_optimizer(GS_OPT_SGD);
    check_optimizer(GS_OPT_MOMENTUM);
    check_optimizer(GS_OPT_ADAM);
    check_optimizer(GS_OPT_RMSPROP);
    check_clipping();
    for (int v = 0; v < GS_VARIANT_COUNT; v++) check_truncated_graph((gs_variant)v);
    check_iteration();
    check_learns();
    check_echo_levels();
    return check_result("test_train");
}
