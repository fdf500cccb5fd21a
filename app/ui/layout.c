/* layout.c — where everything goes.  One pass from the window size down: top bar,
 * sidebar, status line, then the panes and the bottom strip of plots.  Text widths
 * come from the measure callback, so labels are laid out at their real size. */
#include "ui/layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Boxes ------------------------------------------------------------------------ */

int box_contains(box b, int x, int y) {
    return x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h;
}

int box_overlap(box a, box b) {
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0) return 0;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

box box_union(box a, box b) {
    int x0, y0, x1, y1;
    if (a.w <= 0 || a.h <= 0) return b;
    if (b.w <= 0 || b.h <= 0) return a;
    x0 = a.x < b.x ? a.x : b.x;
    y0 = a.y < b.y ? a.y : b.y;
    x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (box){ x0, y0, x1 - x0, y1 - y0 };
}

box box_inset(box b, int d) {
    box r = { b.x + d, b.y + d, b.w - 2 * d, b.h - 2 * d };
    if (r.w < 0) r.w = 0;
    if (r.h < 0) r.h = 0;
    return r;
}

static box mk(int x, int y, int w, int h) {
    box b = { x, y, w > 0 ? w : 0, h > 0 ? h : 0 };
    return b;
}

/* ---- Heatmap cells ---------------------------------------------------------------- */

box layout_cell(box s, int n, int T, int unit, int step) {
    box c = { 0, 0, 0, 0 };
    long x0, x1, y0, y1;
    if (n < 1 || T < 1 || unit < 0 || unit >= n || step < 1 || step > T) return c;
    x0 = (long)(step - 1) * s.w / T;
    x1 = (long)step * s.w / T;
    y0 = (long)unit * s.h / n;
    y1 = (long)(unit + 1) * s.h / n;
    c.x = s.x + (int)x0;
    c.y = s.y + (int)y0;
    c.w = (int)(x1 - x0);
    c.h = (int)(y1 - y0);
    return c;
}

int layout_cell_at(box s, int n, int T, int x, int y, int *unit, int *step) {
    if (!box_contains(s, x, y) || n < 1 || T < 1) return 0;
    /* the inverse of layout_cell's floor((t-1) w / T) boundaries */
    long t = ((long)(x - s.x) * T) / s.w, u = ((long)(y - s.y) * n) / s.h;
    while (t + 1 < T && (t + 1) * s.w / T <= x - s.x) t++;
    while (t > 0 && t * s.w / T > x - s.x) t--;
    while (u + 1 < n && (u + 1) * s.h / n <= y - s.y) u++;
    while (u > 0 && u * s.h / n > y - s.y) u--;
    *step = (int)t + 1;
    *unit = (int)u;
    return 1;
}

/* ---- Strips ----------------------------------------------------------------------- */

int layout_strips_for(gs_variant v, strip_def *out, int max) {
    const gs_variant_info *vi = gs_variant_get(v);
    int k = 0, i;
    if (!vi) return 0;
    for (i = 0; i < vi->n_gates && k < max; i++, k++) {
        out[k].q = GS_Q_GATE;
        out[k].index = i;
        out[k].scale = STRIP_GATE;
        snprintf(out[k].label, sizeof out[k].label, "%s", vi->gates[i].symbol);
        snprintf(out[k].name, sizeof out[k].name, "%s gate %s", vi->gates[i].name,
                 vi->gates[i].symbol);
    }
    if (vi->cand_display && k < max) {
        out[k].q = GS_Q_CAND;
        out[k].index = 0;
        out[k].scale = STRIP_TANH;
        snprintf(out[k].label, sizeof out[k].label, "%s", vi->cand_display);
        snprintf(out[k].name, sizeof out[k].name, "candidate %s", vi->cand_display);
        k++;
    }
    for (i = 0; i < vi->n_states && k < max; i++, k++) {
        out[k].q = GS_Q_STATE;
        out[k].index = i;
        out[k].scale = STRIP_STATE;
        snprintf(out[k].label, sizeof out[k].label, "%s", vi->state_symbols[i]);
        snprintf(out[k].name, sizeof out[k].name, "%s %s",
                 vi->n_states == 2 ? (i == 0 ? "cell state" : "hidden state") : "state",
                 vi->state_symbols[i]);
    }
    for (i = 0; i < vi->n_states && k < max; i++, k++) {
        out[k].q = GS_Q_D_STATE;
        out[k].index = i;
        out[k].scale = STRIP_GRAD;
        snprintf(out[k].label, sizeof out[k].label, "\xe2\x88\x82L/\xe2\x88\x82%s",
                 vi->state_symbols[i]);
        snprintf(out[k].name, sizeof out[k].name, "gradient \xe2\x88\x82L/\xe2\x88\x82%s",
                 vi->state_symbols[i]);
    }
    return k;
}

/* strips of different kinds are separated by a wider gap */
static int strip_group(strip_scale s) {
    return s == STRIP_GATE ? 0 : s == STRIP_TANH ? 1 : s == STRIP_STATE ? 2 : 3;
}

/* ---- Measuring -------------------------------------------------------------------- */

