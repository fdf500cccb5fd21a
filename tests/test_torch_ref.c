/* test_torch_ref.c — the float engine against committed PyTorch reference fixtures
 * (tests/fixtures/NAME.ref, written by gen_torch_ref.py; see fixtures/README.md): for
 * every variant, every gate, candidate, state, output, readout and loss per step, and
 * after backward dL/dstate, dL/dx per step and every parameter gradient by name.
 * Not a finite-difference test (test_gradcheck_f64.c is); needs no torch to run. */
#include "check.h"
#include "gatescope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Tolerances ------------------------------------------------------------------- */
/* A value passes when |engine - ref| <= ATOL + RTOL * |ref|.  The reference is float64
 * autograd on float32-representable inputs, so the difference is the engine's float32
 * arithmetic alone: unit roundoff 6e-8 per operation, its fast tanhf (< 5e-7 relative),
 * sums of n+m = 8 terms, compounded over 7 steps with O(1) gains.
 *  - forward values (gates, candidate, states, output, y, losses) are O(1-5): ATOL 1e-6,
 *    RTOL 1e-6 (float32 ~1e-6 relative).  Measured: |err| <= 4.2e-7 (a step loss of
 *    4.7), at most 0.17 of the tolerance;
 *  - gradients (dL/dstate, dL/dx, parameter gradients) pass through up to 7 steps
 *    forward and 7 back and are summed over steps: ATOL 2e-6, RTOL 1e-5.  Measured:
 *    |err| <= 2.6e-7, at most 0.05 of the tolerance.
 * The margin (6x and more) leaves room for another BLAS or FMA contraction to round
 * differently.  main() checks that a 1e-4 shift of one weight already fails, so a
 * wrong equation, swapped gate or wrong bias split cannot pass. */
#define FWD_ATOL 1e-6
#define FWD_RTOL 1e-6
#define GRAD_ATOL 2e-6
#define GRAD_RTOL 1e-5

#define FIXTURE_DIR GS_SOURCE_DIR "/tests/fixtures/"
#define FIXTURE_MAGIC "GSTREF"
#define FIXTURE_MAGIC_NUMBER 20251129L
#define FIXTURE_VERSION 1L

static const char *const fixture_names[] = {
    "rnn", "proto", "norm", "gru", "gru-ra", "pseudo", "lstm", "peephole", "lstm-xent",
    /* Greff et al.'s ablations of the vanilla (peephole) LSTM */
    "nig", "nfg", "nog", "niaf", "noaf", "np", "cifg", "fgr",
};

/* ---- Fixture file ------------------------------------------------------------------- */

typedef struct block {
    char kind[16];  /* param, grad, input, expect */
    char name[32];  /* W_i, x, gate.i, d_state.c, ... */
    int rows, cols;
    double *v;      /* rows*cols, row-major */
} block;

typedef struct fixture {
    char path[512];
    char torch[64], case_name[32], variant[32], loss[16], ref_dtype[16];
    long seed;
    int m, n, k, T;
    int nblocks;
    block *b;
} fixture;

/* Whitespace-separated tokens of a text held in memory. */
typedef struct lexer {
    const char *p;
} lexer;

static int next_tok(lexer *lx, char *buf, size_t size) {
    size_t len = 0;
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r') lx->p++;
    if (!*lx->p) return 0;
    while (*lx->p && *lx->p != ' ' && *lx->p != '\t' && *lx->p != '\n' && *lx->p != '\r') {
        if (len + 1 < size) buf[len++] = *lx->p;
        lx->p++;
    }
    buf[len] = 0;
    return 1;
}

static int tok_long(lexer *lx, long *out) {
    char buf[64], *end;
    if (!next_tok(lx, buf, sizeof buf)) return 0;
    *out = strtol(buf, &end, 10);
    return *end == 0 && end != buf;
}

static int tok_double(lexer *lx, double *out) {
    char buf[64], *end;
    if (!next_tok(lx, buf, sizeof buf)) return 0;
    *out = strtod(buf, &end); /* "nan" marks a step without a loss */
    return *end == 0 && end != buf;
}

static int expect_key(lexer *lx, const char *key) {
    char buf[64];
    return next_tok(lx, buf, sizeof buf) && strcmp(buf, key) == 0;
}

static void fixture_free(fixture *f) {
    for (int i = 0; i < f->nblocks; i++) free(f->b[i].v);
    free(f->b);
    f->b = NULL;
    f->nblocks = 0;
}

