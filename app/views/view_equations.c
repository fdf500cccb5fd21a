/* view_equations.c — the selected variant's equations in the diagram's symbols (as in
 * shared/design/variants.md), each followed by the focused unit's numbers at the
 * cursor step.  Every number is an engine value; the panel only places them. */
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef enum eq_kind {
    EQ_GATE,     /* a = gate index: "→ value" */
    EQ_CAND,     /* "→ candidate" */
    EQ_STATE,    /* "→ state a" */
    EQ_SUM,      /* keep ⊙ old + write ⊙ cand: a = keep gate, b = write gate */
    EQ_GRU_SUM,  /* z ⊙ old + (1 − z) ⊙ cand: a = z */
    EQ_H,        /* o ⊙ φ(c): a = o */
    EQ_OUT,      /* out = φ(s) */
    EQ_READOUT,  /* y = V out + c: the readout's outputs */
    EQ_LINE      /* a line without numbers */
} eq_kind;

typedef struct eq {
    const char *tex; /* markup for render_math */
    eq_kind kind;
    int a, b;
} eq;

#define SM "s_{t\xe2\x88\x92" "1}"
#define HM "h_{t\xe2\x88\x92" "1}"
#define CM "c_{t\xe2\x88\x92" "1}"
#define ST "s\xcc\x83_t"
#define CT "c\xcc\x83_t"
#define SIG "\xcf\x83"
#define PHI "\xcf\x86"
#define OD " \xe2\x8a\x99 "

/* The index of vi's gate with this role, or -1 (nig has no write gate, nfg no forget
 * gate). */
static int role_gate(const gs_variant_info *vi, gs_gate_role role) {
    for (int g = 0; vi && g < vi->n_gates; g++)
        if (vi->gates[g].role == role) return g;
    return -1;
}

/* Greff's ablations: one line per equation of the variant table, in the order the step
 * computes them, each numbered by what it defines: a gate, c̃_t, c_t or h_t. */
static int table_equations(const gs_variant_info *vi, eq *out) {
    int n = 0;
    for (int i = 0; i < GS_MAX_EQUATIONS && vi->equations[i]; i++) {
        const char *e = vi->equations[i], *is = strstr(e, " = ");
        size_t lhs = is ? (size_t)(is - e) : 0;
        eq *q = &out[n++];
        q->tex = e;
        q->kind = EQ_LINE;
        q->a = q->b = 0;
        if (lhs == 3 && !strncmp(e + 1, "_t", 2)) {
            for (int g = 0; g < vi->n_gates; g++)
                if (vi->gates[g].symbol[0] == e[0] && !vi->gates[g].symbol[1]) {
                    q->kind = EQ_GATE;
                    q->a = g;
                }
            if (e[0] == 'c') {
                q->kind = EQ_SUM; /* keep ⊙ old + write ⊙ candidate */
                q->a = role_gate(vi, GS_ROLE_FORGET);
            } else if (e[0] == 'h') {
                q->kind = EQ_H;
                q->a = role_gate(vi, GS_ROLE_READ);
            }
        } else if (lhs == strlen(CT) && !strncmp(e, CT, lhs)) {
            q->kind = EQ_CAND;
        }
    }
    return n;
}

