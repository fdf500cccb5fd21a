/* task.c — the built-in tasks: seeded generators that fill a batch of inputs,
 * targets and a loss mask, plus each task's reference loss levels and success
 * measure.  Not the loss itself (seq.c) and not training.
 *
 * ---- Shared conventions ------------------------------------------------------------
 * Buffers: x (T, B, m), target (T, B, k), mask (T), step-major then batch row, with
 * T = cfg->length.  gs_task_generate overwrites every element of all three: zeros
 * where a step has no input / no target, mask 1 exactly where a loss is taken.
 * Targets exist only at masked steps (zeros elsewhere), except that TEXT/TYPED/COPY
 * /ECHO/SINE take a loss at every step and so have a target at every step.
 * Randomness: only gs_rng_* calls on the caller's rng.  Sequences are drawn one after
 * another (row 0 first, each completely), so row 0 of a batch equals a batch of one
 * drawn from the same rng state.  TYPED draws nothing (its B rows are copies).
 * One-hot rows hold exactly one 1; class indices are listed per task below.
 *
 * ---- The tasks ------------------------------------------------------------------------
 * adding (Arjovsky et al. 2016), T >= 2: m = 2 (value U[0,1), marker 0/1), k = 1, MSE
 *   at step T-1 only.  Per row: T values first, then marker 1 uniform in [0, T/2),
 *   marker 2 uniform in [T/2, T) (T/2 rounds down).  Target = sum of the two marked
 *   values as stored (in gs_real).  Baseline "predict the mean" = Var(U1+U2) = 1/6.
 *   Success: fraction of (row, masked step) with |y - target| < 0.04.
 * adding-hs (Hochreiter & Schmidhuber 1997), T >= 4: m = 2 (value U[-1,1), marker 0/1),
 *   k = 1, MSE at T-1.  Marker 1 uniform among the first min(10, T/2) steps, marker 2
 *   uniform among the other steps of [0, T/2).  Target 0.5 + (X1+X2)/4.  Simplified
 *   from the paper: no -1 markers at the first/last step, X1 is not zeroed.  Baseline
 *   "predict the mean" = Var(target) = (2/3)/16 = 1/24.  Success as adding.
 * copy, T >= 21 (delay T-20 = blanks + delimiter): 10 classes, 0 blank, 1..8 symbols,
 *   9 delimiter; m = k = 10 one-hot.  Input: steps 0..9 symbols uniform in 1..8, blanks,
 *   the delimiter at T-11, blanks at T-10..T-1.  Target: blank at 0..T-11, the ten
 *   symbols in order at T-10..T-1.  XENT at every step.  Baseline "memoryless"
 *   10 ln 8 / T (blanks predicted perfectly, the 10 recalls uniform over 8).  Success:
 *   fraction of the last-10 recalls whose argmax(y) is the symbol (the mask is not
 *   consulted: the recall window is fixed by the task).
 * order (H&S 1997, exp. 6a), T >= 12: m = 8 one-hot {a,b,c,d,X,Y,B,E} = 0..7.  Step 0 is
 *   B, step T-1 is E, the others distractors uniform in a..d, except t1 uniform in
 *   [T/10, 2T/10] and t2 uniform in [5T/10, 6T/10] (integer division, clamped into
 *   1..T-2; for T >= 12 they never meet), each X or Y with probability 1/2.  k = 4:
 *   class XX 0, XY 1, YX 2, YY 3 (first symbol is the high bit, Y = 1).  XENT at T-1.
 *   Baseline "chance" ln 4.  Success: fraction of (row, masked step) with argmax(y)
 *   = the class.
 * echo (R2RT), T >= 1: m = 1 (X_t in {0,1}, fair), k = 2 one-hot (class = Y_t), with
 *   Y_t = 1 iff u < p_t, u U[0,1), p_t = 1/2 + X_{t-3}/2 - X_{t-8}/4 (X before step 0 is
 *   0).  Per step X_t is drawn, then u.  XENT every step.  Baselines (nats, computed
 *   from the binary entropy H; they are the stationary levels, t >= 8): "learned
 *   nothing" H(5/8), "learned the 3-step echo" E over X_{t-3} of H(E[p | X_{t-3}]),
 *   "learned both echoes" E H(p).  No success measure.
 * sine, T >= 1: m = k = 1, MSE every step.  Per row phase U[0, 2pi) then w U[0.1, 0.5);
 *   x_t = sin(w t + phase), target x_{t+1}.  Baseline "predict 0" = E sin^2 = 0.5.  No
 *   success measure.
 * text, T >= 1: 32 classes, index = position in " abcdefghijklmnopqrstuvwxyz.,'?!".
 *   Normalisation of cfg->text: A-Z to lower case, alphabet bytes kept, every other
 *   byte (newline, digit, UTF-8 byte, NUL...) becomes a space, runs of spaces collapse
 *   to one, and leading/trailing spaces are dropped (so "hi\n" is "hi", not "hi ").
 *   The task keeps its own normalised copy (cfg->text need not outlive it) and needs
 *   N >= T+1 normalised characters.  Each row starts at offset o uniform in [0, N-T-1]:
 *   input c_{o+t}, target c_{o+t+1}, m = k = 32 one-hot, XENT every step.  Baseline
 *   "uniform guess" ln 32.  Success: fraction of (row, masked step) with argmax(y) =
 *   the next character.
 * typed: as text, but every row is the normalised text from its start; T = cfg->length,
 *   or N-1 when cfg->length is 0 (the default); needs N >= T+1 (so N >= 2).
 *
 * ---- Validation ------------------------------------------------------------------------
 * gs_task_create: cfg->length in 1..100000 (0 also allowed for typed, the derived T
 * must then be <= 100000), the per-task minimums above, text non-NULL with
 * text_len > 0 for text/typed, text_len < 2^30.  One-line messages, GS_ERR_ARG;
 * GS_ERR_NOMEM when an allocation fails.  Task names match exactly (case matters).
 * gs_task_success: where a task's rule uses the mask and mask is NULL, the task's own
 * mask is used; NaN for tasks without a measure, B < 1, NULL y/target, or no step.
 * Argmax ties go to the lowest index.  gs_task_generate does nothing when t, rng or a
 * buffer is NULL or B < 1.  The other accessors expect a valid task.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

#define MAX_LENGTH 100000
#define MAX_TEXT ((size_t)1 << 30)
#define PI 3.14159265358979323846
#define ALPHABET " abcdefghijklmnopqrstuvwxyz.,'?!"
#define N_CHARS 32
#define COPY_SYMS 10  /* symbols to remember */
#define COPY_BLANK 0
#define COPY_DELIM 9
#define ORDER_X 4     /* order's input classes: a..d = 0..3, X, Y, B, E */
#define ORDER_Y 5
#define ORDER_B 6
#define ORDER_E 7
#define SUCCESS_TOL 0.04 /* adding, adding-hs: |error| below this counts as solved */