static char *read_file(const char *path) {
    FILE *fp = fopen(path, "rb");
    char *text = NULL;
    long size;
    if (!fp) return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
        text = malloc((size_t)size + 1);
        if (text && fread(text, 1, (size_t)size, fp) != (size_t)size) {
            free(text);
            text = NULL;
        }
        if (text) text[size] = 0;
    }
    fclose(fp);
    return text;
}

/* Loads path into f; returns 0 and prints why on failure. */
static int fixture_load(fixture *f, const char *path) {
    char *text = read_file(path);
    lexer lx;
    long magic_number, version, nb, m, n, k, T;
    char word[64];
    int ok = 0;
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s", path);
    if (!text) {
        fprintf(stderr, "%s: cannot read the fixture (run tests/fixtures/gen_torch_ref.py)\n", path);
        return 0;
    }
    lx.p = text;
    if (!next_tok(&lx, word, sizeof word) || strcmp(word, FIXTURE_MAGIC) != 0 ||
        !tok_long(&lx, &magic_number) || magic_number != FIXTURE_MAGIC_NUMBER ||
        !tok_long(&lx, &version) || version != FIXTURE_VERSION) {
        fprintf(stderr, "%s: bad magic or format version (want %s %ld %ld)\n", path,
                FIXTURE_MAGIC, FIXTURE_MAGIC_NUMBER, FIXTURE_VERSION);
        goto done;
    }
    if (!expect_key(&lx, "torch") || !next_tok(&lx, f->torch, sizeof f->torch) ||
        !expect_key(&lx, "case") || !next_tok(&lx, f->case_name, sizeof f->case_name) ||
        !expect_key(&lx, "variant") || !next_tok(&lx, f->variant, sizeof f->variant) ||
        !expect_key(&lx, "loss") || !next_tok(&lx, f->loss, sizeof f->loss) ||
        !expect_key(&lx, "seed") || !tok_long(&lx, &f->seed) ||
        !expect_key(&lx, "dims") || !tok_long(&lx, &m) || !tok_long(&lx, &n) ||
        !tok_long(&lx, &k) || !tok_long(&lx, &T) ||
        !expect_key(&lx, "ref_dtype") || !next_tok(&lx, f->ref_dtype, sizeof f->ref_dtype) ||
        !expect_key(&lx, "blocks") || !tok_long(&lx, &nb) || nb < 1 || nb > 1000 ||
        m < 1 || n < 1 || k < 1 || T < 1 || m > 64 || n > 64 || k > 64 || T > 1000) {
        fprintf(stderr, "%s: malformed header\n", path);
        goto done;
    }
    f->m = (int)m;
    f->n = (int)n;
    f->k = (int)k;
    f->T = (int)T;
    f->b = calloc((size_t)nb, sizeof *f->b);
    if (!f->b) goto done;
    for (long i = 0; i < nb; i++) {
        block *b = &f->b[i];
        long rows, cols;
        if (!next_tok(&lx, b->kind, sizeof b->kind) || !next_tok(&lx, b->name, sizeof b->name) ||
            !tok_long(&lx, &rows) || !tok_long(&lx, &cols) || rows < 1 || cols < 1 ||
            rows * cols > 100000) {
            fprintf(stderr, "%s: malformed block header (block %ld)\n", path, i + 1);
            goto done;
        }
        b->rows = (int)rows;
        b->cols = (int)cols;
        b->v = malloc(sizeof(double) * (size_t)(rows * cols));
        f->nblocks = (int)i + 1;
        if (!b->v) goto done;
        for (long j = 0; j < rows * cols; j++)
            if (!tok_double(&lx, &b->v[j])) {
                fprintf(stderr, "%s: bad number in block %s %s\n", path, b->kind, b->name);
                goto done;
            }
    }
    if (!expect_key(&lx, "end") || next_tok(&lx, word, sizeof word)) {
        fprintf(stderr, "%s: missing 'end' or trailing text\n", path);
        goto done;
    }
    ok = 1;
done:
    free(text);
    if (!ok) fixture_free(f);
    return ok;
}

static const block *find_block(const fixture *f, const char *kind, const char *name) {
    for (int i = 0; i < f->nblocks; i++)
        if (strcmp(f->b[i].kind, kind) == 0 && strcmp(f->b[i].name, name) == 0) return &f->b[i];
    return NULL;
}

