/* state.h — what is on screen and why: the scene (engine objects), the forward cursor
 * and the backward playhead, play/pause and speed, the hovered thing, the selected
 * pane and unit, the colour scales, theme and palette, and the layout for the current
 * window size; and the state's own commands (transport, the backward walk, the setup,
 * the view options).  The lesson player and training keep their part in here too but
 * act on it from their own files; session/session.h ties them together.  Only the
 * update phase (session_update) calls engine functions that mutate; the views read
 * this through `const app_state *`. */
#ifndef GS_APP_STATE_H
#define GS_APP_STATE_H

#include "session/hit.h"
#include "session/input_ui.h"
#include "session/options.h"
#include "session/scene.h"
#include "session/share_req.h"
#include "session/train_ui.h"
#include "ui/colormap.h"
#include "ui/commands.h"
#include "ui/input.h"
#include "ui/layout.h"

/* ---- Hover ------------------------------------------------------------------------ */

typedef enum hover_kind {
    HOV_NONE,
    HOV_BUTTON,  /* cmd, arg */
    HOV_CELL,    /* pane, strip, unit, step */
    HOV_DIAGRAM, /* pane, part (PART_*, session/hit.h), unit */
    HOV_PLOT,    /* plot (0 drift, 1 gradient, 2 loss), step, pane (nearest line) */
    HOV_HEADER,  /* pane */
    HOV_ROW,     /* a sidebar row label: cmd */
    HOV_TRACK    /* the sequence track: pane, step, strip = the row (TRACK_IN ...) */
} hover_kind;

typedef struct hover_info {
    hover_kind kind;
    int pane, strip, unit, step, part, plot;
    cmd_id cmd;
    int arg;
} hover_info;

#define STATE_SPEEDS 8

typedef struct app_state {
    /* what is compared */
    options opts;               /* the command line (copy) */
    opt_setup setup;            /* the setup the scene was built from */
    opt_setup pending;          /* a changed setup, built at the next update */
    int rebuild_pending;        /* pending is waiting (the window draws "computing" first) */
    char pending_what[64];      /* what the change was, for an error message */
    scene sc;                   /* engine objects; sc.n panes */
    int have_scene;             /* sc is valid */
    char assets_dir[4096];      /* for the text corpus */
    char err[256];              /* the last failure (scene build) */
    /* per-step engine numbers from the full backward at build time (the local
     * Jacobian does not depend on where the loss is); [pane][t], t = 1..T */
    double *jac_sigma[LAYOUT_MAX_PANES];
    double *shrink[LAYOUT_MAX_PANES];
    /* the same run, for stable plot axes: largest finite state norm, smallest positive
       one, largest finite loss; the loss steps */
    double drift_max, drift_min, loss_max;
    int n_loss_steps, first_loss_step;

    /* time */
    int cursor;                 /* 0..T: steps computed and shown */
    int engine_steps;           /* steps the engine seqs hold now (-1: unknown) */
    int playing;
    int back_playing; /* the backward playhead walks toward step 1 by itself (lessons) */
    int speed;                  /* index into state_speed() */
    double play_acc;            /* seconds accumulated toward the next step */
    int back_active;            /* the backward pass is being walked */
    int back_pos;               /* ... and reveals dL/dstate at steps >= back_pos */

    /* view */
    int selected;               /* pane the equations show */
    int unit;                   /* unit the equations show (when none is hovered) */
    int scale_shared;           /* 1: one colour scale for all panes */
    int log_mag;                /* 1: states and gradients by log magnitude */
    cm_palette palette;
    cm_theme_id theme;
    int show_help;
    int fullscreen;             /* wanted; platform applies it */
    cm_scale scale_state[LAYOUT_MAX_PANES]; /* colour scales in force (update fills) */
    cm_scale scale_grad[LAYOUT_MAX_PANES];

    /* pointer */
    int mouse_x, mouse_y, mouse_in, mouse_down;
    int pressed;                /* index of the button pressed, -1 none */
    int press_valve;            /* a valve pressed: CMD_CLAMP's arg for it, -1 none */
    int clamp_queue[8];         /* CMD_CLAMP / CMD_UNCLAMP args waiting for the update */
    int n_clamp_queue;          /* (session/clamp.c applies them to the engine) */
    int scrubbing;              /* dragging on a time axis */
    hover_info hover;

    /* window */
    int w, h;                   /* output pixels */
    double dpi;
    layout L;
    int layout_dirty;
    layout_measure measure;     /* text widths for the layout (render_measure) */
    void *measure_ud;
    const view_hits *hits;      /* the views' hit tests (run/ sets them; NULL: only the
                                   layout answers) */

    char toast[200];            /* a short message in the status line */
    double toast_left;          /* seconds it stays */
    unsigned long view_gen;     /* bumps whenever cached drawings must be redone */
    unsigned long scales_gen;   /* view_gen the colour scales were computed for */
    double clock;               /* seconds since start */
    int quit;

    /* training in the window (session/train_window.c): train.w is NULL when not
       training */
    train_ui train;

    /* weights: setup.weights names the file or folder the scene was loaded from */
    int weights_trained;        /* the scene shows weights trained in the window (not on
                                   disk until kept) */
    char weights_last[4096];    /* the last weights loaded, to switch back to them */
    share_req share;            /* outputs asked for (session/share.c, run/outputs.c) */
    /* the input as edited on the track, and the typed task's text field
       (session/input_edit.c) */
    input_edits edit;

    /* the lesson player (session/lesson_player.c); NULL when none was ever opened */
    struct lesson_player *lesson;
    int present;                /* presenter mode: large type, contrast, no controls */
    int show_lessons;           /* the list of shipped lessons is open */
    int lesson_pick;            /* the highlighted row of that list */
    int handout;                /* drawing a handout's picture: no key hints */
} app_state;

