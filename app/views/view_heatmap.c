/* view_heatmap.c — units x time heatmaps, one strip per gate, candidate, state and
 * gradient; the cursor column; marks for values beyond the colour range, for inf and
 * NaN; and the colour legend.  Each strip is a texture at its exact pixel size,
 * rebuilt only when what it shows changes (view_gen, size). */
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The cache -------------------------------------------------------------------- */

typedef struct strip_tex {
    SDL_Texture *tex;
    int w, h;
    unsigned long gen;       /* st->view_gen it was drawn for */
    unsigned long long *tile_key; /* per STRIP_TILE columns: a hash of their pixels */
    int n_tiles;
    /* what the last build drew, so that the next draws again only the pixel columns
       whose steps changed (a step forward changes one or two) */
    Uint32 *pix;             /* w x h, as in the texture */
    unsigned long long key;  /* of the size, T, n, scale, palette and empty colour drawn */
    unsigned long long *row_hash; /* per step 1..T: a hash of its values, 0 = none shown */
    unsigned char *row_mark; /* per step 1..T: 0, 1 beyond the range, 2 inf/NaN */
    int rows;                /* T the two above hold */
    unsigned char *marks;    /* per pixel column: 0 none, 1 beyond, 2 inf/NaN */
    int marks_len;
} strip_tex;

struct view_cache {
    strip_tex strip[LAYOUT_MAX_PANES][LAYOUT_MAX_STRIPS];
    int *col_lo, *col_hi, *row_lo, *row_hi; /* pixel -> cell ranges (scratch) */
    int scratch_w, scratch_h;
    Uint32 *cell_colour;     /* per cell (T x n), scratch */
    float *cell_sal;
    size_t cells_cap;
    unsigned char *changed;  /* per step: this build found its values changed (scratch) */
    size_t changed_cap;
};

view_cache *view_cache_create(void) { return calloc(1, sizeof(view_cache)); }

void view_cache_invalidate(view_cache *vc) {
    if (!vc) return;
    for (int p = 0; p < LAYOUT_MAX_PANES; p++)
        for (int s = 0; s < LAYOUT_MAX_STRIPS; s++) {
            if (vc->strip[p][s].tex) SDL_DestroyTexture(vc->strip[p][s].tex);
            vc->strip[p][s].tex = NULL;
            vc->strip[p][s].gen = 0;
        }
}

void view_cache_destroy(view_cache *vc) {
    if (!vc) return;
    view_cache_invalidate(vc);
    for (int p = 0; p < LAYOUT_MAX_PANES; p++)
        for (int s = 0; s < LAYOUT_MAX_STRIPS; s++) {
            free(vc->strip[p][s].marks);
            free(vc->strip[p][s].tile_key);
            free(vc->strip[p][s].pix);
            free(vc->strip[p][s].row_hash);
            free(vc->strip[p][s].row_mark);
        }
    free(vc->col_lo);
    free(vc->col_hi);
    free(vc->row_lo);
    free(vc->row_hi);
    free(vc->cell_colour);
    free(vc->cell_sal);
    free(vc->changed);
    free(vc);
}

/* ---- Values ----------------------------------------------------------------------- */

cm_scale view_strip_scale(const app_state *st, int pane, int strip) {
    cm_scale s = { CM_SEQ, 0, 1, 0, 0 };
    const strip_def *d = &st->L.strips[pane][strip];
    switch (d->scale) {
    case STRIP_GATE: break;
    case STRIP_TANH: s.kind = CM_DIV; s.hi = 1; break;
    case STRIP_STATE: s = st->scale_state[pane]; break;
    case STRIP_GRAD: s = st->scale_grad[pane]; break;
    }
    return s;
}

double view_cell_value(const app_state *st, int pane, int strip, int unit, int step, int *shown) {
    const strip_def *d = &st->L.strips[pane][strip];
    const gs_seq *s = state_seq(st, pane);
    const gs_real *v;
    int len = 0;
    *shown = 0;
    if (!s || step < 1 || step > st->cursor || st->engine_steps != st->cursor) return (double)NAN;
    if (d->q == GS_Q_D_STATE && !state_grad_shown(st, pane, step)) return (double)NAN;
    v = gs_seq_values(s, d->q, d->index, step, 0, &len);
    if (!v || unit < 0 || unit >= len) return (double)NAN;
    *shown = 1;
    return (double)v[unit];
}

