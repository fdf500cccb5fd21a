/* fuzz_lesson.c — libFuzzer target for gs_lesson_parse.  Any bytes go in; the parser
 * must either succeed with a lesson whose every string and array can be walked within
 * bounds, or fail with a `fuzz.lesson:line:col: ...` message.  Each input is parsed
 * twice: once freely, then with one allocation (chosen from the input) failing, which
 * must give GS_ERR_NOMEM without a leak.  Violations abort, which libFuzzer reports. */
#include "countdown.h"
#include "gatescope_lesson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) \
    do { \
        if (!(cond)) abort(); \
    } while (0)

/* 1 if s is valid UTF-8 (messages must stay valid even when clipped). */
static int valid_utf8(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
              : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!n) return 0;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += n;
    }
    return 1;
}

static void walk_prose(const gs_lesson_prose *p) {
    REQUIRE(p->raw != NULL && p->n_paras >= 0);
    (void)strlen(p->raw);
    for (int i = 0; i < p->n_paras; i++) {
        const gs_lesson_para *pa = &p->paras[i];
        REQUIRE(pa->line >= 1 && pa->n_runs >= 0);
        for (int r = 0; r < pa->n_runs; r++) {
            REQUIRE(pa->runs[r].len > 0 && (int)strlen(pa->runs[r].text) == pa->runs[r].len);
            REQUIRE(pa->runs[r].style <= (GS_STYLE_EMPH | GS_STYLE_STRONG | GS_STYLE_SYMBOL));
        }
    }
}

static void walk(const gs_lesson *l) {
    char msg[512];
    REQUIRE(l->title && strlen(l->title) <= GS_LESSON_MAX_HEADING);
    REQUIRE(l->n_steps >= 1 && l->n_steps <= GS_LESSON_MAX_STEPS);
    walk_prose(&l->intro);
    for (int i = 0; i < l->n_steps; i++) {
        const gs_lesson_step *s = &l->steps[i];
        REQUIRE(s->heading && strlen(s->heading) <= GS_LESSON_MAX_HEADING);
        REQUIRE(s->notes != NULL);
        (void)strlen(s->notes);
        walk_prose(&s->prose);
        REQUIRE(valid_utf8(s->heading) && valid_utf8(s->prose.raw));
        REQUIRE(s->setup.n_variants >= 1 && s->setup.n_variants <= GS_VARIANT_COUNT);
        REQUIRE(s->setup.hidden >= 1 && s->setup.hidden <= 4096);
        REQUIRE(s->setup.length >= 0 && s->setup.length <= 100000);
        REQUIRE(gs_lesson_view_name(s->view) != NULL);
        REQUIRE(s->n_expects >= 0 && s->n_expects <= GS_LESSON_MAX_EXPECTS);
        (void)gs_lesson_step_needs(s);
        for (int e = 0; e < s->n_expects; e++) {
            /* no runs given: every expectation must fail with a message */
            msg[0] = 0;
            REQUIRE(gs_lesson_expect_eval(l, &s->expects[e], NULL, NULL, 0, msg, sizeof msg) == 0);
            REQUIRE(strncmp(msg, "fuzz.lesson:", 12) == 0 && valid_utf8(msg));
        }
        for (int e = 0; e < s->n_expects; e++) {
            gs_lesson_result r;
            char mt[48];
            REQUIRE(gs_lesson_expect_check(l, &s->expects[e], NULL, NULL, 0, &r) == 0 && !r.holds);
            REQUIRE(!gs_lesson_margin_thin(&r));
            gs_lesson_margin_text(&r, mt, sizeof mt);
            REQUIRE(s->expects[e].tol >= 0 && (!s->expects[e].tol || s->expects[e].op == GS_OP_EQ));
            REQUIRE(!s->expects[e].bound || s->expects[e].op == GS_OP_LE || s->expects[e].op == GS_OP_GE);
        }
        REQUIRE(s->n_visible >= 0 && s->n_visible <= GS_LESSON_MAX_VISIBLE + 1);
        for (int v = 0; v < s->n_visible; v++) {
            const gs_lesson_visible *vi = &s->visible[v];
            REQUIRE(vi->text && valid_utf8(vi->text) && vi->line >= 1);
            REQUIRE(vi->what != GS_SIGHT_BACKWARD || (vi->step >= 1 && vi->step <= 100000));
            REQUIRE(vi->what != GS_SIGHT_VIEW || (vi->view > GS_LESSON_VIEW_NONE &&
                                                  vi->view < GS_LESSON_VIEW_COUNT));
        }
        REQUIRE(s->play_speed == 0 || (s->play && s->play_speed >= 0.5 && s->play_speed <= 60));
        if (i > 0) (void)gs_lesson_setup_equal(&s->setup, &l->steps[i - 1].setup);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    countdown c = {-1, 0, 0};
    gs_allocator a = {countdown_realloc, &c};
    gs_lesson *l = NULL;
    gs_error err;
    uint32_t h = 2166136261u;
    gs_status st = gs_lesson_parse(&l, "fuzz.lesson", (const char *)data, size, &a, &err);
    if (st == GS_OK) {
        REQUIRE(l != NULL);
        walk(l);
        gs_lesson_destroy(l);
    } else {
        REQUIRE(st == GS_ERR_PARSE && l == NULL);
        REQUIRE(strncmp(err.msg, "fuzz.lesson:", 12) == 0 && err.line >= 1 && err.col >= 1);
        REQUIRE(memchr(err.msg, '\n', strlen(err.msg)) == NULL && valid_utf8(err.msg));
    }
    REQUIRE(c.live == 0);
    if (c.count == 0) return 0;
    /* again, with one allocation failing */
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
    c.left = (long)(h % (uint32_t)c.count);
    c.live = 0;
    st = gs_lesson_parse(&l, "fuzz.lesson", (const char *)data, size, &a, &err);
    REQUIRE(st == GS_ERR_NOMEM || st == GS_ERR_PARSE);
    REQUIRE(l == NULL && c.live == 0);
    return 0;
}
