/* train_worker.c — training in a worker thread, published under a mutex. */
#include "session/train_worker.h"

#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct snapshot {
    long iteration;
    gs_real *params[OPT_MAX_VARIANTS]; /* copies of each model's parameter block */
} snapshot;

struct train_worker {
    train_session session;   /* touched by the worker thread only while running */
    SDL_Thread *thread;
    SDL_mutex *lock;         /* guards everything below */
    SDL_atomic_t quit, paused;
    long published;          /* history points the UI may read */
    int done;
    snapshot snaps[TRAIN_MAX_SNAPSHOTS];
    int n_snaps;
    size_t count[OPT_MAX_VARIANTS]; /* parameters per model */
    int live_ms;                    /* train_setup.live_ms */
};

/* ---- Which snapshots to keep ------------------------------------------------------
 * Learning often starts early and suddenly (the GRU leaves the adding problem's
 * baseline near iteration 500 of a two-minute run), so the snapshots are spread over
 * the run logarithmically, not evenly: published at iterations 1, 2, 3, 4, 5, 6, 8,
 * 10, 12, 15, ... (each about 1.2 times the one before) and, in the window, every
 * 150 ms for the live view (train_setup.live_ms), and when all TRAIN_MAX_SNAPSHOTS are taken, the one whose neighbours are
 * closest on a log axis goes.  The first (untrained) and the newest always stay. */

#define SNAP_GROWTH 1.2   /* the next scheduled snapshot, as a multiple of this one */
#define SNAP_OFFSET 10.0  /* log(it + 10): the first iterations are not all kept */

long train_snapshot_next(long iteration) {
    long next = (long)ceil((double)iteration * SNAP_GROWTH);
    return next > iteration ? next : iteration + 1;
}

int train_snapshot_to_drop(const long *iteration, int n) {
    int best = -1;
    double best_gap = 0;
    for (int k = 1; k + 1 < n; k++) {
        double gap = log((double)iteration[k + 1] + SNAP_OFFSET) - log((double)iteration[k - 1] + SNAP_OFFSET);
        if (best < 0 || gap < best_gap) {
            best = k;
            best_gap = gap;
        }
    }
    return best;
}

/* Make room for one more: drop the snapshot the log axis misses least. */
static void thin(train_worker *w) {
    long it[TRAIN_MAX_SNAPSHOTS];
    int k;
    for (k = 0; k < w->n_snaps; k++) it[k] = w->snaps[k].iteration;
    if ((k = train_snapshot_to_drop(it, w->n_snaps)) < 0) return;
    for (int i = 0; i < w->session.n; i++) free(w->snaps[k].params[i]);
    memmove(&w->snaps[k], &w->snaps[k + 1], sizeof *w->snaps * (size_t)(w->n_snaps - k - 1));
    w->n_snaps--;
}

static void publish(train_worker *w) {
    snapshot s;
    int ok = 1;
    s.iteration = w->session.iteration;
    for (int i = 0; i < w->session.n; i++) {
        s.params[i] = malloc(sizeof(gs_real) * w->count[i]);
        if (s.params[i])
            memcpy(s.params[i], gs_model_params_const(w->session.models[i], NULL),
                   sizeof(gs_real) * w->count[i]);
        else
            ok = 0;
    }
    SDL_LockMutex(w->lock);
    w->published = w->session.iteration;
    if (ok && w->n_snaps > 0 && w->snaps[w->n_snaps - 1].iteration == s.iteration)
        ok = 0; /* already published (the budget ran out right after a snapshot) */
    if (ok) {
        if (w->n_snaps == TRAIN_MAX_SNAPSHOTS) thin(w);
        w->snaps[w->n_snaps++] = s;
    }
    SDL_UnlockMutex(w->lock);
    if (!ok)
        for (int i = 0; i < w->session.n; i++) free(s.params[i]);
}

