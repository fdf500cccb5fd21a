/* share.c — the view written down (as a one-step lesson, as a command line), the
 * scene's weights kept, the teacher's commands, and files dropped on the window.
 * See share.h; the outputs that need the window are run/outputs.c's. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "session/share.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/lesson_player.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static void toast(app_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void toast(app_state *st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->toast, sizeof st->toast, fmt, ap);
    va_end(ap);
    st->toast_left = 5.0;
}

static int ends_with(const char *s, const char *ext) {
    size_t l = strlen(s), e = strlen(ext);
    if (l <= e) return 0;
    for (size_t i = 0; i < e; i++)
        if (tolower((unsigned char)s[l - e + i]) != ext[i]) return 0;
    return 1;
}

static int is_dir(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The shortest decimal that reads back as v ("0.9", "1e-06"): both the lesson format
 * and the command line take it. */
static void real_text(char *buf, size_t len, double v) {
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, len, "%.*g", p, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static const char *init_name(gs_init i) {
    const char *n = gs_lesson_init_name(i);
    return n ? n : "uniform";
}

/* The view's colours as @colours / --colours words; defaults left out when sparse. */
static gs_lesson_colours view_colours(const app_state *st) {
    /* in presenter mode, the theme it will go back to */
    cm_theme_id theme = st->present && st->lesson ? st->lesson->theme_before : st->theme;
    gs_lesson_colours c;
    c.scale = st->scale_shared ? 1 : 2;
    c.magnitude = st->log_mag ? 2 : 1;
    c.palette = st->palette == CM_PALETTE_B ? 2 : 1;
    c.theme = theme == CM_THEME_LIGHT ? 2 : theme == CM_THEME_CONTRAST ? 3 : 1;
    return c;
}

/* ---- The view from the command line ----------------------------------------------- */

void share_apply_options(app_state *st, const options *o) {
    state_set_colours(st, &o->colours);
    if (lesson_current(st)) return; /* its steps say where the playhead and selection are */
    state_sync_engine(st);          /* the engine at the cursor: the walk knows its end */
    if (o->backward && !o->record) {
        state_command(st, CMD_BACK_LOSS, 0); /* says why not when there is no loss yet */
        if (st->back_active && o->backward > 0) state_set_back_step(st, o->backward);
    }
    if (o->select) {
        int shown = 0;
        for (int i = 0; st->have_scene && i < st->sc.n; i++)
            shown |= gs_model_config_of(st->sc.models[i])->variant == o->select_variant;
        if (!shown) toast(st, "--select: %s is not shown", gs_variant_get(o->select_variant)->name);
        state_select(st, o->select_variant, o->select_unit);
    }
}

/* ---- Weights ----------------------------------------------------------------------- */

int share_keep_weights(app_state *st, const char *dir, char *err, size_t err_len) {
    gs_error e;
    if (!st->have_scene) {
        snprintf(err, err_len, "no scene to keep the weights of");
        return 1;
    }
    if (strlen(dir) >= sizeof st->setup.weights - 32) {
        snprintf(err, err_len, "the folder name is too long");
        return 1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create '%.200s': %s", dir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < st->sc.n; i++) {
        char file[4200];
        const gs_model *m = st->sc.models[i];
        snprintf(file, sizeof file, "%s/%s.json", dir, gs_variant_get(gs_model_config_of(m)->variant)->name);
        if (gs_model_save_json(m, file, &e) != GS_OK) {
            snprintf(err, err_len, "%s", e.msg);
            return 1;
        }
    }
    /* the scene now shows weights that are on disk: the setup names them */
    snprintf(st->setup.weights, sizeof st->setup.weights, "%s", dir);
    snprintf(st->sc.setup.weights, sizeof st->sc.setup.weights, "%s", dir);
    snprintf(st->weights_last, sizeof st->weights_last, "%s", dir);
    st->weights_trained = 0;
    st->view_gen++;
    return 0;
}

/* The variants dir has a <variant>.json for, in the engine's order; returns how many
 * (at most max). */
static int weights_in_dir(const char *dir, gs_variant *out, int max) {
    int n = 0;
    for (int v = 0; v < GS_VARIANT_COUNT && n < max; v++) {
        char file[4200];
        snprintf(file, sizeof file, "%s/%s.json", dir, gs_variant_get((gs_variant)v)->name);
        if (is_file(file)) out[n++] = (gs_variant)v;
    }
    return n;
}

static int shown(const opt_setup *s, gs_variant v) {
    for (int i = 0; i < s->n_variants; i++)
        if (s->variants[i] == v) return 1;
    return 0;
}

/* Load weights from path (a file or a folder): the setup shows what they are for. */
static void load_weights(app_state *st, const char *path) {
    opt_setup next = st->rebuild_pending ? st->pending : st->setup;
    gs_variant found[LAYOUT_MAX_PANES], v;
    char file[4200];
    int n, hidden = 0, any = 0;
    gs_error e;
    if (strlen(path) >= sizeof next.weights) {
        toast(st, "cannot load weights: the path is too long");
        return;
    }
    if (next.n_variants > LAYOUT_MAX_PANES) next.n_variants = LAYOUT_MAX_PANES;
    if (is_dir(path)) {
        if ((n = weights_in_dir(path, found, LAYOUT_MAX_PANES)) == 0) {
            toast(st, "%.120s holds no <variant>.json weights file", path);
            return;
        }
        for (int i = 0; i < n; i++) any |= shown(&next, found[i]);
        if (!any) { /* none of them is shown: show the folder's variants */
            next.n_variants = n;
            memcpy(next.variants, found, sizeof(gs_variant) * (size_t)n);
        }
        for (int i = 0; i < n && !hidden; i++)
            if (shown(&next, found[i])) {
                snprintf(file, sizeof file, "%s/%s.json", path, gs_variant_get(found[i])->name);
                if (gs_weights_peek(file, &v, NULL, &hidden, NULL, &e) != GS_OK) {
                    toast(st, "%.190s", e.msg);
                    return;
                }
            }
    } else {
        if (gs_weights_peek(path, &v, NULL, &hidden, NULL, &e) != GS_OK) {
            toast(st, "%.190s", e.msg);
            return;
        }
        if (!shown(&next, v)) {
            if (next.n_variants >= LAYOUT_MAX_PANES) {
                toast(st, "%.60s holds %s weights: hide a pane (keys 1\xe2\x80\x93" "8) to show it",
                      path, gs_variant_get(v)->name);
                return;
            }
            next.variants[next.n_variants++] = v;
        }
    }
    if (hidden > 0) next.hidden = hidden; /* the file's size, or it cannot load */
    snprintf(next.weights, sizeof next.weights, "%s", path);
    state_change_setup(st, &next, "load the weights");
    toast(st, "loading the weights in %.150s", path);
}

/* ---- Commands and drops ------------------------------------------------------------ */

void share_command(app_state *st, cmd_id cmd, int arg) {
    switch (cmd) {
    case CMD_WEIGHTS: {
        opt_setup next = st->rebuild_pending ? st->pending : st->setup;
        if (st->weights_trained) { /* "keep trained": save them (run/outputs.c) */
            st->share.keep_weights = 1;
        } else if (next.weights[0]) {
            next.weights[0] = '\0';
            state_change_setup(st, &next, "go back to the seeded weights");
            toast(st, "seeded weights (click Weights again to load the file back)");
        } else if (st->weights_last[0]) {
            load_weights(st, st->weights_last);
        } else {
            toast(st, "drop a weights file (.json) or a folder of them on the window to load it");
        }
        break;
    }
    case CMD_KEEP_WEIGHTS: st->share.keep_weights = 1; break;
    case CMD_SCREENSHOT: st->share.screenshot = arg == 2 ? 2 : 1; break;
    case CMD_RECORD: st->share.record = st->share.record ? 0 : arg == 2 ? 2 : 1; break;
    case CMD_SAVE_LESSON: st->share.save_lesson = 1; break;
    case CMD_COPY_COMMAND:
        if (share_command_line(st, st->share.clip, sizeof st->share.clip) != 0) {
            toast(st, "cannot copy: the command line is too long");
            break;
        }
        st->share.copy = 1;
        break;
    default: break;
    }
}

void share_drop(app_state *st, const char *path) {
    char err[512];
    if (ends_with(path, ".lesson")) {
        if (lesson_open(st, path, err, sizeof err) != 0) toast(st, "%.190s", err);
        return;
    }
    if (is_dir(path) || ends_with(path, ".json")) {
        load_weights(st, path);
        return;
    }
    toast(st, "cannot open %.80s: drop a .lesson, a weights .json or a folder of them", path);
}

/* ---- The command line ------------------------------------------------------------- */

typedef struct line {
    char *buf;
    size_t len, used;
    int over; /* did not fit */
} line;

static void put(line *l, const char *s) {
    size_t n = strlen(s);
    if (l->over || l->used + n >= l->len) {
        l->over = 1;
        return;
    }
    memcpy(l->buf + l->used, s, n + 1);
    l->used += n;
}

/* " --flag value", the value quoted for a POSIX shell when it needs it. */
static void flag(line *l, const char *name, const char *value) {
    put(l, " --");
    put(l, name);
    if (!value) return;
    put(l, " ");
    if (*value && strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_./:,+-=@%") == strlen(value)) {
        put(l, value);
        return;
    }
    put(l, "'");
    for (const char *p = value; *p; p++) {
        char c[2] = { *p, 0 };
        put(l, *p == '\'' ? "'\\''" : c);
    }
    put(l, "'");
}

/* An absolute form of path (it need not exist: then made from the working folder);
 * 1 when it does not fit len (out is then cut short). */
static int absolute(const char *path, char *out, size_t len) {
    char *real = realpath(path, NULL), cwd[PATH_MAX];
    int k;
    if (real) k = snprintf(out, len, "%s", real);
    else if (path[0] != '/' && getcwd(cwd, sizeof cwd)) k = snprintf(out, len, "%s/%s", cwd, path);
    else k = snprintf(out, len, "%s", path);
    free(real);
    return k < 0 || (size_t)k >= len;
}

int share_command_line(const app_state *st, char *buf, size_t len) {
    const opt_setup *s = &st->setup;
    line l = { buf, len, 0, 0 };
    char v[PATH_MAX + 64], num[40];
    gs_lesson_colours c = view_colours(st);
    if (len) buf[0] = '\0';
    put(&l, "gatescope");
    v[0] = '\0';
    for (int i = 0; i < s->n_variants; i++) {
        if (i) strcat(v, ",");
        strcat(v, gs_variant_get(s->variants[i])->name);
    }
    flag(&l, "variants", v);
    if (s->task == GS_TASK_TYPED) flag(&l, "sequence", s->typed);
    else if (s->task != GS_TASK_ADDING) flag(&l, "task", gs_task_info_get(s->task)->name);
    if (s->length > 0) {
        snprintf(num, sizeof num, "%d", s->length);
        flag(&l, "length", num);
    }
    if (s->hidden != 16) {
        snprintf(num, sizeof num, "%d", s->hidden);
        flag(&l, "hidden", num);
    }
    if (s->seed != 1) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)s->seed);
        flag(&l, "seed", num);
    }
    if (s->init != GS_INIT_UNIFORM || s->init_scale != 0) {
        snprintf(v, sizeof v, "%s", init_name(s->init));
        if (s->init_scale != 0) {
            real_text(num, sizeof num, s->init_scale);
            strcat(v, ":");
            strcat(v, num);
        }
        flag(&l, "init", v);
    }
    if (s->weight_scale != 1) {
        real_text(num, sizeof num, s->weight_scale);
        flag(&l, "weight-scale", num);
    }
    if (!isnan(s->forget_bias)) {
        real_text(num, sizeof num, s->forget_bias);
        flag(&l, "forget-bias", num);
    }
    if (s->truncate > 0) {
        snprintf(num, sizeof num, "%d", s->truncate);
        flag(&l, "truncate", num);
    }
    if (s->weights[0]) {
        if (absolute(s->weights, v, sizeof v)) l.over = 1; /* a cut path would name another file */
        flag(&l, "load-weights", v);
    }
    snprintf(num, sizeof num, "%d", st->cursor);
    flag(&l, "at", num);
    if (st->back_active && st->back_pos == st->cursor) flag(&l, "backward", NULL);
    else if (st->back_active) {
        snprintf(num, sizeof num, "=%d", st->back_pos);
        put(&l, " --backward");
        put(&l, num);
    }
    if ((st->selected > 0 || st->unit > 0) && st->have_scene && st->selected < st->sc.n) {
        snprintf(v, sizeof v, "%s:%d",
                 gs_variant_get(gs_model_config_of(st->sc.models[st->selected])->variant)->name,
                 st->unit);
        flag(&l, "select", v);
    }
    /* only the choices that differ from the defaults (shared, linear, viridis, dark) */
    if (c.scale == 1) c.scale = 0;
    if (c.magnitude == 1) c.magnitude = 0;
    if (c.palette == 1) c.palette = 0;
    if (c.theme == 1) c.theme = 0;
    gs_lesson_colours_words(&c, ',', v, sizeof v);
    if (v[0]) flag(&l, "colours", v);
    if (st->present) flag(&l, "present", NULL);
    return l.over;
}

