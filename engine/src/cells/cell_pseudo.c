/* cell_pseudo.c — pseudo LSTM: the prototype whose gates and candidate read φ(s_{t-1});
 * the state itself is written raw (unbounded), the output is φ(s_t) (bounded). */
#include "internal.h"

void gs__pseudo_layout(gs__layout *L) { gs__proto_core_layout(L, 0); }

GS__CLONES void gs__pseudo_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                        gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                        const gs_real *x) {
    gs__proto_core_forward(d, L, P, rec, st, prev, x, 1);
    gs__tanh_to(out, st, d->B * d->n);
}

/* dst already includes the output's share, dL/dout ⊙ (1 - φ(s)^2) (the driver adds
 * it, see GS__OUT_TANH_STATE). */
GS__CLONES void gs__pseudo_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                         gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                         const gs_real *rec, const gs_real *st, const gs_real *prev,
                         const gs_real *x) {
    gs__proto_core_backward(d, L, P, dst, D, dprev, dx, rec, prev, 1);
    (void)G; (void)st; (void)x;
}
