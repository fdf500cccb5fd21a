/* platform.h — the window: SDL video init, window and renderer, and the one place SDL
 * events become app_input (ui/input.h).  Nothing else in the app sees an SDL_Event. */
#ifndef GS_APP_PLATFORM_H
#define GS_APP_PLATFORM_H

#include <SDL.h>

#include "session/options.h"
#include "ui/input.h"

typedef struct platform {
    SDL_Window *win;
    SDL_Renderer *r;
    int out_w, out_h;  /* renderer output size in pixels */
    int win_w, win_h;  /* window size in points */
    double dpi;        /* out_w / win_w */
    int fullscreen;    /* as applied */
    int saved_w, saved_h; /* the windowed size, restored when fullscreen ends */
    int software;      /* the accelerated renderer was not available */
    char drop[4][4096]; /* paths dropped on the window (IN_DROP points here) */
    int drop_next;      /* ... the slot the next drop goes to */
    int text_mode;     /* a text field has the keyboard: typing gives IN_TEXT, the
                          editing keys IN_KEY, and key chords no commands (but Ctrl+...) */
} platform;

/* The message printed when there is no display. */
#define PLATFORM_NO_DISPLAY \
    "gatescope: no display found (set DISPLAY, or use --headless --screenshot out.png)"

/* Open the window.  0 on success; 2 when there is no display (nothing printed: the
 * caller prints PLATFORM_NO_DISPLAY); 1 on other failures (message in err). */
int platform_open(platform *p, const options *o, char *err, size_t err_len);
/* Translate pending SDL events into at most max inputs; returns how many (at most
 * four dropped files among them: their paths live in p until the next call).  With
 * wait_ms > 0, waits that long for the first event when none is pending.  *seen gets
 * the number of SDL events of any kind (an expose needs a redraw too). */
int platform_poll(platform *p, app_input *out, int max, int wait_ms, int *seen);
/* The current output size as an IN_RESIZE input. */
app_input platform_size_input(platform *p);
void platform_set_fullscreen(platform *p, int on);
/* Give the keyboard to a text field (on = 1) or back to the commands. */
void platform_set_text_mode(platform *p, int on);
void platform_close(platform *p);

#endif
