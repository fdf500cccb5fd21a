/* render_text.c — text through SDL2_ttf: the fonts at the layout's sizes, a cache of
 * one white texture per (font, string), tinted when drawn and freed when not drawn
 * for a while; text in a box (shortened with an ellipsis, and counted, when it does
 * not fit), word wrap, formulas with sub- and superscripts; and the checks the tests
 * read (overflows, the log of strings drawn). */
#include "ui/render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/render_ctx.h"

/* ---- Fonts ------------------------------------------------------------------------ */

static const char *font_file(font_id f) {
    switch (f) {
    case FONT_BOLD:
    case FONT_TITLE:
    case FONT_BIG: return "DejaVuSans-Bold.ttf";
    case FONT_MONO: return "DejaVuSansMono.ttf";
    default: return "DejaVuSans.ttf";
    }
}

int render_set_fonts(render_ctx *rc, const int px[FONT_COUNT], char *err, size_t err_len) {
    int changed = 0;
    for (int i = 0; i < FONT_COUNT; i++) {
        char path[2200];
        TTF_Font *f;
        if (rc->font[i] && rc->font_px[i] == px[i]) continue;
        snprintf(path, sizeof path, "%s/%s", rc->font_dir, font_file((font_id)i));
        f = TTF_OpenFont(path, px[i] > 4 ? px[i] : 4);
        if (!f || TTF_FontHeight(f) <= 0) { /* an empty or damaged file: say so, never draw */
            char shown[300];
            gs_quote(shown, sizeof shown, path, strlen(path));
            if (f) snprintf(err, err_len, "the font '%s' is damaged (its height is 0); reinstall "
                            "gatescope's assets", shown);
            else snprintf(err, err_len, "cannot open the font '%s': %s; reinstall gatescope's "
                          "assets", shown, TTF_GetError());
            if (f) TTF_CloseFont(f);
            return 1;
        }
        /* normal hinting puts every glyph on whole pixels: with light hinting "rnn"
           runs together into "mn" at 11 to 14 px */
        TTF_SetFontHinting(f, TTF_HINTING_NORMAL);
        if (rc->font[i]) TTF_CloseFont(rc->font[i]);
        rc->font[i] = f;
        rc->font_px[i] = px[i];
        changed = 1;
    }
    if (changed) render_invalidate(rc);
    return 0;
}

void render_invalidate(render_ctx *rc) {
    for (int i = 0; i < rc->n_entries; i++) {
        SDL_DestroyTexture(rc->entries[i].tex);
        free(rc->entries[i].str);
    }
    rc->n_entries = 0;
    for (int i = 0; i < rc->n_buckets; i++) rc->buckets[i] = -1;
    if (rc->measured) memset(rc->measured, 0, sizeof *rc->measured * MEASURE_SLOTS); /* new fonts */
    render_redraw_all(rc); /* a new texture may take a freed one's address */
}

static void log_clear(render_ctx *rc) {
    for (int i = 0; i < rc->n_log; i++) free(rc->log[i]);
    rc->n_log = 0;
}

static void rects_clear(render_ctx *rc) {
    for (int i = 0; i < rc->n_rects; i++) free((char *)(uintptr_t)rc->rects[i].s);
    rc->n_rects = 0;
}

void render__text_free(render_ctx *rc) {
    render_invalidate(rc);
    for (int i = 0; i < FONT_COUNT; i++)
        if (rc->font[i]) TTF_CloseFont(rc->font[i]);
    log_clear(rc);
    free(rc->log);
    rects_clear(rc);
    free(rc->rects);
    free(rc->entries);
    free(rc->measured);
}

/* ---- Tracking: small type a pixel looser ------------------------------------------- */

/* The next UTF-8 code point of *s (advancing it); 0 at the end. */
static Uint32 next_cp(const char **s) {
    const unsigned char *p = (const unsigned char *)*s;
    Uint32 c = *p;
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (!c) return 0;
    c &= extra == 3 ? 0x07u : extra == 2 ? 0x0fu : extra == 1 ? 0x1fu : 0x7fu;
    p++;
    while (extra-- > 0 && (*p & 0xc0) == 0x80) c = (c << 6) | (*p++ & 0x3fu);
    *s = (const char *)p;
    return c;
}

static int combining(Uint32 c) { return (c >= 0x300 && c <= 0x36f) || (c >= 0x20d0 && c <= 0x20ff); }

