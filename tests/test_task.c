/* test_task.c — the built-in task generators (engine/src/task.c): shapes, one-hot
 * validity, that targets are what the inputs imply, masks, names and defaults (the tasks
 * taken together — determinism, baselines, success, bad configs: test_task_measures.c).
 * Everything is seeded, so every run checks the same numbers. */
#include "check.h"
#include "gatescope.h"
#include "task_batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GS_SOURCE_DIR
#define GS_SOURCE_DIR "."
#endif

/* sample_text as the text tasks normalise it */
static const char *sample_norm = "hello, world! it's o'clock? yes.";

/* ---- Names and defaults ------------------------------------------------------------ */

static void test_names(void) {
    static const char *const names[GS_TASK_COUNT] = {"adding", "adding-hs", "copy", "order",
                                                     "echo", "sine", "text", "typed"};
    const char *list = "tasks: adding, adding-hs, copy, order, echo, sine, text, typed";
    gs_error err;
    gs_task_kind k;
    int i;
    for (i = 0; i < GS_TASK_COUNT; i++) {
        const gs_task_info *info = gs_task_info_get((gs_task_kind)i);
        CHECK(info && info->kind == (gs_task_kind)i);
        CHECK(info && strcmp(info->name, names[i]) == 0);
        CHECK(info && info->title && info->title[0]);
        k = GS_TASK_COUNT;
        CHECK(gs_task_from_name(names[i], &k, NULL) == GS_OK && k == (gs_task_kind)i);
    }
    CHECK(gs_task_info_get(GS_TASK_COUNT) == NULL);
    CHECK(gs_task_info_get((gs_task_kind)-1) == NULL);

    memset(&err, 0, sizeof err);
    CHECK(gs_task_from_name("addng", &k, &err) == GS_ERR_ARG);
    CHECK_MSG(strcmp(err.msg, "unknown task 'addng' (did you mean 'adding'?); tasks: adding, "
                              "adding-hs, copy, order, echo, sine, text, typed") == 0,
              "got '%s'", err.msg);
    CHECK(gs_task_from_name("cpy", &k, &err) == GS_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "did you mean 'copy'?") != NULL, "got '%s'", err.msg);
    CHECK(gs_task_from_name("adding_hs", &k, &err) == GS_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "did you mean 'adding-hs'?") != NULL, "got '%s'", err.msg);
    CHECK(gs_task_from_name("sin", &k, &err) == GS_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "did you mean 'sine'?") != NULL, "got '%s'", err.msg);
    CHECK(gs_task_from_name("Echo", &k, &err) == GS_ERR_ARG); /* names are exact */
    CHECK_MSG(strstr(err.msg, "did you mean 'echo'?") != NULL, "got '%s'", err.msg);
    CHECK(gs_task_from_name("qqqqqqqqqqqqqqqq", &k, &err) == GS_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "did you mean") == NULL && strstr(err.msg, list) != NULL,
              "got '%s'", err.msg);
    CHECK(gs_task_from_name("", &k, &err) == GS_ERR_ARG);
    CHECK(strstr(err.msg, list) != NULL);
    CHECK(gs_task_from_name(NULL, &k, &err) == GS_ERR_ARG);
    CHECK(strstr(err.msg, list) != NULL);
    CHECK(gs_task_from_name("nope", &k, NULL) == GS_ERR_ARG); /* err may be NULL */
    CHECK(strchr(err.msg, '\n') == NULL);
}

static void test_defaults(void) {
    int i;
    for (i = 0; i < GS_TASK_COUNT; i++) {
        gs_task_config c = gs_task_config_default((gs_task_kind)i);
        int want = i == GS_TASK_COPY ? 40 : i == GS_TASK_TYPED ? 0 : 50;
        CHECK(c.kind == (gs_task_kind)i);
        CHECK_MSG(c.length == want, "%s default length %d", gs_task_info_get(c.kind)->name,
                  c.length);
        CHECK(c.text == NULL && c.text_len == 0 && c.alloc.realloc == NULL);
    }
}