void fmt_value(char *buf, size_t len, double v) {
    double a = fabs(v);
    if (isnan(v)) snprintf(buf, len, "NaN");
    else if (isinf(v)) snprintf(buf, len, v > 0 ? "+inf" : "\xe2\x88\x92inf");
    else if (v == 0) snprintf(buf, len, "0");
    else if (a >= 1e5 || a < 1e-3) snprintf(buf, len, "%.2e", v);
    else if (a >= 100) snprintf(buf, len, "%.1f", v);
    else snprintf(buf, len, "%.3f", v);
    /* a real minus sign reads better than a hyphen */
    if (buf[0] == '-' && len > 4) {
        memmove(buf + 3, buf + 1, strlen(buf));
        buf[0] = (char)0xe2;
        buf[1] = (char)0x88;
        buf[2] = (char)0x92;
    }
}

void fmt_short(char *buf, size_t len, double v) {
    double a = fabs(v);
    if (!isfinite(v) || v == 0) {
        fmt_value(buf, len, v);
        return;
    }
    if (a >= 1e4 || a < 1e-3) {
        /* "1.3e-05" -> "1.3e-5" */
        char *e;
        snprintf(buf, len, "%.1e", v);
        if ((e = strchr(buf, 'e')) != NULL) {
            char *d = e + 1 + (e[1] == '-' || e[1] == '+');
            if (e[1] == '+') memmove(e + 1, e + 2, strlen(e + 2) + 1), d--;
            while (d[0] == '0' && d[1]) memmove(d, d + 1, strlen(d));
        }
    }
    else if (a >= 10) snprintf(buf, len, "%.0f", v);
    else snprintf(buf, len, "%.2g", v);
    if (buf[0] == '-' && len > 4) {
        memmove(buf + 3, buf + 1, strlen(buf));
        buf[0] = (char)0xe2;
        buf[1] = (char)0x88;
        buf[2] = (char)0x92;
    }
}

/* ---- Building a strip's texture --------------------------------------------------- */

static int grow(view_cache *vc, int w, int h) {
    if (w > vc->scratch_w) {
        int *a = realloc(vc->col_lo, sizeof(int) * (size_t)w), *b;
        if (!a) return 1;
        vc->col_lo = a;
        b = realloc(vc->col_hi, sizeof(int) * (size_t)w);
        if (!b) return 1;
        vc->col_hi = b;
        vc->scratch_w = w;
    }
    if (h > vc->scratch_h) {
        int *a = realloc(vc->row_lo, sizeof(int) * (size_t)h), *b;
        if (!a) return 1;
        vc->row_lo = a;
        b = realloc(vc->row_hi, sizeof(int) * (size_t)h);
        if (!b) return 1;
        vc->row_hi = b;
        vc->scratch_h = h;
    }
    return 0;
}

/* Pixel -> cell ranges along one axis: cell k of K covers [floor(k w / K),
 * floor((k+1) w / K)), and at least one pixel, so no cell is ever dropped. */
static void ranges(int *lo, int *hi, int w, int K) {
    int x, k;
    for (x = 0; x < w; x++) {
        lo[x] = K;
        hi[x] = -1;
    }
    for (k = 0; k < K; k++) {
        int x0 = (int)((long)k * w / K), x1 = (int)((long)(k + 1) * w / K);
        if (x1 <= x0) x1 = x0 + 1;
        if (x1 > w) x1 = w;
        for (x = x0; x < x1; x++) {
            if (k < lo[x]) lo[x] = k;
            if (k > hi[x]) hi[x] = k;
        }
    }
}

/* How much a value asks to be seen when several share a pixel. */
static double salience(cm_class c, double pos) {
    switch (c) {
    case CM_NAN: return 5;
    case CM_POS_INF:
    case CM_NEG_INF: return 4;
    case CM_BEYOND: return 3;
    default: return fabs(pos);
    }
}

static Uint32 argb(cm_rgb c) {
    return 0xff000000u | ((Uint32)c.r << 16) | ((Uint32)c.g << 8) | (Uint32)c.b;
}

enum { STRIP_TILE = 16 }; /* columns of a strip drawn (and compared) as one piece */

/* Room for n tile keys; 0 on success. */
static int tile_keys(strip_tex *S, int n) {
    unsigned long long *k = realloc(S->tile_key, sizeof *k * (size_t)(n > 0 ? n : 1));
    if (!k) return 1;
    S->tile_key = k;
    return 0;
}

/* Room in S for w x h pixels and T steps; 0 on success (what it held is kept only
 * when the sizes are the same: the caller then knows it from S->key). */
