/* lesson_parse.c — lesson text to plain structs: the title, the intro, and steps with
 * their headings, prose and resolved scenes.  Every error is `file:line:col: message`;
 * nothing is printed.  The @ lines are read by lesson_directive.c (the scene) and
 * lesson_expect_parse.c (@expect); byte-level work (lines, numbers, prose runs) is in
 * lesson_lex.c. */
#include "lesson_internal.h"

#include "io_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- Tokens, shared by the directive and expectation grammars ---------------------- */

int gs__tok_is(gs__tok t, const char *s) {
    return (size_t)t.len == strlen(s) && memcmp(t.p, s, (size_t)t.len) == 0;
}

/* Index of t among names, or -1. */
int gs__tok_lookup(gs__tok t, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (gs__tok_is(t, names[i])) return i;
    return -1;
}

/* The name nearest to t among names, or NULL. */
const char *gs__tok_nearest(gs__tok t, const char *const *names, int n) {
    char word[65];
    int i;
    if (t.len > 64) return NULL;
    memcpy(word, t.p, (size_t)t.len);
    word[t.len] = 0;
    i = gs__nearest(word, names, n);
    return i >= 0 ? names[i] : NULL;
}

/* "unknown KIND 'tok' (did you mean 'x'?)" or "...; KINDs: a, b, c". */
void gs__err_unknown(gs__parser *P, gs__tok t, const char *kind, const char *const *names,
                     int n) {
    const char *near = gs__tok_nearest(t, names, n);
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

/* A whole number in lo..hi for `what` (e.g. "hidden size"). */
int gs__arg_int(gs__parser *P, gs__tok t, const char *what, long lo, long hi, long *out) {
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

int gs__lookup_variant(gs__tok t, gs_variant *out) {
    for (int i = 0; i < GS_VARIANT_COUNT; i++)
        if (gs__tok_is(t, gs_variant_get((gs_variant)i)->name)) {
            *out = (gs_variant)i;
            return 0;
        }
    return -1;
}

void gs__err_variant(gs__parser *P, gs__tok t) {
    const char *names[GS_VARIANT_COUNT];
    for (int i = 0; i < GS_VARIANT_COUNT; i++) names[i] = gs_variant_get((gs_variant)i)->name;
    gs__err_unknown(P, t, "variant", names, GS_VARIANT_COUNT);
}

int gs__is_word_start(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
int gs__is_word_char(int c) {
    return gs__is_word_start(c) || (c >= '0' && c <= '9') || c == '-';
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
static int finish_step(gs__parser *P) {
    gs__step_build *sb = &P->sb;
    gs_lesson_step *st = sb->st;
    const gs_lesson_setup *s;
    char list[128];
    size_t used = 0;
    int T;
    if (!st) return 0;
    /* @sequence is the typed task's text: it implies @task typed */
    if (sb->sequence.line && !sb->task.line) st->setup.task = GS_TASK_TYPED;
    if (sb->sequence.line && st->setup.task != GS_TASK_TYPED) {
        gs__lx_error(P->x, sb->sequence.line, sb->sequence.col, NULL, 0,
                     "@sequence is the text of the typed task; it does not go with @task %s",
                     gs_task_info_get(st->setup.task)->name);
        return -1;
    }
    if (st->setup.task == GS_TASK_TYPED && !st->setup.sequence) {
        gs__lx_error(P->x, sb->task.line ? sb->task.line : st->line, sb->task.line ? sb->task.col : 1,
                     NULL, 0, "the typed task needs its text: add '@sequence TEXT'");
        return -1;
    }
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
            gs__pos at = sb->length.line ? sb->length : sb->task;
            gs__lx_error(P->x, at.line, at.col, NULL, 0, "%s", te.msg);
            return -1;
        }
    }
    if (gs__finish_clamps(P)) return -1;
    if (st->cursor > 0 && T > 0 && st->cursor > T) {
        gs__lx_error(P->x, sb->cursor.line, sb->cursor.col, NULL, 0,
                     "cursor step %d is past the end: the scene has %d steps", st->cursor, T);
        return -1;
    }
    if (st->back_step > 0) { /* the playhead walks from the cursor back */
        int last = st->cursor == GS_LESSON_CURSOR_END ? T : st->cursor; /* T 0: unknown */
        int known = st->cursor != GS_LESSON_CURSOR_END || T > 0;
        if (known && st->back_step > last) {
            gs__lx_error(P->x, sb->back.line, sb->back.col, NULL, 0,
                         "backward step %d is past the cursor (step %d): the backward pass "
                         "walks from the cursor back to step 1", st->back_step, last);
            return -1;
        }
    }
    if (st->select) {
        if (!step_has_variant(s, st->select_variant)) {
            gs__lx_error(P->x, sb->select.line, sb->select.col, NULL, 0,
                         "variant '%s' is not among this step's variants (%s)",
                         gs_variant_get(st->select_variant)->name, list);
            return -1;
        }
        if (st->select_unit >= s->hidden) {
            gs__lx_error(P->x, sb->select.line, sb->select.col, NULL, 0,
                         "unit %d is out of range: the cells have %d units (0..%d)",
                         st->select_unit, s->hidden, s->hidden - 1);
            return -1;
        }
    }
    for (int i = 0; i < st->n_expects; i++) {
        const gs_lesson_expect *e = &st->expects[i];
        const gs__expect_pos *ep = &sb->ex_pos[i];
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
    if (gs__visible_finish(P, T)) return -1;
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
static int start_step(gs__parser *P, const char *text, int len) {
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

static int add_prose(gs__parser *P) {
    if (gs__lx_reserve(P->x, (void **)&P->prose, &P->prose_cap, P->n_prose + 1, sizeof *P->prose))
        return -1;
    P->prose[P->n_prose++] = *P->ln;
    return 0;
}

/* One line of the lesson. */
static int line(gs__parser *P) {
    const gs__line *ln = P->ln;
    const char *p = ln->p, *end = ln->p + ln->len, *text;
    int level = 0, len;
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    if (p == end) return P->lesson->title ? add_prose(P) : 0;
    if (*p != '#' && !P->lesson->title) {
        ERR_AT(P, p, "a lesson starts with its title, a line like '# The vanilla RNN'");
        return -1;
    }
    if (*p == '@') return gs__directive(P, p);
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
    gs__parser P;
    gs__lines it;
    gs__line ln;
    gs_lesson *l;
    char shown[GS__SHOWN_MAX];
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
    /* messages show the name quoted (a newline or ESC in a file name stays inside
       one line); the lesson keeps it as given */
    x.name = gs__show_path(shown, sizeof shown, name ? name : "lesson");
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
    if (!name) name = "lesson";
    l->name = gs__lx_strndup(&x, name, strlen(name));
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
    gs_allocator a = {.realloc = NULL, .ud = NULL};
    FILE *f = NULL;
    char *buf = NULL;
    size_t n = 0;
    gs_status st = GS_ERR_IO;
    char shown[GS__SHOWN_MAX];
    if (out) *out = NULL;
    if (!out || !path) {
        gs__error(err, "gs_lesson_load: out and path must not be NULL");
        return GS_ERR_ARG;
    }
    if (alloc) a = *alloc;
    gs__show_path(shown, sizeof shown, path);
    if (!(f = fopen(path, "rb"))) {
        gs__error(err, "%.*s: cannot open: %s", NAME_ARG(shown), strerror(errno));
        goto done;
    }
    /* one byte more than the limit, so an oversized file is reported as such */
    if (!(buf = gs__alloc(&a, (size_t)GS_LESSON_MAX_BYTES + 1))) {
        gs__error(err, "%.*s: out of memory", NAME_ARG(shown));
        st = GS_ERR_NOMEM;
        goto done;
    }
    n = fread(buf, 1, (size_t)GS_LESSON_MAX_BYTES + 1, f);
    if (ferror(f)) {
        gs__error(err, "%.*s: cannot read: %s", NAME_ARG(shown), strerror(errno));
        goto done;
    }
    if (n > (size_t)GS_LESSON_MAX_BYTES) {
        /* not one byte more is read: the file may be an endless stream (/dev/zero, a
           pipe that never closes), whose size no message is worth waiting for */
        gs__error(err, "%.*s:1:1: the lesson is too large (more than %d bytes)", NAME_ARG(shown),
                  GS_LESSON_MAX_BYTES);
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
