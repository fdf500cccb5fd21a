/* view_track.c — the sequence track over each pane's heatmaps: what the cells read
 * (the input, drawn the way its task means it), what they should say (the target at
 * every step with a loss), what this pane's variant says (its readout: a value, or
 * the softmax's top class and its probability) and what that costs (the per-step
 * loss).  Step t is drawn in the column of step t's heatmap cells (layout_cell), so
 * the cursor, the backward playhead and every strip line up with it.  Columns too
 * narrow for a glyph become a density strip, with a lens of legible characters
 * around the focused step for text.  Also the hover text of the track and the typed
 * task's text field.  Every number comes from the engine (gs_seq_read_input,
 * gs_seq_readout). */
#include "session/input_edit.h"
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- What one pane's track draws from --------------------------------------------- */

typedef struct track {
    render_ctx *rc;
    const app_state *st;
    const cm_theme *th;
    const gs_task *task;
    const gs_seq *seq;
    gs_task_kind kind;
    int pane, T, cursor;
    int live;        /* the engine holds the cursor's steps: predictions may be shown */
    cm_rgb vc;       /* the pane's variant colour */
    box row[TRACK_ROWS];
    int focus;       /* the step the lens and the lags follow: hovered, or the cursor */
} track;

#define SPACE_GLYPH "\xe2\x90\xa3" /* ␣ */

static box col(const track *k, int r, int t) { return layout_cell(k->row[r], 1, k->T, 0, t); }
static float col_x(const track *k, int t) {
    box c = col(k, TRACK_IN, t);
    return c.x + c.w * 0.5f;
}
static float col_w(const track *k) { return k->T > 0 ? (float)k->row[TRACK_IN].w / (float)k->T : 0; }

static int input_of(const track *k, int t, gs_step_input *in) {
    return gs_seq_read_input(k->seq, k->task, t, 0, in, NULL) == GS_OK;
}

/* The readout of step t, when the view may show it (computed and at the cursor). */
static int readout_of(const track *k, int t, gs_step_readout *r) {
    if (gs_seq_readout(k->seq, t, 0, r, NULL) != GS_OK) return 0;
    if (!k->live || t > k->cursor) r->computed = 0;
    return 1;
}

static int one_hot(gs_task_kind kind) {
    return kind == GS_TASK_COPY || kind == GS_TASK_ORDER || kind == GS_TASK_TEXT || kind == GS_TASK_TYPED;
}

/* What a class looks like on the track: the space as ␣, copy's symbols as digits. */
static const char *glyph_of(const track *k, int input, int c) {
    const char *name = gs_task_class_name(k->task, input, c);
    if (!name) return "";
    if ((k->kind == GS_TASK_TEXT || k->kind == GS_TASK_TYPED) && name[0] == ' ') return SPACE_GLYPH;
    if (k->kind == GS_TASK_COPY && (c == 0 || c == 9)) return ""; /* blank; the delimiter is drawn */
    return name;
}

/* The largest font, from the first-th of BIG, TITLE, BODY, SMALL, SUB on, whose
 * widest glyph of the task fits w x h; -1 if none. */
static int fit_font(const track *k, int w, int h, int first) {
    static const font_id fonts[] = { FONT_BIG, FONT_TITLE, FONT_BODY, FONT_SMALL, FONT_SUB };
    const char *widest = k->kind == GS_TASK_ORDER ? "XY" : (k->kind == GS_TASK_COPY || k->kind == GS_TASK_ECHO) ? "8" : "m";
    for (size_t i = (size_t)first; i < sizeof fonts / sizeof *fonts; i++) {
        int fh = render_font_height(k->rc, fonts[i]);
        if (render_measure(k->rc, fonts[i], widest) <= w - 1 && fh <= h + 1) return (int)fonts[i];
    }
    return -1;
}

static cm_rgb mix(cm_rgb a, cm_rgb b, double t) {
    cm_rgb c = { (unsigned char)lround(a.r + (b.r - a.r) * t), (unsigned char)lround(a.g + (b.g - a.g) * t),
                 (unsigned char)lround(a.b + (b.b - a.b) * t) };
    return c;
}

/* The input of the future is known but not read yet: drawn fainter. */
static cm_rgb ink_at(const track *k, cm_rgb c, int t) {
    return t <= k->cursor ? c : mix(c, k->th->panel, 0.5);
}

/* A box of width at least w0 centred on column t of row r (marks stay visible). */
static box col_min(const track *k, int r, int t, int w0) {
    box c = col(k, r, t);
    if (c.w < w0) {
        c.x -= (w0 - c.w) / 2;
        c.w = w0;
    }
    return c;
}

/* ---- The input row ------------------------------------------------------------------ */

/* adding: a bar per value (adding-hs: around the middle); the two marked steps in the
 * accent colour, banded across the track and flagged at the top. */
