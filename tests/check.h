/* check.h — the test harness: CHECK / CHECK_NEAR print file:line on failure and
 * count; a test's main returns check_result() so ctest sees a non-zero exit. */
#ifndef GS_CHECK_H
#define GS_CHECK_H
#include <math.h>
#include <stdio.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                          \
    do {                                                                     \
        check_count++;                                                       \
        if (!(cond)) {                                                       \
            check_failures++;                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

#define CHECK_MSG(cond, ...)                                                 \
    do {                                                                     \
        check_count++;                                                       \
        if (!(cond)) {                                                       \
            check_failures++;                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

/* |a - b| <= tol, and NaN never passes. */
#define CHECK_NEAR(a, b, tol)                                                \
    do {                                                                     \
        double check_a_ = (double)(a), check_b_ = (double)(b);               \
        check_count++;                                                       \
        if (!(fabs(check_a_ - check_b_) <= (double)(tol))) {                 \
            check_failures++;                                                \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.9g, %s = %.9g, " \
                    "tol %.3g\n", __FILE__, __LINE__, #a, check_a_, #b,      \
                    check_b_, (double)(tol));                                \
        }                                                                    \
    } while (0)

static inline int check_result(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures != 0;
}
#endif
