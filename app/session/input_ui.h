/* input_ui.h — what the window holds of a person's changes to the input: the edits
 * queued from the track, a reset to come, and the typed task's text field.  It lives
 * in app_state (st->edit); session/input_edit.c acts on it, views/view_track.c draws
 * the field.  Types only, so the state can embed it. */
#ifndef GS_APP_INPUT_UI_H
#define GS_APP_INPUT_UI_H

#include "gatescope.h"

#define INPUT_EDIT_QUEUE 16
#define INPUT_TEXT_MAX 1024 /* bytes of the typed sequence, NUL included */

typedef struct input_edits {
    int n;                          /* queued edits, applied at the next update */
    int step[INPUT_EDIT_QUEUE];     /* 1..T */
    gs_input_edit kind[INPUT_EDIT_QUEUE];
    int reset;                      /* 1: back to the generated input at the update */
    int field;                      /* 1: the text field has the keyboard */
    char draft[INPUT_TEXT_MAX];     /* what the field holds (UTF-8, NUL-terminated) */
    int caret;                      /* byte offset of the caret in draft */
} input_edits;

#endif