static int strip_room(strip_tex *S, int w, int h, int T) {
    if (S->marks_len < w || !S->pix || S->w != w || S->h != h) {
        Uint32 *px = realloc(S->pix, sizeof *px * (size_t)w * (size_t)h);
        unsigned char *m;
        if (!px) return 1;
        S->pix = px;
        if (!(m = realloc(S->marks, (size_t)w))) return 1;
        S->marks = m;
        S->marks_len = w;
    }
    if (S->rows != T) {
        unsigned long long *rh = realloc(S->row_hash, sizeof *rh * ((size_t)T + 1));
        unsigned char *rm;
        S->rows = 0;
        if (!rh) return 1;
        S->row_hash = rh;
        if (!(rm = realloc(S->row_mark, (size_t)T + 1))) return 1;
        S->row_mark = rm;
        S->rows = T;
    }
    return 0;
}

/* The values step t shows in the strip (NULL: none), as build_strip draws them. */
static const gs_real *strip_row(const app_state *st, int pane, const strip_def *d, int t, int *len) {
    const gs_seq *seq = state_seq(st, pane);
    *len = 0;
    if (seq && t <= st->cursor && st->engine_steps == st->cursor &&
        (d->q != GS_Q_D_STATE || state_grad_shown(st, pane, t)))
        return gs_seq_values(seq, d->q, d->index, t, 0, len);
    return NULL;
}

/* A strip's texture: the most salient cell under each pixel (usually exactly one).
 * Only the pixel columns over steps whose values changed since the last build are
 * worked out again (all of them when the size, T, n, scale or palette changed): a
 * step is known unchanged by a hash of its values. */