static int utf8_chars(const char *s) {
    int n = 0;
    for (; *s; s++)
        if ((*s & 0xc0) != 0x80) n++;
    return n;
}

static int measure(const layout *L, const layout_input *in, font_id f, const char *s) {
    if (in->measure) return in->measure(in->measure_ud, f, s);
    return (int)lround(utf8_chars(s) * L->font_px[f] * 0.62);
}

static void add_button(layout *L, box b, cmd_id cmd, int arg, button_kind kind) {
    if (L->n_buttons >= LAYOUT_MAX_BUTTONS) return;
    L->button[L->n_buttons].b = b;
    L->button[L->n_buttons].cmd = cmd;
    L->button[L->n_buttons].arg = arg;
    L->button[L->n_buttons].kind = kind;
    L->n_buttons++;
}

/* The widest value a setup or view row can show, so rows never resize. */
static const char *widest_value(cmd_id id) {
    switch (id) {
    case CMD_SPEED: return "60 steps/s";
    case CMD_TASK: return "adding-hs";
    case CMD_LENGTH: return "1000";
    case CMD_HIDDEN: return "256";
    case CMD_INIT: return "orthogonal";
    case CMD_WSCALE: return "\xc3\x97" "0.25";
    case CMD_FBIAS: return "default";
    case CMD_TRUNC: return "full";
    case CMD_SCALE: return "per pane";
    case CMD_LOG: return "linear";
    case CMD_PALETTE: return "viridis";
    case CMD_THEME: return "contrast";
    default: return "";
    }
}

/* ---- The top bar ------------------------------------------------------------------ */

/* Width of a transport button: icon, then the label unless icons only. */
static int button_width(const layout *L, const layout_input *in, const command *c, int icons) {
    int icon = L->button_h;
    int lw;
    if (icons || c->button == BTN_NONE) return icon;
    lw = measure(L, in, FONT_BOLD, c->label);
    if (c->id == CMD_PLAY) { /* it reads "Pause" while playing */
        int pw = measure(L, in, FONT_BOLD, "Pause");
        if (pw > lw) lw = pw;
    }
    /* as view_controls draws it: pad, icon (1.3 s), pad/2, label, pad; s = 0.38 bh */
    return lw + (int)(2.5 * L->pad + 0.5 * L->button_h) + 2;
}

static int topbar_pass(layout *L, const layout_input *in, int icons, int back_label, int commit) {
    int n, i, x = L->pad, y, bh = L->button_h, right, cap_x = 0, cap_w = 0;
    const command *tab = commands_table(&n);
    box tb = L->topbar;
    y = tb.y + (tb.h - bh) / 2;
    if (commit) L->title = mk(x, tb.y, measure(L, in, FONT_TITLE, "gatescope"), tb.h);
    x += measure(L, in, FONT_TITLE, "gatescope") + L->pad * 3;
    for (i = 0; i < n; i++) {
        const command *c = &tab[i];
        if (c->group != CMDG_TRANSPORT) continue;
        if (c->button == BTN_STEPPER) {
            int tw = measure(L, in, FONT_BODY, widest_value(c->id)) + L->pad;
            x += L->pad;
            if (commit) add_button(L, mk(x, y, bh, bh), c->id, -1, BK_STEP_DOWN);
            x += bh;
            if (commit) L->speed_text = mk(x, y, tw, bh);
            x += tw;
            if (commit) add_button(L, mk(x, y, bh, bh), c->id, 1, BK_STEP_UP);
            x += bh + L->gap;
        } else {
            int w = button_width(L, in, c, icons && c->button != BTN_PRIMARY);
            if (c->button == BTN_PRIMARY && !icons) w += L->pad * 2;
            if (commit)
                add_button(L, mk(x, y, w, bh), c->id, 0,
                           c->button == BTN_PRIMARY ? BK_PRIMARY : BK_PLAIN);
            x += w + L->gap;
        }
    }
    x += L->pad;
    {
        char tmpl[64], d[16];
        int k, nd = snprintf(d, sizeof d, "%d", in->T > 0 ? in->T : 1000);
        for (k = 0; k < nd; k++) d[k] = '0';
        snprintf(tmpl, sizeof tmpl, "step %s / %s", d, d);
        int w = measure(L, in, FONT_BIG, tmpl);
        if (commit) L->step_text = mk(x, tb.y, w, tb.h);
        x += w + L->pad * 2;
    }
    /* the backward pass: icon buttons and a caption */
    {
        /* the widest caption view_topbar writes, for this T */
        char d[16], buf[4][96];
        int k, nd = snprintf(d, sizeof d, "%d", in->T > 0 ? in->T : 1000), cw = 0;
        for (k = 0; k < nd; k++) d[k] = '0';
        snprintf(buf[0], sizeof buf[0], "from %s back to %s", d, d);
        snprintf(buf[1], sizeof buf[1], "whole pass, %s to %s", d, d);
        snprintf(buf[2], sizeof buf[2], "from the loss at %s", d);
        snprintf(buf[3], sizeof buf[3], "after the first step");
        for (k = 0; k < 4; k++) {
            int cwk = measure(L, in, FONT_SMALL, buf[k]) + L->pad;
            if (cwk > cw) cw = cwk;
        }
        for (i = 0; i < n; i++) {
            const command *c = &tab[i];
            /* the first (walk back) is the one to find: labelled when there is room */
            int w = back_label && c->id == CMD_BACK_WALK ? button_width(L, in, c, 0) : bh;
            if (c->group != CMDG_BACKWARD) continue;
            if (commit) add_button(L, mk(x, y, w, bh), c->id, 0, BK_PLAIN);
            x += w + L->gap / 2;
        }
        x += L->gap;
        cap_x = x;
        cap_w = cw;
        x += cw;
    }
    /* window commands, right-aligned */
    right = L->w - L->pad;
    for (i = n - 1; i >= 0; i--) {
        const command *c = &tab[i];
        if (c->group != CMDG_APP || c->button == BTN_NONE) continue;
        right -= bh;
        if (commit) add_button(L, mk(right, y, bh, bh), c->id, 0, BK_PLAIN);
        right -= L->gap;
    }
    /* the caption only where it clears the window commands (below the smallest window,
       headless, it may not: the buttons' tooltips still say what they do) */
    if (commit) L->back_text = mk(cap_x, tb.y, x + L->pad <= right ? cap_w : 0, tb.h);
    return x + L->pad <= right;
}

