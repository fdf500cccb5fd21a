/* test_clamp.c — gate clamps on the float engine (what the app runs): the argument
 * checks; for every variant with gates and every gate, that the clamped gate's
 * values are exactly the clamp at every step and row and its own weights get no
 * gradient, and that removing the clamp restores the whole trace (every value, every
 * stat, every gradient) bit for bit; that clone, reinit and copy_params keep clamps;
 * and that a vanilla (peephole) LSTM with its input, forget or output gate clamped
 * open computes exactly what nig, nfg or nog computes with the same weights.
 * (The finite-difference check of clamped models is in test_gradcheck_f64.c.) */
#include "check.h"
#include "gatescope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 5, M = 3, K = 2, T = 9 };

static gs_model *make(gs_variant v, uint64_t seed) {
    gs_model_config mc = gs_model_config_default(v, M, N, K);
    gs_model *m = NULL;
    mc.seed = seed;
    mc.init_scale = 0.9;
    CHECK(gs_model_create(&m, &mc, NULL) == GS_OK);
    return m;
}

static gs_seq *make_seq(gs_model *m, int B, uint64_t seed) {
    gs_seq *s = NULL;
    gs_rng r;
    CHECK(gs_seq_create(&s, m, T, B, NULL) == GS_OK);
    if (!s) return NULL;
    gs_rng_seed(&r, seed);
    for (int i = 0; i < T * B * M; i++) gs_seq_inputs(s)[i] = (gs_real)(2 * gs_rng_uniform(&r) - 1);
    for (int i = 0; i < T * B * K; i++) gs_seq_targets(s)[i] = (gs_real)gs_rng_uniform(&r);
    for (int t = 0; t < T; t++) gs_seq_mask(s)[t] = (unsigned char)(t % 3 == 2 || t == T - 1);
    return s;
}

/* Everything a run leaves: every quantity of every step and row, the stats, the
 * summary's numbers and the model's gradients, as bytes. */
typedef struct trace {
    unsigned char *bytes;
    size_t len, cap;
} trace;

static void put(trace *tr, const void *p, size_t n) {
    if (!p || !n) return;
    if (tr->len + n > tr->cap) {
        tr->cap = 2 * (tr->len + n);
        tr->bytes = realloc(tr->bytes, tr->cap);
        if (!tr->bytes) exit(2);
    }
    memcpy(tr->bytes + tr->len, p, n);
    tr->len += n;
}

static trace run(gs_seq *s, gs_model *m, int B) {
    const gs_variant_info *vi = gs_variant_get(gs_model_config_of(m)->variant);
    gs_backward_opts bo = { 0 };
    trace tr = { NULL, 0, 0 };
    gs_seq_summary su;
    size_t np;
    int len;
    bo.jacobian = 1;
    gs_seq_rewind(s);
    CHECK(gs_seq_forward(s, T) == T);
    CHECK(gs_seq_backward(s, &bo, NULL) == GS_OK);
    for (int t = 1; t <= T; t++) {
        for (int b = 0; b < B; b++) {
            const gs_real *v;
            for (int g = 0; g < vi->n_gates; g++) {
                v = gs_seq_values(s, GS_Q_GATE, g, t, b, &len);
                put(&tr, v, sizeof *v * (size_t)len);
            }
            for (int q = 0; q < vi->n_states; q++) {
                v = gs_seq_values(s, GS_Q_STATE, q, t, b, &len);
                put(&tr, v, sizeof *v * (size_t)len);
                v = gs_seq_values(s, GS_Q_D_STATE, q, t, b, &len);
                put(&tr, v, sizeof *v * (size_t)len);
            }
            v = gs_seq_values(s, GS_Q_CAND, 0, t, b, &len);
            put(&tr, v, sizeof *v * (size_t)len);
            v = gs_seq_values(s, GS_Q_OUT, 0, t, b, &len);
            put(&tr, v, sizeof *v * (size_t)len);
            v = gs_seq_values(s, GS_Q_Y, 0, t, b, &len);
            put(&tr, v, sizeof *v * (size_t)len);
            v = gs_seq_values(s, GS_Q_D_X, 0, t, b, &len);
            put(&tr, v, sizeof *v * (size_t)len);
        }
        put(&tr, gs_seq_stats(s, t), sizeof(gs_step_stats));
    }
    su = gs_seq_summary_of(s);
    put(&tr, &su.loss, sizeof su.loss);
    put(&tr, &su.grad_norm, sizeof su.grad_norm);
    {
        const gs_real *G = gs_model_grads_const(m, &np);
        put(&tr, G, sizeof(gs_real) * np);
    }
    return tr;
}

