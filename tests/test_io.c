/* test_io.c — files: the CSV trace (header, quantities, row counts, values read back
 * equal to the seq's, inf/nan spelled out) and the JSON weights (bit-exact round trip
 * for every variant; every load error gives a status and a message naming the
 * problem, and leaves the model unchanged).  The reader's strict-JSON refusals,
 * streams and limits are in test_weights.c; writes under faults (full disks, kills,
 * devices) in test_outfile.c.  Temporary files go into the working directory (ctest
 * runs this in the build's tests/ directory). */
#include "gatescope.h"

#include "check.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_FILE "test_io_trace.csv"
#define WEIGHTS_FILE "test_io_weights.json"
#define BROKEN_FILE "test_io_broken.json"

/* ---- Small helpers ----------------------------------------------------------- */

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

/* A seq of T steps of the adding task (m = 2, k = 1), forward and backward. */
static gs_seq *run_adding(gs_model *model, int T, int truncate) {
    gs_task_config tc = gs_task_config_default(GS_TASK_ADDING);
    gs_task *task = NULL;
    gs_seq *s = NULL;
    gs_error e;
    gs_backward_opts bo;
    tc.length = T;
    if (gs_task_create(&task, &tc, &e) != GS_OK || gs_seq_create(&s, model, T, 1, &e) != GS_OK ||
        gs_seq_fill(s, task, 7, &e) != GS_OK) {
        fprintf(stderr, "setup: %s\n", e.msg);
        exit(1);
    }
    gs_task_destroy(task);
    gs_seq_forward(s, T);
    memset(&bo, 0, sizeof bo);
    bo.truncate = truncate;
    bo.jacobian = 1;
    CHECK(gs_seq_backward(s, &bo, &e) == GS_OK);
    return s;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    *len = fread(buf, 1, (size_t)size, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static int exists(const char *path) {
    FILE *f = fopen(path, "r");
    if (f) fclose(f);
    return f != NULL;
}

static void spit(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static int write_trace(const gs_seq *s) {
    FILE *f = fopen(TRACE_FILE, "w");
    gs_error e;
    gs_status st;
    if (!f) return 0;
    st = gs_seq_write_csv(s, f, 1, &e);
    fclose(f);
    if (st != GS_OK) fprintf(stderr, "write_csv: %s\n", e.msg);
    return st == GS_OK;
}

/* ---- CSV ------------------------------------------------------------------- */

#define MAX_Q 40

typedef struct qcount {
    char name[24];
    int rows;
} qcount;

typedef struct trace_check {
    qcount q[MAX_Q];
    int nq;
    int rows;        /* data rows */
    int mismatches;  /* values that differ from the seq's */
    int grad_zero;   /* has_grad rows with value 0 */
    int bad_rows;    /* rows that do not parse */
} trace_check;

static qcount *count_of(trace_check *tc, const char *name) {
    for (int i = 0; i < tc->nq; i++)
        if (!strcmp(tc->q[i].name, name)) return &tc->q[i];
    if (tc->nq == MAX_Q) return NULL;
    snprintf(tc->q[tc->nq].name, sizeof tc->q[0].name, "%s", name);
    tc->q[tc->nq].rows = 0;
    return &tc->q[tc->nq++];
}

static int rows_of(const trace_check *tc, const char *name) {
    for (int i = 0; i < tc->nq; i++)
        if (!strcmp(tc->q[i].name, name)) return tc->q[i].rows;
    return 0;
}

/* Which per-unit quantity a CSV name is: gate symbols, cand/n, states, d_<state>. */
static int unit_quantity(const gs_variant_info *vi, const char *name, gs_quantity *q,
                         int *index) {
    char dname[16];
    int i;
    *index = 0;
    if (!strcmp(name, "x")) { *q = GS_Q_X; return 1; }
    if (!strcmp(name, "out")) { *q = GS_Q_OUT; return 1; }
    if (!strcmp(name, "y")) { *q = GS_Q_Y; return 1; }
    if (!strcmp(name, "target")) { *q = GS_Q_TARGET; return 1; }
    if (!strcmp(name, "d_x")) { *q = GS_Q_D_X; return 1; }
    if (vi->cand_symbol && !strcmp(name, vi->cand_symbol)) { *q = GS_Q_CAND; return 1; }
    for (i = 0; i < vi->n_gates; i++)
        if (!strcmp(name, vi->gates[i].symbol)) {
            *q = GS_Q_GATE;
            *index = i;
            return 1;
        }
    for (i = 0; i < vi->n_states; i++) {
        snprintf(dname, sizeof dname, "d_%s", vi->state_symbols[i]);
        if (!strcmp(name, vi->state_symbols[i])) { *q = GS_Q_STATE; *index = i; return 1; }
        if (!strcmp(name, dname)) { *q = GS_Q_D_STATE; *index = i; return 1; }
    }
    return 0;
}

/* Read TRACE_FILE back: header exact, every value equal to the seq's. */
static trace_check read_trace(const gs_seq *s) {
    trace_check tc;
    const gs_variant_info *vi = gs_variant_get(gs_model_config_of(gs_seq_model(s))->variant);
    FILE *f = fopen(TRACE_FILE, "r");
    char line[256];
    memset(&tc, 0, sizeof tc);
    CHECK(f != NULL);
    if (!f) return tc;
    CHECK(fgets(line, sizeof line, f) && !strcmp(line, "variant,step,quantity,unit,value\n"));
    while (fgets(line, sizeof line, f)) {
        char *field[5], *p = line, *end;
        int nf = 0, step, unit, idx, len;
        double v, want;
        gs_quantity q;
        qcount *c;
        line[strcspn(line, "\n")] = '\0';
        field[nf++] = p;
        while ((p = strchr(p, ',')) && nf < 5) {
            *p++ = '\0';
            field[nf++] = p;
        }
        if (nf != 5 || strcmp(field[0], vi->name) != 0) {
            tc.bad_rows++;
            continue;
        }
        step = (int)strtol(field[1], &end, 10);
        v = strtod(field[4], &end);
        if (*end) {
            tc.bad_rows++;
            continue;
        }
        tc.rows++;
        if ((c = count_of(&tc, field[2]))) c->rows++;
        if (field[3][0]) { /* per unit */
            const gs_real *vals;
            unit = atoi(field[3]);
            if (!unit_quantity(vi, field[2], &q, &idx) ||
                !(vals = gs_seq_values(s, q, idx, step, 0, &len)) || unit < 0 || unit >= len) {
                tc.bad_rows++;
                continue;
            }
            /* a float printed with 9 digits reads back exactly */
            if (!((gs_real)v == vals[unit] || (isnan(v) && isnan(vals[unit])))) tc.mismatches++;
        } else { /* scalar: the same name gs_seq_scalar knows */
            if (gs_seq_scalar(s, field[2], step, &want, NULL) != GS_OK) {
                tc.bad_rows++;
                continue;
            }
            if (!strcmp(field[2], "has_grad") && v == 0) tc.grad_zero++;
            /* %.9g of a double: 9 significant digits */
            if (!(v == want || fabs(v - want) <= 1e-8 * fabs(want) || (isnan(v) && isnan(want))))
                tc.mismatches++;
        }
    }
    fclose(f);
    return tc;
}

static void test_csv_lstm(void) {
    const int m = 2, n = 3, k = 1, T = 6;
    gs_model *model = make_model(GS_LSTM, m, n, k, 3);
    gs_seq *s = run_adding(model, T, 0);
    trace_check tc;
    CHECK(write_trace(s));
    tc = read_trace(s);
    CHECK_MSG(tc.bad_rows == 0, "%d rows do not parse", tc.bad_rows);
    CHECK_MSG(tc.mismatches == 0, "%d values differ from the seq", tc.mismatches);
    CHECK(rows_of(&tc, "x") == T * m);
    CHECK(rows_of(&tc, "i") == T * n);
    CHECK(rows_of(&tc, "f") == T * n);
    CHECK(rows_of(&tc, "o") == T * n);
    CHECK(rows_of(&tc, "cand") == T * n);
    CHECK(rows_of(&tc, "c") == (T + 1) * n); /* step 0: the initial state */
    CHECK(rows_of(&tc, "h") == (T + 1) * n);
    CHECK(rows_of(&tc, "out") == T * n);
    CHECK(rows_of(&tc, "y") == T * k);
    CHECK(rows_of(&tc, "target") == T * k);
    CHECK(rows_of(&tc, "d_c") == T * n);
    CHECK(rows_of(&tc, "d_h") == T * n);
    CHECK(rows_of(&tc, "d_x") == T * m);
    CHECK(rows_of(&tc, "loss") == 1); /* adding: the last step only */
    CHECK(rows_of(&tc, "c_norm") == T && rows_of(&tc, "c_max") == T);
    CHECK(rows_of(&tc, "h_norm") == T && rows_of(&tc, "h_max") == T);
    CHECK(rows_of(&tc, "d_c_norm") == T && rows_of(&tc, "d_h_norm") == T);
    CHECK(rows_of(&tc, "d_x_norm") == T);
    CHECK(rows_of(&tc, "jac_sigma") == T);
    CHECK(rows_of(&tc, "shrink") == T);
    CHECK(rows_of(&tc, "has_grad") == T);
    CHECK(tc.grad_zero == 0);
    CHECK(rows_of(&tc, "s") == 0 && rows_of(&tc, "gamma_w") == 0 && rows_of(&tc, "z") == 0);
    CHECK(tc.nq == 24);
    CHECK(tc.rows == 2 * n + T * (2 * m + 9 * n + 2 * k) + 1 + T * 10);
    gs_seq_destroy(s);

    /* truncated: gradient rows only inside the window, has_grad 0 before it */
    s = run_adding(model, T, 2);
    CHECK(write_trace(s));
    tc = read_trace(s);
    CHECK(tc.bad_rows == 0 && tc.mismatches == 0);
    CHECK(rows_of(&tc, "d_c") == 2 * n && rows_of(&tc, "d_x") == 2 * m);
    CHECK(rows_of(&tc, "d_c_norm") == 2 && rows_of(&tc, "d_x_norm") == 2);
    CHECK(rows_of(&tc, "jac_sigma") == 2);
    CHECK(rows_of(&tc, "has_grad") == T && tc.grad_zero == T - 2);
    gs_seq_destroy(s);
    gs_model_destroy(model);
}

static void test_csv_rnn(void) {
    const int m = 2, n = 4, k = 1, T = 5;
    gs_model *model = make_model(GS_RNN, m, n, k, 11);
    gs_seq *s = run_adding(model, T, 0);
    trace_check tc;
    char *text;
    size_t len;
    CHECK(write_trace(s));
    tc = read_trace(s);
    CHECK(tc.bad_rows == 0);
    CHECK_MSG(tc.mismatches == 0, "%d values differ from the seq", tc.mismatches);
    CHECK(rows_of(&tc, "gamma_w") == 1);
    CHECK(rows_of(&tc, "s") == (T + 1) * n);
    CHECK(rows_of(&tc, "d_s") == T * n);
    CHECK(rows_of(&tc, "s_norm") == T && rows_of(&tc, "s_max") == T);
    CHECK(rows_of(&tc, "d_s_norm") == T);
    CHECK(rows_of(&tc, "shrink") == T && rows_of(&tc, "jac_sigma") == T);
    CHECK(rows_of(&tc, "cand") == 0 && rows_of(&tc, "c") == 0 && rows_of(&tc, "i") == 0);
    text = slurp(TRACE_FILE, &len);
    CHECK(text && strstr(text, "\nrnn,0,gamma_w,,"));
    free(text);

    /* non-finite values are spelled inf, -inf, nan — never -nan */
    {
        gs_real *x = gs_seq_inputs(s);
        gs_error e;
        x[0] = (gs_real)INFINITY;
        x[1] = -(gs_real)INFINITY;
        x[2] = -(gs_real)NAN; /* a NaN with its sign bit set: glibc would print -nan */
        gs_seq_rewind(s);
        gs_seq_forward(s, T);
        CHECK(gs_seq_backward(s, NULL, &e) == GS_OK);
        CHECK(write_trace(s));
        text = slurp(TRACE_FILE, &len);
        CHECK(text != NULL);
        if (text) {
            CHECK(strstr(text, "\nrnn,1,x,0,inf\n") != NULL);
            CHECK(strstr(text, "\nrnn,1,x,1,-inf\n") != NULL);
            CHECK(strstr(text, "\nrnn,2,x,0,nan\n") != NULL);
            CHECK(strstr(text, ",nan\n") != NULL);
            CHECK(strstr(text, "-nan") == NULL);
            CHECK(strstr(text, "NaN") == NULL && strstr(text, "INF") == NULL);
        }
        free(text);
        tc = read_trace(s);
        CHECK(tc.bad_rows == 0 && tc.mismatches == 0);
    }
    gs_seq_destroy(s);
    gs_model_destroy(model);
}

static void test_csv_args(void) {
    gs_error e;
    gs_model *model = make_model(GS_GRU_RA, 2, 2, 1, 1);
    gs_seq *s = run_adding(model, 3, 0);
    trace_check tc;
    e.msg[0] = '\0';
    CHECK(gs_seq_write_csv(NULL, stdout, 1, &e) == GS_ERR_ARG && e.msg[0]);
    CHECK(gs_seq_write_csv(s, NULL, 1, NULL) == GS_ERR_ARG);
    /* gru-ra calls its candidate n */
    CHECK(write_trace(s));
    tc = read_trace(s);
    CHECK(tc.bad_rows == 0 && tc.mismatches == 0);
    CHECK(rows_of(&tc, "n") == 3 * 2 && rows_of(&tc, "cand") == 0);
    CHECK(rows_of(&tc, "r") == 3 * 2 && rows_of(&tc, "z") == 3 * 2);
    /* a sequence with no step computed: the header and nothing else */
    {
        gs_seq *empty = NULL;
        size_t len;
        char *text;
        CHECK(gs_seq_create(&empty, model, 3, 1, &e) == GS_OK);
        CHECK(write_trace(empty));
        text = slurp(TRACE_FILE, &len);
        CHECK(text && !strcmp(text, "variant,step,quantity,unit,value\n"));
        free(text);
        gs_seq_destroy(empty);
    }
    /* without a header: no header line */
    {
        FILE *f = fopen(TRACE_FILE, "w");
        char first[64] = "";
        CHECK(f && gs_seq_write_csv(s, f, 0, &e) == GS_OK);
        if (f) fclose(f);
        f = fopen(TRACE_FILE, "r");
        CHECK(f && fgets(first, sizeof first, f) && !strncmp(first, "gru-ra,0,s,0,", 13));
        if (f) fclose(f);
    }
    gs_seq_destroy(s);
    gs_model_destroy(model);
}

/* ---- JSON: round trip -------------------------------------------------------- */

static int same_bits(const gs_model *a, const gs_model *b) {
    size_t na, nb;
    const gs_real *pa = gs_model_params_const(a, &na), *pb = gs_model_params_const(b, &nb);
    return na == nb && memcmp(pa, pb, sizeof(gs_real) * na) == 0;
}

static void test_json_roundtrip(void) {
    gs_error e;
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        gs_model *a = make_model((gs_variant)v, 3, 5, 2, 100 + (uint64_t)v);
        gs_model *b = make_model((gs_variant)v, 3, 5, 2, 200 + (uint64_t)v);
        gs_real *P = gs_model_params(a, NULL);
        const gs_tensor *t0 = gs_model_tensor(a, 0);
        gs_variant pv = GS_RNN;
        int pm = 0, pn = 0, pk = 0;
        /* awkward values: -0, the smallest normal and subnormal, the largest float */
        P[t0->offset + 0] = -(gs_real)0.0;
        P[t0->offset + 1] = (gs_real)FLT_MIN;
        P[t0->offset + 2] = (gs_real)FLT_MIN / (gs_real)1024.0;
        P[t0->offset + 3] = -(gs_real)FLT_MAX;
        P[t0->offset + 4] = (gs_real)(1.0 / 3.0);
        CHECK(!same_bits(a, b));
        CHECK_MSG(gs_model_save_json(a, WEIGHTS_FILE, &e) == GS_OK, "%s", e.msg);
        CHECK_MSG(gs_model_load_json(b, WEIGHTS_FILE, &e) == GS_OK, "%s: %s",
                  gs_variant_get((gs_variant)v)->name, e.msg);
        CHECK_MSG(same_bits(a, b), "%s: loaded weights differ",
                  gs_variant_get((gs_variant)v)->name);
        CHECK(gs_weights_peek(WEIGHTS_FILE, &pv, &pm, &pn, &pk, &e) == GS_OK);
        CHECK(pv == (gs_variant)v && pm == 3 && pn == 5 && pk == 2);
        CHECK(gs_weights_peek(WEIGHTS_FILE, NULL, NULL, NULL, NULL, &e) == GS_OK);
        gs_model_destroy(a);
        gs_model_destroy(b);
    }
}

/* The saved file records every tensor of the model under its name and shape. */
static void test_json_layout(void) {
    gs_model *a = make_model(GS_PEEPHOLE, 2, 4, 3, 5);
    gs_error e;
    size_t len;
    char *text;
    cJSON *root;
    CHECK(gs_model_save_json(a, WEIGHTS_FILE, &e) == GS_OK);
    text = slurp(WEIGHTS_FILE, &len);
    root = text ? cJSON_Parse(text) : NULL;
    CHECK(root != NULL);
    if (root) {
        const cJSON *ts = cJSON_GetObjectItem(root, "tensors");
        CHECK(!strcmp(cJSON_GetObjectItem(root, "format")->valuestring, "gatescope-weights"));
        CHECK(cJSON_GetObjectItem(root, "version")->valuedouble == 1);
        CHECK(!strcmp(cJSON_GetObjectItem(root, "variant")->valuestring, "peephole"));
        CHECK(cJSON_GetObjectItem(root, "n_in")->valuedouble == 2);
        CHECK(cJSON_GetObjectItem(root, "n_hidden")->valuedouble == 4);
        CHECK(cJSON_GetObjectItem(root, "n_out")->valuedouble == 3);
        CHECK(cJSON_GetArraySize(ts) == gs_model_tensor_count(a));
        for (int i = 0; i < gs_model_tensor_count(a); i++) {
            const gs_tensor *t = gs_model_tensor(a, i);
            const cJSON *entry = cJSON_GetArrayItem(ts, i);
            const cJSON *shape = cJSON_GetObjectItem(entry, "shape");
            const cJSON *data = cJSON_GetObjectItem(entry, "data");
            const gs_real *P = gs_model_params_const(a, NULL);
            CHECK(!strcmp(cJSON_GetObjectItem(entry, "name")->valuestring, t->name));
            CHECK(cJSON_GetArrayItem(shape, 0)->valuedouble == t->rows);
            CHECK(cJSON_GetArraySize(data) == t->rows * t->cols);
            /* row-major: element (r, c) at r*cols + c */
            int r = t->rows - 1, c = t->cols - 1;
            CHECK((gs_real)cJSON_GetArrayItem(data, r * t->cols + c)->valuedouble ==
                  P[t->offset + (size_t)r * (size_t)t->ld + (size_t)c]);
        }
        cJSON_Delete(root);
    }
    free(text);
    gs_model_destroy(a);
}

/* ---- JSON: load errors ------------------------------------------------------------ */

/* Load path into m expecting status want and every needle in the message; m must
 * come out unchanged. */
static void expect_load_error(gs_model *m, const char *path, gs_status want, const char *needle1,
                              const char *needle2, int line) {
    gs_model *before = NULL;
    gs_error e;
    gs_status st;
    memset(&e, 0, sizeof e);
    gs_model_clone(&before, m, NULL);
    st = gs_model_load_json(m, path, &e);
    CHECK_MSG(st == want, "line %d: status %s, expected %s (%s)", line, gs_status_name(st),
              gs_status_name(want), e.msg);
    CHECK_MSG(strstr(e.msg, needle1) != NULL, "line %d: message '%s' lacks '%s'", line, e.msg,
              needle1);
    if (needle2)
        CHECK_MSG(strstr(e.msg, needle2) != NULL, "line %d: message '%s' lacks '%s'", line, e.msg,
                  needle2);
    CHECK_MSG(strchr(e.msg, '\n') == NULL, "line %d: message has a newline", line);
    CHECK_MSG(same_bits(m, before), "line %d: a failed load changed the model", line);
    gs_model_destroy(before);
}

/* Load the saved file as a tree, let edit change it, write BROKEN_FILE. */
static void write_edited(void (*edit)(cJSON *root)) {
    size_t len;
    char *text = slurp(WEIGHTS_FILE, &len), *out;
    cJSON *root = cJSON_Parse(text);
    edit(root);
    out = cJSON_Print(root);
    spit(BROKEN_FILE, out);
    free(out);
    cJSON_Delete(root);
    free(text);
}

static cJSON *tensor_named(cJSON *root, const char *name) {
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "tensors"))
        if (!strcmp(cJSON_GetObjectItem(t, "name")->valuestring, name)) return t;
    return NULL;
}

