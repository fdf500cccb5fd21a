/* scales.h — the colour scales the heatmaps use for states and gradients, worked out
 * from the engine's values at the cursor: shared by all panes or per pane, linear or
 * by log magnitude. */
#ifndef GS_APP_SCALES_H
#define GS_APP_SCALES_H

#include "session/state.h"

/* Fill st->scale_state and st->scale_grad for every pane.  Linear: the tanh range
 * unless the values leave it, then their 98th percentile (a runaway tail is marked,
 * not allowed to wash out the rest); log: the largest magnitude. */
void scales_compute(app_state *st);

#endif
