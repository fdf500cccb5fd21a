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
    EQ_READOUT   /* y = V out + c: the readout's outputs */
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

/* Gates are listed in each variant's gs_variant_info.gates order. */
static int equations_of(gs_variant v, eq *out) {
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
    default: break; /* Greff's ablations: their lines come with the clamp view (issue 14) */
    }
    E(NULL, EQ_READOUT, 0, 0); /* text made from the variant's output symbol */
#undef E
    return n;
}

/* The focused unit's value of q at step t, formatted ("–" when missing). */
static void num(char *buf, size_t len, const app_state *st, int pane, gs_quantity q, int index, int t,
                int unit) {
    const gs_seq *s = state_seq(st, pane);
    int n = 0;
    const gs_real *v = s && (t >= 1 || q == GS_Q_STATE) && t <= st->cursor && st->engine_steps == st->cursor
                           ? gs_seq_values(s, q, index, t, 0, &n)
                           : NULL;
    if (!v || unit >= n) snprintf(buf, len, "\xe2\x80\x93");
    else fmt_value(buf, len, (double)v[unit]);
}

static void numbers(char *buf, size_t len, const app_state *st, int pane, const eq *e, int t, int u) {
    char a[24], b[24], c[24], d[24], r[24];
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
        int write = -1, g;
        const gs_variant_info *vi = state_variant(st, pane);
        for (g = 0; vi && g < vi->n_gates; g++)
            if (vi->gates[g].role == GS_ROLE_WRITE) write = g;
        num(a, sizeof a, st, pane, GS_Q_GATE, e->a, t, u);
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t - 1, u);
        num(c, sizeof c, st, pane, GS_Q_GATE, write, t, u);
        num(d, sizeof d, st, pane, GS_Q_CAND, 0, t, u);
        if (e->b < 0) snprintf(buf, len, "= %s\xc2\xb7(%s) + %s\xc2\xb7(%s)", a, b, c, d);
        else {
            num(r, sizeof r, st, pane, GS_Q_STATE, 0, t, u);
            snprintf(buf, len, "= %s\xc2\xb7(%s) + %s\xc2\xb7(%s) \xe2\x86\x92 %s", a, b, c, d, r);
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
    case EQ_H:
        num(a, sizeof a, st, pane, GS_Q_GATE, e->a, t, u);
        num(b, sizeof b, st, pane, GS_Q_STATE, 0, t, u);
        num(r, sizeof r, st, pane, GS_Q_STATE, 1, t, u);
        snprintf(buf, len, "= %s\xc2\xb7\xcf\x86(%s) \xe2\x86\x92 %s", a, b, r);
        break;
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
    }
}

void view_equations(render_ctx *rc, const app_state *st, box b) {
    const cm_theme *th = state_theme(st);
    int pane, unit, n, i, pad = st->L.pad, y, t = state_focus_step(st);
    const gs_variant_info *vi;
    eq eqs[10];
    char buf[200], nb[160];
    int mh, sh, th_, row, two_lines;
    render_round(rc, b, pad, th->panel, 255);
    state_focus(st, &pane, &unit);
    vi = state_variant(st, pane);
    if (!vi) return;
    n = equations_of(vi->id, eqs);
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
    row = mh + sh + 4;
    two_lines = y + n * row <= b.y + b.h - pad / 2;
    if (!two_lines) row = mh + 2;
    for (i = 0; i < n; i++) {
        char readout[96];
        int w;
        if (eqs[i].kind == EQ_READOUT) {
            snprintf(readout, sizeof readout, "y_t = V %s + c", vi->output_display);
            eqs[i].tex = readout;
        }
        w = render_math_width(rc, FONT_MATH, eqs[i].tex);
        int avail = b.w - 2 * pad;
        numbers(nb, sizeof nb, st, pane, &eqs[i], t, unit);
        if (t < 1) snprintf(nb, sizeof nb, "step forward to fill in the numbers");
        if (w > avail) {
            /* too wide for the math font: the body font still shows it whole */
            render_math(rc, FONT_SMALL, eqs[i].tex, b.x + pad, y, th->text, AL_LEFT | AL_TOP);
        } else {
            render_math(rc, FONT_MATH, eqs[i].tex, b.x + pad, y, th->text, AL_LEFT | AL_TOP);
        }
        if (two_lines) {
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
                const gs_seq *s = state_seq(st, pane);
                const gs_real *yv = s ? gs_seq_values(s, GS_Q_Y, 0, t, 0, &k) : NULL;
                if (yv && k > 0) {
                    fmt_value(v0, sizeof v0, (double)yv[0]);
                    snprintf(first, sizeof first, "\xe2\x86\x92 y\xe2\x82\x80 = %s", v0);
                }
            }
            render_text_alt(rc, FONT_SMALL, (box){ b.x + pad * 2, y + mh, b.w - 3 * pad, sh + 2 }, th->accent,
                            AL_LEFT | AL_TOP, 3, alts);
        } else {
            /* one line: only the result, right-aligned, if it fits beside */
            const char *arrow = strstr(nb, "\xe2\x86\x92");
            int used = w > avail ? render_math_width(rc, FONT_SMALL, eqs[i].tex) : w;
            if (arrow && used + pad + render_measure(rc, FONT_SMALL, arrow) <= avail)
                render_text(rc, FONT_SMALL, arrow, b.x + b.w - pad, y + mh / 2, th->accent, AL_RIGHT | AL_MIDDLE);
        }
        y += row;
        if (y + mh > b.y + b.h) break;
    }
    /* what the symbols mean, and why this design exists, when there is room */
    {
        static const char *const gloss = "\xcf\x83 logistic sigmoid \xc2\xb7 \xcf\x86 = tanh \xc2\xb7 \xe2\x8a\x99 element-wise product";
        box rest = { b.x + pad, y + pad / 2, b.w - 2 * pad, b.y + b.h - pad / 2 - y - pad / 2 };
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
