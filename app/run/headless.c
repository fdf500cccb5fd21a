/* headless.c — render frames without a display: a software renderer over an
 * SDL_Surface, then IMG_SavePNG. */
#include "run/headless.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "session/lesson_player.h"

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

int headless_save(headless *h, const char *path, char *err, size_t err_len) {
    if (IMG_SavePNG(h->surf, path) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, IMG_GetError());
        return 1;
    }
    return 0;
}

void headless_close(headless *h) {
    if (h->app.rc) app_quit(&h->app);
    if (h->r) SDL_DestroyRenderer(h->r);
    if (h->surf) SDL_FreeSurface(h->surf);
    if (h->ttf) TTF_Quit();
    memset(h, 0, sizeof *h);
}

int headless_export(headless *h, const char *dir, char *err, size_t err_len) {
    const gs_lesson *l = lesson_current(&h->app.st);
    char path[4200];
    if (!l) {
        snprintf(err, err_len, "no lesson is open");
        return 1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
        return 1;
    }
    for (int k = 0; k < l->n_steps; k++) {
        if (k != lesson_step_index(&h->app.st)) lesson_enter(&h->app.st, k);
        app_update(&h->app, 0); /* apply it */
        if (h->app.st.playing) { /* a still of a playing step: where its play ends */
            h->app.st.cursor = state_T(&h->app.st);
            h->app.st.view_gen++;
        }
        if (h->app.st.back_playing) h->app.st.back_active = 0; /* the walk, fully revealed */
        h->app.st.playing = h->app.st.back_playing = 0;
        headless_frame(h, 0);
        snprintf(path, sizeof path, "%s/step-%02d.png", dir, k + 1);
        if (headless_save(h, path, err, err_len) != 0) return 1;
        snprintf(path, sizeof path, "%s/step-%02d.md", dir, k + 1);
        if (lesson_write_markdown(l, k, path, err, err_len) != 0) return 1;
    }
    return 0;
}

int headless_run(const options *o, const char *data_dir) {
    headless h;
    char err[512];
    int rc = 0;
    if (!o->screenshot && !o->export_dir && !o->record) {
        fprintf(stderr, "gatescope: --headless needs --screenshot out.png or --record out.mp4 (or "
                "--lesson FILE --export-dir DIR)\n");
        return 2;
    }
    if (headless_open(&h, o, data_dir, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return 1;
    }
    if (o->export_dir) {
        if (headless_export(&h, o->export_dir, err, sizeof err) != 0) {
            fprintf(stderr, "gatescope: %s\n", err);
            rc = 1;
        }
        goto done;
    }
    headless_frame(&h, 0);
    if (o->train_steps > 0) { /* --train-steps: train first, as the Train button does */
        h.app.st.opts.train.iterations = o->train_steps;
        session_command(&h.app.st, CMD_TRAIN, 0);
        if (!train_active(&h.app.st)) {
            fprintf(stderr, "gatescope: %s\n", h.app.st.toast);
            rc = 1;
            goto done;
        }
        while (train_running(&h.app.st)) {
            SDL_Delay(20);
            headless_frame(&h, 0.02);
        }
        headless_frame(&h, 0.6); /* the newest snapshot */
        headless_frame(&h, 0);   /* ... with its Jacobians, the view now still */
    }
    if (o->record) {
        if (headless_record(&h, o, err, sizeof err) != 0) {
            fprintf(stderr, "gatescope: %s\n", err);
            rc = 1;
        }
    } else if (headless_save(&h, o->screenshot, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        rc = 1;
    }
done:
    headless_close(&h);
    SDL_Quit();
    return rc;
}
