/* cell_clamp.c — gate clamps ("what if this gate were always open?"): the table of
 * forced gate values a model carries, and the public functions that edit it.  The
 * kernels apply it (gs__clamp_forward / gs__clamp_backward in internal.h): the forced
 * value replaces σ(·) forward, and the clamped units' pre-activation gradient is 0.
 * Table: (GS_MAX_GATES, n) gs_real, NaN = free; absent (NULL) until the first clamp. */
#include "internal.h"

#include <math.h>
#include <string.h>

static int gate_count(const gs_model *m) {
    return gs_variant_get(gs_model_config_of(m)->variant)->n_gates;
}

/* Checks gate (or -1 when any_gate) and unit (or GS_ALL_UNITS). */
static gs_status check_indices(const gs_model *m, int gate, int unit, int any_gate,
                               gs_error *err) {
    const gs_variant_info *vi = gs_variant_get(gs_model_config_of(m)->variant);
    int n = gs_model_config_of(m)->n_hidden;
    if (!(gate >= 0 && gate < vi->n_gates) && !(any_gate && gate == -1)) {
        if (vi->n_gates == 0)
            gs__error(err, "%s has no gates to clamp", vi->name);
        else
            gs__error(err, "%s has no gate %d (its gates are 0..%d, %s%s%s%s%s)", vi->name, gate,
                      vi->n_gates - 1, vi->gates[0].symbol, vi->n_gates > 1 ? ", " : "",
                      vi->n_gates > 1 ? vi->gates[1].symbol : "", vi->n_gates > 2 ? ", " : "",
                      vi->n_gates > 2 ? vi->gates[2].symbol : "");
        return GS_ERR_ARG;
    }
    if (!(unit >= 0 && unit < n) && unit != GS_ALL_UNITS) {
        gs__error(err, "no unit %d to clamp (units are 0..%d, or all)", unit, n - 1);
        return GS_ERR_ARG;
    }
    return GS_OK;
}

/* Recount the clamped units of every gate. */
static void recount(gs__layout *L) {
    for (int k = 0; k < GS_MAX_GATES; k++) {
        L->clamped[k] = 0;
        for (int j = 0; L->clamp && j < L->n; j++)
            L->clamped[k] += !isnan(L->clamp[(size_t)k * (size_t)L->n + (size_t)j]);
    }
}

gs_status gs_model_clamp_gate(gs_model *m, int gate, int unit, double value, gs_error *err) {
    gs__layout *L;
    gs_status st;
    int j;
    if (!m) {
        gs__error(err, "no model to clamp");
        return GS_ERR_ARG;
    }
    if ((st = check_indices(m, gate, unit, 0, err)) != GS_OK) return st;
    if (!(value >= 0.0 && value <= 1.0)) {
        gs__error(err, "a gate can only be clamped to a value from 0 to 1 (got %g)", value);
        return GS_ERR_ARG;
    }
    L = gs__model_layout_mut(m);
    if (!L->clamp) {
        size_t count = (size_t)GS_MAX_GATES * (size_t)L->n;
        L->clamp = gs__alloc(&gs_model_config_of(m)->alloc, sizeof(gs_real) * count);
        if (!L->clamp) {
            gs__error(err, "out of memory for the gate clamps");
            return GS_ERR_NOMEM;
        }
        for (size_t i = 0; i < count; i++) L->clamp[i] = (gs_real)NAN;
    }
    for (j = 0; j < L->n; j++)
        if (unit == GS_ALL_UNITS || unit == j)
            L->clamp[(size_t)gate * (size_t)L->n + (size_t)j] = (gs_real)value;
    recount(L);
    return GS_OK;
}

gs_status gs_model_unclamp_gate(gs_model *m, int gate, int unit, gs_error *err) {
    gs__layout *L;
    gs_status st;
    int k, j;
    if (!m) {
        gs__error(err, "no model to unclamp");
        return GS_ERR_ARG;
    }
    if ((st = check_indices(m, gate, unit, 1, err)) != GS_OK) return st;
    L = gs__model_layout_mut(m);
    if (!L->clamp) return GS_OK;
    for (k = 0; k < GS_MAX_GATES; k++)
        for (j = 0; j < L->n; j++)
            if ((gate == -1 || gate == k) && (unit == GS_ALL_UNITS || unit == j))
                L->clamp[(size_t)k * (size_t)L->n + (size_t)j] = (gs_real)NAN;
    recount(L);
    return GS_OK;
}

int gs_model_gate_clamped(const gs_model *m, int gate, int unit, double *value) {
    const gs__layout *L;
    gs_real v;
    if (!m || gate < 0 || gate >= gate_count(m)) return 0;
    L = gs__model_layout(m);
    if (!L->clamp || unit < 0 || unit >= L->n) return 0;
    v = L->clamp[(size_t)gate * (size_t)L->n + (size_t)unit];
    if (isnan(v)) return 0;
    if (value) *value = (double)v;
    return 1;
}

int gs_model_clamp_count(const gs_model *m) {
    const gs__layout *L;
    int total = 0;
    if (!m) return 0;
    L = gs__model_layout(m);
    for (int k = 0; k < GS_MAX_GATES; k++) total += L->clamped[k];
    return total;
}

gs_status gs__clamp_copy(gs__layout *dst, const gs__layout *src, const gs_allocator *a) {
    size_t count = (size_t)GS_MAX_GATES * (size_t)src->n;
    if (!src->clamp) return GS_OK;
    dst->clamp = gs__alloc(a, sizeof(gs_real) * count);
    if (!dst->clamp) return GS_ERR_NOMEM;
    memcpy(dst->clamp, src->clamp, sizeof(gs_real) * count);
    memcpy(dst->clamped, src->clamped, sizeof dst->clamped);
    return GS_OK;
}

void gs__clamp_free(gs__layout *L, const gs_allocator *a) {
    gs__free(a, L->clamp);
    L->clamp = NULL;
    memset(L->clamped, 0, sizeof L->clamped);
}
