/* view_train.c — the training panel: loss curves on a log axis, the task's baselines,
 * its success measure, iteration counter and speed, and the snapshot scrubber.  It
 * draws; the commands, the worker and the scrubber's pointer are
 * session/train_window.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"

box view_train_scrubber(const app_state *st, box b) { return layout_train_panel(&st->L, b).scrub; }

/* ---- Drawing ------------------------------------------------------------------------ */

static double ymap(double v, double lo, double hi, box a) {
    double f = (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
    return a.y + a.h - f * a.h;
}

void view_train(render_ctx *rc, const app_state *st, box b) {
    const cm_theme *th = state_theme(st);
    const train_ui *u = &st->train;
    const layout *L = &st->L;
    train_panel_box g = layout_train_panel(L, b);
    int fs = L->font_px[FONT_SMALL], i, k;
    double lo = INFINITY, hi = 0;
    long n = u->n_hist;
    char buf[160], num[32];
    render_round(rc, b, L->pad / 2, th->panel, 255);
    render_outline(rc, b, th->border, 1);
    if (!u->w) return;

    /* header: what, how far, how fast */
    {
        char full[200], mid[160], shortt[96];
        const char *alts[3] = { full, mid, shortt };
        const char *state = u->done ? "done" : u->paused ? "paused" : "";
        char speed[48];
        if (u->done || u->paused || u->rate <= 0) snprintf(speed, sizeof speed, "%s", state[0] ? state : "starting");
        else snprintf(speed, sizeof speed, "%.0f it/s", u->rate);
        snprintf(full, sizeof full, "Training  \xc2\xb7  iteration %ld / %ld  \xc2\xb7  %s  \xc2\xb7  batch %d, lr %g",
                 u->iteration, u->total, speed, st->opts.train.batch, st->opts.train.lr);
        snprintf(mid, sizeof mid, "Training  \xc2\xb7  it %ld / %ld  \xc2\xb7  %s", u->iteration, u->total, speed);
        snprintf(shortt, sizeof shortt, "it %ld/%ld  %s", u->iteration, u->total, speed);
        render_text_alt(rc, FONT_BOLD, g.head, th->text, AL_LEFT | AL_MIDDLE, 3, alts);
    }

    /* the y range: every finite loss and the baselines, in decades */
    for (i = 0; i < u->n; i++)
        for (long t = 0; t < n; t++) {
            double v = u->hist[i][t].loss;
            if (isfinite(v) && v > 0) {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
    for (k = 0; k < u->n_base; k++)
        if (isfinite(u->base[k]) && u->base[k] > 0) {
            if (u->base[k] < lo) lo = u->base[k];
            if (u->base[k] > hi) hi = u->base[k];
        }
    if (!(hi > 0) || !isfinite(lo)) {
        lo = 1e-3;
        hi = 1;
    }
    lo = pow(10, floor(log10(lo)));
    hi = pow(10, ceil(log10(hi)));
    if (hi <= lo) hi = lo * 10;

    render_fill(rc, g.plot, th->panel_alt);
    /* decade grid and labels */
    for (double d = lo; d <= hi * 1.0001; d *= 10) {
        float y = (float)ymap(d, lo, hi, g.plot);
        render_fill(rc, (box){ g.plot.x, (int)y, g.plot.w, 1 }, th->grid);
        fmt_short(num, sizeof num, d);
        render_text(rc, FONT_SMALL, num, g.plot.x - 4, (int)y, th->text_dim, AL_RIGHT | AL_MIDDLE);
    }
    /* x axis: iterations */
    render_fill(rc, (box){ g.plot.x, g.plot.y + g.plot.h, g.plot.w, 1 }, th->border);
    render_text(rc, FONT_SMALL, "0", g.plot.x, g.plot.y + g.plot.h + 2, th->text_dim, AL_LEFT | AL_TOP);
    snprintf(buf, sizeof buf, "%ld iterations", u->total);
    render_text(rc, FONT_SMALL, buf, g.plot.x + g.plot.w, g.plot.y + g.plot.h + 2, th->text_dim,
                AL_RIGHT | AL_TOP);

    /* baselines: dashed, labelled inside the plot at its left */
    for (k = 0; k < u->n_base; k++) {
        double v = u->base[k];
        float y;
        if (!(isfinite(v) && v > 0)) continue;
        y = (float)ymap(v, lo, hi, g.plot);
        render_dashed(rc, (float)g.plot.x, y, (float)(g.plot.x + g.plot.w), y, 2.0f, 6, th->text, 200);
    }

    /* the shown snapshot's iteration: a vertical line */
    if (u->shown >= 0 && u->total > 0) {
        float x = (float)(g.plot.x + (double)u->shown_iter / (double)u->total * g.plot.w);
        render_line(rc, x, (float)g.plot.y, x, (float)(g.plot.y + g.plot.h), 1.5f,
                    u->pinned ? th->backward : th->accent, 200);
    }

    /* loss curves: at most one point per pixel column (the mean of the points in it) */
    if (n > 0 && g.plot.w > 2) {
        int cols = g.plot.w;
        float *xy = malloc(sizeof(float) * 2 * (size_t)cols);
        for (i = 0; xy && i < u->n; i++) {
            cm_rgb c = cm_variant_colour(st->palette, st->theme, (int)u->variants[i]);
            int m = 0;
            long t = 0;
            for (int col = 0; col < cols && t < n; col++) {
                long end = (long)((double)(col + 1) / cols * (double)u->total);
                double s = 0;
                int cnt = 0;
                if (end > n) end = n;
                for (; t < end; t++)
                    if (isfinite(u->hist[i][t].loss) && u->hist[i][t].loss > 0) {
                        s += log10(u->hist[i][t].loss);
                        cnt++;
                    }
                if (!cnt) continue;
                xy[2 * m] = (float)(g.plot.x + col);
                xy[2 * m + 1] = (float)ymap(pow(10, s / cnt), lo, hi, g.plot);
                m++;
            }
            if (m == 1) render_disc(rc, xy[0], xy[1], 2.5f, c, 255);
            else render_polyline(rc, xy, m, L->line + 1.0f, c, 255);
        }
        free(xy);
    }

    /* baseline labels, over the curves, at the plot's right end */
    for (k = 0; k < u->n_base; k++) {
        double v = u->base[k];
        char lab[120];
        const char *alts[2] = { lab, num };
        int y, tw;
        box lb;
        if (!(isfinite(v) && v > 0)) continue;
        y = (int)ymap(v, lo, hi, g.plot);
        fmt_short(num, sizeof num, v);
        snprintf(lab, sizeof lab, "%s %s", u->base_name[k] ? u->base_name[k] : "baseline", num);
        tw = render_measure(rc, FONT_SMALL, lab) + 6;
        if (tw > g.plot.w - 4) tw = render_measure(rc, FONT_SMALL, num) + 6;
        lb = (box){ g.plot.x + g.plot.w - tw - 2, y - fs - 3, tw, fs + 2 };
        if (lb.y < g.plot.y) lb.y = y + 2;
        render_round(rc, lb, 3, th->panel_alt, 220);
        render_text_alt(rc, FONT_SMALL, lb, th->text, AL_CENTER | AL_MIDDLE, 2, alts);
    }

    /* legend: per variant its recent loss and the task's success measure */
    {
        int rowh = fs + 4, y = g.legend.y;
        const char *sname = u->success_name ? u->success_name : NULL;
        render_text_in(rc, FONT_SMALL, sname ? "loss  \xc2\xb7  success" : "loss (last 50)",
                       (box){ g.legend.x, y, g.legend.w, rowh }, th->text_dim, AL_LEFT | AL_MIDDLE);
        y += rowh;
        for (i = 0; i < u->n && y + rowh <= g.legend.y + g.legend.h; i++) {
            const gs_variant_info *vi = gs_variant_get(u->variants[i]);
            cm_rgb c = cm_variant_colour(st->palette, st->theme, (int)u->variants[i]);
            double ls = 0, sc = 0;
            int cl = 0, cs = 0;
            char l1[128], l2[96], sv[32];
            const char *loss;
            const char *alts[2] = { l1, l2 };
            long seen = 0, nans = 0;
            for (long t = n - 50 < 0 ? 0 : n - 50; t < n; t++, seen++) {
                if (isfinite(u->hist[i][t].loss)) { ls += u->hist[i][t].loss; cl++; }
                else if (isnan(u->hist[i][t].loss)) nans++;
                if (isfinite(u->hist[i][t].success)) { sc += u->hist[i][t].success; cs++; }
            }
            render_fill(rc, (box){ g.legend.x, y + rowh / 2 - 1, fs, 3 }, c);
            fmt_short(num, sizeof num, cl ? ls / cl : (double)NAN);
            /* points, but none finite: the loss is NaN or inf, and the panel says so */
            loss = cl ? num : !seen ? "\xe2\x80\x94" : nans ? "NaN" : "inf";
            if (cs) snprintf(sv, sizeof sv, "%.0f%%", 100.0 * sc / cs);
            else snprintf(sv, sizeof sv, "\xe2\x80\x94");
            if (sname) {
                snprintf(l1, sizeof l1, "%s %s  %s", vi ? vi->name : "?", loss, sv);
                snprintf(l2, sizeof l2, "%s %s", loss, sv);
            } else {
                snprintf(l1, sizeof l1, "%s %s", vi ? vi->name : "?", loss);
                snprintf(l2, sizeof l2, "%s", loss);
            }
            render_text_alt(rc, FONT_NAME, (box){ g.legend.x + fs + 4, y, g.legend.w - fs - 4, rowh }, c,
                            AL_LEFT | AL_MIDDLE, 2, alts);
            y += rowh;
        }
        if (sname && y + rowh <= g.legend.y + g.legend.h) {
            /* what the percentage counts, wrapped when it fits */
            char what[160];
            box wb = { g.legend.x, y + 2, g.legend.w, g.legend.y + g.legend.h - y - 2 };
            snprintf(what, sizeof what, "%% = %s", sname);
            if (render_text_wrap(rc, FONT_SMALL, what, wb, th->text_dim, 0) * render_font_height(rc, FONT_SMALL) <= wb.h)
                render_text_wrap(rc, FONT_SMALL, what, wb, th->text_dim, 1);
            else
                render_text_in(rc, FONT_SMALL, "% = success", (box){ g.legend.x, y, g.legend.w, rowh }, th->text_dim,
                               AL_LEFT | AL_MIDDLE);
        }
    }

    /* the snapshot scrubber: a tick per snapshot, the shown one marked */
    {
        box tr = g.scrub;
        int cy = tr.y + tr.h / 2;
        render_fill(rc, (box){ tr.x, cy - 1, tr.w, 3 }, th->grid);
        for (k = 0; k < u->n_snaps; k++) {
            int x = u->n_snaps < 2 ? tr.x + tr.w : tr.x + (int)lround((double)k * tr.w / (u->n_snaps - 1));
            render_fill(rc, (box){ x - 1 < tr.x ? tr.x : x - 1, cy - tr.h / 4, 2, tr.h / 2 }, th->text_dim);
        }
        if (u->shown >= 0 && u->n_snaps > 0) {
            int x = u->n_snaps < 2 ? tr.x + tr.w : tr.x + (int)lround((double)u->shown * tr.w / (u->n_snaps - 1));
            render_disc(rc, (float)x, (float)cy, tr.h * 0.4f, u->pinned ? th->backward : th->accent, 255);
        }
        {
            char full[160], shortt[80];
            const char *alts[2] = { full, shortt };
            if (u->shown < 0)
                snprintf(full, sizeof full, "snapshots: none yet");
            else if (u->pinned)
                snprintf(full, sizeof full, "snapshot %d / %d at iteration %ld  \xc2\xb7  drag right or J for live",
                         u->shown + 1, u->n_snaps, u->shown_iter);
            else
                snprintf(full, sizeof full, "live: iteration %ld  \xc2\xb7  drag or Shift+J to scrub back",
                         u->shown_iter);
            if (u->shown < 0) snprintf(shortt, sizeof shortt, "no snapshot");
            else snprintf(shortt, sizeof shortt, "%s it %ld", u->pinned ? "snapshot" : "live", u->shown_iter);
            render_text_alt(rc, FONT_SMALL, g.scrub_text, th->text_dim, AL_LEFT | AL_MIDDLE, 2, alts);
        }
    }
}
