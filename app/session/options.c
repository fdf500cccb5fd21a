/* options.c — the command line: defaults, getopt_long parsing with one-line errors,
 * and the --help text.  Prints nothing; main.c decides what to say. */
#include "session/options.h"
#include "session/options_parse.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The flags ------------------------------------------------------------------ */

enum {
    OPT_HELP = 'h',
    OPT_VERSION = 256,
    OPT_LIST_VARIANTS,
    OPT_LIST_TASKS,
    OPT_TRACE,
    OPT_VARIANTS,
    OPT_TASK,
    OPT_LENGTH,
    OPT_HIDDEN,
    OPT_SEED,
    OPT_INIT,
    OPT_WEIGHT_SCALE,
    OPT_FORGET_BIAS,
    OPT_TRUNCATE,
    OPT_SEQUENCE,
    OPT_SAVE_WEIGHTS,
    OPT_LOAD_WEIGHTS,
    OPT_HEADLESS,
    OPT_SCREENSHOT,
    OPT_SIZE,
    OPT_AT,
    OPT_FULLSCREEN,
    OPT_TRAIN,
    OPT_ITERATIONS,
    OPT_BATCH,
    OPT_OPTIMIZER,
    OPT_LR,
    OPT_CLIP,
    OPT_CLIP_VALUE,
    OPT_K1,
    OPT_K2,
    OPT_LOG,
    OPT_CHECK,
    OPT_LESSON,
    OPT_EXPORT_DIR,
    OPT_PRESENT,
    OPT_ALLOW_FAILING,
    OPT_TRAIN_STEPS,
    OPT_BACKWARD,
    OPT_SELECT,
    OPT_COLOURS,
    OPT_RECORD,
    OPT_FPS,
    OPT_SAVE_LESSON,
    OPT_PRINT_COMMAND,
    OPT_CLAMP
};

static const struct option long_opts[] = {
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { "list-variants", no_argument, NULL, OPT_LIST_VARIANTS },
    { "list-tasks", no_argument, NULL, OPT_LIST_TASKS },
    { "trace", required_argument, NULL, OPT_TRACE },
    { "variants", required_argument, NULL, OPT_VARIANTS },
    { "task", required_argument, NULL, OPT_TASK },
    { "length", required_argument, NULL, OPT_LENGTH },
    { "hidden", required_argument, NULL, OPT_HIDDEN },
    { "seed", required_argument, NULL, OPT_SEED },
    { "init", required_argument, NULL, OPT_INIT },
    { "weight-scale", required_argument, NULL, OPT_WEIGHT_SCALE },
    { "forget-bias", required_argument, NULL, OPT_FORGET_BIAS },
    { "truncate", required_argument, NULL, OPT_TRUNCATE },
    { "sequence", required_argument, NULL, OPT_SEQUENCE },
    { "save-weights", required_argument, NULL, OPT_SAVE_WEIGHTS },
    { "load-weights", required_argument, NULL, OPT_LOAD_WEIGHTS },
    { "headless", no_argument, NULL, OPT_HEADLESS },
    { "screenshot", required_argument, NULL, OPT_SCREENSHOT },
    { "size", required_argument, NULL, OPT_SIZE },
    { "at", required_argument, NULL, OPT_AT },
    { "fullscreen", no_argument, NULL, OPT_FULLSCREEN },
    { "train", no_argument, NULL, OPT_TRAIN },
    { "iterations", required_argument, NULL, OPT_ITERATIONS },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "optimizer", required_argument, NULL, OPT_OPTIMIZER },
    { "lr", required_argument, NULL, OPT_LR },
    { "clip", required_argument, NULL, OPT_CLIP },
    { "clip-value", required_argument, NULL, OPT_CLIP_VALUE },
    { "k1", required_argument, NULL, OPT_K1 },
    { "k2", required_argument, NULL, OPT_K2 },
    { "log", required_argument, NULL, OPT_LOG },
    { "check", no_argument, NULL, OPT_CHECK },
    { "lesson", required_argument, NULL, OPT_LESSON },
    { "export-dir", required_argument, NULL, OPT_EXPORT_DIR },
    { "present", no_argument, NULL, OPT_PRESENT },
    { "allow-failing", no_argument, NULL, OPT_ALLOW_FAILING },
    { "train-steps", required_argument, NULL, OPT_TRAIN_STEPS },
    { "backward", optional_argument, NULL, OPT_BACKWARD },
    { "select", required_argument, NULL, OPT_SELECT },
    { "colours", required_argument, NULL, OPT_COLOURS },
    { "record", required_argument, NULL, OPT_RECORD },
    { "fps", required_argument, NULL, OPT_FPS },
    { "save-lesson", required_argument, NULL, OPT_SAVE_LESSON },
    { "print-command", no_argument, NULL, OPT_PRINT_COMMAND },
    { "clamp", required_argument, NULL, OPT_CLAMP },
    { NULL, 0, NULL, 0 }
};

