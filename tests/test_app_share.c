/* test_app_share.c — the teacher's toolkit, headless: a view saved as a lesson passes
 * --check and reopens to the same picture (pixel for pixel; with weights loaded from a
 * file, with weights trained in the window and kept beside the lesson, and inside a
 * lesson with its spotlight); the command line of a view reopens to the same picture;
 * files dropped on the window open; the window's outputs (screenshots, a recording,
 * the lesson, the weights kept, the clipboard's text) land in the user's folders;
 * SDL's drop and the new keys become the right inputs (SDL's dummy video driver). */
#define _XOPEN_SOURCE 700 /* setenv, mkdtemp, nftw */
#include <SDL.h>
#include <SDL_image.h>
#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_harness.h"
#include "check.h"
#include "cli/lesson_check.h"
#include "platform/paths.h"
#include "platform/platform.h"
#include "run/headless.h"
#include "run/outputs.h"
#include "session/lesson_player.h"
#include "session/share.h"

#define W 1280
#define H 720

static char tmp[256];

/* ---- Helpers ------------------------------------------------------------------------ */

typedef struct shot {
    int w, h;
    uint32_t *px;
} shot;

static shot grab(const headless *h) {
    shot s = { h->surf->w, h->surf->h, malloc(sizeof(uint32_t) * (size_t)h->surf->w * (size_t)h->surf->h) };
    for (int y = 0; s.px && y < s.h; y++)
        memcpy(s.px + (size_t)y * (size_t)s.w, (const char *)h->surf->pixels + (size_t)y * (size_t)h->surf->pitch,
               sizeof(uint32_t) * (size_t)s.w);
    return s;
}

/* Pixels that differ outside mask (w 0: no mask); -1 if the sizes differ. */
static long differ(const shot *a, const shot *b, box mask) {
    long n = 0;
    if (!a->px || !b->px || a->w != b->w || a->h != b->h) return -1;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++)
            if ((mask.w <= 0 || !box_contains(mask, x, y)) &&
                (a->px[(size_t)y * (size_t)a->w + (size_t)x] & 0xffffff) != (b->px[(size_t)y * (size_t)b->w + (size_t)x] & 0xffffff))
                n++;
    return n;
}

static options view_options(void) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = W;
    o.height = H;
    o.setup.n_variants = 2;
    o.setup.variants[0] = GS_GRU;
    o.setup.variants[1] = GS_LSTM;
    o.setup.hidden = 8;
    o.setup.length = 30;
    o.at = 30;
    return o;
}

static int open_lesson(headless *h, const char *path) {
    options o;
    options_default(&o);
    o.headless = 1;
    o.width = W;
    o.height = H;
    o.lesson_path = path;
    return harness_open(h, &o);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = calloc(1, (size_t)n + 1)))
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) buf[0] = '\0';
    fclose(f);
    return buf;
}

static int exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Save st's view to path, check it with --check's code, reopen it, leave the lesson,
 * and compare the picture with want (outside mask; mask.w < 0: expected to differ,
 * say nothing).  Returns the differing pixels. */
static long save_and_reopen(headless *a, const char *path, box mask, int leave) {
    char err[512], *paths[1];
    headless b;
    shot want = grab(a), got;
    long d;
    CHECK_MSG(share_save_lesson(&a->app.st, path, err, sizeof err) == 0, "%s", err);
    paths[0] = (char *)path;
    CHECK(lesson_check_files(paths, 1, NULL, NULL, NULL) == 0); /* the numbers; no @visible here */
    if (open_lesson(&b, path) != 0) {
        CHECK(0);
        free(want.px);
        return -1;
    }
    if (leave) send(&b, CMD_CLOSE, 0); /* the narrative panel goes; the scene stays */
    got = grab(&b);
    d = differ(&want, &got, mask.w < 0 ? (box){ 0, 0, 0, 0 } : mask);
    if (d && mask.w >= 0) { /* where: for the message */
        int x0 = want.w, y0 = want.h, x1 = -1, y1 = -1;
        for (int y = 0; d > 0 && y < want.h; y++)
            for (int x = 0; x < want.w; x++)
                if ((mask.w <= 0 || !box_contains(mask, x, y)) &&
                    (want.px[(size_t)y * (size_t)want.w + (size_t)x] & 0xffffff) !=
                        (got.px[(size_t)y * (size_t)got.w + (size_t)x] & 0xffffff)) {
                    if (x < x0) x0 = x;
                    if (y < y0) y0 = y;
                    if (x > x1) x1 = x;
                    if (y > y1) y1 = y;
                }
        fprintf(stderr, "%s: %ld pixels differ, within (%d,%d)-(%d,%d)\n", path, d, x0, y0, x1, y1);
        if (getenv("GS_TEST_DUMP")) {
            IMG_SavePNG(a->surf, "/tmp/share-want.png");
            IMG_SavePNG(b.surf, "/tmp/share-got.png");
        }
    }
    free(want.px);
    free(got.px);
    headless_close(&b);
    return d;
}

