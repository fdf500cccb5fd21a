/* test_bptt.c — the sequence driver: truncation cuts exactly, runs are bit-for-bit
 * deterministic, blow-ups are flagged without crashing, clipping bounds the global
 * norm, Jacobian singular values are right, and the views reject bad indices. */
#include "check.h"
#include "gatescope.h"

#include <stdlib.h>
#include <string.h>

static gs_model *make_model(gs_variant v, int m, int n, int k, double ws, uint64_t seed) {
    gs_model_config c = gs_model_config_default(v, m, n, k);
    gs_model *mod = NULL;
    c.weight_scale = ws;
    c.seed = seed;
    CHECK(gs_model_create(&mod, &c, NULL) == GS_OK);
    return mod;
}

/* random inputs in [0,1), MSE targets, a loss at every `every`-th step and the last */
static gs_seq *make_seq(gs_model *mod, int T, int every, uint64_t seed) {
    const gs_model_config *c = gs_model_config_of(mod);
    gs_seq *s = NULL;
    gs_rng r;
    CHECK(gs_seq_create(&s, mod, T, 1, NULL) == GS_OK);
    if (!s) return NULL;
    gs_rng_seed(&r, seed);
    for (int i = 0; i < T * c->n_in; i++) gs_seq_inputs(s)[i] = (gs_real)gs_rng_uniform(&r);
    for (int i = 0; i < T * c->n_out; i++) gs_seq_targets(s)[i] = (gs_real)gs_rng_uniform(&r);
    for (int t = 0; t < T; t++) gs_seq_mask(s)[t] = (t + 1) % every == 0 || t == T - 1;
    return s;
}

static void test_truncation(gs_variant v) {
    enum { T = 30, KTR = 10, N = 6 };
    gs_model *mod = make_model(v, 2, N, 1, 1.0, 3);
    gs_seq *s = make_seq(mod, T, 3, 4);
    gs_real full[T][2][N];
    gs_backward_opts bo = { 0 };
    const gs_model_config *c = gs_model_config_of(mod);
    int S = gs_variant_get(c->variant)->n_states, len;
    gs_seq_forward(s, T);
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    for (int t = 1; t <= T; t++)
        for (int q = 0; q < S; q++)
            memcpy(full[t - 1][q], gs_seq_values(s, GS_Q_D_STATE, q, t, 0, &len), sizeof full[0][0]);
    CHECK(gs_seq_summary_of(s).truncated == 0 && gs_seq_summary_of(s).grad_lo == 1);
    bo.truncate = KTR;
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    gs_seq_summary sum = gs_seq_summary_of(s);
    CHECK(sum.truncated == 1 && sum.grad_lo == T - KTR + 1 && sum.backward_steps == KTR);
    for (int t = 1; t <= T; t++) {
        const gs_step_stats *st = gs_seq_stats(s, t);
        int inside = t > T - KTR;
        CHECK(st->has_grad == inside);
        for (int q = 0; q < S; q++) {
            const gs_real *d = gs_seq_values(s, GS_Q_D_STATE, q, t, 0, &len);
            for (int j = 0; j < N; j++) {
                if (inside)
                    CHECK_MSG(d[j] == full[t - 1][q][j], "%s t=%d unit %d: %g vs %g",
                              gs_variant_get(v)->name, t, j, (double)d[j],
                              (double)full[t - 1][q][j]);
                else
                    CHECK_MSG(d[j] == 0, "%s t=%d unit %d: %g beyond the window",
                              gs_variant_get(v)->name, t, j, (double)d[j]);
            }
        }
    }
    /* the initial state lies beyond the window: no gradient reaches it */
    {
        const gs_tensor *t0 = gs_model_tensor(mod, gs_model_tensor_count(mod) - 1);
        const gs_real *G = gs_model_grads_const(mod, NULL);
        CHECK(t0->is_state);
        for (int j = 0; j < t0->rows; j++) CHECK(G[t0->offset + (size_t)j] == 0);
    }
    gs_seq_destroy(s);
    gs_model_destroy(mod);
}

