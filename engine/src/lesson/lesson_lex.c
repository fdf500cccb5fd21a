/* lesson_lex.c — the byte level of the lesson format: the lesson's arena and its one
 * error helper, checked lines (UTF-8, no NUL or control bytes), strict numbers,
 * symbol escapes (\sigma) and prose split into paragraphs of styled runs.
 * It knows nothing of steps or directives (lesson_parse.c, lesson_directive.c). */
#include "lesson_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Arena ---------------------------------------------------------------------- */

#define ALIGN 16u
#define BLOCK_MIN ((size_t)16384)
#define HDR (((sizeof(gs__lblock) + ALIGN - 1) / ALIGN) * ALIGN)

void gs__lx_nomem(gs__lx *x) {
    if (x->status != GS_OK) return;
    x->status = GS_ERR_NOMEM;
    gs__error(x->err, "%.*s: out of memory while reading the lesson", NAME_ARG(x->name));
}

void *gs__lx_alloc(gs__lx *x, size_t n) {
    gs__lblock *b = x->blocks, *nb;
    size_t cap;
    if (x->status != GS_OK) return NULL;
    if (n > ((size_t)1 << 40)) {
        gs__lx_nomem(x);
        return NULL;
    }
    n = (n + ALIGN - 1) / ALIGN * ALIGN;
    if (n == 0) n = ALIGN;
    if (b && b->cap - b->used >= n) {
        void *p = (char *)b + HDR + b->used;
        b->used += n;
        return p;
    }
    /* a big request gets a block of its own behind the current one, so the rest of
       the current block is not wasted */
    cap = n > BLOCK_MIN / 4 ? n : BLOCK_MIN;
    nb = gs__alloc(&x->alloc, HDR + cap);
    if (!nb) {
        gs__lx_nomem(x);
        return NULL;
    }
    nb->cap = cap;
    nb->used = n;
    if (b && cap == n) {
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        x->blocks = nb;
    }
    return (char *)nb + HDR;
}

char *gs__lx_strndup(gs__lx *x, const char *s, size_t n) {
    char *p = gs__lx_alloc(x, n + 1);
    if (p && n) memcpy(p, s, n);
    return p;
}

int gs__lx_reserve(gs__lx *x, void **arr, int *cap, int need, size_t elem) {
    void *na;
    int nc;
    if (need <= *cap) return 0;
    nc = *cap ? *cap * 2 : 8;
    if (nc < need) nc = need;
    na = gs__lx_alloc(x, (size_t)nc * elem);
    if (!na) return -1;
    if (*arr && *cap) memcpy(na, *arr, (size_t)*cap * elem);
    *arr = na;
    *cap = nc;
    return 0;
}

void gs__lx_free_blocks(const gs_allocator *a, gs__lblock *b) {
    while (b) {
        gs__lblock *next = b->next;
        gs__free(a, b);
        b = next;
    }
}

int gs__utf8_clip(const char *s, int len, int max) {
    if (len <= max) return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    return max;
}

/* ---- Errors --------------------------------------------------------------------- */

/* Copy at most max bytes of s (cut at a character boundary) into out, "..." if cut. */
static void clip_token(char *out, size_t out_len, const char *s, size_t n, size_t max) {
    size_t k = n;
    int cut = 0;
    if (k > max) {
        k = max;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        cut = 1;
    }
    if (k > out_len - 4) k = out_len - 4;
    memcpy(out, s, k);
    strcpy(out + k, cut ? "..." : "");
}

void gs__lx_error(gs__lx *x, int line, int col, const char *near, size_t near_len,
                  const char *fmt, ...) {
    char what[200], tok[48], full[512];
    size_t n;
    va_list ap;
    if (x->status != GS_OK) return;
    x->status = GS_ERR_PARSE;
    if (!x->err) return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (near) {
        clip_token(tok, sizeof tok, near, near_len, 32);
        snprintf(full, sizeof full, "%.*s:%d:%d: %s near '%s'", NAME_ARG(x->name), line, col,
                 what, tok);
    } else {
        snprintf(full, sizeof full, "%.*s:%d:%d: %s", NAME_ARG(x->name), line, col, what);
    }
    /* into the caller's message, cut at a character boundary if it must be cut */
    n = strlen(full);
    if (n >= sizeof x->err->msg) {
        n = sizeof x->err->msg - 1;
        while (n > 0 && ((unsigned char)full[n] & 0xC0) == 0x80) n--;
    }
    memcpy(x->err->msg, full, n);
    x->err->msg[n] = 0;
    x->err->line = line;
    x->err->col = col;
}

