/* colormap.c — colour maps (piecewise-linear through published control points),
 * the categorical variant colours and the three themes.  Pure functions. */
#include "ui/colormap.h"

#include <math.h>
#include <stddef.h>

#include "gatescope.h"

#define HEX(h) { (unsigned char)(((h) >> 16) & 0xff), (unsigned char)(((h) >> 8) & 0xff), \
                 (unsigned char)((h) & 0xff) }

/* ---- Control points (11 each, evenly spaced) ------------------------------------ */

/* matplotlib viridis at 0, 0.1, ..., 1 */
static const cm_rgb viridis[11] = {
    HEX(0x440154), HEX(0x482475), HEX(0x414487), HEX(0x355f8d), HEX(0x2a788e), HEX(0x21918c),
    HEX(0x22a884), HEX(0x44bf70), HEX(0x7ad151), HEX(0xbddf26), HEX(0xfde725) };
/* matplotlib plasma */
static const cm_rgb plasma[11] = {
    HEX(0x0d0887), HEX(0x41049d), HEX(0x6a00a8), HEX(0x8f0da4), HEX(0xb12a90), HEX(0xcc4778),
    HEX(0xe16462), HEX(0xf2844b), HEX(0xfca636), HEX(0xfcce25), HEX(0xf0f921) };
/* ColorBrewer RdBu, blue (negative) to red (positive) */
static const cm_rgb rdbu[11] = {
    HEX(0x053061), HEX(0x2166ac), HEX(0x4393c3), HEX(0x92c5de), HEX(0xd1e5f0), HEX(0xf7f7f7),
    HEX(0xfddbc7), HEX(0xf4a582), HEX(0xd6604d), HEX(0xb2182b), HEX(0x67001f) };
/* ColorBrewer PuOr, purple (negative) to orange (positive) */
static const cm_rgb puor[11] = {
    HEX(0x2d004b), HEX(0x542788), HEX(0x8073ac), HEX(0xb2abd2), HEX(0xd8daeb), HEX(0xf7f7f7),
    HEX(0xfee0b6), HEX(0xfdb863), HEX(0xe08214), HEX(0xb35806), HEX(0x7f3b08) };

static cm_rgb interp(const cm_rgb *pts, double u) {
    double x;
    int i;
    cm_rgb c;
    if (!(u > 0)) u = 0; /* also catches NaN */
    if (u > 1) u = 1;
    x = u * 10.0;
    i = (int)x;
    if (i >= 10) return pts[10];
    x -= i;
    /* rounded to nearest; every operand is in [0, 255], so +0.5 and truncation do it */
    c.r = (unsigned char)(pts[i].r + (pts[i + 1].r - pts[i].r) * x + 0.5);
    c.g = (unsigned char)(pts[i].g + (pts[i + 1].g - pts[i].g) * x + 0.5);
    c.b = (unsigned char)(pts[i].b + (pts[i + 1].b - pts[i].b) * x + 0.5);
    return c;
}

cm_rgb cm_nan_colour(cm_palette p) {
    cm_rgb grey = HEX(0x8a8a8a);
    (void)p;
    return grey;
}

cm_rgb cm_sequential(cm_palette p, double v) {
    if (isnan(v)) return cm_nan_colour(p);
    return interp(p == CM_PALETTE_B ? plasma : viridis, v);
}

cm_rgb cm_diverging(cm_palette p, double v) {
    if (isnan(v)) return cm_nan_colour(p);
    return interp(p == CM_PALETTE_B ? puor : rdbu, (v + 1.0) * 0.5);
}

const char *cm_palette_name(cm_palette p) {
    return p == CM_PALETTE_B ? "plasma / purple-orange" : "viridis / blue-red";
}

/* ---- Variant colours ------------------------------------------------------------- */

/* Okabe-Ito, one colour per variant.  Dark backgrounds get lighter versions of the
 * blue and the black.  Greff's eight ablations (nig .. fgr) have colours of their own,
 * chosen by search to stay apart from these eight, from each other and from the
 * theme's accent colours, also as the three common colour-vision deficiencies see
 * them (Machado et al. 2009; CIELAB distance >= 20, >= 10 simulated), and at least
 * 3:1 against the panels (tests/test_app_render.c measures all of it); then placed so
 * that the ablations shown together (nig..niaf, noaf..fgr, lesson 11's races) differ
 * most in hue. */
