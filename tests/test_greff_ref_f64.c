/* test_greff_ref_f64.c — Greff et al.'s vanilla LSTM (our peephole), the basic LSTM
 * and the eight ablations (nig nfg nog niaf noaf np cifg fgr) against an independent
 * float64 reference written here from the paper's equations (docs/variants-greff.md),
 * on random sizes, seeds, batches and loss steps, with and without gate clamps:
 *  - forward: every gate, the candidate, c_t, h_t and y_t at every step and row, and
 *    the sequence loss;
 *  - backward: the total dL/dc_t and dL/dh_t at every step, which the reference gets
 *    by central differences of its own forward pass with c_t (or h_t) nudged right
 *    where the step computes it — so it shares no code, and no derivation, with the
 *    engine's backward pass.
 * The reference reads the engine's parameters by tensor name only.
 * Tolerances (double against double):
 *  - forward: the two differ only in the order of summation (the engine sums dot
 *    products in lanes): relative error ~1e-16 per sum of <= 10 terms, over <= 8
 *    steps: |err| <= 1e-13 (1 + |ref|).  Measured: <= 6e-16 (1 + |ref|);
 *  - dL/dstate: central differences with h = 1e-6 have truncation error ~h²|f'''|
 *    ≈ 1e-12 and rounding error ~1e-16/h = 1e-10: |err| <= 1e-7 + 1e-6 |ref| (as in
 *    test_gradcheck_f64.c).  Measured: at most 0.006 of that. */
#include "check.h"
#include "gatescope.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FWD_TOL 1e-13
#define FD_H 1e-6
#define FD_ATOL 1e-7
#define FD_RTOL 1e-6

enum { MAX_N = 6, MAX_M = 4, MAX_K = 3, MAX_T = 8, MAX_B = 3 };

/* ---- The reference -------------------------------------------------------------- */

/* What the variant is, from the paper's list (not from the engine's tables). */
typedef struct spec {
    int has[3];     /* input, forget, output gate present */
    int peep;       /* peepholes on the gates there are */
    int cifg;       /* f = 1 - i */
    int lin_cand;   /* block input without tanh */
    int lin_out;    /* output without tanh */
    int fgr;        /* gates read the previous gates */
} spec;

static spec spec_of(gs_variant v) {
    spec s = { { 1, 1, 1 }, 1, 0, 0, 0, 0 };
    switch (v) {
    case GS_NIG: s.has[0] = 0; break;
    case GS_NFG: s.has[1] = 0; break;
    case GS_NOG: s.has[2] = 0; break;
    case GS_NIAF: s.lin_cand = 1; break;
    case GS_NOAF: s.lin_out = 1; break;
    case GS_LSTM:
    case GS_NP: s.peep = 0; break;
    case GS_CIFG: s.has[1] = 0; s.cifg = 1; break;
    case GS_FGR: s.fgr = 1; break;
    default: break; /* GS_PEEPHOLE: the vanilla LSTM */
    }
    return s;
}

static const char GATE_SYM[] = "ifo";

typedef struct ref {
    const gs_model *mod;
    spec sp;
    int n, m, k, T, B;
    const gs_real *x, *target; /* (T, B, m), (T, B, k) */
    const unsigned char *mask; /* (T) */
    gs_loss_kind loss;
    double clamp[3][MAX_N];    /* per gate symbol i, f, o: NaN = free */
    /* a nudge: add eps to c_t (which = 0) or h_t (which = 1) of row b, unit j, step t */
    int nudge_t, nudge_b, nudge_j, nudge_which;
    double nudge_eps;
    /* the trace of the last run, (T, B, n) each */
    double gate[3][MAX_T][MAX_B][MAX_N], cand[MAX_T][MAX_B][MAX_N];
    double c[MAX_T][MAX_B][MAX_N], h[MAX_T][MAX_B][MAX_N], y[MAX_T][MAX_B][MAX_K];
} ref;

static double par(const ref *r, const char *name, int row, int col) {
    const gs_tensor *t = gs_model_find_tensor(r->mod, name);
    if (!t) {
        fprintf(stderr, "reference: no tensor %s\n", name);
        exit(2);
    }
    return (double)gs_model_params_const(r->mod, NULL)[t->offset + (size_t)row * (size_t)t->ld +
                                                        (size_t)col];
}

static double sigm(double a) { return 1.0 / (1.0 + exp(-a)); }

