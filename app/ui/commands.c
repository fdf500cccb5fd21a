/* commands.c — the command table: every action a person can take, with its keys,
 * its label and its help line.  Edit here and the keys, the buttons and the help
 * overlay all follow. */
#include "ui/commands.h"

#include <stddef.h>

#define K(k, m, a) { k, m, a }
#define L(c) KEY_LETTER(c)

static const command table[] = {
    { CMD_HOME, "start", "Start", "Home", "Jump to step 0, before the first input",
      CMDG_TRANSPORT, BTN_PLAIN, { K(KEY_HOME, 0, 0) } },
    { CMD_STEP_BACK, "step-back", "Back", "\xe2\x86\x90", "Go back one step",
      CMDG_TRANSPORT, BTN_PLAIN, { K(KEY_LEFT, 0, -1) } },
    { CMD_PLAY, "play", "Play", "Space", "Play or pause at the chosen speed",
      CMDG_TRANSPORT, BTN_PLAIN, { K(KEY_SPACE, 0, 0) } },
    { CMD_STEP, "step", "Step", "\xe2\x86\x92", "Compute one more step forward",
      CMDG_TRANSPORT, BTN_PRIMARY, { K(KEY_RIGHT, 0, 1) } },
    { CMD_END, "end", "End", "End", "Jump to the last step",
      CMDG_TRANSPORT, BTN_PLAIN, { K(KEY_END, 0, 0) } },
    { CMD_SPEED, "speed", "Speed", "[  ]", "Play slower / faster",
      CMDG_TRANSPORT, BTN_STEPPER, { K(KEY_LBRACKET, 0, -1), K(KEY_RBRACKET, 0, 1) } },
    { CMD_BACK_WALK, "walk-back", "Walk back", "Shift+\xe2\x86\x90",
      "Reveal \xe2\x88\x82L/\xe2\x88\x82state one more step back from the loss",
      CMDG_BACKWARD, BTN_PLAIN, { K(KEY_LEFT, MOD_SHIFT, -1) } },
    { CMD_BACK_UNWALK, "walk-forward", "Toward loss", "Shift+\xe2\x86\x92",
      "Move the backward playhead toward the loss",
      CMDG_BACKWARD, BTN_PLAIN, { K(KEY_RIGHT, MOD_SHIFT, 1) } },
    { CMD_BACK_ALL, "backward-all", "Whole pass", "Shift+Home",
      "Show the whole backward pass at once", CMDG_BACKWARD, BTN_PLAIN, { K(KEY_HOME, MOD_SHIFT, 0) } },
    { CMD_BACK_LOSS, "backward-restart", "From loss", "Shift+End",
      "Restart the backward pass at the loss", CMDG_BACKWARD, BTN_PLAIN, { K(KEY_END, MOD_SHIFT, 0) } },
    { CMD_VARIANT, "variant", "Variants", "1 \xe2\x80\x93 8",
      "Show or hide a variant (1 to 4 panes)", CMDG_SETUP, BTN_CHIPS,
      { K(KEY_DIGIT(1), 0, 0), K(KEY_DIGIT(2), 0, 1), K(KEY_DIGIT(3), 0, 2),
        K(KEY_DIGIT(4), 0, 3), K(KEY_DIGIT(5), 0, 4), K(KEY_DIGIT(6), 0, 5),
        K(KEY_DIGIT(7), 0, 6), K(KEY_DIGIT(8), 0, 7) } },
    { CMD_TASK, "task", "Task", "T / Shift+T", "Next / previous task", CMDG_SETUP, BTN_STEPPER,
      { K(L('t'), 0, 1), K(L('t'), MOD_SHIFT, -1) } },
    { CMD_LENGTH, "length", "Length T", "L / Shift+L", "Longer / shorter sequence",
      CMDG_SETUP, BTN_STEPPER, { K(L('l'), 0, 1), K(L('l'), MOD_SHIFT, -1) } },
    { CMD_HIDDEN, "hidden", "Hidden n", "N / Shift+N", "More / fewer hidden units",
      CMDG_SETUP, BTN_STEPPER, { K(L('n'), 0, 1), K(L('n'), MOD_SHIFT, -1) } },
    { CMD_INIT, "init", "Init", "I / Shift+I", "Next / previous weight initialisation",
      CMDG_SETUP, BTN_STEPPER, { K(L('i'), 0, 1), K(L('i'), MOD_SHIFT, -1) } },
    { CMD_WSCALE, "weight-scale", "W scale", "W / Shift+W",
      "Bigger / smaller recurrent weights W", CMDG_SETUP, BTN_STEPPER,
      { K(L('w'), 0, 1), K(L('w'), MOD_SHIFT, -1) } },
    { CMD_FBIAS, "forget-bias", "Forget bias", "F / Shift+F",
      "Raise / lower the forget (GRU: update) bias", CMDG_SETUP, BTN_STEPPER,
      { K(L('f'), 0, 1), K(L('f'), MOD_SHIFT, -1) } },
    { CMD_TRUNC, "truncation", "Truncate k", "K / Shift+K",
      "Truncated BPTT: more / fewer steps back", CMDG_SETUP, BTN_STEPPER,
      { K(L('k'), 0, 1), K(L('k'), MOD_SHIFT, -1) } },
    { CMD_NEW_SEQ, "new-sequence", "New sequence", "R",
      "New input and weights (the next seed)", CMDG_SETUP, BTN_PLAIN, { K(L('r'), 0, 1) } },
    { CMD_TRAIN, "train", "Train", "G",
      "Train the shown variants; again: pause / resume",
      CMDG_TRAIN, BTN_PLAIN, { K(L('g'), 0, 0) } },
    { CMD_TRAIN_RESET, "train-reset", "Reset", "Shift+G",
      "Stop training; restore the untrained weights", CMDG_TRAIN, BTN_PLAIN,
      { K(L('g'), MOD_SHIFT, 0) } },
    { CMD_SNAPSHOT, "snapshot", "Snapshot", "J / Shift+J",
      "Newer / older training snapshot", CMDG_TRAIN, BTN_NONE,
      { K(L('j'), 0, 1), K(L('j'), MOD_SHIFT, -1) } },
    { CMD_PANE, "pane", "Select pane", "Tab", "Next pane: the equations follow it",
      CMDG_VIEW, BTN_NONE, { K(KEY_TAB, 0, 1), K(KEY_TAB, MOD_SHIFT, -1) } },
    { CMD_UNIT, "unit", "Unit", "\xe2\x86\x91 \xe2\x86\x93", "Choose the unit the equations show",
      CMDG_VIEW, BTN_NONE, { K(KEY_UP, 0, -1), K(KEY_DOWN, 0, 1) } },
    { CMD_SCALE, "scale", "Scale", "S", "One colour scale for all panes, or per pane",
      CMDG_VIEW, BTN_CYCLE, { K(L('s'), 0, 0) } },
    { CMD_LOG, "magnitude", "Magnitude", "M", "States and gradients: linear or log colours",
      CMDG_VIEW, BTN_CYCLE, { K(L('m'), 0, 0) } },
    { CMD_PALETTE, "palette", "Palette", "C", "Switch to the other colour-vision-safe palette",
      CMDG_VIEW, BTN_CYCLE, { K(L('c'), 0, 0) } },
    { CMD_THEME, "theme", "Theme", "D", "Theme: dark, light, high contrast",
      CMDG_VIEW, BTN_CYCLE, { K(L('d'), 0, 0) } },
    { CMD_FULLSCREEN, "fullscreen", "Fullscreen", "F11", "Fullscreen on / off", CMDG_APP, BTN_PLAIN,
      { K(KEY_F11, 0, 0) } },
    { CMD_HELP, "help", "Help", "? / F1", "Show or hide this list of commands", CMDG_APP, BTN_PLAIN,
      { K(KEY_QUESTION, 0, 0), K(KEY_QUESTION, MOD_SHIFT, 0), K(KEY_F1, 0, 0) } },
    { CMD_CLOSE, "close", "Close", "Esc", "Close the help; leave the lesson, fullscreen", CMDG_APP, BTN_NONE,
      { K(KEY_ESCAPE, 0, 0) } },
    { CMD_QUIT, "quit", "Quit", "Ctrl+Q", "Quit gatescope", CMDG_APP, BTN_NONE,
      { K(L('q'), MOD_CTRL, 0) } },
    { CMD_LESSON_PREV, "lesson-previous", "Previous", "PgUp / Ctrl+P",
      "The lesson's previous step", CMDG_LESSON, BTN_PLAIN,
      { K(KEY_PAGEUP, 0, -1), K(L('p'), MOD_CTRL, -1) } },
    { CMD_LESSON_NEXT, "lesson-next", "Next", "PgDn / Ctrl+N",
      "The lesson's next step", CMDG_LESSON, BTN_PRIMARY,
      { K(KEY_PAGEDOWN, 0, 1), K(L('n'), MOD_CTRL, 1) } },
    { CMD_LESSONS, "lessons", "Lessons", "F2", "List the lessons; Enter opens one",
      CMDG_LESSON, BTN_NONE, { K(KEY_F2, 0, 0), K(KEY_RETURN, 0, 1) } },
    { CMD_PRESENT, "present", "Present", "F5",
      "Presenter mode: big type, no controls", CMDG_LESSON, BTN_NONE,
      { K(KEY_F5, 0, 0) } },
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