/* ---- A view, saved and reopened ------------------------------------------------------ */

static void test_saved_view(void) {
    options o = view_options();
    headless a, c;
    char path[400], line[SHARE_CLIP_MAX], *text, *argv[64];
    int argc = 0;
    shot sa, sc;
    options oc;
    o.backward = 12;
    o.select = 1;
    o.select_variant = GS_LSTM;
    o.select_unit = 3;
    gs_lesson_colours_word(&o.colours, "per-pane", 8);
    gs_lesson_colours_word(&o.colours, "log", 3);
    gs_lesson_colours_word(&o.colours, "plasma", 6);
    gs_lesson_colours_word(&o.colours, "light", 5);
    if (harness_open(&a, &o) != 0) {
        CHECK(0);
        return;
    }
    CHECK(a.app.st.back_active && a.app.st.back_pos == 12 && a.app.st.selected == 1 && a.app.st.unit == 3);
    CHECK(a.app.st.theme == CM_THEME_LIGHT && a.app.st.log_mag && !a.app.st.scale_shared);
    snprintf(path, sizeof path, "%s/view.lesson", tmp);
    CHECK(save_and_reopen(&a, path, (box){ 0, 0, 0, 0 }, 1) == 0);
    text = slurp(path);
    CHECK(text && strstr(text, "@backward 12\n") && strstr(text, "@select lstm 3\n") &&
          strstr(text, "@colours per-pane log plasma light\n") && strstr(text, "@cursor 30\n"));
    free(text);
    /* the command line of the view opens the same picture */
    CHECK(share_command_line(&a.app.st, line, sizeof line) == 0);
    CHECK(strcmp(line, "gatescope --variants gru,lstm --length 30 --hidden 8 --at 30 --backward=12 "
                       "--select lstm:3 --colours per-pane,log,plasma,light") == 0);
    for (char *p = strtok(line, " "); p && argc < 63; p = strtok(NULL, " ")) argv[argc++] = p;
    argv[argc] = NULL;
    CHECK(options_parse(&oc, argc, argv, path, sizeof path) == 0);
    oc.headless = 1;
    oc.width = W;
    oc.height = H;
    if (harness_open(&c, &oc) == 0) {
        sa = grab(&a);
        sc = grab(&c);
        CHECK(differ(&sa, &sc, (box){ 0, 0, 0, 0 }) == 0);
        free(sa.px);
        free(sc.px);
        headless_close(&c);
    } else {
        CHECK(0);
    }
    headless_close(&a);
}

/* ---- With weights from a file ------------------------------------------------------ */

/* dir/<variant>.json for gru and lstm with hidden 8, from seed 9 (not the setup's 1). */
static void write_weights(const char *dir) {
    gs_variant v[2] = { GS_GRU, GS_LSTM };
    mkdir(dir, 0777);
    for (int i = 0; i < 2; i++) {
        gs_model_config mc = gs_model_config_default(v[i], 2, 8, 1);
        gs_model *m = NULL;
        gs_error e;
        char file[400];
        mc.seed = 9;
        snprintf(file, sizeof file, "%s/%s.json", dir, gs_variant_get(v[i])->name);
        CHECK(gs_model_create(&m, &mc, &e) == GS_OK && gs_model_save_json(m, file, &e) == GS_OK);
        gs_model_destroy(m);
    }
}

