/* predict.c — one step of a sequence in its task's terms: what the input is (a value
 * and its marker, a symbol, a bit), what the readout says (its value, or the softmax's
 * top class and that class's probability) against the target and the step's loss;
 * and a person's edits of the input, after which the targets follow from the task's
 * rule (gs_task_relabel).  Not the forward pass (seq.c), not the generators (task.c).
 *
 * Edits change batch row 0 only (the row the window shows); one wheel notch is
 * ADD_NOTCH for adding's values and SINE_NOTCH for sine's. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ADD_NOTCH 0.05
#define SINE_NOTCH 0.1
#define SINE_MAX 2.0
#define COPY_SYMS 10 /* as task.c: the symbols to remember, then blanks, the delimiter */
#define ORDER_X 4
#define ORDER_Y 5

/* ---- Shared checks ------------------------------------------------------------------ */

typedef struct dims {
    int T, B, m, k; /* capacity (or the task's length), rows, inputs, outputs */
} dims;

static dims dims_of(const gs_seq *s) {
    const gs_model_config *c = gs_model_config_of(gs_seq_model(s));
    gs_seq_summary sum = gs_seq_summary_of(s);
    dims d = { sum.capacity, sum.batch, c->n_in, c->n_out };
    return d;
}

/* The task fits s: same sizes, no longer than its capacity. */
static gs_status task_fits(const gs_seq *s, const gs_task *task, gs_error *err) {
    dims d = dims_of(s);
    if (!task) {
        gs__error(err, "no task");
        return GS_ERR_ARG;
    }
    if (gs_task_n_in(task) != d.m || gs_task_n_out(task) != d.k || gs_task_length(task) > d.T) {
        gs__error(err, "task '%s' (%d inputs, %d outputs, %d steps) does not fit this sequence "
                  "(%d, %d, %d)", gs_task_info_get(gs_task_kind_of(task))->name,
                  gs_task_n_in(task), gs_task_n_out(task), gs_task_length(task), d.m, d.k, d.T);
        return GS_ERR_ARG;
    }
    return GS_OK;
}

static gs_status step_ok(int t, int b, int T, int B, gs_error *err) {
    if (t < 1 || t > T || b < 0 || b >= B) {
        gs__error(err, "step %d of row %d is outside steps 1..%d, rows 0..%d", t, b, T, B - 1);
        return GS_ERR_ARG;
    }
    return GS_OK;
}

static int argmax(const gs_real *v, int k) {
    int j, best = 0;
    for (j = 1; j < k; j++)
        if (v[j] > v[best]) best = j;
    return best;
}

static int one_hot_task(gs_task_kind k) {
    return k == GS_TASK_COPY || k == GS_TASK_ORDER || k == GS_TASK_TEXT || k == GS_TASK_TYPED;
}

/* ---- Reading the input --------------------------------------------------------------- */

const gs_real *gs_seq_input_at(const gs_seq *s, int t, int b, int *len) {
    dims d;
    if (len) *len = 0;
    if (!s) return NULL;
    d = dims_of(s);
    if (t < 1 || t > d.T || b < 0 || b >= d.B) return NULL;
    if (len) *len = d.m;
    return gs__seq_x(s) + ((size_t)(t - 1) * (size_t)d.B + (size_t)b) * (size_t)d.m;
}

gs_status gs_seq_read_input(const gs_seq *s, const gs_task *task, int t, int b, gs_step_input *out,
                            gs_error *err) {
    dims d;
    const gs_real *x;
    gs_task_kind kind;
    gs_status st;
    if (!s || !out) {
        gs__error(err, "gs_seq_read_input: NULL %s", s ? "output" : "sequence");
        return GS_ERR_ARG;
    }
    if ((st = task_fits(s, task, err)) != GS_OK) return st;
    d = dims_of(s);
    if ((st = step_ok(t, b, gs_task_length(task), d.B, err)) != GS_OK) return st;
    x = gs__seq_x(s) + ((size_t)(t - 1) * (size_t)d.B + (size_t)b) * (size_t)d.m;
    kind = gs_task_kind_of(task);
    out->value = (double)NAN;
    out->symbol = -1;
    out->marked = 0;
    out->editable = 1;
    if (one_hot_task(kind)) {
        out->symbol = argmax(x, d.m);
        if (kind == GS_TASK_COPY) out->editable = t <= COPY_SYMS;
        if (kind == GS_TASK_ORDER) out->editable = t > 1 && t < gs_task_length(task);
    } else {
        out->value = (double)x[0];
        if (kind == GS_TASK_ADDING || kind == GS_TASK_ADDING_HS) out->marked = x[1] > GS_R(0.5);
    }
    return GS_OK;
}