static void drop_b_f(cJSON *root) {
    cJSON *ts = cJSON_GetObjectItem(root, "tensors"), *t;
    int i = 0;
    cJSON_ArrayForEach(t, ts) {
        if (!strcmp(cJSON_GetObjectItem(t, "name")->valuestring, "b_f")) break;
        i++;
    }
    cJSON_DeleteItemFromArray(ts, i);
}
static void rename_unknown(cJSON *root) {
    cJSON_ReplaceItemInObject(tensor_named(root, "U_o"), "name", cJSON_CreateString("U_q"));
}
static void duplicate_w_i(cJSON *root) {
    cJSON_AddItemToArray(cJSON_GetObjectItem(root, "tensors"),
                         cJSON_Duplicate(tensor_named(root, "W_i"), 1));
}
static void bad_shape(cJSON *root) {
    int dims[2] = { 4, 3 };
    cJSON_ReplaceItemInObject(tensor_named(root, "W_f"), "shape", cJSON_CreateIntArray(dims, 2));
}
static void short_data(cJSON *root) {
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(tensor_named(root, "U_i"), "data"), 0);
}
static void string_value(cJSON *root) {
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(tensor_named(root, "b_o"), "data"), 1,
                             cJSON_CreateString("0.5"));
}
static void null_value(cJSON *root) { /* cJSON's own spelling of NaN */
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(tensor_named(root, "V"), "data"), 2,
                             cJSON_CreateNull());
}
static void huge_value(cJSON *root) { /* finite in JSON, beyond float (and 1e999: inf) */
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(tensor_named(root, "c"), "data"), 0,
                             cJSON_CreateRaw("1e999"));
}
static void float_overflow(cJSON *root) { /* a double, but beyond float */
    cJSON_ReplaceItemInArray(cJSON_GetObjectItem(tensor_named(root, "h0"), "data"), 3,
                             cJSON_CreateNumber(1e39));
}
static void bad_format(cJSON *root) {
    cJSON_ReplaceItemInObject(root, "format", cJSON_CreateString("something-else"));
}
static void bad_version(cJSON *root) {
    cJSON_ReplaceItemInObject(root, "version", cJSON_CreateNumber(2));
}
static void no_tensors(cJSON *root) { cJSON_DeleteItemFromObject(root, "tensors"); }
static void bad_variant_name(cJSON *root) {
    cJSON_ReplaceItemInObject(root, "variant", cJSON_CreateString("lstn"));
}

