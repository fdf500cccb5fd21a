/* lesson_check.h — `gatescope --check FILE...`: parse each lesson, build every
 * step's scene headless, evaluate its @expect lines with their margins and its
 * @visible statements, so that a lesson can never silently stop showing what its text
 * claims.  Seeing needs the real layout and fonts (run/lesson_sight.c, a layer above),
 * so that part comes in as a function. */
#ifndef GS_APP_LESSON_CHECK_H
#define GS_APP_LESSON_CHECK_H

#include "gatescope_lesson.h"
#include "session/scene.h"

#include <stdio.h>

/* ---- Findings: what a check found, one line each ---------------------------------- */

typedef enum finding_kind {
    FIND_OK,   /* holds (with its margin, or where it was seen) */
    FIND_WARN, /* holds, but thinly: `file:line: warning: ...` */
    FIND_FAIL  /* does not hold */
} finding_kind;

typedef struct finding {
    finding_kind kind;
    int line;       /* the lesson line it is about */
    char msg[600];  /* the whole line: "file:line: ..." */
} finding;

#define FINDINGS_MAX 512

typedef struct findings {
    int n;                   /* kept (the first FINDINGS_MAX) */
    int n_ok, n_warn, n_fail; /* all of them, counted */
    int refused;             /* a step's scene was refused as too large: not built again */
    finding f[FINDINGS_MAX];
} findings;

/* Add one finding (printf-style message, the whole line). */
void findings_add(findings *fs, finding_kind kind, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Print them: failures and warnings on err, the rest on out (NULL: not printed). */
void findings_print(const findings *fs, FILE *out, FILE *err);

/* ---- The checks --------------------------------------------------------------------- */

/* The last trained scene (@train), kept for the next steps that differ from it only
 * in their clamps.  Start it zeroed (memset), free it with lesson_trained_free. */
typedef struct lesson_trained {
    scene sc;
    gs_lesson_setup ls; /* what it was built and trained from */
    int have;
} lesson_trained;
void lesson_trained_free(lesson_trained *c);

/* Step k's expectations, evaluated as --check does (the whole sequence, then backward
 * from its loss), one finding per @expect with its margin: OK, WARN when thin
 * (GS_LESSON_THIN_*), FAIL.  A step that trains is trained as the window trains it
 * (or takes cache's training when only its clamps differ), and its mean_loss is
 * measured on held-out sequences.  A scene that cannot be built is one FAIL.  Call it
 * for the steps in order with one cache.  Returns how many failed. */
int lesson_check_expects(const gs_lesson *l, int k, const char *assets_dir, lesson_trained *cache,
                         findings *out);

/* What the check of what is visible is given: the lesson, and findings to add to;
 * returns how many statements it checked, or -1 when it could not check at all
 * (after adding a FAIL saying why). */
typedef int (*lesson_sight_fn)(void *ud, const gs_lesson *l, findings *out);

/* Check every lesson: parse errors, then each step's expectations and (with sight)
 * what must be visible.  Prints every finding (`file:line: ...`; failures and
 * warnings on stderr) and a summary on stdout; returns 0 if every lesson parsed and
 * every statement held, 1 otherwise.  sight may be NULL: visibility is not checked,
 * and the summary says so. */
int lesson_check_files(char **paths, int n, const char *assets_dir, lesson_sight_fn sight,
                       void *sight_ud);

#endif
