/* outputs.h — what the teacher asked the window for (st->share, session/share_req.h),
 * done after each frame is drawn: a PNG of the window or of the selected pane into
 * the Pictures folder, a recording into Videos (started, fed at its frame rate with
 * what is shown, stopped), the view saved as a lesson and the weights kept into
 * Documents (platform/paths.h), and the command line put on the clipboard.  Each
 * ends in a toast saying where.  The window loop (run/app.c) and the tests
 * (headless) call it the same way. */
#ifndef GS_APP_OUTPUTS_H
#define GS_APP_OUTPUTS_H

#include <SDL.h>

#include "run/record_async.h"
#include "session/state.h"

#define OUTPUTS_FPS 20 /* frames per second of a recording made in the window */

typedef struct outputs {
    rec_async *rec;         /* the recording under way (encoding in its thread), or NULL */
    char rec_path[4200];    /* ... its file */
    int rec_w, rec_h;       /* ... its size (even for MP4) */
    double rec_start;       /* ... seconds on the caller's clock when it started */
    unsigned char *frame;   /* the last frame read (rec_w x rec_h, XRGB8888) */
    int frame_pitch;
    int clipboard;          /* 1: SDL video is up, the clipboard works */
} outputs;

/* clipboard: 1 in a window (SDL video initialised), 0 headless. */
void outputs_init(outputs *o, int clipboard);
/* Do what st->share asks.  r is the renderer that drew this frame; drawn says whether
 * it drew one since the last call (pixels are read only then: a screenshot waits for
 * a drawn frame; a recording repeats its last frame).  now is in seconds.  Returns 1
 * when it did something the window should redraw for (a toast, the Record button). */
int outputs_service(outputs *o, app_state *st, SDL_Renderer *r, int drawn, double now);
/* Seconds until the recording wants its next frame (1e9 when not recording): the
 * window loop sleeps no longer than this. */
double outputs_wait(const outputs *o, double now);
/* Finish a recording under way (its file is written) and free everything. */
void outputs_close(outputs *o, app_state *st);

/* Write the w x h rectangle at (x, y) of what r drew to path as a PNG, through a
 * gs_outfile (all or nothing).  0 on success; one line in err otherwise. */
int outputs_write_png(SDL_Renderer *r, SDL_Rect area, const char *path, char *err, size_t err_len);

#endif