static void build_strip(view_cache *vc, strip_tex *S, const app_state *st, int pane, int strip,
                        SDL_Renderer *r, int w, int h) {
    const strip_def *d = &st->L.strips[pane][strip];
    const cm_theme *th = state_theme(st);
    cm_scale sc = view_strip_scale(st, pane, strip);
    int n = st->setup.hidden, T = state_T(st), x, y, t, u, len, all, x0 = w, x1 = -1;
    int ct0 = -1, ct1 = -1; /* the steps whose colours the scratch holds */
    int span = (T + w - 1) / w + 1; /* steps under one pixel column, at most */
    size_t cells = (size_t)span * (size_t)n;
    Uint32 empty = argb(th->empty);
    unsigned long long key;

    if (grow(vc, w, h) != 0) return;
    if (cells > vc->cells_cap) {
        Uint32 *c = realloc(vc->cell_colour, cells * sizeof *c);
        float *f;
        if (!c) return;
        vc->cell_colour = c;
        f = realloc(vc->cell_sal, cells * sizeof *f);
        if (!f) return;
        vc->cell_sal = f;
        vc->cells_cap = cells;
    }
    if ((size_t)T + 1 > vc->changed_cap) {
        unsigned char *m = realloc(vc->changed, (size_t)T + 1);
        if (!m) return;
        vc->changed = m;
        vc->changed_cap = (size_t)T + 1;
    }
    if (!S->tex || S->w != w || S->h != h) {
        if (S->tex) SDL_DestroyTexture(S->tex);
        S->tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        S->key = 0;
        if (!S->tex) return;
        SDL_SetTextureBlendMode(S->tex, SDL_BLENDMODE_NONE);
    }
    if (strip_room(S, w, h, T) != 0) {
        S->key = 0;
        return;
    }
    S->w = w;
    S->h = h;
    {
        int dims[4] = { w, h, T, n };
        key = render_hash(dims, sizeof dims, (unsigned long long)st->palette);
        key = render_hash(&sc.kind, sizeof sc.kind, key);
        key = render_hash(&sc.lo, sizeof sc.lo, key);
        key = render_hash(&sc.hi, sizeof sc.hi, key);
        key = render_hash(&sc.log, sizeof sc.log, key);
        key = render_hash(&sc.decades, sizeof sc.decades, key);
        key = render_hash(&empty, sizeof empty, key) | 1; /* never 0, "nothing drawn" */
    }
    all = key != S->key;
    S->key = 0; /* until this build is done */

    /* which steps changed, and each changed step's mark (beyond the range, inf/NaN) */
    for (t = 1; t <= T; t++) {
        const gs_real *v = strip_row(st, pane, d, t, &len);
        int k = v ? (len < n ? len : n) : 0;
        unsigned long long hv = v ? render_hash(v, sizeof *v * (size_t)k, (unsigned long long)k) | 1 : 0;
        vc->changed[t] = (unsigned char)(all || hv != S->row_hash[t]);
        S->row_hash[t] = hv;
        if (!vc->changed[t]) continue;
        S->row_mark[t] = 0;
        for (u = 0; u < k; u++) {
            cm_class c;
            cm_position(&sc, (double)v[u], &c);
            if (c == CM_BEYOND && S->row_mark[t] < 1) S->row_mark[t] = 1;
            if (c >= CM_NAN) S->row_mark[t] = 2;
        }
    }
    ranges(vc->col_lo, vc->col_hi, w, T);
    ranges(vc->row_lo, vc->row_hi, h, n);
    for (x = 0; x < w; x++) {
        int t0 = vc->col_lo[x], t1 = vc->col_hi[x], dirty = 0;
        unsigned char m = 0;
        for (t = t0; t <= t1; t++) dirty |= vc->changed[t + 1];
        if (!dirty) continue;
        if (x < x0) x0 = x;
        x1 = x;
        for (t = t0; t <= t1; t++)
            if (S->row_mark[t + 1] > m) m = S->row_mark[t + 1];
        S->marks[x] = m;
        /* the colours of the cells under this column, and how much each asks to be seen
           (kept for the next column when it lies over the same steps: T < w) */
        for (t = t0; t <= t1 && (t0 != ct0 || t1 != ct1); t++) {
            const gs_real *v = strip_row(st, pane, d, t + 1, &len);
            Uint32 *cc = vc->cell_colour + (size_t)(t - t0) * (size_t)n;
            float *cs = vc->cell_sal + (size_t)(t - t0) * (size_t)n;
            for (u = 0; u < n; u++) {
                cm_class c;
                double pos;
                if (!v || u >= len) {
                    cc[u] = empty;
                    cs[u] = -1;
                    continue;
                }
                pos = cm_position(&sc, (double)v[u], &c);
                cs[u] = (float)salience(c, pos);
                cc[u] = argb(c == CM_NAN ? cm_nan_colour(st->palette)
                                         : sc.kind == CM_SEQ ? cm_sequential(st->palette, pos)
                                                             : cm_diverging(st->palette, pos));
            }
        }
        ct0 = t0;
        ct1 = t1;
        for (y = 0; y < h; y++) {
            int u0 = vc->row_lo[y], u1 = vc->row_hi[y];
            float best = -2;
            Uint32 colour = empty;
            for (t = t0; t <= t1; t++)
                for (u = u0; u <= u1; u++) {
                    size_t k = (size_t)(t - t0) * (size_t)n + (size_t)u;
                    if (vc->cell_sal[k] > best) {
                        best = vc->cell_sal[k];
                        colour = vc->cell_colour[k];
                    }
                }
            S->pix[(size_t)y * (size_t)w + (size_t)x] = colour;
        }
    }
    if (x1 >= x0) {
        SDL_Rect dirty = { x0, 0, x1 - x0 + 1, h };
        if (SDL_UpdateTexture(S->tex, &dirty, S->pix + x0, w * (int)sizeof(Uint32)) != 0) return;
    }
    S->gen = st->view_gen;
    /* the strip is drawn in tiles, each known by its pixels: a step changes one or two */
    {
        int tiles = (w + STRIP_TILE - 1) / STRIP_TILE;
        if (tiles != S->n_tiles || all) {
            if (tile_keys(S, tiles) != 0) {
                S->n_tiles = 0;
                return;
            }
            x0 = 0;
            x1 = w - 1;
        }
        S->n_tiles = tiles;
    }
    for (x = x0 - x0 % STRIP_TILE; x <= x1; x += STRIP_TILE) {
        int tw = w - x < STRIP_TILE ? w - x : STRIP_TILE;
        unsigned long long k = (unsigned long long)tw;
        for (y = 0; y < h; y++)
            k = render_hash(S->pix + (size_t)y * (size_t)w + (size_t)x, sizeof(Uint32) * (size_t)tw, k);
        S->tile_key[x / STRIP_TILE] = k;
    }
    S->key = key;
}

/* ---- Drawing ---------------------------------------------------------------------- */

static cm_rgb contrast_on(cm_rgb c) {
    int lum = (c.r * 299 + c.g * 587 + c.b * 114) / 1000;
    cm_rgb black = { 0, 0, 0 }, white = { 255, 255, 255 };
    return lum > 140 ? black : white;
}

