/* test_lesson_parse.c — the lesson format: good lessons parse to the structs they
 * describe, every file in tests/lessons_bad gives exactly the error line in its
 * .expected sibling, the expectation evaluator passes and fails on sequences built by
 * hand, and an allocation-failure sweep over parsing returns GS_ERR_NOMEM cleanly
 * without leaking.  Bad lessons are parsed under their base name
 * ("unknown_directive.lesson"), which is how their .expected lines begin. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "countdown.h"
#include "gatescope.h"
#include "gatescope_lesson.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------------------ */

/* The whole file at path, NUL-terminated (the NUL is not counted in *len). */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = 0;
    }
    fclose(f);
    return buf;
}

static gs_lesson *parse_str(const char *name, const char *text, gs_error *err) {
    gs_lesson *l = NULL;
    gs_status st = gs_lesson_parse(&l, name, text, strlen(text), NULL, err);
    CHECK_MSG(st == GS_OK, "%s: %s", name, err->msg);
    return l;
}

static const char *run_text(const gs_lesson_para *p, int i) {
    return i < p->n_runs ? p->runs[i].text : "(none)";
}

/* ---- Good lessons ------------------------------------------------------------------- */

static void test_full(void) {
    gs_error err;
    gs_lesson *l = NULL;
    const gs_lesson_step *s;
    const gs_lesson_para *p;
    CHECK(gs_lesson_load(&l, GS_SOURCE_DIR "/tests/lessons_good/full.lesson", NULL, &err) == GS_OK);
    if (!l) {
        fprintf(stderr, "full.lesson: %s\n", err.msg);
        return;
    }
    CHECK(strcmp(l->title, "The vanilla RNN") == 0);
    CHECK(strstr(l->name, "full.lesson") != NULL);
    CHECK(strcmp(l->intro.raw, "A short introduction: one state, rewritten at *every* step.") == 0);
    CHECK(l->intro.n_paras == 1 && l->intro.paras[0].n_runs == 3);
    CHECK(l->n_steps == 2);
    s = &l->steps[0];
    CHECK(s->line == 4 && strcmp(s->heading, "One state, rewritten every step") == 0);
    CHECK(s->setup.n_variants == 2 && s->setup.variants[0] == GS_RNN &&
          s->setup.variants[1] == GS_PROTO);
    CHECK(s->setup.task == GS_TASK_ADDING && s->setup.seed == 7 && s->setup.hidden == 16);
    CHECK(s->setup.length == 50 && s->setup.init == GS_INIT_XAVIER && s->setup.init_scale == 0);
    CHECK(s->setup.weight_scale == 1.0 && s->setup.forget_bias == 1.0 && s->setup.truncate == 0);
    CHECK(s->setup.backward == 1 && s->cursor == 10 && s->play == 1);
    CHECK(s->view == GS_LESSON_VIEW_GATES && s->highlight == GS_LESSON_HL_GATE &&
          strcmp(s->highlight_gate, "f") == 0);
    CHECK(strcmp(s->notes, "Ask the class what they expect before pressing play.") == 0);
    CHECK(s->n_expects == 2);
    if (s->n_expects == 2) {
        const gs_lesson_expect *e = &s->expects[0];
        CHECK(e->line == 19 && strcmp(e->text, "proto s_norm > 100 before 40") == 0);
        CHECK(!e->lhs.is_number && e->lhs.variant == GS_PROTO && e->lhs.value == 1 &&
              strcmp(e->lhs.quantity, "s_norm") == 0 && !e->lhs.whole &&
              e->lhs.at == GS_LESSON_AT_EACH);
        CHECK(e->op == GS_OP_GT && e->rhs.is_number && e->rhs.value == 100);
        CHECK(e->qual == GS_QUAL_BEFORE && e->qual_step == 40);
        e = &s->expects[1];
        CHECK(e->line == 20 && e->lhs.variant == GS_RNN && e->lhs.at == 1 &&
              strcmp(e->lhs.quantity, "d_s_norm") == 0);
        CHECK(e->op == GS_OP_LT && e->rhs.value == 1e-6 && e->rhs.at == GS_LESSON_AT_LAST);
        CHECK(e->qual == GS_QUAL_NONE);
    }
    /* prose: runs with styles; lines of a paragraph joined by one space */
    CHECK(s->prose.n_paras == 3);
    CHECK(strncmp(s->prose.raw, "Prose paragraphs, word-wrapped", 30) == 0);
    CHECK(strstr(s->prose.raw, "\n\n- a bullet") != NULL);
    if (s->prose.n_paras == 3) {
        p = &s->prose.paras[0];
        CHECK(p->line == 23 && !p->bullet);
        CHECK(strcmp(run_text(p, 0), "Prose paragraphs, word-wrapped on screen, with ") == 0);
        CHECK(p->n_runs > 4 && p->runs[1].style == GS_STYLE_EMPH &&
              strcmp(run_text(p, 1), "emphasis") == 0);
        CHECK(p->n_runs > 4 && p->runs[3].style == GS_STYLE_STRONG &&
              strcmp(run_text(p, 3), "strong") == 0);
        CHECK(strcmp(run_text(p, 4), " and inline symbols written directly in UTF-8 (") == 0);
        CHECK(p->n_runs > 5 && p->runs[5].style == GS_STYLE_SYMBOL &&
              strcmp(run_text(p, 5), "\xCF\x83") == 0); /* σ written directly */
        /* s̃_t: the combining tilde stays with its s, in a plain run */
        CHECK(strcmp(run_text(p, 10), ", s\xCC\x83_t) or as escapes like ") == 0);
        CHECK(p->n_runs > 11 && p->runs[11].style == GS_STYLE_SYMBOL &&
              strcmp(run_text(p, 11), "\xCF\x83") == 0); /* \sigma */
        for (int i = 0; i < p->n_runs; i++)
            CHECK((int)strlen(p->runs[i].text) == p->runs[i].len);
        p = &s->prose.paras[1];
        CHECK(p->bullet && p->line == 26 && p->n_runs == 2);
        CHECK(p->n_runs == 2 && p->runs[1].style == GS_STYLE_SYMBOL &&
              strcmp(run_text(p, 1), "s_t = \xCF\x86(W s_{t-1} + U x_t)") == 0);
        p = &s->prose.paras[2];
        CHECK(p->bullet && p->n_runs == 1 && strcmp(run_text(p, 0), "a literal * asterisk") == 0);
    }
    /* the second step keeps the scene and resets the moment */
    s = &l->steps[1];
    CHECK(gs_lesson_setup_equal(&s->setup, &l->steps[0].setup));
    CHECK(s->cursor == GS_LESSON_CURSOR_START && s->play == 0 && s->view == GS_LESSON_VIEW_NONE &&
          s->highlight == GS_LESSON_HL_NONE && s->n_expects == 0 && strcmp(s->notes, "") == 0);
    CHECK(s->prose.n_paras == 1);
    CHECK(gs_lesson_step_needs(&l->steps[0]) == GS_LESSON_NEEDS_BACKWARD);
    CHECK(gs_lesson_step_needs(&l->steps[1]) == 0);
    gs_lesson_destroy(l);
}

