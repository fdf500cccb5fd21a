/* view_lesson.c — the lesson player's views: the narrative panel (title, progress,
 * the step's heading and word-wrapped prose with emphasis, strong and symbol runs),
 * the spotlight over the live views, the presenter's top bar and the list of
 * shipped lessons.  Presenter notes are never drawn: the class sees this screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/lesson_player.h"
#include "views/views.h"

/* ---- Rich text ---------------------------------------------------------------------- */

typedef struct piece {
    const char *s;
    int len;
    unsigned style;
    int space; /* a space before it */
} piece;

static font_id piece_font(unsigned style, font_id prose) {
    if (style & GS_STYLE_SYMBOL) return prose == FONT_SMALL ? FONT_SMALL : FONT_MATH;
    if (style & GS_STYLE_STRONG) return FONT_BOLD;
    return prose;
}

static cm_rgb piece_colour(const cm_theme *th, unsigned style) {
    return style & GS_STYLE_EMPH ? th->accent : th->text;
}

static int piece_width(render_ctx *rc, const piece *p, font_id prose) {
    char buf[512];
    int n = p->len < (int)sizeof buf - 1 ? p->len : (int)sizeof buf - 1;
    memcpy(buf, p->s, (size_t)n);
    buf[n] = '\0';
    if (p->style & GS_STYLE_SYMBOL) return render_math_width(rc, piece_font(p->style, prose), buf);
    return render_measure(rc, piece_font(p->style, prose), buf);
}

static void piece_draw(render_ctx *rc, const cm_theme *th, const piece *p, font_id prose, int x,
                       int y) {
    char buf[512];
    int n = p->len < (int)sizeof buf - 1 ? p->len : (int)sizeof buf - 1;
    memcpy(buf, p->s, (size_t)n);
    buf[n] = '\0';
    if (p->style & GS_STYLE_SYMBOL)
        render_math(rc, piece_font(p->style, prose), buf, x, y, piece_colour(th, p->style), AL_LEFT | AL_TOP);
    else
        render_text(rc, piece_font(p->style, prose), buf, x, y, piece_colour(th, p->style), AL_LEFT | AL_TOP);
}

/* Split a paragraph into pieces at spaces.  Returns how many (malloc'd in *out). */
static int split_para(const gs_lesson_para *pa, piece **out) {
    int cap = 1, n = 0, r, space = 0;
    piece *ps;
    for (r = 0; r < pa->n_runs; r++) cap += pa->runs[r].len + 1;
    if (!(ps = malloc(sizeof *ps * (size_t)cap))) return 0;
    for (r = 0; r < pa->n_runs; r++) {
        const gs_lesson_run *run = &pa->runs[r];
        int i = 0;
        while (i < run->len) {
            int j;
            if (run->text[i] == ' ') {
                space = 1;
                i++;
                continue;
            }
            for (j = i; j < run->len && run->text[j] != ' '; j++) {}
            ps[n].s = run->text + i;
            ps[n].len = j - i;
            ps[n].style = run->style;
            ps[n].space = space && n > 0;
            space = 0;
            n++;
            i = j;
        }
    }
    *out = ps;
    return n;
}

static int line_height(render_ctx *rc, font_id prose) {
    int h = render_font_height(rc, prose), hm = render_font_height(rc, piece_font(GS_STYLE_SYMBOL, prose));
    if (hm > h) h = hm;
    return h + h / 4;
}

/* Flow one paragraph into width w from (x, y); draws the lines that end above limit
 * when draw (*cut = 1 if some did not); returns its height. */
