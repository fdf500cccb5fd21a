/* outputs.c — the teacher's outputs from the window: screenshots, recordings, the view
 * as a lesson, the weights kept, the command line on the clipboard.  See outputs.h. */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#include "run/outputs.h"

#include <SDL_image.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gatescope.h"
#include "platform/paths.h"
#include "session/share.h"

static void toast(app_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void toast(app_state *st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->toast, sizeof st->toast, fmt, ap);
    va_end(ap);
    st->toast_left = 5.0;
}

/* dir/gatescope[-what]-YYYYmmdd-HHMMSS[-N]ext, a name not taken yet. */
static void new_name(char *out, size_t len, const char *dir, const char *what, const char *ext) {
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    struct stat sb;
    if (localtime_r(&now, &tm)) strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    else snprintf(stamp, sizeof stamp, "%ld", (long)now);
    for (int k = 1; k < 1000; k++) {
        char n[16] = "";
        if (k > 1) snprintf(n, sizeof n, "-%d", k);
        snprintf(out, len, "%s/gatescope%s%s-%s%s%s", dir, what[0] ? "-" : "", what, stamp, n, ext);
        if (stat(out, &sb) != 0) return;
    }
}

/* ---- PNG ------------------------------------------------------------------------- */

int outputs_write_png(SDL_Renderer *r, SDL_Rect area, const char *path, char *err, size_t err_len) {
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, area.w, area.h, 32, SDL_PIXELFORMAT_RGB888);
    SDL_RWops *rw = NULL;
    gs_outfile *o = NULL;
    gs_error e;
    char shown[300];
    int rc = 1;
    gs_quote(shown, sizeof shown, path, strlen(path));
    if (!s) {
        snprintf(err, err_len, "cannot make a %dx%d picture: %s", area.w, area.h, SDL_GetError());
        return 1;
    }
    if (SDL_RenderReadPixels(r, &area, SDL_PIXELFORMAT_RGB888, s->pixels, s->pitch) != 0) {
        snprintf(err, err_len, "cannot read the window's pixels: %s", SDL_GetError());
        goto done;
    }
    if (gs_outfile_open(&o, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        goto done;
    }
    if (!(rw = SDL_RWFromFP(gs_outfile_stream(o), SDL_FALSE))) {
        snprintf(err, err_len, "cannot write '%s': %s", shown, SDL_GetError());
        goto done;
    }
    if (IMG_SavePNG_RW(s, rw, 1) != 0) { /* closes rw, not the stream */
        snprintf(err, err_len, "cannot write '%s': %s", shown, IMG_GetError());
        goto done;
    }
    rc = gs_outfile_commit(o, &e) == GS_OK ? 0 : 1;
    o = NULL;
    if (rc) snprintf(err, err_len, "%s", e.msg);
done:
    gs_outfile_abort(o);
    SDL_FreeSurface(s);
    return rc;
}

static void screenshot(app_state *st, SDL_Renderer *r) {
    char dir[4096], path[4300], err[512], pretty[4300];
    SDL_Rect area = { 0, 0, st->w, st->h };
    const char *what = "";
    if (st->share.screenshot == 2 && st->selected >= 0 && st->selected < st->L.n_panes) {
        box b = st->L.pane[st->selected].all;
        const gs_variant_info *vi = state_variant(st, st->selected);
        area = (SDL_Rect){ b.x, b.y, b.w, b.h };
        what = vi ? vi->name : "pane";
    }
    st->share.screenshot = 0;
    new_name(path, sizeof path, paths_user_dir(PATHS_PICTURES, dir, sizeof dir), what, ".png");
    if (outputs_write_png(r, area, path, err, sizeof err) != 0) toast(st, "no screenshot: %.180s", err);
    else toast(st, "screenshot saved: %.180s", paths_pretty(path, pretty, sizeof pretty));
}

/* ---- Recording ----------------------------------------------------------------------- */

/* The recording is over (rec already closed or aborted): free its frame, say so. */
static void rec_over(outputs *o, app_state *st) {
    o->rec = NULL;
    free(o->frame);
    o->frame = NULL;
    st->share.record = 0;
    st->share.recording = 0;
    st->view_gen++;
}

static void rec_stop(outputs *o, app_state *st, const char *why) {
    char err[512], pretty[4300];
    long n = rec_async_frames(o->rec);
    if (!o->rec) return;
    if (rec_async_close(o->rec, err, sizeof err) != 0)
        toast(st, "the recording failed: %.170s", err);
    else
        toast(st, "%srecording saved (%.1f s): %.150s", why, (double)n / OUTPUTS_FPS,
              paths_pretty(o->rec_path, pretty, sizeof pretty));
    rec_over(o, st);
}

static void rec_fail(outputs *o, app_state *st, const char *what, const char *why) {
    rec_async_abort(o->rec);
    rec_over(o, st);
    toast(st, "the recording stopped: %s: %.150s", what, why);
}

