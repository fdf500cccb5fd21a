/* cell_lstm_back.c — the backward step of the LSTM core (cell_lstm.c has the
 * equations, the layout and the forward step).  One pass per unit turns dL/dh_t and
 * dL/dc_t (as seen from outside the step) into the total dL/dc_t, the gates' and the
 * candidate's pre-activation gradients D and dL/dc_{t-1}; then matrix products give
 * dL/dh_{t-1} and dL/dx_t (and, for fgr, dL/dg_{t-1} and the gradient of G).
 * A gate a variant lacks is the constant 1 (cifg's f: 1 - i); a clamped unit's gate is
 * a constant too, so its pre-activation gradient is 0. */
#include "internal.h"

#include <string.h>

/* dst rows (dc, dh[, dg]) come in as seen from outside the step (dg: fgr's gates, from
 * the next step); dc is replaced by the total dL/dc_t (through h_t and, with
 * peepholes, through o_t). */
GS__CLONES void gs__lstm_core_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                            gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                            const gs_real *rec, const gs_real *st, const gs_real *prev,
                            const gs_real *x) {
    const gs__lstm_slots q = gs__lstm_slots_of(L);
    int n = d->n, m = d->m, B = d->B, R = d->rec, Sn = L->S * n, flags = L->flags, b, j;
    int peep = flags & GS__LSTM_PEEP, fgr = flags & GS__LSTM_FGR;
    int cifg = flags & GS__LSTM_CIFG, lin_cand = flags & GS__LSTM_LIN_CAND;
    int lin_out = flags & GS__LSTM_LIN_OUT;
    const gs_real *p = P + L->extra;
    const gs_real *ci = q.i >= 0 ? gs__clamp_of(L, q.i / n) : NULL;
    const gs_real *cf = q.f >= 0 ? gs__clamp_of(L, q.f / n) : NULL;
    const gs_real *co = q.o >= 0 ? gs__clamp_of(L, q.o / n) : NULL;
    gs_real *gp = G ? G + L->extra : NULL;
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *g = row + L->r_gates, *cand = row + L->r_cand;
        const gs_real *tc = row + L->r_extra, *cp = prev + b * Sn, *c = st + b * Sn;
        const gs_real *fe = q.f >= 0 ? g + q.f : row + q.fe;
        gs_real *dc = dst + b * Sn, *dh = dc + n, *dg = dc + 2 * n;
        gs_real *Db = D + b * d->dlen, *dcp = dprev + b * Sn;
        for (j = 0; j < n; j++) {
            gs_real i = q.i >= 0 ? g[q.i + j] : GS_R(1.0), o = q.o >= 0 ? g[q.o + j] : GS_R(1.0);
            gs_real gg = cand[j], Do = GS_R(0.0), Di = GS_R(0.0), Df = GS_R(0.0), dct;
            if (q.o >= 0) {
                gs_real dLo = dh[j] * tc[j];
                if (fgr) dLo += dg[q.o + j];
                Do = dLo * o * (GS_R(1.0) - o);
                if (co && !isnan(co[j])) Do = GS_R(0.0);
                Db[q.o + j] = Do;
            }
            dct = dc[j] + dh[j] * o * (lin_out ? GS_R(1.0) : GS_R(1.0) - tc[j] * tc[j]);
            if (peep && q.o >= 0) dct += Do * p[q.o + j];
            dc[j] = dct;
            if (q.i >= 0) {
                gs_real dLi = dct * gg;
                if (cifg) dLi -= dct * cp[j]; /* f = 1 - i */
                if (fgr) dLi += dg[q.i + j];
                Di = dLi * i * (GS_R(1.0) - i);
                if (ci && !isnan(ci[j])) Di = GS_R(0.0);
                Db[q.i + j] = Di;
            }
            if (q.f >= 0) {
                gs_real f = g[q.f + j], dLf = dct * cp[j];
                if (fgr) dLf += dg[q.f + j];
                Df = dLf * f * (GS_R(1.0) - f);
                if (cf && !isnan(cf[j])) Df = GS_R(0.0);
                Db[q.f + j] = Df;
            }
            Db[q.ng * n + j] = dct * i * (lin_cand ? GS_R(1.0) : GS_R(1.0) - gg * gg);
            dcp[j] = dct * fe[j];
            if (peep) {
                if (q.i >= 0 && q.f >= 0)
                    dcp[j] += Di * p[q.i + j] + Df * p[q.f + j];
                else if (q.i >= 0)
                    dcp[j] += Di * p[q.i + j];
                else if (q.f >= 0)
                    dcp[j] += Df * p[q.f + j];
                if (gp) {
                    if (q.i >= 0) gp[q.i + j] += Di * cp[j];
                    if (q.f >= 0) gp[q.f + j] += Df * cp[j];
                    if (q.o >= 0) gp[q.o + j] += Do * c[j];
                }
            }
        }
    }
    if (d->defer_dx) { /* dh_{t-1} = D · W; the driver does dx = D · U for all steps */
        gs__mm_nn(dprev + n, Sn, D, d->dlen, P + L->A, (int)L->lda, B, (q.ng + 1) * n, n,
                  GS_R(0.0));
    } else { /* [dh_{t-1} dx] = D · [W U] */
        gs__mm_nn(d->work, n + m, D, d->dlen, P + L->A, (int)L->lda, B, (q.ng + 1) * n, n + m,
                  GS_R(0.0));
        gs__split_rows(d, d->work, dprev + n, Sn, dx, 0);
    }
    if (fgr) {
        int ng = q.ng * n;
        /* dL/dg_{t-1} = D_gates · G;  dG += D_gatesᵀ g_{t-1} */
        gs__mm_nn(dprev + 2 * n, Sn, D, d->dlen, P + q.G, ng, B, ng, ng, GS_R(0.0));
        if (G) gs__mm_tn_acc(G + q.G, ng, D, d->dlen, prev + 2 * n, Sn, B, ng, ng, B == 1);
    }
    (void)x;
}
