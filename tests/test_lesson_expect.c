/* test_lesson_expect.c — the lesson format's expectations evaluated against sequences
 * built by hand (rnn and proto, three units): each form passes where it should and fails
 * with the message it should, and its margin is the distance to failing.  The grammar and
 * the error lines are test_lesson_parse.c's. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "gatescope.h"
#include "gatescope_lesson.h"
#include "lesson_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Expectations against sequences built by hand ------------------------------------------ */

typedef struct scene {
    gs_model *m[2];
    gs_seq *s[2];
    gs_variant v[2];
} scene;

/* rnn and proto, 3 hidden units, 1 input, T steps of the same input; backward with
 * the Jacobian. */
static int scene_build(scene *sc, int T, double input, double ws) {
    gs_error err;
    memset(sc, 0, sizeof *sc);
    sc->v[0] = GS_RNN;
    sc->v[1] = GS_PROTO;
    for (int i = 0; i < 2; i++) {
        gs_model_config c = gs_model_config_default(sc->v[i], 1, 3, 1);
        gs_backward_opts bo = {0};
        c.seed = 5;
        c.weight_scale = ws;
        if (gs_model_create(&sc->m[i], &c, &err) != GS_OK ||
            gs_seq_create(&sc->s[i], sc->m[i], T, 1, &err) != GS_OK) {
            fprintf(stderr, "scene: %s\n", err.msg);
            return -1;
        }
        for (int t = 0; t < T; t++) {
            gs_seq_inputs(sc->s[i])[t] = (gs_real)input;
            gs_seq_targets(sc->s[i])[t] = (gs_real)0.5;
            gs_seq_mask(sc->s[i])[t] = t == T - 1;
        }
        gs_seq_rewind(sc->s[i]);
        gs_seq_forward(sc->s[i], T);
        bo.jacobian = 1;
        if (gs_seq_backward(sc->s[i], &bo, &err) != GS_OK) {
            fprintf(stderr, "scene: %s\n", err.msg);
            return -1;
        }
    }
    return 0;
}

static void scene_free(scene *sc) {
    for (int i = 0; i < 2; i++) {
        gs_seq_destroy(sc->s[i]);
        gs_model_destroy(sc->m[i]);
    }
}

static double q(const scene *sc, int i, const char *name, int t) {
    double v = NAN;
    CHECK(gs_seq_scalar(sc->s[i], name, t, &v, NULL) == GS_OK);
    return v;
}

/* Parse a one-step lesson with the given @expect line and evaluate it. */
static int eval_line(const scene *sc, const char *expect, char *msg, size_t len) {
    char text[512];
    gs_lesson *l;
    gs_error err;
    int ok = -1;
    snprintf(text, sizeof text, "# E\n\n## S\n@variants rnn, proto\n@length 100\n@expect %s\n", expect);
    l = parse_str("e.lesson", text, &err);
    if (!l) return -1;
    if (l->steps[0].n_expects == 1)
        ok = gs_lesson_expect_eval(l, &l->steps[0].expects[0], sc->v,
                                   (const gs_seq *const *)sc->s, 2, msg, len);
    gs_lesson_destroy(l);
    return ok;
}

static void expect_pass(const scene *sc, const char *expect) {
    char msg[512] = "";
    CHECK_MSG(eval_line(sc, expect, msg, sizeof msg) == 1, "'%s' should hold: %s", expect, msg);
}

/* Fails, with a message containing `needle`. */
static void expect_fail(const scene *sc, const char *expect, const char *needle) {
    char msg[512] = "";
    CHECK_MSG(eval_line(sc, expect, msg, sizeof msg) == 0, "'%s' should fail", expect);
    CHECK_MSG(strstr(msg, needle) != NULL, "'%s': message '%s' lacks '%s'", expect, msg, needle);
}

/* Evaluate `expect` with gs_lesson_expect_check: verdict, margin kind and value (to
 * 1e-9, relative), the step (-1: any), the text (NULL: not checked); and thinness
 * follows GS_LESSON_THIN_*. */