/* Sizes, loss and alphabet of every task. */
static void test_shapes(void) {
    static const int m[GS_TASK_COUNT] = {2, 2, 10, 8, 1, 1, 32, 32};
    static const int k[GS_TASK_COUNT] = {1, 1, 10, 4, 2, 1, 32, 32};
    static const gs_loss_kind loss[GS_TASK_COUNT] = {GS_LOSS_MSE, GS_LOSS_MSE, GS_LOSS_XENT,
                                                     GS_LOSS_XENT, GS_LOSS_XENT, GS_LOSS_MSE,
                                                     GS_LOSS_XENT, GS_LOSS_XENT};
    int i;
    for (i = 0; i < GS_TASK_COUNT; i++) {
        gs_task_kind kind = (gs_task_kind)i;
        int text = kind == GS_TASK_TEXT || kind == GS_TASK_TYPED;
        gs_task *t = make(kind, kind == GS_TASK_TEXT ? 20 : -1, text ? sample_text : NULL);
        if (!t) continue;
        CHECK(gs_task_kind_of(t) == kind);
        CHECK(gs_task_n_in(t) == m[i]);
        CHECK(gs_task_n_out(t) == k[i]);
        CHECK(gs_task_loss(t) == loss[i]);
        if (text) {
            CHECK(gs_task_alphabet(t) && strcmp(gs_task_alphabet(t),
                                                " abcdefghijklmnopqrstuvwxyz.,'?!") == 0);
        } else {
            CHECK(gs_task_alphabet(t) == NULL);
        }
        gs_task_destroy(t);
    }
    gs_task_destroy(NULL); /* a no-op */
}

/* ---- One test per task --------------------------------------------------------------- */

static void test_adding(void) {
    const int T = 50, B = 4000, half = 25;
    gs_task *t = make(GS_TASK_ADDING, T, NULL);
    batch b;
    int r, s, bad_markers = 0, bad_target = 0, bad_values = 0, bad_zero = 0;
    int hits1[50] = {0}, hits2[50] = {0}, missing = 0;
    double sq = 0;
    if (!t) return;
    CHECK(gs_task_length(t) == T);
    b = generate(t, 1, B);
    check_mask(&b, 1, "adding");
    for (r = 0; r < B; r++) {
        int p1 = -1, p2 = -1, n1 = 0, n2 = 0;
        double want;
        for (s = 0; s < T; s++) {
            gs_real v = X(&b, s, r)[0], mk = X(&b, s, r)[1];
            if (!(v >= (gs_real)0.0 && v < (gs_real)1.0)) bad_values++;
            if (mk == (gs_real)1.0) {
                if (s < half) { p1 = s; n1++; }
                else { p2 = s; n2++; }
            } else if (mk != (gs_real)0.0) {
                bad_values++;
            }
            if (s < T - 1 && Y(&b, s, r)[0] != (gs_real)0.0) bad_zero++;
        }
        if (n1 != 1 || n2 != 1) {
            bad_markers++;
            continue;
        }
        hits1[p1]++;
        hits2[p2]++;
        want = (double)X(&b, p1, r)[0] + (double)X(&b, p2, r)[0];
        if (fabs((double)Y(&b, T - 1, r)[0] - want) > 1e-6) bad_target++;
        sq += ((double)Y(&b, T - 1, r)[0] - 1.0) * ((double)Y(&b, T - 1, r)[0] - 1.0);
    }
    CHECK_MSG(bad_markers == 0, "%d rows without exactly one marker per half", bad_markers);
    CHECK_MSG(bad_target == 0, "%d targets are not the sum of the marked values", bad_target);
    CHECK_MSG(bad_values == 0, "%d values outside [0,1) or markers not 0/1", bad_values);
    CHECK_MSG(bad_zero == 0, "%d nonzero targets before the last step", bad_zero);
    /* Every position of each half is used (about 160 hits each expected). */
    for (s = 0; s < T; s++) missing += (s < half ? hits1[s] : hits2[s]) == 0;
    CHECK_MSG(missing == 0, "%d marker positions never drawn", missing);
    /* Predicting the mean 1 costs Var(U1+U2) = 1/6.  The squared deviation has sd about
     * 0.18, so over 4000 rows the estimate's sd is about 0.003: 0.012 is 4 sd. */
    CHECK_NEAR(sq / B, 1.0 / 6.0, 0.012);
    release(&b);

    /* The shortest: T = 2, a marker on each step. */
    gs_task_destroy(t);
    t = make(GS_TASK_ADDING, 2, NULL);
    if (!t) return;
    b = generate(t, 5, 3);
    for (r = 0; r < 3; r++) {
        CHECK(X(&b, 0, r)[1] == (gs_real)1.0 && X(&b, 1, r)[1] == (gs_real)1.0);
        CHECK_NEAR(Y(&b, 1, r)[0], (double)X(&b, 0, r)[0] + (double)X(&b, 1, r)[0], 1e-6);
    }
    release(&b);
    gs_task_destroy(t);
}

