/* io_internal.h — helpers shared by the file modules (io.c, outfile.c, weights.c):
 * untrusted text (paths, names found in a file) made safe for a one-line message.
 * Private to the engine, like internal.h. */
#ifndef GS_IO_INTERNAL_H
#define GS_IO_INTERNAL_H

#include <stddef.h>

/* Room for a path or name as messages show it (a quoted, shortened form). */
#define GS__SHOWN_MAX 160

/* Write s[0..len) into dst (cap >= 8 bytes, always NUL-terminated) so that it prints
 * as one line and cannot drive a terminal: printable ASCII and well-formed UTF-8 stay;
 * \n \t \r stay visible as escapes; other control bytes, DEL, invalid UTF-8 bytes,
 * backslash and the single quote are escaped (\x1b, \\, \'); C1 controls, bidi and
 * line-separator code points become \uXXXX.  Text that does not fit ends in "...".
 * Returns dst. */
char *gs__quote(char *dst, size_t cap, const char *s, size_t len);
/* path as messages show it: quoted as gs__quote does, and when longer than 100 bytes
 * only its last 96 (behind "..."), which keeps the file name itself.  Returns dst. */
char *gs__show_path(char *dst, size_t cap, const char *path);

#endif