/* Extra pixels between the characters of FONT_NAME: one, up to 24 px, where letters
 * set at their own advances may touch ("rnn" reads "mn"). */
static int tracking(const render_ctx *rc, font_id f) {
    return f == FONT_NAME && rc->font_px[f] <= 24 ? 1 : 0;
}

/* The bytes of the character at s with its combining marks ("s" and U+0303 are one). */
static size_t cluster(const char *s) {
    const char *p = s, *q;
    if (!next_cp(&p)) return 0;
    for (q = p; *q && combining(next_cp(&q)); q = p = q) {}
    return (size_t)(p - s);
}

/* Width of s drawn with tracking t: each character at its own advance, t apart. */
static int tracked_width(TTF_Font *font, const char *s, int t) {
    int w = 0, n = 0;
    char buf[32];
    size_t k;
    while ((k = cluster(s)) > 0) {
        int cw = 0, ch = 0;
        if (k < sizeof buf) {
            memcpy(buf, s, k);
            buf[k] = '\0';
            TTF_SizeUTF8(font, buf, &cw, &ch);
        }
        w += cw + (n++ > 0 ? t : 0);
        s += k;
    }
    return w;
}

/* s rendered white with tracking t: each character rendered alone and laid side by
 * side (the larger alpha wins where two overlap). */
static SDL_Surface *render_tracked(TTF_Font *font, const char *s, int t) {
    SDL_Color white = { 255, 255, 255, 255 };
    int w = tracked_width(font, s, t), h = TTF_FontHeight(font), x = 0;
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1, 32, SDL_PIXELFORMAT_ARGB8888);
    char buf[32];
    size_t k;
    if (!out) return NULL;
    SDL_FillRect(out, NULL, 0x00ffffffu);
    while ((k = cluster(s)) > 0) {
        SDL_Surface *g, *ga;
        int cw = 0, ch = 0;
        if (k >= sizeof buf) break;
        memcpy(buf, s, k);
        buf[k] = '\0';
        s += k;
        TTF_SizeUTF8(font, buf, &cw, &ch);
        if (buf[0] != ' ' && (g = TTF_RenderUTF8_Blended(font, buf, white)) != NULL) {
            if ((ga = SDL_ConvertSurfaceFormat(g, SDL_PIXELFORMAT_ARGB8888, 0)) != NULL) {
                for (int yy = 0; yy < ga->h && yy < out->h; yy++) {
                    const Uint32 *src = (const Uint32 *)((const char *)ga->pixels + (size_t)yy * (size_t)ga->pitch);
                    Uint32 *dst = (Uint32 *)((char *)out->pixels + (size_t)yy * (size_t)out->pitch);
                    for (int xx = 0; xx < ga->w && x + xx < out->w; xx++)
                        if ((src[xx] >> 24) > (dst[x + xx] >> 24)) dst[x + xx] = src[xx];
                }
                SDL_FreeSurface(ga);
            }
            SDL_FreeSurface(g);
        }
        x += cw + t;
    }
    return out;
}

/* ---- The text cache --------------------------------------------------------------- */