static void input_values(const track *k) {
    box r = k->row[TRACK_IN];
    int hs = k->kind == GS_TASK_ADDING_HS, t, flag = r.h / 4 + 2;
    float base = hs ? r.y + flag + (r.h - flag) * 0.5f : (float)(r.y + r.h), span = hs ? (r.h - flag) * 0.5f : (float)(r.h - flag);
    for (t = 1; t <= k->T; t++) {
        gs_step_input in;
        box c = col(k, TRACK_IN, t);
        float v;
        if (!input_of(k, t, &in) || !isfinite(in.value)) continue;
        v = (float)in.value;
        if (v > 1) v = 1;
        if (v < -1) v = -1;
        if (c.w >= 4) c.x++, c.w -= 1;
        if (c.w < 1) c.w = 1;
        if (in.marked) continue; /* drawn last, on top */
        {
            int y0 = (int)lroundf(v >= 0 ? base - v * span : base), y1 = (int)lroundf(v >= 0 ? base : base - v * span);
            render_fill(k->rc, (box){ c.x, y0, c.w, y1 - y0 > 0 ? y1 - y0 : 1 },
                        ink_at(k, mix(k->th->text_dim, k->th->empty, 0.35), t));
        }
    }
    for (t = 1; t <= k->T; t++) {
        gs_step_input in;
        box c;
        float v, cx;
        if (!input_of(k, t, &in) || !in.marked) continue;
        c = col_min(k, TRACK_IN, t, 3);
        v = (float)in.value;
        if (v > 1) v = 1;
        if (v < -1) v = -1;
        /* the band, across the input and the target rows, in full ink with a flag on
           top: unmistakable (the accent is the cursor's) */
        render_fill_a(k->rc, (box){ c.x, r.y, c.w, k->row[TRACK_OUT].y + k->row[TRACK_OUT].h - r.y }, k->th->text, 45);
        {
            int y0 = (int)lroundf(v >= 0 ? base - v * span : base), y1 = (int)lroundf(v >= 0 ? base : base - v * span);
            render_fill(k->rc, (box){ c.x, y0, c.w, y1 - y0 > 0 ? y1 - y0 : 1 }, k->th->text);
        }
        cx = c.x + c.w * 0.5f;
        render_triangle(k->rc, cx - flag * 0.8f, (float)r.y, cx + flag * 0.8f, (float)r.y, cx, (float)(r.y + flag),
                        k->th->text, 255);
    }
    if (hs) render_fill_a(k->rc, (box){ r.x, (int)base, r.w, 1 }, k->th->border, 255);
}

/* sine: the wave through every step's input. */
static double sine_range(const track *k) {
    double m = 1;
    for (int t = 1; t <= k->T; t++) {
        gs_step_input in;
        if (input_of(k, t, &in) && isfinite(in.value) && fabs(in.value) > m) m = fabs(in.value);
    }
    return m * 1.1;
}

static float sine_y(box r, double v, double range) { return (float)(r.y + r.h * 0.5 - v / range * (r.h * 0.5 - 1)); }

static void wave(const track *k, box r, int which, double range, cm_rgb c, int upto) {
    float xy[2 * 1024];
    int n = 0, t, step = k->T > 1000 ? k->T / 1000 + 1 : 1;
    for (t = 1; t <= k->T && n < 1024; t += step) {
        double v = (double)NAN;
        if (which == 0) {
            gs_step_input in;
            if (input_of(k, t, &in)) v = in.value;
        } else {
            gs_step_readout ro;
            if (t <= upto && readout_of(k, t, &ro)) v = which == 1 ? ro.target : ro.computed ? ro.y : (double)NAN;
        }
        xy[2 * n] = col_x(k, t);
        xy[2 * n + 1] = isfinite(v) ? sine_y(r, v, range) : (float)NAN;
        n++;
    }
    render_polyline(k->rc, xy, n, k->st->L.line > 1 ? 2.0f * k->st->L.line : 1.5f, c, 255);
}

static void input_wave(const track *k) {
    box r = k->row[TRACK_IN];
    double range = sine_range(k);
    render_fill(k->rc, (box){ r.x, (int)sine_y(r, 0, range), r.w, 1 }, k->th->border);
    wave(k, r, 0, range, mix(k->th->text_dim, k->th->panel, 0.4), k->T);
    if (k->cursor >= 1) { /* what has been read, in full ink */
        float xy[2 * 1024];
        int n = 0, t, step = k->cursor > 1000 ? k->cursor / 1000 + 1 : 1;
        for (t = 1; t <= k->cursor && n < 1024; t += step) {
            gs_step_input in;
            xy[2 * n] = col_x(k, t);
            xy[2 * n + 1] = input_of(k, t, &in) ? sine_y(r, in.value, range) : (float)NAN;
            n++;
        }
        render_polyline(k->rc, xy, n, k->st->L.line > 1 ? 2.0f * k->st->L.line : 1.5f, k->th->text, 255);
    }
    if (col_w(k) >= 6)
        for (int t = 1; t <= k->T; t++) {
            gs_step_input in;
            if (input_of(k, t, &in)) render_disc(k->rc, col_x(k, t), sine_y(r, in.value, range), 1.8f, ink_at(k, k->th->text, t), 255);
        }
}

