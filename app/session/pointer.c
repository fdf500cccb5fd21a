/* pointer.c — pressing, dragging and releasing the pointer, and what it is over.
 * Buttons, rows, strips and time axes are boxes of the layout; the lesson list and
 * the snapshot scrubber ask their owners (lesson_player.c, train_window.c), which ask
 * the layout; the diagram's parts and the plots go through st->hits. */
#include "session/pointer.h"

#include <string.h>

#include "session/input_edit.h"
#include "session/lesson_player.h"
#include "session/train_window.h"

/* The views' hit tests (session/hit.h), or nothing when none were given. */
static int plot_at(const app_state *st, int which, box b, int x, int y, int *step, int *pane) {
    return st->hits && st->hits->plot_at(st, which, b, x, y, step, pane);
}

static int cell_part_at(const app_state *st, int pane, box b, int x, int y) {
    return st->hits ? st->hits->cell_part_at(st, pane, b, x, y) : PART_NONE;
}

/* The pane, row (TRACK_IN ...) and step of the sequence track under (x, y); 0 if none. */
static int track_at(const app_state *st, int x, int y, int *pane, int *row, int *step) {
    int T = state_T(st), unit;
    for (int p = 0; p < st->L.n_panes; p++)
        for (int r = 0; r < TRACK_ROWS; r++)
            if (layout_cell_at(st->L.pane[p].track_row[r], 1, T, x, y, &unit, step)) {
                *pane = p;
                *row = r;
                return 1;
            }
    return 0;
}

/* The step under x on pane p's time axis (for scrubbing); -1 if none. */
static int axis_step(const app_state *st, int x, int y) {
    for (int p = 0; p < st->L.n_panes; p++) {
        box a = st->L.pane[p].axis;
        if (box_contains(a, x, y) && a.w > 0) {
            int T = state_T(st);
            long t = ((long)(x - a.x) * T + a.w / 2) / a.w;
            return (int)(t < 0 ? 0 : t > T ? T : t);
        }
    }
    return -1;
}

static void pointer_down(app_state *st, int x, int y, int mods) {
    const button_box *b;
    int p, s, unit, step, part, inv;
    st->mouse_down = 1;
    st->press_valve = -1;
    if (st->show_help) { /* a click anywhere closes the overlay */
        st->show_help = 0;
        return;
    }
    if (st->show_lessons) { /* the list of lessons: a row opens it, elsewhere closes */
        int row = lesson_list_row(st, x, y);
        if (row >= 0) lesson_pick_open(st, row);
        else st->show_lessons = 0;
        st->view_gen++;
        return;
    }
    b = layout_button_at(&st->L, x, y);
    if (b) {
        st->pressed = (int)(b - st->L.button);
        return;
    }
    if (train_pointer(st, IN_POINTER_DOWN, x, y)) return; /* the snapshot scrubber */
    if ((step = axis_step(st, x, y)) >= 0) {
        st->scrubbing = 1;
        state_set_cursor(st, step);
        return;
    }
    {
        int row;
        if (track_at(st, x, y, &p, &row, &step)) {
            st->selected = p;
            if (row != TRACK_IN) return;
            /* the typed task: the text field; otherwise change this step's input */
            if (st->setup.task == GS_TASK_TYPED) input_edit_command(st, CMD_TYPE, 0);
            else input_edit_queue(st, step, GS_EDIT_CLICK);
            return;
        }
    }
    for (p = 0; p < st->L.n_panes; p++) {
        const pane_box *P = &st->L.pane[p];
        if (!box_contains(P->all, x, y)) continue;
        st->selected = p;
        for (s = 0; s < P->n_strips; s++)
            if (layout_cell_at(P->strip[s], st->setup.hidden, state_T(st), x, y, &unit, &step))
                st->unit = unit;
        /* a valve: released on it, the click clamps its gate (CMD_CLAMP) */
        if (box_contains(P->diagram, x, y) && (part = cell_part_at(st, p, P->diagram, x, y)) != PART_NONE &&
            part_gate(part, &inv) >= 0)
            st->press_valve = p * CLAMP_ARG_PANE + part * 2 + ((mods & MOD_SHIFT) ? 1 : 0);
        return;
    }
    for (int k = 0; k < PLOT_COUNT; k++) {
        box pb = k == PLOT_DRIFT ? st->L.plot_drift : k == PLOT_GRAD ? st->L.plot_grad : st->L.plot_loss;
        int pane;
        if (plot_at(st, k, pb, x, y, &step, &pane)) {
            st->scrubbing = 2 + k;
            state_set_cursor(st, step);
            return;
        }
    }
}

