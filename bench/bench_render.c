/* bench_render.c — how fast the window draws, measured headless (software renderer,
 * the slowest path):
 *   - launch to first frame with the default setup (what a person sees at start);
 *   - the median time of one frame with 4 panes, H = 64, T = 200, 1600x1000:
 *       idle     nothing changed (the pointer moved: hover only);
 *       stepping the cursor moves one step every frame (engine forward + backward,
 *                every heatmap rebuilt) — what playing costs; also with a loss at
 *                every step, and on a sequence of T = 1000.
 * Aims (issue 3): a frame <= 8 ms (60 fps on 2 cores), first frame <= 300 ms. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/headless.h"
#include "session/options.h"
#include "ui/render.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Open o headless and draw its first frame; 0 on success. */
static int open_scene(headless *h, const options *o) {
    char err[512];
    if (headless_open(h, o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    headless_frame(h, 0);
    return 0;
}

/* n frames, each after one step forward: ms[i] is step + frame, px[i] the pixels it
 * drew again (of w x h). */
static void stepping(headless *h, double *ms, double *px, int n) {
    for (int i = 0; i < n; i++) {
        app_input in;
        double t0 = now_ms();
        memset(&in, 0, sizeof in);
        in.kind = IN_COMMAND;
        in.cmd = CMD_STEP;
        in.arg = 1;
        app_event(&h->app, &in);
        headless_frame(h, 1.0 / 60);
        ms[i] = now_ms() - t0;
        px[i] = (double)render_pixels_redrawn(h->app.rc);
    }
}

int main(void) {
    enum { FRAMES = 60 };
    double t0 = now_ms(), idle[FRAMES], step[FRAMES], step_bw[FRAMES], step_long[FRAMES], t_first, t_open;
    double px[FRAMES], px_bw[FRAMES], px_long[FRAMES], all;
    options o;
    headless h;
    char err[512];
    int i;

    /* launch to first frame, default setup (app_run does the same) */
    gs_blas_set_threads(1);
    options_default(&o);
    o.headless = 1;
    if (open_scene(&h, &o) != 0) return 1;
    t_first = now_ms() - t0;
    headless_close(&h);

    /* 4 panes, H = 64, T = 200 */
    options_default(&o);
    o.headless = 1;
    o.width = 1600;
    o.height = 1000;
    all = (double)o.width * (double)o.height; /* the pixels of a whole frame */
    o.setup.hidden = 64;
    o.setup.length = 200;
    o.at = 100;
    t0 = now_ms();
    if (headless_open(&h, &o, GS_SOURCE_DIR, err, sizeof err) != 0) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    t_open = now_ms() - t0;
    headless_frame(&h, 0);
    for (i = 0; i < FRAMES; i++) {
        app_input in;
        memset(&in, 0, sizeof in);
        in.kind = IN_POINTER_MOVE;
        in.x = 300 + 7 * i;
        in.y = 400;
        app_event(&h.app, &in);
        t0 = now_ms();
        headless_frame(&h, 1.0 / 60);
        idle[i] = now_ms() - t0;
    }
    stepping(&h, step, px, FRAMES);
    headless_close(&h);

    /* the same, on a task with a loss at every step: every step also runs backward */
    o.setup.task = GS_TASK_SINE;
    o.at = 0;
    if (open_scene(&h, &o) != 0) return 1;
    stepping(&h, step_bw, px_bw, FRAMES);
    headless_close(&h);

    /* a long sequence: T = 1000 (heatmaps of 1000 columns in 1600 pixels) */
    o.setup.task = GS_TASK_ADDING;
    o.setup.length = 1000;
    o.at = 500;
    if (open_scene(&h, &o) != 0) return 1;
    stepping(&h, step_long, px_long, FRAMES);
    headless_close(&h);
    SDL_Quit();

    printf("bench_render (headless software renderer, 1600x1000)\n");
    printf("  launch to first frame, default setup (4 panes, H=16, T=50): %7.1f ms  (aim <= 300)\n", t_first);
    printf("  scene build, 4 panes, H=64, T=200 (Jacobians included):    %7.1f ms\n", t_open);
    printf("  one frame, 4 panes, H=64, T=200, idle (median of %d):      %7.2f ms  (aim <= 8)\n", FRAMES,
           median(idle, FRAMES));
    printf("  one frame, 4 panes, H=64, T=200, stepping (median of %d):  %7.2f ms  (%2.0f %% of the pixels drawn again)\n",
           FRAMES, median(step, FRAMES), 100 * median(px, FRAMES) / all);
    printf("  ... stepping, a loss every step (sine: backward each step): %7.2f ms  (%2.0f %%)\n", median(step_bw, FRAMES),
           100 * median(px_bw, FRAMES) / all);
    printf("  ... stepping, T=1000 (from step 500):                       %7.2f ms  (%2.0f %%)\n", median(step_long, FRAMES),
           100 * median(px_long, FRAMES) / all);
    return 0;
}
