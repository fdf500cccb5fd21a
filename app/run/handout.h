/* handout.h — a lesson's handout for a class: dir/step-01.png and dir/step-01.md ...
 * for students and dir/teacher.md for the presenter, written only when the lesson's
 * expectations and visibility statements hold at the frame's size and mode. */
#ifndef GS_APP_HANDOUT_H
#define GS_APP_HANDOUT_H

#include "run/headless.h"

/* Every step of h's open lesson as dir/step-01.png and dir/step-01.md ... (student
 * text: the prose and the picture) and dir/teacher.md (notes, every check and its
 * margin); dir and its parents are created if missing.  First every expectation and
 * visibility statement is checked at this frame's size and mode (failures and thin
 * margins printed on stderr): when one fails nothing is written, unless
 * allow_failing.  0 on success; a one-line message in err otherwise. */
int handout_export(headless *h, const char *dir, int allow_failing, char *err, size_t err_len);

#endif
