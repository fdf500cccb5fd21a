/* test_gradcheck_f64.c — finite-difference check of every variant's backward pass,
 * on the double-precision engine: every parameter tensor (reported by name), the
 * initial state, and dL/dx_t, for a batch of 2 with both loss kinds; and the same for
 * models with clamped gates (the exact derivative of the clamped model), whose
 * clamped gate's own weights must then receive exactly nothing.
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

/* 1 if tensor `name` feeds gate `sym` alone: W_g, U_g, b_g (gru-ra: b_ig, b_hg), p_g,
 * and fgr's row blocks G_g<source>. */
static int feeds_gate(const char *name, const char *sym) {
    char buf[16];
    const char *heads[] = { "W_", "U_", "b_", "b_i", "b_h", "p_" };
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        snprintf(buf, sizeof buf, "%s%s", heads[i], sym);
        if (strcmp(name, buf) == 0) return 1;
    }
    return name[0] == 'G' && name[1] == '_' && strncmp(name + 2, sym, strlen(sym)) == 0 &&
           strlen(name) == 3 + strlen(sym);
}

/* clamp 0: none; 1: gate 0 of every unit forced to 1, and (with two gates or more)
 * the last gate of unit 1 to 0.3; 2: gate 0 of every unit to 0.6, the last gate of
 * unit 2 to 0.  (A value strictly inside (0, 1) matters: at 0 and 1 the sigmoid's
 * derivative g(1 - g) is 0 anyway, so only such a clamp shows a backward pass that
 * forgets to cut the gradient.) */
static void check_variant(gs_variant v, gs_loss_kind kind, double wscale, int clamp) {
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
    if (clamp) {
        int ng = gs_variant_get(v)->n_gates;
        CHECK(gs_model_clamp_gate(m, 0, GS_ALL_UNITS, clamp == 1 ? 1.0 : 0.6, &err) == GS_OK);
        if (ng >= 2)
            CHECK(gs_model_clamp_gate(m, ng - 1, clamp == 1 ? 1 : 2, clamp == 1 ? 0.3 : 0.0,
                                      &err) == GS_OK);
        CHECK(gs_model_clamp_count(m) == N + (ng >= 2));
    }
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
    if (clamp) { /* gate 0 is a constant: its own weights get exactly nothing */
        const char *sym = gs_variant_get(v)->gates[0].symbol;
        int seen = 0;
        for (int ti = 0; ti < gs_model_tensor_count(m); ti++) {
            const gs_tensor *t = gs_model_tensor(m, ti);
            if (!feeds_gate(t->name, sym)) continue;
            seen++;
            for (int r = 0; r < t->rows; r++)
                for (int c = 0; c < t->cols; c++)
                    CHECK_MSG(grad[t->offset + (size_t)r * (size_t)t->ld + (size_t)c] == 0,
                              "%s: clamped gate %s, d%s[%d,%d] = %g", gs_variant_get(v)->name,
                              sym, t->name, r, c,
                              grad[t->offset + (size_t)r * (size_t)t->ld + (size_t)c]);
        }
        CHECK_MSG(seen >= 3, "%s: found %d tensors of gate %s", gs_variant_get(v)->name, seen, sym);
    }
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
    printf("%-8s %-4s %s%zu parameters, max |analytic - numeric| = %.3g\n",
           gs_variant_get(v)->name, kind == GS_LOSS_MSE ? "mse" : "xent",
           clamp ? "clamped " : "", count, max_err);
done:
    free(grad);
    free(dx);
    gs_seq_destroy(s);
    gs_model_destroy(m);
}

int main(void) {
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        check_variant((gs_variant)v, GS_LOSS_MSE, 1.0, 0);
        check_variant((gs_variant)v, GS_LOSS_XENT, 1.0, 0);
        check_variant((gs_variant)v, GS_LOSS_MSE, 2.5, 0); /* saturated gates */
        if (gs_variant_get((gs_variant)v)->n_gates > 0) {
            check_variant((gs_variant)v, GS_LOSS_MSE, 1.0, 1);
            check_variant((gs_variant)v, GS_LOSS_XENT, 1.0, 2);
        }
    }
    return check_result("test_gradcheck_f64");
}
