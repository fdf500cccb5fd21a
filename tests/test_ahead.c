/* test_ahead.c — a batch-1 seq projects the inputs of its next steps ahead (U x + b in
 * one pass over U, seq.c): what it shows is exactly what stepping each input as it
 * comes would show.  A step whose input or parameters changed after the projection is
 * projected again: writing the parameters part-way through gs_model_params, copying
 * them in, reinitialising, or writing an input not yet stepped, gives the same trace,
 * bit for bit, as a run that had those values from the start. */
#include "check.h"
#include "gatescope.h"

#include <string.h>

enum { T = 40, M = 3, N = 96, EDIT = 7, CHANGE_AT = 5 };

static gs_model *make_model(gs_variant v, uint64_t seed) {
    gs_model_config c = gs_model_config_default(v, M, N, 1);
    gs_model *mod = NULL;
    c.seed = seed;
    CHECK(gs_model_create(&mod, &c, NULL) == GS_OK);
    return mod;
}

/* inputs in [0, 1), except zeros before CHANGE_AT (there U x is 0 whatever U is) */
static gs_seq *make_seq(gs_model *mod) {
    gs_seq *s = NULL;
    gs_rng r;
    CHECK(gs_seq_create(&s, mod, T, 1, NULL) == GS_OK);
    if (!s) return NULL;
    gs_rng_seed(&r, 11);
    for (int i = 0; i < T * M; i++)
        gs_seq_inputs(s)[i] = i < CHANGE_AT * M ? (gs_real)0 : (gs_real)gs_rng_uniform(&r);
    for (int t = 0; t < T; t++) {
        gs_seq_targets(s)[t] = (gs_real)0.5;
        gs_seq_mask(s)[t] = 1;
    }
    gs_seq_rewind(s);
    return s;
}

/* every state, gate and readout of every step of a and b: the same bits */
static int same_trace(const gs_seq *a, const gs_seq *b) {
    int steps = gs_seq_summary_of(a).steps, len, len2;
    if (steps != gs_seq_summary_of(b).steps) return 0;
    for (int t = 1; t <= steps; t++) {
        const gs_quantity qs[] = { GS_Q_STATE, GS_Q_GATE, GS_Q_CAND, GS_Q_Y };
        for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++)
            for (int i = 0; i < 3; i++) {
                const gs_real *u = gs_seq_values(a, qs[q], i, t, 0, &len);
                const gs_real *w = gs_seq_values(b, qs[q], i, t, 0, &len2);
                if (!u != !w) return 0;
                if (u && (len != len2 || memcmp(u, w, sizeof(gs_real) * (size_t)len) != 0)) return 0;
            }
    }
    return 1;
}

/* U (the input columns of every matrix) scaled: what the steps after CHANGE_AT see */
static void scale_inputs_weights(gs_model *mod, gs_real *P) {
    for (int i = 0; i < gs_model_tensor_count(mod); i++) {
        const gs_tensor *t = gs_model_tensor(mod, i);
        if (t->name[0] == 'U')
            for (int r = 0; r < t->rows; r++)
                for (int c = 0; c < t->cols; c++) P[t->offset + (size_t)(r * t->ld + c)] *= (gs_real)1.5;
    }
}

static void test_variant(gs_variant v) {
    const char *name = gs_variant_get(v)->name;
    gs_model *ref_m = make_model(v, 3), *m = make_model(v, 3), *other = make_model(v, 3);
    gs_seq *ref = make_seq(ref_m), *s = make_seq(m);
    if (!ref || !s) goto done;

    /* one call or one step at a time: the same */
    gs_seq_forward(ref, T);
    for (int t = 0; t < T; t++) gs_seq_forward(s, 1);
    CHECK_MSG(same_trace(ref, s), "%s: T steps in one call and one by one differ", name);

    /* the parameters written part-way (through a fresh gs_model_params) */
    scale_inputs_weights(ref_m, gs_model_params(ref_m, NULL));
    gs_seq_rewind(ref);
    gs_seq_forward(ref, T);
    gs_seq_rewind(s);
    gs_seq_forward(s, CHANGE_AT);
    scale_inputs_weights(m, gs_model_params(m, NULL));
    gs_seq_forward(s, T);
    CHECK_MSG(same_trace(ref, s), "%s: parameters written after step %d are not seen", name,
              CHANGE_AT);

    /* copied in part-way (gs_model_copy_params), and back (reinit) */
    scale_inputs_weights(other, gs_model_params(other, NULL));
    {
        gs_model_config c = *gs_model_config_of(m);
        CHECK(gs_model_reinit(m, &c, NULL) == GS_OK);
    }
    gs_seq_rewind(s);
    gs_seq_forward(s, CHANGE_AT);
    CHECK(gs_model_copy_params(m, other, NULL) == GS_OK);
    gs_seq_forward(s, T);
    CHECK_MSG(same_trace(ref, s), "%s: parameters copied in after step %d are not seen", name,
              CHANGE_AT);

    /* an input not yet stepped, written part-way */
    gs_seq_rewind(s);
    gs_seq_forward(s, CHANGE_AT);
    gs_seq_inputs(s)[EDIT * M + 1] = (gs_real)-2;
    gs_seq_forward(s, T);
    gs_seq_inputs(ref)[EDIT * M + 1] = (gs_real)-2;
    gs_seq_rewind(ref);
    gs_seq_forward(ref, T);
    CHECK_MSG(same_trace(ref, s), "%s: an input written before its step is not seen", name);
done:
    gs_seq_destroy(ref);
    gs_seq_destroy(s);
    gs_model_destroy(ref_m);
    gs_model_destroy(m);
    gs_model_destroy(other);
}

int main(void) {
    /* N = 96, M = 3: [W U] is 384 x 99 (lstm), 288 x 99 (the GRUs) floats, its transposed
       copy two panels (lstm) or one and a part; peephole and cifg share the lstm's kernel */
    const gs_variant vs[] = { GS_LSTM, GS_GRU_RA, GS_GRU, GS_PEEPHOLE };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) test_variant(vs[i]);
    return check_result("test_ahead");
}
