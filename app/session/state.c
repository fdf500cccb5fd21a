/* state.c — the app's state and its own commands: a command changes the setup (the
 * scene is rebuilt at the next update), the cursor, the backward playhead or a view
 * option; the update's first part builds the pending setup and advances playback,
 * and state_sync_engine keeps the engine at the cursor.  The lesson player, training,
 * the pointer and the colour scales act on this state from their own files. */
#include "session/state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- Choices the setup rows step through ----------------------------------------- */

static const double speeds[STATE_SPEEDS] = { 0.5, 1, 2, 4, 8, 15, 30, 60 };
static const int lengths[] = { 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000 };
static const int hiddens[] = { 2, 4, 8, 16, 32, 64, 128, 256 };
static const double wscales[] = { 0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0 };
static const double fbiases[] = { -3, -2, -1, 0, 0.5, 1, 2, 3, 5 };
static const int truncs[] = { 0, 1, 2, 3, 5, 10, 20, 50, 100 };
#define COUNT(a) ((int)(sizeof(a) / sizeof *(a)))

double state_speed(int index) {
    if (index < 0) index = 0;
    if (index >= STATE_SPEEDS) index = STATE_SPEEDS - 1;
    return speeds[index];
}

static void toast(app_state *st, const char *msg) {
    snprintf(st->toast, sizeof st->toast, "%s", msg);
    st->toast_left = 4.0;
}

void state_toast(app_state *st, const char *msg) { toast(st, msg); }

/* ---- The scene -------------------------------------------------------------------- */

static void free_snapshots(app_state *st) {
    for (int i = 0; i < LAYOUT_MAX_PANES; i++) {
        free(st->jac_sigma[i]);
        free(st->shrink[i]);
        st->jac_sigma[i] = st->shrink[i] = NULL;
    }
}

/* Keep what the state reads from a full pass of the scene (forward over all T steps,
 * backward with Jacobians): the per-step numbers that do not depend on where the
 * loss is, the plots' ranges and the loss steps. */
void state_take_numbers(app_state *st) {
    const scene *sc = &st->sc;
    int i, t, T = sc->length;
    free_snapshots(st);
    for (i = 0; i < sc->n; i++) {
        st->jac_sigma[i] = malloc(sizeof(double) * (size_t)(T + 1));
        st->shrink[i] = malloc(sizeof(double) * (size_t)(T + 1));
        if (!st->jac_sigma[i] || !st->shrink[i]) continue;
        st->jac_sigma[i][0] = st->shrink[i][0] = (double)NAN;
        for (t = 1; t <= T; t++) {
            const gs_step_stats *ss = gs_seq_stats(sc->seqs[i], t);
            st->jac_sigma[i][t] = ss ? ss->jac_sigma : (double)NAN;
            st->shrink[i][t] = ss ? ss->shrink : (double)NAN;
        }
    }
    st->drift_max = st->loss_max = 0;
    st->drift_min = (double)INFINITY;
    st->n_loss_steps = st->first_loss_step = 0;
    for (t = 1; t <= T; t++) {
        /* which steps carry a loss: the task's mask (read, never written) */
        const unsigned char *mask = sc->n > 0 ? gs_seq_mask(sc->seqs[0]) : NULL;
        if (mask && mask[t - 1]) {
            st->n_loss_steps++;
            if (!st->first_loss_step) st->first_loss_step = t;
        }
        for (i = 0; i < sc->n; i++) {
            const gs_step_stats *ss = gs_seq_stats(sc->seqs[i], t);
            const gs_variant_info *vi = gs_variant_get(gs_model_config_of(sc->models[i])->variant);
            if (!ss) continue;
            for (int k = 0; k < vi->n_states; k++) {
                double v = ss->state_norm[k];
                if (isfinite(v) && v > st->drift_max) st->drift_max = v;
                if (isfinite(v) && v > 0 && v < st->drift_min) st->drift_min = v;
            }
            if (isfinite(ss->loss) && ss->loss > st->loss_max) st->loss_max = ss->loss;
        }
    }
    if (!isfinite(st->drift_min)) st->drift_min = 0;
}