/* The block, which must exist with the given shape; else a failed check and NULL. */
static const block *need_block(const fixture *f, const char *kind, const char *name, int rows,
                               int cols) {
    const block *b = find_block(f, kind, name);
    CHECK_MSG(b != NULL, "%s: no block '%s %s'", f->path, kind, name);
    if (!b) return NULL;
    CHECK_MSG(b->rows == rows && b->cols == cols, "%s: block '%s %s' is %dx%d, want %dx%d",
              f->path, kind, name, b->rows, b->cols, rows, cols);
    return b->rows == rows && b->cols == cols ? b : NULL;
}

/* ---- Comparison ------------------------------------------------------------------- */

/* Running worst error of one quantity. */
typedef struct errstat {
    double max_abs;  /* max |engine - ref| */
    double max_frac; /* max |engine - ref| / (atol + rtol |ref|): <= 1 passes */
    int bad;         /* values out of tolerance (NaN included) */
    char where[64];  /* where max_frac was reached */
} errstat;

static void stat_init(errstat *s) { memset(s, 0, sizeof *s); }

/* Compares len values; quiet suppresses the per-value messages (self-test). */
static void compare(errstat *s, const char *label, const char *what, const char *tname, int t,
                    const gs_real *got,
                    const double *want, int len, double atol, double rtol, int quiet) {
    for (int j = 0; j < len; j++) {
        double g = (double)got[j], w = want[j];
        double tol = atol + rtol * fabs(w), err = fabs(g - w);
        int same_nan = isnan(g) && isnan(w); /* both say "no loss at this step" */
        int ok = same_nan || err <= tol;     /* a NaN on one side only fails */
        double frac = same_nan ? 0 : isnan(err) ? (double)INFINITY : err / tol;
        if (!ok) {
            s->bad++;
            if (!quiet && s->bad <= 5)
                fprintf(stderr, "  %s %s %s=%d [%d]: engine %.9g, torch %.9g, |err| %.3g > tol %.3g\n",
                        label, what, tname, t, j, g, w, err, tol);
        }
        if (!same_nan && (isnan(err) || err > s->max_abs))
            s->max_abs = isnan(err) ? (double)INFINITY : err;
        if (frac > s->max_frac) {
            s->max_frac = frac;
            snprintf(s->where, sizeof s->where, "%s %s=%d [%d]", what, tname, t, j);
        }
    }
}

static void report(const char *label, const char *what, const errstat *s, int quiet) {
    if (!quiet)
        printf("  %-10s %-12s max|err| %.2e  max err/tol %.3f  %s%s\n", label, what, s->max_abs,
               s->max_frac, s->bad ? "FAIL at " : "", s->bad ? s->where : "");
}

/* The tensor run_fixture perturbs: the fixture's first parameter. */
static const char *first_tensor_name(const fixture *f) {
    for (int i = 0; i < f->nblocks; i++)
        if (strcmp(f->b[i].kind, "param") == 0) return f->b[i].name;
    return "?";
}

/* ---- One fixture against the engine ---------------------------------------------- */

/* Runs the engine on fixture f (with one parameter element shifted by `perturb` when
 * nonzero: element (0,0) of the fixture's first parameter) and returns the number of values out of tolerance.  quiet: no output and
 * no CHECKs on the comparisons (used for the sensitivity self-test). */
