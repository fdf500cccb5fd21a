/* lesson_internal.h — what the lesson files share: the parse context with its arena
 * and error helper, lines, numbers, UTF-8, symbols and prose (lesson_lex.c), and the
 * parser state and token helpers that lesson_parse.c, lesson_directive.c and
 * lesson_expect_parse.c pass between them.  Private to the engine, like internal.h. */
#ifndef GS_LESSON_INTERNAL_H
#define GS_LESSON_INTERNAL_H

#include "gatescope_lesson.h"
#include "internal.h"

#include <stdint.h>

/* ---- Context: arena memory and the first error ------------------------------------ */

/* One block of lesson memory; the lesson's allocations are bump-allocated from a list
 * of these, freed together by gs_lesson_destroy. */
typedef struct gs__lblock {
    struct gs__lblock *next;
    size_t used, cap; /* bytes used / available after the header */
} gs__lblock;

typedef struct gs__lx {
    const char *name;      /* file name for messages */
    gs_error *err;         /* may be NULL */
    gs_allocator alloc;    /* realloc NULL = libc */
    gs__lblock *blocks;    /* newest first */
    gs_status status;      /* GS_OK until the first failure */
} gs__lx;

/* Zeroed arena memory aligned for any type; NULL (status NOMEM, message set) when
 * the allocator fails or an earlier failure happened. */
void *gs__lx_alloc(gs__lx *x, size_t n);
/* A NUL-terminated copy of n bytes of s in the arena. */
char *gs__lx_strndup(gs__lx *x, const char *s, size_t n);
/* Grow an arena array *arr of *cap elements of size elem to hold at least need. */
int gs__lx_reserve(gs__lx *x, void **arr, int *cap, int need, size_t elem);
void gs__lx_free_blocks(const gs_allocator *a, gs__lblock *b);
/* Record a parse error `name:line:col: message[ near 'tok']` (only the first one
 * counts).  near may be NULL. */
void gs__lx_error(gs__lx *x, int line, int col, const char *near, size_t near_len,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void gs__lx_nomem(gs__lx *x);

/* ---- Lines ---------------------------------------------------------------------- */

typedef struct gs__line {
    const char *p; /* first byte of the line (after a BOM on line 1) */
    int len;       /* bytes, without the newline or a trailing CR */
    int no;        /* 1-based */
} gs__line;

typedef struct gs__lines {
    const char *p, *end; /* what is left of the text */
    int no;              /* number of the last line returned */
} gs__lines;

void gs__lines_init(gs__lines *it, const char *text, size_t len);
/* Next line, checked: valid UTF-8, no NUL, no control characters but tab.  Returns 1
 * with *out set, 0 at the end, -1 after recording an error. */
int gs__lines_next(gs__lx *x, gs__lines *it, gs__line *out);
/* 1-based column (in characters) of p within line. */
int gs__col(const gs__line *ln, const char *p);

/* Bytes of s (len bytes) to keep so that at most max are kept, cut at a character
 * boundary. */
int gs__utf8_clip(const char *s, int len, int max);
/* printf arguments for "%.*s": a file name, clipped to 100 bytes */
#define NAME_ARG(name) gs__utf8_clip((name), (int)strlen(name), 100), (name)

/* ---- Small lexical helpers ---------------------------------------------------------- */

int gs__is_space(int c);
/* Length of the UTF-8 sequence at p (1..4; 0 if invalid or cut by end) and its code
 * point. */
int gs__utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);
/* Strict numbers: a whole number (digits only, with an optional leading '+') or a
 * decimal ([+-]digits[.digits][e[+-]digits]).  0 = ok, 1 = not a number,
 * 2 = too large / not finite. */
int gs__parse_uint(const char *s, size_t n, uint64_t *out);
int gs__parse_real(const char *s, size_t n, double *out);
/* Length of the number at s (decimal syntax above), 0 if none starts there. */
size_t gs__scan_real(const char *s, const char *end);

/* ---- Symbols (\sigma) and prose --------------------------------------------------- */

/* UTF-8 of the symbol escape \name (n bytes of name); *combining = 1 for marks that
 * attach to the character before (\tilde, \hat, \bar, \dot).  NULL if unknown. */
const char *gs__symbol(const char *name, size_t n, int *combining);
/* The known symbol name nearest to name, or NULL. */
const char *gs__symbol_nearest(const char *name, size_t n);

/* Parse the prose lines (blank lines separate paragraphs) into out, with the raw text
 * as written.  Records an error (unterminated emphasis, unknown escape) and returns
 * nonzero on failure. */
int gs__prose_build(gs__lx *x, const gs__line *lines, int n, gs_lesson_prose *out);
/* Expand \name escapes in a heading (no styles); NULL after recording an error. */
char *gs__expand_plain(gs__lx *x, const gs__line *ln, const char *p, int len);

/* ---- The parser: state and tokens (lesson_parse.c) -------------------------------- */

#define GS__N_DIRECTIVES 24 /* @variants ... @visible, @train, @clamp: lesson_directive.c */

typedef struct gs__pos {
    int line, col;
} gs__pos;

