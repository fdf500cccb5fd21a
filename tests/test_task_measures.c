/* test_task_measures.c — the built-in tasks taken together: determinism (a seed gives
 * the same batch, rows independent of the batch size), empirical statistics against the
 * baselines each task states, the success measures, bad configurations and an
 * allocation-failure sweep.  The generators one by one: test_task.c. */
#include "check.h"
#include "gatescope.h"
#include "task_batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- Across tasks --------------------------------------------------------------------- */

static int batch_equal(const batch *a, const batch *b) {
    size_t nx = (size_t)a->T * (size_t)a->B * (size_t)a->m;
    size_t nt = (size_t)a->T * (size_t)a->B * (size_t)a->k;
    return memcmp(a->x, b->x, sizeof *a->x * nx) == 0 &&
           memcmp(a->target, b->target, sizeof *a->target * nt) == 0 &&
           memcmp(a->mask, b->mask, (size_t)a->T) == 0;
}

static void test_determinism(void) {
    int i;
    for (i = 0; i < GS_TASK_COUNT; i++) {
        gs_task_kind kind = (gs_task_kind)i;
        const char *name = gs_task_info_get(kind)->name;
        int text = kind == GS_TASK_TEXT || kind == GS_TASK_TYPED;
        gs_task *t = make(kind, kind == GS_TASK_TEXT ? 12 : -1, text ? sample_text : NULL);
        batch a, b, c, one;
        size_t nx, nt;
        if (!t) continue;
        a = generate(t, 42, 7);
        b = generate(t, 42, 7);
        c = generate(t, 43, 7);
        one = generate(t, 42, 1);
        CHECK_MSG(batch_equal(&a, &b), "%s: same seed, different batch", name);
        if (kind == GS_TASK_TYPED)
            CHECK_MSG(batch_equal(&a, &c), "typed depends on the seed");
        else
            CHECK_MSG(!batch_equal(&a, &c), "%s: different seeds, same batch", name);
        /* Rows are drawn one after the other: row 0 of 7 is the batch of 1. */
        nx = (size_t)a.m;
        nt = (size_t)a.k;
        {
            int s, same = 1;
            for (s = 0; s < a.T; s++)
                same &= memcmp(X(&a, s, 0), X(&one, s, 0), sizeof(gs_real) * nx) == 0 &&
                        memcmp(Y(&a, s, 0), Y(&one, s, 0), sizeof(gs_real) * nt) == 0;
            CHECK_MSG(same, "%s: row 0 depends on the batch size", name);
        }
        release(&a);
        release(&b);
        release(&c);
        release(&one);
        gs_task_destroy(t);
    }
}

static void test_baselines(void) {
    double v[4];
    const char *n[4];
    gs_task *t;
    int i;
    struct { gs_task_kind kind; int length; double value; const char *name; } want[] = {
        {GS_TASK_ADDING, 50, 1.0 / 6.0, "predict the mean"},
        {GS_TASK_ADDING_HS, 50, 1.0 / 24.0, "predict the mean"},
        {GS_TASK_COPY, 40, 10.0 * log(8.0) / 40.0, "memoryless"},
        {GS_TASK_COPY, 120, 10.0 * log(8.0) / 120.0, "memoryless"},
        {GS_TASK_ORDER, 50, log(4.0), "chance"},
        {GS_TASK_SINE, 50, 0.5, "predict 0"},
        {GS_TASK_TEXT, 20, log(32.0), "uniform guess"},
        {GS_TASK_TYPED, 0, log(32.0), "uniform guess"},
    };
    for (i = 0; i < (int)(sizeof want / sizeof want[0]); i++) {
        int text = want[i].kind == GS_TASK_TEXT || want[i].kind == GS_TASK_TYPED;
        t = make(want[i].kind, want[i].length, text ? sample_text : NULL);
        if (!t) continue;
        CHECK(gs_task_baselines(t, v, n, 4) == 1);
        CHECK_MSG(v[0] == want[i].value, "%s: %.17g", gs_task_info_get(want[i].kind)->name,
                  v[0]);
        CHECK_MSG(strcmp(n[0], want[i].name) == 0, "got '%s'", n[0]);
        gs_task_destroy(t);
    }
    CHECK_NEAR(1.0 / 6.0, 0.167, 5e-4);
    t = make(GS_TASK_ECHO, 50, NULL);
    if (!t) return;
    CHECK(gs_task_baselines(t, v, n, 2) == 2); /* truncated to max */
    CHECK(gs_task_baselines(t, v, NULL, 4) == 3);
    CHECK(gs_task_baselines(t, NULL, n, 4) == 3);
    CHECK(gs_task_baselines(t, v, n, 0) == 0);
    CHECK(v[0] > v[1] && v[1] > v[2]);
    gs_task_destroy(t);
}