static unsigned long hash_of(int font, const char *s) {
    unsigned long h = 1469598103934665603UL ^ (unsigned long)font;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

static void rebucket(render_ctx *rc) {
    for (int i = 0; i < rc->n_buckets; i++) rc->buckets[i] = -1;
    for (int i = 0; i < rc->n_entries; i++) {
        int b = (int)(rc->entries[i].hash & (unsigned long)(rc->n_buckets - 1));
        rc->entries[i].next = rc->buckets[b];
        rc->buckets[b] = i;
    }
}

void render_frame_begin(render_ctx *rc, cm_rgb bg) {
    rc->frame++;
    SDL_SetRenderDrawBlendMode(rc->r, SDL_BLENDMODE_BLEND);
    render__regions_begin(rc, bg);
}

void render_frame_end(render_ctx *rc) {
    /* every 64 frames, free what was not drawn in the last 120 */
    int k = 0;
    render__regions_end(rc);
    if (rc->frame % 64 != 0 && rc->n_entries < 4096) return;
    for (int i = 0; i < rc->n_entries; i++) {
        text_entry *e = &rc->entries[i];
        if (rc->frame - e->used > 120 || rc->n_entries > 4096) {
            SDL_DestroyTexture(e->tex);
            free(e->str);
        } else {
            rc->entries[k++] = *e;
        }
    }
    rc->n_entries = k;
    rebucket(rc);
}

/* The cached white texture of s in font f (made on first use); NULL on failure or for
 * an empty string. */
static text_entry *text_get(render_ctx *rc, font_id f, const char *s) {
    unsigned long h;
    int b, i;
    SDL_Surface *surf;
    SDL_Color white = { 255, 255, 255, 255 };
    text_entry *e;
    if (!s || !*s || !rc->font[f]) return NULL;
    h = hash_of((int)f, s);
    b = (int)(h & (unsigned long)(rc->n_buckets - 1));
    for (i = rc->buckets[b]; i >= 0; i = rc->entries[i].next)
        if (rc->entries[i].hash == h && rc->entries[i].font == (int)f &&
            strcmp(rc->entries[i].str, s) == 0) {
            rc->entries[i].used = rc->frame;
            return &rc->entries[i];
        }
    if (rc->n_entries == rc->cap_entries) {
        int cap = rc->cap_entries ? rc->cap_entries * 2 : 256;
        text_entry *ne = realloc(rc->entries, sizeof *ne * (size_t)cap);
        if (!ne) return NULL;
        rc->entries = ne;
        rc->cap_entries = cap;
    }
    surf = tracking(rc, f) ? render_tracked(rc->font[f], s, tracking(rc, f))
                           : TTF_RenderUTF8_Blended(rc->font[f], s, white);
    if (!surf) return NULL;
    e = &rc->entries[rc->n_entries];
    e->tex = SDL_CreateTextureFromSurface(rc->r, surf);
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->tex) return NULL;
    e->str = malloc(strlen(s) + 1);
    if (!e->str) {
        SDL_DestroyTexture(e->tex);
        return NULL;
    }
    strcpy(e->str, s);
    SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
    e->hash = h;
    e->font = (int)f;
    e->used = rc->frame;
    e->next = rc->buckets[b];
    rc->buckets[b] = rc->n_entries;
    rc->n_entries++;
    return e;
}

static int measure_now(render_ctx *rc, font_id f, const char *s) {
    int w = 0, h = 0;
    if (tracking(rc, f)) return tracked_width(rc->font[f], s, tracking(rc, f));
    TTF_SizeUTF8(rc->font[f], s, &w, &h);
    return w;
}

int render_measure(void *ud, font_id f, const char *s) {
    render_ctx *rc = ud;
    unsigned long h;
    size_t len;
    measure_slot *m;
    if (!s || !*s || !rc->font[f]) return 0;
    len = strlen(s);
    if (len >= MEASURE_LEN) return measure_now(rc, f, s);
    if (!rc->measured && !(rc->measured = calloc(MEASURE_SLOTS, sizeof *rc->measured)))
        return measure_now(rc, f, s);
    h = hash_of((int)f, s);
    m = &rc->measured[h & (MEASURE_SLOTS - 1)];
    h |= 1; /* never 0, the empty slot's */
    if (m->hash != h || m->font != (int)f || memcmp(m->s, s, len + 1) != 0) {
        m->hash = h;
        m->font = (int)f;
        memcpy(m->s, s, len + 1);
        m->w = measure_now(rc, f, s);
    }
    return m->w;
}

int render_font_height(const render_ctx *rc, font_id f) {
    return rc->font[f] ? TTF_FontHeight(rc->font[f]) : 0;
}

static void log_text(render_ctx *rc, const char *s) {
    char *copy;
    if (!rc->logging || !s) return;
    if (rc->n_log == rc->cap_log) {
        int cap = rc->cap_log ? rc->cap_log * 2 : 256;
        char **nl = realloc(rc->log, sizeof *nl * (size_t)cap);
        if (!nl) return;
        rc->log = nl;
        rc->cap_log = cap;
    }
    copy = malloc(strlen(s) + 1);
    if (!copy) return;
    strcpy(copy, s);
    rc->log[rc->n_log++] = copy;
}

