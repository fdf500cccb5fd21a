/* paths.c — find the data directory (the one holding assets/ and lessons/), and the
 * user's folders for pictures, videos and documents (XDG user dirs). */
#define _XOPEN_SOURCE 700 /* readlink, realpath */
#include "platform/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
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

/* ---- The user's folders -------------------------------------------------------- */

/* The XDG user folder named key ("XDG_PICTURES_DIR"): the environment, else the line
 * KEY="$HOME/..." of user-dirs.dirs.  0 with the folder in out. */
static int xdg_user_dir(const char *key, const char *home, char *out, size_t len) {
    const char *env = getenv(key), *cfg = getenv("XDG_CONFIG_HOME");
    char file[PATH_MAX], line[PATH_MAX + 64];
    size_t kl = strlen(key);
    FILE *f;
    int found = 0;
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return 0;
    }
    if (cfg && *cfg) snprintf(file, sizeof file, "%s/user-dirs.dirs", cfg);
    else if (home) snprintf(file, sizeof file, "%s/.config/user-dirs.dirs", home);
    else return 1;
    if (!(f = fopen(file, "r"))) return 1;
    while (!found && fgets(line, sizeof line, f)) {
        char *v = line, *end;
        while (*v == ' ' || *v == '\t') v++;
        if (strncmp(v, key, kl) || v[kl] != '=' || v[kl + 1] != '"') continue;
        v += kl + 2;
        if (!(end = strchr(v, '"'))) continue;
        *end = '\0';
        if (!strncmp(v, "$HOME", 5) && home) snprintf(out, len, "%s%s", home, v + 5);
        else if (v[0] == '/') snprintf(out, len, "%s", v);
        else continue;
        found = 1;
    }
    fclose(f);
    return found ? 0 : 1;
}

/* base/gatescope, made (with base) if missing; 0 on success. */
static int make_sub(const char *base, char *out, size_t len) {
    if (mkdir(base, 0777) != 0 && errno != EEXIST) return 1;
    if ((size_t)snprintf(out, len, "%s/gatescope", base) >= len) return 1;
    if (mkdir(out, 0777) != 0 && errno != EEXIST) return 1;
    return 0;
}

const char *paths_user_dir(paths_kind kind, char *buf, size_t len) {
    static const char *const keys[] = { "XDG_PICTURES_DIR", "XDG_VIDEOS_DIR", "XDG_DOCUMENTS_DIR" };
    static const char *const names[] = { "Pictures", "Videos", "Documents" };
    const char *home = getenv("HOME");
    char base[PATH_MAX];
    if (home && !*home) home = NULL;
    if (xdg_user_dir(keys[kind], home, base, sizeof base) == 0 && make_sub(base, buf, len) == 0)
        return buf;
    if (home && (size_t)snprintf(base, sizeof base, "%s/%s", home, names[kind]) < sizeof base &&
        make_sub(base, buf, len) == 0)
        return buf;
    snprintf(buf, len, ".");
    return buf;
}

const char *paths_pretty(const char *path, char *buf, size_t len) {
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;
    if (hl > 1 && !strncmp(path, home, hl) && path[hl] == '/')
        snprintf(buf, len, "~%s", path + hl);
    else
        snprintf(buf, len, "%s", path);
    return buf;
}