/* echo: the bits, and from the focused step the two steps its target reads (3 and 8
 * back), each joined to it by an arc. */
static void input_bits(const track *k) {
    box r = k->row[TRACK_IN];
    int t, bit_h = r.h * 9 / 20, y0 = r.y + r.h - bit_h, glyphs = col_w(k) >= 5;
    for (t = 1; t <= k->T; t++) {
        gs_step_input in;
        box c = col(k, TRACK_IN, t);
        if (!input_of(k, t, &in)) continue;
        if (glyphs) {
            int s = c.w - 2 < bit_h - 2 ? c.w - 2 : bit_h - 2;
            box sq = { c.x + (c.w - s) / 2, y0 + (bit_h - s) / 2, s, s };
            if (in.value > 0.5) render_fill(k->rc, sq, ink_at(k, k->th->text, t));
            else render_outline(k->rc, sq, ink_at(k, k->th->text_dim, t), 1);
        } else if (in.value > 0.5) {
            render_fill(k->rc, (box){ c.x, y0, c.w > 0 ? c.w : 1, bit_h }, ink_at(k, k->th->text, t));
        }
    }
    if (k->focus >= 1) {
        static const int lags[2] = { 3, 8 };
        float x1 = col_x(k, k->focus), top = (float)r.y + 1, h = (float)(y0 - r.y - 2);
        for (int i = 0; i < 2; i++) {
            int from = k->focus - lags[i];
            float xy[2 * 17], x0, lift = h * (i == 0 ? 0.55f : 1.0f);
            cm_rgb c = i == 0 ? k->th->accent : k->th->text;
            if (from < 1) continue;
            x0 = col_x(k, from);
            for (int j = 0; j <= 16; j++) {
                float u = j / 16.0f;
                xy[2 * j] = x0 + (x1 - x0) * u;
                xy[2 * j + 1] = top + h - lift * 4 * u * (1 - u);
            }
            render_polyline(k->rc, xy, 17, 1.4f, c, 230);
            render_outline(k->rc, col_min(k, TRACK_IN, from, 3), c, 1);
            {
                char lab[8];
                int fh = render_font_height(k->rc, FONT_SUB), tw;
                snprintf(lab, sizeof lab, "\xe2\x88\x92%d", lags[i]);
                tw = render_measure(k->rc, FONT_SUB, lab);
                /* the lag's name at its arc's top, when the arc is wide enough for it */
                if (fabsf(x1 - x0) > tw + 4 && lift >= fh * 0.6f)
                    render_text(k->rc, FONT_SUB, lab, (int)((x0 + x1) * 0.5f),
                                (int)fmaxf(top + h - lift, (float)r.y + fh * 0.5f), c, AL_CENTER | AL_MIDDLE);
            }
        }
    }
}

/* The lens: the characters around the focused step, legible, where the columns are
 * too narrow for them; the focused one on the accent and joined to its column. */
static void lens(const track *k, box r) {
    font_id f = FONT_BODY;
    int cw = render_measure(k->rc, f, "m") + 2, n = (int)(r.w * 0.75f) / cw, a, t, x0, w;
    if (n > k->T) n = k->T;
    if (n < 3 || k->focus < 1) return;
    a = k->focus - n / 2;
    if (a < 1) a = 1;
    if (a + n - 1 > k->T) a = k->T - n + 1;
    w = n * cw + 4;
    x0 = (int)col_x(k, k->focus) - (k->focus - a) * cw - cw / 2 - 2;
    if (x0 < r.x) x0 = r.x;
    if (x0 + w > r.x + r.w) x0 = r.x + r.w - w;
    render_fill(k->rc, (box){ x0, r.y, w, r.h }, k->th->panel_alt);
    render_outline(k->rc, (box){ x0, r.y, w, r.h }, k->th->border, 1);
    for (t = a; t < a + n; t++) {
        gs_step_input in;
        box slot = { x0 + 2 + (t - a) * cw, r.y + 1, cw, r.h - 2 };
        const char *g;
        if (!input_of(k, t, &in)) continue;
        g = glyph_of(k, 1, in.symbol);
        if (t == k->focus) render_fill(k->rc, slot, k->th->accent);
        render_text(k->rc, f, g, slot.x + slot.w / 2, slot.y + slot.h / 2,
                    t == k->focus ? k->th->accent_text : g[0] == ' ' || !strcmp(g, SPACE_GLYPH) ? k->th->text_dim
                                                                                                 : ink_at(k, k->th->text, t),
                    AL_CENTER | AL_MIDDLE);
    }
    {
        float sx = x0 + 2 + (k->focus - a) * cw + cw * 0.5f;
        render_line(k->rc, sx, (float)(r.y + r.h), col_x(k, k->focus), (float)(r.y + r.h + 2), 1.2f, k->th->accent, 255);
    }
}

