/* cell_gru_ra.c — GRU with the reset after the product (PyTorch nn.GRUCell):
 *   r = σ(W_r s + b_hr + U_r x + b_ir)    z = σ(W_z s + b_hz + U_z x + b_iz)
 *   n = φ(U_n x + b_in + r ⊙ (W_n s + b_hn))    s_t = (1 - z) ⊙ n + z ⊙ s_{t-1}
 * A = [W_r U_r; W_z U_z; W_n U_n] (3n, n+m); biases b_i = (b_ir, b_iz, b_in) then
 * b_h = (b_hr, b_hz, b_hn).
 * Record: gates r,z (2n) | n (n) | zin = [s_{t-1}; x] | extra: W_n s + b_hn (n).
 * D: dL/d(W s + b_h) (3n) then dL/d(U x + b_i) (3n). */
#include "internal.h"

#include <string.h>

void gs__gru_ra_layout(gs__layout *L) {
    static const char *const syms[] = { "r", "z", "n" };
    static const char *const bias_names[] = { "b_ir", "b_iz", "b_in", "b_hr", "b_hz", "b_hn" };
    static const char *const states[] = { "s" };
    int n = L->n, m = L->m, t;
    L->S = 1;
    gs__layout_begin(L, 3, NULL);
    for (t = 0; t < 3; t++) { /* W and U, without the per-block bias of the other cells */
        size_t row = L->A + (size_t)t * (size_t)n * L->lda;
        char w[4] = { 'W', '_', syms[t][0], 0 }, u[4] = { 'U', '_', syms[t][0], 0 };
        gs__layout_add_matrix(L, w, row, n, n, (int)L->lda);
        gs__layout_add_matrix(L, u, row + (size_t)n, n, m, (int)L->lda);
    }
    for (t = 0; t < 6; t++) gs__layout_add_vector(L, bias_names[t], L->bias + (size_t)(t * n), n);
    gs__layout_end(L, states);
    L->r_gates = 0;
    L->r_cand = 2 * n;
    L->r_zin = 3 * n;
    L->r_zin2 = -1;
    L->r_extra = 3 * n + (n + m);
    L->rec = 4 * n + (n + m);
    L->dlen = 6 * n;
    L->xp = 3 * n; /* U x + b_i, the same for every row block */
    L->xp_d = 3 * n;
    L->xp_bias = L->bias;
    L->n_groups = 2;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = 3 * n, .col0 = 0, .cols = n,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)(L->bias + (size_t)(3 * n)),
    };
    L->groups[1] = (gs__mm_group){
        .row0 = 0, .rows = 3 * n, .col0 = n, .cols = m,
        .z_off = L->r_zin + n, .d_off = 3 * n, .bias_off = (long)L->bias,
    };
}

GS__CLONES void gs__gru_ra_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                        gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                        const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    gs_real *gh = d->work, *gw = d->work + B * 3 * n; /* (B, 3n) each */
    const gs_real *b_i = P + L->bias, *b_h = P + L->bias + 3 * n, *gi = d->xp ? d->xp : gw;
    for (b = 0; b < B; b++) {
        gs_real *zin = rec + b * R + L->r_zin;
        memcpy(zin, prev + b * n, sizeof(gs_real) * (size_t)n);
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        memcpy(gh + b * 3 * n, b_h, sizeof(gs_real) * (size_t)(3 * n));
        if (!d->xp) memcpy(gw + b * 3 * n, b_i, sizeof(gs_real) * (size_t)(3 * n));
    }
    gs__cell_mm(d, L, P, gh, 3 * n, rec + L->r_zin, R, 0, 3 * n, 0, n);
    if (!d->xp) /* else the driver did U x + b_i beforehand */
        gs__cell_mm(d, L, P, gw, 3 * n, rec + L->r_zin + n, R, 0, 3 * n, n, m);
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R, *g = row + L->r_gates, *nn = row + L->r_cand;
        gs_real *ghn = row + L->r_extra, *s = st + b * n;
        const gs_real *h = gh + b * 3 * n, *in = gi + b * 3 * n, *sp = prev + b * n;
        for (j = 0; j < 2 * n; j++) g[j] = in[j] + h[j];
        gs__sigmoid_v(g, 2 * n); /* r, z */
        gs__clamp_forward(L, 0, g);
        gs__clamp_forward(L, 1, g + n);
        memcpy(ghn, h + 2 * n, sizeof(gs_real) * (size_t)n);
        for (j = 0; j < n; j++) nn[j] = in[2 * n + j] + g[j] * ghn[j];
        gs__tanh_v(nn, n);
        for (j = 0; j < n; j++) s[j] = (GS_R(1.0) - g[n + j]) * nn[j] + g[n + j] * sp[j];
    }
    gs__copy_v(out, st, B * n);
}

GS__CLONES void gs__gru_ra_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                         gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                         const gs_real *rec, const gs_real *st, const gs_real *prev,
                         const gs_real *x) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *r = row + L->r_gates, *z = r + n;
        const gs_real *nn = row + L->r_cand, *ghn = row + L->r_extra;
        const gs_real *sp = prev + b * n, *ds = dst + b * n;
        gs_real *Dh = D + b * d->dlen, *Di = Dh + 3 * n, *dp = dprev + b * n;
        for (j = 0; j < n; j++) {
            gs_real dn = ds[j] * (GS_R(1.0) - z[j]) * (GS_R(1.0) - nn[j] * nn[j]);
            gs_real dr = dn * ghn[j] * r[j] * (GS_R(1.0) - r[j]);
            gs_real dz = ds[j] * (sp[j] - nn[j]) * z[j] * (GS_R(1.0) - z[j]);
            Dh[j] = Di[j] = dr;
            Dh[n + j] = Di[n + j] = dz;
            Di[2 * n + j] = dn;
            Dh[2 * n + j] = dn * r[j];
            dp[j] = ds[j] * z[j];
        }
        for (j = 0; j < 2; j++) { /* a clamped gate is a constant */
            gs__clamp_backward(L, j, Dh + j * n);
            gs__clamp_backward(L, j, Di + j * n);
        }
    }
    /* ds += D_h · W_all ;  dx = D_i · U_all */
    gs__mm_nn(dprev, n, D, d->dlen, P + L->A, (int)L->lda, B, 3 * n, n, GS_R(1.0));
    if (!d->defer_dx)
        gs__mm_nn(dx, m, D + 3 * n, d->dlen, P + L->A + n, (int)L->lda, B, 3 * n, m, GS_R(0.0));
    (void)G; (void)st; (void)x;
}
