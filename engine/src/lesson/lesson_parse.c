/* lesson_parse.c — lesson text to plain structs: the title, the intro, and steps with
 * their headings, prose, directives (the scene, carried over from step to step) and
 * expectations.  Every error is `file:line:col: message`; nothing is printed.
 * Byte-level work (lines, numbers, prose runs) is in lesson_lex.c. */
#include "lesson_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- Names --------------------------------------------------------------------- */

enum {
    D_VARIANTS, D_TASK, D_SEED, D_HIDDEN, D_LENGTH, D_INIT, D_WSCALE, D_FBIAS, D_TRUNCATE,
    D_CURSOR, D_PLAY, D_PAUSE, D_VIEW, D_HIGHLIGHT, D_BACKWARD, D_EXPECT, D_NOTE, D_COUNT
};
static const char *const directive_names[D_COUNT] = {
    "variants", "task", "seed", "hidden", "length", "init", "weight-scale", "forget-bias",
    "truncate", "cursor", "play", "pause", "view", "highlight", "backward", "expect", "note"};

static const char *const view_names[GS_LESSON_VIEW_COUNT] = {
    "none", "cell", "gates", "drift", "gradient", "loss", "equations"};
static const char *const init_names[] = {"uniform", "xavier", "orthogonal"};
#define N_INITS 3
static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "!="};
/* highlight words after the gate symbols */
static const char *const highlight_names[] = {"i", "f", "o", "z", "r", "state", "candidate",
                                              "gradient"};
#define N_HIGHLIGHTS 8
static const char *const qual_names[] = {"somewhere", "everywhere", "before", "after"};
/* every scalar name gs_seq_scalar knows, for suggestions (filtered per variant) */
static const char *const quantity_names[] = {
    "loss", "s_norm", "s_max", "d_s_norm", "c_norm", "c_max", "d_c_norm", "h_norm", "h_max",
    "d_h_norm", "state_norm", "state_max", "d_state_norm", "d_x_norm", "jac_sigma", "shrink",
    "has_grad", "first_nonfinite", "first_nonfinite_grad", "gamma_w", "mean_loss", "grad_norm",
    "steps"};
#define N_QUANTITIES ((int)(sizeof quantity_names / sizeof *quantity_names))

const char *gs_lesson_view_name(gs_lesson_view v) {
    return (int)v >= 0 && v < GS_LESSON_VIEW_COUNT ? view_names[v] : NULL;
}
const char *gs_lesson_init_name(gs_init i) {
    return (int)i >= 0 && (int)i < N_INITS ? init_names[i] : NULL;
}
const char *gs_lesson_op_name(gs_lesson_op op) {
    return (int)op >= 0 && (int)op < 6 ? op_names[op] : NULL;
}

gs_lesson_setup gs_lesson_setup_default(void) {
    gs_lesson_setup s;
    memset(&s, 0, sizeof s);
    s.n_variants = 4;
    s.variants[0] = GS_RNN;
    s.variants[1] = GS_PROTO;
    s.variants[2] = GS_GRU;
    s.variants[3] = GS_LSTM;
    s.task = GS_TASK_ADDING;
    s.seed = 1;
    s.hidden = 16;
    s.length = 0;
    s.init = GS_INIT_UNIFORM;
    s.init_scale = 0;
    s.weight_scale = 1;
    s.forget_bias = (double)NAN;
    s.truncate = 0;
    s.backward = 0;
    return s;
}

int gs_lesson_setup_equal(const gs_lesson_setup *a, const gs_lesson_setup *b) {
    if (a->n_variants != b->n_variants) return 0;
    for (int i = 0; i < a->n_variants; i++)
        if (a->variants[i] != b->variants[i]) return 0;
    return a->task == b->task && a->seed == b->seed && a->hidden == b->hidden &&
           a->length == b->length && a->init == b->init && a->init_scale == b->init_scale &&
           a->weight_scale == b->weight_scale &&
           (a->forget_bias == b->forget_bias || (isnan(a->forget_bias) && isnan(b->forget_bias))) &&
           a->truncate == b->truncate && a->backward == b->backward;
}

/* ---- Parser state ---------------------------------------------------------------- */

typedef struct pos {
    int line, col;
} pos;

/* Where the parts of an expectation were written, checked when the step ends. */
typedef struct expect_pos {
    pos var[2];  /* the variant of lhs / rhs */
    pos at[2];   /* their `at` step */
    pos qual;    /* before/after N */
} expect_pos;

typedef struct step_build {
    gs_lesson_step *st;
    gs_lesson_expect *ex;
    expect_pos *ex_pos;
    int ex_cap, ex_pos_cap;
    int set_line[D_COUNT]; /* line where a directive was given in this step, 0 if not */
    pos cursor, highlight, task, length; /* where their values were written */
    gs__line *notes;
    int n_notes, notes_cap;
} step_build;

typedef struct parser {
    gs__lx *x;
    const gs__line *ln;          /* the line being read */
    gs_lesson *lesson;
    gs_lesson_step *steps;
    int steps_cap;
    step_build sb;               /* the step being read */
    gs__line *prose;             /* prose lines of the intro or the current step */
    int n_prose, prose_cap;
    int title_line;
} parser;

