/* lesson_sight.c — does each lesson step show what it says?  A step is entered and
 * played out in a headless app exactly as in the window, then its statements are
 * checked against the real layout (fonts measured): the views named by @visible and
 * @view (the sequence track among them) on screen, inside the window, not under the narrative panel and not tiny; the
 * backward pass revealed as far as @visible backward asks; every variant with a pane;
 * the text fitting its panel.  It reads the state; the only thing it changes is which
 * step is entered. */
#include "run/lesson_sight.h"

#include <stdlib.h>
#include <string.h>

#include "run/headless.h"
#include "session/lesson_player.h"
#include "session/train_session.h"

void lesson_sight_size(int i, int *w, int *h) {
    /* a small laptop, a 720p projector, the export's default, 4K */
    static const int sizes[SIGHT_N_SIZES][2] = { { 1024, 640 }, { 1280, 720 }, { 1600, 1000 },
                                                 { 3840, 2160 } };
    if (i < 0) i = 0;
    if (i >= SIGHT_N_SIZES) i = SIGHT_N_SIZES - 1;
    *w = sizes[i][0];
    *h = sizes[i][1];
}

/* A view smaller than this (in points: times the layout's scale) does not count. */
#define SIGHT_MIN_W 100
#define SIGHT_MIN_H 60

/* ---- Entering a step ---------------------------------------------------------------- */

void lesson_sight_settle(app_ctx *a, int k, sight_entry *en) {
    app_state *st = &a->st;
    lesson_enter(st, k);
    app_update(a, 0); /* applies it: the scene, the cursor, play and the playhead */
    memset(en, 0, sizeof *en);
    en->playing = st->playing;
    en->back_playing = st->back_playing;
    en->back_pos = st->back_pos;
    en->speed = state_speed(st->speed);
    en->play_seconds = lesson_play_out(st);
    app_update(a, 0); /* the engine and the layout where the play ended */
}

/* ---- One statement in the current layout ------------------------------------------- */

/* Why box b of `what` is not properly visible, or NULL if it is. */
static const char *box_trouble(const app_state *st, box b, char *buf, size_t len) {
    const layout *L = &st->L;
    int minw = (int)(SIGHT_MIN_W * L->ui), minh = (int)(SIGHT_MIN_H * L->ui);
    if (b.w <= 0 || b.h <= 0) return "it is not on screen";
    if (b.x < 0 || b.y < 0 || b.x + b.w > L->w || b.y + b.h > L->h) return "it is partly off screen";
    if (box_overlap(b, L->narrative)) return "the narrative panel covers it";
    if (b.w < minw || b.h < minh) {
        snprintf(buf, len, "it is only %dx%d px (at least %dx%d here)", b.w, b.h, minw, minh);
        return buf;
    }
    return NULL;
}

/* The sequence track (the inputs, the targets and what the cells say, along time) in
 * every pane: each pane's track on screen and uncovered, as wide as a view must be,
 * with its three rows laid out inside it and a sequence to draw.  Its height is its
 * rows' (set by the fonts), so it is not held to a view's minimum height.  1 if it
 * holds; why says what is wrong otherwise. */