/* ---- UTF-8 and lines ------------------------------------------------------------ */

int gs__is_space(int c) { return c == ' ' || c == '\t'; }

int gs__utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp) {
    unsigned c = p[0];
    int n, i;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2) return 0; /* a continuation byte, or an overlong 2-byte form */
    if (c < 0xE0) n = 2, v = c & 0x1F;
    else if (c < 0xF0) n = 3, v = c & 0x0F;
    else if (c < 0xF5) n = 4, v = c & 0x07;
    else return 0;
    if (end - p < n) return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    *cp = v;
    return n;
}

int gs__col(const gs__line *ln, const char *p) {
    int col = 1;
    for (const char *q = ln->p; q < p; q++)
        if (((unsigned char)*q & 0xC0) != 0x80) col++;
    return col;
}

void gs__lines_init(gs__lines *it, const char *text, size_t len) {
    it->p = text;
    it->end = text + len;
    it->no = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) it->p += 3; /* a BOM */
}

int gs__lines_next(gs__lx *x, gs__lines *it, gs__line *out) {
    const char *q = it->p;
    gs__line ln;
    if (it->p >= it->end) return 0;
    ln.p = it->p;
    ln.no = it->no + 1;
    while (q < it->end && *q != '\n') {
        unsigned char c = (unsigned char)*q;
        uint32_t cp;
        int k;
        if (c == 0) {
            gs__lx_error(x, ln.no, gs__col(&ln, q), NULL, 0,
                         "NUL byte in the lesson (is this a text file?)");
            return -1;
        }
        if (c == '\r' && (q + 1 == it->end || q[1] == '\n')) {
            q++;
            continue;
        }
        if (c == '\r') {
            gs__lx_error(x, ln.no, gs__col(&ln, q), NULL, 0,
                         "carriage return in the middle of a line");
            return -1;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            gs__lx_error(x, ln.no, gs__col(&ln, q), NULL, 0,
                         "control character 0x%02X in the lesson", c);
            return -1;
        }
        k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)it->end, &cp);
        if (k == 0) {
            gs__lx_error(x, ln.no, gs__col(&ln, q), NULL, 0,
                         "invalid UTF-8 (byte 0x%02X); save the lesson as UTF-8", c);
            return -1;
        }
        if (cp >= 0x80 && cp < 0xA0) {
            gs__lx_error(x, ln.no, gs__col(&ln, q), NULL, 0,
                         "control character U+%04X in the lesson", (unsigned)cp);
            return -1;
        }
        q += k;
    }
    ln.len = (int)(q - ln.p);
    if (ln.len > 0 && ln.p[ln.len - 1] == '\r') ln.len--;
    it->no = ln.no;
    it->p = q < it->end ? q + 1 : q;
    *out = ln;
    return 1;
}

/* ---- Numbers ---------------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }

int gs__parse_uint(const char *s, size_t n, uint64_t *out) {
    uint64_t v = 0;
    size_t i = 0;
    if (n > 0 && s[0] == '+') i = 1;
    if (i >= n) return 1;
    for (; i < n; i++) {
        unsigned d;
        if (!is_digit(s[i])) return 1;
        d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            for (; i < n; i++)
                if (!is_digit(s[i])) return 1;
            return 2;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

size_t gs__scan_real(const char *s, const char *end) {
    const char *p = s;
    int digits = 0;
    if (p < end && (*p == '+' || *p == '-')) p++;
    while (p < end && is_digit(*p)) p++, digits++;
    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p)) p++, digits++;
    }
    if (!digits) return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1;
        if (e < end && (*e == '+' || *e == '-')) e++;
        if (e < end && is_digit(*e)) {
            while (e < end && is_digit(*e)) e++;
            p = e;
        }
    }
    return (size_t)(p - s);
}

/* Decimal to double.  strtod rounds correctly but follows the locale's decimal
 * point, so when it does not read the whole (already checked) number, fall back to
 * up to 19 significant digits and one scaling by a power of ten (an ulp or two). */