/* Glyphs inside cells big enough to hold them: NaN a cross, inf a bar with a dot,
 * beyond-range a corner triangle. */
static void cell_glyphs(render_ctx *rc, const app_state *st, int pane, int strip, box sb) {
    int n = st->setup.hidden, T = state_T(st), t, u;
    cm_scale sc = view_strip_scale(st, pane, strip);
    box c0 = layout_cell(sb, n, T, 0, 1);
    if (c0.w < 6 || c0.h < 6) return;
    for (t = 1; t <= st->cursor; t++)
        for (u = 0; u < n; u++) {
            int shown;
            double v = view_cell_value(st, pane, strip, u, t, &shown);
            cm_class c;
            box cb;
            cm_rgb fill, ink;
            if (!shown) continue;
            fill = cm_map(st->palette, &sc, v, &c);
            if (c == CM_IN_RANGE) continue;
            cb = layout_cell(sb, n, T, u, t);
            ink = contrast_on(fill);
            if (c == CM_NAN) {
                render_line(rc, cb.x + 1.5f, cb.y + 1.5f, cb.x + cb.w - 1.5f, cb.y + cb.h - 1.5f, 1.4f, ink, 255);
                render_line(rc, cb.x + cb.w - 1.5f, cb.y + 1.5f, cb.x + 1.5f, cb.y + cb.h - 1.5f, 1.4f, ink, 255);
            } else if (c == CM_POS_INF || c == CM_NEG_INF) {
                float cx = cb.x + cb.w * 0.5f, cy = cb.y + cb.h * 0.5f, rr = cb.h * 0.18f;
                render_ring(rc, cx - rr, cy, rr, 1.2f, ink, 255);
                render_ring(rc, cx + rr, cy, rr, 1.2f, ink, 255);
            } else {
                float s = (cb.w < cb.h ? cb.w : cb.h) * 0.45f;
                render_triangle(rc, (float)cb.x + cb.w, (float)cb.y, (float)cb.x + cb.w - s,
                                (float)cb.y, (float)cb.x + cb.w, (float)cb.y + s, ink, 255);
            }
        }
}

