/* train_session.c — several variants trained side by side on one data stream. */
#include "session/train_session.h"

#include "session/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int train_session_create(train_session *ts, const scene *sc, const train_setup *setup,
                         char *err, size_t err_len) {
    gs_error e;
    memset(ts, 0, sizeof *ts);
    ts->task = sc->task;
    ts->setup = *setup;
    ts->history_cap = setup->iterations > 0 ? setup->iterations : 1;
    if (budget_check_train(&sc->setup, setup, gs_task_n_in(sc->task), gs_task_n_out(sc->task),
                           sc->length, 0, err, err_len) != 0)
        return 1;
    for (int i = 0; i < sc->n; i++) {
        gs_train_config tc = gs_train_config_default();
        tc.optimizer = setup->optimizer;
        tc.lr = setup->lr;
        tc.batch = setup->batch;
        tc.clip_norm = setup->clip;
        tc.clip_value = setup->clip_value;
        tc.k1 = setup->k1;
        tc.k2 = setup->k2;
        tc.seed = setup->seed; /* every variant sees the same sequences */
        ts->variants[i] = gs_model_config_of(sc->models[i])->variant;
        ts->n = i + 1;
        ts->history[i] = malloc(sizeof(train_point) * (size_t)ts->history_cap);
        if (!ts->history[i]) {
            snprintf(err, err_len, "out of memory for the training history");
            goto fail;
        }
        if (gs_model_clone(&ts->models[i], sc->models[i], &e) != GS_OK ||
            gs_trainer_create(&ts->trainers[i], ts->models[i], ts->task, &tc, &e) != GS_OK) {
            snprintf(err, err_len, "%s", e.msg);
            goto fail;
        }
    }
    return 0;
fail:
    train_session_free(ts);
    return 1;
}

int train_session_step(train_session *ts) {
    if (ts->iteration >= ts->setup.iterations) return 1;
    for (int i = 0; i < ts->n; i++) {
        gs_train_result r;
        train_point *p = &ts->history[i][ts->iteration];
        if (gs_trainer_step(ts->trainers[i], &r, NULL) != GS_OK) {
            r.loss = r.success = (double)NAN;
            r.updates = 0;
        }
        ts->updates[i] += r.updates;
        p->iteration = ts->iteration + 1;
        p->loss = r.loss;
        p->success = r.success;
    }
    ts->iteration++;
    return 0;
}

train_point train_session_recent(const train_session *ts, int i, long window) {
    train_point out = { ts->iteration, 0, 0 };
    long from = ts->iteration - window < 0 ? 0 : ts->iteration - window, cnt = 0;
    for (long k = from; k < ts->iteration; k++, cnt++) {
        out.loss += ts->history[i][k].loss;
        out.success += ts->history[i][k].success;
    }
    out.loss = cnt ? out.loss / (double)cnt : (double)NAN;
    out.success = cnt ? out.success / (double)cnt : (double)NAN;
    return out;
}

void train_session_free(train_session *ts) {
    for (int i = 0; i < ts->n; i++) {
        gs_trainer_destroy(ts->trainers[i]);
        gs_model_destroy(ts->models[i]);
        free(ts->history[i]);
    }
    memset(ts, 0, sizeof *ts);
}

int train_session_run(scene *sc, const train_setup *setup, char *err, size_t err_len) {
    train_session t;
    gs_error e;
    int rc = 0;
    if (train_session_create(&t, sc, setup, err, err_len) != 0) return 1;
    while (train_session_step(&t) == 0) {}
    for (int i = 0; i < t.n && rc == 0; i++)
        if (gs_model_copy_params(sc->models[i], t.models[i], &e) != GS_OK) {
            snprintf(err, err_len, "%s", e.msg);
            rc = 1;
        }
    train_session_free(&t);
    return rc;
}

