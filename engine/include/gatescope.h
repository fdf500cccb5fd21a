/* gatescope.h — the numeric engine of gatescope: recurrent cells stepped one time
 * step at a time and differentiated exactly.  C11 + cblas + libm; no SDL, no
 * printing, no globals.
 *
 * ---- What it does --------------------------------------------------------------
 * A gs_model holds the parameters (and their gradients) of one cell variant from
 * shared/design/variants.md plus a linear readout.  A gs_seq runs that model over a
 * sequence of inputs one step at a time, keeps the whole history (the trace), and
 * runs backpropagation through time over the steps done so far, filling per-step
 * dL/dstate, norms and local-Jacobian singular values.  A gs_task fills a gs_seq's
 * inputs, targets and loss mask from a seeded generator.  A gate clamp forces one
 * gate of a model open, shut or anywhere between, forward and backward (what-if).
 *
 *     gs_model *m; gs_seq *s; gs_task *task; gs_error err;
 *     gs_task_config tc = gs_task_config_default(GS_TASK_ADDING);
 *     gs_task_create(&task, &tc, &err);
 *     gs_model_config mc = gs_model_config_default(GS_LSTM, gs_task_n_in(task),
 *                                                  16, gs_task_n_out(task));
 *     gs_model_create(&m, &mc, &err);
 *     gs_seq_create(&s, m, 50, 1, &err);
 *     gs_seq_fill(s, task, 7);             // inputs, targets, loss mask from seed 7
 *     gs_seq_forward(s, 50);               // step 50 times
 *     gs_backward_opts bo = {0};
 *     gs_seq_backward(s, &bo);             // dL/dstate per step, grads in the model
 *
 * ---- Conventions ---------------------------------------------------------------
 * Errors: every fallible function returns a gs_status and, when not GS_OK, writes a
 * one-line message into the caller's gs_error (which may be NULL); nothing exits.
 * Memory: matrices are row-major.  A step's user-facing number t runs 1..T; s_0 is
 * the initial state.  A batch of B sequences is stored (T, B, ·): step-major, then
 * batch row.  Recurrent matrices W* are n×n, input matrices U* are n×m, the readout V
 * is k×n (m inputs, n hidden units, k outputs).  Views returned by gs_seq_* point into
 * engine memory and are valid until the next call that mutates that seq.
 * Real type: gs_real is float, or double when GS_REAL_DOUBLE is defined (the
 * gradient-check build).
 */
#ifndef GATESCOPE_H
#define GATESCOPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef GS_REAL_DOUBLE
typedef double gs_real;
#else
typedef float gs_real;
#endif

/* ---- Status, errors, allocation ------------------------------------------------ */

typedef enum gs_status {
    GS_OK = 0,
    GS_ERR_NOMEM,   /* an allocation failed */
    GS_ERR_ARG,     /* an argument is out of range or inconsistent */
    GS_ERR_PARSE,   /* malformed text (lesson, JSON) */
    GS_ERR_IO,      /* a file could not be opened, read or written */
    GS_ERR_STATE    /* the call does not fit the object's state (e.g. no steps yet) */
} gs_status;

typedef struct gs_error {
    char msg[256]; /* one line, no trailing newline */
    int line, col; /* 1-based position for parse errors, 0 otherwise */
} gs_error;

/* realloc-like hook: n == 0 frees p and returns NULL.  NULL hook means libc. */
typedef struct gs_allocator {
    void *(*realloc)(void *ud, void *p, size_t n);
    void *ud;
} gs_allocator;

/* Short name of a status ("out of memory", ...). */
const char *gs_status_name(gs_status s);
/* Untrusted text (a path, a name from a file) made safe for a one-line message:
 * s[0..len) into dst (cap bytes, NUL-terminated) with \n \t \r, other control bytes
 * (\x1b), invalid UTF-8, backslash and ' escaped, C1 and bidi code points as \uXXXX,
 * and "..." where it does not fit (cap >= 8).  Returns dst.  Every engine message
 * already quotes what it shows this way. */
char *gs_quote(char *dst, size_t cap, const char *s, size_t len);

/* ---- Random numbers (explicit state, same stream on every machine) ------------ */

typedef struct gs_rng {
    uint64_t s[4]; /* xoshiro256** state */
} gs_rng;

void gs_rng_seed(gs_rng *r, uint64_t seed);
uint64_t gs_rng_u64(gs_rng *r);
double gs_rng_uniform(gs_rng *r);             /* [0, 1) with 53 random bits */
double gs_rng_normal(gs_rng *r);              /* standard normal (Box-Muller) */
int gs_rng_below(gs_rng *r, int n);           /* uniform integer in [0, n), n > 0 */

/* ---- Variants ------------------------------------------------------------------ */

typedef enum gs_variant {
    GS_RNN,      /* vanilla tanh RNN */
    GS_PROTO,    /* prototype LSTM: read before write, unbounded state */
    GS_NORM,     /* normalized prototype */
    GS_GRU,      /* GRU with reset before the product */
    GS_GRU_RA,   /* GRU with reset after the product (PyTorch/cuDNN) */
    GS_PSEUDO,   /* pseudo LSTM: state squashed where it is read */
    GS_LSTM,     /* basic LSTM (c, h) */
    GS_PEEPHOLE, /* LSTM with diagonal peepholes: Greff et al.'s vanilla LSTM */
    /* Greff et al. (2015)'s eight ablations of the vanilla LSTM (= peephole), each
     * removing or changing one thing (docs/variants-greff.md has the equations): */
    GS_NIG,      /* no input gate: i = 1 */
    GS_NFG,      /* no forget gate: f = 1 */
    GS_NOG,      /* no output gate: o = 1 */
    GS_NIAF,     /* no input activation: the candidate is the linear block input */
    GS_NOAF,     /* no output activation: h = o ⊙ c */
    GS_NP,       /* no peepholes (the same function as lstm, under its own name) */
    GS_CIFG,     /* coupled input and forget gate: f = 1 - i */
    GS_FGR,      /* full gate recurrence: the gates also read the previous i, f, o */
    GS_VARIANT_COUNT
} gs_variant;