static const cm_rgb okabe_light[GS_VARIANT_COUNT] = {
    [GS_RNN] = HEX(0xD55E00), [GS_PROTO] = HEX(0xE69F00), [GS_NORM] = HEX(0xA89400),
    [GS_GRU] = HEX(0x009E73), [GS_GRU_RA] = HEX(0x56B4E9), [GS_PSEUDO] = HEX(0xCC79A7),
    [GS_LSTM] = HEX(0x0072B2), [GS_PEEPHOLE] = HEX(0x555555),
    [GS_NIG] = HEX(0x8474EC), [GS_NFG] = HEX(0xA6363B), [GS_NOG] = HEX(0x126100),
    [GS_NIAF] = HEX(0x8B2E6C), [GS_NOAF] = HEX(0x789645), [GS_NP] = HEX(0x71328F),
    [GS_CIFG] = HEX(0xCD7270), [GS_FGR] = HEX(0x927DB5),
};
static const cm_rgb okabe_dark[GS_VARIANT_COUNT] = {
    [GS_RNN] = HEX(0xF07A35), [GS_PROTO] = HEX(0xE69F00), [GS_NORM] = HEX(0xF0E442),
    [GS_GRU] = HEX(0x1DB98A), [GS_GRU_RA] = HEX(0x56B4E9), [GS_PSEUDO] = HEX(0xCC79A7),
    [GS_LSTM] = HEX(0x4B9BE0), [GS_PEEPHOLE] = HEX(0xBBBBBB),
    [GS_NIG] = HEX(0xD3D788), [GS_NFG] = HEX(0xFF8797), [GS_NOG] = HEX(0x85B46E),
    [GS_NIAF] = HEX(0x9F804A), [GS_NOAF] = HEX(0x9073EA), [GS_NP] = HEX(0x669519),
    [GS_CIFG] = HEX(0x95F3C3), [GS_FGR] = HEX(0xF7B563),
};
/* Paul Tol "bright" (plus vibrant orange for the eighth); the ablations as above. */
static const cm_rgb tol_light[GS_VARIANT_COUNT] = {
    [GS_RNN] = HEX(0xEE6677), [GS_PROTO] = HEX(0xEE7733), [GS_NORM] = HEX(0xAA3377),
    [GS_GRU] = HEX(0x228833), [GS_GRU_RA] = HEX(0x33A6CC), [GS_PSEUDO] = HEX(0xA89A30),
    [GS_LSTM] = HEX(0x4477AA), [GS_PEEPHOLE] = HEX(0x666666),
    [GS_NIG] = HEX(0x972F00), [GS_NFG] = HEX(0x299D74), [GS_NOG] = HEX(0x814236),
    [GS_NIAF] = HEX(0x997000), [GS_NOAF] = HEX(0x60329F), [GS_NP] = HEX(0xD26D4C),
    [GS_CIFG] = HEX(0x34630B), [GS_FGR] = HEX(0xA474DA),
};
static const cm_rgb tol_dark[GS_VARIANT_COUNT] = {
    [GS_RNN] = HEX(0xEE6677), [GS_PROTO] = HEX(0xEE7733), [GS_NORM] = HEX(0xD0559A),
    [GS_GRU] = HEX(0x3BAF4E), [GS_GRU_RA] = HEX(0x66CCEE), [GS_PSEUDO] = HEX(0xCCBB44),
    [GS_LSTM] = HEX(0x6E9BD6), [GS_PEEPHOLE] = HEX(0xBBBBBB),
    [GS_NIG] = HEX(0x29FFB8), [GS_NFG] = HEX(0xB96ABD), [GS_NOG] = HEX(0xB4F473),
    [GS_NIAF] = HEX(0x7BE787), [GS_NOAF] = HEX(0xF9B071), [GS_NP] = HEX(0x79C899),
    [GS_CIFG] = HEX(0xD79EC9), [GS_FGR] = HEX(0x6FA12C),
};
_Static_assert(GS_VARIANT_COUNT == 16, "a colour for every variant in every table");

cm_rgb cm_variant_colour(cm_palette p, cm_theme_id th, int variant) {
    int dark = cm_theme_get(th)->dark;
    if (variant < 0 || variant >= GS_VARIANT_COUNT) variant = GS_PEEPHOLE;
    if (p == CM_PALETTE_B) return dark ? tol_dark[variant] : tol_light[variant];
    return dark ? okabe_dark[variant] : okabe_light[variant];
}

