/* scales.c — colour scales from the engine's values: the 98th percentile of the
 * magnitudes shown (Wirth's selection, O(n)) and their maximum. */
#include "session/scales.h"

#include <math.h>
#include <stdlib.h>

/* The k-th smallest of a[0..n) (a is reordered): Wirth's selection, O(n). */
static double select_kth(double *a, long n, long k) {
    long l = 0, m = n - 1;
    while (l < m) {
        double x = a[k];
        long i = l, j = m;
        do {
            while (a[i] < x) i++;
            while (x < a[j]) j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < k) l = i;
        if (k < i) m = j;
    }
    return a[k];
}

/* The 98th percentile of |finite| values of quantity q over panes [p0, p1) and the
 * steps shown, and their maximum. */
static void magnitudes(const app_state *st, gs_quantity q, int p0, int p1, double *p98,
                       double *maxv) {
    size_t cap = 0, n = 0;
    double *buf = NULL, mx = 0;
    int p, t, k, j, len;
    for (p = p0; p < p1; p++) {
        const gs_variant_info *vi = state_variant(st, p);
        if (vi) cap += (size_t)vi->n_states * (size_t)st->cursor * (size_t)st->setup.hidden;
    }
    *p98 = *maxv = 0;
    if (cap == 0 || !(buf = malloc(sizeof(double) * cap))) return;
    for (p = p0; p < p1; p++) {
        const gs_variant_info *vi = state_variant(st, p);
        const gs_seq *s = state_seq(st, p);
        for (k = 0; vi && k < vi->n_states; k++)
            for (t = 1; t <= st->cursor; t++) {
                const gs_real *v;
                if (q == GS_Q_D_STATE && !state_grad_shown(st, p, t)) continue;
                v = gs_seq_values(s, q, k, t, 0, &len);
                for (j = 0; v && j < len && n < cap; j++) {
                    double a = fabs((double)v[j]);
                    if (!isfinite(a)) continue;
                    buf[n++] = a;
                    if (a > mx) mx = a;
                }
            }
    }
    if (n > 0) {
        *p98 = select_kth(buf, (long)n, (long)((double)(n - 1) * 0.98));
    }
    *maxv = mx;
    free(buf);
}

void scales_compute(app_state *st) {
    int p, n = st->have_scene ? st->sc.n : 0;
    for (p = 0; p < n; p++) {
        int p0 = st->scale_shared ? 0 : p, p1 = st->scale_shared ? n : p + 1;
        double q98, mx, g98, gmx;
        cm_scale *S = &st->scale_state[p], *G = &st->scale_grad[p];
        if (st->scale_shared && p > 0) {
            *S = st->scale_state[0];
            *G = st->scale_grad[0];
            continue;
        }
        magnitudes(st, GS_Q_STATE, p0, p1, &q98, &mx);
        magnitudes(st, GS_Q_D_STATE, p0, p1, &g98, &gmx);
        S->kind = G->kind = CM_DIV;
        S->log = G->log = st->log_mag;
        S->decades = 4;
        G->decades = 8;
        S->lo = G->lo = 0;
        if (st->log_mag) {
            S->hi = mx > 0 ? mx : 1;
            G->hi = gmx > 0 ? gmx : 1;
        } else {
            /* states: the tanh range unless the values leave it; then the 98th
               percentile, so a runaway tail is marked rather than washing out the rest */
            S->hi = mx <= 1 ? 1 : (q98 > 1 ? q98 : 1);
            G->hi = g98 > 0 ? g98 : (gmx > 0 ? gmx : 1);
        }
    }
}