static int sight_track(const app_state *st, char *why, size_t len) {
    const layout *L = &st->L;
    int minw = (int)(SIGHT_MIN_W * L->ui);
    if (L->n_panes < 1 || !st->have_scene) {
        snprintf(why, len, "no pane is shown");
        return 0;
    }
    for (int p = 0; p < L->n_panes; p++) {
        const pane_box *P = &L->pane[p];
        box b = P->track;
        const char *in = L->n_panes > 1 ? " (in one of the panes)" : "";
        if (b.w <= 0 || b.h <= 0)
            snprintf(why, len, "it is not on screen%s", in);
        else if (b.x < 0 || b.y < 0 || b.x + b.w > L->w || b.y + b.h > L->h)
            snprintf(why, len, "it is partly off screen%s", in);
        else if (box_overlap(b, L->narrative))
            snprintf(why, len, "the narrative panel covers it%s", in);
        else if (P->track_row[TRACK_IN].w < minw)
            snprintf(why, len, "its rows are only %d px wide (at least %d here)%s",
                     P->track_row[TRACK_IN].w, minw, in);
        else if (!state_seq(st, p))
            snprintf(why, len, "a pane has no sequence to draw");
        else {
            int r;
            for (r = 0; r < TRACK_ROWS; r++) {
                box w = P->track_row[r];
                if (w.h <= 0 || w.y < b.y || w.y + w.h > b.y + b.h) break;
            }
            if (r == TRACK_ROWS) continue;
            snprintf(why, len, "its %s row has no room%s",
                     r == TRACK_IN ? "input" : r == TRACK_OUT ? "target" : "loss", in);
        }
        return 0;
    }
    return 1;
}

static int sight_view(const app_state *st, gs_lesson_view v, char *why, size_t len) {
    const layout *L = &st->L;
    box b[LAYOUT_MAX_PANES];
    int n = 0;
    char buf[96];
    switch (v) {
    case GS_LESSON_VIEW_CELL: for (n = 0; n < L->n_panes; n++) b[n] = L->pane[n].diagram; break;
    case GS_LESSON_VIEW_GATES: for (n = 0; n < L->n_panes; n++) b[n] = L->pane[n].heat; break;
    case GS_LESSON_VIEW_DRIFT: b[n++] = L->plot_drift; break;
    case GS_LESSON_VIEW_GRADIENT: b[n++] = L->plot_grad; break;
    case GS_LESSON_VIEW_LOSS: b[n++] = L->plot_loss; break;
    case GS_LESSON_VIEW_EQUATIONS: b[n++] = L->equations; break;
    case GS_LESSON_VIEW_TRACK: return sight_track(st, why, len);
    default: break;
    }
    if (n == 0) {
        snprintf(why, len, "no pane is shown");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        const char *t = box_trouble(st, b[i], buf, sizeof buf);
        if (!t) continue;
        if (b[i].w <= 0 && v == GS_LESSON_VIEW_EQUATIONS && st->lesson && st->lesson->tall)
            t = "it is not on screen: the step's text needs the panel's full height and takes its place";
        else if (b[i].w <= 0 && (v == GS_LESSON_VIEW_DRIFT || v == GS_LESSON_VIEW_LOSS) &&
                 L->train.w > 0)
            t = "it is not on screen: the training panel takes its place";
        snprintf(why, len, "%s%s", t, n > 1 ? " (in one of the panes)" : "");
        return 0;
    }
    return 1;
}

static int sight_backward(const app_state *st, int N, char *why, size_t len) {
    if (st->first_loss_step < 1 || st->first_loss_step > st->cursor) {
        snprintf(why, len, "no loss is taken up to the cursor (step %d): nothing flows back",
                 st->cursor);
        return 0;
    }
    if (N > st->cursor) {
        snprintf(why, len, "the cursor is at step %d", st->cursor);
        return 0;
    }
    for (int p = 0; p < st->L.n_panes; p++) {
        const gs_seq *s = state_seq(st, p);
        const gs_step_stats *ss = s ? gs_seq_stats(s, N) : NULL;
        if (state_grad_shown(st, p, N)) continue;
        if (!ss || !ss->has_grad)
            snprintf(why, len, "the gradient does not reach step %d: the backward pass stops at "
                     "step %d (truncated)", N, s ? gs_seq_summary_of(s).grad_lo : 0);
        else if (st->back_active && st->back_pos > N)
            snprintf(why, len, "the backward playhead stops at step %d%s", st->back_pos,
                     st->back_pos == st->cursor ? ", the loss (a paused step: @play walks it back)"
                                                : "");
        else
            snprintf(why, len, "the gradient at step %d is not shown", N);
        return 0;
    }
    return 1;
}