struct gs_task {
    gs_task_kind kind;
    int T, m, k;          /* steps, inputs, outputs */
    gs_loss_kind loss;
    int loss_last_only;   /* 1: mask only at T-1; 0: every step */
    gs_allocator alloc;   /* what the task and its text were allocated with */
    unsigned char *text;  /* TEXT/TYPED: normalised text as class indices (N); else NULL */
    int text_n;           /* N */
};

/* ---- Names ----------------------------------------------------------------------- */

static const gs_task_info infos[GS_TASK_COUNT] = {
    [GS_TASK_ADDING] = {.kind = GS_TASK_ADDING, .name = "adding",
        .title = "Adding problem: sum the two marked values (U[0,1], Arjovsky 2016)"},
    [GS_TASK_ADDING_HS] = {.kind = GS_TASK_ADDING_HS, .name = "adding-hs",
        .title = "Adding problem, Hochreiter & Schmidhuber 1997: 0.5 + (X1+X2)/4, "
                 "values in [-1,1]"},
    [GS_TASK_COPY] = {.kind = GS_TASK_COPY, .name = "copy",
        .title = "Copy: recall 10 symbols after a delay and a delimiter"},
    [GS_TASK_ORDER] = {.kind = GS_TASK_ORDER, .name = "order",
        .title = "Temporal order: classify the order of two far-apart symbols"},
    [GS_TASK_ECHO] = {.kind = GS_TASK_ECHO, .name = "echo",
        .title = "Echo (R2RT): P(Y_t=1) = 1/2 + X_{t-3}/2 - X_{t-8}/4"},
    [GS_TASK_SINE] = {.kind = GS_TASK_SINE, .name = "sine",
        .title = "Sine: predict the next value of a sine wave"},
    [GS_TASK_TEXT] = {.kind = GS_TASK_TEXT, .name = "text",
        .title = "Text: predict the next character of a corpus"},
    [GS_TASK_TYPED] = {.kind = GS_TASK_TYPED, .name = "typed",
        .title = "Typed: predict the next character of what you typed"},
};

