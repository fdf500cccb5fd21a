/* view_cell.c — the cell diagram, built from the variant table (gate roles, state
 * count, candidate and output symbols, peepholes, linear candidate or output, coupled
 * gates, gate recurrence), never painted per variant.  The state line runs along the top; the forget (or GRU update)
 * gate is a valve on it; the candidate is written up through the write valve into the
 * sum; the read gate sits where the variant reads (before the candidate for the
 * prototype family and the GRUs, after the state for the LSTMs).  Each valve's opening
 * is the focused unit's activation at the cursor; the ring around it shows every
 * unit.  A gate the variant removes has no valve; a clamped gate wears a padlock. */
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI_F 3.14159265f

typedef struct dgeom {
    box b;
    float xl, xr;                   /* ends of the lines (labels outside) */
    float ytop, ywrite, ycand, ybot, yin;
    float x_tap, x_keep, x_add, x_norm, x_out;
    float R, pipe, cw, ch;          /* valve radius, pipe width, candidate block */
    box norm_box;                   /* the normalisation's box on the state line (norm) */
    int norm_label;                 /* which of norm_labels fits in it */
    int g_keep, g_write, g_read;    /* gate index per role, -1 none */
    int keep_is_update;             /* GRU: the write valve opens 1 - z */
    int keep_inv;                   /* cifg: the keep valve opens 1 - i (g_keep = i) */
    int two, has_cand, norm, phi_read, phi_out, peep;
    int phi_cand, phi_h, gate_rec;  /* φ on the candidate; on h (two states); gates read gates */
} dgeom;

static int measure(const app_state *st, font_id f, const char *s) {
    return st->measure ? st->measure(st->measure_ud, f, s) : (int)strlen(s) * st->L.font_px[f] / 2;
}

/* The normalisation's label, longest first. */
static const char *const norm_labels[3] = { "\xc3\xb7\xe2\x88\x9a(Var+1)", "norm", "\xc3\xb7" };

static void geom(const app_state *st, int pane, box b, dgeom *g) {
    const gs_variant_info *vi = state_variant(st, pane);
    int k, lm, rm;
    float w, h;
    memset(g, 0, sizeof *g);
    /* a wide pane (one or two shown): keep the diagram's proportions, centred */
    if (b.w > b.h * 3) {
        int w2 = b.h * 3;
        b.x += (b.w - w2) / 2;
        b.w = w2;
    }
    g->b = b;
    g->g_keep = g->g_write = g->g_read = -1;
    if (!vi) return;
    for (k = 0; k < vi->n_gates; k++) {
        switch (vi->gates[k].role) {
        case GS_ROLE_FORGET: g->g_keep = k; break;
        case GS_ROLE_UPDATE: g->g_keep = g->g_write = k; g->keep_is_update = 1; break;
        case GS_ROLE_WRITE: g->g_write = k; break;
        case GS_ROLE_READ:
        case GS_ROLE_RESET: g->g_read = k; break;
        }
    }
    if (vi->coupled && g->g_keep < 0) { /* cifg: one gate sets both valves */
        g->g_keep = g->g_write;
        g->keep_inv = 1;
    }
    g->two = vi->n_states == 2;
    g->has_cand = vi->cand_display != NULL;
    g->phi_cand = !vi->cand_linear;
    g->phi_h = g->two && !vi->out_linear;
    g->gate_rec = vi->gate_recurrence;
    /* a bounded single state with a forget gate is held in by a normalisation */
    g->norm = !g->two && vi->bounded && g->g_keep >= 0 && !g->keep_is_update;
    /* "φ(s_t)" as the output: the state is squashed where it is read */
    g->phi_out = !g->two && strncmp(vi->output_display, "\xcf\x86", 2) == 0;
    g->phi_read = g->phi_out;
    g->peep = vi->peepholes;

    lm = measure(st, FONT_MATH, g->two ? "h" : "s") + measure(st, FONT_SUB, "t\xe2\x88\x92" "1") + st->L.pad;
    /* the right labels sit past the arrow head (two pipe widths; pipe <= 0.034 h) */
    rm = measure(st, FONT_MATH, g->phi_out ? "\xcf\x86(s)" : "s") + measure(st, FONT_SUB, "t") + st->L.pad +
         (int)(b.h * 0.07f) + 2;
    g->xl = (float)(b.x + lm);
    g->xr = (float)(b.x + b.w - rm);
    w = g->xr - g->xl;
    h = (float)b.h;
    g->R = fminf(h * 0.105f, w * 0.075f);
    if (g->R < 6) g->R = 6;
    g->pipe = fmaxf(3.0f, g->R * 0.32f);
    /* the keep valve's label sits above it, inside the box */
    g->ytop = b.y + fmaxf(h * 0.2f, g->R + 3 + (float)st->L.font_px[FONT_BODY]);
    g->ywrite = b.y + h * 0.45f;
    g->ycand = b.y + h * 0.66f;
    g->ybot = b.y + h * 0.86f;
    g->yin = (float)(b.y + b.h);
    g->cw = fmaxf(g->R * 2.6f, (float)measure(st, FONT_BODY, "\xcf\x86(\xc2\xb7)") + 8);
    g->ch = g->R * 1.5f;
    g->x_tap = g->xl + w * 0.08f;
    g->x_keep = g->xl + w * 0.30f;
    g->x_add = g->xl + w * 0.54f;
    if (g->norm) { /* room for the normalisation between the sum and the output */
        g->x_keep = g->xl + w * 0.24f;
        g->x_add = g->xl + w * 0.44f;
    }
    g->x_norm = g->xl + w * 0.69f;
    g->x_out = g->xl + w * (g->norm ? 0.93f : 0.84f);
    if (g->norm) { /* the longest label that fits between the + node and the output */
        float lo = g->x_add + g->R * 0.55f + 3, hi = g->x_out - g->pipe - 3;
        int fh = (int)lround(st->L.font_px[FONT_SMALL] * 1.2), lw = 0;
        for (k = 0; k < 3; k++)
            if ((lw = measure(st, FONT_SMALL, norm_labels[k]) + 8) <= hi - lo || k == 2) break;
        g->norm_label = k;
        g->x_norm = fminf(fmaxf(g->x_norm, lo + lw * 0.5f), hi - lw * 0.5f);
        g->norm_box = (box){ (int)lroundf(g->x_norm - lw * 0.5f), (int)lroundf(g->ytop - fh * 0.5f - 2), lw, fh + 4 };
    }
}

