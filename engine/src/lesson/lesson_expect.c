/* lesson_expect.c — checking a step's @expect lines against computed sequences, with
 * messages that give the values actually seen ("but the largest proto s_norm before
 * step 40 was 38.2 (at step 39)").  Reads sequences only through the public scalar
 * API (gs_seq_scalar, gs_seq_summary_of); computes nothing itself. */
#include "lesson_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- What a step needs computed ----------------------------------------------------- */

unsigned gs_lesson_step_needs(const gs_lesson_step *step) {
    unsigned need = 0;
    if (!step) return 0;
    for (int i = 0; i < step->n_expects; i++) {
        const gs_lesson_term *terms[2] = {&step->expects[i].lhs, &step->expects[i].rhs};
        for (int k = 0; k < 2; k++) {
            const char *q = terms[k]->quantity;
            if (terms[k]->is_number) continue;
            if (!strncmp(q, "d_", 2) || !strcmp(q, "has_grad") || !strcmp(q, "grad_norm") ||
                !strcmp(q, "first_nonfinite_grad"))
                need |= GS_LESSON_NEEDS_BACKWARD;
            /* shrink is a gate mean for gated cells (forward), sigma of J_t for the rnn */
            if (!strcmp(q, "jac_sigma") ||
                (!strcmp(q, "shrink") && gs_variant_get(terms[k]->variant)->n_gates == 0))
                need |= GS_LESSON_NEEDS_BACKWARD | GS_LESSON_NEEDS_JACOBIAN;
        }
    }
    return need;
}

/* ---- Evaluating ------------------------------------------------------------------------ */

/* One side of the comparison, bound to its sequence. */
typedef struct side {
    const gs_lesson_term *t;
    const gs_seq *seq; /* NULL for a number */
    int steps;         /* steps computed in seq */
    int free;          /* evaluated at each step of the range */
    int at;            /* the resolved step of a fixed per-step term */
    char desc[64];     /* "proto s_norm at 3" */
} side;

/* a <op> b; tol > 0 makes == mean |a - b| <= tol (`within`). */
static int compare(double a, gs_lesson_op op, double b, double tol) {
    if (isnan(a) || isnan(b)) return 0;
    switch (op) {
    case GS_OP_LT: return a < b;
    case GS_OP_LE: return a <= b;
    case GS_OP_GT: return a > b;
    case GS_OP_GE: return a >= b;
    case GS_OP_EQ: return tol > 0 ? fabs(a - b) <= tol : a == b;
    case GS_OP_NE: return a != b;
    }
    return 0;
}

/* How far a <op> b is from failing, as a signed relative difference: > 0 holds
 * with room, 0 sits on the threshold, < 0 fails (NaN if either is NaN).  One scale
 * for every comparison, so steps can be ranked; for `==` it is 0 when equal and
 * negative otherwise, for `== within tol` the share of tol left. */
static double rel_margin(double a, gs_lesson_op op, double b, double tol) {
    double big, d;
    if (isnan(a) || isnan(b)) return (double)NAN;
    if (op == GS_OP_EQ && tol > 0) return isinf(a) || isinf(b) ? -1 : 1 - fabs(a - b) / tol;
    big = fmax(fabs(a), fabs(b));
    if (a == b) return 0;
    /* d: how far the side that must be larger is above the other, in units of big */
    switch (op) {
    case GS_OP_LT:
    case GS_OP_LE: d = isinf(big) ? (b > a ? 1 : -1) : (b - a) / big; break;
    case GS_OP_GT:
    case GS_OP_GE: d = isinf(big) ? (a > b ? 1 : -1) : (a - b) / big; break;
    case GS_OP_NE: d = isinf(big) ? 1 : fabs(a - b) / big; break;
    case GS_OP_EQ: d = isinf(big) ? -1 : -fabs(a - b) / big; break;
    default: d = 0; break;
    }
    return d;
}