/* The directives a saved view uses: weights and typed text (scene, carried over), the
 * backward playhead, the selection and the colours (moment, reset every step). */
static void test_saved_view(void) {
    gs_error err;
    gs_lesson *l = NULL;
    const gs_lesson_step *s;
    gs_lesson_colours c = {0};
    char words[80];
    CHECK(gs_lesson_load(&l, GS_SOURCE_DIR "/tests/lessons_good/saved_view.lesson", NULL, &err) == GS_OK);
    if (!l) {
        fprintf(stderr, "saved_view.lesson: %s\n", err.msg);
        return;
    }
    CHECK(l->n_steps == 3);
    s = &l->steps[0];
    CHECK(s->setup.weights && strcmp(s->setup.weights, "my weights/lstm.json") == 0);
    CHECK(s->setup.sequence == NULL && s->setup.init_scale == 1.5);
    CHECK(s->setup.backward == 1 && s->back_step == 12 && s->cursor == 20 && s->play == 0);
    CHECK(s->select == 1 && s->select_variant == GS_LSTM && s->select_unit == 5);
    CHECK(s->colours.scale == 2 && s->colours.magnitude == 2 && s->colours.palette == 2 &&
          s->colours.theme == 2);
    gs_lesson_colours_words(&s->colours, ' ', words, sizeof words);
    CHECK(strcmp(words, "per-pane log plasma light") == 0);
    s = &l->steps[1];
    CHECK(s->setup.weights == NULL && s->setup.task == GS_TASK_TYPED);
    CHECK(s->setup.sequence && strcmp(s->setup.sequence, "hello  world") == 0);
    CHECK(s->setup.backward == 1 && s->back_step == 0 && s->select == 0);
    CHECK(s->colours.theme == 1 && s->colours.scale == 0 && s->colours.palette == 0);
    CHECK(!gs_lesson_setup_equal(&s->setup, &l->steps[0].setup));
    s = &l->steps[2];
    CHECK(s->setup.task == GS_TASK_ADDING && s->setup.sequence &&
          strcmp(s->setup.sequence, "hello  world") == 0);
    gs_lesson_destroy(l);
    /* the words, one by one */
    CHECK(gs_lesson_colours_word(&c, "contrast", 8) == 0 && c.theme == 3);
    CHECK(gs_lesson_colours_word(&c, "shared", 6) == 0 && c.scale == 1);
    CHECK(gs_lesson_colours_word(&c, "share", 5) == -1);
    gs_lesson_colours_words(&c, ',', words, sizeof words);
    CHECK(strcmp(words, "shared,contrast") == 0);
    memset(&c, 0, sizeof c);
    gs_lesson_colours_words(&c, ',', words, sizeof words);
    CHECK(words[0] == 0);
}