static int same(const trace *a, const trace *b) {
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* 1 if tensor `name` feeds gate `sym` alone (W_g, U_g, b_g, b_ig, b_hg, p_g, G_g*). */
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

/* ---- Arguments ---------------------------------------------------------------------- */

static void test_arguments(void) {
    gs_model *rnn = make(GS_RNN, 1), *lstm = make(GS_LSTM, 2), *nig = make(GS_NIG, 3);
    gs_error e;
    double v = -1;
    CHECK(gs_model_clamp_gate(rnn, 0, GS_ALL_UNITS, 1.0, &e) == GS_ERR_ARG);
    CHECK(strstr(e.msg, "rnn has no gates") != NULL);
    CHECK(gs_model_clamp_gate(lstm, 3, 0, 1.0, &e) == GS_ERR_ARG);
    CHECK_MSG(strstr(e.msg, "lstm has no gate 3 (its gates are 0..2, i, f, o)") != NULL, "%s", e.msg);
    CHECK(gs_model_clamp_gate(nig, 2, 0, 1.0, &e) == GS_ERR_ARG);
    CHECK_MSG(strstr(e.msg, "nig has no gate 2 (its gates are 0..1, f, o)") != NULL, "%s", e.msg);
    CHECK(gs_model_clamp_gate(lstm, -1, 0, 1.0, &e) == GS_ERR_ARG);
    CHECK(gs_model_clamp_gate(lstm, 0, N, 1.0, &e) == GS_ERR_ARG);
    CHECK(strstr(e.msg, "no unit 5") != NULL);
    CHECK(gs_model_clamp_gate(lstm, 0, -2, 1.0, &e) == GS_ERR_ARG);
    CHECK(gs_model_clamp_gate(lstm, 0, 0, 1.5, &e) == GS_ERR_ARG);
    CHECK(strstr(e.msg, "from 0 to 1") != NULL);
    CHECK(gs_model_clamp_gate(lstm, 0, 0, -0.01, NULL) == GS_ERR_ARG);
    CHECK(gs_model_clamp_gate(lstm, 0, 0, NAN, NULL) == GS_ERR_ARG);
    CHECK(gs_model_clamp_gate(NULL, 0, 0, 1.0, NULL) == GS_ERR_ARG);
    CHECK(gs_model_clamp_count(lstm) == 0 && gs_model_clamp_count(NULL) == 0);
    CHECK(!gs_model_gate_clamped(lstm, 0, 0, &v) && v == -1);
    /* nothing clamped yet: unclamping is not an error; bad indices are */
    CHECK(gs_model_unclamp_gate(lstm, -1, GS_ALL_UNITS, &e) == GS_OK);
    CHECK(gs_model_unclamp_gate(rnn, -1, GS_ALL_UNITS, &e) == GS_OK);
    CHECK(gs_model_unclamp_gate(lstm, 4, GS_ALL_UNITS, &e) == GS_ERR_ARG);
    CHECK(gs_model_unclamp_gate(lstm, 0, 9, &e) == GS_ERR_ARG);
    /* the bookkeeping */
    CHECK(gs_model_clamp_gate(lstm, 1, GS_ALL_UNITS, 1.0, &e) == GS_OK);
    CHECK(gs_model_clamp_gate(lstm, 2, 3, 0.25, &e) == GS_OK);
    CHECK(gs_model_clamp_gate(lstm, 2, 3, 0.0, &e) == GS_OK); /* a second clamp replaces */
    CHECK(gs_model_clamp_count(lstm) == N + 1);
    CHECK(gs_model_gate_clamped(lstm, 1, 4, &v) && v == 1.0);
    CHECK(gs_model_gate_clamped(lstm, 2, 3, &v) && v == 0.0);
    CHECK(gs_model_gate_clamped(lstm, 2, 3, NULL));
    CHECK(!gs_model_gate_clamped(lstm, 2, 2, NULL) && !gs_model_gate_clamped(lstm, 0, 3, NULL));
    CHECK(!gs_model_gate_clamped(lstm, 3, 0, NULL) && !gs_model_gate_clamped(lstm, 1, N, NULL));
    CHECK(gs_model_unclamp_gate(lstm, 1, 0, &e) == GS_OK);
    CHECK(gs_model_clamp_count(lstm) == N && !gs_model_gate_clamped(lstm, 1, 0, NULL));
    CHECK(gs_model_unclamp_gate(lstm, -1, 3, &e) == GS_OK);
    CHECK(gs_model_clamp_count(lstm) == N - 2); /* gate 1 and gate 2 of unit 3 */
    CHECK(gs_model_unclamp_gate(lstm, -1, GS_ALL_UNITS, &e) == GS_OK);
    CHECK(gs_model_clamp_count(lstm) == 0);
    gs_model_destroy(rnn);
    gs_model_destroy(lstm);
    gs_model_destroy(nig);
}

/* ---- Exact values, no gradient, bit-for-bit restore --------------------------------- */

static void test_variant(gs_variant v, int B) {
    const gs_variant_info *vi = gs_variant_get(v);
    static const double values[] = { 1.0, 0.0, 0.3 };
    gs_model *m = make(v, 40 + (uint64_t)v);
    gs_seq *s = make_seq(m, B, 7);
    trace base, again;
    if (!m || !s) goto done;
    base = run(s, m, B);
    for (int g = 0; g < vi->n_gates; g++)
        for (int c = 0; c < 3; c++) {
            int unit = c == 2 ? 1 : GS_ALL_UNITS, len, bad = 0, zero = 1;
            gs_real want = (gs_real)values[c];
            trace cl;
            CHECK(gs_model_clamp_gate(m, g, unit, values[c], NULL) == GS_OK);
            cl = run(s, m, B);
            CHECK_MSG(!same(&cl, &base), "%s: clamping gate %s changed nothing", vi->name,
                      vi->gates[g].symbol);
            for (int t = 1; t <= T; t++)
                for (int b = 0; b < B; b++) {
                    const gs_real *gv = gs_seq_values(s, GS_Q_GATE, g, t, b, &len);
                    for (int j = 0; j < len; j++)
                        if ((unit == GS_ALL_UNITS || unit == j) && gv[j] != want) bad++;
                }
            CHECK_MSG(bad == 0, "%s B=%d: gate %s clamped to %g: %d values differ", vi->name, B,
                      vi->gates[g].symbol, values[c], bad);
            if (unit == GS_ALL_UNITS) { /* the gate's own weights get exactly nothing */
                const gs_real *G = gs_model_grads_const(m, NULL);
                for (int ti = 0; ti < gs_model_tensor_count(m); ti++) {
                    const gs_tensor *tn = gs_model_tensor(m, ti);
                    if (!feeds_gate(tn->name, vi->gates[g].symbol)) continue;
                    for (int r = 0; r < tn->rows; r++)
                        for (int k = 0; k < tn->cols; k++)
                            zero &= G[tn->offset + (size_t)r * (size_t)tn->ld + (size_t)k] == 0;
                }
                CHECK_MSG(zero, "%s B=%d: gate %s clamped, yet its weights have a gradient",
                          vi->name, B, vi->gates[g].symbol);
            }
            CHECK(gs_model_unclamp_gate(m, g, GS_ALL_UNITS, NULL) == GS_OK);
            CHECK(gs_model_clamp_count(m) == 0);
            again = run(s, m, B);
            CHECK_MSG(same(&again, &base), "%s B=%d: gate %s unclamped: the trace differs",
                      vi->name, B, vi->gates[g].symbol);
            free(cl.bytes);
            free(again.bytes);
        }
    /* several clamps at once, freed all at once */
    for (int g = 0; g < vi->n_gates; g++)
        CHECK(gs_model_clamp_gate(m, g, g % N, 0.5, NULL) == GS_OK);
    again = run(s, m, B);
    free(again.bytes);
    CHECK(gs_model_unclamp_gate(m, -1, GS_ALL_UNITS, NULL) == GS_OK);
    again = run(s, m, B);
    CHECK_MSG(same(&again, &base), "%s B=%d: all unclamped: the trace differs", vi->name, B);
    free(again.bytes);
    free(base.bytes);
done:
    gs_seq_destroy(s);
    gs_model_destroy(m);
}

/* ---- Clones and re-initialisation keep the setting ------------------------------------ */

static void test_copies(void) {
    gs_model *a = make(GS_PEEPHOLE, 9), *b = NULL, *c = make(GS_PEEPHOLE, 10);
    gs_model_config mc = *gs_model_config_of(a);
    gs_seq *sa, *sb;
    trace ta, tb;
    double v;
    CHECK(gs_model_clamp_gate(a, 1, GS_ALL_UNITS, 1.0, NULL) == GS_OK);
    CHECK(gs_model_clamp_gate(a, 0, 2, 0.0, NULL) == GS_OK);
    CHECK(gs_model_clone(&b, a, NULL) == GS_OK);
    CHECK(b && gs_model_clamp_count(b) == N + 1 && gs_model_gate_clamped(b, 0, 2, &v) && v == 0);
    sa = make_seq(a, 1, 3);
    sb = make_seq(b, 1, 3);
    ta = run(sa, a, 1);
    tb = run(sb, b, 1);
    CHECK(same(&ta, &tb)); /* the clone computes the same clamped model */
    free(ta.bytes);
    free(tb.bytes);
    CHECK(gs_model_unclamp_gate(b, -1, GS_ALL_UNITS, NULL) == GS_OK);
    CHECK(gs_model_clamp_count(a) == N + 1); /* the clone's table is its own */
    mc.seed = 77;
    CHECK(gs_model_reinit(a, &mc, NULL) == GS_OK);
    CHECK(gs_model_clamp_count(a) == N + 1);
    CHECK(gs_model_copy_params(a, c, NULL) == GS_OK);
    CHECK(gs_model_clamp_count(a) == N + 1 && gs_model_clamp_count(c) == 0);
    gs_seq_destroy(sa);
    gs_seq_destroy(sb);
    gs_model_destroy(a);
    gs_model_destroy(b);
    gs_model_destroy(c);
}

/* ---- A clamped gate is the ablation --------------------------------------------------- */

/* peephole with gate `gate` clamped open (1 everywhere) against `ablation` holding
 * the same weights: every value at every step, and the gradient of every tensor they
 * share, must be equal.  At batch 1 exactly (==): the engine's own kernels do the same
 * operations, up to adding exact zeros (the clamped gate's D rows).  At batch 3
 * OpenBLAS multiplies matrices of different shapes, which it may block differently:
 * float round-off, |a - b| <= 1e-5 (1 + |b|). */
static int differ(gs_real a, gs_real b, int B) {
    return B == 1 ? a != b : !(fabs((double)a - (double)b) <= 1e-5 * (1 + fabs((double)b)));
}

static void test_is_ablation(int gate, gs_variant ablation, int B) {
    gs_model *pe = make(GS_PEEPHOLE, 21), *ab = make(ablation, 22);
    gs_seq *sp = NULL, *sa = NULL;
    const gs_variant_info *vp = gs_variant_get(GS_PEEPHOLE), *va = gs_variant_get(ablation);
    gs_real *Pa;
    const gs_real *Pp, *Gp, *Ga;
    int mismatches = 0, len, len2, shared = 0;
    if (!pe || !ab) goto done;
    Pp = gs_model_params_const(pe, NULL);
    Pa = gs_model_params(ab, NULL);
    for (int i = 0; i < gs_model_tensor_count(ab); i++) { /* ab's weights := pe's */
        const gs_tensor *ta = gs_model_tensor(ab, i), *tp = gs_model_find_tensor(pe, ta->name);
        CHECK_MSG(tp != NULL, "peephole has no %s", ta->name);
        if (!tp) continue;
        for (int r = 0; r < ta->rows; r++)
            for (int c = 0; c < ta->cols; c++)
                Pa[ta->offset + (size_t)r * (size_t)ta->ld + (size_t)c] =
                    Pp[tp->offset + (size_t)r * (size_t)tp->ld + (size_t)c];
    }
    CHECK(gs_model_clamp_gate(pe, gate, GS_ALL_UNITS, 1.0, NULL) == GS_OK);
    sp = make_seq(pe, B, 5);
    sa = make_seq(ab, B, 5);
    if (!sp || !sa) goto done;
    gs_seq_forward(sp, T);
    gs_seq_forward(sa, T);
    CHECK(gs_seq_backward(sp, NULL, NULL) == GS_OK);
    CHECK(gs_seq_backward(sa, NULL, NULL) == GS_OK);
    for (int t = 1; t <= T; t++)
        for (int b = 0; b < B; b++) {
            static const gs_quantity qs[] = { GS_Q_CAND, GS_Q_OUT, GS_Q_Y, GS_Q_D_X };
            for (int q = 0; q < 2; q++) {
                const gs_real *x = gs_seq_values(sp, GS_Q_STATE, q, t, b, &len);
                const gs_real *y = gs_seq_values(sa, GS_Q_STATE, q, t, b, &len2);
                for (int j = 0; j < len; j++) mismatches += differ(x[j], y[j], B);
                x = gs_seq_values(sp, GS_Q_D_STATE, q, t, b, &len);
                y = gs_seq_values(sa, GS_Q_D_STATE, q, t, b, &len2);
                for (int j = 0; j < len; j++) mismatches += differ(x[j], y[j], B);
            }
            for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
                const gs_real *x = gs_seq_values(sp, qs[q], 0, t, b, &len);
                const gs_real *y = gs_seq_values(sa, qs[q], 0, t, b, &len2);
                for (int j = 0; j < len; j++) mismatches += differ(x[j], y[j], B);
            }
            for (int g = 0; g < va->n_gates; g++) { /* the gates both have */
                int gp = -1;
                for (int k = 0; k < vp->n_gates; k++)
                    if (strcmp(vp->gates[k].symbol, va->gates[g].symbol) == 0) gp = k;
                const gs_real *x = gs_seq_values(sp, GS_Q_GATE, gp, t, b, &len);
                const gs_real *y = gs_seq_values(sa, GS_Q_GATE, g, t, b, &len2);
                for (int j = 0; j < len; j++) mismatches += differ(x[j], y[j], B);
            }
        }
    Gp = gs_model_grads_const(pe, NULL);
    Ga = gs_model_grads_const(ab, NULL);
    for (int i = 0; i < gs_model_tensor_count(ab); i++) {
        const gs_tensor *ta = gs_model_tensor(ab, i), *tp = gs_model_find_tensor(pe, ta->name);
        if (!tp) continue;
        shared++;
        for (int r = 0; r < ta->rows; r++)
            for (int c = 0; c < ta->cols; c++)
                mismatches += differ(Ga[ta->offset + (size_t)r * (size_t)ta->ld + (size_t)c],
                                     Gp[tp->offset + (size_t)r * (size_t)tp->ld + (size_t)c], B);
    }
    CHECK(shared == gs_model_tensor_count(ab));
    CHECK_MSG(mismatches == 0, "peephole with %s = 1 vs %s (B=%d): %d values differ",
              vp->gates[gate].symbol, va->name, B, mismatches);
    printf("peephole with %s clamped to 1 == %-4s (B=%d): %s\n", vp->gates[gate].symbol, va->name,
           B, mismatches ? "DIFFERS" : B == 1 ? "every value and gradient equal, bit for bit"
                                              : "every value and gradient equal to 1e-5");
done:
    gs_seq_destroy(sp);
    gs_seq_destroy(sa);
    gs_model_destroy(pe);
    gs_model_destroy(ab);
}

int main(void) {
    test_arguments();
    for (int v = 0; v < GS_VARIANT_COUNT; v++)
        if (gs_variant_get((gs_variant)v)->n_gates > 0) {
            test_variant((gs_variant)v, 1);
            test_variant((gs_variant)v, 3);
        }
    test_copies();
    for (int B = 1; B <= 3; B += 2) {
        test_is_ablation(0, GS_NIG, B);
        test_is_ablation(1, GS_NFG, B);
        test_is_ablation(2, GS_NOG, B);
    }
    return check_result("test_clamp");
}