/* Gate g's sum before the sigmoid: W_g h + U_g x + p_g ⊙ peep_src + b_g (+ fgr). */
static double gate_sum(const ref *r, int g, int j, const double *h, const double *x,
                       const double *peep_src, double gprev[3][MAX_N]) {
    char name[8];
    double a;
    int l;
    snprintf(name, sizeof name, "b_%c", GATE_SYM[g]);
    a = par(r, name, j, 0);
    snprintf(name, sizeof name, "W_%c", GATE_SYM[g]);
    for (l = 0; l < r->n; l++) a += par(r, name, j, l) * h[l];
    snprintf(name, sizeof name, "U_%c", GATE_SYM[g]);
    for (l = 0; l < r->m; l++) a += par(r, name, j, l) * x[l];
    if (r->sp.peep) {
        snprintf(name, sizeof name, "p_%c", GATE_SYM[g]);
        a += par(r, name, j, 0) * peep_src[j];
    }
    if (r->sp.fgr)
        for (int s = 0; s < 3; s++) {
            snprintf(name, sizeof name, "G_%c%c", GATE_SYM[g], GATE_SYM[s]);
            for (l = 0; l < r->n; l++) a += par(r, name, j, l) * gprev[s][l];
        }
    return a;
}

static double clamped(const ref *r, int g, int j, double v) {
    return isnan(r->clamp[g][j]) ? v : r->clamp[g][j];
}

/* Runs the reference over the whole sequence; returns the loss (mean over loss steps
 * and rows). */
static double ref_run(ref *r) {
    int n = r->n, m = r->m, k = r->k, t, b, j, l, g, nloss = 0;
    double total = 0;
    for (b = 0; b < r->B; b++) {
        double cp[MAX_N], hp[MAX_N], gp[3][MAX_N];
        for (j = 0; j < n; j++) {
            cp[j] = par(r, "c0", j, 0);
            hp[j] = par(r, "h0", j, 0);
            for (g = 0; g < 3; g++) {
                char name[4] = { GATE_SYM[g], '0', 0, 0 };
                gp[g][j] = r->sp.fgr ? par(r, name, j, 0) : 0;
            }
        }
        for (t = 0; t < r->T; t++) {
            double x[MAX_M], gi[MAX_N], gf[MAX_N], go[MAX_N], z[MAX_N], c[MAX_N], h[MAX_N];
            for (l = 0; l < m; l++) x[l] = (double)r->x[((size_t)t * (size_t)r->B + (size_t)b) * (size_t)m + (size_t)l];
            for (j = 0; j < n; j++) {
                /* block input z = g(W h + U x + b) */
                double a = par(r, "b", j, 0);
                for (l = 0; l < n; l++) a += par(r, "W", j, l) * hp[l];
                for (l = 0; l < m; l++) a += par(r, "U", j, l) * x[l];
                z[j] = r->sp.lin_cand ? a : tanh(a);
                gi[j] = r->sp.has[0] ? clamped(r, 0, j, sigm(gate_sum(r, 0, j, hp, x, cp, gp))) : 1.0;
                if (r->sp.has[1])
                    gf[j] = clamped(r, 1, j, sigm(gate_sum(r, 1, j, hp, x, cp, gp)));
                else
                    gf[j] = r->sp.cifg ? 1.0 - gi[j] : 1.0;
                c[j] = z[j] * gi[j] + cp[j] * gf[j];
                if (r->nudge_which == 0 && t == r->nudge_t && b == r->nudge_b && j == r->nudge_j)
                    c[j] += r->nudge_eps;
            }
            for (j = 0; j < n; j++) {
                go[j] = r->sp.has[2] ? clamped(r, 2, j, sigm(gate_sum(r, 2, j, hp, x, c, gp))) : 1.0;
                h[j] = go[j] * (r->sp.lin_out ? c[j] : tanh(c[j]));
                if (r->nudge_which == 1 && t == r->nudge_t && b == r->nudge_b && j == r->nudge_j)
                    h[j] += r->nudge_eps;
            }
            for (j = 0; j < n; j++) {
                r->gate[0][t][b][j] = gi[j];
                r->gate[1][t][b][j] = gf[j];
                r->gate[2][t][b][j] = go[j];
                r->cand[t][b][j] = z[j];
                r->c[t][b][j] = c[j];
                r->h[t][b][j] = h[j];
                cp[j] = c[j];
                hp[j] = h[j];
                gp[0][j] = gi[j];
                gp[1][j] = gf[j];
                gp[2][j] = go[j];
            }
            for (l = 0; l < k; l++) {
                double a = par(r, "c", l, 0);
                for (j = 0; j < n; j++) a += par(r, "V", l, j) * h[j];
                r->y[t][b][l] = a;
            }
            if (r->mask[t]) {
                const gs_real *tg = r->target + ((size_t)t * (size_t)r->B + (size_t)b) * (size_t)k;
                double loss = 0;
                if (r->loss == GS_LOSS_MSE) {
                    for (l = 0; l < k; l++) loss += (r->y[t][b][l] - (double)tg[l]) * (r->y[t][b][l] - (double)tg[l]);
                    loss /= k;
                } else {
                    double mx = r->y[t][b][0], sum = 0;
                    for (l = 1; l < k; l++) mx = fmax(mx, r->y[t][b][l]);
                    for (l = 0; l < k; l++) sum += exp(r->y[t][b][l] - mx);
                    for (l = 0; l < k; l++) loss -= (double)tg[l] * (r->y[t][b][l] - mx - log(sum));
                }
                total += loss;
                nloss++;
            }
        }
    }
    return total / nloss;
}

