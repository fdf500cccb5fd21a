/* colormap.h — colour maps, palettes and themes: pure functions from a value to an
 * RGB triple.  No SDL here, so tests (and anything else) can call them directly.
 *
 * Two palettes, both safe for the common colour-vision deficiencies:
 *   A: viridis (sequential, sigmoid 0..1), blue-white-red (diverging, tanh and
 *      states), Okabe-Ito (one colour per variant);
 *   B: plasma, purple-white-orange, Paul Tol's "bright" set;
 *   in both, eight more colours for Greff's ablations, kept apart from the rest
 *   also under simulated colour-vision deficiencies (colormap.c).
 * Three themes: dark, light, high contrast. */
#ifndef GS_APP_COLORMAP_H
#define GS_APP_COLORMAP_H

typedef struct cm_rgb {
    unsigned char r, g, b;
} cm_rgb;

typedef enum cm_palette { CM_PALETTE_A, CM_PALETTE_B, CM_PALETTE_COUNT } cm_palette;
typedef enum cm_theme_id { CM_THEME_DARK, CM_THEME_LIGHT, CM_THEME_CONTRAST, CM_THEME_COUNT } cm_theme_id;

/* Sequential map; v is clamped to [0, 1].  NaN gives cm_nan_colour. */
cm_rgb cm_sequential(cm_palette p, double v);
/* Diverging map; v is clamped to [-1, 1] (0 is the light centre).  NaN gives
 * cm_nan_colour. */
cm_rgb cm_diverging(cm_palette p, double v);
/* The colour of a cell holding NaN (a neutral grey no map uses). */
cm_rgb cm_nan_colour(cm_palette p);
/* One colour per engine variant (gs_variant index), readable on the theme's
 * background. */
cm_rgb cm_variant_colour(cm_palette p, cm_theme_id th, int variant);
const char *cm_palette_name(cm_palette p);

/* ---- Scales: engine value -> position on a map -> colour ----------------------- */

typedef enum cm_kind { CM_SEQ, CM_DIV } cm_kind;

/* How a quantity is mapped.  SEQ: [lo, hi] -> [0, 1].  DIV: [-hi, hi] -> [-1, 1]
 * (lo unused).  log (DIV only): sign(v) * position of log10|v| in the `decades`
 * decades below hi; |v| below that maps to the centre. */
typedef struct cm_scale {
    cm_kind kind;
    double lo, hi;   /* hi > 0 for DIV */
    int log;         /* 1: log-magnitude */
    double decades;  /* log: how many decades below hi are coloured */
} cm_scale;

typedef enum cm_class {
    CM_IN_RANGE, /* inside the scale */
    CM_BEYOND,   /* finite but outside: drawn in the end colour and marked */
    CM_NAN,
    CM_POS_INF,
    CM_NEG_INF
} cm_class;

/* Where v falls on the map: [0, 1] for SEQ, [-1, 1] for DIV (ends for inf). */
double cm_position(const cm_scale *s, double v, cm_class *cls);
/* The colour a heatmap cell holding v is filled with (cls may be NULL). */
cm_rgb cm_map(cm_palette p, const cm_scale *s, double v, cm_class *cls);

/* ---- Themes ---------------------------------------------------------------------- */

typedef struct cm_theme {
    const char *name;     /* "dark", "light", "high contrast" */
    cm_rgb bg;            /* window background */
    cm_rgb panel;         /* panes, plots, sidebar */
    cm_rgb panel_alt;     /* headers, plot areas */
    cm_rgb border;        /* panel outlines */
    cm_rgb text;          /* body text */
    cm_rgb text_dim;      /* secondary text, axis labels */
    cm_rgb grid;          /* plot grid lines */
    cm_rgb accent;        /* forward cursor, primary buttons */
    cm_rgb accent_text;   /* text on an accent fill */
    cm_rgb backward;      /* the backward playhead and gradient highlights */
    cm_rgb button;        /* button fill */
    cm_rgb button_hover;  /* button fill under the mouse */
    cm_rgb button_on;     /* a toggled-on button */
    cm_rgb warn;          /* inf/NaN badges, beyond-range marks */
    cm_rgb empty;         /* heatmap cells not computed yet */
    cm_rgb shadow;        /* overlay dimming */
    int line;             /* base line width in px at ui scale 1 */
    int dark;             /* 1: light text on a dark background */
} cm_theme;

const cm_theme *cm_theme_get(cm_theme_id id);

#endif
