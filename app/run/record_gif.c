/* record_gif.c — the GIF backend of the recorder (run/record.h): a looping GIF89a
 * written with giflib through a gs_outfile.  Each frame is written as the rectangle
 * that changed since the one before (the rest stays, disposal "do not dispose"), with
 * its own 256-colour palette cut from that rectangle's colours (median cut over a
 * 5-bit-per-channel histogram, colours the weighted means of their boxes, so flat UI
 * colours stay exact).  No dithering: heatmap cells stay flat, and LZW likes that.
 * A frame equal to the one before only lengthens it. */
#include "run/record.h"

#include <gif_lib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gatescope.h"

#define BINS 32768 /* 5 bits per channel */
#define PALETTE 256

typedef struct entry {
    uint16_t key;            /* the bin: r5 << 10 | g5 << 5 | b5 */
    uint8_t c[3];            /* its 5-bit channels (for sorting) */
    double m[3];             /* the mean colour of its pixels, 0..255 */
    double w;                /* its weight: sqrt(pixels), so that a few pixels of a rare
                                colour (the end of a colour bar) still win an entry */
} entry;

struct rec_gif {
    gs_outfile *out;
    GifFileType *g;
    int w, h, fps;
    uint32_t *shown;         /* (h, w) 0xRRGGBB: what the GIF shows after its last image */
    uint32_t *pending;       /* (h, w) the frame waiting for its duration */
    uint32_t *next;          /* (h, w) the frame being added */
    int have_shown, have_pending;
    long pending_ticks;      /* how many 1/fps ticks the pending frame lasts */
    long ticks;              /* ticks written before it */
    uint32_t *count;         /* [BINS] histogram of the rectangle */
    uint64_t *sum;           /* [BINS][3] channel sums, for exact means */
    uint8_t *lut;            /* [BINS] bin -> palette index */
    entry *ent;              /* [BINS] the occupied bins */
    GifPixelType *line;      /* (w) one row of indices */
};

/* ---- Output ------------------------------------------------------------------------ */

static int gif_write(GifFileType *g, const GifByteType *buf, int len) {
    return gs_outfile_write(g->UserData, buf, (size_t)len) == GS_OK ? len : 0;
}

static void gif_say(char *err, size_t len, const char *what, int code) {
    const char *why = GifErrorString(code);
    snprintf(err, len, "%s: %s", what, why ? why : "giflib error");
}

/* ---- Median cut -------------------------------------------------------------------- */

static int cmp_c0(const void *a, const void *b) {
    return (int)((const entry *)a)->c[0] - (int)((const entry *)b)->c[0];
}
static int cmp_c1(const void *a, const void *b) {
    return (int)((const entry *)a)->c[1] - (int)((const entry *)b)->c[1];
}
static int cmp_c2(const void *a, const void *b) {
    return (int)((const entry *)a)->c[2] - (int)((const entry *)b)->c[2];
}

typedef struct cut {
    int lo, hi;              /* entries [lo, hi) */
    int axis;                /* the channel it spreads most along */
    double err;              /* its weighted squared error around its mean */
} cut;

static void cut_measure(cut *b, const entry *e) {
    double n = 0, m[3] = { 0, 0, 0 }, v[3] = { 0, 0, 0 };
    for (int i = b->lo; i < b->hi; i++) {
        n += e[i].w;
        for (int k = 0; k < 3; k++) m[k] += e[i].w * e[i].m[k];
    }
    for (int k = 0; k < 3; k++) m[k] /= n > 0 ? n : 1;
    for (int i = b->lo; i < b->hi; i++)
        for (int k = 0; k < 3; k++) {
            double d = e[i].m[k] - m[k];
            v[k] += e[i].w * d * d;
        }
    b->axis = v[1] >= v[0] && v[1] >= v[2] ? 1 : v[0] >= v[2] ? 0 : 2;
    b->err = v[0] + v[1] + v[2];
}

