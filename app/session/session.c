/* session.c — the session around the state: inputs and commands sent to their owners,
 * and the update's order (lesson, clock and playback, training, engine, colour
 * scales, layout, hover). */
#include "session/session.h"

#include <string.h>

#include "session/input_edit.h"
#include "session/clamp.h"
#include "session/pointer.h"
#include "session/scales.h"
#include "session/share.h"

int session_init(app_state *st, const options *o, const char *assets_dir, char *err,
                 size_t err_len) {
    if (state_init(st, o, assets_dir, err, err_len) != 0) return 1;
    if (o->lesson_path && lesson_open(st, o->lesson_path, err, err_len) != 0) {
        session_free(st);
        return 1;
    }
    share_apply_options(st, o); /* before presenter mode, which keeps the theme to go back to */
    if (o->present) lesson_set_present(st, 1);
    return 0;
}

void session_free(app_state *st) {
    lesson_free(st);
    state_free(st);
}

void session_command(app_state *st, cmd_id cmd, int arg) {
    switch (cmd) {
    case CMD_CLOSE:
        if (st->show_help) st->show_help = 0;
        else if (st->show_lessons || lesson_current(st) || st->present) lesson_command(st, cmd, arg);
        else if (st->fullscreen) st->fullscreen = 0;
        break;
    case CMD_LESSON_NEXT:
    case CMD_LESSON_PREV:
    case CMD_LESSONS:
    case CMD_PRESENT: lesson_command(st, cmd, arg); break;
    case CMD_TRAIN:
    case CMD_TRAIN_RESET:
    case CMD_SNAPSHOT: train_command(st, cmd, arg); break;
    case CMD_WEIGHTS:
    case CMD_KEEP_WEIGHTS:
    case CMD_SCREENSHOT:
    case CMD_RECORD:
    case CMD_SAVE_LESSON:
    case CMD_COPY_COMMAND: share_command(st, cmd, arg); break;
    case CMD_TYPE:
    case CMD_INPUT_RESET: input_edit_command(st, cmd, arg); break;
    case CMD_CLAMP:
    case CMD_UNCLAMP: clamp_command(st, cmd, arg); break;
    default: state_command(st, cmd, arg); break;
    }
}

void session_input(app_state *st, const app_input *in) {
    cmd_id cmd = CMD_NONE;
    int arg = 0;
    switch (in->kind) {
    case IN_COMMAND:
        /* with the help shown, a key just closes it (Ctrl+Q and F11 still act) */
        if (st->show_help && in->cmd != CMD_HELP && in->cmd != CMD_QUIT && in->cmd != CMD_FULLSCREEN) {
            st->show_help = 0;
            break;
        }
        if (st->show_lessons && (in->cmd == CMD_UNIT || in->cmd == CMD_STEP || in->cmd == CMD_STEP_BACK)) {
            /* the list of lessons is open: the arrows move its highlight */
            session_command(st, in->arg > 0 ? CMD_LESSON_NEXT : CMD_LESSON_PREV, in->arg);
            break;
        }
        session_command(st, in->cmd, in->arg);
        break;
    case IN_POINTER_MOVE:
    case IN_POINTER_DOWN:
    case IN_POINTER_UP:
    case IN_POINTER_LEAVE:
        if (pointer_input(st, in, &cmd, &arg)) session_command(st, cmd, arg); /* a click */
        break;
    case IN_WHEEL: /* over the track's input: change a value; elsewhere not bound */
        pointer_wheel(st, in);
        break;
    case IN_TEXT:
    case IN_KEY: /* the text field, when it has the keyboard */
        input_edit_field_input(st, in);
        break;
    case IN_RESIZE:
        if (in->x != st->w || in->y != st->h || in->dpi != st->dpi) {
            st->w = in->x;
            st->h = in->y;
            st->dpi = in->dpi > 0 ? in->dpi : 1;
            st->layout_dirty = 1;
            st->view_gen++;
        }
        break;
    case IN_QUIT:
        st->quit = 1;
        break;
    case IN_DROP:
        if (in->path) share_drop(st, in->path);
        break;
    case IN_RENDER_RESET: /* the drawing's own affair (app_event): nothing changes here */
        break;
    }
}

static void compute_layout(app_state *st) {
    layout_input in;
    memset(&in, 0, sizeof in);
    in.w = st->w;
    in.h = st->h;
    in.dpi = st->dpi;
    in.n_panes = st->have_scene ? st->sc.n : 0;
    in.T = state_T(st);
    for (int i = 0; i < in.n_panes && i < LAYOUT_MAX_PANES; i++)
        in.variants[i] = gs_model_config_of(gs_seq_model(st->sc.seqs[i]))->variant;
    in.training = train_active(st);
    in.narrative = lesson_current(st) ? (st->lesson->tall ? 2 : 1) : 0;
    in.present = st->present;
    in.measure = st->measure;
    in.measure_ud = st->measure_ud;
    layout_compute(&st->L, &in);
    st->layout_dirty = 0;
}

void session_update(app_state *st, double dt) {
    lesson_update(st);  /* a lesson step entered: its scene, cursor and play */
    state_advance(st, dt);
    input_edit_update(st); /* clicks on the track: every pane recomputed */
    train_update(st, dt); /* polls the training worker; may load a snapshot */
    clamp_update(st);     /* a clicked valve: the engine clamps and recomputes */
    if (st->engine_steps != st->cursor) state_sync_engine(st);
    if (st->scales_gen != st->view_gen) {
        scales_compute(st);
        st->scales_gen = st->view_gen;
    }
    if (st->layout_dirty) compute_layout(st);
    pointer_hover(st);
}
