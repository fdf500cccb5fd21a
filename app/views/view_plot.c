/* view_plot.c — the shared plots, every pane's variant overlaid in its colour:
 * state drift ||s_t|| (and ||h_t||) over time, the gradient ||dL/ds_t|| on a log axis
 * with the truncation point and the backward playhead, and the loss.  Geometry is one
 * function (plot_geom) used by drawing and hit testing alike. */
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct plot_geom {
    box frame;      /* the whole plot */
    box title;      /* title row */
    box legend;     /* right part of the title row */
    box area;       /* the data area */
    box foot;       /* a caption line under the x labels (gradient plot) */
    double y0, y1;  /* data range (log10 units when log) */
    int log;
    int T;
    int bars;       /* loss: one bar per variant (few loss steps) */
} plot_geom;

static const char *const titles[PLOT_COUNT] = {
    "State drift \xe2\x80\x96s\xe2\x82\x9c\xe2\x80\x96",
    "Gradient \xe2\x80\x96\xe2\x88\x82L/\xe2\x88\x82s\xe2\x82\x9c\xe2\x80\x96 (log)",
    "Loss" };

static int measure(const app_state *st, font_id f, const char *s) {
    return st->measure ? st->measure(st->measure_ud, f, s) : (int)strlen(s) * st->L.font_px[f] / 2;
}

static int line_h(const app_state *st, font_id f) { return st->L.font_px[f] * 5 / 4 + 1; }

/* The gradient values shown for pane p at step t (0 if none). */
static double grad_at(const app_state *st, int p, int t) {
    const gs_seq *s = state_seq(st, p);
    const gs_step_stats *ss;
    if (!s || !state_grad_shown(st, p, t) || !(ss = gs_seq_stats(s, t))) return 0;
    return ss->d_state_norm[0];
}

/* The loss plot also names its dashed reference lines in the legend. */
static int baselines(const app_state *st, int which, int width, double *vals, char names[][64], int max) {
    double v[8];
    const char *nm[8];
    int k, i, m = 0;
    if (which != PLOT_LOSS || !st->have_scene) return 0;
    k = gs_task_baselines(st->sc.task, v, nm, 8);
    for (i = 0; i < k && m < max; i++) {
        char num[32];
        if (!isfinite(v[i])) continue;
        fmt_short(num, sizeof num, v[i]);
        vals[m] = v[i];
        snprintf(names[m], 64, "%s %s", nm[i] ? nm[i] : "baseline", num);
        /* too long for a legend row: the number alone (the tooltip of a task's
           baselines is its documentation) */
        if (measure(st, FONT_SMALL, names[m]) + st->L.font_px[FONT_SMALL] + 4 > width)
            snprintf(names[m], 64, "%s", num);
        m++;
    }
    return m;
}

/* The panes the legends name: every one, but none beside compact panes (eight names
 * would take the short plots' room; each pane's title bar wears its colour). */
static int legend_panes(const app_state *st) {
    return st->have_scene && !st->L.compact ? st->sc.n : 0;
}

/* Legend entries (swatch + name) in rows under the title, wrapping as needed: one per
 * pane, then the plot's reference lines; the boxes go to out[]; returns the rows. */
static int legend_layout(const app_state *st, int which, box title, box *out) {
    int n = legend_panes(st), p, x = title.x, rows = 1, sm = line_h(st, FONT_SMALL);
    int sw = st->L.font_px[FONT_SMALL], nb;
    double vals[4];
    char names[4][64];
    nb = baselines(st, which, title.w, vals, names, 4);
    for (p = 0; p < n + nb; p++) {
        const gs_variant_info *vi = p < n ? state_variant(st, p) : NULL;
        const char *name = p < n ? (vi ? vi->name : "?") : names[p - n];
        int w = sw + 4 + measure(st, p < n ? FONT_NAME : FONT_SMALL, name);
        if (x > title.x && x + w > title.x + title.w) {
            rows++;
            x = title.x;
        }
        out[p] = (box){ x, title.y + title.h + (rows - 1) * sm, w, sm };
        x += w + st->L.pad;
    }
    return rows;
}

