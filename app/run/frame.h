/* frame.h — the five phases of the app (style rule 16; run/frame.c), shared by the
 * window (run/app.c), headless frames (run/headless.c), the tests and the benchmark:
 *   app_init   build the session, the render context, the caches;
 *   app_event  apply one input already translated from SDL (platform/platform.c);
 *   app_update advance the clock; the only phase that changes engine state;
 *   app_draw   draw a frame from `const app_state *`;
 *   app_quit   free everything. */
#ifndef GS_APP_FRAME_H
#define GS_APP_FRAME_H

#include "session/session.h"
#include "ui/render.h"
#include "views/views.h"

typedef struct app_ctx {
    app_state st;
    render_ctx *rc;   /* fonts and the text cache, over the target renderer */
    view_cache *vc;   /* heatmap textures */
    int fonts_present; /* the fonts are sized for presenter mode */
} app_ctx;

/* Everything for a first frame of w x h output pixels drawn by r.  data_dir holds
 * assets/ (fonts, corpus).  0 on success; otherwise a one-line message in err. */
int app_init(app_ctx *a, const options *o, const char *data_dir, SDL_Renderer *r, int w, int h,
             double dpi, char *err, size_t err_len);
void app_event(app_ctx *a, const app_input *in);
void app_update(app_ctx *a, double dt);
void app_draw(const app_state *st, render_ctx *rc, view_cache *vc);
void app_quit(app_ctx *a);

#endif
