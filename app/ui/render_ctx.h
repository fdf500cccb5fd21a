/* render_ctx.h — the render context's insides, shared by ui/render.c (the context and
 * the shapes) and ui/render_text.c (fonts, the text cache, text, formulas and the
 * overflow checks).  Nothing else includes it: everyone else sees the opaque
 * render_ctx of ui/render.h. */
#ifndef GS_APP_RENDER_CTX_H
#define GS_APP_RENDER_CTX_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "ui/colormap.h"
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

/* A width measured once (render_measure): found again by font and string.  The
 * views measure the same few hundred strings every frame, and TTF_SizeUTF8 shapes
 * each one again (harfbuzz): a stepping frame spent a ninth of its time there. */
enum { MEASURE_SLOTS = 4096, MEASURE_LEN = 88 }; /* slots (a power of two); longest string kept */
typedef struct measure_slot {
    unsigned long hash; /* 0: empty */
    int font, w;
    char s[MEASURE_LEN];
} measure_slot;

#define GEO_MAX 4096 /* vertices per flush */

/* ---- Drawing only what changed (ui/render_region.c) ---- */

enum { RG_MAX = 24, RG_DAMAGE = 48 }; /* regions a frame can have (ids 0 .. RG_MAX - 1);
                                          areas a frame draws again, at most */

/* One drawing call, recorded to be drawn later (or not at all). */
typedef struct rcmd {
    unsigned char kind;  /* RCMD_FILL, RCMD_GEO, RCMD_COPY */
    unsigned char blend; /* SDL_BLENDMODE_NONE or _BLEND (fills and geometry) */
    SDL_Color c;         /* fill colour, or a copy's colour modulation */
    SDL_Rect r;          /* fill or copy destination */
    SDL_Rect src;        /* copy source (w = 0: the whole texture) */
    int v0, nv;          /* geometry: vertices [v0, v0 + nv) of the record */
    SDL_Texture *tex;    /* copy source */
    unsigned long long h; /* of all the above, the vertices and the texture's content key */
    box ink;             /* the pixels it can touch */
} rcmd;
enum { RCMD_FILL, RCMD_GEO, RCMD_COPY };

/* What one region (or the overlay) drew in a frame. */
typedef struct rrec {
    rcmd *cmd;
    int n, cap;
    SDL_Vertex *v;
    int nv, capv;
    unsigned long long hash; /* of the box and every call */
    int failed;              /* a call could not be recorded (out of memory) */
} rrec;

typedef struct rregions {
    int keep;          /* the target keeps its pixels between frames */
    int force_full;    /* the next frame redraws everything */
    cm_rgb bg;         /* this frame's background */
    rrec rec[RG_MAX + 1];  /* this frame's, by id; rec[RG_MAX] is the overlay */
    rrec prev[RG_MAX + 1]; /* the last frame's */
    int id[RG_MAX];    /* this frame's regions, in drawing order */
    box at[RG_MAX];    /* ... and their boxes */
    int n;
    rrec *cur;         /* being recorded into; NULL draws at once */
    unsigned long long last_key; /* the last frame's regions, boxes and background */
    int have_last;
    box damage[RG_DAMAGE]; /* what this frame draws again */
    int n_damage;
    SDL_Texture *canvas; /* the window's kept frame (render_use_canvas) */
    int canvas_w, canvas_h, canvas_on;
    long drawn;        /* pixels the last frame drew again (for the tests and the bench) */
} rregions;

struct render_ctx {
    SDL_Renderer *r;
    char font_dir[2048];
    TTF_Font *font[FONT_COUNT];
    int font_px[FONT_COUNT];
    text_entry *entries;  /* the text cache */
    int n_entries, cap_entries;
    int *buckets;         /* heads of chains, -1 = empty */
    int n_buckets;
    measure_slot *measured; /* MEASURE_SLOTS, direct-mapped; made on first use */
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
    rregions rg;
};

/* Free the text side (cached textures, fonts, the log); render_destroy calls it. */
void render__text_free(struct render_ctx *rc);

/* The three drawing calls everything ends in (ui/render_region.c): drawn at once, or
 * recorded into the current region.  A fill of alpha 255 draws without blending. */
void render__fill_rect(struct render_ctx *rc, SDL_Rect r, SDL_Color c);
void render__geometry(struct render_ctx *rc, const SDL_Vertex *v, int n, SDL_BlendMode blend);
void render__copy(struct render_ctx *rc, SDL_Texture *tex, SDL_Rect src, SDL_Rect dst,
                  SDL_Color mod, unsigned long long key);
/* Draw (or record) the triangles collected so far. */
void render__geo_flush(struct render_ctx *rc);
/* The frame's start (clears when nothing is kept) and end (draws what changed). */
void render__regions_begin(struct render_ctx *rc, cm_rgb bg);
void render__regions_end(struct render_ctx *rc);
void render__regions_free(struct render_ctx *rc);

#endif
