/* test_weights.c — the weights reader is strict and reads once: every kind of JSON
 * it must refuse (duplicate keys, a trailing NUL, a BOM, 01, -.5, \u0000 in a name,
 * ...) with its exact message; names from the file quoted in messages; a FIFO, a
 * pipe (what <(cat w.json) gives) and /dev/stdin read once and loaded; /dev/zero and
 * an endless stream refused within a second; a file past the size limit refused
 * from its size; the memory a load takes, through the allocator hook; and every
 * allocation failing in turn.  Files go into a fresh directory under the working
 * directory. */
#define _POSIX_C_SOURCE 200809L /* fileno, mkdtemp, kill, clock_gettime */

#include "gatescope.h"

#include "check.h"
#include "countdown.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

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
    *len = n;
    return buf;
}

static void spit(const char *path, const char *text, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
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

static int same_params(const gs_model *a, const gs_model *b) {
    size_t na, nb;
    const gs_real *pa = gs_model_params_const(a, &na), *pb = gs_model_params_const(b, &nb);
    return na == nb && memcmp(pa, pb, sizeof(gs_real) * na) == 0;
}

/* No byte a terminal would act on. */
static int printable(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F) return 0;
    return 1;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- Strict JSON: each refusal and its exact message ---------------------------- */

static const char BASE[] =
    "{\"format\":\"gatescope-weights\",\"version\":1,\"variant\":\"rnn\",\n"
    " \"n_in\":1,\"n_hidden\":1,\"n_out\":1,\n"
    " \"tensors\":[\n"
    "  {\"name\":\"W\",\"shape\":[1,1],\"data\":[0.5]}]}\n";

typedef struct refusal {
    const char *from, *to; /* BASE with the first `from` replaced by `to` */
    const char *msg;       /* the whole message, for the name "w.json" */
} refusal;

static const refusal refusals[] = {
    {"\"n_in\":1,", "\"n_in\":1,\"n_in\":1,", "w.json:2:11: duplicate key \"n_in\""},
    {"\"name\":\"W\",", "\"name\":\"W\",\"name\":\"U\",",
     "w.json:4:15: duplicate key \"name\" in tensors[0]"},
    {"[0.5]", "[01]", "w.json:4:37: not valid JSON: a number with a leading zero"},
    {"[0.5]", "[-.5]", "w.json:4:37: not valid JSON: '-' must be followed by a digit"},
    {"[0.5]", "[.5]", "w.json:4:37: not valid JSON: expected a value, found '.'"},
    {"[0.5]", "[1.]", "w.json:4:37: not valid JSON: a digit must follow '.' in a number"},
    {"[0.5]", "[1e+]", "w.json:4:37: not valid JSON: a digit must follow the exponent"},
    {"[0.5]", "[+1]", "w.json:4:37: not valid JSON: expected a value, found '+'"},
    {"[0.5]", "[NaN]", "w.json:4:37: not valid JSON: expected a value, found 'N'"},
    {"[0.5]", "[0x10]", "w.json:4:38: not valid JSON: expected ',' or ']' after a value, found 'x'"},
    {"[0.5]", "[0.5,]", "w.json:4:41: not valid JSON: expected a value after ',', found ']'"},
    {"\"W\"", "\"W\\u0000garbage\"", "w.json:4:14: a string may not hold \\u0000 (NUL)"},
    {"\"W\"", "\"W\nX\"",
     "w.json:4:13: not valid JSON: a raw control character (byte 0x0a) in a string"},
    {"\"W\"", "\"W\xff\"", "w.json:4:13: not valid JSON: byte 0xff is not UTF-8"},
    {"\"W\"", "\"W\xc0\xafX\"", "w.json:4:13: not valid JSON: byte 0xc0 is not UTF-8"},
    {"\"W\"", "\"W\\ud800\"", "w.json:4:14: not valid JSON: \\ud800 is half of a surrogate pair"},
    {"\"W\"", "\"W\\x41\"",
     "w.json:4:14: not valid JSON: expected an escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
     "\\u), found 'x'"},
    {"\"n_out\":1,", "\"n_out\":1,\"comment\":\"hi\",",
     "w.json:2:34: unknown key \"comment\" (a weights file has format, version, variant, n_in, "
     "n_hidden, n_out and tensors)"},
    {"\"data\"", "\"values\"",
     "w.json:4:29: unknown key \"values\" in tensors[0] (a tensor has name, shape and data)"},
    {"{\"format\"", "{\"name\":\"x\",\"format\"",
     "w.json:1:2: not a gatescope weights file (unknown key \"name\")"},
    {"\"n_in\":1", "\"n_in\":\"1\"", "w.json:2:9: \"n_in\" must be a number"},
    {"\"n_in\":1", "\"n_in\":1.5", "w.json:2:9: \"n_in\" must be an integer in 1..4096 (got 1.5)"},
    {"[1,1]", "[1,1,1]", "w.json:4:28: tensor 'W': \"shape\" must be one or two sizes"},
    {"[0.5]", "[null]", "w.json:4:37: tensor 'W': value 0 (W[0]) is not a number"},
    {"[0.5]", "[0.5,\"1\"]", "w.json:4:41: tensor 'W': value 1 (W[1]) is not a number"},
    {"[0.5]", "[1e999]", "w.json:4:37: tensor 'W': value 0 (W[0]) is not finite"},
    {"\"rnn\"", "\"r\\u001b[2Jnn\"",
     "w.json:1:53: unknown variant 'r\\x1b[2Jnn' (did you mean 'rnn'?); variants: rnn, proto, "
     "norm, gru, gru-ra, pseudo, lstm, peephole, nig, nfg, nog, niaf, noaf, np, cifg, fgr"},
    {"[\n  {", "[\n  7,{", "w.json:4:3: tensors[0] must be an object"},
    {"]}\n", "]}\nx", "w.json:5:1: not valid JSON: 'x' after the end of the object"},
    {"]}\n", "]}\n{}", "w.json:5:1: not valid JSON: '{' after the end of the object"},
    {"\"version\":1", "\"version\":2", "w.json:1:41: weights format version 2; this gatescope "
                                       "reads version 1"},
    {",\"n_out\":1", "", "w.json: \"n_out\" is missing"},
};

static void test_refusals(void) {
    char buf[1024];
    gs_weights *w;
    gs_error e;
    size_t i, n = strlen(BASE);
    /* the base itself is fine */
    CHECK(gs_weights_parse(&w, "w.json", BASE, n, NULL, &e) == GS_OK);
    gs_weights_destroy(w);

    for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        const refusal *rf = &refusals[i];
        const char *p = strstr(BASE, rf->from);
        size_t k = (size_t)(p - BASE);
        gs_status st;
        memcpy(buf, BASE, k);
        snprintf(buf + k, sizeof buf - k, "%s%s", rf->to, p + strlen(rf->from));
        memset(&e, 0, sizeof e);
        w = (gs_weights *)&w;
        st = gs_weights_parse(&w, "w.json", buf, strlen(buf), NULL, &e);
        CHECK_MSG(st == GS_ERR_PARSE && w == NULL, "'%s' -> '%s': status %d", rf->from, rf->to, st);
        CHECK_MSG(!strcmp(e.msg, rf->msg), "'%s' -> '%s':\n   got  %s\n   want %s", rf->from,
                  rf->to, e.msg, rf->msg);
        CHECK(printable(e.msg));
    }

    /* bytes no string can show: a trailing NUL, a BOM, nothing at all */
    memcpy(buf, BASE, n + 1);
    CHECK(gs_weights_parse(&w, "w.json", buf, n + 1, NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "w.json:5:1: not valid JSON: a NUL byte after the end of the object"),
              "%s", e.msg);
    snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s", BASE);
    CHECK(gs_weights_parse(&w, "w.json", buf, strlen(buf), NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "w.json:1:1: not valid JSON: the file starts with a byte-order mark "
                             "(save it as UTF-8 without one)"), "%s", e.msg);
    CHECK(e.line == 1 && e.col == 1);
    CHECK(gs_weights_parse(&w, "w.json", "", 0, NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "w.json:1:1: not valid JSON (the file is empty)"), "%s", e.msg);
    CHECK(gs_weights_parse(&w, "w.json", BASE, 60, NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "w.json:2:2: not valid JSON: expected a key in double quotes, found "
                             "the end of the file"), "%s", e.msg);
    CHECK(gs_weights_parse(&w, "w.json", BASE, 14, NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "w.json:1:11: not valid JSON: the file ends inside a string"), "%s",
              e.msg);
    CHECK(gs_weights_parse(NULL, "w.json", BASE, n, NULL, &e) == GS_ERR_ARG);

    /* the same through a file: the path leads the message */
    spit(at("dup.json"), "{\"format\":\"gatescope-weights\",\"format\":1}", 41);
    CHECK(gs_weights_read(&w, at("dup.json"), NULL, &e) == GS_ERR_PARSE);
    snprintf(buf, sizeof buf, "%s:1:31: duplicate key \"format\"", at("dup.json"));
    CHECK_MSG(!strcmp(e.msg, buf), "%s", e.msg);
}