static int flow_para(render_ctx *rc, const cm_theme *th, const gs_lesson_para *pa, font_id prose,
                     int x, int y, int w, int draw, int limit, int *cut) {
    piece *ps = NULL;
    int n = split_para(pa, &ps), i = 0, lh = line_height(rc, prose), lines = 1;
    int indent = pa->bullet ? render_measure(rc, prose, "\xe2\x80\xa2  ") : 0;
    int sp = render_measure(rc, prose, " "), cx = 0;
    if (draw && y + lh > limit) {
        draw = 0;
        *cut = 1;
    }
    if (pa->bullet && draw) render_text(rc, prose, "\xe2\x80\xa2", x, y, th->accent, AL_LEFT | AL_TOP);
    x += indent;
    w -= indent;
    while (i < n) {
        /* a word: pieces with no space between them */
        int j = i + 1, ww = piece_width(rc, &ps[i], prose), k;
        while (j < n && !ps[j].space) ww += piece_width(rc, &ps[j], prose), j++;
        if (cx > 0 && cx + sp + ww > w) {
            lines++;
            cx = 0;
            if (draw && y + lines * lh > limit) {
                draw = 0;
                *cut = 1;
            }
        } else if (cx > 0) {
            cx += sp;
        }
        for (k = i; k < j; k++) {
            int pw = piece_width(rc, &ps[k], prose);
            if (draw) piece_draw(rc, th, &ps[k], prose, x + cx, y + (lines - 1) * lh);
            cx += pw;
        }
        i = j;
    }
    free(ps);
    return lines * lh;
}

/* Paragraphs from y; returns the new y. */
static int flow_prose(render_ctx *rc, const cm_theme *th, const gs_lesson_prose *pr, font_id prose,
                      box b, int y, int draw, int *cut) {
    int gap = render_font_height(rc, prose) / 2;
    for (int i = 0; i < pr->n_paras; i++) {
        const gs_lesson_para *pa = &pr->paras[i];
        if (i > 0) y += pa->bullet && pr->paras[i - 1].bullet ? gap / 3 : gap;
        y += flow_para(rc, th, pa, prose, b.x, y, b.w, draw, b.y + b.h, cut);
    }
    return y;
}

/* The lesson's introduction (intro, on the first step), the heading and the prose;
 * returns the height used. */
static int flow_step(render_ctx *rc, const app_state *st, const gs_lesson_prose *intro,
                     const gs_lesson_step *step, box b, font_id prose, int draw) {
    const cm_theme *th = state_theme(st);
    int y = b.y, lines, hh = render_font_height(rc, FONT_TITLE), gap = render_font_height(rc, prose) / 2;
    int cut = 0;
    box hb = b;
    if (intro && intro->n_paras > 0) {
        y = flow_prose(rc, th, intro, prose, b, y, draw, &cut) + gap;
        if (draw && y < b.y + b.h) render_fill(rc, (box){ b.x, y, b.w / 3, 1 }, th->border);
        y += gap + gap / 2;
        hb.y = y;
    }
    lines = render_text_wrap(rc, FONT_TITLE, step->heading, (box){ b.x, b.y, b.w, 1 << 20 }, th->text, 0);
    hb.h = lines * hh + 2;
    if (draw && hb.y + hb.h <= b.y + b.h) render_text_wrap(rc, FONT_TITLE, step->heading, hb, th->text, 1);
    else if (draw) cut = 1;
    y += hb.h + gap + gap / 2;
    y = flow_prose(rc, th, &step->prose, prose, b, y, draw, &cut);
    if (cut) /* the text did not fit: say so (and count it, as any clipped text) */
        render_text_in(rc, prose, "\xe2\x80\xa6 more than fits \xe2\x80\xa6",
                       (box){ b.x, b.y + b.h - render_font_height(rc, prose), 1, render_font_height(rc, prose) },
                       th->text_dim, AL_LEFT | AL_TOP);
    return y - b.y;
}

int view_lesson_text_height(render_ctx *rc, const app_state *st, int w, font_id prose) {
    const gs_lesson *l = lesson_current(st);
    if (!l) return 0;
    int k = lesson_step_index(st);
    return flow_step(rc, st, k == 0 ? &l->intro : NULL, &l->steps[k], (box){ 0, 0, w, 1 << 20 }, prose, 0);
}

/* ---- The narrative panel --------------------------------------------------------------- */