/* ---- The sidebar ------------------------------------------------------------------ */

/* The sidebar with rows row_em body lines tall; 0 when its controls run past its
 * bottom (the colour scales then show what rows of them fit, or none). */
static int sidebar(layout *L, const layout_input *in, double row_em) {
    int n, i, x = L->sidebar.x + L->pad, w = L->sidebar.w - 2 * L->pad;
    int y = L->sidebar.y + L->pad, rh = (int)lround(L->font_px[FONT_BODY] * row_em);
    int bottom = L->sidebar.y + L->sidebar.h - L->pad;
    int head = L->font_px[FONT_BOLD] + L->pad;
    const command *tab = commands_table(&n);
    int labw = 0;
    for (i = 0; i < n; i++)
        if ((tab[i].group == CMDG_SETUP || tab[i].group == CMDG_VIEW) &&
            (tab[i].button == BTN_STEPPER || tab[i].button == BTN_CYCLE)) {
            int lw = measure(L, in, FONT_BODY, tab[i].label);
            if (lw > labw) labw = lw;
        }
    labw += L->pad;

    /* variants: chips, four to a row when they fit, else two */
    L->side_head[0] = mk(x, y, w, head);
    y += head;
    /* the first eight, then under a caption Greff's eight ablations of peephole
       (their chips show just the name: the caption gives their keys) */
    for (i = 0; i < n; i++) {
        const command *c = &tab[i];
        int k, per_row, cw, chips = 0;
        if (c->button != BTN_CHIPS) continue;
        while (chips < CMD_MAX_CHORDS && c->chords[chips].key != KEY_NONE) chips++;
        for (int grp = 0; grp < 2; grp++) {
            int lo = grp ? GS_NIG : 0, hi = grp ? chips : (chips < GS_NIG ? chips : GS_NIG), need = 0;
            if (lo >= hi) continue;
            if (grp) {
                L->side_greff = mk(x, y, w, L->font_px[FONT_SMALL] + L->pad / 2);
                y += L->side_greff.h + L->gap / 2;
            }
            for (k = lo; k < hi; k++) {
                const gs_variant_info *vi = gs_variant_get((gs_variant)c->chords[k].arg);
                int mw = measure(L, in, FONT_SMALL, vi ? vi->name : "?") + L->pad * 2 + L->pad;
                if (mw > need) need = mw;
            }
            per_row = need * 4 + 3 * (L->gap / 2) > w ? 2 : 4;
            cw = (w - (per_row - 1) * (L->gap / 2)) / per_row;
            for (k = lo; k < hi; k++) {
                int r = (k - lo) / per_row, col = (k - lo) % per_row;
                add_button(L, mk(x + col * (cw + L->gap / 2), y + r * (rh + L->gap / 2), cw, rh),
                           c->id, c->chords[k].arg, BK_CHIP);
            }
            y += ((hi - lo + per_row - 1) / per_row) * (rh + L->gap / 2) + L->gap;
        }
    }

    /* setup rows, then the view rows */
    for (int grp = 0; grp < 2; grp++) {
        cmd_group g = grp == 0 ? CMDG_SETUP : CMDG_VIEW;
        int compact = 0, col = 0;
        L->side_head[1 + grp] = mk(x, y, w, head);
        y += head;
        if (g == CMDG_VIEW) {
            /* two to a row when full rows would leave the legend too little room */
            int rows = 0, sm = (int)lround(L->font_px[FONT_SMALL] * 1.2);
            int legend_need = 4 * (2 * sm + 5) + sm + 4 + head + L->gap;
            for (i = 0; i < n; i++)
                if (tab[i].group == g && tab[i].button == BTN_CYCLE) rows++;
            compact = y + rows * (rh + L->gap / 2) + legend_need > L->sidebar.y + L->sidebar.h - L->pad;
        }
        for (i = 0; i < n; i++) {
            const command *c = &tab[i];
            row_box *r;
            if (c->group != g) continue;
            if (compact && c->button == BTN_CYCLE) {
                int cw = (w - L->gap / 2) / 2;
                box bb = mk(x + col * (cw + L->gap / 2), y, cw, rh);
                if (L->n_rows >= LAYOUT_MAX_ROWS) break;
                r = &L->row[L->n_rows++];
                r->cmd = c->id;
                r->label = mk(bb.x, bb.y, 0, 0);
                r->value = box_inset(bb, 1);
                add_button(L, bb, c->id, 0, BK_CYCLE_LABELLED);
                if (++col == 2) {
                    col = 0;
                    y += rh + L->gap / 2;
                }
                continue;
            }
            if (c->button == BTN_PLAIN) { /* the new-sequence button, full width */
                add_button(L, mk(x, y, w, rh), c->id, 1, BK_PLAIN);
                y += rh + L->gap / 2;
                continue;
            }
            if (c->button != BTN_STEPPER && c->button != BTN_CYCLE) continue;
            if (L->n_rows >= LAYOUT_MAX_ROWS) break;
            r = &L->row[L->n_rows++];
            r->cmd = c->id;
            r->label = mk(x, y, labw, rh);
            if (c->button == BTN_STEPPER) {
                int bx = x + labw, bw = rh;
                add_button(L, mk(bx, y, bw, rh), c->id, -1, BK_STEP_DOWN);
                r->value = mk(bx + bw, y, w - labw - 2 * bw, rh);
                add_button(L, mk(x + w - bw, y, bw, rh), c->id, 1, BK_STEP_UP);
            } else {
                box b = mk(x + labw, y, w - labw, rh);
                add_button(L, b, c->id, 0, BK_CYCLE);
                r->value = box_inset(b, 1);
            }
            y += rh + L->gap / 2;
        }
        if (g == CMDG_SETUP) { /* the training buttons, side by side under the setup */
            int nb = 0, k = 0;
            for (i = 0; i < n; i++)
                if (tab[i].group == CMDG_TRAIN && tab[i].button == BTN_PLAIN) nb++;
            if (nb > 0) {
                int bw = (w - (nb - 1) * (L->gap / 2)) / nb;
                for (i = 0; i < n; i++) {
                    if (tab[i].group != CMDG_TRAIN || tab[i].button != BTN_PLAIN) continue;
                    add_button(L, mk(x + k * (bw + L->gap / 2), y, bw, rh), tab[i].id, 0, BK_PLAIN);
                    k++;
                }
                y += rh + L->gap / 2;
            }
        }
        if (col) y += rh + L->gap / 2;
        y += L->gap;
    }
    if (y + head + 2 * L->font_px[FONT_SMALL] > bottom) { /* not one scale's room */
        L->side_head[3] = L->legend = mk(x, y, 0, 0);
        return y - L->gap <= bottom;
    }
    L->side_head[3] = mk(x, y, w, head);
    y += head;
    L->legend = mk(x, y, w, bottom - y);
    return 1;
}