typedef enum gs_gate_role {
    GS_ROLE_WRITE,  /* i: how much of the candidate is written */
    GS_ROLE_READ,   /* o: how much of the state is read */
    GS_ROLE_FORGET, /* f: how much of the old state is kept (1 = keep) */
    GS_ROLE_UPDATE, /* z (GRU): 1 = keep old state */
    GS_ROLE_RESET   /* r (GRU): plays the read role */
} gs_gate_role;

typedef struct gs_gate_info {
    const char *symbol; /* "i", "o", "f", "z", "r": the trace/CSV quantity name */
    const char *name;   /* "write", "read", "forget", "update", "reset" */
    gs_gate_role role;
} gs_gate_info;

#define GS_MAX_GATES 3
#define GS_MAX_STATES 2
#define GS_MAX_EQUATIONS 8

typedef struct gs_variant_info {
    gs_variant id;
    const char *name;          /* "lstm" — what flags and lessons use */
    const char *title;         /* "Basic LSTM" */
    const char *summary;       /* one sentence: why this design exists */
    int n_gates;               /* 0..3 sigmoid gates, listed in gates[] (a gate a variant
                                  removes, as nig removes i, is not listed) */
    gs_gate_info gates[GS_MAX_GATES];
    const char *cand_symbol;   /* "cand" for s̃/c̃, "n" for gru-ra, NULL for rnn */
    const char *cand_display;  /* "s̃" / "c̃" / "n" (UTF-8), NULL for rnn */
    int n_states;              /* 1: s; 2: c and h */
    const char *state_symbols[GS_MAX_STATES]; /* "s" or "c","h" */
    const char *output_display;/* "s_t", "φ(s_t)", "h_t" */
    int bounded;               /* 1 if the carried state cannot grow without bound */
    int normalized;            /* 1: the new state is divided by sqrt(Var + 1) (norm) */
    int peepholes;             /* 1: the gates also see c through diagonal weights */
    int reset_after;           /* 1: the reset gate multiplies W s after the product (gru-ra) */
    int cand_linear;           /* 1: the candidate is the linear block input, no φ (niaf) */
    int out_linear;            /* 1: the output is h = o ⊙ c, no φ (noaf) */
    int coupled;               /* 1: the forget factor is 1 - i, not a gate of its own (cifg):
                                  the write gate sets both valves */
    int gate_recurrence;       /* 1: every gate also reads the previous step's gates through
                                  the n×n matrices G_<gate><source> (fgr) */
    const char *equations[GS_MAX_EQUATIONS]; /* the step's exact equations, one per line
                                  (UTF-8, the symbols of variants.md), in the order the
                                  step computes them; NULL after the last */
} gs_variant_info;

/* Static description of v; NULL if v is out of range. */
const gs_variant_info *gs_variant_get(gs_variant v);
/* Look a variant up by name ("gru-ra"); GS_ERR_ARG (with a message naming the
 * valid names) when unknown. */
gs_status gs_variant_from_name(const char *name, gs_variant *out, gs_error *err);

/* ---- Models: parameters and gradients ------------------------------------------ */

typedef enum gs_init {
    GS_INIT_UNIFORM,   /* every weight U(-a, a), a = init_scale or 1/sqrt(n) */
    GS_INIT_XAVIER,    /* U(-sqrt(6/(fan_in+fan_out)), +) per matrix */
    GS_INIT_ORTHOGONAL /* recurrent matrices orthogonal (QR of a Gaussian); others xavier */
} gs_init;

typedef struct gs_model_config {
    gs_variant variant;
    int n_in;            /* m: input size */
    int n_hidden;        /* n: state size */
    int n_out;           /* k: readout size */
    gs_init init;
    double init_scale;   /* uniform: a (0 = 1/sqrt(n)); orthogonal: gain (0 = 1) */
    double weight_scale; /* multiplies every recurrent matrix W* after init (1 = none) */
    double forget_bias;  /* b_f for the LSTM family, b_z (b_hz) for the GRUs;
                            NaN = default: 1 for the LSTM family, 0 for the GRUs */
    uint64_t seed;       /* weights are a pure function of (config, seed) */
    gs_allocator alloc;  /* NULL realloc = libc */
} gs_model_config;

typedef struct gs_model gs_model;

/* Named view of one parameter tensor: element (r, c) is data[r * ld + c].
 * Vectors have cols == 1 and ld == 1. */
typedef struct gs_tensor {
    const char *name; /* "W_i", "U_i", "b_i", ..., "V", "c", "s0" (as variants.md) */
    int rows, cols, ld;
    size_t offset;    /* of element (0,0) in the flat parameter block */
    int is_state;     /* 1 for initial-state tensors (s0, c0, h0) */
} gs_tensor;

