/* gatescope_lesson.h — the lesson format: a plain-text guided tour (a title, then
 * steps, each with prose and @directives that set the scene and state what the scene
 * must show) parsed into plain, read-only structs, and the evaluator that checks a
 * step's expectations against computed sequences.  libc only (plus the engine's name
 * tables); no printing, no globals.  The format is documented for teachers in
 * lessons/README.md.
 *
 *     gs_lesson *l; gs_error err;
 *     if (gs_lesson_parse(&l, "vanilla.lesson", text, len, NULL, &err) != GS_OK)
 *         fprintf(stderr, "%s\n", err.msg);  // "vanilla.lesson:4:2: unknown directive ..."
 *     for (int i = 0; i < l->n_steps; i++) {
 *         const gs_lesson_step *st = &l->steps[i];
 *         // set up st->setup, run it, then:
 *         gs_lesson_failure fails[8];
 *         int nf = gs_lesson_step_check(l, st, variants, seqs, n, fails, 8);
 *     }
 *     gs_lesson_destroy(l);
 *
 * Errors: parse errors read `file:line:col: what is wrong [near 'token']` (line and col
 * 1-based, col counted in characters) and are also given as err->line / err->col.
 * Memory: everything a gs_lesson points to is owned by it and lives until
 * gs_lesson_destroy; all of it comes from the allocator given to the parser.
 */
#ifndef GATESCOPE_LESSON_H
#define GATESCOPE_LESSON_H

#include "gatescope.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (each has its own error message) ------------------------------------ */

#define GS_LESSON_MAX_BYTES (1024 * 1024) /* a lesson file, in bytes */
#define GS_LESSON_MAX_STEPS 200           /* steps in a lesson */
#define GS_LESSON_MAX_EXPECTS 32          /* @expect lines in one step */
#define GS_LESSON_MAX_HEADING 200         /* bytes in the title or a step heading */
#define GS_LESSON_MAX_QUANTITY 24         /* bytes in a quantity name, with the NUL */
#define GS_LESSON_MAX_CLAMPS 16           /* gates one @clamp line forces */
#define GS_LESSON_MAX_TRAIN 100000        /* @train: iterations */
#define GS_LESSON_MAX_VISIBLE 16          /* @visible lines in one step */
/* the speeds @play N may ask for, in steps per second (the window's own speeds) */
#define GS_LESSON_N_PLAY_SPEEDS 8
#define GS_LESSON_PLAY_SPEEDS { 0.5, 1, 2, 4, 8, 15, 30, 60 }

/* ---- Prose: paragraphs of styled runs -------------------------------------------- */

/* Style flags of a run; they combine (*emphasis with `σ`* is EMPH | SYMBOL). */
enum {
    GS_STYLE_PLAIN = 0,
    GS_STYLE_EMPH = 1,   /* *text* */
    GS_STYLE_STRONG = 2, /* **text** */
    GS_STYLE_SYMBOL = 4  /* `formula`, a \name escape, or Greek/math characters */
};

typedef struct gs_lesson_run {
    const char *text; /* UTF-8, NUL-terminated, escapes already expanded */
    int len;          /* bytes in text */
    unsigned style;   /* GS_STYLE_* flags */
} gs_lesson_run;

typedef struct gs_lesson_para {
    int line;                  /* 1-based line where the paragraph starts */
    int bullet;                /* 1 for a "- item" line */
    int n_runs;
    const gs_lesson_run *runs; /* lines of a paragraph are joined with one space */
} gs_lesson_para;

typedef struct gs_lesson_prose {
    const char *raw;              /* the lines as written ("" if none), blank lines
                                     between paragraphs kept, no trailing newline */
    int n_paras;
    const gs_lesson_para *paras;
} gs_lesson_prose;

/* ---- The scene a step sets up ------------------------------------------------------ */

/* A gate forced to a value (@clamp VARIANT:GATE[UNIT]=VALUE), as gs_model_clamp_gate
 * takes it. */
typedef struct gs_lesson_clamp {
    gs_variant variant;
    int gate;        /* index in gs_variant_get(variant)->gates */
    int unit;        /* 0..hidden-1, or GS_ALL_UNITS */
    double value;    /* 0..1 */
    int line, col;   /* where it was written (an inherited clamp keeps its step's) */
} gs_lesson_clamp;