static void check_margin(const scene *sc, const char *expect, int holds, gs_lesson_margin_kind kind,
                         double margin, int step, const char *text) {
    char lesson[512], mt[48];
    gs_lesson *l;
    gs_error err;
    gs_lesson_result r;
    snprintf(lesson, sizeof lesson, "# E\n\n## S\n@variants rnn, proto\n@length 100\n@expect %s\n",
             expect);
    if (!(l = parse_str("m.lesson", lesson, &err))) return;
    gs_lesson_expect_check(l, &l->steps[0].expects[0], sc->v, (const gs_seq *const *)sc->s, 2, &r);
    gs_lesson_margin_text(&r, mt, sizeof mt);
    CHECK_MSG(r.holds == holds, "'%s': holds %d", expect, r.holds);
    CHECK_MSG(r.kind == kind, "'%s': margin kind %d, want %d", expect, (int)r.kind, (int)kind);
    if (kind == GS_MARGIN_FACTOR || kind == GS_MARGIN_DIFF)
        CHECK_MSG(fabs(r.margin - margin) <= 1e-9 * fabs(margin), "'%s': margin %.17g, want %.17g",
                  expect, r.margin, margin);
    if (step >= 0) CHECK_MSG(r.step == step, "'%s': at step %d, want %d", expect, r.step, step);
    if (text) CHECK_MSG(!strcmp(mt, text), "'%s': margin text '%s', want '%s'", expect, mt, text);
    CHECK_MSG(gs_lesson_margin_thin(&r) ==
                  (holds && ((kind == GS_MARGIN_FACTOR && margin < GS_LESSON_THIN_FACTOR) ||
                             (kind == GS_MARGIN_DIFF && margin < GS_LESSON_THIN_DIFF))),
              "'%s': thin %d", expect, gs_lesson_margin_thin(&r));
    CHECK_MSG(holds || strstr(r.msg, "m.lesson:6: expected ") == r.msg, "'%s': message '%s'", expect,
              r.msg);
    gs_lesson_destroy(l);
}