/* ---- Values ----------------------------------------------------------------------- */

static const gs_real *vals(const app_state *st, int pane, gs_quantity q, int index, int t, int *len) {
    const gs_seq *s = state_seq(st, pane);
    *len = 0;
    if (!s || t < 1 || t > st->cursor || st->engine_steps != st->cursor) return NULL;
    return gs_seq_values(s, q, index, t, 0, len);
}

static double focus_val(const app_state *st, int pane, gs_quantity q, int index) {
    int len, pp, u;
    const gs_real *v = vals(st, pane, q, index, state_focus_step(st), &len);
    state_focus(st, &pp, &u);
    if (!v || u >= len) return (double)NAN;
    return (double)v[u];
}

/* ---- Pieces ----------------------------------------------------------------------- */

static void pipe(render_ctx *rc, float x0, float y0, float x1, float y1, float w, cm_rgb c) {
    render_line(rc, x0, y0, x1, y1, w, c, 255);
    if (w >= 3) { /* square-ish joints */
        render_disc(rc, x0, y0, w * 0.5f, c, 255);
        render_disc(rc, x1, y1, w * 0.5f, c, 255);
    }
}

/* ---- Labels: drawn after the shapes, most important first, none over another -------- */

enum { LAB_MAX = 40, LAB_ALTS = 3 };

typedef struct label {
    int prio;                 /* lower goes first */
    int must;                 /* drawn even over another (terminals, what sits in a shape) */
    font_id f;
    int math;                 /* render_math: sub- and superscripts */
    char s[LAB_ALTS][64];     /* the text, then shorter forms to try ("" ends) */
    int x, y, align;
    cm_rgb c;
} label;

typedef struct labels {
    label l[LAB_MAX];
    int n;
} labels;

static label *lab_add(labels *q, int prio, int must, font_id f, int math, const char *s, int x, int y, int align,
                      cm_rgb c) {
    label *l;
    if (q->n >= LAB_MAX) return NULL;
    l = &q->l[q->n++];
    memset(l, 0, sizeof *l);
    l->prio = prio;
    l->must = must;
    l->f = f;
    l->math = math;
    snprintf(l->s[0], sizeof l->s[0], "%s", s);
    l->x = x;
    l->y = y;
    l->align = align;
    l->c = c;
    return l;
}