/* copy, order, text, typed: a glyph per step when the columns hold one, else a
 * density strip of coloured ticks. */
static void input_symbols(const track *k) {
    box r = k->row[TRACK_IN];
    int t, f = fit_font(k, (int)col_w(k), r.h, 0);
    if (k->kind == GS_TASK_COPY) { /* the recall window: where the inputs are blank */
        box a = col(k, TRACK_IN, k->T - 9), z = col(k, TRACK_IN, k->T);
        box band = { a.x, r.y, z.x + z.w - a.x, k->row[TRACK_OUT].y + k->row[TRACK_OUT].h - r.y };
        render_fill_a(k->rc, band, k->th->text, 22);
        if (render_measure(k->rc, FONT_SMALL, "recall") + 4 <= band.w)
            render_text(k->rc, FONT_SMALL, "recall", band.x + band.w / 2, r.y + r.h / 2, k->th->text_dim,
                        AL_CENTER | AL_MIDDLE);
    }
    for (t = 1; t <= k->T; t++) {
        gs_step_input in;
        box c = col(k, TRACK_IN, t);
        const char *g;
        cm_rgb ink = k->th->text, fill = k->th->panel_alt;
        int filled = 0;
        if (!input_of(k, t, &in) || in.symbol < 0) continue;
        g = glyph_of(k, 1, in.symbol);
        switch (k->kind) {
        case GS_TASK_COPY:
            if (in.symbol == 9) { /* the delimiter: "recall now" */
                box d = col_min(k, TRACK_IN, t, 3);
                float cx = d.x + d.w * 0.5f, s = r.h * 0.32f;
                render_fill_a(k->rc, (box){ d.x, r.y, d.w, r.h }, k->th->text, 70);
                if (d.w >= 6)
                    render_triangle(k->rc, cx - s * 0.5f, r.y + r.h * 0.5f - s, cx + s * 0.6f, r.y + r.h * 0.5f,
                                    cx - s * 0.5f, r.y + r.h * 0.5f + s, k->th->text, 255);
                continue;
            }
            if (in.symbol == 0) continue; /* blank */
            fill = cm_sequential(k->st->palette, 0.12 + 0.76 * (in.symbol - 1) / 7.0);
            filled = 1;
            ink = (fill.r * 299 + fill.g * 587 + fill.b * 114) / 1000 > 140 ? (cm_rgb){ 0, 0, 0 } : (cm_rgb){ 255, 255, 255 };
            break;
        case GS_TASK_ORDER:
            if (in.symbol == 4 || in.symbol == 5) { /* X, Y: the two that matter */
                fill = k->th->text;
                ink = k->th->bg;
                filled = 1;
            } else if (in.symbol >= 6) {
                ink = k->th->text; /* B, E */
            } else {
                ink = k->th->text_dim; /* distractors */
            }
            break;
        default:
            if (!strcmp(g, SPACE_GLYPH)) ink = k->th->text_dim;
            else if (strchr(".,'?!", g[0])) ink = mix(k->th->text, k->th->warn, 0.45);
            break;
        }
        if (f >= 0) {
            if (filled) render_fill(k->rc, (box){ c.x + (c.w >= 6), r.y + 1, c.w - (c.w >= 6), r.h - 2 }, ink_at(k, fill, t));
            render_text(k->rc, (font_id)f, g, c.x + c.w / 2, r.y + r.h / 2, filled ? ink : ink_at(k, ink, t),
                        AL_CENTER | AL_MIDDLE);
        } else { /* density: a tick per step, tall for what matters */
            int h = r.h / 3;
            cm_rgb tick = filled ? fill : ink;
            if (!strcmp(g, SPACE_GLYPH)) continue; /* spaces: gaps between words */
            if (filled) h = r.h - 2;
            render_fill(k->rc, (box){ c.x, r.y + r.h - 1 - h, c.w > 0 ? c.w : 1, h }, ink_at(k, tick, t));
            if (k->kind == GS_TASK_ORDER && filled) { /* the two that matter: X or Y, beside */
                int tw = render_measure(k->rc, FONT_SMALL, g), right = c.x + c.w + 2 + tw <= r.x + r.w;
                render_text(k->rc, FONT_SMALL, g, right ? c.x + c.w + 2 : c.x - 2, r.y + r.h / 2, k->th->text,
                            (right ? AL_LEFT : AL_RIGHT) | AL_MIDDLE);
            }
        }
    }
    if (f < 0 && (k->kind == GS_TASK_TEXT || k->kind == GS_TASK_TYPED)) lens(k, r);
}

/* ---- The target and prediction row -------------------------------------------------- */

