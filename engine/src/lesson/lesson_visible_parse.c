/* lesson_visible_parse.c — the grammar of a @visible line, what must be on screen
 * at a step: `backward to N` (the backward pass revealed from the loss down to step
 * N), `view NAME` (a view on screen and not covered) or `track` (the sequence track).
 * Read into the step's gs_lesson_visible list; the step's @view adds its view to it
 * when the step ends.  Whether they hold is the app's to check (it has the layout). */
#include "lesson_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const sight_names[] = {[GS_SIGHT_BACKWARD] = "backward",
                                          [GS_SIGHT_VIEW] = "view", [GS_SIGHT_TRACK] = "track"};
#define N_SIGHTS 3

/* Split p..end at spaces; returns the count, at most max. */
static int split(const char *p, const char *end, gs__tok *toks, int max) {
    int n = 0;
    while (n < max) {
        while (p < end && gs__is_space((unsigned char)*p)) p++;
        if (p >= end) break;
        toks[n].p = p;
        while (p < end && !gs__is_space((unsigned char)*p)) p++;
        toks[n].len = (int)(p - toks[n].p);
        n++;
    }
    return n;
}

/* Room for one more entry; the new one zeroed. */
static gs_lesson_visible *add(gs__parser *P, gs__pos **pos) {
    gs__step_build *sb = &P->sb;
    gs_lesson_step *st = sb->st;
    if (gs__lx_reserve(P->x, (void **)&sb->vis, &sb->vis_cap, st->n_visible + 1, sizeof *sb->vis) ||
        gs__lx_reserve(P->x, (void **)&sb->vis_pos, &sb->vis_pos_cap, st->n_visible + 1,
                       sizeof *sb->vis_pos))
        return NULL;
    memset(&sb->vis[st->n_visible], 0, sizeof *sb->vis);
    memset(&sb->vis_pos[st->n_visible], 0, sizeof *sb->vis_pos);
    *pos = &sb->vis_pos[st->n_visible];
    return &sb->vis[st->n_visible];
}

static int same(const gs_lesson_visible *a, const gs_lesson_visible *b) {
    if (a->what != b->what) return 0;
    if (a->what == GS_SIGHT_BACKWARD) return a->step == b->step;
    if (a->what == GS_SIGHT_VIEW) return a->view == b->view;
    return 1;
}

int gs__parse_visible(gs__parser *P, const char *name, const char *p, const char *end) {
    gs_lesson_step *st = P->sb.st;
    gs__tok t[4];
    gs__pos *pos;
    gs_lesson_visible *v;
    int n, k, want;
    const char *start;
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    while (end > p && gs__is_space((unsigned char)end[-1])) end--;
    start = p;
    n = split(p, end, t, 4);
    if (n == 0) {
        ERR_AT(P, p, "@visible needs what must be on screen: 'backward to N', 'view NAME' or "
               "'track'");
        return -1;
    }
    if (st->n_visible >= GS_LESSON_MAX_VISIBLE) {
        ERR_AT(P, name, "too many @visible lines in one step (at most %d)", GS_LESSON_MAX_VISIBLE);
        return -1;
    }
    if ((k = gs__tok_lookup(t[0], sight_names, N_SIGHTS)) < 0) {
        gs__err_unknown(P, t[0], "visibility statement", sight_names, N_SIGHTS);
        return -1;
    }
    if (!(v = add(P, &pos))) return -1;
    v->line = P->ln->no;
    v->what = (gs_lesson_sight)k;
    switch (v->what) {
    case GS_SIGHT_BACKWARD: {
        long s;
        want = 3;
        if (n < 2 || !gs__tok_is(t[1], "to")) {
            if (n < 2)
                ERR_AT(P, end, "expected 'to' and a step after 'backward', e.g. "
                       "'@visible backward to 1'");
            else
                ERR_AT(P, t[1].p, "expected 'to' after 'backward', not '%.*s%s' (e.g. "
                       "'@visible backward to 1')", TOKARG(t[1]));
            return -1;
        }
        if (n < 3) {
            ERR_AT(P, end, "expected a step number or 'first' after 'backward to'");
            return -1;
        }
        pos->line = P->ln->no;
        pos->col = gs__col(P->ln, t[2].p);
        if (gs__tok_is(t[2], "first")) {
            v->step = 1;
        } else if (gs__is_word_start((unsigned char)t[2].p[0])) {
            ERR_AT(P, t[2].p, "expected a step number or 'first' after 'backward to', not "
                   "'%.*s%s'", TOKARG(t[2]));
            return -1;
        } else if (gs__arg_int(P, t[2], "step", 1, 100000, &s)) {
            return -1;
        } else {
            v->step = (int)s;
        }
        break;
    }
    case GS_SIGHT_VIEW:
        want = 2;
        if (n < 2) {
            ERR_AT(P, end, "expected a view after 'view': cell, gates, drift, gradient, loss, "
                   "equations or track");
            return -1;
        }
        if ((k = gs__view_lookup(t[1])) < 0) {
            gs__err_view(P, t[1]);
            return -1;
        }
        if (k == GS_LESSON_VIEW_NONE) {
            ERR_AT(P, t[1].p, "'none' is not a view that can be seen");
            return -1;
        }
        v->view = (gs_lesson_view)k;
        break;
    default: /* the track */
        want = 1;
        break;
    }
    if (n > want) {
        ERR_AT(P, t[want].p, "unexpected '%.*s%s' after '@visible %.*s'", TOKARG(t[want]),
               (int)(t[want - 1].p + t[want - 1].len - start), start);
        return -1;
    }
    for (int i = 0; i < st->n_visible; i++)
        if (same(&P->sb.vis[i], v)) {
            ERR_AT(P, start, "this @visible is given twice in this step (first on line %d)",
                   P->sb.vis[i].line);
            return -1;
        }
    if (!(v->text = gs__lx_strndup(P->x, start, (size_t)(end - start)))) return -1;
    st->n_visible++;
    st->visible = P->sb.vis;
    return 0;
}

int gs__visible_finish(gs__parser *P, int T) {
    gs__step_build *sb = &P->sb;
    gs_lesson_step *st = sb->st;
    int stated = 0;
    for (int i = 0; i < st->n_visible; i++) {
        const gs_lesson_visible *v = &sb->vis[i];
        if (v->what == GS_SIGHT_BACKWARD && T > 0 && v->step > T) {
            gs__lx_error(P->x, sb->vis_pos[i].line, sb->vis_pos[i].col, NULL, 0,
                         "step %d is past the end: the scene has %d steps", v->step, T);
            return -1;
        }
        if (v->what == GS_SIGHT_VIEW && v->view == st->view) stated = 1;
    }
    /* a spotlight on a view says it is there: @view states @visible view for it */
    if (st->view != GS_LESSON_VIEW_NONE && !stated) {
        gs__pos *pos;
        gs_lesson_visible *v = add(P, &pos);
        const char *vn = gs_lesson_view_name(st->view);
        char text[32];
        if (!v) return -1;
        snprintf(text, sizeof text, "view %s", vn);
        v->line = sb->view_line;
        v->what = GS_SIGHT_VIEW;
        v->view = st->view;
        v->implied = 1;
        if (!(v->text = gs__lx_strndup(P->x, text, strlen(text)))) return -1;
        st->n_visible++;
        st->visible = sb->vis;
    }
    return 0;
}
