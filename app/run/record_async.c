/* record_async.c — a recorder (run/record.h) fed from the window without making it
 * wait: frames are copied into a small queue and encoded by a thread of their own.
 * When the encoder falls behind and the queue is full, the newest queued frame lasts
 * one frame longer instead, so the recording keeps its timing (it shows an older
 * picture for a moment) and the window keeps its frame rate. */
#include "run/record_async.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE 3

typedef struct slot {
    unsigned char *px; /* (h, pitch) a copied frame */
    long repeat;       /* how many frames it stands for */
} slot;

struct rec_async {
    recorder *rec;
    int w, h, pitch;
    SDL_Thread *thread;
    SDL_mutex *lock;   /* guards everything below */
    SDL_cond *cond;    /* signalled when the queue or `closing` changes */
    slot q[QUEUE];     /* a ring: head is the oldest */
    int head, n;
    int closing;       /* no more frames: drain and stop */
    int failed;        /* the encoder failed: err says why */
    char err[512];
    long frames;       /* frames added, repeats included */
};

static int encode(void *arg) {
    rec_async *a = arg;
    SDL_LockMutex(a->lock);
    for (;;) {
        slot s;
        while (a->n == 0 && !a->closing) SDL_CondWait(a->cond, a->lock);
        if (a->n == 0) break; /* closing, all drained */
        int bad = a->failed;
        s = a->q[a->head];
        SDL_UnlockMutex(a->lock);
        /* the err buffer is this thread's until `failed` is set under the lock */
        for (long k = 0; k < s.repeat && !bad; k++)
            bad = recorder_frame(a->rec, s.px, a->pitch, a->err, sizeof a->err) != 0;
        SDL_LockMutex(a->lock);
        if (bad) a->failed = 1;
        a->head = (a->head + 1) % QUEUE;
        a->n--;
        SDL_CondSignal(a->cond);
    }
    SDL_UnlockMutex(a->lock);
    return 0;
}

rec_async *rec_async_open(const char *path, int w, int h, int fps, char *err, size_t err_len) {
    rec_async *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    a->w = w;
    a->h = h;
    a->pitch = 4 * w;
    for (int i = 0; i < QUEUE; i++)
        if (!(a->q[i].px = malloc((size_t)a->pitch * (size_t)h))) {
            snprintf(err, err_len, "out of memory");
            goto fail;
        }
    if (!(a->rec = recorder_open(path, w, h, fps, 1, err, err_len))) goto fail;
    if (!(a->lock = SDL_CreateMutex()) || !(a->cond = SDL_CreateCond()) ||
        !(a->thread = SDL_CreateThread(encode, "gatescope-record", a))) {
        snprintf(err, err_len, "cannot start the recording thread: %s", SDL_GetError());
        goto fail;
    }
    return a;
fail:
    recorder_abort(a->rec);
    a->rec = NULL;
    rec_async_abort(a);
    return NULL;
}

int rec_async_frame(rec_async *a, const void *pixels, int pitch, char *err, size_t err_len) {
    int rc = 0;
    SDL_LockMutex(a->lock);
    if (a->failed) {
        snprintf(err, err_len, "%s", a->err);
        rc = 1;
    } else if (a->n == QUEUE) { /* behind: the newest queued frame lasts longer */
        a->q[(a->head + a->n - 1) % QUEUE].repeat++;
        a->frames++;
    } else {
        slot *s = &a->q[(a->head + a->n) % QUEUE];
        for (int y = 0; y < a->h; y++)
            memcpy(s->px + (size_t)y * (size_t)a->pitch, (const unsigned char *)pixels + (size_t)y * (size_t)pitch,
                   (size_t)a->pitch);
        s->repeat = 1;
        a->n++;
        a->frames++;
        SDL_CondSignal(a->cond);
    }
    SDL_UnlockMutex(a->lock);
    return rc;
}

long rec_async_frames(const rec_async *a) { return a ? a->frames : 0; }

/* Stop the thread after it has encoded what is queued. */
static void finish(rec_async *a) {
    if (!a->thread) return;
    SDL_LockMutex(a->lock);
    a->closing = 1;
    SDL_CondSignal(a->cond);
    SDL_UnlockMutex(a->lock);
    SDL_WaitThread(a->thread, NULL);
    a->thread = NULL;
}

static void free_all(rec_async *a) {
    if (a->cond) SDL_DestroyCond(a->cond);
    if (a->lock) SDL_DestroyMutex(a->lock);
    for (int i = 0; i < QUEUE; i++) free(a->q[i].px);
    free(a);
}

int rec_async_close(rec_async *a, char *err, size_t err_len) {
    int rc;
    finish(a);
    if (a->failed) {
        snprintf(err, err_len, "%s", a->err);
        recorder_abort(a->rec);
        rc = 1;
    } else {
        rc = recorder_close(a->rec, err, err_len);
    }
    free_all(a);
    return rc;
}

void rec_async_abort(rec_async *a) {
    if (!a) return;
    finish(a);
    recorder_abort(a->rec);
    free_all(a);
}
