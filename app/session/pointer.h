/* pointer.h — the pointer: press, drag and release on the layout's boxes (buttons, the
 * time axes, the plots, the panes, the snapshot scrubber, the lesson list) and what is
 * under it (st->hover, for tooltips and highlights).  The layout answers most of it;
 * the cell diagram's parts and the plots' data areas come from the views through
 * st->hits (session/hit.h). */
#ifndef GS_APP_POINTER_H
#define GS_APP_POINTER_H

#include "session/state.h"

/* One pointer input (IN_POINTER_MOVE, _DOWN, _UP, _LEAVE; others are ignored).  A
 * release on the button that was pressed returns 1 with the button's command in *cmd
 * and *arg: the caller runs it (session_command), so a click does what the key does. */
int pointer_input(app_state *st, const app_input *in, cmd_id *cmd, int *arg);
/* A wheel notch (IN_WHEEL): over the track's input row it changes that step's input
 * (queued for the update); elsewhere nothing. */
void pointer_wheel(app_state *st, const app_input *in);
/* Work out st->hover from the pointer's position and the layout (every update). */
void pointer_hover(app_state *st);

#endif