#define TASK_LIST "adding, adding-hs, copy, order, echo, sine, text, typed"

const gs_task_info *gs_task_info_get(gs_task_kind k) {
    if ((int)k < 0 || k >= GS_TASK_COUNT) return NULL;
    return &infos[k];
}

gs_status gs_task_from_name(const char *name, gs_task_kind *out, gs_error *err) {
    const char *names[GS_TASK_COUNT];
    int i, near;
    for (i = 0; i < GS_TASK_COUNT; i++) {
        names[i] = infos[i].name;
        if (name && strcmp(name, names[i]) == 0) {
            if (out) *out = (gs_task_kind)i;
            return GS_OK;
        }
    }
    near = name ? gs__nearest(name, names, GS_TASK_COUNT) : -1;
    if (near >= 0)
        gs__error(err, "unknown task '%.64s' (did you mean '%s'?); tasks: " TASK_LIST, name,
                  names[near]);
    else
        gs__error(err, "unknown task '%.64s'; tasks: " TASK_LIST, name ? name : "");
    return GS_ERR_ARG;
}

/* ---- Text normalisation ---------------------------------------------------------- */

/* Class of byte c in ALPHABET after lower-casing; 0 (space) for every other byte. */
static int char_class(unsigned char c) {
    const char *p;
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
    if (c == 0) return 0;
    p = strchr(ALPHABET, c);
    return p ? (int)(p - ALPHABET) : 0;
}

/* Writes the normalised classes of text into dst (room for len) and returns N. */
static size_t normalise(unsigned char *dst, const char *text, size_t len) {
    size_t i, n = 0;
    for (i = 0; i < len; i++) {
        int c = char_class((unsigned char)text[i]);
        if (c == 0 && (n == 0 || dst[n - 1] == 0)) continue; /* leading or repeated space */
        dst[n++] = (unsigned char)c;
    }
    if (n > 0 && dst[n - 1] == 0) n--; /* trailing space */
    return n;
}

/* ---- Create / destroy ------------------------------------------------------------- */

gs_task_config gs_task_config_default(gs_task_kind k) {
    gs_task_config c;
    memset(&c, 0, sizeof c);
    c.kind = k;
    c.length = k == GS_TASK_COPY ? 40 : k == GS_TASK_TYPED ? 0 : 50;
    c.text = NULL;
    c.text_len = 0;
    c.alloc.realloc = NULL;
    c.alloc.ud = NULL;
    return c;
}

static int min_length(gs_task_kind k) {
    switch (k) {
    case GS_TASK_ADDING: return 2;
    case GS_TASK_ADDING_HS: return 4;
    case GS_TASK_COPY: return 21;
    case GS_TASK_ORDER: return 12;
    default: return 1;
    }
}

