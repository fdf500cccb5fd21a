/* input.h — one input, already translated from SDL (platform/platform.c, the only
 * place that sees an SDL_Event): a command from a key chord, the pointer, a resize,
 * quit.  The session consumes these; tests and the benchmark make them by hand. */
#ifndef GS_APP_INPUT_H
#define GS_APP_INPUT_H

#include "ui/commands.h"

typedef enum input_kind {
    IN_COMMAND,      /* a key chord matched a command */
    IN_POINTER_MOVE, /* x, y in output pixels */
    IN_POINTER_DOWN, /* button 1 = left */
    IN_POINTER_UP,
    IN_POINTER_LEAVE,
    IN_WHEEL,        /* dy > 0: away from the user */
    IN_RESIZE,       /* x, y = new output size in pixels; dpi */
    IN_DROP,         /* a file or folder dropped on the window: path */
    IN_TEXT,         /* text typed while a text field has the keyboard (UTF-8 in text) */
    IN_KEY,          /* an editing key while a text field has the keyboard: key, mods */
    IN_RENDER_RESET, /* the renderer lost its target textures (arg 0) or all of them (1) */
    IN_QUIT
} input_kind;

typedef struct app_input {
    input_kind kind;
    cmd_id cmd;   /* IN_COMMAND */
    int arg;      /* IN_COMMAND */
    int x, y;     /* pointer position or new size */
    int button;   /* IN_POINTER_DOWN / UP */
    int mods;     /* IN_POINTER_DOWN / UP, IN_KEY: MOD_SHIFT | MOD_CTRL held */
    int dy;       /* IN_WHEEL */
    double dpi;   /* IN_RESIZE: output pixels per window point */
    const char *path; /* IN_DROP: the dropped path (valid until the next platform_poll) */
    app_key key;  /* IN_KEY */
    char text[32]; /* IN_TEXT: NUL-terminated UTF-8 */
} app_input;

#endif