static void test_inherit(void) {
    gs_error err;
    gs_lesson *l = NULL;
    const gs_lesson_step *s;
    gs_lesson_setup def = gs_lesson_setup_default();
    CHECK(gs_lesson_load(&l, GS_SOURCE_DIR "/tests/lessons_good/inherit.lesson", NULL, &err) == GS_OK);
    if (!l) {
        fprintf(stderr, "inherit.lesson: %s\n", err.msg);
        return;
    }
    CHECK(l->n_steps == 4 && strcmp(l->intro.raw, "") == 0 && l->intro.n_paras == 0);
    s = &l->steps[0];
    CHECK(gs_lesson_setup_equal(&s->setup, &def));
    CHECK(def.n_variants == 4 && def.variants[0] == GS_RNN && def.variants[1] == GS_PROTO &&
          def.variants[2] == GS_GRU && def.variants[3] == GS_LSTM);
    CHECK(def.task == GS_TASK_ADDING && def.seed == 1 && def.hidden == 16 && def.length == 0 &&
          def.init == GS_INIT_UNIFORM && def.weight_scale == 1 && isnan(def.forget_bias) &&
          def.truncate == 0 && def.backward == 0);
    CHECK(s->cursor == GS_LESSON_CURSOR_END && !s->play && s->view == GS_LESSON_VIEW_NONE);
    s = &l->steps[1];
    CHECK(s->setup.n_variants == GS_VARIANT_COUNT && s->setup.task == GS_TASK_ECHO &&
          s->setup.seed == 42 && s->setup.hidden == 8 && s->setup.length == 30);
    CHECK(s->setup.init == GS_INIT_ORTHOGONAL && s->setup.init_scale == 0.9 &&
          s->setup.weight_scale == -2.5 && s->setup.forget_bias == -1e-3 &&
          s->setup.truncate == 5 && s->setup.backward == 1);
    CHECK(s->cursor == 12 && s->play && s->view == GS_LESSON_VIEW_DRIFT &&
          s->highlight == GS_LESSON_HL_GRADIENT);
    CHECK(strcmp(s->prose.raw, "") == 0 && s->prose.n_paras == 0);
    s = &l->steps[2];
    CHECK(gs_lesson_setup_equal(&s->setup, &l->steps[1].setup));
    CHECK(s->cursor == GS_LESSON_CURSOR_END && !s->play && s->view == GS_LESSON_VIEW_EQUATIONS &&
          s->highlight == GS_LESSON_HL_NONE);
    s = &l->steps[3];
    CHECK(!gs_lesson_setup_equal(&s->setup, &l->steps[2].setup));
    CHECK(s->setup.n_variants == 2 && s->setup.variants[0] == GS_GRU_RA &&
          s->setup.variants[1] == GS_PEEPHOLE);
    CHECK(s->setup.length == 0 && isnan(s->setup.forget_bias) && s->setup.init == GS_INIT_UNIFORM &&
          s->setup.init_scale == 0 && s->setup.backward == 0);
    CHECK(s->setup.seed == 42 && s->setup.task == GS_TASK_ECHO && s->setup.truncate == 5);
    CHECK(s->highlight == GS_LESSON_HL_CANDIDATE && s->n_expects == 5);
    if (s->n_expects == 5) {
        CHECK(s->expects[0].qual == GS_QUAL_EVERYWHERE && s->expects[0].op == GS_OP_LE &&
              s->expects[0].rhs.value == 1e3);
        CHECK(s->expects[1].lhs.value == 0.5 && s->expects[1].lhs.variant == GS_GRU_RA &&
              s->expects[1].rhs.variant == GS_PEEPHOLE && s->expects[1].qual == GS_QUAL_AFTER &&
              s->expects[1].qual_step == 3);
        CHECK(s->expects[2].lhs.whole && s->expects[2].qual == GS_QUAL_NONE &&
              s->expects[2].op == GS_OP_EQ);
        CHECK(s->expects[3].lhs.at == 1 && s->expects[3].op == GS_OP_GE);
        CHECK(s->expects[4].op == GS_OP_LE && s->expects[4].qual == GS_QUAL_SOMEWHERE);
    }
    CHECK(gs_lesson_step_needs(s) == (GS_LESSON_NEEDS_BACKWARD | GS_LESSON_NEEDS_JACOBIAN));
    gs_lesson_destroy(l);
}