gs_status gs_task_create(gs_task **out, const gs_task_config *cfg, gs_error *err) {
    gs_task *t = NULL;
    gs_status st = GS_ERR_ARG;
    const char *name;
    int uses_text, T;
    if (out) *out = NULL;
    if (!out || !cfg) {
        gs__error(err, "gs_task_create: NULL %s", out ? "config" : "output pointer");
        return GS_ERR_ARG;
    }
    if ((int)cfg->kind < 0 || cfg->kind >= GS_TASK_COUNT) {
        gs__error(err, "unknown task kind %d", (int)cfg->kind);
        return GS_ERR_ARG;
    }
    name = infos[cfg->kind].name;
    uses_text = cfg->kind == GS_TASK_TEXT || cfg->kind == GS_TASK_TYPED;
    T = cfg->length;
    if (!(cfg->kind == GS_TASK_TYPED && T == 0) && (T < 1 || T > MAX_LENGTH)) {
        gs__error(err, "task '%s': length %d is out of range 1..%d", name, T, MAX_LENGTH);
        goto fail;
    }
    if (T != 0 && T < min_length(cfg->kind)) {
        gs__error(err, "task '%s' needs length >= %d, got %d", name, min_length(cfg->kind), T);
        goto fail;
    }
    if (uses_text && (!cfg->text || cfg->text_len == 0)) {
        gs__error(err, "task '%s' needs text, and none was given", name);
        goto fail;
    }
    if (uses_text && cfg->text_len >= MAX_TEXT) {
        gs__error(err, "task '%s': text of %zu bytes is too long (limit %zu)", name,
                  cfg->text_len, MAX_TEXT - 1);
        goto fail;
    }

    st = GS_ERR_NOMEM;
    t = gs__alloc(&cfg->alloc, sizeof *t);
    if (!t) {
        gs__error(err, "out of memory creating task '%s'", name);
        goto fail;
    }
    t->kind = cfg->kind;
    t->alloc = cfg->alloc;
    t->loss_last_only = 0;
    t->loss = GS_LOSS_XENT;
    switch (cfg->kind) {
    case GS_TASK_ADDING:
    case GS_TASK_ADDING_HS:
        t->m = 2;
        t->k = 1;
        t->loss = GS_LOSS_MSE;
        t->loss_last_only = 1;
        break;
    case GS_TASK_COPY: t->m = t->k = 10; break;
    case GS_TASK_ORDER: t->m = 8; t->k = 4; t->loss_last_only = 1; break;
    case GS_TASK_ECHO: t->m = 1; t->k = 2; break;
    case GS_TASK_SINE: t->m = t->k = 1; t->loss = GS_LOSS_MSE; break;
    default: t->m = t->k = N_CHARS; break; /* text, typed */
    }

    if (uses_text) {
        size_t n;
        t->text = gs__alloc(&cfg->alloc, cfg->text_len);
        if (!t->text) {
            gs__error(err, "out of memory normalising the text of task '%s'", name);
            goto fail;
        }
        n = normalise(t->text, cfg->text, cfg->text_len);
        t->text_n = (int)n;
        st = GS_ERR_ARG;
        if (T == 0) { /* typed, whole text */
            if (n < 2) {
                gs__error(err, "task 'typed' needs at least 2 characters after "
                          "normalisation, got %zu", n);
                goto fail;
            }
            if (n - 1 > MAX_LENGTH) {
                gs__error(err, "task 'typed': text of %zu characters is longer than the "
                          "length limit %d", n - 1, MAX_LENGTH);
                goto fail;
            }
            T = (int)n - 1;
        }
        if (n < (size_t)T + 1) {
            gs__error(err, "task '%s': length %d needs at least %d characters after "
                      "normalisation, the text has %zu", name, T, T + 1, n);
            goto fail;
        }
    }
    t->T = T;
    *out = t;
    return GS_OK;
fail:
    gs_task_destroy(t);
    return st;
}