/* What the models and the data are: everything here carries over to later steps. */
typedef struct gs_lesson_setup {
    int n_variants;                      /* 1..GS_VARIANT_COUNT */
    gs_variant variants[GS_VARIANT_COUNT]; /* in the order written, no repeats */
    gs_task_kind task;
    uint64_t seed;                       /* weights and data */
    int hidden;                          /* n, 1..4096 */
    int length;                          /* T, 1..100000; 0 = the task's default */
    gs_init init;
    double init_scale;                   /* 0 = the scheme's default */
    double weight_scale;                 /* multiplies the recurrent matrices */
    double forget_bias;                  /* NaN = the variant's default */
    int truncate;                        /* BPTT window; 0 = full */
    int backward;                        /* 1: the backward playhead runs */
    const char *weights;                 /* @weights: a weights file or folder as written
                                            (relative to the lesson's folder); NULL = the
                                            seeded initialisation */
    const char *sequence;                /* @sequence: the typed task's text; NULL if none */
    int train;                           /* @train N: every variant is trained N iterations
                                            (same data, same budget) before the step is
                                            shown and checked; 0 = untrained */
    double train_lr;                     /* @train N lr X: its learning rate; 0 = 0.001 */
    int n_clamps;                        /* @clamp: gates forced, applied in order after
                                            training (none = 0) */
    gs_lesson_clamp clamps[GS_LESSON_MAX_CLAMPS];
} gs_lesson_setup;

/* How the scene is coloured (@colours, and the app's --colours): each field 0 leaves
 * the viewer's choice as it is. */
typedef struct gs_lesson_colours {
    int scale;     /* 1 one colour scale shared by the panes, 2 one per pane */
    int magnitude; /* 1 linear, 2 log magnitude */
    int palette;   /* 1 viridis, 2 plasma */
    int theme;     /* 1 dark, 2 light, 3 high contrast */
} gs_lesson_colours;

#define GS_LESSON_CURSOR_START 0  /* the initial state, before step 1 */
#define GS_LESSON_CURSOR_END (-1) /* the last step */

typedef enum gs_lesson_view {
    GS_LESSON_VIEW_NONE,
    GS_LESSON_VIEW_CELL,
    GS_LESSON_VIEW_GATES,
    GS_LESSON_VIEW_DRIFT,
    GS_LESSON_VIEW_GRADIENT,
    GS_LESSON_VIEW_LOSS,
    GS_LESSON_VIEW_EQUATIONS,
    GS_LESSON_VIEW_TRACK,     /* the sequence track: input, target, prediction, loss */
    GS_LESSON_VIEW_COUNT
} gs_lesson_view;

typedef enum gs_lesson_highlight {
    GS_LESSON_HL_NONE,
    GS_LESSON_HL_GATE,      /* the gate named by highlight_gate */
    GS_LESSON_HL_STATE,     /* the carried state (s, or c) */
    GS_LESSON_HL_CANDIDATE, /* s̃ / c̃ / n */
    GS_LESSON_HL_GRADIENT,  /* dL/dstate */
    GS_LESSON_HL_COUNT
} gs_lesson_highlight;

/* ---- Expectations ---------------------------------------------------------------- */

typedef enum gs_lesson_op { GS_OP_LT, GS_OP_LE, GS_OP_GT, GS_OP_GE, GS_OP_EQ, GS_OP_NE } gs_lesson_op;

#define GS_LESSON_AT_EACH 0    /* a per-step quantity without `at`: uses the qualifier */
#define GS_LESSON_AT_LAST (-1) /* `at last`; `at first` is stored as 1 */

/* One side of a comparison: a number, or coef * VARIANT QUANTITY [at STEP]. */
typedef struct gs_lesson_term {
    int is_number;   /* 1: the term is just `value` */
    double value;    /* the number, or the coefficient of the quantity (1 if none) */
    gs_variant variant;
    char quantity[GS_LESSON_MAX_QUANTITY]; /* a name gs_seq_scalar knows */
    int whole;       /* 1: a whole-sequence quantity (at is then ignored) */
    int at;          /* step 1.., GS_LESSON_AT_LAST, or GS_LESSON_AT_EACH */
} gs_lesson_term;

typedef enum gs_lesson_qual {
    GS_QUAL_NONE,       /* no per-step side: evaluated once */
    GS_QUAL_SOMEWHERE,  /* holds at some step (the default for a per-step side) */
    GS_QUAL_EVERYWHERE, /* holds at every step */
    GS_QUAL_BEFORE,     /* holds at some step t < qual_step */
    GS_QUAL_AFTER       /* holds at some step t > qual_step */
} gs_lesson_qual;

typedef struct gs_lesson_expect {
    int line;            /* 1-based line of the @expect */
    const char *text;    /* what follows @expect, as written (trimmed) */
    gs_lesson_term lhs, rhs;
    gs_lesson_op op;
    gs_lesson_qual qual;
    int qual_step;       /* N of before/after */
    double tol;          /* `== X within TOL`: |lhs - rhs| <= tol (0: exactly equal) */
    int bound;           /* 1: `by construction`, a bound the equations guarantee (tanh, σ,
                            a weighted average): its margin is not asked for */
} gs_lesson_expect;

/* ---- Visibility: what must be on screen at a step ------------------------------- */

