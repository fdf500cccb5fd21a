/* test_app_layers.c — the shape of app/, read from its `#include "..."` lines:
 *   - every source sits in a known folder (at least three of them, by job);
 *   - a folder includes only itself and the folders below it (docs/architecture.md):
 *         main.c                         (app/ itself)
 *         run/                           the five phases, the window's loop, headless
 *         views/   platform/   cli/      side by side: none includes another
 *         session/                       options, scene, state, lessons, training
 *         ui/                            layout, colours, commands, input, drawing
 *     so the state never includes a view, and the views never include the platform;
 *   - no include cycle between modules (a .c and its .h are one module), directly
 *     or through others;
 *   - no file over 800 lines.
 * The checker first proves itself on a small made-up tree that breaks each rule. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"

enum { MAX_FILES = 256, MAX_INCS = 48, PATH_LEN = 256, MAX_LINES = 800 };

typedef struct src_file {
    char path[PATH_LEN];          /* relative to app/: "session/state.c", "main.c" */
    int lines;
    int n_inc;
    char inc[MAX_INCS][PATH_LEN]; /* the quoted includes, as written */
} src_file;

typedef struct tree {
    int n;
    src_file f[MAX_FILES];
} tree;

/* ---- The layers ------------------------------------------------------------------- */

typedef struct layer {
    const char *folder; /* "" is app/ itself */
    int rank;           /* may include folders of lower rank, and its own */
} layer;

static const layer layers[] = {
    { .folder = "ui", .rank = 0 },
    { .folder = "session", .rank = 1 },
    { .folder = "views", .rank = 2 },
    { .folder = "platform", .rank = 2 },
    { .folder = "cli", .rank = 2 },
    { .folder = "run", .rank = 3 },
    { .folder = "", .rank = 4 },
};

/* The folder of a path ("session/state.c" -> "session", "main.c" -> ""). */
static void folder_of(const char *path, char *out, size_t len) {
    const char *slash = strchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= len) n = len - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

static int rank_of(const char *folder) {
    for (size_t i = 0; i < sizeof layers / sizeof *layers; i++)
        if (!strcmp(layers[i].folder, folder)) return layers[i].rank;
    return -1;
}

/* The module: the path without its extension (a .c and its .h are one). */
static void module_of(const char *path, char *out, size_t len) {
    const char *dot = strrchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    if (n >= len) n = len - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

static int find_file(const tree *t, const char *path) {
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->f[i].path, path)) return i;
    return -1;
}

/* The file an include of file i names: beside file i first, then from app/ (as the
 * compiler looks); -1 if it is not in app/ (the engine's headers, the system's). */
static int resolve(const tree *t, int i, const char *inc) {
    char dir[PATH_LEN], cand[2 * PATH_LEN];
    const char *slash = strrchr(t->f[i].path, '/');
    size_t n = slash ? (size_t)(slash - t->f[i].path) : 0;
    memcpy(dir, t->f[i].path, n);
    dir[n] = '\0';
    if (n > 0) {
        snprintf(cand, sizeof cand, "%s/%s", dir, inc);
        int k = find_file(t, cand);
        if (k >= 0) return k;
    }
    return find_file(t, inc);
}

/* ---- The checks (each problem is one line on stderr; returns how many) ------------- */

static int check_folders(const tree *t, int *n_folders) {
    char seen[16][PATH_LEN];
    int bad = 0, n = 0;
    for (int i = 0; i < t->n; i++) {
        char folder[PATH_LEN];
        int known = 0;
        folder_of(t->f[i].path, folder, sizeof folder);
        if (rank_of(folder) < 0) {
            fprintf(stderr, "app/%s: folder %s/ is in no layer (tests/test_app_layers.c, "
                    "docs/architecture.md)\n", t->f[i].path, folder);
            bad++;
            continue;
        }
        for (int k = 0; k < n; k++) known |= !strcmp(seen[k], folder);
        if (!known && folder[0] && n < 16) snprintf(seen[n++], PATH_LEN, "%s", folder);
    }
    *n_folders = n;
    return bad;
}

static int check_sizes(const tree *t) {
    int bad = 0;
    for (int i = 0; i < t->n; i++)
        if (t->f[i].lines > MAX_LINES) {
            fprintf(stderr, "app/%s: %d lines (at most %d: split it at a seam)\n", t->f[i].path,
                    t->f[i].lines, MAX_LINES);
            bad++;
        }
    return bad;
}