void gs_task_destroy(gs_task *t) {
    gs_allocator a;
    if (!t) return;
    a = t->alloc;
    gs__free(&a, t->text);
    gs__free(&a, t);
}

gs_task_kind gs_task_kind_of(const gs_task *t) { return t->kind; }
int gs_task_n_in(const gs_task *t) { return t->m; }
int gs_task_n_out(const gs_task *t) { return t->k; }
int gs_task_length(const gs_task *t) { return t->T; }
gs_loss_kind gs_task_loss(const gs_task *t) { return t->loss; }

const char *gs_task_alphabet(const gs_task *t) {
    return t && (t->kind == GS_TASK_TEXT || t->kind == GS_TASK_TYPED) ? ALPHABET : NULL;
}

const char *gs_task_class_name(const gs_task *t, int input, int c) {
    static const char *const copy[COPY_SYMS] = {"blank", "1", "2", "3", "4", "5", "6", "7", "8",
                                                "delimiter"};
    static const char *const order_in[8] = {"a", "b", "c", "d", "X", "Y", "B", "E"};
    static const char *const order_out[4] = {"XX", "XY", "YX", "YY"};
    static const char *const bits[2] = {"0", "1"};
    /* each character of ALPHABET as a string of its own */
    static const char chars[N_CHARS][2] = {" ", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                                           "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
                                           "v", "w", "x", "y", "z", ".", ",", "'", "?", "!"};
    if (!t || c < 0) return NULL;
    switch (t->kind) {
    case GS_TASK_COPY: return c < COPY_SYMS ? copy[c] : NULL;
    case GS_TASK_ORDER: return input ? (c < 8 ? order_in[c] : NULL) : (c < 4 ? order_out[c] : NULL);
    case GS_TASK_ECHO: return !input && c < 2 ? bits[c] : NULL;
    case GS_TASK_TEXT:
    case GS_TASK_TYPED: return c < N_CHARS ? chars[c] : NULL;
    default: return NULL;
    }
}

gs_status gs_task_check_text(const char *text, size_t len, int newlines, gs_error *err) {
    size_t i, n = 0; /* n: characters before i */
    if (!text) {
        gs__error(err, "no text");
        return GS_ERR_ARG;
    }
    for (i = 0; i < len; n++) {
        unsigned char c = (unsigned char)text[i];
        size_t k = 1;
        if (c >= 0xc0) /* a UTF-8 lead byte: the whole character, for the message */
            while (i + k < len && k < 4 && ((unsigned char)text[i + k] & 0xc0) == 0x80) k++;
        if (c == ' ' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c != 0 && c != ' ' && strchr(ALPHABET, c)) ||
            (newlines && (c == '\n' || c == '\r' || c == '\t'))) {
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            gs__error(err, "character %zu (code %u) is not in the alphabet: letters, space "
                      "and . , ' ? ! (it would read as a space)", n + 1, (unsigned)c);
        else
            gs__error(err, "'%.*s' (character %zu) is not in the alphabet: letters, space and "
                      ". , ' ? ! (it would read as a space)", (int)k, text + i, n + 1);
        return GS_ERR_ARG;
    }
    return GS_OK;
}

/* ---- Generators: each fills row b of x (T, B, m) and target (T, B, k), which the
 * caller has zeroed (x only when !keep_x).  Every target is computed from x as
 * stored, so the same code relabels an edited input. ---------------------------------- */

typedef struct gen {
    const gs_task *t;
    int B, b;            /* batch size, the row being drawn */
    gs_real *x, *target; /* (T, B, m), (T, B, k), zeroed by gs_task_generate */
    int keep_x;          /* 1 (gs_task_relabel): x is given, draw as usual but do not
                            write it; the targets come from x as it is */
} gen;

static gs_real *xrow(const gen *g, int step) {
    return g->x + ((size_t)step * (size_t)g->B + (size_t)g->b) * (size_t)g->t->m;
}
static gs_real *trow(const gen *g, int step) {
    return g->target + ((size_t)step * (size_t)g->B + (size_t)g->b) * (size_t)g->t->k;
}