gs_model_config gs_model_config_default(gs_variant v, int n_in, int n_hidden, int n_out);
/* Creates and initialises a model.  GS_ERR_ARG for sizes < 1 or > 4096. */
gs_status gs_model_create(gs_model **out, const gs_model_config *cfg, gs_error *err);
void gs_model_destroy(gs_model *m); /* NULL is a no-op */
/* Re-initialise the weights from cfg->seed etc. (sizes must match). Zeroes grads. */
gs_status gs_model_reinit(gs_model *m, const gs_model_config *cfg, gs_error *err);
/* A deep copy (same allocator). */
gs_status gs_model_clone(gs_model **out, const gs_model *m, gs_error *err);
/* Copy the parameters (not gradients) of src into dst; shapes must match. */
gs_status gs_model_copy_params(gs_model *dst, const gs_model *src, gs_error *err);

const gs_model_config *gs_model_config_of(const gs_model *m);
int gs_model_tensor_count(const gs_model *m);
const gs_tensor *gs_model_tensor(const gs_model *m, int i);   /* NULL if out of range */
const gs_tensor *gs_model_find_tensor(const gs_model *m, const char *name);
/* The flat parameter and gradient blocks (same layout; gradients accumulate).
 * gs_model_params is the way to write parameters: a seq of batch 1 computes the input
 * projection U x of its next few steps ahead, and a write is seen by every step after
 * the call that gave the pointer.  Writing through a pointer kept from an earlier call
 * while a seq is part-way is seen from that seq's next gs_seq_rewind. */
gs_real *gs_model_params(gs_model *m, size_t *count);
const gs_real *gs_model_params_const(const gs_model *m, size_t *count);
gs_real *gs_model_grads(gs_model *m, size_t *count);
const gs_real *gs_model_grads_const(const gs_model *m, size_t *count);
void gs_model_zero_grads(gs_model *m);
/* Write "W_i[3,1]" (or "b_i[3]") for flat index idx into buf. */
void gs_model_describe_index(const gs_model *m, size_t idx, char *buf, size_t len);
/* Largest singular value of the recurrent matrix W of a vanilla RNN (gamma = 1 for
 * tanh, so this is the gamma*||W||_2 bound); NaN for other variants. */
double gs_model_rnn_gamma_norm(const gs_model *m);

/* ---- Gate clamps: what if a gate were always open? ------------------------------ */
/* A clamp forces one gate of a model (by its index in gs_variant_get(v)->gates) to a
 * fixed value in [0, 1] for one unit or for all of them, in every seq of that model:
 *  - forward: the clamped units' activation is the value itself, exactly (as gs_real),
 *    in place of σ(·); everything downstream (the state, cifg's f = 1 - i, the next
 *    step's gate inputs of fgr) sees that value, and the trace records it;
 *  - backward: the clamped units pass no gradient into the gate's pre-activation, so
 *    the gate's weights (W_g, U_g, b_g, p_g, G_g* rows) receive nothing from them.
 *    This is the exact derivative of the clamped model (the gate is a constant).
 * A clamp is a setting of the model, not a parameter: gs_model_clone copies it,
 * gs_model_reinit and gs_model_copy_params keep it, gs_model_save_json does not save
 * it.  Changing one does not recompute steps already done: gs_seq_rewind the model's
 * seqs and step them again.  With no clamp left, every kernel runs exactly as it does
 * unclamped, so removing the last clamp restores the original trace bit for bit. */
#define GS_ALL_UNITS (-1)
/* Clamp gate `gate` of unit `unit` (0..n-1, or GS_ALL_UNITS) to value (0 <= value <= 1).
 * GS_ERR_ARG for a gate the variant does not have, a unit out of range or a value
 * outside [0, 1] (NaN included); GS_ERR_NOMEM if the clamp table cannot be allocated
 * (the model is unchanged then). */
gs_status gs_model_clamp_gate(gs_model *m, int gate, int unit, double value, gs_error *err);
/* Let gate `gate` (or every gate, gate = -1) of unit `unit` (or GS_ALL_UNITS) run free
 * again.  Freeing what is not clamped is not an error.  GS_ERR_ARG for a bad index. */
gs_status gs_model_unclamp_gate(gs_model *m, int gate, int unit, gs_error *err);
/* 1 if gate `gate` of unit `unit` is clamped (its value into *value when not NULL),
 * 0 if it runs free or the indices are out of range. */
int gs_model_gate_clamped(const gs_model *m, int gate, int unit, double *value);
/* How many (gate, unit) pairs are clamped (0: the model runs free). */
int gs_model_clamp_count(const gs_model *m);

/* ---- Tasks: seeded sequence generators ----------------------------------------- */

typedef enum gs_task_kind {
    GS_TASK_ADDING,     /* Arjovsky et al. 2016: values U[0,1], one marker per half */
    GS_TASK_ADDING_HS,  /* Hochreiter & Schmidhuber 1997: values in [-1,1], 0.5+(X1+X2)/4 */
    GS_TASK_COPY,       /* 10 symbols of 8, blanks, delimiter, recall */
    GS_TASK_ORDER,      /* temporal order: class of the order of two relevant symbols */
    GS_TASK_ECHO,       /* R2RT: P(Y_t=1) = 1/2 + X_{t-3}/2 - X_{t-8}/4 */
    GS_TASK_SINE,       /* predict the next value of a sine wave */
    GS_TASK_TEXT,       /* next character of a text corpus */
    GS_TASK_TYPED,      /* next character of a sequence the user typed */
    GS_TASK_COUNT
} gs_task_kind;

typedef enum gs_loss_kind {
    GS_LOSS_MSE,  /* mean over the k outputs of (y - target)^2 */
    GS_LOSS_XENT  /* softmax cross-entropy against a one-hot (or soft) target */
} gs_loss_kind;

typedef struct gs_task_config {
    gs_task_kind kind;
    int length;           /* T: number of steps in a sequence */
    const char *text;     /* TEXT: the corpus; TYPED: what the user typed (UTF-8/ASCII) */
    size_t text_len;
    gs_allocator alloc;
} gs_task_config;