/* ---- One random case ------------------------------------------------------------ */

typedef struct worst {
    double fwd, grad; /* max |err| / tol seen */
} worst;

static void run_case(gs_variant v, gs_rng *rng, int with_clamps, worst *w) {
    const gs_variant_info *vi = gs_variant_get(v);
    int n = 1 + gs_rng_below(rng, MAX_N), m = 1 + gs_rng_below(rng, MAX_M);
    int k = 1 + gs_rng_below(rng, MAX_K), T = 1 + gs_rng_below(rng, MAX_T);
    int B = 1 + gs_rng_below(rng, MAX_B), t, b, j, g, q, len;
    gs_model_config mc = gs_model_config_default(v, m, n, k);
    gs_model *mod = NULL;
    gs_seq *seq = NULL;
    gs_error err;
    ref *r = calloc(1, sizeof *r);
    gs_real *P;
    double loss_engine, loss_ref;
    char label[96];
    mc.seed = gs_rng_u64(rng);
    mc.init_scale = 0.3 + 1.2 * gs_rng_uniform(rng);
    CHECK(gs_model_create(&mod, &mc, &err) == GS_OK);
    CHECK(mod && gs_seq_create(&seq, mod, T, B, &err) == GS_OK);
    if (!mod || !seq || !r) goto done;
    P = gs_model_params(mod, NULL);
    for (int ti = 0; ti < gs_model_tensor_count(mod); ti++) { /* a general initial state */
        const gs_tensor *tn = gs_model_tensor(mod, ti);
        if (tn->is_state)
            for (int i = 0; i < tn->rows; i++) P[tn->offset + (size_t)i] = gs_rng_uniform(rng) - 0.5;
    }
    for (int i = 0; i < T * B * m; i++) gs_seq_inputs(seq)[i] = 2 * gs_rng_uniform(rng) - 1;
    for (t = 0; t < T; t++) {
        gs_seq_mask(seq)[t] = t == T - 1 || gs_rng_below(rng, 2);
        for (b = 0; b < B; b++) {
            gs_real *tg = gs_seq_targets(seq) + ((size_t)t * (size_t)B + (size_t)b) * (size_t)k;
            for (j = 0; j < k; j++) tg[j] = 0;
            tg[gs_rng_below(rng, k)] = 1; /* one-hot: a fine MSE target too */
        }
    }
    r->loss = gs_rng_below(rng, 2) ? GS_LOSS_XENT : GS_LOSS_MSE;
    gs_seq_set_loss(seq, r->loss);
    for (g = 0; g < 3; g++)
        for (j = 0; j < MAX_N; j++) r->clamp[g][j] = NAN;
    if (with_clamps) { /* one or two clamps: a gate, one unit or all, 0, 1 or between */
        int count = 1 + gs_rng_below(rng, 2);
        for (int c = 0; c < count; c++) {
            int gate = gs_rng_below(rng, vi->n_gates), unit = gs_rng_below(rng, n + 1) - 1;
            int kind = gs_rng_below(rng, 3), sym;
            double val = kind == 0 ? 0.0 : kind == 1 ? 1.0 : gs_rng_uniform(rng);
            CHECK(gs_model_clamp_gate(mod, gate, unit < 0 ? GS_ALL_UNITS : unit, val, &err) == GS_OK);
            sym = (int)(strchr(GATE_SYM, vi->gates[gate].symbol[0]) - GATE_SYM);
            for (j = 0; j < n; j++)
                if (unit < 0 || unit == j) r->clamp[sym][j] = (double)(gs_real)val;
        }
    }
    snprintf(label, sizeof label, "%s n=%d m=%d k=%d T=%d B=%d %s%s", vi->name, n, m, k, T, B,
             r->loss == GS_LOSS_MSE ? "mse" : "xent", with_clamps ? " clamped" : "");
    gs_seq_forward(seq, T);
    CHECK(gs_seq_backward(seq, NULL, &err) == GS_OK);
    loss_engine = gs_seq_summary_of(seq).loss;

    r->mod = mod;
    r->sp = spec_of(v);
    r->n = n;
    r->m = m;
    r->k = k;
    r->T = T;
    r->B = B;
    r->x = gs_seq_inputs(seq);
    r->target = gs_seq_targets(seq);
    r->mask = gs_seq_mask(seq);
    r->nudge_t = -1;
    loss_ref = ref_run(r);

    /* forward */
#define FWD(got, want, what)                                                                 \
    do {                                                                                     \
        double e_ = fabs((double)(got) - (want)), tol_ = FWD_TOL * (1 + fabs(want));           \
        if (e_ / tol_ > w->fwd) w->fwd = e_ / tol_;                                            \
        CHECK_MSG(e_ <= tol_, "%s: %s t=%d b=%d [%d]: engine %.17g, reference %.17g", label,   \
                  what, t + 1, b, j, (double)(got), want);                                     \
    } while (0)
    t = b = j = 0;
    FWD(loss_engine, loss_ref, "loss");
    for (t = 0; t < T; t++)
        for (b = 0; b < B; b++) {
            const gs_real *v1;
            for (g = 0; g < vi->n_gates; g++) {
                int sym = (int)(strchr(GATE_SYM, vi->gates[g].symbol[0]) - GATE_SYM);
                v1 = gs_seq_values(seq, GS_Q_GATE, g, t + 1, b, &len);
                for (j = 0; j < n; j++) FWD(v1[j], r->gate[sym][t][b][j], vi->gates[g].symbol);
                /* a clamped gate is exactly the clamp */
                for (j = 0; j < n; j++)
                    if (!isnan(r->clamp[sym][j])) CHECK(v1[j] == (gs_real)r->clamp[sym][j]);
            }
            v1 = gs_seq_values(seq, GS_Q_CAND, 0, t + 1, b, &len);
            for (j = 0; j < n; j++) FWD(v1[j], r->cand[t][b][j], "cand");
            v1 = gs_seq_values(seq, GS_Q_STATE, 0, t + 1, b, &len);
            for (j = 0; j < n; j++) FWD(v1[j], r->c[t][b][j], "c");
            v1 = gs_seq_values(seq, GS_Q_STATE, 1, t + 1, b, &len);
            for (j = 0; j < n; j++) FWD(v1[j], r->h[t][b][j], "h");
            v1 = gs_seq_values(seq, GS_Q_Y, 0, t + 1, b, &len);
            for (j = 0; j < k; j++) FWD(v1[j], r->y[t][b][j], "y");
        }
#undef FWD

    /* backward: dL/dc_t, dL/dh_t by central differences of the reference */
    for (t = 0; t < T; t++)
        for (b = 0; b < B; b++)
            for (q = 0; q < 2; q++) {
                const gs_real *d = gs_seq_values(seq, GS_Q_D_STATE, q, t + 1, b, &len);
                CHECK(d != NULL && len == n);
                for (j = 0; d && j < n; j++) {
                    double lp, lm, num, e, tol;
                    r->nudge_t = t;
                    r->nudge_b = b;
                    r->nudge_j = j;
                    r->nudge_which = q;
                    r->nudge_eps = FD_H;
                    lp = ref_run(r);
                    r->nudge_eps = -FD_H;
                    lm = ref_run(r);
                    num = (lp - lm) / (2 * FD_H);
                    e = fabs((double)d[j] - num);
                    tol = FD_ATOL + FD_RTOL * fabs(num);
                    if (e / tol > w->grad) w->grad = e / tol;
                    CHECK_MSG(e <= tol, "%s: dL/d%s t=%d b=%d [%d]: engine %.12g, reference %.12g",
                              label, q ? "h" : "c", t + 1, b, j, (double)d[j], num);
                }
            }
    r->nudge_t = -1;
done:
    free(r);
    gs_seq_destroy(seq);
    gs_model_destroy(mod);
}

int main(void) {
    static const gs_variant vs[] = { GS_PEEPHOLE, GS_LSTM, GS_NIG, GS_NFG, GS_NOG,
                                     GS_NIAF,     GS_NOAF, GS_NP,  GS_CIFG, GS_FGR };
    gs_rng rng;
    gs_rng_seed(&rng, 20151004); /* Greff et al. on arXiv, v1 */
    for (size_t i = 0; i < sizeof vs / sizeof *vs; i++) {
        worst w = { 0, 0 };
        for (int trial = 0; trial < 12; trial++) run_case(vs[i], &rng, trial % 2, &w);
        printf("%-8s 12 random cases (6 clamped): forward max err/tol %.2g, dL/dstate max "
               "err/tol %.2g\n", gs_variant_get(vs[i])->name, w.fwd, w.grad);
    }
    return check_result("test_greff_ref_f64");
}