static int argmax(const gs_real *v, int k);

/* The class of step's one-hot input. */
static int xclass(const gen *g, int step) { return argmax(xrow(g, step), g->t->m); }

static void gen_adding(const gen *g, gs_rng *r, int hs) {
    int T = g->t->T, half = T / 2, t, p1, p2;
    double sum = 0; /* of the marked values, in step order (two: exactly x1 + x2) */
    for (t = 0; t < T; t++) {
        double u = gs_rng_uniform(r);
        if (!g->keep_x) xrow(g, t)[0] = (gs_real)(hs ? 2.0 * u - 1.0 : u);
    }
    if (hs) {
        int first = half < 10 ? half : 10;
        p1 = gs_rng_below(r, first);
        p2 = gs_rng_below(r, half - 1); /* among [0, half) without p1 */
        if (p2 >= p1) p2++;
    } else {
        p1 = gs_rng_below(r, half);
        p2 = half + gs_rng_below(r, T - half);
    }
    if (!g->keep_x) {
        xrow(g, p1)[1] = GS_R(1.0);
        xrow(g, p2)[1] = GS_R(1.0);
    }
    for (t = 0; t < T; t++)
        if (xrow(g, t)[1] > GS_R(0.5)) sum += (double)xrow(g, t)[0];
    trow(g, T - 1)[0] = (gs_real)(hs ? 0.5 + sum / 4.0 : sum);
}

static void gen_copy(const gen *g, gs_rng *r) {
    int T = g->t->T, t;
    for (t = 0; t < COPY_SYMS; t++) {
        int sym = 1 + gs_rng_below(r, 8);
        if (!g->keep_x) xrow(g, t)[sym] = GS_R(1.0);
        trow(g, T - COPY_SYMS + t)[xclass(g, t)] = GS_R(1.0);
    }
    if (!g->keep_x)
        for (t = COPY_SYMS; t < T; t++)
            xrow(g, t)[t == T - COPY_SYMS - 1 ? COPY_DELIM : COPY_BLANK] = GS_R(1.0);
    for (t = 0; t < T - COPY_SYMS; t++) trow(g, t)[COPY_BLANK] = GS_R(1.0);
}

/* Uniform in [lo, hi] after clamping both into 1..T-2. */
static int order_pos(gs_rng *r, int lo, int hi, int T) {
    if (lo < 1) lo = 1;
    if (hi > T - 2) hi = T - 2;
    if (hi < lo) hi = lo;
    return lo + gs_rng_below(r, hi - lo + 1);
}

static void gen_order(const gen *g, gs_rng *r) {
    int T = g->t->T, t, t1, t2, s1, s2, seen = 0, cls = 0;
    t1 = order_pos(r, T / 10, 2 * T / 10, T);
    t2 = order_pos(r, 5 * T / 10, 6 * T / 10, T);
    s1 = gs_rng_below(r, 2);
    s2 = gs_rng_below(r, 2);
    for (t = 0; t < T; t++) {
        int c;
        if (t == 0) c = ORDER_B;
        else if (t == T - 1) c = ORDER_E;
        else if (t == t1) c = ORDER_X + s1;
        else if (t == t2) c = ORDER_X + s2;
        else c = gs_rng_below(r, 4);
        if (!g->keep_x) xrow(g, t)[c] = GS_R(1.0);
    }
    /* the class: the first two X/Y symbols, the first one the high bit */
    for (t = 0; t < T && seen < 2; t++) {
        int c = xclass(g, t);
        if (c == ORDER_X || c == ORDER_Y) {
            cls = 2 * cls + (c == ORDER_Y);
            seen++;
        }
    }
    trow(g, T - 1)[seen == 2 ? cls : 0] = GS_R(1.0);
}