/* Names found in a file reach messages quoted: no newline, no escape sequence. */
static void test_quoted_names(void) {
    gs_model *m = make_model(GS_RNN, 1, 1, 1, 1);
    gs_weights *w = NULL;
    gs_error e;
    char buf[1024];
    const char *p;
    size_t k;
    CHECK(gs_model_save_json(m, at("q.json"), &e) == GS_OK);
    {
        size_t n;
        char *text = slurp(at("q.json"), &n);
        p = strstr(text, "\"name\":\"W\"");
        k = (size_t)(p - text) + 9; /* after "name":"W */
        memcpy(buf, text, k);
        snprintf(buf + k, sizeof buf - k, "\\u001b[31m\\nX\\u009b%s", text + k);
        free(text);
    }
    CHECK(gs_weights_parse(&w, "q.json", buf, strlen(buf), NULL, &e) == GS_OK);
    CHECK(gs_model_load_weights(m, w, &e) == GS_ERR_PARSE);
    CHECK_MSG(!strcmp(e.msg, "q.json: unknown tensor 'W\\x1b[31m\\nX\\u009b' for a rnn model"),
              "%s", e.msg);
    CHECK(printable(e.msg) && strchr(e.msg, '\x1b') == NULL);
    gs_weights_destroy(w);
    gs_model_destroy(m);
}

