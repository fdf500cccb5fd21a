/* lesson_clamp.c — the what-if directives: @train N [lr X] (the step's models are
 * trained before they are shown and checked) and @clamp VARIANT:GATE[UNIT]=VALUE
 * (gates forced, as gs_model_clamp_gate does), with the check at the end of a step
 * that a step's own clamps fit its variants and units.  lesson_directive.c hands the
 * lines over; the messages say what a variant has instead of a missing gate. */
#include "lesson_internal.h"

#include <stdio.h>
#include <string.h>

int gs__clamps_equal(const gs_lesson_setup *a, const gs_lesson_setup *b) {
    if (a->n_clamps != b->n_clamps) return 0;
    for (int i = 0; i < a->n_clamps; i++) {
        const gs_lesson_clamp *x = &a->clamps[i], *y = &b->clamps[i];
        if (x->variant != y->variant || x->gate != y->gate || x->unit != y->unit ||
            x->value != y->value)
            return 0;
    }
    return 1;
}

/* @train N [lr X] | @train off */
int gs__directive_train(gs__parser *P, gs__tok *toks, int n, const char *name_end) {
    gs_lesson_setup *s = &P->sb.st->setup;
    long v;
    if (gs__need_args(P, "train", name_end, toks, n, 1, 3,
                  "a number of iterations, e.g. '@train 1000' (or 'off')"))
        return -1;
    if (gs__tok_is(toks[0], "off")) {
        if (n > 1) {
            ERR_AT(P, toks[1].p, "unexpected '%.*s%s' after @train off", TOKARG(toks[1]));
            return -1;
        }
        s->train = 0;
        s->train_lr = 0;
        return 0;
    }
    if (gs__arg_int(P, toks[0], "training iterations", 1, GS_LESSON_MAX_TRAIN, &v)) return -1;
    s->train = (int)v;
    s->train_lr = 0;
    if (n == 1) return 0;
    if (!gs__tok_is(toks[1], "lr")) {
        ERR_AT(P, toks[1].p, "expected 'lr' and a learning rate after @train %d, not '%.*s%s'",
               s->train, TOKARG(toks[1]));
        return -1;
    }
    if (n < 3) {
        ERR_AT(P, toks[1].p + toks[1].len, "'lr' needs a learning rate, e.g. '@train %d lr 0.01'",
               s->train);
        return -1;
    }
    if (gs__arg_real(P, toks[2], "learning rate", 1e-9, 10, "0..10", &s->train_lr)) return -1;
    return 0;
}

/* Why variant vi has no gate named t: the constant it stands for, or its gates. */
static void err_no_gate(gs__parser *P, gs__tok t, const gs_variant_info *vi) {
    char list[32] = "";
    for (int g = 0; g < vi->n_gates; g++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", g ? ", " : "",
                 vi->gates[g].symbol);
    if (vi->n_gates == 0)
        ERR_AT(P, t.p, "%s has no gates to clamp", vi->name);
    else if (vi->coupled && gs__tok_is(t, "f"))
        ERR_AT(P, t.p, "%s has no gate 'f': its forget factor is 1 \xe2\x88\x92 i, so clamp i "
               "(gates: %s)", vi->name, list);
    else if (vi->n_states == 2 && (gs__tok_is(t, "i") || gs__tok_is(t, "f") || gs__tok_is(t, "o")))
        ERR_AT(P, t.p, "%s has no gate '%.*s%s': it is the constant 1 there (gates: %s)", vi->name,
               TOKARG(t), list);
    else
        ERR_AT(P, t.p, "%s has no gate '%.*s%s' (gates: %s)", vi->name, TOKARG(t), list);
}

