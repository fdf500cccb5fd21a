/* cell_rnn.c — vanilla RNN:  s_t = φ(W s_{t-1} + U x_t + b),  output = s_t.
 * A = [W U] (n, n+m).  Record: zin = [s_{t-1}; x_t] (n+m).  D = dL/dpre (n). */
#include "internal.h"

#include <string.h>

void gs__rnn_layout(gs__layout *L) {
    static const char *const syms[] = { "" };
    static const char *const states[] = { "s" };
    int n = L->n, m = L->m;
    L->S = 1;
    gs__layout_begin(L, 1, syms);
    gs__layout_end(L, states);
    L->r_gates = L->r_cand = L->r_zin2 = L->r_extra = -1;
    L->r_zin = 0;
    L->rec = n + m;
    L->dlen = n;
    L->n_groups = 1;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)L->bias,
    };
}

GS__CLONES void gs__rnn_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                     gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                     const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, b;
    for (b = 0; b < B; b++) {
        gs_real *zin = rec + b * d->rec + L->r_zin;
        memcpy(zin, prev + b * n, sizeof(gs_real) * (size_t)n);
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        memcpy(st + b * n, P + L->bias, sizeof(gs_real) * (size_t)n);
    }
    gs__cell_mm_zin(d, L, P, st, n, rec + L->r_zin, d->rec, 0, n);
    gs__tanh_v(st, B * n);
    memcpy(out, st, sizeof(gs_real) * (size_t)(B * n));
}

GS__CLONES void gs__rnn_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                      gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                      const gs_real *rec, const gs_real *st, const gs_real *prev,
                      const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, b, j;
    gs_real *work = d->work;
    for (b = 0; b < B; b++)
        for (j = 0; j < n; j++) {
            gs_real s = st[b * n + j];
            D[b * d->dlen + j] = dst[b * n + j] * (GS_R(1.0) - s * s);
        }
    /* [dprev dx] = D · [W U] */
    gs__mm_nn(work, n + m, D, d->dlen, P + L->A, (int)L->lda, B, n, n + m, GS_R(0.0));
    for (b = 0; b < B; b++) {
        memcpy(dprev + b * n, work + b * (n + m), sizeof(gs_real) * (size_t)n);
        memcpy(dx + b * m, work + b * (n + m) + n, sizeof(gs_real) * (size_t)m);
    }
    (void)G; (void)rec; (void)prev; (void)x;
}