/* A backward clears only what the one before it wrote (so truncated training costs
 * O(window) per update): after a full pass, then a pass truncated to 3 steps with
 * losses from step 20, everything outside the new window reads 0 again, and the
 * window equals a fresh sequence's. */
static void test_window_leftovers(void) {
    enum { T = 24, N = 5 };
    gs_model *mod = make_model(GS_LSTM, 2, N, 1, 1.0, 3);
    gs_seq *s = make_seq(mod, T, 2, 4), *f = make_seq(mod, T, 2, 4);
    gs_backward_opts bo = { .truncate = 3, .loss_from = 20 };
    gs_seq_forward(s, T);
    gs_seq_forward(f, T);
    CHECK(gs_seq_backward(s, NULL, NULL) == GS_OK);
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    CHECK(gs_seq_backward(f, &bo, NULL) == GS_OK);
    for (int t = 1; t <= T; t++)
        for (int q = 0; q < 2; q++) {
            int len;
            const gs_real *a = gs_seq_values(s, GS_Q_D_STATE, q, t, 0, &len);
            const gs_real *b = gs_seq_values(f, GS_Q_D_STATE, q, t, 0, NULL);
            CHECK(memcmp(a, b, sizeof(gs_real) * (size_t)len) == 0);
            if (t <= T - 3) CHECK(a[0] == 0 && gs_seq_stats(s, t)->has_grad == 0);
        }
    CHECK(memcmp(gs_seq_values(s, GS_Q_D_X, 0, 2, 0, NULL), gs_seq_values(f, GS_Q_D_X, 0, 2, 0, NULL),
                 2 * sizeof(gs_real)) == 0);
    gs_seq_destroy(s);
    gs_seq_destroy(f);
    gs_model_destroy(mod);
}

static void test_determinism(void) {
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        gs_model *a = make_model((gs_variant)v, 3, 8, 2, 1.0, 42);
        gs_model *b = make_model((gs_variant)v, 3, 8, 2, 1.0, 42);
        gs_model *c = make_model((gs_variant)v, 3, 8, 2, 1.0, 43);
        size_t na, nc;
        const gs_real *pa = gs_model_params_const(a, &na), *pb = gs_model_params_const(b, NULL);
        const gs_real *pc = gs_model_params_const(c, &nc);
        CHECK(memcmp(pa, pb, na * sizeof *pa) == 0);
        CHECK(na == nc && memcmp(pa, pc, na * sizeof *pa) != 0);
        gs_seq *sa = make_seq(a, 40, 4, 9), *sb = make_seq(b, 40, 4, 9);
        gs_seq_forward(sa, 40);
        gs_seq_forward(sb, 40);
        gs_seq_backward(sa, NULL, NULL);
        gs_seq_backward(sb, NULL, NULL);
        CHECK(memcmp(gs_model_grads_const(a, NULL), gs_model_grads_const(b, NULL),
                     na * sizeof *pa) == 0);
        for (int t = 1; t <= 40; t++) {
            int len;
            const gs_real *x = gs_seq_values(sa, GS_Q_STATE, 0, t, 0, &len);
            const gs_real *y = gs_seq_values(sb, GS_Q_STATE, 0, t, 0, NULL);
            CHECK(memcmp(x, y, sizeof(gs_real) * (size_t)len) == 0);
        }
        gs_seq_destroy(sa);
        gs_seq_destroy(sb);
        gs_model_destroy(a);
        gs_model_destroy(b);
        gs_model_destroy(c);
    }
}

/* The prototype's state drifts without bound and its gradient explodes: with a large
 * recurrent scale over a long sequence dL/ds overflows to inf/NaN walking back.  This
 * model's gradient climbs steadily (about 0.2 decades a step walking back) and
 * overflows at step 210 with 209 steps to spare: the claim has a wide margin. */