/* @visible, @play N, `within` and `by construction`: the structs they give. */
static void test_visible(void) {
    const char *text =
        "# V\n\n## One\n@variants rnn, lstm\n@length 40\n@backward on\n@play 60\n"
        "@view gradient\n@visible backward to 1\n@visible view equations\n@visible track\n"
        "@expect rnn gamma_w == 1 within 1e-6\n@expect rnn s_max <= 1 everywhere by construction\n"
        "@expect lstm h_max >= -1 everywhere by construction\n\n"
        "## Two\n@visible view gradient\n@view gradient\n@visible backward to first\n@play\n\n"
        "## Three\n";
    gs_error err;
    gs_lesson *l = parse_str("v.lesson", text, &err);
    const gs_lesson_step *s;
    if (!l) return;
    CHECK(l->n_steps == 3);
    s = &l->steps[0];
    CHECK(s->play == 1 && s->play_speed == 60);
    /* the three written, then the view @view spotlights (on its line) */
    CHECK(s->n_visible == 4);
    if (s->n_visible == 4) {
        CHECK(s->visible[0].what == GS_SIGHT_BACKWARD && s->visible[0].step == 1 &&
              s->visible[0].line == 9 && !strcmp(s->visible[0].text, "backward to 1") &&
              !s->visible[0].implied);
        CHECK(s->visible[1].what == GS_SIGHT_VIEW && s->visible[1].view == GS_LESSON_VIEW_EQUATIONS);
        CHECK(s->visible[2].what == GS_SIGHT_TRACK && !strcmp(s->visible[2].text, "track"));
        CHECK(s->visible[3].what == GS_SIGHT_VIEW && s->visible[3].view == GS_LESSON_VIEW_GRADIENT &&
              s->visible[3].implied && s->visible[3].line == 8 &&
              !strcmp(s->visible[3].text, "view gradient"));
    }
    CHECK(s->n_expects == 3);
    if (s->n_expects == 3) {
        CHECK(s->expects[0].op == GS_OP_EQ && s->expects[0].tol == 1e-6 && !s->expects[0].bound);
        CHECK(s->expects[1].bound && s->expects[1].qual == GS_QUAL_EVERYWHERE && s->expects[1].tol == 0);
        CHECK(s->expects[2].bound && s->expects[2].op == GS_OP_GE);
    }
    /* a written @visible view of the spotlit view is not added twice; 'first' is 1 */
    s = &l->steps[1];
    CHECK(s->n_visible == 2 && !s->visible[0].implied && s->visible[1].step == 1);
    CHECK(s->play == 1 && s->play_speed == 0);
    /* nothing is inherited: the moment is per step */
    s = &l->steps[2];
    CHECK(s->n_visible == 0 && s->play == 0 && s->play_speed == 0);
    gs_lesson_destroy(l);
}