/* Build a scene for setup; on success it replaces the current one. */
static int rebuild(app_state *st, const opt_setup *setup) {
    scene sc;
    char err[256];
    int T;
    const char *assets = st->assets_dir[0] ? st->assets_dir : NULL;
    if (scene_build(&sc, setup, assets, setup->weights[0] ? setup->weights : NULL, err,
                    sizeof err) != 0) {
        /* weights that no longer fit the changed setup: the seeded ones instead */
        opt_setup seeded = *setup;
        char msg[200];
        seeded.weights[0] = '\0';
        if (!setup->weights[0] || !st->have_scene ||
            scene_build(&sc, &seeded, assets, NULL, msg, sizeof msg) != 0) {
            snprintf(st->err, sizeof st->err, "%s", err);
            return 1;
        }
        snprintf(msg, sizeof msg, "seeded weights: %.170s", err);
        toast(st, msg);
    }
    st->weights_trained = 0;
    if (st->train.w) toast(st, "training stopped: the setup changed");
    if (train_ui_stop(&st->train)) { /* the worker shares the old scene's task */
        st->layout_dirty = 1;
        st->view_gen++;
    }
    if (st->have_scene) scene_free(&st->sc);
    st->edit.n = st->edit.reset = 0; /* edits of the old input */
    st->sc = sc;
    st->have_scene = 1;
    st->setup = sc.setup;
    if (st->setup.weights[0])
        snprintf(st->weights_last, sizeof st->weights_last, "%s", st->setup.weights);
    T = sc.length;
    state_take_numbers(st);
    st->engine_steps = T;
    if (st->cursor > T) st->cursor = T;
    if (st->selected >= sc.n) st->selected = sc.n - 1;
    if (st->unit >= setup->hidden) st->unit = setup->hidden - 1;
    st->back_active = 0;
    st->layout_dirty = 1;
    st->view_gen++;
    return 0;
}

/* A setup change is built at the next update, so the window can first draw a frame
 * saying it is computing (a big setup takes a while: Jacobians are O(n^3) a step). */
static void change_setup(app_state *st, const opt_setup *next, const char *what) {
    st->pending = *next;
    st->rebuild_pending = 1;
    snprintf(st->pending_what, sizeof st->pending_what, "%s", what);
}

void state_change_setup(app_state *st, const opt_setup *next, const char *what) {
    change_setup(st, next, what);
}

static void apply_pending(app_state *st) {
    char msg[200];
    if (!st->rebuild_pending) return;
    st->rebuild_pending = 0;
    if (rebuild(st, &st->pending) != 0) {
        snprintf(msg, sizeof msg, "cannot %.40s: %.150s", st->pending_what, st->err);
        toast(st, msg);
    }
    st->view_gen++;
}

/* The setup the next command starts from: a change not yet built counts. */
static const opt_setup *base_setup(const app_state *st) {
    return st->rebuild_pending ? &st->pending : &st->setup;
}

const opt_setup *state_base_setup(const app_state *st) { return base_setup(st); }


int state_init(app_state *st, const options *o, const char *assets_dir, char *err,
               size_t err_len) {
    opt_setup setup;
    memset(st, 0, sizeof *st);
    st->opts = *o;
    if (assets_dir) snprintf(st->assets_dir, sizeof st->assets_dir, "%s", assets_dir);
    setup = o->setup;
    if (o->load_weights && (size_t)snprintf(setup.weights, sizeof setup.weights, "%s",
                                            o->load_weights) >= sizeof setup.weights) {
        snprintf(err, err_len, "--load-weights: the path is too long");
        return 1;
    }
    if (setup.n_variants > LAYOUT_MAX_PANES) {
        setup.n_variants = LAYOUT_MAX_PANES;
        toast(st, "the window shows at most 8 panes: showing the first 8 variants");
        options_drop_unshown_clamps(&setup);
    }
    st->speed = 3;
    st->scale_shared = 1;
    st->palette = CM_PALETTE_A;
    st->theme = CM_THEME_DARK;
    st->pressed = -1;
    st->press_valve = -1;
    st->w = o->width > 0 ? o->width : 1600;
    st->h = o->height > 0 ? o->height : 1000;
    st->dpi = 1;
    st->fullscreen = o->fullscreen;
    if (rebuild(st, &setup) != 0) {
        snprintf(err, err_len, "%s", st->err);
        return 1;
    }
    st->cursor = o->at < 0 ? 0 : o->at > st->sc.length ? st->sc.length : o->at;
    st->layout_dirty = 1;
    return 0;
}