/* The rows s's glyphs ink, from the top of its line: [*top, *bottom).  0 if none. */
static int ink_rows(render_ctx *rc, font_id f, const char *s, int *top, int *bottom) {
    int asc;
    const char *p = s;
    Uint32 cp;
    *top = 1 << 20;
    *bottom = -(1 << 20);
    if (!s || !rc->font[f]) return 0;
    asc = TTF_FontAscent(rc->font[f]);
    while ((cp = next_cp(&p)) != 0) {
        int minx, maxx, miny, maxy, adv;
        if (cp == ' ' || TTF_GlyphMetrics32(rc->font[f], cp, &minx, &maxx, &miny, &maxy, &adv) != 0) continue;
        if (maxy <= miny) continue; /* no ink */
        if (asc - maxy < *top) *top = asc - maxy;
        if (asc - miny > *bottom) *bottom = asc - miny;
    }
    return *bottom > *top;
}

/* Record where s was drawn (dst: its texture's box): the box cut to its ink's height. */
static void log_rect(render_ctx *rc, font_id f, const char *s, SDL_Rect dst) {
    text_rect *r;
    int top, bottom;
    char *copy;
    if (!rc->logging_rects) return;
    if (!ink_rows(rc, f, s, &top, &bottom)) return; /* only spaces */
    if (rc->n_rects == rc->cap_rects) {
        int cap = rc->cap_rects ? rc->cap_rects * 2 : 512;
        text_rect *nr = realloc(rc->rects, sizeof *nr * (size_t)cap);
        if (!nr) return;
        rc->rects = nr;
        rc->cap_rects = cap;
    }
    if (!(copy = malloc(strlen(s) + 1))) return;
    strcpy(copy, s);
    r = &rc->rects[rc->n_rects++];
    r->s = copy;
    r->font = f;
    r->ink = (box){ dst.x, dst.y + top, dst.w, bottom - top };
    r->view = rc->bounds;
    r->group = rc->group_hold > 0 ? rc->group_hold : ++rc->group;
}

int render_text(render_ctx *rc, font_id f, const char *s, int x, int y, cm_rgb c, int align) {
    text_entry *e;
    SDL_Rect dst;
    log_text(rc, s);
    e = text_get(rc, f, s);
    if (!e) return 0;
    dst.w = e->w;
    dst.h = e->h;
    dst.x = (align & 3) == AL_CENTER ? x - e->w / 2 : (align & 3) == AL_RIGHT ? x - e->w : x;
    dst.y = (align & 12) == AL_MIDDLE ? y - e->h / 2 : (align & 12) == AL_BOTTOM ? y - e->h : y;
    render__copy(rc, e->tex, (SDL_Rect){ 0, 0, 0, 0 }, dst, (SDL_Color){ c.r, c.g, c.b, 255 },
                 e->hash * 31u + (unsigned)f);
    log_rect(rc, f, s, dst);
    if (rc->bounds.w > 0) {
        /* glyph boxes carry some leading: allow a quarter of the height above/below */
        int slack = dst.h / 4;
        if (dst.x < rc->bounds.x || dst.x + dst.w > rc->bounds.x + rc->bounds.w ||
            dst.y + slack < rc->bounds.y || dst.y + dst.h - slack > rc->bounds.y + rc->bounds.h) {
            rc->overflows++;
            snprintf(rc->last_overflow, sizeof rc->last_overflow, "%s (outside its view at %d,%d %dx%d)", s, dst.x, dst.y, dst.w, dst.h);
        }
    }
    return e->w;
}

/* Byte length of the longest prefix of s that, followed by "…", fits in w. */
static size_t fit_prefix(render_ctx *rc, font_id f, const char *s, int w) {
    char buf[512];
    size_t len = strlen(s), best = 0, i;
    if (len > sizeof buf - 8) len = sizeof buf - 8;
    for (i = 1; i <= len; i++) {
        if (i < len && (s[i] & 0xc0) == 0x80) continue; /* whole characters only */
        memcpy(buf, s, i);
        memcpy(buf + i, "\xe2\x80\xa6", 4);
        if (render_measure(rc, f, buf) > w) break;
        best = i;
    }
    return best;
}