typedef struct gs_task gs_task;

typedef struct gs_task_info {
    gs_task_kind kind;
    const char *name;   /* "adding", "adding-hs", "copy", "order", "echo", "sine", "text", "typed" */
    const char *title;  /* one line */
} gs_task_info;

const gs_task_info *gs_task_info_get(gs_task_kind k);
gs_status gs_task_from_name(const char *name, gs_task_kind *out, gs_error *err);
gs_task_config gs_task_config_default(gs_task_kind k);
gs_status gs_task_create(gs_task **out, const gs_task_config *cfg, gs_error *err);
void gs_task_destroy(gs_task *t);
gs_task_kind gs_task_kind_of(const gs_task *t);
int gs_task_n_in(const gs_task *t);      /* m */
int gs_task_n_out(const gs_task *t);     /* k */
int gs_task_length(const gs_task *t);    /* T */
gs_loss_kind gs_task_loss(const gs_task *t);
/* Fill B sequences: x (T, B, m), target (T, B, k), mask (T): 1 where a loss is taken.
 * Deterministic in rng's state. */
void gs_task_generate(const gs_task *t, gs_rng *rng, int B, gs_real *x, gs_real *target,
                      unsigned char *mask);
/* Reference loss levels the task defines (e.g. 0.167 for adding: predict the mean).
 * Returns how many were written (<= max); names like "predict the mean". */
int gs_task_baselines(const gs_task *t, double *values, const char **names, int max);
/* Success measure of a batch of readouts on this task (e.g. fraction of sequences
 * with |error| < 0.04 for adding); y and target (T, B, k). NaN if the task has none. */
double gs_task_success(const gs_task *t, const gs_real *y, const gs_real *target,
                       const unsigned char *mask, int B);
const char *gs_task_success_name(const gs_task *t); /* NULL if none */
/* The character alphabet of TEXT/TYPED (index = class); NULL for other tasks. */
const char *gs_task_alphabet(const gs_task *t);
/* Targets and mask of B sequences whose inputs x (T, B, m) are given (edited, say),
 * as the task defines them from the inputs.  It draws from rng exactly what
 * gs_task_generate draws (echo's coin flips, sine's phase and frequency, text's
 * offset), so from the rng state a generate started from, the generated inputs get
 * exactly the generated targets back. */
void gs_task_relabel(const gs_task *t, gs_rng *rng, int B, const gs_real *x, gs_real *target,
                     unsigned char *mask);
/* The name of class c: of the inputs (input = 1) or of the outputs (input = 0) of a
 * one-hot task: copy "blank", "1".."8", "delimiter"; order inputs "a".."d", "X", "Y",
 * "B", "E" and outputs "XX", "XY", "YX", "YY"; echo outputs "0", "1"; text and typed
 * the character itself (" " for the space).  NULL when the task has no such class. */
const char *gs_task_class_name(const gs_task *t, int input, int c);
/* Whether text (len bytes of UTF-8) reads as itself in the text and typed tasks:
 * GS_OK if every character is in the alphabet (A-Z count as a-z; with newlines = 1
 * also newlines and tabs, which read as spaces); otherwise GS_ERR_ARG and err names
 * the first character that would be read as a space, and where it is. */
gs_status gs_task_check_text(const char *text, size_t len, int newlines, gs_error *err);

/* ---- Sequences: forward, the trace, backward ------------------------------------ */

typedef struct gs_seq gs_seq;

typedef enum gs_quantity {
    GS_Q_X,        /* input x_t (m) */
    GS_Q_GATE,     /* gate `index` activation (n), in gs_variant_info.gates order */
    GS_Q_CAND,     /* candidate s̃_t / c̃_t / n_t (n) */
    GS_Q_STATE,    /* state `index`: s, or c (0) and h (1) (n); fgr's previous gates,
                      which it also carries, are the GS_Q_GATE values of step t */
    GS_Q_OUT,      /* output fed to the readout (n) */
    GS_Q_Y,        /* readout y_t (k) */
    GS_Q_TARGET,   /* target (k) */
    GS_Q_D_STATE,  /* after backward: total dL/d(state `index`) at t (n) */
    GS_Q_D_X       /* after backward: dL/dx_t (m) */
} gs_quantity;

/* Scalars the engine computes for each step (batch row 0). */
typedef struct gs_step_stats {
    double loss;                    /* this step's loss; NaN where none is taken */
    double state_norm[GS_MAX_STATES]; /* ||s_t||_2 (or ||c_t||, ||h_t||) */
    double state_max[GS_MAX_STATES];  /* max |s_t| */
    double d_state_norm[GS_MAX_STATES]; /* ||dL/ds_t||_2; 0 outside the backward window */
    double d_x_norm;                /* ||dL/dx_t||_2 */
    double jac_sigma;               /* largest singular value of J_t = d state_t / d state_{t-1}
                                       of everything the step carries (for fgr: c, h and
                                       the gates the next step reads)
                                       (NaN until a backward with opts.jacobian computes it;
                                       it depends on the forward pass only, so later
                                       backward passes keep it) */
    double shrink;                  /* the factor that shrinks the gradient at this step,
                                       as the app shows it: mean f (LSTM family; nfg: 1,
                                       cifg: mean 1 - i), mean z (GRUs), jac_sigma (rnn)
                                       — NaN unless known */
    int has_grad;                   /* 1 if the step lies in the last backward window */
} gs_step_stats;