int state_rebuild(app_state *st, const opt_setup *setup) { return rebuild(st, setup); }

void state_free(app_state *st) {
    train_ui_stop(&st->train);
    if (st->have_scene) scene_free(&st->sc);
    free_snapshots(st);
    st->have_scene = 0;
}

/* ---- Reading ---------------------------------------------------------------------- */

int state_T(const app_state *st) { return st->have_scene ? st->sc.length : 0; }

const gs_seq *state_seq(const app_state *st, int pane) {
    return st->have_scene && pane >= 0 && pane < st->sc.n ? st->sc.seqs[pane] : NULL;
}

const gs_variant_info *state_variant(const app_state *st, int pane) {
    const gs_seq *s = state_seq(st, pane);
    return s ? gs_variant_get(gs_model_config_of(gs_seq_model(s))->variant) : NULL;
}

const cm_theme *state_theme(const app_state *st) { return cm_theme_get(st->theme); }

const gs_task *state_task(const app_state *st) { return st->have_scene ? st->sc.task : NULL; }

int state_back_step(const app_state *st) {
    return st->back_active ? st->back_pos : st->cursor;
}

int state_grad_shown(const app_state *st, int pane, int t) {
    const gs_seq *s = state_seq(st, pane);
    const gs_step_stats *ss;
    if (!s || t < 1 || t > st->cursor || st->engine_steps != st->cursor) return 0;
    /* no loss taken yet: nothing flows back (the engine's zeros would read as "0") */
    if (st->first_loss_step < 1 || st->first_loss_step > st->cursor) return 0;
    ss = gs_seq_stats(s, t);
    if (!ss || !ss->has_grad) return 0;
    return !st->back_active || t >= st->back_pos;
}

double state_shrink(const app_state *st, int pane, int t) {
    if (pane < 0 || pane >= LAYOUT_MAX_PANES || !st->shrink[pane] || t < 1 || t > state_T(st))
        return (double)NAN;
    return st->shrink[pane][t];
}

double state_jac_sigma(const app_state *st, int pane, int t) {
    if (pane < 0 || pane >= LAYOUT_MAX_PANES || !st->jac_sigma[pane] || t < 1 ||
        t > state_T(st))
        return (double)NAN;
    return st->jac_sigma[pane][t];
}

const char *state_shrink_name(const gs_variant_info *vi, char *buf, size_t len) {
    int g;
    if (vi)
        for (g = 0; g < vi->n_gates; g++)
            if (vi->gates[g].role == GS_ROLE_FORGET || vi->gates[g].role == GS_ROLE_UPDATE) {
                snprintf(buf, len, "mean %s", vi->gates[g].symbol);
                return buf;
            }
    /* the LSTM family without a forget gate: the engine's factor is cifg's 1 − i, or
       nfg's f, the constant 1 */
    if (vi && vi->n_states == 2 && vi->coupled) {
        for (g = 0; g < vi->n_gates; g++)
            if (vi->gates[g].role == GS_ROLE_WRITE) {
                snprintf(buf, len, "mean 1\xe2\x88\x92%s", vi->gates[g].symbol);
                return buf;
            }
    } else if (vi && vi->n_states == 2) {
        snprintf(buf, len, "mean f");
        return buf;
    }
    snprintf(buf, len, "\xcf\x83(J)");
    return buf;
}

int state_focus_step(const app_state *st) { return st->back_active ? st->back_pos : st->cursor; }

