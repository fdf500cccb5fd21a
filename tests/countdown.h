/* countdown.h — an allocator hook for failure sweeps (SQLite's countdown): it lets
 * `left` allocations through, fails the next, and counts live blocks so a test can
 * see a leak.  Shared by the tests that sweep allocation failures and by fuzz/fuzz_lesson.c. */
#ifndef GS_COUNTDOWN_H
#define GS_COUNTDOWN_H
#include <stdlib.h>

typedef struct countdown {
    long left; /* allocations still allowed; < 0 means unlimited */
    long live; /* blocks currently allocated */
    long count; /* allocations made */
} countdown;

static inline void *countdown_realloc(void *ud, void *p, size_t n) {
    countdown *c = ud;
    if (n == 0) {
        if (p) c->live--;
        free(p);
        return NULL;
    }
    if (c->left == 0) return NULL;
    if (c->left > 0) c->left--;
    if (!p) c->live++, c->count++;
    return realloc(p, n);
}
#endif
