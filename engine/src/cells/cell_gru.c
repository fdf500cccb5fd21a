/* cell_gru.c — GRU with the reset before the product (derived from the prototype):
 *   r = σ(W_r s_{t-1} + U_r x_t + b_r)   z = σ(W_z s_{t-1} + U_z x_t + b_z)
 *   s̃ = φ(W (r ⊙ s_{t-1}) + U x_t + b)    s_t = z ⊙ s_{t-1} + (1 - z) ⊙ s̃
 * A = [W_r U_r; W_z U_z; W U] (3n, n+m).
 * Record: gates r,z (2n) | s̃ (n) | zin = [s_{t-1}; x] | zin2 = [r⊙s_{t-1}; x].
 * D: r, z, s̃ (3n). */
#include "internal.h"

#include <string.h>

void gs__gru_layout(gs__layout *L) {
    static const char *const syms[] = { "r", "z", "" };
    static const char *const states[] = { "s" };
    int n = L->n, m = L->m;
    L->S = 1;
    gs__layout_begin(L, 3, syms);
    gs__layout_end(L, states);
    L->r_gates = 0;
    L->r_cand = 2 * n;
    L->r_zin = 3 * n;
    L->r_zin2 = 3 * n + (n + m);
    L->r_extra = -1;
    L->rec = 3 * n + 2 * (n + m);
    L->dlen = 3 * n;
    L->xp = 3 * n; /* U x + b of r, z and s̃: the driver may do it ahead */
    L->xp_d = 0;
    L->xp_bias = L->bias;
    L->n_groups = 2;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = 2 * n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)L->bias,
    };
    L->groups[1] = (gs__mm_group){
        .row0 = 2 * n, .rows = n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin2, .d_off = 2 * n, .bias_off = (long)(L->bias + (size_t)(2 * n)),
    };
}

GS__CLONES void gs__gru_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                     gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                     const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *zin = row + L->r_zin;
        memcpy(zin, prev + b * n, sizeof(gs_real) * (size_t)n);
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        memcpy(row + L->r_gates, d->xp ? d->xp + b * 3 * n : P + L->bias,
               sizeof(gs_real) * (size_t)(3 * n)); /* r, z, s̃ */
    }
    gs__cell_mm_zin(d, L, P, rec + L->r_gates, R, rec + L->r_zin, R, 0, 2 * n);
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *g = row + L->r_gates, *zin = row + L->r_zin;
        gs_real *zin2 = row + L->r_zin2;
        gs__sigmoid_v(g, 2 * n);
        gs__clamp_forward(L, 0, g);     /* r */
        gs__clamp_forward(L, 1, g + n); /* z */
        for (j = 0; j < n; j++) zin2[j] = g[j] * zin[j];
        memcpy(zin2 + n, zin + n, sizeof(gs_real) * (size_t)m);
    }
    gs__cell_mm_zin(d, L, P, rec + L->r_cand, R, rec + L->r_zin2, R, 2 * n, n);
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *cand = row + L->r_cand;
        const gs_real *z = row + L->r_gates + n, *sp = prev + b * n;
        gs_real *s = st + b * n;
        gs__tanh_v(cand, n);
        for (j = 0; j < n; j++) s[j] = z[j] * sp[j] + (GS_R(1.0) - z[j]) * cand[j];
    }
    gs__copy_v(out, st, B * n);
}

GS__CLONES void gs__gru_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                      gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                      const gs_real *rec, const gs_real *st, const gs_real *prev,
                      const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    int cols = d->defer_dx ? n : n + m; /* deferred: the driver does dx = D · U after the loop */
    const gs_real *A = P + L->A;
    gs_real *work = d->work;
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *z = row + L->r_gates + n, *cand = row + L->r_cand;
        const gs_real *sp = prev + b * n, *ds = dst + b * n;
        gs_real *Db = D + b * d->dlen, *dp = dprev + b * n;
        for (j = 0; j < n; j++) {
            Db[n + j] = ds[j] * (sp[j] - cand[j]) * z[j] * (GS_R(1.0) - z[j]);
            Db[2 * n + j] = ds[j] * (GS_R(1.0) - z[j]) * (GS_R(1.0) - cand[j] * cand[j]);
            dp[j] = ds[j] * z[j];
        }
    }
    /* [d(r⊙s) dx] = D_s̃ · [W U] */
    gs__mm_nn(work, n + m, D + 2 * n, d->dlen, A + (size_t)(2 * n) * L->lda, (int)L->lda, B, n,
              cols, GS_R(0.0));
    for (b = 0; b < B; b++) {
        const gs_real *r = rec + b * R + L->r_gates, *sp = prev + b * n;
        const gs_real *w = work + b * (n + m);
        gs_real *Db = D + b * d->dlen, *dp = dprev + b * n;
        for (j = 0; j < n; j++) {
            Db[j] = w[j] * sp[j] * r[j] * (GS_R(1.0) - r[j]);
            dp[j] += w[j] * r[j];
        }
        if (!d->defer_dx) memcpy(dx + b * m, w + n, sizeof(gs_real) * (size_t)m);
        gs__clamp_backward(L, 0, Db); /* a clamped gate is a constant */
        gs__clamp_backward(L, 1, Db + n);
    }
    /* [ds dx] += D_rz · [W_rz U_rz] */
    gs__mm_nn(work, n + m, D, d->dlen, A, (int)L->lda, B, 2 * n, cols, GS_R(0.0));
    if (d->defer_dx)
        for (b = 0; b < B; b++)
            for (j = 0; j < n; j++) dprev[b * n + j] += work[b * (n + m) + j];
    else
        gs__split_rows(d, work, dprev, n, dx, 1);
    (void)G; (void)st; (void)x;
}
