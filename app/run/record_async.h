/* record_async.h — a recorder (run/record.h) encoding in a thread of its own, for the
 * window: adding a frame copies it and returns at once (run/record_async.c). */
#ifndef GS_APP_RECORD_ASYNC_H
#define GS_APP_RECORD_ASYNC_H

#include "run/record.h"

typedef struct rec_async rec_async;

/* Open path as recorder_open does (the quick encoder settings) and start the thread.
 * NULL with one line in err on failure. */
rec_async *rec_async_open(const char *path, int w, int h, int fps, char *err, size_t err_len);
/* Queue one frame (copied; w x h XRGB8888, rows pitch bytes apart).  When the encoder
 * is behind, the newest queued frame lasts one frame longer instead.  0 on success;
 * 1 once the encoder has failed (its message in err). */
int rec_async_frame(rec_async *a, const void *pixels, int pitch, char *err, size_t err_len);
/* Frames added so far (each lasting 1/fps s). */
long rec_async_frames(const rec_async *a);
/* Encode what is queued, finish the file and rename it over the target; a is freed.
 * 0 on success; one line in err otherwise. */
int rec_async_close(rec_async *a, char *err, size_t err_len);
/* Stop, remove the temporary file; NULL is a no-op. */
void rec_async_abort(rec_async *a);

#endif