typedef struct tok {
    const char *p;
    int len;
} tok;

#define ERR_AT(P, ptr, ...) gs__lx_error((P)->x, (P)->ln->no, gs__col((P)->ln, (ptr)), NULL, 0, __VA_ARGS__)
#define QUOTE_MAX 40
/* printf arguments for "%.*s%s": a token, clipped with "..." */
#define TOKARG(t) gs__utf8_clip((t).p, (t).len, QUOTE_MAX), (t).p, ((t).len > QUOTE_MAX ? "..." : "")

static int tok_is(tok t, const char *s) {
    return (size_t)t.len == strlen(s) && memcmp(t.p, s, (size_t)t.len) == 0;
}

/* Index of t among names, or -1. */
static int tok_lookup(tok t, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (tok_is(t, names[i])) return i;
    return -1;
}

/* The name nearest to t among names, or NULL. */
static const char *tok_nearest(tok t, const char *const *names, int n) {
    char word[65];
    int i;
    if (t.len > 64) return NULL;
    memcpy(word, t.p, (size_t)t.len);
    word[t.len] = 0;
    i = gs__nearest(word, names, n);
    return i >= 0 ? names[i] : NULL;
}

/* "unknown KIND 'tok' (did you mean 'x'?)" or "...; KINDs: a, b, c". */
static void err_unknown(parser *P, tok t, const char *kind, const char *const *names, int n) {
    const char *near = tok_nearest(t, names, n);
    char list[160];
    size_t used = 0;
    if (near) {
        ERR_AT(P, t.p, "unknown %s '%.*s%s' (did you mean '%s'?)", kind, TOKARG(t), near);
        return;
    }
    if (n > 8) {
        ERR_AT(P, t.p, "unknown %s '%.*s%s' (see lessons/README.md)", kind, TOKARG(t));
        return;
    }
    list[0] = 0;
    for (int i = 0; i < n && used + strlen(names[i]) + 3 < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    ERR_AT(P, t.p, "unknown %s '%.*s%s'; expected one of: %s", kind, TOKARG(t), list);
}

/* Split p..end into tokens at spaces (and commas when commas is set).  Returns the
 * count, at most max (more tokens are not read). */
static int split_args(const char *p, const char *end, tok *toks, int max, int commas) {
    int n = 0;
    while (n < max) {
        while (p < end && (gs__is_space((unsigned char)*p) || (commas && *p == ','))) p++;
        if (p >= end) break;
        toks[n].p = p;
        while (p < end && !gs__is_space((unsigned char)*p) && !(commas && *p == ',')) p++;
        toks[n].len = (int)(p - toks[n].p);
        n++;
    }
    return n;
}

/* ---- Arguments --------------------------------------------------------------------- */

/* A whole number in lo..hi for `what` (e.g. "hidden size"). */
static int arg_int(parser *P, tok t, const char *what, long lo, long hi, long *out) {
    uint64_t v;
    double d;
    int r = gs__parse_uint(t.p, (size_t)t.len, &v);
    if (r == 0 && v >= (uint64_t)lo && v <= (uint64_t)hi) {
        *out = (long)v;
        return 0;
    }
    if (r == 0 || r == 2 ||
        (gs__parse_real(t.p, (size_t)t.len, &d) == 0 && d == floor(d)))
        ERR_AT(P, t.p, "%s %.*s%s is out of range %ld..%ld", what, TOKARG(t), lo, hi);
    else
        ERR_AT(P, t.p, "%s must be a whole number, not '%.*s%s'", what, TOKARG(t));
    return -1;
}

/* A finite number with lo <= x <= hi. */
static int arg_real(parser *P, tok t, const char *what, double lo, double hi, const char *range,
                    double *out) {
    int r = gs__parse_real(t.p, (size_t)t.len, out);
    if (r == 1) {
        ERR_AT(P, t.p, "%s must be a number, not '%.*s%s'", what, TOKARG(t));
        return -1;
    }
    if (r == 2 || *out < lo || *out > hi) {
        ERR_AT(P, t.p, "%s %.*s%s is out of range %s", what, TOKARG(t), range);
        return -1;
    }
    return 0;
}

/* Exactly `want` arguments (want_max allows optional ones). */
static int need_args(parser *P, const char *dname, const char *name_end, tok *toks, int n,
                     int want, int want_max, const char *what) {
    if (n < want) {
        ERR_AT(P, name_end, "@%s needs %s", dname, what);
        return -1;
    }
    if (n > want_max) {
        ERR_AT(P, toks[want_max].p, "unexpected '%.*s%s' after @%s %s", TOKARG(toks[want_max]),
               dname, want_max ? "and its value" : "(it takes no value)");
        return -1;
    }
    return 0;
}

static int lookup_variant(tok t, gs_variant *out) {
    for (int i = 0; i < GS_VARIANT_COUNT; i++)
        if (tok_is(t, gs_variant_get((gs_variant)i)->name)) {
            *out = (gs_variant)i;
            return 0;
        }
    return -1;
}

static void err_variant(parser *P, tok t) {
    const char *names[GS_VARIANT_COUNT];
    for (int i = 0; i < GS_VARIANT_COUNT; i++) names[i] = gs_variant_get((gs_variant)i)->name;
    err_unknown(P, t, "variant", names, GS_VARIANT_COUNT);
}

/* ---- Expectations ------------------------------------------------------------------ */

enum { T_END, T_NUM, T_WORD, T_OP, T_STAR };

typedef struct etok {
    int kind;
    tok t;
    double num;
    int op;
} etok;

typedef struct elex {
    const char *q, *end;
    etok cur; /* the next token (peeked) */
} elex;

static int is_word_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_word_char(int c) { return is_word_start(c) || (c >= '0' && c <= '9') || c == '-'; }

/* Read the next token into L->cur. */
static int elex_next(parser *P, elex *L) {
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
        while (e < end && (is_word_char((unsigned char)*e) || *e == '.')) e++;
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
    if (is_word_start((unsigned char)*q)) {
        const char *e = q;
        while (e < end && is_word_char((unsigned char)*e)) e++;
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
            {"<=", GS_OP_LE}, {">=", GS_OP_GE}, {"==", GS_OP_EQ}, {"!=", GS_OP_NE},
            {"<", GS_OP_LT}, {">", GS_OP_GT}, {"\xE2\x89\xA4", GS_OP_LE},
            {"\xE2\x89\xA5", GS_OP_GE}, {"\xE2\x89\xA0", GS_OP_NE}};
        static const struct { const char *typo, *meant; } typos[] = {
            {"=", "=="}, {"=>", ">="}, {"=<", "<="}, {"<>", "!="}, {"!", "!="}, {"===", "=="}};
        const char *e = q;
        while (e < end && strchr("<>=!", *e)) e++;
        if (e == q) { /* a UTF-8 comparison sign, or something unexpected */
            uint32_t cp;
            int k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)end, &cp);
            e = q + (k ? k : 1);
        }
        t->t.len = (int)(e - q);
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
            if (tok_is(t->t, ops[i].spelled)) {
                t->kind = T_OP;
                t->op = ops[i].op;
                L->q = e;
                return 0;
            }
        for (size_t i = 0; i < sizeof typos / sizeof *typos; i++)
            if (tok_is(t->t, typos[i].typo)) {
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
static void err_expected(parser *P, elex *L, const char *what) {
    if (L->cur.kind == T_END)
        ERR_AT(P, L->cur.t.p, "expected %s at the end of the line", what);
    else
        ERR_AT(P, L->cur.t.p, "expected %s, not '%.*s%s'", what, TOKARG(L->cur.t));
}

/* VARIANT QUANTITY [at STEP], the variant word being L->cur. */
static int parse_quantity(parser *P, elex *L, gs_lesson_term *term, pos *var_pos, pos *at_pos) {
    tok vt = L->cur.t, qt;
    int known;
    if (lookup_variant(vt, &term->variant)) {
        char word[GS_LESSON_MAX_QUANTITY];
        if (vt.len < (int)sizeof word) {
            memcpy(word, vt.p, (size_t)vt.len);
            word[vt.len] = 0;
            if (gs_scalar_known(word, -1)) {
                ERR_AT(P, vt.p, "'%s' needs a variant in front of it, e.g. 'rnn %s'", word, word);
                return -1;
            }
        }
        err_variant(P, vt);
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
        near = tok_nearest(qt, names, n);
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
    if (L->cur.kind == T_WORD && tok_is(L->cur.t, "at")) {
        tok at = L->cur.t;
        if (term->whole) {
            ERR_AT(P, at.p, "'%s' is a whole-sequence quantity: it takes no 'at'", term->quantity);
            return -1;
        }
        if (elex_next(P, L)) return -1;
        at_pos->line = P->ln->no;
        at_pos->col = gs__col(P->ln, L->cur.t.p);
        if (L->cur.kind == T_WORD && tok_is(L->cur.t, "first")) {
            term->at = 1;
        } else if (L->cur.kind == T_WORD && tok_is(L->cur.t, "last")) {
            term->at = GS_LESSON_AT_LAST;
        } else if (L->cur.kind == T_NUM) {
            long v;
            if (arg_int(P, L->cur.t, "step", 1, 100000, &v)) return -1;
            term->at = (int)v;
        } else {
            err_expected(P, L, "a step number, 'first' or 'last' after 'at'");
            return -1;
        }
        if (elex_next(P, L)) return -1;
    }
    return 0;
}

static int parse_term(parser *P, elex *L, gs_lesson_term *term, pos *var_pos, pos *at_pos) {
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

static int parse_expect(parser *P, const char *p, const char *end, gs_lesson_expect *e,
                        expect_pos *ep) {
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
    if (L.cur.kind == T_WORD) {
        tok q = L.cur.t;
        int k = tok_lookup(q, qual_names, 4);
        if (k < 0) {
            if (tok_nearest(q, qual_names, 4))
                err_unknown(P, q, "qualifier", qual_names, 4);
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
            if (arg_int(P, L.cur.t, "step", k == 2 ? 2 : 1, 100000, &v)) return -1;
            e->qual_step = (int)v;
            if (elex_next(P, &L)) return -1;
        }
    } else if (term_free(&e->lhs) || term_free(&e->rhs)) {
        e->qual = GS_QUAL_SOMEWHERE;
    }
    if (L.cur.kind != T_END) {
        ERR_AT(P, L.cur.t.p, "unexpected '%.*s%s' after the expectation", TOKARG(L.cur.t));
        return -1;
    }
    if (!(e->text = gs__lx_strndup(P->x, p, (size_t)(end - p)))) return -1;
    return 0;
}

/* ---- Directives -------------------------------------------------------------------- */

static int set_variants(parser *P, tok *toks, int n, const char *name_end) {
    gs_lesson_setup *s = &P->sb.st->setup;
    int seen[GS_VARIANT_COUNT] = {0};
    if (n == 0) {
        ERR_AT(P, name_end, "@variants needs at least one variant, e.g. '@variants rnn, lstm'");
        return -1;
    }
    s->n_variants = 0;
    for (int i = 0; i < n; i++) {
        gs_variant v;
        if (tok_is(toks[i], "all")) {
            if (n > 1) {
                ERR_AT(P, toks[i].p, "'all' stands alone: it means every variant");
                return -1;
            }
            for (int k = 0; k < GS_VARIANT_COUNT; k++) s->variants[k] = (gs_variant)k;
            s->n_variants = GS_VARIANT_COUNT;
            return 0;
        }
        if (lookup_variant(toks[i], &v)) {
            err_variant(P, toks[i]);
            return -1;
        }
        if (seen[v]) {
            ERR_AT(P, toks[i].p, "variant '%s' is listed twice", gs_variant_get(v)->name);
            return -1;
        }
        seen[v] = 1;
        s->variants[s->n_variants++] = v;
    }
    return 0;
}

static int directive(parser *P, const char *at) {
    const gs__line *ln = P->ln;
    const char *end = ln->p + ln->len, *name = at + 1, *q = name;
    gs_lesson_step *st = P->sb.st;
    gs_lesson_setup *s;
    tok nt, toks[GS_VARIANT_COUNT + 2];
    int d, n;
    long v;
    while (q < end && is_word_char((unsigned char)*q)) q++;
    nt.p = name;
    nt.len = (int)(q - name);
    if (nt.len == 0) {
        ERR_AT(P, at, "expected a directive name after '@', e.g. '@variants'");
        return -1;
    }
    if (q < end && !gs__is_space((unsigned char)*q)) {
        tok bad = {q, 1};
        uint32_t cp;
        int k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)end, &cp);
        bad.len = k ? k : 1;
        ERR_AT(P, q, "unexpected '%.*s%s' in a directive name", TOKARG(bad));
        return -1;
    }
    d = tok_lookup(nt, directive_names, D_COUNT);
    if (d < 0) {
        err_unknown(P, nt, "directive", directive_names, D_COUNT);
        return -1;
    }
    if (!st) {
        ERR_AT(P, name, "@%s before the first step: start a step with '## Heading'",
               directive_names[d]);
        return -1;
    }
    if (d != D_EXPECT && d != D_NOTE) {
        int other = d == D_PLAY ? D_PAUSE : d == D_PAUSE ? D_PLAY : -1;
        if (P->sb.set_line[d]) {
            ERR_AT(P, name, "@%s is given twice in this step (first on line %d)",
                   directive_names[d], P->sb.set_line[d]);
            return -1;
        }
        if (other >= 0 && P->sb.set_line[other]) {
            ERR_AT(P, name, "@%s contradicts the @%s on line %d", directive_names[d],
                   directive_names[other], P->sb.set_line[other]);
            return -1;
        }
        P->sb.set_line[d] = ln->no;
    }
    s = &st->setup;
    n = split_args(q, end, toks, (int)(sizeof toks / sizeof *toks), d == D_VARIANTS);
    switch (d) {
    case D_VARIANTS:
        if (n > GS_VARIANT_COUNT) {
            ERR_AT(P, toks[GS_VARIANT_COUNT].p, "more variants than there are (%d)", GS_VARIANT_COUNT);
            return -1;
        }
        return set_variants(P, toks, n, q);
    case D_TASK: {
        const char *names[GS_TASK_COUNT];
        if (need_args(P, "task", q, toks, n, 1, 1, "a task name, e.g. 'adding'")) return -1;
        for (int i = 0; i < GS_TASK_COUNT; i++) names[i] = gs_task_info_get((gs_task_kind)i)->name;
        int k = tok_lookup(toks[0], names, GS_TASK_COUNT);
        if (k < 0) {
            err_unknown(P, toks[0], "task", names, GS_TASK_COUNT);
            return -1;
        }
        s->task = (gs_task_kind)k;
        P->sb.task.line = ln->no;
        P->sb.task.col = gs__col(ln, toks[0].p);
        return 0;
    }
    case D_SEED: {
        uint64_t u;
        int r;
        if (need_args(P, "seed", q, toks, n, 1, 1, "a number, e.g. '@seed 7'")) return -1;
        r = gs__parse_uint(toks[0].p, (size_t)toks[0].len, &u);
        if (r == 2) {
            ERR_AT(P, toks[0].p, "seed %.*s%s is too large (at most 18446744073709551615)", TOKARG(toks[0]));
            return -1;
        }
        if (r) {
            ERR_AT(P, toks[0].p, "seed must be a whole number >= 0, not '%.*s%s'", TOKARG(toks[0]));
            return -1;
        }
        s->seed = u;
        return 0;
    }
    case D_HIDDEN:
        if (need_args(P, "hidden", q, toks, n, 1, 1, "a size, e.g. '@hidden 16'") ||
            arg_int(P, toks[0], "hidden size", 1, 4096, &v))
            return -1;
        s->hidden = (int)v;
        return 0;
    case D_LENGTH:
        if (need_args(P, "length", q, toks, n, 1, 1, "a number of steps, e.g. '@length 50'"))
            return -1;
        P->sb.length.line = ln->no;
        P->sb.length.col = gs__col(ln, toks[0].p);
        if (tok_is(toks[0], "default")) {
            s->length = 0;
            return 0;
        }
        if (arg_int(P, toks[0], "length", 1, 100000, &v)) return -1;
        s->length = (int)v;
        return 0;
    case D_INIT: {
        int k;
        if (need_args(P, "init", q, toks, n, 1, 2, "a scheme: uniform, xavier or orthogonal"))
            return -1;
        if ((k = tok_lookup(toks[0], init_names, N_INITS)) < 0) {
            err_unknown(P, toks[0], "init scheme", init_names, N_INITS);
            return -1;
        }
        s->init = (gs_init)k;
        s->init_scale = 0;
        if (n == 2) {
            if (arg_real(P, toks[1], "init scale", 0, 1e6, "0..1e6", &s->init_scale)) return -1;
        }
        return 0;
    }
    case D_WSCALE:
        if (need_args(P, "weight-scale", q, toks, n, 1, 1, "a number, e.g. '@weight-scale 1.5'"))
            return -1;
        return arg_real(P, toks[0], "weight scale", -1e6, 1e6, "-1e6..1e6", &s->weight_scale);
    case D_FBIAS:
        if (need_args(P, "forget-bias", q, toks, n, 1, 1, "a number or 'default'")) return -1;
        if (tok_is(toks[0], "default")) {
            s->forget_bias = (double)NAN;
            return 0;
        }
        return arg_real(P, toks[0], "forget bias", -1e6, 1e6, "-1e6..1e6", &s->forget_bias);
    case D_TRUNCATE:
        if (need_args(P, "truncate", q, toks, n, 1, 1, "a number of steps (0 = full)") ||
            arg_int(P, toks[0], "truncation", 0, 100000, &v))
            return -1;
        s->truncate = (int)v;
        return 0;
    case D_CURSOR:
        if (need_args(P, "cursor", q, toks, n, 1, 1, "a step number, 'start' or 'end'")) return -1;
        P->sb.cursor.line = ln->no;
        P->sb.cursor.col = gs__col(ln, toks[0].p);
        if (tok_is(toks[0], "start")) st->cursor = GS_LESSON_CURSOR_START;
        else if (tok_is(toks[0], "end")) st->cursor = GS_LESSON_CURSOR_END;
        else if (is_word_start((unsigned char)toks[0].p[0])) {
            const char *const names[] = {"start", "end"};
            err_unknown(P, toks[0], "cursor position", names, 2);
            return -1;
        } else if (arg_int(P, toks[0], "cursor step", 1, 100000, &v)) {
            return -1;
        } else {
            st->cursor = (int)v;
        }
        return 0;
    case D_PLAY:
    case D_PAUSE:
        if (need_args(P, directive_names[d], q, toks, n, 0, 0, "")) return -1;
        st->play = d == D_PLAY;
        return 0;
    case D_VIEW: {
        int k;
        if (need_args(P, "view", q, toks, n, 1, 1, "a view: cell, gates, drift, gradient, loss "
                      "or equations"))
            return -1;
        if ((k = tok_lookup(toks[0], view_names, GS_LESSON_VIEW_COUNT)) < 0) {
            err_unknown(P, toks[0], "view", view_names, GS_LESSON_VIEW_COUNT);
            return -1;
        }
        st->view = (gs_lesson_view)k;
        return 0;
    }
    case D_HIGHLIGHT: {
        int k;
        if (need_args(P, "highlight", q, toks, n, 1, 1, "a gate (i, f, o, z, r), state, "
                      "candidate or gradient"))
            return -1;
        if ((k = tok_lookup(toks[0], highlight_names, N_HIGHLIGHTS)) < 0) {
            err_unknown(P, toks[0], "highlight", highlight_names, N_HIGHLIGHTS);
            return -1;
        }
        P->sb.highlight.line = ln->no;
        P->sb.highlight.col = gs__col(ln, toks[0].p);
        if (k < 5) {
            st->highlight = GS_LESSON_HL_GATE;
            strcpy(st->highlight_gate, highlight_names[k]);
        } else {
            st->highlight = k == 5 ? GS_LESSON_HL_STATE : k == 6 ? GS_LESSON_HL_CANDIDATE
                                                                 : GS_LESSON_HL_GRADIENT;
        }
        return 0;
    }
    case D_BACKWARD:
        if (need_args(P, "backward", q, toks, n, 1, 1, "'on' or 'off'")) return -1;
        if (tok_is(toks[0], "on")) s->backward = 1;
        else if (tok_is(toks[0], "off")) s->backward = 0;
        else {
            ERR_AT(P, toks[0].p, "@backward takes 'on' or 'off', not '%.*s%s'", TOKARG(toks[0]));
            return -1;
        }
        return 0;
    case D_EXPECT: {
        step_build *sb = &P->sb;
        if (st->n_expects >= GS_LESSON_MAX_EXPECTS) {
            ERR_AT(P, name, "too many @expect lines in one step (at most %d)", GS_LESSON_MAX_EXPECTS);
            return -1;
        }
        if (gs__lx_reserve(P->x, (void **)&sb->ex, &sb->ex_cap, st->n_expects + 1, sizeof *sb->ex) ||
            gs__lx_reserve(P->x, (void **)&sb->ex_pos, &sb->ex_pos_cap, st->n_expects + 1,
                           sizeof *sb->ex_pos))
            return -1;
        if (parse_expect(P, q, end, &sb->ex[st->n_expects], &sb->ex_pos[st->n_expects])) return -1;
        st->n_expects++;
        st->expects = sb->ex;
        return 0;
    }
    case D_NOTE: {
        step_build *sb = &P->sb;
        if (gs__lx_reserve(P->x, (void **)&sb->notes, &sb->notes_cap, sb->n_notes + 1,
                           sizeof *sb->notes))
            return -1;
        while (q < end && gs__is_space((unsigned char)*q)) q++;
        sb->notes[sb->n_notes].p = q;
        sb->notes[sb->n_notes].len = (int)(end - q);
        sb->notes[sb->n_notes].no = ln->no;
        sb->n_notes++;
        return 0;
    }
    }
    return 0;
}

/* ---- Steps --------------------------------------------------------------------------- */

static int step_has_variant(const gs_lesson_setup *s, gs_variant v) {
    for (int i = 0; i < s->n_variants; i++)
        if (s->variants[i] == v) return 1;
    return 0;
}

/* The step's steps-per-sequence, 0 if unknown (the typed task). */
static int scene_length(const gs_lesson_setup *s) {
    return s->length ? s->length : gs_task_config_default(s->task).length;
}

/* Checks that need the whole step (its variants and length may come after the line
 * they check), then the prose and notes. */
static int finish_step(parser *P) {
    step_build *sb = &P->sb;
    gs_lesson_step *st = sb->st;
    const gs_lesson_setup *s;
    char list[128];
    size_t used = 0;
    int T;
    if (!st) return 0;
    s = &st->setup;
    T = scene_length(s);
    list[0] = 0;
    for (int i = 0; i < s->n_variants; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 gs_variant_get(s->variants[i])->name);
    if (st->highlight == GS_LESSON_HL_GATE) {
        int found = 0;
        for (int i = 0; i < s->n_variants && !found; i++) {
            const gs_variant_info *vi = gs_variant_get(s->variants[i]);
            for (int g = 0; g < vi->n_gates; g++)
                if (!strcmp(vi->gates[g].symbol, st->highlight_gate)) found = 1;
        }
        if (!found) {
            gs__lx_error(P->x, sb->highlight.line, sb->highlight.col, NULL, 0,
                         "no variant in this step has a gate '%s' (variants: %s)",
                         st->highlight_gate, list);
            return -1;
        }
    }
    /* a length the task cannot use (copy needs 21 steps, ...): ask the task itself */
    if (s->length > 0 && (sb->length.line || sb->task.line) && s->task != GS_TASK_TEXT &&
        s->task != GS_TASK_TYPED) {
        gs_task_config tc = gs_task_config_default(s->task);
        gs_task *task = NULL;
        gs_error te;
        gs_status r;
        tc.length = s->length;
        tc.alloc = P->x->alloc;
        r = gs_task_create(&task, &tc, &te);
        gs_task_destroy(task);
        if (r == GS_ERR_NOMEM) {
            gs__lx_nomem(P->x);
            return -1;
        }
        if (r != GS_OK) {
            pos at = sb->length.line ? sb->length : sb->task;
            gs__lx_error(P->x, at.line, at.col, NULL, 0, "%s", te.msg);
            return -1;
        }
    }
    if (st->cursor > 0 && T > 0 && st->cursor > T) {
        gs__lx_error(P->x, sb->cursor.line, sb->cursor.col, NULL, 0,
                     "cursor step %d is past the end: the scene has %d steps", st->cursor, T);
        return -1;
    }
    for (int i = 0; i < st->n_expects; i++) {
        const gs_lesson_expect *e = &st->expects[i];
        const expect_pos *ep = &sb->ex_pos[i];
        const gs_lesson_term *terms[2] = {&e->lhs, &e->rhs};
        for (int k = 0; k < 2; k++) {
            if (terms[k]->is_number) continue;
            if (!step_has_variant(s, terms[k]->variant)) {
                gs__lx_error(P->x, ep->var[k].line, ep->var[k].col, NULL, 0,
                             "variant '%s' is not among this step's variants (%s)",
                             gs_variant_get(terms[k]->variant)->name, list);
                return -1;
            }
            if (T > 0 && terms[k]->at > T) {
                gs__lx_error(P->x, ep->at[k].line, ep->at[k].col, NULL, 0,
                             "step %d is past the end: the scene has %d steps", terms[k]->at, T);
                return -1;
            }
        }
        if (T > 0 && e->qual == GS_QUAL_AFTER && e->qual_step >= T) {
            gs__lx_error(P->x, ep->qual.line, ep->qual.col, NULL, 0,
                         "'after %d' leaves no step: the scene has %d steps", e->qual_step, T);
            return -1;
        }
    }
    if (gs__prose_build(P->x, P->prose, P->n_prose, &st->prose)) return -1;
    {
        size_t total = 1;
        char *o;
        for (int i = 0; i < sb->n_notes; i++) total += (size_t)sb->notes[i].len + 1;
        if (!(o = gs__lx_alloc(P->x, total))) return -1;
        st->notes = o;
        for (int i = 0; i < sb->n_notes; i++) {
            memcpy(o, sb->notes[i].p, (size_t)sb->notes[i].len);
            o += sb->notes[i].len;
            if (i + 1 < sb->n_notes) *o++ = '\n';
        }
        *o = 0;
    }
    return 0;
}

/* A "##" line: the previous step ends and a new one starts. */
static int start_step(parser *P, const char *text, int len) {
    gs_lesson *l = P->lesson;
    gs_lesson_step *st;
    if (finish_step(P)) return -1;
    if (l->n_steps == 0 && gs__prose_build(P->x, P->prose, P->n_prose, &l->intro)) return -1;
    if (l->n_steps >= GS_LESSON_MAX_STEPS) {
        ERR_AT(P, P->ln->p, "too many steps (at most %d)", GS_LESSON_MAX_STEPS);
        return -1;
    }
    if (gs__lx_reserve(P->x, (void **)&P->steps, &P->steps_cap, l->n_steps + 1, sizeof *P->steps))
        return -1;
    st = &P->steps[l->n_steps];
    memset(st, 0, sizeof *st);
    st->setup = l->n_steps ? P->steps[l->n_steps - 1].setup : gs_lesson_setup_default();
    st->cursor = GS_LESSON_CURSOR_END;
    st->line = P->ln->no;
    if (!(st->heading = gs__expand_plain(P->x, P->ln, text, len))) return -1;
    l->n_steps++;
    l->steps = P->steps;
    memset(&P->sb, 0, sizeof P->sb);
    P->sb.st = st;
    P->n_prose = 0;
    return 0;
}

/* ---- The lesson ---------------------------------------------------------------------- */

static int add_prose(parser *P) {
    if (gs__lx_reserve(P->x, (void **)&P->prose, &P->prose_cap, P->n_prose + 1, sizeof *P->prose))
        return -1;
    P->prose[P->n_prose++] = *P->ln;
    return 0;
}

/* One line of the lesson. */
static int line(parser *P) {
    const gs__line *ln = P->ln;
    const char *p = ln->p, *end = ln->p + ln->len, *text;
    int level = 0, len;
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    if (p == end) return P->lesson->title ? add_prose(P) : 0;
    if (*p != '#' && !P->lesson->title) {
        ERR_AT(P, p, "a lesson starts with its title, a line like '# The vanilla RNN'");
        return -1;
    }
    if (*p == '@') return directive(P, p);
    if (*p != '#') return add_prose(P);
    while (p + level < end && p[level] == '#') level++;
    text = p + level;
    while (text < end && gs__is_space((unsigned char)*text)) text++;
    while (end > text && gs__is_space((unsigned char)end[-1])) end--;
    len = (int)(end - text);
    if (level > 2) {
        ERR_AT(P, p, "'%.*s' is not a heading here: '#' starts the title and '##' a step",
               level > 8 ? 8 : level, p);
        return -1;
    }
    if (level == 1 && P->lesson->title) {
        ERR_AT(P, p, "a second title (the title is on line %d); start a step with '## '",
               P->title_line);
        return -1;
    }
    if (level == 2 && !P->lesson->title) {
        ERR_AT(P, p, "a lesson starts with its title, a line like '# The vanilla RNN'");
        return -1;
    }
    if (len == 0) {
        ERR_AT(P, p, level == 1 ? "empty title" : "empty step heading");
        return -1;
    }
    if (len > GS_LESSON_MAX_HEADING) {
        ERR_AT(P, text, "%s is too long (%d bytes; at most %d)",
               level == 1 ? "title" : "step heading", len, GS_LESSON_MAX_HEADING);
        return -1;
    }
    if (level == 2) return start_step(P, text, len);
    P->title_line = ln->no;
    return (P->lesson->title = gs__expand_plain(P->x, ln, text, len)) ? 0 : -1;
}

gs_status gs_lesson_parse(gs_lesson **out, const char *name, const char *text, size_t len,
                          const gs_allocator *alloc, gs_error *err) {
    gs__lx x;
    parser P;
    gs__lines it;
    gs__line ln;
    gs_lesson *l;
    int r = 0;
    if (err) {
        err->msg[0] = 0;
        err->line = err->col = 0;
    }
    if (out) *out = NULL;
    if (!out || (!text && len)) {
        gs__error(err, "gs_lesson_parse: out and text must not be NULL");
        return GS_ERR_ARG;
    }
    *out = NULL;
    memset(&x, 0, sizeof x);
    x.name = name ? name : "lesson";
    x.err = err;
    if (alloc) x.alloc = *alloc;
    x.status = GS_OK;
    memset(&P, 0, sizeof P);
    P.x = &x;
    P.ln = &ln;
    ln.p = text ? text : "";
    ln.len = 0;
    ln.no = 1;
    if (len > GS_LESSON_MAX_BYTES) {
        gs__lx_error(&x, 1, 1, NULL, 0, "the lesson is too large (%zu bytes; at most %d)", len,
                     GS_LESSON_MAX_BYTES);
        goto fail;
    }
    if (!(l = P.lesson = gs__lx_alloc(&x, sizeof *l))) goto fail;
    gs__lines_init(&it, text ? text : "", len);
    while ((r = gs__lines_next(&x, &it, &ln)) == 1) {
        if (line(&P)) goto fail;
    }
    if (r < 0) goto fail;
    if (!l->title) {
        gs__lx_error(&x, 1, 1, NULL, 0, "%s: expected a title line like '# The vanilla RNN'",
                     it.no ? "no title (the lesson is blank)" : "empty lesson");
        goto fail;
    }
    if (l->n_steps == 0) {
        gs__lx_error(&x, P.title_line, 1, NULL, 0,
                     "the lesson has no steps: start one with a line like '## One state'");
        goto fail;
    }
    if (finish_step(&P)) goto fail;
    l->name = gs__lx_strndup(&x, x.name, strlen(x.name));
    if (!l->name) goto fail;
    l->alloc = x.alloc;
    l->mem_ = x.blocks;
    *out = l;
    return GS_OK;
fail:
    gs__lx_free_blocks(&x.alloc, x.blocks);
    return x.status != GS_OK ? x.status : GS_ERR_PARSE;
}

void gs_lesson_destroy(gs_lesson *l) {
    gs_allocator a;
    if (!l) return;
    a = l->alloc; /* l itself lives in the blocks */
    gs__lx_free_blocks(&a, l->mem_);
}

gs_status gs_lesson_load(gs_lesson **out, const char *path, const gs_allocator *alloc,
                         gs_error *err) {
    gs_allocator a = {NULL, NULL};
    FILE *f = NULL;
    char *buf = NULL;
    size_t n = 0;
    gs_status st = GS_ERR_IO;
    if (out) *out = NULL;
    if (!out || !path) {
        gs__error(err, "gs_lesson_load: out and path must not be NULL");
        return GS_ERR_ARG;
    }
    if (alloc) a = *alloc;
    if (!(f = fopen(path, "rb"))) {
        gs__error(err, "%.*s: cannot open: %s", NAME_ARG(path), strerror(errno));
        goto done;
    }
    /* one byte more than the limit, so an oversized file is reported as such */
    if (!(buf = gs__alloc(&a, (size_t)GS_LESSON_MAX_BYTES + 1))) {
        gs__error(err, "%.*s: out of memory", NAME_ARG(path));
        st = GS_ERR_NOMEM;
        goto done;
    }
    n = fread(buf, 1, (size_t)GS_LESSON_MAX_BYTES + 1, f);
    if (ferror(f)) {
        gs__error(err, "%.*s: cannot read: %s", NAME_ARG(path), strerror(errno));
        goto done;
    }
    if (n > (size_t)GS_LESSON_MAX_BYTES) { /* count the rest, for the message */
        size_t k;
        while ((k = fread(buf, 1, (size_t)GS_LESSON_MAX_BYTES + 1, f)) > 0) n += k;
        gs__error(err, "%.*s:1:1: the lesson is too large (%zu bytes; at most %d)", NAME_ARG(path),
                  n, GS_LESSON_MAX_BYTES);
        if (err) err->line = err->col = 1;
        st = GS_ERR_PARSE;
        goto done;
    }
    st = gs_lesson_parse(out, path, buf, n, alloc, err);
done:
    if (f) fclose(f);
    gs__free(&a, buf);
    return st;
}
