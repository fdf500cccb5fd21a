/* cell_proto.c — the prototype LSTM, and the core it shares with `norm` and `pseudo`:
 *   i, o, f = σ(W_* r + U_* x_t + b_*)      r = s_{t-1}  (pseudo: r = φ(s_{t-1}))
 *   s̃ = φ(W (o ⊙ r) + U x_t + b)             read comes first
 *   u = f ⊙ s_{t-1} + i ⊙ s̃                  proto: s_t = u, output s_t
 * A = [W_i U_i; W_o U_o; W_f U_f; W U] (4n, n+m).
 * Record: gates i,o,f (3n) | s̃ (n) | zin = [r; x] | zin2 = [o⊙r; x] | extra.
 * D = dL/dpre in A's row order: i, o, f, s̃ (4n). */
#include "internal.h"

#include <string.h>

void gs__proto_core_layout(gs__layout *L, int extra) {
    static const char *const syms[] = { "i", "o", "f", "" };
    static const char *const states[] = { "s" };
    int n = L->n, m = L->m;
    L->S = 1;
    gs__layout_begin(L, 4, syms);
    gs__layout_end(L, states);
    L->r_gates = 0;
    L->r_cand = 3 * n;
    L->r_zin = 4 * n;
    L->r_zin2 = 4 * n + (n + m);
    L->r_extra = extra ? 4 * n + 2 * (n + m) : -1;
    L->rec = 4 * n + 2 * (n + m) + extra;
    L->dlen = 4 * n;
    L->n_groups = 2;
    L->groups[0] = (gs__mm_group){
        .row0 = 0, .rows = 3 * n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin, .d_off = 0, .bias_off = (long)L->bias,
    };
    L->groups[1] = (gs__mm_group){
        .row0 = 3 * n, .rows = n, .col0 = 0, .cols = n + m,
        .z_off = L->r_zin2, .d_off = 3 * n, .bias_off = (long)(L->bias + (size_t)(3 * n)),
    };
}

void gs__split_rows(const gs__cell_dims *d, const gs_real *work, gs_real *dprev, int ldp,
                    gs_real *dx, int add) {
    int n = d->n, m = d->m, b, j;
    for (b = 0; b < d->B; b++) {
        const gs_real *w = work + b * (n + m);
        gs_real *dp = dprev + b * ldp, *dxb = dx + b * m;
        if (add) {
            for (j = 0; j < n; j++) dp[j] += w[j];
            for (j = 0; j < m; j++) dxb[j] += w[n + j];
        } else {
            memcpy(dp, w, sizeof(gs_real) * (size_t)n);
            memcpy(dxb, w + n, sizeof(gs_real) * (size_t)m);
        }
    }
}

GS__CLONES void gs__proto_core_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                            gs_real *rec, gs_real *u, const gs_real *prev, const gs_real *x,
                            int squash) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    const gs_real *bias = P + L->bias;
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R;
        gs_real *zin = row + L->r_zin;
        const gs_real *sp = prev + b * n;
        if (squash)
            gs__tanh_to(zin, sp, n);
        else
            memcpy(zin, sp, sizeof(gs_real) * (size_t)n);
        memcpy(zin + n, x + b * m, sizeof(gs_real) * (size_t)m);
        memcpy(row + L->r_gates, bias, sizeof(gs_real) * (size_t)(3 * n));
        memcpy(row + L->r_cand, bias + 3 * n, sizeof(gs_real) * (size_t)n);
    }
    gs__cell_mm_zin(d, L, P, rec + L->r_gates, R, rec + L->r_zin, R, 0, 3 * n);
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R;
        gs_real *g = row + L->r_gates, *zin = row + L->r_zin, *zin2 = row + L->r_zin2;
        gs__sigmoid_v(g, 3 * n);
        for (j = 0; j < 3; j++) gs__clamp_forward(L, j, g + j * n); /* i, o, f */
        for (j = 0; j < n; j++) zin2[j] = g[n + j] * zin[j]; /* o ⊙ r */
        memcpy(zin2 + n, zin + n, sizeof(gs_real) * (size_t)m);
    }
    gs__cell_mm_zin(d, L, P, rec + L->r_cand, R, rec + L->r_zin2, R, 3 * n, n);
    for (b = 0; b < B; b++) {
        gs_real *row = rec + b * R;
        const gs_real *g = row + L->r_gates, *sp = prev + b * n;
        gs_real *cand = row + L->r_cand, *ub = u + b * n;
        gs__tanh_v(cand, n);
        for (j = 0; j < n; j++) ub[j] = g[2 * n + j] * sp[j] + g[j] * cand[j];
    }
}

