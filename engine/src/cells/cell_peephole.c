/* cell_peephole.c — LSTM with diagonal peepholes p_i, p_f (seeing c_{t-1}) and p_o
 * (seeing the new c_t); the candidate has none.  This is Greff et al.'s "vanilla"
 * LSTM, the one their ablations (cell_greff.c) change.  The kernel is the LSTM core
 * in cell_lstm.c with peepholes switched on; p_* follow the biases in the block. */
#include "internal.h"

void gs__peephole_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP); }