int render_text_in(render_ctx *rc, font_id f, const char *s, box b, cm_rgb c, int align) {
    int x, y, w;
    if (!s || !*s) return 0;
    w = render_measure(rc, f, s);
    x = (align & 3) == AL_CENTER ? b.x + b.w / 2 : (align & 3) == AL_RIGHT ? b.x + b.w : b.x;
    y = (align & 12) == AL_MIDDLE ? b.y + b.h / 2 : (align & 12) == AL_BOTTOM ? b.y + b.h : b.y;
    if (w > b.w || render_font_height(rc, f) > b.h + b.h / 2 + 2) {
        char buf[520];
        size_t n;
        rc->overflows++;
        snprintf(rc->last_overflow, sizeof rc->last_overflow, "%s", s);
        if (w <= b.w) return render_text(rc, f, s, x, y, c, align);
        n = fit_prefix(rc, f, s, b.w);
        memcpy(buf, s, n);
        memcpy(buf + n, "\xe2\x80\xa6", 4);
        log_text(rc, s);
        {
            int was = rc->logging;
            rc->logging = 0;
            w = render_text(rc, f, buf, x, y, c, align);
            rc->logging = was;
        }
        return w;
    }
    return render_text(rc, f, s, x, y, c, align);
}

int render_text_alt(render_ctx *rc, font_id f, box b, cm_rgb c, int align, int n, const char *const *texts) {
    int i;
    for (i = 0; i + 1 < n; i++)
        if (render_measure(rc, f, texts[i]) <= b.w) break;
    return n > 0 ? render_text_in(rc, f, texts[i], b, c, align) : 0;
}

int render_text_wrap(render_ctx *rc, font_id f, const char *s, box b, cm_rgb c, int draw) {
    char line[512];
    int lh = render_font_height(rc, f), lines = 0, max = lh > 0 ? b.h / lh : 0;
    const char *p = s;
    if (!s) return 0;
    if (draw) log_text(rc, s);
    while (*p) {
        size_t len = 0, fit = 0;
        const char *q = p;
        /* take words while they fit */
        for (;;) {
            const char *w = q;
            size_t l;
            while (*w == ' ') w++;
            l = 0;
            while (w[l] && w[l] != ' ') l++;
            if (len + (size_t)(w - q) + l >= sizeof line - 4) break;
            memcpy(line + len, q, (size_t)(w - q) + l);
            line[len + (size_t)(w - q) + l] = '\0';
            if (render_measure(rc, f, line) > b.w && fit > 0) break;
            len += (size_t)(w - q) + l;
            fit = len;
            q = w + l;
            if (!*q) break;
        }
        if (fit == 0) { /* one word wider than the box */
            while (p[fit] && p[fit] != ' ') fit++;
            memcpy(line, p, fit < sizeof line - 1 ? fit : sizeof line - 1);
            q = p + fit;
            len = fit;
        }
        line[len] = '\0';
        if (draw && lines + 1 >= max && *q) { /* the last line that fits: cut here */
            if (draw) {
                int was = rc->logging;
                rc->logging = 0;
                rc->overflows++;
                snprintf(rc->last_overflow, sizeof rc->last_overflow, "%s", s);
                if (len < sizeof line - 4) memcpy(line + len, "\xe2\x80\xa6", 4);
                render_text_in(rc, f, line, (box){ b.x, b.y + lines * lh, b.w, lh }, c, AL_LEFT | AL_TOP);
                rc->logging = was;
            }
            return lines + 1;
        }
        if (draw) {
            int was = rc->logging;
            rc->logging = 0;
            render_text_in(rc, f, line, (box){ b.x, b.y + lines * lh, b.w, lh }, c, AL_LEFT | AL_TOP);
            rc->logging = was;
        }
        lines++;
        p = q;
        while (*p == ' ') p++;
    }
    return lines;
}

/* ---- Formulas: runs of normal, subscript and superscript text -------------------- */

typedef struct math_run {
    char text[128];
    int kind; /* 0 normal, 1 sub, 2 sup */
} math_run;

static int math_runs(const char *s, math_run *runs, int max) {
    int n = 0;
    while (*s && n < max) {
        math_run *r = &runs[n];
        size_t k = 0;
        r->kind = 0;
        if ((*s == '_' || *s == '^') && s[1]) {
            r->kind = *s == '_' ? 1 : 2;
            s++;
            if (*s == '{') {
                s++;
                while (*s && *s != '}' && k < sizeof r->text - 1) r->text[k++] = *s++;
                if (*s == '}') s++;
            } else {
                do r->text[k++] = *s++;
                while (*s && (*s & 0xc0) == 0x80 && k < sizeof r->text - 1);
            }
        } else {
            while (*s && *s != '_' && *s != '^' && k < sizeof r->text - 1) r->text[k++] = *s++;
        }
        r->text[k] = '\0';
        if (k) n++;
    }
    return n;
}