static void test_adding_hs(void) {
    const int T = 50, B = 4000, half = 25;
    gs_task *t = make(GS_TASK_ADDING_HS, T, NULL);
    batch b;
    int r, s, bad_markers = 0, bad_target = 0, bad_values = 0, missing = 0;
    int hits1[10] = {0}, hits2[25] = {0};
    double sq = 0;
    if (!t) return;
    b = generate(t, 2, B);
    check_mask(&b, 1, "adding-hs");
    for (r = 0; r < B; r++) {
        int pos[2], n = 0;
        double want;
        for (s = 0; s < T; s++) {
            gs_real v = X(&b, s, r)[0], mk = X(&b, s, r)[1];
            if (!(v >= (gs_real)-1.0 && v < (gs_real)1.0)) bad_values++;
            if (mk == (gs_real)1.0) {
                if (n < 2) pos[n] = s;
                n++;
            } else if (mk != (gs_real)0.0) {
                bad_values++;
            }
            if (s < T - 1 && Y(&b, s, r)[0] != (gs_real)0.0) bad_values++;
        }
        /* Two markers, both before T/2, at least one among the first 10 steps. */
        if (n != 2 || pos[1] >= half || pos[0] >= 10) {
            bad_markers++;
            continue;
        }
        hits1[pos[0]]++;
        hits2[pos[1]]++;
        want = 0.5 + ((double)X(&b, pos[0], r)[0] + (double)X(&b, pos[1], r)[0]) / 4.0;
        if (fabs((double)Y(&b, T - 1, r)[0] - want) > 1e-6) bad_target++;
        sq += ((double)Y(&b, T - 1, r)[0] - 0.5) * ((double)Y(&b, T - 1, r)[0] - 0.5);
    }
    CHECK_MSG(bad_markers == 0, "%d rows with misplaced markers", bad_markers);
    CHECK_MSG(bad_target == 0, "%d targets are not 0.5 + (X1+X2)/4", bad_target);
    CHECK_MSG(bad_values == 0, "%d bad values", bad_values);
    /* The earlier marker can be anywhere in 0..9, the later anywhere in 1..24. */
    for (s = 0; s < 10; s++) missing += hits1[s] == 0;
    for (s = 1; s < half; s++) missing += hits2[s] == 0;
    CHECK_MSG(missing == 0, "%d marker positions never drawn", missing);
    /* Predicting 0.5 costs Var(target) = 1/24 ~ 0.0417; the squared deviation has sd
     * about 0.05, so the mean of 4000 has sd 0.0008: 0.004 is 5 sd. */
    CHECK_NEAR(sq / B, 1.0 / 24.0, 0.004);
    release(&b);
    gs_task_destroy(t);

    /* T = 4: first marker among 2 steps, second among the others of [0, 2). */
    t = make(GS_TASK_ADDING_HS, 4, NULL);
    if (!t) return;
    b = generate(t, 6, 50);
    bad_markers = 0;
    for (r = 0; r < 50; r++)
        if (!(X(&b, 0, r)[1] == (gs_real)1.0 && X(&b, 1, r)[1] == (gs_real)1.0 &&
              X(&b, 2, r)[1] == (gs_real)0.0 && X(&b, 3, r)[1] == (gs_real)0.0))
            bad_markers++;
    CHECK(bad_markers == 0);
    release(&b);
    gs_task_destroy(t);
}

