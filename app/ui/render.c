/* render.c — the render context and the primitives over SDL_Renderer: boxes, lines,
 * polylines, discs, arcs, triangles, anti-aliased by a one-pixel feather of fading
 * alpha and drawn with SDL_RenderGeometry.  Text is ui/render_text.c. */
#include "ui/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/render_ctx.h"

#define GS_PI 3.14159265358979323846

/* ---- The context ------------------------------------------------------------------ */

render_ctx *render_create(SDL_Renderer *r, const char *font_dir, char *err, size_t err_len) {
    render_ctx *rc = calloc(1, sizeof *rc);
    char path[2100];
    FILE *probe;
    if (!rc) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    rc->r = r;
    snprintf(rc->font_dir, sizeof rc->font_dir, "%s", font_dir);
    snprintf(path, sizeof path, "%s/DejaVuSans.ttf", font_dir);
    if (!(probe = fopen(path, "rb"))) {
        char shown[300];
        snprintf(err, err_len, "cannot open the font '%s'; reinstall gatescope's assets",
                 gs_quote(shown, sizeof shown, path, strlen(path)));
        free(rc);
        return NULL;
    }
    fclose(probe);
    rc->n_buckets = 1024;
    rc->buckets = malloc(sizeof(int) * (size_t)rc->n_buckets);
    if (!rc->buckets) {
        snprintf(err, err_len, "out of memory");
        free(rc);
        return NULL;
    }
    for (int i = 0; i < rc->n_buckets; i++) rc->buckets[i] = -1;
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return rc;
}

void render_destroy(render_ctx *rc) {
    if (!rc) return;
    render__text_free(rc);
    render__regions_free(rc);
    free(rc->buckets);
    free(rc);
}

SDL_Renderer *render_sdl(const render_ctx *rc) { return rc->r; }

/* ---- Geometry --------------------------------------------------------------------- */

void render__geo_flush(render_ctx *rc) {
    if (rc->n_solid > 0) render__geometry(rc, rc->solid, rc->n_solid, SDL_BLENDMODE_NONE);
    if (rc->n_geo > 0) render__geometry(rc, rc->geo, rc->n_geo, SDL_BLENDMODE_BLEND);
    rc->n_geo = rc->n_solid = 0;
}

static void set_vertex(SDL_Vertex *v, float x, float y, cm_rgb c, int a) {
    v->position.x = x;
    v->position.y = y;
    v->color.r = c.r;
    v->color.g = c.g;
    v->color.b = c.b;
    v->color.a = (Uint8)(a < 0 ? 0 : a > 255 ? 255 : a);
    v->tex_coord.x = v->tex_coord.y = 0;
}

static void geo_tri(render_ctx *rc, float x0, float y0, int a0, float x1, float y1, int a1,
                    float x2, float y2, int a2, cm_rgb c) {
    int opaque = a0 >= 255 && a1 >= 255 && a2 >= 255;
    SDL_Vertex *v;
    if ((opaque ? rc->n_solid : rc->n_geo) + 3 > GEO_MAX) render__geo_flush(rc);
    v = opaque ? &rc->solid[rc->n_solid] : &rc->geo[rc->n_geo];
    set_vertex(&v[0], x0, y0, c, a0);
    set_vertex(&v[1], x1, y1, c, a1);
    set_vertex(&v[2], x2, y2, c, a2);
    if (opaque) rc->n_solid += 3;
    else rc->n_geo += 3;
}

/* Quad p0 p1 p2 p3 (in order around), alphas per corner. */
static void geo_quad(render_ctx *rc, const float *p, const int *a, cm_rgb c) {
    geo_tri(rc, p[0], p[1], a[0], p[2], p[3], a[1], p[4], p[5], a[2], c);
    geo_tri(rc, p[0], p[1], a[0], p[4], p[5], a[2], p[6], p[7], a[3], c);
}

void render_fill(render_ctx *rc, box b, cm_rgb c) { render_fill_a(rc, b, c, 255); }

void render_fill_a(render_ctx *rc, box b, cm_rgb c, int alpha) {
    SDL_Rect r = { b.x, b.y, b.w, b.h };
    if (b.w <= 0 || b.h <= 0) return;
    SDL_Color col = { c.r, c.g, c.b, (Uint8)(alpha < 0 ? 0 : alpha > 255 ? 255 : alpha) };
    render__geo_flush(rc);
    /* (an opaque fill is drawn without blending: SDL's software renderer blends every
       pixel of a rectangle in blend mode, even at alpha 255 — the same colour, 3x the
       time) */
    render__fill_rect(rc, r, col);
}