/* Where the parts of an expectation were written, checked when the step ends. */
typedef struct gs__expect_pos {
    gs__pos var[2];  /* the variant of lhs / rhs */
    gs__pos at[2];   /* their `at` step */
    gs__pos qual;    /* before/after N */
} gs__expect_pos;

typedef struct gs__step_build {
    gs_lesson_step *st;
    gs_lesson_expect *ex;
    gs__expect_pos *ex_pos;
    int ex_cap, ex_pos_cap;
    gs_lesson_visible *vis;         /* the @visible lines (and the one @view implies) */
    gs__pos *vis_pos;               /* where each one's step number was written */
    int vis_cap, vis_pos_cap;
    int set_line[GS__N_DIRECTIVES]; /* line where a directive was given in this step, 0 if not */
    gs__pos cursor, highlight, task, length; /* where their values were written */
    gs__pos back, select, sequence;
    int clamp_line;                 /* line of this step's @clamp, 0 if none (lesson_clamp.c) */
    int view_line;                  /* line of @view, 0 if none */
    gs__line *notes;
    int n_notes, notes_cap;
} gs__step_build;

typedef struct gs__parser {
    gs__lx *x;
    const gs__line *ln;          /* the line being read */
    gs_lesson *lesson;
    gs_lesson_step *steps;
    int steps_cap;
    gs__step_build sb;           /* the step being read */
    gs__line *prose;             /* prose lines of the intro or the current step */
    int n_prose, prose_cap;
    int title_line;
} gs__parser;

typedef struct gs__tok {
    const char *p;
    int len;
} gs__tok;

#define ERR_AT(P, ptr, ...) gs__lx_error((P)->x, (P)->ln->no, gs__col((P)->ln, (ptr)), NULL, 0, __VA_ARGS__)
#define QUOTE_MAX 40
/* printf arguments for "%.*s%s": a token, clipped with "..." */
#define TOKARG(t) gs__utf8_clip((t).p, (t).len, QUOTE_MAX), (t).p, ((t).len > QUOTE_MAX ? "..." : "")

int gs__tok_is(gs__tok t, const char *s);
/* Index of t among names, or -1. */
int gs__tok_lookup(gs__tok t, const char *const *names, int n);
/* The name nearest to t among names, or NULL. */
const char *gs__tok_nearest(gs__tok t, const char *const *names, int n);
/* Record "unknown KIND 'tok' (did you mean 'x'?)" or "...; expected one of: a, b, c". */
void gs__err_unknown(gs__parser *P, gs__tok t, const char *kind, const char *const *names,
                     int n);
/* A directive's argument count: at least want (else "@dname needs what"), at most
 * want_max (else "unexpected 'x' after @dname and its value(s)"); -1 after an error. */
int gs__need_args(gs__parser *P, const char *dname, const char *name_end, gs__tok *toks, int n,
                  int want, int want_max, const char *what);
/* A whole number in lo..hi for `what` (e.g. "hidden size"); -1 after an error. */
int gs__arg_int(gs__parser *P, gs__tok t, const char *what, long lo, long hi, long *out);
/* A finite number with lo <= x <= hi (range: how the message writes it, "0..1");
 * 0, or -1 with the error set. */
int gs__arg_real(gs__parser *P, gs__tok t, const char *what, double lo, double hi,
                 const char *range, double *out);
/* The variant named t (0), or -1; gs__err_variant records the error for it. */
int gs__lookup_variant(gs__tok t, gs_variant *out);
void gs__err_variant(gs__parser *P, gs__tok t);
/* Letters and '_' start a word; digits and '-' may follow. */
int gs__is_word_start(int c);
int gs__is_word_char(int c);

/* The arguments of `@visible` (p..end, after the name at name) into the current step
 * (lesson_visible_parse.c); gs__visible_finish adds the view @view spotlights and
 * checks the steps against the scene's length T (0 if unknown) when the step ends. */
int gs__parse_visible(gs__parser *P, const char *name, const char *p, const char *end);
int gs__visible_finish(gs__parser *P, int T);
/* The names of the views, as the format spells them (lesson_directive.c). */
int gs__view_lookup(gs__tok t);
void gs__err_view(gs__parser *P, gs__tok t);

/* One @ line (at points at the '@') into the current step (lesson_directive.c). */
int gs__directive(gs__parser *P, const char *at);
/* The what-if directives (lesson_clamp.c): @train and @clamp with their arguments
 * (toks, n; name_end just after the directive's name) into the current step; and, at
 * the end of a step, its own clamps checked against its variants and units (inherited
 * ones that no longer fit are dropped).  gs__clamps_equal: the same clamps, in order. */
int gs__directive_train(gs__parser *P, gs__tok *toks, int n, const char *name_end);
int gs__directive_clamp(gs__parser *P, gs__tok *toks, int n, const char *name_end);
int gs__finish_clamps(gs__parser *P);
int gs__clamps_equal(const gs_lesson_setup *a, const gs_lesson_setup *b);
/* The @expect text p..end into e, with where its parts were written into ep
 * (lesson_expect_parse.c). */
int gs__parse_expect(gs__parser *P, const char *p, const char *end, gs_lesson_expect *e,
                     gs__expect_pos *ep);

#endif