static void test_success(void) {
    gs_task *t;
    batch b;
    gs_real *y;
    size_t n;
    int r, s;

    /* adding: y = target is perfect; an error of 0.05 on half the rows halves it. */
    t = make(GS_TASK_ADDING, 30, NULL);
    if (!t) return;
    CHECK(gs_task_success_name(t) && strstr(gs_task_success_name(t), "0.04"));
    b = generate(t, 20, 10);
    n = (size_t)b.T * (size_t)b.B * (size_t)b.k;
    y = malloc(sizeof *y * n);
    if (!y) exit(1);
    memcpy(y, b.target, sizeof *y * n);
    CHECK(gs_task_success(t, y, b.target, b.mask, b.B) == 1.0);
    for (r = 0; r < 5; r++) Y(&b, b.T - 1, r)[0] += (gs_real)0.05;
    CHECK_NEAR(gs_task_success(t, y, b.target, b.mask, b.B), 0.5, 1e-12);
    CHECK_NEAR(gs_task_success(t, y, b.target, NULL, b.B), 0.5, 1e-12); /* own mask */
    for (r = 0; r < 5; r++) Y(&b, b.T - 1, r)[0] -= (gs_real)0.08; /* now -0.03: inside */
    CHECK_NEAR(gs_task_success(t, y, b.target, b.mask, b.B), 1.0, 1e-12);
    CHECK(isnan(gs_task_success(t, y, b.target, b.mask, 0)));
    CHECK(isnan(gs_task_success(t, NULL, b.target, b.mask, b.B)));
    free(y);
    release(&b);
    gs_task_destroy(t);

    /* copy: argmax over the last 10 steps; earlier steps do not count. */
    t = make(GS_TASK_COPY, 30, NULL);
    if (!t) return;
    b = generate(t, 21, 4);
    n = (size_t)b.T * (size_t)b.B * (size_t)b.k;
    y = malloc(sizeof *y * n);
    if (!y) exit(1);
    memcpy(y, b.target, sizeof *y * n);
    CHECK(gs_task_success(t, y, b.target, b.mask, b.B) == 1.0);
    for (s = 0; s < b.T - 10; s++) /* wrong on every blank step: still 1 */
        for (r = 0; r < b.B; r++) y[((size_t)s * 4 + (size_t)r) * 10 + 9] = (gs_real)5.0;
    CHECK(gs_task_success(t, y, b.target, b.mask, b.B) == 1.0);
    for (s = b.T - 10; s < b.T - 5; s++) /* half the recalls say "delimiter" */
        for (r = 0; r < b.B; r++) y[((size_t)s * 4 + (size_t)r) * 10 + 9] = (gs_real)5.0;
    CHECK_NEAR(gs_task_success(t, y, b.target, b.mask, b.B), 0.5, 1e-12);
    free(y);
    release(&b);
    gs_task_destroy(t);

    /* order: one of 4 rows wrong. */
    t = make(GS_TASK_ORDER, 20, NULL);
    if (!t) return;
    b = generate(t, 22, 4);
    n = (size_t)b.T * (size_t)b.B * (size_t)b.k;
    y = malloc(sizeof *y * n);
    if (!y) exit(1);
    memcpy(y, b.target, sizeof *y * n);
    CHECK(gs_task_success(t, y, b.target, b.mask, b.B) == 1.0);
    {
        gs_real *row = y + ((size_t)(b.T - 1) * 4 + 2) * 4;
        int c = onehot(row, 4);
        row[(c + 1) % 4] = (gs_real)2.0;
    }
    CHECK_NEAR(gs_task_success(t, y, b.target, b.mask, b.B), 0.75, 1e-12);
    free(y);
    release(&b);
    gs_task_destroy(t);

    /* text: every step counts; breaking one step of one row of 2 costs 1/(2T). */
    t = make(GS_TASK_TEXT, 10, sample_text);
    if (!t) return;
    b = generate(t, 23, 2);
    n = (size_t)b.T * (size_t)b.B * (size_t)b.k;
    y = malloc(sizeof *y * n);
    if (!y) exit(1);
    memcpy(y, b.target, sizeof *y * n);
    CHECK(gs_task_success(t, y, b.target, b.mask, b.B) == 1.0);
    y[((size_t)3 * 2 + 1) * 32 + 31] = (gs_real)9.0;
    if (onehot(Y(&b, 3, 1), 32) != 31)
        CHECK_NEAR(gs_task_success(t, y, b.target, b.mask, b.B), 19.0 / 20.0, 1e-12);
    free(y);
    release(&b);
    gs_task_destroy(t);

    /* echo and sine have no measure. */
    t = make(GS_TASK_ECHO, 20, NULL);
    if (t) {
        b = generate(t, 24, 2);
        CHECK(gs_task_success_name(t) == NULL);
        CHECK(isnan(gs_task_success(t, b.target, b.target, b.mask, b.B)));
        release(&b);
    }
    gs_task_destroy(t);
    t = make(GS_TASK_SINE, 20, NULL);
    if (t) {
        b = generate(t, 25, 2);
        CHECK(gs_task_success_name(t) == NULL);
        CHECK(isnan(gs_task_success(t, b.target, b.target, b.mask, b.B)));
        release(&b);
    }
    gs_task_destroy(t);
}

/* ---- Bad configurations and allocation failure ------------------------------------ */

