/* alloc.c — allocation through the per-object hook, error messages, and the
 * status names.  The only place the engine touches malloc/free. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *gs__alloc(const gs_allocator *a, size_t n) {
    void *p;
    if (n == 0) n = 1;
    if (a && a->realloc) {
        p = a->realloc(a->ud, NULL, n);
        if (p) memset(p, 0, n);
        return p;
    }
    return calloc(1, n);
}

void gs__free(const gs_allocator *a, void *p) {
    if (!p) return;
    if (a && a->realloc)
        a->realloc(a->ud, p, 0);
    else
        free(p);
}

void gs__error(gs_error *err, const char *fmt, ...) {
    va_list ap;
    if (!err) return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = err->col = 0;
}

const char *gs_status_name(gs_status s) {
    switch (s) {
    case GS_OK: return "ok";
    case GS_ERR_NOMEM: return "out of memory";
    case GS_ERR_ARG: return "bad argument";
    case GS_ERR_PARSE: return "parse error";
    case GS_ERR_IO: return "input/output error";
    case GS_ERR_STATE: return "wrong state";
    }
    return "unknown status";
}

/* Levenshtein distance, capped: words here are short names. */
static int edit_distance(const char *a, const char *b) {
    int la = (int)strlen(a), lb = (int)strlen(b), i, j;
    int row[65], prev, tmp;
    if (la > 64 || lb > 64) return 99;
    for (j = 0; j <= lb; j++) row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = prev + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            tmp = row[j];
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}

int gs__nearest(const char *word, const char *const *candidates, int count) {
    int best = -1, best_d = 99, i;
    int limit = (int)strlen(word) / 2 + 2;
    for (i = 0; i < count; i++) {
        int d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best_d <= limit ? best : -1;
}
