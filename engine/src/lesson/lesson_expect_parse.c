/* lesson_expect_parse.c — the grammar of an @expect line,
 * `TERM OP TERM [within TOL] [QUALIFIER] [by construction]`: a term is a number or
 * `[NUMBER *] VARIANT QUANTITY [at STEP|first|last]`, `within` goes with `==`, the
 * qualifier is `somewhere`, `everywhere`, `before N` or `after N`.  Read into a
 * gs_lesson_expect, with an error naming the part that is wrong.  Checks that need the
 * whole step are lesson_parse.c's; evaluating expectations is lesson_expect.c's. */
#include "lesson_internal.h"

#include <string.h>

/* ---- Names --------------------------------------------------------------------- */

static const char *const op_names[] = {[GS_OP_LT] = "<", [GS_OP_LE] = "<=", [GS_OP_GT] = ">",
                                       [GS_OP_GE] = ">=", [GS_OP_EQ] = "==", [GS_OP_NE] = "!="};
static const char *const qual_names[] = {"somewhere", "everywhere", "before", "after"};
/* every scalar name gs_seq_scalar knows, for suggestions (filtered per variant) */
static const char *const quantity_names[] = {
    "loss", "s_norm", "s_max", "d_s_norm", "c_norm", "c_max", "d_c_norm", "h_norm", "h_max",
    "d_h_norm", "state_norm", "state_max", "d_state_norm", "d_x_norm", "jac_sigma", "shrink",
    "has_grad", "first_nonfinite", "first_nonfinite_grad", "gamma_w", "mean_loss", "grad_norm",
    "steps"};
#define N_QUANTITIES ((int)(sizeof quantity_names / sizeof *quantity_names))

const char *gs_lesson_op_name(gs_lesson_op op) {
    return (int)op >= 0 && (int)op < 6 ? op_names[op] : NULL;
}

/* ---- Expectations ------------------------------------------------------------------ */

enum { T_END, T_NUM, T_WORD, T_OP, T_STAR };

typedef struct etok {
    int kind;
    gs__tok t;
    double num;
    int op;
} etok;

typedef struct elex {
    const char *q, *end;
    etok cur; /* the next token (peeked) */
} elex;

/* Read the next token into L->cur. */
static int elex_next(gs__parser *P, elex *L) {
    const char *q = L->q, *end = L->end;
    etok *t = &L->cur;
    while (q < end && gs__is_space((unsigned char)*q)) q++;
    t->t.p = q;
    t->t.len = 0;
    if (q >= end) {
        t->kind = T_END;
        L->q = q;
        return 0;
    }
    if ((*q >= '0' && *q <= '9') || *q == '.' ||
        ((*q == '-' || *q == '+') && q + 1 < end && ((q[1] >= '0' && q[1] <= '9') || q[1] == '.'))) {
        size_t n = gs__scan_real(q, end);
        const char *e = q + n;
        int r;
        while (e < end && (gs__is_word_char((unsigned char)*e) || *e == '.')) e++;
        t->t.len = (int)(e - q);
        r = n ? gs__parse_real(q, (size_t)(e - q), &t->num) : 1;
        if (r == 1) {
            ERR_AT(P, q, "bad number '%.*s%s'", TOKARG(t->t));
            return -1;
        }
        if (r == 2) {
            ERR_AT(P, q, "number %.*s%s is out of range", TOKARG(t->t));
            return -1;
        }
        t->kind = T_NUM;
        L->q = e;
        return 0;
    }
    if (gs__is_word_start((unsigned char)*q)) {
        const char *e = q;
        while (e < end && gs__is_word_char((unsigned char)*e)) e++;
        t->kind = T_WORD;
        t->t.len = (int)(e - q);
        L->q = e;
        return 0;
    }
    if (*q == '*') {
        t->kind = T_STAR;
        t->t.len = 1;
        L->q = q + 1;
        return 0;
    }
    {
        static const struct { const char *spelled; int op; } ops[] = {
            {.spelled = "<=", .op = GS_OP_LE}, {.spelled = ">=", .op = GS_OP_GE},
            {.spelled = "==", .op = GS_OP_EQ}, {.spelled = "!=", .op = GS_OP_NE},
            {.spelled = "<", .op = GS_OP_LT}, {.spelled = ">", .op = GS_OP_GT},
            {.spelled = "\xE2\x89\xA4", .op = GS_OP_LE}, /* ≤ */
            {.spelled = "\xE2\x89\xA5", .op = GS_OP_GE}, /* ≥ */
            {.spelled = "\xE2\x89\xA0", .op = GS_OP_NE}}; /* ≠ */
        static const struct { const char *typo, *meant; } typos[] = {
            {.typo = "=", .meant = "=="}, {.typo = "=>", .meant = ">="},
            {.typo = "=<", .meant = "<="}, {.typo = "<>", .meant = "!="},
            {.typo = "!", .meant = "!="}, {.typo = "===", .meant = "=="}};
        const char *e = q;
        while (e < end && strchr("<>=!", *e)) e++;
        if (e == q) { /* a UTF-8 comparison sign, or something unexpected */
            uint32_t cp;
            int k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)end, &cp);
            e = q + (k ? k : 1);
        }
        t->t.len = (int)(e - q);
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
            if (gs__tok_is(t->t, ops[i].spelled)) {
                t->kind = T_OP;
                t->op = ops[i].op;
                L->q = e;
                return 0;
            }
        for (size_t i = 0; i < sizeof typos / sizeof *typos; i++)
            if (gs__tok_is(t->t, typos[i].typo)) {
                ERR_AT(P, q, "unknown comparison '%.*s%s' (did you mean '%s'?)", TOKARG(t->t),
                       typos[i].meant);
                return -1;
            }
        if (strchr("<>=!", *q))
            ERR_AT(P, q, "unknown comparison '%.*s%s'; use <, <=, >, >=, == or !=", TOKARG(t->t));
        else
            ERR_AT(P, q, "unexpected '%.*s%s' in the expectation", TOKARG(t->t));
        return -1;
    }
}

