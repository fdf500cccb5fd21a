/* record_run.c — `gatescope --headless --record FILE`: the scene played from step 0 to
 * the end, one frame per step, then (with --backward) the backward pass walked from
 * the loss back to step 1 (or to --backward=STEP), one frame per step again, and the
 * last frame held for a second.  The frames are the headless surface
 * (run/headless.c); the encoders are run/record.c.  A progress bar on a terminal. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "run/headless.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run/record.h"
#include "session/session.h"

typedef struct progress {
    FILE *tty;        /* stderr when it is a terminal, else NULL */
    const char *name; /* the file being written */
    long total;
} progress;

static void progress_show(const progress *p, long done) {
    char bar[31];
    int fill;
    if (!p->tty || p->total <= 0) return;
    fill = (int)(30 * done / p->total);
    for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(p->tty, "\rrecording %.60s [%s] %ld/%ld frames", p->name, bar, done, p->total);
    fflush(p->tty);
}

/* Draw the current state and add it as one frame. */
static int add_frame(headless *h, recorder *rec, const progress *p, char *err, size_t len) {
    headless_frame(h, 0);
    if (recorder_frame(rec, h->surf->pixels, h->surf->pitch, err, len) != 0) return 1;
    progress_show(p, recorder_frames(rec));
    return 0;
}

int headless_record(headless *h, const options *o, char *err, size_t err_len) {
    app_state *st = &h->app.st;
    int T = state_T(st), lo = 1, stop = 0, walk = o->backward != 0, hold = o->fps;
    progress p = { NULL, o->record, 0 };
    recorder *rec;
    if (SDL_BYTEORDER != SDL_LIL_ENDIAN) { /* the encoders read B, G, R, X bytes */
        snprintf(err, err_len, "recording needs a little-endian machine");
        return 1;
    }
    /* the backward walk: from the loss at T down to the first step with a gradient */
    if (walk) {
        const gs_seq *s = state_seq(st, 0);
        if (st->first_loss_step < 1 || st->first_loss_step > T) {
            snprintf(err, err_len, "--backward: this setup takes no loss, so nothing flows back");
            return 1;
        }
        if (s) lo = gs_seq_summary_of(s).grad_lo;
        if (lo < 1) lo = 1;
        stop = o->backward > lo ? o->backward : lo;
    }
    p.total = (T + 1) + (walk ? T - stop + 1 : 0) + hold;
    if (isatty(fileno(stderr))) p.tty = stderr;
    if (!(rec = recorder_open(o->record, h->surf->w, h->surf->h, o->fps, 0, err, err_len))) return 1;
    st->playing = st->back_playing = 0;
    st->back_active = 0;
    for (int t = 0; t <= T; t++) {
        state_set_cursor(st, t);
        if (add_frame(h, rec, &p, err, err_len) != 0) goto fail;
    }
    if (walk) {
        session_command(st, CMD_BACK_LOSS, 0); /* the playhead at the loss, T */
        if (add_frame(h, rec, &p, err, err_len) != 0) goto fail;
        while (st->back_active && st->back_pos > stop) {
            int was = st->back_pos;
            session_command(st, CMD_BACK_WALK, -1);
            if (st->back_pos == was) break;
            if (add_frame(h, rec, &p, err, err_len) != 0) goto fail;
        }
    }
    for (int k = 0; k < hold; k++) /* the last picture stays a second on the slide */
        if (recorder_frame(rec, h->surf->pixels, h->surf->pitch, err, err_len) != 0) goto fail;
    progress_show(&p, recorder_frames(rec));
    if (p.tty) fputc('\n', p.tty);
    return recorder_close(rec, err, err_len);
fail:
    if (p.tty) fputc('\n', p.tty);
    recorder_abort(rec);
    return 1;
}
