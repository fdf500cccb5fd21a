/* render.h — drawing primitives over an SDL_Renderer *: boxes, lines, polylines,
 * discs, triangles (ui/render.c), and text through SDL2_ttf with a texture cache
 * (ui/render_text.c).  Views draw only through these (their own cached textures with
 * render_texture).  The same calls draw into a window or onto a software surface for
 * PNGs.
 *
 * Text cache: an entry is keyed by (font, pixel size, colour, string) and holds the
 * texture SDL2_ttf made for it.  Entries not drawn for a while are freed at the end of
 * a frame; render_set_fonts() (new sizes) and render_invalidate() drop them all. */
#ifndef GS_APP_RENDER_H
#define GS_APP_RENDER_H

#include <SDL.h>

#include "ui/colormap.h"
#include "ui/layout.h"

typedef struct render_ctx render_ctx;

/* Text alignment: one horizontal and one vertical flag. */
enum {
    AL_LEFT = 0, AL_CENTER = 1, AL_RIGHT = 2,
    AL_TOP = 0, AL_MIDDLE = 4, AL_BOTTOM = 8
};

/* A context drawing onto r with the fonts in font_dir (DejaVuSans.ttf,
 * DejaVuSans-Bold.ttf, DejaVuSansMono.ttf).  TTF_Init must have been called.
 * NULL (and a message in err) on failure. */
render_ctx *render_create(SDL_Renderer *r, const char *font_dir, char *err, size_t err_len);
void render_destroy(render_ctx *rc); /* NULL is a no-op */
SDL_Renderer *render_sdl(const render_ctx *rc);
/* Open the fonts at these pixel sizes (no-op when unchanged). 0 on success. */
int render_set_fonts(render_ctx *rc, const int px[FONT_COUNT], char *err, size_t err_len);
/* Drop every cached text texture (e.g. after the renderer was recreated). */
void render_invalidate(render_ctx *rc);
/* A frame: begin clears to bg (or, when the frame is kept, decides nothing yet); end
 * draws what changed (see below), then ages the text cache. */
void render_frame_begin(render_ctx *rc, cm_rgb bg);
void render_frame_end(render_ctx *rc);

/* ---- Drawing only what changed (ui/render_region.c) ------------------------------- */
/* The views of a frame draw between render_region_begin and _end (id 0 .. 23, each
 * once a frame, in the same order from frame to frame), and the overlay (tooltip,
 * help) between render_overlay_begin and _end.  When the target keeps its pixels
 * (render_keep_frame: the headless surface; render_use_canvas: the window, through a
 * texture), only the pixels of drawing calls that differ from the last frame's are
 * drawn again, and the picture is the same as a whole redraw's.  Otherwise every call
 * draws at once.  The bounds of render_set_bounds are set to the region's box. */
void render_keep_frame(render_ctx *rc, int on);
void render_use_canvas(render_ctx *rc, int on);
void render_region_begin(render_ctx *rc, int id, box b);
void render_region_end(render_ctx *rc);
void render_overlay_begin(render_ctx *rc, box b);
void render_overlay_end(render_ctx *rc);
/* The next frame is drawn whole (e.g. when the screen's pixels were lost). */
void render_redraw_all(render_ctx *rc);
/* The renderer lost its target textures (all: every texture, SDL_RENDER_DEVICE_RESET):
 * the kept frame, and with all the text cache, are made again and the next frame is
 * drawn whole.  (The views' strip textures are view_cache_invalidate's.) */
void render_lost(render_ctx *rc, int all);
/* How many pixels the last frame drew again (the whole window when drawn whole; some
 * drawn twice count twice), for tests and the bench. */
long render_pixels_redrawn(const render_ctx *rc);
/* The part src of a view's own texture, drawn at dst (the same size: no scaling);
 * key must change whenever those pixels do (render_hash of them serves). */
void render_texture_part(render_ctx *rc, SDL_Texture *tex, unsigned long long key, box src, box dst);
unsigned long long render_hash(const void *p, size_t n, unsigned long long seed);

/* ---- Shapes (colours are opaque unless an alpha is given) ------------------------- */
void render_fill(render_ctx *rc, box b, cm_rgb c);
void render_fill_a(render_ctx *rc, box b, cm_rgb c, int alpha);
void render_outline(render_ctx *rc, box b, cm_rgb c, int width);
void render_round(render_ctx *rc, box b, int radius, cm_rgb c, int alpha);
void render_line(render_ctx *rc, float x0, float y0, float x1, float y1, float width, cm_rgb c,
                 int alpha);
void render_dashed(render_ctx *rc, float x0, float y0, float x1, float y1, float width,
                   float dash, cm_rgb c, int alpha);