typedef struct gs_seq_summary {
    int capacity;          /* T the seq was sized for */
    int batch;             /* B */
    int steps;             /* steps computed so far */
    int first_nonfinite;   /* first step t (1-based) whose values went inf/NaN; 0 if none */
    int first_nonfinite_grad; /* backward: the first step met walking back from the
                                 loss whose dL/dstate went inf/NaN; 0 if none */
    int backward_steps;    /* steps covered by the last backward (0 = none yet) */
    int grad_lo;           /* first step (1-based) that received gradient */
    int truncated;         /* 1 if the last backward was cut before step 1 */
    double loss;           /* mean loss over the loss steps done (NaN if none) */
    double grad_norm;      /* global norm of the parameter gradient before clipping */
    double gamma_w;        /* rnn: gamma*||W||_2; NaN otherwise */
} gs_seq_summary;

typedef struct gs_backward_opts {
    int truncate;   /* k > 0: gradient flows only through the last k steps; 0 = full */
    double clip;    /* > 0: clip the parameter gradient to this global norm */
    int jacobian;   /* 1: compute jac_sigma for every step in the window (O(n^3)/step) */
    int keep_grads; /* 1: accumulate into existing model grads; 0: zero them first */
    int loss_from;  /* > 0: only losses at steps >= loss_from count (truncated BPTT's
                       k1 updates); 0 = every loss step done */
} gs_backward_opts;

/* A seq for `capacity` steps of `batch` sequences of model m.  m must outlive the seq;
 * its parameters are read at each step (at batch 1 the input projection U x of the
 * next few steps is read ahead: see gs_model_params) and its gradients written by
 * backward. */
gs_status gs_seq_create(gs_seq **out, gs_model *m, int capacity, int batch, gs_error *err);
void gs_seq_destroy(gs_seq *s);
/* Writable input buffers to fill by hand: x (T,B,m), target (T,B,k), mask (T).
 * Writing them invalidates computed steps: call gs_seq_rewind afterwards. */
gs_real *gs_seq_inputs(gs_seq *s);
gs_real *gs_seq_targets(gs_seq *s);
unsigned char *gs_seq_mask(gs_seq *s);
const unsigned char *gs_seq_loss_mask(const gs_seq *s); /* (T): read-only view */
void gs_seq_set_loss(gs_seq *s, gs_loss_kind k);
/* Fill inputs/targets/mask from task (its n_in/n_out must match the model; its
 * length must not exceed capacity) with a generator seeded by seed; rewinds. */
gs_status gs_seq_fill(gs_seq *s, const gs_task *task, uint64_t seed, gs_error *err);
/* Forget computed steps (inputs stay). */
void gs_seq_rewind(gs_seq *s);
/* Compute up to n more steps (stops at capacity); returns steps done in total. */
int gs_seq_forward(gs_seq *s, int n);
/* Backpropagate from the mean loss over the steps done so far.  Fills dL/dstate per
 * step, the stats, and the model's gradients (parameters and initial state).
 * GS_ERR_STATE if no step has been computed. */
gs_status gs_seq_backward(gs_seq *s, const gs_backward_opts *opts, gs_error *err);

gs_seq_summary gs_seq_summary_of(const gs_seq *s);
const gs_model *gs_seq_model(const gs_seq *s);
/* Values of quantity q (index: gate or state number) at step t (1..steps; t = 0 with
 * GS_Q_STATE gives the initial state) for batch row b.  *len gets the count.  NULL
 * if the quantity does not exist for this variant or t is out of range. */
const gs_real *gs_seq_values(const gs_seq *s, gs_quantity q, int index, int t, int b,
                             int *len);
/* Per-step scalars for t in 1..steps; NULL otherwise. */
const gs_step_stats *gs_seq_stats(const gs_seq *s, int t);

/* ---- A step in the task's terms: the input, the target, the prediction (predict.c) */

/* What the input of one step is, as its task means it (gs_seq_read_input). */
typedef struct gs_step_input {
    double value;   /* adding, adding-hs: the value; echo: the bit X_t; sine: x_t;
                       NaN for one-hot tasks */
    int symbol;     /* one-hot tasks: the class of x_t (gs_task_class_name); -1 otherwise */
    int marked;     /* adding, adding-hs: 1 at a marked step */
    int editable;   /* 1 if gs_seq_edit_input can change this step */
} gs_step_input;

/* The raw input x_t (m values) of step t (1..capacity, computed or not) of batch row
 * b, read-only; NULL out of range.  *len (may be NULL) gets m. */
const gs_real *gs_seq_input_at(const gs_seq *s, int t, int b, int *len);
/* The input of step t (1..capacity: every step, computed or not) of batch row b, read
 * as task defines it; task must be the one s was filled from.  GS_ERR_ARG for a step
 * or row out of range or a task whose sizes do not match. */
gs_status gs_seq_read_input(const gs_seq *s, const gs_task *task, int t, int b, gs_step_input *out,
                            gs_error *err);

/* What the readout says at one step, against the target (gs_seq_readout). */
typedef struct gs_step_readout {
    int computed;       /* 1 if step t has been computed (else y, loss and top are unset) */
    int has_loss;       /* 1 if a loss is taken at step t (the mask) */
    double loss;        /* this step's loss, as gs_step_stats.loss; NaN without one */
    double y;           /* the readout y_t[0] (MSE tasks show it); NaN until computed */
    double target;      /* target[0] (MSE); NaN without a loss */
    int top;            /* cross-entropy: the class softmax(y_t) rates highest; -1 for MSE
                           or until computed (ties go to the lowest class) */
    double top_prob;    /* its probability under softmax(y_t); NaN if none */
    int target_class;   /* cross-entropy: the target's class (its largest entry); -1
                           for MSE or without a loss */
    double target_prob; /* the probability softmax(y_t) gives target_class; NaN if none */
} gs_step_readout;