void render_outline(render_ctx *rc, box b, cm_rgb c, int width) {
    box t = { b.x, b.y, b.w, width }, bo = { b.x, b.y + b.h - width, b.w, width };
    box l = { b.x, b.y + width, width, b.h - 2 * width };
    box r = { b.x + b.w - width, b.y + width, width, b.h - 2 * width };
    render_fill(rc, t, c);
    render_fill(rc, bo, c);
    render_fill(rc, l, c);
    render_fill(rc, r, c);
}

/* A segment of width w with a one-pixel feather on both long sides.  SDL's software
 * rasteriser walks each triangle's bounding box, so long diagonal segments are cut
 * into short pieces (the same pixels, far fewer tests). */
static void segment(render_ctx *rc, float x0, float y0, float x1, float y1, float w, cm_rgb c,
                    int a) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy), nx, ny, hc, ho;
    if (!(len > 1e-4f)) return;
    if (fabsf(dx) > 0.5f && fabsf(dy) > 0.5f && len > 24.0f) {
        int k = (int)(len / 16.0f) + 1;
        for (int i = 0; i < k; i++)
            segment(rc, x0 + dx * (float)i / (float)k, y0 + dy * (float)i / (float)k,
                    x0 + dx * (float)(i + 1) / (float)k, y0 + dy * (float)(i + 1) / (float)k, w, c, a);
        return;
    }
    nx = -dy / len;
    ny = dx / len;
    if (w < 1.0f) { /* thinner than a pixel: a pixel-wide line, fainter */
        a = (int)(a * w);
        w = 1.0f;
    }
    hc = w * 0.5f - 0.5f;
    ho = w * 0.5f + 0.5f;
    if (hc < 0) hc = 0;
    {
        float core[8] = { x0 + nx * hc, y0 + ny * hc, x1 + nx * hc, y1 + ny * hc,
                          x1 - nx * hc, y1 - ny * hc, x0 - nx * hc, y0 - ny * hc };
        float f1[8] = { x0 + nx * ho, y0 + ny * ho, x1 + nx * ho, y1 + ny * ho,
                        x1 + nx * hc, y1 + ny * hc, x0 + nx * hc, y0 + ny * hc };
        float f2[8] = { x0 - nx * hc, y0 - ny * hc, x1 - nx * hc, y1 - ny * hc,
                        x1 - nx * ho, y1 - ny * ho, x0 - nx * ho, y0 - ny * ho };
        int ac[4] = { a, a, a, a }, af[4] = { 0, 0, a, a }, ag[4] = { a, a, 0, 0 };
        if (hc > 0) geo_quad(rc, core, ac, c);
        geo_quad(rc, f1, af, c);
        geo_quad(rc, f2, ag, c);
    }
}

/* An axis-aligned line as a filled rectangle (exact, and fast on every renderer). */
static int straight(render_ctx *rc, float x0, float y0, float x1, float y1, float width, cm_rgb c,
                    int alpha) {
    int w = (int)lroundf(width < 1 ? 1 : width);
    if (fabsf(x0 - x1) < 0.01f) {
        float a = fminf(y0, y1), b = fmaxf(y0, y1);
        render_fill_a(rc, (box){ (int)lroundf(x0 - w * 0.5f), (int)lroundf(a), w, (int)lroundf(b - a) }, c,
                      width < 1 ? (int)(alpha * width) : alpha);
        return 1;
    }
    if (fabsf(y0 - y1) < 0.01f) {
        float a = fminf(x0, x1), b = fmaxf(x0, x1);
        render_fill_a(rc, (box){ (int)lroundf(a), (int)lroundf(y0 - w * 0.5f), (int)lroundf(b - a), w }, c,
                      width < 1 ? (int)(alpha * width) : alpha);
        return 1;
    }
    return 0;
}

void render_line(render_ctx *rc, float x0, float y0, float x1, float y1, float width, cm_rgb c,
                 int alpha) {
    if (straight(rc, x0, y0, x1, y1, width, c, alpha)) return;
    segment(rc, x0, y0, x1, y1, width, c, alpha);
    render__geo_flush(rc);
}

void render_dashed(render_ctx *rc, float x0, float y0, float x1, float y1, float width,
                   float dash, cm_rgb c, int alpha) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy), t;
    if (!(len > 0) || !(dash > 0)) return;
    for (t = 0; t < len; t += 2 * dash) {
        float e = t + dash < len ? t + dash : len;
        segment(rc, x0 + dx * t / len, y0 + dy * t / len, x0 + dx * e / len, y0 + dy * e / len,
                width, c, alpha);
    }
    render__geo_flush(rc);
}

