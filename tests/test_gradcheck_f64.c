/* test_gradcheck_f64.c — finite-difference check of every variant's backward pass,
 * on the double-precision engine: every parameter tensor (reported by name), the
 * initial state, and dL/dx_t, for a batch of 2 with both loss kinds.
 * Tolerance: central differences with h = 1e-6 in double have truncation error
 * ~h^2·|f'''| ≈ 1e-12 and rounding error ~1e-16/h ≈ 1e-10, so analytic and numeric
 * gradients must agree to 1e-7 absolute + 1e-6 relative. */
#include "check.h"
#include "gatescope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 4, M = 3, K = 2, T = 6, BATCH = 2 };
static const double H = 1e-6, ABS_TOL = 1e-7, REL_TOL = 1e-6;

static double loss_of(gs_seq *s) {
    gs_seq_rewind(s);
    gs_seq_forward(s, T);
    return gs_seq_summary_of(s).loss;
}

static void fill_inputs(gs_seq *s, gs_loss_kind kind, gs_rng *rng) {
    gs_real *x = gs_seq_inputs(s), *tg = gs_seq_targets(s);
    unsigned char *mask = gs_seq_mask(s);
    for (int i = 0; i < T * BATCH * M; i++) x[i] = gs_rng_uniform(rng) * 2 - 1;
    for (int t = 0; t < T; t++) {
        mask[t] = (t % 2 == 1) || t == T - 1; /* losses at some steps only */
        for (int b = 0; b < BATCH; b++) {
            gs_real *row = tg + (t * BATCH + b) * K;
            if (kind == GS_LOSS_MSE) {
                for (int j = 0; j < K; j++) row[j] = gs_rng_uniform(rng) * 2 - 1;
            } else {
                for (int j = 0; j < K; j++) row[j] = 0;
                row[gs_rng_below(rng, K)] = 1;
            }
        }
    }
    gs_seq_set_loss(s, kind);
}

static void check_variant(gs_variant v, gs_loss_kind kind, double wscale) {
    gs_model_config cfg = gs_model_config_default(v, M, N, K);
    gs_model *m = NULL;
    gs_seq *s = NULL;
    gs_error err;
    gs_rng rng;
    size_t count, i;
    gs_real *P, *grad = NULL, *dx = NULL;
    int worst_reported = 0;
    double max_err = 0;
    cfg.init_scale = 0.6 * wscale;
    cfg.seed = 11 + (uint64_t)v;
    CHECK(gs_model_create(&m, &cfg, &err) == GS_OK);
    CHECK(gs_seq_create(&s, m, T, BATCH, &err) == GS_OK);
    if (!m || !s) goto done;
    gs_rng_seed(&rng, 99 + (uint64_t)v);
    fill_inputs(s, kind, &rng);
    P = gs_model_params(m, &count);
    /* a non-zero initial state, so its gradient is tested in a general position */
    for (int ti = 0; ti < gs_model_tensor_count(m); ti++) {
        const gs_tensor *t = gs_model_tensor(m, ti);
        if (t->is_state)
            for (int r = 0; r < t->rows; r++) P[t->offset + (size_t)r] = gs_rng_uniform(&rng) - 0.5;
    }
    loss_of(s);
    CHECK(gs_seq_backward(s, NULL, &err) == GS_OK);
    grad = malloc(sizeof(gs_real) * count);
    dx = malloc(sizeof(gs_real) * T * BATCH * M);
    memcpy(grad, gs_model_grads(m, NULL), sizeof(gs_real) * count);
    for (int t = 1; t <= T; t++)
        for (int b = 0; b < BATCH; b++) {
            int len;
            const gs_real *d = gs_seq_values(s, GS_Q_D_X, 0, t, b, &len);
            memcpy(dx + ((t - 1) * BATCH + b) * M, d, sizeof(gs_real) * M);
        }

    for (i = 0; i < count; i++) {
        double keep = P[i], lp, lm, num, tol;
        P[i] = keep + H;
        lp = loss_of(s);
        P[i] = keep - H;
        lm = loss_of(s);
        P[i] = keep;
        num = (lp - lm) / (2 * H);
        tol = ABS_TOL + REL_TOL * fmax(fabs(num), fabs(grad[i]));
        if (fabs(num - grad[i]) > max_err) max_err = fabs(num - grad[i]);
        if (!(fabs(num - grad[i]) <= tol)) {
            char name[64];
            gs_model_describe_index(m, i, name, sizeof name);
            check_failures++;
            if (worst_reported++ < 5)
                fprintf(stderr, "%s %s: d%s analytic %.10g numeric %.10g\n",
                        gs_variant_get(v)->name, kind == GS_LOSS_MSE ? "mse" : "xent", name,
                        grad[i], num);
        }
        check_count++;
    }
    /* dL/dx_t */
    {
        gs_real *x = gs_seq_inputs(s);
        for (i = 0; i < (size_t)(T * BATCH * M); i++) {
            double keep = x[i], lp, lm, num;
            x[i] = keep + H;
            lp = loss_of(s);
            x[i] = keep - H;
            lm = loss_of(s);
            x[i] = keep;
            num = (lp - lm) / (2 * H);
            CHECK_NEAR(dx[i], num, ABS_TOL + REL_TOL * fabs(num));
        }
    }
    printf("%-8s %-4s %zu parameters, max |analytic - numeric| = %.3g\n",
           gs_variant_get(v)->name, kind == GS_LOSS_MSE ? "mse" : "xent", count, max_err);
done:
    free(grad);
    free(dx);
    gs_seq_destroy(s);
    gs_model_destroy(m);
}

int main(void) {
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        check_variant((gs_variant)v, GS_LOSS_MSE, 1.0);
        check_variant((gs_variant)v, GS_LOSS_XENT, 1.0);
        check_variant((gs_variant)v, GS_LOSS_MSE, 2.5); /* saturated gates */
    }
    return check_result("test_gradcheck_f64");
}
