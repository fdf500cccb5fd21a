/* render_region.c — drawing only what changed.  A frame is drawn as regions (the top
 * bar, the side bar, each pane, each plot ...: boxes laid out apart) and one overlay
 * over them (a tooltip, the help).  When the target keeps its pixels from one frame to
 * the next (the headless surface, or the window's canvas texture), every drawing call
 * of a region is recorded with its arguments and hashed, and nothing is drawn until
 * the frame ends.  Then, for each region whose calls differ from the last frame's,
 * the area it reaches now or reached then is drawn again as a whole frame would draw
 * it: clipped to that area, the background, then every region and the overlay that
 * reach into it, in order, with exactly the calls a whole redraw makes — so the
 * pixels are a whole redraw's (tests/test_app_damage.c compares them frame by frame).
 * A new layout or background, a call that could not be recorded, or the first frame
 * draws everything.  Without a kept target every call draws at once, as before. */
#include <stdlib.h>
#include <string.h>

#include "ui/render.h"
#include "ui/render_ctx.h"

/* ---- Hashing the calls ---------------------------------------------------------- */

static unsigned long long mix(unsigned long long h, unsigned long long w) {
    h ^= w;
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static unsigned long long mix_bytes(unsigned long long h, const void *p, size_t n) {
    const unsigned char *b = p;
    unsigned long long w;
    for (; n >= 8; n -= 8, b += 8) {
        memcpy(&w, b, 8);
        h = mix(h, w);
    }
    if (n > 0) {
        w = 0;
        memcpy(&w, b, n);
        h = mix(h, w ^ ((unsigned long long)n << 56));
    }
    return h;
}

static unsigned long long mix_box(unsigned long long h, box b) {
    h = mix(h, ((unsigned long long)(unsigned)b.x << 32) | (unsigned)b.y);
    return mix(h, ((unsigned long long)(unsigned)b.w << 32) | (unsigned)b.h);
}

static unsigned long long mix_rect(unsigned long long h, SDL_Rect r) {
    return mix_box(h, (box){ r.x, r.y, r.w, r.h });
}

static box box_join(box a, box b) {
    int x0, y0, x1, y1;
    if (a.w <= 0 || a.h <= 0) return b;
    if (b.w <= 0 || b.h <= 0) return a;
    x0 = a.x < b.x ? a.x : b.x;
    y0 = a.y < b.y ? a.y : b.y;
    x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (box){ x0, y0, x1 - x0, y1 - y0 };
}

static int box_meet(box a, box b) { /* both non-empty and overlapping */
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

/* ---- The calls: at once, or into the record ---------------------------------------- */

static void exec(render_ctx *rc, const rcmd *c, const SDL_Vertex *v) {
    SDL_Renderer *r = rc->r;
    switch (c->kind) {
    case RCMD_FILL:
        SDL_SetRenderDrawColor(r, c->c.r, c->c.g, c->c.b, c->c.a);
        if (c->blend == SDL_BLENDMODE_NONE) SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        SDL_RenderFillRect(r, &c->r);
        if (c->blend == SDL_BLENDMODE_NONE) SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        break;
    case RCMD_GEO:
        if (c->blend == SDL_BLENDMODE_NONE) SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
        SDL_RenderGeometry(r, NULL, v + c->v0, c->nv, NULL, 0);
        if (c->blend == SDL_BLENDMODE_NONE) SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
        break;
    case RCMD_COPY:
        SDL_SetTextureColorMod(c->tex, c->c.r, c->c.g, c->c.b);
        SDL_RenderCopy(r, c->tex, NULL, &c->r);
        break;
    }
}

/* A new call in the current record, or NULL (and the record marked failed). */
static rcmd *push(rrec *q) {
    if (q->n == q->cap) {
        int cap = q->cap ? q->cap * 2 : 256;
        rcmd *nc = realloc(q->cmd, sizeof *nc * (size_t)cap);
        if (!nc) {
            q->failed = 1;
            return NULL;
        }
        q->cmd = nc;
        q->cap = cap;
    }
    return &q->cmd[q->n++];
}

static void note(rrec *q, const rcmd *c) {
    q->hash = mix(q->hash, ((unsigned long long)c->kind << 8) | c->blend);
    q->hash = mix(q->hash, ((unsigned long long)c->c.r << 24) | ((unsigned long long)c->c.g << 16) |
                               ((unsigned long long)c->c.b << 8) | c->c.a);
}

void render__fill_rect(render_ctx *rc, SDL_Rect r, SDL_Color c) {
    rcmd cmd, *q;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_FILL;
    cmd.blend = (unsigned char)(c.a >= 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    cmd.c = c;
    cmd.r = r;
    if (!rc->rg.cur) {
        exec(rc, &cmd, NULL);
        return;
    }
    if (!(q = push(rc->rg.cur))) return;
    *q = cmd;
    note(rc->rg.cur, &cmd);
    rc->rg.cur->hash = mix_rect(rc->rg.cur->hash, r);
    rc->rg.cur->ink = box_join(rc->rg.cur->ink, (box){ r.x, r.y, r.w, r.h });
}

void render__geometry(render_ctx *rc, const SDL_Vertex *v, int n, SDL_BlendMode blend) {
    rrec *g = rc->rg.cur;
    rcmd cmd, *q;
    float x0, y0, x1, y1;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_GEO;
    cmd.blend = (unsigned char)blend;
    cmd.nv = n;
    if (n <= 0) return;
    if (!g) {
        exec(rc, &cmd, v);
        return;
    }
    if (g->nv + n > g->capv) {
        int cap = g->capv ? g->capv : 4096;
        SDL_Vertex *nv;
        while (cap < g->nv + n) cap *= 2;
        if (!(nv = realloc(g->v, sizeof *nv * (size_t)cap))) {
            g->failed = 1;
            return;
        }
        g->v = nv;
        g->capv = cap;
    }
    if (!(q = push(g))) return;
    cmd.v0 = g->nv;
    *q = cmd;
    memcpy(g->v + g->nv, v, sizeof *v * (size_t)n);
    g->nv += n;
    note(g, &cmd);
    g->hash = mix_bytes(g->hash, v, sizeof *v * (size_t)n);
    x0 = x1 = v[0].position.x;
    y0 = y1 = v[0].position.y;
    for (int i = 1; i < n; i++) {
        if (v[i].position.x < x0) x0 = v[i].position.x;
        if (v[i].position.x > x1) x1 = v[i].position.x;
        if (v[i].position.y < y0) y0 = v[i].position.y;
        if (v[i].position.y > y1) y1 = v[i].position.y;
    }
    /* a pixel is touched when its centre is inside: one more on each side is enough */
    g->ink = box_join(g->ink, (box){ (int)x0 - 1, (int)y0 - 1, (int)(x1 - x0) + 3, (int)(y1 - y0) + 3 });
}

void render__copy(render_ctx *rc, SDL_Texture *tex, SDL_Rect dst, SDL_Color mod,
                  unsigned long long key) {
    rcmd cmd, *q;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_COPY;
    cmd.c = mod;
    cmd.r = dst;
    cmd.tex = tex;
    if (!rc->rg.cur) {
        exec(rc, &cmd, NULL);
        return;
    }
    if (!(q = push(rc->rg.cur))) return;
    *q = cmd;
    note(rc->rg.cur, &cmd);
    rc->rg.cur->hash = mix(mix_rect(rc->rg.cur->hash, dst), key);
    rc->rg.cur->hash = mix(rc->rg.cur->hash, (unsigned long long)(size_t)tex);
    rc->rg.cur->ink = box_join(rc->rg.cur->ink, (box){ dst.x, dst.y, dst.w, dst.h });
}

void render_texture(render_ctx *rc, SDL_Texture *tex, unsigned long stamp, box dst) {
    SDL_Color white = { 255, 255, 255, 255 };
    render__copy(rc, tex, (SDL_Rect){ dst.x, dst.y, dst.w, dst.h }, white, stamp);
}

unsigned long render_stamp(render_ctx *rc) { return ++rc->rg.stamp; }

/* ---- Regions -------------------------------------------------------------------------- */

void render_keep_frame(render_ctx *rc, int on) {
    rc->rg.keep = on;
    rc->rg.force_full = 1;
}

void render_use_canvas(render_ctx *rc, int on) {
    rc->rg.canvas_on = on;
    rc->rg.force_full = 1;
}

void render_redraw_all(render_ctx *rc) { rc->rg.force_full = 1; }

int render_regions_drawn(const render_ctx *rc) { return rc->rg.drawn; }

static void start(render_ctx *rc, rrec *q, int id, box b) {
    render__geo_flush(rc);
    q->n = q->nv = 0;
    q->failed = 0;
    q->ink = (box){ 0, 0, 0, 0 };
    q->hash = mix_box(mix(0x5EEDull, (unsigned long long)id), b);
    rc->rg.cur = q;
}

void render_region_begin(render_ctx *rc, int id, box b) {
    rregions *g = &rc->rg;
    render_set_bounds(rc, b);
    if (!g->keep || id < 0 || id >= RG_MAX || g->n == RG_MAX) {
        render__geo_flush(rc);
        g->cur = NULL;
        return;
    }
    g->id[g->n] = id;
    g->at[g->n] = b;
    g->n++;
    start(rc, &g->rec[id], id, b);
}

void render_overlay_begin(render_ctx *rc, box b) {
    render_set_bounds(rc, b);
    if (!rc->rg.keep) return;
    start(rc, &rc->rg.rec[RG_MAX], RG_MAX, (box){ 0, 0, 0, 0 });
}

void render_region_end(render_ctx *rc) {
    render__geo_flush(rc);
    rc->rg.cur = NULL;
}

void render_overlay_end(render_ctx *rc) { render_region_end(rc); }

/* The window's canvas: made (again) at the output's size; 0 when drawing into it. */
static int canvas_ready(render_ctx *rc) {
    rregions *g = &rc->rg;
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(rc->r, &w, &h) != 0 || w <= 0 || h <= 0) return 1;
    if (!g->canvas || g->canvas_w != w || g->canvas_h != h) {
        if (g->canvas) SDL_DestroyTexture(g->canvas);
        g->canvas = SDL_CreateTexture(rc->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!g->canvas) return 1;
        SDL_SetTextureBlendMode(g->canvas, SDL_BLENDMODE_NONE);
        g->canvas_w = w;
        g->canvas_h = h;
        g->force_full = 1;
    }
    return SDL_SetRenderTarget(rc->r, g->canvas);
}

void render__regions_begin(render_ctx *rc, cm_rgb bg) {
    rregions *g = &rc->rg;
    rrec *ov = &g->rec[RG_MAX];
    ov->n = ov->nv = ov->failed = 0; /* a frame without an overlay has an empty one */
    ov->ink = (box){ 0, 0, 0, 0 };
    ov->hash = mix_box(mix(0x5EEDull, (unsigned long long)RG_MAX), ov->ink);
    g->n = 0;
    g->cur = NULL;
    g->bg = bg;
    if (g->canvas_on) {
        if (canvas_ready(rc) != 0) { /* no target textures: draw every frame whole */
            g->canvas_on = 0;
            g->keep = 0;
            if (g->canvas) SDL_DestroyTexture(g->canvas);
            g->canvas = NULL;
        } else {
            g->keep = 1;
        }
    }
    if (!g->keep) {
        SDL_SetRenderDrawColor(rc->r, bg.r, bg.g, bg.b, 255);
        SDL_RenderClear(rc->r);
    }
}

static void fill_bg(render_ctx *rc, box b) {
    SDL_Color c = { rc->rg.bg.r, rc->rg.bg.g, rc->rg.bg.b, 255 };
    if (b.w > 0 && b.h > 0) render__fill_rect(rc, (SDL_Rect){ b.x, b.y, b.w, b.h }, c);
}

static void replay(render_ctx *rc, const rrec *q) {
    for (int i = 0; i < q->n; i++) exec(rc, &q->cmd[i], q->v);
}

/* Where region i's drawing reaches: its box and every call's ink. */
static box reach(const rregions *g, int i) { return box_join(g->at[i], g->rec[g->id[i]].ink); }

/* Draw d again as a whole frame would: clipped to d, the background, then every region
 * and the overlay reaching into d, in order. */
static void repaint(render_ctx *rc, box d) {
    rregions *g = &rc->rg;
    SDL_Rect clip = { d.x, d.y, d.w, d.h };
    if (d.w <= 0 || d.h <= 0) return;
    SDL_RenderSetClipRect(rc->r, &clip);
    fill_bg(rc, d);
    for (int i = 0; i < g->n; i++)
        if (box_meet(reach(g, i), d)) {
            replay(rc, &g->rec[g->id[i]]);
            g->drawn++;
        }
    if (box_meet(g->rec[RG_MAX].ink, d)) replay(rc, &g->rec[RG_MAX]);
    SDL_RenderSetClipRect(rc->r, NULL);
}

void render__regions_end(render_ctx *rc) {
    rregions *g = &rc->rg;
    rrec *ov = &g->rec[RG_MAX];
    unsigned long long key = mix(0x1A7ull, ((unsigned long long)g->bg.r << 16) | (g->bg.g << 8) | g->bg.b);
    int full, i;
    render__geo_flush(rc);
    g->cur = NULL;
    if (!g->keep) return;
    for (i = 0; i < g->n; i++) key = mix_box(mix(key, (unsigned long long)g->id[i]), g->at[i]);
    full = g->force_full || !g->have_last || key != g->last_key || ov->failed;
    for (i = 0; i < g->n; i++)
        if (g->rec[g->id[i]].failed) full = 1;
    g->drawn = 0;
    if (full) {
        SDL_SetRenderDrawColor(rc->r, g->bg.r, g->bg.g, g->bg.b, 255);
        SDL_RenderClear(rc->r);
        for (i = 0; i < g->n; i++) replay(rc, &g->rec[g->id[i]]);
        replay(rc, ov);
        g->drawn = g->n;
    } else {
        /* what changed, where it reaches now and reached last frame */
        for (i = 0; i < g->n; i++) {
            int id = g->id[i];
            if (g->rec[id].hash != g->last_hash[id]) repaint(rc, box_join(reach(g, i), g->last_ink[id]));
        }
        if (ov->hash != g->last_hash[RG_MAX]) {
            repaint(rc, ov->ink);
            repaint(rc, g->last_ink[RG_MAX]);
        }
    }
    for (i = 0; i <= RG_MAX; i++) g->last_hash[i] = 0;
    for (i = 0; i < g->n; i++) {
        g->last_hash[g->id[i]] = g->rec[g->id[i]].hash;
        g->last_ink[g->id[i]] = reach(g, i);
    }
    g->last_hash[RG_MAX] = ov->hash;
    g->last_ink[RG_MAX] = ov->ink;
    g->last_key = key;
    g->have_last = 1;
    g->force_full = 0;
    if (g->canvas_on && g->canvas) { /* the kept frame to the window */
        SDL_SetRenderTarget(rc->r, NULL);
        SDL_RenderCopy(rc->r, g->canvas, NULL, NULL);
    }
}

void render__regions_free(render_ctx *rc) {
    for (int i = 0; i <= RG_MAX; i++) {
        free(rc->rg.rec[i].cmd);
        free(rc->rg.rec[i].v);
    }
    if (rc->rg.canvas) SDL_DestroyTexture(rc->rg.canvas);
    memset(&rc->rg, 0, sizeof rc->rg);
}