static void test_blowup(void) {
    gs_model *mod = make_model(GS_PROTO, 2, 16, 1, 30.0, 10);
    gs_seq *s = make_seq(mod, 400, 400, 4);
    gs_seq_forward(s, 400);
    CHECK(gs_seq_backward(s, NULL, NULL) == GS_OK);
    gs_seq_summary sum = gs_seq_summary_of(s);
    CHECK(sum.first_nonfinite == 0);            /* forward: |s| grows at most 1 per step */
    CHECK(sum.first_nonfinite_grad > 100);      /* backward: it overflowed, early */
    /* 150 steps back from the loss it has already grown by 25 decades (seen: 31) */
    CHECK(gs_seq_stats(s, 250)->d_state_norm[0] > 1e25 * gs_seq_stats(s, 400)->d_state_norm[0]);
    CHECK(gs_seq_stats(s, 400)->state_norm[0] > 100); /* the drift */
    CHECK(!isfinite(sum.grad_norm));
    gs_seq_destroy(s);
    gs_model_destroy(mod);

    /* a NaN input is carried, flagged at its step, and nothing crashes */
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        mod = make_model((gs_variant)v, 2, 5, 1, 1.0, 3);
        s = make_seq(mod, 20, 1, 4);
        gs_seq_inputs(s)[2 * 6] = (gs_real)NAN; /* step 7 */
        gs_seq_forward(s, 20);
        CHECK(gs_seq_backward(s, NULL, NULL) == GS_OK);
        CHECK(gs_seq_summary_of(s).first_nonfinite == 7);
        CHECK(isnan(gs_seq_summary_of(s).loss));
        gs_seq_destroy(s);
        gs_model_destroy(mod);
    }
}

static void test_clip(void) {
    gs_model *mod = make_model(GS_LSTM, 2, 8, 1, 3.0, 5);
    gs_seq *s = make_seq(mod, 50, 1, 6);
    gs_backward_opts bo = { 0 };
    size_t n;
    double g2 = 0;
    gs_seq_forward(s, 50);
    bo.clip = 1e-3;
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    CHECK(gs_seq_summary_of(s).grad_norm > 1e-3);
    const gs_real *G = gs_model_grads_const(mod, &n);
    for (size_t i = 0; i < n; i++) g2 += (double)G[i] * (double)G[i];
    CHECK_NEAR(sqrt(g2), 1e-3, 1e-7);
    gs_seq_destroy(s);
    gs_model_destroy(mod);
}

/* rnn: J_t = diag(1 - s_t^2) W, so its largest singular value can be checked directly. */
static void test_jacobian(void) {
    enum { N = 7 };
    gs_model *mod = make_model(GS_RNN, 2, N, 1, 1.5, 8);
    gs_seq *s = make_seq(mod, 12, 1, 2);
    gs_backward_opts bo = { 0 };
    const gs_tensor *W = gs_model_find_tensor(mod, "W");
    const gs_real *P = gs_model_params_const(mod, NULL);
    bo.jacobian = 1;
    gs_seq_forward(s, 12);
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    for (int t = 1; t <= 12; t++) {
        int len;
        const gs_real *st = gs_seq_values(s, GS_Q_STATE, 0, t, 0, &len);
        double J[N][N], v[N], best = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                J[i][j] = (1.0 - (double)st[i] * (double)st[i]) *
                          (double)P[W->offset + (size_t)i * (size_t)W->ld + (size_t)j];
        /* brute-force max over many directions refined by power iteration */
        for (int i = 0; i < N; i++) v[i] = 1.0 + 0.1 * i;
        for (int it = 0; it < 2000; it++) {
            double u[N] = { 0 }, w[N] = { 0 }, nw = 0, nu = 0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) u[i] += J[i][j] * v[j];
            for (int j = 0; j < N; j++)
                for (int i = 0; i < N; i++) w[j] += J[i][j] * u[i];
            for (int i = 0; i < N; i++) nw += w[i] * w[i], nu += u[i] * u[i];
            nw = sqrt(nw);
            for (int i = 0; i < N; i++) v[i] = w[i] / nw;
            best = sqrt(nu);
        }
        CHECK_NEAR(gs_seq_stats(s, t)->jac_sigma, best, 1e-4 * best);
        CHECK_NEAR(gs_seq_stats(s, t)->shrink, gs_seq_stats(s, t)->jac_sigma, 0);
    }
    CHECK(gs_seq_summary_of(s).gamma_w > 0);
    gs_seq_destroy(s);
    gs_model_destroy(mod);

    /* a gated cell's shrink factor is the mean forget gate */
    mod = make_model(GS_LSTM, 2, 4, 1, 1.0, 8);
    s = make_seq(mod, 5, 1, 2);
    gs_seq_forward(s, 5);
    {
        int len;
        const gs_real *f = gs_seq_values(s, GS_Q_GATE, 1, 3, 0, &len);
        double mean = 0;
        for (int j = 0; j < len; j++) mean += (double)f[j] / len;
        CHECK(strcmp(gs_variant_get(GS_LSTM)->gates[1].symbol, "f") == 0);
        CHECK_NEAR(gs_seq_stats(s, 3)->shrink, mean, 1e-9);
    }
    gs_seq_destroy(s);
    gs_model_destroy(mod);
}

