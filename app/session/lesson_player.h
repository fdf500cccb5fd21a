/* lesson_player.h — the lesson player: a parsed lesson (engine/gatescope_lesson.h)
 * walked step by step in the window.  Entering a step applies its scene to the app
 * state (rebuilding only when the setup changed), sets the cursor, play/pause, the
 * backward playhead and the spotlight; the scene stays fully interactive.  Also the
 * list of shipped lessons (the start screen).  The handout's pages are
 * session/lesson_handout.h's. */
#ifndef GS_APP_LESSON_PLAYER_H
#define GS_APP_LESSON_PLAYER_H

#include "gatescope_lesson.h"
#include "session/state.h"
#include "ui/layout.h"

#define LESSON_LIST_MAX 64

typedef struct lesson_entry {
    char path[1024];
    char title[GS_LESSON_MAX_HEADING + 1];
} lesson_entry;

typedef struct lesson_player {
    gs_lesson *l;              /* NULL: no lesson open */
    int step;                  /* the current step, 0-based */
    gs_lesson_setup applied;   /* the lesson setup the scene was last built from */
    opt_setup built;           /* ... and the app setup that build produced */
    int have_applied;
    int tall;                  /* the step's text needs the panel's full height */
    int entering;              /* a step was entered: lesson_update applies it */
    int build;                 /* ... and its scene must be built */
    int reclamp;               /* ... or only its clamps changed (a trained scene stays) */
    struct train_memo *memo;   /* not owned: trained weights shared with other apps, or NULL */
    cm_theme_id theme_before;  /* restored when presenter mode ends */
    int speed_set;             /* a step's @play N set the speed ... */
    int speed_before;          /* ... which was this before (restored by a step without) */
    int n_list;                /* the shipped lessons (<data dir>/lessons) */
    lesson_entry list[LESSON_LIST_MAX];
    int listed;                /* the list was read */
} lesson_player;

/* Open the lesson at path and enter its first step.  0 on success; otherwise the
 * parser's one-line `file:line:col: ...` message in err (the state is unchanged). */
int lesson_open(app_state *st, const char *path, char *err, size_t err_len);
/* Leave the lesson (the scene stays as it is). */
void lesson_close(app_state *st);
void lesson_free(app_state *st);
/* The open lesson, or NULL. */
const gs_lesson *lesson_current(const app_state *st);
/* The current step, 0-based (-1 without a lesson). */
int lesson_step_index(const app_state *st);
/* Enter step k (0-based, clamped): its scene is applied by the next lesson_update. */
void lesson_enter(app_state *st, int k);
/* The update phase (session_update calls it first): build the entered step's scene if
 * its setup changed, then set the cursor, play/pause and the backward playhead. */
void lesson_update(app_state *st);
/* The lesson commands (next, previous, the list, presenter mode) and Esc. */
void lesson_command(app_state *st, cmd_id cmd, int arg);
/* Open row of the lesson list (the start screen). */
void lesson_pick_open(app_state *st, int row);
/* The row of the lesson list under (x, y) (layout_lesson_list), -1 if none or the
 * list is not shown. */
int lesson_list_row(const app_state *st, int x, int y);
/* Play the entered step's @play to its end (forward to the last step, or the
 * backward walk to where it stops) as the window would, at its speed; returns the
 * seconds that takes.  The caller's next update brings the engine there. */
double lesson_play_out(app_state *st);
/* Presenter mode on (1) or off (0). */
void lesson_set_present(app_state *st, int on);
/* Read <data dir>/lessons/ *.lesson (titles) once; returns how many. */
int lesson_list_read(app_state *st);

/* 1 if the current step states view v must be visible (@visible view, or @view). */
int lesson_needs_view(const app_state *st, gs_lesson_view v);

/* The boxes of the current step's spotlight (a view, or the strips of a highlighted
 * gate/state row); returns how many (<= max). */
int lesson_spotlight(const app_state *st, box *out, int max);

#endif
