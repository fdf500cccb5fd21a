/* commands.h — the one table of commands.  The keyboard (platform/platform.c), the
 * buttons (ui/layout.c, views/view_controls.c) and the help overlay
 * (views/view_help.c) are all generated from it, so they never disagree.  No SDL
 * here: keys are our own codes. */
#ifndef GS_APP_COMMANDS_H
#define GS_APP_COMMANDS_H

typedef enum app_key {
    KEY_NONE = 0,
    KEY_SPACE, KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_HOME, KEY_END,
    KEY_LBRACKET, KEY_RBRACKET, KEY_TAB, KEY_ESCAPE, KEY_QUESTION, KEY_F1, KEY_F11,
    KEY_PAGEUP, KEY_PAGEDOWN, KEY_F2, KEY_F5, KEY_RETURN, KEY_F9, KEY_F12, KEY_BACKSPACE,
    KEY_DELETE,
    KEY_DIGIT_1, /* ... KEY_DIGIT_1 + 8 */
    KEY_LETTER_A = KEY_DIGIT_1 + 9, /* ... KEY_LETTER_A + 25 */
    KEY_COUNT = KEY_LETTER_A + 26
} app_key;

#define KEY_LETTER(c) ((app_key)(KEY_LETTER_A + ((c) - 'a')))
#define KEY_DIGIT(d) ((app_key)(KEY_DIGIT_1 + ((d) - 1)))

enum { MOD_SHIFT = 1, MOD_CTRL = 2 };
enum { CLAMP_ARG_PANE = 64 }; /* CMD_CLAMP's arg: pane * 64 + valve part * 2 + all units */

typedef enum cmd_id {
    CMD_NONE = 0,
    /* transport */
    CMD_PLAY, CMD_STEP_BACK, CMD_STEP, CMD_HOME, CMD_END, CMD_SPEED,
    /* the backward pass */
    CMD_BACK_WALK, CMD_BACK_UNWALK, CMD_BACK_ALL, CMD_BACK_LOSS,
    /* setup: each takes arg +1 / -1 (variants: arg = variant index) */
    CMD_VARIANT, CMD_NEW_SEQ, CMD_TASK, CMD_LENGTH, CMD_HIDDEN, CMD_INIT, CMD_WSCALE,
    CMD_FBIAS, CMD_TRUNC,
    /* the input on the track (session/input_edit.c) */
    CMD_TYPE, CMD_INPUT_RESET,
    /* training in the window (session/train_window.c) */
    CMD_TRAIN, CMD_TRAIN_RESET, CMD_SNAPSHOT,
    /* what if a gate were forced (session/clamp.c): a click on a valve gives CMD_CLAMP
       with arg = pane * CLAMP_ARG_PANE + part * 2 + (1: every unit, Shift) */
    CMD_CLAMP, CMD_UNCLAMP,
    /* view */
    CMD_PANE, CMD_UNIT, CMD_SCALE, CMD_LOG, CMD_PALETTE, CMD_THEME,
    /* app */
    /* lessons (session/lesson_player.c) */
    CMD_LESSON_NEXT, CMD_LESSON_PREV, CMD_LESSONS, CMD_PRESENT,
    CMD_FULLSCREEN, CMD_HELP, CMD_CLOSE, CMD_QUIT,
    /* what a teacher takes away (session/share.c, run/outputs.c) */
    CMD_WEIGHTS, CMD_KEEP_WEIGHTS, CMD_SCREENSHOT, CMD_RECORD, CMD_SAVE_LESSON, CMD_COPY_COMMAND,
    CMD_COUNT
} cmd_id;

typedef enum cmd_group {
    CMDG_TRANSPORT, /* top bar */
    CMDG_BACKWARD,  /* top bar, the backward playhead */
    CMDG_SETUP,     /* sidebar: what is compared and how it is initialised */
    CMDG_VIEW,      /* sidebar: how it is drawn */
    CMDG_APP,       /* window */
    CMDG_LESSON,    /* the lesson player: the narrative panel's buttons */
    CMDG_TRAIN      /* sidebar, under the setup: train the shown variants */
} cmd_group;

#define CMD_MAX_CHORDS 16 /* the variants: 1..8, and Shift+1..8 for Greff's ablations */

typedef struct key_chord {
    app_key key; /* KEY_NONE ends the list */
    int mods;    /* MOD_SHIFT | MOD_CTRL, matched exactly */
    int arg;     /* passed with the command (direction, variant index) */
} key_chord;

/* How the command appears as a button (layout.c turns these into boxes). */
typedef enum cmd_button {
    BTN_NONE,    /* keyboard (and clicks on the views) only */
    BTN_PLAIN,   /* one button */
    BTN_PRIMARY, /* one prominent button (Step) */
    BTN_STEPPER, /* two buttons, arg -1 and +1, with the current value between */
    BTN_CYCLE,   /* one button showing the current value; a click moves to the next */
    BTN_CHIPS    /* one toggle chip per chord (the variants) */
} cmd_button;

typedef struct command {
    cmd_id id;
    const char *name;  /* stable name ("step"), for tests and lessons */
    const char *label; /* short label: buttons and the help overlay */
    const char *keys;  /* the keys as the help overlay shows them: "Shift+←" */
    const char *help;  /* one sentence */
    cmd_group group;
    cmd_button button;
    key_chord chords[CMD_MAX_CHORDS];
} command;

/* The table, in help order; *count gets its length. */
const command *commands_table(int *count);
/* The entry for id (NULL for CMD_NONE or out of range). */
const command *commands_get(cmd_id id);
/* The command a key chord triggers (CMD_NONE if none), its argument in *arg. */
cmd_id commands_for_key(app_key key, int mods, int *arg);
const char *cmd_group_title(cmd_group g);

#endif