int gs__parse_real(const char *s, size_t n, double *out) {
    const char *p = s, *end = s + n;
    uint64_t m = 0;
    long exp10 = 0, e = 0;
    int neg = 0, sig = 0, eneg = 0;
    double v;
    char buf[64], *stop = NULL;
    if (n == 0 || gs__scan_real(s, end) != n) return 1;
    if (n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = 0;
        v = strtod(buf, &stop);
        if (stop == buf + n) {
            if (!isfinite(v)) return 2;
            *out = v;
            return 0;
        }
    }
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; p < end && is_digit(*p); p++) {
        if (sig < 19) {
            if (m || *p != '0') sig++;
            m = m * 10 + (uint64_t)(*p - '0');
        } else {
            exp10++;
        }
    }
    if (p < end && *p == '.') {
        for (p++; p < end && is_digit(*p); p++) {
            if (sig < 19) {
                if (m || *p != '0') sig++;
                m = m * 10 + (uint64_t)(*p - '0');
                exp10--;
            }
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-') eneg = *p++ == '-';
        for (; p < end; p++)
            if (e < 100000) e = e * 10 + (*p - '0');
    }
    exp10 += eneg ? -e : e;
    if (m == 0) v = 0.0;
    else if (exp10 > 400) v = HUGE_VAL;
    else if (exp10 >= 0) v = (double)m * pow(10.0, (double)exp10);
    else if (exp10 >= -300) v = (double)m / pow(10.0, (double)-exp10);
    else v = (double)m / 1e300 / pow(10.0, (double)(-exp10 - 300));
    if (!isfinite(v)) return 2;
    *out = neg ? -v : v;
    return 0;
}

/* ---- Symbols ---------------------------------------------------------------------- */

typedef struct symbol {
    const char *name, *utf8;
    int combining;
} symbol;

/* A symbol stands for itself; a mark combines with the character before it. */
#define SYM(nm, u) {.name = nm, .utf8 = u, .combining = 0}
#define MARK(nm, u) {.name = nm, .utf8 = u, .combining = 1}

static const symbol symbols[] = {
    SYM("alpha", "\xCE\xB1"), SYM("beta", "\xCE\xB2"), SYM("gamma", "\xCE\xB3"),
    SYM("delta", "\xCE\xB4"), SYM("epsilon", "\xCE\xB5"), SYM("eta", "\xCE\xB7"),
    SYM("theta", "\xCE\xB8"), SYM("lambda", "\xCE\xBB"), SYM("mu", "\xCE\xBC"),
    SYM("pi", "\xCF\x80"), SYM("rho", "\xCF\x81"), SYM("sigma", "\xCF\x83"),
    SYM("tau", "\xCF\x84"), SYM("phi", "\xCF\x86"), SYM("chi", "\xCF\x87"),
    SYM("psi", "\xCF\x88"), SYM("omega", "\xCF\x89"), SYM("Gamma", "\xCE\x93"),
    SYM("Delta", "\xCE\x94"), SYM("Theta", "\xCE\x98"), SYM("Lambda", "\xCE\x9B"),
    SYM("Pi", "\xCE\xA0"), SYM("Sigma", "\xCE\xA3"), SYM("Phi", "\xCE\xA6"),
    SYM("Psi", "\xCE\xA8"), SYM("Omega", "\xCE\xA9"), SYM("odot", "\xE2\x8A\x99"),
    SYM("otimes", "\xE2\x8A\x97"), SYM("oplus", "\xE2\x8A\x95"), SYM("cdot", "\xC2\xB7"),
    SYM("times", "\xC3\x97"), SYM("partial", "\xE2\x88\x82"), SYM("nabla", "\xE2\x88\x87"),
    SYM("sum", "\xE2\x88\x91"), SYM("prod", "\xE2\x88\x8F"), SYM("infty", "\xE2\x88\x9E"),
    SYM("approx", "\xE2\x89\x88"), SYM("neq", "\xE2\x89\xA0"), SYM("le", "\xE2\x89\xA4"),
    SYM("leq", "\xE2\x89\xA4"), SYM("ge", "\xE2\x89\xA5"), SYM("geq", "\xE2\x89\xA5"),
    SYM("ll", "\xE2\x89\xAA"), SYM("gg", "\xE2\x89\xAB"), SYM("to", "\xE2\x86\x92"),
    SYM("rightarrow", "\xE2\x86\x92"), SYM("leftarrow", "\xE2\x86\x90"),
    SYM("in", "\xE2\x88\x88"), SYM("norm", "\xE2\x80\x96"), SYM("pm", "\xC2\xB1"),
    SYM("sqrt", "\xE2\x88\x9A"), SYM("int", "\xE2\x88\xAB"), SYM("circ", "\xE2\x88\x98"),
    MARK("tilde", "\xCC\x83"), MARK("hat", "\xCC\x82"), MARK("bar", "\xCC\x84"),
    MARK("dot", "\xCC\x87"),
};
#undef SYM
#undef MARK
#define N_SYMBOLS ((int)(sizeof symbols / sizeof *symbols))