void state_focus(const app_state *st, int *pane, int *unit) {
    int p = st->selected, u = st->unit;
    if (st->hover.kind == HOV_CELL || st->hover.kind == HOV_DIAGRAM) {
        p = st->hover.pane;
        if (st->hover.kind == HOV_CELL) u = st->hover.unit;
    }
    if (p < 0) p = 0;
    if (st->have_scene && p >= st->sc.n) p = st->sc.n - 1;
    if (st->have_scene && u >= st->setup.hidden) u = st->setup.hidden - 1;
    if (u < 0) u = 0;
    *pane = p;
    *unit = u;
}

static int shown_index(const app_state *st, gs_variant v) {
    const opt_setup *s = base_setup(st);
    for (int i = 0; i < s->n_variants && i < LAYOUT_MAX_PANES; i++)
        if (s->variants[i] == v) return i;
    return -1;
}

int state_button_on(const app_state *st, cmd_id cmd, int arg) {
    switch (cmd) {
    case CMD_VARIANT: return shown_index(st, (gs_variant)arg) >= 0;
    case CMD_PLAY: return st->playing;
    case CMD_HELP: return st->show_help;
    case CMD_FULLSCREEN: return st->fullscreen;
    case CMD_TRAIN: return st->train.w && !st->train.paused && !st->train.done;
    case CMD_BACK_WALK: case CMD_BACK_UNWALK: return st->back_active;
    case CMD_RECORD: return st->share.recording;
    default: return 0;
    }
}

void state_row_value(const app_state *st, cmd_id cmd, char *buf, size_t len) {
    const opt_setup *s = base_setup(st);
    switch (cmd) {
    case CMD_SPEED: {
        double v = state_speed(st->speed);
        if (v < 1) snprintf(buf, len, "%.1f steps/s", v);
        else snprintf(buf, len, "%.0f steps/s", v);
        break;
    }
    case CMD_TASK: snprintf(buf, len, "%s", gs_task_info_get(s->task)->name); break;
    case CMD_LENGTH: snprintf(buf, len, "%d", st->rebuild_pending && s->length > 0 ? s->length : state_T(st)); break;
    case CMD_HIDDEN: snprintf(buf, len, "%d", s->hidden); break;
    case CMD_INIT:
        snprintf(buf, len, "%s", s->init == GS_INIT_XAVIER ? "xavier"
                                 : s->init == GS_INIT_ORTHOGONAL ? "orthogonal" : "uniform");
        break;
    case CMD_WSCALE: snprintf(buf, len, "\xc3\x97%.2f", s->weight_scale); break;
    case CMD_FBIAS:
        if (isnan(s->forget_bias)) snprintf(buf, len, "default");
        else snprintf(buf, len, "%+.1f", s->forget_bias);
        break;
    case CMD_TRUNC:
        if (s->truncate <= 0) snprintf(buf, len, "full");
        else snprintf(buf, len, "%d", s->truncate);
        break;
    case CMD_SCALE: snprintf(buf, len, "%s", st->scale_shared ? "shared" : "per pane"); break;
    case CMD_LOG: snprintf(buf, len, "%s", st->log_mag ? "log" : "linear"); break;
    case CMD_PALETTE: snprintf(buf, len, "%s", st->palette == CM_PALETTE_B ? "plasma" : "viridis"); break;
    case CMD_THEME:
        snprintf(buf, len, "%s", st->theme == CM_THEME_LIGHT ? "light"
                                 : st->theme == CM_THEME_CONTRAST ? "contrast" : "dark");
        break;
    case CMD_NEW_SEQ: snprintf(buf, len, "seed %llu", (unsigned long long)s->seed); break;
    case CMD_WEIGHTS: { /* the file's name: "lstm.json", a folder "run-3/" */
        const char *w = s->weights, *name = w;
        size_t n = strlen(w);
        while (n > 1 && w[n - 1] == '/') n--;
        for (size_t i = 0; i + 1 < n; i++)
            if (w[i] == '/') name = w + i + 1;
        if (st->weights_trained) snprintf(buf, len, "keep trained"); /* a click keeps them */
        else if (!w[0]) snprintf(buf, len, "seeded");
        else snprintf(buf, len, "%.*s%s", (int)(n - (size_t)(name - w)), name,
                      n < strlen(w) ? "/" : "");
        break;
    }
    default: buf[0] = '\0';
    }
}

