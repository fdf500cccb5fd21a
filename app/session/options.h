/* options.h — everything the command line can say, parsed once (options.c) and read
 * by every mode: the CLI modes (cli/), headless rendering and the window (run/). */
#ifndef GS_APP_OPTIONS_H
#define GS_APP_OPTIONS_H

#include "gatescope.h"
#include "gatescope_lesson.h"

#define OPT_MAX_VARIANTS GS_VARIANT_COUNT

typedef enum {
    MODE_WINDOW,        /* default: open the window */
    MODE_HELP,          /* --help */
    MODE_VERSION,       /* --version */
    MODE_LIST_VARIANTS, /* --list-variants */
    MODE_LIST_TASKS,    /* --list-tasks */
    MODE_TRACE,         /* --trace FILE.csv */
    MODE_SAVE_ONLY,     /* --save-weights without --trace/window: write and exit */
    MODE_TRAIN,         /* --train: train without a window */
    MODE_CHECK,         /* --check FILE...: check lessons headless */
    MODE_SAVE_LESSON,   /* --save-lesson FILE: the view as a one-step lesson, then exit */
    MODE_PRINT_COMMAND  /* --print-command: the view's gatescope command line */
} opt_mode;

#define OPT_MAX_CLAMPS 32

/* A gate forced to a value (--clamp, a lesson's @clamp, a click on a valve): applied
 * to the model of `variant` with gs_model_clamp_gate, in the order listed. */
typedef struct opt_clamp {
    gs_variant variant;
    int gate;     /* index in the variant's gate list */
    int unit;     /* 0..n-1, or GS_ALL_UNITS */
    double value; /* 0 (closed) .. 1 (open) */
} opt_clamp;

/* The scene: what is compared, on what, how initialised.  Window and CLI share it. */
typedef struct opt_setup {
    int n_variants;
    gs_variant variants[OPT_MAX_VARIANTS]; /* in the order given */
    gs_task_kind task;
    int length;          /* T (0 = the task's default) */
    int hidden;          /* n */
    uint64_t seed;       /* weights and data */
    gs_init init;
    double init_scale;   /* the scheme's scale (0 = its default) */
    double weight_scale; /* recurrent-weight scale */
    double forget_bias;  /* NaN = the variant's default */
    int truncate;        /* 0 = full BPTT */
    char typed[1024];    /* --sequence TEXT for the typed task ("" otherwise) */
    char weights[4096];  /* the weights the window's scene starts from: a file or a
                            folder ("" = the seeded initialisation); state_init puts
                            --load-weights here, a lesson its @weights */
    int n_clamps;        /* gates forced open, shut or between (--clamp) */
    opt_clamp clamps[OPT_MAX_CLAMPS];
} opt_setup;

/* Training: the optimizer and budget (the window's Train button and --train). */
typedef struct train_setup {
    gs_optimizer optimizer;
    double lr;
    int batch;
    long iterations;   /* the budget */
    double clip;       /* global-norm clip (0 = none) */
    double clip_value; /* element-wise clip (0 = none) */
    int k1, k2;        /* truncated BPTT (0 = whole sequence) */
    uint64_t seed;     /* data stream (the setup's seed) */
    int live_ms;       /* the window's live view: a snapshot at least this often besides
                          the log schedule (0: the schedule only, as headless frames use,
                          so that what they draw does not depend on the machine's pace) */
} train_setup;

typedef struct options {
    opt_mode mode;
    opt_setup setup;
    const char *trace_path;    /* --trace */
    const char *save_weights;  /* --save-weights FILE.json (or DIR with several variants) */
    const char *load_weights;  /* --load-weights FILE.json or DIR */
    int headless;              /* --headless */
    const char *screenshot;    /* --screenshot out.png */
    int width, height;         /* --size WxH (0 = default) */
    int at;                    /* --at STEP (-1 = default) */
    int fullscreen;            /* --fullscreen */
    train_setup train;         /* --iterations, --batch, --optimizer, --lr, --clip, ... */
    const char *train_log;     /* --log FILE.csv */
    long train_steps;          /* --train-steps N: with --screenshot, train N iterations first */
    const char *lesson_path;   /* --lesson FILE */
    const char *export_dir;    /* --export-dir DIR: with --lesson --headless */
    int allow_failing;         /* --allow-failing: export even when a check fails */
    int present;               /* --present: start in presenter mode */
    char **check_files;        /* --check FILE...: the lesson files (argv entries) */
    int n_check_files;
    /* the view beyond the setup, and the teacher's outputs */
    int backward;              /* --backward[=STEP]: 0 off, -1 the playhead at the loss,
                                  STEP >= 1 there; with --record, walk back after playing */
    int select;                /* --select VARIANT[:UNIT] given */
    gs_variant select_variant; /* ... the pane the equations show */
    int select_unit;           /* ... its unit */
    gs_lesson_colours colours; /* --colours WORD,...: 0 fields = the defaults */
    const char *record;        /* --record FILE.mp4|FILE.gif: play the setup into a video */
    int fps;                   /* --fps N: frames (steps) per second of a recording */
    const char *save_lesson;   /* --save-lesson FILE.lesson */
} options;

/* Defaults: rnn, proto, gru, lstm on the adding task, T = 50, n = 16, seed 1. */
void options_default(options *o);
/* Parse argv into o.  Returns 0 on success; otherwise writes one line (without the
 * program name) into err and returns non-zero.  Nothing is printed. */
int options_parse(options *o, int argc, char **argv, char *err, size_t err_len);
/* The --help text. */
const char *options_usage(void);
/* Add the clamps of one --clamp argument, "VARIANT:GATE[UNIT]=VALUE[,...]" (GATE a gate
 * symbol such as f; UNIT a unit number; VALUE 0..1), to s.  0 on success; otherwise
 * one line into err.  Whether the variant is shown and the unit exists is checked by
 * options_check_clamps, once the whole setup is known. */
int options_parse_clamps(opt_setup *s, const char *arg, char *err, size_t err_len);
/* Drop the clamps of variants s does not show (after its variants were cut or hidden). */
void options_drop_unshown_clamps(opt_setup *s);
/* 0 if every clamp of s names a shown variant and an existing unit; otherwise one line
 * into err. */
int options_check_clamps(const opt_setup *s, char *err, size_t err_len);

#endif