static void rec_start(outputs *o, app_state *st, double now) {
    char dir[4096], err[512];
    int gif = st->share.record == 2;
    o->rec_w = gif ? st->w : st->w & ~1; /* H.264 wants even sizes: drop a last column */
    o->rec_h = gif ? st->h : st->h & ~1;
    o->frame_pitch = o->rec_w * 4;
    new_name(o->rec_path, sizeof o->rec_path, paths_user_dir(PATHS_VIDEOS, dir, sizeof dir), "",
             gif ? ".gif" : ".mp4");
    if (!(o->frame = malloc((size_t)o->frame_pitch * (size_t)o->rec_h))) snprintf(err, sizeof err, "out of memory");
    else o->rec = rec_async_open(o->rec_path, o->rec_w, o->rec_h, OUTPUTS_FPS, err, sizeof err);
    if (!o->rec) {
        rec_over(o, st);
        toast(st, "cannot record: %.180s", err);
        return;
    }
    o->rec_start = now;
    st->share.recording = 1;
    st->view_gen++;
    toast(st, "recording: press F9 again to stop");
}

/* Add the frames due by now: the last one read, repeated while the view stands still. */
static void rec_feed(outputs *o, app_state *st, SDL_Renderer *r, int drawn, double now) {
    char err[512];
    SDL_Rect area = { 0, 0, o->rec_w, o->rec_h };
    long due = (long)floor((now - o->rec_start) * OUTPUTS_FPS) + 1 - rec_async_frames(o->rec);
    if (drawn || rec_async_frames(o->rec) == 0) {
        if (SDL_RenderReadPixels(r, &area, SDL_PIXELFORMAT_RGB888, o->frame, o->frame_pitch) != 0) {
            rec_fail(o, st, "cannot read the window", SDL_GetError());
            return;
        }
    }
    if (due > OUTPUTS_FPS) { /* a long stall: skip it rather than fill it */
        o->rec_start += (double)(due - OUTPUTS_FPS) / OUTPUTS_FPS;
        due = OUTPUTS_FPS;
    }
    for (long k = 0; k < due; k++)
        if (rec_async_frame(o->rec, o->frame, o->frame_pitch, err, sizeof err) != 0) {
            rec_fail(o, st, "cannot encode", err);
            return;
        }
}

/* ---- The rest ---------------------------------------------------------------------- */

static void save_lesson(app_state *st) {
    char dir[4096], path[4300], err[512], pretty[4300];
    int trained = st->weights_trained;
    st->share.save_lesson = 0;
    new_name(path, sizeof path, paths_user_dir(PATHS_DOCUMENTS, dir, sizeof dir), "", ".lesson");
    if (share_save_lesson(st, path, err, sizeof err) != 0) toast(st, "cannot save the lesson: %.170s", err);
    else toast(st, "the view saved as %.150s%s", paths_pretty(path, pretty, sizeof pretty),
               trained ? " (the trained weights beside it)" : "");
}

static void keep_weights(app_state *st) {
    char dir[4096], path[4300], err[512], pretty[4300];
    st->share.keep_weights = 0;
    new_name(path, sizeof path, paths_user_dir(PATHS_DOCUMENTS, dir, sizeof dir), "weights", "");
    if (share_keep_weights(st, path, err, sizeof err) != 0) toast(st, "cannot keep the weights: %.170s", err);
    else toast(st, "weights kept in %.170s", paths_pretty(path, pretty, sizeof pretty));
}

static void copy(outputs *o, app_state *st) {
    st->share.copy = 0;
    if (!o->clipboard) {
        toast(st, "no clipboard without a window: %.150s", st->share.clip);
        return;
    }
    if (SDL_SetClipboardText(st->share.clip) != 0) {
        toast(st, "cannot copy: %.150s", SDL_GetError());
        return;
    }
    toast(st, "copied%s: %.150s", st->weights_trained ? " (not the trained weights: Ctrl+K keeps them)" : "",
          st->share.clip);
}

void outputs_init(outputs *o, int clipboard) {
    memset(o, 0, sizeof *o);
    o->clipboard = clipboard;
}

int outputs_service(outputs *o, app_state *st, SDL_Renderer *r, int drawn, double now) {
    share_req *q = &st->share;
    int was = q->screenshot || q->save_lesson || q->keep_weights || q->copy || (q->record != 0) != (o->rec != NULL);
    if (q->screenshot && drawn) screenshot(st, r);
    if (q->save_lesson) save_lesson(st);
    if (q->keep_weights) keep_weights(st);
    if (q->copy) copy(o, st);
    if (q->record && !o->rec && drawn) rec_start(o, st, now);
    else if (!q->record && o->rec) rec_stop(o, st, "");
    if (o->rec && (st->w != o->rec_w + (q->record == 1 ? st->w & 1 : 0) ||
                   st->h != o->rec_h + (q->record == 1 ? st->h & 1 : 0)))
        rec_stop(o, st, "the window changed size: ");
    if (o->rec) rec_feed(o, st, r, drawn, now);
    return was || (q->record != 0) != (o->rec != NULL);
}

double outputs_wait(const outputs *o, double now) {
    if (!o->rec) return 1e9;
    double next = o->rec_start + (double)rec_async_frames(o->rec) / OUTPUTS_FPS;
    return next > now ? next - now : 0;
}

void outputs_close(outputs *o, app_state *st) {
    if (o->rec) rec_stop(o, st, "");
    free(o->frame);
    memset(o, 0, sizeof *o);
}
