/* outfile.c — every file the program writes: bytes go to a new temporary file beside
 * the target (".<name>.<6 random chars>.tmp", created O_EXCL), every write is checked,
 * and commit is fflush + fsync + fclose + rename over the target, so the target holds
 * either its old content or the whole new one — never a mix, never nothing.  A target
 * that is not a regular file (a device such as /dev/null or /dev/full, a FIFO, a
 * terminal) is written in place and never removed.  Not here: what is written. */
#define _XOPEN_SOURCE 700 /* open flags, fchmod, fsync, lstat, realpath, fileno, fdopen */

#include "internal.h"
#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* Temporary names keep at most this much of the target's name (NAME_MAX is 255). */
#define BASE_KEEP 200
#define NAME_TRIES 64

struct gs_outfile {
    gs_allocator alloc;           /* what this handle and its paths came from */
    FILE *f;                      /* the stream the caller writes */
    int in_place;                 /* 1: the target itself is open (not a regular file) */
    int errnum;                   /* first write error seen (0 = none) */
    char *target;                 /* the file to replace (symbolic links resolved) */
    char *temp;                   /* where the bytes go: temp file, or target in place */
    char shown[GS__SHOWN_MAX];    /* the path the caller gave, quoted for messages */
};

/* ---- Small helpers ------------------------------------------------------------- */

static char *dup_str(const gs_allocator *a, const char *s, size_t n) {
    char *d = gs__alloc(a, n + 1);
    if (d) memcpy(d, s, n), d[n] = '\0';
    return d;
}

static gs_status io_error(gs_error *err, const char *shown, int errnum) {
    gs__error(err, "cannot write '%s': %s", shown, strerror(errnum ? errnum : EIO));
    return GS_ERR_IO;
}

/* A new file "<dir>/.<base>.XXXXXX.tmp" opened O_EXCL; its path into *out.  The
 * name's letters come from a generator seeded by the time, the process and the
 * handle's address; a name already taken is tried again (mkstemp's method, but the
 * file gets mode 0666 less the umask, as fopen would give it). */
static int make_temp(gs_outfile *o, char **out) {
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const char *slash = strrchr(o->target, '/');
    size_t dlen = slash ? (size_t)(slash - o->target) + 1 : 0;
    const char *base = o->target + dlen;
    size_t blen = strlen(base), cap;
    struct timespec ts;
    gs_rng rng;
    char *name;
    int fd = -1, tries;
    if (blen > BASE_KEEP) blen = BASE_KEEP;
    cap = dlen + 1 + blen + 12 + 1; /* dir/ . base .XXXXXX.tmp NUL */
    if (!(name = gs__alloc(&o->alloc, cap))) {
        errno = ENOMEM;
        return -1;
    }
    timespec_get(&ts, TIME_UTC);
    gs_rng_seed(&rng, (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                          ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)o);
    for (tries = 0; tries < NAME_TRIES; tries++) {
        char suffix[7];
        for (int i = 0; i < 6; i++) suffix[i] = letters[gs_rng_below(&rng, 36)];
        suffix[6] = '\0';
        snprintf(name, cap, "%.*s.%.*s.%s.tmp", (int)dlen, o->target, (int)blen, base, suffix);
        fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) break;
    }
    if (fd < 0) {
        int e = errno;
        gs__free(&o->alloc, name);
        errno = e;
        return -1;
    }
    *out = name;
    return fd;
}

/* ---- Open ------------------------------------------------------------------------ */

gs_status gs_outfile_open(gs_outfile **out, const char *path, const gs_allocator *alloc,
                          gs_error *err) {
    gs_allocator a = {NULL, NULL};
    gs_outfile *o = NULL;
    struct stat st;
    char resolved[PATH_MAX];
    const char *target = path;
    int fd = -1, exists = 0, e;
    gs_status status = GS_ERR_IO;
    if (out) *out = NULL;
    if (!out || !path || !path[0]) {
        gs__error(err, "gs_outfile_open needs an output pointer and a path");
        return GS_ERR_ARG;
    }
    if (alloc) a = *alloc;
    if (!(o = gs__alloc(&a, sizeof *o))) goto nomem;
    o->alloc = a;
    gs__show_path(o->shown, sizeof o->shown, path);

    /* what is there now decides how it is written */
    if (lstat(path, &st) == 0) {
        exists = 1;
        if (S_ISLNK(st.st_mode)) {
            /* follow it: a regular file is replaced where it lives (the link stays a
             * link); anything else (/dev/stdout to a pipe) is written through it */
            if (stat(path, &st) != 0 || (S_ISREG(st.st_mode) && !realpath(path, resolved))) {
                e = errno;
                gs__error(err, "cannot write '%s': it is a symbolic link to %s", o->shown,
                          e == ENOENT ? "a file that does not exist" : strerror(e));
                goto fail;
            }
            if (S_ISREG(st.st_mode)) target = resolved;
        }
        if (S_ISDIR(st.st_mode)) {
            io_error(err, o->shown, EISDIR);
            goto fail;
        }
        o->in_place = !S_ISREG(st.st_mode);
    } else if (errno != ENOENT) {
        io_error(err, o->shown, errno);
        goto fail;
    }
    if (!(o->target = dup_str(&a, target, strlen(target)))) goto nomem;

    if (o->in_place) {
        /* a device, FIFO or terminal: written where it is (opening a FIFO waits for a
         * reader, as any writer would) */
        if ((fd = open(o->target, O_WRONLY | O_CLOEXEC)) < 0) {
            io_error(err, o->shown, errno);
            goto fail;
        }
        if (!(o->temp = dup_str(&a, o->target, strlen(o->target)))) goto nomem;
    } else {
        if ((fd = make_temp(o, &o->temp)) < 0) {
            if (errno == ENOMEM) goto nomem;
            io_error(err, o->shown, errno);
            goto fail;
        }
        /* a replaced file keeps its permission bits (best effort: some file systems
         * have none to keep) */
        if (exists) (void)fchmod(fd, st.st_mode & 07777);
    }
    if (!(o->f = fdopen(fd, "w"))) {
        if (errno == ENOMEM) goto nomem;
        io_error(err, o->shown, errno);
        goto fail;
    }
    *out = o;
    return GS_OK;
nomem:
    gs__error(err, "out of memory opening '%s' for writing", o ? o->shown : "a file");
    status = GS_ERR_NOMEM;
fail:
    if (o && o->f) fclose(o->f);
    else if (fd >= 0) close(fd);
    if (o && o->temp && !o->in_place) unlink(o->temp);
    if (o) {
        gs__free(&a, o->temp);
        gs__free(&a, o->target);
        gs__free(&a, o);
    }
    return status;
}