static void check_copy(int T) {
    const int B = 500;
    gs_task *t = make(GS_TASK_COPY, T, NULL);
    batch b;
    int r, s, bad = 0, counts[10] = {0};
    if (!t) return;
    b = generate(t, 3, B);
    check_mask(&b, 0, "copy");
    for (r = 0; r < B; r++) {
        for (s = 0; s < T; s++) {
            int in = onehot(X(&b, s, r), 10), out = onehot(Y(&b, s, r), 10);
            int want_in = s < 10 ? -2 : s == T - 11 ? 9 : 0;
            if (want_in == -2 ? !(in >= 1 && in <= 8) : in != want_in) bad++;
            if (s < T - 10 ? out != 0 : out != onehot(X(&b, s - (T - 10), r), 10)) bad++;
            if (s < 10 && in >= 0) counts[in]++;
        }
    }
    CHECK_MSG(bad == 0, "copy T=%d: %d wrong inputs or targets", T, bad);
    /* The 8 symbols all appear (625 expected each), blank and delimiter never do. */
    CHECK(counts[0] == 0 && counts[9] == 0);
    for (s = 1; s <= 8; s++) CHECK_MSG(counts[s] > 500, "symbol %d: %d", s, counts[s]);
    release(&b);
    gs_task_destroy(t);
}

static void test_copy(void) {
    check_copy(40);
    check_copy(21); /* delimiter right after the symbols, recall right after it */
    check_copy(100);
}

static void check_order(int T) {
    const int B = 4000;
    gs_task *t = make(GS_TASK_ORDER, T, NULL);
    batch b;
    int r, s, bad = 0, classes[4] = {0};
    if (!t) return;
    b = generate(t, 4, B);
    check_mask(&b, 1, "order");
    for (r = 0; r < B; r++) {
        int pos[2] = {-1, -1}, sym[2] = {0, 0}, n = 0, cls;
        for (s = 0; s < T; s++) {
            int c = onehot(X(&b, s, r), 8);
            if (s == 0 ? c != 6 : s == T - 1 ? c != 7 : !(c >= 0 && c <= 5)) bad++;
            if (c == 4 || c == 5) {
                if (n < 2) { pos[n] = s; sym[n] = c - 4; }
                n++;
            }
            if (s < T - 1 && !all_zero(Y(&b, s, r), 4)) bad++;
        }
        if (n != 2) {
            bad++;
            continue;
        }
        if (!(pos[0] >= T / 10 && pos[0] <= 2 * T / 10 && pos[0] >= 1)) bad++;
        if (!(pos[1] >= 5 * T / 10 && pos[1] <= 6 * T / 10 && pos[1] <= T - 2)) bad++;
        cls = onehot(Y(&b, T - 1, r), 4);
        if (cls != 2 * sym[0] + sym[1]) bad++;
        if (cls >= 0) classes[cls]++;
    }
    CHECK_MSG(bad == 0, "order T=%d: %d problems", T, bad);
    /* Each class has probability 1/4: sd of a frequency over 4000 is 0.007; 0.03 is 4 sd. */
    for (s = 0; s < 4; s++) CHECK_NEAR(classes[s] / (double)B, 0.25, 0.03);
    release(&b);
    gs_task_destroy(t);
}

static void test_order(void) {
    check_order(50);
    check_order(12);
    check_order(107);
}