/* ---- Panes ------------------------------------------------------------------------ */

/* The sizes every pane shares, from the fonts and the variants shown (the strips of
 * each pane go into L->strips and L->pane[i].n_strips). */
typedef struct pane_metrics {
    int header, readout, axis, mark, sgap, ggap, labw;
    int track_h[TRACK_ROWS], track_all;
    int max_strips, max_groups;
    int min_sh; /* the shortest strip whose label still fits (a label has the strip and
                   its marks' row) */
} pane_metrics;

static int strip_groups(const layout *L, int pane) {
    int g = 1;
    for (int s = 1; s < L->pane[pane].n_strips; s++)
        if (strip_group(L->strips[pane][s].scale) != strip_group(L->strips[pane][s - 1].scale)) g++;
    return g;
}

static void pane_metrics_of(layout *L, const layout_input *in, pane_metrics *m) {
    int rw;
    memset(m, 0, sizeof *m);
    m->header = L->font_px[FONT_TITLE] + L->pad * 2;
    /* the readout: the state's norms over the gradient's; compact panes keep the
       norms only (the gradient has its strips and plot) */
    m->readout = (L->n_panes > 4 ? 1 : 2) * (L->font_px[FONT_SMALL] + L->font_px[FONT_SMALL] / 3) + L->pad;
    m->axis = L->font_px[FONT_SMALL] + L->pad / 2 + 2;
    m->mark = L->ui < 1.2 ? 3 : (int)lround(3 * L->ui);
    m->sgap = L->ui < 1.5 ? 2 : (int)lround(1.5 * L->ui);
    m->ggap = L->gap;
    m->labw = measure(L, in, FONT_SMALL, "\xe2\x88\x82L/\xe2\x88\x82" "c");
    if ((rw = measure(L, in, FONT_SMALL, "\xc2\xb1" "0.088")) > m->labw) m->labw = rw;
    if ((rw = measure(L, in, FONT_SMALL, "target")) > m->labw) m->labw = rw; /* the track's labels */
    m->labw += L->pad;
    /* the sequence track: the input a little taller than body text (characters may be
       drawn large), target and prediction as two small lines, the loss a thin bar */
    m->track_h[TRACK_IN] = (int)lround(L->font_px[FONT_BODY] * 1.45);
    m->track_h[TRACK_OUT] = 2 * (L->font_px[FONT_SMALL] + 1) + 2;
    m->track_h[TRACK_LOSS] = L->font_px[FONT_SUB] + 1;
    /* a gap above (the diagram's x_t label sits on its edge) and below */
    m->track_all = L->gap / 2 + m->track_h[TRACK_IN] + m->track_h[TRACK_OUT] +
                   m->track_h[TRACK_LOSS] + 2 * m->sgap + L->gap;
    m->max_groups = 1;
    for (int i = 0; i < L->n_panes; i++) {
        int k = layout_strips_for(in->variants[i], L->strips[i], LAYOUT_MAX_STRIPS), g;
        L->pane[i].n_strips = k;
        g = strip_groups(L, i);
        if (k > m->max_strips) m->max_strips = k;
        if (g > m->max_groups) m->max_groups = g;
    }
    m->min_sh = (int)ceil((L->font_px[FONT_SUB] * 1.2 - 2) / 1.5) + 1 - m->mark;
}