/* The margin of a <op> b as the header defines it (kind and value). */
static gs_lesson_margin_kind margin_of(double a, gs_lesson_op op, double b, double tol,
                                       int holds, double *out) {
    int ordered = op == GS_OP_LT || op == GS_OP_LE || op == GS_OP_GT || op == GS_OP_GE;
    *out = (double)NAN;
    if (isnan(a) || isnan(b)) return GS_MARGIN_NONE;
    if (op == GS_OP_EQ && (holds && a == b)) {
        *out = 0;
        return GS_MARGIN_EXACT;
    }
    if (op == GS_OP_EQ && tol > 0) { /* the tolerance over the deviation */
        *out = isinf(a) || isinf(b) ? 0 : tol / fabs(a - b);
        return GS_MARGIN_FACTOR;
    }
    if (ordered && a != 0 && b != 0 && (a > 0) == (b > 0) && !(isinf(a) && isinf(b))) {
        /* the larger magnitude over the smaller, the way the comparison points */
        int want_a_larger = (op == GS_OP_GT || op == GS_OP_GE) == (a > 0);
        *out = want_a_larger ? a / b : b / a;
        return GS_MARGIN_FACTOR;
    }
    *out = rel_margin(a, op, b, 0);
    return GS_MARGIN_DIFF;
}

int gs_lesson_margin_thin(const gs_lesson_result *r) {
    if (!r || !r->holds) return 0;
    if (r->kind == GS_MARGIN_FACTOR) return !(r->margin >= GS_LESSON_THIN_FACTOR);
    if (r->kind == GS_MARGIN_DIFF) return !(r->margin >= GS_LESSON_THIN_DIFF);
    return r->kind == GS_MARGIN_NONE;
}

void gs_lesson_margin_text(const gs_lesson_result *r, char *buf, size_t len) {
    if (!buf || !len) return;
    switch (r ? r->kind : GS_MARGIN_NONE) {
    case GS_MARGIN_FACTOR:
        if (isinf(r->margin)) snprintf(buf, len, "\xc3\x97inf");
        else if (r->margin >= 1e4) snprintf(buf, len, "\xc3\x97%.2g", r->margin);
        else snprintf(buf, len, "\xc3\x97%.3g", r->margin);
        break;
    case GS_MARGIN_DIFF: snprintf(buf, len, "%.3g %%", 100 * r->margin); break;
    case GS_MARGIN_EXACT: snprintf(buf, len, "exact"); break;
    case GS_MARGIN_BOUND: snprintf(buf, len, "by construction"); break;
    default: snprintf(buf, len, "none"); break;
    }
}

/* The raw quantity of side s at step t (the coefficient not applied). */
static double raw_value(const side *s, int t) {
    double v = (double)NAN;
    if (!s->seq) return s->t->value;
    if (gs_seq_scalar(s->seq, s->t->quantity, s->t->whole ? 0 : t, &v, NULL) != GS_OK)
        return (double)NAN;
    return v;
}

static double value(const side *s, int t) {
    return s->seq ? s->t->value * raw_value(s, t) : s->t->value;
}

static int bind(side *s, const gs_lesson_term *t, const gs_variant *variants,
                const gs_seq *const *seqs, int n, char *why, size_t why_len) {
    memset(s, 0, sizeof *s);
    s->t = t;
    if (t->is_number) return 0;
    for (int i = 0; i < n; i++)
        if (variants[i] == t->variant && seqs[i]) {
            s->seq = seqs[i];
            break;
        }
    snprintf(s->desc, sizeof s->desc, "%s %s", gs_variant_get(t->variant)->name, t->quantity);
    if (!s->seq) {
        snprintf(why, why_len, "no run of %s was given to check", gs_variant_get(t->variant)->name);
        return -1;
    }
    s->steps = gs_seq_summary_of(s->seq).steps;
    if (t->whole) return 0;
    if (t->at == GS_LESSON_AT_EACH) {
        s->free = 1;
        return 0;
    }
    s->at = t->at == GS_LESSON_AT_LAST ? s->steps : t->at;
    if (t->at == GS_LESSON_AT_LAST)
        snprintf(s->desc, sizeof s->desc, "%s %s at last", gs_variant_get(t->variant)->name,
                 t->quantity);
    else
        snprintf(s->desc, sizeof s->desc, "%s %s at %d", gs_variant_get(t->variant)->name,
                 t->quantity, t->at);
    if (s->at < 1 || s->at > s->steps) {
        snprintf(why, why_len, "%s has %d computed steps", gs_variant_get(t->variant)->name,
                 s->steps);
        return -1;
    }
    return 0;
}

