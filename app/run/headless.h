/* headless.h — the same draw code onto SDL_CreateSoftwareRenderer(surface), saved
 * with IMG_SavePNG.  Needs no display (no SDL video at all).  Used by
 * `--headless --screenshot`, the tests and the benchmark. */
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
int headless_save(headless *h, const char *path, char *err, size_t err_len);
void headless_close(headless *h);
/* --lesson --export-dir: every step of the open lesson as dir/step-01.png and
 * dir/step-01.md ... (dir is created if missing).  0 on success. */
int headless_export(headless *h, const char *dir, char *err, size_t err_len);
/* --record FILE: play the scene from step 0 to the end into FILE (and the backward
 * pass back, with o->backward), one frame per step at o->fps (run/record_run.c).
 * 0 on success; a one-line message in err otherwise (the target untouched). */
int headless_record(headless *h, const options *o, char *err, size_t err_len);
/* --headless --screenshot (or --record): open, one frame, save.  Returns the exit code and prints
 * one line on failure. */
int headless_run(const options *o, const char *data_dir);

#endif
