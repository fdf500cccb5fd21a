/* share_req.h — what the teacher asked the window for, waiting for run/outputs.c: a
 * screenshot, a recording started or stopped, the view saved as a lesson, the weights
 * kept, a command line for the clipboard.  The session records the request (these
 * need the window's pixels, the user's folders or the clipboard, which live above it)
 * and run/outputs.c does it after the next draw.  Types only, so the state can embed
 * it; session/share.c fills it. */
#ifndef GS_APP_SHARE_REQ_H
#define GS_APP_SHARE_REQ_H

#define SHARE_CLIP_MAX 8192

typedef struct share_req {
    int screenshot;   /* 1: a PNG of the window; 2: of the selected pane */
    int record;       /* wanted: 0 off, 1 MP4, 2 GIF (outputs start and stop it) */
    int recording;    /* set by run/outputs.c while a recording runs (the button lights) */
    int save_lesson;  /* Ctrl+S: the view as a lesson in the user's documents */
    int keep_weights; /* Ctrl+K: the scene's weights into the user's documents */
    int copy;         /* Ctrl+C: clip goes to the clipboard */
    char clip[SHARE_CLIP_MAX]; /* the command line to copy */
} share_req;

#endif
