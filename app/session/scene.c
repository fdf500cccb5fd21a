/* scene.c — build the engine objects for one comparison from an opt_setup: the
 * task, then per variant a model and a sequence, filled with the same input.  Also
 * the opt_setup a lesson step describes (the window and --check build the same). */
#include "session/scene.h"

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

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)size + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)size, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* FILE.json goes to the model of its variant; DIR/<variant>.json to each model that
 * has one. */
static int load_weights(scene *sc, const char *path, char *err, size_t err_len) {
    gs_error e;
    int i, loaded = 0;
    if (is_dir(path)) {
        for (i = 0; i < sc->n; i++) {
            char file[4096];
            FILE *probe;
            snprintf(file, sizeof file, "%s/%s.json", path,
                     gs_variant_get(gs_model_config_of(sc->models[i])->variant)->name);
            if (!(probe = fopen(file, "rb"))) continue;
            fclose(probe);
            if (gs_model_load_json(sc->models[i], file, &e) != GS_OK) {
                say(err, err_len, "%s", e.msg);
                return 1;
            }
            loaded++;
        }
        if (!loaded) {
            say(err, err_len, "%s: no <variant>.json file for any shown variant", path);
            return 1;
        }
        return 0;
    }
    gs_variant v;
    if (gs_weights_peek(path, &v, NULL, NULL, NULL, &e) != GS_OK) {
        say(err, err_len, "%s", e.msg);
        return 1;
    }
    for (i = 0; i < sc->n; i++)
        if (gs_model_config_of(sc->models[i])->variant == v) {
            if (gs_model_load_json(sc->models[i], path, &e) != GS_OK) {
                say(err, err_len, "%s", e.msg);
                return 1;
            }
            return 0;
        }
    say(err, err_len, "%s holds a '%s' model, which is not among the shown variants", path,
        gs_variant_get(v)->name);
    return 1;
}

int scene_build(scene *sc, const opt_setup *setup, const char *assets_dir,
                const char *load_path, char *err, size_t err_len) {
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
        sc->corpus = read_file(path, &len);
        if (!sc->corpus) {
            say(err, err_len, "cannot read the text corpus %s (is gatescope installed with its "
                "assets?)", path);
            return 1;
        }
        tc.text = sc->corpus;
        tc.text_len = len;
    } else if (setup->task == GS_TASK_TYPED) {
        if (!setup->typed) {
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
    if (scene_apply_clamps(sc, err, err_len) != 0) goto fail;
    scene_recompute(sc);
    return 0;
fail:
    scene_free(sc);
    return 1;
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
    memset(sc, 0, sizeof *sc);
}

void lesson_setup_to_options(const gs_lesson_setup *ls, opt_setup *out) {
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
}