static box lab_ink(render_ctx *rc, const label *l, int k) {
    return l->math ? render_math_ink(rc, l->f, l->s[k], l->x, l->y, l->align)
                   : render_text_ink(rc, l->f, l->s[k], l->x, l->y, l->align);
}

/* Place and draw the labels by priority: each takes the first of its forms whose ink
 * meets none placed before it (must-labels take their first form regardless). */
static void lab_draw(render_ctx *rc, labels *q) {
    box placed[LAB_MAX];
    int np = 0, done[LAB_MAX] = { 0 };
    for (int round = 0; round < q->n; round++) {
        int best = -1, i, k, j;
        for (i = 0; i < q->n; i++)
            if (!done[i] && (best < 0 || q->l[i].prio < q->l[best].prio)) best = i;
        if (best < 0) break;
        done[best] = 1;
        for (k = 0; k < LAB_ALTS && q->l[best].s[k][0]; k++) {
            box b = lab_ink(rc, &q->l[best], k);
            int free = 1;
            for (j = 0; j < np && free; j++) free = !box_overlap(b, placed[j]);
            if (free || q->l[best].must) {
                const label *l = &q->l[best];
                if (l->math) render_math(rc, l->f, l->s[k], l->x, l->y, l->c, l->align);
                else render_text(rc, l->f, l->s[k], l->x, l->y, l->c, l->align);
                placed[np++] = b;
                break;
            }
        }
    }
}

/* A padlock at (x, y), h tall: a clamped gate. */
static void padlock(render_ctx *rc, float x, float y, float h, cm_rgb c, cm_rgb bg) {
    float w = h * 0.8f, bh = h * 0.55f, r = w * 0.3f;
    render_ring(rc, x, y - bh * 0.5f, r, fmaxf(1.5f, h * 0.13f), c, 255);
    render_round(rc, (box){ (int)(x - w / 2), (int)(y - bh * 0.5f), (int)w, (int)bh }, 2, c, 255);
    render_disc(rc, x, y - bh * 0.5f + bh * 0.45f, fmaxf(1.0f, h * 0.08f), bg, 255);
}

/* A valve at (x, y) on a horizontal (vertical = 0) or vertical path, opening as gate
 * `gate` does (invert: as 1 − gate).  Its slot is the focused unit's opening (none
 * before the first step); the ring every unit's.  A clamp shows as a padlock with
 * the clamped value, a thick outline when the focused unit is clamped, and ticks
 * outside the ring at each clamped unit. */
