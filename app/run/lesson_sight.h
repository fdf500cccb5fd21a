/* lesson_sight.h — what a lesson's steps show on screen, checked with the real layout
 * and fonts: each step's @visible statements (the view its @view spotlights among
 * them), every variant of the step having a pane, and its text fitting the narrative
 * panel.  `--check` looks at every size of lesson_sight_size, normal and presenter;
 * the handout export at its own size and mode (run/headless.c). */
#ifndef GS_APP_LESSON_SIGHT_H
#define GS_APP_LESSON_SIGHT_H

#include "cli/lesson_check.h"
#include "run/frame.h"

/* A @play that needs longer than this to reveal what a @visible backward asks for is
 * a warning: the class would wait. */
#define SIGHT_MAX_PLAY_SECONDS 10.0

/* The window sizes --check lays a lesson out at, each also in presenter mode: size i
 * (0..SIGHT_N_SIZES-1) into *w x *h. */
#define SIGHT_N_SIZES 4
void lesson_sight_size(int i, int *w, int *h);

/* How a step opened, before its play was played out (for the timing). */
typedef struct sight_entry {
    int playing, back_playing; /* what it started doing */
    int back_pos;              /* where the backward playhead started */
    double speed;              /* steps per second */
    double play_seconds;       /* how long its play ran to the end */
} sight_entry;

/* Enter step k of the app's open lesson as the class does, apply it, then play its
 * @play out; the picture is then the one the step settles on (and the handout shows). */
void lesson_sight_settle(app_ctx *a, int k, sight_entry *entry);

/* The statements of step k (settled) that fail in a's current layout: one FAIL
 * finding each, `file:line: ... at WHERE: why` (where names the layout, e.g.
 * "1600x1000"); a slow play is a WARN.  Returns how many statements were checked. */
int lesson_sight_step(app_ctx *a, int k, const sight_entry *entry, const char *where,
                      findings *out);

/* lesson_sight_fn for --check: ud is the data dir (assets/ inside).  Every step at
 * every size, normal and presenter; one finding per statement (OK, or FAIL naming the
 * layouts where it does not hold). */
int lesson_sight_check(void *ud, const gs_lesson *l, findings *out);

#endif
