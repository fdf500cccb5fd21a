/* lesson_handout.c — the handout's pages in CommonMark: a student page per step and a
 * teacher's page.  Only the text is written here; the pictures are the headless
 * frames (run/headless.c). */
#include "session/lesson_handout.h"

#include <string.h>

/* ---- Maths: sub- and superscripts ------------------------------------------------- */

/* The Unicode subscript / superscript of an ASCII character, or NULL. */
static const char *sub_of(int c) {
    static const char *const digits[10] = { "\xe2\x82\x80", "\xe2\x82\x81", "\xe2\x82\x82",
                                            "\xe2\x82\x83", "\xe2\x82\x84", "\xe2\x82\x85",
                                            "\xe2\x82\x86", "\xe2\x82\x87", "\xe2\x82\x88",
                                            "\xe2\x82\x89" };
    /* a..z: the ones Unicode has (no b c d f g q w y z) */
    static const char *const letters[26] = {
        ['a' - 'a'] = "\xe2\x82\x90", ['e' - 'a'] = "\xe2\x82\x91", ['h' - 'a'] = "\xe2\x82\x95",
        ['i' - 'a'] = "\xe1\xb5\xa2", ['j' - 'a'] = "\xe2\xb1\xbc", ['k' - 'a'] = "\xe2\x82\x96",
        ['l' - 'a'] = "\xe2\x82\x97", ['m' - 'a'] = "\xe2\x82\x98", ['n' - 'a'] = "\xe2\x82\x99",
        ['o' - 'a'] = "\xe2\x82\x92", ['p' - 'a'] = "\xe2\x82\x9a", ['r' - 'a'] = "\xe1\xb5\xa3",
        ['s' - 'a'] = "\xe2\x82\x9b", ['t' - 'a'] = "\xe2\x82\x9c", ['u' - 'a'] = "\xe1\xb5\xa4",
        ['v' - 'a'] = "\xe1\xb5\xa5", ['x' - 'a'] = "\xe2\x82\x93" };
    if (c >= '0' && c <= '9') return digits[c - '0'];
    if (c >= 'a' && c <= 'z') return letters[c - 'a'];
    switch (c) {
    case '+': return "\xe2\x82\x8a";
    case '-': return "\xe2\x82\x8b";
    case '=': return "\xe2\x82\x8c";
    case '(': return "\xe2\x82\x8d";
    case ')': return "\xe2\x82\x8e";
    default: return NULL;
    }
}

static const char *sup_of(int c) {
    static const char *const digits[10] = { "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3",
                                            "\xe2\x81\xb4", "\xe2\x81\xb5", "\xe2\x81\xb6",
                                            "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9" };
    switch (c) {
    case '+': return "\xe2\x81\xba";
    case '-': return "\xe2\x81\xbb";
    case '=': return "\xe2\x81\xbc";
    case '(': return "\xe2\x81\xbd";
    case ')': return "\xe2\x81\xbe";
    case 'n': return "\xe2\x81\xbf";
    case 'i': return "\xe2\x81\xb1";
    case 'T': return "\xe1\xb5\x80";
    default: return c >= '0' && c <= '9' ? digits[c - '0'] : NULL;
    }
}

/* ---- Escaping ------------------------------------------------------------------------ */

/* Plain text, every character CommonMark could read as markup escaped. */
static void md_plain(FILE *f, const char *s, int len, int at_start) {
    int i = 0;
    if (at_start) { /* what opens a block: # heading, - + * lists, 1. 1) lists, = --- rules */
        int d = 0;
        while (d < len && s[d] >= '0' && s[d] <= '9') d++;
        if (d > 0 && d < len && (s[d] == '.' || s[d] == ')')) {
            fprintf(f, "%.*s\\%c", d, s, s[d]);
            i = d + 1;
        } else if (len > 0 && strchr("-+=", s[0])) {
            fprintf(f, "\\%c", s[0]);
            i = 1;
        }
    }
    for (; i < len; i++) {
        if (strchr("\\`*_[]<>&#|~!", s[i])) fputc('\\', f);
        fputc(s[i], f);
    }
}

/* A sub- or superscript group: Unicode when every character has its form, else
 * <sub>/<sup> around the escaped text. */
static void md_script(FILE *f, const char *s, int len, int sup) {
    int all = 1;
    for (int i = 0; i < len && all; i++)
        if (!(sup ? sup_of((unsigned char)s[i]) : sub_of((unsigned char)s[i]))) all = 0;
    if (all) {
        for (int i = 0; i < len; i++) fputs(sup ? sup_of((unsigned char)s[i]) : sub_of((unsigned char)s[i]), f);
        return;
    }
    fputs(sup ? "<sup>" : "<sub>", f);
    md_plain(f, s, len, 0);
    fputs(sup ? "</sup>" : "</sub>", f);
}