static void gen_echo(const gen *g, gs_rng *r) {
    int T = g->t->T, t;
    for (t = 0; t < T; t++) {
        double x3 = t >= 3 ? (double)xrow(g, t - 3)[0] : 0.0;
        double x8 = t >= 8 ? (double)xrow(g, t - 8)[0] : 0.0;
        double p = 0.5 + 0.5 * x3 - 0.25 * x8;
        int xt = gs_rng_below(r, 2);
        int y = gs_rng_uniform(r) < p;
        if (!g->keep_x) xrow(g, t)[0] = (gs_real)xt;
        trow(g, t)[y] = GS_R(1.0);
    }
}

static void gen_sine(const gen *g, gs_rng *r) {
    int T = g->t->T, t;
    double phase = 2.0 * PI * gs_rng_uniform(r);
    double w = 0.1 + 0.4 * gs_rng_uniform(r);
    for (t = 0; t < T; t++)
        if (!g->keep_x) xrow(g, t)[0] = (gs_real)sin(w * t + phase);
    for (t = 0; t < T; t++) /* the next value: the next input, past the end the wave's */
        trow(g, t)[0] = t + 1 < T ? xrow(g, t + 1)[0] : (gs_real)sin(w * (t + 1) + phase);
}

static void gen_text(const gen *g, gs_rng *r) {
    int T = g->t->T, t, o = 0;
    const unsigned char *c;
    if (g->t->kind == GS_TASK_TEXT) o = gs_rng_below(r, g->t->text_n - T);
    c = g->t->text + o;
    for (t = 0; t < T; t++)
        if (!g->keep_x) xrow(g, t)[c[t]] = GS_R(1.0);
    for (t = 0; t < T; t++) /* the next character: the next input, past the end the text's */
        trow(g, t)[t + 1 < T ? xclass(g, t + 1) : c[t + 1]] = GS_R(1.0);
}

/* Generate (keep_x 0) or relabel (keep_x 1) B rows. */
static void run(const gs_task *t, gs_rng *rng, int B, gs_real *x, gs_real *target,
                unsigned char *mask, int keep_x) {
    gen g;
    int s;
    if (!t || !rng || B < 1 || !x || !target || !mask) return;
    if (!keep_x) memset(x, 0, sizeof *x * (size_t)t->T * (size_t)B * (size_t)t->m);
    memset(target, 0, sizeof *target * (size_t)t->T * (size_t)B * (size_t)t->k);
    for (s = 0; s < t->T; s++) mask[s] = (unsigned char)(!t->loss_last_only || s == t->T - 1);
    g.t = t;
    g.B = B;
    g.x = x;
    g.target = target;
    g.keep_x = keep_x;
    for (g.b = 0; g.b < B; g.b++) {
        switch (t->kind) {
        case GS_TASK_ADDING: gen_adding(&g, rng, 0); break;
        case GS_TASK_ADDING_HS: gen_adding(&g, rng, 1); break;
        case GS_TASK_COPY: gen_copy(&g, rng); break;
        case GS_TASK_ORDER: gen_order(&g, rng); break;
        case GS_TASK_ECHO: gen_echo(&g, rng); break;
        case GS_TASK_SINE: gen_sine(&g, rng); break;
        case GS_TASK_TEXT:
        case GS_TASK_TYPED: gen_text(&g, rng); break;
        default: break;
        }
    }
}

void gs_task_generate(const gs_task *t, gs_rng *rng, int B, gs_real *x, gs_real *target,
                      unsigned char *mask) {
    run(t, rng, B, x, target, mask, 0);
}

void gs_task_relabel(const gs_task *t, gs_rng *rng, int B, const gs_real *x, gs_real *target,
                     unsigned char *mask) {
    /* keep_x: the generators only read x */
    run(t, rng, B, (gs_real *)(uintptr_t)x, target, mask, 1);
}

/* ---- Baselines and success ---------------------------------------------------------- */

/* Binary entropy in nats; H(0) = H(1) = 0. */
static double entropy2(double p) {
    double h = 0;
    if (p > 0) h -= p * log(p);
    if (p < 1) h -= (1 - p) * log(1 - p);
    return h;
}