void options_default(options *o) {
    static const gs_variant defaults[] = { GS_RNN, GS_PROTO, GS_GRU, GS_LSTM };
    memset(o, 0, sizeof *o);
    o->mode = MODE_WINDOW;
    o->setup.n_variants = (int)(sizeof defaults / sizeof *defaults);
    memcpy(o->setup.variants, defaults, sizeof defaults);
    o->setup.task = GS_TASK_ADDING;
    o->setup.length = 0;
    o->setup.hidden = 16;
    o->setup.seed = 1;
    o->setup.init = GS_INIT_UNIFORM;
    o->setup.weight_scale = 1.0;
    o->setup.forget_bias = NAN;
    o->setup.truncate = 0;
    o->at = -1;
    o->train.optimizer = GS_OPT_ADAM;
    o->train.lr = 1e-3;
    o->train.batch = 32;
    o->train.iterations = 3000;
    o->train.clip = 1.0;
    o->train.seed = 1;
    o->train.live_ms = 150;
}

/* ---- Helpers -------------------------------------------------------------------- */

int options_fail(char *err, size_t len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (err && len) vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return 1;
}

int options_parse_long(const char *s, long lo, long hi, long *out) {
    char *end;
    long v;
    if (!*s || isspace((unsigned char)*s)) return 1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno == ERANGE || *end || v < lo || v > hi) return 1;
    *out = v;
    return 0;
}

/* A finite double with |v| <= limit, all of s. */
static int parse_real(const char *s, double limit, double *out) {
    char *end;
    double v;
    if (!*s || isspace((unsigned char)*s)) return 1;
    errno = 0;
    v = strtod(s, &end);
    if (*end || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0) || fabs(v) > limit) return 1;
    *out = v;
    return 0;
}

static int int_flag(const char *flag, const char *arg, long lo, long hi, int *out, char *err,
                    size_t len) {
    long v;
    if (options_parse_long(arg, lo, hi, &v))
        return options_fail(err, len, "%s needs a whole number from %ld to %ld (got '%.40s')", flag, lo,
                    hi, arg);
    *out = (int)v;
    return 0;
}

/* Comma-separated variant names into setup. */
static int parse_variants(opt_setup *s, const char *arg, char *err, size_t len) {
    const char *p = arg;
    int n = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        char name[64];
        gs_variant v;
        gs_error e;
        if (l == 0) return options_fail(err, len, "--variants: empty name in '%.60s'", arg);
        if (l >= sizeof name) return options_fail(err, len, "--variants: name too long in '%.60s'", arg);
        memcpy(name, p, l);
        name[l] = '\0';
        if (gs_variant_from_name(name, &v, &e) != GS_OK) return options_fail(err, len, "%s", e.msg);
        for (int i = 0; i < n; i++)
            if (s->variants[i] == v)
                return options_fail(err, len, "--variants: '%s' is listed twice", name);
        if (n == OPT_MAX_VARIANTS)
            return options_fail(err, len, "--variants: at most %d variants", OPT_MAX_VARIANTS);
        s->variants[n++] = v;
        if (!comma) break;
        p = comma + 1;
    }
    s->n_variants = n;
    return 0;
}

/* Edit distance of two short words (for "did you mean"). */
static int distance(const char *a, const char *b) {
    int la = (int)strlen(a), lb = (int)strlen(b), row[40], i, j;
    if (la >= 40 || lb >= 40) return 99;
    for (j = 0; j <= lb; j++) row[j] = j;
    for (i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            int best = prev + (a[i - 1] != b[j - 1]), tmp = row[j];
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            prev = tmp;
            row[j] = best;
        }
    }
    return row[lb];
}

