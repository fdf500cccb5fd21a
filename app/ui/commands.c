/* commands.c — the command table: every action a person can take, with its keys,
 * its label and its help line.  Edit here and the keys, the buttons and the help
 * overlay all follow. */
#include "ui/commands.h"

#include <stddef.h>

#define L(c) KEY_LETTER(c)

static const command table[] = {
    { .id = CMD_HOME, .name = "start", .label = "Start", .keys = "Home",
      .help = "Jump to step 0, before the first input",
      .group = CMDG_TRANSPORT, .button = BTN_PLAIN,
      .chords = { { .key = KEY_HOME } } },
    { .id = CMD_STEP_BACK, .name = "step-back", .label = "Back", .keys = "\xe2\x86\x90",
      .help = "Go back one step",
      .group = CMDG_TRANSPORT, .button = BTN_PLAIN,
      .chords = { { .key = KEY_LEFT, .arg = -1 } } },
    { .id = CMD_PLAY, .name = "play", .label = "Play", .keys = "Space",
      .help = "Play or pause at the chosen speed",
      .group = CMDG_TRANSPORT, .button = BTN_PLAIN,
      .chords = { { .key = KEY_SPACE } } },
    { .id = CMD_STEP, .name = "step", .label = "Step", .keys = "\xe2\x86\x92",
      .help = "Compute one more step forward",
      .group = CMDG_TRANSPORT, .button = BTN_PRIMARY,
      .chords = { { .key = KEY_RIGHT, .arg = 1 } } },
    { .id = CMD_END, .name = "end", .label = "End", .keys = "End",
      .help = "Jump to the last step",
      .group = CMDG_TRANSPORT, .button = BTN_PLAIN,
      .chords = { { .key = KEY_END } } },
    { .id = CMD_SPEED, .name = "speed", .label = "Speed", .keys = "[  ]",
      .help = "Play slower / faster",
      .group = CMDG_TRANSPORT, .button = BTN_STEPPER,
      .chords = { { .key = KEY_LBRACKET, .arg = -1 }, { .key = KEY_RBRACKET, .arg = 1 } } },
    { .id = CMD_BACK_WALK, .name = "walk-back", .label = "Walk back", .keys = "Shift+\xe2\x86\x90",
      .help = "Reveal \xe2\x88\x82L/\xe2\x88\x82state one step further back",
      .group = CMDG_BACKWARD, .button = BTN_PLAIN,
      .chords = { { .key = KEY_LEFT, .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_BACK_UNWALK, .name = "walk-forward", .label = "Toward loss",
      .keys = "Shift+\xe2\x86\x92", .help = "Move the backward playhead toward the loss",
      .group = CMDG_BACKWARD, .button = BTN_PLAIN,
      .chords = { { .key = KEY_RIGHT, .mods = MOD_SHIFT, .arg = 1 } } },
    { .id = CMD_BACK_ALL, .name = "backward-all", .label = "Whole pass", .keys = "Shift+Home",
      .help = "Show the whole backward pass at once",
      .group = CMDG_BACKWARD, .button = BTN_PLAIN,
      .chords = { { .key = KEY_HOME, .mods = MOD_SHIFT } } },
    { .id = CMD_BACK_LOSS, .name = "backward-restart", .label = "From loss", .keys = "Shift+End",
      .help = "Restart the backward pass at the loss",
      .group = CMDG_BACKWARD, .button = BTN_PLAIN,
      .chords = { { .key = KEY_END, .mods = MOD_SHIFT } } },
    { .id = CMD_VARIANT, .name = "variant", .label = "Variants",
      .keys = "1\xe2\x80\x93" "8, Shift+1\xe2\x80\x93" "8",
      .help = "Show or hide a variant (Shift: Greff's eight)",
      .group = CMDG_SETUP, .button = BTN_CHIPS,
      .chords = {
          { .key = KEY_DIGIT(1), .arg = 0 }, { .key = KEY_DIGIT(2), .arg = 1 },
          { .key = KEY_DIGIT(3), .arg = 2 }, { .key = KEY_DIGIT(4), .arg = 3 },
          { .key = KEY_DIGIT(5), .arg = 4 }, { .key = KEY_DIGIT(6), .arg = 5 },
          { .key = KEY_DIGIT(7), .arg = 6 }, { .key = KEY_DIGIT(8), .arg = 7 },
          /* GS_NIG .. GS_FGR, the ablations of the vanilla LSTM (peephole, 8) */
          { .key = KEY_DIGIT(1), .mods = MOD_SHIFT, .arg = 8 },
          { .key = KEY_DIGIT(2), .mods = MOD_SHIFT, .arg = 9 },
          { .key = KEY_DIGIT(3), .mods = MOD_SHIFT, .arg = 10 },
          { .key = KEY_DIGIT(4), .mods = MOD_SHIFT, .arg = 11 },
          { .key = KEY_DIGIT(5), .mods = MOD_SHIFT, .arg = 12 },
          { .key = KEY_DIGIT(6), .mods = MOD_SHIFT, .arg = 13 },
          { .key = KEY_DIGIT(7), .mods = MOD_SHIFT, .arg = 14 },
          { .key = KEY_DIGIT(8), .mods = MOD_SHIFT, .arg = 15 }
      } },
    { .id = CMD_TASK, .name = "task", .label = "Task", .keys = "T / Shift+T",
      .help = "Next / previous task",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('t'), .arg = 1 }, { .key = L('t'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_LENGTH, .name = "length", .label = "Length T", .keys = "L / Shift+L",
      .help = "Longer / shorter sequence",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('l'), .arg = 1 }, { .key = L('l'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_HIDDEN, .name = "hidden", .label = "Hidden n", .keys = "N / Shift+N",
      .help = "More / fewer hidden units",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('n'), .arg = 1 }, { .key = L('n'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_INIT, .name = "init", .label = "Init", .keys = "I / Shift+I",
      .help = "Next / previous weight initialisation",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('i'), .arg = 1 }, { .key = L('i'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_WSCALE, .name = "weight-scale", .label = "W scale", .keys = "W / Shift+W",
      .help = "Bigger / smaller recurrent weights W",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('w'), .arg = 1 }, { .key = L('w'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_FBIAS, .name = "forget-bias", .label = "Forget bias", .keys = "F / Shift+F",
      .help = "Raise / lower the forget (GRU: update) bias",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('f'), .arg = 1 }, { .key = L('f'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_TRUNC, .name = "truncation", .label = "Truncate k", .keys = "K / Shift+K",
      .help = "Truncated BPTT: more / fewer steps back",
      .group = CMDG_SETUP, .button = BTN_STEPPER,
      .chords = { { .key = L('k'), .arg = 1 }, { .key = L('k'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_NEW_SEQ, .name = "new-sequence", .label = "New sequence", .keys = "R",
      .help = "New input and weights (the next seed)",
      .group = CMDG_SETUP, .button = BTN_PLAIN,
      .chords = { { .key = L('r'), .arg = 1 } } },
    /* the weights (session/share.c): loaded by a drop, kept from the window */
    { .id = CMD_WEIGHTS, .name = "weights", .label = "Weights", .keys = "drop",
      .help = "Drop weights here; click: keep / seeded",
      .group = CMDG_SETUP, .button = BTN_CYCLE },
    { .id = CMD_KEEP_WEIGHTS, .name = "keep-weights", .label = "Keep weights", .keys = "Ctrl+K",
      .help = "Save them to Documents and name them here",
      .group = CMDG_SETUP, .button = BTN_NONE,
      .chords = { { .key = L('k'), .mods = MOD_CTRL } } },
    { .id = CMD_TYPE, .name = "type", .label = "Type text", .keys = "E",
      .help = "Type your own sequence; Enter applies it",
      .group = CMDG_SETUP, .button = BTN_NONE,
      .chords = { { .key = L('e') } } },
    { .id = CMD_INPUT_RESET, .name = "input-reset", .label = "Reset input", .keys = "X",
      .help = "Undo the clicks on the track",
      .group = CMDG_SETUP, .button = BTN_NONE,
      .chords = { { .key = L('x') } } },
    { .id = CMD_CLAMP, .name = "clamp", .label = "Clamp a gate", .keys = "click a valve",
      .help = "Force it open (1), shut (0), free; Shift: every unit",
      .group = CMDG_SETUP, .button = BTN_NONE },
    { .id = CMD_UNCLAMP, .name = "unclamp", .label = "Free the gates", .keys = "U",
      .help = "Let every clamped gate run free again",
      .group = CMDG_SETUP, .button = BTN_NONE,
      .chords = { { .key = L('u') } } },
    { .id = CMD_TRAIN, .name = "train", .label = "Train", .keys = "G",
      .help = "Train the shown variants; again: pause / resume",
      .group = CMDG_TRAIN, .button = BTN_PLAIN,
      .chords = { { .key = L('g') } } },
    { .id = CMD_TRAIN_RESET, .name = "train-reset", .label = "Reset", .keys = "Shift+G",
      .help = "Stop training; restore the untrained weights",
      .group = CMDG_TRAIN, .button = BTN_PLAIN,
      .chords = { { .key = L('g'), .mods = MOD_SHIFT } } },
    { .id = CMD_SNAPSHOT, .name = "snapshot", .label = "Snapshot", .keys = "J / Shift+J",
      .help = "Newer / older training snapshot",
      .group = CMDG_TRAIN, .button = BTN_NONE,
      .chords = { { .key = L('j'), .arg = 1 }, { .key = L('j'), .mods = MOD_SHIFT, .arg = -1 } } },
    { .id = CMD_PANE, .name = "pane", .label = "Select pane", .keys = "Tab",
      .help = "Next pane: the equations follow it",
      .group = CMDG_VIEW, .button = BTN_NONE,
      .chords = {
          { .key = KEY_TAB, .arg = 1 }, { .key = KEY_TAB, .mods = MOD_SHIFT, .arg = -1 }
      } },
    { .id = CMD_UNIT, .name = "unit", .label = "Unit", .keys = "\xe2\x86\x91 \xe2\x86\x93",
      .help = "Choose the unit the equations show",
      .group = CMDG_VIEW, .button = BTN_NONE,
      .chords = { { .key = KEY_UP, .arg = -1 }, { .key = KEY_DOWN, .arg = 1 } } },
    { .id = CMD_SCALE, .name = "scale", .label = "Scale", .keys = "S",
      .help = "One colour scale for all panes, or per pane",
      .group = CMDG_VIEW, .button = BTN_CYCLE,
      .chords = { { .key = L('s') } } },
    { .id = CMD_LOG, .name = "magnitude", .label = "Magnitude", .keys = "M",
      .help = "States and gradients: linear or log colours",
      .group = CMDG_VIEW, .button = BTN_CYCLE,
      .chords = { { .key = L('m') } } },
    { .id = CMD_PALETTE, .name = "palette", .label = "Palette", .keys = "C",
      .help = "Switch to the other colour-vision-safe palette",
      .group = CMDG_VIEW, .button = BTN_CYCLE,
      .chords = { { .key = L('c') } } },
    { .id = CMD_THEME, .name = "theme", .label = "Theme", .keys = "D",
      .help = "Theme: dark, light, high contrast",
      .group = CMDG_VIEW, .button = BTN_CYCLE,
      .chords = { { .key = L('d') } } },
    { .id = CMD_FULLSCREEN, .name = "fullscreen", .label = "Fullscreen", .keys = "F11",
      .help = "Fullscreen on / off",
      .group = CMDG_APP, .button = BTN_PLAIN,
      .chords = { { .key = KEY_F11 } } },
    { .id = CMD_HELP, .name = "help", .label = "Help", .keys = "? / F1",
      .help = "Show or hide this list of commands",
      .group = CMDG_APP, .button = BTN_PLAIN,
      .chords = {
          { .key = KEY_QUESTION }, { .key = KEY_QUESTION, .mods = MOD_SHIFT }, { .key = KEY_F1 }
      } },
    { .id = CMD_CLOSE, .name = "close", .label = "Close", .keys = "Esc",
      .help = "Close the help; leave the lesson, fullscreen",
      .group = CMDG_APP, .button = BTN_NONE,
      .chords = { { .key = KEY_ESCAPE } } },
    { .id = CMD_QUIT, .name = "quit", .label = "Quit", .keys = "Ctrl+Q",
      .help = "Quit gatescope",
      .group = CMDG_APP, .button = BTN_NONE,
      .chords = { { .key = L('q'), .mods = MOD_CTRL } } },
    /* what a teacher takes away (session/share.c, run/outputs.c) */
    { .id = CMD_RECORD, .name = "record", .label = "Record", .keys = "F9",
      .help = "Record to Videos (Shift: GIF); F9 stops",
      .group = CMDG_APP, .button = BTN_PLAIN,
      .chords = { { .key = KEY_F9, .arg = 1 }, { .key = KEY_F9, .mods = MOD_SHIFT, .arg = 2 } } },
    { .id = CMD_SCREENSHOT, .name = "screenshot", .label = "Screenshot", .keys = "F12",
      .help = "Save a PNG to Pictures (Shift: the pane)",
      .group = CMDG_APP, .button = BTN_PLAIN,
      .chords = { { .key = KEY_F12, .arg = 1 }, { .key = KEY_F12, .mods = MOD_SHIFT, .arg = 2 } } },
    { .id = CMD_SAVE_LESSON, .name = "save-lesson", .label = "Save lesson", .keys = "Ctrl+S",
      .help = "Save the view as a lesson in Documents",
      .group = CMDG_APP, .button = BTN_NONE,
      .chords = { { .key = L('s'), .mods = MOD_CTRL } } },
    { .id = CMD_COPY_COMMAND, .name = "copy-command", .label = "Copy command", .keys = "Ctrl+C",
      .help = "Copy the command line of this view",
      .group = CMDG_APP, .button = BTN_NONE,
      .chords = { { .key = L('c'), .mods = MOD_CTRL } } },
    { .id = CMD_LESSON_PREV, .name = "lesson-previous", .label = "Previous",
      .keys = "PgUp / Ctrl+P", .help = "The lesson's previous step",
      .group = CMDG_LESSON, .button = BTN_PLAIN,
      .chords = {
          { .key = KEY_PAGEUP, .arg = -1 }, { .key = L('p'), .mods = MOD_CTRL, .arg = -1 }
      } },
    { .id = CMD_LESSON_NEXT, .name = "lesson-next", .label = "Next", .keys = "PgDn / Ctrl+N",
      .help = "The lesson's next step",
      .group = CMDG_LESSON, .button = BTN_PRIMARY,
      .chords = {
          { .key = KEY_PAGEDOWN, .arg = 1 }, { .key = L('n'), .mods = MOD_CTRL, .arg = 1 }
      } },
    { .id = CMD_LESSONS, .name = "lessons", .label = "Lessons", .keys = "F2",
      .help = "List the lessons; Enter opens one",
      .group = CMDG_LESSON, .button = BTN_NONE,
      .chords = { { .key = KEY_F2 }, { .key = KEY_RETURN, .arg = 1 } } },
    { .id = CMD_PRESENT, .name = "present", .label = "Present", .keys = "F5",
      .help = "Presenter mode: big type, no controls",
      .group = CMDG_LESSON, .button = BTN_NONE,
      .chords = { { .key = KEY_F5 } } },
};

const command *commands_table(int *count) {
    if (count) *count = (int)(sizeof table / sizeof *table);
    return table;
}

const command *commands_get(cmd_id id) {
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (table[i].id == id) return &table[i];
    return NULL;
}

cmd_id commands_for_key(app_key key, int mods, int *arg) {
    if (key == KEY_NONE) return CMD_NONE;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        for (int c = 0; c < CMD_MAX_CHORDS && table[i].chords[c].key != KEY_NONE; c++)
            if (table[i].chords[c].key == key && table[i].chords[c].mods == mods) {
                if (arg) *arg = table[i].chords[c].arg;
                return table[i].id;
            }
    return CMD_NONE;
}

const char *cmd_group_title(cmd_group g) {
    switch (g) {
    case CMDG_TRANSPORT: return "Forward pass";
    case CMDG_BACKWARD: return "Backward pass";
    case CMDG_SETUP: return "Setup";
    case CMDG_VIEW: return "View";
    case CMDG_APP: return "Window";
    case CMDG_LESSON: return "Lessons";
    case CMDG_TRAIN: return "Training";
    }
    return "";
}
