/* cell_lstm.c — the basic LSTM, and the core it shares with the peephole LSTM:
 *   i = σ(W_i h + U_i x + [p_i ⊙ c_{t-1}] + b_i)    f = σ(W_f h + U_f x + [p_f ⊙ c_{t-1}] + b_f)
 *   c̃ = φ(W h + U x + b)      c_t = f ⊙ c_{t-1} + i ⊙ c̃
 *   o = σ(W_o h + U_o x + [p_o ⊙ c_t] + b_o)        h_t = o ⊙ φ(c_t),  output h_t
 * (bracketed terms only with peepholes).  A = [W_i U_i; W_f U_f; W_o U_o; W U] (4n, n+m).
 * State rows are (c, h).  Record: gates i,f,o (3n) | c̃ (n) | zin = [h_{t-1}; x] |
 * extra: φ(c_t) (n).  D: i, f, o, c̃ (4n). */
#include "internal.h"

#include <string.h>

void gs__lstm_core_layout(gs__layout *L, int peep) {
    static const char *const syms[] = { "i", "f", "o", "" };
    static const char *const states[] = { "c", "h" };
    int n = L->n, m = L->m;
    L->S = 2;
    gs__layout_begin(L, 4, syms);
    if (peep) {
        gs__layout_add_vector(L, "p_i", L->extra, n);
        gs__layout_add_vector(L, "p_f", L->extra + (size_t)n, n);
        gs__layout_add_vector(L, "p_o", L->extra + (size_t)(2 * n), n);
    }
    gs__layout_end(L, states);
    L->r_gates = 0;
    L->r_cand = 3 * n;
    L->r_zin = 4 * n;
    L->r_zin2 = -1;
    L->r_extra = 4 * n + (n + m);
    L->rec = 5 * n + (n + m);
    L->dlen = 4 * n;
    L->n_groups = 1;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = 4 * n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)L->bias,
    };
}

void gs__lstm_core_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                           gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                           const gs_real *x, int peep) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    const gs_real *p = P + L->extra; /* p_i, p_f, p_o when peep */
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *zin = row + L->r_zin;
        memcpy(zin, prev + b * 2 * n + n, sizeof(gs_real) * (size_t)n); /* h_{t-1} */
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        memcpy(row + L->r_gates, P + L->bias, sizeof(gs_real) * (size_t)(4 * n));
    }
    gs__mm_nt(rec + L->r_gates, R, rec + L->r_zin, R, P + L->A, (int)L->lda, B, 4 * n, n + m,
              GS_R(1.0));
    /* simple loops over contiguous runs, so that they vectorize */
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *g = row + L->r_gates, *cand = row + L->r_cand;
        gs_real *tc = row + L->r_extra, *c = st + b * 2 * n, *h = c + n;
        const gs_real *cp = prev + b * 2 * n;
        if (peep)
            for (j = 0; j < n; j++) {
                g[j] += p[j] * cp[j];
                g[n + j] += p[n + j] * cp[j];
            }
        gs__sigmoid_v(g, 2 * n); /* i, f */
        gs__tanh_v(cand, n);
        for (j = 0; j < n; j++) c[j] = g[n + j] * cp[j] + g[j] * cand[j];
        if (peep)
            for (j = 0; j < n; j++) g[2 * n + j] += p[2 * n + j] * c[j];
        gs__sigmoid_v(g + 2 * n, n); /* o */
        gs__tanh_to(tc, c, n);
        for (j = 0; j < n; j++) h[j] = g[2 * n + j] * tc[j];
        memcpy(out + b * n, h, sizeof(gs_real) * (size_t)n);
    }
}

/* dst rows (dc, dh) come in as seen from outside the step; dc is replaced by the
 * total dL/dc_t (through h_t and, with peepholes, through o_t). */
void gs__lstm_core_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                            gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                            const gs_real *rec, const gs_real *st, const gs_real *prev,
                            int peep) {
    int n = d->n, B = d->B, R = d->rec, b, j;
    const gs_real *p = P + L->extra;
    gs_real *gp = G ? G + L->extra : NULL;
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *g = row + L->r_gates, *cand = row + L->r_cand;
        const gs_real *tc = row + L->r_extra, *cp = prev + b * 2 * n, *c = st + b * 2 * n;
        gs_real *dc = dst + b * 2 * n, *dh = dc + n;
        gs_real *Db = D + b * d->dlen, *dcp = dprev + b * 2 * n;
        for (j = 0; j < n; j++) {
            gs_real i = g[j], f = g[n + j], o = g[2 * n + j], gg = cand[j];
            gs_real Do = dh[j] * tc[j] * o * (GS_R(1.0) - o);
            gs_real dct = dc[j] + dh[j] * o * (GS_R(1.0) - tc[j] * tc[j]);
            gs_real Di, Df;
            if (peep) dct += Do * p[2 * n + j];
            dc[j] = dct;
            Di = dct * gg * i * (GS_R(1.0) - i);
            Df = dct * cp[j] * f * (GS_R(1.0) - f);
            Db[j] = Di;
            Db[n + j] = Df;
            Db[2 * n + j] = Do;
            Db[3 * n + j] = dct * i * (GS_R(1.0) - gg * gg);
            dcp[j] = dct * f;
            if (peep) {
                dcp[j] += Di * p[j] + Df * p[n + j];
                if (gp) {
                    gp[j] += Di * cp[j];
                    gp[n + j] += Df * cp[j];
                    gp[2 * n + j] += Do * c[j];
                }
            }
        }
    }
    /* [dh_{t-1} dx] = D · [W U] */
    gs__mm_nn(d->work, n + d->m, D, d->dlen, P + L->A, (int)L->lda, B, 4 * n, n + d->m,
              GS_R(0.0));
    gs__split_rows(d, d->work, dprev + n, 2 * n, dx, 0);
}

void gs__lstm_layout(gs__layout *L) { gs__lstm_core_layout(L, 0); }

void gs__lstm_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                      gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                      const gs_real *x) {
    gs__lstm_core_forward(d, L, P, rec, st, out, prev, x, 0);
}

void gs__lstm_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                       gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                       const gs_real *rec, const gs_real *st, const gs_real *prev,
                       const gs_real *x) {
    gs__lstm_core_backward(d, L, P, G, dst, D, dprev, dx, rec, st, prev, 0);
    (void)x;
}