typedef enum gs_lesson_sight {
    GS_SIGHT_BACKWARD, /* `@visible backward to N`: dL/dstate revealed from the loss down to N */
    GS_SIGHT_VIEW,     /* `@visible view NAME`: the view on screen, not covered */
    GS_SIGHT_TRACK     /* `@visible track`: the sequence track (the inputs and targets) */
} gs_lesson_sight;

typedef struct gs_lesson_visible {
    int line;            /* 1-based line of the @visible */
    const char *text;    /* what follows @visible, as written (trimmed) */
    gs_lesson_sight what;
    int step;            /* GS_SIGHT_BACKWARD: the step it must reach (1..) */
    gs_lesson_view view; /* GS_SIGHT_VIEW */
    int implied;         /* 1: not written, but stated by the step's @view (line is its) */
} gs_lesson_visible;

/* ---- Steps and the lesson ---------------------------------------------------------- */

typedef struct gs_lesson_step {
    int line;                 /* 1-based line of the "## heading" */
    const char *heading;      /* escapes expanded */
    gs_lesson_prose prose;
    const char *notes;        /* @note lines for the presenter, joined by '\n'; "" if none */
    gs_lesson_setup setup;    /* resolved: inherited and changed by this step */
    int cursor;               /* step number 1.., GS_LESSON_CURSOR_START or _END */
    int play;                 /* 1: play from the cursor; 0: paused there */
    double play_speed;        /* steps per second of @play N (one of GS_LESSON_PLAY_SPEEDS);
                                 0: the window's speed as it is */
    gs_lesson_view view;      /* which view to spotlight */
    gs_lesson_highlight highlight;
    char highlight_gate[4];   /* gate symbol ("f") when highlight == GS_LESSON_HL_GATE */
    int back_step;            /* @backward STEP: the backward playhead there; 0 = at the loss */
    int select;               /* @select: 1 if given */
    gs_variant select_variant;/* ... the pane whose equations show */
    int select_unit;          /* ... and its unit (0-based) */
    gs_lesson_colours colours;/* @colours; all 0 if not given */
    int n_expects;
    const gs_lesson_expect *expects;
    int n_visible;            /* @visible lines */
    const gs_lesson_visible *visible;
} gs_lesson_step;

/* A parsed lesson.  Read-only for its users; made by gs_lesson_parse. */
typedef struct gs_lesson {
    const char *name;        /* the name given to the parser (for messages) */
    const char *title;       /* escapes expanded */
    gs_lesson_prose intro;   /* between the title and the first step */
    int n_steps;             /* >= 1 */
    const gs_lesson_step *steps;
    gs_allocator alloc;      /* what it was allocated with */
    void *mem_;              /* private: the lesson's memory blocks */
} gs_lesson;

/* ---- Parsing ---------------------------------------------------------------------- */

/* Parse len bytes of lesson text (need not be NUL-terminated; any bytes are safe).
 * name is used in messages ("vanilla.lesson").  alloc may be NULL (libc).  On
 * success *out owns a new lesson; otherwise *out is NULL and err says what is
 * wrong: GS_ERR_PARSE with `name:line:col: ...`, GS_ERR_NOMEM, or GS_ERR_ARG. */
gs_status gs_lesson_parse(gs_lesson **out, const char *name, const char *text, size_t len,
                          const gs_allocator *alloc, gs_error *err);
/* Read the file at path and parse it, with path as the name.  GS_ERR_IO if it cannot
 * be read. */
gs_status gs_lesson_load(gs_lesson **out, const char *path, const gs_allocator *alloc,
                         gs_error *err);
/* Free a lesson and everything it points to.  NULL is a no-op. */
void gs_lesson_destroy(gs_lesson *l);

/* The defaults a lesson starts from (variants rnn,proto,gru,lstm; adding; seed 1; ...). */
gs_lesson_setup gs_lesson_setup_default(void);
/* 1 if a and b set up the same models and data (NaN forget biases compare equal;
 * training and clamps count, the clamps' positions do not): the player rebuilds its
 * scene only when this is 0 between two steps. */
int gs_lesson_setup_equal(const gs_lesson_setup *a, const gs_lesson_setup *b);
/* Names, as the format spells them; NULL when out of range. */
const char *gs_lesson_view_name(gs_lesson_view v);
const char *gs_lesson_init_name(gs_init i);
const char *gs_lesson_op_name(gs_lesson_op op);
/* Apply one word of @colours to c: shared, per-pane, linear, log, viridis, plasma,
 * dark, light or contrast (len bytes of word).  0 if it is one of them, -1 if not. */
int gs_lesson_colours_word(gs_lesson_colours *c, const char *word, size_t len);
/* The set fields of c as their words, in that order, joined by sep ("dark viridis");
 * "" when none is set. */
