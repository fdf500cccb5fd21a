/* lesson_directive.c — the @ lines that set up a step's scene (@variants, @task,
 * @seed, ... @play [SPEED], @view, @highlight, @note), their names and their arguments,
 * and the scene a lesson starts from.  @expect lines are handed to
 * lesson_expect_parse.c, @visible to lesson_visible_parse.c; steps and headings are
 * lesson_parse.c's. */
#include "lesson_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- Names --------------------------------------------------------------------- */

enum {
    D_VARIANTS, D_TASK, D_SEED, D_HIDDEN, D_LENGTH, D_INIT, D_WSCALE, D_FBIAS, D_TRUNCATE,
    D_CURSOR, D_PLAY, D_PAUSE, D_VIEW, D_HIGHLIGHT, D_BACKWARD, D_EXPECT, D_NOTE,
    D_WEIGHTS, D_SEQUENCE, D_SELECT, D_COLOURS, D_VISIBLE, D_TRAIN, D_CLAMP, D_COUNT
};
static const char *const directive_names[D_COUNT] = {
    [D_VARIANTS] = "variants", [D_TASK] = "task", [D_SEED] = "seed", [D_HIDDEN] = "hidden",
    [D_LENGTH] = "length", [D_INIT] = "init", [D_WSCALE] = "weight-scale",
    [D_FBIAS] = "forget-bias", [D_TRUNCATE] = "truncate", [D_CURSOR] = "cursor",
    [D_PLAY] = "play", [D_PAUSE] = "pause", [D_VIEW] = "view", [D_HIGHLIGHT] = "highlight",
    [D_BACKWARD] = "backward", [D_EXPECT] = "expect", [D_NOTE] = "note",
    [D_WEIGHTS] = "weights", [D_SEQUENCE] = "sequence", [D_SELECT] = "select",
    [D_COLOURS] = "colours", [D_VISIBLE] = "visible", [D_TRAIN] = "train", [D_CLAMP] = "clamp"};
_Static_assert(D_COUNT == GS__N_DIRECTIVES, "lesson_internal.h counts the directives");

static const char *const view_names[GS_LESSON_VIEW_COUNT] = {
    [GS_LESSON_VIEW_NONE] = "none", [GS_LESSON_VIEW_CELL] = "cell",
    [GS_LESSON_VIEW_GATES] = "gates", [GS_LESSON_VIEW_DRIFT] = "drift",
    [GS_LESSON_VIEW_GRADIENT] = "gradient", [GS_LESSON_VIEW_LOSS] = "loss",
    [GS_LESSON_VIEW_EQUATIONS] = "equations", [GS_LESSON_VIEW_TRACK] = "track"};
static const char *const init_names[] = {
    [GS_INIT_UNIFORM] = "uniform", [GS_INIT_XAVIER] = "xavier",
    [GS_INIT_ORTHOGONAL] = "orthogonal"};
#define N_INITS 3
/* highlight words after the gate symbols */
static const char *const highlight_names[] = {"i", "f", "o", "z", "r", "state", "candidate",
                                              "gradient"};
#define N_HIGHLIGHTS 8

/* @colours words: [field][value - 1] */
static const char *const colour_words[4][3] = {
    {"shared", "per-pane", NULL}, {"linear", "log", NULL}, {"viridis", "plasma", NULL},
    {"dark", "light", "contrast"}};

static int *colour_field(gs_lesson_colours *c, int f) {
    return f == 0 ? &c->scale : f == 1 ? &c->magnitude : f == 2 ? &c->palette : &c->theme;
}

int gs_lesson_colours_word(gs_lesson_colours *c, const char *word, size_t len) {
    for (int f = 0; f < 4; f++)
        for (int v = 0; v < 3 && colour_words[f][v]; v++)
            if (strlen(colour_words[f][v]) == len && !memcmp(colour_words[f][v], word, len)) {
                *colour_field(c, f) = v + 1;
                return 0;
            }
    return -1;
}

