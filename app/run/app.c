/* app.c — app_run: the window's frame loop (draw only when something changed, sleep
 * until the next input, playback step or toast), or without a window one frame to a
 * PNG, a recording or a lesson's handout. */
#include "run/app.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "platform/paths.h"
#include "platform/platform.h"
#include "run/frame.h"
#include "run/handout.h"
#include "run/headless.h"
#include "run/outputs.h"

/* ---- Without a window ----------------------------------------------------------------- */

/* --headless: one frame to --screenshot, the scene played into --record, or a lesson's
 * handout to --export-dir. */
static int run_headless(const options *o, const char *data_dir) {
    headless h;
    gs_outfile *shot = NULL;
    gs_error e;
    char err[512];
    int rc = 0;
    if (!o->screenshot && !o->export_dir && !o->record) {
        fprintf(stderr, "gatescope: --headless needs --screenshot out.png or --record out.mp4 (or "
                "--lesson FILE --export-dir DIR)\n");
        return 2;
    }
    /* the output first: a bad path fails before the rendering (and any training) */
    if (o->screenshot && !o->export_dir && !o->record &&
        gs_outfile_open(&shot, o->screenshot, NULL, &e) != GS_OK) {
        fprintf(stderr, "gatescope: --screenshot: %s\n", e.msg);
        return 1;
    }
    if (headless_open(&h, o, data_dir, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err);
        gs_outfile_abort(shot);
        return 1;
    }
    if (o->export_dir) {
        if (handout_export(&h, o->export_dir, o->allow_failing, err, sizeof err) != 0) {
            fprintf(stderr, "gatescope: %s\n", err);
            rc = 1;
        }
    } else {
        headless_frame(&h, 0);
        if (o->train_steps > 0) { /* --train-steps: train first, as the Train button does */
            h.app.st.opts.train.iterations = o->train_steps;
            session_command(&h.app.st, CMD_TRAIN, 0);
            if (!train_active(&h.app.st)) {
                fprintf(stderr, "gatescope: %s\n", h.app.st.toast);
                rc = 1;
            }
            while (train_running(&h.app.st)) {
                SDL_Delay(20);
                headless_frame(&h, 0.02);
            }
            headless_frame(&h, 0.6); /* the newest snapshot */
            headless_frame(&h, 0);   /* ... with its Jacobians, the view now still */
        }
    }
    if (o->record && !o->export_dir && rc == 0 && headless_record(&h, o, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: %s\n", err); /* --record: its target stays untouched */
        rc = 1;
    }
    if (shot && headless_write(&h, shot, err, sizeof err) != 0) {
        fprintf(stderr, "gatescope: --screenshot: %s\n", err);
        rc = 1;
    }
    headless_close(&h);
    SDL_Quit();
    return rc;
}

/* ---- The window ------------------------------------------------------------------- */

static int run_window(const options *o, const char *data_dir) {
    platform pf;
    app_ctx a;
    outputs out;
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
    /* the frame is kept in a texture, so each frame draws only what changed */
    render_use_canvas(a.rc, 1);
    outputs_init(&out, 1);
    last = SDL_GetPerformanceCounter();
    while (!a.st.quit) {
        /* draw only when something changed; otherwise sleep until the next input, the
           next step of playback, or a toast running out */
        int wait = 0, seen;
        unsigned long gen;
        int toast_was, cursor_was, served;
        if (!dirty) {
            wait = 250;
            if (train_running(&a.st)) wait = 16; /* training: poll the worker each frame */
            if (a.st.playing || a.st.back_playing) {
                double left = (1.0 - a.st.play_acc) / state_speed(a.st.speed);
                wait = (int)(left * 1000.0);
                if (wait < 1) wait = 1;
                if (wait > 250) wait = 250;
            }
            if (out.rec) { /* recording: wake for every frame it is due */
                double due = outputs_wait(&out, (double)SDL_GetPerformanceCounter() / (double)freq);
                if (due * 1000.0 < wait) wait = (int)(due * 1000.0) + 1;
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
        if (dirty) app_draw(&a.st, a.rc, a.vc);
        /* screenshots and recordings read the frame before it is presented */
        served = outputs_service(&out, &a.st, pf.r, dirty,
                                 (double)SDL_GetPerformanceCounter() / (double)freq);
        if (dirty) {
            SDL_RenderPresent(pf.r);
            dirty = 0;
        }
        if (served) dirty = 1; /* its toast, the Record button */
    }
    outputs_close(&out, &a.st);
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
    if (o->headless || o->screenshot || o->record) return run_headless(o, dir);
    return run_window(o, dir);
}
