/* test_outfile.c — every file the engine writes is complete or not there: gs_outfile
 * (temporary file beside the target, commit = flush + fsync + rename, abort leaves
 * the target alone), and gs_model_save_json / gs_seq_save_csv through it under
 * faults: a full disk (a 64 KiB tmpfs when mounts are allowed, and always a
 * RLIMIT_FSIZE cap, the kernel failing the write itself), /dev/full and a device
 * node of our own (written in place, never unlinked), a FIFO, a rename that fails, a
 * child killed mid-write.  After each: the old file byte for byte, and no temporary
 * file left.  Everything happens in a fresh directory under the working directory. */
#define _GNU_SOURCE /* unshare, CLONE_NEWNS, mount, makedev */

#include "gatescope.h"

#include "check.h"
#include "countdown.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#endif

static char dir[64]; /* the test's own directory (main makes it) */

/* ---- Helpers ------------------------------------------------------------------- */

static const char *at(const char *name) {
    static char bufs[4][256];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) return NULL;
    do {
        if (cap - n < 4096) buf = realloc(buf, cap = cap * 2 + 8192);
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static void spit(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* 1 if path holds exactly text. */
static int holds(const char *path, const char *text) {
    size_t n;
    char *got = slurp(path, &n);
    int same = got && n == strlen(text) && memcmp(got, text, n) == 0;
    free(got);
    return same;
}

/* Entries of dir whose name ends in ".tmp" (what gs_outfile leaves if killed). */
static int temps_in(const char *d) {
    DIR *dp = opendir(d);
    struct dirent *de;
    int n = 0;
    if (!dp) return -1;
    while ((de = readdir(dp))) {
        size_t len = strlen(de->d_name);
        if (len > 4 && !strcmp(de->d_name + len - 4, ".tmp")) n++;
    }
    closedir(dp);
    return n;
}

static void remove_temps(const char *d) {
    DIR *dp = opendir(d);
    struct dirent *de;
    char p[512];
    if (!dp) return;
    while ((de = readdir(dp))) {
        size_t len = strlen(de->d_name);
        if (len > 4 && !strcmp(de->d_name + len - 4, ".tmp")) {
            snprintf(p, sizeof p, "%s/%s", d, de->d_name);
            unlink(p);
        }
    }
    closedir(dp);
}

static void remove_tree(const char *d) {
    DIR *dp = opendir(d);
    struct dirent *de;
    char p[512];
    struct stat st;
    if (!dp) return;
    while ((de = readdir(dp))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", d, de->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            remove_tree(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(dp);
}

static gs_model *make_model(gs_variant v, int m, int n, int k, uint64_t seed) {
    gs_model_config c = gs_model_config_default(v, m, n, k);
    gs_model *model = NULL;
    gs_error e;
    c.seed = seed;
    if (gs_model_create(&model, &c, &e) != GS_OK) {
        fprintf(stderr, "gs_model_create: %s\n", e.msg);
        exit(1);
    }
    return model;
}

static gs_seq *make_seq(gs_model *model, int T) {
    gs_task_config tc = gs_task_config_default(GS_TASK_ADDING);
    gs_task *task = NULL;
    gs_seq *s = NULL;
    gs_error e;
    tc.length = T;
    if (gs_task_create(&task, &tc, &e) != GS_OK || gs_seq_create(&s, model, T, 1, &e) != GS_OK ||
        gs_seq_fill(s, task, 3, &e) != GS_OK) {
        fprintf(stderr, "setup: %s\n", e.msg);
        exit(1);
    }
    gs_task_destroy(task);
    gs_seq_forward(s, T);
    return s;
}

static int same_params(const gs_model *a, const gs_model *b) {
    size_t na, nb;
    const gs_real *pa = gs_model_params_const(a, &na), *pb = gs_model_params_const(b, &nb);
    return na == nb && memcmp(pa, pb, sizeof(gs_real) * na) == 0;
}

/* Run fn in a child; its exit status is its number of failed checks (77: it could
 * not run, with the reason on stderr). */
static int in_child(void (*fn)(void)) {
    pid_t pid;
    int status, before = check_failures;
    fflush(NULL);
    if ((pid = fork()) < 0) return -1;
    if (pid == 0) {
        fn();
        fflush(NULL);
        _exit(check_failures > before ? 1 : 0);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

/* ---- The outfile itself ---------------------------------------------------------- */

static void test_commit_and_abort(void) {
    gs_outfile *o = NULL;
    gs_error e;
    struct stat st;
    mode_t mask = umask(022);
    char prefix[128];
    umask(mask);

    /* a new file: nothing under the target's name until commit */
    CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
    snprintf(prefix, sizeof prefix, "%s/.a.txt.", dir);
    CHECK_MSG(!strncmp(gs_outfile_path(o), prefix, strlen(prefix)), "%s", gs_outfile_path(o));
    CHECK(strlen(gs_outfile_path(o)) == strlen(prefix) + 10 && !gs_outfile_in_place(o));
    CHECK(!strcmp(gs_outfile_target(o), at("a.txt")));
    CHECK(gs_outfile_printf(o, "hello %d\n", 1) == GS_OK);
    CHECK(gs_outfile_write(o, "x\n", 2) == GS_OK);
    CHECK(gs_outfile_check(o, &e) == GS_OK);
    CHECK(access(at("a.txt"), F_OK) != 0 && temps_in(dir) == 1);
    CHECK_MSG(gs_outfile_commit(o, &e) == GS_OK, "%s", e.msg);
    CHECK(holds(at("a.txt"), "hello 1\nx\n") && temps_in(dir) == 0);
    CHECK(stat(at("a.txt"), &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask));

    /* replacing: the old content until commit, and the old permission bits after */
    CHECK(chmod(at("a.txt"), 0640) == 0);
    CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
    CHECK(gs_outfile_printf(o, "new\n") == GS_OK && gs_outfile_check(o, &e) == GS_OK);
    CHECK(holds(at("a.txt"), "hello 1\nx\n"));
    CHECK(gs_outfile_commit(o, &e) == GS_OK);
    CHECK(holds(at("a.txt"), "new\n") && temps_in(dir) == 0);
    CHECK(stat(at("a.txt"), &st) == 0 && (st.st_mode & 0777) == 0640);

    /* abort: target untouched, temporary file gone */
    CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
    CHECK(gs_outfile_printf(o, "never\n") == GS_OK);
    gs_outfile_abort(o);
    CHECK(holds(at("a.txt"), "new\n") && temps_in(dir) == 0);
    gs_outfile_abort(NULL);

    /* a writer's own error makes commit fail with its reason, the target untouched */
    CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
    gs_outfile_fail(o, ENOSPC);
    CHECK(gs_outfile_write(o, "y", 1) == GS_ERR_IO);
    CHECK(gs_outfile_check(o, &e) == GS_ERR_IO);
    CHECK(gs_outfile_commit(o, &e) == GS_ERR_IO);
    CHECK_MSG(strstr(e.msg, "cannot write '") && strstr(e.msg, "a.txt': No space left on device"),
              "%s", e.msg);
    CHECK(holds(at("a.txt"), "new\n") && temps_in(dir) == 0);

    /* a rename that fails (the temporary file vanished): an error, target untouched */
    CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
    CHECK(gs_outfile_printf(o, "lost\n") == GS_OK);
    CHECK(unlink(gs_outfile_path(o)) == 0);
    CHECK(gs_outfile_commit(o, &e) == GS_ERR_IO);
    CHECK_MSG(strstr(e.msg, "No such file or directory") != NULL, "%s", e.msg);
    CHECK(holds(at("a.txt"), "new\n") && temps_in(dir) == 0);

    /* two writers of one target: separate temporary files; the last commit wins */
    {
        gs_outfile *o2 = NULL;
        CHECK(gs_outfile_open(&o, at("a.txt"), NULL, &e) == GS_OK);
        CHECK(gs_outfile_open(&o2, at("a.txt"), NULL, &e) == GS_OK);
        CHECK(strcmp(gs_outfile_path(o), gs_outfile_path(o2)) != 0 && temps_in(dir) == 2);
        gs_outfile_printf(o, "first\n");
        gs_outfile_printf(o2, "second\n");
        CHECK(gs_outfile_commit(o, &e) == GS_OK && gs_outfile_commit(o2, &e) == GS_OK);
        CHECK(holds(at("a.txt"), "second\n") && temps_in(dir) == 0);
    }

    /* an outside writer fills the temporary path by name (as IMG_SavePNG would) */
    {
        FILE *f;
        CHECK(gs_outfile_open(&o, at("b.png"), NULL, &e) == GS_OK);
        f = fopen(gs_outfile_path(o), "wb");
        CHECK(f && fputs("PNG bytes", f) != EOF && fclose(f) == 0);
        CHECK(gs_outfile_commit(o, &e) == GS_OK && holds(at("b.png"), "PNG bytes"));
    }
    /* several weights files written first, committed only when all are written */
    {
        gs_model *m1 = make_model(GS_GRU, 2, 3, 1, 1), *m2 = make_model(GS_LSTM, 2, 3, 1, 2);
        gs_model *back = make_model(GS_GRU, 2, 3, 1, 3);
        gs_outfile *o2 = NULL;
        CHECK(gs_outfile_open(&o, at("gru.json"), NULL, &e) == GS_OK);
        CHECK(gs_outfile_open(&o2, at("lstm.json"), NULL, &e) == GS_OK);
        CHECK(gs_model_write_json(m1, o, &e) == GS_OK && gs_model_write_json(m2, o2, &e) == GS_OK);
        CHECK(access(at("gru.json"), F_OK) != 0 && access(at("lstm.json"), F_OK) != 0);
        CHECK(gs_outfile_commit(o, &e) == GS_OK && gs_outfile_commit(o2, &e) == GS_OK);
        CHECK(gs_model_load_json(back, at("gru.json"), &e) == GS_OK && same_params(back, m1));
        /* a weight JSON cannot hold: refused, nothing written, the outfile still usable */
        gs_model_params(m1, NULL)[0] = (gs_real)INFINITY;
        CHECK(gs_outfile_open(&o, at("gru.json"), NULL, &e) == GS_OK);
        CHECK(gs_model_write_json(m1, o, &e) == GS_ERR_STATE);
        CHECK_MSG(strstr(e.msg, "W_r[0,0] is inf") != NULL, "%s", e.msg);
        gs_outfile_abort(o);
        CHECK(gs_model_load_json(back, at("gru.json"), &e) == GS_OK && temps_in(dir) == 0);
        CHECK(gs_model_write_json(NULL, NULL, &e) == GS_ERR_ARG);
        gs_model_destroy(m1);
        gs_model_destroy(m2);
        gs_model_destroy(back);
    }
    CHECK(gs_outfile_open(NULL, at("a.txt"), NULL, &e) == GS_ERR_ARG);
    CHECK(gs_outfile_commit(NULL, &e) == GS_ERR_ARG);
}

static void test_targets(void) {
    gs_outfile *o = (gs_outfile *)&o;
    gs_error e;
    struct stat st;
    char expect[300];

    /* through a symbolic link: the file it names is replaced, the link stays */
    spit(at("real.txt"), "old\n");
    CHECK(symlink("real.txt", at("link.txt")) == 0);
    CHECK(gs_outfile_open(&o, at("link.txt"), NULL, &e) == GS_OK);
    CHECK(!gs_outfile_in_place(o) && strstr(gs_outfile_target(o), "/real.txt") != NULL);
    gs_outfile_printf(o, "new\n");
    CHECK(gs_outfile_commit(o, &e) == GS_OK);
    CHECK(holds(at("real.txt"), "new\n") && lstat(at("link.txt"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(temps_in(dir) == 0);
    /* a dangling link, a directory, a missing directory: refused at open */
    CHECK(symlink("nowhere.txt", at("dangling.txt")) == 0);
    CHECK(gs_outfile_open(&o, at("dangling.txt"), NULL, &e) == GS_ERR_IO && o == NULL);
    CHECK_MSG(strstr(e.msg, "symbolic link to a file that does not exist") != NULL, "%s", e.msg);
    CHECK(access(at("nowhere.txt"), F_OK) != 0);
    CHECK(mkdir(at("sub"), 0755) == 0);
    CHECK(gs_outfile_open(&o, at("sub"), NULL, &e) == GS_ERR_IO);
    snprintf(expect, sizeof expect, "cannot write '%s': Is a directory", at("sub"));
    CHECK_MSG(!strcmp(e.msg, expect), "%s", e.msg);
    CHECK(gs_outfile_open(&o, at("nodir/x.json"), NULL, &e) == GS_ERR_IO);
    snprintf(expect, sizeof expect, "cannot write '%s': No such file or directory",
             at("nodir/x.json"));
    CHECK_MSG(!strcmp(e.msg, expect), "%s", e.msg);
    /* untrusted text in a path is quoted: one line, no escape sequence */
    CHECK(gs_outfile_open(&o, "nodir/\x1b[31mred\nline", NULL, &e) == GS_ERR_IO);
    CHECK_MSG(!strcmp(e.msg, "cannot write 'nodir/\\x1b[31mred\\nline': No such file or "
                             "directory"), "%s", e.msg);
    CHECK(temps_in(dir) == 0);

    /* /dev/null: written in place, still there */
    CHECK(gs_outfile_open(&o, "/dev/null", NULL, &e) == GS_OK);
    CHECK(gs_outfile_in_place(o) && !strcmp(gs_outfile_path(o), "/dev/null"));
    gs_outfile_printf(o, "gone\n");
    CHECK(gs_outfile_commit(o, &e) == GS_OK);
    CHECK(gs_outfile_open(&o, "/dev/null", NULL, &e) == GS_OK);
    gs_outfile_abort(o); /* in place: abort never removes the target */
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
}

/* Every allocation of open failing in turn: NOMEM, nothing leaked, nothing left. */
static void test_alloc_failures(void) {
    countdown c;
    gs_allocator a = {countdown_realloc, &c};
    gs_outfile *o;
    gs_error e;
    long n;
    for (n = 0;; n++) {
        gs_status st;
        c.left = n;
        c.live = c.count = 0;
        st = gs_outfile_open(&o, at("alloc.txt"), &a, &e);
        if (st == GS_OK) {
            gs_outfile_printf(o, "ok\n");
            CHECK(gs_outfile_commit(o, &e) == GS_OK);
            break;
        }
        CHECK_MSG(st == GS_ERR_NOMEM && o == NULL, "allocation %ld: %s", n, e.msg);
        CHECK(c.live == 0 && temps_in(dir) == 0);
    }
    CHECK(n >= 2 && c.live == 0 && holds(at("alloc.txt"), "ok\n"));
}

/* ---- Full disks -------------------------------------------------------------------- */

/* In dir d, whose file system fails writes past a small size with errno want: a
 * failed save of a big model (and of a long trace) leaves the small old files byte
 * for byte, loadable, and no temporary file. */
static void full_disk_checks(const char *d, const char *want) {
    char wpath[256], tpath[256], *old_w, *old_t;
    gs_model *small = make_model(GS_RNN, 2, 2, 1, 1), *big = make_model(GS_LSTM, 2, 64, 1, 2);
    gs_model *back = make_model(GS_RNN, 2, 2, 1, 3);
    gs_seq *s = make_seq(big, 40), *s1 = make_seq(small, 2);
    const gs_seq *seqs[1];
    gs_outfile *o;
    gs_error e;
    size_t n;
    snprintf(wpath, sizeof wpath, "%s/w.json", d);
    snprintf(tpath, sizeof tpath, "%s/t.csv", d);
    CHECK(gs_model_save_json(small, wpath, &e) == GS_OK);
    seqs[0] = s1;
    CHECK(gs_seq_save_csv(seqs, 1, tpath, &e) == GS_OK);
    old_w = slurp(wpath, &n);
    old_t = slurp(tpath, &n);

    memset(&e, 0, sizeof e);
    CHECK(gs_model_save_json(big, wpath, &e) == GS_ERR_IO);
    CHECK_MSG(strstr(e.msg, "cannot write '") && strstr(e.msg, want), "%s", e.msg);
    CHECK_MSG(holds(wpath, old_w), "the old weights file was changed");
    CHECK(gs_model_load_json(back, wpath, &e) == GS_OK && same_params(back, small));
    seqs[0] = s;
    CHECK(gs_seq_save_csv(seqs, 1, tpath, &e) == GS_ERR_IO);
    CHECK_MSG(strstr(e.msg, want) != NULL, "%s", e.msg);
    CHECK_MSG(holds(tpath, old_t), "the old trace was changed");
    CHECK_MSG(temps_in(d) == 0, "%d temporary files left", temps_in(d));
    /* a long run sees the failure as it happens, not at the end */
    CHECK(gs_outfile_open(&o, tpath, NULL, &e) == GS_OK);
    for (int i = 0; i < 20000 && gs_outfile_printf(o, "%d,some log line\n", i) == GS_OK; i++) {}
    CHECK(gs_outfile_check(o, &e) == GS_ERR_IO && strstr(e.msg, want));
    gs_outfile_abort(o);
    CHECK(holds(tpath, old_t) && temps_in(d) == 0);
    free(old_w);
    free(old_t);
    gs_seq_destroy(s);
    gs_seq_destroy(s1);
    gs_model_destroy(small);
    gs_model_destroy(big);
    gs_model_destroy(back);
}

/* The kernel fails writes past 16 KiB (RLIMIT_FSIZE, with SIGXFSZ ignored): a full
 * disk anyone can have, in a child so the limit stays there. */
static void fsize_child(void) {
    struct rlimit rl = {16384, 16384};
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
        perror("setrlimit");
        _exit(2);
    }
    full_disk_checks(at("fsize"), "File too large");
}

#ifdef __linux__
/* A real full disk: a 64 KiB tmpfs, mounted in a mount namespace of the child's own
 * (it vanishes with the child, whatever happens). */
static void tmpfs_child(void) {
    if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", at("tmpfs"), "tmpfs", 0, "size=64k") != 0) {
        fprintf(stderr, "test_outfile: tmpfs variant not run (%s); the RLIMIT_FSIZE variant "
                "covers full disks\n", strerror(errno));
        _exit(77);
    }
    full_disk_checks(at("tmpfs"), "No space left on device");
}
#endif

static void test_full_disk(void) {
    int rc;
    CHECK(mkdir(at("fsize"), 0755) == 0);
    rc = in_child(fsize_child);
    CHECK_MSG(rc == 0, "RLIMIT_FSIZE variant: %d", rc);
#ifdef __linux__
    CHECK(mkdir(at("tmpfs"), 0755) == 0);
    rc = in_child(tmpfs_child);
    CHECK_MSG(rc == 0 || rc == 77, "tmpfs variant: %d", rc);
    if (rc == 0) printf("test_outfile: tmpfs variant ran\n");
#endif
}

/* Writing to a device that is always full: the error, and the node still there. */
static void device_checks(const char *dev) {
    gs_model *m = make_model(GS_GRU, 2, 8, 1, 4);
    gs_seq *s = make_seq(m, 30);
    const gs_seq *seqs[1] = {s};
    struct stat before, after;
    char expect[300];
    gs_error e;
    CHECK(stat(dev, &before) == 0 && S_ISCHR(before.st_mode));
    CHECK(gs_model_save_json(m, dev, &e) == GS_ERR_IO);
    snprintf(expect, sizeof expect, "cannot write '%s': No space left on device", dev);
    CHECK_MSG(!strcmp(e.msg, expect), "%s", e.msg);
    CHECK(gs_seq_save_csv(seqs, 1, dev, &e) == GS_ERR_IO && !strcmp(e.msg, expect));
    CHECK_MSG(stat(dev, &after) == 0 && S_ISCHR(after.st_mode) && after.st_ino == before.st_ino &&
              after.st_rdev == before.st_rdev, "%s was removed or replaced", dev);
    gs_seq_destroy(s);
    gs_model_destroy(m);
}

static void test_devices(void) {
    struct stat st;
#ifdef __linux__
    /* a /dev/full of our own, so that a bug could only remove this one */
    if (mknod(at("full"), S_IFCHR | 0666, makedev(1, 7)) == 0) {
        device_checks(at("full"));
        CHECK(temps_in(dir) == 0);
    } else {
        printf("test_outfile: no device node of our own (%s)\n", strerror(errno));
    }
#endif
    /* the real one, only where it is what it should be (and checked afterwards) */
    if (stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode))
        device_checks("/dev/full");
    else
        printf("test_outfile: no /dev/full here\n");
}

/* A FIFO target: written in place and left a FIFO; a reader that leaves early gives
 * an error (EPIPE), not a crash. */
static void test_fifo(void) {
    gs_model *m = make_model(GS_PEEPHOLE, 2, 5, 1, 6);
    char *want, *got;
    gs_error e;
    size_t n;
    struct stat st;
    int fds[2], status, early;
    CHECK(gs_model_save_json(m, at("plain.json"), &e) == GS_OK);
    want = slurp(at("plain.json"), &n);
    CHECK(mkfifo(at("fifo"), 0644) == 0);
    signal(SIGPIPE, SIG_IGN);
    alarm(20); /* a bug here would block on the FIFO: fail instead of hanging */
    for (early = 0; early < 2; early++) {
        pid_t pid;
        CHECK(pipe(fds) == 0);
        fflush(NULL);
        if ((pid = fork()) == 0) { /* the reader: all of it (or 10 bytes) back up a pipe */
            char buf[4096];
            ssize_t k;
            int fd = open(at("fifo"), O_RDONLY);
            close(fds[0]);
            while ((k = read(fd, buf, early ? 10 : sizeof buf)) > 0) {
                if (write(fds[1], buf, (size_t)k) != k) _exit(1);
                if (early) break;
            }
            _exit(0);
        }
        close(fds[1]);
        if (!early) {
            CHECK_MSG(gs_model_save_json(m, at("fifo"), &e) == GS_OK, "%s", e.msg);
        } else {
            /* more than a pipe holds, so that the writer meets the closed end */
            gs_model *big = make_model(GS_LSTM, 2, 64, 1, 7);
            CHECK(gs_model_save_json(big, at("fifo"), &e) == GS_ERR_IO);
            CHECK_MSG(strstr(e.msg, "Broken pipe") != NULL, "%s", e.msg);
            gs_model_destroy(big);
        }
        {
            FILE *f = fdopen(fds[0], "rb");
            char *buf = malloc(n + 4096);
            size_t k = fread(buf, 1, n + 4096, f);
            got = buf;
            fclose(f);
            if (!early) CHECK(k == n && memcmp(got, want, n) == 0);
            free(got);
        }
        CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CHECK(stat(at("fifo"), &st) == 0 && S_ISFIFO(st.st_mode));
    }
    alarm(0);
    CHECK(temps_in(dir) == 0);
    free(want);
    gs_model_destroy(m);
}

/* ---- Killed mid-write ------------------------------------------------------------- */

static void test_killed(void) {
    gs_model *small = make_model(GS_RNN, 1, 2, 1, 8), *back = make_model(GS_RNN, 1, 2, 1, 9);
    gs_model *big = make_model(GS_LSTM, 2, 400, 1, 10);
    gs_error e;
    char *old;
    size_t n;
    int fds[2], status;
    pid_t pid;
    char c;

    /* 1: stopped at a known point — half the new file written and flushed */
    CHECK(gs_model_save_json(small, at("k.json"), &e) == GS_OK);
    old = slurp(at("k.json"), &n);
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        gs_outfile *o;
        close(fds[0]);
        if (gs_outfile_open(&o, at("k.json"), NULL, &e) != GS_OK) _exit(1);
        gs_outfile_write(o, old, n / 2);
        gs_outfile_check(o, &e);
        if (write(fds[1], "w", 1) != 1) _exit(1);
        for (;;) pause();
    }
    close(fds[1]);
    CHECK(read(fds[0], &c, 1) == 1);
    close(fds[0]);
    CHECK(temps_in(dir) == 1 && holds(at("k.json"), old));
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
    CHECK(holds(at("k.json"), old));
    CHECK(temps_in(dir) == 1); /* a killed writer cannot clean up: its hidden file stays */
    remove_temps(dir);

    /* 2: gs_model_save_json of an 8 MB file, killed once its temporary file grows */
    fflush(NULL);
    if ((pid = fork()) == 0) {
        gs_model_save_json(big, at("k.json"), &e);
        _exit(0);
    }
    for (int i = 0; i < 5000; i++) {
        DIR *dp = opendir(dir);
        struct dirent *de;
        struct stat st;
        int growing = 0;
        char p[512];
        while (dp && (de = readdir(dp))) {
            size_t len = strlen(de->d_name);
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            if (len > 4 && !strcmp(de->d_name + len - 4, ".tmp") && stat(p, &st) == 0 &&
                st.st_size > 65536)
                growing = 1;
        }
        if (dp) closedir(dp);
        if (growing) break;
        usleep(1000);
    }
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFSIGNALED(status), "the save finished before the kill: nothing was tested");
    CHECK(holds(at("k.json"), old));
    CHECK(gs_model_load_json(back, at("k.json"), &e) == GS_OK && same_params(back, small));
    remove_temps(dir);
    free(old);
    gs_model_destroy(small);
    gs_model_destroy(back);
    gs_model_destroy(big);
}

int main(void) {
    snprintf(dir, sizeof dir, "test_outfile.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_commit_and_abort();
    test_targets();
    test_alloc_failures();
    test_full_disk();
    test_devices();
    test_fifo();
    test_killed();
    remove_tree(dir);
    rmdir(dir);
    return check_result("test_outfile");
}