/* The strips' height in a heatmap area heat_h tall, for n strips in g groups. */
static int strip_height(const pane_metrics *m, int heat_h, int n, int g) {
    return n > 0 ? (heat_h - m->axis - n * (m->mark + m->sgap) - (g - 1) * m->ggap) / n : 0;
}

/* The height of a pane with a diagram diag_h tall and strips of height sh. */
static int pane_height(const layout *L, const pane_metrics *m, int diag_h, int sh) {
    return m->header + diag_h + m->track_all + m->readout + L->gap + m->axis +
           m->max_strips * (sh + m->mark + m->sgap) + (m->max_groups - 1) * m->ggap;
}

static void panes(layout *L, const layout_input *in) {
    int i, s, r, n = L->n_panes;
    box A = L->panes_area;
    /* more than four panes: two rows of compact panes (no diagram), so all eight of
       the classic variants fit on one screen */
    int rows = n > 4 ? 2 : 1, cols = n > 0 ? (n + rows - 1) / rows : 1;
    int pw = (A.w - (cols - 1) * L->gap) / cols;
    int ph = (A.h - (rows - 1) * L->gap) / rows;
    int diag_h, heat_h, sh;
    pane_metrics m;
    pane_metrics_of(L, in, &m);
    L->compact = rows > 1;
    diag_h = L->compact ? 0 : (int)lround((ph - m.header - m.readout - m.track_all) * 0.36);
    heat_h = ph - m.header - diag_h - m.track_all - m.readout - L->gap;
    sh = strip_height(&m, heat_h, m.max_strips, m.max_groups);
    {
        /* strips too short for their labels: the diagram gives way, down to a quarter
           of the room */
        int floor_h = (ph - m.header - m.readout - m.track_all) / 4;
        if (m.max_strips > 0 && sh < m.min_sh && diag_h > floor_h) {
            int give = (m.min_sh - sh) * m.max_strips;
            if (diag_h - give < floor_h) give = diag_h - floor_h;
            diag_h -= give;
            heat_h += give;
            sh = strip_height(&m, heat_h, m.max_strips, m.max_groups);
        }
    }
    /* a diagram under five lines of small text tall (below the smallest window,
       headless) has no room for its labels: it is left out and its room goes to the
       strips */
    if (diag_h > 0 && diag_h < L->font_px[FONT_SMALL] * 5) {
        heat_h += diag_h;
        diag_h = 0;
        sh = strip_height(&m, heat_h, m.max_strips, m.max_groups);
    }
    if (sh < 4) sh = 4;
    for (i = 0; i < n; i++) {
        pane_box *P = &L->pane[i];
        int x = A.x + (i % cols) * (pw + L->gap), y0 = A.y + (i / cols) * (ph + L->gap), y;
        /* panes with fewer strips get taller ones, up to 1.8x */
        int shp = P->n_strips > 0 ? strip_height(&m, heat_h, P->n_strips, strip_groups(L, i)) : sh;
        if (shp > sh * 9 / 5) shp = sh * 9 / 5;
        if (shp < sh) shp = sh;
        P->all = mk(x, y0, pw, ph);
        P->header = mk(x, y0, pw, m.header);
        P->diagram = L->compact ? mk(x, y0 + m.header, 0, 0)
                                : mk(x + L->pad / 2, y0 + m.header, pw - L->pad, diag_h);
        y = y0 + m.header + diag_h + L->gap / 2;
        P->track = mk(x, y, pw, m.track_all - L->gap - L->gap / 2);
        for (r = 0; r < TRACK_ROWS; r++) {
            P->track_label[r] = mk(x + L->pad / 2, y, m.labw - L->pad / 2, m.track_h[r]);
            P->track_row[r] = mk(x + m.labw, y, pw - m.labw - L->pad, m.track_h[r]);
            y += m.track_h[r] + m.sgap;
        }
        P->heat = mk(x, y0 + m.header + diag_h + m.track_all, pw, heat_h);
        y = P->heat.y;
        for (s = 0; s < P->n_strips; s++) {
            if (s > 0 && strip_group(L->strips[i][s].scale) !=
                             strip_group(L->strips[i][s - 1].scale))
                y += m.ggap;
            P->label[s] = mk(x + L->pad / 2, y, m.labw - L->pad / 2, shp + m.mark);
            P->strip[s] = mk(x + m.labw, y, pw - m.labw - L->pad, shp);
            P->marks[s] = mk(x + m.labw, y + shp, pw - m.labw - L->pad, m.mark);
            y += shp + m.mark + m.sgap;
        }
        P->axis = mk(x + m.labw, y, pw - m.labw - L->pad, m.axis);
        P->readout = mk(x + L->pad, y0 + ph - m.readout, pw - 2 * L->pad, m.readout - L->pad / 2);
    }
}