/* The readout of step t (1..capacity) of batch row b: y, the softmax's top class
 * and its probability, the target, the step's loss.  GS_ERR_ARG out of range. */
gs_status gs_seq_readout(const gs_seq *s, int t, int b, gs_step_readout *out, gs_error *err);
/* The probability softmax(y_t) gives class c at step t of row b (cross-entropy
 * sequences); NaN when t is not computed, c is out of range or the loss is MSE. */
double gs_seq_class_prob(const gs_seq *s, int t, int b, int c);

/* How a person changes one input (gs_seq_edit_input). */
typedef enum gs_input_edit {
    GS_EDIT_CLICK, /* echo: flip the bit; adding: move the marker of that half here
                      (adding-hs: the nearer of the two, within the first half); copy:
                      the next symbol (steps 1..10); order: X <-> Y at a relevant step,
                      the next of a..d elsewhere; text, typed: the next character */
    GS_EDIT_UP,    /* adding: value + 0.05 (at most 1); sine: + 0.1 (at most 2); echo:
                      the bit to 1; one-hot tasks: the next symbol, as a click */
    GS_EDIT_DOWN   /* the other way (adding at least 0, adding-hs -1, sine -2; echo 0;
                      the previous symbol) */
} gs_input_edit;

/* Change the input of step t (1..T) of batch row 0 of s, then recompute the targets
 * from the inputs (gs_task_relabel, drawing what gs_seq_fill(s, task, seed) drew)
 * and rewind: the next forward pass reads the edited sequence.  GS_ERR_ARG, with a
 * one-line reason, when that step cannot change that way (the delimiter of copy,
 * a step that is already marked, ...); s is then unchanged. */
gs_status gs_seq_edit_input(gs_seq *s, const gs_task *task, uint64_t seed, int t, gs_input_edit e,
                            gs_error *err);
/* Targets and mask of s from its current inputs, as gs_task_relabel; rewinds. */
gs_status gs_seq_relabel(gs_seq *s, const gs_task *task, uint64_t seed, gs_error *err);

/* ---- Training (train.c) ------------------------------------------------------- */

typedef enum gs_optimizer {
    GS_OPT_SGD,      /* p -= lr g */
    GS_OPT_MOMENTUM, /* buf = mu buf + g (buf = g at first); p -= lr buf  (PyTorch SGD) */
    GS_OPT_ADAM,     /* PyTorch Adam, bias-corrected */
    GS_OPT_RMSPROP   /* PyTorch RMSprop: v = a v + (1-a) g^2; p -= lr g / (sqrt(v) + eps) */
} gs_optimizer;

typedef struct gs_train_config {
    gs_optimizer optimizer;
    double lr;            /* learning rate */
    double momentum;      /* MOMENTUM: mu (0.9) */
    double beta1, beta2;  /* ADAM: 0.9, 0.999 */
    double rms_decay;     /* RMSPROP: a (0.99) */
    double eps;           /* ADAM, RMSPROP: 1e-8 */
    double clip_norm;     /* > 0: scale the gradient down to this global norm */
    double clip_value;    /* > 0: then clip every element to [-clip_value, clip_value] */
    int batch;            /* B sequences per iteration */
    int k1;               /* truncated BPTT: update every k1 steps (0 = once, at the end) */
    int k2;               /* ... backpropagating k2 steps (0 = to the start) */
    int train_init_state; /* 1: the initial state is learned too */
    uint64_t seed;        /* the data stream */
    gs_allocator alloc;
} gs_train_config;

typedef struct gs_train_result {
    long iteration;      /* iterations done, this one included */
    double loss;         /* mean loss of this iteration's batch (as computed forward) */
    double success;      /* the task's success measure on the batch (NaN if none) */
    double grad_norm;    /* global gradient norm before clipping (last update) */
    int updates;         /* parameter updates made in this iteration */
    int nonfinite;       /* 1 if a value or gradient went inf/NaN (no update was made) */
} gs_train_result;

typedef struct gs_trainer gs_trainer;

gs_train_config gs_train_config_default(void);
/* A trainer for model m on task (both must outlive it; sizes must match).  It owns a
 * batch-B sequence and the optimizer state; everything lives in the handle. */
gs_status gs_trainer_create(gs_trainer **out, gs_model *m, const gs_task *task,
                            const gs_train_config *cfg, gs_error *err);
void gs_trainer_destroy(gs_trainer *t);
/* One iteration: a new batch from the data stream, forward, and a parameter update
 * every k1 steps from the truncated gradient (k2 steps back). */
gs_status gs_trainer_step(gs_trainer *t, gs_train_result *out, gs_error *err);
/* Apply one optimizer update from the model's current gradients (clipping first).
 * Exposed for tests and for callers that compute gradients themselves. */
void gs_trainer_apply(gs_trainer *t);
/* Forget the optimizer state and iteration count; the data stream restarts. */
void gs_trainer_reset(gs_trainer *t);
/* The batch sequence of the last iteration (read-only views). */
const gs_seq *gs_trainer_seq(const gs_trainer *t);

/* ---- Budgets: what a run needs, known before it allocates ----------------------- */
/* Sizes that are each legal multiply: a caller sums these and compares the total with
 * the memory it has before creating anything (the app refuses what cannot fit).  Each
 * is exact for what the call allocates, to the byte, less the allocator's own overhead;
 * 0 when the call would refuse its arguments. */

