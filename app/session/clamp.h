/* clamp.h — what if a gate were forced?  In the window a click on a valve of the
 * cell diagram cycles its gate free → open (1) → shut (0) → free, for the focused
 * unit or (Shift) every unit; U frees them all.  The command is queued in the event
 * phase and applied in the update: the engine clamps the model, recomputes forward
 * and backward at once, and the setup keeps the clamps so that a rebuild of the
 * scene applies them again.  "Open" is the valve's opening as drawn: for a valve
 * that opens 1 − gate (the GRU's write valve, cifg's keep valve) the gate is set to
 * 1 − the value. */
#ifndef GS_APP_CLAMP_H
#define GS_APP_CLAMP_H

#include "session/state.h"

/* CMD_CLAMP (arg as commands.h says) and CMD_UNCLAMP: queued for clamp_update. */
void clamp_command(app_state *st, cmd_id cmd, int arg);
/* The update's part: apply the queued clamp commands to the engine (session_update,
 * before the engine is synced to the cursor). */
void clamp_update(app_state *st);
/* The clamps of s as text: "peephole f=1, np o[2]=0" (full = 0: "2 clamps" when
 * that is shorter than len allows); returns how many there are. */
int clamp_describe(const opt_setup *s, char *buf, size_t len);

#endif