int train_session_lesson(scene *sc, const gs_lesson_setup *ls, char *err, size_t err_len) {
    if (ls->train > 0) {
        options o;
        options_default(&o);
        o.train.iterations = ls->train;
        if (ls->train_lr > 0) o.train.lr = ls->train_lr;
        o.train.seed = ls->seed;
        if (train_session_run(sc, &o.train, err, err_len) != 0) return 1;
    }
    return train_session_lesson_clamps(sc, ls, err, err_len);
}

int train_session_lesson_clamps(scene *sc, const gs_lesson_setup *ls, char *err, size_t err_len) {
    opt_setup with;
    /* the clamps alone are read: they are copied before anything that could fail */
    (void)lesson_setup_to_options(ls, NULL, &with, err, err_len);
    sc->setup.n_clamps = 0; /* those of the scene's variants (the window shows 8) */
    for (int k = 0; k < with.n_clamps; k++)
        for (int i = 0; i < sc->n; i++)
            if (gs_model_config_of(sc->models[i])->variant == with.clamps[k].variant) {
                sc->setup.clamps[sc->setup.n_clamps++] = with.clamps[k];
                break;
            }
    if (scene_apply_clamps(sc, err, err_len) != 0) return 1;
    scene_recompute(sc);
    return 0;
}

static void entry_free(train_memo_entry *en) {
    for (int i = 0; i < en->n; i++) gs_model_destroy(en->models[i]);
    memset(en, 0, sizeof *en);
}

void train_memo_free(train_memo *m) {
    for (int k = 0; k < m->n; k++) entry_free(&m->e[k]);
    memset(m, 0, sizeof *m);
}

static const train_memo_entry *memo_find(const train_memo *m, const gs_lesson_setup *ls,
                                         const scene *sc) {
    for (int k = 0; k < m->n; k++) {
        gs_lesson_setup x = m->e[k].ls, y = *ls;
        x.n_clamps = y.n_clamps = 0;
        if (m->e[k].n == sc->n && gs_lesson_setup_equal(&x, &y)) return &m->e[k];
    }
    return NULL;
}

/* sc's (trained, unclamped) models kept in m as ls's; not kept if they cannot be copied. */
static void memo_keep(train_memo *m, const gs_lesson_setup *ls, const scene *sc) {
    train_memo_entry *en;
    gs_error e;
    if (m->n == TRAIN_MEMO_MAX) { /* the oldest goes */
        entry_free(&m->e[0]);
        memmove(&m->e[0], &m->e[1], sizeof m->e[0] * (TRAIN_MEMO_MAX - 1));
        memset(&m->e[TRAIN_MEMO_MAX - 1], 0, sizeof m->e[0]);
        m->n--;
    }
    en = &m->e[m->n];
    for (int i = 0; i < sc->n; i++) {
        if (gs_model_clone(&en->models[i], sc->models[i], &e) != GS_OK) {
            entry_free(en);
            return;
        }
        en->n = i + 1;
    }
    en->ls = *ls;
    m->n++;
}

int train_session_lesson_memo(scene *sc, const gs_lesson_setup *ls, train_memo *m, char *err,
                              size_t err_len) {
    const train_memo_entry *en;
    gs_lesson_setup free_ls = *ls;
    gs_error e;
    if (!m || ls->train <= 0) return train_session_lesson(sc, ls, err, err_len);
    if ((en = memo_find(m, ls, sc)) != NULL) {
        for (int i = 0; i < sc->n; i++)
            if (gs_model_copy_params(sc->models[i], en->models[i], &e) != GS_OK) {
                snprintf(err, err_len, "%s", e.msg);
                return 1;
            }
        return train_session_lesson_clamps(sc, ls, err, err_len);
    }
    free_ls.n_clamps = 0; /* trained (and kept) free; the step's clamps after */
    if (train_session_lesson(sc, &free_ls, err, err_len) != 0) return 1;
    memo_keep(m, ls, sc);
    return train_session_lesson_clamps(sc, ls, err, err_len);
}