static void valve(render_ctx *rc, const app_state *st, int pane, const dgeom *g, labels *q,
                  float x, float y, int vertical, int gate, int invert, const char *sym, int label_side, int hovered) {
    const cm_theme *th = state_theme(st);
    const gs_seq *s = state_seq(st, pane);
    const gs_model *m = s ? gs_seq_model(s) : NULL;
    float R = g->R, ring = fmaxf(2.0f, R * 0.22f);
    int i, pp, u, n = 0, n_clamped = 0, t = state_focus_step(st);
    const gs_real *all = vals(st, pane, GS_Q_GATE, gate, t, &n);
    double value = focus_val(st, pane, GS_Q_GATE, gate), cv = (double)NAN;
    int focus_clamped;
    char num[32], lab[48];
    state_focus(st, &pp, &u);
    focus_clamped = m && gs_model_gate_clamped(m, gate, u, &cv);
    if (invert && isfinite(cv)) cv = 1.0 - cv;
    render_disc(rc, x, y, R, th->panel_alt, 255);
    /* ring: every unit's activation, the focused one marked */
    if (all && n > 0) {
        float a0 = -PI_F / 2, da = 2 * PI_F / (float)n, gap = n <= 32 ? da * 0.12f : 0;
        for (i = 0; i < n; i++) {
            double v = (double)all[i];
            cm_rgb c;
            if (invert && isfinite(v)) v = 1.0 - v;
            c = cm_sequential(st->palette, v);
            render_arc(rc, x, y, R - ring * 0.5f, ring, a0 + i * da + gap * 0.5f, a0 + (i + 1) * da - gap * 0.5f, c, 255);
        }
        if (u < n)
            render_arc(rc, x, y, R + ring * 0.35f, ring * 0.5f, a0 + u * da, a0 + (u + 1) * da, th->text, 255);
    } else {
        render_ring(rc, x, y, R - ring * 0.5f, ring, th->empty, 255);
    }
    /* clamped units: ticks just outside the ring */
    if (m && gs_model_clamp_count(m) > 0) {
        int units = gs_model_config_of(m)->n_hidden;
        float a0 = -PI_F / 2, da = 2 * PI_F / (float)units;
        for (i = 0; i < units; i++) {
            if (!gs_model_gate_clamped(m, gate, i, NULL)) continue;
            n_clamped++;
            render_arc(rc, x, y, R + ring * 1.1f, ring * 0.45f, a0 + i * da + da * 0.2f, a0 + (i + 1) * da - da * 0.2f,
                       th->accent, 255);
        }
    }
    render_ring(rc, x, y, R, focus_clamped ? fmaxf(2.5f, R * 0.14f) : 1.2f,
                focus_clamped ? th->accent : hovered ? th->accent : th->border, 255);
    /* the opening: a slot across the flow, as long as the activation */
    {
        float inner = R - ring - 1.5f, len;
        double v = value;
        if (invert && isfinite(v)) v = 1.0 - v;
        if (isfinite(v)) {
            cm_rgb c = cm_sequential(st->palette, v);
            len = (float)(2.0 * (double)inner * (v < 0 ? 0 : v > 1 ? 1 : v));
            if (len < 1) len = 1;
            if (vertical)
                render_fill(rc, (box){ (int)(x - len / 2), (int)(y - g->pipe / 2), (int)len, (int)fmaxf(2, g->pipe) }, c);
            else
                render_fill(rc, (box){ (int)(x - g->pipe / 2), (int)(y - len / 2), (int)fmaxf(2, g->pipe), (int)len }, c);
        }
    }
    if (n_clamped > 0) { /* the padlock on a disc, on the side away from the label */
        float ph = fmaxf(9.0f, R * 0.8f), px = x + (label_side == 3 ? -1.05f : 1.05f) * R;
        float py = y + (label_side == 0 ? 1.0f : -0.95f) * R;
        render_disc(rc, px, py - ph * 0.15f, ph * 0.72f, th->panel, 255);
        padlock(rc, px, py, ph, focus_clamped ? th->accent : th->text, th->panel);
    }
    /* the label: symbol and the focused value ("=1" when clamped) */
    {
        double v = value;
        int fh = render_font_height(rc, FONT_BODY), sh = render_font_height(rc, FONT_SMALL);
        if (invert && isfinite(v)) v = 1.0 - v;
        if (focus_clamped) snprintf(num, sizeof num, "=%g", cv);
        else if (isfinite(v)) fmt_short(num, sizeof num, v);
        else snprintf(num, sizeof num, "\xe2\x80\x93");
        snprintf(lab, sizeof lab, "%s", sym);
        /* the symbol before the value: a value that would cover something is left out
           (the tooltip has it) */
        switch (label_side) {
        case 0: { /* above */
            lab_add(q, 2, 0, FONT_BODY, 1, lab, (int)x - 3, (int)(y - R - 2), AL_RIGHT | AL_BOTTOM, th->text);
            lab_add(q, 6, 0, FONT_SMALL, 0, num, (int)x + 3, (int)(y - R - 2), AL_LEFT | AL_BOTTOM, focus_clamped ? th->accent : th->text_dim);
            break;
        }
        case 1: /* left */
            lab_add(q, 2, 0, FONT_BODY, 1, lab, (int)(x - R - 4), (int)y - sh / 2, AL_RIGHT | AL_MIDDLE, th->text);
            lab_add(q, 6, 0, FONT_SMALL, 0, num, (int)(x - R - 4), (int)y + fh / 2, AL_RIGHT | AL_MIDDLE, focus_clamped ? th->accent : th->text_dim);
            break;
        case 3: /* right */
            lab_add(q, 2, 0, FONT_BODY, 1, lab, (int)(x + R + 4), (int)y - sh / 2, AL_LEFT | AL_MIDDLE, th->text);
            lab_add(q, 6, 0, FONT_SMALL, 0, num, (int)(x + R + 4), (int)y + fh / 2, AL_LEFT | AL_MIDDLE, focus_clamped ? th->accent : th->text_dim);
            break;
        default: /* below */
            lab_add(q, 2, 0, FONT_BODY, 1, lab, (int)x - 3, (int)(y + R + 1), AL_RIGHT | AL_TOP, th->text);
            lab_add(q, 6, 0, FONT_SMALL, 0, num, (int)x + 3, (int)(y + R + 1) + (fh - sh) / 2, AL_LEFT | AL_TOP,
                    focus_clamped ? th->accent : th->text_dim);
            break;
        }
    }
}

