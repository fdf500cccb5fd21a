/* fuzz_weights_seeds.c — writes the seed corpus of fuzz_weights: one small weights
 * file per variant, made by gs_model_save_json, plus the same lstm file printed by
 * cJSON (indented, spaces after commas).  scripts/fuzz.sh runs it into its working
 * corpus each time, so the seeds follow the writer; fuzz/corpus_weights holds a
 * committed copy.  Usage: fuzz_weights_seeds DIR */
#include "gatescope.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>


int main(int argc, char **argv) {
    char path[1024], lstm[1024] = "";
    gs_error err;
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_weights_seeds DIR\n");
        return 2;
    }
    for (int v = 0; v < GS_VARIANT_COUNT; v++) {
        /* small sizes that differ between variants: inputs 1-2, state 1-3, outputs 1-2 */
        gs_model_config c = gs_model_config_default((gs_variant)v, 1 + v % 2, 1 + v % 3,
                                                    1 + (v / 3) % 2);
        gs_model *m = NULL;
        c.seed = 11 + (uint64_t)v;
        snprintf(path, sizeof path, "%s/%s.json", argv[1], gs_variant_get((gs_variant)v)->name);
        if (gs_model_create(&m, &c, &err) != GS_OK || gs_model_save_json(m, path, &err) != GS_OK) {
            fprintf(stderr, "fuzz_weights_seeds: %s\n", err.msg);
            return 1;
        }
        if (v == GS_LSTM) snprintf(lstm, sizeof lstm, "%s", path);
        gs_model_destroy(m);
    }
    {
        FILE *f = fopen(lstm, "rb");
        static char text[65536];
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        gs_outfile *o = NULL;
        cJSON *root;
        char *pretty;
        if (f) fclose(f);
        text[n] = '\0';
        root = cJSON_Parse(text);
        pretty = root ? cJSON_Print(root) : NULL;
        snprintf(path, sizeof path, "%s/lstm-pretty.json", argv[1]);
        /* commit reports any failed printf: the first error stays latched */
        if (!pretty || gs_outfile_open(&o, path, NULL, &err) != GS_OK ||
            (gs_outfile_printf(o, "%s", pretty), gs_outfile_commit(o, &err)) != GS_OK) {
            fprintf(stderr, "fuzz_weights_seeds: cannot write %s\n", path);
            return 1;
        }
        free(pretty);
        cJSON_Delete(root);
    }
    return 0;
}