/* "expected X" at the next token (or at the end of the line). */
static void err_expected(gs__parser *P, elex *L, const char *what) {
    if (L->cur.kind == T_END)
        ERR_AT(P, L->cur.t.p, "expected %s at the end of the line", what);
    else
        ERR_AT(P, L->cur.t.p, "expected %s, not '%.*s%s'", what, TOKARG(L->cur.t));
}

/* VARIANT QUANTITY [at STEP], the variant word being L->cur. */
static int parse_quantity(gs__parser *P, elex *L, gs_lesson_term *term, gs__pos *var_pos,
                          gs__pos *at_pos) {
    gs__tok vt = L->cur.t, qt;
    int known;
    if (gs__lookup_variant(vt, &term->variant)) {
        char word[GS_LESSON_MAX_QUANTITY];
        if (vt.len < (int)sizeof word) {
            memcpy(word, vt.p, (size_t)vt.len);
            word[vt.len] = 0;
            if (gs_scalar_known(word, -1)) {
                ERR_AT(P, vt.p, "'%s' needs a variant in front of it, e.g. 'rnn %s'", word, word);
                return -1;
            }
        }
        gs__err_variant(P, vt);
        return -1;
    }
    var_pos->line = P->ln->no;
    var_pos->col = gs__col(P->ln, vt.p);
    if (elex_next(P, L)) return -1;
    if (L->cur.kind != T_WORD) {
        err_expected(P, L, "a quantity such as s_norm");
        return -1;
    }
    qt = L->cur.t;
    known = 0;
    if (qt.len < GS_LESSON_MAX_QUANTITY) {
        memcpy(term->quantity, qt.p, (size_t)qt.len);
        term->quantity[qt.len] = 0;
        known = gs_scalar_known(term->quantity, (int)term->variant);
    }
    if (!known) {
        const char *names[N_QUANTITIES];
        const char *near;
        int n = 0;
        for (int i = 0; i < N_QUANTITIES; i++)
            if (gs_scalar_known(quantity_names[i], (int)term->variant)) names[n++] = quantity_names[i];
        near = gs__tok_nearest(qt, names, n);
        if (qt.len < GS_LESSON_MAX_QUANTITY && gs_scalar_known(term->quantity, -1))
            ERR_AT(P, qt.p, "%s has no quantity '%.*s%s'%s%s%s", gs_variant_get(term->variant)->name,
                   TOKARG(qt), near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        else if (near)
            ERR_AT(P, qt.p, "unknown quantity '%.*s%s' (did you mean '%s'?)", TOKARG(qt), near);
        else
            ERR_AT(P, qt.p, "unknown quantity '%.*s%s'; quantities: loss, s_norm, c_norm, h_norm, "
                   "d_s_norm, d_c_norm, jac_sigma, shrink, gamma_w, mean_loss, ...", TOKARG(qt));
        return -1;
    }
    term->whole = known == 2;
    term->at = GS_LESSON_AT_EACH;
    if (elex_next(P, L)) return -1;
    if (L->cur.kind == T_WORD && gs__tok_is(L->cur.t, "at")) {
        gs__tok at = L->cur.t;
        if (term->whole) {
            ERR_AT(P, at.p, "'%s' is a whole-sequence quantity: it takes no 'at'", term->quantity);
            return -1;
        }
        if (elex_next(P, L)) return -1;
        at_pos->line = P->ln->no;
        at_pos->col = gs__col(P->ln, L->cur.t.p);
        if (L->cur.kind == T_WORD && gs__tok_is(L->cur.t, "first")) {
            term->at = 1;
        } else if (L->cur.kind == T_WORD && gs__tok_is(L->cur.t, "last")) {
            term->at = GS_LESSON_AT_LAST;
        } else if (L->cur.kind == T_NUM) {
            long v;
            if (gs__arg_int(P, L->cur.t, "step", 1, 100000, &v)) return -1;
            term->at = (int)v;
        } else {
            err_expected(P, L, "a step number, 'first' or 'last' after 'at'");
            return -1;
        }
        if (elex_next(P, L)) return -1;
    }
    return 0;
}

static int parse_term(gs__parser *P, elex *L, gs_lesson_term *term, gs__pos *var_pos,
                      gs__pos *at_pos) {
    memset(term, 0, sizeof *term);
    term->value = 1;
    if (L->cur.kind == T_NUM) {
        term->value = L->cur.num;
        if (elex_next(P, L)) return -1;
        if (L->cur.kind != T_STAR) {
            term->is_number = 1;
            return 0;
        }
        if (elex_next(P, L)) return -1;
        if (L->cur.kind != T_WORD) {
            err_expected(P, L, "a variant and a quantity after '*'");
            return -1;
        }
        return parse_quantity(P, L, term, var_pos, at_pos);
    }
    if (L->cur.kind == T_WORD) return parse_quantity(P, L, term, var_pos, at_pos);
    err_expected(P, L, "a number or a quantity such as 'rnn s_norm'");
    return -1;
}

static int term_free(const gs_lesson_term *t) {
    return !t->is_number && !t->whole && t->at == GS_LESSON_AT_EACH;
}

/* `by construction` (L->cur is `by`): a bound the cell's equations guarantee, such as
 * tanh's |s| <= 1 or σ's f >= 0.  Only against -1, 0 or 1, and only with <= or >=:
 * rounding can reach a bound (tanh(20) is 1.0 in doubles), so a strict one is not
 * guaranteed. */
static int parse_bound(gs__parser *P, elex *L, gs_lesson_expect *e) {
    const gs_lesson_term *num = e->lhs.is_number ? &e->lhs : e->rhs.is_number ? &e->rhs : NULL;
    gs__tok by = L->cur.t;
    if (elex_next(P, L)) return -1;
    if (L->cur.kind != T_WORD || !gs__tok_is(L->cur.t, "construction")) {
        err_expected(P, L, "'construction' after 'by'");
        return -1;
    }
    if (e->op != GS_OP_LE && e->op != GS_OP_GE) {
        ERR_AT(P, by.p, "'by construction' needs <= or >=: rounding can reach a bound, so a "
               "strict '%s' is not guaranteed", op_names[e->op]);
        return -1;
    }
    if (!num || (num->value != -1 && num->value != 0 && num->value != 1)) {
        ERR_AT(P, by.p, "'by construction' compares a quantity with -1, 0 or 1 (the bounds of "
               "tanh and \xcf\x83); other claims need a margin");
        return -1;
    }
    if ((term_free(&e->lhs) || term_free(&e->rhs)) && e->qual != GS_QUAL_EVERYWHERE) {
        ERR_AT(P, by.p, "a bound holds at every step: write 'everywhere by construction'");
        return -1;
    }
    e->bound = 1;
    return elex_next(P, L);
}

int gs__parse_expect(gs__parser *P, const char *p, const char *end, gs_lesson_expect *e,
                     gs__expect_pos *ep) {
    elex L;
    const char *start = p;
    memset(e, 0, sizeof *e);
    memset(ep, 0, sizeof *ep);
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    while (end > p && gs__is_space((unsigned char)end[-1])) end--;
    e->line = P->ln->no;
    L.q = p;
    L.end = end;
    if (elex_next(P, &L)) return -1;
    if (L.cur.kind == T_END) {
        ERR_AT(P, start, "@expect needs a comparison, e.g. 'proto s_norm > 100 before 40'");
        return -1;
    }
    if (parse_term(P, &L, &e->lhs, &ep->var[0], &ep->at[0])) return -1;
    if (L.cur.kind != T_OP) {
        err_expected(P, &L, "a comparison (<, <=, >, >=, ==, !=)");
        return -1;
    }
    e->op = (gs_lesson_op)L.cur.op;
    if (elex_next(P, &L)) return -1;
    if (parse_term(P, &L, &e->rhs, &ep->var[1], &ep->at[1])) return -1;
    if (e->lhs.is_number && e->rhs.is_number) {
        ERR_AT(P, p, "both sides are numbers: an expectation compares a quantity, e.g. "
               "'rnn s_norm > 1'");
        return -1;
    }
    if (L.cur.kind == T_WORD && gs__tok_is(L.cur.t, "within")) {
        gs__tok w = L.cur.t;
        if (e->op != GS_OP_EQ) {
            ERR_AT(P, w.p, "'within' goes with '==', e.g. 'rnn gamma_w == 1 within 1e-6'");
            return -1;
        }
        if (elex_next(P, &L)) return -1;
        if (L.cur.kind != T_NUM || !(L.cur.num > 0)) {
            err_expected(P, &L, "a tolerance > 0 after 'within'");
            return -1;
        }
        e->tol = L.cur.num;
        if (elex_next(P, &L)) return -1;
    }
    if (L.cur.kind == T_WORD && !gs__tok_is(L.cur.t, "by")) {
        gs__tok q = L.cur.t;
        int k = gs__tok_lookup(q, qual_names, 4);
        if (k < 0) {
            if (gs__tok_nearest(q, qual_names, 4))
                gs__err_unknown(P, q, "qualifier", qual_names, 4);
            else
                ERR_AT(P, q.p, "unexpected '%.*s%s' after the comparison; expected before N, "
                       "after N, somewhere or everywhere", TOKARG(q));
            return -1;
        }
        if (!term_free(&e->lhs) && !term_free(&e->rhs)) {
            ERR_AT(P, q.p, "'%s' needs a per-step quantity without 'at', e.g. "
                   "'proto s_norm > 100 before 40'", qual_names[k]);
            return -1;
        }
        e->qual = k == 0 ? GS_QUAL_SOMEWHERE : k == 1 ? GS_QUAL_EVERYWHERE
                : k == 2 ? GS_QUAL_BEFORE : GS_QUAL_AFTER;
        if (elex_next(P, &L)) return -1;
        if (k >= 2) {
            long v;
            ep->qual.line = P->ln->no;
            ep->qual.col = gs__col(P->ln, L.cur.t.p);
            if (L.cur.kind != T_NUM) {
                err_expected(P, &L, k == 2 ? "a step number after 'before'"
                                            : "a step number after 'after'");
                return -1;
            }
            if (gs__arg_int(P, L.cur.t, "step", k == 2 ? 2 : 1, 100000, &v)) return -1;
            e->qual_step = (int)v;
            if (elex_next(P, &L)) return -1;
        }
    } else if (term_free(&e->lhs) || term_free(&e->rhs)) {
        e->qual = GS_QUAL_SOMEWHERE;
    }
    if (L.cur.kind == T_WORD && gs__tok_is(L.cur.t, "by")) {
        if (parse_bound(P, &L, e)) return -1;
    }
    if (L.cur.kind != T_END) {
        ERR_AT(P, L.cur.t.p, "unexpected '%.*s%s' after the expectation", TOKARG(L.cur.t));
        return -1;
    }
    if (!(e->text = gs__lx_strndup(P->x, p, (size_t)(end - p)))) return -1;
    return 0;
}