/* Statement i of step k: its @visible lines, then every variant having a pane, then
 * the text fitting its panel.  1 if it holds; why says what is wrong otherwise. */
static int sight_eval(app_ctx *a, const gs_lesson_step *step, int i, char *why, size_t len) {
    const app_state *st = &a->st;
    if (i < step->n_visible) {
        const gs_lesson_visible *v = &step->visible[i];
        switch (v->what) {
        case GS_SIGHT_BACKWARD: return sight_backward(st, v->step, why, len);
        case GS_SIGHT_VIEW: return sight_view(st, v->view, why, len);
        case GS_SIGHT_TRACK: return sight_track(st, why, len);
        }
        return 0;
    }
    if (i == step->n_visible) {
        int shown = st->have_scene ? st->sc.n : 0, used = 0;
        char names[160];
        if (shown >= step->setup.n_variants) return 1;
        names[0] = '\0';
        for (int k = shown; k < step->setup.n_variants; k++)
            used += snprintf(names + used, sizeof names - (size_t)used, "%s%s", k > shown ? ", " : "",
                             gs_variant_get(step->setup.variants[k])->name);
        snprintf(why, len, "the window shows %d of its %d variants: %s %s no pane", shown,
                 step->setup.n_variants, names, step->setup.n_variants - shown > 1 ? "have" : "has");
        return 0;
    }
    {
        int need = view_lesson_text_height(a->rc, st, st->L.nar_text.w, FONT_SMALL);
        if (need <= st->L.nar_text.h) return 1;
        snprintf(why, len, "the step's text needs %d px and its panel has %d", need, st->L.nar_text.h);
        return 0;
    }
}

/* "@visible backward to 1" / "@view gradient" / "every variant has a pane" ... */
static void stmt_name(const gs_lesson_step *step, int i, char *buf, size_t len) {
    if (i < step->n_visible) {
        const gs_lesson_visible *v = &step->visible[i];
        if (v->implied) snprintf(buf, len, "@view %s", gs_lesson_view_name(v->view));
        else snprintf(buf, len, "@visible %s", v->text);
    } else if (i == step->n_visible) {
        snprintf(buf, len, "a pane for every variant");
    } else {
        snprintf(buf, len, "the step's text in its panel");
    }
}

static int stmt_line(const gs_lesson_step *step, int i) {
    return i < step->n_visible ? step->visible[i].line : step->line;
}

/* A backward reveal the class waits for: a warning. */
static void slow_play(const gs_lesson *l, const gs_lesson_step *step, const sight_entry *en,
                      findings *out) {
    for (int i = 0; i < step->n_visible; i++) {
        const gs_lesson_visible *v = &step->visible[i];
        double secs;
        if (v->what != GS_SIGHT_BACKWARD || !en->back_playing || en->speed <= 0) continue;
        secs = (en->back_pos - v->step) / en->speed;
        if (secs > SIGHT_MAX_PLAY_SECONDS)
            findings_add(out, FIND_WARN, v->line,
                         "%s:%d: warning: '@visible %s' is reached only after %.0f s of play at %g "
                         "steps/s (more than %.0f s; ask for a faster '@play N')", l->name, v->line,
                         v->text, secs, en->speed, SIGHT_MAX_PLAY_SECONDS);
    }
}

int lesson_sight_step(app_ctx *a, int k, const sight_entry *en, const char *where, findings *out) {
    const gs_lesson *l = lesson_current(&a->st);
    const gs_lesson_step *step;
    int n, i;
    if (!l || k < 0 || k >= l->n_steps) return 0;
    step = &l->steps[k];
    n = step->n_visible + 2;
    for (i = 0; i < n; i++) {
        char why[300], name[160];
        if (sight_eval(a, step, i, why, sizeof why)) continue;
        stmt_name(step, i, name, sizeof name);
        findings_add(out, FIND_FAIL, stmt_line(step, i), "%s:%d: expected %s, but at %s %s", l->name,
                     stmt_line(step, i), name, where, why);
    }
    slow_play(l, step, en, out);
    return step->n_visible;
}

