/* record.h — moving pictures for slides: frames of XRGB8888 pixels (the headless
 * surface's and SDL_RenderReadPixels' SDL_PIXELFORMAT_RGB888) in, at a fixed frame
 * rate, and an H.264 MP4 (FFmpeg's libavcodec / libavformat / libswscale,
 * run/record.c) or a looping animated GIF (giflib, run/record_gif.c) out.  The file
 * is written through a gs_outfile: a temporary file beside the target, renamed over
 * it only when recorder_close succeeds.  Not the driver: the headless --record run is
 * run/record_run.c, the window's recording run/outputs.c. */
#ifndef GS_APP_RECORD_H
#define GS_APP_RECORD_H

#include <stddef.h>

typedef enum rec_format { REC_MP4, REC_GIF } rec_format;

typedef struct recorder recorder;

/* The format a file name asks for (".mp4" or ".gif", any case); 0 on success, 1 if
 * it is neither. */
int recorder_format_of(const char *path, rec_format *out);
/* Open path for w x h frames at fps frames per second (1..60).  H.264 needs even
 * sizes: an odd w or h is refused for MP4.  quick: encoder settings for recording
 * live (about half the time a frame, a bigger file).  NULL with one line in err on
 * failure (nothing is left behind). */
recorder *recorder_open(const char *path, int w, int h, int fps, int quick, char *err,
                        size_t err_len);
/* Add one frame lasting 1/fps s: w x h pixels, 4 bytes each (B, G, R, unused in
 * memory), rows pitch bytes apart.  A GIF merges a frame equal to the one before into
 * it.  0 on success; after a failure the recorder only accepts abort. */
int recorder_frame(recorder *r, const void *pixels, int pitch, char *err, size_t err_len);
/* Frames added so far. */
long recorder_frames(const recorder *r);
/* Finish the file and rename it over the target; r is freed in every case.  0 on
 * success, otherwise one line in err and the target as it was. */
int recorder_close(recorder *r, char *err, size_t err_len);
/* Give up: the temporary file is removed, the target untouched.  NULL is a no-op. */
void recorder_abort(recorder *r);

/* ---- The backends (one file each) ----------------------------------------------- */

typedef struct rec_gif rec_gif;
rec_gif *rec_gif_open(const char *path, int w, int h, int fps, char *err, size_t err_len);
int rec_gif_frame(rec_gif *g, const void *pixels, int pitch, char *err, size_t err_len);
int rec_gif_close(rec_gif *g, char *err, size_t err_len);
void rec_gif_abort(rec_gif *g);

#endif