/* The palette entry nearest to colour m (the eye weighs green most, blue least). */
static int nearest(const double *m, const double (*pal)[3], int np) {
    int best = 0;
    double best_d = -1;
    for (int i = 0; i < np; i++) {
        double dr = m[0] - pal[i][0], dg = m[1] - pal[i][1], db = m[2] - pal[i][2];
        double d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* Palette (at most 256 colours) for the n occupied bins in ent: median cut (split the
 * box its mean represents worst, at its weighted median), then two rounds of k-means
 * over the bins.  Returns how many colours. */
static int median_cut(rec_gif *q, int n, double (*pal)[3]) {
    static int (*const cmp[3])(const void *, const void *) = { cmp_c0, cmp_c1, cmp_c2 };
    cut boxes[PALETTE];
    int nb = 1;
    boxes[0].lo = 0;
    boxes[0].hi = n;
    cut_measure(&boxes[0], q->ent);
    while (nb < PALETTE) {
        int best = -1, mid;
        double score = 0, half = 0, acc = 0;
        for (int i = 0; i < nb; i++)
            if (boxes[i].hi - boxes[i].lo > 1 && boxes[i].err > score) {
                score = boxes[i].err;
                best = i;
            }
        if (best < 0) break; /* every box is one bin, or exact */
        cut *b = &boxes[best];
        qsort(q->ent + b->lo, (size_t)(b->hi - b->lo), sizeof *q->ent, cmp[b->axis]);
        for (int i = b->lo; i < b->hi; i++) half += q->ent[i].w;
        half /= 2;
        for (mid = b->lo; mid < b->hi - 1; mid++) {
            acc += q->ent[mid].w;
            if (acc >= half) break;
        }
        mid++; /* [lo, mid) and [mid, hi), both non-empty */
        boxes[nb].lo = mid;
        boxes[nb].hi = b->hi;
        b->hi = mid;
        cut_measure(b, q->ent);
        cut_measure(&boxes[nb], q->ent);
        nb++;
    }
    for (int i = 0; i < nb; i++) {
        double m[3] = { 0, 0, 0 }, w = 0;
        for (int j = boxes[i].lo; j < boxes[i].hi; j++) {
            w += q->ent[j].w;
            for (int k = 0; k < 3; k++) m[k] += q->ent[j].w * q->ent[j].m[k];
        }
        for (int k = 0; k < 3; k++) pal[i][k] = m[k] / (w > 0 ? w : 1);
    }
    for (int round = 0; round < 2; round++) { /* k-means: each colour the mean of its bins */
        double m[PALETTE][3], w[PALETTE];
        memset(m, 0, sizeof m);
        memset(w, 0, sizeof w);
        for (int j = 0; j < n; j++) {
            int k = nearest(q->ent[j].m, (const double (*)[3])pal, nb);
            w[k] += q->ent[j].w;
            for (int c = 0; c < 3; c++) m[k][c] += q->ent[j].w * q->ent[j].m[c];
        }
        for (int i = 0; i < nb; i++)
            if (w[i] > 0)
                for (int c = 0; c < 3; c++) pal[i][c] = m[i][c] / w[i];
    }
    return nb;
}

/* The palette of the rectangle (x0, y0, w, h) of img, and q->lut mapping each of its
 * bins to the nearest colour. */
static void quantize(rec_gif *q, const uint32_t *img, int x0, int y0, int w, int h,
                     GifColorType *out) {
    double pal[PALETTE][3];
    int n = 0, np;
    memset(q->count, 0, sizeof(uint32_t) * BINS);
    memset(q->sum, 0, sizeof(uint64_t) * 3 * BINS);
    for (int y = y0; y < y0 + h; y++) {
        const uint32_t *row = img + (size_t)y * (size_t)q->w;
        for (int x = x0; x < x0 + w; x++) {
            uint32_t p = row[x], r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
            unsigned key = (r >> 3) << 10 | (g >> 3) << 5 | (b >> 3);
            uint64_t *s = &q->sum[3 * (size_t)key];
            q->count[key]++;
            s[0] += r;
            s[1] += g;
            s[2] += b;
        }
    }
    for (unsigned k = 0; k < BINS; k++)
        if (q->count[k]) {
            entry *e = &q->ent[n++];
            e->key = (uint16_t)k;
            e->c[0] = (uint8_t)(k >> 10 & 31);
            e->c[1] = (uint8_t)(k >> 5 & 31);
            e->c[2] = (uint8_t)(k & 31);
            for (int c = 0; c < 3; c++) e->m[c] = (double)q->sum[3 * (size_t)k + c] / q->count[k];
            e->w = sqrt((double)q->count[k]);
        }
    np = median_cut(q, n, pal);
    for (int i = 0; i < PALETTE; i++) {
        const double *c = pal[i < np ? i : 0];
        out[i].Red = (GifByteType)lround(c[0]);
        out[i].Green = (GifByteType)lround(c[1]);
        out[i].Blue = (GifByteType)lround(c[2]);
    }
    for (int j = 0; j < n; j++) q->lut[q->ent[j].key] = (uint8_t)nearest(q->ent[j].m, (const double (*)[3])pal, np);
}

/* ---- Frames ---------------------------------------------------------------------- */

/* The smallest rectangle where a and b differ; 0 if they are equal. */
static int changed(const rec_gif *q, const uint32_t *a, const uint32_t *b, int *x0, int *y0,
                   int *w, int *h) {
    int top = -1, bottom = -1, left = q->w, right = -1;
    for (int y = 0; y < q->h; y++) {
        const uint32_t *ra = a + (size_t)y * (size_t)q->w, *rb = b + (size_t)y * (size_t)q->w;
        int l, r;
        if (!memcmp(ra, rb, sizeof(uint32_t) * (size_t)q->w)) continue;
        for (l = 0; ra[l] == rb[l]; l++) {}
        for (r = q->w - 1; ra[r] == rb[r]; r--) {}
        if (top < 0) top = y;
        bottom = y;
        if (l < left) left = l;
        if (r > right) right = r;
    }
    if (top < 0) return 0;
    *x0 = left;
    *y0 = top;
    *w = right - left + 1;
    *h = bottom - top + 1;
    return 1;
}

/* Write the pending frame, lasting pending_ticks. */
static int write_pending(rec_gif *q, char *err, size_t len) {
    GraphicsControlBlock gcb;
    GifByteType ext[4];
    GifColorType pal[PALETTE];
    ColorMapObject *map;
    long t0 = q->ticks, t1 = q->ticks + q->pending_ticks;
    long cs = lround((double)t1 * 100.0 / q->fps) - lround((double)t0 * 100.0 / q->fps);
    int x0 = 0, y0 = 0, w = q->w, h = q->h;
    if (cs < 2) cs = 2; /* players show shorter delays as 1/10 s */
    if (cs > 65535) cs = 65535;
    if (q->have_shown && !changed(q, q->shown, q->pending, &x0, &y0, &w, &h)) {
        x0 = y0 = 0; /* cannot happen (equal frames merge); keep a 1-pixel image */
        w = h = 1;
    }
    memset(&gcb, 0, sizeof gcb);
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.DelayTime = (int)cs;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    EGifGCBToExtension(&gcb, ext);
    quantize(q, q->pending, x0, y0, w, h, pal);
    if (!(map = GifMakeMapObject(PALETTE, pal))) {
        snprintf(err, len, "out of memory");
        return 1;
    }
    if (EGifPutExtension(q->g, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_ERROR ||
        EGifPutImageDesc(q->g, x0, y0, w, h, false, map) == GIF_ERROR) {
        GifFreeMapObject(map);
        gif_say(err, len, "cannot write the GIF", q->g->Error);
        return 1;
    }
    GifFreeMapObject(map);
    for (int y = y0; y < y0 + h; y++) {
        const uint32_t *row = q->pending + (size_t)y * (size_t)q->w;
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x0 + x];
            q->line[x] = q->lut[(p >> 19 & 31) << 10 | (p >> 11 & 31) << 5 | (p >> 3 & 31)];
        }
        if (EGifPutLine(q->g, q->line, w) == GIF_ERROR) {
            gif_say(err, len, "cannot write the GIF", q->g->Error);
            return 1;
        }
    }
    memcpy(q->shown, q->pending, sizeof(uint32_t) * (size_t)q->w * (size_t)q->h);
    q->have_shown = 1;
    q->ticks = t1;
    return 0;
}

/* ---- The backend -------------------------------------------------------------------- */

static void gif_free(rec_gif *q) {
    free(q->shown);
    free(q->pending);
    free(q->next);
    free(q->count);
    free(q->sum);
    free(q->lut);
    free(q->ent);
    free(q->line);
    free(q);
}

rec_gif *rec_gif_open(const char *path, int w, int h, int fps, char *err, size_t err_len) {
    rec_gif *q = calloc(1, sizeof *q);
    size_t px = (size_t)w * (size_t)h;
    static const GifByteType loop[3] = { 1, 0, 0 }; /* loop for ever */
    gs_error e;
    int code = 0;
    if (!q) goto nomem;
    q->w = w;
    q->h = h;
    q->fps = fps;
    q->shown = malloc(sizeof(uint32_t) * px);
    q->pending = malloc(sizeof(uint32_t) * px);
    q->next = malloc(sizeof(uint32_t) * px);
    q->count = malloc(sizeof(uint32_t) * BINS);
    q->sum = malloc(sizeof(uint64_t) * 3 * BINS);
    q->lut = malloc(BINS);
    q->ent = malloc(sizeof(entry) * BINS);
    q->line = malloc(sizeof(GifPixelType) * (size_t)w);
    if (!q->shown || !q->pending || !q->next || !q->count || !q->sum || !q->lut || !q->ent || !q->line)
        goto nomem;
    if (gs_outfile_open(&q->out, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        gif_free(q);
        return NULL;
    }
    if (!(q->g = EGifOpen(q->out, gif_write, &code))) {
        gif_say(err, err_len, "cannot start the GIF", code);
        rec_gif_abort(q);
        return NULL;
    }
    EGifSetGifVersion(q->g, true);
    if (EGifPutScreenDesc(q->g, w, h, 8, 0, NULL) == GIF_ERROR ||
        EGifPutExtensionLeader(q->g, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(q->g, 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(q->g, 3, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(q->g) == GIF_ERROR) {
        gif_say(err, err_len, "cannot write the GIF", q->g->Error);
        rec_gif_abort(q);
        return NULL;
    }
    return q;
nomem:
    snprintf(err, err_len, "out of memory for a %dx%d GIF", w, h);
    if (q) gif_free(q);
    return NULL;
}

int rec_gif_frame(rec_gif *q, const void *pixels, int pitch, char *err, size_t err_len) {
    uint32_t *swap;
    for (int y = 0; y < q->h; y++) {
        const unsigned char *src = (const unsigned char *)pixels + (size_t)y * (size_t)pitch;
        uint32_t *dst = q->next + (size_t)y * (size_t)q->w;
        for (int x = 0; x < q->w; x++, src += 4)
            dst[x] = (uint32_t)src[2] << 16 | (uint32_t)src[1] << 8 | src[0];
    }
    if (q->have_pending &&
        !memcmp(q->next, q->pending, sizeof(uint32_t) * (size_t)q->w * (size_t)q->h)) {
        q->pending_ticks++;
        return 0;
    }
    if (q->have_pending && write_pending(q, err, err_len) != 0) return 1;
    swap = q->pending;
    q->pending = q->next;
    q->next = swap;
    q->pending_ticks = 1;
    q->have_pending = 1;
    return 0;
}

int rec_gif_close(rec_gif *q, char *err, size_t err_len) {
    gs_error e;
    int code = 0, rc;
    if (!q->have_pending) {
        snprintf(err, err_len, "nothing was recorded");
        rec_gif_abort(q);
        return 1;
    }
    if (write_pending(q, err, err_len) != 0) {
        rec_gif_abort(q);
        return 1;
    }
    rc = EGifCloseFile(q->g, &code);
    q->g = NULL;
    if (rc == GIF_ERROR) {
        gif_say(err, err_len, "cannot finish the GIF", code);
        rec_gif_abort(q);
        return 1;
    }
    rc = gs_outfile_commit(q->out, &e);
    q->out = NULL;
    gif_free(q);
    if (rc != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    return 0;
}

void rec_gif_abort(rec_gif *q) {
    int code;
    if (!q) return;
    if (q->g) EGifCloseFile(q->g, &code); /* frees it; what it writes goes to the temp file */
    gs_outfile_abort(q->out);
    gif_free(q);
}
