/* test_app_clamp.c — clamping a gate from the window, headless: a click on a valve of
 * the cell diagram cycles the focused unit's gate free → 1 → 0 → free (Shift: every
 * unit), and the engine's gate values are exactly the clamp at every step, at once;
 * freed, the trace is the original bit for bit.  Also the valves that open 1 − a gate
 * (cifg's keep valve, the GRU's write valve), U, a rebuild keeping the clamps, the
 * equations and the status line saying so, --clamp opening the same state, and a
 * lesson's @train and @clamp. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_harness.h"
#include "check.h"
#include "run/headless.h"
#include "session/clamp.h"
#include "session/lesson_player.h"
#include "session/options.h"
#include "session/scene.h"
#include "session/train_session.h"

static int open_with(headless *h, const char *variants, const char *clamp) {
    options o;
    char err[256];
    options_default(&o);
    o.headless = 1;
    o.width = 1600;
    o.height = 1000;
    o.at = 20;
    o.setup.n_variants = 0;
    {
        char list[128], *p, *save = NULL;
        snprintf(list, sizeof list, "%s", variants);
        for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save))
            if (gs_variant_from_name(p, &o.setup.variants[o.setup.n_variants], NULL) == GS_OK)
                o.setup.n_variants++;
    }
    if (clamp && options_parse_clamps(&o.setup, clamp, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    return harness_open(h, &o);
}

/* The centre of pane's valve `part`, found by asking the diagram's own hit test; 0 if
 * the diagram has no such valve. */
static int valve_at(headless *h, int pane, int part, int *x, int *y) {
    const app_state *st = &h->app.st;
    box d = st->L.pane[pane].diagram;
    long sx = 0, sy = 0, n = 0;
    for (int yy = d.y; yy < d.y + d.h; yy++)
        for (int xx = d.x; xx < d.x + d.w; xx++)
            if (st->hits->cell_part_at(st, pane, d, xx, yy) == part) {
                sx += xx;
                sy += yy;
                n++;
            }
    if (!n) return 0;
    *x = (int)(sx / n);
    *y = (int)(sy / n);
    return 1;
}

/* Press and release on pane's valve (mods held), then a frame. */
static void click_valve(headless *h, int pane, int part, int mods) {
    int x = 0, y = 0;
    CHECK_MSG(valve_at(h, pane, part, &x, &y), "pane %d has no valve part %d", pane, part);
    harness_pointer(h, IN_POINTER_MOVE, x, y, mods);
    harness_pointer(h, IN_POINTER_DOWN, x, y, mods);
    harness_pointer(h, IN_POINTER_UP, x, y, mods);
    headless_frame(h, 0);
}

/* Every computed step of gate g of pane's seq: how many units hold exactly v (unit
 * -1: all units must; else just that one), 1 if all do. */
static int gate_is(headless *h, int pane, int g, int unit, double v) {
    const app_state *st = &h->app.st;
    const gs_seq *s = st->sc.seqs[pane];
    int steps = gs_seq_summary_of(s).steps, ok = steps >= 1, n = 0;
    for (int t = 1; t <= steps; t++) {
        const gs_real *x = gs_seq_values(s, GS_Q_GATE, g, t, 0, &n);
        for (int u = 0; x && u < n; u++)
            if ((unit < 0 || u == unit) && x[u] != (gs_real)v) ok = 0;
    }
    return ok;
}

/* A copy of every gate value and the dL/dstate of pane's seq (for bit-for-bit). */
static gs_real *trace_copy(headless *h, int pane, size_t *len) {
    const gs_seq *s = h->app.st.sc.seqs[pane];
    const gs_variant_info *vi = gs_variant_get(gs_model_config_of(gs_seq_model(s))->variant);
    int steps = gs_seq_summary_of(s).steps, n = 0;
    size_t k = 0, cap = (size_t)steps * 8 * 4096;
    gs_real *out = malloc(sizeof(gs_real) * cap);
    for (int t = 1; out && t <= steps; t++) {
        for (int g = 0; g <= vi->n_gates; g++) {
            const gs_real *x = g < vi->n_gates ? gs_seq_values(s, GS_Q_GATE, g, t, 0, &n)
                                               : gs_seq_values(s, GS_Q_D_STATE, 0, t, 0, &n);
            for (int u = 0; x && u < n && k < cap; u++) out[k++] = x[u];
        }
    }
    *len = k;
    return out;
}