/* ---- Commands --------------------------------------------------------------------- */

static int step_int(const int *v, int n, int cur, int dir) {
    int i;
    if (dir > 0) {
        for (i = 0; i < n; i++)
            if (v[i] > cur) return v[i];
        return v[n - 1];
    }
    for (i = n - 1; i >= 0; i--)
        if (v[i] < cur) return v[i];
    return v[0];
}

static double step_double(const double *v, int n, double cur, int dir) {
    int i;
    if (dir > 0) {
        for (i = 0; i < n; i++)
            if (v[i] > cur + 1e-9) return v[i];
        return v[n - 1];
    }
    for (i = n - 1; i >= 0; i--)
        if (v[i] < cur - 1e-9) return v[i];
    return v[0];
}

void state_set_cursor(app_state *st, int t) {
    int T = state_T(st);
    if (t < 0) t = 0;
    if (t > T) t = T;
    if (t != st->cursor) {
        st->cursor = t;
        if (st->back_active) st->back_pos = t; /* the walk restarts at the new loss */
        st->view_gen++;
    }
}

static void toggle_variant(app_state *st, int v) {
    opt_setup next = *base_setup(st);
    int at = shown_index(st, (gs_variant)v), i, k = 0;
    char msg[160];
    if (v < 0 || v >= GS_VARIANT_COUNT) return;
    if (next.n_variants > LAYOUT_MAX_PANES) next.n_variants = LAYOUT_MAX_PANES;
    if (at >= 0) {
        if (next.n_variants <= 1) {
            toast(st, "at least one pane stays");
            return;
        }
        for (i = 0; i < next.n_variants; i++)
            if (i != at) next.variants[k++] = next.variants[i];
        next.n_variants = k;
        options_drop_unshown_clamps(&next); /* a hidden variant's clamps go with it */
    } else {
        if (next.n_variants >= LAYOUT_MAX_PANES) {
            snprintf(msg, sizeof msg, "8 panes at most: hide one (1\xe2\x80\x93" "8, Shift+1\xe2\x80\x93" "8) to show %s",
                     gs_variant_get((gs_variant)v)->name);
            toast(st, msg);
            return;
        }
        /* keep the panes in the engine's variant order */
        for (i = next.n_variants; i > 0 && (int)next.variants[i - 1] > v; i--)
            next.variants[i] = next.variants[i - 1];
        next.variants[i] = (gs_variant)v;
        next.n_variants++;
    }
    change_setup(st, &next, "change the variants");
}