/* One loss step (adding, order): the numbers as words next to the last column. */
static void out_last_step(const track *k) {
    box r = k->row[TRACK_OUT], c = col(k, TRACK_OUT, k->T);
    gs_step_readout ro;
    char a[64], b[64], a2[40], b2[40], num[32];
    const char *ta[2] = { a, a2 }, *tb[2] = { b, b2 };
    int right = c.x + c.w;
    box top = { r.x, r.y, right - r.x, r.h / 2 }, bot = { r.x, r.y + r.h / 2, right - r.x, r.h - r.h / 2 };
    if (!readout_of(k, k->T, &ro) || !ro.has_loss) return;
    /* "target 0.459" over "y 0.512"; in a narrow pane the numbers alone (the labels
       on the left say which is which) */
    if (k->kind == GS_TASK_ORDER) {
        snprintf(a2, sizeof a2, "%s", gs_task_class_name(k->task, 0, ro.target_class));
        if (ro.computed) {
            fmt_short(num, sizeof num, ro.top_prob * 100);
            snprintf(b2, sizeof b2, "%s %s%%", gs_task_class_name(k->task, 0, ro.top), num);
        }
    } else {
        fmt_value(a2, sizeof a2, ro.target);
        if (ro.computed) fmt_value(b2, sizeof b2, ro.y);
    }
    snprintf(a, sizeof a, "target %s", a2);
    if (ro.computed) snprintf(b, sizeof b, k->kind == GS_TASK_ORDER ? "%s" : "y %s", b2);
    render_fill(k->rc, (box){ c.x, r.y, c.w > 2 ? c.w : 2, r.h }, k->th->panel_alt);
    render_text_alt(k->rc, FONT_SMALL, top, k->th->text, AL_RIGHT | AL_MIDDLE, 2, ta);
    if (ro.computed) render_text_alt(k->rc, FONT_SMALL, bot, k->vc, AL_RIGHT | AL_MIDDLE, 2, tb);
}

/* Cross-entropy steps: the target above, the prediction below (its top class over a
 * bar as tall as its probability: the variant's colour when right, grey when wrong). */
static void out_classes(const track *k) {
    box r = k->row[TRACK_OUT];
    int half = r.h / 2, t, f = fit_font(k, (int)col_w(k), half, 3); /* small type at most */
    box tr = { r.x, r.y, r.w, half }, pr = { r.x, r.y + half, r.w, r.h - half };
    for (t = 1; t <= k->T; t++) {
        gs_step_readout ro;
        box c = col(k, TRACK_OUT, t);
        int right;
        if (!readout_of(k, t, &ro) || !ro.has_loss) continue;
        if (c.w < 1) c.w = 1;
        if (k->kind == GS_TASK_ECHO) { /* bits: the target, and P(Y = 1) */
            int s = c.w - 2 < half - 2 ? c.w - 2 : half - 2;
            if (s >= 3) {
                box sq = { c.x + (c.w - s) / 2, tr.y + (half - s) / 2, s, s };
                if (ro.target_class == 1) render_fill(k->rc, sq, k->th->text_dim);
                else render_outline(k->rc, sq, k->th->text_dim, 1);
            } else if (ro.target_class == 1) {
                render_fill(k->rc, (box){ c.x, tr.y + 1, c.w, half - 2 }, k->th->text_dim);
            }
            if (ro.computed) {
                double p1 = gs_seq_class_prob(k->seq, t, 0, 1);
                int h = (int)lround((pr.h - 1) * (isfinite(p1) ? p1 : 0));
                render_fill(k->rc, (box){ c.x + (c.w >= 4), pr.y + pr.h - h, c.w - (c.w >= 4), h > 0 ? h : 1 }, k->vc);
            }
            continue;
        }
        /* copy: blanks are expected almost everywhere; draw only what is not blank */
        if (f >= 0 && !(k->kind == GS_TASK_COPY && ro.target_class == 0))
            render_text(k->rc, (font_id)f, glyph_of(k, 0, ro.target_class), c.x + c.w / 2, tr.y + half / 2,
                        k->th->text_dim, AL_CENTER | AL_MIDDLE);
        else if (f < 0 && !(k->kind == GS_TASK_COPY && ro.target_class == 0) && k->kind != GS_TASK_TEXT &&
                 k->kind != GS_TASK_TYPED)
            render_fill(k->rc, (box){ c.x, tr.y + half / 3, c.w, half / 3 }, k->th->text_dim);
        if (!ro.computed) continue;
        right = ro.top == ro.target_class;
        if (k->kind == GS_TASK_COPY && ro.target_class == 0 && right) continue; /* a blank, rightly */
        {
            int h = (int)lround((pr.h - 1) * (isfinite(ro.top_prob) ? ro.top_prob : 0));
            cm_rgb bar = right ? k->vc : k->th->text_dim;
            render_fill_a(k->rc, (box){ c.x + (c.w >= 4), pr.y + pr.h - h, c.w - (c.w >= 4), h > 0 ? h : 1 }, bar,
                          f >= 0 ? 110 : 255);
            if (f >= 0)
                render_text(k->rc, (font_id)f, glyph_of(k, 0, ro.top), c.x + c.w / 2, pr.y + pr.h / 2,
                            right ? k->vc : k->th->text, AL_CENTER | AL_MIDDLE);
        }
    }
}

