/* fuzz_weights.c — libFuzzer target for the weights reader (gs_weights_parse) and
 * gs_model_load_weights.  Any bytes go in; the reader must either accept them —
 * then they are JSON cJSON also reads, the header is in range, and loading them into
 * a model of that header either works (every weight finite) or fails with a
 * message — or refuse them with one printable line `fuzz.json[:line:col]: ...`.
 * Each input is read twice: freely, then with one allocation (chosen from the
 * input) failing, which must give GS_ERR_NOMEM (or the same refusal) without a leak.
 * Violations abort, which libFuzzer reports.  Seeds: fuzz/corpus_weights, written by
 * gs_model_save_json (fuzz_weights_seeds.c). */
#include "countdown.h"
#include "gatescope.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) \
    do { \
        if (!(cond)) abort(); \
    } while (0)

/* One line a terminal shows as text: no control bytes. */
static int printable(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F) return 0;
    return 1;
}

/* 1 if data holds a number of 64 characters or more, which cJSON 1.7.15 cannot read
 * (it copies numbers into a 64-byte buffer) though it is JSON. */
static int long_number(const uint8_t *data, size_t size) {
    size_t run = 0;
    for (size_t i = 0; i < size; i++) {
        run = strchr("0123456789.eE+-", data[i]) && data[i] ? run + 1 : 0;
        if (run >= 64) return 1;
    }
    return 0;
}

/* Accepted: it is JSON, and a model of its header takes it or says why not. */
static void accepted(const gs_weights *w, const uint8_t *data, size_t size) {
    gs_variant v = GS_VARIANT_COUNT;
    int m = 0, n = 0, k = 0;
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    REQUIRE((root != NULL && cJSON_IsObject(root)) || (!root && long_number(data, size)));
    cJSON_Delete(root);
    gs_weights_header(w, &v, &m, &n, &k);
    REQUIRE(gs_variant_get(v) != NULL);
    REQUIRE(m >= 1 && m <= 4096 && n >= 1 && n <= 4096 && k >= 1 && k <= 4096);
    if ((double)n * (double)(n + m + k) <= 4096) { /* small enough to build */
        gs_model_config c = gs_model_config_default(v, m, n, k);
        gs_model *model = NULL;
        gs_error err;
        size_t total;
        REQUIRE(gs_model_create(&model, &c, &err) == GS_OK);
        if (gs_model_load_weights(model, w, &err) == GS_OK) {
            const gs_real *P = gs_model_params_const(model, &total);
            for (size_t i = 0; i < total; i++) REQUIRE(isfinite((double)P[i]));
        } else {
            REQUIRE(!strncmp(err.msg, "fuzz.json: ", 11) && printable(err.msg));
        }
        gs_model_destroy(model);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    countdown c = {-1, 0, 0};
    gs_allocator a = {countdown_realloc, &c};
    gs_weights *w = NULL;
    gs_error err, first;
    uint32_t h = 2166136261u;
    gs_status st = gs_weights_parse(&w, "fuzz.json", (const char *)data, size, &a, &first);
    if (st == GS_OK) {
        REQUIRE(w != NULL);
        accepted(w, data, size);
        gs_weights_destroy(w);
    } else {
        REQUIRE(st == GS_ERR_PARSE && w == NULL);
        REQUIRE(!strncmp(first.msg, "fuzz.json:", 10) && printable(first.msg));
        REQUIRE(first.line == 0 || (first.line >= 1 && first.col >= 1));
    }
    REQUIRE(c.live == 0);
    if (c.count == 0) return 0;
    /* again, with one allocation failing */
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 16777619u;
    c.left = (long)(h % (uint32_t)c.count);
    c.live = c.count = 0;
    st = gs_weights_parse(&w, "fuzz.json", (const char *)data, size, &a, &err);
    REQUIRE(w == NULL && c.live == 0);
    REQUIRE(st == GS_ERR_NOMEM || (st == GS_ERR_PARSE && !strcmp(err.msg, first.msg)));
    return 0;
}