static void test_expectations(void) {
    enum { T = 12 };
    scene sc;
    char e[256], want[256];
    double maxp = 0, minr = HUGE_VAL, d1, dl, last;
    int maxp_t = 0;
    if (scene_build(&sc, T, 1.0, 3.0)) {
        CHECK(0);
        scene_free(&sc);
        return;
    }
    for (int t = 1; t < 6; t++) {
        double v = q(&sc, 1, "s_norm", t);
        if (v > maxp) maxp = v, maxp_t = t;
    }
    for (int t = 1; t <= T; t++) {
        double v = q(&sc, 0, "s_norm", t);
        if (v < minr) minr = v;
    }
    d1 = q(&sc, 0, "d_s_norm", 1);
    dl = q(&sc, 0, "d_s_norm", T);
    last = q(&sc, 1, "s_norm", T);
    CHECK(maxp > 0 && d1 > 0 && dl > 0);

    /* whole-sequence quantities: exact message */
    {
        char msg[512];
        CHECK(eval_line(&sc, "rnn steps == 7", msg, sizeof msg) == 0);
        CHECK_MSG(strcmp(msg, "e.lesson:6: expected rnn steps == 7, but rnn steps was 12") == 0,
                  "%s", msg);
    }
    expect_pass(&sc, "rnn steps == 12");
    expect_pass(&sc, "proto first_nonfinite == 0");
    expect_pass(&sc, "rnn gamma_w > 0");

    /* somewhere before N: the threshold just below / above the largest value */
    snprintf(e, sizeof e, "proto s_norm > %.17g before 6", maxp * 0.999);
    expect_pass(&sc, e);
    snprintf(e, sizeof e, "proto s_norm > %.17g before 6", maxp * 1.001);
    snprintf(want, sizeof want, "but the largest proto s_norm before step 6 was %.6g (at step %d)",
             maxp, maxp_t);
    expect_fail(&sc, e, want);
    /* a negative coefficient turns the largest into the smallest */
    snprintf(e, sizeof e, "-1 * rnn s_norm > %.17g", -minr * 1.001);
    expect_pass(&sc, e);
    snprintf(e, sizeof e, "-1 * rnn s_norm > %.17g", -minr * 0.999);
    expect_fail(&sc, e, "but the smallest rnn s_norm was");
    /* the number on the left */
    snprintf(e, sizeof e, "%.17g < rnn s_norm everywhere", minr * 0.999);
    expect_pass(&sc, e);
    snprintf(e, sizeof e, "%.17g < rnn s_norm everywhere", minr * 1.001);
    expect_fail(&sc, e, "(it fails at ");

    /* fixed steps, coefficients, first/last */
    snprintf(e, sizeof e, "rnn d_s_norm at 1 < %.17g * rnn d_s_norm at last", d1 / dl * 1.01);
    expect_pass(&sc, e);
    snprintf(e, sizeof e, "rnn d_s_norm at first < %.17g * rnn d_s_norm at last", d1 / dl * 0.99);
    snprintf(want, sizeof want, "but rnn d_s_norm at 1 was %.6g and rnn d_s_norm at last was %.6g",
             d1, dl);
    expect_fail(&sc, e, want);
    snprintf(e, sizeof e, "proto s_norm at last == %.17g", last);
    expect_pass(&sc, e);

    /* two moving sides compared step by step */
    expect_pass(&sc, "proto s_norm >= 0 * rnn s_norm everywhere");
    expect_fail(&sc, "proto s_norm < -1 * rnn s_norm somewhere", "it holds at no step; closest at step");
    /* after N, and the range */
    snprintf(e, sizeof e, "proto s_norm == %.17g after 11", last);
    expect_pass(&sc, e);
    expect_fail(&sc, "proto s_norm > 1e30 after 4", "the largest proto s_norm after step 4 was");
    /* everywhere: the first failing step and how many */
    expect_fail(&sc, "proto s_norm < 0 everywhere", "at step 1 proto s_norm was");
    expect_fail(&sc, "proto s_norm < 0 everywhere", "(it fails at 12 of 12 steps)");
    /* per-step quantities from backward and the Jacobian */
    expect_pass(&sc, "rnn jac_sigma > 0 everywhere");
    expect_pass(&sc, "rnn has_grad == 1 everywhere");
    expect_pass(&sc, "proto d_s_norm != 0 somewhere");
    /* NaN never satisfies: loss is NaN where no loss is taken */
    expect_pass(&sc, "rnn loss >= 0 somewhere");
    expect_fail(&sc, "rnn loss >= 0 before 12", "rnn loss was NaN at every step before step 12");
    expect_fail(&sc, "rnn loss at 3 != 1", "but rnn loss at 3 was nan");

    /* margins: a factor for one-signed sides, at the step that decides */
    {
        double lo = minr, d1v = d1, dlv = dl;
        check_margin(&sc, "rnn steps == 12", 1, GS_MARGIN_EXACT, 0, 0, "exact");
        check_margin(&sc, "rnn steps > 8", 1, GS_MARGIN_FACTOR, 1.5, 0, "\xc3\x97" "1.5");
        check_margin(&sc, "rnn steps > 11", 1, GS_MARGIN_FACTOR, 12.0 / 11, 0, NULL); /* thin */
        check_margin(&sc, "rnn steps < 10", 0, GS_MARGIN_FACTOR, 10.0 / 12, 0, NULL); /* fails */
        check_margin(&sc, "rnn steps == 12.5 within 1", 1, GS_MARGIN_FACTOR, 2, 0, NULL);
        check_margin(&sc, "rnn steps == 14 within 1", 0, GS_MARGIN_FACTOR, 0.5, 0, NULL);
        /* everywhere: the worst step; somewhere: the best */
        snprintf(e, sizeof e, "rnn s_norm > %.17g everywhere", lo / 3);
        check_margin(&sc, e, 1, GS_MARGIN_FACTOR, 3, -1, NULL);
        snprintf(e, sizeof e, "proto s_norm > %.17g before 6", maxp / 2);
        check_margin(&sc, e, 1, GS_MARGIN_FACTOR, 2, maxp_t, "\xc3\x97" "2");
        snprintf(e, sizeof e, "rnn d_s_norm at 1 < %.17g * rnn d_s_norm at last", d1v / dlv * 4);
        check_margin(&sc, e, 1, GS_MARGIN_FACTOR, 4, 0, "\xc3\x97" "4");
        /* against zero, or across signs: the relative difference */
        check_margin(&sc, "rnn steps > 0", 1, GS_MARGIN_DIFF, 1, 0, "100 %");
        check_margin(&sc, "rnn steps > -12", 1, GS_MARGIN_DIFF, 2, 0, "200 %");
        check_margin(&sc, "rnn steps != 10", 1, GS_MARGIN_DIFF, 2.0 / 12, 0, NULL);
        check_margin(&sc, "rnn jac_sigma > 0 everywhere", 1, GS_MARGIN_DIFF, 1, -1, NULL);
        check_margin(&sc, "rnn s_norm <= 0 everywhere by construction", 0, GS_MARGIN_DIFF, -1, 1, NULL);
        check_margin(&sc, "rnn s_norm >= 0 everywhere by construction", 1, GS_MARGIN_BOUND, 0, -1,
                     "by construction");
        check_margin(&sc, "rnn loss at 3 != 1", 0, GS_MARGIN_NONE, 0, 0, "none");
    }

    /* the step checker: failures in order, with line numbers; a missing run */
    {
        const char *text = "# E\n\n## S\n@variants rnn, proto, lstm\n@length 12\n"
                           "@expect rnn steps == 12\n@expect rnn steps == 3\n"
                           "@expect lstm c_norm > 0\n@expect proto steps < 1\n";
        gs_error err;
        gs_lesson *l = parse_str("c.lesson", text, &err);
        gs_lesson_failure f[2];
        if (l) {
            int nf = gs_lesson_step_check(l, &l->steps[0], sc.v, (const gs_seq *const *)sc.s, 2, f, 2);
            CHECK(nf == 3);
            CHECK(f[0].line == 7 && f[0].index == 1 &&
                  strcmp(f[0].msg, "c.lesson:7: expected rnn steps == 3, but rnn steps was 12") == 0);
            CHECK(f[1].line == 8 && strstr(f[1].msg, "but no run of lstm was given to check") != NULL);
            CHECK(gs_lesson_step_check(l, &l->steps[0], sc.v, (const gs_seq *const *)sc.s, 2,
                                       NULL, 0) == 3);
            gs_lesson_destroy(l);
        }
    }
    scene_free(&sc);

    /* fewer computed steps than the expectation's range */
    if (scene_build(&sc, 4, 1.0, 1.0) == 0) {
        expect_fail(&sc, "rnn s_norm > 0 after 5", "no computed step lies after step 5 (rnn s_norm has 4 steps)");
        expect_fail(&sc, "rnn s_norm at 10 > 0", "but rnn has 4 computed steps");
        expect_fail(&sc, "rnn s_norm at last > 1e9", "but rnn s_norm at last was");
    }
    scene_free(&sc);

    /* drift: proto's state keeps growing while the rnn's stays inside tanh's box */
    if (scene_build(&sc, 40, 1.0, 3.0) == 0) {
        CHECK(q(&sc, 1, "s_norm", 40) > 2.0);
        expect_pass(&sc, "proto s_norm > 2 after 20");
        expect_fail(&sc, "proto s_norm > 2 before 10", "the largest proto s_norm before step 10 was");
        expect_pass(&sc, "rnn s_norm <= 1.8 everywhere"); /* |s| <= 1 per unit: below sqrt(3) */
    }
    scene_free(&sc);
}

/* @train and @clamp: their values, what later steps inherit, and one line per error. */

int main(void) {
    test_expectations();
    return check_result("test_lesson_expect");
}
