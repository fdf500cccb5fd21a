/* clamp.c — clamping gates from the window: the click's cycle, the engine call, the
 * recomputation, and the setup's copy of the clamps.  See clamp.h. */
#include "session/clamp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void say(app_state *st, const char *msg) {
    snprintf(st->toast, sizeof st->toast, "%.199s", msg);
    st->toast_left = 4.0;
}

void clamp_command(app_state *st, cmd_id cmd, int arg) {
    if (st->n_clamp_queue >= (int)(sizeof st->clamp_queue / sizeof *st->clamp_queue)) return;
    st->clamp_queue[st->n_clamp_queue++] = cmd == CMD_UNCLAMP ? -1 : arg;
}

/* The setup's clamps of variant v made again from what model m has now: one entry
 * per gate clamped alike for every unit, else one per clamped unit. */
static void mirror(opt_setup *s, gs_variant v, const gs_model *m) {
    const gs_variant_info *vi = gs_variant_get(v);
    int n = gs_model_config_of(m)->n_hidden, k = 0;
    for (int i = 0; i < s->n_clamps; i++)
        if (s->clamps[i].variant != v) s->clamps[k++] = s->clamps[i];
    s->n_clamps = k;
    for (int g = 0; g < vi->n_gates; g++) {
        double v0 = 0, vu;
        int alike = gs_model_gate_clamped(m, g, 0, &v0);
        for (int u = 1; u < n && alike; u++)
            alike = gs_model_gate_clamped(m, g, u, &vu) && vu == v0;
        for (int u = 0; u < n && s->n_clamps < OPT_MAX_CLAMPS; u++) {
            opt_clamp c = { v, g, alike ? GS_ALL_UNITS : u, 0 };
            if (!gs_model_gate_clamped(m, g, u, &c.value)) continue;
            s->clamps[s->n_clamps++] = c;
            if (alike) break;
        }
    }
}

/* The scene's models changed: the whole pass again, and what the state keeps of it. */
static void recompute(app_state *st) {
    scene_recompute(&st->sc);
    state_take_numbers(st);
    st->engine_steps = -1; /* the seqs hold all T steps: the sync goes back to the cursor */
    st->view_gen++;
}

/* One click: cycle the clicked valve of pane for the focused unit, or every unit. */
static void click(app_state *st, int arg) {
    int pane = arg / CLAMP_ARG_PANE, part = (arg % CLAMP_ARG_PANE) / 2, all = arg & 1;
    int inv, gate = part_gate(part, &inv), unit = st->unit, clamped;
    gs_model *m;
    const gs_variant_info *vi;
    double v = 0, opening, next;
    char msg[200], who[32];
    gs_error e;
    gs_status rc;
    if (!st->have_scene || pane < 0 || pane >= st->sc.n || gate < 0) return;
    m = st->sc.models[pane];
    vi = gs_variant_get(gs_model_config_of(m)->variant);
    if (gate >= vi->n_gates) return;
    if (unit >= st->setup.hidden) unit = st->setup.hidden - 1;
    if (unit < 0) unit = 0;
    /* the cycle, read off the focused unit: free → open → shut → free */
    clamped = gs_model_gate_clamped(m, gate, unit, &v);
    opening = inv ? 1.0 - v : v;
    next = !clamped ? 1.0 : opening == 1.0 ? 0.0 : (double)NAN;
    if (isnan(next)) rc = gs_model_unclamp_gate(m, gate, all ? GS_ALL_UNITS : unit, &e);
    else rc = gs_model_clamp_gate(m, gate, all ? GS_ALL_UNITS : unit, inv ? 1.0 - next : next, &e);
    if (rc != GS_OK) {
        snprintf(msg, sizeof msg, "cannot clamp: %.170s", e.msg);
        say(st, msg);
        return;
    }
    mirror(&st->setup, vi->id, m);
    if (st->rebuild_pending) mirror(&st->pending, vi->id, m);
    recompute(st);
    if (all) snprintf(who, sizeof who, "every unit");
    else snprintf(who, sizeof who, "unit %d", unit);
    if (isnan(next))
        snprintf(msg, sizeof msg, "%s of %s runs free again (%s)", vi->gates[gate].symbol, vi->name, who);
    else
        snprintf(msg, sizeof msg, "%s%s of %s forced %s (%s, %s = %g): click again to %s", inv ? "1\xe2\x88\x92" : "",
                 vi->gates[gate].symbol, vi->name, next == 1.0 ? "open" : "shut", who, vi->gates[gate].symbol,
                 inv ? 1.0 - next : next, next == 1.0 ? "shut it" : "free it");
    if (st->train.w) strncat(msg, "; training goes on as it started", sizeof msg - strlen(msg) - 1);
    say(st, msg);
}

void clamp_update(app_state *st) {
    int n = st->n_clamp_queue;
    st->n_clamp_queue = 0;
    for (int k = 0; k < n; k++) {
        if (st->clamp_queue[k] >= 0) {
            click(st, st->clamp_queue[k]);
            continue;
        }
        /* U: every gate of every model runs free */
        if (!st->have_scene || st->setup.n_clamps == 0) {
            say(st, "no gate is clamped: a click on a valve clamps one");
            continue;
        }
        for (int i = 0; i < st->sc.n; i++) gs_model_unclamp_gate(st->sc.models[i], -1, GS_ALL_UNITS, NULL);
        st->setup.n_clamps = 0;
        if (st->rebuild_pending) st->pending.n_clamps = 0;
        recompute(st);
        say(st, "every gate runs free again");
    }
}

int clamp_describe(const opt_setup *s, char *buf, size_t len) {
    size_t used = 0;
    if (len) buf[0] = '\0';
    for (int k = 0; k < s->n_clamps && used < len; k++) {
        const opt_clamp *c = &s->clamps[k];
        const gs_variant_info *vi = gs_variant_get(c->variant);
        int w;
        if (c->unit == GS_ALL_UNITS)
            w = snprintf(buf + used, len - used, "%s%s %s=%g", k ? ", " : "", vi->name,
                         vi->gates[c->gate].symbol, c->value);
        else
            w = snprintf(buf + used, len - used, "%s%s %s[%d]=%g", k ? ", " : "", vi->name,
                         vi->gates[c->gate].symbol, c->unit, c->value);
        if (w < 0) break;
        used += (size_t)w;
    }
    return s->n_clamps;
}
