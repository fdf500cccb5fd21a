/* input_edit.c — the input as a person changes it.  Clicks and wheel notches on the
 * track are queued by the pointer and applied here at the update: every pane's
 * sequence goes through gs_seq_edit_input (the engine changes the input and relabels
 * the targets by the task's rule), then forward and backward over all T steps, as a
 * build does, and the state keeps its per-step numbers again.  Reset regenerates the
 * input from the seed.  The typed task's text field edits a draft; Enter makes it the
 * typed sequence and rebuilds the scene. */
#include "session/input_edit.h"

#include <stdio.h>
#include <string.h>


/* ---- Edits on the track ------------------------------------------------------------ */

void input_edit_queue(app_state *st, int t, gs_input_edit e) {
    input_edits *ed = &st->edit;
    if (!st->have_scene || t < 1 || t > st->sc.length || ed->n >= INPUT_EDIT_QUEUE) return;
    ed->step[ed->n] = t;
    ed->kind[ed->n] = e;
    ed->n++;
}

/* The scene's input changed: forward and backward over it all, as scene_build did. */
static void recompute(app_state *st) {
    scene_recompute(&st->sc);
    state_take_numbers(st);
    st->engine_steps = -1; /* the seqs hold all T steps: state_sync_engine rewinds */
    st->view_gen++;
}

void input_edit_update(app_state *st) {
    input_edits *ed = &st->edit;
    int i, p, changed = 0;
    char msg[200];
    if (!st->have_scene) {
        ed->n = ed->reset = 0;
        return;
    }
    if (ed->reset) {
        gs_error e;
        ed->reset = 0;
        for (p = 0; p < st->sc.n; p++)
            if (gs_seq_fill(st->sc.seqs[p], st->sc.task, st->sc.setup.seed, &e) != GS_OK) {
                snprintf(msg, sizeof msg, "cannot reset the input: %.170s", e.msg);
                state_toast(st, msg);
            }
        changed = 1;
        state_toast(st, "the input is the generated one again");
    }
    for (i = 0; i < ed->n; i++) {
        gs_error e;
        /* the first pane decides; the others get the same edit of the same input */
        if (gs_seq_edit_input(st->sc.seqs[0], st->sc.task, st->sc.setup.seed, ed->step[i],
                              ed->kind[i], &e) != GS_OK) {
            state_toast(st, e.msg);
            continue;
        }
        for (p = 1; p < st->sc.n; p++)
            gs_seq_edit_input(st->sc.seqs[p], st->sc.task, st->sc.setup.seed, ed->step[i], ed->kind[i], NULL);
        changed = 1;
        snprintf(msg, sizeof msg, "step %d changed: every pane recomputed (X resets the input)", ed->step[i]);
        state_toast(st, msg);
    }
    ed->n = 0;
    if (changed) recompute(st);
}

int input_edited(const app_state *st, int t) {
    int m = 0;
    const gs_real *x = gs_seq_input_at(state_seq(st, 0), t, 0, &m);
    if (!x || !st->sc.gen_x || t > st->sc.length) return 0;
    return memcmp(x, st->sc.gen_x + (size_t)(t - 1) * (size_t)m, sizeof *x * (size_t)m) != 0;
}

/* ---- The typed task's text field -------------------------------------------------- */

static void field_open(app_state *st) {
    input_edits *ed = &st->edit;
    const opt_setup *s = state_base_setup(st);
    snprintf(ed->draft, sizeof ed->draft, "%s", s->task == GS_TASK_TYPED ? s->typed : "");
    ed->caret = (int)strlen(ed->draft);
    ed->field = 1;
    st->playing = 0;
    st->view_gen++;
}

static void field_apply(app_state *st) {
    input_edits *ed = &st->edit;
    opt_setup next = *state_base_setup(st);
    gs_error e;
    if (gs_task_check_text(ed->draft, strlen(ed->draft), 0, &e) != GS_OK) {
        state_toast(st, e.msg);
        return;
    }
    snprintf(next.typed, sizeof next.typed, "%s", ed->draft);
    next.task = GS_TASK_TYPED;
    next.length = 0; /* the whole text */
    state_change_setup(st, &next, "use the typed sequence");
    ed->field = 0;
    st->view_gen++;
}

/* Bytes of the UTF-8 character before / at byte offset i of s. */
static int char_before(const char *s, int i) {
    int k = i;
    while (k > 0 && ((unsigned char)s[--k] & 0xc0) == 0x80) {}
    return i - k;
}

static int char_at(const char *s, int i) {
    int k = i;
    if (!s[k]) return 0;
    k++;
    while (s[k] && ((unsigned char)s[k] & 0xc0) == 0x80) k++;
    return k - i;
}

/* Insert text at the caret if the draft still reads as itself; otherwise say why. */
static void field_insert(app_state *st, const char *text) {
    input_edits *ed = &st->edit;
    char next[INPUT_TEXT_MAX];
    size_t len = strlen(ed->draft), add = strlen(text);
    gs_error e;
    if (len + add >= sizeof next) {
        snprintf(next, sizeof next, "the typed sequence holds at most %d bytes", INPUT_TEXT_MAX - 1);
        state_toast(st, next);
        return;
    }
    memcpy(next, ed->draft, (size_t)ed->caret);
    memcpy(next + ed->caret, text, add);
    memcpy(next + ed->caret + add, ed->draft + ed->caret, len - (size_t)ed->caret + 1);
    if (gs_task_check_text(next, len + add, 0, &e) != GS_OK) {
        state_toast(st, e.msg);
        return;
    }
    memcpy(ed->draft, next, len + add + 1);
    ed->caret += (int)add;
}

int input_edit_field_input(app_state *st, const app_input *in) {
    input_edits *ed = &st->edit;
    int len;
    if (!ed->field || (in->kind != IN_TEXT && in->kind != IN_KEY)) return 0;
    st->view_gen++;
    if (in->kind == IN_TEXT) {
        field_insert(st, in->text);
        return 1;
    }
    len = (int)strlen(ed->draft);
    switch (in->key) {
    case KEY_RETURN: field_apply(st); break;
    case KEY_ESCAPE: ed->field = 0; break;
    case KEY_BACKSPACE: {
        int k = char_before(ed->draft, ed->caret);
        memmove(ed->draft + ed->caret - k, ed->draft + ed->caret, (size_t)(len - ed->caret + 1));
        ed->caret -= k;
        break;
    }
    case KEY_DELETE: {
        int k = char_at(ed->draft, ed->caret);
        memmove(ed->draft + ed->caret, ed->draft + ed->caret + k, (size_t)(len - ed->caret - k + 1));
        break;
    }
    case KEY_LEFT: ed->caret -= char_before(ed->draft, ed->caret); break;
    case KEY_RIGHT: ed->caret += char_at(ed->draft, ed->caret); break;
    case KEY_HOME: ed->caret = 0; break;
    case KEY_END: ed->caret = len; break;
    default: break;
    }
    return 1;
}

/* ---- Commands ---------------------------------------------------------------------- */

void input_edit_command(app_state *st, int cmd, int arg) {
    (void)arg;
    if (cmd == CMD_TYPE) {
        if (!st->edit.field) field_open(st); /* open already: keep the draft */
    } else if (cmd == CMD_INPUT_RESET) {
        int t, any = 0;
        for (t = 1; t <= state_T(st) && !any; t++) any = input_edited(st, t);
        if (any) st->edit.reset = 1;
        else state_toast(st, "the input is the generated one: click a step of the track to change it");
    }
}