static int check_layers(const tree *t) {
    int bad = 0;
    for (int i = 0; i < t->n; i++) {
        char fa[PATH_LEN], fb[PATH_LEN];
        folder_of(t->f[i].path, fa, sizeof fa);
        for (int k = 0; k < t->f[i].n_inc; k++) {
            int j = resolve(t, i, t->f[i].inc[k]);
            if (j < 0) continue;
            folder_of(t->f[j].path, fb, sizeof fb);
            if (strcmp(fa, fb) != 0 && rank_of(fa) >= 0 && rank_of(fb) >= rank_of(fa)) {
                fprintf(stderr, "app/%s includes %s: %s/ may include only folders below it\n",
                        t->f[i].path, t->f[j].path, fa[0] ? fa : "app");
                bad++;
            }
        }
    }
    return bad;
}

typedef struct graph {
    int n;
    char name[MAX_FILES][PATH_LEN];
    unsigned char edge[MAX_FILES][MAX_FILES]; /* edge[a][b]: module a includes b */
} graph;

static int module_index(graph *g, const char *name) {
    for (int i = 0; i < g->n; i++)
        if (!strcmp(g->name[i], name)) return i;
    snprintf(g->name[g->n], PATH_LEN, "%s", name);
    return g->n++;
}

/* Depth first from a; colour 1 = on the path (stack), 2 = done.  A back edge to a
 * module on the path is a cycle: print it. */
static int dfs(const graph *g, int a, unsigned char *colour, int *stack, int depth) {
    int bad = 0;
    colour[a] = 1;
    stack[depth] = a;
    for (int b = 0; b < g->n; b++) {
        if (!g->edge[a][b]) continue;
        if (colour[b] == 1) {
            int from = depth;
            while (from > 0 && stack[from] != b) from--;
            fprintf(stderr, "include cycle:");
            for (int k = from; k <= depth; k++) fprintf(stderr, " %s ->", g->name[stack[k]]);
            fprintf(stderr, " %s\n", g->name[b]);
            bad++;
        } else if (colour[b] == 0) {
            bad += dfs(g, b, colour, stack, depth + 1);
        }
    }
    colour[a] = 2;
    return bad;
}

static int check_cycles(const tree *t) {
    static graph g;
    unsigned char colour[MAX_FILES];
    int stack[MAX_FILES], bad = 0;
    memset(&g, 0, sizeof g);
    for (int i = 0; i < t->n; i++) {
        char m[PATH_LEN];
        module_of(t->f[i].path, m, sizeof m);
        module_index(&g, m);
    }
    for (int i = 0; i < t->n; i++) {
        char ma[PATH_LEN], mb[PATH_LEN];
        module_of(t->f[i].path, ma, sizeof ma);
        for (int k = 0; k < t->f[i].n_inc; k++) {
            int j = resolve(t, i, t->f[i].inc[k]);
            if (j < 0) continue;
            module_of(t->f[j].path, mb, sizeof mb);
            if (strcmp(ma, mb) != 0) g.edge[module_index(&g, ma)][module_index(&g, mb)] = 1;
        }
    }
    memset(colour, 0, sizeof colour);
    for (int a = 0; a < g.n; a++)
        if (colour[a] == 0) bad += dfs(&g, a, colour, stack, 0);
    return bad;
}

/* ---- Reading app/ ------------------------------------------------------------------ */

/* The quoted include on this line, if any, into out. */
static int parse_include(const char *line, char *out, size_t len) {
    const char *p = line, *q;
    while (isspace((unsigned char)*p)) p++;
    if (*p++ != '#') return 0;
    while (isspace((unsigned char)*p)) p++;
    if (strncmp(p, "include", 7) != 0) return 0;
    p += 7;
    while (isspace((unsigned char)*p)) p++;
    if (*p++ != '"' || !(q = strchr(p, '"')) || (size_t)(q - p) >= len) return 0;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return 1;
}

static int read_file(tree *t, const char *root, const char *rel) {
    char full[4 * PATH_LEN], line[4096];
    src_file *f;
    FILE *fp;
    if (t->n >= MAX_FILES) {
        fprintf(stderr, "more than %d files in app/: raise MAX_FILES\n", MAX_FILES);
        return 1;
    }
    f = &t->f[t->n];
    memset(f, 0, sizeof *f);
    if (snprintf(f->path, sizeof f->path, "%s", rel) >= (int)sizeof f->path ||
        snprintf(full, sizeof full, "%s/%s", root, rel) >= (int)sizeof full) {
        fprintf(stderr, "app/%s: path too long for the checker\n", rel);
        return 1;
    }
    if (!(fp = fopen(full, "r"))) {
        fprintf(stderr, "cannot read %s\n", full);
        return 1;
    }
    while (fgets(line, sizeof line, fp)) {
        if (strchr(line, '\n')) f->lines++;
        if (f->n_inc < MAX_INCS && parse_include(line, f->inc[f->n_inc], PATH_LEN)) f->n_inc++;
    }
    fclose(fp);
    t->n++;
    return 0;
}

