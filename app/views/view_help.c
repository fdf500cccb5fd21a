/* view_help.c — the help overlay: exactly the command table, grouped, with keys.
 * Its rows come from view_help_rows(), which reads nothing but the table, so a test
 * can check the overlay against it line by line. */
#include "views/views.h"

#include <stdio.h>
#include <string.h>

int view_help_rows(const char **keys, const char **labels, const char **texts, int max) {
    int n, i, k = 0;
    const command *tab = commands_table(&n);
    for (i = 0; i < n && k < max; i++, k++) {
        if (keys) keys[k] = tab[i].keys;
        if (labels) labels[k] = tab[i].label;
        if (texts) texts[k] = tab[i].help;
    }
    return k;
}

void view_busy(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    char buf[160];
    int w, h = render_font_height(rc, FONT_TITLE) * 2, pad = L->pad;
    snprintf(buf, sizeof buf, "Computing %d steps of %d units for %d variant%s\xe2\x80\xa6", 
             st->pending.length > 0 ? st->pending.length : state_T(st), st->pending.hidden,
             st->pending.n_variants, st->pending.n_variants == 1 ? "" : "s");
    w = render_measure(rc, FONT_TITLE, buf) + 4 * pad;
    if (w > L->w - 2 * pad) w = L->w - 2 * pad;
    render_fill_a(rc, (box){ 0, 0, L->w, L->h }, th->shadow, 90);
    render_round(rc, (box){ (L->w - w) / 2, (L->h - h) / 2, w, h }, pad, th->panel_alt, 255);
    render_text_in(rc, FONT_TITLE, buf, (box){ (L->w - w) / 2 + 2 * pad, (L->h - h) / 2, w - 4 * pad, h }, th->text,
                   AL_CENTER | AL_MIDDLE);
}

void view_help(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    const char *keys[64], *labels[64], *texts[64];
    int n = view_help_rows(keys, labels, texts, 64), i, cols, per_col, col_w, kw = 0, lw = 0;
    int fh = render_font_height(rc, FONT_BODY), bh = render_font_height(rc, FONT_BOLD), pad = L->pad;
    int row = fh + fh / 3, groups = 0, x0, y0;
    const command *tab = commands_table(NULL);
    box panel;
    cmd_group last = (cmd_group)-1;
    for (i = 0; i < n; i++) {
        int a = render_measure(rc, FONT_BOLD, keys[i]), b = render_measure(rc, FONT_BODY, labels[i]);
        if (a > kw) kw = a;
        if (b > lw) lw = b;
        if (tab[i].group != last) groups++, last = tab[i].group;
    }
    render_fill_a(rc, (box){ 0, 0, L->w, L->h }, th->shadow, 150);
    /* one or two columns, whichever fits the window */
    cols = L->w >= 1500 ? 2 : 1;
    for (;;) {
        per_col = (n + groups * 2 + cols - 1) / cols;
        if (per_col * row + bh * 3 + 4 * pad <= L->h - 2 * pad || cols >= 3) break;
        cols++;
    }
    col_w = (L->w - 2 * pad - (cols + 1) * 2 * pad) / cols;
    panel = (box){ pad * 2, pad * 2, L->w - 4 * pad, L->h - 4 * pad };
    {
        int need = per_col * row + bh * 2 + 4 * pad;
        if (need < panel.h) {
            panel.y = (L->h - need) / 2;
            panel.h = need;
        }
    }
    render_round(rc, panel, pad, th->panel_alt, 255);
    render_outline(rc, panel, th->border, 1);
    render_text_in(rc, FONT_TITLE, "Keys and commands",
                   (box){ panel.x + 2 * pad, panel.y + pad, panel.w / 2, bh + 4 }, th->text, AL_LEFT | AL_MIDDLE);
    render_text_in(rc, FONT_SMALL, "Esc or any key closes this; every command is also a button",
                   (box){ panel.x + panel.w / 2, panel.y + pad, panel.w / 2 - 2 * pad, bh + 4 }, th->text_dim,
                   AL_RIGHT | AL_MIDDLE);
    x0 = panel.x + 2 * pad;
    y0 = panel.y + pad * 2 + bh + 4;
    {
        int slot = 0, c = 0, y = y0;
        last = (cmd_group)-1;
        for (i = 0; i < n; i++) {
            int x = x0 + c * (col_w + 2 * pad);
            if (tab[i].group != last) {
                if (slot + 2 > per_col && slot > 0) {
                    c++;
                    slot = 0;
                    y = y0;
                    x = x0 + c * (col_w + 2 * pad);
                }
                if (slot > 0) {
                    y += row;
                    slot++;
                }
                render_text_in(rc, FONT_BOLD, cmd_group_title(tab[i].group), (box){ x, y, col_w, row }, th->accent,
                               AL_LEFT | AL_MIDDLE);
                y += row;
                slot++;
                last = tab[i].group;
            }
            {
                int kcol = kw + pad, lcol = lw + pad;
                if (kcol + lcol > col_w / 2) lcol = col_w / 2 - kcol;
                render_text_in(rc, FONT_BOLD, keys[i], (box){ x, y, kcol, row }, th->text, AL_LEFT | AL_MIDDLE);
                render_text_in(rc, FONT_BODY, labels[i], (box){ x + kcol, y, lcol > 0 ? lcol : 1, row }, th->text,
                               AL_LEFT | AL_MIDDLE);
                render_text_in(rc, FONT_SMALL, texts[i], (box){ x + kcol + lcol, y, col_w - kcol - lcol, row },
                               th->text_dim, AL_LEFT | AL_MIDDLE);
            }
            y += row;
            slot++;
            if (slot >= per_col && i + 1 < n) {
                c++;
                slot = 0;
                y = y0;
            }
        }
    }
}