/* " before step 40" / " after step 10" / "". */
static void where_text(const gs_lesson_expect *e, char *buf, size_t len) {
    if (e->qual == GS_QUAL_BEFORE) snprintf(buf, len, " before step %d", e->qual_step);
    else if (e->qual == GS_QUAL_AFTER) snprintf(buf, len, " after step %d", e->qual_step);
    else buf[0] = 0;
}

/* "A was 1.5 and B was 3" for the non-number sides, the free ones at step t. */
static void values_text(const side *l, const side *r, int t, char *buf, size_t len) {
    int tl = l->free ? t : l->at, tr = r->free ? t : r->at;
    if (l->seq && r->seq)
        snprintf(buf, len, "%s was %.6g and %s was %.6g", l->desc, raw_value(l, tl), r->desc,
                 raw_value(r, tr));
    else if (l->seq)
        snprintf(buf, len, "%s was %.6g", l->desc, raw_value(l, tl));
    else
        snprintf(buf, len, "%s was %.6g", r->desc, raw_value(r, tr));
}

/* Record the margin of the comparison at step t (0 for fixed sides) into r. */
static void set_margin(gs_lesson_result *r, const gs_lesson_expect *e, const side *l,
                       const side *rs, int t, int holds) {
    r->step = t;
    r->lhs = value(l, l->free ? t : l->at);
    r->rhs = value(rs, rs->free ? t : rs->at);
    r->kind = margin_of(r->lhs, e->op, r->rhs, e->tol, holds, &r->margin);
    if (holds && e->bound) r->kind = GS_MARGIN_BOUND;
}

/* The verdict and its margin into r and, on failure, why (the part after "but "). */
static int evaluate(const gs_lesson_expect *e, const side *l, const side *r, char *why,
                    size_t why_len, gs_lesson_result *res) {
    char where[48], vals[200];
    int lo = 1, hi = 0, t, best_t = 0, worst_t = 0, fails = 0, first_fail = 0, total, any = 0;
    double best = -HUGE_VAL, worst = HUGE_VAL;
    if (!l->free && !r->free) {
        int ok = compare(value(l, l->at), e->op, value(r, r->at), e->tol);
        set_margin(res, e, l, r, 0, ok);
        if (ok) return 1;
        values_text(l, r, 0, why, why_len);
        return 0;
    }
    /* the steps every free side has, narrowed by the qualifier */
    hi = 1 << 30;
    if (l->free && l->steps < hi) hi = l->steps;
    if (r->free && r->steps < hi) hi = r->steps;
    if (e->qual == GS_QUAL_BEFORE && e->qual_step - 1 < hi) hi = e->qual_step - 1;
    if (e->qual == GS_QUAL_AFTER) lo = e->qual_step + 1;
    where_text(e, where, sizeof where);
    if (lo > hi) {
        snprintf(why, why_len, "no computed step lies%s (%s has %d steps)",
                 where[0] ? where : " in the run", l->free ? l->desc : r->desc,
                 l->free ? l->steps : r->steps);
        return 0;
    }
    total = hi - lo + 1;
    /* best: the step with the most room (where a `somewhere` holds best, or comes
       closest); worst: the step with the least (what an `everywhere` rests on) */
    for (t = lo; t <= hi; t++) {
        double a = value(l, l->free ? t : l->at), b = value(r, r->free ? t : r->at);
        int ok = compare(a, e->op, b, e->tol);
        double m = rel_margin(a, e->op, b, e->tol);
        if (ok) any = 1;
        if (!ok && !fails++) first_fail = t;
        if (isnan(m)) continue;
        if (best_t == 0 || m > best) {
            best = m;
            best_t = t;
        }
        if (worst_t == 0 || m < worst) {
            worst = m;
            worst_t = t;
        }
    }
    if (e->qual == GS_QUAL_EVERYWHERE) {
        if (!fails) {
            set_margin(res, e, l, r, worst_t, 1);
            return 1;
        }
        set_margin(res, e, l, r, first_fail, 0);
        values_text(l, r, first_fail, vals, sizeof vals);
        snprintf(why, why_len, "at step %d %s (it fails at %d of %d steps)", first_fail, vals,
                 fails, total);
        return 0;
    }
    if (best_t) set_margin(res, e, l, r, best_t, any);
    if (any) return 1;
    if (best_t == 0) {
        snprintf(why, why_len, "%s was NaN at every step%s", l->free ? l->desc : r->desc, where);
        return 0;
    }
    if (l->free != r->free && e->op != GS_OP_EQ && e->op != GS_OP_NE) {
        /* one side moves: report its extreme */
        const side *f = l->free ? l : r;
        int want_big = (e->op == GS_OP_GT || e->op == GS_OP_GE) == (f == l);
        if (f->t->value < 0) want_big = !want_big;
        snprintf(why, why_len, "the %s %s%s was %.6g (at step %d)",
                 want_big ? "largest" : "smallest", f->desc, where, raw_value(f, best_t), best_t);
        return 0;
    }
    values_text(l, r, best_t, vals, sizeof vals);
    snprintf(why, why_len, "it holds at no step%s; closest at step %d, where %s", where, best_t,
             vals);
    return 0;
}