/* gs_quote, the public face of what every message does with untrusted text. */
static void test_quote(void) {
    char out[64];
    const char *in = "a\x1b[1m\n'\\\xff\xc2\x9b\xe2\x80\xae\xc3\xa9\x7f";
    CHECK(!strcmp(gs_quote(out, sizeof out, in, strlen(in)),
                  "a\\x1b[1m\\n\\'\\\\\\xff\\u009b\\u202e\xc3\xa9\\x7f"));
    CHECK(!strcmp(gs_quote(out, 12, "abcdefghijklmnop", 16), "abcdefgh..."));
    CHECK(!strcmp(gs_quote(out, 12, "\x1b\x1b\x1b\x1b", 4), "\\x1b\\x1b..."));
    CHECK(!strcmp(gs_quote(out, sizeof out, NULL, 3), ""));
}

/* ---- Read once: FIFOs, pipes, /dev/stdin ------------------------------------------- */

/* A child that writes len bytes of text into fd (0 = forever: text repeated) and exits. */
static pid_t feeder(int fd, const char *text, size_t len, const char *again) {
    pid_t pid;
    fflush(NULL);
    if ((pid = fork()) != 0) return pid;
    signal(SIGPIPE, SIG_DFL);
    if (write(fd, text, len) != (ssize_t)len) _exit(1);
    while (again)
        if (write(fd, again, strlen(again)) < 0) _exit(0);
    _exit(0);
}

static void test_streams(void) {
    gs_model *src = make_model(GS_LSTM, 2, 6, 1, 3), *dst = make_model(GS_LSTM, 2, 6, 1, 4);
    gs_weights *w = NULL;
    gs_variant v = GS_RNN;
    gs_error e;
    char *text, path[64];
    size_t n;
    int fds[2], status, hidden = 0;
    pid_t pid;
    CHECK(gs_model_save_json(src, at("s.json"), &e) == GS_OK);
    text = slurp(at("s.json"), &n);
    alarm(20); /* a second open of a FIFO would block: fail, do not hang */

    /* a FIFO: read once, the header, then the model */
    CHECK(mkfifo(at("fifo"), 0644) == 0);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        int fd = open(at("fifo"), O_WRONLY);
        _exit(fd >= 0 && write(fd, text, n) == (ssize_t)n ? 0 : 1);
    }
    CHECK_MSG(gs_weights_read(&w, at("fifo"), NULL, &e) == GS_OK, "%s", e.msg);
    gs_weights_header(w, &v, NULL, &hidden, NULL);
    CHECK(v == GS_LSTM && hidden == 6);
    CHECK(gs_model_load_weights(dst, w, &e) == GS_OK && same_params(src, dst));
    gs_weights_destroy(w);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* a pipe by its /dev/fd name, as <(cat w.json) gives it */
    gs_model_reinit(dst, gs_model_config_of(dst), &e);
    CHECK(pipe(fds) == 0);
    pid = feeder(fds[1], text, n, NULL);
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    CHECK_MSG(gs_model_load_json(dst, path, &e) == GS_OK, "%s", e.msg);
    CHECK(same_params(src, dst));
    close(fds[0]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* /dev/stdin, in a child whose standard input is a pipe */
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        gs_model *mine = make_model(GS_LSTM, 2, 6, 1, 5);
        close(fds[1]);
        dup2(fds[0], 0);
        _exit(gs_model_load_json(mine, "/dev/stdin", &e) == GS_OK && same_params(mine, src) ? 0 : 1);
    }
    close(fds[0]);
    CHECK(write(fds[1], text, n) == (ssize_t)n);
    close(fds[1]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    alarm(0);
    free(text);
    gs_model_destroy(src);
    gs_model_destroy(dst);
}