/* ---- The lesson ---------------------------------------------------------------------- */

/* The weights' path as the lesson names it: relative to the lesson's folder when they
 * lie inside it, absolute otherwise; 1 when a path is too long to name. */
static int weights_for(const char *weights, const char *lesson, char *out, size_t len) {
    char w[PATH_MAX], where[PATH_MAX], dir[PATH_MAX];
    const char *slash = strrchr(lesson, '/');
    size_t dl;
    int k;
    if (absolute(weights, w, sizeof w)) return 1;
    if (slash == lesson) snprintf(where, sizeof where, "/");
    else if (slash) snprintf(where, sizeof where, "%.*s", (int)(slash - lesson), lesson);
    else snprintf(where, sizeof where, ".");
    if (absolute(where, dir, sizeof dir)) return 1;
    dl = strlen(dir);
    if (dl > 1 && !strncmp(w, dir, dl) && w[dl] == '/') k = snprintf(out, len, "%s", w + dl + 1);
    else k = snprintf(out, len, "%s", w);
    return k < 0 || (size_t)k >= len;
}

/* A title or heading, with the backslashes the parser would read as escapes doubled. */
static void put_plain(gs_outfile *o, const char *s) {
    for (; *s; s++) gs_outfile_write(o, *s == '\\' ? "\\\\" : s, *s == '\\' ? 2 : 1);
}