/* Two rows of compact panes need this much height for the strip labels to stand a
 * line apart (a pane with a diagram may squeeze them to min_sh; eight need room). */
static int compact_panes_height(layout *L, const layout_input *in) {
    pane_metrics m;
    int line;
    pane_metrics_of(L, in, &m);
    line = (int)ceil(L->font_px[FONT_SUB] * 1.2) - m.mark - m.sgap;
    return 2 * pane_height(L, &m, 0, line > m.min_sh ? line : m.min_sh) + L->gap;
}

/* ---- The narrative panel (a lesson) ---------------------------------------------- */

/* The panel's width: a third of the main area, at least 250 points. */
static int narrative_width(const layout *L, const layout_input *in) {
    int w = (int)lround(L->main.w * (in->present ? 0.36 : 0.32));
    int minw = (int)lround(250 * (L->ui < 1 ? 1 : L->ui));
    if (w < minw) w = minw;
    if (w > L->main.w / 2) w = L->main.w / 2;
    return w;
}

/* The panel takes the right of the panes' area (the plots keep the full width under
 * it), or of the whole main area when the step's text needs it (in->narrative == 2):
 * the lesson's title, the progress, the step's text, then Previous / Next (not in
 * presenter mode). */
static void narrative(layout *L, const layout_input *in) {
    int w = narrative_width(L, in), x, y, bottom;
    int title_h = (int)lround(L->font_px[FONT_SMALL] * 1.5) + L->pad / 2;
    int prog_h = (int)lround(L->font_px[FONT_BODY] * 1.8);
    L->narrative = mk(L->main.x + L->main.w - w, L->panes_area.y, w,
                      in->narrative == 2 ? L->main.h : L->panes_area.h);
    L->panes_area.w -= w + L->gap;
    x = L->narrative.x + L->pad;
    y = L->narrative.y + L->pad;
    w -= 2 * L->pad;
    L->nar_title = mk(x, y, w, title_h);
    y += title_h;
    L->nar_progress = mk(x, y, w, prog_h);
    y += prog_h + L->pad;
    bottom = L->narrative.y + L->narrative.h - L->pad;
    if (!in->present) {
        int bw = (w - L->gap) / 2, by = bottom - L->button_h;
        add_button(L, mk(x, by, bw, L->button_h), CMD_LESSON_PREV, -1, BK_PLAIN);
        add_button(L, mk(x + w - bw, by, bw, L->button_h), CMD_LESSON_NEXT, 1, BK_PRIMARY);
        bottom = by - L->pad;
    }
    L->nar_text = mk(x, y, w, bottom - y);
}

/* ---- The whole window ------------------------------------------------------------- */

