/* train_worker.h — a train_session run in a worker thread for the window.  The
 * worker publishes progress (the loss history) and snapshots of the weights under a
 * mutex; the UI copies what it needs and never waits for a training step. */
#ifndef GS_APP_TRAIN_WORKER_H
#define GS_APP_TRAIN_WORKER_H

#include "session/train_session.h"

#define TRAIN_MAX_SNAPSHOTS 64

typedef struct train_worker train_worker;

/* Starts training a copy of the scene's models (running).  The scene must outlive
 * the worker.  NULL with a message in err on failure. */
train_worker *train_worker_start(const scene *sc, const train_setup *setup, char *err,
                                 size_t err_len);
void train_worker_set_paused(train_worker *w, int paused);
int train_worker_paused(train_worker *w);
/* 1 once the budget is spent. */
int train_worker_done(train_worker *w);
/* Stops the thread and frees everything (NULL is a no-op). */
void train_worker_stop(train_worker *w);
/* Iterations published so far. */
long train_worker_iteration(train_worker *w);
/* Copies up to max published points of variant i into out; returns how many. */
long train_worker_history(train_worker *w, int i, train_point *out, long max);
/* Published weight snapshots, oldest first; the last one is the newest. */
int train_worker_snapshot_count(train_worker *w);
long train_worker_snapshot_iteration(train_worker *w, int k);
/* The snapshot schedule (train_worker.c): the iteration of the scheduled snapshot
 * after the one at iteration, about 1.2 times it. */
long train_snapshot_next(long iteration);
/* When all TRAIN_MAX_SNAPSHOTS are taken: the index (1..n-2) of the snapshot to drop,
 * the one whose neighbours lie closest on a log axis (iteration[] ascending), or -1
 * when n < 3. */
int train_snapshot_to_drop(const long *iteration, int n);
/* Copy snapshot k's weights into the scene's models (same variants, same order);
 * the caller then runs scene_recompute.  0 on success. */
int train_worker_load_snapshot(train_worker *w, int k, scene *sc);

#endif