const char *gs__symbol(const char *name, size_t n, int *combining) {
    for (int i = 0; i < N_SYMBOLS; i++)
        if (strlen(symbols[i].name) == n && memcmp(symbols[i].name, name, n) == 0) {
            if (combining) *combining = symbols[i].combining;
            return symbols[i].utf8;
        }
    return NULL;
}

const char *gs__symbol_nearest(const char *name, size_t n) {
    const char *names[N_SYMBOLS];
    char word[65];
    int i;
    if (n > 64) return NULL;
    memcpy(word, name, n);
    word[n] = 0;
    for (i = 0; i < N_SYMBOLS; i++) names[i] = symbols[i].name;
    i = gs__nearest(word, names, N_SYMBOLS);
    return i >= 0 ? names[i] : NULL;
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Marks that combine with the character before them (s̃). */
static int is_combining(uint32_t cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF);
}

/* Characters drawn as symbols: Greek, math operators, arrows, sub/superscripts. */
static int is_math(uint32_t cp) {
    return (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x2190 && cp <= 0x22FF) ||
           (cp >= 0x27C0 && cp <= 0x27EF) || (cp >= 0x2980 && cp <= 0x2AFF) ||
           (cp >= 0x2070 && cp <= 0x209F) || (cp >= 0x2100 && cp <= 0x214F) ||
           (cp >= 0x1D400 && cp <= 0x1D7FF) || cp == 0x2016 || cp == 0xD7 || cp == 0xB7 ||
           cp == 0xB1;
}

/* An escape at q (q[0] == '\\') up to end: the bytes it stands for.  Returns the
 * number of input bytes it takes, 0 after recording an error. */
static int escape_at(gs__lx *x, const gs__line *ln, const char *q, const char *end,
                     const char **sym, int *sym_len, int *combining) {
    static const char literal[] = "\\*`@#-_{}";
    const char *r = q + 1;
    if (r >= end) {
        gs__lx_error(x, ln->no, gs__col(ln, q), NULL, 0,
                     "'\\' at the end of a line; write '\\\\' for a backslash");
        return 0;
    }
    if (is_alpha((unsigned char)*r)) {
        const char *s;
        while (r < end && is_alpha((unsigned char)*r)) r++;
        s = gs__symbol(q + 1, (size_t)(r - q - 1), combining);
        if (!s) {
            const char *near = gs__symbol_nearest(q + 1, (size_t)(r - q - 1));
            if (near)
                gs__lx_error(x, ln->no, gs__col(ln, q), NULL, 0,
                             "unknown symbol '\\%.*s' (did you mean '\\%s'?)",
                             (int)(r - q - 1 > 40 ? 40 : r - q - 1), q + 1, near);
            else
                gs__lx_error(x, ln->no, gs__col(ln, q), NULL, 0,
                             "unknown symbol '\\%.*s' (see lessons/README.md for the list)",
                             (int)(r - q - 1 > 40 ? 40 : r - q - 1), q + 1);
            return 0;
        }
        *sym = s;
        *sym_len = (int)strlen(s);
        if (end - r >= 2 && r[0] == '{' && r[1] == '}') r += 2; /* \sigma{}x */
        return (int)(r - q);
    }
    if (memchr(literal, *r, sizeof literal - 1)) {
        *sym = r;
        *sym_len = 1;
        *combining = 0;
        return 2;
    }
    {
        uint32_t cp;
        int k = gs__utf8_decode((const unsigned char *)r, (const unsigned char *)end, &cp);
        gs__lx_error(x, ln->no, gs__col(ln, q), NULL, 0,
                     "unknown escape '\\%.*s'; write '\\\\' for a backslash", k ? k : 1, r);
    }
    return 0;
}