static void out_wave(const track *k) {
    box r = k->row[TRACK_OUT];
    double range = sine_range(k);
    render_fill(k->rc, (box){ r.x, (int)sine_y(r, 0, range), r.w, 1 }, k->th->border);
    wave(k, r, 1, range, k->th->text_dim, k->T);
    if (k->live) wave(k, r, 2, range, k->vc, k->cursor);
}

/* ---- The loss row --------------------------------------------------------------------- */

static void loss_row(const track *k) {
    box r = k->row[TRACK_LOSS];
    double mx = k->st->loss_max > 0 ? k->st->loss_max : 1;
    for (int t = 1; t <= k->cursor && t <= k->T; t++) {
        gs_step_readout ro;
        box c = col(k, TRACK_LOSS, t);
        int h;
        if (!readout_of(k, t, &ro) || !ro.computed || !ro.has_loss || !isfinite(ro.loss)) continue;
        if (k->kind == GS_TASK_ADDING || k->kind == GS_TASK_ADDING_HS || k->kind == GS_TASK_ORDER) c = col_min(k, TRACK_LOSS, t, 3);
        h = (int)lround(r.h * (ro.loss / mx > 1 ? 1 : ro.loss / mx));
        render_fill(k->rc, (box){ c.x + (c.w >= 4), r.y + r.h - (h > 0 ? h : 1), c.w - (c.w >= 4) > 0 ? c.w - (c.w >= 4) : 1, h > 0 ? h : 1 },
                    k->vc);
    }
}

/* ---- The track ---------------------------------------------------------------------- */

static void labels(const track *k) {
    const pane_box *P = &k->st->L.pane[k->pane];
    box l = P->track_label[TRACK_OUT], a = l, b = l;
    render_text_in(k->rc, FONT_BODY, "x", P->track_label[TRACK_IN], k->th->text, AL_LEFT | AL_MIDDLE);
    a.h = l.h / 2;
    b.y = l.y + a.h;
    b.h = l.h - a.h;
    render_text_in(k->rc, FONT_SMALL, "target", a, k->th->text_dim, AL_LEFT | AL_MIDDLE);
    render_text_in(k->rc, FONT_SMALL, "y", b, k->vc, AL_LEFT | AL_MIDDLE);
    if (P->track_label[TRACK_LOSS].h >= render_font_height(k->rc, FONT_SUB) * 3 / 4)
        render_text_in(k->rc, FONT_SUB, "loss", P->track_label[TRACK_LOSS], k->th->text_dim, AL_LEFT | AL_MIDDLE);
}

void view_track(render_ctx *rc, const app_state *st, int pane) {
    const pane_box *P = &st->L.pane[pane];
    const gs_variant_info *vi = state_variant(st, pane);
    track k;
    int r, t;
    memset(&k, 0, sizeof k);
    k.rc = rc;
    k.st = st;
    k.th = state_theme(st);
    k.task = state_task(st);
    k.seq = state_seq(st, pane);
    k.pane = pane;
    k.T = state_T(st);
    k.cursor = st->cursor;
    k.live = st->engine_steps == st->cursor;
    if (!k.task || !k.seq || !vi || k.T < 1 || P->track_row[TRACK_IN].w < 2) return;
    k.kind = gs_task_kind_of(k.task);
    k.vc = cm_variant_colour(st->palette, st->theme, (int)vi->id);
    for (r = 0; r < TRACK_ROWS; r++) k.row[r] = P->track_row[r];
    k.focus = st->hover.kind == HOV_TRACK && st->hover.pane == pane ? st->hover.step
              : st->cursor >= 1 ? st->cursor : 1;

    for (r = 0; r < TRACK_ROWS; r++) render_fill(rc, k.row[r], r == TRACK_LOSS ? k.th->panel : k.th->empty);
    /* the hovered column */
    if (st->hover.kind == HOV_TRACK && st->hover.pane == pane && st->hover.step >= 1) {
        box c = col_min(&k, TRACK_IN, st->hover.step, 2);
        render_fill_a(rc, (box){ c.x, k.row[0].y, c.w, k.row[TRACK_LOSS].y + k.row[TRACK_LOSS].h - k.row[0].y },
                      k.th->text, 36);
    }
    switch (k.kind) {
    case GS_TASK_ADDING:
    case GS_TASK_ADDING_HS: input_values(&k); out_last_step(&k); break;
    case GS_TASK_SINE: input_wave(&k); out_wave(&k); break;
    case GS_TASK_ECHO: input_bits(&k); out_classes(&k); break;
    case GS_TASK_ORDER: input_symbols(&k); out_last_step(&k); break;
    default: input_symbols(&k); out_classes(&k); break;
    }
    loss_row(&k);
    /* steps a person changed: a dot at the top of their column */
    for (t = 1; t <= k.T; t++)
        if (input_edited(st, t)) {
            box c = col_min(&k, TRACK_IN, t, 4);
            render_fill(rc, (box){ c.x, k.row[0].y, c.w, 2 }, k.th->warn);
        }
    /* the cursor, and the backward playhead, across the track */
    if (st->cursor >= 1) {
        box c = col_min(&k, TRACK_IN, st->cursor, 1);
        render_outline(rc, (box){ c.x - 1, k.row[0].y - 1, c.w + 2, k.row[TRACK_LOSS].y + k.row[TRACK_LOSS].h - k.row[0].y + 2 },
                       k.th->accent, st->L.line > 1 ? 2 : 1);
    }
    if (st->back_active && st->back_pos >= 1) {
        box c = col_min(&k, TRACK_LOSS, st->back_pos, 1);
        render_fill(rc, (box){ c.x - 1, k.row[TRACK_LOSS].y + k.row[TRACK_LOSS].h, c.w + 2, 2 }, k.th->backward);
    }
    labels(&k);
}