/* ---- Scales ---------------------------------------------------------------------- */

double cm_position(const cm_scale *s, double v, cm_class *cls) {
    cm_class c = CM_IN_RANGE;
    double u;
    if (isnan(v)) {
        if (cls) *cls = CM_NAN;
        return 0;
    }
    if (isinf(v)) {
        if (cls) *cls = v > 0 ? CM_POS_INF : CM_NEG_INF;
        return v > 0 ? 1.0 : (s->kind == CM_DIV ? -1.0 : 0.0);
    }
    if (s->kind == CM_SEQ) {
        double span = s->hi - s->lo;
        u = span > 0 ? (v - s->lo) / span : 0.5;
        if (u < 0 || u > 1) c = CM_BEYOND;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
    } else {
        double hi = s->hi > 0 ? s->hi : 1.0, a = fabs(v);
        if (a > hi) c = CM_BEYOND;
        if (s->log) {
            double dec = s->decades > 0 ? s->decades : 6.0;
            u = a > 0 ? (log10(a) - log10(hi)) / dec + 1.0 : 0.0;
        } else {
            u = a / hi;
        }
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        if (v < 0) u = -u;
    }
    if (cls) *cls = c;
    return u;
}

cm_rgb cm_map(cm_palette p, const cm_scale *s, double v, cm_class *cls) {
    cm_class c;
    double u = cm_position(s, v, &c);
    if (cls) *cls = c;
    if (c == CM_NAN) return cm_nan_colour(p);
    return s->kind == CM_SEQ ? cm_sequential(p, u) : cm_diverging(p, u);
}

/* ---- Themes ---------------------------------------------------------------------- */

static const cm_theme themes[CM_THEME_COUNT] = {
    [CM_THEME_DARK] = {
        .name = "dark",
        .bg = HEX(0x111318), .panel = HEX(0x1a1d24), .panel_alt = HEX(0x222631),
        .border = HEX(0x323846), .text = HEX(0xe9ecf2), .text_dim = HEX(0x9aa3b3),
        .grid = HEX(0x2b303b), .accent = HEX(0x5aa9f0), .accent_text = HEX(0x0b1220),
        .backward = HEX(0xf45fa6), .button = HEX(0x2a2f3b), .button_hover = HEX(0x363c4b),
        .button_on = HEX(0x2f5d8f), .warn = HEX(0xff5d5d), .empty = HEX(0x262a33),
        .shadow = HEX(0x000000),
        .line = 1, .dark = 1,
    },
    [CM_THEME_LIGHT] = {
        .name = "light",
        .bg = HEX(0xe9ecf1), .panel = HEX(0xfbfbfc), .panel_alt = HEX(0xf1f3f6),
        .border = HEX(0xcfd4dc), .text = HEX(0x1a1e26), .text_dim = HEX(0x596272),
        .grid = HEX(0xe1e4ea), .accent = HEX(0x1565c0), .accent_text = HEX(0xffffff),
        .backward = HEX(0xc2185b), .button = HEX(0xe6e9ee), .button_hover = HEX(0xd6dbe3),
        .button_on = HEX(0xbcd3f0), .warn = HEX(0xc62828), .empty = HEX(0xe4e7ec),
        .shadow = HEX(0x000000),
        .line = 1, .dark = 0,
    },
    [CM_THEME_CONTRAST] = {
        .name = "high contrast",
        .bg = HEX(0x000000), .panel = HEX(0x000000), .panel_alt = HEX(0x0a0a0a),
        .border = HEX(0xffffff), .text = HEX(0xffffff), .text_dim = HEX(0xf0f0f0),
        .grid = HEX(0x606060), .accent = HEX(0xffd500), .accent_text = HEX(0x000000),
        .backward = HEX(0x00e5ff), .button = HEX(0x1a1a1a), .button_hover = HEX(0x333333),
        .button_on = HEX(0x5c4d00), .warn = HEX(0xff4040), .empty = HEX(0x1c1c1c),
        .shadow = HEX(0x000000),
        .line = 2, .dark = 1,
    },
};

const cm_theme *cm_theme_get(cm_theme_id id) {
    if ((int)id < 0 || id >= CM_THEME_COUNT) id = CM_THEME_DARK;
    return &themes[id];
}
