/* train_ui.c — clearing and stopping what the window holds of a training run. */
#include "session/train_ui.h"

#include <stdlib.h>
#include <string.h>

void train_ui_clear(train_ui *u) {
    for (int i = 0; i < OPT_MAX_VARIANTS; i++) {
        free(u->hist[i]);
        free(u->init[i]);
    }
    memset(u, 0, sizeof *u);
    u->shown = -1;
}

int train_ui_stop(train_ui *u) {
    if (!u->w) return 0;
    train_worker_stop(u->w);
    train_ui_clear(u);
    return 1;
}
