/* hit.h — what the pointer is over, where only a view knows the answer: the parts of
 * the cell diagram and the data area of a plot (their geometry depends on the data a
 * view draws).  Everything else is answered by the layout (ui/layout.h).  The state
 * asks through this small table of pure functions and never includes a view; the
 * views provide them and run/ puts them into app_state.hits. */
#ifndef GS_APP_HIT_H
#define GS_APP_HIT_H

#include "ui/layout.h"

struct app_state;

/* The parts of the cell diagram (hover_info.part).  A valve opens as its gate does
 * (PART_GATE0 + k), or as 1 − the gate (PART_GATE_INV0 + k: the GRU's write valve
 * 1 − z, cifg's keep valve 1 − i); a click on one clamps that gate (CMD_CLAMP). */
enum { PART_NONE = -1, PART_GATE0 = 0, /* PART_GATE0 + k: gate k */
       PART_CAND = 8, PART_STATE_IN, PART_STATE_OUT, PART_H_IN, PART_H_OUT, PART_OUT,
       PART_INPUT, PART_NORM,
       PART_GATE_INV0 = 16, /* PART_GATE_INV0 + k: the valve that opens 1 − gate k */
       PART_COUNT = PART_GATE_INV0 + GS_MAX_GATES };

/* The gate of a valve part (-1 if the part is no valve); *inverted = 1 when the valve
 * opens 1 − the gate. */
static inline int part_gate(int part, int *inverted) {
    *inverted = part >= PART_GATE_INV0 && part < PART_GATE_INV0 + GS_MAX_GATES;
    if (*inverted) return part - PART_GATE_INV0;
    return part >= PART_GATE0 && part < PART_GATE0 + GS_MAX_GATES ? part - PART_GATE0 : -1;
}

/* The shared plots (hover_info.plot). */
enum { PLOT_DRIFT, PLOT_GRAD, PLOT_LOSS, PLOT_COUNT };

typedef struct view_hits {
    /* The part of pane's diagram (drawn in b) under (x, y), or PART_NONE. */
    int (*cell_part_at)(const struct app_state *st, int pane, box b, int x, int y);
    /* The step under x and the pane whose line is nearest y in plot `which` drawn in
     * b; 0 if (x, y) is outside its data area. */
    int (*plot_at)(const struct app_state *st, int which, box b, int x, int y, int *step,
                   int *pane);
} view_hits;

#endif