static void test_loaded_weights(void) {
    options o = view_options();
    headless a, s;
    char wdir[300], sub[300], path[400], *text;
    shot sa, ss;
    snprintf(wdir, sizeof wdir, "%s/w", tmp);
    write_weights(wdir);
    o.load_weights = wdir;
    if (harness_open(&a, &o) != 0) {
        CHECK(0);
        return;
    }
    /* the weights matter: the seeded picture is another one */
    o.load_weights = NULL;
    if (harness_open(&s, &o) == 0) {
        sa = grab(&a);
        ss = grab(&s);
        CHECK(differ(&sa, &ss, (box){ 0, 0, 0, 0 }) > 1000);
        free(sa.px);
        free(ss.px);
        headless_close(&s);
    }
    /* beside the weights: named relative to the lesson; elsewhere: absolutely */
    snprintf(path, sizeof path, "%s/beside.lesson", tmp);
    CHECK(save_and_reopen(&a, path, (box){ 0, 0, 0, 0 }, 1) == 0);
    text = slurp(path);
    CHECK(text && strstr(text, "\n@weights w\n"));
    free(text);
    snprintf(sub, sizeof sub, "%s/elsewhere", tmp);
    mkdir(sub, 0777);
    snprintf(path, sizeof path, "%s/far.lesson", sub);
    CHECK(save_and_reopen(&a, path, (box){ 0, 0, 0, 0 }, 1) == 0);
    text = slurp(path);
    CHECK(text && strstr(text, "\n@weights /") && strstr(text, "/w\n"));
    free(text);
    headless_close(&a);
}

/* ---- With weights trained in the window ----------------------------------------------- */

static void test_trained_weights(void) {
    options o = view_options();
    headless a, b, c;
    char path[400], file[400], *text;
    shot sb, scc;
    o.setup.length = 10;
    o.at = 10;
    o.train.iterations = 40;
    o.train.lr = 0.05;
    if (harness_open(&a, &o) != 0) {
        CHECK(0);
        return;
    }
    send(&a, CMD_TRAIN, 0);
    for (int k = 0; k < 1000 && !a.app.st.train.done; k++) {
        SDL_Delay(10);
        headless_frame(&a, 0.01);
    }
    headless_frame(&a, 0.6); /* the last snapshot in the scene */
    CHECK(a.app.st.train.done && a.app.st.weights_trained);
    snprintf(path, sizeof path, "%s/trained.lesson", tmp);
    CHECK(save_and_reopen(&a, path, (box){ 0, 0, -1, 0 }, 1) > 0); /* the panel is gone */
    snprintf(file, sizeof file, "%s/trained-weights/lstm.json", tmp);
    CHECK(exists(file));
    CHECK(!a.app.st.weights_trained && strstr(a.app.st.setup.weights, "trained-weights"));
    text = slurp(path);
    CHECK(text && strstr(text, "\n@weights trained-weights\n"));
    free(text);
    headless_close(&a);
    /* the lesson opens to the picture the kept weights give */
    snprintf(file, sizeof file, "%s/trained-weights", tmp);
    o.load_weights = file;
    if (open_lesson(&b, path) == 0 && harness_open(&c, &o) == 0) {
        send(&b, CMD_CLOSE, 0);
        sb = grab(&b);
        scc = grab(&c);
        CHECK(differ(&sb, &scc, (box){ 0, 0, 0, 0 }) == 0);
        free(sb.px);
        free(scc.px);
        headless_close(&c); /* the last opened first: the first owns SDL_ttf */
        headless_close(&b);
    } else {
        CHECK(0);
    }
}

/* ---- Inside a lesson: the step's spotlight and prose ----------------------------------- */

static void test_in_lesson(void) {
    headless a;
    char path[400], *text;
    const gs_lesson *l;
    int tried = 0;
    box spot[64];
    if (open_lesson(&a, GS_SOURCE_DIR "/lessons/04-gates.lesson") != 0) {
        CHECK(0);
        return;
    }
    l = lesson_current(&a.app.st);
    /* the first paused step with a spotlight (it shows the introduction too) and the
       last one */
    for (int pass = 0; l && pass < 2; pass++)
        for (int i = 0; i < l->n_steps; i++) {
            int k = pass == 0 ? i : l->n_steps - 1 - i;
            if (l->steps[k].highlight == GS_LESSON_HL_NONE || l->steps[k].play) continue;
            lesson_enter(&a.app.st, k);
            headless_frame(&a, 0);
            snprintf(path, sizeof path, "%s/step%d.lesson", tmp, k + 1);
            /* the narrative panel shows another step counter: everything else agrees */
            CHECK_MSG(save_and_reopen(&a, path, a.app.st.L.narrative, 0) == 0, "step %d", k + 1);
            text = slurp(path);
            CHECK(text && strstr(text, "@highlight ") && strstr(text, l->steps[k].prose.raw));
            free(text);
            CHECK(lesson_spotlight(&a.app.st, spot, 64) > 0);
            tried++;
            break;
        }
    CHECK(tried == 2);
    headless_close(&a);
}