/* ---- Never hang, never take everything --------------------------------------------- */

static void test_limits(void) {
    gs_model *m = make_model(GS_RNN, 1, 1, 1, 1);
    char expect[512], head[768];
    gs_weights *w;
    gs_error e;
    double t0;
    int fds[2], status, fd;
    pid_t pid;
    uint64_t most = gs_weights_max_bytes();

    /* /dev/zero: its first byte is not JSON */
    t0 = now();
    CHECK(gs_model_load_json(m, "/dev/zero", &e) == GS_ERR_PARSE);
    CHECK_MSG(now() - t0 < 1.0, "/dev/zero took %.2f s", now() - t0);
    CHECK_MSG(!strcmp(e.msg, "/dev/zero:1:1: not valid JSON: expected '{', found a NUL byte"), "%s",
              e.msg);

    /* an endless stream of valid numbers: stopped by what a rnn 1-1-1 file can take */
    snprintf(head, sizeof head, "{\"format\":\"gatescope-weights\",\"version\":1,\"variant\":\"rnn\","
             "\"n_in\":1,\"n_hidden\":1,\"n_out\":1,\"tensors\":[{\"name\":\"W\",\"shape\":[1,1],"
             "\"data\":[0");
    CHECK(pipe(fds) == 0);
    pid = feeder(fds[1], head, strlen(head), ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
    close(fds[1]);
    t0 = now();
    snprintf(expect, sizeof expect, "/dev/fd/%d", fds[0]);
    CHECK(gs_weights_read(&w, expect, NULL, &e) == GS_ERR_PARSE);
    CHECK_MSG(now() - t0 < 1.0, "the endless stream took %.2f s", now() - t0);
    snprintf(head, sizeof head, "%s: too large for the weights of a rnn model with n_in 1, "
             "n_hidden 1, n_out 1: at most %d bytes", expect, 6 * 32 + 65536); /* 6 numbers */
    CHECK_MSG(!strcmp(e.msg, head), "%s", e.msg);
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);

    /* a regular file past the limit: refused from its size, without reading it */
    fd = open(at("huge.json"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)most + 1) == 0);
    close(fd);
    t0 = now();
    CHECK(gs_weights_read(&w, at("huge.json"), NULL, &e) == GS_ERR_PARSE);
    CHECK(now() - t0 < 1.0);
    snprintf(expect, sizeof expect, "%s: too large for a weights file: at most %llu bytes (32 per "
             "number of the largest model, fgr 4096x4096x4096)", at("huge.json"),
             (unsigned long long)most);
    CHECK_MSG(!strcmp(e.msg, expect), "%s", e.msg);
    unlink(at("huge.json"));
    /* the limit is what the largest model written by us needs, with room to spare */
    /* (fgr at 4096: four 4096x8192 blocks and nine 4096x4096 gate recurrences, ~302 M) */
    CHECK(most > (uint64_t)302e6 * 17 && most < (uint64_t)302e6 * 40);
    gs_model_destroy(m);
}

/* An allocator that counts bytes live and the most ever live. */
typedef struct meter {
    size_t live, peak;
} meter;