void state_command(app_state *st, cmd_id cmd, int arg) {
    opt_setup next = *base_setup(st);
    int T = state_T(st), dir = arg >= 0 ? 1 : -1;
    switch (cmd) {
    case CMD_STEP:
        if (st->cursor >= T) toast(st, "the end of the sequence: Home goes back to step 0");
        state_set_cursor(st, st->cursor + 1);
        break;
    case CMD_STEP_BACK: state_set_cursor(st, st->cursor - 1); break;
    case CMD_PLAY:
        st->back_playing = 0;
        st->playing = !st->playing;
        if (st->playing && st->cursor >= T) state_set_cursor(st, 0);
        st->play_acc = 0;
        break;
    case CMD_HOME: state_set_cursor(st, 0); break;
    case CMD_END: state_set_cursor(st, T); break;
    case CMD_SPEED:
        st->speed += dir;
        if (st->speed < 0) st->speed = 0;
        if (st->speed >= STATE_SPEEDS) st->speed = STATE_SPEEDS - 1;
        break;
    case CMD_BACK_WALK:
    case CMD_BACK_UNWALK:
    case CMD_BACK_ALL:
    case CMD_BACK_LOSS: {
        int lo = 1;
        const gs_seq *s = state_seq(st, 0);
        if (st->cursor < 1) {
            toast(st, "no forward step yet: step forward first, then walk the backward pass");
            break;
        }
        if (st->first_loss_step < 1 || st->first_loss_step > st->cursor) {
            char msg[160];
            snprintf(msg, sizeof msg, "no loss yet: the backward pass starts from the loss at step %d",
                     st->first_loss_step);
            toast(st, msg);
            break;
        }
        if (s && st->engine_steps == st->cursor) lo = gs_seq_summary_of(s).grad_lo;
        if (lo < 1) lo = 1;
        if (cmd == CMD_BACK_ALL) {
            st->back_active = 0;
        } else if (cmd == CMD_BACK_LOSS || (cmd == CMD_BACK_WALK && !st->back_active)) {
            st->back_active = 1;
            st->back_pos = st->cursor;
        } else if (cmd == CMD_BACK_WALK) {
            if (st->back_pos > lo) st->back_pos--;
            else toast(st, st->setup.truncate > 0 ? "the gradient was truncated here (k steps)"
                                                  : "the backward pass reached step 1");
        } else { /* toward the loss */
            if (!st->back_active) {
                st->back_active = 1;
                st->back_pos = lo;
            }
            if (st->back_pos < st->cursor) st->back_pos++;
        }
        st->playing = 0;
        st->back_playing = 0;
        st->view_gen++;
        break;
    }
    case CMD_VARIANT: toggle_variant(st, arg); break;
    case CMD_NEW_SEQ:
        next.seed = next.seed + 1;
        change_setup(st, &next, "draw a new sequence");
        break;
    case CMD_TASK: {
        int k = (int)next.task, tries;
        for (tries = 0; tries < GS_TASK_COUNT; tries++) {
            k = (k + dir + GS_TASK_COUNT) % GS_TASK_COUNT;
            if (k == GS_TASK_TYPED && !next.typed[0]) continue; /* needs --sequence TEXT */
            break;
        }
        next.task = (gs_task_kind)k;
        next.length = 0; /* the task's own default length */
        change_setup(st, &next, "change the task");
        break;
    }
    case CMD_LENGTH:
        next.length = step_int(lengths, COUNT(lengths), st->rebuild_pending && next.length > 0 ? next.length : T, dir);
        change_setup(st, &next, "change the length");
        break;
    case CMD_HIDDEN:
        next.hidden = step_int(hiddens, COUNT(hiddens), next.hidden, dir);
        change_setup(st, &next, "change the hidden size");
        break;
    case CMD_INIT:
        next.init = (gs_init)(((int)next.init + dir + 3) % 3);
        change_setup(st, &next, "change the initialisation");
        break;
    case CMD_WSCALE:
        next.weight_scale = step_double(wscales, COUNT(wscales), next.weight_scale, dir);
        change_setup(st, &next, "change the weight scale");
        break;
    case CMD_FBIAS:
        if (isnan(next.forget_bias)) next.forget_bias = dir > 0 ? 2.0 : 0.0;
        else next.forget_bias = step_double(fbiases, COUNT(fbiases), next.forget_bias, dir);
        change_setup(st, &next, "change the forget bias");
        break;
    case CMD_TRUNC:
        next.truncate = step_int(truncs, COUNT(truncs), next.truncate, dir);
        change_setup(st, &next, "change the truncation");
        break;
    case CMD_PANE:
        if (st->have_scene && st->sc.n > 0) st->selected = (st->selected + dir + st->sc.n) % st->sc.n;
        break;
    case CMD_UNIT: {
        int n = st->setup.hidden;
        st->unit = (st->unit + dir + n) % n;
        break;
    }
    case CMD_SCALE: st->scale_shared = !st->scale_shared; st->view_gen++; break;
    case CMD_LOG: st->log_mag = !st->log_mag; st->view_gen++; break;
    case CMD_PALETTE: st->palette = (cm_palette)((st->palette + 1) % CM_PALETTE_COUNT); st->view_gen++; break;
    case CMD_THEME: st->theme = (cm_theme_id)((st->theme + 1) % CM_THEME_COUNT); st->view_gen++; break;
    case CMD_FULLSCREEN: st->fullscreen = !st->fullscreen; break;
    case CMD_HELP: st->show_help = !st->show_help; break;
    case CMD_QUIT: st->quit = 1; break;
    /* not the state's: session_command gives them to the lesson player and training */
    case CMD_CLOSE:
    case CMD_LESSON_NEXT:
    case CMD_LESSON_PREV:
    case CMD_LESSONS:
    case CMD_PRESENT:
    case CMD_TRAIN:
    case CMD_TRAIN_RESET:
    case CMD_SNAPSHOT:
    case CMD_WEIGHTS:
    case CMD_KEEP_WEIGHTS:
    case CMD_SCREENSHOT:
    case CMD_RECORD:
    case CMD_SAVE_LESSON:
    case CMD_COPY_COMMAND:
    case CMD_TYPE:
    case CMD_INPUT_RESET:
    case CMD_CLAMP:
    case CMD_UNCLAMP:
    case CMD_NONE:
    case CMD_COUNT: break;
    }
}

