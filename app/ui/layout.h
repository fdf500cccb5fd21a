/* layout.h — every rectangle on screen, computed from the window size (in output
 * pixels) and what is shown.  Pure arithmetic, no SDL: tests call it to check that no
 * two boxes overlap.  Views lay out their own insides within the boxes given here. */
#ifndef GS_APP_LAYOUT_H
#define GS_APP_LAYOUT_H

#include "gatescope.h"
#include "ui/commands.h"

typedef struct box {
    int x, y, w, h;
} box;

typedef enum font_id {
    FONT_SMALL,  /* axis labels, captions */
    FONT_BODY,   /* most text */
    FONT_BOLD,   /* section headers, button labels */
    FONT_TITLE,  /* pane titles */
    FONT_BIG,    /* the step counter */
    FONT_MONO,   /* numbers that must line up */
    FONT_MATH,   /* the equations */
    FONT_SUB,    /* subscripts in the equations and the diagram */
    FONT_NAME,   /* variant names ("rnn") in chips, badges and legends: small type with
                    a pixel between letters, so that r and n never melt into m */
    FONT_COUNT
} font_id;

/* Text width in pixels of s in font f (layout asks; render answers). */
typedef int (*layout_measure)(void *ud, font_id f, const char *s);

enum { LAYOUT_MAX_PANES = 8, LAYOUT_MAX_STRIPS = 8, LAYOUT_MAX_BUTTONS = 64, LAYOUT_MAX_ROWS = 16 };

/* Which colour scale a heatmap strip uses. */
typedef enum strip_scale {
    STRIP_GATE,  /* sigmoid, 0..1, sequential */
    STRIP_TANH,  /* candidate, -1..1, diverging */
    STRIP_STATE, /* carried state: diverging, range from the data */
    STRIP_GRAD   /* dL/dstate: diverging, range from the data */
} strip_scale;

typedef struct strip_def {
    gs_quantity q;  /* GS_Q_GATE, GS_Q_CAND, GS_Q_STATE, GS_Q_D_STATE */
    int index;      /* gate or state number */
    strip_scale scale;
    char label[32]; /* "f", "s̃", "c", "∂L/∂c" (UTF-8) */
    char name[48];  /* "forget gate f", "candidate s̃", ... for tooltips */
} strip_def;

/* The strips a pane of variant v shows, in order: gates, candidate, states,
 * gradients.  Returns how many (<= max). */
int layout_strips_for(gs_variant v, strip_def *out, int max);

/* The rows of the sequence track (pane_box.track_row): what the cells read, what
 * they should say and what they say, and what it costs. */
enum { TRACK_IN, TRACK_OUT, TRACK_LOSS, TRACK_ROWS };

typedef struct pane_box {
    box all;                          /* the whole pane */
    box header;                       /* title, badges */
    box diagram;                      /* the cell diagram */
    box track;                        /* the sequence track: its rows and their labels */
    box track_label[TRACK_ROWS];      /* "x", "target / y", "loss", left of the rows */
    box track_row[TRACK_ROWS];        /* input; target and prediction; loss.  Same x and
                                         width as the strips: step t is where its
                                         heatmap column is (layout_cell) */
    box heat;                         /* all strips and the time axis */
    box readout;                      /* per-step numbers under the strips */
    int n_strips;
    box label[LAYOUT_MAX_STRIPS];     /* strip name, left of the strip and its marks */
    box strip[LAYOUT_MAX_STRIPS];     /* units x time cells */
    box marks[LAYOUT_MAX_STRIPS];     /* beyond-range / inf / NaN ticks under a strip */
    box axis;                         /* the time axis under the last strip */
} pane_box;

typedef enum button_kind {
    BK_PLAIN, BK_PRIMARY, BK_STEP_DOWN, BK_STEP_UP,
    BK_CYCLE,         /* shows the value; its row label sits to its left */
    BK_CYCLE_LABELLED,/* compact: "Label: value" inside the button */
    BK_CHIP
} button_kind;

typedef struct button_box {
    box b;
    cmd_id cmd;
    int arg;
    button_kind kind;
} button_box;

/* A labelled control row in the sidebar (steppers and cycles). */
typedef struct row_box {
    cmd_id cmd;
    box label;  /* "Hidden n" */
    box value;  /* "16" (between the stepper's buttons, or the cycle button's text) */
} row_box;