static void test_echo(void) {
    const int T = 60, B = 2000;
    gs_task *t = make(GS_TASK_ECHO, T, NULL);
    batch b;
    int r, s, bad = 0, q;
    long n[4] = {0}, ones[4] = {0}, xs = 0, nx = 0, tail = 0;
    double levels[3], xent[3] = {0, 0, 0};
    const char *names[3];
    if (!t) return;
    CHECK(gs_task_baselines(t, levels, names, 3) == 3);
    b = generate(t, 5, B);
    check_mask(&b, 0, "echo");
    for (r = 0; r < B; r++) {
        for (s = 0; s < T; s++) {
            double x3 = s >= 3 ? (double)X(&b, s - 3, r)[0] : 0.0;
            double x8 = s >= 8 ? (double)X(&b, s - 8, r)[0] : 0.0;
            double p = 0.5 + 0.5 * x3 - 0.25 * x8, p3 = x3 > 0.5 ? 0.875 : 0.375;
            gs_real xv = X(&b, s, r)[0];
            int y = onehot(Y(&b, s, r), 2);
            if (!(xv == (gs_real)0.0 || xv == (gs_real)1.0) || y < 0) {
                bad++;
                continue;
            }
            xs += xv == (gs_real)1.0;
            nx++;
            q = (int)lround(p * 4.0) - 1; /* p in {1/4, 1/2, 3/4, 1} -> 0..3 */
            n[q]++;
            ones[q] += y;
            if (s >= 8) { /* the stationary part the baselines describe */
                xent[0] -= log(y ? 0.625 : 0.375);
                xent[1] -= log(y ? p3 : 1.0 - p3);
                xent[2] -= p < 1.0 ? log(y ? p : 1.0 - p) : 0.0;
                tail++;
            }
        }
    }
    CHECK_MSG(bad == 0, "echo: %d entries not 0/1 or not one-hot", bad);
    /* X is fair: 120000 draws, sd 0.0015, tolerance 0.01 (7 sd). */
    CHECK_NEAR((double)xs / (double)nx, 0.5, 0.01);
    /* P(Y=1 | X_{t-3}, X_{t-8}) = p.  Each bucket holds >= 25000 draws, so the sd of a
     * frequency is <= 0.0032; 0.015 is more than 4.5 sd.  p = 1 must be exact. */
    for (q = 0; q < 4; q++) {
        double p = (q + 1) / 4.0;
        CHECK_MSG(n[q] > 20000, "bucket p=%.2f has only %ld draws", p, n[q]);
        if (q == 3)
            CHECK(ones[q] == n[q]);
        else
            CHECK_NEAR((double)ones[q] / (double)n[q], p, 0.015);
    }
    /* The analytic levels, from the brief (to 1e-3), and as measured by predictors that
     * know nothing / X_{t-3} / both over the stationary steps (104000 draws: the mean
     * log-loss has sd < 0.002, tolerance 0.01). */
    CHECK_NEAR(levels[0], 0.6616, 1e-3);
    CHECK_NEAR(levels[1], 0.5192, 1e-3);
    CHECK_NEAR(levels[2], 0.4544, 1e-3);
    CHECK(strcmp(names[0], "learned nothing") == 0);
    CHECK(strcmp(names[1], "learned the 3-step echo") == 0);
    CHECK(strcmp(names[2], "learned both echoes") == 0);
    for (q = 0; q < 3; q++) CHECK_NEAR(xent[q] / (double)tail, levels[q], 0.01);
    release(&b);
    gs_task_destroy(t);
}

