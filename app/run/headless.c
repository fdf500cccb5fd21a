/* headless.c — render frames without a display: a software renderer over an
 * SDL_Surface, then IMG_SavePNG. */
#include "run/headless.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>



int headless_open(headless *h, const options *o, const char *data_dir, char *err, size_t err_len) {
    int w = o->width > 0 ? o->width : 1600, hh = o->height > 0 ? o->height : 1000;
    memset(h, 0, sizeof *h);
    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            snprintf(err, err_len, "cannot start SDL_ttf: %s", TTF_GetError());
            return 1;
        }
        h->ttf = 1;
    }
    h->surf = SDL_CreateRGBSurfaceWithFormat(0, w, hh, 32, SDL_PIXELFORMAT_RGB888);
    if (!h->surf) {
        snprintf(err, err_len, "cannot make a %dx%d surface: %s", w, hh, SDL_GetError());
        goto fail;
    }
    h->r = SDL_CreateSoftwareRenderer(h->surf);
    if (!h->r) {
        snprintf(err, err_len, "cannot make a software renderer: %s", SDL_GetError());
        goto fail;
    }
    if (app_init(&h->app, o, data_dir, h->r, w, hh, 1.0, err, err_len) != 0) goto fail;
    render_keep_frame(h->app.rc, 1); /* the surface keeps its pixels: draw what changed */
    h->app.st.opts.train.live_ms = 0; /* training's snapshots by iteration, never by the clock */
    return 0;
fail:
    headless_close(h);
    return 1;
}

void headless_frame(headless *h, double dt) {
    app_update(&h->app, dt);
    app_draw(&h->app.st, h->app.rc, h->app.vc);
    SDL_RenderFlush(h->r);
}

int headless_write(headless *h, gs_outfile *o, char *err, size_t err_len) {
    gs_error e;
    /* the PNG goes through the outfile's own stream, so every write is seen: a
       failed one makes IMG_SavePNG_RW fail or latches in the stream (the check) */
    SDL_RWops *rw = SDL_RWFromFP(gs_outfile_stream(o), SDL_FALSE);
    char shown[300];
    if (!rw) {
        snprintf(err, err_len, "cannot write '%s': %s",
                 gs_quote(shown, sizeof shown, gs_outfile_target(o), strlen(gs_outfile_target(o))),
                 SDL_GetError());
        gs_outfile_abort(o);
        return 1;
    }
    if (IMG_SavePNG_RW(h->surf, rw, 1) != 0) { /* closes rw, not the stream */
        gs_outfile_check(o, &e);
        gs_outfile_fail(o, 0); /* the encoder's own failure, if the stream saw none */
        gs_outfile_check(o, &e);
        snprintf(err, err_len, "%s (PNG: %s)", e.msg, IMG_GetError());
        gs_outfile_abort(o);
        return 1;
    }
    if (gs_outfile_commit(o, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    return 0;
}

int headless_save(headless *h, const char *path, char *err, size_t err_len) {
    gs_outfile *o;
    gs_error e;
    if (gs_outfile_open(&o, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    return headless_write(h, o, err, err_len);
}

void headless_close(headless *h) {
    if (h->app.rc) app_quit(&h->app);
    if (h->r) SDL_DestroyRenderer(h->r);
    if (h->surf) SDL_FreeSurface(h->surf);
    if (h->ttf) TTF_Quit();
    memset(h, 0, sizeof *h);
}