char *gs__expand_plain(gs__lx *x, const gs__line *ln, const char *p, int len) {
    const char *q = p, *end = p + len;
    char *out = gs__lx_alloc(x, (size_t)len + 1), *o = out;
    if (!out) return NULL;
    while (q < end) {
        if (*q == '\\') {
            const char *sym;
            int sl, comb, k = escape_at(x, ln, q, end, &sym, &sl, &comb);
            if (!k) return NULL;
            memcpy(o, sym, (size_t)sl); /* never longer than the escape */
            o += sl;
            q += k;
        } else {
            *o++ = *q++;
        }
    }
    *o = 0;
    return out;
}

/* ---- Prose ------------------------------------------------------------------------ */

/* Where runs go: counted (runs == NULL) or written. */
typedef struct sink {
    gs_lesson_run *runs;
    char *buf;
    int n_runs;
    size_t n_bytes;
    unsigned style; /* of the open run */
    int open;
} sink;

static void sink_close(sink *s) {
    if (!s->open) return;
    if (s->buf) s->buf[s->n_bytes] = 0;
    s->n_bytes++;
    s->open = 0;
}

static void sink_emit(sink *s, const char *bytes, int len, unsigned style) {
    if (!s->open || style != s->style) {
        sink_close(s);
        if (s->runs) {
            s->runs[s->n_runs].text = s->buf + s->n_bytes;
            s->runs[s->n_runs].len = 0;
            s->runs[s->n_runs].style = style;
        }
        s->n_runs++;
        s->open = 1;
        s->style = style;
    }
    if (s->buf) {
        memcpy(s->buf + s->n_bytes, bytes, (size_t)len);
        s->runs[s->n_runs - 1].len += len;
    }
    s->n_bytes += (size_t)len;
}

/* A marker that opened a span: where, for the unterminated-span error (the column
 * is counted only if the error happens, so a line of many markers stays linear). */
typedef struct opener {
    int on;
    const gs__line *ln;
    const char *at;
} opener;

static int line_blank(const gs__line *ln) {
    for (int i = 0; i < ln->len; i++)
        if (!gs__is_space((unsigned char)ln->p[i])) return 0;
    return 1;
}

/* The content of a prose line: trimmed, and for a bullet without its "- ". */
static void line_content(const gs__line *ln, int bullet, const char **b, const char **e) {
    const char *p = ln->p, *end = ln->p + ln->len;
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    while (end > p && gs__is_space((unsigned char)end[-1])) end--;
    if (bullet) {
        p++; /* the '-' */
        while (p < end && gs__is_space((unsigned char)*p)) p++;
    }
    *b = p;
    *e = end;
}

static int is_bullet(const gs__line *ln) {
    const char *p = ln->p, *end = ln->p + ln->len;
    while (p < end && gs__is_space((unsigned char)*p)) p++;
    return p < end && *p == '-' && (p + 1 == end || gs__is_space((unsigned char)p[1]));
}

/* Style the lines [a, b) of one paragraph into s.  Returns 0, or -1 after an error
 * (only the counting pass can meet one). */
