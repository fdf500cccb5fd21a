/* render_region.c — drawing only what changed.  A frame is drawn as regions (the top
 * bar, the side bar, each pane, each plot ...) and one overlay over them (a tooltip,
 * the help).  When the target keeps its pixels from one frame to the next (the
 * headless surface, or the window's canvas texture), every drawing call is recorded
 * with its arguments, a hash of them and the box of pixels it can touch (its ink), and
 * nothing is drawn until the frame ends.  Then each region's calls are matched, in
 * order, against the same region's calls of the last frame; the ink of every call
 * left unmatched, in either frame, is damage.  Each damaged box is drawn again as a
 * whole frame would draw it: clipped to the box, the background, then every call of
 * every region and of the overlay whose ink meets the box, in order.  A pixel outside
 * the damage is touched only by matched calls — the same calls in the same order as
 * last frame — so the picture is always a whole redraw's (tests/test_app_damage.c
 * compares them frame by frame).  A new set of regions or boxes, a new background, a
 * call that could not be recorded, or the first frame draws everything.  Without a
 * kept target every call draws at once. */
#include <math.h>
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
        SDL_RenderCopy(r, c->tex, c->src.w > 0 ? &c->src : NULL, &c->r);
        break;
    }
}

/* Triangles are recorded in runs of RUN_VERTICES, each with its own ink: a batch of a
 * whole view's shapes would reach across the view, and be drawn again for any change
 * in it.  Drawing a batch as consecutive runs gives the same pixels. */
enum { RUN_VERTICES = 3 * 24 };

/* The box a triangle of v can touch (as record's ink: a pixel is touched when its
 * centre is inside, so one more on each side). */
static box tri_ink(const SDL_Vertex *v) {
    float x0 = v[0].position.x, x1 = x0, y0 = v[0].position.y, y1 = y0;
    for (int i = 1; i < 3; i++) {
        if (v[i].position.x < x0) x0 = v[i].position.x;
        if (v[i].position.x > x1) x1 = v[i].position.x;
        if (v[i].position.y < y0) y0 = v[i].position.y;
        if (v[i].position.y > y1) y1 = v[i].position.y;
    }
    int bx = (int)floorf(x0) - 1, by = (int)floorf(y0) - 1;
    return (box){ bx, by, (int)ceilf(x1) + 2 - bx, (int)ceilf(y1) + 2 - by };
}

static int inside(box a, box d) {
    return a.x >= d.x && a.y >= d.y && a.x + a.w <= d.x + d.w && a.y + a.h <= d.y + d.h;
}

/* Draw c clipped to d: of a run of triangles only those that reach d (SDL's software
 * renderer pays for every blended triangle, even one the clip leaves empty: it makes
 * and blits a surface for each).  The pixels are exec's: the others draw nothing in d. */
static void exec_in(render_ctx *rc, const rcmd *c, const SDL_Vertex *v, box d) {
    SDL_Vertex keep[RUN_VERTICES];
    rcmd part = *c;
    int n = 0;
    if (c->kind != RCMD_GEO || c->nv > (int)(sizeof keep / sizeof *keep) || c->nv % 3 != 0 ||
        inside(c->ink, d)) {
        exec(rc, c, v);
        return;
    }
    for (int i = c->v0; i < c->v0 + c->nv; i += 3)
        if (box_overlap(tri_ink(v + i), d)) {
            memcpy(keep + n, v + i, sizeof *keep * 3);
            n += 3;
        }
    if (n == 0) return;
    part.v0 = 0;
    part.nv = n;
    exec(rc, &part, keep);
}

/* Draw cmd now, or add it to the region being recorded with its hash and its ink. */
static void record(render_ctx *rc, rcmd *cmd, const SDL_Vertex *v, unsigned long long key) {
    rrec *g = rc->rg.cur;
    unsigned long long h;
    if (!g) {
        exec(rc, cmd, v);
        return;
    }
    if (g->failed) return;
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 256;
        rcmd *nc = realloc(g->cmd, sizeof *nc * (size_t)cap);
        if (!nc) {
            g->failed = 1;
            return;
        }
        g->cmd = nc;
        g->cap = cap;
    }
    h = mix(0xC0DEull, ((unsigned long long)cmd->kind << 8) | cmd->blend);
    h = mix(h, ((unsigned long long)cmd->c.r << 24) | ((unsigned long long)cmd->c.g << 16) |
                   ((unsigned long long)cmd->c.b << 8) | cmd->c.a);
    h = mix(mix(mix_rect(mix_rect(h, cmd->r), cmd->src), key), (unsigned long long)(size_t)cmd->tex);
    cmd->ink = (box){ cmd->r.x, cmd->r.y, cmd->r.w, cmd->r.h };
    if (v) {
        float x0 = v[0].position.x, y0 = v[0].position.y, x1 = x0, y1 = y0;
        if (g->nv + cmd->nv > g->capv) {
            int cap = g->capv ? g->capv : 4096;
            SDL_Vertex *nv;
            while (cap < g->nv + cmd->nv) cap *= 2;
            if (!(nv = realloc(g->v, sizeof *nv * (size_t)cap))) {
                g->failed = 1;
                return;
            }
            g->v = nv;
            g->capv = cap;
        }
        cmd->v0 = g->nv;
        memcpy(g->v + g->nv, v, sizeof *v * (size_t)cmd->nv);
        g->nv += cmd->nv;
        h = mix_bytes(h, v, sizeof *v * (size_t)cmd->nv);
        for (int i = 1; i < cmd->nv; i++) {
            if (v[i].position.x < x0) x0 = v[i].position.x;
            if (v[i].position.x > x1) x1 = v[i].position.x;
            if (v[i].position.y < y0) y0 = v[i].position.y;
            if (v[i].position.y > y1) y1 = v[i].position.y;
        }
        /* a pixel is touched when its centre is inside: one more on each side covers it */
        cmd->ink = (box){ (int)x0 - 1, (int)y0 - 1, (int)(x1 - x0) + 3, (int)(y1 - y0) + 3 };
    }
    cmd->h = h;
    g->cmd[g->n++] = *cmd;
    g->hash = mix(g->hash, h);
}