/* ---- Writing --------------------------------------------------------------------- */

FILE *gs_outfile_stream(gs_outfile *o) { return o ? o->f : NULL; }
const char *gs_outfile_path(const gs_outfile *o) { return o ? o->temp : NULL; }
const char *gs_outfile_target(const gs_outfile *o) { return o ? o->target : NULL; }
int gs_outfile_in_place(const gs_outfile *o) { return o ? o->in_place : 0; }

void gs_outfile_fail(gs_outfile *o, int errnum) {
    if (o && !o->errnum) o->errnum = errnum ? errnum : EIO;
}

gs_status gs_outfile_write(gs_outfile *o, const void *data, size_t n) {
    if (!o) return GS_ERR_ARG;
    if (o->errnum) return GS_ERR_IO;
    if (n && fwrite(data, 1, n, o->f) != n) {
        gs_outfile_fail(o, errno);
        return GS_ERR_IO;
    }
    return GS_OK;
}

gs_status gs_outfile_printf(gs_outfile *o, const char *fmt, ...) {
    va_list ap;
    int r;
    if (!o || !fmt) return GS_ERR_ARG;
    if (o->errnum) return GS_ERR_IO;
    va_start(ap, fmt);
    r = vfprintf(o->f, fmt, ap);
    va_end(ap);
    if (r < 0) {
        gs_outfile_fail(o, errno);
        return GS_ERR_IO;
    }
    return GS_OK;
}

/* The first error of the stream so far, flushing what is buffered. */
static int stream_error(gs_outfile *o) {
    int had = ferror(o->f);
    errno = 0;
    if (fflush(o->f) != 0) gs_outfile_fail(o, errno);
    /* stdio drops a buffer it failed to write: the error it saw may be gone */
    if (had) gs_outfile_fail(o, EIO);
    return o->errnum;
}

gs_status gs_outfile_check(gs_outfile *o, gs_error *err) {
    if (!o) {
        gs__error(err, "gs_outfile_check needs an open file");
        return GS_ERR_ARG;
    }
    if (stream_error(o)) return io_error(err, o->shown, o->errnum);
    return GS_OK;
}

/* ---- Commit and abort ------------------------------------------------------------ */

/* Make the rename itself durable: fsync the directory (best effort: not every file
 * system can, and the target is already complete either way). */
static void sync_dir(const char *target) {
    const char *slash = strrchr(target, '/');
    char dir[PATH_MAX];
    int fd;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == target)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - target), target);
    if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0) return;
    (void)fsync(fd);
    close(fd);
}

static void release(gs_outfile *o) {
    gs_allocator a = o->alloc;
    gs__free(&a, o->temp);
    gs__free(&a, o->target);
    gs__free(&a, o);
}

gs_status gs_outfile_commit(gs_outfile *o, gs_error *err) {
    gs_status st = GS_OK;
    if (!o) {
        gs__error(err, "gs_outfile_commit needs an open file");
        return GS_ERR_ARG;
    }
    stream_error(o);
    /* devices and pipes cannot be synced (EINVAL): the bytes have been handed over */
    if (!o->errnum && !o->in_place && fsync(fileno(o->f)) != 0) gs_outfile_fail(o, errno);
    if (fclose(o->f) != 0) gs_outfile_fail(o, errno);
    o->f = NULL;
    if (!o->errnum && !o->in_place) {
        if (rename(o->temp, o->target) != 0)
            gs_outfile_fail(o, errno);
        else
            sync_dir(o->target);
    }
    if (o->errnum) {
        if (!o->in_place) unlink(o->temp);
        st = io_error(err, o->shown, o->errnum);
    }
    release(o);
    return st;
}

void gs_outfile_abort(gs_outfile *o) {
    if (!o) return;
    if (o->f) fclose(o->f);
    if (!o->in_place) unlink(o->temp); /* never the target */
    release(o);
}