/* ---- Reading the readout ------------------------------------------------------------- */

/* log softmax(y)_c in double, as gs__loss_row computes it. */
static double log_prob(const gs_real *y, int k, int c) {
    double mx = -INFINITY, sum = 0;
    int j;
    for (j = 0; j < k; j++)
        if ((double)y[j] > mx) mx = (double)y[j];
    if (!isfinite(mx)) mx = 0;
    for (j = 0; j < k; j++) sum += exp((double)y[j] - mx);
    return (double)y[c] - mx - log(sum);
}

gs_status gs_seq_readout(const gs_seq *s, int t, int b, gs_step_readout *out, gs_error *err) {
    dims d;
    gs_status st;
    size_t row;
    const gs_real *y, *target;
    int xent;
    if (!s || !out) {
        gs__error(err, "gs_seq_readout: NULL %s", s ? "output" : "sequence");
        return GS_ERR_ARG;
    }
    d = dims_of(s);
    if ((st = step_ok(t, b, d.T, d.B, err)) != GS_OK) return st;
    row = (size_t)(t - 1) * (size_t)d.B + (size_t)b;
    y = gs__seq_y(s) + row * (size_t)d.k;
    target = gs__seq_targets(s) + row * (size_t)d.k;
    xent = gs__seq_loss_kind(s) == GS_LOSS_XENT;
    memset(out, 0, sizeof *out);
    out->computed = t <= gs_seq_summary_of(s).steps;
    out->has_loss = gs__seq_mask(s)[t - 1] != 0;
    out->loss = out->y = out->target = out->top_prob = out->target_prob = (double)NAN;
    out->top = out->target_class = -1;
    if (out->computed) {
        out->y = (double)y[0];
        if (out->has_loss) out->loss = (double)gs__seq_row_loss(s)[row];
    }
    if (!xent) {
        if (out->has_loss) out->target = (double)target[0];
        return GS_OK;
    }
    if (out->has_loss) out->target_class = argmax(target, d.k);
    if (out->computed) {
        out->top = argmax(y, d.k);
        out->top_prob = exp(log_prob(y, d.k, out->top));
        if (out->target_class >= 0) out->target_prob = exp(log_prob(y, d.k, out->target_class));
    }
    return GS_OK;
}

double gs_seq_class_prob(const gs_seq *s, int t, int b, int c) {
    dims d;
    if (!s || gs__seq_loss_kind(s) != GS_LOSS_XENT) return (double)NAN;
    d = dims_of(s);
    if (t < 1 || t > gs_seq_summary_of(s).steps || b < 0 || b >= d.B || c < 0 || c >= d.k)
        return (double)NAN;
    return exp(log_prob(gs__seq_y(s) + ((size_t)(t - 1) * (size_t)d.B + (size_t)b) * (size_t)d.k,
                        d.k, c));
}

/* ---- Editing the input ---------------------------------------------------------------- */

gs_status gs_seq_relabel(gs_seq *s, const gs_task *task, uint64_t seed, gs_error *err) {
    gs_rng rng;
    gs_status st;
    if (!s) {
        gs__error(err, "gs_seq_relabel: NULL sequence");
        return GS_ERR_ARG;
    }
    if ((st = task_fits(s, task, err)) != GS_OK) return st;
    gs_rng_seed(&rng, seed);
    gs_task_relabel(task, &rng, dims_of(s).B, gs_seq_inputs(s), gs_seq_targets(s), gs_seq_mask(s));
    gs_seq_rewind(s);
    return GS_OK;
}

static void set_class(gs_real *x, int m, int c) {
    memset(x, 0, sizeof *x * (size_t)m);
    x[c] = GS_R(1.0);
}

/* The marker that moves to step i (0-based) of row 0: adding's of the same half, adding-hs's
 * nearer one (both in the first half).  -1 with a message if none may. */
static int marker_to_move(gs_real *x, int B, int m, int T, int i, int hs, gs_error *err) {
    int half = T / 2, lo = hs || i < half ? 0 : half, hi = hs || i < half ? half : T, j, best = -1;
    if (hs && i >= half) {
        gs__error(err, "adding-hs keeps both markers in the first half (steps 1..%d)", half);
        return -1;
    }
    for (j = lo; j < hi; j++)
        if (x[(size_t)j * (size_t)B * (size_t)m + 1] > GS_R(0.5) && (best < 0 || abs(j - i) < abs(best - i)))
            best = j;
    if (best < 0)
        gs__error(err, "no marker in steps %d..%d to move", lo + 1, hi);
    return best;
}