/* Convex polygon (n points, around) with a feathered rim. */
static void convex(render_ctx *rc, const float *p, int n, cm_rgb c, int a) {
    float cx = 0, cy = 0;
    int i;
    if (n < 3) return;
    for (i = 0; i < n; i++) {
        cx += p[2 * i];
        cy += p[2 * i + 1];
    }
    cx /= (float)n;
    cy /= (float)n;
    for (i = 0; i < n; i++) {
        int j = (i + 1) % n;
        float xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
        float di = sqrtf((xi - cx) * (xi - cx) + (yi - cy) * (yi - cy));
        float dj = sqrtf((xj - cx) * (xj - cx) + (yj - cy) * (yj - cy));
        float si = di > 0.5f ? 0.5f / di : 0, sj = dj > 0.5f ? 0.5f / dj : 0;
        float ix = xi - (xi - cx) * si, iy = yi - (yi - cy) * si;
        float jx = xj - (xj - cx) * sj, jy = yj - (yj - cy) * sj;
        float ox = xi + (xi - cx) * si, oy = yi + (yi - cy) * si;
        float px = xj + (xj - cx) * sj, py = yj + (yj - cy) * sj;
        float q[8] = { ox, oy, px, py, jx, jy, ix, iy };
        int aq[4] = { 0, 0, a, a };
        geo_tri(rc, cx, cy, a, ix, iy, a, jx, jy, a, c);
        geo_quad(rc, q, aq, c);
    }
    render__geo_flush(rc);
}

void render_polyline(render_ctx *rc, const float *xy, int n, float width, cm_rgb c, int alpha) {
    int i;
    for (i = 0; i + 1 < n; i++) {
        float x0 = xy[2 * i], y0 = xy[2 * i + 1], x1 = xy[2 * i + 2], y1 = xy[2 * i + 3];
        if (isnan(x0) || isnan(y0) || isnan(x1) || isnan(y1)) continue;
        segment(rc, x0, y0, x1, y1, width, c, alpha);
    }
    render__geo_flush(rc);
    if (width >= 2.5f) /* round joins */
        for (i = 1; i + 1 < n; i++)
            if (!isnan(xy[2 * i]) && !isnan(xy[2 * i + 1]) && !isnan(xy[2 * i - 2]) &&
                !isnan(xy[2 * i + 2]))
                render_disc(rc, xy[2 * i], xy[2 * i + 1], width * 0.5f, c, alpha);
}

static int circle_segments(float r) {
    int k = (int)(r * 1.2f) + 12;
    return k > 96 ? 96 : k;
}

void render_disc(render_ctx *rc, float cx, float cy, float r, cm_rgb c, int alpha) {
    float p[2 * 96];
    int k = circle_segments(r), i;
    if (!(r > 0)) return;
    for (i = 0; i < k; i++) {
        double a = 2 * GS_PI * i / k;
        p[2 * i] = cx + r * (float)cos(a);
        p[2 * i + 1] = cy + r * (float)sin(a);
    }
    convex(rc, p, k, c, alpha);
}

void render_ring(render_ctx *rc, float cx, float cy, float r, float width, cm_rgb c, int alpha) {
    int k = circle_segments(r + width), i;
    float r0 = r - width * 0.5f, r1 = r + width * 0.5f;
    for (i = 0; i < k; i++) {
        double a0 = 2 * GS_PI * i / k, a1 = 2 * GS_PI * (i + 1) / k;
        float c0 = (float)cos(a0), s0 = (float)sin(a0), c1 = (float)cos(a1), s1 = (float)sin(a1);
        float rr[4] = { r0 - 0.5f, r0 + 0.5f, r1 - 0.5f, r1 + 0.5f };
        int aa[4] = { 0, alpha, alpha, 0 };
        for (int b = 0; b < 3; b++) {
            float q[8] = { cx + c0 * rr[b], cy + s0 * rr[b], cx + c1 * rr[b], cy + s1 * rr[b],
                           cx + c1 * rr[b + 1], cy + s1 * rr[b + 1], cx + c0 * rr[b + 1],
                           cy + s0 * rr[b + 1] };
            int qa[4] = { aa[b], aa[b], aa[b + 1], aa[b + 1] };
            if (rr[b + 1] > rr[b]) geo_quad(rc, q, qa, c);
        }
    }
    render__geo_flush(rc);
}

void render_arc(render_ctx *rc, float cx, float cy, float r, float w, float a0, float a1, cm_rgb c,
                int alpha) {
    int k = (int)(fabsf(a1 - a0) * (r + w) / 4.0f) + 1, i;
    float r0 = r - w * 0.5f, r1 = r + w * 0.5f;
    if (k > 64) k = 64;
    for (i = 0; i < k; i++) {
        float b0 = a0 + (a1 - a0) * (float)i / (float)k, b1 = a0 + (a1 - a0) * (float)(i + 1) / (float)k;
        float c0 = cosf(b0), s0 = sinf(b0), c1 = cosf(b1), s1 = sinf(b1);
        float q[8] = { cx + c0 * r0, cy + s0 * r0, cx + c1 * r0, cy + s1 * r0,
                       cx + c1 * r1, cy + s1 * r1, cx + c0 * r1, cy + s0 * r1 };
        int qa[4] = { alpha, alpha, alpha, alpha };
        geo_quad(rc, q, qa, c);
    }
    render__geo_flush(rc);
}