void layout_compute(layout *L, const layout_input *in) {
    /* pixel sizes at ui scale 1, and the smallest each may get */
    static const int base[FONT_COUNT] = {
        [FONT_SMALL] = 12, [FONT_BODY] = 14, [FONT_BOLD] = 14, [FONT_TITLE] = 16,
        [FONT_BIG] = 19, [FONT_MONO] = 13, [FONT_MATH] = 15, [FONT_SUB] = 11, [FONT_NAME] = 12,
    };
    static const int minpx[FONT_COUNT] = {
        [FONT_SMALL] = 11, [FONT_BODY] = 12, [FONT_BOLD] = 12, [FONT_TITLE] = 13,
        [FONT_BIG] = 15, [FONT_MONO] = 11, [FONT_MATH] = 13, [FONT_SUB] = 10, [FONT_NAME] = 11,
    };
    double u;
    int i, side_w, bottom_h, status_h, top_h;
    memset(L, 0, sizeof *L);
    L->w = in->w;
    L->h = in->h;
    u = fmin(in->w / 1280.0, in->h / 800.0);
    if (u < 0.8) u = 0.8;
    if (u > 3.2) u = 3.2;
    if (in->present) u *= 1.3; /* readable from the back of the room */
    L->present = in->present;
    L->ui = u;
    for (i = 0; i < FONT_COUNT; i++) {
        int px = (int)lround(base[i] * u);
        L->font_px[i] = px < minpx[i] ? minpx[i] : px;
    }
    L->pad = (int)lround(8 * u);
    L->gap = (int)lround(6 * u);
    L->line = u < 1.5 ? 1 : (int)lround(u * 0.9);
    L->button_h = (int)lround(L->font_px[FONT_BODY] * 1.85);
    L->n_panes = in->n_panes < 0 ? 0 : in->n_panes > LAYOUT_MAX_PANES ? LAYOUT_MAX_PANES
                                                                       : in->n_panes;

    top_h = L->button_h + 2 * L->pad;
    status_h = L->font_px[FONT_SMALL] + L->pad + 2;
    L->topbar = mk(0, 0, in->w, top_h);
    L->status = mk(0, in->h - status_h, in->w, status_h);
    side_w = (int)lround(232 * u);
    if (side_w < 200) side_w = 200;
    if (in->present) side_w = 0; /* presenter mode: the controls are hidden */
    L->sidebar = mk(0, top_h, side_w, in->h - top_h - status_h);
    L->main = mk(side_w + L->gap, top_h + L->gap, in->w - side_w - L->gap - L->pad,
                 in->h - top_h - status_h - 2 * L->gap);

    /* top bar: labels if they fit, icons otherwise */
    {
        int back_label = topbar_pass(L, in, 0, 1, 0);
        L->icons_only = !back_label && !topbar_pass(L, in, 0, 0, 0);
        topbar_pass(L, in, L->icons_only, back_label, 1);
    }
    if (in->present) { /* no buttons: the title and the step counter stay */
        L->n_buttons = 0;
        L->speed_text = L->back_text = mk(0, 0, 0, 0);
        L->sidebar = mk(0, top_h, 0, 0);
        L->main.x = L->pad;
        L->main.w = in->w - 2 * L->pad;
    } else {
        /* rows 1.7 lines tall, closer where the window is too low for them */
        static const double row_em[] = { 1.7, 1.5, 1.35 };
        int nb = L->n_buttons, nr = L->n_rows;
        for (size_t k = 0; k < sizeof row_em / sizeof *row_em; k++) {
            L->n_buttons = nb;
            L->n_rows = nr;
            if (sidebar(L, in, row_em[k])) break;
        }
    }

    /* main: panes over a strip of plots and the equations */
    bottom_h = (int)lround(L->main.h * 0.34);
    if (L->n_panes > 4) {
        /* two rows of panes take what they need of the plots' room, down to a fifth;
           where that fifth is too low for a plot (twelve lines of small type), the plots
           and equations give their place to the panes */
        int need = compact_panes_height(L, in), least = (int)lround(L->main.h * 0.2);
        if (L->main.h - L->gap - need < bottom_h) bottom_h = L->main.h - L->gap - need;
        if (bottom_h < least) bottom_h = least;
        if (bottom_h < 12 * L->font_px[FONT_SMALL] && L->main.h - L->gap - need < least)
            bottom_h = -L->gap;
    }
    L->panes_area = mk(L->main.x, L->main.y, L->main.w, L->main.h - bottom_h - L->gap);
    L->bottom = mk(L->main.x, L->main.y + L->main.h - bottom_h, L->main.w, bottom_h);
    if (in->narrative == 2) L->bottom.w -= narrative_width(L, in) + L->gap; /* a long text */
    {
        box B = L->bottom;
        int eq_w = (int)lround(B.w * 0.31), pw, x = B.x;
        if (eq_w < (int)lround(300 * u)) eq_w = (int)lround(300 * u);
        if (in->narrative == 2) eq_w = -L->gap; /* a long lesson text takes its place */
        pw = B.w - eq_w - 3 * L->gap;
        L->plot_drift = mk(x, B.y, (int)lround(pw * 0.31), B.h);
        x += L->plot_drift.w + L->gap;
        L->plot_grad = mk(x, B.y, (int)lround(pw * 0.38), B.h);
        x += L->plot_grad.w + L->gap;
        L->plot_loss = mk(x, B.y, B.x + pw + 2 * L->gap - x, B.h);
        x += L->plot_loss.w + L->gap;
        if (in->training) { /* training: its panel, then the gradient plot */
            x = B.x;
            L->train = mk(x, B.y, pw + L->gap - L->plot_grad.w, B.h);
            x += L->train.w + L->gap;
            L->plot_grad.x = x;
            x += L->plot_grad.w + L->gap;
            L->plot_drift = L->plot_loss = mk(0, 0, 0, 0);
        }
        L->equations = mk(x, B.y, B.x + B.w - x, B.h);
    }
    if (bottom_h <= 0) /* no room for the plots (eight compact panes, a small window) */
        L->bottom = L->plot_drift = L->plot_grad = L->plot_loss = L->equations = L->train =
            mk(L->main.x, L->main.y + L->main.h, 0, 0);
    if (in->narrative) narrative(L, in);
    panes(L, in);
}

/* ---- Queries ---------------------------------------------------------------------- */

const button_box *layout_button_at(const layout *L, int x, int y) {
    for (int i = 0; i < L->n_buttons; i++)
        if (box_contains(L->button[i].b, x, y)) return &L->button[i];
    return NULL;
}