static void small_op(render_ctx *rc, const app_state *st, labels *q, float x, float y, float r, const char *sym) {
    const cm_theme *th = state_theme(st);
    render_disc(rc, x, y, r, th->panel_alt, 255);
    render_ring(rc, x, y, r, 1.2f, th->text_dim, 255);
    lab_add(q, 1, 1, FONT_SMALL, 0, sym, (int)x, (int)y, AL_CENTER | AL_MIDDLE, th->text);
}

/* ---- Drawing ---------------------------------------------------------------------- */

void view_cell(render_ctx *rc, const app_state *st, int pane, box b) {
    const cm_theme *th = state_theme(st);
    const gs_variant_info *vi = state_variant(st, pane);
    dgeom g;
    cm_rgb line, bus;
    int t = state_focus_step(st), hp = st->hover.kind == HOV_DIAGRAM && st->hover.pane == pane ? st->hover.part : PART_NONE;
    char lab[64];
    float sub_r;
    labels q;
    q.n = 0;
    if (!vi || b.w < 40 || b.h < 40) return;
    geom(st, pane, b, &g);
    line = cm_variant_colour(st->palette, st->theme, (int)vi->id);
    bus = th->text_dim;
    sub_r = g.R * 0.55f;

    /* the input bus: what the gates and the candidate read */
    if (g.two) {
        pipe(rc, g.xl, g.ybot, g.x_add - g.cw * 0.25f, g.ybot, 2.0f, bus);
        pipe(rc, g.x_add - g.cw * 0.25f, g.ybot, g.x_add - g.cw * 0.25f, g.ycand + g.ch / 2, 2.0f, bus);
    } else {
        pipe(rc, g.x_tap, g.ytop, g.x_tap, g.ybot, 2.0f, bus);
        pipe(rc, g.x_tap, g.ybot, g.x_add - g.cw * 0.25f, g.ybot, 2.0f, bus);
        pipe(rc, g.x_add - g.cw * 0.25f, g.ybot, g.x_add - g.cw * 0.25f, g.ycand + g.ch / 2, 2.0f, bus);
    }
    render_arrowhead(rc, g.x_add - g.cw * 0.25f, g.ycand + g.ch / 2 + 1, 0, -1, 6, bus);
    /* x_t from below */
    pipe(rc, g.x_add + g.cw * 0.25f, g.yin - render_font_height(rc, FONT_SUB) * 0.2f, g.x_add + g.cw * 0.25f,
         g.ycand + g.ch / 2, 2.0f, bus);
    render_arrowhead(rc, g.x_add + g.cw * 0.25f, g.ycand + g.ch / 2 + 1, 0, -1, 6, bus);
    /* its subscript hangs a quarter of its height below the line: kept inside b */
    lab_add(&q, 5, 0, FONT_BODY, 1, "x_t", (int)(g.x_add + g.cw * 0.25f + 4),
            (int)g.yin - render_font_height(rc, FONT_SUB) / 4 - 1, AL_LEFT | AL_BOTTOM, th->text_dim);

    /* the state line */
    if (g.g_keep < 0 && !g.two) { /* rnn: the old state ends where it is read */
        pipe(rc, g.xl, g.ytop, g.x_tap, g.ytop, g.pipe, line);
        pipe(rc, g.x_add, g.ytop, g.xr, g.ytop, g.pipe, line);
    } else {
        pipe(rc, g.xl, g.ytop, g.xr, g.ytop, g.pipe, line);
    }
    render_arrowhead(rc, g.xr + g.pipe * 1.5f, g.ytop, 1, 0, g.pipe * 2.2f, line);
    /* the write path: candidate up into the sum */
    if (g.has_cand || g.g_keep < 0) {
        pipe(rc, g.x_add, g.ycand - g.ch / 2, g.x_add, g.ytop, g.pipe * 0.7f, line);
        if (g.g_keep >= 0 || g.two) small_op(rc, st, &q, g.x_add, g.ytop, sub_r, "+"); /* nfg adds too */
    }
    /* output */
    if (g.two) {
        float yphi = g.ytop + (g.ywrite - g.ytop) * 0.55f;
        pipe(rc, g.x_out, g.ytop, g.x_out, g.ybot, g.pipe * 0.7f, line);
        pipe(rc, g.x_out, g.ybot, g.xr, g.ybot, g.pipe * 0.7f, line);
        render_arrowhead(rc, g.xr + g.pipe, g.ybot, 1, 0, g.pipe * 1.8f, line);
        if (g.phi_h) small_op(rc, st, &q, g.x_out, yphi, sub_r, "\xcf\x86"); /* noaf reads c raw */
    } else {
        pipe(rc, g.x_out, g.ytop, g.x_out, g.ybot, 2.0f, bus);
        pipe(rc, g.x_out, g.ybot, g.xr, g.ybot, 2.0f, bus);
        render_arrowhead(rc, g.xr + 2, g.ybot, 1, 0, 6, bus);
        /* high on the output line: the candidate block may reach it lower down */
        if (g.phi_out) small_op(rc, st, &q, g.x_out, g.ytop + (g.ywrite - g.ytop) * 0.55f, sub_r, "\xcf\x86");
    }
    if (g.phi_read) small_op(rc, st, &q, g.x_tap, (g.ytop + g.ybot) * 0.5f, sub_r, "\xcf\x86");
    if (g.norm) { /* between the sum and the output, never over the + node */
        render_round(rc, g.norm_box, 4, th->panel_alt, 255);
        render_outline(rc, g.norm_box, hp == PART_NORM ? th->accent : th->border, 1);
        lab_add(&q, 1, 1, FONT_SMALL, 0, norm_labels[g.norm_label], g.norm_box.x + g.norm_box.w / 2,
                g.norm_box.y + g.norm_box.h / 2, AL_CENTER | AL_MIDDLE, th->text);
    }

    /* the candidate block */
    {
        box cb = { (int)(g.x_add - g.cw / 2), (int)(g.ycand - g.ch / 2), (int)g.cw, (int)g.ch };
        double cv = g.has_cand ? focus_val(st, pane, GS_Q_CAND, 0) : focus_val(st, pane, GS_Q_STATE, 0);
        render_round(rc, cb, 5, th->panel_alt, 255);
        if (isfinite(cv)) {
            box sw = { cb.x + 3, cb.y + 3, 5, cb.h - 6 };
            render_fill(rc, sw, cm_diverging(st->palette, cv < -1 ? -1 : cv > 1 ? 1 : cv));
        }
        render_outline(rc, cb, hp == PART_CAND ? th->accent : th->border, 1);
        /* φ(·), or for niaf's linear block input the sum alone */
        lab_add(&q, 1, 1, FONT_BODY, 0, g.phi_cand ? "\xcf\x86(\xc2\xb7)" : "\xce\xa3", cb.x + cb.w / 2 + 3,
                cb.y + cb.h / 2, AL_CENTER | AL_MIDDLE, th->text);
        if (g.has_cand) lab_add(&q, 4, 0, FONT_BODY, 1, vi->cand_display, cb.x + cb.w + 4, cb.y - 1, AL_LEFT | AL_TOP, th->text_dim);
    }

    /* peepholes: the gates see c */
    if (g.peep) {
        float yv = g.ywrite;
        if (g.g_write >= 0) render_dashed(rc, g.x_add - g.R * 1.8f, g.ytop, g.x_add - g.R * 0.9f, yv - g.R * 0.4f, 1.2f, 3, bus, 200);
        if (g.g_read >= 0) render_dashed(rc, g.x_out + g.R * 1.6f, g.ytop, g.x_out + g.R * 0.9f, yv + g.R * 0.6f, 1.2f, 3, bus, 200);
        if (g.g_keep >= 0 && !g.keep_inv) /* cifg's keep valve is i's: no p_f */
            render_dashed(rc, g.x_keep - g.R * 1.8f, g.ytop, g.x_keep - g.R * 0.9f, g.ytop + g.R * 0.8f, 1.2f, 3, bus, 200);
    }
    /* fgr: every gate also reads the gates of the step before (G_<gate><source>): a
       dashed loop through the three valves, marked with the delay */
    if (g.gate_rec && g.g_keep >= 0 && g.g_write >= 0 && g.g_read >= 0) {
        float yr = g.ywrite + (g.ybot - g.ywrite) * 0.35f, yl = g.ytop + (g.ywrite - g.ytop) * 0.55f;
        float xk = g.x_keep + g.R * 0.7f, xw = g.x_add - g.R * 0.75f, xo = g.x_out - g.R * 0.75f;
        cm_rgb gc = th->text_dim;
        render_dashed(rc, g.x_keep, g.ytop + g.R, xk, yl, 1.6f, 2, gc, 255);
        render_dashed(rc, xk, yl, xw, g.ywrite - g.R * 0.4f, 1.6f, 2, gc, 255);
        render_dashed(rc, g.x_add + g.R * 0.75f, g.ywrite + g.R * 0.4f, xo, yr + g.R * 0.2f, 1.6f, 2, gc, 255);
        {
            /* its name, under the state line left of the keep valve, where it fits */
            static const char *const gl = "G (i,f,o)_{t\xe2\x88\x92" "1}";
            int right = (int)(g.x_keep - g.R * 0.9f);
            if (right - render_math_width(rc, FONT_SUB, gl) >= b.x + 2)
                render_math(rc, FONT_SUB, gl, right, (int)(g.ytop + g.R * 1.3f), gc, AL_RIGHT | AL_TOP);
        }
    }

    /* the step the diagram shows, at the top left ("∂ step 50" while walking back),
       shorter or not at all where it would meet a label (the top bar, the time axis
       and the readout say it too) */
    if (t >= 1) {
        int back = st->back_active && state_grad_shown(st, pane, t);
        label *l = lab_add(&q, 7, 0, FONT_SMALL, 0, "", b.x + 2, b.y + 1, AL_LEFT | AL_TOP,
                           back ? th->backward : th->text_dim);
        if (l) {
            snprintf(l->s[0], sizeof l->s[0], back ? "\xe2\x88\x82 step %d" : "step %d", t);
            snprintf(l->s[1], sizeof l->s[1], back ? "\xe2\x88\x82 %d" : "%d", t);
        }
    }

    /* valves: the keep valve on the state line, the write valve under the sum, the read
       valve where the variant reads; each only if the variant has its gate */
    if (g.g_keep >= 0) {
        if (g.keep_inv) snprintf(lab, sizeof lab, "1\xe2\x88\x92%s", vi->gates[g.g_keep].symbol);
        else snprintf(lab, sizeof lab, "%s", vi->gates[g.g_keep].symbol);
        valve(rc, st, pane, &g, &q, g.x_keep, g.ytop, 0, g.g_keep, g.keep_inv, lab, 0,
              hp == (g.keep_inv ? PART_GATE_INV0 : PART_GATE0) + g.g_keep);
    }
    if (g.g_write >= 0) {
        snprintf(lab, sizeof lab, g.keep_is_update ? "1\xe2\x88\x92%s" : "%s", vi->gates[g.g_write].symbol);
        valve(rc, st, pane, &g, &q, g.x_add, g.ywrite, 1, g.g_write, g.keep_is_update, lab, 1,
              hp == (g.keep_is_update ? PART_GATE_INV0 : PART_GATE0) + g.g_write);
    }
    if (g.g_read >= 0) {
        if (g.two)
            valve(rc, st, pane, &g, &q, g.x_out, g.ywrite + (g.ybot - g.ywrite) * 0.35f, 1, g.g_read, 0,
                  vi->gates[g.g_read].symbol, 3, hp == PART_GATE0 + g.g_read);
        else
            valve(rc, st, pane, &g, &q, g.x_keep, g.ybot, 0, g.g_read, 0, vi->gates[g.g_read].symbol, 1,
                  hp == PART_GATE0 + g.g_read);
    }

    /* walking the backward pass: the gradient runs back along the state line, through
       the forget valve (or, for rnn, through the whole cell) */
    if (st->back_active && state_grad_shown(st, pane, t)) {
        float y = g.ytop, x0 = g.xr - 2, x1 = g.xl + 2, w = fmaxf(1.5f, g.pipe * 0.35f);
        render_dashed(rc, x0, y, x1, y, w, g.pipe * 1.2f, th->backward, 255);
        render_arrowhead(rc, x1 - 2, y, -1, 0, g.pipe * 2.0f, th->backward);
    }

    /* terminals */
    {
        const char *s0 = vi->state_symbols[0];
        cm_rgb c0 = hp == PART_STATE_IN ? th->accent : th->text, c1 = hp == PART_STATE_OUT ? th->accent : th->text;
        snprintf(lab, sizeof lab, "%s_{t\xe2\x88\x92" "1}", s0);
        lab_add(&q, 0, 1, FONT_MATH, 1, lab, (int)g.xl - 4, (int)g.ytop, AL_RIGHT | AL_MIDDLE, c0);
        snprintf(lab, sizeof lab, "%s_t", s0);
        lab_add(&q, 0, 1, FONT_MATH, 1, lab, (int)(g.xr + g.pipe * 2 + 2), (int)g.ytop, AL_LEFT | AL_MIDDLE, c1);
        if (g.two) {
            snprintf(lab, sizeof lab, "%s_{t\xe2\x88\x92" "1}", vi->state_symbols[1]);
            lab_add(&q, 0, 1, FONT_MATH, 1, lab, (int)g.xl - 4, (int)g.ybot, AL_RIGHT | AL_MIDDLE,
                    hp == PART_H_IN ? th->accent : th->text);
            snprintf(lab, sizeof lab, "%s_t", vi->state_symbols[1]);
            lab_add(&q, 0, 1, FONT_MATH, 1, lab, (int)(g.xr + g.pipe * 2 + 2), (int)g.ybot, AL_LEFT | AL_MIDDLE,
                    hp == PART_H_OUT ? th->accent : th->text);
        } else {
            lab_add(&q, 0, 1, FONT_BODY, 1, vi->output_display, (int)(g.xr + 8), (int)g.ybot, AL_LEFT | AL_MIDDLE,
                    hp == PART_OUT ? th->accent : th->text_dim);
        }
    }
    lab_draw(rc, &q);
}