/* Bytes gs_model_create(cfg) holds at its peak (the orthogonal scheme's n×n scratch
 * included); the model keeps all of it but that scratch. */
uint64_t gs_model_bytes_needed(const gs_model_config *cfg);
/* Bytes a seq for a model of cfg, capacity steps and batch rows holds at its peak,
 * created and stepped forward (rnn: with gamma_w's passing scratch); with jacobian
 * set, also through a backward with opts.jacobian (its Jacobian scratch). */
uint64_t gs_seq_bytes_needed(const gs_model_config *cfg, int capacity, int batch, int jacobian);
/* Bytes a trainer (gs_trainer_create, then its steps) adds to a model of cfg on a
 * task of `length` steps: the optimizer state and its batch sequence (tc->batch rows). */
uint64_t gs_trainer_bytes_needed(const gs_model_config *cfg, int length,
                                 const gs_train_config *tc);
/* Floating-point operations the Jacobians of `steps` steps cost (opts.jacobian): per
 * step one batch-1 backward per carried state unit and a Lanczos singular value.
 * O(steps · n³); divide by a machine's rate for the time.  0 for a refused cfg. */
double gs_jacobian_flops(const gs_model_config *cfg, int steps);

/* ---- Output files: complete or not at all (outfile.c) -------------------------- */

/* Every file the program writes goes through a gs_outfile.  For a regular file (or a
 * path that does not exist yet) the bytes go to a new temporary file beside it,
 * ".<name>.XXXXXX.tmp" in the same directory; commit flushes, fsyncs and checks it and
 * renames it over the target, so the target holds either its old content or all of
 * the new one.  A symbolic link to a regular file replaces the file it names (the link
 * stays).  A target that is not a regular file (/dev/null, /dev/full, a FIFO, a
 * terminal) is written in place and never removed.  A directory, a missing directory
 * or an unwritable one fails at open, before any work.  Errors read
 * "cannot write 'x.json': No space left on device"; nothing is printed.
 *
 *     gs_outfile *o;
 *     if (gs_outfile_open(&o, "trace.csv", NULL, &err) != GS_OK) return fail(err.msg);
 *     gs_outfile_printf(o, "%d\n", 42);              // ... every write latches an error
 *     if (gs_outfile_commit(o, &err) != GS_OK) return fail(err.msg); // old file intact
 *
 * A writer that wants a path rather than a FILE* (IMG_SavePNG) may fill
 * gs_outfile_path(o) itself and then commit; it must report its own write errors, since
 * the stream never saw them (better: wrap gs_outfile_stream(o), e.g. SDL_RWFromFP).
 * A process killed before commit leaves the target as it was, and the hidden
 * temporary file beside it. */
typedef struct gs_outfile gs_outfile;

/* Open path for writing as described above.  The handle's memory comes from alloc
 * (NULL = libc).  GS_ERR_IO (with the reason) if it cannot be written at all. */
gs_status gs_outfile_open(gs_outfile **out, const char *path, const gs_allocator *alloc,
                          gs_error *err);
/* The stream to write (valid until commit or abort). */
FILE *gs_outfile_stream(gs_outfile *o);
/* Where the bytes go now: the temporary file, or the target itself when in place. */
const char *gs_outfile_path(const gs_outfile *o);
/* The file commit replaces (symbolic links resolved). */
const char *gs_outfile_target(const gs_outfile *o);
/* 1 if the target is written in place (not a regular file). */
int gs_outfile_in_place(const gs_outfile *o);
/* Checked writes: GS_ERR_IO if this or an earlier write failed (the first error is
 * kept, and commit reports it). */
