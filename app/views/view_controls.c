/* view_controls.c — the top bar, the sidebar, the pane frames, the status line and
 * the tooltip.  Every button comes from the layout, which comes from the command
 * table; labels, keys and help texts are read from the table here. */
#include "session/clamp.h"
#include "session/lesson_player.h"
#include "session/train_window.h"
#include "views/views.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Icons (drawn, so they never depend on a font's coverage) ------------------- */

static void tri_right(render_ctx *rc, float cx, float cy, float s, cm_rgb c) {
    render_triangle(rc, cx - s * 0.45f, cy - s * 0.55f, cx + s * 0.55f, cy, cx - s * 0.45f, cy + s * 0.55f, c, 255);
}

static void tri_left(render_ctx *rc, float cx, float cy, float s, cm_rgb c) {
    render_triangle(rc, cx + s * 0.45f, cy - s * 0.55f, cx - s * 0.55f, cy, cx + s * 0.45f, cy + s * 0.55f, c, 255);
}

static void bar(render_ctx *rc, float x, float cy, float s, cm_rgb c) {
    box b = { (int)lroundf(x), (int)lroundf(cy - s * 0.55f), (int)fmaxf(2.0f, s * 0.16f), (int)lroundf(s * 1.1f) };
    render_fill(rc, b, c);
}

/* Icon of a command centred at (cx, cy), size s. */
static void icon(render_ctx *rc, const app_state *st, cmd_id cmd, int arg, float cx, float cy, float s,
                 cm_rgb c) {
    const cm_theme *th = state_theme(st);
    float q = s * 0.5f;
    switch (cmd) {
    case CMD_HOME:
        bar(rc, cx - s * 0.62f, cy, s, c);
        tri_left(rc, cx - q * 0.25f, cy, q * 1.2f, c);
        tri_left(rc, cx + q * 0.65f, cy, q * 1.2f, c);
        break;
    case CMD_STEP_BACK:
        tri_left(rc, cx - q * 0.2f, cy, s * 0.85f, c);
        bar(rc, cx + s * 0.32f, cy, s, c);
        break;
    case CMD_PLAY:
        if (st->playing) {
            bar(rc, cx - s * 0.3f, cy, s, c);
            bar(rc, cx + s * 0.14f, cy, s, c);
            bar(rc, cx - s * 0.3f + 1, cy, s, c);
            bar(rc, cx + s * 0.14f + 1, cy, s, c);
        } else {
            tri_right(rc, cx + s * 0.05f, cy, s, c);
        }
        break;
    case CMD_STEP:
        tri_right(rc, cx - q * 0.15f, cy, s * 0.85f, c);
        bar(rc, cx + s * 0.3f, cy, s, c);
        break;
    case CMD_END:
        tri_right(rc, cx - q * 0.75f, cy, q * 1.2f, c);
        tri_right(rc, cx + q * 0.2f, cy, q * 1.2f, c);
        bar(rc, cx + s * 0.48f, cy, s, c);
        break;
    case CMD_BACK_WALK:
        render_text(rc, FONT_BOLD, "\xe2\x88\x82", (int)(cx + q * 0.35f), (int)cy, th->backward, AL_CENTER | AL_MIDDLE);
        tri_left(rc, cx - q * 0.6f, cy, q * 1.1f, c);
        break;
    case CMD_BACK_UNWALK:
        render_text(rc, FONT_BOLD, "\xe2\x88\x82", (int)(cx - q * 0.35f), (int)cy, th->backward, AL_CENTER | AL_MIDDLE);
        tri_right(rc, cx + q * 0.6f, cy, q * 1.1f, c);
        break;
    case CMD_BACK_ALL:
        bar(rc, cx - s * 0.6f, cy, s, c);
        tri_left(rc, cx - q * 0.3f, cy, q * 1.1f, th->backward);
        tri_left(rc, cx + q * 0.55f, cy, q * 1.1f, th->backward);
        break;
    case CMD_BACK_LOSS:
        tri_right(rc, cx - q * 0.55f, cy, q * 1.1f, th->backward);
        tri_right(rc, cx + q * 0.3f, cy, q * 1.1f, th->backward);
        bar(rc, cx + s * 0.5f, cy, s, c);
        break;
    case CMD_HELP:
        render_text(rc, FONT_BOLD, "?", (int)cx, (int)cy, c, AL_CENTER | AL_MIDDLE);
        break;
    case CMD_FULLSCREEN: {
        float a = s * 0.5f, l = s * 0.3f, w = s > 20 ? 2.5f : 1.8f;
        render_line(rc, cx - a, cy - a, cx - a + l, cy - a, w, c, 255);
        render_line(rc, cx - a, cy - a, cx - a, cy - a + l, w, c, 255);
        render_line(rc, cx + a, cy + a, cx + a - l, cy + a, w, c, 255);
        render_line(rc, cx + a, cy + a, cx + a, cy + a - l, w, c, 255);
        render_line(rc, cx + a, cy - a, cx + a - l, cy - a, w, c, 255);
        render_line(rc, cx + a, cy - a, cx + a, cy - a + l, w, c, 255);
        render_line(rc, cx - a, cy + a, cx - a + l, cy + a, w, c, 255);
        render_line(rc, cx - a, cy + a, cx - a, cy + a - l, w, c, 255);
        break;
    }
    case CMD_RECORD: /* a red dot; while recording a square: stop */
        if (st->share.recording)
            render_fill(rc, (box){ (int)lroundf(cx - s * 0.32f), (int)lroundf(cy - s * 0.32f),
                                   (int)lroundf(s * 0.64f), (int)lroundf(s * 0.64f) }, th->warn);
        else render_disc(rc, cx, cy, s * 0.4f, th->warn, 255);
        break;
    case CMD_SCREENSHOT: { /* a camera: body, viewfinder bump, lens */
        box body = { (int)lroundf(cx - s * 0.55f), (int)lroundf(cy - s * 0.3f), (int)lroundf(s * 1.1f),
                     (int)lroundf(s * 0.75f) };
        box bump = { (int)lroundf(cx - s * 0.2f), (int)lroundf(cy - s * 0.45f), (int)lroundf(s * 0.4f),
                     (int)lroundf(s * 0.2f) };
        render_fill(rc, bump, c);
        render_round(rc, body, (int)fmaxf(1.0f, s * 0.12f), c, 255);
        render_disc(rc, cx, cy + s * 0.07f, s * 0.24f, th->button, 255);
        render_disc(rc, cx, cy + s * 0.07f, s * 0.12f, c, 255);
        break;
    }
    default:
        if (arg < 0) tri_left(rc, cx, cy, s * 0.6f, c);
        else tri_right(rc, cx, cy, s * 0.6f, c);
        break;
    }
}