void gs_lesson_colours_words(const gs_lesson_colours *c, char sep, char *buf, size_t len) {
    gs_lesson_colours cc = *c;
    char between[2] = {sep, 0};
    size_t used = 0;
    if (!len) return;
    buf[0] = 0;
    for (int f = 0; f < 4; f++) {
        int v = *colour_field(&cc, f);
        if (v < 1 || v > 3 || !colour_words[f][v - 1] || used >= len) continue;
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? between : "",
                                 colour_words[f][v - 1]);
    }
}

const char *gs_lesson_colours_all(void) {
    return "shared, per-pane, linear, log, viridis, plasma, dark, light, contrast";
}

const char *gs_lesson_view_name(gs_lesson_view v) {
    return (int)v >= 0 && v < GS_LESSON_VIEW_COUNT ? view_names[v] : NULL;
}
int gs__view_lookup(gs__tok t) { return gs__tok_lookup(t, view_names, GS_LESSON_VIEW_COUNT); }
void gs__err_view(gs__parser *P, gs__tok t) {
    gs__err_unknown(P, t, "view", view_names, GS_LESSON_VIEW_COUNT);
}
const char *gs_lesson_init_name(gs_init i) {
    return (int)i >= 0 && (int)i < N_INITS ? init_names[i] : NULL;
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

static int same_text(const char *a, const char *b) {
    return a == b || (a && b && !strcmp(a, b));
}

int gs_lesson_setup_equal(const gs_lesson_setup *a, const gs_lesson_setup *b) {
    if (a->n_variants != b->n_variants) return 0;
    for (int i = 0; i < a->n_variants; i++)
        if (a->variants[i] != b->variants[i]) return 0;
    return a->task == b->task && a->seed == b->seed && a->hidden == b->hidden &&
           a->length == b->length && a->init == b->init && a->init_scale == b->init_scale &&
           a->weight_scale == b->weight_scale &&
           (a->forget_bias == b->forget_bias || (isnan(a->forget_bias) && isnan(b->forget_bias))) &&
           a->truncate == b->truncate && a->backward == b->backward &&
           same_text(a->weights, b->weights) && same_text(a->sequence, b->sequence) &&
           a->train == b->train && a->train_lr == b->train_lr && gs__clamps_equal(a, b);
}

/* ---- Arguments --------------------------------------------------------------------- */

/* Split p..end into tokens at spaces (and commas when commas is set).  Returns the
 * count, at most max (more tokens are not read). */
static int split_args(const char *p, const char *end, gs__tok *toks, int max, int commas) {
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

int gs__arg_real(gs__parser *P, gs__tok t, const char *what, double lo, double hi,
                    const char *range, double *out) {
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

int gs__need_args(gs__parser *P, const char *dname, const char *name_end, gs__tok *toks, int n,
                  int want, int want_max, const char *what) {
    if (n < want) {
        ERR_AT(P, name_end, "@%s needs %s", dname, what);
        return -1;
    }
    if (n > want_max) {
        ERR_AT(P, toks[want_max].p, "unexpected '%.*s%s' after @%s %s", TOKARG(toks[want_max]),
               dname, want_max > 1 ? "and its values" : want_max ? "and its value" : "(it takes no value)");
        return -1;
    }
    return 0;
}

/* The speed of `@play N`: one of GS_LESSON_PLAY_SPEEDS steps per second. */
static int play_speed(gs__parser *P, gs__tok t, double *out) {
    static const double speeds[GS_LESSON_N_PLAY_SPEEDS] = GS_LESSON_PLAY_SPEEDS;
    double v;
    int r = gs__parse_real(t.p, (size_t)t.len, &v);
    if (r == 0)
        for (int i = 0; i < GS_LESSON_N_PLAY_SPEEDS; i++)
            if (v == speeds[i]) {
                *out = v;
                return 0;
            }
    ERR_AT(P, t.p, "@play speed '%.*s%s' is not one of the window's speeds: 0.5, 1, 2, 4, 8, "
           "15, 30 or 60 steps per second", TOKARG(t));
    return -1;
}

/* ---- Directives -------------------------------------------------------------------- */

static int set_variants(gs__parser *P, gs__tok *toks, int n, const char *name_end) {
    gs_lesson_setup *s = &P->sb.st->setup;
    int seen[GS_VARIANT_COUNT] = {0};
    if (n == 0) {
        ERR_AT(P, name_end, "@variants needs at least one variant, e.g. '@variants rnn, lstm'");
        return -1;
    }
    s->n_variants = 0;
    for (int i = 0; i < n; i++) {
        gs_variant v;
        if (gs__tok_is(toks[i], "all")) {
            if (n > 1) {
                ERR_AT(P, toks[i].p, "'all' stands alone: it means every variant");
                return -1;
            }
            for (int k = 0; k < GS_VARIANT_COUNT; k++) s->variants[k] = (gs_variant)k;
            s->n_variants = GS_VARIANT_COUNT;
            return 0;
        }
        if (gs__lookup_variant(toks[i], &v)) {
            gs__err_variant(P, toks[i]);
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

int gs__directive(gs__parser *P, const char *at) {
    const gs__line *ln = P->ln;
    const char *end = ln->p + ln->len, *name = at + 1, *q = name;
    gs_lesson_step *st = P->sb.st;
    gs_lesson_setup *s;
    gs__tok nt, toks[GS_VARIANT_COUNT + 2];
    int d, n;
    long v;
    while (q < end && gs__is_word_char((unsigned char)*q)) q++;
    nt.p = name;
    nt.len = (int)(q - name);
    if (nt.len == 0) {
        ERR_AT(P, at, "expected a directive name after '@', e.g. '@variants'");
        return -1;
    }
    if (q < end && !gs__is_space((unsigned char)*q)) {
        gs__tok bad = {q, 1};
        uint32_t cp;
        int k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)end, &cp);
        bad.len = k ? k : 1;
        ERR_AT(P, q, "unexpected '%.*s%s' in a directive name", TOKARG(bad));
        return -1;
    }
    d = gs__tok_lookup(nt, directive_names, D_COUNT);
    if (d < 0) {
        gs__err_unknown(P, nt, "directive", directive_names, D_COUNT);
        return -1;
    }
    if (!st) {
        ERR_AT(P, name, "@%s before the first step: start a step with '## Heading'",
               directive_names[d]);
        return -1;
    }
    if (d != D_EXPECT && d != D_NOTE && d != D_VISIBLE) {
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
    n = split_args(q, end, toks, (int)(sizeof toks / sizeof *toks), d == D_VARIANTS || d == D_CLAMP);
    switch (d) {
    case D_VARIANTS:
        if (n > GS_VARIANT_COUNT) {
            ERR_AT(P, toks[GS_VARIANT_COUNT].p, "more variants than there are (%d)", GS_VARIANT_COUNT);
            return -1;
        }
        return set_variants(P, toks, n, q);
    case D_TASK: {
        const char *names[GS_TASK_COUNT];
        if (gs__need_args(P, "task", q, toks, n, 1, 1, "a task name, e.g. 'adding'")) return -1;
        for (int i = 0; i < GS_TASK_COUNT; i++) names[i] = gs_task_info_get((gs_task_kind)i)->name;
        int k = gs__tok_lookup(toks[0], names, GS_TASK_COUNT);
        if (k < 0) {
            gs__err_unknown(P, toks[0], "task", names, GS_TASK_COUNT);
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
        if (gs__need_args(P, "seed", q, toks, n, 1, 1, "a number, e.g. '@seed 7'")) return -1;
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
        if (gs__need_args(P, "hidden", q, toks, n, 1, 1, "a size, e.g. '@hidden 16'") ||
            gs__arg_int(P, toks[0], "hidden size", 1, 4096, &v))
            return -1;
        s->hidden = (int)v;
        return 0;
    case D_LENGTH:
        if (gs__need_args(P, "length", q, toks, n, 1, 1, "a number of steps, e.g. '@length 50'"))
            return -1;
        P->sb.length.line = ln->no;
        P->sb.length.col = gs__col(ln, toks[0].p);
        if (gs__tok_is(toks[0], "default")) {
            s->length = 0;
            return 0;
        }
        if (gs__arg_int(P, toks[0], "length", 1, 100000, &v)) return -1;
        s->length = (int)v;
        return 0;
    case D_INIT: {
        int k;
        if (gs__need_args(P, "init", q, toks, n, 1, 2, "a scheme: uniform, xavier or orthogonal"))
            return -1;
        if ((k = gs__tok_lookup(toks[0], init_names, N_INITS)) < 0) {
            gs__err_unknown(P, toks[0], "init scheme", init_names, N_INITS);
            return -1;
        }
        s->init = (gs_init)k;
        s->init_scale = 0;
        if (n == 2) {
            if (gs__arg_real(P, toks[1], "init scale", 0, 1e6, "0..1e6", &s->init_scale)) return -1;
        }
        return 0;
    }
    case D_WSCALE:
        if (gs__need_args(P, "weight-scale", q, toks, n, 1, 1, "a number, e.g. '@weight-scale 1.5'"))
            return -1;
        return gs__arg_real(P, toks[0], "weight scale", -1e6, 1e6, "-1e6..1e6", &s->weight_scale);
    case D_FBIAS:
        if (gs__need_args(P, "forget-bias", q, toks, n, 1, 1, "a number or 'default'")) return -1;
        if (gs__tok_is(toks[0], "default")) {
            s->forget_bias = (double)NAN;
            return 0;
        }
        return gs__arg_real(P, toks[0], "forget bias", -1e6, 1e6, "-1e6..1e6", &s->forget_bias);
    case D_TRUNCATE:
        if (gs__need_args(P, "truncate", q, toks, n, 1, 1, "a number of steps (0 = full)") ||
            gs__arg_int(P, toks[0], "truncation", 0, 100000, &v))
            return -1;
        s->truncate = (int)v;
        return 0;
    case D_CURSOR:
        if (gs__need_args(P, "cursor", q, toks, n, 1, 1, "a step number, 'start' or 'end'")) return -1;
        P->sb.cursor.line = ln->no;
        P->sb.cursor.col = gs__col(ln, toks[0].p);
        if (gs__tok_is(toks[0], "start")) st->cursor = GS_LESSON_CURSOR_START;
        else if (gs__tok_is(toks[0], "end")) st->cursor = GS_LESSON_CURSOR_END;
        else if (gs__is_word_start((unsigned char)toks[0].p[0])) {
            const char *const names[] = {"start", "end"};
            gs__err_unknown(P, toks[0], "cursor position", names, 2);
            return -1;
        } else if (gs__arg_int(P, toks[0], "cursor step", 1, 100000, &v)) {
            return -1;
        } else {
            st->cursor = (int)v;
        }
        return 0;
    case D_PLAY:
        if (gs__need_args(P, "play", q, toks, n, 0, 1, "")) return -1;
        st->play = 1;
        return n == 1 ? play_speed(P, toks[0], &st->play_speed) : 0;
    case D_PAUSE:
        if (gs__need_args(P, "pause", q, toks, n, 0, 0, "")) return -1;
        st->play = 0;
        return 0;
    case D_VIEW: {
        int k;
        if (gs__need_args(P, "view", q, toks, n, 1, 1, "a view: cell, gates, drift, gradient, loss, "
                      "equations or track"))
            return -1;
        if ((k = gs__view_lookup(toks[0])) < 0) {
            gs__err_view(P, toks[0]);
            return -1;
        }
        st->view = (gs_lesson_view)k;
        P->sb.view_line = ln->no;
        return 0;
    }
    case D_HIGHLIGHT: {
        int k;
        if (gs__need_args(P, "highlight", q, toks, n, 1, 1, "a gate (i, f, o, z, r), state, "
                      "candidate or gradient"))
            return -1;
        if ((k = gs__tok_lookup(toks[0], highlight_names, N_HIGHLIGHTS)) < 0) {
            gs__err_unknown(P, toks[0], "highlight", highlight_names, N_HIGHLIGHTS);
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
        if (gs__need_args(P, "backward", q, toks, n, 1, 1, "'on', 'off' or a step")) return -1;
        if (gs__tok_is(toks[0], "on")) s->backward = 1;
        else if (gs__tok_is(toks[0], "off")) s->backward = 0;
        else if (toks[0].p[0] >= '0' && toks[0].p[0] <= '9') {
            /* a step: the playhead stands there (it counts from the loss back to 1) */
            if (gs__arg_int(P, toks[0], "backward step", 1, 100000, &v)) return -1;
            s->backward = 1;
            st->back_step = (int)v;
            P->sb.back.line = ln->no;
            P->sb.back.col = gs__col(ln, toks[0].p);
        } else {
            ERR_AT(P, toks[0].p, "@backward takes 'on', 'off' or a step, not '%.*s%s'",
                   TOKARG(toks[0]));
            return -1;
        }
        return 0;
    case D_WEIGHTS:
    case D_SEQUENCE: {
        /* the rest of the line, as written (a path may hold spaces) */
        const char *a = q, *b = end;
        char *copy;
        while (a < b && gs__is_space((unsigned char)*a)) a++;
        while (b > a && gs__is_space((unsigned char)b[-1])) b--;
        if (a == b) {
            ERR_AT(P, q, d == D_WEIGHTS ? "@weights needs a file or folder of saved weights "
                                          "(or 'none')"
                                        : "@sequence needs the text of the typed task");
            return -1;
        }
        if (d == D_WEIGHTS && b - a == 4 && !memcmp(a, "none", 4)) {
            s->weights = NULL;
            return 0;
        }
        if (!(copy = gs__lx_strndup(P->x, a, (size_t)(b - a)))) return -1;
        if (d == D_WEIGHTS) s->weights = copy;
        else s->sequence = copy;
        if (d == D_SEQUENCE) {
            P->sb.sequence.line = ln->no;
            P->sb.sequence.col = gs__col(ln, a);
        }
        return 0;
    }
    case D_SELECT: {
        gs_variant sv;
        if (gs__need_args(P, "select", q, toks, n, 1, 2, "a variant and a unit, e.g. '@select lstm 3'"))
            return -1;
        if (gs__lookup_variant(toks[0], &sv)) {
            gs__err_variant(P, toks[0]);
            return -1;
        }
        st->select = 1;
        st->select_variant = sv;
        st->select_unit = 0;
        P->sb.select.line = ln->no;
        P->sb.select.col = gs__col(ln, toks[0].p);
        if (n == 2) {
            if (gs__arg_int(P, toks[1], "unit", 0, 4095, &v)) return -1;
            st->select_unit = (int)v;
        }
        return 0;
    }
    case D_COLOURS:
        if (n == 0) {
            ERR_AT(P, q, "@colours needs one or more of: %s", gs_lesson_colours_all());
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (gs_lesson_colours_word(&st->colours, toks[i].p, (size_t)toks[i].len)) {
                ERR_AT(P, toks[i].p, "unknown colour choice '%.*s%s'; expected one of: %s",
                       TOKARG(toks[i]), gs_lesson_colours_all());
                return -1;
            }
        return 0;
    case D_TRAIN: return gs__directive_train(P, toks, n, q); /* lesson_clamp.c */
    case D_CLAMP:
        P->sb.clamp_line = ln->no;
        return gs__directive_clamp(P, toks, n, q);
    case D_EXPECT: {
        gs__step_build *sb = &P->sb;
        if (st->n_expects >= GS_LESSON_MAX_EXPECTS) {
            ERR_AT(P, name, "too many @expect lines in one step (at most %d)", GS_LESSON_MAX_EXPECTS);
            return -1;
        }
        if (gs__lx_reserve(P->x, (void **)&sb->ex, &sb->ex_cap, st->n_expects + 1, sizeof *sb->ex) ||
            gs__lx_reserve(P->x, (void **)&sb->ex_pos, &sb->ex_pos_cap, st->n_expects + 1,
                           sizeof *sb->ex_pos))
            return -1;
        if (gs__parse_expect(P, q, end, &sb->ex[st->n_expects], &sb->ex_pos[st->n_expects])) return -1;
        st->n_expects++;
        st->expects = sb->ex;
        return 0;
    }
    case D_VISIBLE:
        return gs__parse_visible(P, name, q, end);
    case D_NOTE: {
        gs__step_build *sb = &P->sb;
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
