/* cell_greff.c — the eight ablations of the vanilla LSTM (our `peephole`) that Greff
 * et al. (2015, "LSTM: A Search Space Odyssey") compare.  Each removes or changes one
 * thing; each is the LSTM core (cell_lstm.c) with one option, so a variant is one line
 * here and one row in the table (cell.c).  A removed gate has no tensors.  The exact
 * equations are in docs/variants-greff.md and in each variant's table row.
 *   nig   i = 1                      nfg   f = 1               nog   o = 1
 *   niaf  c̃ = W h + U x + b (no φ)   noaf  h = o ⊙ c (no φ)
 *   np    no peepholes (the basic LSTM's function, under its own name)
 *   cifg  f = 1 - i (the forget gate has no weights)
 *   fgr   every gate also reads the previous step's i, f, o through G_<gate><source>
 *         (the previous gates of step 1 are the initial state i0, f0, o0: 0 unless
 *         the initial state is trained, like c0 and h0). */
#include "internal.h"

void gs__nig_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_NO_I); }
void gs__nfg_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_NO_F); }
void gs__nog_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_NO_O); }
void gs__niaf_layout(gs__layout *L) {
    gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_LIN_CAND);
}
void gs__noaf_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_LIN_OUT); }
void gs__np_layout(gs__layout *L) { gs__lstm_core_layout(L, 0); }
void gs__cifg_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_CIFG); }
void gs__fgr_layout(gs__layout *L) { gs__lstm_core_layout(L, GS__LSTM_PEEP | GS__LSTM_FGR); }