/* Echo's stationary cross-entropy levels, from p = 1/2 + x3/2 - x8/4 with x3, x8 fair
 * and independent: knowing nothing, knowing x3, knowing both. */
static void echo_levels(double out[3]) {
    double nothing = 0, known3 = 0, both = 0;
    int x3, x8;
    for (x3 = 0; x3 < 2; x3++) {
        double p3 = 0;
        for (x8 = 0; x8 < 2; x8++) {
            double p = 0.5 + 0.5 * x3 - 0.25 * x8;
            p3 += 0.5 * p;
            nothing += 0.25 * p;
            both += 0.25 * entropy2(p);
        }
        known3 += 0.5 * entropy2(p3);
    }
    out[0] = entropy2(nothing);
    out[1] = known3;
    out[2] = both;
}

int gs_task_baselines(const gs_task *t, double *values, const char **names, int max) {
    double v[3];
    const char *n[3];
    int count = 1, i;
    if (!t) return 0;
    switch (t->kind) {
    case GS_TASK_ADDING: v[0] = 1.0 / 6.0; n[0] = "predict the mean"; break;
    case GS_TASK_ADDING_HS: v[0] = 1.0 / 24.0; n[0] = "predict the mean"; break;
    case GS_TASK_COPY: v[0] = COPY_SYMS * log(8.0) / t->T; n[0] = "memoryless"; break;
    case GS_TASK_ORDER: v[0] = log(4.0); n[0] = "chance"; break;
    case GS_TASK_ECHO:
        echo_levels(v);
        n[0] = "learned nothing";
        n[1] = "learned the 3-step echo";
        n[2] = "learned both echoes";
        count = 3;
        break;
    case GS_TASK_SINE: v[0] = 0.5; n[0] = "predict 0"; break;
    case GS_TASK_TEXT:
    case GS_TASK_TYPED: v[0] = log((double)N_CHARS); n[0] = "uniform guess"; break;
    default: return 0;
    }
    if (count > max) count = max < 0 ? 0 : max;
    for (i = 0; i < count; i++) {
        if (values) values[i] = v[i];
        if (names) names[i] = n[i];
    }
    return count;
}

const char *gs_task_success_name(const gs_task *t) {
    if (!t) return NULL;
    switch (t->kind) {
    case GS_TASK_ADDING:
    case GS_TASK_ADDING_HS: return "sequences with |error| < 0.04";
    case GS_TASK_COPY: return "recalled symbols correct";
    case GS_TASK_ORDER: return "sequences classified correctly";
    case GS_TASK_TEXT:
    case GS_TASK_TYPED: return "next characters correct";
    default: return NULL;
    }
}

static int argmax(const gs_real *v, int k) {
    int j, best = 0;
    for (j = 1; j < k; j++)
        if (v[j] > v[best]) best = j;
    return best;
}

double gs_task_success(const gs_task *t, const gs_real *y, const gs_real *target,
                       const unsigned char *mask, int B) {
    long hits = 0, total = 0;
    int s, b, k;
    if (!t || !y || !target || B < 1 || !gs_task_success_name(t)) return (double)NAN;
    k = t->k;
    for (s = 0; s < t->T; s++) {
        int use;
        if (t->kind == GS_TASK_COPY)
            use = s >= t->T - COPY_SYMS;
        else
            use = mask ? mask[s] != 0 : (!t->loss_last_only || s == t->T - 1);
        if (!use) continue;
        for (b = 0; b < B; b++) {
            size_t at = ((size_t)s * (size_t)B + (size_t)b) * (size_t)k;
            int ok;
            if (t->loss == GS_LOSS_MSE)
                ok = fabs((double)y[at] - (double)target[at]) < SUCCESS_TOL;
            else
                ok = argmax(y + at, k) == argmax(target + at, k);
            hits += ok;
            total++;
        }
    }
    return total ? (double)hits / (double)total : (double)NAN;
}