/* Every .c and .h under root/rel (rel "" is root itself), recursively. */
static int read_tree(tree *t, const char *root, const char *rel) {
    char dir[2 * PATH_LEN];
    DIR *d;
    struct dirent *de;
    int bad = 0;
    snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
    if (!(d = opendir(dir))) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    while ((de = readdir(d))) {
        char sub[2 * PATH_LEN], full[4 * PATH_LEN];
        struct stat sb;
        size_t n = strlen(de->d_name);
        if (de->d_name[0] == '.') continue;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) >= (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full || stat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) bad += read_tree(t, root, sub);
        else if (n > 2 && (!strcmp(de->d_name + n - 2, ".c") || !strcmp(de->d_name + n - 2, ".h")))
            bad += read_file(t, root, sub);
    }
    closedir(d);
    return bad;
}

/* ---- The checker on a made-up tree -------------------------------------------------- */

static void add(tree *t, const char *path, int lines, const char *i0, const char *i1) {
    src_file *f = &t->f[t->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s", path);
    f->lines = lines;
    if (i0) snprintf(f->inc[f->n_inc++], PATH_LEN, "%s", i0);
    if (i1) snprintf(f->inc[f->n_inc++], PATH_LEN, "%s", i1);
}

static void test_checker(void) {
    static tree t;
    int folders;
    fprintf(stderr, "---- the checker on a made-up tree (these messages are expected) ----\n");
    /* clean: main -> run -> views -> session -> ui, a .c and its .h */
    memset(&t, 0, sizeof t);
    add(&t, "main.c", 10, "run/app.h", NULL);
    add(&t, "run/app.h", 5, "views/views.h", NULL);
    add(&t, "views/views.h", 5, "session/state.h", "gatescope.h");
    add(&t, "views/views.c", 5, "views.h", "ui/layout.h"); /* beside it: views/views.h */
    add(&t, "session/state.h", 5, "ui/layout.h", NULL);
    add(&t, "session/state.c", 800, "session/state.h", NULL);
    add(&t, "ui/layout.h", 5, NULL, NULL);
    CHECK(check_folders(&t, &folders) == 0 && folders == 4);
    CHECK(check_sizes(&t) == 0 && check_layers(&t) == 0 && check_cycles(&t) == 0);
    /* a state that calls a view: a layer broken and a cycle through two modules */
    {
        src_file *f = &t.f[find_file(&t, "session/state.c")];
        snprintf(f->inc[f->n_inc++], PATH_LEN, "%s", "views/views.h");
        f->lines = 801;
    }
    CHECK(check_layers(&t) == 1);
    CHECK(check_cycles(&t) == 1);
    CHECK(check_sizes(&t) == 1);
    /* two views side by side may not include each other... */
    memset(&t, 0, sizeof t);
    add(&t, "views/a.c", 1, "platform/b.h", NULL);
    add(&t, "platform/b.h", 1, NULL, NULL);
    CHECK(check_layers(&t) == 1);
    /* ... a cycle inside one folder is still a cycle, and a stray folder is refused */
    memset(&t, 0, sizeof t);
    add(&t, "session/a.h", 1, "session/b.h", NULL);
    add(&t, "session/b.h", 1, NULL, NULL);
    add(&t, "session/b.c", 1, "session/c.h", NULL);
    add(&t, "session/c.h", 1, "session/a.h", NULL);
    add(&t, "misc/d.c", 1, NULL, NULL);
    CHECK(check_layers(&t) == 0 && check_cycles(&t) == 1);
    CHECK(check_folders(&t, &folders) == 1);
    fprintf(stderr, "---- end of the made-up tree ----\n");
}

/* ---- app/ itself ------------------------------------------------------------------- */

static void test_app(void) {
    static tree t;
    int folders = 0;
    memset(&t, 0, sizeof t);
    CHECK(read_tree(&t, GS_SOURCE_DIR "/app", "") == 0);
    CHECK(t.n > 20); /* the tree was read */
    CHECK(find_file(&t, "session/state.h") >= 0 && find_file(&t, "main.c") >= 0);
    CHECK(check_folders(&t, &folders) == 0);
    CHECK_MSG(folders >= 3, "app/ has %d subfolders (at least three, by job)", folders);
    CHECK(check_sizes(&t) == 0);
    CHECK(check_layers(&t) == 0);
    CHECK(check_cycles(&t) == 0);
    printf("app/: %d files in %d folders\n", t.n, folders);
}

int main(void) {
    test_checker();
    test_app();
    return check_result("test_app_layers");
}