/* Presenter mode shows the high-contrast theme; a lesson saved then keeps the theme it
 * goes back to, and a saved lesson opened in presenter mode stays high-contrast. */
static void test_presenter(void) {
    options o;
    headless a;
    char path[400], err[256], *text;
    options_default(&o);
    o.headless = 1;
    o.width = W;
    o.height = H;
    o.lesson_path = GS_SOURCE_DIR "/tests/lessons_good/full.lesson";
    o.present = 1;
    gs_lesson_colours_word(&o.colours, "light", 5);
    if (harness_open(&a, &o) != 0) {
        CHECK(0);
        return;
    }
    CHECK(a.app.st.present && a.app.st.theme == CM_THEME_CONTRAST);
    snprintf(path, sizeof path, "%s/present.lesson", tmp);
    CHECK_MSG(share_save_lesson(&a.app.st, path, err, sizeof err) == 0, "%s", err);
    text = slurp(path);
    CHECK(text && strstr(text, "@colours shared linear viridis light\n"));
    free(text);
    headless_close(&a);
    memset(&o.colours, 0, sizeof o.colours);
    o.lesson_path = path;
    if (harness_open(&a, &o) != 0) {
        CHECK(0);
        return;
    }
    CHECK(a.app.st.theme == CM_THEME_CONTRAST); /* presenting */
    send(&a, CMD_PRESENT, 0);
    CHECK(!a.app.st.present && a.app.st.theme == CM_THEME_LIGHT); /* the lesson's */
    headless_close(&a);
}

/* ---- Drops ----------------------------------------------------------------------------- */

static void drop(headless *h, const char *path) {
    app_input in;
    memset(&in, 0, sizeof in);
    in.kind = IN_DROP;
    in.path = path;
    app_event(&h->app, &in);
    headless_frame(h, 0);
}

static void test_drops(void) {
    options o;
    headless h;
    app_state *st = &h.app.st;
    char wdir[300], file[400], val[64];
    options_default(&o);
    o.headless = 1;
    o.width = W;
    o.height = H;
    o.setup.n_variants = 2;
    o.setup.variants[0] = GS_RNN;
    o.setup.variants[1] = GS_LSTM;
    if (harness_open(&h, &o) != 0) {
        CHECK(0);
        return;
    }
    snprintf(wdir, sizeof wdir, "%s/w", tmp);
    state_row_value(st, CMD_WEIGHTS, val, sizeof val);
    CHECK(strcmp(val, "seeded") == 0);
    /* a folder: the shown lstm gets its file, and the folder's hidden size */
    drop(&h, wdir);
    CHECK(strcmp(st->setup.weights, wdir) == 0 && st->setup.hidden == 8 && st->sc.n == 2);
    state_row_value(st, CMD_WEIGHTS, val, sizeof val);
    CHECK(strcmp(val, "w/") == 0 || strcmp(val, "w") == 0);
    /* a click: seeded; again: the file back */
    send(&h, CMD_WEIGHTS, 0);
    headless_frame(&h, 0);
    CHECK(st->setup.weights[0] == '\0');
    send(&h, CMD_WEIGHTS, 0);
    headless_frame(&h, 0);
    CHECK(strcmp(st->setup.weights, wdir) == 0);
    /* a file of a variant not shown: it is shown */
    snprintf(file, sizeof file, "%s/gru.json", wdir);
    drop(&h, file);
    CHECK(st->sc.n == 3 && st->setup.variants[2] == GS_GRU && strcmp(st->setup.weights, file) == 0);
    state_row_value(st, CMD_WEIGHTS, val, sizeof val);
    CHECK(strcmp(val, "gru.json") == 0);
    /* a change the weights do not fit: seeded, with a message */
    send(&h, CMD_HIDDEN, 1);
    headless_frame(&h, 0);
    CHECK(st->setup.hidden == 16 && st->setup.weights[0] == '\0' && strstr(st->toast, "seeded weights"));
    /* something else: a message, nothing changes */
    drop(&h, "/etc/hostname");
    CHECK(strstr(st->toast, "cannot open") != NULL);
    /* a lesson */
    drop(&h, GS_SOURCE_DIR "/tests/lessons_good/full.lesson");
    CHECK(lesson_current(st) != NULL);
    headless_close(&h);
}

/* ---- The window's outputs ------------------------------------------------------------- */

