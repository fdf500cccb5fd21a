/* app.c — app_run: the window's frame loop (draw only when something changed, sleep
 * until the next input, playback step or toast), or one headless frame to a PNG. */
#include "run/app.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "platform/paths.h"
#include "platform/platform.h"
#include "run/frame.h"
#include "run/headless.h"

/* ---- The window ------------------------------------------------------------------- */

static int run_window(const options *o, const char *data_dir) {
    platform pf;
    app_ctx a;
    char err[512];
    int rc, n, i, dirty = 1;
    Uint64 last, now, freq = SDL_GetPerformanceFrequency();
    app_input in[64];
    rc = platform_open(&pf, o, err, sizeof err);
    if (rc == 2) {
        fprintf(stderr, "%s\n", PLATFORM_NO_DISPLAY);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        return 1;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "gatescope: cannot start SDL_ttf: %s\n", TTF_GetError());
        platform_close(&pf);
        return 1;
    }
    if (app_init(&a, o, data_dir, pf.r, pf.out_w, pf.out_h, pf.dpi, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        TTF_Quit();
        platform_close(&pf);
        return 1;
    }
    last = SDL_GetPerformanceCounter();
    while (!a.st.quit) {
        /* draw only when something changed; otherwise sleep until the next input, the
           next step of playback, or a toast running out */
        int wait = 0, seen;
        unsigned long gen;
        int toast_was, cursor_was;
        if (!dirty) {
            wait = 250;
            if (train_running(&a.st)) wait = 16; /* training: poll the worker each frame */
            if (a.st.playing || a.st.back_playing) {
                double left = (1.0 - a.st.play_acc) / state_speed(a.st.speed);
                wait = (int)(left * 1000.0);
                if (wait < 1) wait = 1;
                if (wait > 250) wait = 250;
            }
        }
        platform_set_text_mode(&pf, a.st.edit.field);
        n = platform_poll(&pf, in, 64, wait, &seen);
        for (i = 0; i < n; i++) app_event(&a, &in[i]);
        if (seen > 0) dirty = 1;
        if (a.st.fullscreen != pf.fullscreen) {
            app_input size;
            platform_set_fullscreen(&pf, a.st.fullscreen);
            size = platform_size_input(&pf);
            app_event(&a, &size);
            dirty = 1;
        }
        if (a.st.rebuild_pending) { /* say so before the (possibly long) rebuild */
            app_draw(&a.st, a.rc, a.vc);
            SDL_RenderPresent(pf.r);
        }
        now = SDL_GetPerformanceCounter();
        gen = a.st.view_gen;
        toast_was = a.st.toast_left > 0;
        cursor_was = a.st.cursor;
        app_update(&a, (double)(now - last) / (double)freq);
        last = now;
        if (gen != a.st.view_gen || cursor_was != a.st.cursor || toast_was != (a.st.toast_left > 0))
            dirty = 1;
        if (train_running(&a.st)) dirty = 1; /* the iteration counter and curves move */
        if (dirty) {
            app_draw(&a.st, a.rc, a.vc);
            SDL_RenderPresent(pf.r);
            dirty = 0;
        }
    }
    app_quit(&a);
    TTF_Quit();
    platform_close(&pf);
    SDL_Quit();
    return 0;
}

int app_run(const options *o, const char *argv0) {
    const char *data = paths_data_dir(argv0);
    char dir[4096];
    if (!data) {
        char looked[2048];
        paths_describe(argv0, looked, sizeof looked);
        fprintf(stderr, "gatescope: cannot find gatescope's fonts (looked in %s); reinstall or run "
                "from the build tree\n", looked);
        return 1;
    }
    snprintf(dir, sizeof dir, "%s", data); /* paths_data_dir's buffer is static */
    if (o->headless || o->screenshot) return headless_run(o, dir);
    return run_window(o, dir);
}