static void test_crlf_bom(void) {
    gs_error err;
    gs_lesson *l = NULL;
    const gs_lesson_para *p;
    CHECK(gs_lesson_load(&l, GS_SOURCE_DIR "/tests/lessons_good/crlf_bom.lesson", NULL, &err) == GS_OK);
    if (!l) {
        fprintf(stderr, "crlf_bom.lesson: %s\n", err.msg);
        return;
    }
    CHECK(strcmp(l->title, "Windows line endings") == 0 && l->n_steps == 1);
    CHECK(l->steps[0].setup.seed == 3 && l->steps[0].prose.n_paras == 2);
    CHECK(strchr(l->steps[0].prose.raw, '\r') == NULL);
    if (l->steps[0].prose.n_paras == 2) {
        p = &l->steps[0].prose.paras[0];
        CHECK(p->n_runs == 3 && strcmp(run_text(p, 1), "\xCE\x94") == 0 &&
              strcmp(run_text(p, 2), " text with two lines.") == 0);
        p = &l->steps[0].prose.paras[1];
        CHECK(strcmp(run_text(p, 0), "And \\ a backslash, ` a tick, ") == 0);
        CHECK(p->n_runs == 4 && p->runs[1].style == GS_STYLE_STRONG &&
              p->runs[2].style == (GS_STYLE_STRONG | GS_STYLE_EMPH) &&
              strcmp(run_text(p, 2), "and emph") == 0 && p->runs[3].style == GS_STYLE_PLAIN);
    }
    gs_lesson_destroy(l);
}

/* Every file in lessons_good parses. */
static void test_good_dir(void) {
    const char *dir = GS_SOURCE_DIR "/tests/lessons_good";
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    CHECK_MSG(d != NULL, "cannot open %s", dir);
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        size_t nl = strlen(de->d_name);
        gs_lesson *l = NULL;
        gs_error err;
        if (nl < 8 || strcmp(de->d_name + nl - 7, ".lesson") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        CHECK_MSG(gs_lesson_load(&l, path, NULL, &err) == GS_OK, "%s", err.msg);
        gs_lesson_destroy(l);
        n++;
    }
    closedir(d);
    CHECK(n >= 3);
}

/* The shipped lessons (if any yet) parse too. */
static void test_shipped_dir(void) {
    const char *dir = GS_SOURCE_DIR "/lessons";
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        size_t nl = strlen(de->d_name);
        gs_lesson *l = NULL;
        gs_error err;
        if (nl < 8 || strcmp(de->d_name + nl - 7, ".lesson") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        CHECK_MSG(gs_lesson_load(&l, path, NULL, &err) == GS_OK, "%s", err.msg);
        gs_lesson_destroy(l);
    }
    closedir(d);
}

/* The complete example in lessons/README.md (the first ```lesson block) parses. */
static void test_readme_example(void) {
    size_t len = 0;
    char *doc = read_file(GS_SOURCE_DIR "/lessons/README.md", &len), *b, *e;
    gs_lesson *l = NULL;
    gs_error err;
    CHECK(doc != NULL);
    if (!doc) return;
    b = strstr(doc, "```lesson\n");
    e = b ? strstr(b + 10, "\n```\n") : NULL;
    CHECK_MSG(b && e, "lessons/README.md has no ```lesson block");
    if (b && e) {
        b += 10;
        CHECK_MSG(gs_lesson_parse(&l, "README example", b, (size_t)(e - b) + 1, NULL, &err) == GS_OK,
                  "%s", err.msg);
        CHECK(l && l->n_steps == 3 && l->steps[0].n_expects == 2);
        gs_lesson_destroy(l);
    }
    free(doc);
}

/* ---- Bad lessons: exact error lines ---------------------------------------------------- */

static void test_bad_dir(void) {
    const char *dir = GS_SOURCE_DIR "/tests/lessons_bad";
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    CHECK_MSG(d != NULL, "cannot open %s", dir);
    if (!d) return;
    while ((de = readdir(d)) != NULL) {
        char path[1024], exp_path[1024];
        size_t nl = strlen(de->d_name), len = 0, elen = 0;
        char *text, *expected;
        gs_lesson *l = NULL;
        gs_error err;
        gs_status st;
        int is_lesson = nl > 7 && strcmp(de->d_name + nl - 7, ".lesson") == 0;
        int is_expected = nl > 9 && strcmp(de->d_name + nl - 9, ".expected") == 0;
        if (!is_lesson && !is_expected) continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(exp_path, sizeof exp_path, "%s/%.*s%s", dir, (int)(nl - (is_lesson ? 7 : 9)),
                 de->d_name, is_lesson ? ".expected" : ".lesson");
        if (is_expected) { /* every .expected has its lesson */
            FILE *f = fopen(exp_path, "rb");
            CHECK_MSG(f != NULL, "%s has no lesson beside it", path);
            if (f) fclose(f);
            continue;
        }
        text = read_file(path, &len);
        expected = read_file(exp_path, &elen);
        CHECK_MSG(text != NULL, "cannot read %s", path);
        CHECK_MSG(expected != NULL, "%s has no .expected file", path);
        if (text && expected) {
            while (elen > 0 && (expected[elen - 1] == '\n' || expected[elen - 1] == '\r'))
                expected[--elen] = 0;
            st = gs_lesson_parse(&l, de->d_name, text, len, NULL, &err);
            CHECK_MSG(st == GS_ERR_PARSE && l == NULL, "%s: status %d", de->d_name, (int)st);
            if (st == GS_ERR_PARSE)
                CHECK_MSG(strcmp(err.msg, expected) == 0, "%s:\n   got      %s\n   expected %s",
                          de->d_name, err.msg, expected);
            if (st == GS_ERR_PARSE) CHECK(err.line >= 1 && err.col >= 1);
            gs_lesson_destroy(l);
            n++;
        }
        free(text);
        free(expected);
    }
    closedir(d);
    CHECK_MSG(n >= 15, "only %d broken lessons", n);
    printf("lessons_bad: %d broken lessons checked\n", n);
}