static int run(void *arg) {
    train_worker *w = arg;
    Uint64 last = SDL_GetTicks64();
    long next = 1; /* the next scheduled snapshot */
    publish(w); /* the untrained starting point */
    while (!SDL_AtomicGet(&w->quit)) {
        if (SDL_AtomicGet(&w->paused)) {
            SDL_Delay(10);
            continue;
        }
        if (train_session_step(&w->session) != 0) {
            publish(w);
            SDL_LockMutex(w->lock);
            w->done = 1;
            SDL_UnlockMutex(w->lock);
            break;
        }
        /* every live_ms (the live view), and on the log schedule (the history) */
        if ((w->live_ms > 0 && SDL_GetTicks64() - last >= (Uint64)w->live_ms) ||
            w->session.iteration >= next) {
            publish(w);
            last = SDL_GetTicks64();
            while (next <= w->session.iteration) next = train_snapshot_next(next);
        }
    }
    return 0;
}

train_worker *train_worker_start(const scene *sc, const train_setup *setup, char *err,
                                 size_t err_len) {
    train_worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory starting training");
        return NULL;
    }
    if (train_session_create(&w->session, sc, setup, err, err_len) != 0) {
        free(w);
        return NULL;
    }
    for (int i = 0; i < w->session.n; i++) gs_model_params_const(w->session.models[i], &w->count[i]);
    w->live_ms = setup->live_ms;
    w->lock = SDL_CreateMutex();
    if (!w->lock || !(w->thread = SDL_CreateThread(run, "gatescope-train", w))) {
        snprintf(err, err_len, "cannot start the training thread: %s", SDL_GetError());
        train_worker_stop(w);
        return NULL;
    }
    return w;
}

void train_worker_set_paused(train_worker *w, int paused) { SDL_AtomicSet(&w->paused, paused); }
int train_worker_paused(train_worker *w) { return SDL_AtomicGet(&w->paused); }

int train_worker_done(train_worker *w) {
    int d;
    SDL_LockMutex(w->lock);
    d = w->done;
    SDL_UnlockMutex(w->lock);
    return d;
}

void train_worker_stop(train_worker *w) {
    if (!w) return;
    SDL_AtomicSet(&w->quit, 1);
    if (w->thread) SDL_WaitThread(w->thread, NULL);
    for (int k = 0; k < w->n_snaps; k++)
        for (int i = 0; i < w->session.n; i++) free(w->snaps[k].params[i]);
    train_session_free(&w->session);
    if (w->lock) SDL_DestroyMutex(w->lock);
    free(w);
}

long train_worker_iteration(train_worker *w) {
    long it;
    SDL_LockMutex(w->lock);
    it = w->published;
    SDL_UnlockMutex(w->lock);
    return it;
}

long train_worker_history(train_worker *w, int i, train_point *out, long max) {
    long n;
    if (i < 0 || i >= w->session.n) return 0;
    SDL_LockMutex(w->lock);
    n = w->published < max ? w->published : max;
    /* points below `published` are final: the worker only appends after them */
    memcpy(out, w->session.history[i], sizeof(train_point) * (size_t)n);
    SDL_UnlockMutex(w->lock);
    return n;
}

int train_worker_snapshot_count(train_worker *w) {
    int n;
    SDL_LockMutex(w->lock);
    n = w->n_snaps;
    SDL_UnlockMutex(w->lock);
    return n;
}

long train_worker_snapshot_iteration(train_worker *w, int k) {
    long it = -1;
    SDL_LockMutex(w->lock);
    if (k >= 0 && k < w->n_snaps) it = w->snaps[k].iteration;
    SDL_UnlockMutex(w->lock);
    return it;
}

int train_worker_load_snapshot(train_worker *w, int k, scene *sc) {
    int rc = 1;
    SDL_LockMutex(w->lock);
    if (k >= 0 && k < w->n_snaps && sc->n == w->session.n) {
        for (int i = 0; i < sc->n; i++) {
            size_t n;
            gs_real *P = gs_model_params(sc->models[i], &n);
            if (n == w->count[i]) memcpy(P, w->snaps[k].params[i], sizeof(gs_real) * n);
        }
        rc = 0;
    }
    SDL_UnlockMutex(w->lock);
    return rc;
}
