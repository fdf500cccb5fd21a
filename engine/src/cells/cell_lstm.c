/* cell_lstm.c — the LSTM core (layout and forward; backward in cell_lstm_back.c) that
 * runs the basic LSTM, the peephole LSTM and Greff et al.'s eight ablations, and the
 * basic LSTM's layout.  With every option (GS__LSTM_*) at its default:
 *   i = σ(W_i h + U_i x + [p_i ⊙ c_{t-1}] + [G_i· g_{t-1}] + b_i)
 *   f = σ(W_f h + U_f x + [p_f ⊙ c_{t-1}] + [G_f· g_{t-1}] + b_f)
 *   c̃ = φ(W h + U x + b)          c_t = f ⊙ c_{t-1} + i ⊙ c̃
 *   o = σ(W_o h + U_o x + [p_o ⊙ c_t] + [G_o· g_{t-1}] + b_o)    h_t = o ⊙ φ(c_t)
 * (h = h_{t-1}; bracketed terms with peepholes / full gate recurrence, where
 * g_{t-1} = [i; f; o]_{t-1}).  The options remove a gate (its value is then 1, or
 * 1 - i for cifg's f), or drop the φ of the candidate or of the output.
 * A = [W_g U_g per gate there is, in the order i, f, o; W U] ((ng+1) n, n+m).
 * Parameters after the biases: p_g per gate (peepholes), then fgr's block
 * G = [G_<gate><source>] (ng n, ng n), row block = the gate, column block = the source.
 * States: (c, h), and for fgr the gates g_t too (read by the next step).
 * Record: gates (ng n) | c̃ (n) | [forget factor (n) when there is no forget gate] |
 * zin = [h_{t-1}; x] | φ(c_t) (n; c_t itself without the output φ).
 * D: the gates' pre-activation gradients, then c̃'s ((ng+1) n). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* ---- Layout ---------------------------------------------------------------------- */

void gs__lstm_core_layout(gs__layout *L, int flags) {
    static const char *const gate_syms[] = { "i", "f", "o" };
    const char *syms[4], *states[2 + GS_MAX_GATES];
    char name[16];
    int n = L->n, m = L->m, ng = 0, k, s;
    gs__lstm_slots q;
    for (k = 0; k < 3; k++)
        if (gs__lstm_has_gate(flags, k)) syms[ng++] = gate_syms[k];
    syms[ng] = ""; /* the candidate: W, U, b */
    states[0] = "c";
    states[1] = "h";
    for (k = 0; k < ng; k++) states[2 + k] = syms[k]; /* fgr: i0, f0, o0 */
    L->flags = flags;
    L->S = 2 + (flags & GS__LSTM_FGR ? ng : 0);
    gs__layout_begin(L, ng + 1, syms);
    L->r_cand = ng * n; /* gs__lstm_slots_of reads it */
    q = gs__lstm_slots_of(L);
    if (flags & GS__LSTM_PEEP)
        for (k = 0; k < ng; k++) {
            snprintf(name, sizeof name, "p_%s", syms[k]);
            gs__layout_add_vector(L, name, L->extra + (size_t)(k * n), n);
        }
    if (flags & GS__LSTM_FGR)
        for (k = 0; k < ng; k++)
            for (s = 0; s < ng; s++) {
                int ld = ng * n;
                snprintf(name, sizeof name, "G_%s%s", syms[k], syms[s]);
                gs__layout_add_matrix(L, name, q.G + (size_t)(k * n) * (size_t)ld + (size_t)(s * n),
                                      n, n, ld);
            }
    gs__layout_end(L, states);
    L->r_gates = 0;
    L->r_zin = (ng + 1 + (q.fe >= 0 ? 1 : 0)) * n;
    L->r_zin2 = -1;
    L->r_extra = L->r_zin + (n + m);
    L->rec = L->r_extra + n;
    L->dlen = (ng + 1) * n;
    L->xp = (ng + 1) * n; /* U x + b of every row block: the driver may do it ahead */
    L->xp_d = 0;
    L->xp_bias = L->bias;
    L->n_groups = 1;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = (ng + 1) * n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)L->bias,
    };
}

void gs__lstm_layout(gs__layout *L) { gs__lstm_core_layout(L, 0); }