/* Gates are listed in each variant's gs_variant_info.gates order. */
static int equations_of(const gs_variant_info *vi, eq *out) {
    gs_variant v = vi->id;
    int n = 0;
#define E(t, k, x, y) (out[n].tex = (t), out[n].kind = (k), out[n].a = (x), out[n].b = (y), n++)
    switch (v) {
    case GS_RNN:
        E("s_t = " PHI "(W " SM " + U x_t + b)", EQ_STATE, 0, 0);
        break;
    case GS_PROTO:
    case GS_NORM:
        E("i_t = " SIG "(W_i " SM " + U_i x_t + b_i)", EQ_GATE, 0, 0);
        E("o_t = " SIG "(W_o " SM " + U_o x_t + b_o)", EQ_GATE, 1, 0);
        E("f_t = " SIG "(W_f " SM " + U_f x_t + b_f)", EQ_GATE, 2, 0);
        E(ST " = " PHI "(W (o_t" OD SM ") + U x_t + b)", EQ_CAND, 0, 0);
        if (v == GS_PROTO) {
            E("s_t = f_t" OD SM " + i_t" OD ST, EQ_SUM, 2, 0);
        } else {
            E("u_t = f_t" OD SM " + i_t" OD ST, EQ_SUM, 2, -1);
            E("s_t = u_t / \xe2\x88\x9a(Var(u_t) + 1)", EQ_STATE, 0, 0);
        }
        break;
    case GS_GRU:
        E("r_t = " SIG "(W_r " SM " + U_r x_t + b_r)", EQ_GATE, 0, 0);
        E("z_t = " SIG "(W_z " SM " + U_z x_t + b_z)", EQ_GATE, 1, 0);
        E(ST " = " PHI "(W (r_t" OD SM ") + U x_t + b)", EQ_CAND, 0, 0);
        E("s_t = z_t" OD SM " + (1 \xe2\x88\x92 z_t)" OD ST, EQ_GRU_SUM, 1, 0);
        break;
    case GS_GRU_RA:
        E("r_t = " SIG "(W_r " SM " + b_{hr} + U_r x_t + b_{ir})", EQ_GATE, 0, 0);
        E("z_t = " SIG "(W_z " SM " + b_{hz} + U_z x_t + b_{iz})", EQ_GATE, 1, 0);
        E("n_t = " PHI "(U_n x_t + b_{in} + r_t" OD "(W_n " SM " + b_{hn}))", EQ_CAND, 0, 0);
        E("s_t = (1 \xe2\x88\x92 z_t)" OD "n_t + z_t" OD SM, EQ_GRU_SUM, 1, 0);
        break;
    case GS_PSEUDO:
        E("i_t = " SIG "(W_i " PHI "(" SM ") + U_i x_t + b_i)", EQ_GATE, 0, 0);
        E("o_t = " SIG "(W_o " PHI "(" SM ") + U_o x_t + b_o)", EQ_GATE, 1, 0);
        E("f_t = " SIG "(W_f " PHI "(" SM ") + U_f x_t + b_f)", EQ_GATE, 2, 0);
        E(ST " = " PHI "(W (o_t" OD PHI "(" SM ")) + U x_t + b)", EQ_CAND, 0, 0);
        E("s_t = f_t" OD SM " + i_t" OD ST, EQ_SUM, 2, 0);
        E("out_t = " PHI "(s_t)", EQ_OUT, 0, 0);
        break;
    case GS_LSTM:
        E("i_t = " SIG "(W_i " HM " + U_i x_t + b_i)", EQ_GATE, 0, 0);
        E("f_t = " SIG "(W_f " HM " + U_f x_t + b_f)", EQ_GATE, 1, 0);
        E("o_t = " SIG "(W_o " HM " + U_o x_t + b_o)", EQ_GATE, 2, 0);
        E(CT " = " PHI "(W " HM " + U x_t + b)", EQ_CAND, 0, 0);
        E("c_t = f_t" OD CM " + i_t" OD CT, EQ_SUM, 1, 0);
        E("h_t = o_t" OD PHI "(c_t)", EQ_H, 2, 0);
        break;
    case GS_PEEPHOLE:
        E("i_t = " SIG "(W_i " HM " + U_i x_t + p_i" OD CM " + b_i)", EQ_GATE, 0, 0);
        E("f_t = " SIG "(W_f " HM " + U_f x_t + p_f" OD CM " + b_f)", EQ_GATE, 1, 0);
        E(CT " = " PHI "(W " HM " + U x_t + b)", EQ_CAND, 0, 0);
        E("c_t = f_t" OD CM " + i_t" OD CT, EQ_SUM, 1, 0);
        E("o_t = " SIG "(W_o " HM " + U_o x_t + p_o" OD "c_t + b_o)", EQ_GATE, 2, 0);
        E("h_t = o_t" OD PHI "(c_t)", EQ_H, 2, 0);
        break;
    default: n = table_equations(vi, out); break; /* Greff's ablations: the variant table's lines */
    }
    E(NULL, EQ_READOUT, 0, 0); /* text made from the variant's output symbol */
#undef E
    return n;
}

