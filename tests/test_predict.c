/* test_predict.c — a step in its task's terms (engine/src/predict.c, and
 * gs_task_relabel / gs_task_class_name / gs_task_check_text in task.c): relabelling
 * generated inputs gives back the generated targets, every task's input is read as
 * it was generated, the readout's top class and probabilities are the softmax of y
 * and agree with the step's loss, edits change exactly what they say, targets follow
 * the task's rule, and a sequence recomputed after an edit equals a fresh run on the
 * edited input. */
#include "check.h"
#include "gatescope.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text = "the cat sat on the mat, and the dog? it ran off! it's late.";

typedef struct run {
    gs_task *task;
    gs_model *model;
    gs_seq *seq;
    int T, m, k;
} run;

static int open_run(run *r, gs_task_kind kind, int length, uint64_t seed, int B) {
    gs_task_config tc = gs_task_config_default(kind);
    gs_model_config mc;
    gs_error err;
    memset(r, 0, sizeof *r);
    if (length > 0) tc.length = length;
    if (kind == GS_TASK_TEXT || kind == GS_TASK_TYPED) {
        tc.text = text;
        tc.text_len = strlen(text);
    }
    if (gs_task_create(&r->task, &tc, &err) != GS_OK) {
        fprintf(stderr, "task: %s\n", err.msg);
        return 1;
    }
    r->T = gs_task_length(r->task);
    r->m = gs_task_n_in(r->task);
    r->k = gs_task_n_out(r->task);
    mc = gs_model_config_default(GS_LSTM, r->m, 8, r->k);
    mc.seed = seed;
    if (gs_model_create(&r->model, &mc, &err) != GS_OK ||
        gs_seq_create(&r->seq, r->model, r->T, B, &err) != GS_OK ||
        gs_seq_fill(r->seq, r->task, seed, &err) != GS_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    return 0;
}

static void close_run(run *r) {
    gs_seq_destroy(r->seq);
    gs_model_destroy(r->model);
    gs_task_destroy(r->task);
    memset(r, 0, sizeof *r);
}

static const char *name_of(gs_task_kind k) { return gs_task_info_get(k)->name; }

/* ---- Relabelling generated inputs gives the generated targets -------------------- */

static void test_relabel_identity(void) {
    for (int k = 0; k < GS_TASK_COUNT; k++) {
        run r;
        const int B = 3;
        size_t nt;
        gs_real *saved;
        unsigned char *mask;
        if (open_run(&r, (gs_task_kind)k, k == GS_TASK_TEXT ? 30 : 0, 11, B) != 0) {
            CHECK(0);
            close_run(&r);
            continue;
        }
        nt = (size_t)r.T * B * (size_t)r.k;
        saved = malloc(sizeof *saved * nt);
        mask = malloc((size_t)r.T);
        memcpy(saved, gs_seq_targets(r.seq), sizeof *saved * nt);
        memcpy(mask, gs_seq_mask(r.seq), (size_t)r.T);
        /* scribble over the targets: relabel must write every one */
        for (size_t i = 0; i < nt; i++) gs_seq_targets(r.seq)[i] = (gs_real)-5;
        memset(gs_seq_mask(r.seq), 7, (size_t)r.T);
        CHECK(gs_seq_relabel(r.seq, r.task, 11, NULL) == GS_OK);
        CHECK_MSG(memcmp(saved, gs_seq_targets(r.seq), sizeof *saved * nt) == 0,
                  "%s: relabelled targets differ from the generated ones", name_of((gs_task_kind)k));
        CHECK_MSG(memcmp(mask, gs_seq_mask(r.seq), (size_t)r.T) == 0, "%s: mask differs",
                  name_of((gs_task_kind)k));
        free(saved);
        free(mask);
        close_run(&r);
    }
}

/* ---- Reading the input ------------------------------------------------------------ */

static void test_read_input(void) {
    for (int k = 0; k < GS_TASK_COUNT; k++) {
        run r;
        int t, marked = 0, bad = 0;
        gs_step_input in;
        gs_error err;
        if (open_run(&r, (gs_task_kind)k, k == GS_TASK_TEXT ? 30 : 0, 3, 1) != 0) {
            CHECK(0);
            close_run(&r);
            continue;
        }
        for (t = 1; t <= r.T; t++) {
            const gs_real *x = gs_seq_inputs(r.seq) + (size_t)(t - 1) * (size_t)r.m;
            CHECK(gs_seq_read_input(r.seq, r.task, t, 0, &in, NULL) == GS_OK);
            switch ((gs_task_kind)k) {
            case GS_TASK_ADDING:
            case GS_TASK_ADDING_HS:
                if (in.value != (double)x[0] || in.symbol != -1 || in.marked != (x[1] == 1) || !in.editable) bad++;
                marked += in.marked;
                break;
            case GS_TASK_ECHO:
            case GS_TASK_SINE:
                if (in.value != (double)x[0] || in.symbol != -1 || in.marked) bad++;
                break;
            default:
                if (!isnan(in.value) || in.symbol < 0 || x[in.symbol] != 1) bad++;
                if (k == GS_TASK_COPY && in.editable != (t <= 10)) bad++;
                if (k == GS_TASK_COPY && t == r.T - 10 && in.symbol != 9) bad++; /* the delimiter */
                if (k == GS_TASK_ORDER && in.editable != (t > 1 && t < r.T)) bad++;
                if (k == GS_TASK_ORDER && t == 1 && strcmp(gs_task_class_name(r.task, 1, in.symbol), "B")) bad++;
                if ((k == GS_TASK_TEXT || k == GS_TASK_TYPED) &&
                    strlen(gs_task_class_name(r.task, 1, in.symbol)) != 1)
                    bad++;
                break;
            }
        }
        CHECK_MSG(bad == 0, "%s: %d steps read wrong", name_of((gs_task_kind)k), bad);
        if (k <= GS_TASK_ADDING_HS) CHECK_MSG(marked == 2, "%s: %d marked steps", name_of((gs_task_kind)k), marked);
        /* typed: the text itself, from its start */
        if (k == GS_TASK_TYPED) {
            char got[16] = "";
            for (t = 1; t <= 11; t++) {
                gs_seq_read_input(r.seq, r.task, t, 0, &in, NULL);
                strcat(got, gs_task_class_name(r.task, 1, in.symbol));
            }
            CHECK_MSG(strcmp(got, "the cat sat") == 0, "typed reads '%s'", got);
        }
        /* the raw input of any step, computed or not */
        {
            int m = 0;
            const gs_real *x = gs_seq_input_at(r.seq, r.T, 0, &m);
            CHECK(x == gs_seq_inputs(r.seq) + (size_t)(r.T - 1) * (size_t)r.m && m == r.m);
            CHECK(gs_seq_input_at(r.seq, 0, 0, &m) == NULL && m == 0);
            CHECK(gs_seq_input_at(r.seq, r.T + 1, 0, NULL) == NULL && gs_seq_input_at(r.seq, 1, 1, NULL) == NULL);
        }
        /* out of range, and every step before the forward pass (no step computed yet) */
        CHECK(gs_seq_read_input(r.seq, r.task, 0, 0, &in, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "outside steps 1..") != NULL);
        CHECK(gs_seq_read_input(r.seq, r.task, r.T + 1, 0, &in, NULL) == GS_ERR_ARG);
        CHECK(gs_seq_read_input(r.seq, r.task, 1, 1, &in, NULL) == GS_ERR_ARG);
        CHECK(gs_seq_summary_of(r.seq).steps == 0);
        close_run(&r);
    }
}

/* ---- The readout -------------------------------------------------------------------- */

static void test_readout(void) {
    for (int k = 0; k < GS_TASK_COUNT; k++) {
        run r;
        int t, bad = 0;
        gs_step_readout ro;
        if (open_run(&r, (gs_task_kind)k, k == GS_TASK_TEXT ? 30 : 0, 5, 1) != 0) {
            CHECK(0);
            close_run(&r);
            continue;
        }
        /* before the forward pass: the targets are known, the predictions are not */
        CHECK(gs_seq_readout(r.seq, r.T, 0, &ro, NULL) == GS_OK);
        CHECK(!ro.computed && ro.has_loss && isnan(ro.y) && isnan(ro.loss) && ro.top == -1);
        gs_seq_forward(r.seq, r.T - 1);
        CHECK(gs_seq_readout(r.seq, r.T, 0, &ro, NULL) == GS_OK && !ro.computed);
        gs_seq_forward(r.seq, 1);
        for (t = 1; t <= r.T; t++) {
            const gs_step_stats *ss = gs_seq_stats(r.seq, t);
            const gs_real *y = gs_seq_values(r.seq, GS_Q_Y, 0, t, 0, NULL);
            const gs_real *tg = gs_seq_values(r.seq, GS_Q_TARGET, 0, t, 0, NULL);
            CHECK(gs_seq_readout(r.seq, t, 0, &ro, NULL) == GS_OK);
            if (!ro.computed || ro.has_loss != gs_seq_loss_mask(r.seq)[t - 1]) bad++;
            /* the loss is exactly the stats' (NaN where none) */
            if (!(ro.loss == ss->loss || (isnan(ro.loss) && isnan(ss->loss)))) bad++;
            if (ro.y != (double)y[0]) bad++;
            if (gs_task_loss(r.task) == GS_LOSS_MSE) {
                if (ro.top != -1 || ro.target_class != -1) bad++;
                if (ro.has_loss && (ro.target != (double)tg[0] ||
                                    fabs((ro.y - ro.target) * (ro.y - ro.target) / r.k - ro.loss) > 1e-5))
                    bad++;
            } else {
                double sum = 0, best = -1, mx = -1e300, z = 0;
                int j, top = -1;
                for (j = 0; j < r.k; j++) if ((double)y[j] > mx) mx = (double)y[j];
                for (j = 0; j < r.k; j++) z += exp((double)y[j] - mx);
                for (j = 0; j < r.k; j++) {
                    double p = gs_seq_class_prob(r.seq, t, 0, j);
                    if (fabs(p - exp((double)y[j] - mx) / z) > 1e-12) bad++;
                    sum += p;
                    if (p > best) best = p, top = j;
                }
                if (fabs(sum - 1) > 1e-9 || ro.top != top || fabs(ro.top_prob - best) > 1e-12) bad++;
                if (ro.has_loss) {
                    /* one-hot targets: the loss is -log p(target), to float rounding */
                    if (tg[ro.target_class] != 1) bad++;
                    if (fabs(-log(ro.target_prob) - ro.loss) > 1e-5 * (1 + ro.loss)) bad++;
                    if (ro.target_prob > ro.top_prob) bad++;
                }
            }
        }
        CHECK_MSG(bad == 0, "%s: %d readout mismatches", name_of((gs_task_kind)k), bad);
        CHECK(isnan(gs_seq_class_prob(r.seq, 0, 0, 0)) && isnan(gs_seq_class_prob(r.seq, 1, 0, r.k)));
        CHECK(gs_seq_readout(r.seq, r.T + 1, 0, &ro, NULL) == GS_ERR_ARG);
        /* the scalars lessons name */
        {
            double v;
            gs_seq_readout(r.seq, r.T, 0, &ro, NULL);
            CHECK(gs_seq_scalar(r.seq, "y", r.T, &v, NULL) == GS_OK && v == ro.y);
            CHECK(gs_seq_scalar(r.seq, "target_prob", r.T, &v, NULL) == GS_OK &&
                  (v == ro.target_prob || (isnan(v) && isnan(ro.target_prob))));
            CHECK(gs_scalar_known("top_prob", GS_RNN) == 1 && gs_scalar_known("target", -1) == 1);
        }
        close_run(&r);
    }
}

/* ---- Editing ------------------------------------------------------------------------- */

static const gs_real *xat(const run *r, int t) { return gs_seq_inputs(r->seq) + (size_t)(t - 1) * (size_t)r->m; }
static const gs_real *yat(const run *r, int t) { return gs_seq_targets(r->seq) + (size_t)(t - 1) * (size_t)r->k; }

static int marked_steps(const run *r, int *a, int *b) {
    int n = 0;
    for (int t = 1; t <= r->T; t++)
        if (xat(r, t)[1] == 1) {
            if (n == 0) *a = t;
            else *b = t;
            n++;
        }
    return n;
}

static void test_edit_adding(void) {
    run r;
    int a = 0, b = 0, a2 = 0, b2 = 0;
    gs_error err;
    if (open_run(&r, GS_TASK_ADDING, 20, 2, 1) != 0) {
        CHECK(0);
        close_run(&r);
        return;
    }
    CHECK(marked_steps(&r, &a, &b) == 2 && a <= 10 && b > 10);
    /* a marked step: refused, with a reason */
    CHECK(gs_seq_edit_input(r.seq, r.task, 2, a, GS_EDIT_CLICK, &err) == GS_ERR_ARG);
    CHECK(strstr(err.msg, "already marked") != NULL);
    /* an unmarked step of the second half takes marker 2 */
    {
        int to = b == 20 ? 19 : 20;
        CHECK(gs_seq_edit_input(r.seq, r.task, 2, to, GS_EDIT_CLICK, &err) == GS_OK);
        CHECK(marked_steps(&r, &a2, &b2) == 2 && a2 == a && b2 == to);
        CHECK((double)yat(&r, 20)[0] == (double)(gs_real)((double)xat(&r, a)[0] + (double)xat(&r, to)[0]));
    }
    /* the wheel: +0.05, clamped at 1 */
    {
        double v = (double)xat(&r, a)[0];
        CHECK(gs_seq_edit_input(r.seq, r.task, 2, a, GS_EDIT_UP, NULL) == GS_OK);
        CHECK_NEAR(xat(&r, a)[0], v + 0.05 > 1 ? 1 : v + 0.05, 1e-6);
        for (int i = 0; i < 30; i++) gs_seq_edit_input(r.seq, r.task, 2, a, GS_EDIT_UP, NULL);
        CHECK(xat(&r, a)[0] == 1);
        CHECK(gs_seq_edit_input(r.seq, r.task, 2, a, GS_EDIT_UP, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "largest") != NULL);
        CHECK((double)yat(&r, 20)[0] == (double)(gs_real)(1.0 + (double)xat(&r, b2)[0]));
    }
    close_run(&r);
    /* adding-hs: both markers in the first half; the nearer one moves */
    if (open_run(&r, GS_TASK_ADDING_HS, 20, 4, 1) == 0) {
        int t;
        CHECK(marked_steps(&r, &a, &b) == 2 && b <= 10);
        CHECK(gs_seq_edit_input(r.seq, r.task, 4, 15, GS_EDIT_CLICK, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "first half") != NULL);
        for (t = 1; t <= 10 && (t == a || t == b); t++) {}
        CHECK(gs_seq_edit_input(r.seq, r.task, 4, t, GS_EDIT_CLICK, NULL) == GS_OK);
        CHECK(marked_steps(&r, &a2, &b2) == 2);
        CHECK((a2 == t || b2 == t) && (abs(t - a) <= abs(t - b) ? (a2 == b || b2 == b) : (a2 == a || b2 == a)));
        CHECK_NEAR(yat(&r, 20)[0], 0.5 + ((double)xat(&r, a2)[0] + (double)xat(&r, b2)[0]) / 4, 1e-6);
    } else {
        CHECK(0);
    }
    close_run(&r);
}

static void test_edit_symbols(void) {
    run r;
    gs_error err;
    gs_step_input in;
    /* copy: symbols 1..8 cycle, the recall follows; the rest is the task's */
    if (open_run(&r, GS_TASK_COPY, 30, 6, 1) == 0) {
        gs_seq_read_input(r.seq, r.task, 3, 0, &in, NULL);
        CHECK(gs_seq_edit_input(r.seq, r.task, 6, 3, GS_EDIT_CLICK, NULL) == GS_OK);
        {
            int want = in.symbol % 8 + 1;
            gs_seq_read_input(r.seq, r.task, 3, 0, &in, NULL);
            CHECK(in.symbol == want && yat(&r, 30 - 10 + 3)[want] == 1);
        }
        CHECK(gs_seq_edit_input(r.seq, r.task, 6, 3, GS_EDIT_DOWN, NULL) == GS_OK);
        CHECK(gs_seq_edit_input(r.seq, r.task, 6, 20, GS_EDIT_CLICK, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "delimiter") != NULL);
        CHECK(!strcmp(gs_task_class_name(r.task, 1, 9), "delimiter") && !strcmp(gs_task_class_name(r.task, 0, 0), "blank"));
    } else {
        CHECK(0);
    }
    close_run(&r);
    /* order: X <-> Y at the relevant steps, the class follows */
    if (open_run(&r, GS_TASK_ORDER, 20, 8, 1) == 0) {
        int t, rel[2], n = 0, cls;
        for (t = 1; t <= r.T; t++) {
            gs_seq_read_input(r.seq, r.task, t, 0, &in, NULL);
            if (in.symbol == 4 || in.symbol == 5) rel[n++ < 2 ? n - 1 : 1] = t;
        }
        CHECK(n == 2);
        cls = (int)(strchr("XY", gs_task_class_name(r.task, 1, (gs_seq_read_input(r.seq, r.task, rel[0], 0, &in, NULL), in.symbol))[0]) - "XY");
        CHECK(gs_seq_edit_input(r.seq, r.task, 8, rel[0], GS_EDIT_CLICK, NULL) == GS_OK);
        gs_seq_read_input(r.seq, r.task, rel[0], 0, &in, NULL);
        CHECK(in.symbol == (cls ? 4 : 5));
        {
            int second = (gs_seq_read_input(r.seq, r.task, rel[1], 0, &in, NULL), in.symbol == 5);
            CHECK(yat(&r, r.T)[2 * (1 - cls) + second] == 1);
            CHECK(!strcmp(gs_task_class_name(r.task, 0, 2 * (1 - cls) + second),
                          (1 - cls) ? (second ? "YY" : "YX") : (second ? "XY" : "XX")));
        }
        CHECK(gs_seq_edit_input(r.seq, r.task, 8, 1, GS_EDIT_CLICK, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "start marker B") != NULL);
    } else {
        CHECK(0);
    }
    close_run(&r);
    /* text: the next character; the previous step's target is the new character */
    if (open_run(&r, GS_TASK_TYPED, 0, 1, 1) == 0) {
        CHECK(gs_seq_edit_input(r.seq, r.task, 1, 2, GS_EDIT_CLICK, NULL) == GS_OK); /* 'h' -> 'i' */
        gs_seq_read_input(r.seq, r.task, 2, 0, &in, NULL);
        CHECK(!strcmp(gs_task_class_name(r.task, 1, in.symbol), "i"));
        CHECK(yat(&r, 1)[in.symbol] == 1);
    } else {
        CHECK(0);
    }
    close_run(&r);
}

static void test_edit_echo_sine(void) {
    run r;
    gs_error err;
    if (open_run(&r, GS_TASK_ECHO, 40, 9, 1) == 0) {
        int t, bad = 0, edit = 12;
        gs_real before[40][2], x = xat(&r, edit)[0];
        for (t = 1; t <= 40; t++) memcpy(before[t - 1], yat(&r, t), sizeof before[0]);
        CHECK(gs_seq_edit_input(r.seq, r.task, 9, edit, GS_EDIT_CLICK, NULL) == GS_OK);
        CHECK(xat(&r, edit)[0] == 1 - x);
        /* only Y at edit+3 and edit+8 may change, and only the way p moved */
        for (t = 1; t <= 40; t++) {
            int was = before[t - 1][1] == 1, now = yat(&r, t)[1] == 1;
            if (t == edit + 3) {
                if (x == 0 && was && !now) bad++; /* X_{t-3} up: p up by 1/2 */
                if (x == 1 && !was && now) bad++;
            } else if (t == edit + 8) {
                if (x == 0 && !was && now) bad++; /* X_{t-8} up: p down by 1/4 */
                if (x == 1 && was && !now) bad++;
            } else if (was != now) {
                bad++;
            }
        }
        CHECK_MSG(bad == 0, "echo: %d targets changed the wrong way", bad);
        CHECK(gs_seq_edit_input(r.seq, r.task, 9, edit, xat(&r, edit)[0] == 1 ? GS_EDIT_UP : GS_EDIT_DOWN, &err) ==
              GS_ERR_ARG);
        CHECK(strstr(err.msg, "already") != NULL);
    } else {
        CHECK(0);
    }
    close_run(&r);
    if (open_run(&r, GS_TASK_SINE, 30, 2, 1) == 0) {
        gs_real v = xat(&r, 10)[0], last = yat(&r, 30)[0];
        CHECK(gs_seq_edit_input(r.seq, r.task, 2, 10, GS_EDIT_CLICK, &err) == GS_ERR_ARG);
        CHECK(strstr(err.msg, "wheel") != NULL);
        CHECK(gs_seq_edit_input(r.seq, r.task, 2, 10, GS_EDIT_DOWN, NULL) == GS_OK);
        CHECK_NEAR(xat(&r, 10)[0], (double)v - 0.1, 1e-6);
        CHECK(yat(&r, 9)[0] == xat(&r, 10)[0]); /* the previous step predicts it */
        CHECK(yat(&r, 30)[0] == last);          /* past the end: the wave's own */
    } else {
        CHECK(0);
    }
    close_run(&r);
}

/* After an edit, a forward and backward pass equal a fresh run whose inputs and
 * targets were written by hand. */
static void test_edit_equals_fresh(void) {
    for (int k = 0; k < GS_TASK_COUNT; k++) {
        run r, f;
        gs_backward_opts bo = { 0 };
        int t, edited = 0, bad = 0;
        size_t nx, nt, np;
        if (open_run(&r, (gs_task_kind)k, k == GS_TASK_TEXT ? 30 : 0, 21, 1) != 0 ||
            open_run(&f, (gs_task_kind)k, k == GS_TASK_TEXT ? 30 : 0, 21, 1) != 0) {
            CHECK(0);
            close_run(&r);
            close_run(&f);
            continue;
        }
        gs_seq_forward(r.seq, r.T);
        for (t = 2; t <= r.T && edited < 2; t += 3)
            if (gs_seq_edit_input(r.seq, r.task, 21, t, k == GS_TASK_SINE ? GS_EDIT_UP : GS_EDIT_CLICK, NULL) == GS_OK)
                edited++;
        CHECK_MSG(edited == 2, "%s: %d edits took", name_of((gs_task_kind)k), edited);
        CHECK(gs_seq_summary_of(r.seq).steps == 0); /* the edit rewound */
        gs_seq_forward(r.seq, r.T);
        gs_seq_backward(r.seq, &bo, NULL);
        /* the fresh run: the edited inputs and targets, by hand */
        nx = (size_t)r.T * (size_t)r.m;
        nt = (size_t)r.T * (size_t)r.k;
        memcpy(gs_seq_inputs(f.seq), gs_seq_inputs(r.seq), sizeof(gs_real) * nx);
        memcpy(gs_seq_targets(f.seq), gs_seq_targets(r.seq), sizeof(gs_real) * nt);
        gs_seq_rewind(f.seq);
        gs_seq_forward(f.seq, f.T);
        gs_seq_backward(f.seq, &bo, NULL);
        for (t = 1; t <= r.T; t++) {
            int n1, n2;
            const gs_real *a = gs_seq_values(r.seq, GS_Q_STATE, 1, t, 0, &n1);
            const gs_real *b = gs_seq_values(f.seq, GS_Q_STATE, 1, t, 0, &n2);
            const gs_step_stats *sa = gs_seq_stats(r.seq, t), *sb = gs_seq_stats(f.seq, t);
            if (!a || !b || n1 != n2 || memcmp(a, b, sizeof *a * (size_t)n1)) bad++;
            a = gs_seq_values(r.seq, GS_Q_D_STATE, 0, t, 0, &n1);
            b = gs_seq_values(f.seq, GS_Q_D_STATE, 0, t, 0, &n2);
            if (!a || !b || memcmp(a, b, sizeof *a * (size_t)n1)) bad++;
            if (!(sa->loss == sb->loss || (isnan(sa->loss) && isnan(sb->loss)))) bad++;
        }
        np = 0;
        {
            const gs_real *ga = gs_model_grads_const(r.model, &np), *gb = gs_model_grads_const(f.model, NULL);
            if (memcmp(ga, gb, sizeof *ga * np)) bad++;
        }
        CHECK_MSG(bad == 0, "%s: the edited run differs from a fresh one in %d places", name_of((gs_task_kind)k), bad);
        close_run(&r);
        close_run(&f);
    }
}

/* ---- Text the typed task reads as itself ------------------------------------------- */

static void test_check_text(void) {
    gs_error err;
    CHECK(gs_task_check_text("Hello, world! It's late?", 24, 0, NULL) == GS_OK);
    CHECK(gs_task_check_text("h\xc3\xa9llo", 6, 0, &err) == GS_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "'\xc3\xa9' (character 2)") != NULL, "got '%s'", err.msg);
    CHECK(strstr(err.msg, "letters, space and . , ' ? !") != NULL);
    CHECK(gs_task_check_text("a1", 2, 0, &err) == GS_ERR_ARG && strstr(err.msg, "'1' (character 2)"));
    CHECK(gs_task_check_text("two\nlines", 9, 0, &err) == GS_ERR_ARG && strstr(err.msg, "code 10"));
    CHECK(gs_task_check_text("two\nlines", 9, 1, NULL) == GS_OK);
    CHECK(gs_task_check_text("\xe2\x82\xac", 3, 0, &err) == GS_ERR_ARG && strstr(err.msg, "'\xe2\x82\xac' (character 1)"));
    CHECK(gs_task_check_text(NULL, 0, 0, &err) == GS_ERR_ARG);
    CHECK(strchr(err.msg, '\n') == NULL);
}

int main(void) {
    test_relabel_identity();
    test_read_input();
    test_readout();
    test_edit_adding();
    test_edit_symbols();
    test_edit_echo_sine();
    test_edit_equals_fresh();
    test_check_text();
    return check_result("test_predict");
}