/* Connected line through n points (xy interleaved); NaN coordinates break the line. */
void render_polyline(render_ctx *rc, const float *xy, int n, float width, cm_rgb c, int alpha);
void render_disc(render_ctx *rc, float cx, float cy, float r, cm_rgb c, int alpha);
void render_ring(render_ctx *rc, float cx, float cy, float r, float width, cm_rgb c, int alpha);
/* An annular sector: radius r (centre of the band), band width w, angles a0..a1 in
 * radians (0 = +x, clockwise on screen). */
void render_arc(render_ctx *rc, float cx, float cy, float r, float w, float a0, float a1, cm_rgb c,
                int alpha);
void render_triangle(render_ctx *rc, float x0, float y0, float x1, float y1, float x2, float y2,
                     cm_rgb c, int alpha);
/* A horizontal gradient: colours cols[0..n-1] evenly spaced from b's left edge to its
 * right (interpolated linearly between them). */
void render_hgradient(render_ctx *rc, box b, const cm_rgb *cols, int n);
/* An arrow head at (x, y) pointing along (dx, dy), of length len. */
void render_arrowhead(render_ctx *rc, float x, float y, float dx, float dy, float len, cm_rgb c);

/* ---- Text --------------------------------------------------------------------------- */
/* Width of s in pixels; the layout's measure callback (ud is the render_ctx). */
int render_measure(void *rc, font_id f, const char *s);
int render_font_height(const render_ctx *rc, font_id f);
/* Draw s anchored at (x, y) per align; returns its width. */
int render_text(render_ctx *rc, font_id f, const char *s, int x, int y, cm_rgb c, int align);
/* Draw s inside b (aligned within it).  Text wider than b is shortened with an
 * ellipsis and counted as an overflow (a layout bug the tests look for). */
int render_text_in(render_ctx *rc, font_id f, const char *s, box b, cm_rgb c, int align);
/* The first of n candidate texts (longest first) that fits b's width, drawn as
 * render_text_in does; the last one is used (and may overflow) if none fits. */
int render_text_alt(render_ctx *rc, font_id f, box b, cm_rgb c, int align, int n, const char *const *texts);
/* s word-wrapped into b (lines of font f's height); returns the lines used, or would
 * use when draw is 0.  Text beyond b's height is cut at a word with an ellipsis and
 * counted as an overflow. */
int render_text_wrap(render_ctx *rc, font_id f, const char *s, box b, cm_rgb c, int draw);
/* Width of a formula: `_x` or `_{...}` is a subscript (FONT_SUB), `^{...}` a
 * superscript; everything else is drawn in font f. */
int render_math_width(render_ctx *rc, font_id f, const char *s);
int render_math(render_ctx *rc, font_id f, const char *s, int x, int y, cm_rgb c, int align);
/* Where the ink of s would be, drawn by render_text (render_math) at (x, y, align):
 * its advance box cut to the rows its glyphs cover.  0 x 0 for blank text.  For
 * laying labels out so that none covers another. */
box render_text_ink(render_ctx *rc, font_id f, const char *s, int x, int y, int align);
box render_math_ink(render_ctx *rc, font_id f, const char *s, int x, int y, int align);

/* ---- Checks for tests ------------------------------------------------------------- */
/* The box the current view draws in: text drawn (by any call) reaching outside it is
 * counted as an overflow.  w = 0 turns the check off. */
void render_set_bounds(render_ctx *rc, box b);
/* How many texts did not fit their box since the last call (resets the count). */
int render_take_overflows(render_ctx *rc);
/* The last text that overflowed (for test messages); "" if none. */
const char *render_last_overflow(const render_ctx *rc);
/* Record every string drawn (1) or stop (0); the log is cleared when turned on. */
void render_log_text(render_ctx *rc, int on);
/* The strings drawn since logging started. */
const char *const *render_logged(const render_ctx *rc, int *count);

/* Where each piece of text was drawn, for the tests that check that no two strings
 * overlap and that glyphs sit where the layout says. */
typedef struct text_rect { /* (render_ctx.h names it too) */
    const char *s; /* the string as drawn (owned by the context) */
    font_id font;
    box ink;       /* its advance box, cut to the height its glyphs' ink covers */
    box view;      /* the bounds the view drew in (render_set_bounds) */
    int group;     /* the runs of one formula share a group; other texts have their own */
} text_rect;
/* Record every piece of text drawn, with its rectangle (1), or stop (0); turning it on
 * clears the record. */
void render_log_rects(render_ctx *rc, int on);
const text_rect *render_logged_rects(const render_ctx *rc, int *count);

#endif