int layout_leaves(const layout *L, box *out, const char **names, int max) {
    int k = 0, i, s;
#define LEAF(b, nm)                                                                       \
    do {                                                                                  \
        if (k < max) {                                                                    \
            out[k] = (b);                                                                 \
            if (names) names[k] = (nm);                                                   \
            k++;                                                                          \
        }                                                                                 \
    } while (0)
    LEAF(L->title, "title");
    LEAF(L->step_text, "step text");
    LEAF(L->speed_text, "speed text");
    LEAF(L->back_text, "backward caption");
    LEAF(L->status, "status");
    LEAF(L->nar_title, "lesson title");
    LEAF(L->nar_progress, "lesson progress");
    LEAF(L->nar_text, "lesson text");
    for (i = 0; i < 4; i++) LEAF(L->side_head[i], "sidebar heading");
    LEAF(L->side_greff, "sidebar caption of Greff's ablations");
    LEAF(L->legend, "legend");
    for (i = 0; i < L->n_buttons; i++) LEAF(L->button[i].b, "button");
    for (i = 0; i < L->n_rows; i++) {
        LEAF(L->row[i].label, "row label");
        if (commands_get(L->row[i].cmd)->button == BTN_STEPPER) LEAF(L->row[i].value, "row value");
    }
    LEAF(L->plot_drift, "drift plot");
    LEAF(L->plot_grad, "gradient plot");
    LEAF(L->plot_loss, "loss plot");
    LEAF(L->train, "training panel");
    LEAF(L->equations, "equations");
    for (i = 0; i < L->n_panes; i++) {
        const pane_box *P = &L->pane[i];
        LEAF(P->header, "pane header");
        LEAF(P->diagram, "diagram");
        LEAF(P->readout, "readout");
        LEAF(P->axis, "time axis");
        for (s = 0; s < TRACK_ROWS; s++) {
            LEAF(P->track_label[s], "track label");
            LEAF(P->track_row[s], "track row");
        }
        for (s = 0; s < P->n_strips; s++) {
            LEAF(P->label[s], "strip label");
            LEAF(P->strip[s], "strip");
            LEAF(P->marks[s], "strip marks");
        }
    }
#undef LEAF
    return k;
}

/* ---- Inside two panels ------------------------------------------------------------- */

train_panel_box layout_train_panel(const layout *L, box b) {
    train_panel_box g;
    int pad = L->pad, fs = L->font_px[FONT_SMALL], fb = L->font_px[FONT_BOLD];
    int head_h = fb + pad, scrub_h = fs + pad + 2, leg_w;
    box in = box_inset(b, pad / 2 + 1);
    g.head = (box){ in.x, in.y, in.w, head_h };
    g.scrub_text = (box){ in.x, in.y + in.h - scrub_h, in.w, scrub_h };
    g.scrub = (box){ in.x, g.scrub_text.y - (fs / 2 + 6), in.w, fs / 2 + 6 };
    leg_w = (int)lround(in.w * 0.36);
    if (leg_w > fs * 16) leg_w = fs * 16;
    g.legend = (box){ in.x + in.w - leg_w, g.head.y + g.head.h, leg_w, g.scrub.y - pad / 2 - g.head.y - g.head.h };
    /* the plot leaves room on its left for the axis labels */
    {
        int lab = fs * 3 + pad / 2;
        g.plot = (box){ in.x + lab, g.head.y + g.head.h + fs / 2, in.w - leg_w - lab - pad,
                        g.legend.h - fs / 2 - fs - 4 };
    }
    return g;
}

lesson_list_box layout_lesson_list(const layout *L, int n) {
    lesson_list_box g;
    int maxh, head_h, foot_h;
    memset(&g, 0, sizeof g);
    g.row_h = (int)(L->font_px[FONT_BODY] * 2.2);
    head_h = L->font_px[FONT_TITLE] * 2 + L->pad;
    foot_h = L->font_px[FONT_SMALL] * 2 + L->pad;
    g.panel.w = L->w * 3 / 5;
    if (g.panel.w < 300 && L->w >= 320) g.panel.w = L->w - 20;
    maxh = L->h - 2 * L->topbar.h;
    g.rows = n;
    if (head_h + foot_h + g.rows * g.row_h + 2 * L->pad > maxh)
        g.rows = (maxh - head_h - foot_h - 2 * L->pad) / g.row_h;
    if (g.rows < 0) g.rows = 0;
    g.panel.h = head_h + foot_h + (g.rows > 0 ? g.rows : 1) * g.row_h + 2 * L->pad;
    g.panel.x = (L->w - g.panel.w) / 2;
    g.panel.y = (L->h - g.panel.h) / 2;
    g.x = g.panel.x + 2 * L->pad;
    g.w = g.panel.w - 4 * L->pad;
    g.head = (box){ g.x, g.panel.y + L->pad, g.w, head_h };
    g.y0 = g.head.y + head_h;
    g.foot = (box){ g.x, g.panel.y + g.panel.h - L->pad - foot_h, g.w, foot_h };
    return g;
}

int layout_lesson_list_row(const lesson_list_box *g, int x, int y) {
    int r;
    if (x < g->x || x >= g->x + g->w || y < g->y0) return -1;
    r = (y - g->y0) / g->row_h;
    return r < g->rows ? r : -1;
}