static void *meter_realloc(void *ud, void *p, size_t n) {
    meter *mt = ud;
    size_t *h = p ? (size_t *)p - 2 : NULL;
    if (h) mt->live -= h[0];
    if (n == 0) {
        free(h);
        return NULL;
    }
    if (!(h = realloc(h, n + 2 * sizeof(size_t)))) return NULL;
    h[0] = n;
    mt->live += n;
    if (mt->live > mt->peak) mt->peak = mt->live;
    return h + 2;
}

/* Memory while loading: about twice the file for a regular file (the numbers as
 * float), at most six times for a pipe — here the worst case, all numbers "0". */
static void test_memory(void) {
    meter mt = {0, 0};
    gs_model_config c = gs_model_config_default(GS_RNN, 1, 400, 1);
    gs_model *zeros = make_model(GS_RNN, 1, 400, 1, 1);
    gs_weights *w = NULL;
    gs_error e;
    size_t n, total;
    char *text, path[64];
    int fds[2], status;
    pid_t pid;
    gs_real *P = gs_model_params(zeros, &total);
    memset(P, 0, sizeof(gs_real) * total);
    CHECK(gs_model_save_json(zeros, at("zeros.json"), &e) == GS_OK);
    text = slurp(at("zeros.json"), &n);
    c.alloc.realloc = meter_realloc;
    c.alloc.ud = &mt;

    CHECK(gs_weights_read(&w, at("zeros.json"), &c.alloc, &e) == GS_OK);
    CHECK_MSG(mt.peak <= 2 * n + 80 * 1024, "file of %zu bytes: %zu bytes at the peak", n, mt.peak);
    gs_weights_destroy(w);
    CHECK(mt.live == 0);

    mt.peak = 0;
    CHECK(pipe(fds) == 0);
    pid = feeder(fds[1], text, n, NULL);
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    CHECK(gs_weights_read(&w, path, &c.alloc, &e) == GS_OK);
    CHECK_MSG(mt.peak <= 6 * n + 80 * 1024, "pipe of %zu bytes: %zu bytes at the peak", n, mt.peak);
    gs_weights_destroy(w);
    close(fds[0]);
    waitpid(pid, &status, 0);
    CHECK(mt.live == 0);
    free(text);
    gs_model_destroy(zeros);
}

/* Every allocation of read + load failing in turn: NOMEM, no leak, model unchanged. */
static void test_alloc_failures(void) {
    countdown c = {-1, 0, 0};
    gs_allocator a = {countdown_realloc, &c};
    gs_model *src = make_model(GS_GRU_RA, 2, 40, 2, 7), *dst = make_model(GS_GRU_RA, 2, 40, 2, 8);
    gs_model *before = make_model(GS_GRU_RA, 2, 40, 2, 8);
    gs_weights *w = NULL;
    gs_error e;
    long k, total;
    CHECK(gs_model_save_json(src, at("a.json"), &e) == GS_OK);
    CHECK(gs_weights_read(&w, at("a.json"), &a, &e) == GS_OK);
    gs_weights_destroy(w);
    total = c.count;
    CHECK(total >= 3 && c.live == 0);
    for (k = 0; k < total; k++) {
        gs_status st;
        c.left = k;
        c.live = c.count = 0;
        st = gs_weights_read(&w, at("a.json"), &a, &e);
        CHECK_MSG(st == GS_ERR_NOMEM && w == NULL && c.live == 0, "allocation %ld: %s", k, e.msg);
        CHECK(strstr(e.msg, "out of memory") != NULL);
        CHECK(same_params(dst, before));
    }
    c.left = -1;
    CHECK(gs_weights_read(&w, at("a.json"), &a, &e) == GS_OK);
    CHECK(gs_model_load_weights(dst, w, &e) == GS_OK && same_params(dst, src));
    gs_weights_destroy(w);
    CHECK(c.live == 0);
    gs_weights_destroy(NULL);
    gs_model_destroy(src);
    gs_model_destroy(dst);
    gs_model_destroy(before);
}

static void remove_tree(const char *d) {
    DIR *dp = opendir(d);
    struct dirent *de;
    char p[512];
    if (!dp) return;
    while ((de = readdir(dp)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", d, de->d_name);
            unlink(p);
        }
    closedir(dp);
    rmdir(d);
}

int main(void) {
    snprintf(dir, sizeof dir, "test_weights.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_refusals();
    test_quoted_names();
    test_quote();
    test_streams();
    test_limits();
    test_memory();
    test_alloc_failures();
    remove_tree(dir);
    return check_result("test_weights");
}