static int logged_has(headless *h, const char *text) {
    int n = 0;
    const char *const *log;
    render_log_text(h->app.rc, 1);
    headless_frame(h, 0);
    render_log_text(h->app.rc, 0);
    log = render_logged(h->app.rc, &n);
    for (int i = 0; i < n; i++)
        if (strstr(log[i], text)) return 1;
    return 0;
}

static void test_cycle(void) {
    headless h;
    app_state *st = &h.app.st;
    size_t n0 = 0, n1 = 0;
    gs_real *before, *after;
    double v;
    if (open_with(&h, "peephole,cifg,gru", NULL) != 0) {
        CHECK(0);
        return;
    }
    st->unit = 3;
    headless_frame(&h, 0);
    before = trace_copy(&h, 0, &n0);
    /* peephole's forget gate f (gate 1): free → open for unit 3 only */
    click_valve(&h, 0, PART_GATE0 + 1, 0);
    CHECK(gs_model_gate_clamped(st->sc.models[0], 1, 3, &v) && v == 1.0);
    CHECK(!gs_model_gate_clamped(st->sc.models[0], 1, 2, NULL));
    CHECK(gs_model_clamp_count(st->sc.models[0]) == 1);
    CHECK_MSG(gate_is(&h, 0, 1, 3, 1.0), "f of unit 3 is not exactly 1 at every step");
    CHECK(!gate_is(&h, 0, 1, 2, 1.0)); /* the others run free */
    CHECK(gs_seq_summary_of(st->sc.seqs[0]).steps == 20 && st->engine_steps == 20);
    CHECK(st->setup.n_clamps == 1 && st->setup.clamps[0].unit == 3 && st->setup.clamps[0].value == 1.0);
    CHECK_MSG(logged_has(&h, "f_t = 1 (clamped)"), "the equations do not say the clamp");
    CHECK_MSG(logged_has(&h, "clamped peephole f[3]=1"), "the status line does not say the clamp");
    /* again: shut */
    click_valve(&h, 0, PART_GATE0 + 1, 0);
    CHECK(gs_model_gate_clamped(st->sc.models[0], 1, 3, &v) && v == 0.0);
    CHECK_MSG(gate_is(&h, 0, 1, 3, 0.0), "f of unit 3 is not exactly 0 at every step");
    CHECK_MSG(logged_has(&h, "f_t = 0 (clamped)"), "the equations do not say the clamp");
    /* again: free, and the trace (gates and dL/dstate) is the original bit for bit */
    click_valve(&h, 0, PART_GATE0 + 1, 0);
    CHECK(gs_model_clamp_count(st->sc.models[0]) == 0 && st->setup.n_clamps == 0);
    after = trace_copy(&h, 0, &n1);
    CHECK(before && after && n0 == n1 && n0 > 0 && memcmp(before, after, sizeof(gs_real) * n0) == 0);
    free(after);
    /* Shift: every unit */
    click_valve(&h, 0, PART_GATE0 + 1, MOD_SHIFT);
    CHECK_MSG(gate_is(&h, 0, 1, -1, 1.0), "Shift+click: f is not 1 for every unit");
    CHECK(st->setup.n_clamps == 1 && st->setup.clamps[0].unit == GS_ALL_UNITS);
    /* a rebuild (a longer sequence) keeps the clamp */
    send(&h, CMD_LENGTH, 1);
    headless_frame(&h, 0);
    CHECK(state_T(st) > 50 && gs_model_gate_clamped(st->sc.models[0], 1, 0, &v) && v == 1.0);
    CHECK(gate_is(&h, 0, 1, -1, 1.0));
    send(&h, CMD_LENGTH, -1);
    headless_frame(&h, 0);
    /* cifg: its keep valve opens 1 − i; forced open, i is 0; the write valve, i = 1 */
    st->unit = 0;
    click_valve(&h, 1, PART_GATE_INV0 + 0, 0);
    CHECK(gs_model_gate_clamped(st->sc.models[1], 0, 0, &v) && v == 0.0);
    CHECK_MSG(gate_is(&h, 1, 0, 0, 0.0), "cifg's keep valve open: i of unit 0 is not 0");
    click_valve(&h, 1, PART_GATE0 + 0, MOD_SHIFT); /* unit 0 is clamped (shut): the write valve frees */
    CHECK(gs_model_clamp_count(st->sc.models[1]) == 0);
    click_valve(&h, 1, PART_GATE0 + 0, 0);
    CHECK(gate_is(&h, 1, 0, 0, 1.0));
    /* the GRU's write valve opens 1 − z */
    click_valve(&h, 2, PART_GATE_INV0 + 1, 0);
    CHECK(gs_model_gate_clamped(st->sc.models[2], 1, 0, &v) && v == 0.0);
    CHECK(gate_is(&h, 2, 1, 0, 0.0));
    /* a press on a valve released elsewhere does nothing */
    {
        int x, y, c = gs_model_clamp_count(st->sc.models[0]);
        CHECK(valve_at(&h, 0, PART_GATE0 + 0, &x, &y));
        harness_pointer(&h, IN_POINTER_DOWN, x, y, 0);
        harness_pointer(&h, IN_POINTER_UP, x + 400, y + 300, 0);
        headless_frame(&h, 0);
        CHECK(gs_model_clamp_count(st->sc.models[0]) == c);
    }
    /* U: every gate runs free, and peephole's trace is the original again */
    send(&h, CMD_UNCLAMP, 0);
    headless_frame(&h, 0);
    for (int i = 0; i < st->sc.n; i++) CHECK(gs_model_clamp_count(st->sc.models[i]) == 0);
    CHECK(st->setup.n_clamps == 0);
    after = trace_copy(&h, 0, &n1);
    CHECK(after && n0 == n1 && memcmp(before, after, sizeof(gs_real) * n0) == 0);
    free(after);
    free(before);
    headless_close(&h);
}