/* The focused unit's value of q at step t: 1 with it in *out, 0 when missing. */
static int value_of(const app_state *st, int pane, gs_quantity q, int index, int t, int unit, double *out) {
    const gs_seq *s = state_seq(st, pane);
    int n = 0;
    const gs_real *v = s && index >= 0 && (t >= 1 || q == GS_Q_STATE) && t <= st->cursor &&
                               st->engine_steps == st->cursor
                           ? gs_seq_values(s, q, index, t, 0, &n)
                           : NULL;
    if (!v || unit >= n) return 0;
    *out = (double)v[unit];
    return 1;
}

/* The focused unit's value of q at step t, formatted ("–" when missing). */
static void num(char *buf, size_t len, const app_state *st, int pane, gs_quantity q, int index, int t,
                int unit) {
    double v;
    if (!value_of(st, pane, q, index, t, unit, &v)) snprintf(buf, len, "\xe2\x80\x93");
    else fmt_value(buf, len, v);
}

/* A gate's factor in a product, "0.73·": gate g's value; or, when the variant has no
 * such gate, cifg's forget factor 1 − i (from the engine's i), or nothing (the gate
 * is the constant 1, as the equation shows). */
static void factor(char *buf, size_t len, const app_state *st, int pane, int g, int coupled_to, int t,
                   int unit) {
    double v;
    char n[24];
    buf[0] = '\0';
    if (g >= 0) num(n, sizeof n, st, pane, GS_Q_GATE, g, t, unit);
    else if (coupled_to < 0) return;
    else if (value_of(st, pane, GS_Q_GATE, coupled_to, t, unit, &v)) fmt_value(n, sizeof n, 1.0 - v);
    else snprintf(n, sizeof n, "\xe2\x80\x93");
    snprintf(buf, len, "%s\xc2\xb7", n);
}

static void numbers(char *buf, size_t len, const app_state *st, int pane, const eq *e, int t, int u) {
    char a[32], b[24], c[32], d[24], r[24];
    switch (e->kind) {
    case EQ_GATE:
        num(r, sizeof r, st, pane, GS_Q_GATE, e->a, t, u);
        snprintf(buf, len, "\xe2\x86\x92 %s", r);
        break;
    case EQ_CAND:
        num(r, sizeof r, st, pane, GS_Q_CAND, 0, t, u);
        snprintf(buf, len, "\xe2\x86\x92 %s", r);
        break;
    case EQ_STATE:
        num(r, sizeof r, st, pane, GS_Q_STATE, e->a, t, u);
        snprintf(buf, len, "\xe2\x86\x92 %s", r);
        break;
    case EQ_SUM: {
        const gs_variant_info *vi = state_variant(st, pane);
        int write = role_gate(vi, GS_ROLE_WRITE);
        factor(a, sizeof a, st, pane, e->a, vi && vi->coupled ? write : -1, t, u);
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t - 1, u);
        factor(c, sizeof c, st, pane, write, -1, t, u);
        num(d, sizeof d, st, pane, GS_Q_CAND, 0, t, u);
        if (e->b < 0) snprintf(buf, len, "= %s(%s) + %s(%s)", a, b, c, d);
        else {
            num(r, sizeof r, st, pane, GS_Q_STATE, 0, t, u);
            snprintf(buf, len, "= %s(%s) + %s(%s) \xe2\x86\x92 %s", a, b, c, d, r);
        }
        break;
    }
    case EQ_GRU_SUM:
        num(a, sizeof a, st, pane, GS_Q_GATE, e->a, t, u);
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t - 1, u);
        num(d, sizeof d, st, pane, GS_Q_CAND, 0, t, u);
        num(r, sizeof r, st, pane, GS_Q_STATE, 0, t, u);
        snprintf(buf, len, "z = %s, old %s, new %s \xe2\x86\x92 %s", a, b, d, r);
        break;
    case EQ_H: {
        const gs_variant_info *vi = state_variant(st, pane);
        factor(a, sizeof a, st, pane, e->a, -1, t, u);
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t, u);
        num(r, sizeof r, st, pane, GS_Q_STATE, 1, t, u);
        if (vi && vi->out_linear) snprintf(buf, len, "= %s(%s) \xe2\x86\x92 %s", a, b, r);
        else snprintf(buf, len, "= %s\xcf\x86(%s) \xe2\x86\x92 %s", a, b, r);
        break;
    }
    case EQ_OUT:
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t, u);
        num(r, sizeof r, st, pane, GS_Q_OUT, 0, t, u);
        snprintf(buf, len, "= \xcf\x86(%s) \xe2\x86\x92 %s", b, r);
        break;
    case EQ_READOUT: {
        const gs_seq *s = state_seq(st, pane);
        int k = 0, i;
        const gs_real *y = s && t >= 1 && t <= st->cursor && st->engine_steps == st->cursor
                               ? gs_seq_values(s, GS_Q_Y, 0, t, 0, &k)
                               : NULL;
        snprintf(buf, len, "\xe2\x86\x92 y =");
        for (i = 0; y && i < k && i < 3; i++) {
            fmt_value(r, sizeof r, (double)y[i]);
            snprintf(buf + strlen(buf), len - strlen(buf), " %s", r);
        }
        if (!y) snprintf(buf + strlen(buf), len - strlen(buf), " \xe2\x80\x93");
        else if (k > 3) snprintf(buf + strlen(buf), len - strlen(buf), " \xe2\x80\xa6 (%d outputs)", k);
        break;
    }
    case EQ_LINE: buf[0] = '\0'; break;
    }
}