/* ---- Hover -------------------------------------------------------------------------- */

void view_track_tooltip(const app_state *st, char lines[][200], int max, int *n) {
    const hover_info *h = &st->hover;
    const gs_task *task = state_task(st);
    const gs_seq *s = state_seq(st, h->pane);
    gs_task_kind kind;
    gs_step_input in;
    gs_step_readout ro;
    char num[32], num2[32];
    int k = 0, p;
    *n = 0;
    if (!task || !s || max < 4 || gs_seq_read_input(s, task, h->step, 0, &in, NULL) != GS_OK ||
        gs_seq_readout(s, h->step, 0, &ro, NULL) != GS_OK)
        return;
    kind = gs_task_kind_of(task);
    snprintf(lines[k++], 200, "step %d \xc2\xb7 %s", h->step, gs_task_info_get(kind)->name);
    /* the input */
    if (one_hot(kind)) {
        const char *name = gs_task_class_name(task, 1, in.symbol);
        if (kind == GS_TASK_TEXT || kind == GS_TASK_TYPED)
            snprintf(lines[k++], 200, "input x: %s", name && name[0] == ' ' ? "a space" : name ? name : "?");
        else if (kind == GS_TASK_ORDER)
            snprintf(lines[k++], 200, "input x: %s (%s)", name ? name : "?",
                     in.symbol == 4 || in.symbol == 5 ? "one of the two that decide the class"
                     : in.symbol >= 6 ? (in.symbol == 6 ? "the start" : "the end") : "a distractor");
        else
            snprintf(lines[k++], 200, "input x: %s%s", name ? name : "?",
                     in.symbol == 9 ? " (recall now)" : h->step > state_T(st) - 10 ? " (recall window)" : "");
    } else if (kind == GS_TASK_ECHO) {
        snprintf(lines[k++], 200, "input X_%d = %d; Y_%d and Y_%d read it", h->step, in.value > 0.5, h->step + 3,
                 h->step + 8);
    } else {
        fmt_value(num, sizeof num, in.value);
        snprintf(lines[k++], 200, "input x = %s%s", num, in.marked ? "  \xe2\x80\x94 marked: it counts" : "");
    }
    /* the target */
    if (!ro.has_loss) {
        snprintf(lines[k++], 200, "no loss at this step (the target is at step %d)", state_T(st));
    } else if (ro.target_class >= 0) {
        const char *name = gs_task_class_name(task, 0, ro.target_class);
        snprintf(lines[k++], 200, "target: %s", name && name[0] == ' ' ? "a space" : name ? name : "?");
    } else {
        fmt_value(num, sizeof num, ro.target);
        snprintf(lines[k++], 200, "target = %s", num);
    }
    /* what each shown variant says */
    for (p = 0; p < st->sc.n && k < max - 1; p++) {
        const gs_seq *ps = state_seq(st, p);
        const gs_variant_info *vi = state_variant(st, p);
        gs_step_readout r;
        if (!ps || !vi || gs_seq_readout(ps, h->step, 0, &r, NULL) != GS_OK) continue;
        if (!r.computed || h->step > st->cursor || st->engine_steps != st->cursor) {
            snprintf(lines[k++], 200, "%s: not computed yet", vi->name);
            continue;
        }
        if (r.top >= 0) {
            const char *name = gs_task_class_name(task, 0, r.top);
            fmt_value(num, sizeof num, r.top_prob);
            if (r.has_loss) {
                fmt_value(num2, sizeof num2, r.loss);
                snprintf(lines[k], 200, "%s: says %s (p %s) \xc2\xb7 loss %s", vi->name,
                         name && name[0] == ' ' ? "a space" : name ? name : "?", num, num2);
            } else {
                snprintf(lines[k], 200, "%s: says %s (p %s)", vi->name, name && name[0] == ' ' ? "a space" : name ? name : "?", num);
            }
        } else {
            fmt_value(num, sizeof num, r.y);
            if (r.has_loss) {
                fmt_value(num2, sizeof num2, r.loss);
                snprintf(lines[k], 200, "%s: y = %s \xc2\xb7 loss %s", vi->name, num, num2);
            } else {
                snprintf(lines[k], 200, "%s: y = %s", vi->name, num);
            }
        }
        k++;
    }
    /* what a click does */
    if (k < max) {
        if (kind == GS_TASK_TYPED) snprintf(lines[k++], 200, "click (or E): type your own sequence");
        else if (!in.editable) snprintf(lines[k++], 200, "fixed by the task");
        else if (kind == GS_TASK_ADDING || kind == GS_TASK_ADDING_HS)
            snprintf(lines[k++], 200, "click: move a marker here \xc2\xb7 wheel: change the value \xc2\xb7 X resets");
        else if (kind == GS_TASK_SINE) snprintf(lines[k++], 200, "wheel: change the value \xc2\xb7 X resets");
        else if (kind == GS_TASK_ECHO) snprintf(lines[k++], 200, "click: flip the bit \xc2\xb7 X resets");
        else snprintf(lines[k++], 200, "click or wheel: change the symbol \xc2\xb7 X resets");
    }
    *n = k;
}