static void test_json_errors(void) {
    gs_model *m = make_model(GS_LSTM, 2, 4, 1, 9);
    gs_model *other = make_model(GS_LSTM, 2, 4, 1, 10);
    gs_model *gru = make_model(GS_GRU, 2, 4, 1, 9);
    gs_model *bigger = make_model(GS_LSTM, 2, 5, 1, 9);
    gs_error e;
    size_t len;
    char *text, *p;

    CHECK(gs_model_save_json(other, WEIGHTS_FILE, &e) == GS_OK);

    expect_load_error(m, "test_io_no_such_file.json", GS_ERR_IO, "cannot open",
                      "test_io_no_such_file.json", __LINE__);

    expect_load_error(m, ".", GS_ERR_IO, "cannot read", NULL, __LINE__); /* a directory */

    spit(BROKEN_FILE, "{\"format\": \"gatescope-weights\",\n  \"version\": 1,,\n}");
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, BROKEN_FILE ":2:", "not valid JSON", __LINE__);
    memset(&e, 0, sizeof e);
    gs_model_load_json(m, BROKEN_FILE, &e);
    CHECK(e.line == 2 && e.col > 1);
    spit(BROKEN_FILE, "");
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "not valid JSON", "empty", __LINE__);
    spit(BROKEN_FILE, "[1, 2, 3]");
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "not a gatescope weights file", NULL, __LINE__);

    /* NaN is not JSON: a file holding it does not parse */
    text = slurp(WEIGHTS_FILE, &len);
    p = strstr(text, "\"data\":[") + 8;
    memcpy(p, "NaN", 3); /* overwrites the first digits of the first value */
    spit(BROKEN_FILE, text);
    free(text);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "not valid JSON", BROKEN_FILE, __LINE__);

    /* a valid file for another model */
    CHECK(gs_model_save_json(gru, BROKEN_FILE, &e) == GS_OK);
    expect_load_error(m, BROKEN_FILE, GS_ERR_ARG, "variant is 'gru', the model is 'lstm'",
                      BROKEN_FILE, __LINE__);
    CHECK(gs_model_save_json(bigger, BROKEN_FILE, &e) == GS_OK);
    expect_load_error(m, BROKEN_FILE, GS_ERR_ARG, "n_hidden 5", BROKEN_FILE, __LINE__);

    /* broken tensors */
    write_edited(drop_b_f);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'b_f' is missing", BROKEN_FILE,
                      __LINE__);
    write_edited(rename_unknown);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "unknown tensor 'U_q'", BROKEN_FILE, __LINE__);
    write_edited(duplicate_w_i);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "'W_i' appears more than once", NULL,
                      __LINE__);
    write_edited(bad_shape);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'W_f' has shape [4,3]", "[4,4]",
                      __LINE__);
    write_edited(short_data);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'U_i' has 7 values", "needs 8",
                      __LINE__);
    write_edited(string_value);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'b_o'", "b_o[1]) is not a number",
                      __LINE__);
    write_edited(null_value);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'V'", "is not a number", __LINE__);
    write_edited(huge_value);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "tensor 'c'", "not finite", __LINE__);