/* --clamp opens the window with the clamp already in force, shown on the diagram. */
static void test_flag(void) {
    headless h;
    app_state *st = &h.app.st;
    double v;
    if (open_with(&h, "peephole,nfg", "peephole:f=1,nfg:o[2]=0") != 0) {
        CHECK(0);
        return;
    }
    CHECK(gs_model_gate_clamped(st->sc.models[0], 1, 5, &v) && v == 1.0);
    CHECK(gate_is(&h, 0, 1, -1, 1.0));
    CHECK(gs_model_gate_clamped(st->sc.models[1], 1, 2, &v) && v == 0.0);
    CHECK(!gs_model_gate_clamped(st->sc.models[1], 1, 1, NULL));
    CHECK(gate_is(&h, 1, 1, 2, 0.0));
    CHECK_MSG(logged_has(&h, "clamped peephole f=1, nfg o[2]=0"), "the status line does not list the clamps");
    /* nfg has no forget gate: no valve for it, and its keep position answers nothing */
    {
        int x, y;
        CHECK(!valve_at(&h, 1, PART_GATE_INV0 + 0, &x, &y));
        CHECK(valve_at(&h, 1, PART_GATE0 + 0, &x, &y)); /* i */
        CHECK(valve_at(&h, 1, PART_GATE0 + 1, &x, &y)); /* o */
        CHECK(!valve_at(&h, 1, PART_GATE0 + 2, &x, &y));
    }
    headless_close(&h);
}

/* A lesson's @train and @clamp in the window: trained exactly as --check trains
 * (train_session_lesson on a scene of its own), clamped after training; a step that
 * only clamps differently keeps the trained weights; @train off is the untrained scene. */