static const char *name_of(int val) {
    for (const struct option *o = long_opts; o->name; o++)
        if (o->val == val) return o->name;
    return "?";
}

/* "unknown option '--foo'", with a suggestion or the candidates of an ambiguous prefix. */
static int unknown_option(const char *arg, char *err, size_t len) {
    char word[48];
    const char *best = NULL, *first = NULL, *second = NULL;
    int best_d = 99, matches = 0;
    size_t l;
    if (strncmp(arg, "--", 2) != 0)
        return options_fail(err, len, "unknown option '%.40s' (try --help)", arg);
    l = strcspn(arg + 2, "=");
    if (l >= sizeof word) l = sizeof word - 1;
    memcpy(word, arg + 2, l);
    word[l] = '\0';
    for (const struct option *o = long_opts; o->name; o++) {
        int d = distance(word, o->name);
        if (l && strncmp(o->name, word, l) == 0) {
            if (!matches++) first = o->name;
            else if (matches == 2) second = o->name;
        }
        if (d < best_d) {
            best_d = d;
            best = o->name;
        }
    }
    if (matches >= 2)
        return options_fail(err, len, "ambiguous option '--%s' (--%s, --%s%s; try --help)", word, first,
                    second, matches > 2 ? ", ..." : "");
    if (best && best_d <= 2)
        return options_fail(err, len, "unknown option '--%s' (did you mean --%s? try --help)", word, best);
    return options_fail(err, len, "unknown option '--%s' (try --help)", word);
}

/* s is longer than ext and ends in it, in any case ("x.PNG" ends in ".png"). */
static int ends_with(const char *s, const char *ext) {
    size_t l = strlen(s), e = strlen(ext);
    if (l <= e) return 0;
    for (size_t i = 0; i < e; i++)
        if (tolower((unsigned char)s[l - e + i]) != ext[i]) return 0;
    return 1;
}

static int ends_with_png(const char *s) { return ends_with(s, ".png"); }

/* Flags that set up a scene, weights or training: what --check must not be given,
 * since each lesson step sets up its own scene. */
static int sets_up_a_run(int c) {
    switch (c) {
    case OPT_VARIANTS: case OPT_TASK: case OPT_LENGTH: case OPT_HIDDEN: case OPT_SEED:
    case OPT_INIT: case OPT_WEIGHT_SCALE: case OPT_FORGET_BIAS: case OPT_TRUNCATE:
    case OPT_SEQUENCE: case OPT_SAVE_WEIGHTS: case OPT_LOAD_WEIGHTS: case OPT_ITERATIONS:
    case OPT_BATCH: case OPT_OPTIMIZER: case OPT_LR: case OPT_CLIP: case OPT_CLIP_VALUE:
    case OPT_K1: case OPT_K2: case OPT_LOG: return 1;
    default: return 0;
    }
}

/* ---- Parse ---------------------------------------------------------------------- */