/* A release on the button (or the valve) pressed: 1, with its command in *cmd, *arg. */
static int pointer_up(app_state *st, int x, int y, cmd_id *cmd, int *arg) {
    int clicked = 0, valve = st->press_valve;
    st->mouse_down = 0;
    st->press_valve = -1;
    if (valve >= 0) {
        int p = valve / CLAMP_ARG_PANE;
        if (p < st->L.n_panes && box_contains(st->L.pane[p].diagram, x, y) &&
            cell_part_at(st, p, st->L.pane[p].diagram, x, y) == (valve % CLAMP_ARG_PANE) / 2) {
            *cmd = CMD_CLAMP;
            *arg = valve;
            return 1;
        }
        return 0;
    }
    train_pointer(st, IN_POINTER_UP, x, y);
    st->scrubbing = 0;
    if (st->pressed >= 0 && st->pressed < st->L.n_buttons) {
        const button_box *b = &st->L.button[st->pressed];
        st->pressed = -1;
        if (box_contains(b->b, x, y)) {
            *cmd = b->cmd;
            *arg = b->arg;
            clicked = 1;
        }
    }
    st->pressed = -1;
    return clicked;
}

int pointer_input(app_state *st, const app_input *in, cmd_id *cmd, int *arg) {
    switch (in->kind) {
    case IN_POINTER_MOVE:
        st->mouse_x = in->x;
        st->mouse_y = in->y;
        st->mouse_in = 1;
        if (st->train.dragging) {
            train_pointer(st, IN_POINTER_MOVE, in->x, in->y);
        } else if (st->scrubbing == 1) {
            int t = axis_step(st, in->x, st->L.pane[0].axis.y + 1);
            if (t < 0) { /* left the axis sideways: clamp */
                box a = st->L.pane[0].axis;
                for (int p = 0; p < st->L.n_panes; p++)
                    if (in->x >= st->L.pane[p].axis.x &&
                        in->x < st->L.pane[p].axis.x + st->L.pane[p].all.w)
                        a = st->L.pane[p].axis;
                t = in->x < a.x ? 0 : state_T(st);
            }
            state_set_cursor(st, t);
        } else if (st->scrubbing >= 2) {
            int k = st->scrubbing - 2, step, pane;
            box pb = k == PLOT_DRIFT ? st->L.plot_drift : k == PLOT_GRAD ? st->L.plot_grad : st->L.plot_loss;
            if (plot_at(st, k, pb, in->x, pb.y + pb.h / 2, &step, &pane)) state_set_cursor(st, step);
        }
        break;
    case IN_POINTER_DOWN:
        st->mouse_x = in->x;
        st->mouse_y = in->y;
        if (in->button == 1) pointer_down(st, in->x, in->y, in->mods);
        break;
    case IN_POINTER_UP:
        if (in->button == 1) return pointer_up(st, in->x, in->y, cmd, arg);
        break;
    case IN_POINTER_LEAVE:
        st->mouse_in = 0;
        break;
    default: break;
    }
    return 0;
}

void pointer_wheel(app_state *st, const app_input *in) {
    int p, row, step;
    if (in->dy == 0 || !track_at(st, st->mouse_x, st->mouse_y, &p, &row, &step) || row != TRACK_IN) return;
    input_edit_queue(st, step, in->dy > 0 ? GS_EDIT_UP : GS_EDIT_DOWN);
}

void pointer_hover(app_state *st) {
    hover_info h;
    int x = st->mouse_x, y = st->mouse_y, p, s;
    const button_box *b;
    memset(&h, 0, sizeof h);
    h.kind = HOV_NONE;
    if (!st->mouse_in || st->show_help) {
        st->hover = h;
        return;
    }
    if ((b = layout_button_at(&st->L, x, y))) {
        h.kind = HOV_BUTTON;
        h.cmd = b->cmd;
        h.arg = b->arg;
        st->hover = h;
        return;
    }
    for (s = 0; s < st->L.n_rows; s++)
        if (box_contains(st->L.row[s].label, x, y)) {
            h.kind = HOV_ROW;
            h.cmd = st->L.row[s].cmd;
            st->hover = h;
            return;
        }
    for (p = 0; p < st->L.n_panes; p++) {
        const pane_box *P = &st->L.pane[p];
        int part;
        if (!box_contains(P->all, x, y)) continue;
        h.pane = p;
        {
            int tp, row;
            if (track_at(st, x, y, &tp, &row, &h.step)) {
                h.kind = HOV_TRACK;
                h.strip = row;
                st->hover = h;
                return;
            }
        }
        for (s = 0; s < P->n_strips; s++)
            if (layout_cell_at(P->strip[s], st->setup.hidden, state_T(st), x, y, &h.unit, &h.step)) {
                h.kind = HOV_CELL;
                h.strip = s;
                st->hover = h;
                return;
            }
        if (box_contains(P->diagram, x, y) &&
            (part = cell_part_at(st, p, P->diagram, x, y)) != PART_NONE) {
            h.kind = HOV_DIAGRAM;
            h.part = part;
            h.unit = st->unit;
            h.step = st->cursor;
            st->hover = h;
            return;
        }
        if (box_contains(P->header, x, y)) h.kind = HOV_HEADER;
        st->hover = h;
        return;
    }
    for (int k = 0; k < PLOT_COUNT; k++) {
        box pb = k == PLOT_DRIFT ? st->L.plot_drift : k == PLOT_GRAD ? st->L.plot_grad : st->L.plot_loss;
        if (plot_at(st, k, pb, x, y, &h.step, &h.pane)) {
            h.kind = HOV_PLOT;
            h.plot = k;
            break;
        }
    }
    st->hover = h;
}