static void test_sine(void) {
    const int T = 50, B = 1000;
    gs_task *t = make(GS_TASK_SINE, T, NULL);
    batch b;
    int r, s, bad = 0, bad_w = 0;
    double sq = 0;
    if (!t) return;
    b = generate(t, 6, B);
    check_mask(&b, 0, "sine");
    for (r = 0; r < B; r++) {
        int best = 1;
        double cosw;
        for (s = 0; s < T; s++) {
            double v = (double)X(&b, s, r)[0];
            if (!(fabs(v) <= 1.0)) bad++;
            if (s + 1 < T && Y(&b, s, r)[0] != X(&b, s + 1, r)[0]) bad++;
            sq += (double)Y(&b, s, r)[0] * (double)Y(&b, s, r)[0];
            if (s >= 1 && s + 1 < T && fabs(v) > fabs((double)X(&b, best, r)[0])) best = s;
        }
        /* sin(a+w) + sin(a-w) = 2 cos(w) sin(a): recover w, which must be in [0.1, 0.5]
         * (float rounding of values near 1 moves cos w by < 1e-6; 1e-4 is loose). */
        cosw = ((double)X(&b, best + 1, r)[0] + (double)X(&b, best - 1, r)[0]) /
               (2.0 * (double)X(&b, best, r)[0]);
        if (!(cosw >= cos(0.5) - 1e-4 && cosw <= cos(0.1) + 1e-4)) bad_w++;
    }
    CHECK_MSG(bad == 0, "sine: %d values out of range or targets not the next input", bad);
    CHECK_MSG(bad_w == 0, "sine: %d rows with a frequency outside [0.1, 0.5]", bad_w);
    /* "Predict 0" costs E sin^2 = 0.5 at every step (the phase is uniform).  Rows are
     * independent; a row's mean of sin^2 over 50 steps strays from 0.5 by at most about
     * 0.1 (slow waves), so the mean over 1000 rows has sd < 0.004: tolerance 0.015. */
    CHECK_NEAR(sq / ((double)T * B), 0.5, 0.015);
    release(&b);
    gs_task_destroy(t);
}

/* Decodes row r of b's inputs (T chars) plus the last target into buf (T + 2). */
static int decode_row(const batch *b, int r, const char *alphabet, char *buf) {
    int s, bad = 0;
    for (s = 0; s < b->T; s++) {
        int c = onehot(X(b, s, r), 32), n = onehot(Y(b, s, r), 32);
        buf[s] = c >= 0 ? alphabet[c] : '#';
        if (c < 0 || n < 0) bad++;
        if (s + 1 < b->T && n != onehot(X(b, s + 1, r), 32)) bad++;
    }
    {
        int n = onehot(Y(b, b->T - 1, r), 32);
        buf[b->T] = n >= 0 ? alphabet[n] : '#';
    }
    buf[b->T + 1] = 0;
    return bad;
}

static void test_text(void) {
    const char *corpus = "The quick brown fox jumps over the lazy dog.";
    const int T = 10, B = 2000;
    int N = (int)strlen(corpus), offsets[64] = {0}, r, bad = 0, missing = 0, i;
    char buf[64];
    gs_task *t = make(GS_TASK_TEXT, T, corpus);
    batch b;
    if (!t) return;
    b = generate(t, 7, B);
    check_mask(&b, 0, "text");
    /* Each row is T+1 consecutive characters of the lower-cased corpus. */
    {
        char lower[64];
        for (i = 0; i <= N; i++)
            lower[i] = (char)(corpus[i] >= 'A' && corpus[i] <= 'Z' ? corpus[i] + 32 : corpus[i]);
        for (r = 0; r < B; r++) {
            const char *at;
            bad += decode_row(&b, r, gs_task_alphabet(t), buf);
            at = strstr(lower, buf);
            if (!at) bad++;
            else offsets[at - lower]++;
        }
    }
    CHECK_MSG(bad == 0, "text: %d rows are not slices of the corpus", bad);
    /* Every offset 0..N-T-1 is drawn (about 60 times each), none beyond. */
    for (i = 0; i < N - T; i++) missing += offsets[i] == 0;
    for (i = N - T; i < 64; i++) missing += offsets[i] != 0;
    CHECK_MSG(missing == 0, "text: %d offsets wrong", missing);
    release(&b);
    gs_task_destroy(t);

    /* Normalisation: case, other bytes to spaces, runs collapsed, ends trimmed.  With
     * N = 32 and T = 31 the only offset is 0. */
    t = make(GS_TASK_TEXT, (int)strlen(sample_norm) - 1, sample_text);
    if (!t) return;
    b = generate(t, 8, 4);
    for (r = 0; r < 4; r++) {
        CHECK(decode_row(&b, r, gs_task_alphabet(t), buf) == 0);
        CHECK_MSG(strcmp(buf, sample_norm) == 0, "normalised to '%s'", buf);
    }
    release(&b);
    gs_task_destroy(t);
    /* Non-ASCII bytes (UTF-8 "cafe-acute, em dash") become spaces that collapse; the
     * trailing newline and leading spaces go. */
    t = make(GS_TASK_TEXT, 5, "  caf\xc3\xa9 \xe2\x80\x94 OK\n");
    if (!t) return;
    b = generate(t, 9, 1);
    CHECK(decode_row(&b, 0, gs_task_alphabet(t), buf) == 0);
    CHECK_MSG(strcmp(buf, "caf ok") == 0, "normalised to '%s'", buf);
    release(&b);
    gs_task_destroy(t);
}