void view_heatmaps(render_ctx *rc, view_cache *vc, const app_state *st, int pane) {
    const pane_box *P = &st->L.pane[pane];
    const cm_theme *th = state_theme(st);
    SDL_Renderer *r = render_sdl(rc);
    int n = st->setup.hidden, T = state_T(st), s;
    gs_seq_summary sum;
    const gs_seq *seq = state_seq(st, pane);
    if (!seq || T < 1) return;
    sum = gs_seq_summary_of(seq);

    for (s = 0; s < P->n_strips; s++) {
        const strip_def *d = &st->L.strips[pane][s];
        strip_tex *S = &vc->strip[pane][s];
        box sb = P->strip[s], lb = P->label[s], mb = P->marks[s];
        int x;
        if (sb.w <= 0 || sb.h <= 0) continue;
        if (!S->tex || S->gen != st->view_gen || S->w != sb.w || S->h != sb.h)
            build_strip(vc, S, st, pane, s, r, sb.w, sb.h);
        if (S->tex)
            for (x = 0; x < S->n_tiles; x++) {
                box src = { x * STRIP_TILE, 0, sb.w - x * STRIP_TILE, sb.h };
                if (src.w > STRIP_TILE) src.w = STRIP_TILE;
                render_texture_part(rc, S->tex, S->tile_key[x], src,
                                    (box){ sb.x + src.x, sb.y, src.w, sb.h });
            }
        cell_glyphs(rc, st, pane, s, sb);
        /* marks under the strip: dim for beyond range, warn for inf/NaN */
        if (S->marks && S->marks_len >= sb.w)
            for (x = 0; x < sb.w; x++)
                if (S->marks[x]) {
                    box m = { mb.x + x, mb.y + 1, 1, mb.h - 1 };
                    render_fill(rc, m, S->marks[x] == 2 ? th->warn : th->text_dim);
                }
        /* the label, and the range when the scale is per pane or data-driven */
        {
            int fh = render_font_height(rc, FONT_SMALL);
            box l1 = lb, l2 = lb;
            cm_scale sc = view_strip_scale(st, pane, s);
            int two = lb.h >= 2 * fh + 2 && (d->scale == STRIP_STATE || d->scale == STRIP_GRAD);
            if (two) {
                l1.h = lb.h / 2;
                l2.y = lb.y + lb.h / 2;
                l2.h = lb.h - lb.h / 2;
            } else { /* one line: centred on the strip (the box also holds the marks' row) */
                l1.y = sb.y + sb.h / 2 - lb.h / 2;
            }
            /* body type, or smaller where the strips are short (presenter mode, a lesson) */
            font_id lf = d->scale == STRIP_GRAD ? FONT_SMALL : FONT_BODY;
            /* (compact panes stack eight strips: a label stays within a line of its box) */
            int room = st->L.compact ? l1.h + 4 : l1.h + l1.h / 2 + 2;
            if (render_font_height(rc, lf) > room) lf = FONT_SMALL;
            if (render_font_height(rc, lf) > room) lf = FONT_SUB;
            render_text_in(rc, lf, d->label, l1, d->scale == STRIP_GRAD ? th->backward : th->text,
                           AL_LEFT | (two ? AL_BOTTOM : AL_MIDDLE));
            if (two) {
                char buf[32], num[24];
                char exp[32];
                const char *alts[2] = { buf, exp };
                fmt_short(num, sizeof num, sc.hi);
                snprintf(buf, sizeof buf, "\xc2\xb1%s", num);
                /* too wide: the power of ten alone */
                snprintf(exp, sizeof exp, "1e%d", isfinite(sc.hi) && sc.hi > 0 ? (int)floor(log10(sc.hi)) : 0);
                render_text_alt(rc, FONT_SMALL, l2, th->text_dim, AL_LEFT | AL_TOP, 2, alts);
            }
        }
        /* the cursor column (forward strips) and the backward playhead (gradients) */
        if (st->cursor >= 1) {
            box c = layout_cell(sb, n, T, 0, st->cursor);
            render_fill_a(rc, (box){ c.x, sb.y - 1, c.w, 1 }, th->accent, 255);
            render_fill_a(rc, (box){ c.x, sb.y + sb.h, c.w, 1 }, th->accent, 255);
        }
        if (d->scale == STRIP_GRAD && sum.truncated && sum.grad_lo > 1 && state_grad_shown(st, pane, sum.grad_lo)) {
            /* where truncation cut the gradient */
            box c = layout_cell(sb, n, T, 0, sum.grad_lo);
            render_dashed(rc, (float)c.x - 1.5f, (float)sb.y, (float)c.x - 1.5f, (float)(sb.y + sb.h), 1.5f, 2.5f,
                          th->text_dim, 255);
        }
        if (d->scale == STRIP_GRAD && st->back_active && st->back_pos >= 1) {
            box c = layout_cell(sb, n, T, 0, st->back_pos);
            render_outline(rc, (box){ c.x - 1, sb.y - 1, c.w + 2, sb.h + 2 }, th->backward, 1);
        }
    }

    /* the first inf/NaN: a line through the forward strips */
    if (sum.first_nonfinite > 0 && sum.first_nonfinite <= st->cursor && P->n_strips > 0) {
        box a = P->strip[0], z = P->strip[P->n_strips - 1];
        box c = layout_cell(a, n, T, 0, sum.first_nonfinite);
        render_dashed(rc, c.x + 0.5f, (float)a.y, c.x + 0.5f, (float)(z.y + z.h), 1.5f, 3.0f, th->warn, 230);
    }

    /* the time axis: 1 and T at the ends, the cursor and the backward playhead */
    {
        box ax = P->axis;
        char buf[32];
        int fh = render_font_height(rc, FONT_SMALL);
        int y = ax.y + ax.h - fh;
        render_fill(rc, (box){ ax.x, ax.y + 1, ax.w, 1 }, th->border);
        if (st->cursor >= 1) {
            box c = layout_cell(ax, 1, T, 0, st->cursor);
            float cx = c.x + c.w * 0.5f;
            int tw;
            snprintf(buf, sizeof buf, "%d", st->cursor);
            tw = render_measure(rc, FONT_SMALL, buf);
            render_triangle(rc, cx, (float)ax.y + 1, cx - 4, (float)ax.y + 6, cx + 4, (float)ax.y + 6, th->accent, 255);
            {
                int tx = (int)cx - tw / 2;
                if (tx < ax.x) tx = ax.x;
                if (tx + tw > ax.x + ax.w) tx = ax.x + ax.w - tw;
                render_text(rc, FONT_SMALL, buf, tx, y, th->accent, AL_LEFT | AL_TOP);
            }
        } else {
            static const char *const idle[2] = { "step 0: nothing computed yet", "step 0" };
            int tw = render_measure(rc, FONT_SMALL, "0000") + 4;
            render_text_alt(rc, FONT_SMALL, (box){ ax.x, y, ax.w - tw, fh }, th->text_dim, AL_LEFT | AL_TOP, 2, idle);
        }
        if (st->cursor < T - 2 || st->cursor == 0) {
            snprintf(buf, sizeof buf, "%d", T);
            if (st->cursor >= 1) {
                box c = layout_cell(ax, 1, T, 0, st->cursor);
                int tw = render_measure(rc, FONT_SMALL, buf);
                if (c.x + c.w / 2 + 2 * tw < ax.x + ax.w)
                    render_text(rc, FONT_SMALL, buf, ax.x + ax.w, y, th->text_dim, AL_RIGHT | AL_TOP);
            } else {
                render_text(rc, FONT_SMALL, buf, ax.x + ax.w, y, th->text_dim, AL_RIGHT | AL_TOP);
            }
        }
    }
}