/* One VARIANT:GATE[UNIT]=VALUE token into c. */
static int parse_clamp(gs__parser *P, gs__tok t, gs_lesson_clamp *c) {
    const char *p = t.p, *end = t.p + t.len, *colon = memchr(p, ':', (size_t)t.len);
    const char *eq = memchr(p, '=', (size_t)t.len), *br;
    const gs_variant_info *vi;
    gs__tok vt, gt, ut, xt;
    long u;
    if (!colon || !eq || eq < colon) {
        ERR_AT(P, t.p, "expected VARIANT:GATE=VALUE, e.g. 'peephole:f=1', not '%.*s%s'", TOKARG(t));
        return -1;
    }
    vt = (gs__tok){p, (int)(colon - p)};
    if (gs__lookup_variant(vt, &c->variant)) {
        gs__err_variant(P, vt);
        return -1;
    }
    vi = gs_variant_get(c->variant);
    br = memchr(colon, '[', (size_t)(eq - colon));
    gt = (gs__tok){colon + 1, (int)((br ? br : eq) - colon - 1)};
    c->gate = -1;
    for (int g = 0; g < vi->n_gates; g++)
        if (gs__tok_is(gt, vi->gates[g].symbol)) c->gate = g;
    if (c->gate < 0) {
        err_no_gate(P, gt, vi);
        return -1;
    }
    c->unit = GS_ALL_UNITS;
    if (br) {
        if (eq[-1] != ']' || eq - 1 == br + 1) {
            ERR_AT(P, br, "write one unit as GATE[UNIT], e.g. '%s:%s[3]=1'", vi->name,
                   vi->gates[c->gate].symbol);
            return -1;
        }
        ut = (gs__tok){br + 1, (int)(eq - 1 - br - 1)};
        if (gs__arg_int(P, ut, "unit", 0, 4095, &u)) return -1;
        c->unit = (int)u;
    }
    xt = (gs__tok){eq + 1, (int)(end - eq - 1)};
    if (xt.len == 0) {
        ERR_AT(P, end, "expected a value from 0 (shut) to 1 (open) after '='");
        return -1;
    }
    if (gs__arg_real(P, xt, "clamp value", 0, 1, "0..1", &c->value)) return -1;
    c->line = P->ln->no;
    c->col = gs__col(P->ln, t.p);
    return 0;
}

/* @clamp none | @clamp VARIANT:GATE[UNIT]=VALUE[, ...]: the step's clamps (they replace
 * those of the step before). */
int gs__directive_clamp(gs__parser *P, gs__tok *toks, int n, const char *name_end) {
    gs_lesson_setup *s = &P->sb.st->setup;
    if (n == 0) {
        ERR_AT(P, name_end, "@clamp needs VARIANT:GATE=VALUE, e.g. '@clamp peephole:f=1' (or 'none')");
        return -1;
    }
    s->n_clamps = 0;
    if (gs__tok_is(toks[0], "none")) {
        if (n > 1) {
            ERR_AT(P, toks[1].p, "'none' stands alone: it frees every gate");
            return -1;
        }
        return 0;
    }
    for (int i = 0; i < n; i++) {
        if (i >= GS_LESSON_MAX_CLAMPS) {
            ERR_AT(P, toks[i].p, "too many clamps (at most %d)", GS_LESSON_MAX_CLAMPS);
            return -1;
        }
        if (parse_clamp(P, toks[i], &s->clamps[s->n_clamps])) return -1;
        s->n_clamps++;
    }
    return 0;
}

int gs__finish_clamps(gs__parser *P) {
    gs_lesson_step *st = P->sb.st;
    gs_lesson_setup *s = &st->setup;
    int own = P->sb.clamp_line != 0, k = 0;
    for (int i = 0; i < s->n_clamps; i++) {
        const gs_lesson_clamp *c = &s->clamps[i];
        int shown = 0;
        for (int v = 0; v < s->n_variants; v++) shown |= s->variants[v] == c->variant;
        if (own && !shown) {
            char list[160] = "";
            for (int v = 0; v < s->n_variants; v++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", v ? ", " : "",
                         gs_variant_get(s->variants[v])->name);
            gs__lx_error(P->x, c->line, c->col, NULL, 0,
                         "clamp of '%s', which is not among this step's variants (%s)",
                         gs_variant_get(c->variant)->name, list);
            return -1;
        }
        if (own && c->unit >= s->hidden) {
            gs__lx_error(P->x, c->line, c->col, NULL, 0,
                         "clamp of unit %d, but the cells have %d units (0 to %d)", c->unit,
                         s->hidden, s->hidden - 1);
            return -1;
        }
        if (shown && c->unit < s->hidden) s->clamps[k++] = *c; /* an inherited one may go */
    }
    s->n_clamps = k;
    return 0;
}