int options_parse(options *o, int argc, char **argv, char *err, size_t len) {
    int c, task_given = 0, window_flag = 0, list_variants = 0, list_tasks = 0, train = 0;
    int check = 0, print_command = 0, typed_given = 0, clamp_given = 0;
    const char *window_name = NULL;
    char setup_flag[48] = "";
    long v;
    options_default(o);
    if (err && len) err[0] = '\0';
    opterr = 0;
#ifdef __GLIBC__
    optind = 0; /* full re-initialisation (parse may run more than once) */
#else
    optind = 1;
#endif
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        const char *flag = c >= OPT_VERSION || c == OPT_HELP ? name_of(c) : "";
        char dash[48];
        snprintf(dash, sizeof dash, "--%s", flag);
        if (!setup_flag[0] && sets_up_a_run(c)) snprintf(setup_flag, sizeof setup_flag, "%s", dash);
        switch (c) {
        case OPT_HELP:
            o->mode = MODE_HELP;
            return 0;
        case OPT_VERSION:
            o->mode = MODE_VERSION;
            return 0;
        case OPT_LIST_VARIANTS: list_variants = 1; break;
        case OPT_LIST_TASKS: list_tasks = 1; break;
        case OPT_TRACE:
            if (!*optarg) return options_fail(err, len, "--trace needs a file name");
            o->trace_path = optarg;
            break;
        case OPT_VARIANTS:
            if (parse_variants(&o->setup, optarg, err, len)) return 1;
            break;
        case OPT_TASK: {
            gs_error e;
            if (gs_task_from_name(optarg, &o->setup.task, &e) != GS_OK)
                return options_fail(err, len, "%s", e.msg);
            task_given = 1;
            break;
        }
        case OPT_LENGTH:
            if (int_flag(dash, optarg, 1, 100000, &o->setup.length, err, len)) return 1;
            break;
        case OPT_HIDDEN:
            if (int_flag(dash, optarg, 1, 4096, &o->setup.hidden, err, len)) return 1;
            break;
        case OPT_SEED: {
            char *end;
            unsigned long long s;
            errno = 0;
            s = strtoull(optarg, &end, 10);
            if (!isdigit((unsigned char)optarg[0]) || *end || errno == ERANGE)
                return options_fail(err, len, "--seed needs a whole number from 0 to 2^64-1 (got '%.40s')",
                            optarg);
            o->setup.seed = (uint64_t)s;
            break;
        }
        case OPT_INIT: {
            /* SCHEME, or SCHEME:SCALE (uniform's range a, orthogonal's gain; as @init) */
            const char *colon = strchr(optarg, ':');
            size_t l = colon ? (size_t)(colon - optarg) : strlen(optarg);
            if (l == 7 && !strncmp(optarg, "uniform", l)) o->setup.init = GS_INIT_UNIFORM;
            else if (l == 6 && !strncmp(optarg, "xavier", l)) o->setup.init = GS_INIT_XAVIER;
            else if (l == 10 && !strncmp(optarg, "orthogonal", l)) o->setup.init = GS_INIT_ORTHOGONAL;
            else
                return options_fail(err, len, "--init must be uniform, xavier or orthogonal (got '%.40s')",
                            optarg);
            o->setup.init_scale = 0;
            if (colon && (parse_real(colon + 1, 1e6, &o->setup.init_scale) || o->setup.init_scale < 0))
                return options_fail(err, len, "--init %.*s:SCALE needs a scale from 0 to 1e6 (got '%.40s')",
                            (int)l, optarg, colon + 1);
            break;
        }
        case OPT_WEIGHT_SCALE:
            if (parse_real(optarg, 1e6, &o->setup.weight_scale))
                return options_fail(err, len, "--weight-scale needs a number within +-1e6 (got '%.40s')",
                            optarg);
            break;
        case OPT_FORGET_BIAS:
            if (parse_real(optarg, 1e6, &o->setup.forget_bias))
                return options_fail(err, len, "--forget-bias needs a number within +-1e6 (got '%.40s')",
                            optarg);
            break;
        case OPT_TRUNCATE:
            if (int_flag(dash, optarg, 0, INT_MAX, &o->setup.truncate, err, len)) return 1;
            break;
        case OPT_SEQUENCE:
            if (strlen(optarg) >= sizeof o->setup.typed)
                return options_fail(err, len, "--sequence: the text is too long (at most %zu bytes)",
                            sizeof o->setup.typed - 1);
            snprintf(o->setup.typed, sizeof o->setup.typed, "%s", optarg);
            typed_given = 1;
            break;
        case OPT_SAVE_WEIGHTS:
            if (!*optarg) return options_fail(err, len, "--save-weights needs a path");
            o->save_weights = optarg;
            break;
        case OPT_LOAD_WEIGHTS:
            if (!*optarg) return options_fail(err, len, "--load-weights needs a path");
            o->load_weights = optarg;
            break;
        case OPT_HEADLESS:
            o->headless = 1;
            window_flag = 1;
            window_name = "--headless";
            break;
        case OPT_SCREENSHOT:
            if (!ends_with_png(optarg))
                return options_fail(err, len, "--screenshot needs a file name ending in .png (got '%.60s')",
                            optarg);
            o->screenshot = optarg;
            window_flag = 1;
            window_name = "--screenshot";
            break;
        case OPT_SIZE: {
            char *x = strchr(optarg, 'x'), wbuf[16];
            long w, h;
            size_t l = x ? (size_t)(x - optarg) : 0;
            if (!x || l == 0 || l >= sizeof wbuf)
                return options_fail(err, len, "--size needs WIDTHxHEIGHT, e.g. 1600x1000 (got '%.40s')",
                            optarg);
            memcpy(wbuf, optarg, l);
            wbuf[l] = '\0';
            if (options_parse_long(wbuf, 320, 7680, &w) || options_parse_long(x + 1, 320, 7680, &h))
                return options_fail(err, len, "--size: width and height must each be 320..7680 (got "
                            "'%.40s')", optarg);
            o->width = (int)w;
            o->height = (int)h;
            window_flag = 1;
            window_name = "--size";
            break;
        }
        case OPT_AT:
            if (options_parse_long(optarg, 0, 100000, &v))
                return options_fail(err, len, "--at needs a step from 0 to 100000 (got '%.40s')", optarg);
            o->at = (int)v;
            window_flag = 1;
            window_name = "--at";
            break;
        case OPT_FULLSCREEN:
            o->fullscreen = 1;
            window_flag = 1;
            window_name = "--fullscreen";
            break;
        case OPT_TRAIN: train = 1; break;
        case OPT_CHECK: check = 1; break;
        case OPT_LESSON:
            if (!*optarg) return options_fail(err, len, "--lesson needs a lesson file");
            o->lesson_path = optarg;
            window_flag = 1;
            window_name = "--lesson";
            break;
        case OPT_EXPORT_DIR:
            if (!*optarg) return options_fail(err, len, "--export-dir needs a directory");
            o->export_dir = optarg;
            window_flag = 1;
            window_name = "--export-dir";
            break;
        case OPT_ALLOW_FAILING:
            o->allow_failing = 1;
            window_flag = 1;
            window_name = "--allow-failing";
            break;
        case OPT_PRESENT:
            o->present = 1;
            window_flag = 1;
            window_name = "--present";
            break;
        case OPT_TRAIN_STEPS:
            if (options_parse_long(optarg, 1, 10000000, &v))
                return options_fail(err, len, "--train-steps needs a whole number from 1 to 10000000 (got "
                            "'%.40s')", optarg);
            o->train_steps = v;
            window_flag = 1;
            window_name = "--train-steps";
            break;
        case OPT_BACKWARD:
            o->backward = -1;
            if (optarg && options_parse_long(optarg, 1, 100000, &v))
                return options_fail(err, len, "--backward=STEP needs a step from 1 to 100000 (got '%.40s')",
                            optarg);
            if (optarg) o->backward = (int)v;
            window_flag = 1;
            window_name = "--backward";
            break;
        case OPT_SELECT: {
            char name[64];
            const char *colon = strchr(optarg, ':');
            size_t l = colon ? (size_t)(colon - optarg) : strlen(optarg);
            gs_error e;
            if (l == 0 || l >= sizeof name)
                return options_fail(err, len, "--select needs VARIANT or VARIANT:UNIT, e.g. lstm:3 (got "
                            "'%.40s')", optarg);
            memcpy(name, optarg, l);
            name[l] = '\0';
            if (gs_variant_from_name(name, &o->select_variant, &e) != GS_OK)
                return options_fail(err, len, "--select: %s", e.msg);
            o->select_unit = 0;
            if (colon && options_parse_long(colon + 1, 0, 4095, &v))
                return options_fail(err, len, "--select: the unit after ':' must be 0..4095 (got '%.40s')",
                            colon + 1);
            if (colon) o->select_unit = (int)v;
            o->select = 1;
            window_flag = 1;
            window_name = "--select";
            break;
        }
        case OPT_COLOURS: {
            const char *p = optarg;
            for (;;) {
                size_t l = strcspn(p, ",");
                if (gs_lesson_colours_word(&o->colours, p, l) != 0)
                    return options_fail(err, len, "--colours: unknown choice '%.*s' (expected %s)",
                                (int)(l > 40 ? 40 : l), p, gs_lesson_colours_all());
                if (!p[l]) break;
                p += l + 1;
            }
            window_flag = 1;
            window_name = "--colours";
            break;
        }
        case OPT_RECORD:
            if (!ends_with(optarg, ".mp4") && !ends_with(optarg, ".gif"))
                return options_fail(err, len, "--record needs a file name ending in .mp4 or .gif (got "
                            "'%.60s')", optarg);
            o->record = optarg;
            window_flag = 1;
            window_name = "--record";
            break;
        case OPT_FPS:
            if (int_flag(dash, optarg, 1, 60, &o->fps, err, len)) return 1;
            break;
        case OPT_SAVE_LESSON:
            if (!*optarg) return options_fail(err, len, "--save-lesson needs a file name");
            o->save_lesson = optarg;
            break;
        case OPT_PRINT_COMMAND: print_command = 1; break;
        case OPT_CLAMP:
            if (options_parse_clamps(&o->setup, optarg, err, len)) return 1;
            clamp_given = 1;
            break;
        case OPT_ITERATIONS:
            if (options_parse_long(optarg, 1, 10000000, &v))
                return options_fail(err, len, "--iterations needs a whole number from 1 to 10000000 (got "
                            "'%.40s')", optarg);
            o->train.iterations = v;
            break;
        case OPT_BATCH:
            if (int_flag(dash, optarg, 1, 4096, &o->train.batch, err, len)) return 1;
            break;
        case OPT_OPTIMIZER:
            if (!strcmp(optarg, "sgd")) o->train.optimizer = GS_OPT_SGD;
            else if (!strcmp(optarg, "momentum")) o->train.optimizer = GS_OPT_MOMENTUM;
            else if (!strcmp(optarg, "adam")) o->train.optimizer = GS_OPT_ADAM;
            else if (!strcmp(optarg, "rmsprop")) o->train.optimizer = GS_OPT_RMSPROP;
            else
                return options_fail(err, len, "--optimizer must be sgd, momentum, adam or rmsprop (got "
                            "'%.40s')", optarg);
            break;
        case OPT_LR:
            if (parse_real(optarg, 10, &o->train.lr) || !(o->train.lr > 0))
                return options_fail(err, len, "--lr needs a number with 0 < lr <= 10 (got '%.40s')", optarg);
            break;
        case OPT_CLIP:
        case OPT_CLIP_VALUE: {
            double *dst = c == OPT_CLIP ? &o->train.clip : &o->train.clip_value;
            if (parse_real(optarg, 1e6, dst) || *dst < 0)
                return options_fail(err, len, "%s needs a number from 0 (off) to 1e6 (got '%.40s')", dash,
                            optarg);
            break;
        }
        case OPT_K1:
            if (int_flag(dash, optarg, 0, 100000, &o->train.k1, err, len)) return 1;
            break;
        case OPT_K2:
            if (int_flag(dash, optarg, 0, 100000, &o->train.k2, err, len)) return 1;
            break;
        case OPT_LOG:
            if (!*optarg) return options_fail(err, len, "--log needs a file name");
            o->train_log = optarg;
            break;
        case ':':
            if (optopt >= OPT_VERSION)
                return options_fail(err, len, "option '--%s' needs an argument (try --help)",
                            name_of(optopt));
            return options_fail(err, len, "option '%.40s' needs an argument (try --help)",
                        argv[optind - 1]);
        default: /* '?' */
            if (optopt >= OPT_VERSION || optopt == OPT_HELP) /* "--help=x": -h never fails */
                return options_fail(err, len, "option '--%s' takes no argument (try --help)",
                            name_of(optopt));
            if (optopt)
                return options_fail(err, len, "unknown option '-%c' (try --help)", optopt);
            return unknown_option(argv[optind - 1], err, len);
        }
    }
    if (check) {
        if (optind >= argc) return options_fail(err, len, "--check needs at least one lesson file");
        o->check_files = argv + optind;
        o->n_check_files = argc - optind;
    } else if (optind < argc) {
        return options_fail(err, len, "unexpected argument '%.60s' (options start with --; try --help)",
                    argv[optind]);
    }

    /* the typed task and its text go together */
    if (typed_given) {
        if (!task_given) o->setup.task = GS_TASK_TYPED;
        else if (o->setup.task != GS_TASK_TYPED)
            return options_fail(err, len, "--sequence is the text of the typed task; it does not go "
                        "with --task %s", gs_task_info_get(o->setup.task)->name);
        if (!*o->setup.typed) return options_fail(err, len, "--sequence needs some text");
        {
            gs_error e; /* what would read as a space is said, not swallowed */
            if (gs_task_check_text(o->setup.typed, strlen(o->setup.typed), 1, &e) != GS_OK)
                return options_fail(err, len, "--sequence: %s", e.msg);
        }
    } else if (o->setup.task == GS_TASK_TYPED) {
        return options_fail(err, len, "--task typed needs --sequence TEXT");
    }
    /* lengths the task cannot use are usage errors too (text/typed depend on their text:
     * checked when the scene is built) */
    if (o->setup.length > 0 && o->setup.task != GS_TASK_TEXT && o->setup.task != GS_TASK_TYPED) {
        gs_task_config tc = gs_task_config_default(o->setup.task);
        gs_task *t = NULL;
        gs_error e;
        tc.length = o->setup.length;
        if (gs_task_create(&t, &tc, &e) != GS_OK)
            return options_fail(err, len, "--length %d: %s", o->setup.length, e.msg);
        gs_task_destroy(t);
    }

    if (check && clamp_given)
        return options_fail(err, len, "--clamp does not go with --check: a lesson clamps a gate with @clamp");
    if (options_check_clamps(&o->setup, err, len)) return 1;
    o->train.seed = o->setup.seed;
    if (o->train_steps > 0 && !o->screenshot && !o->record)
        return options_fail(err, len, "--train-steps trains before a screenshot; add --screenshot FILE.png "
                    "(or --record FILE)");
    if (o->allow_failing && !o->export_dir)
        return options_fail(err, len, "--allow-failing goes with --export-dir (it writes a failing handout)");
    if (o->export_dir) {
        if (!o->lesson_path) return options_fail(err, len, "--export-dir writes a lesson's steps; it needs --lesson FILE");
        if (!o->headless) return options_fail(err, len, "--export-dir renders without a window; add --headless");
        if (o->screenshot) return options_fail(err, len, "--export-dir and --screenshot are separate outputs; choose one");
    }
    if (o->fps && !o->record) return options_fail(err, len, "--fps is a recording's frame rate; it needs --record FILE");
    if (!o->fps) o->fps = 8;
    if (o->record) {
        if (o->screenshot) return options_fail(err, len, "--record and --screenshot are separate outputs; choose one");
        if (o->lesson_path) return options_fail(err, len, "--record plays one setup; it does not go with --lesson "
                                         "(--export-dir writes a lesson's steps)");
        if (o->at >= 0) return options_fail(err, len, "--record plays from step 0 to the end; it does not go with --at");
        if (o->save_lesson || print_command)
            return options_fail(err, len, "--record is an output of its own; run --save-lesson or --print-command apart");
        o->headless = 1;
    }
    if (o->backward > 0 && o->at >= 0 && o->backward > o->at)
        return options_fail(err, len, "--backward=%d is past the cursor (--at %d): the backward pass walks from "
                    "the cursor back to step 1", o->backward, o->at);
    if (o->save_lesson || print_command) {
        if (o->save_lesson && print_command)
            return options_fail(err, len, "--save-lesson and --print-command are separate outputs; choose one");
        if (train || check || o->trace_path || o->screenshot || o->export_dir)
            return options_fail(err, len, "%s writes the view and exits; it does not go with %s",
                        o->save_lesson ? "--save-lesson" : "--print-command",
                        train ? "--train" : check ? "--check" : o->trace_path ? "--trace"
                        : o->screenshot ? "--screenshot" : "--export-dir");
        o->mode = o->save_lesson ? MODE_SAVE_LESSON : MODE_PRINT_COMMAND;
        return 0;
    }
    if (list_variants) o->mode = MODE_LIST_VARIANTS;
    else if (list_tasks) o->mode = MODE_LIST_TASKS;
    else if (check) {
        if (train || o->trace_path || window_flag)
            return options_fail(err, len, "--check runs alone: give it only lesson files");
        if (setup_flag[0])
            return options_fail(err, len, "--check runs each lesson as it is written; %s does not go "
                        "with it (a lesson sets up its own scenes with @ lines)", setup_flag);
        o->mode = MODE_CHECK;
    } else if (train) {
        if (o->trace_path) return options_fail(err, len, "--train and --trace are separate runs; choose one");
        if (window_flag)
            return options_fail(err, len, "%s is for the window or a screenshot; it does not go with "
                        "--train", window_name);
        o->mode = MODE_TRAIN;
    } else if (o->train_log) {
        return options_fail(err, len, "--log records training; it needs --train");
    } else if (o->trace_path) {
        if (window_flag)
            return options_fail(err, len, "%s is for the window or a screenshot; it does not go with "
                        "--trace", window_name);
        o->mode = MODE_TRACE;
    } else if (o->save_weights && !window_flag) {
        o->mode = MODE_SAVE_ONLY;
    } else {
        o->mode = MODE_WINDOW;
    }
    return 0;
}