static int run_fixture(const fixture *f, double perturb, int quiet) {
    gs_variant v;
    const gs_variant_info *info;
    gs_model_config mc;
    gs_model *model = NULL;
    gs_seq *seq = NULL;
    gs_error err = { { 0 }, 0, 0 };
    gs_real *P, *G;
    int m = f->m, n = f->n, k = f->k, T = f->T, bad = 0, len = 0, t, j, q;
    const char *label = f->case_name;
    const block *bx, *btg, *bm, *b;
    errstat s;
    char name[48];

    if (gs_variant_from_name(f->variant, &v, &err) != GS_OK) {
        CHECK_MSG(0, "%s: %s", f->path, err.msg);
        return 1;
    }
    info = gs_variant_get(v);
    mc = gs_model_config_default(v, m, n, k);
    CHECK(gs_model_create(&model, &mc, &err) == GS_OK);
    if (!model) return 1;
    CHECK(gs_seq_create(&seq, model, T, 1, &err) == GS_OK);
    if (!seq) {
        gs_model_destroy(model);
        return 1;
    }

    /* parameters: every engine tensor must be in the fixture, and nothing else */
    P = gs_model_params(model, NULL);
    {
        int nparam = 0;
        for (int i = 0; i < f->nblocks; i++) nparam += strcmp(f->b[i].kind, "param") == 0;
        CHECK_MSG(nparam == gs_model_tensor_count(model), "%s: %d param blocks, engine has %d tensors",
                  f->path, nparam, gs_model_tensor_count(model));
    }
    for (int i = 0; i < gs_model_tensor_count(model); i++) {
        const gs_tensor *tn = gs_model_tensor(model, i);
        b = need_block(f, "param", tn->name, tn->rows, tn->cols);
        if (!b) {
            bad++;
            continue;
        }
        for (int r = 0; r < tn->rows; r++)
            for (int c = 0; c < tn->cols; c++)
                P[tn->offset + (size_t)r * (size_t)tn->ld + (size_t)c] =
                    (gs_real)b->v[r * tn->cols + c];
    }
    if (perturb != 0) {
        const gs_tensor *tn = gs_model_find_tensor(model, first_tensor_name(f));
        CHECK(tn != NULL);
        if (tn) P[tn->offset] += (gs_real)perturb;
    }

    /* inputs */
    bx = need_block(f, "input", "x", T, m);
    btg = need_block(f, "input", "target", T, k);
    bm = need_block(f, "input", "mask", T, 1);
    if (!bx || !btg || !bm) {
        bad++;
        goto done;
    }
    for (j = 0; j < T * m; j++) gs_seq_inputs(seq)[j] = (gs_real)bx->v[j];
    for (j = 0; j < T * k; j++) gs_seq_targets(seq)[j] = (gs_real)btg->v[j];
    for (t = 0; t < T; t++) gs_seq_mask(seq)[t] = bm->v[t] != 0;
    CHECK_MSG(strcmp(f->loss, "mse") == 0 || strcmp(f->loss, "xent") == 0, "%s: loss '%s'",
              f->path, f->loss);
    gs_seq_set_loss(seq, strcmp(f->loss, "xent") == 0 ? GS_LOSS_XENT : GS_LOSS_MSE);
    gs_seq_rewind(seq);
    CHECK(gs_seq_forward(seq, T) == T);
    CHECK_MSG(gs_seq_backward(seq, NULL, &err) == GS_OK, "%s: backward: %s", f->path, err.msg);

#define PER_STEP(blockname, quantity, index, atol, rtol)                                   \
    do {                                                                                  \
        const block *bb_;                                                                 \
        stat_init(&s);                                                                    \
        len = 0;                                                                          \
        (void)gs_seq_values(seq, quantity, index, 1, 0, &len);                            \
        bb_ = need_block(f, "expect", blockname, T, len > 0 ? len : -1);                  \
        if (!bb_) {                                                                       \
            bad++;                                                                        \
            break;                                                                        \
        }                                                                                 \
        for (t = 1; t <= T; t++)                                                          \
            compare(&s, label, blockname, "t", t, gs_seq_values(seq, quantity, index, t, 0, &len), \
                    bb_->v + (size_t)(t - 1) * (size_t)bb_->cols, bb_->cols, atol, rtol, \
                    quiet);                                                               \
        report(label, blockname, &s, quiet);                                              \
        bad += s.bad;                                                                     \
    } while (0)

    /* forward, per step */
    for (q = 0; q < info->n_gates; q++) {
        snprintf(name, sizeof name, "gate.%s", info->gates[q].symbol);
        PER_STEP(name, GS_Q_GATE, q, FWD_ATOL, FWD_RTOL);
    }
    if (info->cand_symbol) PER_STEP("cand", GS_Q_CAND, 0, FWD_ATOL, FWD_RTOL);
    for (q = 0; q < info->n_states; q++) {
        snprintf(name, sizeof name, "state.%s", info->state_symbols[q]);
        PER_STEP(name, GS_Q_STATE, q, FWD_ATOL, FWD_RTOL);
    }
    PER_STEP("out", GS_Q_OUT, 0, FWD_ATOL, FWD_RTOL);
    PER_STEP("y", GS_Q_Y, 0, FWD_ATOL, FWD_RTOL);

    /* losses: per step (NaN where none is taken) and the mean */
    b = need_block(f, "expect", "loss", T, 1);
    if (b) {
        stat_init(&s);
        for (t = 1; t <= T; t++) {
            gs_real l = (gs_real)gs_seq_stats(seq, t)->loss;
            compare(&s, label, "loss", "t", t, &l, &b->v[t - 1], 1, FWD_ATOL, FWD_RTOL, quiet);
        }
        report(label, "loss", &s, quiet);
        bad += s.bad;
    } else
        bad++;
    b = need_block(f, "expect", "total_loss", 1, 1);
    if (b) {
        gs_real l = (gs_real)gs_seq_summary_of(seq).loss;
        stat_init(&s);
        compare(&s, label, "total_loss", "t", T, &l, b->v, 1, FWD_ATOL, FWD_RTOL, quiet);
        report(label, "total_loss", &s, quiet);
        bad += s.bad;
    } else
        bad++;

    /* backward, per step */
    for (q = 0; q < info->n_states; q++) {
        snprintf(name, sizeof name, "d_state.%s", info->state_symbols[q]);
        PER_STEP(name, GS_Q_D_STATE, q, GRAD_ATOL, GRAD_RTOL);
    }
    PER_STEP("d_x", GS_Q_D_X, 0, GRAD_ATOL, GRAD_RTOL);
#undef PER_STEP

    /* parameter gradients, by name */
    G = gs_model_grads(model, NULL);
    {
        errstat all;
        stat_init(&all);
        for (int i = 0; i < gs_model_tensor_count(model); i++) {
            const gs_tensor *tn = gs_model_tensor(model, i);
            b = need_block(f, "grad", tn->name, tn->rows, tn->cols);
            if (!b) {
                bad++;
                continue;
            }
            stat_init(&s);
            snprintf(name, sizeof name, "grad %s", tn->name);
            for (int r = 0; r < tn->rows; r++)
                compare(&s, label, name, "row", r, G + tn->offset + (size_t)r * (size_t)tn->ld,
                        b->v + (size_t)r * (size_t)tn->cols, tn->cols, GRAD_ATOL, GRAD_RTOL,
                        quiet);
            bad += s.bad;
            all.bad += s.bad;
            if (s.max_abs > all.max_abs) all.max_abs = s.max_abs;
            if (s.max_frac > all.max_frac) {
                all.max_frac = s.max_frac;
                snprintf(all.where, sizeof all.where, "%s", s.where);
            }
        }
        if (!quiet)
            printf("  %-10s %-12s max|err| %.2e  max err/tol %.3f  (worst: %s)%s\n", label,
                   "param grads", all.max_abs, all.max_frac, all.where, all.bad ? " FAIL" : "");
    }

done:
    gs_seq_destroy(seq);
    gs_model_destroy(model);
    return bad;
}

