/* paths.c — find the data directory (the one holding assets/ and lessons/). */
#define _XOPEN_SOURCE 700 /* readlink, realpath */
#include "platform/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#define MAX_CANDIDATES 10

typedef struct candidates {
    int n;
    char dir[MAX_CANDIDATES][PATH_MAX];
} candidates;

static void add(candidates *c, const char *dir) {
    if (c->n < MAX_CANDIDATES && dir && *dir &&
        snprintf(c->dir[c->n], PATH_MAX, "%s", dir) < PATH_MAX)
        c->n++;
}

/* The executable's absolute path into buf; 0 on success. */
static int exe_path(const char *argv0, char *buf, size_t len) {
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n > 0 && (size_t)n < len - 1) {
        buf[n] = '\0';
        return 0;
    }
    /* no /proc: argv0, when it is a path (a bare name was found on PATH: unknown) */
    if (argv0 && strchr(argv0, '/')) {
        char *real = realpath(argv0, NULL);
        if (real && strlen(real) < len) {
            strcpy(buf, real);
            free(real);
            return 0;
        }
        free(real);
    }
    return 1;
}

/* Cut the last component of path in place; 0 if there was none left. */
static int parent(char *path) {
    char *slash = strrchr(path, '/');
    if (!slash) return 0;
    if (slash == path) {
        if (!path[1]) return 0; /* already "/" */
        path[1] = '\0';
        return 1;
    }
    *slash = '\0';
    return 1;
}

static void list(const char *argv0, candidates *c) {
    char dir[PATH_MAX], share[PATH_MAX];
    c->n = 0;
    if (exe_path(argv0, dir, sizeof dir) == 0 && parent(dir)) {
        for (int up = 0; up <= 2; up++) {
            add(c, dir);
            if (snprintf(share, sizeof share, "%s%sshare/gatescope", dir,
                         dir[strlen(dir) - 1] == '/' ? "" : "/") < (int)sizeof share)
                add(c, share);
            if (!parent(dir)) break;
        }
    }
#ifdef GS_INSTALL_DATADIR
    add(c, GS_INSTALL_DATADIR);
#endif
#ifdef GS_SOURCE_DIR
    add(c, GS_SOURCE_DIR);
#endif
}

static int has_assets(const char *dir) {
    char probe[PATH_MAX + 64];
    struct stat st;
    snprintf(probe, sizeof probe, "%s/assets/fonts/DejaVuSans.ttf", dir);
    return stat(probe, &st) == 0 && S_ISREG(st.st_mode);
}

const char *paths_data_dir(const char *argv0) {
    static char found[PATH_MAX];
    candidates c;
    list(argv0, &c);
    for (int i = 0; i < c.n; i++)
        if (has_assets(c.dir[i])) {
            snprintf(found, sizeof found, "%s", c.dir[i]);
            return found;
        }
    return NULL;
}

void paths_describe(const char *argv0, char *buf, size_t len) {
    candidates c;
    size_t used = 0;
    if (!len) return;
    buf[0] = '\0';
    list(argv0, &c);
    for (int i = 0; i < c.n && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c.dir[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
    if (c.n == 0) snprintf(buf, len, "nowhere: the executable's location is unknown");
}
