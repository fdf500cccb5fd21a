/* lesson_player.c — walk a lesson's steps in the window: apply each step's scene
 * (and play it out, for checks and handouts), list the shipped lessons, presenter
 * mode.  The handout's Markdown is lesson_handout.c's. */
#include "session/lesson_player.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "session/scene.h"
#include "session/train_session.h"

static lesson_player *player(app_state *st) {
    if (!st->lesson) {
        st->lesson = calloc(1, sizeof *st->lesson);
        if (st->lesson) st->lesson->theme_before = st->theme;
    }
    return st->lesson;
}

const gs_lesson *lesson_current(const app_state *st) { return st->lesson ? st->lesson->l : NULL; }

int lesson_step_index(const app_state *st) {
    return st->lesson && st->lesson->l ? st->lesson->step : -1;
}

static void say(app_state *st, const char *msg) {
    snprintf(st->toast, sizeof st->toast, "%.199s", msg);
    st->toast_left = 4.0;
}

int lesson_open(app_state *st, const char *path, char *err, size_t err_len) {
    gs_lesson *l = NULL;
    gs_error e;
    lesson_player *lp;
    if (gs_lesson_load(&l, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    if (!(lp = player(st))) {
        gs_lesson_destroy(l);
        snprintf(err, err_len, "out of memory");
        return 1;
    }
    gs_lesson_destroy(lp->l);
    lp->l = l;
    lp->step = 0;
    lp->have_applied = 0;
    st->show_lessons = 0;
    st->layout_dirty = 1;
    lesson_enter(st, 0);
    return 0;
}

void lesson_close(app_state *st) {
    if (!st->lesson || !st->lesson->l) return;
    gs_lesson_destroy(st->lesson->l);
    st->lesson->l = NULL;
    st->lesson->have_applied = 0;
    if (st->present) lesson_set_present(st, 0);
    st->layout_dirty = 1;
    st->view_gen++;
}

void lesson_free(app_state *st) {
    if (!st->lesson) return;
    gs_lesson_destroy(st->lesson->l);
    free(st->lesson);
    st->lesson = NULL;
}

/* The step's setup as the app's (at most 8 panes, and the clamps of the panes shown);
 * 0, or 1 with a message in err. */
static int step_setup(const gs_lesson *l, const gs_lesson_step *step, opt_setup *want, char *err,
                      size_t err_len) {
    int rc = lesson_setup_to_options(&step->setup, l->name, want, err, err_len);
    if (want->n_variants > LAYOUT_MAX_PANES) want->n_variants = LAYOUT_MAX_PANES;
    options_drop_unshown_clamps(want);
    return rc;
}

/* 1 if the app setups a and b differ at most in their clamps. */
static int app_same_but_clamps(const opt_setup *a, const opt_setup *b) {
    opt_setup x = *a, y = *b;
    x.n_clamps = y.n_clamps = 0;
    memset(x.clamps, 0, sizeof x.clamps);
    memset(y.clamps, 0, sizeof y.clamps);
    return memcmp(&x, &y, sizeof x) == 0;
}

/* Entering a step is a command (event phase); the scene is built in the update phase
 * (lesson_update), like every setup change, so the window can say "computing" first. */
void lesson_enter(app_state *st, int k) {
    lesson_player *lp = st->lesson;
    if (!lp || !lp->l) return;
    if (k < 0) k = 0;
    if (k >= lp->l->n_steps) k = lp->l->n_steps - 1;
    lp->step = k;
    lp->entering = 1;
    lp->reclamp = 0;
    /* a trained scene that only needs other clamps keeps its training */
    if (lp->have_applied && !st->rebuild_pending && lp->l->steps[k].setup.train > 0 &&
        lesson_setup_same_but_clamps(&lp->applied, &lp->l->steps[k].setup) &&
        app_same_but_clamps(&lp->built, &st->setup) &&
        (!gs_lesson_setup_equal(&lp->applied, &lp->l->steps[k].setup) ||
         memcmp(&lp->built, &st->setup, sizeof st->setup) != 0)) {
        lp->reclamp = 1;
    } else if (!lp->have_applied || !gs_lesson_setup_equal(&lp->applied, &lp->l->steps[k].setup) ||
        memcmp(&lp->built, &st->setup, sizeof st->setup) != 0 || st->rebuild_pending) {
        /* rebuild only when the lesson's setup changed, or the class changed it by hand */
        char err[256];
        step_setup(lp->l, &lp->l->steps[k], &st->pending, err, sizeof err);
        st->rebuild_pending = 1;
        snprintf(st->pending_what, sizeof st->pending_what, "set up step %d", k + 1);
        lp->build = 1;
    }
    st->show_help = 0;
    lp->tall = 0; /* the app measures this step's text and asks again if it needs room */
    st->layout_dirty = 1;
    st->view_gen++;
}

void lesson_update(app_state *st) {
    lesson_player *lp = st->lesson;
    const gs_lesson_step *step;
    opt_setup want;
    int T, t;
    if (!lp || !lp->entering) return;
    lp->entering = 0;
    if (!lp->l) return;
    step = &lp->l->steps[lp->step];
    if (lp->build || lp->reclamp) {
        char msg[200], err[256];
        int ok = step_setup(lp->l, step, &want, err, sizeof err) == 0;
        st->rebuild_pending = 0;
        if (ok && lp->build) {
            if (step->setup.train > 0) want.n_clamps = 0; /* trained free, clamped after */
            ok = state_rebuild(st, &want) == 0;
            if (!ok) snprintf(err, sizeof err, "%s", st->err);
        }
        /* @train, then the clamps, as --check does (train_session.c) */
        if (ok && (step->setup.train > 0 || lp->reclamp)) {
            ok = (lp->reclamp
                      ? train_session_lesson_clamps(&st->sc, &step->setup, err, sizeof err)
                      : train_session_lesson_memo(&st->sc, &step->setup, lp->memo, err,
                                                  sizeof err)) == 0;
            st->setup.n_clamps = st->sc.setup.n_clamps;
            memcpy(st->setup.clamps, st->sc.setup.clamps, sizeof st->setup.clamps);
            state_take_numbers(st);
            st->engine_steps = -1;
        }
        lp->build = lp->reclamp = 0;
        if (!ok) {
            snprintf(msg, sizeof msg, "this step's scene cannot be built: %.150s", err);
            say(st, msg);
            lp->have_applied = 0;
        } else {
            lp->applied = step->setup;
            lp->built = st->setup;
            lp->have_applied = 1;
            if (step->setup.n_variants > LAYOUT_MAX_PANES) { /* step_setup kept the first */
                snprintf(msg, sizeof msg, "this step names %d variants: the window shows the "
                         "first %d", step->setup.n_variants, LAYOUT_MAX_PANES);
                say(st, msg);
            }
        }
    }
    T = state_T(st);
    t = step->cursor == GS_LESSON_CURSOR_END ? T : step->cursor;
    if (t < 0) t = 0;
    if (t > T) t = T;
    st->cursor = t;
    if (step->play && step->play_speed > 0) { /* @play N: the window's speed nearest N */
        int best = 0;
        for (int i = 1; i < STATE_SPEEDS; i++)
            if (fabs(state_speed(i) - step->play_speed) < fabs(state_speed(best) - step->play_speed))
                best = i;
        if (!lp->speed_set) lp->speed_before = st->speed;
        lp->speed_set = 1;
        st->speed = best;
    } else if (lp->speed_set) { /* the class's own speed again */
        st->speed = lp->speed_before;
        lp->speed_set = 0;
    }
    st->playing = step->play && t < T;
    st->play_acc = 0;
    st->back_active = 0;
    st->back_playing = 0;
    if (step->setup.backward && t >= 1 && st->first_loss_step >= 1 && st->first_loss_step <= t) {
        st->back_active = 1; /* the walk starts at the loss; the class walks it back */
        st->back_pos = t;
        st->back_playing = step->play && !st->playing; /* or, with @play, it walks itself */
        if (step->back_step > 0) state_set_back_step(st, step->back_step); /* @backward STEP */
    }
    if (step->select) state_select(st, step->select_variant, step->select_unit);
    {
        gs_lesson_colours c = step->colours;
        if (st->present) { /* presenter mode keeps its theme; the step's comes back after */
            if (c.theme) lp->theme_before = c.theme == 2 ? CM_THEME_LIGHT
                                           : c.theme == 3 ? CM_THEME_CONTRAST : CM_THEME_DARK;
            c.theme = 0;
        }
        state_set_colours(st, &c);
    }
    st->layout_dirty = 1;
    st->view_gen++;
}

double lesson_play_out(app_state *st) {
    double v = state_speed(st->speed), secs = 0;
    long guard = 0;
    /* one step per call, as the window would see it at this speed (T <= 100000) */
    while ((st->playing || st->back_playing) && guard++ < 400000) {
        state_advance(st, 1.0 / v);
        secs += 1.0 / v;
    }
    return secs;
}

void lesson_set_present(app_state *st, int on) {
    lesson_player *lp = player(st);
    if (!lp || on == st->present) return;
    if (on) {
        lp->theme_before = st->theme;
        st->theme = CM_THEME_CONTRAST;
    } else {
        st->theme = lp->theme_before;
    }
    st->present = on;
    st->layout_dirty = 1;
    st->view_gen++;
}

static int by_path(const void *a, const void *b) {
    return strcmp(((const lesson_entry *)a)->path, ((const lesson_entry *)b)->path);
}

int lesson_list_read(app_state *st) {
    lesson_player *lp = player(st);
    char dir[4200];
    size_t n;
    DIR *d;
    struct dirent *de;
    struct stat sb;
    if (!lp) return 0;
    if (lp->listed) return lp->n_list;
    lp->listed = 1;
    lp->n_list = 0;
    /* assets_dir is <data dir>/assets: the lessons sit beside it */
    snprintf(dir, sizeof dir, "%s", st->assets_dir);
    n = strlen(dir);
    if (n >= 7 && !strcmp(dir + n - 7, "/assets")) dir[n - 7] = '\0';
    else snprintf(dir, sizeof dir, ".");
    strncat(dir, "/lessons", sizeof dir - strlen(dir) - 1);
    if (!(d = opendir(dir))) return 0;
    while ((de = readdir(d)) && lp->n_list < LESSON_LIST_MAX) {
        size_t l = strlen(de->d_name);
        lesson_entry *e = &lp->list[lp->n_list];
        if (l < 8 || strcmp(de->d_name + l - 7, ".lesson") || de->d_name[0] == '.') continue;
        if ((size_t)snprintf(e->path, sizeof e->path, "%s/%s", dir, de->d_name) >= sizeof e->path)
            continue;
        if (stat(e->path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue; /* a FIFO would block */
        snprintf(e->title, sizeof e->title, "%.*s", (int)(l - 7), de->d_name);
        lp->n_list++;
    }
    closedir(d);
    qsort(lp->list, (size_t)lp->n_list, sizeof *lp->list, by_path);
    for (int i = 0; i < lp->n_list; i++) { /* the titles: parse each (small files) */
        gs_lesson *l = NULL;
        gs_error e;
        if (gs_lesson_load(&l, lp->list[i].path, NULL, &e) == GS_OK && l->title && *l->title)
            snprintf(lp->list[i].title, sizeof lp->list[i].title, "%s", l->title);
        gs_lesson_destroy(l);
    }
    return lp->n_list;
}

void lesson_command(app_state *st, cmd_id cmd, int arg) {
    lesson_player *lp = st->lesson;
    int has = lp && lp->l;
    switch (cmd) {
    case CMD_LESSON_NEXT:
    case CMD_LESSON_PREV: {
        int dir = cmd == CMD_LESSON_NEXT ? 1 : -1;
        (void)arg;
        if (st->show_lessons) { /* in the list: move the highlight */
            int n = lesson_list_read(st);
            if (n > 0) st->lesson_pick = (st->lesson_pick + dir + n) % n;
            break;
        }
        if (!has) {
            say(st, "no lesson open: F2 lists the lessons");
            break;
        }
        if (lp->step + dir < 0) say(st, "this is the first step");
        else if (lp->step + dir >= lp->l->n_steps) say(st, "the end of the lesson: Esc leaves it");
        else lesson_enter(st, lp->step + dir);
        break;
    }
    case CMD_LESSONS:
        if (arg == 1) { /* Enter: open the highlighted lesson of the list */
            if (st->show_lessons) lesson_pick_open(st, st->lesson_pick);
            break;
        }
        st->show_lessons = !st->show_lessons;
        st->show_help = 0;
        if (st->show_lessons) {
            lesson_list_read(st);
            if (!st->lesson || st->lesson->n_list == 0) {
                say(st, "no lessons found beside the assets (lessons/*.lesson)");
                st->show_lessons = 0;
            }
        }
        st->view_gen++;
        break;
    case CMD_PRESENT: lesson_set_present(st, !st->present); break;
    case CMD_CLOSE: /* Esc: the list, then the lesson (and presenter mode with it) */
        if (st->show_lessons) st->show_lessons = 0;
        else if (has) lesson_close(st);
        else if (st->present) lesson_set_present(st, 0);
        st->view_gen++;
        break;
    default: break;
    }
}

void lesson_pick_open(app_state *st, int row) {
    char err[512];
    if (!st->lesson || row < 0 || row >= st->lesson->n_list) return;
    if (lesson_open(st, st->lesson->list[row].path, err, sizeof err) != 0) say(st, err);
    st->show_lessons = 0;
}

int lesson_list_row(const app_state *st, int x, int y) {
    lesson_list_box g;
    if (!st->show_lessons) return -1;
    g = layout_lesson_list(&st->L, st->lesson ? st->lesson->n_list : 0);
    return layout_lesson_list_row(&g, x, y);
}

int lesson_needs_view(const app_state *st, gs_lesson_view v) {
    const gs_lesson_step *step;
    if (!st->lesson || !st->lesson->l) return 0;
    step = &st->lesson->l->steps[st->lesson->step];
    for (int i = 0; i < step->n_visible; i++)
        if (step->visible[i].what == GS_SIGHT_VIEW && step->visible[i].view == v) return 1;
    return 0;
}

/* ---- The spotlight ------------------------------------------------------------------ */

int lesson_spotlight(const app_state *st, box *out, int max) {
    const gs_lesson_step *step;
    int k = 0, p, s;
    if (!st->lesson || !st->lesson->l) return 0;
    step = &st->lesson->l->steps[st->lesson->step];
    switch (step->view) {
    case GS_LESSON_VIEW_CELL:
        for (p = 0; p < st->L.n_panes && k < max; p++) out[k++] = st->L.pane[p].diagram;
        break;
    case GS_LESSON_VIEW_GATES:
        for (p = 0; p < st->L.n_panes && k < max; p++) out[k++] = st->L.pane[p].heat;
        break;
    case GS_LESSON_VIEW_DRIFT: if (k < max) out[k++] = st->L.plot_drift; break;
    case GS_LESSON_VIEW_GRADIENT: if (k < max) out[k++] = st->L.plot_grad; break;
    case GS_LESSON_VIEW_LOSS: if (k < max) out[k++] = st->L.plot_loss; break;
    case GS_LESSON_VIEW_EQUATIONS: if (k < max) out[k++] = st->L.equations; break;
    case GS_LESSON_VIEW_TRACK:
        for (p = 0; p < st->L.n_panes && k < max; p++) out[k++] = st->L.pane[p].track;
        break;
    default: break;
    }
    if (k > 0 && out[k - 1].w <= 0) k--; /* a view not on screen (e.g. training) */
    if (step->highlight == GS_LESSON_HL_NONE) return k;
    for (p = 0; p < st->L.n_panes; p++) {
        const pane_box *P = &st->L.pane[p];
        for (s = 0; s < P->n_strips && k < max; s++) {
            const strip_def *d = &st->L.strips[p][s];
            int hit = 0;
            switch (step->highlight) {
            case GS_LESSON_HL_GATE: hit = d->q == GS_Q_GATE && !strcmp(d->label, step->highlight_gate); break;
            case GS_LESSON_HL_STATE: hit = d->q == GS_Q_STATE; break;
            case GS_LESSON_HL_CANDIDATE: hit = d->q == GS_Q_CAND; break;
            case GS_LESSON_HL_GRADIENT: hit = d->q == GS_Q_D_STATE; break;
            default: break;
            }
            if (hit) {
                box b = P->strip[s];
                b.x = P->label[s].x;
                b.w = P->strip[s].x + P->strip[s].w - b.x;
                out[k++] = b;
            }
        }
    }
    return k;
}
