/* scene.c — build the engine objects for one comparison from an opt_setup: the
 * task, then per variant a model and a sequence, filled with the same input.  Also
 * the opt_setup a lesson step describes (the window and --check build the same). */
#define _XOPEN_SOURCE 700 /* lstat */
#include "session/scene.h"

#include "session/budget.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void say(char *err, size_t len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* The text corpus is read once, front to back, in chunks: no seeking, so a pipe or
 * /dev/stdin works, and no more than this, so an endless stream ends in a message. */
#define CORPUS_MAX (16u << 20)

/* path's bytes (NUL-terminated) into *out; 0, or an errno value (EFBIG: over the cap). */
static int read_corpus(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *grown;
    size_t n = 0, cap = 0, got;
    int e = 0;
    *out = NULL;
    if (!f) return errno ? errno : EIO;
    for (;;) {
        if (cap - n < 4096) {
            if (cap > CORPUS_MAX) {
                e = EFBIG;
                break;
            }
            cap = cap ? cap * 2 : 65536;
            if (!(grown = realloc(buf, cap + 1))) {
                e = ENOMEM;
                break;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) e = errno ? errno : EIO;
            break;
        }
        if (n > CORPUS_MAX) {
            e = EFBIG;
            break;
        }
    }
    fclose(f);
    if (e) {
        free(buf);
        return e;
    }
    if (!buf && !(buf = malloc(1))) return ENOMEM;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *q(char *buf, size_t len, const char *path) {
    return gs_quote(buf, len, path, strlen(path));
}

/* Read path once and load it into the model of its variant (which must be shown). */
static int load_file(scene *sc, const char *path, char *err, size_t err_len) {
    gs_weights *w = NULL;
    gs_error e;
    gs_variant v;
    char shown[300];
    int i, rc = 1;
    if (gs_weights_read(&w, path, NULL, &e) != GS_OK) {
        say(err, err_len, "%s", e.msg);
        return 1;
    }
    gs_weights_header(w, &v, NULL, NULL, NULL);
    for (i = 0; i < sc->n; i++)
        if (gs_model_config_of(sc->models[i])->variant == v) break;
    if (i == sc->n) {
        say(err, err_len, "'%s' holds a '%s' model, which is not among the shown variants",
            q(shown, sizeof shown, path), gs_variant_get(v)->name);
    } else if (gs_model_load_weights(sc->models[i], w, &e) != GS_OK) {
        say(err, err_len, "%s", e.msg);
    } else {
        rc = 0;
    }
    gs_weights_destroy(w);
    return rc;
}

/* FILE.json goes to the model of its variant; DIR/<variant>.json to each model that
 * has one.  In a DIR only a file that is not there at all is skipped: one that cannot
 * be read, or a symbolic link to nothing, is an error (else that variant would run
 * from random weights without a word). */
static int load_weights(scene *sc, const char *path, char *err, size_t err_len) {
    struct stat st;
    char shown[300];
    int i, loaded = 0;
    if (!is_dir(path)) return load_file(sc, path, err, err_len);
    for (i = 0; i < sc->n; i++) {
        char file[4096];
        const char *name = gs_variant_get(gs_model_config_of(sc->models[i])->variant)->name;
        if (snprintf(file, sizeof file, "%s/%s.json", path, name) >= (int)sizeof file) {
            say(err, err_len, "--load-weights: the path '%s' is too long",
                q(shown, sizeof shown, path));
            return 1;
        }
        if (lstat(file, &st) != 0 && errno == ENOENT) continue;
        if (S_ISLNK(st.st_mode) && stat(file, &st) != 0 && errno == ENOENT) {
            say(err, err_len, "'%s' is a symbolic link to a file that does not exist",
                q(shown, sizeof shown, file));
            return 1;
        }
        if (load_file(sc, file, err, err_len) != 0) return 1;
        loaded++;
    }
    if (!loaded) {
        say(err, err_len, "'%s': no <variant>.json file for any shown variant",
            q(shown, sizeof shown, path));
        return 1;
    }
    return 0;
}

static int build(scene *sc, const opt_setup *setup, const train_setup *train,
                 const char *assets_dir, const char *load_path, char *err, size_t err_len) {
    gs_task_config tc;
    gs_error e;
    int i;
    memset(sc, 0, sizeof *sc);
    sc->setup = *setup;
    tc = gs_task_config_default(setup->task);
    if (setup->length > 0) tc.length = setup->length;
    if (setup->task == GS_TASK_TEXT) {
        char path[4096];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/text/corpus.txt", assets_dir ? assets_dir : "assets");
        int rerr = read_corpus(path, &sc->corpus, &len);
        if (rerr) {
            char shown[300];
            if (rerr == EFBIG)
                say(err, err_len, "the text corpus '%s' is larger than %u MiB",
                    q(shown, sizeof shown, path), CORPUS_MAX >> 20);
            else
                say(err, err_len, "cannot read the text corpus '%s': %s (is gatescope installed "
                    "with its assets?)", q(shown, sizeof shown, path), strerror(rerr));
            return 1;
        }
        tc.text = sc->corpus;
        tc.text_len = len;
    } else if (setup->task == GS_TASK_TYPED) {
        if (!setup->typed[0]) {
            say(err, err_len, "the typed task needs --sequence TEXT");
            return 1;
        }
        tc.text = setup->typed;
        tc.text_len = strlen(setup->typed);
        if (setup->length <= 0) tc.length = 0;
    }
    if (gs_task_create(&sc->task, &tc, &e) != GS_OK) {
        say(err, err_len, "%s", e.msg);
        goto fail;
    }
    sc->length = gs_task_length(sc->task);
    /* sizes that are each legal multiply: refuse what cannot fit before allocating it */
    if (train ? budget_check_train(setup, train, gs_task_n_in(sc->task), gs_task_n_out(sc->task),
                                   sc->length, 1, err, err_len)
              : budget_check_scene(setup, gs_task_n_in(sc->task), gs_task_n_out(sc->task),
                                   sc->length, setup->hidden <= 128, err, err_len))
        goto fail;
    for (i = 0; i < setup->n_variants; i++) {
        gs_model_config mc = gs_model_config_default(setup->variants[i], gs_task_n_in(sc->task),
                                                     setup->hidden, gs_task_n_out(sc->task));
        mc.init = setup->init;
        mc.init_scale = setup->init_scale;
        mc.weight_scale = setup->weight_scale;
        mc.forget_bias = setup->forget_bias;
        mc.seed = setup->seed;
        if (gs_model_create(&sc->models[i], &mc, &e) != GS_OK ||
            gs_seq_create(&sc->seqs[i], sc->models[i], sc->length, 1, &e) != GS_OK ||
            gs_seq_fill(sc->seqs[i], sc->task, setup->seed, &e) != GS_OK) {
            sc->n = i + 1;
            say(err, err_len, "%s", e.msg);
            goto fail;
        }
        sc->n = i + 1;
    }
    if (load_path && load_weights(sc, load_path, err, err_len) != 0) goto fail;
    if (sc->n > 0) {
        size_t nx = (size_t)sc->length * (size_t)gs_task_n_in(sc->task);
        if (!(sc->gen_x = malloc(sizeof *sc->gen_x * nx))) {
            say(err, err_len, "out of memory");
            goto fail;
        }
        memcpy(sc->gen_x, gs_seq_inputs(sc->seqs[0]), sizeof *sc->gen_x * nx);
    }
    if (scene_apply_clamps(sc, err, err_len) != 0) goto fail;
    scene_recompute(sc);
    return 0;
fail:
    scene_free(sc);
    return 1;
}

int scene_build(scene *sc, const opt_setup *setup, const char *assets_dir,
                const char *load_path, char *err, size_t err_len) {
    return build(sc, setup, NULL, assets_dir, load_path, err, err_len);
}

int scene_build_to_train(scene *sc, const opt_setup *setup, const train_setup *train,
                         const char *assets_dir, const char *load_path, char *err,
                         size_t err_len) {
    return build(sc, setup, train, assets_dir, load_path, err, err_len);
}

int scene_apply_clamps(scene *sc, char *err, size_t err_len) {
    gs_error e;
    for (int i = 0; i < sc->n; i++) {
        gs_variant v = gs_model_config_of(sc->models[i])->variant;
        if (gs_model_unclamp_gate(sc->models[i], -1, GS_ALL_UNITS, &e) != GS_OK) goto fail;
        for (int k = 0; k < sc->setup.n_clamps; k++) {
            const opt_clamp *c = &sc->setup.clamps[k];
            if (c->variant != v) continue;
            if (gs_model_clamp_gate(sc->models[i], c->gate, c->unit, c->value, &e) != GS_OK) goto fail;
        }
    }
    return 0;
fail:
    say(err, err_len, "%s", e.msg);
    return 1;
}

void scene_recompute(scene *sc) {
    for (int i = 0; i < sc->n; i++) {
        gs_backward_opts bo = { 0 };
        bo.truncate = sc->setup.truncate;
        bo.jacobian = sc->setup.hidden <= 128;
        gs_seq_rewind(sc->seqs[i]);
        gs_seq_forward(sc->seqs[i], sc->length);
        gs_seq_backward(sc->seqs[i], &bo, NULL);
    }
}

void scene_free(scene *sc) {
    for (int i = 0; i < sc->n; i++) {
        gs_seq_destroy(sc->seqs[i]);
        gs_model_destroy(sc->models[i]);
    }
    gs_task_destroy(sc->task);
    free(sc->corpus);
    free(sc->gen_x);
    memset(sc, 0, sizeof *sc);
}

int lesson_setup_to_options(const gs_lesson_setup *ls, const char *lesson_path, opt_setup *out,
                            char *err, size_t err_len) {
    memset(out, 0, sizeof *out);
    out->n_variants = ls->n_variants;
    memcpy(out->variants, ls->variants, sizeof(gs_variant) * (size_t)ls->n_variants);
    out->task = ls->task;
    out->length = ls->length;
    out->hidden = ls->hidden;
    out->seed = ls->seed;
    out->init = ls->init;
    out->init_scale = ls->init_scale;
    out->weight_scale = ls->weight_scale;
    out->forget_bias = ls->forget_bias;
    out->truncate = ls->truncate;
    for (int k = 0; k < ls->n_clamps && k < OPT_MAX_CLAMPS; k++) {
        opt_clamp c = { ls->clamps[k].variant, ls->clamps[k].gate, ls->clamps[k].unit, ls->clamps[k].value };
        out->clamps[out->n_clamps++] = c;
    }
    if (ls->sequence && (size_t)snprintf(out->typed, sizeof out->typed, "%s", ls->sequence) >=
                            sizeof out->typed) {
        say(err, err_len, "@sequence: the text is too long (at most %zu bytes)", sizeof out->typed - 1);
        return 1;
    }
    if (ls->weights) {
        /* relative to the lesson's folder: "weights/lstm.json" beside "x.lesson" */
        const char *slash = lesson_path ? strrchr(lesson_path, '/') : NULL;
        int dir = ls->weights[0] != '/' && slash ? (int)(slash - lesson_path) + 1 : 0;
        if ((size_t)snprintf(out->weights, sizeof out->weights, "%.*s%s", dir, lesson_path,
                             ls->weights) >= sizeof out->weights) {
            say(err, err_len, "@weights: the path is too long");
            return 1;
        }
    }
    return 0;
}

int lesson_setup_same_but_clamps(const gs_lesson_setup *a, const gs_lesson_setup *b) {
    gs_lesson_setup x = *a, y = *b;
    x.n_clamps = y.n_clamps = 0;
    return gs_lesson_setup_equal(&x, &y);
}