int share_save_lesson(app_state *st, const char *path, char *err, size_t err_len) {
    const opt_setup *s = &st->setup;
    const gs_lesson *l = lesson_current(st);
    const gs_lesson_step *ls = l ? &l->steps[lesson_step_index(st)] : NULL;
    gs_lesson_colours c = view_colours(st);
    char weights[PATH_MAX] = "", num[40], words[96];
    size_t tl = strlen(s->typed);
    gs_outfile *o;
    gs_error e;
    if (!st->have_scene) {
        snprintf(err, err_len, "no scene to save");
        return 1;
    }
    if (s->task == GS_TASK_TYPED &&
        (strpbrk(s->typed, "\r\n") || !tl || isspace((unsigned char)s->typed[0]) ||
         isspace((unsigned char)s->typed[tl - 1]))) {
        snprintf(err, err_len, "the typed text has a line break or spaces at an end: a lesson's "
                 "@sequence cannot hold it");
        return 1;
    }
    if (st->weights_trained) { /* trained in the window: keep them beside the lesson */
        char dir[PATH_MAX];
        size_t pl = strlen(path);
        snprintf(dir, sizeof dir, "%.*s-weights", (int)(ends_with(path, ".lesson") ? pl - 7 : pl), path);
        if (share_keep_weights(st, dir, err, err_len) != 0) return 1;
    }
    if (s->weights[0] && weights_for(s->weights, path, weights, sizeof weights) != 0) {
        snprintf(err, err_len, "the weights' path is too long to name in the lesson: %.200s", s->weights);
        return 1;
    }
    if (gs_outfile_open(&o, path, NULL, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    /* the title and heading: the lesson's, or what is compared */
    gs_outfile_printf(o, "# ");
    if (l) put_plain(o, l->title);
    else {
        gs_outfile_printf(o, "A view of ");
        for (int i = 0; i < s->n_variants; i++)
            gs_outfile_printf(o, "%s%s", i ? (i + 1 == s->n_variants ? " and " : ", ") : "",
                              gs_variant_get(s->variants[i])->name);
        gs_outfile_printf(o, " on the %s task", gs_task_info_get(s->task)->name);
    }
    gs_outfile_printf(o, "\n\n");
    /* the first step of a lesson shows its introduction too (and is as tall) */
    if (ls && lesson_step_index(st) == 0 && l->intro.raw[0]) gs_outfile_printf(o, "%s\n\n", l->intro.raw);
    gs_outfile_printf(o, "## ");
    put_plain(o, ls ? ls->heading : "What you see");
    gs_outfile_printf(o, "\n");
    /* the scene */
    gs_outfile_printf(o, "@variants ");
    for (int i = 0; i < s->n_variants; i++)
        gs_outfile_printf(o, "%s%s", i ? ", " : "", gs_variant_get(s->variants[i])->name);
    gs_outfile_printf(o, "\n@task %s\n", gs_task_info_get(s->task)->name);
    if (s->task == GS_TASK_TYPED) gs_outfile_printf(o, "@sequence %s\n", s->typed);
    gs_outfile_printf(o, "@seed %llu\n@hidden %d\n@length %d\n@init %s",
                      (unsigned long long)s->seed, s->hidden, state_T(st), init_name(s->init));
    if (s->init_scale != 0) {
        real_text(num, sizeof num, s->init_scale);
        gs_outfile_printf(o, " %s", num);
    }
    real_text(num, sizeof num, s->weight_scale);
    gs_outfile_printf(o, "\n@weight-scale %s\n", num);
    if (isnan(s->forget_bias)) gs_outfile_printf(o, "@forget-bias default\n");
    else {
        real_text(num, sizeof num, s->forget_bias);
        gs_outfile_printf(o, "@forget-bias %s\n", num);
    }
    gs_outfile_printf(o, "@truncate %d\n", s->truncate);
    if (weights[0]) gs_outfile_printf(o, "@weights %s\n", weights);
    /* the moment */
    if (st->cursor == 0) gs_outfile_printf(o, "@cursor start\n");
    else gs_outfile_printf(o, "@cursor %d\n", st->cursor);
    gs_outfile_printf(o, "@pause\n");
    if (!st->back_active) gs_outfile_printf(o, "@backward off\n");
    else if (st->back_pos >= st->cursor) gs_outfile_printf(o, "@backward on\n");
    else gs_outfile_printf(o, "@backward %d\n", st->back_pos);
    if (st->sc.n > 0) {
        int p = st->selected < 0 ? 0 : st->selected >= st->sc.n ? st->sc.n - 1 : st->selected;
        gs_outfile_printf(o, "@select %s %d\n",
                          gs_variant_get(gs_model_config_of(st->sc.models[p])->variant)->name, st->unit);
    }
    gs_lesson_colours_words(&c, ' ', words, sizeof words);
    gs_outfile_printf(o, "@colours %s\n", words);
    if (ls && ls->view != GS_LESSON_VIEW_NONE)
        gs_outfile_printf(o, "@view %s\n", gs_lesson_view_name(ls->view));
    if (ls && ls->highlight != GS_LESSON_HL_NONE)
        gs_outfile_printf(o, "@highlight %s\n", ls->highlight == GS_LESSON_HL_GATE ? ls->highlight_gate
                                                : ls->highlight == GS_LESSON_HL_STATE ? "state"
                                                : ls->highlight == GS_LESSON_HL_CANDIDATE ? "candidate"
                                                                                         : "gradient");
    if (ls && ls->notes[0]) {
        const char *p = ls->notes;
        while (*p) {
            size_t n = strcspn(p, "\n");
            gs_outfile_printf(o, "@note %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    } else if (!ls) {
        gs_outfile_printf(o, "@note Saved by gatescope. Edit the heading and the text; add @expect "
                          "lines for what the class should see (lessons/README.md).\n");
    }
    /* the prose: the step's as written, or a place for it */
    if (ls && ls->prose.raw[0]) gs_outfile_printf(o, "\n%s\n", ls->prose.raw);
    else gs_outfile_printf(o, "\nWhat should the class notice here? Write it in place of this "
                           "paragraph.\n");
    if (gs_outfile_commit(o, &e) != GS_OK) {
        snprintf(err, err_len, "%s", e.msg);
        return 1;
    }
    return 0;
}