static void test_lesson(void) {
    static const char text[] =
        "# What if\n"
        "## Trained\n"
        "@variants peephole, cifg\n@task adding\n@length 12\n@hidden 4\n@seed 2\n@train 20 lr 0.01\n"
        "## Forced open\n@clamp peephole:f=1\n"
        "## Untrained\n@clamp none\n@train off\n";
    char path[1024], err[256];
    FILE *f;
    headless h;
    app_state *st = &h.app.st;
    options o;
    gs_lesson *l = NULL;
    gs_error e;
    scene ref, raw;
    size_t np = 0, nr = 0;
    gs_real *trained = NULL;
    snprintf(path, sizeof path, "%s/test_app_clamp.lesson", GS_BINARY_DIR);
    if (!(f = fopen(path, "wb")) || fwrite(text, 1, sizeof text - 1, f) != sizeof text - 1 || fclose(f) != 0) {
        CHECK_MSG(0, "cannot write %s", path);
        return;
    }
    CHECK(gs_lesson_load(&l, path, NULL, &e) == GS_OK);
    if (!l) return;
    options_default(&o);
    o.headless = 1;
    o.width = 1024;
    o.height = 640;
    o.lesson_path = path;
    if (harness_open(&h, &o) != 0) {
        CHECK(0);
        gs_lesson_destroy(l);
        return;
    }
    /* the reference: built without clamps, trained and clamped as --check does */
    {
        opt_setup s0;
        CHECK(lesson_setup_to_options(&l->steps[0].setup, NULL, &s0, err, sizeof err) == 0);
        CHECK(scene_build(&ref, &s0, GS_SOURCE_DIR "/assets", NULL, err, sizeof err) == 0);
        CHECK(scene_build(&raw, &s0, GS_SOURCE_DIR "/assets", NULL, err, sizeof err) == 0);
        CHECK(train_session_lesson(&ref, &l->steps[0].setup, err, sizeof err) == 0);
    }
    for (int i = 0; i < 2; i++) {
        const gs_real *a = gs_model_params_const(st->sc.models[i], &np), *b = gs_model_params_const(ref.models[i], &nr);
        const gs_real *c = gs_model_params_const(raw.models[i], NULL);
        CHECK_MSG(np == nr && memcmp(a, b, sizeof(gs_real) * np) == 0, "step 1: model %d is not trained as --check trains", i);
        CHECK(memcmp(a, c, sizeof(gs_real) * np) != 0); /* and it did train */
    }
    trained = malloc(sizeof(gs_real) * np);
    if (trained) memcpy(trained, gs_model_params_const(st->sc.models[0], NULL), sizeof(gs_real) * np);
    /* step 2 only clamps: the same trained weights, f forced open */
    send(&h, CMD_LESSON_NEXT, 1);
    headless_frame(&h, 0);
    CHECK(lesson_step_index(st) == 1);
    CHECK(trained && memcmp(trained, gs_model_params_const(st->sc.models[0], NULL), sizeof(gs_real) * np) == 0);
    CHECK(gs_model_clamp_count(st->sc.models[0]) == 4 && gate_is(&h, 0, 1, -1, 1.0));
    CHECK(st->setup.n_clamps == 1 && st->engine_steps == st->cursor);
    /* step 3: untrained and free */
    send(&h, CMD_LESSON_NEXT, 1);
    headless_frame(&h, 0);
    CHECK(gs_model_clamp_count(st->sc.models[0]) == 0);
    CHECK(memcmp(gs_model_params_const(raw.models[0], NULL), gs_model_params_const(st->sc.models[0], NULL),
                 sizeof(gs_real) * np) == 0);
    /* back to step 2: trained again (the same numbers), clamped again */
    send(&h, CMD_LESSON_PREV, -1);
    headless_frame(&h, 0);
    CHECK(trained && memcmp(trained, gs_model_params_const(st->sc.models[0], NULL), sizeof(gs_real) * np) == 0);
    CHECK(gs_model_clamp_count(st->sc.models[0]) == 4);
    /* a memo (what --check's look at each layout shares): trained once, the same
     * numbers as training, and a step that only clamps takes them, clamped */
    {
        train_memo memo;
        opt_setup s0;
        scene a, b;
        memset(&memo, 0, sizeof memo);
        CHECK(lesson_setup_to_options(&l->steps[0].setup, NULL, &s0, err, sizeof err) == 0);
        CHECK(scene_build(&a, &s0, GS_SOURCE_DIR "/assets", NULL, err, sizeof err) == 0);
        CHECK(scene_build(&b, &s0, GS_SOURCE_DIR "/assets", NULL, err, sizeof err) == 0);
        CHECK(train_session_lesson_memo(&a, &l->steps[0].setup, &memo, err, sizeof err) == 0);
        CHECK(memo.n == 1);
        CHECK(train_session_lesson_memo(&b, &l->steps[1].setup, &memo, err, sizeof err) == 0);
        CHECK(memo.n == 1); /* taken, not trained again */
        for (int i = 0; i < 2; i++) {
            const gs_real *r = gs_model_params_const(ref.models[i], &nr);
            CHECK(memcmp(r, gs_model_params_const(a.models[i], NULL), sizeof(gs_real) * nr) == 0);
            CHECK(memcmp(r, gs_model_params_const(b.models[i], NULL), sizeof(gs_real) * nr) == 0);
        }
        CHECK(gs_model_clamp_count(a.models[0]) == 0 && gs_model_clamp_count(b.models[0]) == 4);
        CHECK(memcmp(gs_model_params_const(memo.e[0].models[0], NULL),
                     gs_model_params_const(ref.models[0], &nr), sizeof(gs_real) * nr) == 0 &&
              gs_model_clamp_count(memo.e[0].models[0]) == 0); /* kept free */
        train_memo_free(&memo);
        CHECK(memo.n == 0);
        scene_free(&a);
        scene_free(&b);
    }
    free(trained);
    scene_free(&ref);
    scene_free(&raw);
    gs_lesson_destroy(l);
    headless_close(&h);
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    test_cycle();
    test_flag();
    test_lesson();
    SDL_Quit();
    return check_result("test_app_clamp");
}