/* Build the first scene from o (the window's first frame; session_init also opens a
 * lesson).  0 on success; otherwise a one-line message in err. */
int state_init(app_state *st, const options *o, const char *assets_dir, char *err,
               size_t err_len);
/* Stop training and free the scene (session_free also frees the lesson player). */
void state_free(app_state *st);
/* Build the scene for setup now (the lesson player); 0 on success, else st->err. */
int state_rebuild(app_state *st, const opt_setup *setup);
/* The state's own commands: transport, the backward walk, setup changes (built at the
 * next update), the view options, help, fullscreen, quit.  session_command sends
 * the lesson's and training's commands elsewhere. */
void state_command(app_state *st, cmd_id cmd, int arg);
/* Move the forward cursor to step t (clamped to 0..T); a backward walk restarts at
 * the new loss. */
void state_set_cursor(app_state *st, int t);
/* The update's first part: build a pending setup change, advance the clock, the
 * status message and playback (forward, or a lesson's backward walk) by dt seconds. */
void state_advance(app_state *st, double dt);
/* Ask for setup next to be built at the next update; `what` ("change the task") names
 * the change in a failure's message. */
void state_change_setup(app_state *st, const opt_setup *next, const char *what);
/* The backward playhead at step t (clamped to 1..cursor), the walk held there. */
void state_set_back_step(app_state *st, int t);
/* Select the pane of variant v (if shown) and its unit u (clamped). */
void state_select(app_state *st, gs_variant v, int u);
/* Apply the set fields of c (colour scale, magnitude, palette, theme). */
void state_set_colours(app_state *st, const gs_lesson_colours *c);
/* Keep every engine seq at the cursor: forward to it, backward from its loss. */
void state_sync_engine(app_state *st);
/* After a full pass of the scene's seqs (all T steps, backward with Jacobians), keep
 * the per-step numbers, plot ranges and loss steps the state reads from it. */
void state_take_numbers(app_state *st);

/* ---- Read-only helpers for the views --------------------------------------------- */
double state_speed(int index);            /* steps per second */
int state_T(const app_state *st);
const gs_seq *state_seq(const app_state *st, int pane);
const gs_variant_info *state_variant(const app_state *st, int pane);
/* 1 if dL/dstate at step t is revealed (computed and not hidden by the playhead). */
int state_grad_shown(const app_state *st, int pane, int t);
/* The step the backward playhead is on (the loss step when not walking). */
int state_back_step(const app_state *st);
/* The shrink factor and Jacobian norm at step t (engine numbers; NaN if unknown). */
double state_shrink(const app_state *st, int pane, int t);
double state_jac_sigma(const app_state *st, int pane, int t);
/* "mean f", "mean z" or "σ(J)": what the shrink factor is for this variant. */
const char *state_shrink_name(const gs_variant_info *vi, char *buf, size_t len);
/* Value text for a sidebar row ("adding", "16", "×1.00", "full", "shared"). */
void state_row_value(const app_state *st, cmd_id cmd, char *buf, size_t len);
/* Is this chip/toggle on (variant shown; view option on)? */
int state_button_on(const app_state *st, cmd_id cmd, int arg);
/* The step the diagram and the equations show: the backward playhead while the
 * backward pass is walked, the cursor otherwise. */
int state_focus_step(const app_state *st);
/* The pane and unit the equations show now (hover wins over selection). */
void state_focus(const app_state *st, int *pane, int *unit);
const cm_theme *state_theme(const app_state *st);
/* The scene's task (NULL without a scene). */
const gs_task *state_task(const app_state *st);
/* A short message in the status line for a few seconds. */
void state_toast(app_state *st, const char *msg);
/* The setup the next change starts from (a change not yet built counts). */
const opt_setup *state_base_setup(const app_state *st);

#endif