/* ---- Legend (sidebar) ------------------------------------------------------------- */

static void colour_bar(render_ctx *rc, const app_state *st, box bar, cm_kind kind) {
    /* the maps are piecewise linear through 11 points: a gradient through the same
       points draws them exactly */
    cm_rgb pts[11];
    for (int i = 0; i < 11; i++) {
        double u = i / 10.0;
        pts[i] = kind == CM_SEQ ? cm_sequential(st->palette, u) : cm_diverging(st->palette, 2 * u - 1);
    }
    render_hgradient(rc, bar, pts, 11);
}

void view_legend(render_ctx *rc, const app_state *st, box b) {
    const cm_theme *th = state_theme(st);
    int fh = render_font_height(rc, FONT_SMALL), y = b.y, bar_h = fh / 2 + 2;
    int row = 2 * fh + 3;
    char lo[48], hi[48], cap[3][96];
    const char *mode = st->scale_shared ? "shared" : "per pane";
    int k, capw = 0;
    /* each scale: a caption, then  lo [colour bar] hi  on one line; when the four and
       the glyphs do not fit so, each on one line with its short caption to the left */
    char shorts[4][48];
    snprintf(shorts[0], sizeof shorts[0], "gates \xcf\x83");
    snprintf(shorts[1], sizeof shorts[1], "\xcf\x86");
    snprintf(shorts[2], sizeof shorts[2], "states%s", st->log_mag ? " log" : "");
    snprintf(shorts[3], sizeof shorts[3], "\xe2\x88\x82L/\xe2\x88\x82state%s", st->log_mag ? " log" : "");
    if (4 * (row + 2) + fh > b.h) {
        for (k = 0; k < 4; k++)
            if (render_measure(rc, FONT_SMALL, shorts[k]) + 4 > capw) capw = render_measure(rc, FONT_SMALL, shorts[k]) + 4;
        row = fh + 1;
    }
    for (k = 0; k < 4 && y + row <= b.y + b.h; k++) {
        const char *caps[3] = { cap[0], cap[1], cap[2] };
        box cb = { b.x, y, capw ? capw : b.w, fh };
        int lw, hw, by = capw ? y : y + fh + 1;
        cm_kind kind = k == 0 ? CM_SEQ : CM_DIV;
        switch (k) {
        case 0:
            snprintf(cap[0], sizeof cap[0], "gates \xcf\x83: 0 closed, 1 open");
            snprintf(cap[1], sizeof cap[1], "gates \xcf\x83 (fixed)");
            snprintf(cap[2], sizeof cap[2], "gates \xcf\x83");
            snprintf(lo, sizeof lo, "0");
            snprintf(hi, sizeof hi, "1");
            break;
        case 1:
            snprintf(cap[0], sizeof cap[0], "candidate \xcf\x86 (fixed)");
            snprintf(cap[1], sizeof cap[1], "candidate \xcf\x86");
            snprintf(cap[2], sizeof cap[2], "\xcf\x86");
            snprintf(lo, sizeof lo, "\xe2\x88\x92" "1");
            snprintf(hi, sizeof hi, "+1");
            break;
        default: {
            const cm_scale *sc = k == 2 ? &st->scale_state[0] : &st->scale_grad[0];
            const char *what = k == 2 ? "states" : "\xe2\x88\x82L/\xe2\x88\x82state";
            char num[24];
            if (st->log_mag)
                snprintf(cap[0], sizeof cap[0], "%s, %s, log (%.0f decades)", what, mode, sc->decades);
            else if (!st->scale_shared)
                snprintf(cap[0], sizeof cap[0], "%s, per pane (R at each strip)", what);
            else
                snprintf(cap[0], sizeof cap[0], "%s, %s", what, mode);
            snprintf(cap[1], sizeof cap[1], "%s, %s%s", what, mode, st->log_mag ? ", log" : "");
            snprintf(cap[2], sizeof cap[2], "%s", what);
            if (!st->scale_shared) {
                snprintf(lo, sizeof lo, "\xe2\x88\x92R");
                snprintf(hi, sizeof hi, "+R");
            } else {
                fmt_short(num, sizeof num, sc->hi);
                snprintf(lo, sizeof lo, "\xe2\x88\x92%s", num);
                snprintf(hi, sizeof hi, "+%s", num);
            }
            break;
        }
        }
        if (capw) {
            render_text_in(rc, FONT_SMALL, shorts[k], cb, k == 3 ? th->backward : th->text, AL_LEFT | AL_TOP);
        } else {
            render_text_alt(rc, FONT_SMALL, cb, k == 3 ? th->backward : th->text, AL_LEFT | AL_TOP, 3, caps);
        }
        lw = render_measure(rc, FONT_SMALL, lo) + 4;
        hw = render_measure(rc, FONT_SMALL, hi) + 4;
        if (lw < hw) lw = hw; /* the bar centred between equal label slots */
        if (capw && lw < render_measure(rc, FONT_SMALL, "\xe2\x88\x92" "1") + 4) /* bars aligned */
            lw = render_measure(rc, FONT_SMALL, "\xe2\x88\x92" "1") + 4;
        {
            int bx = b.x + capw, bw = b.w - capw;
            render_text_in(rc, FONT_SMALL, lo, (box){ bx, by, lw - 3, fh }, th->text_dim, AL_RIGHT | AL_TOP);
            colour_bar(rc, st, (box){ bx + lw, by + (fh - bar_h) / 2, bw - 2 * lw, bar_h }, kind);
            render_text_in(rc, FONT_SMALL, hi, (box){ bx + bw - lw + 3, by, lw - 3, fh }, th->text_dim,
                           AL_LEFT | AL_TOP);
        }
        y += capw ? row : row + 2;
    }
    /* glyphs, on one line: beyond the range, inf, NaN */
    if (y + fh <= b.y + b.h) {
        cm_rgb nanc = cm_nan_colour(st->palette), endc = cm_diverging(st->palette, 1);
        static const char *const words[3] = { "beyond", "\xc2\xb1inf", "NaN" };
        int sz = fh - 3, x = b.x, slot = b.w / 3;
        for (k = 0; k < 3; k++) {
            box sq = { x, y + 2, sz, sz };
            cm_rgb fill = k == 2 ? nanc : endc, ink = contrast_on(fill);
            render_fill(rc, sq, fill);
            if (k == 0)
                render_triangle(rc, (float)sq.x + sq.w, (float)sq.y, (float)sq.x + sq.w * 0.45f, (float)sq.y,
                                (float)sq.x + sq.w, (float)sq.y + sq.h * 0.55f, ink, 255);
            else if (k == 1) {
                float cx = sq.x + sq.w * 0.5f, cy = sq.y + sq.h * 0.5f, rr = sq.h * 0.2f;
                render_ring(rc, cx - rr, cy, rr, 1.2f, ink, 255);
                render_ring(rc, cx + rr, cy, rr, 1.2f, ink, 255);
            } else {
                render_line(rc, sq.x + 1.5f, sq.y + 1.5f, sq.x + sq.w - 1.5f, sq.y + sq.h - 1.5f, 1.4f, ink, 255);
                render_line(rc, sq.x + sq.w - 1.5f, sq.y + 1.5f, sq.x + 1.5f, sq.y + sq.h - 1.5f, 1.4f, ink, 255);
            }
            render_text_in(rc, FONT_SMALL, words[k], (box){ x + sz + 4, y, slot - sz - 6, fh }, th->text_dim,
                           AL_LEFT | AL_TOP);
            x += slot;
        }
        y += fh + 2;
    }
    {
        static const char *const note = "ticks under a strip: grey beyond the range, red inf/NaN";
        box rest = { b.x, y, b.w, b.y + b.h - y };
        int need = render_text_wrap(rc, FONT_SMALL, note, rest, th->text_dim, 0);
        if (need * fh <= rest.h) render_text_wrap(rc, FONT_SMALL, note, rest, th->text_dim, 1);
    }
}