static void test_views_and_errors(void) {
    gs_model *mod = make_model(GS_GRU, 2, 4, 1, 1.0, 1);
    gs_seq *s = make_seq(mod, 5, 1, 2);
    gs_error err;
    int len = -1;
    CHECK(gs_seq_backward(s, NULL, &err) == GS_ERR_STATE);
    CHECK(gs_seq_values(s, GS_Q_STATE, 0, 0, 0, &len) != NULL && len == 4);
    CHECK(gs_seq_values(s, GS_Q_STATE, 0, 1, 0, &len) == NULL && len == 0);
    CHECK(gs_seq_forward(s, 100) == 5);
    CHECK(gs_seq_values(s, GS_Q_GATE, 2, 1, 0, &len) == NULL); /* gru has 2 gates */
    CHECK(gs_seq_values(s, GS_Q_STATE, 1, 1, 0, &len) == NULL); /* and one state */
    CHECK(gs_seq_values(s, GS_Q_X, 0, 6, 0, &len) == NULL);
    CHECK(gs_seq_values(s, GS_Q_X, 0, 1, 1, &len) == NULL);     /* batch of 1 */
    CHECK(gs_seq_stats(s, 0) == NULL && gs_seq_stats(s, 6) == NULL);
    {
        gs_seq *none = NULL;
        CHECK(gs_seq_create(&none, mod, 0, 1, &err) == GS_ERR_ARG && none == NULL);
        CHECK(strlen(err.msg) > 0);
    }
    gs_seq_destroy(NULL);
    gs_model_destroy(NULL);
    gs_task_destroy(NULL);
    {
        gs_model_config c = gs_model_config_default(GS_LSTM, 1, -3, 1);
        gs_model *bad = NULL;
        CHECK(gs_model_create(&bad, &c, &err) == GS_ERR_ARG && bad == NULL);
        CHECK(strstr(err.msg, "hidden -3") != NULL);
        c = gs_model_config_default(GS_LSTM, 1, 3, 1);
        c.weight_scale = 1e9;
        CHECK(gs_model_create(&bad, &c, &err) == GS_ERR_ARG);
    }
    {
        gs_variant v;
        CHECK(gs_variant_from_name("gru-ra", &v, &err) == GS_OK && v == GS_GRU_RA);
        CHECK(gs_variant_from_name("lstn", &v, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "did you mean 'lstm'") != NULL);
    }
    gs_seq_destroy(s);
    gs_model_destroy(mod);
}

int main(void) {
    for (int v = 0; v < GS_VARIANT_COUNT; v++) test_truncation((gs_variant)v);
    test_determinism();
    test_window_leftovers();
    test_blowup();
    test_clip();
    test_jacobian();
    test_views_and_errors();
    return check_result("test_bptt");
}