static void expect_bad(gs_task_kind kind, int length, const char *text, const char *part) {
    gs_task_config c = gs_task_config_default(kind);
    gs_task *t = (gs_task *)&c; /* must be reset to NULL */
    gs_error err;
    memset(&err, 0, sizeof err);
    c.kind = kind;
    c.length = length;
    c.text = text;
    c.text_len = text ? strlen(text) : 0;
    CHECK(gs_task_create(&t, &c, &err) == GS_ERR_ARG);
    CHECK(t == NULL);
    CHECK_MSG(err.msg[0] && strchr(err.msg, '\n') == NULL && strstr(err.msg, part),
              "kind %d length %d: '%s' lacks '%s'", (int)kind, length, err.msg, part);
    CHECK(gs_task_create(&t, &c, NULL) == GS_ERR_ARG); /* err may be NULL */
}

static void test_bad_configs(void) {
    gs_task *t;
    gs_error err;
    expect_bad(GS_TASK_ADDING, 0, NULL, "out of range");
    expect_bad(GS_TASK_ADDING, -3, NULL, "out of range");
    expect_bad(GS_TASK_SINE, 100001, NULL, "out of range");
    expect_bad(GS_TASK_ADDING, 1, NULL, ">= 2");
    expect_bad(GS_TASK_ADDING_HS, 3, NULL, ">= 4");
    expect_bad(GS_TASK_COPY, 20, NULL, ">= 21");
    expect_bad(GS_TASK_ORDER, 11, NULL, ">= 12");
    expect_bad(GS_TASK_TEXT, 0, sample_text, "out of range");
    expect_bad(GS_TASK_TEXT, 10, NULL, "needs text");
    expect_bad(GS_TASK_TEXT, 10, "", "needs text");
    expect_bad(GS_TASK_TYPED, 0, NULL, "needs text");
    expect_bad(GS_TASK_TEXT, 3, "a  \n  b", "at least 4 characters"); /* "a b" is 3 */
    expect_bad(GS_TASK_TYPED, 40, sample_text, "at least 41 characters");
    expect_bad(GS_TASK_TEXT, 6, "  caf\xc3\xa9 \xe2\x80\x94 OK\n", "the text has 6");
    expect_bad(GS_TASK_TYPED, 0, " \n 7 ", "at least 2 characters");
    expect_bad(GS_TASK_TYPED, 0, "a", "at least 2 characters");
    expect_bad(GS_TASK_TYPED, -1, "abc", "out of range");
    expect_bad(GS_TASK_COUNT, 50, NULL, "kind");
    t = make(GS_TASK_TEXT, 2, "a  \n  b"); /* the limit itself is fine */
    gs_task_destroy(t);
    t = make(GS_TASK_SINE, 100000, NULL);
    gs_task_destroy(t);
    memset(&err, 0, sizeof err);
    CHECK(gs_task_create(&t, NULL, &err) == GS_ERR_ARG && t == NULL && err.msg[0]);
}

/* Counting allocator: fails the allocation numbered fail_at (1-based), tracks blocks. */
typedef struct counter {
    int calls, fail_at, live;
} counter;

static void *counting_realloc(void *ud, void *p, size_t n) {
    counter *c = ud;
    if (n == 0) {
        if (p) c->live--;
        free(p);
        return NULL;
    }
    if (p) return realloc(p, n); /* the task never grows a block */
    if (++c->calls == c->fail_at) return NULL;
    p = malloc(n);
    if (p) c->live++;
    return p;
}

static void test_nomem(void) {
    int fail_at, k;
    for (k = 0; k < 2; k++) {
        gs_task_kind kind = k ? GS_TASK_TEXT : GS_TASK_ADDING;
        int done = 0;
        for (fail_at = 1; fail_at < 10 && !done; fail_at++) {
            counter c = {0, fail_at, 0};
            gs_task_config cfg = gs_task_config_default(kind);
            gs_task *t = NULL;
            gs_error err;
            gs_status st;
            memset(&err, 0, sizeof err);
            cfg.length = 10;
            cfg.text = sample_text;
            cfg.text_len = strlen(sample_text);
            cfg.alloc.realloc = counting_realloc;
            cfg.alloc.ud = &c;
            st = gs_task_create(&t, &cfg, &err);
            if (st == GS_OK) {
                done = 1;
                CHECK(c.live == (k ? 2 : 1));
                gs_task_destroy(t);
            } else {
                CHECK_MSG(st == GS_ERR_NOMEM && t == NULL && err.msg[0],
                          "fail_at %d: status %d '%s'", fail_at, (int)st, err.msg);
            }
            CHECK_MSG(c.live == 0, "%s fail_at %d: %d blocks leaked",
                      gs_task_info_get(kind)->name, fail_at, c.live);
        }
        CHECK(done);
        CHECK(fail_at - 1 == (k ? 3 : 2)); /* text: 2 allocations, adding: 1 */
    }
}

int main(void) {
    test_determinism();
    test_baselines();
    test_success();
    test_bad_configs();
    test_nomem();
    return check_result("test_task_measures");
}