/* The one file in dir whose name ends in ext, into out; 1 if found. */
static int find_one(const char *dir, const char *ext, char *out, size_t len) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d) return 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name), x = strlen(ext);
        if (e->d_name[0] == '.' || l < x || strcmp(e->d_name + l - x, ext)) continue;
        snprintf(out, len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    return n == 1;
}

static void test_outputs(void) {
    options o = view_options();
    headless h;
    app_state *st = &h.app.st;
    outputs out;
    char dir[300], file[4200];
    long frames = 0;
    setenv("XDG_PICTURES_DIR", tmp, 1);
    setenv("XDG_VIDEOS_DIR", tmp, 1);
    setenv("XDG_DOCUMENTS_DIR", tmp, 1);
    snprintf(dir, sizeof dir, "%s/gatescope", tmp);
    if (harness_open(&h, &o) != 0) {
        CHECK(0);
        return;
    }
    outputs_init(&out, 0);
    /* F12: the window, exactly */
    send(&h, CMD_SCREENSHOT, 1);
    CHECK(outputs_service(&out, st, h.r, 1, 0.0) == 1);
    CHECK(strstr(st->toast, "screenshot saved") != NULL);
    if (find_one(dir, ".png", file, sizeof file)) {
        SDL_Surface *png = IMG_Load(file), *conv = png ? SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_RGB888, 0) : NULL;
        shot a = grab(&h), b = { conv ? conv->w : 0, conv ? conv->h : 0, NULL };
        if (conv && (b.px = malloc(sizeof(uint32_t) * (size_t)b.w * (size_t)b.h)))
            for (int y = 0; y < b.h; y++)
                memcpy(b.px + (size_t)y * (size_t)b.w, (char *)conv->pixels + (size_t)y * (size_t)conv->pitch, 4 * (size_t)b.w);
        CHECK(b.w == W && b.h == H && differ(&a, &b, (box){ 0, 0, 0, 0 }) == 0);
        free(a.px);
        free(b.px);
        SDL_FreeSurface(conv);
        SDL_FreeSurface(png);
        remove(file);
    } else {
        CHECK(0);
    }
    /* Shift+F12: the selected pane */
    send(&h, CMD_SCREENSHOT, 2);
    outputs_service(&out, st, h.r, 1, 0.0);
    if (find_one(dir, ".png", file, sizeof file)) {
        SDL_Surface *png = IMG_Load(file);
        box p = st->L.pane[st->selected].all;
        CHECK(png && png->w == p.w && png->h == p.h && strstr(file, "gatescope-gru-"));
        SDL_FreeSurface(png);
    } else {
        CHECK(0);
    }
    /* F9: a second of recording at OUTPUTS_FPS, the frames drawn or not */
    send(&h, CMD_RECORD, 1);
    outputs_service(&out, st, h.r, 1, 0.0);
    CHECK(out.rec != NULL && st->share.recording && strstr(st->toast, "recording"));
    for (int k = 1; k <= 25; k++) {
        if (k % 5 == 0) send(&h, CMD_STEP_BACK, -1);
        outputs_service(&out, st, h.r, k % 5 == 0, k * 0.04 + 0.001);
    }
    frames = rec_async_frames(out.rec);
    CHECK_MSG(frames == OUTPUTS_FPS + 1, "%ld frames", frames);
    send(&h, CMD_RECORD, 0);
    outputs_service(&out, st, h.r, 1, 1.1);
    CHECK(!out.rec && !st->share.recording && strstr(st->toast, "recording saved"));
    if (find_one(dir, ".mp4", file, sizeof file)) {
        char *mp4 = slurp(file);
        CHECK(mp4 && !memcmp(mp4 + 4, "ftyp", 4));
        free(mp4);
    } else {
        CHECK(0);
    }
    /* Ctrl+S, Ctrl+K, Ctrl+C */
    send(&h, CMD_SAVE_LESSON, 0);
    outputs_service(&out, st, h.r, 1, 1.2);
    if (find_one(dir, ".lesson", file, sizeof file)) {
        gs_lesson *l = NULL;
        gs_error e;
        CHECK(gs_lesson_load(&l, file, NULL, &e) == GS_OK);
        gs_lesson_destroy(l);
    } else {
        CHECK(0);
    }
    send(&h, CMD_KEEP_WEIGHTS, 0);
    outputs_service(&out, st, h.r, 1, 1.3);
    CHECK(strstr(st->toast, "weights kept") && strstr(st->setup.weights, "gatescope-weights-"));
    snprintf(file, sizeof file, "%s/lstm.json", st->setup.weights);
    CHECK(exists(file));
    send(&h, CMD_COPY_COMMAND, 0);
    CHECK(st->share.copy && !strncmp(st->share.clip, "gatescope --variants gru,lstm", 29));
    CHECK(strstr(st->share.clip, "--load-weights /") != NULL);
    outputs_service(&out, st, h.r, 1, 1.4);
    CHECK(!st->share.copy && strstr(st->toast, "no clipboard"));
    outputs_close(&out, st);
    headless_close(&h);
}