/* ---- Forward --------------------------------------------------------------------- */

GS__CLONES void gs__lstm_core_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                           gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                           const gs_real *x) {
    const gs__lstm_slots q = gs__lstm_slots_of(L);
    int n = d->n, m = d->m, B = d->B, R = d->rec, Sn = L->S * n, flags = L->flags, b, j, k;
    int peep = flags & GS__LSTM_PEEP, rows = (q.ng + 1) * n;
    int nif = (q.i >= 0) + (q.f >= 0), nsig; /* gates before c_t: i, f lead the run */
    const gs_real *p = P + L->extra;   /* p_g at the gate's slot, when peep */
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *zin = row + L->r_zin;
        memcpy(zin, prev + b * Sn + n, sizeof(gs_real) * (size_t)n); /* h_{t-1} */
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        /* gates, c̃: b, or U x + b when the driver projected the inputs (then only W h here) */
        memcpy(row + L->r_gates, d->xp ? d->xp + b * rows : P + L->bias,
               sizeof(gs_real) * (size_t)rows);
    }
    gs__cell_mm_zin(d, L, P, rec + L->r_gates, R, rec + L->r_zin, R, 0, rows);
    if (flags & GS__LSTM_FGR) /* += G · [i; f; o]_{t-1}, the gates the state carries */
        gs__mm_nt(rec + L->r_gates, R, prev + 2 * n, Sn, P + q.G, q.ng * n, B, q.ng * n,
                  q.ng * n, GS_R(1.0));
    /* simple loops over contiguous runs, so that they vectorize */
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *g = row + L->r_gates, *cand = row + L->r_cand;
        gs_real *tc = row + L->r_extra, *c = st + b * Sn, *h = c + n;
        const gs_real *cp = prev + b * Sn, *fe;
        if (peep && q.i >= 0)
            for (j = 0; j < n; j++) g[q.i + j] += p[q.i + j] * cp[j];
        if (peep && q.f >= 0)
            for (j = 0; j < n; j++) g[q.f + j] += p[q.f + j] * cp[j];
        /* i, f (and o when no peephole reads c_t: o follows them); tanh of c̃ first: c_t
           waits for it, and c̃'s rows are the product's last (measured: 3-4 % off the
           H = 32 step, against σ first) */
        nsig = nif + (q.o >= 0 && !peep);
        if (!(flags & GS__LSTM_LIN_CAND)) gs__tanh_v(cand, n);
        gs__sigmoid_v(g, nsig * n);
        for (k = 0; k < nsig; k++) gs__clamp_forward(L, k, g + k * n);
        if (q.f >= 0) {
            fe = g + q.f;
        } else { /* no forget gate: the forget factor is 1 (nfg) or 1 - i (cifg) */
            gs_real *w = row + q.fe;
            if (flags & GS__LSTM_CIFG)
                for (j = 0; j < n; j++) w[j] = GS_R(1.0) - g[q.i + j];
            else
                for (j = 0; j < n; j++) w[j] = GS_R(1.0);
            fe = w;
        }
        if (q.i >= 0)
            for (j = 0; j < n; j++) c[j] = fe[j] * cp[j] + g[q.i + j] * cand[j];
        else
            for (j = 0; j < n; j++) c[j] = fe[j] * cp[j] + cand[j];
        if (q.o >= 0 && peep) { /* o reads c_t */
            gs_real *o = g + q.o;
            for (j = 0; j < n; j++) o[j] += p[q.o + j] * c[j];
            gs__sigmoid_v(o, n);
            gs__clamp_forward(L, q.o / n, o);
        }
        if (flags & GS__LSTM_LIN_OUT)
            memcpy(tc, c, sizeof(gs_real) * (size_t)n);
        else
            gs__tanh_to(tc, c, n);
        if (q.o >= 0)
            for (j = 0; j < n; j++) h[j] = g[q.o + j] * tc[j];
        else
            memcpy(h, tc, sizeof(gs_real) * (size_t)n);
        if (flags & GS__LSTM_FGR) /* the gates, for the next step to read */
            memcpy(c + 2 * n, g, sizeof(gs_real) * (size_t)(q.ng * n));
        gs__copy_v(out + b * n, h, n);
    }
}