/* Errors that need no file: limits, arguments, odd inputs. */
static void test_api_edges(void) {
    gs_error err;
    gs_lesson *l = (gs_lesson *)&err; /* must be set to NULL on failure */
    size_t big = (size_t)GS_LESSON_MAX_BYTES + 1;
    char *text = malloc(big);
    gs_lesson_destroy(NULL);
    CHECK(gs_lesson_parse(NULL, "x", "", 0, NULL, &err) == GS_ERR_ARG);
    CHECK(gs_lesson_parse(&l, "x", NULL, 5, NULL, &err) == GS_ERR_ARG && l == NULL);
    CHECK(gs_lesson_parse(&l, "x.lesson", NULL, 0, NULL, &err) == GS_ERR_PARSE);
    CHECK(strcmp(err.msg, "x.lesson:1:1: empty lesson: expected a title line like '# The vanilla RNN'") == 0);
    CHECK(gs_lesson_parse(&l, NULL, "# T\n## S\n@seed x\n", 16, NULL, NULL) == GS_ERR_PARSE);
    CHECK(gs_lesson_parse(&l, NULL, "# T\n## S\n@seed x\n", 16, NULL, &err) == GS_ERR_PARSE);
    CHECK(strcmp(err.msg, "lesson:3:7: seed must be a whole number >= 0, not 'x'") == 0);
    CHECK(err.line == 3 && err.col == 7);
    CHECK(gs_lesson_load(&l, "/nonexistent/dir/x.lesson", NULL, &err) == GS_ERR_IO && l == NULL);
    CHECK(strstr(err.msg, "/nonexistent/dir/x.lesson") != NULL);
    if (text) {
        memset(text, 'a', big);
        CHECK(gs_lesson_parse(&l, "big.lesson", text, big, NULL, &err) == GS_ERR_PARSE);
        CHECK(strcmp(err.msg, "big.lesson:1:1: the lesson is too large (1048577 bytes; at most 1048576)") == 0);
        /* the same from a file, larger still */
        {
            char path[1024];
            FILE *f;
            snprintf(path, sizeof path, "%s/big_lesson_test.lesson", GS_BINARY_DIR);
            f = fopen(path, "wb");
            CHECK(f != NULL);
            if (f) {
                fwrite(text, 1, big, f);
                fwrite(text, 1, 100, f);
                fclose(f);
                CHECK(gs_lesson_load(&l, path, NULL, &err) == GS_ERR_PARSE && l == NULL);
                CHECK_MSG(strstr(err.msg, ":1:1: the lesson is too large (more than 1048576 "
                                          "bytes)") != NULL, "%s", err.msg);
                remove(path);
            }
        }
        /* an endless stream: the loader stops one byte past the limit (it used to read
           on to count the size, forever); the alarm turns a hang into a failure */
        alarm(20);
        CHECK(gs_lesson_load(&l, "/dev/zero", NULL, &err) == GS_ERR_PARSE && l == NULL);
        CHECK_MSG(strcmp(err.msg, "/dev/zero:1:1: the lesson is too large (more than 1048576 "
                                  "bytes)") == 0, "%s", err.msg);
        alarm(0);
        /* exactly at the limit: one enormous prose line after a title and a step */
        memcpy(text, "# T\n## S\n", 9);
        CHECK(gs_lesson_parse(&l, "max.lesson", text, big - 1, NULL, &err) == GS_OK);
        CHECK(l && l->steps[0].prose.n_paras == 1 &&
              l->steps[0].prose.paras[0].runs[0].len == (int)(big - 1 - 9));
        gs_lesson_destroy(l);
        /* a huge directive line: the token in the message is clipped */
        memcpy(text, "# T\n## S\n@seed ", 15);
        memset(text + 15, '9', 100000);
        CHECK(gs_lesson_parse(&l, "s.lesson", text, 15 + 100000, NULL, &err) == GS_ERR_PARSE);
        CHECK(strncmp(err.msg, "s.lesson:3:7: seed 9999", 23) == 0 && strlen(err.msg) < 200);
        /* a megabyte line of markers (linear, not quadratic) with the last one open */
        memcpy(text, "# T\n## S\n", 9);
        memset(text + 9, '*', big - 1 - 9 - 1);
        text[big - 2] = 'x';
        CHECK(gs_lesson_parse(&l, "m.lesson", text, big - 1, NULL, &err) == GS_ERR_PARSE);
        CHECK_MSG(strstr(err.msg, "unterminated strong text") && err.line == 3 &&
                  err.col == 1048565, "%s", err.msg);
        /* a megabyte of alternating symbol and plain characters: a run per character */
        for (size_t i = 9; i + 3 <= big - 1; i += 3) memcpy(text + i, "\xCF\x83" "a", 3);
        CHECK(gs_lesson_parse(&l, "r.lesson", text, 9 + (big - 1 - 9) / 3 * 3, NULL, &err) == GS_OK);
        CHECK(l && l->steps[0].prose.paras[0].n_runs == (int)((big - 1 - 9) / 3 * 2));
        gs_lesson_destroy(l);
        free(text);
    }
    /* a file that ends without a newline, and a title with escapes */
    l = parse_str("t.lesson", "# Why \\sigma\\odot?\n## Step \\phi\n@seed 2", &err);
    if (l) {
        CHECK(strcmp(l->title, "Why \xCF\x83\xE2\x8A\x99?") == 0);
        CHECK(strcmp(l->steps[0].heading, "Step \xCF\x86") == 0 && l->steps[0].setup.seed == 2);
        gs_lesson_destroy(l);
    }
    CHECK(strcmp(gs_lesson_view_name(GS_LESSON_VIEW_GRADIENT), "gradient") == 0);
    CHECK(gs_lesson_view_name(GS_LESSON_VIEW_COUNT) == NULL);
    CHECK(strcmp(gs_lesson_init_name(GS_INIT_ORTHOGONAL), "orthogonal") == 0);
    CHECK(strcmp(gs_lesson_op_name(GS_OP_NE), "!=") == 0);
}

