/* cell_norm.c — normalized prototype: the prototype's u_t, then
 *   s_t = u_t / sqrt(Var(u_t) + 1)      Var: population variance over the n units
 * (u is not centred; the mean is subtracted inside the variance only).
 * Record extra: u (n) | d = sqrt(Var+1) | mean (2). */
#include "internal.h"

#include <math.h>
#include <string.h>

void gs__norm_layout(gs__layout *L) { gs__proto_core_layout(L, L->n + 2); }

GS__CLONES void gs__norm_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                      gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                      const gs_real *x) {
    int n = d->n, B = d->B, b, j;
    gs__proto_core_forward(d, L, P, rec, st, prev, x, 0); /* st holds u for now */
    for (b = 0; b < B; b++) {
        gs_real *u = rec + b * d->rec + L->r_extra, *s = st + b * n;
        double mean = 0, var = 0, den;
        memcpy(u, s, sizeof(gs_real) * (size_t)n);
        for (j = 0; j < n; j++) mean += (double)u[j];
        mean /= n;
        for (j = 0; j < n; j++) var += ((double)u[j] - mean) * ((double)u[j] - mean);
        var /= n;
        den = sqrt(var + 1.0);
        u[n] = (gs_real)den;
        u[n + 1] = (gs_real)mean;
        for (j = 0; j < n; j++) s[j] = (gs_real)((double)u[j] / den);
    }
    memcpy(out, st, sizeof(gs_real) * (size_t)(B * n));
}

/* du_k = ds_k/d - (u_k - mean)/(n d^3) · Σ_j ds_j u_j */
GS__CLONES void gs__norm_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                       gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                       const gs_real *rec, const gs_real *st, const gs_real *prev,
                       const gs_real *x) {
    int n = d->n, B = d->B, b, j;
    gs_real *du = d->work + (size_t)B * (size_t)(2 * n + d->m) ; /* beyond the core's scratch */
    for (b = 0; b < B; b++) {
        const gs_real *u = rec + b * d->rec + L->r_extra, *ds = dst + b * n;
        double den = (double)u[n], mean = (double)u[n + 1], dot = 0;
        for (j = 0; j < n; j++) dot += (double)ds[j] * (double)u[j];
        for (j = 0; j < n; j++)
            du[b * n + j] = (gs_real)((double)ds[j] / den -
                                      ((double)u[j] - mean) * dot / (n * den * den * den));
    }
    gs__proto_core_backward(d, L, P, du, D, dprev, dx, rec, prev, 0);
    (void)G; (void)st; (void)x;
}
