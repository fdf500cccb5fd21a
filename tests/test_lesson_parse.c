/* test_lesson_parse.c — the lesson format: good lessons parse to the structs they
 * describe, every file in tests/lessons_bad gives exactly the error line in its
 * .expected sibling, and an allocation-failure sweep over parsing returns GS_ERR_NOMEM
 * cleanly without leaking (the expectations themselves: test_lesson_expect.c).  Bad
 * lessons are parsed under their base name ("unknown_directive.lesson"), which is how
 * their .expected lines begin. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "countdown.h"
#include "gatescope.h"
#include "gatescope_lesson.h"
#include "lesson_text.h"

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
    return check_result("test_lesson_parse");
}