/* ---- Allocation failure sweep ------------------------------------------------------------ */

static void test_alloc_sweep(void) {
    const char *paths[] = {GS_SOURCE_DIR "/tests/lessons_good/full.lesson",
                           GS_SOURCE_DIR "/tests/lessons_good/inherit.lesson"};
    for (int k = 0; k < 2; k++) {
        size_t len = 0;
        char *text = read_file(paths[k], &len);
        long n, ok_at = -1;
        CHECK(text != NULL);
        if (!text) continue;
        /* parse from memory, and load (which allocates its read buffer too) */
        for (int load = 0; load < 2; load++) {
            for (n = 0; n < 1000; n++) {
                countdown c = {n, 0, 0};
                gs_allocator a = {countdown_realloc, &c};
                gs_lesson *l = NULL;
                gs_error err;
                gs_status st = load ? gs_lesson_load(&l, paths[k], &a, &err)
                                    : gs_lesson_parse(&l, "sweep.lesson", text, len, &a, &err);
                if (st == GS_OK) {
                    CHECK(l != NULL && l->n_steps >= 2);
                    gs_lesson_destroy(l);
                    CHECK_MSG(c.live == 0, "success after %ld: %ld blocks leaked", n, c.live);
                    ok_at = n;
                    break;
                }
                CHECK_MSG(st == GS_ERR_NOMEM, "allocation %ld: status %d (%s)", n, (int)st, err.msg);
                CHECK_MSG(strstr(err.msg, "out of memory") != NULL, "allocation %ld: '%s'", n, err.msg);
                CHECK(l == NULL);
                CHECK_MSG(c.live == 0, "allocation %ld: %ld blocks leaked", n, c.live);
            }
            CHECK_MSG(ok_at > 0, "%s never parsed", paths[k]);
        }
        free(text);
    }
}

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
static void test_what_if(void) {
    static const char text[] =
        "# What if\n"
        "## Trained, one gate forced\n"
        "@variants peephole, cifg, gru\n"
        "@train 300 lr 0.01\n"
        "@clamp peephole:f=1, cifg:i[3]=0.25, gru:z=0\n"
        "## The same, inherited\n"
        "## Free again\n"
        "@clamp none\n"
        "@train off\n"
        "## Inherited clamps of a variant no longer shown are dropped\n"
        "@clamp peephole:o=0, gru:r[2]=1\n"
        "## x\n"
        "@variants gru\n";
    gs_lesson *l = NULL;
    gs_error err;
    const gs_lesson_setup *s;
    CHECK(gs_lesson_parse(&l, "w.lesson", text, sizeof text - 1, NULL, &err) == GS_OK);
    if (!l) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK(l->n_steps == 5);
    s = &l->steps[0].setup;
    CHECK(s->train == 300 && s->train_lr == 0.01 && s->n_clamps == 3);
    CHECK(s->clamps[0].variant == GS_PEEPHOLE && s->clamps[0].gate == 1 && s->clamps[0].unit == GS_ALL_UNITS &&
          s->clamps[0].value == 1.0 && s->clamps[0].line == 5 && s->clamps[0].col == 8);
    CHECK(s->clamps[1].variant == GS_CIFG && s->clamps[1].gate == 0 && s->clamps[1].unit == 3 &&
          s->clamps[1].value == 0.25);
    CHECK(s->clamps[2].variant == GS_GRU && s->clamps[2].gate == 1 && s->clamps[2].value == 0.0);
    CHECK(gs_lesson_setup_equal(&l->steps[0].setup, &l->steps[1].setup)); /* inherited whole */
    CHECK(l->steps[2].setup.train == 0 && l->steps[2].setup.n_clamps == 0);
    CHECK(!gs_lesson_setup_equal(&l->steps[1].setup, &l->steps[2].setup));
    CHECK(l->steps[3].setup.n_clamps == 2 && l->steps[3].setup.clamps[1].unit == 2);
    CHECK(l->steps[4].setup.n_clamps == 1 && l->steps[4].setup.clamps[0].variant == GS_GRU);
    CHECK(gs_lesson_setup_default().train == 0 && gs_lesson_setup_default().n_clamps == 0);
    gs_lesson_destroy(l);
#define PARSE(str) gs_lesson_parse(&l, "w.lesson", str, sizeof str - 1, NULL, &err)
    /* a second @clamp in a step is refused like any repeated directive */
    CHECK(PARSE("# T\n## S\n@variants lstm\n@clamp lstm:o=1\n@clamp lstm:i=1\n") == GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:5:2: @clamp is given twice in this step (first on line 4)") == 0, "%s", err.msg);
    CHECK(PARSE("# T\n## S\n@variants lstm\n@clamp\n") == GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:4:7: @clamp needs VARIANT:GATE=VALUE, e.g. '@clamp peephole:f=1' (or 'none')") == 0,
              "%s", err.msg);
    CHECK(PARSE("# T\n## S\n@variants lstm\n@clamp lstm:o[]=1\n") ==
          GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:4:14: write one unit as GATE[UNIT], e.g. 'lstm:o[3]=1'") == 0, "%s", err.msg);
    CHECK(PARSE("# T\n## S\n@variants lstm\n@clamp lstm:o=\n") ==
          GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:4:15: expected a value from 0 (shut) to 1 (open) after '='") == 0, "%s",
              err.msg);
    CHECK(PARSE("# T\n## S\n@variants rnn\n@clamp rnn:i=1\n") ==
          GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:4:12: rnn has no gates to clamp") == 0, "%s", err.msg);
    CHECK(PARSE("# T\n## S\n@train 10 lr\n") == GS_ERR_PARSE);
    CHECK_MSG(strcmp(err.msg, "w.lesson:3:13: 'lr' needs a learning rate, e.g. '@train 10 lr 0.01'") == 0, "%s",
              err.msg);
#undef PARSE
}

int main(void) {
    test_full();
    test_saved_view();
    test_what_if();
    test_inherit();
    test_visible();
    test_crlf_bom();
    test_good_dir();
    test_shipped_dir();
    test_readme_example();
    test_bad_dir();
    test_api_edges();
    test_alloc_sweep();
    test_expectations();
    return check_result("test_lesson_parse");
}
