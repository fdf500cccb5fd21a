/* headless.h — the same draw code onto SDL_CreateSoftwareRenderer(surface), saved
 * with IMG_SavePNG.  Needs no display (no SDL video at all).  Used by
 * `--headless --screenshot` (run/app.c), the handout (run/handout.c), --check's look
 * at the layout (run/lesson_sight.c), the tests and the benchmark. */
#ifndef GS_APP_HEADLESS_H
#define GS_APP_HEADLESS_H

#include <SDL.h>

#include "run/frame.h"
#include "session/options.h"

typedef struct headless {
    SDL_Surface *surf;  /* the frame, RGB */
    SDL_Renderer *r;    /* software renderer drawing into surf */
    app_ctx app;
    int ttf;            /* we called TTF_Init */
} headless;

/* Set up a w x h frame (o->width/height, default 1600x1000) with the cursor at o->at.
 * data_dir holds assets/.  0 on success; a one-line message in err otherwise. */
int headless_open(headless *h, const options *o, const char *data_dir, char *err, size_t err_len);
/* Update (dt seconds) and draw one frame into the surface. */
void headless_frame(headless *h, double dt);
/* Write the frame as a PNG into o and commit it (the whole file or the old one);
 * o is closed in every case.  0 on success; one line in err otherwise. */
int headless_write(headless *h, gs_outfile *o, char *err, size_t err_len);
/* The same to path (gs_outfile_open, then headless_write). */
int headless_save(headless *h, const char *path, char *err, size_t err_len);
void headless_close(headless *h);
#endif
