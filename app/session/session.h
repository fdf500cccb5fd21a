/* session.h — what the five phases (run/frame.c) call: one window's (or one headless
 * run's) state, with the lesson player and training around it.  An input or a
 * command goes to its owner: the state (session/state.c), the lesson player
 * (session/lesson_player.c), training (session/train_window.c) or the pointer
 * (session/pointer.c); the update runs them in a fixed order.  Nothing here draws. */
#ifndef GS_APP_SESSION_H
#define GS_APP_SESSION_H

#include "session/lesson_player.h"
#include "session/state.h"
#include "session/train_window.h"

/* Build the first scene from o (and open o->lesson_path, presenter mode with
 * o->present).  0 on success; otherwise a one-line message in err. */
int session_init(app_state *st, const options *o, const char *assets_dir, char *err,
                 size_t err_len);
void session_free(app_state *st);
/* Apply one input (commands, pointer, resize, quit). */
void session_input(app_state *st, const app_input *in);
/* Run one command (a key, a button, or a test). */
void session_command(app_state *st, cmd_id cmd, int arg);
/* Advance the clock by dt seconds: the lesson step entered, a pending setup change,
 * playback, training, the engine at the cursor, colour scales, layout, hover.  The
 * only phase in which engine state changes. */
void session_update(app_state *st, double dt);

#endif