void gs_lesson_colours_words(const gs_lesson_colours *c, char sep, char *buf, size_t len);
/* The words @colours accepts, comma-separated, for messages. */
const char *gs_lesson_colours_all(void);

/* ---- Checking expectations -------------------------------------------------------- */

/* What a step's expectations need computed beyond the forward pass. */
enum {
    GS_LESSON_NEEDS_BACKWARD = 1, /* some quantity comes from backward (d_*, has_grad, ...) */
    GS_LESSON_NEEDS_JACOBIAN = 2  /* jac_sigma or shrink: backward with opts.jacobian = 1 */
};
unsigned gs_lesson_step_needs(const gs_lesson_step *step);

typedef struct gs_lesson_failure {
    int line;       /* line of the failing @expect */
    int index;      /* its index in step->expects */
    char msg[512];  /* "file:line: expected ..., but ..." (one line) */
} gs_lesson_failure;

/* How far an expectation holds from its threshold (lessons/README.md, "Margins").
 * With a and b the two sides (coefficients applied) at the step that decides:
 *   FACTOR  `<` `<=` `>` `>=` with a and b of one sign and neither zero: the ratio of
 *           the larger to the smaller magnitude, taken the way the comparison points
 *           (> 1 holds, < 1 fails; a threshold that sits on the value gives 1);
 *           `== within TOL`: TOL over |a - b|;
 *   DIFF    the other comparisons: the signed relative difference
 *           (b - a) / max(|a|, |b|) for `<`, `<=`, (a - b) / max(...) for `>`, `>=`,
 *           |a - b| / max(...) for `!=` (>= 0 holds; 0 when both are 0);
 *   EXACT   `==` held exactly (a structural fact: a count, a flag, equal runs);
 *   BOUND   `by construction`: a bound the equations guarantee;
 *   NONE    no margin (a NaN, or the expectation could not be evaluated).
 * Over a range of steps the margin is the worst step's for `everywhere`, the best
 * step's otherwise. */
typedef enum gs_lesson_margin_kind {
    GS_MARGIN_NONE,
    GS_MARGIN_FACTOR,
    GS_MARGIN_DIFF,
    GS_MARGIN_EXACT,
    GS_MARGIN_BOUND
} gs_lesson_margin_kind;

/* A margin is thin (`--check` warns) when the value would have to move by less than a
 * fifth to fail: a factor under 1.25 (= 1 / (1 - 0.2)), a difference under 20 %. */
#define GS_LESSON_THIN_FACTOR 1.25
#define GS_LESSON_THIN_DIFF 0.2

typedef struct gs_lesson_result {
    int holds;                  /* 1 if the expectation holds */
    gs_lesson_margin_kind kind;
    double margin;              /* the factor or relative difference (kind above) */
    int step;                   /* the step the margin was taken at (0: fixed sides) */
    double lhs, rhs;            /* the two sides there, coefficients applied */
    char msg[512];              /* on failure: "file:line: expected ..., but ..." */
} gs_lesson_result;

/* Evaluate one expectation into *out (never NULL): the verdict, the margin and, when
 * it fails, the message gs_lesson_expect_eval gives.  Returns out->holds. */
int gs_lesson_expect_check(const gs_lesson *l, const gs_lesson_expect *e,
                           const gs_variant *variants, const gs_seq *const *seqs, int n,
                           gs_lesson_result *out);
/* 1 if r holds by less than GS_LESSON_THIN_FACTOR / GS_LESSON_THIN_DIFF (EXACT,
 * BOUND and failed results are never thin). */
int gs_lesson_margin_thin(const gs_lesson_result *r);
/* "×12.5", "38 %", "exact", "by construction" or "none": r's margin, for messages. */
void gs_lesson_margin_text(const gs_lesson_result *r, char *buf, size_t len);

/* Evaluate one expectation against the computed sequences: seqs[i] holds the run of
 * variants[i] (n of them; NULL entries are allowed and count as missing).  Returns 1
 * if it holds, 0 if not (then msg, if not NULL, gets `file:line: expected ..., but
 * <the actual values>`).  Steps are those computed in each seq; a NaN never
 * satisfies a comparison. */
int gs_lesson_expect_eval(const gs_lesson *l, const gs_lesson_expect *e,
                          const gs_variant *variants, const gs_seq *const *seqs, int n,
                          char *msg, size_t msg_len);
/* Evaluate every expectation of step; the first max failures go to out (may be NULL
 * when max is 0).  Returns how many expectations failed. */
int gs_lesson_step_check(const gs_lesson *l, const gs_lesson_step *step,
                         const gs_variant *variants, const gs_seq *const *seqs, int n,
                         gs_lesson_failure *out, int max);

#ifdef __cplusplus
}
#endif
#endif /* GATESCOPE_LESSON_H */