GS__CLONES void gs__proto_core_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                             const gs_real *du, gs_real *D, gs_real *dprev, gs_real *dx,
                             const gs_real *rec, const gs_real *prev, int squash) {
    int n = d->n, m = d->m, B = d->B, R = d->rec, b, j;
    const gs_real *A = P + L->A;
    gs_real *work = d->work;
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *g = row + L->r_gates, *cand = row + L->r_cand;
        const gs_real *sp = prev + b * n, *dub = du + b * n;
        gs_real *Db = D + b * d->dlen, *dp = dprev + b * n;
        for (j = 0; j < n; j++) {
            gs_real i = g[j], f = g[2 * n + j], c = cand[j], ds = dub[j];
            Db[j] = ds * c * i * (GS_R(1.0) - i);                  /* i */
            Db[2 * n + j] = ds * sp[j] * f * (GS_R(1.0) - f);       /* f */
            Db[3 * n + j] = ds * i * (GS_R(1.0) - c * c);           /* s̃ */
            dp[j] = ds * f;
        }
    }
    /* [d(o⊙r) dx] = D_s̃ · [W U] */
    gs__mm_nn(work, n + m, D + 3 * n, d->dlen, A + (size_t)(3 * n) * L->lda, (int)L->lda, B, n,
              n + m, GS_R(0.0));
    for (b = 0; b < B; b++) {
        const gs_real *row = rec + b * R, *o = row + L->r_gates + n, *r = row + L->r_zin;
        gs_real *w = work + b * (n + m), *Db = D + b * d->dlen;
        for (j = 0; j < n; j++) {
            gs_real dor = w[j];
            Db[n + j] = dor * r[j] * o[j] * (GS_R(1.0) - o[j]); /* o */
            w[j] = dor * o[j];                                  /* dr, so far */
        }
        memcpy(dx + b * m, w + n, sizeof(gs_real) * (size_t)m);
    }
    /* dr held in work[0:n]; add the gates' share: [dr dx] += D_iof · [W_iof U_iof]
     * (a clamped gate is a constant: no gradient into its pre-activation) */
    for (b = 0; b < B; b++) {
        gs_real *w = work + b * (n + m);
        gs_real *keep = work + B * (n + m) + b * n;
        memcpy(keep, w, sizeof(gs_real) * (size_t)n);
        for (j = 0; j < 3; j++) gs__clamp_backward(L, j, D + b * d->dlen + j * n);
    }
    gs__mm_nn(work, n + m, D, d->dlen, A, (int)L->lda, B, 3 * n, n + m, GS_R(0.0));
    for (b = 0; b < B; b++) {
        const gs_real *r = rec + b * R + L->r_zin;
        const gs_real *w = work + b * (n + m), *keep = work + B * (n + m) + b * n;
        gs_real *dp = dprev + b * n, *dxb = dx + b * m;
        for (j = 0; j < n; j++) {
            gs_real dr = w[j] + keep[j];
            dp[j] += squash ? dr * (GS_R(1.0) - r[j] * r[j]) : dr;
        }
        for (j = 0; j < m; j++) dxb[j] += w[n + j];
    }
}

/* ---- proto: s_t = u ---- */

void gs__proto_layout(gs__layout *L) { gs__proto_core_layout(L, 0); }

GS__CLONES void gs__proto_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                       gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                       const gs_real *x) {
    gs__proto_core_forward(d, L, P, rec, st, prev, x, 0);
    memcpy(out, st, sizeof(gs_real) * (size_t)(d->B * d->n));
}

GS__CLONES void gs__proto_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                        gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                        const gs_real *rec, const gs_real *st, const gs_real *prev,
                        const gs_real *x) {
    gs__proto_core_backward(d, L, P, dst, D, dprev, dx, rec, prev, 0);
    (void)G; (void)st; (void)x;
}
