/* scalars.c — per-step and whole-sequence scalars by name, for lesson expectations
 * and anyone who prefers names to struct fields.  Names match the CSV trace. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef enum { PER_STEP = 1, WHOLE = 2 } scalar_kind;

static const char *const whole_names[] = { "first_nonfinite", "first_nonfinite_grad", "gamma_w",
                                           "mean_loss", "grad_norm", "steps" };
static const char *const step_names[] = { "loss", "d_x_norm", "jac_sigma", "shrink", "has_grad",
                                          "state_norm", "state_max", "d_state_norm",
                                          /* the readout (gs_seq_readout) */
                                          "y", "target", "top_prob", "target_prob" };

/* state-dependent: "<sym>_norm", "<sym>_max", "d_<sym>_norm" for sym in s | c | h */
static int state_scalar(const char *name, int variant, int *state, int *what) {
    const char *syms[3] = { "s", "c", "h" };
    for (int i = 0; i < 3; i++) {
        char a[16], b[16], c[16];
        int ok = variant < 0 || (i == 0 ? gs_variant_get((gs_variant)variant)->n_states == 1
                                         : gs_variant_get((gs_variant)variant)->n_states == 2);
        snprintf(a, sizeof a, "%s_norm", syms[i]);
        snprintf(b, sizeof b, "%s_max", syms[i]);
        snprintf(c, sizeof c, "d_%s_norm", syms[i]);
        if (!ok) continue;
        *state = i == 2 ? 1 : 0;
        if (!strcmp(name, a)) { *what = 0; return 1; }
        if (!strcmp(name, b)) { *what = 1; return 1; }
        if (!strcmp(name, c)) { *what = 2; return 1; }
    }
    return 0;
}

int gs_scalar_known(const char *name, int variant) {
    int st, what;
    size_t i;
    if (!name) return 0;
    for (i = 0; i < sizeof whole_names / sizeof *whole_names; i++)
        if (!strcmp(name, whole_names[i])) return WHOLE;
    for (i = 0; i < sizeof step_names / sizeof *step_names; i++)
        if (!strcmp(name, step_names[i])) return PER_STEP;
    return state_scalar(name, variant, &st, &what) ? PER_STEP : 0;
}

gs_status gs_seq_scalar(const gs_seq *s, const char *name, int t, double *out, gs_error *err) {
    const gs_model_config *c = gs_model_config_of(gs_seq_model(s));
    gs_seq_summary sum = gs_seq_summary_of(s);
    const gs_step_stats *st;
    int kind = gs_scalar_known(name, (int)c->variant), state = 0, what = 0;
    if (!kind) {
        gs__error(err, "unknown quantity '%s' for %s; try loss, %s_norm, %s_max, d_%s_norm, "
                  "d_x_norm, jac_sigma, shrink, first_nonfinite, gamma_w, mean_loss",
                  name ? name : "", gs_variant_get(c->variant)->name,
                  gs_variant_get(c->variant)->state_symbols[0],
                  gs_variant_get(c->variant)->state_symbols[0],
                  gs_variant_get(c->variant)->state_symbols[0]);
        return GS_ERR_ARG;
    }
    if (kind == WHOLE) {
        if (!strcmp(name, "first_nonfinite")) *out = sum.first_nonfinite;
        else if (!strcmp(name, "first_nonfinite_grad")) *out = sum.first_nonfinite_grad;
        else if (!strcmp(name, "gamma_w")) *out = sum.gamma_w;
        else if (!strcmp(name, "mean_loss")) *out = sum.loss;
        else if (!strcmp(name, "grad_norm")) *out = sum.grad_norm;
        else *out = sum.steps;
        return GS_OK;
    }
    if (!(st = gs_seq_stats(s, t))) {
        gs__error(err, "step %d is outside 1..%d", t, sum.steps);
        return GS_ERR_STATE;
    }
    if (!strcmp(name, "loss")) *out = st->loss;
    else if (!strcmp(name, "d_x_norm")) *out = st->d_x_norm;
    else if (!strcmp(name, "jac_sigma")) *out = st->jac_sigma;
    else if (!strcmp(name, "shrink")) *out = st->shrink;
    else if (!strcmp(name, "has_grad")) *out = st->has_grad;
    else if (!strcmp(name, "state_norm")) *out = st->state_norm[0];
    else if (!strcmp(name, "state_max")) *out = st->state_max[0];
    else if (!strcmp(name, "d_state_norm")) *out = st->d_state_norm[0];
    else if (!strcmp(name, "y") || !strcmp(name, "target") || !strcmp(name, "top_prob") ||
             !strcmp(name, "target_prob")) {
        gs_step_readout r;
        gs_seq_readout(s, t, 0, &r, NULL); /* t is a computed step: cannot fail */
        *out = name[0] == 'y' ? r.y : !strcmp(name, "target") ? r.target
             : !strcmp(name, "top_prob") ? r.top_prob : r.target_prob;
    } else {
        state_scalar(name, (int)c->variant, &state, &what);
        *out = what == 0 ? st->state_norm[state]
             : what == 1 ? st->state_max[state] : st->d_state_norm[state];
    }
    return GS_OK;
}