static void plot_geom_of(const app_state *st, int which, box b, plot_geom *g) {
    int pad = st->L.pad, sm = line_h(st, FONT_SMALL), tl = line_h(st, FONT_BOLD);
    int yl = measure(st, FONT_SMALL, "1e\xe2\x88\x92" "12") + pad / 2;
    int n = st->have_scene ? st->sc.n : 0, p, t;
    memset(g, 0, sizeof *g);
    g->frame = b;
    g->T = state_T(st);
    g->title = (box){ b.x + pad, b.y + pad / 2, b.w - 2 * pad, tl };
    g->legend = g->title;
    {
        int foot = which == PLOT_GRAD ? 2 * sm : (which == PLOT_LOSS ? sm : 0);
        box entries[LAYOUT_MAX_PANES + 4];
        int legend_rows = legend_layout(st, which, g->title, entries);
        g->area = (box){ b.x + pad + yl, g->title.y + tl + legend_rows * sm + pad / 2,
                         b.w - 2 * pad - yl - pad / 2, 0 };
        g->area.h = b.y + b.h - pad / 2 - sm - foot - g->area.y;
        g->foot = (box){ b.x + pad, b.y + b.h - pad / 2 - foot, b.w - 2 * pad, foot };
    }
    if (which == PLOT_DRIFT) {
        g->log = st->log_mag;
        if (g->log) {
            double lo = st->drift_min > 0 ? st->drift_min : 1e-3, hi = st->drift_max > 0 ? st->drift_max : 1;
            g->y0 = floor(log10(lo));
            g->y1 = ceil(log10(hi));
            if (g->y1 - g->y0 < 1) g->y1 = g->y0 + 1;
        } else {
            g->y0 = 0;
            g->y1 = st->drift_max > 0 ? st->drift_max * 1.08 : 1;
        }
    } else if (which == PLOT_GRAD) {
        double lo = (double)INFINITY, hi = 0;
        g->log = 1;
        for (p = 0; p < n; p++)
            for (t = 1; t <= st->cursor; t++) {
                double v = grad_at(st, p, t);
                if (v > 0 && isfinite(v)) {
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
            }
        if (hi > 0) {
            g->y1 = ceil(log10(hi) + 1e-9);
            g->y0 = floor(log10(lo));
            if (g->y1 - g->y0 < 2) g->y0 = g->y1 - 2;
            if (g->y1 - g->y0 > 60) g->y0 = g->y1 - 60;
        } else {
            g->y0 = -4;
            g->y1 = 0;
        }
    } else {
        double hi = st->loss_max;
        double vals[8];
        const char *names[8];
        int k = st->have_scene ? gs_task_baselines(st->sc.task, vals, names, 8) : 0;
        for (int i = 0; i < k; i++)
            if (isfinite(vals[i]) && vals[i] > hi) hi = vals[i];
        g->y0 = 0;
        g->y1 = hi > 0 ? hi * 1.1 : 1;
        g->bars = st->n_loss_steps <= 3;
    }
}

static float ymap(const plot_geom *g, double v) {
    double u;
    if (g->log) {
        if (!(v > 0)) return NAN;
        v = log10(v);
    }
    u = (v - g->y0) / (g->y1 - g->y0);
    if (isnan(u)) return NAN;
    if (u > 1.02 || u < -0.02) return NAN; /* outside the axis: a gap in the line */
    return (float)(g->area.y + g->area.h - u * g->area.h);
}

static float xmap(const plot_geom *g, int t) {
    if (g->T <= 1) return (float)(g->area.x + g->area.w / 2);
    return (float)(g->area.x + (double)(t - 1) * (g->area.w - 1) / (g->T - 1));
}

/* ---- Hit testing ------------------------------------------------------------------ */

int view_plot_hit(const app_state *st, int which, box b, int x, int y, int *step, int *pane) {
    plot_geom g;
    int t, p, best = -1;
    double bd = 1e30;
    if (b.w <= 0 || b.h <= 0) return 0; /* not shown (training replaces it) */
    plot_geom_of(st, which, b, &g);
    if (!box_contains((box){ g.area.x - 4, g.area.y, g.area.w + 8, g.area.h }, x, y) || g.T < 1)
        return 0;
    t = g.T <= 1 ? 1 : (int)lround((double)(x - g.area.x) * (g.T - 1) / (g.area.w - 1)) + 1;
    if (t < 1) t = 1;
    if (t > g.T) t = g.T;
    *step = t;
    for (p = 0; p < (st->have_scene ? st->sc.n : 0); p++) {
        const gs_seq *s = state_seq(st, p);
        const gs_step_stats *ss = s && t <= st->cursor ? gs_seq_stats(s, t) : NULL;
        double v;
        float py;
        if (!ss) continue;
        v = which == PLOT_DRIFT ? ss->state_norm[0] : which == PLOT_GRAD ? grad_at(st, p, t) : ss->loss;
        py = ymap(&g, v);
        if (isnan(py)) continue;
        if (fabs((double)(py - (float)y)) < bd) {
            bd = fabs((double)(py - (float)y));
            best = p;
        }
    }
    *pane = best >= 0 ? best : 0;
    return 1;
}

/* ---- Drawing ---------------------------------------------------------------------- */

static void fmt_tick(char *buf, size_t len, double v, int log) {
    if (log) {
        int e = (int)lround(v);
        if (e == 0) snprintf(buf, len, "1");
        else if (e == 1) snprintf(buf, len, "10");
        else if (e < 0) snprintf(buf, len, "1e\xe2\x88\x92%d", -e);
        else snprintf(buf, len, "1e%d", e);
    } else {
        fmt_value(buf, len, v);
    }
}

static void axes(render_ctx *rc, const app_state *st, const plot_geom *g) {
    const cm_theme *th = state_theme(st);
    int fh = render_font_height(rc, FONT_SMALL), k, nt;
    char buf[32];
    double step;
    /* y ticks: every decade on log axes (thinned to fit), 4 nice steps otherwise */
    if (g->log) {
        int span = (int)lround(g->y1 - g->y0), every = 1;
        while (span / every > g->area.h / (fh > 0 ? fh * 2 : 1) && every < span) every++;
        for (k = (int)lround(g->y0); k <= (int)lround(g->y1); k++) {
            float y = (float)(g->area.y + g->area.h - (k - g->y0) / (g->y1 - g->y0) * g->area.h);
            if (((k - (int)lround(g->y0)) % every) != 0) continue;
            render_fill(rc, (box){ g->area.x, (int)y, g->area.w, 1 }, th->grid);
            fmt_tick(buf, sizeof buf, k, 1);
            render_text(rc, FONT_SMALL, buf, g->area.x - 4, (int)y, th->text_dim, AL_RIGHT | AL_MIDDLE);
        }
    } else {
        double span = g->y1 - g->y0, mag = pow(10, floor(log10(span / 3)));
        step = mag;
        if (span / step > 6) step = 2 * mag;
        if (span / step > 6) step = 5 * mag;
        if (span / step > 6) step = 10 * mag;
        nt = 0;
        for (double v = ceil(g->y0 / step) * step; v <= g->y1 + 1e-12 && nt < 12; v += step, nt++) {
            float y = ymap(g, v);
            if ((float)(g->area.y + g->area.h) - y > 1e-3f && y < (float)(g->area.y + fh / 2)) continue;
            render_fill(rc, (box){ g->area.x, (int)y, g->area.w, 1 }, th->grid);
            fmt_short(buf, sizeof buf, fabs(v) < step * 1e-6 ? 0 : v);
            render_text(rc, FONT_SMALL, buf, g->area.x - 4, (int)y, th->text_dim, AL_RIGHT | AL_MIDDLE);
        }
    }
    /* x: 1, T and the cursor */
    render_fill(rc, (box){ g->area.x, g->area.y + g->area.h, g->area.w, 1 }, th->border);
    {
        /* "step T" at the right end, just "T" where that would run into the "1" */
        int w1 = render_measure(rc, FONT_SMALL, "1"), gap = render_measure(rc, FONT_SMALL, "  ");
        snprintf(buf, sizeof buf, "step %d", g->T);
        if (w1 + gap + render_measure(rc, FONT_SMALL, buf) > g->area.w) snprintf(buf, sizeof buf, "%d", g->T);
        render_text(rc, FONT_SMALL, "1", g->area.x, g->area.y + g->area.h + 2, th->text_dim, AL_LEFT | AL_TOP);
        render_text(rc, FONT_SMALL, buf, g->area.x + g->area.w, g->area.y + g->area.h + 2, th->text_dim,
                    AL_RIGHT | AL_TOP);
    }
}

static void cursor_line(render_ctx *rc, const app_state *st, const plot_geom *g) {
    const cm_theme *th = state_theme(st);
    if (st->cursor >= 1 && !g->bars) {
        float x = xmap(g, st->cursor);
        render_line(rc, x, (float)g->area.y, x, (float)(g->area.y + g->area.h), 1.0f, th->text_dim, 150);
    }
}

/* The steps the sequence track flags (adding's marked values, order's X and Y, copy's
 * delimiter), at the same steps on the plot's time axis: a faint line and a flag at the
 * foot of the axes. */
static void track_marks(render_ctx *rc, const app_state *st, const plot_geom *g) {
    const cm_theme *th = state_theme(st);
    const gs_task *task = state_task(st);
    const gs_seq *s = state_seq(st, 0);
    gs_task_kind kind;
    float f = st->L.font_px[FONT_SMALL] * 0.35f, y = (float)(g->area.y + g->area.h);
    if (!task || !s || g->bars) return;
    kind = gs_task_kind_of(task);
    if (kind != GS_TASK_ADDING && kind != GS_TASK_ADDING_HS && kind != GS_TASK_ORDER && kind != GS_TASK_COPY) return;
    for (int t = 1; t <= g->T; t++) {
        gs_step_input in;
        float x;
        if (gs_seq_read_input(s, task, t, 0, &in, NULL) != GS_OK) continue;
        if (!(in.marked || (kind == GS_TASK_ORDER && (in.symbol == 4 || in.symbol == 5)) ||
              (kind == GS_TASK_COPY && in.symbol == 9)))
            continue;
        x = xmap(g, t);
        render_line(rc, x, (float)g->area.y, x, y, 1.0f, th->grid, 255);
        render_triangle(rc, x - f, y, x + f, y, x, y - f * 1.6f, th->text, 230);
    }
}

static void legend(render_ctx *rc, const app_state *st, const plot_geom *g, int which, const char *title) {
    const cm_theme *th = state_theme(st);
    int n = legend_panes(st), p, fh = render_font_height(rc, FONT_SMALL), nb;
    int sw = st->L.font_px[FONT_SMALL];
    box entries[LAYOUT_MAX_PANES + 4];
    double vals[4];
    char names[4][64];
    render_text_in(rc, FONT_BOLD, title, g->title, th->text, AL_LEFT | AL_MIDDLE);
    legend_layout(st, which, g->title, entries);
    nb = baselines(st, which, g->title.w, vals, names, 4);
    for (p = 0; p < n + nb; p++) {
        box e = entries[p];
        float ly = e.y + fh * 0.55f;
        if (p < n) {
            const gs_variant_info *vi = state_variant(st, p);
            cm_rgb c = cm_variant_colour(st->palette, st->theme, vi ? (int)vi->id : 0);
            render_line(rc, (float)e.x, ly, (float)(e.x + sw), ly, 3.0f, c, 255);
            render_text_in(rc, FONT_NAME, vi ? vi->name : "?", (box){ e.x + sw + 4, e.y, e.w - sw - 4, e.h },
                           th->text, AL_LEFT | AL_TOP);
        } else {
            render_dashed(rc, (float)e.x, ly, (float)(e.x + sw), ly, 1.5f, (float)sw / 5, th->text_dim, 255);
            render_text_in(rc, FONT_SMALL, names[p - n], (box){ e.x + sw + 4, e.y, e.w - sw - 4, e.h },
                           th->text_dim, AL_LEFT | AL_TOP);
        }
    }
}

static void series(render_ctx *rc, const app_state *st, const plot_geom *g, int which, int p, int k,
                   float width, int alpha) {
    const gs_seq *s = state_seq(st, p);
    const gs_variant_info *vi = state_variant(st, p);
    cm_rgb c = cm_variant_colour(st->palette, st->theme, vi ? (int)vi->id : 0);
    const cm_theme *th = state_theme(st);
    float pts[2 * 1024];
    int n = 0, t, first_bad = 0;
    if (!s || !vi) return;
    for (t = 1; t <= st->cursor && t <= g->T; t++) {
        const gs_step_stats *ss = gs_seq_stats(s, t);
        double v = (double)NAN;
        if (ss) {
            if (which == PLOT_DRIFT) v = ss->state_norm[k];
            else if (which == PLOT_GRAD) v = state_grad_shown(st, p, t) ? ss->d_state_norm[k] : (double)NAN;
        }
        if (which == PLOT_DRIFT && ss && !isfinite(v) && !first_bad) first_bad = t;
        if (n >= 1024) { /* flush long series in pieces */
            render_polyline(rc, pts, n, width, c, alpha);
            pts[0] = pts[2 * n - 2];
            pts[1] = pts[2 * n - 1];
            n = 1;
        }
        pts[2 * n] = xmap(g, t);
        pts[2 * n + 1] = isfinite(v) ? ymap(g, v) : NAN;
        if (which == PLOT_GRAD && !(v > 0)) pts[2 * n + 1] = NAN;
        n++;
    }
    render_polyline(rc, pts, n, width, c, alpha);
    if (n == 1 && !isnan(pts[1])) render_disc(rc, pts[0], pts[1], width * 1.5f, c, alpha);
    if (first_bad) { /* the state left the numbers: an arrow off the top */
        float x = xmap(g, first_bad), y = (float)g->area.y + 2;
        render_arrowhead(rc, x, y, 0, -1, 7, th->warn);
        render_text(rc, FONT_SMALL, "\xe2\x88\x9e", (int)x + 5, (int)y, th->warn, AL_LEFT | AL_TOP);
    }
}

static void draw_drift(render_ctx *rc, const app_state *st, const plot_geom *g) {
    int n = st->have_scene ? st->sc.n : 0, p;
    for (p = 0; p < n; p++) {
        const gs_variant_info *vi = state_variant(st, p);
        series(rc, st, g, PLOT_DRIFT, p, 0, st->L.ui >= 1.5 ? 3.0f : 2.0f, 255);
        if (vi && vi->n_states == 2) series(rc, st, g, PLOT_DRIFT, p, 1, 1.2f, 150);
    }
}

static void draw_grad(render_ctx *rc, const app_state *st, const plot_geom *g) {
    const cm_theme *th = state_theme(st);
    int n = st->have_scene ? st->sc.n : 0, p, fh = render_font_height(rc, FONT_SMALL);
    const gs_seq *s0 = state_seq(st, 0);
    gs_seq_summary sum;
    char buf[200];
    box cut = { 0, 0, 0, 0 }; /* the truncation's caption: the rnn label keeps off it */
    if (!s0) return;
    sum = gs_seq_summary_of(s0);
    /* truncation: where the gradient was cut */
    if (st->cursor >= 1 && st->first_loss_step >= 1 && st->first_loss_step <= st->cursor && sum.truncated &&
        sum.grad_lo >= 1) {
        float x = xmap(g, sum.grad_lo);
        render_dashed(rc, x, (float)g->area.y, x, (float)(g->area.y + g->area.h), 1.5f, 4, th->text_dim, 220);
        snprintf(buf, sizeof buf, "cut: k = %d", st->setup.truncate);
        /* right of the line when it fits, else left */
        {
            int right = (int)x + 4 + render_measure(rc, FONT_SMALL, buf) <= g->area.x + g->area.w;
            int tx = right ? (int)x + 4 : (int)x - 4, al = (right ? AL_LEFT : AL_RIGHT) | AL_TOP;
            render_text(rc, FONT_SMALL, buf, tx, g->area.y + 2, th->text_dim, al);
            cut = render_text_ink(rc, FONT_SMALL, buf, tx, g->area.y + 2, al);
        }
    }
    /* the backward playhead */
    if (st->back_active && st->back_pos >= 1) {
        float x = xmap(g, st->back_pos);
        render_line(rc, x, (float)g->area.y, x, (float)(g->area.y + g->area.h), 2.0f, th->backward, 230);
        render_triangle(rc, x, (float)(g->area.y + g->area.h) - 6, x + 6, (float)(g->area.y + g->area.h),
                        x - 6, (float)(g->area.y + g->area.h), th->backward, 255);
    }
    for (p = 0; p < n; p++) series(rc, st, g, PLOT_GRAD, p, 0, st->L.ui >= 1.5 ? 3.0f : 2.0f, 255);
    /* where the gradient itself overflowed, walking back */
    for (p = 0; p < n; p++) {
        const gs_seq *s = state_seq(st, p);
        gs_seq_summary su = s ? gs_seq_summary_of(s) : sum;
        const gs_variant_info *vi = state_variant(st, p);
        if (s && su.first_nonfinite_grad > 0 && state_grad_shown(st, p, su.first_nonfinite_grad)) {
            float x = xmap(g, su.first_nonfinite_grad);
            render_dashed(rc, x, (float)g->area.y, x, (float)(g->area.y + g->area.h), 1.5f, 3, th->warn, 230);
            snprintf(buf, sizeof buf, "%s: inf/NaN", vi ? vi->name : "?");
            render_text(rc, FONT_SMALL, buf, (int)x - 3, g->area.y + g->area.h - fh - 2, th->warn, AL_RIGHT | AL_TOP);
        }
    }
    /* rnn: gamma ||W||_2 beside its line, and what it means in words */
    for (p = 0; p < n; p++) {
        const gs_variant_info *vi = state_variant(st, p);
        const gs_seq *s = state_seq(st, p);
        gs_seq_summary su;
        char num[32];
        int t, tl = 0;
        if (!vi || vi->id != GS_RNN || !s) continue;
        su = gs_seq_summary_of(s);
        if (!isfinite(su.gamma_w)) continue;
        fmt_value(num, sizeof num, su.gamma_w);
        /* beside the line: at its earliest shown point */
        for (t = 1; t <= st->cursor; t++)
            if (grad_at(st, p, t) > 0) {
                tl = t;
                break;
            }
        if (tl) {
            float x = xmap(g, tl), y = ymap(g, grad_at(st, p, tl));
            int w;
            snprintf(buf, sizeof buf, "\xce\xb3\xe2\x80\x96W\xe2\x80\x96\xe2\x82\x82 = %s", num);
            w = render_measure(rc, FONT_SMALL, buf);
            if (x + 4 + w > g->area.x + g->area.w) x = (float)(g->area.x + g->area.w - w - 4);
            if (!isnan(y)) {
                /* above its point, else below it, else at the foot of the axes: where it
                   stays in them and off the truncation's caption */
                int tys[3] = { (int)y - fh - 3, (int)y + 3, g->area.y + g->area.h - fh - 2 }, ty = tys[2];
                for (int k = 0; k < 3; k++) {
                    box ink = render_text_ink(rc, FONT_SMALL, buf, (int)x + 4, tys[k], AL_LEFT | AL_TOP);
                    if (tys[k] >= g->area.y && tys[k] + fh <= g->area.y + g->area.h && !box_overlap(ink, cut)) {
                        ty = tys[k];
                        break;
                    }
                }
                render_round(rc, (box){ (int)x + 1, ty, w + 6, fh + 1 }, 3, th->panel, 215);
                render_text(rc, FONT_SMALL, buf, (int)x + 4, ty,
                            cm_variant_colour(st->palette, st->theme, GS_RNN), AL_LEFT | AL_TOP);
            }
        }
        snprintf(buf, sizeof buf, "rnn: \xce\xb3\xe2\x80\x96W\xe2\x80\x96\xe2\x82\x82 = %s %s 1", num, su.gamma_w < 1 ? "<" : "\xe2\x89\xa5");
        render_text_in(rc, FONT_SMALL, buf, (box){ g->foot.x, g->foot.y, g->foot.w, g->foot.h / 2 },
                       cm_variant_colour(st->palette, st->theme, GS_RNN), AL_LEFT | AL_MIDDLE);
        {
            static const char *const below[3] = { "below 1: the gradient must vanish going back",
                                            "< 1: sure to vanish going back", "< 1: must vanish" };
            static const char *const above[3] = { "not below 1: vanishing is not guaranteed",
                                            "\xe2\x89\xa5 1: vanishing not guaranteed", "\xe2\x89\xa5 1: may not vanish" };
            render_text_alt(rc, FONT_SMALL,
                            (box){ g->foot.x, g->foot.y + g->foot.h / 2, g->foot.w, g->foot.h - g->foot.h / 2 },
                            th->text_dim, AL_LEFT | AL_MIDDLE, 3, su.gamma_w < 1 ? below : above);
        }
    }
    if (st->cursor < 1 || sum.backward_steps == 0)
        render_text_in(rc, FONT_SMALL, "no backward pass yet", g->area, th->text_dim, AL_CENTER | AL_MIDDLE);
    else if (st->first_loss_step > st->cursor) {
        snprintf(buf, sizeof buf, "no loss before step %d", st->first_loss_step);
        render_text_in(rc, FONT_SMALL, buf, g->area, th->text_dim, AL_CENTER | AL_MIDDLE);
    }
}

static void draw_loss(render_ctx *rc, const app_state *st, const plot_geom *g) {
    const cm_theme *th = state_theme(st);
    int n = st->have_scene ? st->sc.n : 0, p, k, i, fh = render_font_height(rc, FONT_SMALL);
    double vals[8];
    const char *names[8];
    char buf[240], num[32];
    k = st->have_scene ? gs_task_baselines(st->sc.task, vals, names, 8) : 0;
    if (g->bars) {
        /* few loss steps: one bar per variant, the mean loss so far */
        int bw = n > 0 ? g->area.w / (2 * n + 1) : 0;
        for (p = 0; p < n; p++) {
            const gs_variant_info *vi = state_variant(st, p);
            const gs_seq *s = state_seq(st, p);
            gs_seq_summary su = gs_seq_summary_of(s);
            cm_rgb c = cm_variant_colour(st->palette, st->theme, vi ? (int)vi->id : 0);
            int x = g->area.x + (2 * p + 1) * bw;
            if (st->cursor < 1 || isnan(su.loss)) continue;
            {
                float y = ymap(g, su.loss);
                int yy = isnan(y) ? g->area.y : (int)y;
                render_fill(rc, (box){ x, yy, bw, g->area.y + g->area.h - yy }, c);
                fmt_short(num, sizeof num, su.loss);
                /* over the bar, or in its top when the bar reaches the top of the axes (the
                   legend is above them); bars are 2 bw apart */
                if (render_measure(rc, FONT_SMALL, num) <= 2 * bw - 2) {
                    if (yy - 1 - fh >= g->area.y)
                        render_text(rc, FONT_SMALL, num, x + bw / 2, yy - 1, th->text, AL_CENTER | AL_BOTTOM);
                    else
                        render_text(rc, FONT_SMALL, num, x + bw / 2, yy + 1,
                                    (c.r * 299 + c.g * 587 + c.b * 114) / 1000 > 140 ? (cm_rgb){ 0, 0, 0 }
                                                                                   : (cm_rgb){ 255, 255, 255 },
                                    AL_CENTER | AL_TOP);
                }
            }
        }
        if (st->first_loss_step > st->cursor) {
            char at[32];
            const char *alts[2] = { buf, at };
            snprintf(buf, sizeof buf, "loss at step %d", st->first_loss_step);
            snprintf(at, sizeof at, "at step %d", st->first_loss_step);
            render_text_alt(rc, FONT_SMALL, (box){ g->area.x, g->area.y + fh, g->area.w, fh }, th->text_dim,
                            AL_CENTER | AL_TOP, 2, alts);
        }
    } else {
        for (p = 0; p < n; p++) {
            const gs_variant_info *vi = state_variant(st, p);
            const gs_seq *s = state_seq(st, p);
            cm_rgb c = cm_variant_colour(st->palette, st->theme, vi ? (int)vi->id : 0);
            float pts[2 * 1024];
            int m = 0, t;
            for (t = 1; t <= st->cursor && m < 1024; t++) {
                const gs_step_stats *ss = gs_seq_stats(s, t);
                if (!ss || isnan(ss->loss)) continue;
                pts[2 * m] = xmap(g, t);
                pts[2 * m + 1] = isfinite(ss->loss) ? ymap(g, ss->loss) : NAN;
                m++;
            }
            render_polyline(rc, pts, m, 1.5f, c, 200);
            if (m <= 60)
                for (i = 0; i < m; i++)
                    if (!isnan(pts[2 * i + 1])) render_disc(rc, pts[2 * i], pts[2 * i + 1], 2.5f, c, 255);
        }
    }
    /* reference lines: dashed (the legend names them) */
    for (i = 0; i < k; i++) {
        float y = ymap(g, vals[i]);
        if (isnan(y)) continue;
        render_dashed(rc, (float)g->area.x, y, (float)(g->area.x + g->area.w), y, 1.2f, 5, th->text_dim, 230);
    }
    if (g->foot.h > 0 && st->have_scene) {
        char alt[96], alt2[64];
        const char *alts[3] = { buf, alt, alt2 };
        int mse = gs_task_loss(st->sc.task) == GS_LOSS_MSE;
        snprintf(alt, sizeof alt, "%s loss at %d step%s", mse ? "MSE" : "cross-entropy", st->n_loss_steps,
                 st->n_loss_steps == 1 ? "" : "s");
        snprintf(alt2, sizeof alt2, "%s, %d step%s", mse ? "MSE" : "x-entropy", st->n_loss_steps,
                 st->n_loss_steps == 1 ? "" : "s");
        snprintf(buf, sizeof buf, "%s%s", alt, g->bars ? " (bars: the mean so far)" : "");
        render_text_alt(rc, FONT_SMALL, g->foot, th->text_dim, AL_LEFT | AL_MIDDLE, 3, alts);
    }
}

void view_plot(render_ctx *rc, const app_state *st, int which, box b) {
    const cm_theme *th = state_theme(st);
    plot_geom g;
    if (b.w <= 0 || b.h <= 0) return;
    plot_geom_of(st, which, b, &g);
    render_round(rc, b, st->L.pad, th->panel, 255);
    legend(rc, st, &g, which, titles[which]);
    if (g.area.w < 10 || g.area.h < 10) return;
    if (!g.bars) axes(rc, st, &g);
    else render_fill(rc, (box){ g.area.x, g.area.y + g.area.h, g.area.w, 1 }, th->border);
    track_marks(rc, st, &g);
    cursor_line(rc, st, &g);
    switch (which) {
    case PLOT_DRIFT: draw_drift(rc, st, &g); break;
    case PLOT_GRAD: draw_grad(rc, st, &g); break;
    default: draw_loss(rc, st, &g); break;
    }
}