void state_set_back_step(app_state *st, int t) {
    if (st->cursor < 1) return;
    st->back_active = 1;
    st->back_pos = t < 1 ? 1 : t > st->cursor ? st->cursor : t;
    st->back_playing = 0;
    st->view_gen++;
}

void state_select(app_state *st, gs_variant v, int u) {
    for (int i = 0; st->have_scene && i < st->sc.n; i++)
        if (gs_model_config_of(st->sc.models[i])->variant == v) st->selected = i;
    st->unit = u < 0 ? 0 : u >= st->setup.hidden ? st->setup.hidden - 1 : u;
}

void state_set_colours(app_state *st, const gs_lesson_colours *c) {
    if (c->scale) st->scale_shared = c->scale == 1;
    if (c->magnitude) st->log_mag = c->magnitude == 2;
    if (c->palette) st->palette = c->palette == 2 ? CM_PALETTE_B : CM_PALETTE_A;
    if (c->theme)
        st->theme = c->theme == 2 ? CM_THEME_LIGHT : c->theme == 3 ? CM_THEME_CONTRAST : CM_THEME_DARK;
    st->view_gen++;
}

/* ---- Update ----------------------------------------------------------------------- */

void state_sync_engine(app_state *st) {
    int i;
    if (!st->have_scene || st->engine_steps == st->cursor) return;
    for (i = 0; i < st->sc.n; i++) {
        gs_seq *s = st->sc.seqs[i];
        int have = gs_seq_summary_of(s).steps;
        gs_backward_opts bo;
        if (st->cursor < have) {
            gs_seq_rewind(s);
            have = 0;
        }
        if (st->cursor > have) gs_seq_forward(s, st->cursor - have);
        /* no loss taken yet: nothing to propagate (and nothing is shown) */
        if (st->cursor > 0 && st->first_loss_step >= 1 && st->first_loss_step <= st->cursor) {
            memset(&bo, 0, sizeof bo);
            bo.truncate = st->setup.truncate;
            /* the Jacobians are local to a step: kept from the build (rebuild()) */
            bo.jacobian = 0;
            gs_seq_backward(s, &bo, NULL);
        }
    }
    st->engine_steps = st->cursor;
    st->view_gen++;
}

void state_advance(app_state *st, double dt) {
    int T;
    apply_pending(st);
    T = state_T(st);
    st->clock += dt;
    if (st->toast_left > 0) st->toast_left -= dt;
    if (st->back_playing) { /* a lesson's @play with @backward on: walk back at the speed */
        const gs_seq *s = state_seq(st, 0);
        int lo = s ? gs_seq_summary_of(s).grad_lo : 1;
        if (lo < 1) lo = 1;
        st->play_acc += dt * state_speed(st->speed);
        while (st->play_acc >= 1.0 && st->back_playing) {
            st->play_acc -= 1.0;
            if (!st->back_active || st->back_pos <= lo) st->back_playing = 0;
            else st->back_pos--;
            st->view_gen++;
        }
    }
    if (st->playing) {
        st->play_acc += dt * state_speed(st->speed);
        while (st->play_acc >= 1.0 && st->playing) {
            st->play_acc -= 1.0;
            if (st->cursor >= T) st->playing = 0;
            else state_set_cursor(st, st->cursor + 1);
        }
        if (st->cursor >= T) st->playing = 0;
    }
}