int gs_lesson_expect_check(const gs_lesson *l, const gs_lesson_expect *e,
                           const gs_variant *variants, const gs_seq *const *seqs, int n,
                           gs_lesson_result *out) {
    side lhs, rhs;
    char why[320];
    int ok;
    if (!out) return 0;
    memset(out, 0, sizeof *out);
    out->kind = GS_MARGIN_NONE;
    out->margin = out->lhs = out->rhs = (double)NAN;
    if (!e) return 0;
    why[0] = 0;
    if (bind(&lhs, &e->lhs, variants, seqs, n, why, sizeof why) ||
        bind(&rhs, &e->rhs, variants, seqs, n, why, sizeof why))
        ok = 0;
    else
        ok = evaluate(e, &lhs, &rhs, why, sizeof why, out);
    out->holds = ok;
    if (!ok) {
        const char *name = l && l->name ? l->name : "lesson", *text = e->text ? e->text : "";
        char full[1024];
        size_t k;
        snprintf(full, sizeof full, "%.*s:%d: expected %.*s, but %s", NAME_ARG(name), e->line,
                 gs__utf8_clip(text, (int)strlen(text), 200), text, why);
        /* cut at a character boundary if msg is short */
        k = strlen(full);
        if (k >= sizeof out->msg) {
            k = sizeof out->msg - 1;
            while (k > 0 && ((unsigned char)full[k] & 0xC0) == 0x80) k--;
        }
        memcpy(out->msg, full, k);
        out->msg[k] = 0;
    }
    return ok;
}

int gs_lesson_expect_eval(const gs_lesson *l, const gs_lesson_expect *e,
                          const gs_variant *variants, const gs_seq *const *seqs, int n,
                          char *msg, size_t msg_len) {
    gs_lesson_result r;
    int ok = gs_lesson_expect_check(l, e, variants, seqs, n, &r);
    if (!ok && msg && msg_len) {
        size_t k = strlen(r.msg);
        if (k >= msg_len) {
            k = msg_len - 1;
            while (k > 0 && ((unsigned char)r.msg[k] & 0xC0) == 0x80) k--;
        }
        memcpy(msg, r.msg, k);
        msg[k] = 0;
    }
    return ok;
}

int gs_lesson_step_check(const gs_lesson *l, const gs_lesson_step *step,
                         const gs_variant *variants, const gs_seq *const *seqs, int n,
                         gs_lesson_failure *out, int max) {
    int fails = 0;
    if (!step) return 0;
    for (int i = 0; i < step->n_expects; i++) {
        gs_lesson_failure *f = out && fails < max ? &out[fails] : NULL;
        char scratch[8];
        if (gs_lesson_expect_eval(l, &step->expects[i], variants, seqs, n,
                                  f ? f->msg : scratch, f ? sizeof f->msg : sizeof scratch))
            continue;
        if (f) {
            f->line = step->expects[i].line;
            f->index = i;
        }
        fails++;
    }
    return fails;
}
