/* test_variants.c — the variant table agrees with the models it describes: every
 * variant has a name that looks itself up, its equations (one line per gate, in the
 * gate list's order, and nothing for a gate it lacks), gates whose weights exist,
 * peepholes exactly when the flag says so, fgr's nine G_<gate><source> matrices and
 * no other variant's, and a removed gate without any tensor. */
#include "check.h"
#include "gatescope.h"

#include <stdio.h>
#include <string.h>

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static void check_variant(gs_variant v) {
    const gs_variant_info *vi = gs_variant_get(v);
    gs_model_config mc = gs_model_config_default(v, 3, 4, 2);
    gs_model *m = NULL;
    gs_variant back;
    int n_eq = 0, n_p = 0, n_g = 0, line[GS_MAX_GATES];
    CHECK(vi && vi->id == v);
    if (!vi) return;
    CHECK(gs_variant_from_name(vi->name, &back, NULL) == GS_OK && back == v);
    CHECK(gs_model_create(&m, &mc, NULL) == GS_OK);
    if (!m) return;
    while (n_eq < GS_MAX_EQUATIONS && vi->equations[n_eq]) n_eq++;
    CHECK_MSG(n_eq >= 1, "%s has no equations", vi->name);
    for (int g = 0; g < vi->n_gates; g++) {
        char head[16], name[16];
        line[g] = -1;
        snprintf(head, sizeof head, "%s_t = \xcf\x83(", vi->gates[g].symbol);
        for (int e = 0; e < n_eq; e++)
            if (starts(vi->equations[e], head)) line[g] = e;
        CHECK_MSG(line[g] >= 0, "%s: no equation for gate %s", vi->name, vi->gates[g].symbol);
        CHECK_MSG(g == 0 || line[g] > line[g - 1], "%s: gate %s out of order", vi->name,
                  vi->gates[g].symbol);
        snprintf(name, sizeof name, "W_%s", vi->gates[g].symbol);
        CHECK_MSG(gs_model_find_tensor(m, name) != NULL, "%s: no %s", vi->name, name);
        snprintf(name, sizeof name, "p_%s", vi->gates[g].symbol);
        CHECK_MSG((gs_model_find_tensor(m, name) != NULL) == (vi->peepholes != 0),
                  "%s: %s and the peephole flag disagree", vi->name, name);
    }
    for (int e = 0; e < n_eq; e++) { /* no sigmoid line for a gate the variant lacks */
        int is_gate = strstr(vi->equations[e], "_t = \xcf\x83(") != NULL, listed = 0;
        for (int g = 0; g < vi->n_gates; g++) listed |= line[g] == e;
        CHECK_MSG(!is_gate || listed, "%s: equation '%s' is not a listed gate", vi->name,
                  vi->equations[e]);
    }
    for (int i = 0; i < gs_model_tensor_count(m); i++) {
        const gs_tensor *t = gs_model_tensor(m, i);
        n_p += starts(t->name, "p_");
        n_g += starts(t->name, "G_");
        if (v == GS_NIG) CHECK(strcmp(t->name, "W_i") && strcmp(t->name, "b_i") && strcmp(t->name, "p_i"));
        if (v == GS_NFG || v == GS_CIFG) CHECK(strcmp(t->name, "W_f") && strcmp(t->name, "b_f"));
        if (v == GS_NOG) CHECK(strcmp(t->name, "W_o") && strcmp(t->name, "p_o"));
    }
    CHECK(n_p == (vi->peepholes ? vi->n_gates : 0));
    CHECK_MSG(n_g == (vi->gate_recurrence ? vi->n_gates * vi->n_gates : 0), "%s: %d G tensors",
              vi->name, n_g);
    CHECK((v == GS_FGR) == (vi->gate_recurrence != 0) && (v == GS_CIFG) == (vi->coupled != 0));
    CHECK((v == GS_NIAF) == (vi->cand_linear != 0) && (v == GS_NOAF) == (vi->out_linear != 0));
    gs_model_destroy(m);
}

int main(void) {
    for (int v = 0; v < GS_VARIANT_COUNT; v++) check_variant((gs_variant)v);
    CHECK(gs_variant_get(GS_VARIANT_COUNT) == NULL);
    {
        gs_variant v;
        gs_error e;
        CHECK(gs_variant_from_name("cifj", &v, &e) == GS_ERR_ARG);
        CHECK_MSG(strstr(e.msg, "did you mean 'cifg'") && strstr(e.msg, "peephole, nig, nfg, "
                  "nog, niaf, noaf, np, cifg, fgr"), "%s", e.msg);
    }
    return check_result("test_variants");
}
