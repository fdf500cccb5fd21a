/* share.h — what a teacher takes away from the window and brings to it: the view
 * written as a one-step lesson (it passes --check and reopens to the same picture),
 * the same view as a gatescope command line, the scene's weights kept on disk, and a
 * file dropped on the window opened (a lesson, a weights file or folder).  Also the
 * view flags of the command line (--backward, --select, --colours) applied after the
 * first scene.  Outputs that need the window's pixels, the user's folders or the
 * clipboard are only requested here (st->share, session/share_req.h) and done by
 * run/outputs.c. */
#ifndef GS_APP_SHARE_H
#define GS_APP_SHARE_H

#include "session/state.h"

/* o's --backward, --select and --colours, on the scene state_init built. */
void share_apply_options(app_state *st, const options *o);
/* CMD_WEIGHTS (seeded / loaded), CMD_KEEP_WEIGHTS, CMD_SCREENSHOT, CMD_RECORD,
 * CMD_SAVE_LESSON, CMD_COPY_COMMAND. */
void share_command(app_state *st, cmd_id cmd, int arg);
/* A file dropped on the window: a .lesson opens; a weights .json or a folder of
 * <variant>.json files loads (showing its variant, or the folder's, and its hidden
 * size when the setup has other ones).  Anything else gets a message. */
void share_drop(app_state *st, const char *path);

/* The gatescope command line that shows this view (setup, cursor, backward
 * playhead, selection, colours, loaded weights), shell-quoted, into buf.  Returns 0,
 * or 1 when it did not fit. */
int share_command_line(const app_state *st, char *buf, size_t len);
/* Write the view as a one-step lesson to path, through a gs_outfile.  Weights trained
 * in the window are kept first, in a folder beside it ("x-weights/" for "x.lesson"),
 * and the setup names them from then on.  0 on success; one line in err otherwise. */
int share_save_lesson(app_state *st, const char *path, char *err, size_t err_len);
/* Save the scene's weights as dir/<variant>.json (dir is created if missing); the
 * setup then names dir (the Weights row shows it).  0 on success. */
int share_keep_weights(app_state *st, const char *dir, char *err, size_t err_len);

#endif