static void test_typed(void) {
    int N = (int)strlen(sample_norm), r;
    char buf[64];
    gs_task *t = make(GS_TASK_TYPED, -1, sample_text); /* default length 0: whole text */
    batch b;
    if (!t) return;
    CHECK(gs_task_length(t) == N - 1);
    b = generate(t, 10, 3);
    check_mask(&b, 0, "typed");
    for (r = 0; r < 3; r++) {
        CHECK(decode_row(&b, r, gs_task_alphabet(t), buf) == 0);
        CHECK_MSG(strcmp(buf, sample_norm) == 0, "typed row %d is '%s'", r, buf);
    }
    release(&b);
    gs_task_destroy(t);
    /* An explicit length takes a prefix. */
    t = make(GS_TASK_TYPED, 5, sample_text);
    if (!t) return;
    CHECK(gs_task_length(t) == 5);
    b = generate(t, 11, 2);
    CHECK(decode_row(&b, 1, gs_task_alphabet(t), buf) == 0);
    CHECK_MSG(strcmp(buf, "hello,") == 0, "got '%s'", buf);
    release(&b);
    gs_task_destroy(t);
    /* Two characters are the least: one step. */
    t = make(GS_TASK_TYPED, 0, "A!");
    if (t) CHECK(gs_task_length(t) == 1);
    gs_task_destroy(t);
}

/* The shipped corpus: plain ASCII, 4-8 KB, long enough for the default task. */
static void test_corpus(void) {
    const char *path = GS_SOURCE_DIR "/assets/text/corpus.txt";
    FILE *f = fopen(path, "rb");
    char *text;
    long len, i, high = 0;
    gs_task *t;
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f) return;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
        CHECK(!"read corpus");
        fclose(f);
        free(text);
        return;
    }
    fclose(f);
    text[len] = 0;
    for (i = 0; i < len; i++) high += (unsigned char)text[i] >= 128;
    CHECK_MSG(high == 0, "corpus has %ld non-ASCII bytes", high);
    CHECK_MSG(len >= 4000 && len <= 8192, "corpus is %ld bytes", len);
    t = make(GS_TASK_TEXT, -1, text);
    if (t) {
        batch b = generate(t, 12, 16);
        char buf[64];
        int r, bad = 0;
        for (r = 0; r < 16; r++) bad += decode_row(&b, r, gs_task_alphabet(t), buf);
        CHECK(bad == 0);
        release(&b);
    }
    gs_task_destroy(t);
    t = make(GS_TASK_TEXT, 4000, text); /* most of it */
    gs_task_destroy(t);
    free(text);
}

int main(void) {
    test_names();
    test_defaults();
    test_shapes();
    test_adding();
    test_adding_hs();
    test_copy();
    test_order();
    test_echo();
    test_sine();
    test_text();
    test_typed();
    test_corpus();
    return check_result("test_task");
}