static int is_alnum(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* In prose, is the `_` or `^` at s[i] a script?  After a letter or digit, before a
 * braced group or a short index (at most 3 letters or digits), in a word with no
 * other `_` (d_x_norm and s_norm are names, not maths). */
static int prose_script(const char *s, int len, int i) {
    int a = i, b = i + 1, n = 0;
    if (i == 0 || !is_alnum((unsigned char)s[i - 1])) return 0;
    if (s[i + 1] == '{') return 1;
    while (b < len && is_alnum((unsigned char)s[b])) b++, n++;
    if (n < 1 || n > 3 || (b < len && (s[b] == '_' || s[b] == '^'))) return 0;
    while (a > 0 && is_alnum((unsigned char)s[a - 1])) a--;
    return !(a > 0 && (s[a - 1] == '_' || s[a - 1] == '^'));
}

/* Text with maths: `_x` / `_{...}` and `^x` / `^{...}` as the screen's formulas read
 * them (one character, or a braced group); in prose (formula = 0) only where
 * prose_script says, and a bare script runs to the end of the word (h_max). */
static void md_text(FILE *f, const char *s, int len, int formula, int at_start) {
    int i = 0, from = 0;
    while (i < len) {
        int c = (unsigned char)s[i], n;
        if ((c != '_' && c != '^') || i + 1 >= len || (!formula && !prose_script(s, len, i))) {
            i++;
            continue;
        }
        md_plain(f, s + from, i - from, at_start && from == 0);
        if (s[i + 1] == '{') {
            int j = i + 2;
            while (j < len && s[j] != '}') j++;
            md_script(f, s + i + 2, j - i - 2, c == '^');
            i = j < len ? j + 1 : j;
        } else if (formula) { /* one character (UTF-8 aware) */
            n = 1;
            while (i + 1 + n < len && ((unsigned char)s[i + 1 + n] & 0xc0) == 0x80) n++;
            md_script(f, s + i + 1, n, c == '^');
            i += 1 + n;
        } else {
            n = 0;
            while (i + 1 + n < len && is_alnum((unsigned char)s[i + 1 + n])) n++;
            md_script(f, s + i + 1, n, c == '^');
            i += 1 + n;
        }
        from = i;
    }
    md_plain(f, s + from, len - from, at_start && from == 0);
}

void md_inline(FILE *f, const char *s, int len, int at_start) { md_text(f, s, len, 0, at_start); }

/* ---- Prose --------------------------------------------------------------------------- */

/* The emphasis a run has in Markdown: 1 emphasis, 2 strong, 3 both. */
static unsigned marks_of(unsigned style) {
    return (style & GS_STYLE_EMPH ? 1u : 0u) | (style & GS_STYLE_STRONG ? 2u : 0u);
}

static const char *mark_text(unsigned m) { return m == 3 ? "***" : m == 2 ? "**" : m == 1 ? "*" : ""; }

/* One paragraph: runs with the same emphasis are one span (so **∂L/∂s_t** stays one
 * span, not one per symbol), its outer spaces outside the marks. */
static void md_para(FILE *f, const gs_lesson_para *pa) {
    int r = 0, first = 1;
    while (r < pa->n_runs) {
        unsigned m = marks_of(pa->runs[r].style);
        int e = r, a, b, k, lead = 0, trail = 0;
        while (e < pa->n_runs && marks_of(pa->runs[e].style) == m) e++;
        /* the span's leading spaces (in its first runs) and trailing ones (in its last) */
        for (k = r; k < e; k++) {
            int j = 0;
            while (j < pa->runs[k].len && pa->runs[k].text[j] == ' ') j++;
            lead += j;
            if (j < pa->runs[k].len) break;
        }
        for (k = e - 1; k >= r; k--) {
            int j = pa->runs[k].len;
            while (j > 0 && pa->runs[k].text[j - 1] == ' ') j--;
            trail += pa->runs[k].len - j;
            if (j > 0) break;
        }
        fprintf(f, "%*s", lead, "");
        if (lead > 0) first = 0;
        fputs(mark_text(m), f);
        /* the runs' text, less the spaces written outside */
        {
            int skip = lead, total = 0, left;
            for (k = r; k < e; k++) total += pa->runs[k].len;
            left = total - lead - trail;
            for (k = r; k < e && left > 0; k++) {
                const gs_lesson_run *run = &pa->runs[k];
                a = 0;
                b = run->len;
                if (skip > 0) {
                    a = skip < b ? skip : b;
                    skip -= a;
                }
                if (b - a > left) b = a + left;
                if (b > a) {
                    md_text(f, run->text + a, b - a, (run->style & GS_STYLE_SYMBOL) != 0, first && !m);
                    left -= b - a;
                    first = 0;
                }
            }
        }
        fputs(mark_text(m), f);
        fprintf(f, "%*s", trail, "");
        r = e;
    }
}

static void md_prose(FILE *f, const gs_lesson_prose *pr) {
    int prev_bullet = 0;
    for (int i = 0; i < pr->n_paras; i++) {
        const gs_lesson_para *pa = &pr->paras[i];
        if (prev_bullet && !pa->bullet) fputc('\n', f);
        if (pa->bullet) fputs("- ", f);
        md_para(f, pa);
        fputs(pa->bullet ? "\n" : "\n\n", f);
        prev_bullet = pa->bullet;
    }
    if (prev_bullet) fputc('\n', f);
}

/* A code span holding s as it is: fenced by more backticks than s has in a row. */
static void md_code(FILE *f, const char *s) {
    int run = 0, most = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > most) most = run;
    }
    for (int i = 0; i <= most; i++) fputc('`', f);
    fprintf(f, most ? " %s " : "%s", s);
    for (int i = 0; i <= most; i++) fputc('`', f);
}