/* ---- SDL at the edge: drops and keys ------------------------------------------------- */

static void key(SDL_Keycode k, Uint16 mod) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    SDL_PushEvent(&e);
}

static void test_platform(void) {
    options o;
    platform pf;
    app_input in[8];
    char err[256];
    int seen, n;
    SDL_Event e;
    options_default(&o);
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (platform_open(&pf, &o, err, sizeof err) != 0) {
        CHECK_MSG(0, "the dummy video driver: %s", err);
        return;
    }
    memset(&e, 0, sizeof e);
    e.type = SDL_DROPFILE;
    e.drop.file = SDL_strdup("/tmp/some folder/trained.lesson");
    SDL_PushEvent(&e);
    key(SDLK_F12, KMOD_NONE);
    key(SDLK_F9, KMOD_LSHIFT);
    key(SDLK_s, KMOD_LCTRL);
    key(SDLK_c, KMOD_LCTRL);
    key(SDLK_k, KMOD_LCTRL);
    n = platform_poll(&pf, in, 8, 0, &seen);
    CHECK(n == 6);
    if (n == 6) {
        CHECK(in[0].kind == IN_DROP && in[0].path && !strcmp(in[0].path, "/tmp/some folder/trained.lesson"));
        CHECK(in[1].kind == IN_COMMAND && in[1].cmd == CMD_SCREENSHOT && in[1].arg == 1);
        CHECK(in[2].cmd == CMD_RECORD && in[2].arg == 2);
        CHECK(in[3].cmd == CMD_SAVE_LESSON && in[4].cmd == CMD_COPY_COMMAND && in[5].cmd == CMD_KEEP_WEIGHTS);
    }
    platform_close(&pf);
    unsetenv("SDL_VIDEODRIVER");
}

/* ---- The user's folders ---------------------------------------------------------------- */

static void test_folders(void) {
    char home[300], cfg[300], file[400], want[400], buf[600];
    FILE *f;
    unsetenv("XDG_PICTURES_DIR");
    unsetenv("XDG_VIDEOS_DIR");
    unsetenv("XDG_DOCUMENTS_DIR");
    snprintf(home, sizeof home, "%s/home", tmp);
    snprintf(cfg, sizeof cfg, "%s/cfg", tmp);
    mkdir(home, 0777);
    mkdir(cfg, 0777);
    snprintf(file, sizeof file, "%s/user-dirs.dirs", cfg);
    if ((f = fopen(file, "w"))) {
        fputs("# written by xdg-user-dirs-update\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n", f);
        fclose(f);
    }
    setenv("HOME", home, 1);
    setenv("XDG_CONFIG_HOME", cfg, 1);
    snprintf(want, sizeof want, "%s/Bilder/gatescope", home);
    CHECK(!strcmp(paths_user_dir(PATHS_PICTURES, buf, sizeof buf), want) && exists(want));
    snprintf(want, sizeof want, "%s/Videos/gatescope", home); /* not in the file: ~/Videos */
    CHECK(!strcmp(paths_user_dir(PATHS_VIDEOS, buf, sizeof buf), want) && exists(want));
    CHECK(!strcmp(paths_pretty(want, buf, sizeof buf), "~/Videos/gatescope"));
    unsetenv("HOME");
    unsetenv("XDG_CONFIG_HOME");
    CHECK(!strcmp(paths_user_dir(PATHS_DOCUMENTS, buf, sizeof buf), "."));
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(void) {
    snprintf(tmp, sizeof tmp, "/tmp/gatescope-share-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_saved_view();
    test_loaded_weights();
    test_trained_weights();
    test_in_lesson();
    test_presenter();
    test_drops();
    test_outputs();
    test_platform();
    test_folders();
    nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    SDL_Quit();
    return check_result("test_app_share");
}