/* ---- Hit testing ------------------------------------------------------------------ */

static int near(float x, float y, float px, float py, float r) {
    return (x - px) * (x - px) + (y - py) * (y - py) <= r * r;
}

int view_cell_part_at(const app_state *st, int pane, box b, int x, int y) {
    const gs_variant_info *vi = state_variant(st, pane);
    dgeom g;
    float fx = (float)x, fy = (float)y, r;
    if (!vi) return PART_NONE;
    geom(st, pane, b, &g);
    r = g.R * 1.15f;
    if (g.g_keep >= 0 && near(fx, fy, g.x_keep, g.ytop, r))
        return (g.keep_inv ? PART_GATE_INV0 : PART_GATE0) + g.g_keep;
    if (g.g_write >= 0 && near(fx, fy, g.x_add, g.ywrite, r))
        return (g.keep_is_update ? PART_GATE_INV0 : PART_GATE0) + g.g_write;
    if (g.g_read >= 0) {
        if (g.two && near(fx, fy, g.x_out, g.ywrite + (g.ybot - g.ywrite) * 0.35f, r)) return PART_GATE0 + g.g_read;
        if (!g.two && near(fx, fy, g.x_keep, g.ybot, r)) return PART_GATE0 + g.g_read;
    }
    if (fabsf(fx - g.x_add) <= g.cw / 2 && fabsf(fy - g.ycand) <= g.ch / 2) return PART_CAND;
    if (g.norm && box_contains(box_inset(g.norm_box, -2), x, y)) return PART_NORM;
    if (fx < g.xl && fabsf(fy - g.ytop) < g.R) return PART_STATE_IN;
    if (fx > g.xr && fabsf(fy - g.ytop) < g.R) return PART_STATE_OUT;
    if (g.two && fx < g.xl && fabsf(fy - g.ybot) < g.R) return PART_H_IN;
    if (g.two && fx > g.xr && fabsf(fy - g.ybot) < g.R) return PART_H_OUT;
    if (!g.two && fx > g.xr && fabsf(fy - g.ybot) < g.R) return PART_OUT;
    if (fabsf(fx - (g.x_add + g.cw * 0.25f)) < g.R && fy > g.ycand + g.ch / 2) return PART_INPUT;
    return PART_NONE;
}