/* ---- Buttons ---------------------------------------------------------------------- */

static int is_hovered(const app_state *st, const button_box *b) {
    return st->hover.kind == HOV_BUTTON && st->hover.cmd == b->cmd && st->hover.arg == b->arg &&
           box_contains(b->b, st->mouse_x, st->mouse_y);
}

static void draw_button(render_ctx *rc, const app_state *st, const button_box *b) {
    const cm_theme *th = state_theme(st);
    const command *c = commands_get(b->cmd);
    int hov = is_hovered(st, b), pressed = st->pressed >= 0 && &st->L.button[st->pressed] == b;
    int on = state_button_on(st, b->cmd, b->arg);
    int radius = st->L.button_h / 5;
    cm_rgb fill = hov ? th->button_hover : th->button, ink = th->text;
    box bb = b->b;
    float cx, cy, s = st->L.button_h * 0.42f;
    char val[64];
    if (!c) return;
    if (b->kind == BK_PRIMARY) {
        fill = th->accent;
        ink = th->accent_text;
        if (hov) {
            fill.r = (unsigned char)(fill.r + (255 - fill.r) / 6);
            fill.g = (unsigned char)(fill.g + (255 - fill.g) / 6);
            fill.b = (unsigned char)(fill.b + (255 - fill.b) / 6);
        }
    } else if (on) {
        fill = th->button_on;
    }
    if (pressed) fill = th->border;
    if (b->kind == BK_CHIP) {
        const gs_variant_info *vi = gs_variant_get((gs_variant)b->arg);
        cm_rgb vc = cm_variant_colour(st->palette, st->theme, b->arg);
        char lab[48];
        box sw = { bb.x + st->L.pad / 2, bb.y + bb.h / 4, st->L.pad / 2 + 2, bb.h / 2 };
        render_round(rc, bb, radius, on ? th->button_on : (hov ? th->button_hover : th->panel_alt), 255);
        if (on) render_fill(rc, sw, vc);
        else render_outline(rc, sw, th->text_dim, 1);
        /* its key: 1..8; Greff's ablations (Shift+1..8) under their caption */
        if (b->arg < GS_NIG) snprintf(lab, sizeof lab, "%d %s", b->arg + 1, vi ? vi->name : "?");
        else snprintf(lab, sizeof lab, "%s", vi ? vi->name : "?");
        render_text_in(rc, FONT_NAME, lab, (box){ sw.x + sw.w + st->L.pad / 2, bb.y, bb.x + bb.w - sw.x - sw.w - st->L.pad, bb.h },
                       on ? th->text : th->text_dim, AL_LEFT | AL_MIDDLE);
        return;
    }
    render_round(rc, bb, radius, fill, 255);
    if (th->line > 1) render_outline(rc, bb, th->border, 1);
    cy = bb.y + bb.h * 0.5f;
    switch (b->kind) {
    case BK_CYCLE:
        state_row_value(st, b->cmd, val, sizeof val);
        render_text_in(rc, FONT_BODY, val, box_inset(bb, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE);
        return;
    case BK_CYCLE_LABELLED: {
        char lab[96];
        const char *alts[2] = { lab, val };
        state_row_value(st, b->cmd, val, sizeof val);
        snprintf(lab, sizeof lab, "%s: %s", c->label, val);
        render_text_alt(rc, FONT_SMALL, box_inset(bb, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE, 2, alts);
        return;
    }
    case BK_STEP_DOWN:
    case BK_STEP_UP:
        if (b->cmd == CMD_SPEED) {
            render_text(rc, FONT_BOLD, b->kind == BK_STEP_DOWN ? "\xe2\x88\x92" : "+", bb.x + bb.w / 2, (int)cy, ink,
                        AL_CENTER | AL_MIDDLE);
        } else {
            cx = bb.x + bb.w * 0.5f;
            if (b->kind == BK_STEP_DOWN) tri_left(rc, cx, cy, s * 0.7f, ink);
            else tri_right(rc, cx, cy, s * 0.7f, ink);
        }
        return;
    default: break;
    }
    if (b->cmd == CMD_NEW_SEQ) {
        char lab[96];
        state_row_value(st, CMD_NEW_SEQ, val, sizeof val);
        snprintf(lab, sizeof lab, "%s  (%s)", c->label, val);
        render_text_in(rc, FONT_BODY, lab, box_inset(bb, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE);
        return;
    }
    if (b->cmd == CMD_KEEP_WEIGHTS) { /* a sidebar row, like New sequence */
        render_text_in(rc, FONT_BODY, c->label, box_inset(bb, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE);
        return;
    }
    if (b->cmd == CMD_TRAIN || b->cmd == CMD_TRAIN_RESET) {
        const char *lab = b->cmd == CMD_TRAIN ? train_button_label(st) : c->label;
        render_text_in(rc, FONT_BOLD, lab, box_inset(bb, st->L.pad / 2), ink, AL_CENTER | AL_MIDDLE);
        return;
    }
    /* transport and window buttons: icon, then the label when there is room */
    if (bb.w <= st->L.button_h + 2) {
        icon(rc, st, b->cmd, b->arg, bb.x + bb.w * 0.5f, cy, s, ink);
    } else {
        const char *label = (b->cmd == CMD_PLAY && st->playing) ? "Pause" : c->label;
        float si = st->L.button_h * 0.38f, ix = bb.x + st->L.pad + si * 0.65f;
        int lx = (int)(bb.x + st->L.pad + si * 1.3f + st->L.pad / 2);
        icon(rc, st, b->cmd, b->arg, ix, cy, si, ink);
        render_text_in(rc, FONT_BOLD, label, (box){ lx, bb.y, bb.x + bb.w - st->L.pad - lx + 2, bb.h }, ink,
                       AL_CENTER | AL_MIDDLE);
    }
}

static void draw_buttons(render_ctx *rc, const app_state *st, box area) {
    for (int i = 0; i < st->L.n_buttons; i++)
        if (box_overlap(st->L.button[i].b, area)) draw_button(rc, st, &st->L.button[i]);
}

/* ---- Top bar ---------------------------------------------------------------------- */

void view_topbar(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    char buf[96];
    int T = state_T(st);
    render_fill(rc, L->topbar, th->panel);
    render_fill(rc, (box){ 0, L->topbar.y + L->topbar.h - 1, L->w, 1 }, th->border);
    render_text_in(rc, FONT_TITLE, "gatescope", L->title, th->text, AL_LEFT | AL_MIDDLE);
    draw_buttons(rc, st, L->topbar);
    state_row_value(st, CMD_SPEED, buf, sizeof buf);
    render_text_in(rc, FONT_BODY, buf, L->speed_text, th->text_dim, AL_CENTER | AL_MIDDLE);
    snprintf(buf, sizeof buf, "step %d / %d", st->cursor, T);
    render_text_in(rc, FONT_BIG, buf, L->step_text, th->text, AL_LEFT | AL_MIDDLE);
    if (L->back_text.w > 0) {
        box a = L->back_text, b = L->back_text;
        int bs = state_back_step(st);
        const gs_seq *s = state_seq(st, 0);
        int lo = s && st->cursor > 0 ? gs_seq_summary_of(s).grad_lo : 0;
        a.h = L->back_text.h / 2;
        b.y = a.y + a.h;
        b.h = L->back_text.h - a.h;
        render_text_in(rc, FONT_SMALL, "backward pass", a, th->backward, AL_LEFT | AL_BOTTOM);
        if (st->cursor < 1) snprintf(buf, sizeof buf, "after the first step");
        else if (st->first_loss_step < 1 || st->first_loss_step > st->cursor)
            snprintf(buf, sizeof buf, "from the loss at %d", st->first_loss_step);
        else if (st->back_active) snprintf(buf, sizeof buf, "from %d back to %d", st->cursor, bs);
        else snprintf(buf, sizeof buf, "whole pass, %d to %d", st->cursor, lo > 0 ? lo : 1);
        render_text_in(rc, FONT_SMALL, buf, b, th->text_dim, AL_LEFT | AL_TOP);
    }
}

/* ---- Sidebar ---------------------------------------------------------------------- */

void view_sidebar(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    const layout *L = &st->L;
    static const char *const heads[4] = { "Variants", "Setup", "View", "Colour scales" };
    int i;
    render_fill(rc, L->sidebar, th->panel);
    render_fill(rc, (box){ L->sidebar.x + L->sidebar.w - 1, L->sidebar.y, 1, L->sidebar.h }, th->border);
    for (i = 0; i < 4; i++)
        if (L->side_head[i].w > 0)
            render_text_in(rc, FONT_BOLD, heads[i], L->side_head[i], th->text_dim, AL_LEFT | AL_MIDDLE);
    if (L->side_greff.w > 0) {
        static const char *const greff[3] = { "Greff's ablations of peephole \xc2\xb7 Shift+1\xe2\x80\x93" "8",
                                               "Greff's ablations \xc2\xb7 Shift+1\xe2\x80\x93" "8",
                                               "Shift+1\xe2\x80\x93" "8" };
        render_text_alt(rc, FONT_SMALL, L->side_greff, th->text_dim, AL_LEFT | AL_MIDDLE, 3, greff);
    }
    for (i = 0; i < L->n_rows; i++) {
        const command *c = commands_get(L->row[i].cmd);
        char val[64];
        if (!c || L->row[i].label.w <= 0) continue; /* compact: the label is in the button */
        render_text_in(rc, FONT_BODY, c->label, L->row[i].label,
                       st->hover.kind == HOV_ROW && st->hover.cmd == c->id ? th->text : th->text_dim,
                       AL_LEFT | AL_MIDDLE);
        if (c->button == BTN_STEPPER) {
            state_row_value(st, c->id, val, sizeof val);
            render_text_in(rc, FONT_BODY, val, L->row[i].value, th->text, AL_CENTER | AL_MIDDLE);
        }
    }
    draw_buttons(rc, st, L->sidebar);
    view_legend(rc, st, L->legend);
}

/* ---- Pane frames ------------------------------------------------------------------ */

void view_pane_frame(render_ctx *rc, const app_state *st, int pane) {
    const cm_theme *th = state_theme(st);
    const pane_box *P = &st->L.pane[pane];
    const gs_variant_info *vi = state_variant(st, pane);
    const gs_seq *s = state_seq(st, pane);
    cm_rgb vc;
    box hb = P->header, tb;
    char buf[160], num[32], num2[32];
    int badge_w = 0, fh = render_font_height(rc, FONT_SMALL);
    gs_seq_summary sum;
    if (!vi || !s) return;
    sum = gs_seq_summary_of(s);
    vc = cm_variant_colour(st->palette, st->theme, (int)vi->id);
    render_round(rc, P->all, st->L.pad, th->panel, 255);
    if (pane == st->selected) render_outline(rc, P->all, th->border, st->L.line > 1 ? 2 : 1);
    render_fill(rc, (box){ P->all.x + st->L.pad, P->all.y, P->all.w - 2 * st->L.pad, st->L.line > 1 ? 4 : 3 }, vc);

    /* badge: the first inf/NaN */
    buf[0] = '\0';
    if (sum.first_nonfinite > 0 && sum.first_nonfinite <= st->cursor)
        snprintf(buf, sizeof buf, "inf/NaN from %d", sum.first_nonfinite);
    else if (sum.first_nonfinite_grad > 0 && state_grad_shown(st, pane, sum.first_nonfinite_grad))
        snprintf(buf, sizeof buf, "\xe2\x88\x82 inf/NaN at %d", sum.first_nonfinite_grad);
    if (buf[0]) {
        box bb;
        badge_w = render_measure(rc, FONT_SMALL, buf) + st->L.pad;
        if (badge_w > hb.w / 2) { /* narrow pane: the short form */
            snprintf(buf, sizeof buf, "NaN %d", sum.first_nonfinite > 0 && sum.first_nonfinite <= st->cursor
                                                   ? sum.first_nonfinite : sum.first_nonfinite_grad);
            badge_w = render_measure(rc, FONT_SMALL, buf) + st->L.pad;
        }
        bb = (box){ hb.x + hb.w - badge_w - st->L.pad / 2, hb.y + (hb.h - fh - 4) / 2, badge_w, fh + 4 };
        render_round(rc, bb, 3, th->warn, 255);
        render_text_in(rc, FONT_SMALL, buf, bb, (cm_rgb){ 255, 255, 255 }, AL_CENTER | AL_MIDDLE);
        badge_w += st->L.pad / 2;
    }
    tb = (box){ hb.x + st->L.pad, hb.y + 2, hb.w - 2 * st->L.pad - badge_w, hb.h - 2 };
    {
        char title[96];
        const char *paren = strstr(vi->title, " (");
        int tw, nw;
        /* the full title, or up to its parenthesis ("GRU"), when the pane is narrow */
        snprintf(title, sizeof title, "%s", vi->title);
        tw = render_measure(rc, FONT_TITLE, title);
        snprintf(buf, sizeof buf, "%s", vi->name);
        nw = render_measure(rc, FONT_NAME, buf);
        if (tw + nw + st->L.pad > tb.w && paren) {
            snprintf(title, sizeof title, "%.*s", (int)(paren - vi->title), vi->title);
            tw = render_measure(rc, FONT_TITLE, title);
        }
        if (tw + nw + st->L.pad <= tb.w) {
            render_text_in(rc, FONT_TITLE, title, (box){ tb.x, tb.y, tw, tb.h }, th->text, AL_LEFT | AL_MIDDLE);
            render_text_in(rc, FONT_NAME, buf, (box){ tb.x + tw + st->L.pad / 2, tb.y, nw, tb.h }, vc, AL_LEFT | AL_MIDDLE);
        } else if (render_measure(rc, FONT_TITLE, vi->name) <= tb.w) {
            /* narrow pane: the short name in the title font */
            render_text_in(rc, FONT_TITLE, vi->name, tb, th->text, AL_LEFT | AL_MIDDLE);
        } else {
            render_text_in(rc, FONT_BOLD, vi->name, tb, th->text, AL_LEFT | AL_MIDDLE);
        }
    }

    /* readout: this step's state norms; the gradient at the backward playhead */
    {
        box r1 = P->readout, r2 = P->readout;
        const gs_step_stats *ss = st->cursor >= 1 ? gs_seq_stats(s, st->cursor) : NULL;
        int bs = state_back_step(st);
        char sh[24];
        if (!st->L.compact) { /* (compact panes: the norms alone) */
            r1.h = P->readout.h / 2;
            r2.y = r1.y + r1.h;
            r2.h = P->readout.h - r1.h;
        }
        if (ss && st->engine_steps == st->cursor) {
            fmt_value(num, sizeof num, ss->state_norm[0]);
            if (vi->n_states == 2) {
                fmt_value(num2, sizeof num2, ss->state_norm[1]);
                snprintf(buf, sizeof buf, "\xe2\x80\x96%s\xe2\x80\x96 %s   \xe2\x80\x96%s\xe2\x80\x96 %s", vi->state_symbols[0], num,
                         vi->state_symbols[1], num2);
            } else {
                fmt_value(num2, sizeof num2, ss->state_max[0]);
                snprintf(buf, sizeof buf, "\xe2\x80\x96%s\xe2\x80\x96 %s   max|%s| %s", vi->state_symbols[0], num,
                         vi->state_symbols[0], num2);
            }
        } else {
            snprintf(buf, sizeof buf, "press Step (\xe2\x86\x92) to run the cell");
            num[0] = '\0'; /* no norm yet (the narrow form below copies it) */
        }
        {
            const char *alts[2] = { buf, num };
            /* narrow panes: just the first norm */
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%s", num);
            snprintf(num, sizeof num, "\xe2\x80\x96%.4s\xe2\x80\x96 %.16s", vi->state_symbols[0], tmp);
            render_text_alt(rc, FONT_SMALL, r1, th->text, AL_LEFT | AL_MIDDLE, ss ? 2 : 1, alts);
        }
        if (st->L.compact) return; /* compact panes: the norms alone */
        ss = bs >= 1 ? gs_seq_stats(s, bs) : NULL;
        if (ss && state_grad_shown(st, pane, bs)) {
            char alt[4][160];
            const char *alts[4] = { alt[0], alt[1], alt[2], alt[3] };
            fmt_value(num, sizeof num, ss->d_state_norm[0]);
            fmt_value(num2, sizeof num2, state_shrink(st, pane, bs));
            state_shrink_name(vi, sh, sizeof sh);
            snprintf(alt[0], sizeof alt[0], "at %d: \xe2\x80\x96\xe2\x88\x82L/\xe2\x88\x82%s\xe2\x80\x96 %s   %s %s", bs,
                     vi->state_symbols[0], num, sh, num2);
            snprintf(alt[1], sizeof alt[1], "\xe2\x80\x96\xe2\x88\x82L/\xe2\x88\x82%s\xe2\x80\x96 %s  %s %s",
                     vi->state_symbols[0], num, sh, num2);
            fmt_short(num, sizeof num, ss->d_state_norm[0]);
            fmt_short(num2, sizeof num2, state_shrink(st, pane, bs));
            snprintf(alt[2], sizeof alt[2], "\xe2\x88\x82 %s  %s %s", num, sh, num2);
            snprintf(alt[3], sizeof alt[3], "\xe2\x88\x82 %s", num); /* a narrow pane: the gradient alone */
            render_text_alt(rc, FONT_SMALL, r2, th->backward, AL_LEFT | AL_MIDDLE, 4, alts);
        } else if (st->cursor >= 1) {
            char alt2[64];
            const char *alts[2] = { buf, alt2 };
            if (st->first_loss_step > st->cursor) {
                snprintf(buf, sizeof buf, "no loss yet: the first is at step %d", st->first_loss_step);
                snprintf(alt2, sizeof alt2, "loss at step %d", st->first_loss_step);
            } else {
                snprintf(buf, sizeof buf, "no gradient at step %d", bs);
                snprintf(alt2, sizeof alt2, "no gradient");
            }
            render_text_alt(rc, FONT_SMALL, r2, th->text_dim, AL_LEFT | AL_MIDDLE, 2, alts);
        }
    }
}

/* ---- Status line ------------------------------------------------------------------ */

void view_status(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    box b = st->L.status, l, r;
    char buf[256], shortb[160], right[640];
    const opt_setup *s = &st->setup;
    int rw;
    render_fill(rc, b, th->panel);
    render_fill(rc, (box){ b.x, b.y, b.w, 1 }, th->border);
    snprintf(buf, sizeof buf, "%s \xc2\xb7 T %d \xc2\xb7 n %d \xc2\xb7 seed %llu \xc2\xb7 %s BPTT",
             gs_task_info_get(s->task)->title, state_T(st), s->hidden, (unsigned long long)s->seed,
             s->truncate > 0 ? "truncated" : "full");
    snprintf(shortb, sizeof shortb, "%s task \xc2\xb7 T %d \xc2\xb7 n %d \xc2\xb7 seed %llu",
             gs_task_info_get(s->task)->name, state_T(st), s->hidden, (unsigned long long)s->seed);
    rw = render_measure(rc, FONT_SMALL, buf);
    if (rw > b.w * 45 / 100) {
        snprintf(buf, sizeof buf, "%s", shortb);
        rw = render_measure(rc, FONT_SMALL, buf);
    }
    {
        /* the gates forced (clamps), first: all of them, or how many */
        char cl[160];
        int nc = clamp_describe(s, cl, sizeof cl);
        if (nc > 0) {
            snprintf(right, sizeof right, "clamped %s \xc2\xb7 %s", cl, buf);
            if (render_measure(rc, FONT_SMALL, right) > b.w * 55 / 100)
                snprintf(right, sizeof right, "%d clamp%s (U frees) \xc2\xb7 %s", nc, nc == 1 ? "" : "s", shortb);
        } else {
            snprintf(right, sizeof right, "%s", buf);
        }
        rw = render_measure(rc, FONT_SMALL, right);
    }
    r = (box){ b.x + b.w - rw - st->L.pad, b.y, rw, b.h };
    l = (box){ b.x + st->L.pad, b.y, b.w - rw - 3 * st->L.pad, b.h };
    render_text_in(rc, FONT_SMALL, right, r, th->text_dim, AL_RIGHT | AL_MIDDLE);
    if (st->toast_left > 0 && st->toast[0])
        render_text_in(rc, FONT_SMALL, st->toast, l, th->warn, AL_LEFT | AL_MIDDLE);
    else if (!st->handout) { /* a handout on paper has no keys */
        static const char *const hints_start[3] = {
            ("\xe2\x86\x92 step \xc2\xb7 Space play \xc2\xb7 Shift+\xe2\x86\x90 walk the gradient back "
             "\xc2\xb7 F2 lessons \xc2\xb7 ? all keys"),
            "\xe2\x86\x92 step \xc2\xb7 Space play \xc2\xb7 F2 lessons \xc2\xb7 ? all keys",
            "? all keys" };
        static const char *const hints_lesson[3] = {
            ("PgDn next step \xc2\xb7 PgUp previous \xc2\xb7 F5 present \xc2\xb7 Esc leave the lesson "
             "\xc2\xb7 ? all keys"),
            "PgDn next \xc2\xb7 PgUp previous \xc2\xb7 ? all keys",
            "? all keys" };
        render_text_alt(rc, FONT_SMALL, l, th->text_dim, AL_LEFT | AL_MIDDLE, 3,
                        st->lesson && st->lesson->l ? hints_lesson : hints_start);
    }
}

/* ---- Tooltip ---------------------------------------------------------------------- */

#define TIP_LINES 8

static void tooltip_lines(const app_state *st, char lines[TIP_LINES][200], int *n) {
    const hover_info *h = &st->hover;
    const gs_variant_info *vi = state_variant(st, h->pane);
    char num[32], num2[32];
    *n = 0;
    num2[0] = '\0';
    switch (h->kind) {
    case HOV_BUTTON:
    case HOV_ROW: {
        const command *c = commands_get(h->cmd);
        if (!c) return;
        if (c->id == CMD_VARIANT) {
            const gs_variant_info *v = gs_variant_get((gs_variant)h->arg);
            if (h->arg < GS_NIG) snprintf(lines[0], 200, "%s  (key %d)", v ? v->title : "?", h->arg + 1);
            else snprintf(lines[0], 200, "%s  (Shift+%d)", v ? v->title : "?", h->arg - GS_NIG + 1);
            snprintf(lines[1], 200, "%s", v ? v->summary : "");
            *n = 2;
            return;
        }
        snprintf(lines[0], 200, "%s  (%s)", c->label, c->keys);
        snprintf(lines[1], 200, "%s", c->help);
        *n = 2;
        return;
    }
    case HOV_HEADER:
        if (!vi) return;
        snprintf(lines[0], 200, "%s (%s)", vi->title, vi->name);
        snprintf(lines[1], 200, "%s", vi->summary);
        snprintf(lines[2], 200, "state %s; click to show its equations", vi->bounded ? "bounded" : "unbounded");
        *n = 3;
        return;
    case HOV_CELL: {
        const strip_def *d = &st->L.strips[h->pane][h->strip];
        int shown;
        double v = view_cell_value(st, h->pane, h->strip, h->unit, h->step, &shown);
        if (!vi) return;
        snprintf(lines[0], 200, "%s \xc2\xb7 %s", vi->name, d->name);
        snprintf(lines[1], 200, "unit %d \xc2\xb7 step %d", h->unit, h->step);
        if (shown) {
            fmt_value(num, sizeof num, v);
            snprintf(lines[2], 200, "= %s", num);
        } else if (h->step > st->cursor) {
            snprintf(lines[2], 200, "not computed yet (the cursor is at step %d)", st->cursor);
        } else if (d->q == GS_Q_D_STATE) {
            gs_seq_summary su = gs_seq_summary_of(state_seq(st, h->pane));
            if (st->first_loss_step > st->cursor)
                snprintf(lines[2], 200, "no loss yet: the backward pass starts at step %d", st->first_loss_step);
            else if (su.truncated && h->step < su.grad_lo)
                snprintf(lines[2], 200, "truncated: the gradient stops %d steps back", st->setup.truncate);
            else if (st->back_active && h->step < st->back_pos)
                snprintf(lines[2], 200, "not reached yet: walk back with Shift+\xe2\x86\x90");
            else
                snprintf(lines[2], 200, "no gradient reaches this step");
        } else {
            snprintf(lines[2], 200, "no value");
        }
        *n = 3;
        return;
    }
    case HOV_DIAGRAM: {
        const gs_seq *s = state_seq(st, h->pane);
        int len = 0, u = st->unit;
        const gs_real *v = NULL;
        if (!vi || !s) return;
        int inv, gi = part_gate(h->part, &inv);
        if (gi >= 0 && gi < vi->n_gates) {
            const gs_gate_info *g = &vi->gates[gi];
            double cv;
            int cu = u < gs_model_config_of(gs_seq_model(s))->n_hidden ? u : 0;
            if (inv) snprintf(lines[0], 200, "%s valve 1\xe2\x88\x92%s (%s)", g->role == GS_ROLE_UPDATE ? "write" : "keep",
                              g->symbol, vi->name);
            else snprintf(lines[0], 200, "%s gate %s (%s)", g->name, g->symbol, vi->name);
            /* what a click does, read off the clamp (free → open → shut → free) */
            if (gs_model_gate_clamped(gs_seq_model(s), gi, cu, &cv))
                snprintf(lines[2], 200, "clamped: %s = %g; a click %s it (Shift: every unit)", g->symbol, cv,
                         (inv ? 1.0 - cv : cv) == 1.0 ? "shuts" : "frees");
            else
                snprintf(lines[2], 200, "a click forces it open, then shut, then free (Shift: every unit)");
            v = gs_seq_values(s, GS_Q_GATE, gi, state_focus_step(st), 0, &len);
            if (inv && v && len > 0) { /* the valve's opening, 1 − the gate */
                if (u >= len) u = len - 1;
                fmt_value(num, sizeof num, 1.0 - (double)v[u]);
                snprintf(lines[1], 200, "unit %d = %s  (\xe2\x86\x91\xe2\x86\x93 or a click on a heatmap picks the unit)", u, num);
                *n = 3;
                return;
            }
            if (v && state_focus_step(st) >= 1) {
                if (u >= len) u = len - 1;
                fmt_value(num, sizeof num, (double)v[u]);
                snprintf(lines[1], 200, "unit %d = %s  (\xe2\x86\x91\xe2\x86\x93 or a click on a heatmap picks the unit)", u, num);
            } else {
                snprintf(lines[1], 200, "step forward to see its value");
            }
            *n = 3;
            return;
        } else if (h->part == PART_CAND && vi->cand_display) {
            snprintf(lines[0], 200, "candidate %s (%s)", vi->cand_display, vi->name);
            v = gs_seq_values(s, GS_Q_CAND, 0, state_focus_step(st), 0, &len);
        } else if (h->part == PART_STATE_OUT || h->part == PART_STATE_IN || h->part == PART_H_OUT ||
                   h->part == PART_H_IN) {
            int k = (h->part == PART_H_OUT || h->part == PART_H_IN) ? 1 : 0;
            int t = (h->part == PART_STATE_IN || h->part == PART_H_IN) ? state_focus_step(st) - 1 : state_focus_step(st);
            snprintf(lines[0], 200, "%s %s at step %d (%s)", vi->n_states == 2 ? (k ? "hidden state" : "cell state") : "state",
                     vi->state_symbols[k], t, vi->name);
            if (t >= 0 && state_focus_step(st) >= 1) v = gs_seq_values(s, GS_Q_STATE, k, t, 0, &len);
        } else if (h->part == PART_OUT) {
            snprintf(lines[0], 200, "output %s (%s)", vi->output_display, vi->name);
            v = gs_seq_values(s, GS_Q_OUT, 0, state_focus_step(st), 0, &len);
        } else if (h->part == PART_INPUT) {
            snprintf(lines[0], 200, "input x at step %d", state_focus_step(st));
            v = gs_seq_values(s, GS_Q_X, 0, state_focus_step(st), 0, &len);
            if (v && len > 0) {
                char all[160] = "";
                for (int i = 0; i < len && i < 6; i++) {
                    fmt_value(num, sizeof num, (double)v[i]);
                    strncat(all, num, sizeof all - strlen(all) - 1);
                    if (i + 1 < len) strncat(all, "  ", sizeof all - strlen(all) - 1);
                }
                snprintf(lines[1], 200, "x = (%s)", all);
                *n = 2;
                return;
            }
        } else if (h->part == PART_NORM) {
            snprintf(lines[0], 200, "divide by \xe2\x88\x9a(Var + 1): a soft bound on the state");
            *n = 1;
            return;
        } else {
            return;
        }
        if (!v || state_focus_step(st) < 1) {
            snprintf(lines[1], 200, "step forward to see its value");
            *n = 2;
            return;
        }
        if (u >= len) u = len - 1;
        fmt_value(num, sizeof num, (double)v[u]);
        snprintf(lines[1], 200, "unit %d = %s  (\xe2\x86\x91\xe2\x86\x93 or a click on a heatmap picks the unit)", u, num);
        *n = 2;
        return;
    }
    case HOV_PLOT: {
        const gs_seq *s = state_seq(st, h->pane);
        const gs_step_stats *ss = s ? gs_seq_stats(s, h->step) : NULL;
        if (!vi) return;
        snprintf(lines[0], 200, "%s \xc2\xb7 step %d", vi->name, h->step);
        if (!ss) {
            snprintf(lines[1], 200, "not computed yet");
            *n = 2;
            return;
        }
        if (h->plot == PLOT_DRIFT) {
            fmt_value(num, sizeof num, ss->state_norm[0]);
            snprintf(lines[1], 200, "\xe2\x80\x96%s\xe2\x80\x96 = %s", vi->state_symbols[0], num);
            if (vi->n_states == 2) {
                fmt_value(num2, sizeof num2, ss->state_norm[1]);
                snprintf(lines[2], 200, "\xe2\x80\x96%s\xe2\x80\x96 = %s", vi->state_symbols[1], num2);
                *n = 3;
                return;
            }
        } else if (h->plot == PLOT_GRAD) {
            char sh[24];
            if (!state_grad_shown(st, h->pane, h->step)) {
                gs_seq_summary su = gs_seq_summary_of(s);
                if (st->first_loss_step > st->cursor)
                    snprintf(lines[1], 200, "no loss yet: the backward pass starts at step %d", st->first_loss_step);
                else if (h->step > st->cursor)
                    snprintf(lines[1], 200, "not computed yet");
                else if (su.truncated && h->step < su.grad_lo)
                    snprintf(lines[1], 200, "truncated: the gradient stops %d steps back", st->setup.truncate);
                else if (st->back_active && h->step < st->back_pos)
                    snprintf(lines[1], 200, "not reached yet: walk back with Shift+\xe2\x86\x90");
                else
                    snprintf(lines[1], 200, "no gradient at this step");
                *n = 2;
                return;
            }
            fmt_value(num, sizeof num, ss->d_state_norm[0]);
            snprintf(lines[1], 200, "\xe2\x80\x96\xe2\x88\x82L/\xe2\x88\x82%s\xe2\x80\x96 = %s", vi->state_symbols[0], num);
            fmt_value(num2, sizeof num2, state_shrink(st, h->pane, h->step));
            snprintf(lines[2], 200, "shrink factor (%s) = %s", state_shrink_name(vi, sh, sizeof sh), num2);
            *n = 3;
            return;
        } else {
            fmt_value(num, sizeof num, ss->loss);
            snprintf(lines[1], 200, isnan(ss->loss) ? "no loss at this step" : "loss = %s", num);
        }
        *n = 2;
        return;
    }
    case HOV_TRACK: view_track_tooltip(st, lines, TIP_LINES, n); return;
    case HOV_NONE: return;
    }
}

void view_tooltip(render_ctx *rc, const app_state *st) {
    const cm_theme *th = state_theme(st);
    char lines[TIP_LINES][200];
    int n = 0, i, w = 0, fh = render_font_height(rc, FONT_BODY), pad = st->L.pad, x, y, h;
    memset(lines, 0, sizeof lines);
    if (!st->mouse_in || st->hover.kind == HOV_NONE) return;
    tooltip_lines(st, lines, &n);
    if (n == 0) return;
    for (i = 0; i < n; i++) {
        int lw = render_measure(rc, i == 0 ? FONT_BOLD : FONT_BODY, lines[i]);
        if (lw > w) w = lw;
    }
    if (w > st->L.w - 4 * pad) w = st->L.w - 4 * pad;
    h = n * (fh + 2) + pad;
    x = st->mouse_x + 16;
    y = st->mouse_y + 20;
    if (x + w + 2 * pad > st->L.w) x = st->mouse_x - w - 2 * pad - 8;
    if (x < 0) x = 0;
    if (y + h > st->L.h) y = st->mouse_y - h - 8;
    if (y < 0) y = 0;
    render_round(rc, (box){ x + 2, y + 3, w + 2 * pad, h }, pad / 2, th->shadow, 90);
    render_round(rc, (box){ x, y, w + 2 * pad, h }, pad / 2, th->panel_alt, 250);
    render_outline(rc, (box){ x, y, w + 2 * pad, h }, th->border, 1);
    for (i = 0; i < n; i++)
        render_text_in(rc, i == 0 ? FONT_BOLD : FONT_BODY, lines[i],
                       (box){ x + pad, y + pad / 2 + i * (fh + 2), w, fh + 2 }, i == 0 ? th->text : th->text_dim,
                       AL_LEFT | AL_MIDDLE);
}