/* ---- The text field ------------------------------------------------------------------- */

box view_text_field_box(const app_state *st) {
    const layout *L = &st->L;
    int fh = L->font_px[FONT_BODY], w = L->panes_area.w - 4 * L->pad, h = 3 * fh + 3 * L->pad;
    if (w > 70 * fh) w = 70 * fh;
    return (box){ L->panes_area.x + (L->panes_area.w - w) / 2, L->panes_area.y + 2 * L->pad, w, h };
}

void view_text_field(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const input_edits *ed = &st->edit;
    box b = view_text_field_box(st), line;
    int pad = st->L.pad, fh = render_font_height(rc, FONT_BODY), sh = render_font_height(rc, FONT_SMALL);
    int x, cw;
    char before[INPUT_TEXT_MAX];
    const char *shown = ed->draft;
    if (!ed->field) return;
    render_round(rc, (box){ b.x + 3, b.y + 4, b.w, b.h }, pad / 2, th->shadow, 120);
    render_round(rc, b, pad / 2, th->panel_alt, 255);
    render_outline(rc, b, th->accent, st->L.line > 1 ? 2 : 1);
    render_text_in(rc, FONT_BOLD, "Type your own sequence", (box){ b.x + pad, b.y + pad / 2, b.w - 2 * pad, fh + 2 },
                   th->text, AL_LEFT | AL_MIDDLE);
    line = (box){ b.x + pad, b.y + pad / 2 + fh + pad / 2, b.w - 2 * pad, fh + pad / 2 };
    render_fill(rc, line, th->panel);
    render_outline(rc, line, th->border, 1);
    /* the draft, its end kept in view; the caret after the text before it */
    snprintf(before, sizeof before, "%.*s", ed->caret, ed->draft);
    cw = render_measure(rc, FONT_BODY, before);
    while (cw > line.w - 8 && *shown) {
        int k = 1;
        while (shown[k] && ((unsigned char)shown[k] & 0xc0) == 0x80) k++;
        shown += k;
        snprintf(before, sizeof before, "%.*s", ed->caret - (int)(shown - ed->draft), shown);
        cw = render_measure(rc, FONT_BODY, before);
    }
    x = line.x + 4;
    if (shown[0]) {
        char vis[INPUT_TEXT_MAX];
        size_t n = 0;
        /* as much as fits from `shown` */
        for (const char *p = shown; *p && n + 4 < sizeof vis; p++) {
            vis[n++] = *p;
            vis[n] = '\0';
            if (render_measure(rc, FONT_BODY, vis) > line.w - 8) {
                vis[--n] = '\0';
                break;
            }
        }
        vis[n] = '\0';
        render_text(rc, FONT_BODY, vis, x, line.y + line.h / 2, th->text, AL_LEFT | AL_MIDDLE);
    }
    render_fill(rc, (box){ x + cw, line.y + 3, st->L.line > 1 ? 2 : 1, line.h - 6 }, th->accent);
    {
        static const char *const hints[2] = {
            "Enter: use it (the scene is rebuilt) \xc2\xb7 Esc: cancel \xc2\xb7 letters, space and . , ' ? !",
            "Enter: use it \xc2\xb7 Esc: cancel" };
        render_text_alt(rc, FONT_SMALL, (box){ b.x + pad, line.y + line.h + pad / 2, b.w - 2 * pad, sh }, th->text_dim,
                        AL_LEFT | AL_TOP, 2, hints);
    }
}