/* ---- Main ------------------------------------------------------------------------- */

int main(void) {
    const int nfix = (int)(sizeof fixture_names / sizeof fixture_names[0]);
    int seen[GS_VARIANT_COUNT] = { 0 };
    printf("tolerances: forward |err| <= %g + %g|ref|; gradients |err| <= %g + %g|ref|\n",
           FWD_ATOL, FWD_RTOL, GRAD_ATOL, GRAD_RTOL);
    for (int i = 0; i < nfix; i++) {
        char path[512];
        fixture f;
        gs_variant v;
        int bad;
        snprintf(path, sizeof path, FIXTURE_DIR "%s.ref", fixture_names[i]);
        if (!fixture_load(&f, path)) {
            CHECK_MSG(0, "%s: fixture failed to load", path);
            continue;
        }
        CHECK_MSG(strcmp(f.case_name, fixture_names[i]) == 0, "%s: case '%s'", path, f.case_name);
        CHECK_MSG(strcmp(f.ref_dtype, "float64") == 0, "%s: ref_dtype %s", path, f.ref_dtype);
        if (gs_variant_from_name(f.variant, &v, NULL) == GS_OK) seen[v] = 1;
        printf("%s: variant %s, loss %s, torch %s, seed %ld, m=%d n=%d k=%d T=%d\n", f.case_name,
               f.variant, f.loss, f.torch, f.seed, f.m, f.n, f.k, f.T);
        bad = run_fixture(&f, 0.0, 0);
        CHECK_MSG(bad == 0, "%s: %d values out of tolerance", f.case_name, bad);
        /* Sensitivity: the same comparison must fail when the first parameter element
         * is off by 1e-4 (a few hundredths of a percent of its value) — the tolerances are
         * not so loose that a wrong model passes. */
        bad = run_fixture(&f, 1e-4, 1);
        printf("  %-10s sensitivity: a 1e-4 shift of %s[0,0] puts %d values out of tolerance\n",
               f.case_name, first_tensor_name(&f), bad);
        CHECK_MSG(bad > 0, "%s: a 1e-4 parameter error went unnoticed", f.case_name);
        fixture_free(&f);
    }
    for (int v = 0; v < GS_VARIANT_COUNT; v++)
        CHECK_MSG(seen[v], "no fixture covers variant %s", gs_variant_get((gs_variant)v)->name);
    return check_result("test_torch_ref");
}