/* ---- Every layout -------------------------------------------------------------------- */

/* What statement i of a step did over the layouts. */
typedef struct verdict {
    int fails;
    char where[160]; /* the layouts where it failed (as many as fit) */
    char why[300];   /* why, at the first of them */
} verdict;

#define SIGHT_STMTS (GS_LESSON_MAX_VISIBLE + 2)

int lesson_sight_check(void *ud, const gs_lesson *l, findings *out) {
    const char *data_dir = ud;
    verdict *vd = calloc((size_t)l->n_steps * SIGHT_STMTS, sizeof *vd);
    train_memo *memo = calloc(1, sizeof *memo); /* each @train once, not once per layout */
    int layouts = 0, checked = 0;
    if (!vd || !memo) {
        free(vd);
        free(memo);
        findings_add(out, FIND_FAIL, 1, "%s:1: cannot check what is visible: out of memory", l->name);
        return -1;
    }
    for (int li = 0; li < 2 * SIGHT_N_SIZES; li++) {
        headless h;
        options o;
        char err[512], where[48];
        int w, hh, present = li >= SIGHT_N_SIZES;
        lesson_sight_size(li % SIGHT_N_SIZES, &w, &hh);
        options_default(&o);
        o.headless = 1;
        o.width = w;
        o.height = hh;
        o.lesson_path = l->name;
        o.present = present;
        if (headless_open(&h, &o, data_dir, err, sizeof err) != 0) {
            findings_add(out, FIND_FAIL, 1, "%s:1: cannot check what is visible: %s", l->name, err);
            free(vd);
            train_memo_free(memo);
            free(memo);
            return -1;
        }
        if (h.app.st.lesson) h.app.st.lesson->memo = memo;
        snprintf(where, sizeof where, "%dx%d%s", w, hh, present ? " presenter" : "");
        for (int k = 0; k < l->n_steps; k++) {
            const gs_lesson_step *step = &l->steps[k];
            sight_entry en;
            lesson_sight_settle(&h.app, k, &en);
            if (li == 0) slow_play(l, step, &en, out);
            for (int i = 0; i < step->n_visible + 2; i++) {
                verdict *v = &vd[(size_t)k * SIGHT_STMTS + i];
                char why[300];
                size_t used = strlen(v->where);
                if (sight_eval(&h.app, step, i, why, sizeof why)) continue;
                if (v->fails++ == 0) snprintf(v->why, sizeof v->why, "%s", why);
                if (used + strlen(where) + 8 < sizeof v->where)
                    snprintf(v->where + used, sizeof v->where - used, "%s%s", used ? ", " : "", where);
            }
        }
        headless_close(&h);
        layouts++;
    }
    train_memo_free(memo);
    free(memo);
    for (int k = 0; k < l->n_steps; k++) {
        const gs_lesson_step *step = &l->steps[k];
        for (int i = 0; i < step->n_visible + 2; i++) {
            const verdict *v = &vd[(size_t)k * SIGHT_STMTS + i];
            char name[160];
            stmt_name(step, i, name, sizeof name);
            if (i < step->n_visible) checked++;
            if (v->fails == layouts)
                findings_add(out, FIND_FAIL, stmt_line(step, i), "%s:%d: expected %s, but at every "
                             "size, normal and presenter, %s", l->name, stmt_line(step, i), name,
                             v->why);
            else if (v->fails)
                findings_add(out, FIND_FAIL, stmt_line(step, i), "%s:%d: expected %s, but at %s "
                             "(%d of %d layouts) %s", l->name, stmt_line(step, i), name, v->where,
                             v->fails, layouts, v->why);
            else if (i < step->n_visible)
                findings_add(out, FIND_OK, stmt_line(step, i), "%s:%d: visible at %d sizes, normal "
                             "and presenter: %s", l->name, stmt_line(step, i), SIGHT_N_SIZES, name);
        }
    }
    free(vd);
    return checked;
}