/* fgr's gate lines in short: "… + G_{ii} i_{t−1} + G_{if} f_{t−1} + G_{io} o_{t−1} + b_i)"
 * becomes "… + G_i (i, f, o)_{t−1} + b_i)": G_i = [G_ii G_if G_io] times the previous
 * gates stacked, the same sum.
 * 0 if tex has no such terms. */
static int short_form(const char *tex, char *out, size_t len) {
    const char *g = strstr(tex, " + G_{"), *b = g ? strstr(g, " + b_") : NULL;
    if (!g || !b || !g[6]) return 0;
    snprintf(out, len, "%.*s + G_%c (i, f, o)_{t\xe2\x88\x92" "1}%s", (int)(g - tex), tex, g[6], b);
    return 1;
}

/* A line as drawn: its text (after clamps and short forms), font and line count. */
typedef struct eq_fit {
    char tex[256];
    font_id f;
    int lines; /* > 1: broken at its sums to fit */
} eq_fit;

/* Draw tex in font f from (x, y) within width w, broken before a " + " where it does
 * not fit, continuation lines indented by indent and lh apart; draws only when into is
 * not NULL.  Returns the number of lines; the last one's right end (from x) goes to
 * *last_w when not NULL. */
static int math_lines(render_ctx *rc, font_id f, const char *tex, int w, int indent, render_ctx *into, int x,
                      int y, int lh, cm_rgb c, int *last_w) {
    char head[256];
    const char *rest = tex;
    int lines = 0;
    while (*rest && lines < 4) {
        size_t cut = 0;
        int room = w - (lines ? indent : 0), best = 1 << 30;
        if (render_math_width(rc, f, rest) > room)
            for (const char *p = strstr(rest, " + "); p; p = strstr(p + 1, " + ")) {
                size_t k = (size_t)(p - rest);
                int hw, tw;
                if (k >= sizeof head) break;
                memcpy(head, rest, k);
                head[k] = '\0';
                if ((hw = render_math_width(rc, f, head)) > room) break;
                /* the last break that fits; but when the rest then fits on one line,
                   the one that makes the two lines most even */
                tw = indent + render_math_width(rc, f, p + 1);
                if (tw <= w && (hw > tw ? hw : tw) < best) {
                    best = hw > tw ? hw : tw;
                    cut = k;
                } else if (best == 1 << 30) {
                    cut = k;
                }
            }
        if (!cut) cut = strlen(rest) < sizeof head ? strlen(rest) : sizeof head - 1;
        memcpy(head, rest, cut);
        head[cut] = '\0';
        if (into) render_math(into, f, head, x + (lines ? indent : 0), y + (lines ? lh * lines : 0), c, AL_LEFT | AL_TOP);
        if (last_w) *last_w = (lines ? indent : 0) + render_math_width(rc, f, head);
        lines++;
        rest += cut;
        if (*rest == ' ') rest++;
    }
    return lines ? lines : 1;
}