static int style_para(gs__lx *x, const gs__line *lines, int a, int b, int bullet, sink *s) {
    opener emph = {.on = 0, .ln = NULL, .at = NULL};
    opener strong = {.on = 0, .ln = NULL, .at = NULL};
    opener code = {.on = 0, .ln = NULL, .at = NULL};
    unsigned last = 0;
    int space = 0; /* a space is pending (collapsed whitespace) */
    for (int li = a; li < b; li++) {
        const gs__line *ln = &lines[li];
        const char *q, *end;
        line_content(ln, bullet && li == a, &q, &end);
        if (li > a) space = 1;
        while (q < end) {
            unsigned base = (emph.on ? GS_STYLE_EMPH : 0u) | (strong.on ? GS_STYLE_STRONG : 0u) |
                            (code.on ? GS_STYLE_SYMBOL : 0u);
            unsigned char c = (unsigned char)*q;
            uint32_t cp;
            int k;
            if (gs__is_space(c)) {
                space = 1;
                q++;
                continue;
            }
            if (space && s->n_runs > 0) sink_emit(s, " ", 1, base);
            space = 0;
            if (c == '`' || (c == '*' && !code.on)) {
                opener *o = c == '`' ? &code : (q + 1 < end && q[1] == '*') ? &strong : &emph;
                o->on = !o->on;
                o->ln = ln;
                o->at = q;
                q += o == &strong ? 2 : 1;
                continue;
            }
            if (c == '\\') {
                const char *sym;
                int sl, comb;
                k = escape_at(x, ln, q, end, &sym, &sl, &comb);
                if (!k) return -1;
                if (comb) {
                    sink_emit(s, sym, sl, s->n_runs ? last : base);
                } else {
                    last = base | (sl > 1 ? GS_STYLE_SYMBOL : 0u);
                    sink_emit(s, sym, sl, last);
                }
                q += k;
                continue;
            }
            k = gs__utf8_decode((const unsigned char *)q, (const unsigned char *)end, &cp);
            if (k == 0) k = 1; /* cannot happen: lines are checked */
            if (is_combining(cp) && s->n_runs) {
                sink_emit(s, q, k, last);
            } else {
                last = base | (is_math(cp) ? GS_STYLE_SYMBOL : 0u);
                sink_emit(s, q, k, last);
            }
            q += k;
        }
    }
    sink_close(s);
    {
        /* the first-opened of the spans still open is the one to report */
        opener *o = NULL;
        const char *what = NULL;
        if (code.on) o = &code, what = "unterminated formula: '`' has no closing '`'";
        /* pointers into the text order the openers by position */
        if (strong.on && (!o || strong.at < o->at))
            o = &strong, what = "unterminated strong text: '**' has no closing '**' "
                                "(write \\* for a literal asterisk)";
        if (emph.on && (!o || emph.at < o->at))
            o = &emph, what = "unterminated emphasis: '*' has no closing '*' "
                              "(write \\* for a literal asterisk)";
        if (o) {
            gs__lx_error(x, o->ln->no, gs__col(o->ln, o->at), NULL, 0, "%s", what);
            return -1;
        }
    }
    return 0;
}

int gs__prose_build(gs__lx *x, const gs__line *lines, int n, gs_lesson_prose *out) {
    int first = 0, last = n - 1, i, np = 0;
    gs_lesson_para *paras;
    memset(out, 0, sizeof *out);
    while (first < n && line_blank(&lines[first])) first++;
    while (last >= first && line_blank(&lines[last])) last--;
    if (first > last) {
        out->raw = "";
        return 0;
    }
    /* raw: the lines as written, joined by '\n' */
    {
        size_t total = 0;
        char *raw, *o;
        for (i = first; i <= last; i++) total += (size_t)lines[i].len + 1;
        if (!(raw = gs__lx_alloc(x, total))) return -1;
        o = raw;
        for (i = first; i <= last; i++) {
            memcpy(o, lines[i].p, (size_t)lines[i].len);
            o += lines[i].len;
            *o++ = i < last ? '\n' : 0;
        }
        out->raw = raw;
    }
    /* paragraphs: blank lines separate them; a "- " line starts a bullet */
    for (int pass = 0; pass < 2; pass++) {
        int a = first;
        np = 0;
        paras = pass ? gs__lx_alloc(x, sizeof *paras * (size_t)out->n_paras) : NULL;
        if (pass && !paras) return -1;
        while (a <= last) {
            int b, bullet;
            if (line_blank(&lines[a])) {
                a++;
                continue;
            }
            bullet = is_bullet(&lines[a]);
            for (b = a + 1; b <= last && !line_blank(&lines[b]) && !is_bullet(&lines[b]); b++) {}
            if (pass) {
                sink s;
                gs_lesson_para *p = &paras[np];
                memset(&s, 0, sizeof s);
                if (style_para(x, lines, a, b, bullet, &s)) return -1;
                p->line = lines[a].no;
                p->bullet = bullet;
                p->n_runs = s.n_runs;
                if (s.n_runs) {
                    gs_lesson_run *runs = gs__lx_alloc(x, sizeof *runs * (size_t)s.n_runs);
                    char *buf = gs__lx_alloc(x, s.n_bytes);
                    if (!runs || !buf) return -1;
                    memset(&s, 0, sizeof s);
                    s.runs = runs;
                    s.buf = buf;
                    style_para(x, lines, a, b, bullet, &s);
                    p->runs = runs;
                }
            }
            np++;
            a = b;
        }
        out->n_paras = np;
    }
    out->paras = paras;
    return 0;
}