gs_status gs_outfile_write(gs_outfile *o, const void *data, size_t n);
gs_status gs_outfile_printf(gs_outfile *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Record a write error (an errno value) seen by a writer of gs_outfile_stream(o), so
 * that commit fails with its reason. */
void gs_outfile_fail(gs_outfile *o, int errnum);
/* Flush what is buffered and report any write error so far (GS_ERR_IO): for long
 * runs that should stop at the first failed write rather than at the end. */
gs_status gs_outfile_check(gs_outfile *o, gs_error *err);
/* Finish: flush, fsync, close, rename over the target.  On failure the temporary file
 * is removed and the target is as it was.  o is freed in every case. */
gs_status gs_outfile_commit(gs_outfile *o, gs_error *err);
/* Give up: close and remove the temporary file; the target is untouched (in place:
 * whatever was written stays written).  o is freed; NULL is a no-op. */
void gs_outfile_abort(gs_outfile *o);

/* ---- Files: traces and weights (io.c, weights.c) -------------------------------- */

/* Write batch row 0 of s as tidy CSV rows `variant,step,quantity,unit,value` (per-step
 * scalars have an empty unit); the header line too when header is set.  Quantities:
 * x, the gate symbols, cand (or n), s / c h, out, y, target, loss, state norms
 * (s_norm, s_max, ...), and after backward d_s (d_c, d_h), d_s_norm, d_x_norm,
 * jac_sigma, shrink, has_grad; plus gamma_w for rnn (step 0).  See docs/cli.md. */
gs_status gs_seq_write_csv(const gs_seq *s, FILE *f, int header, gs_error *err);
/* Write the traces of seqs[0..n-1] (one header line, then each seq's rows) to path
 * through a gs_outfile: the whole file or, on any error, the old one untouched. */
gs_status gs_seq_save_csv(const gs_seq *const *seqs, int n, const char *path,
                          gs_error *err);
/* Save m's tensors as JSON: variant, sizes, and every tensor (name, shape,
 * row-major data), through a gs_outfile (all or nothing).  GS_ERR_STATE, before the
 * file is touched, if a weight is inf or NaN. */
gs_status gs_model_save_json(const gs_model *m, const char *path, gs_error *err);
/* The same JSON into an open outfile, without committing it: for callers that open
 * every output before a long run, or commit several files only when all are written.
 * On GS_ERR_IO the error is latched in o (commit fails too); abort or commit o. */
gs_status gs_model_write_json(const gs_model *m, gs_outfile *o, gs_error *err);

/* A weights file read and checked (weights.c).  The reader is strict JSON (RFC 8259)
 * plus the format's schema: it refuses duplicate keys, unknown keys, a byte-order
 * mark, anything after the closing brace (a NUL too), numbers such as 01, -.5, 1. or
 * +1, strings holding \u0000, raw control characters or invalid UTF-8, and values of
 * the wrong type, each with "file:line:col: what is wrong".  It reads the file once,
 * from start to end, so FIFOs, pipes and /dev/stdin work, and stops reading past
 * gs_weights_max_bytes() (or, once the header is read, past what that model's
 * weights can take), so an endless stream ends in an error, not a hang.  Memory: a
 * 64 KiB buffer and the numbers as gs_real — at most twice the file's size for a
 * regular file whose shapes precede their data (as gs_model_save_json writes them),
 * at most six times otherwise.  Names from the file are quoted in messages with
 * control characters escaped.  A byte-order mark is refused, not skipped: the
 * writer never puts one, so one means the file was re-saved by something else. */
typedef struct gs_weights gs_weights;

/* Read and check path (alloc NULL = libc). */
gs_status gs_weights_read(gs_weights **out, const char *path, const gs_allocator *alloc,
                          gs_error *err);
/* The same over len bytes in memory; name stands for the file in messages. */
gs_status gs_weights_parse(gs_weights **out, const char *name, const char *text, size_t len,
                           const gs_allocator *alloc, gs_error *err);
void gs_weights_destroy(gs_weights *w); /* NULL is a no-op */
/* The variant and sizes the file records (any pointer may be NULL). */
void gs_weights_header(const gs_weights *w, gs_variant *variant, int *n_in, int *n_hidden,
                       int *n_out);
/* Copy w's tensors into m, checking variant, sizes, names and shapes; m is unchanged
 * on failure (GS_ERR_ARG: a good file for another model; GS_ERR_PARSE: its tensors
 * do not fit the format). */
gs_status gs_model_load_weights(gs_model *m, const gs_weights *w, gs_error *err);
/* The largest weights file the reader accepts, in bytes: 32 bytes for each number of
 * the largest model gs_model_create accepts. */
uint64_t gs_weights_max_bytes(void);
/* gs_weights_read + gs_model_load_weights: load tensors saved by gs_model_save_json
 * into m; err says exactly what is wrong.  m is unchanged on failure. */
gs_status gs_model_load_json(gs_model *m, const char *path, gs_error *err);
/* gs_weights_read + gs_weights_header: the variant and sizes recorded in a weights
 * file (which is read and checked whole).  To read a file once and then load it, use
 * gs_weights_read. */
gs_status gs_weights_peek(const char *path, gs_variant *variant, int *n_in, int *n_hidden,
                          int *n_out, gs_error *err);

/* A named scalar of step t (1..steps) — the same names the CSV trace uses:
 *   loss, s_norm, s_max, d_s_norm (c_/h_ for two-state cells; "state_norm",
 *   "state_max", "d_state_norm" mean the first state of any cell), d_x_norm,
 *   jac_sigma, shrink, has_grad; the readout (gs_seq_readout): y and target (unit 0),
 *   top_prob and target_prob (cross-entropy tasks; NaN otherwise);
 * or of the whole sequence (t ignored): first_nonfinite, first_nonfinite_grad,
 * gamma_w, mean_loss, grad_norm, steps.
 * GS_ERR_ARG for an unknown name (err names the valid ones), GS_ERR_STATE for a
 * step out of range. */
gs_status gs_seq_scalar(const gs_seq *s, const char *name, int t, double *out, gs_error *err);
/* 1 if name is a scalar gs_seq_scalar knows for this variant (or any variant when
 * v < 0); 2 if it is a whole-sequence scalar. */
int gs_scalar_known(const char *name, int variant);

/* Tell OpenBLAS how many threads it may use (process-wide: call once at start). */
void gs_blas_set_threads(int n);
/* The OpenBLAS kernels in use, as OpenBLAS names them ("Haswell", "Prescott", ...). */
const char *gs_blas_core(void);
/* When OpenBLAS did not recognise this CPU and fell back to kernels older than what
 * the CPU can run (Prescott's SSE3 on an AVX2 machine), the core type that fits it:
 * "SkylakeX" (AVX-512) or "Haswell" (AVX2 + FMA); NULL when the kernels in use fit.
 * OpenBLAS reads OPENBLAS_CORETYPE only when it loads, so a program that wants the
 * better kernels sets it and starts itself again (gatescope's main does, unless the
 * user set OPENBLAS_CORETYPE).  Only training speed depends on it: batch-1 numbers
 * never go through OpenBLAS. */
const char *gs_blas_better_core(void);
/* Which kernels run training's batched products (batch > 1): "OpenBLAS", or, when
 * OpenBLAS runs a core older than AVX2 on a CPU with AVX2 and FMA (the fallback above,
 * or forced by OPENBLAS_CORETYPE), the engine's own: "gatescope AVX-512" or "gatescope
 * AVX2" (float engine only; batch 1 always runs the engine's own kernels). */
const char *gs_blas_kernels(void);

#ifdef __cplusplus
}
#endif
#endif /* GATESCOPE_H */