void view_equations(render_ctx *rc, const app_state *st, box b) {
    const cm_theme *th = state_theme(st);
    int pane, unit, n, i, pad = st->L.pad, y, t = state_focus_step(st);
    const gs_variant_info *vi;
    eq eqs[10];
    eq_fit fit[10];
    char buf[200], nb[160];
    int mh, sh, th_, row, two_lines, shortened = 0, extra = 0, avail = b.w - 2 * st->L.pad;
    render_round(rc, b, pad, th->panel, 255);
    state_focus(st, &pane, &unit);
    vi = state_variant(st, pane);
    if (!vi) return;
    n = equations_of(vi, eqs);
    mh = render_font_height(rc, FONT_MATH);
    sh = render_font_height(rc, FONT_SMALL);
    th_ = render_font_height(rc, FONT_BOLD);
    /* title: variant in its colour, then unit and step */
    {
        box tb = { b.x + pad, b.y + pad / 2, b.w - 2 * pad, th_ + 2 };
        int w;
        char shortt[96];
        const char *paren = strstr(vi->title, " (");
        const char *alts[3] = { vi->title, shortt, vi->name };
        int k;
        snprintf(shortt, sizeof shortt, "%.*s", paren ? (int)(paren - vi->title) : 95, vi->title);
        /* the longest of title, short title, name that leaves room for "unit · step" */
        for (k = 0; k < 2; k++)
            if (render_measure(rc, FONT_BOLD, alts[k]) <= tb.w * 6 / 10) break;
        w = render_measure(rc, FONT_BOLD, alts[k]);
        if (w > tb.w * 6 / 10) w = tb.w * 6 / 10;
        render_text_in(rc, FONT_BOLD, alts[k], (box){ tb.x, tb.y, w, tb.h },
                       cm_variant_colour(st->palette, st->theme, (int)vi->id), AL_LEFT | AL_MIDDLE);
        snprintf(buf, sizeof buf, "unit %d \xc2\xb7 step %d", unit, t);
        render_text_in(rc, FONT_SMALL, buf, (box){ tb.x + w + pad, tb.y, tb.w - w - pad, tb.h }, th->text_dim,
                       AL_RIGHT | AL_MIDDLE);
        y = tb.y + tb.h + pad / 2;
    }
    /* each line's text and font first: the rows they need decide the spacing */
    for (i = 0; i < n; i++) {
        eq_fit *q = &fit[i];
        double cv;
        const gs_seq *s = state_seq(st, pane);
        if (eqs[i].kind == EQ_READOUT)
            snprintf(q->tex, sizeof q->tex, "y_t = V %s + c", vi->output_display);
        else if (eqs[i].kind == EQ_GATE && s && gs_model_gate_clamped(gs_seq_model(s), eqs[i].a, unit, &cv))
            /* the focused unit's gate is forced: its value is the clamp, not σ(·) */
            snprintf(q->tex, sizeof q->tex, "%s_t = %g (clamped)", vi->gates[eqs[i].a].symbol, cv);
        else
            snprintf(q->tex, sizeof q->tex, "%s", eqs[i].tex);
        /* the math font; too wide, the body font; still too wide, broken at its sums
           (the rest indented below) in two lines; else fgr's short form, the three
           gate terms as one block product, in as few lines as it takes */
        q->f = render_math_width(rc, FONT_MATH, q->tex) > avail ? FONT_SMALL : FONT_MATH;
        q->lines = math_lines(rc, q->f, q->tex, avail, pad * 2, NULL, 0, 0, 0, th->text, NULL);
        if (q->lines > 2 || (q->lines > 1 && render_math_width(rc, FONT_SMALL, q->tex) > 2 * avail))
            if (short_form(q->tex, buf, sizeof buf)) {
                snprintf(q->tex, sizeof q->tex, "%s", buf);
                shortened = 1;
                q->f = render_math_width(rc, FONT_MATH, q->tex) > avail ? FONT_SMALL : FONT_MATH;
                q->lines = math_lines(rc, q->f, q->tex, avail, pad * 2, NULL, 0, 0, 0, th->text, NULL);
            }
        extra += (q->lines - 1) * (render_font_height(rc, q->f) + 2);
    }
    row = mh + sh + 4;
    two_lines = y + n * row + extra <= b.y + b.h - pad / 2;
    if (!two_lines) row = mh + 2;
    for (i = 0; i < n; i++) {
        const eq_fit *q = &fit[i];
        int w = 0, below = (q->lines - 1) * (render_font_height(rc, q->f) + 2);
        const gs_seq *s = state_seq(st, pane);
        numbers(nb, sizeof nb, st, pane, &eqs[i], t, unit);
        if (eqs[i].kind == EQ_LINE) nb[0] = '\0';
        else if (t < 1) snprintf(nb, sizeof nb, "step forward to fill in the numbers");
        math_lines(rc, q->f, q->tex, avail, pad * 2, rc, b.x + pad, y, render_font_height(rc, q->f) + 2, th->text, &w);
        if (two_lines && nb[0]) {
            /* the whole substitution, or just its result when it does not fit */
            const char *arrow = strstr(nb, "\xe2\x86\x92");
            char first[64];
            const char *alts[3] = { nb, arrow ? arrow : nb, first };
            {
                /* a copy cut at a character boundary */
                const char *src = arrow ? arrow : nb;
                size_t k = strlen(src);
                if (k >= sizeof first) {
                    k = sizeof first - 1;
                    while (k > 0 && (src[k] & 0xc0) == 0x80) k--;
                }
                memcpy(first, src, k);
                first[k] = '\0';
            }
            if (eqs[i].kind == EQ_READOUT && t >= 1 && st->engine_steps == st->cursor) { /* the first output */
                char v0[32];
                int k = 0;
                const gs_real *yv = s ? gs_seq_values(s, GS_Q_Y, 0, t, 0, &k) : NULL;
                if (yv && k > 0) {
                    fmt_value(v0, sizeof v0, (double)yv[0]);
                    snprintf(first, sizeof first, "\xe2\x86\x92 y\xe2\x82\x80 = %s", v0);
                }
            }
            render_text_alt(rc, FONT_SMALL, (box){ b.x + pad * 2, y + mh + below, b.w - 3 * pad, sh + 2 },
                            th->accent, AL_LEFT | AL_TOP, 3, alts);
        } else if (!two_lines) {
            /* one line: only the result, right-aligned beside its last line, if it fits */
            const char *arrow = strstr(nb, "\xe2\x86\x92");
            if (arrow && w + pad + render_measure(rc, FONT_SMALL, arrow) <= avail)
                render_text(rc, FONT_SMALL, arrow, b.x + b.w - pad, y + below + (q->lines > 1 ? sh / 2 + 1 : mh / 2),
                            th->accent, AL_RIGHT | AL_MIDDLE);
        }
        y += row + below;
        if (y + mh > b.y + b.h) break;
    }
    /* what the symbols mean, and why this design exists, when there is room */
    {
        static const char *const gloss = "\xcf\x83 logistic sigmoid \xc2\xb7 \xcf\x86 = tanh \xc2\xb7 \xe2\x8a\x99 element-wise product";
        static const char *const block = "G_i (i, f, o) = G_ii i + G_if f + G_io o: the gates of the step before";
        box rest = { b.x + pad, y + pad / 2, b.w - 2 * pad, b.y + b.h - pad / 2 - y - pad / 2 };
        int nb2 = shortened ? render_text_wrap(rc, FONT_SMALL, block, rest, th->text_dim, 0) : 0;
        if (nb2 && nb2 * sh <= rest.h) { /* what the short form stands for, when there is room */
            render_text_wrap(rc, FONT_SMALL, block, rest, th->text_dim, 1);
            rest.y += nb2 * sh;
            rest.h -= nb2 * sh;
        }
        int need = render_text_wrap(rc, FONT_SMALL, vi->summary, rest, th->text_dim, 0);
        int need2 = render_text_wrap(rc, FONT_SMALL, gloss, rest, th->text_dim, 0);
        if ((need + need2) * sh <= rest.h) {
            render_text_wrap(rc, FONT_SMALL, vi->summary, rest, th->text_dim, 1);
            rest.y += need * sh;
            rest.h -= need * sh;
            render_text_wrap(rc, FONT_SMALL, gloss, rest, th->text_dim, 1);
        } else if (need * sh <= rest.h) {
            render_text_wrap(rc, FONT_SMALL, vi->summary, rest, th->text_dim, 1);
        }
    }
}