void render_triangle(render_ctx *rc, float x0, float y0, float x1, float y1, float x2, float y2,
                     cm_rgb c, int alpha) {
    float p[6] = { x0, y0, x1, y1, x2, y2 };
    convex(rc, p, 3, c, alpha);
}

void render_hgradient(render_ctx *rc, box b, const cm_rgb *cols, int n) {
    int i;
    if (n < 2 || b.w <= 0 || b.h <= 0) return;
    for (i = 0; i + 1 < n; i++) {
        float x0 = b.x + (float)b.w * (float)i / (float)(n - 1), x1 = b.x + (float)b.w * (float)(i + 1) / (float)(n - 1);
        float y0 = (float)b.y, y1 = (float)(b.y + b.h);
        SDL_Vertex v[6];
        float px[6] = { x0, x1, x1, x0, x1, x0 }, py[6] = { y0, y0, y1, y0, y1, y1 };
        int ci[6] = { i, i + 1, i + 1, i, i + 1, i };
        for (int k = 0; k < 6; k++) {
            v[k].position.x = px[k];
            v[k].position.y = py[k];
            v[k].color.r = cols[ci[k]].r;
            v[k].color.g = cols[ci[k]].g;
            v[k].color.b = cols[ci[k]].b;
            v[k].color.a = 255;
            v[k].tex_coord.x = v[k].tex_coord.y = 0;
        }
        render__geo_flush(rc);
        render__geometry(rc, v, 6, SDL_BLENDMODE_BLEND);
    }
}

void render_arrowhead(render_ctx *rc, float x, float y, float dx, float dy, float len, cm_rgb c) {
    float l = sqrtf(dx * dx + dy * dy), ux, uy;
    if (!(l > 0)) return;
    ux = dx / l;
    uy = dy / l;
    render_triangle(rc, x, y, x - ux * len - uy * len * 0.5f, y - uy * len + ux * len * 0.5f,
                    x - ux * len + uy * len * 0.5f, y - uy * len - ux * len * 0.5f, c, 255);
}

/* A quarter disc of radius r at corner centre (cx, cy), from angle a0 over 90°, with
 * a feathered rim. */
static void corner(render_ctx *rc, float cx, float cy, float r, double a0, cm_rgb c, int alpha) {
    int k = 6 + (int)(r / 3), i;
    if (k > 24) k = 24;
    for (i = 0; i < k; i++) {
        double t0 = a0 + GS_PI * 0.5 * i / k, t1 = a0 + GS_PI * 0.5 * (i + 1) / k;
        float c0 = (float)cos(t0), s0 = (float)sin(t0), c1 = (float)cos(t1), s1 = (float)sin(t1);
        float ri = r - 0.5f, ro = r + 0.5f;
        float q[8] = { cx + c0 * ro, cy + s0 * ro, cx + c1 * ro, cy + s1 * ro,
                       cx + c1 * ri, cy + s1 * ri, cx + c0 * ri, cy + s0 * ri };
        int qa[4] = { 0, 0, alpha, alpha };
        geo_tri(rc, cx, cy, alpha, cx + c0 * ri, cy + s0 * ri, alpha, cx + c1 * ri, cy + s1 * ri, alpha, c);
        geo_quad(rc, q, qa, c);
    }
}

void render_round(render_ctx *rc, box b, int radius, cm_rgb c, int alpha) {
    int r = radius;
    if (b.w <= 0 || b.h <= 0) return;
    if (r * 2 > b.w) r = b.w / 2;
    if (r * 2 > b.h) r = b.h / 2;
    if (r < 2) {
        render_fill_a(rc, b, c, alpha);
        return;
    }
    /* the body as three rectangles, only the corners as triangles */
    render_fill_a(rc, (box){ b.x + r, b.y, b.w - 2 * r, b.h }, c, alpha);
    render_fill_a(rc, (box){ b.x, b.y + r, r, b.h - 2 * r }, c, alpha);
    render_fill_a(rc, (box){ b.x + b.w - r, b.y + r, r, b.h - 2 * r }, c, alpha);
    corner(rc, (float)(b.x + r), (float)(b.y + r), (float)r, GS_PI, c, alpha);
    corner(rc, (float)(b.x + b.w - r), (float)(b.y + r), (float)r, GS_PI * 1.5, c, alpha);
    corner(rc, (float)(b.x + b.w - r), (float)(b.y + b.h - r), (float)r, 0, c, alpha);
    corner(rc, (float)(b.x + r), (float)(b.y + b.h - r), (float)r, GS_PI * 0.5, c, alpha);
    render__geo_flush(rc);
}