static void draw_nav_button(render_ctx *rc, const app_state *st, const button_box *b, int enabled) {
    const cm_theme *th = state_theme(st);
    const command *c = commands_get(b->cmd);
    int hov = st->hover.kind == HOV_BUTTON && st->hover.cmd == b->cmd && box_contains(b->b, st->mouse_x, st->mouse_y);
    cm_rgb fill = b->kind == BK_PRIMARY && enabled ? th->accent : hov ? th->button_hover : th->button;
    cm_rgb ink = b->kind == BK_PRIMARY && enabled ? th->accent_text : enabled ? th->text : th->text_dim;
    char lab[64];
    snprintf(lab, sizeof lab, b->cmd == CMD_LESSON_NEXT ? "%s  \xe2\x96\xb6" : "\xe2\x97\x80  %s",
             c ? c->label : "");
    render_round(rc, b->b, st->L.button_h / 5, fill, 255);
    if (th->line > 1) render_outline(rc, b->b, th->border, 1);
    render_text_in(rc, FONT_BOLD, lab, box_inset(b->b, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE);
}

void view_lesson(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    const gs_lesson *l = lesson_current(st);
    int k = lesson_step_index(st), i, n;
    char buf[96];
    font_id prose = FONT_BODY;
    if (!l || L->narrative.w <= 0) return;
    n = l->n_steps;
    render_round(rc, L->narrative, L->pad, th->panel, 255);
    if (th->line > 1) render_outline(rc, L->narrative, th->border, 1);
    { /* the title; in a narrow panel, its part before a colon */
        char shortt[GS_LESSON_MAX_HEADING + 1];
        const char *alts[3] = { l->title, shortt, "Lesson" };
        const char *colon = strchr(l->title, ':');
        snprintf(shortt, sizeof shortt, "%.*s", colon ? (int)(colon - l->title) : (int)strlen(l->title),
                 l->title);
        render_text_alt(rc, FONT_SMALL, L->nar_title, th->text_dim, AL_LEFT | AL_MIDDLE, 3, alts);
    }
    /* progress: "step k of N" on the right, a dot per step on the left */
    {
        box pb = L->nar_progress, tb = pb;
        int tw, r = L->font_px[FONT_BODY] / 3 + 1, pitch = 3 * r + 2, x, cy = pb.y + pb.h / 2;
        snprintf(buf, sizeof buf, "step %d of %d", k + 1, n);
        tw = render_measure(rc, FONT_BOLD, buf) + L->pad / 2;
        tb.x = pb.x + pb.w - tw;
        tb.w = tw;
        render_text_in(rc, FONT_BOLD, buf, tb, th->text, AL_RIGHT | AL_MIDDLE);
        if (n * pitch <= pb.w - tw - L->pad) {
            for (i = 0, x = pb.x + r; i < n; i++, x += pitch) {
                if (i == k) render_disc(rc, (float)x, (float)cy, (float)r + 1, th->accent, 255);
                else if (i < k) render_disc(rc, (float)x, (float)cy, (float)r * 0.7f, th->text_dim, 255);
                else render_ring(rc, (float)x, (float)cy, (float)r * 0.7f, 1.2f, th->text_dim, 255);
            }
        } else { /* too many dots: a bar */
            box bar = { pb.x, cy - r / 2, pb.w - tw - L->pad, r > 1 ? r : 2 };
            box done = bar;
            done.w = (int)((long)bar.w * (k + 1) / n);
            render_fill(rc, bar, th->panel_alt);
            render_fill(rc, done, th->accent);
        }
        render_fill(rc, (box){ pb.x, pb.y + pb.h + L->pad / 2 - 1, pb.w, 1 }, th->border);
    }
    /* the step's text: smaller type if the body size does not fit */
    if (view_lesson_text_height(rc, st, L->nar_text.w, FONT_BODY) > L->nar_text.h) prose = FONT_SMALL;
    flow_step(rc, st, k == 0 ? &l->intro : NULL, &l->steps[k], L->nar_text, prose, 1);
    for (i = 0; i < L->n_buttons; i++) {
        const button_box *b = &L->button[i];
        if (b->cmd == CMD_LESSON_PREV) draw_nav_button(rc, st, b, k > 0);
        if (b->cmd == CMD_LESSON_NEXT) draw_nav_button(rc, st, b, k + 1 < n);
    }
}

/* ---- The spotlight ---------------------------------------------------------------------- */

void view_lesson_spotlight(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    box spot[2 * LAYOUT_MAX_PANES * LAYOUT_MAX_STRIPS + 8], regions[LAYOUT_MAX_PANES + 5];
    int ns = lesson_spotlight(st, spot, (int)(sizeof spot / sizeof *spot)), nr = 0, i, j;
    int wl = L->line * 2 + (st->present ? 1 : 0);
    if (ns == 0) return;
    for (i = 0; i < L->n_panes; i++) regions[nr++] = L->pane[i].all;
    regions[nr++] = L->plot_drift;
    regions[nr++] = L->plot_grad;
    regions[nr++] = L->plot_loss;
    regions[nr++] = L->equations;
    regions[nr++] = L->train;
    for (i = 0; i < nr; i++) { /* dim what the step does not point at, a little */
        int lit = 0;
        for (j = 0; j < ns; j++)
            if (box_overlap(regions[i], spot[j])) lit = 1;
        if (!lit && regions[i].w > 0) render_fill_a(rc, regions[i], th->bg, 110);
    }
    for (j = 0; j < ns; j++) {
        box o = spot[j];
        o.x -= wl;
        o.y -= wl;
        o.w += 2 * wl;
        o.h += 2 * wl;
        render_outline(rc, o, th->accent, wl < 2 ? 2 : wl);
    }
}

/* ---- Presenter mode's top bar ------------------------------------------------------------- */

void view_lesson_bar(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    const gs_lesson *l = lesson_current(st);
    char buf[64];
    box tb = L->topbar;
    int sw;
    render_fill(rc, L->topbar, th->panel);
    render_fill(rc, (box){ 0, tb.y + tb.h - 1, L->w, 1 }, th->border);
    snprintf(buf, sizeof buf, "step %d / %d", st->cursor, state_T(st));
    sw = render_measure(rc, FONT_BIG, buf) + L->pad;
    render_text_in(rc, FONT_BIG, buf, (box){ tb.x + tb.w - sw - L->pad, tb.y, sw, tb.h }, th->text,
                   AL_RIGHT | AL_MIDDLE);
    {
        const char *alts[2] = { l ? l->title : "gatescope", "gatescope" };
        box t = { tb.x + L->pad, tb.y, tb.w - sw - 3 * L->pad, tb.h };
        render_text_alt(rc, FONT_TITLE, t, th->text, AL_LEFT | AL_MIDDLE, 2, alts);
    }
}

/* ---- The list of lessons ----------------------------------------------------------------- */

void view_lesson_list(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    lesson_list_box g = layout_lesson_list(L, st->lesson ? st->lesson->n_list : 0);
    int i, hov = st->mouse_in ? lesson_list_row(st, st->mouse_x, st->mouse_y) : -1;
    render_fill_a(rc, (box){ 0, 0, L->w, L->h }, th->shadow, 170);
    render_round(rc, g.panel, L->pad, th->panel, 255);
    render_outline(rc, g.panel, th->border, 1);
    render_text_in(rc, FONT_TITLE, "Lessons", g.head, th->text, AL_LEFT | AL_MIDDLE);
    for (i = 0; st->lesson && i < g.rows; i++) {
        box row = { g.x, g.y0 + i * g.row_h, g.w, g.row_h - 2 };
        char num[16];
        int nw = render_measure(rc, FONT_BOLD, "00") + L->pad * 2;
        if (i == st->lesson_pick || i == hov)
            render_round(rc, row, L->pad / 2, i == st->lesson_pick ? th->button_on : th->button_hover, 255);
        snprintf(num, sizeof num, "%d", i + 1);
        render_text_in(rc, FONT_BOLD, num, (box){ row.x, row.y, nw - L->pad, row.h }, th->accent,
                       AL_RIGHT | AL_MIDDLE);
        render_text_in(rc, FONT_BODY, st->lesson->list[i].title,
                       (box){ row.x + nw, row.y, row.w - nw - L->pad, row.h }, th->text, AL_LEFT | AL_MIDDLE);
    }
    {
        const char *alts[2] = { "\xe2\x86\x91 \xe2\x86\x93 choose   Enter or click: open   Esc: close",
                                "Enter: open   Esc: close" };
        render_text_alt(rc, FONT_SMALL, g.foot, th->text_dim, AL_LEFT | AL_MIDDLE, 2, alts);
    }
}