typedef struct layout_input {
    int w, h;        /* output size in pixels */
    double dpi;      /* output pixels per window point (1, or 2 on high-DPI) */
    int n_panes;     /* 1..8 (more than 4: compact panes in two rows) */
    int T;           /* sequence length (the step counter is sized for its digits) */
    gs_variant variants[LAYOUT_MAX_PANES];
    int training;    /* the training panel replaces the drift and loss plots */
    layout_measure measure; /* NULL: estimate from the font size */
    void *measure_ud;
    int narrative;   /* a lesson is open: its narrative panel on the right (2: the
                        full height, for a long text) */
    int present;     /* presenter mode: larger type, no sidebar, no buttons */
} layout_input;

typedef struct layout {
    int w, h;
    double ui;                   /* scale of everything: 1 at 1280x800 */
    int font_px[FONT_COUNT];     /* pixel size of each font */
    int pad, gap, line;          /* spacing; base line width */
    int button_h;

    box topbar, sidebar, status, main;
    box title;                   /* "gatescope" in the top bar */
    box step_text;               /* "step 12 / 50" */
    box speed_text;              /* between the speed buttons */
    box back_text;               /* the backward playhead's caption */
    box side_head[4];            /* sidebar section titles: variants, setup, view, legend */
    box side_greff;              /* the caption over the chips of Greff's ablations */
    box legend;                  /* colour bars and glyph legend */
    box panes_area, bottom;
    box plot_drift, plot_grad, plot_loss, equations;
    box train;                   /* the training panel (0 x 0 when not training; then
                                    plot_drift and plot_loss are 0 x 0) */

    int n_panes;
    int compact;                 /* more than four panes: two rows, no cell diagrams */
    pane_box pane[LAYOUT_MAX_PANES];
    strip_def strips[LAYOUT_MAX_PANES][LAYOUT_MAX_STRIPS];

    int n_buttons;
    button_box button[LAYOUT_MAX_BUTTONS];
    int n_rows;
    row_box row[LAYOUT_MAX_ROWS];
    int icons_only;              /* the top bar had to drop its button labels */
    /* the lesson's narrative panel (0 x 0 without a lesson) */
    box narrative;               /* the whole panel */
    box nar_title;               /* the lesson's title */
    box nar_progress;            /* dots and "step k of N" */
    box nar_text;                /* the step's heading and prose */
    int present;                 /* laid out for presenter mode */
} layout;

void layout_compute(layout *L, const layout_input *in);
/* Every leaf box (buttons, labels, strips, plots, ...) with a name, for overlap
 * tests.  Returns how many were written (<= max). */
int layout_leaves(const layout *L, box *out, const char **names, int max);
/* The button under (x, y), or NULL. */
const button_box *layout_button_at(const layout *L, int x, int y);
int box_contains(box b, int x, int y);
int box_overlap(box a, box b);
/* The smallest box holding both (an empty box adds nothing). */
box box_union(box a, box b);
box box_inset(box b, int d);

/* The cell of a strip holding (unit, step), for T steps and n units: exactly where
 * the heatmap puts it.  Steps are 1..T, units 0..n-1. */
box layout_cell(box strip, int n_units, int T, int unit, int step);
/* The (unit, step) under (x, y) in a strip; 0 if outside. */
int layout_cell_at(box strip, int n_units, int T, int x, int y, int *unit, int *step);

/* ---- Inside two panels: what their views draw and the pointer hits ---------------- */

/* The training panel b (L->train): header, loss axes, legend, snapshot scrubber. */
typedef struct train_panel_box {
    box head;       /* "Training  it 120 / 3000  ·  240 it/s" */
    box plot;       /* the loss axes (room for their labels on the left) */
    box legend;     /* per variant: loss, success */
    box scrub;      /* the snapshot track */
    box scrub_text; /* its caption */
} train_panel_box;
train_panel_box layout_train_panel(const layout *L, box b);

/* The list of shipped lessons (the start screen) for n lessons, centred: as many rows
 * as fit. */
typedef struct lesson_list_box {
    box panel, head, foot;
    int row_h, rows; /* row height; rows shown */
    int x, w, y0;    /* the rows' left edge, width and top */
} lesson_list_box;
lesson_list_box layout_lesson_list(const layout *L, int n);
/* The row under (x, y), or -1. */
int layout_lesson_list_row(const lesson_list_box *g, int x, int y);

#endif