#ifndef GS_REAL_DOUBLE
    write_edited(float_overflow);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "h0[3]", "out of range", __LINE__);
#endif
    write_edited(bad_format);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "not a gatescope weights file", NULL,
                      __LINE__);
    write_edited(bad_version);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "version 2", NULL, __LINE__);
    write_edited(no_tensors);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "\"tensors\"", NULL, __LINE__);
    write_edited(bad_variant_name);
    expect_load_error(m, BROKEN_FILE, GS_ERR_PARSE, "unknown variant 'lstn'", "did you mean 'lstm'",
                      __LINE__);
    CHECK(gs_weights_peek(BROKEN_FILE, NULL, NULL, NULL, NULL, &e) == GS_ERR_PARSE);
    CHECK(gs_weights_peek("test_io_no_such_file.json", NULL, NULL, NULL, NULL, &e) == GS_ERR_IO);

    /* and after all that, the good file still loads */
    CHECK(gs_model_load_json(m, WEIGHTS_FILE, &e) == GS_OK);
    CHECK(same_bits(m, other));

    /* saving refuses what JSON cannot hold, before creating the file */
    remove(BROKEN_FILE);
    gs_model_params(other, NULL)[gs_model_find_tensor(other, "b_o")->offset + 2] = (gs_real)NAN;
    memset(&e, 0, sizeof e);
    CHECK(gs_model_save_json(other, BROKEN_FILE, &e) == GS_ERR_STATE);
    CHECK_MSG(strstr(e.msg, "b_o[2]") && strstr(e.msg, "nan"), "%s", e.msg);
    CHECK(!exists(BROKEN_FILE));
    CHECK(gs_model_save_json(m, "no_such_dir/x.json", &e) == GS_ERR_IO);
    CHECK(strstr(e.msg, "no_such_dir/x.json") != NULL);
    CHECK(gs_model_load_json(NULL, WEIGHTS_FILE, &e) == GS_ERR_ARG);

    gs_model_destroy(m);
    gs_model_destroy(other);
    gs_model_destroy(gru);
    gs_model_destroy(bigger);
}

int main(void) {
    test_csv_lstm();
    test_csv_rnn();
    test_csv_args();
    test_json_roundtrip();
    test_json_layout();
    test_json_errors();
    remove(TRACE_FILE);
    remove(WEIGHTS_FILE);
    remove(BROKEN_FILE);
    return check_result("test_io");
}