void render__fill_rect(render_ctx *rc, SDL_Rect r, SDL_Color c) {
    rcmd cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_FILL;
    cmd.blend = (unsigned char)(c.a >= 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    cmd.c = c;
    cmd.r = r;
    record(rc, &cmd, NULL, 0);
}

void render__geometry(render_ctx *rc, const SDL_Vertex *v, int n, SDL_BlendMode blend) {
    rcmd cmd;
    if (n <= 0) return;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_GEO;
    cmd.blend = (unsigned char)blend;
    if (!rc->rg.cur) {
        cmd.nv = n;
        exec(rc, &cmd, v);
        return;
    }
    for (int i = 0; i < n; i += RUN_VERTICES) {
        cmd.nv = n - i < RUN_VERTICES ? n - i : RUN_VERTICES;
        record(rc, &cmd, v + i, 0);
    }
}

void render__copy(render_ctx *rc, SDL_Texture *tex, SDL_Rect src, SDL_Rect dst, SDL_Color mod,
                  unsigned long long key) {
    rcmd cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.kind = RCMD_COPY;
    cmd.c = mod;
    cmd.r = dst;
    cmd.src = src;
    cmd.tex = tex;
    record(rc, &cmd, NULL, key);
}

void render_texture_part(render_ctx *rc, SDL_Texture *tex, unsigned long long key, box src, box dst) {
    SDL_Color white = { 255, 255, 255, 255 };
    render__copy(rc, tex, (SDL_Rect){ src.x, src.y, src.w, src.h }, (SDL_Rect){ dst.x, dst.y, dst.w, dst.h },
                 white, key);
}

unsigned long long render_hash(const void *p, size_t n, unsigned long long seed) {
    return mix_bytes(mix(0xDA7Aull, seed), p, n);
}

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

void render_lost(render_ctx *rc, int all) {
    if (all) {
        render_invalidate(rc);
        if (rc->rg.canvas) SDL_DestroyTexture(rc->rg.canvas);
        rc->rg.canvas = NULL; /* canvas_ready makes it again */
    }
    rc->rg.force_full = 1;
}

long render_pixels_redrawn(const render_ctx *rc) { return rc->rg.drawn; }

/* Region id's record made empty, last frame's kept beside it. */
static rrec *fresh(rregions *g, int id, box b) {
    rrec t = g->prev[id], *q = &g->rec[id];
    g->prev[id] = *q;
    *q = t;
    q->n = q->nv = 0;
    q->failed = 0;
    q->hash = mix_box(mix(0x5EEDull, (unsigned long long)id), b);
    return q;
}

void render_region_begin(render_ctx *rc, int id, box b) {
    rregions *g = &rc->rg;
    render_set_bounds(rc, b);
    render__geo_flush(rc);
    g->cur = NULL;
    if (!g->keep || id < 0 || id >= RG_MAX || g->n == RG_MAX) return; /* drawn at once */
    g->id[g->n] = id;
    g->at[g->n] = b;
    g->n++;
    g->cur = fresh(g, id, b);
}

void render_overlay_begin(render_ctx *rc, box b) {
    render_set_bounds(rc, b);
    render__geo_flush(rc);
    if (rc->rg.keep) rc->rg.cur = &rc->rg.rec[RG_MAX]; /* made empty when the frame began */
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
    fresh(g, RG_MAX, (box){ 0, 0, 0, 0 }); /* a frame without an overlay has an empty one */
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

static long area(box b) { return (long)b.w * (long)b.h; }

/* The areas to draw again, as a list of boxes.  A box added joins one already held when
 * their union is hardly bigger than the two apart (so a few far apart changes are not
 * drawn again as the whole space between them); boxes may overlap, which only draws
 * those pixels twice, the same way.  When as many are held as can be, it joins the
 * one it grows least. */
static void damage(rregions *g, box b) {
    int i, best = -1;
    long grow = 0;
    if (b.w <= 0 || b.h <= 0) return;
    for (i = 0; i < g->n_damage; i++) {
        box j = box_union(g->damage[i], b);
        long more = area(j) - area(g->damage[i]);
        if (area(j) * 2 <= (area(g->damage[i]) + area(b)) * 3) { /* at most half more */
            g->damage[i] = j;
            return;
        }
        if (best < 0 || more < grow) {
            best = i;
            grow = more;
        }
    }
    if (g->n_damage < RG_DAMAGE) g->damage[g->n_damage++] = b;
    else g->damage[best] = box_union(g->damage[best], b);
}

static int same_cmd(const rcmd *a, const rcmd *b) { return a->h == b->h && a->nv == b->nv; }

enum { LOOK_AHEAD = 48 }; /* how far the matching looks for a call seen again */

/* What changed between last frame's calls of a region and this frame's.  The calls are
 * matched in order, greedily (a call missing from one list is looked for a little
 * further on in the other); the ink of every call left unmatched, in either list, is
 * damage.  That is exact: a pixel outside the damage is touched only by matched calls,
 * the same calls in the same order in both frames, so it comes out the same. */
static void diff(rregions *g, const rrec *now, const rrec *then) {
    int i = 0, j = 0, k;
    while (i < now->n && j < then->n) {
        int in_then = -1, in_now = -1;
        if (same_cmd(&now->cmd[i], &then->cmd[j])) {
            i++;
            j++;
            continue;
        }
        for (k = 1; k <= LOOK_AHEAD && j + k < then->n; k++)
            if (same_cmd(&now->cmd[i], &then->cmd[j + k])) {
                in_then = k;
                break;
            }
        for (k = 1; k <= LOOK_AHEAD && i + k < now->n && (in_then < 0 || k < in_then); k++)
            if (same_cmd(&now->cmd[i + k], &then->cmd[j])) {
                in_now = k;
                break;
            }
        if (in_now > 0) { /* calls new this frame */
            for (k = 0; k < in_now; k++) damage(g, now->cmd[i + k].ink);
            i += in_now;
        } else if (in_then > 0) { /* calls gone since */
            for (k = 0; k < in_then; k++) damage(g, then->cmd[j + k].ink);
            j += in_then;
        } else { /* one call in place of another */
            damage(g, now->cmd[i++].ink);
            damage(g, then->cmd[j++].ink);
        }
    }
    for (; i < now->n; i++) damage(g, now->cmd[i].ink);
    for (; j < then->n; j++) damage(g, then->cmd[j].ink);
}

/* Draw d again as a whole frame would: clipped to d, the background, then every call
 * that reaches into d, in order. */
static void repaint(render_ctx *rc, box d) {
    rregions *g = &rc->rg;
    SDL_Rect clip = { d.x, d.y, d.w, d.h };
    SDL_RenderSetClipRect(rc->r, &clip);
    g->drawn += area(d);
    fill_bg(rc, d);
    for (int i = 0; i <= g->n; i++) {
        const rrec *q = &g->rec[i < g->n ? g->id[i] : RG_MAX]; /* the overlay last */
        for (int k = 0; k < q->n; k++)
            if (box_overlap(q->cmd[k].ink, d)) exec_in(rc, &q->cmd[k], q->v, d);
    }
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
    full = g->force_full || !g->have_last || key != g->last_key || ov->failed || g->prev[RG_MAX].failed;
    for (i = 0; i < g->n; i++)
        if (g->rec[g->id[i]].failed || g->prev[g->id[i]].failed) full = 1;
    g->drawn = 0;
    g->n_damage = 0;
    if (full) {
        SDL_SetRenderDrawColor(rc->r, g->bg.r, g->bg.g, g->bg.b, 255);
        SDL_RenderClear(rc->r);
        for (i = 0; i < g->n; i++) replay(rc, &g->rec[g->id[i]]);
        replay(rc, ov);
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(rc->r, &w, &h);
        g->drawn = (long)w * h;
    } else {
        for (i = 0; i < g->n; i++) {
            int id = g->id[i];
            if (g->rec[id].hash != g->prev[id].hash) diff(g, &g->rec[id], &g->prev[id]);
        }
        if (ov->hash != g->prev[RG_MAX].hash) diff(g, ov, &g->prev[RG_MAX]);
        for (i = 0; i < g->n_damage; i++) repaint(rc, g->damage[i]);
    }
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
        free(rc->rg.prev[i].cmd);
        free(rc->rg.prev[i].v);
    }
    if (rc->rg.canvas) SDL_DestroyTexture(rc->rg.canvas);
    memset(&rc->rg, 0, sizeof rc->rg);
}