static gs_status edit_value(gs_real *v, double notch, double lo, double hi, gs_input_edit e, int t,
                            gs_error *err) {
    double now = (double)*v, next = e == GS_EDIT_UP ? now + notch : now - notch;
    if (next > hi) next = hi;
    if (next < lo) next = lo;
    if (next == now) {
        gs__error(err, "step %d is already at %g, the %s value here", t, now,
                  e == GS_EDIT_UP ? "largest" : "smallest");
        return GS_ERR_ARG;
    }
    *v = (gs_real)next;
    return GS_OK;
}

gs_status gs_seq_edit_input(gs_seq *s, const gs_task *task, uint64_t seed, int t, gs_input_edit e,
                            gs_error *err) {
    dims d;
    gs_status st;
    gs_real *x0, *x;
    gs_task_kind kind;
    int T, c, i = t - 1, dir = e == GS_EDIT_DOWN ? -1 : 1;
    if (!s) {
        gs__error(err, "gs_seq_edit_input: NULL sequence");
        return GS_ERR_ARG;
    }
    if ((st = task_fits(s, task, err)) != GS_OK) return st;
    d = dims_of(s);
    T = gs_task_length(task);
    if ((st = step_ok(t, 0, T, d.B, err)) != GS_OK) return st;
    if (e != GS_EDIT_CLICK && e != GS_EDIT_UP && e != GS_EDIT_DOWN) {
        gs__error(err, "unknown edit %d", (int)e);
        return GS_ERR_ARG;
    }
    kind = gs_task_kind_of(task);
    x0 = gs_seq_inputs(s);
    x = x0 + (size_t)i * (size_t)d.B * (size_t)d.m;
    c = one_hot_task(kind) ? argmax(x, d.m) : -1;
    switch (kind) {
    case GS_TASK_ADDING:
    case GS_TASK_ADDING_HS: {
        int hs = kind == GS_TASK_ADDING_HS, j;
        if (e != GS_EDIT_CLICK) {
            st = edit_value(&x[0], ADD_NOTCH, hs ? -1.0 : 0.0, 1.0, e, t, err);
            break;
        }
        if (x[1] > GS_R(0.5)) {
            gs__error(err, "step %d is already marked: click an unmarked step to move a marker "
                      "there", t);
            return GS_ERR_ARG;
        }
        if ((j = marker_to_move(x0, d.B, d.m, T, i, hs, err)) < 0) return GS_ERR_ARG;
        x0[(size_t)j * (size_t)d.B * (size_t)d.m + 1] = GS_R(0.0);
        x[1] = GS_R(1.0);
        break;
    }
    case GS_TASK_COPY:
        if (t > COPY_SYMS) {
            gs__error(err, "copy: only the %d symbols (steps 1..%d) can change; the blanks, the "
                      "delimiter and the recall are the task's", COPY_SYMS, COPY_SYMS);
            return GS_ERR_ARG;
        }
        set_class(x, d.m, 1 + (c - 1 + dir + 8) % 8); /* the symbols are 1..8 */
        break;
    case GS_TASK_ORDER:
        if (t == 1 || t == T) {
            gs__error(err, "order: step %d is the %s marker %s", t, t == 1 ? "start" : "end",
                      t == 1 ? "B" : "E");
            return GS_ERR_ARG;
        }
        if (c == ORDER_X || c == ORDER_Y) set_class(x, d.m, c == ORDER_X ? ORDER_Y : ORDER_X);
        else set_class(x, d.m, (c + dir + 4) % 4); /* the distractors a..d */
        break;
    case GS_TASK_ECHO: {
        gs_real bit = e == GS_EDIT_CLICK ? (x[0] > GS_R(0.5) ? GS_R(0.0) : GS_R(1.0))
                                         : (e == GS_EDIT_UP ? GS_R(1.0) : GS_R(0.0));
        if (bit == x[0]) {
            gs__error(err, "X at step %d is already %d", t, (int)bit);
            return GS_ERR_ARG;
        }
        x[0] = bit;
        break;
    }
    case GS_TASK_SINE:
        if (e == GS_EDIT_CLICK) {
            gs__error(err, "sine: turn the wheel over a step to change its value");
            return GS_ERR_ARG;
        }
        st = edit_value(&x[0], SINE_NOTCH, -SINE_MAX, SINE_MAX, e, t, err);
        break;
    case GS_TASK_TEXT:
    case GS_TASK_TYPED: set_class(x, d.m, (c + dir + d.m) % d.m); break;
    default:
        gs__error(err, "this task has no editable input");
        return GS_ERR_ARG;
    }
    if (st != GS_OK) return st;
    return gs_seq_relabel(s, task, seed, err);
}
