/* input_edit.h — the input as a person changes it: clicks and wheel turns on the
 * sequence track become engine edits of every pane's sequence (queued by the pointer,
 * applied at the update, then every pane recomputed, forward and backward); Reset
 * puts the generated input back; and the typed task's text field (E, or a click on
 * the track of the typed task): typing, Enter applies (the scene is rebuilt), Esc
 * cancels.  What it works on is st->edit (session/input_ui.h). */
#ifndef GS_APP_INPUT_EDIT_H
#define GS_APP_INPUT_EDIT_H

#include "session/state.h"

/* Queue an edit of step t (a click or a wheel notch on the track's input row). */
void input_edit_queue(app_state *st, int t, gs_input_edit e);
/* The update's part: a reset, then the queued edits through the engine
 * (gs_seq_edit_input on every pane), then forward and backward over the whole
 * sequence.  A refused edit leaves its reason in the status line. */
void input_edit_update(app_state *st);
/* CMD_TYPE (open the field), CMD_INPUT_RESET. */
void input_edit_command(app_state *st, int cmd, int arg);
/* While the field has the keyboard: IN_TEXT and IN_KEY edit it (1: consumed). */
int input_edit_field_input(app_state *st, const app_input *in);
/* 1 if step t of the scene's input is not what the task generated (an edit). */
int input_edited(const app_state *st, int t);

#endif
