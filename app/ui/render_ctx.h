/* render_ctx.h — the render context's insides, shared by ui/render.c (the context and
 * the shapes) and ui/render_text.c (fonts, the text cache, text, formulas and the
 * overflow checks).  Nothing else includes it: everyone else sees the opaque
 * render_ctx of ui/render.h. */
#ifndef GS_APP_RENDER_CTX_H
#define GS_APP_RENDER_CTX_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "ui/layout.h"

struct text_rect; /* ui/render.h */

typedef struct text_entry {
    unsigned long hash;
    int font;
    char *str;
    SDL_Texture *tex; /* white text; tinted with SDL_SetTextureColorMod */
    int w, h;
    unsigned long used; /* frame it was last drawn in */
    int next;           /* chain in the bucket, -1 ends */
} text_entry;

#define GEO_MAX 4096 /* vertices per flush */

struct render_ctx {
    SDL_Renderer *r;
    char font_dir[2048];
    TTF_Font *font[FONT_COUNT];
    int font_px[FONT_COUNT];
    text_entry *entries;  /* the text cache */
    int n_entries, cap_entries;
    int *buckets;         /* heads of chains, -1 = empty */
    int n_buckets;
    unsigned long frame;
    SDL_Vertex geo[GEO_MAX];   /* translucent triangles (feathers), drawn blended */
    int n_geo;
    SDL_Vertex solid[GEO_MAX]; /* opaque triangles, drawn without blending (much faster
                                  in the software renderer) */
    int n_solid;
    int overflows;
    char last_overflow[160];
    box bounds;           /* the current view's box (w = 0: unchecked) */
    char **log;           /* strings drawn while logging */
    int n_log, cap_log, logging;
    struct text_rect *rects; /* pieces of text drawn while logging rectangles */
    int n_rects, cap_rects, logging_rects;
    int group, group_hold; /* the current text group; held (> 0) while a formula draws */
};

/* Free the text side (cached textures, fonts, the log); render_destroy calls it. */
void render__text_free(struct render_ctx *rc);

#endif