/* ---- Pages ----------------------------------------------------------------------------- */

/* A page goes to a temporary file beside path and replaces it only when whole
 * (gs_outfile); a failed write latches in the stream and the commit reports it. */
static int open_page(gs_outfile **o, FILE **f, const char *path, char *err, size_t err_len) {
    gs_error e;
    if (gs_outfile_open(o, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    *f = gs_outfile_stream(*o);
    return 0;
}

static int close_page(gs_outfile *o, char *err, size_t err_len) {
    gs_error e;
    if (gs_outfile_commit(o, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    return 0;
}

static void md_heading(FILE *f, const char *hashes, const char *text) {
    fprintf(f, "%s ", hashes);
    md_inline(f, text, (int)strlen(text), 0);
    fputs("\n\n", f);
}

int lesson_write_markdown(const gs_lesson *l, int k, const char *path, const char *png, char *err,
                          size_t err_len) {
    const gs_lesson_step *st;
    gs_outfile *o;
    FILE *f;
    if (!l || k < 0 || k >= l->n_steps) {
        snprintf(err, err_len, "no step %d", k + 1);
        return 1;
    }
    st = &l->steps[k];
    if (open_page(&o, &f, path, err, err_len)) return 1;
    if (k == 0) { /* the lesson's title and introduction open the first page */
        md_heading(f, "#", l->title);
        md_prose(f, &l->intro);
    } else { /* where this page belongs */
        fputc('*', f);
        md_inline(f, l->title, (int)strlen(l->title), 0);
        fprintf(f, ", step %d of %d*\n\n", k + 1, l->n_steps);
    }
    md_heading(f, "##", st->heading);
    if (png) {
        fprintf(f, "![Step %d: ", k + 1);
        md_inline(f, st->heading, (int)strlen(st->heading), 0);
        fprintf(f, "](%s)\n\n", png);
    }
    md_prose(f, &st->prose);
    return close_page(o, err, err_len);
}

/* The part of a check line after its "file:line: ". */
static const char *after_place(const char *s, const char *name) {
    size_t n = strlen(name);
    if (!strncmp(s, name, n) && s[n] == ':') {
        const char *p = s + n + 1;
        while (*p >= '0' && *p <= '9') p++;
        if (*p == ':') p++;
        while (*p == ' ') p++;
        return p;
    }
    return s;
}

int lesson_write_teacher(const gs_lesson *l, const char *path, const int *at,
                         const char *const *checks, int n, char *err, size_t err_len) {
    gs_outfile *o;
    FILE *f;
    char title[GS_LESSON_MAX_HEADING + 32];
    if (open_page(&o, &f, path, err, err_len)) return 1;
    snprintf(title, sizeof title, "%s: the teacher's page", l->title);
    md_heading(f, "#", title);
    fprintf(f, "For the presenter, not for students: each step's notes, what it states must "
            "be visible, and every check gatescope made before writing the handout (with its "
            "margin: how far from its threshold it holds). The student pages are step-01.md to "
            "step-%02d.md.\n\n", l->n_steps);
    for (int k = 0; k < l->n_steps; k++) {
        const gs_lesson_step *st = &l->steps[k];
        int hi = k + 1 < l->n_steps ? l->steps[k + 1].line : 1 << 30, any = 0;
        char head[GS_LESSON_MAX_HEADING + 32];
        snprintf(head, sizeof head, "Step %d: %s", k + 1, st->heading);
        md_heading(f, "##", head);
        if (st->notes[0]) {
            const char *p = st->notes;
            fputs("Notes:\n\n", f);
            while (*p) {
                const char *nl = strchr(p, '\n');
                int len = nl ? (int)(nl - p) : (int)strlen(p);
                fputs("- ", f);
                md_inline(f, p, len, 0);
                fputc('\n', f);
                p += len + (nl ? 1 : 0);
            }
            fputc('\n', f);
        }
        for (int i = 0; i < st->n_visible; i++) {
            const gs_lesson_visible *v = &st->visible[i];
            if (!any++) fputs("Must be visible:\n\n", f);
            fputs("- ", f);
            md_inline(f, v->text, (int)strlen(v->text), 0);
            fputs(v->implied ? " (the spotlit view)\n" : "\n", f);
        }
        if (any) fputc('\n', f);
        any = 0;
        for (int i = 0; i < n; i++) {
            const char *c;
            if (at[i] < st->line || at[i] >= hi) continue;
            if (!any++) fputs("Checks:\n\n", f);
            c = after_place(checks[i], l->name);
            fprintf(f, "- line %d: ", at[i]);
            md_code(f, c);
            fputc('\n', f);
        }
        if (any) fputc('\n', f);
    }
    return close_page(o, err, err_len);
}
