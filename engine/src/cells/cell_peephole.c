/* cell_peephole.c — LSTM with diagonal peepholes p_i, p_f (seeing c_{t-1}) and p_o
 * (seeing the new c_t); the candidate has none.  The kernel is the LSTM core in
 * cell_lstm.c with peepholes switched on; p_* follow the biases in the block. */
#include "internal.h"

void gs__peephole_layout(gs__layout *L) { gs__lstm_core_layout(L, 1); }

void gs__peephole_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                          gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                          const gs_real *x) {
    gs__lstm_core_forward(d, L, P, rec, st, out, prev, x, 1);
}

void gs__peephole_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                           gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                           const gs_real *rec, const gs_real *st, const gs_real *prev,
                           const gs_real *x) {
    gs__lstm_core_backward(d, L, P, G, dst, D, dprev, dx, rec, st, prev, 1);
    (void)x;
}