int render_math_width(render_ctx *rc, font_id f, const char *s) {
    math_run runs[32];
    int n = math_runs(s, runs, 32), w = 0;
    for (int i = 0; i < n; i++) w += render_measure(rc, runs[i].kind ? FONT_SUB : f, runs[i].text);
    return w;
}

int render_math(render_ctx *rc, font_id f, const char *s, int x, int y, cm_rgb c, int align) {
    math_run runs[32];
    int n = math_runs(s, runs, 32), w = render_math_width(rc, f, s);
    int h = render_font_height(rc, f), hs = render_font_height(rc, FONT_SUB);
    int top;
    log_text(rc, s);
    x = (align & 3) == AL_CENTER ? x - w / 2 : (align & 3) == AL_RIGHT ? x - w : x;
    top = (align & 12) == AL_MIDDLE ? y - h / 2 : (align & 12) == AL_BOTTOM ? y - h : y;
    {
        int was = rc->logging;
        rc->logging = 0;
        rc->group_hold = ++rc->group; /* the runs are one formula */
        for (int i = 0; i < n; i++) {
            if (runs[i].kind == 0)
                x += render_text(rc, f, runs[i].text, x, top, c, AL_LEFT | AL_TOP);
            else if (runs[i].kind == 1)
                x += render_text(rc, FONT_SUB, runs[i].text, x, top + h - hs + hs / 4, c,
                                 AL_LEFT | AL_TOP);
            else
                x += render_text(rc, FONT_SUB, runs[i].text, x, top - hs / 5, c, AL_LEFT | AL_TOP);
        }
        rc->group_hold = 0;
        rc->logging = was;
    }
    return w;
}

/* ---- Where ink would go ----------------------------------------------------------- */

box render_text_ink(render_ctx *rc, font_id f, const char *s, int x, int y, int align) {
    int w = render_measure(rc, f, s), h = render_font_height(rc, f), top, bottom;
    box b = { 0, 0, 0, 0 };
    if (!ink_rows(rc, f, s, &top, &bottom)) return b;
    b.x = (align & 3) == AL_CENTER ? x - w / 2 : (align & 3) == AL_RIGHT ? x - w : x;
    b.y = ((align & 12) == AL_MIDDLE ? y - h / 2 : (align & 12) == AL_BOTTOM ? y - h : y) + top;
    b.w = w;
    b.h = bottom - top;
    return b;
}

box render_math_ink(render_ctx *rc, font_id f, const char *s, int x, int y, int align) {
    math_run runs[32];
    int n = math_runs(s, runs, 32), w = render_math_width(rc, f, s);
    int h = render_font_height(rc, f), hs = render_font_height(rc, FONT_SUB), top;
    box all = { 0, 0, 0, 0 };
    x = (align & 3) == AL_CENTER ? x - w / 2 : (align & 3) == AL_RIGHT ? x - w : x;
    top = (align & 12) == AL_MIDDLE ? y - h / 2 : (align & 12) == AL_BOTTOM ? y - h : y;
    for (int i = 0; i < n; i++) { /* where render_math puts each run */
        font_id rf = runs[i].kind ? FONT_SUB : f;
        int ry = runs[i].kind == 0 ? top : runs[i].kind == 1 ? top + h - hs + hs / 4 : top - hs / 5;
        all = box_union(all, render_text_ink(rc, rf, runs[i].text, x, ry, AL_LEFT | AL_TOP));
        x += render_measure(rc, rf, runs[i].text);
    }
    return all;
}

/* ---- Checks ----------------------------------------------------------------------- */

int render_take_overflows(render_ctx *rc) {
    int n = rc->overflows;
    rc->overflows = 0;
    return n;
}

void render_log_text(render_ctx *rc, int on) {
    if (on) log_clear(rc);
    rc->logging = on;
}

void render_set_bounds(render_ctx *rc, box b) { rc->bounds = b; }

void render_log_rects(render_ctx *rc, int on) {
    if (on) rects_clear(rc);
    rc->logging_rects = on;
}

const text_rect *render_logged_rects(const render_ctx *rc, int *count) {
    *count = rc->n_rects;
    return rc->rects;
}

const char *render_last_overflow(const render_ctx *rc) { return rc->last_overflow; }

const char *const *render_logged(const render_ctx *rc, int *count) {
    *count = rc->n_log;
    return (const char *const *)rc->log;
}
