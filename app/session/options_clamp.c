/* options_clamp.c — the --clamp argument: "VARIANT:GATE[UNIT]=VALUE[,...]" into the
 * setup's clamps, with one-line errors that say what the variant has instead; and the
 * checks that need the whole command line (the variant is shown, the unit exists).
 * Prints nothing. */
#include "session/options.h"
#include "session/options_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why variant vi has no gate sym: the constant it stands for, or its gate list. */
static int no_such_gate(const gs_variant_info *vi, const char *sym, const char *spec, char *err,
                        size_t len) {
    char list[32] = "";
    for (int g = 0; g < vi->n_gates; g++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", g ? ", " : "",
                 vi->gates[g].symbol);
    if (vi->n_gates == 0)
        return options_fail(err, len, "--clamp %.60s: %s has no gates to clamp", spec, vi->name);
    if (vi->coupled && !strcmp(sym, "f"))
        return options_fail(err, len, "--clamp %.60s: %s has no gate 'f': its forget factor is 1 "
                    "\xe2\x88\x92 i, so clamp i (gates: %s)", spec, vi->name, list);
    if (vi->n_states == 2 && (!strcmp(sym, "i") || !strcmp(sym, "f") || !strcmp(sym, "o")))
        return options_fail(err, len, "--clamp %.60s: %s has no gate '%s': it is the constant 1 there "
                    "(gates: %s)", spec, vi->name, sym, list);
    return options_fail(err, len, "--clamp %.60s: %s has no gate '%.8s' (gates: %s)", spec, vi->name, sym,
                list);
}

/* One "VARIANT:GATE[UNIT]=VALUE" (l bytes at p) into c. */
static int parse_clamp(const char *p, size_t l, opt_clamp *c, char *err, size_t len) {
    char spec[96], *colon, *eq, *br, *end;
    const gs_variant_info *vi;
    gs_error e;
    double v;
    if (l == 0) return options_fail(err, len, "--clamp: an empty clamp (write VARIANT:GATE=VALUE, e.g. peephole:f=1)");
    if (l >= sizeof spec) return options_fail(err, len, "--clamp: '%.40s...' is too long", p);
    memcpy(spec, p, l);
    spec[l] = '\0';
    colon = strchr(spec, ':');
    eq = strchr(spec, '=');
    if (!colon || !eq || eq < colon)
        return options_fail(err, len, "--clamp needs VARIANT:GATE=VALUE, e.g. peephole:f=1 (got '%s')", spec);
    *colon = '\0';
    if (gs_variant_from_name(spec, &c->variant, &e) != GS_OK) return options_fail(err, len, "--clamp: %s", e.msg);
    *colon = ':';
    vi = gs_variant_get(c->variant);
    *eq = '\0';
    c->unit = GS_ALL_UNITS;
    if ((br = strchr(colon + 1, '[')) != NULL) { /* f[3]: one unit */
        long u;
        char *close = strchr(br, ']');
        if (!close || close[1] || close == br + 1)
            return options_fail(err, len, "--clamp %s=%s: write one unit as GATE[UNIT], e.g. %s:f[3]=1",
                        spec, eq + 1, vi->name);
        *close = '\0';
        if (options_parse_long(br + 1, 0, 4095, &u))
            return options_fail(err, len, "--clamp %s]=%s: the unit must be a whole number from 0 to 4095",
                        spec, eq + 1);
        *close = ']';
        c->unit = (int)u;
        *br = '\0';
    }
    c->gate = -1;
    for (int g = 0; g < vi->n_gates; g++)
        if (!strcmp(vi->gates[g].symbol, colon + 1)) c->gate = g;
    if (c->gate < 0) {
        char sym[16];
        snprintf(sym, sizeof sym, "%s", colon + 1);
        if (br) *br = '[';
        *eq = '=';
        return no_such_gate(vi, sym, spec, err, len);
    }
    if (br) *br = '[';
    *eq = '=';
    errno = 0;
    v = strtod(eq + 1, &end);
    if (!eq[1] || isspace((unsigned char)eq[1]) || *end || !(v >= 0 && v <= 1))
        return options_fail(err, len, "--clamp %s: the value must be a number from 0 (shut) to 1 (open)",
                    spec);
    c->value = v;
    return 0;
}

int options_parse_clamps(opt_setup *s, const char *arg, char *err, size_t len) {
    const char *p = arg;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (s->n_clamps >= OPT_MAX_CLAMPS)
            return options_fail(err, len, "--clamp: at most %d clamps", OPT_MAX_CLAMPS);
        if (parse_clamp(p, l, &s->clamps[s->n_clamps], err, len)) return 1;
        s->n_clamps++;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

int options_check_clamps(const opt_setup *s, char *err, size_t len) {
    for (int k = 0; k < s->n_clamps; k++) {
        const opt_clamp *c = &s->clamps[k];
        const gs_variant_info *vi = gs_variant_get(c->variant);
        char spec[48];
        int shown = 0;
        if (c->unit == GS_ALL_UNITS)
            snprintf(spec, sizeof spec, "%s:%s=%g", vi->name, vi->gates[c->gate].symbol, c->value);
        else
            snprintf(spec, sizeof spec, "%s:%s[%d]=%g", vi->name, vi->gates[c->gate].symbol, c->unit,
                     c->value);
        for (int i = 0; i < s->n_variants; i++) shown |= s->variants[i] == c->variant;
        if (!shown)
            return options_fail(err, len, "--clamp %s: %s is not among the variants (add it to --variants)",
                        spec, vi->name);
        if (c->unit >= s->hidden)
            return options_fail(err, len, "--clamp %s: there is no unit %d with --hidden %d (units 0 to %d)",
                        spec, c->unit, s->hidden, s->hidden - 1);
    }
    return 0;
}

void options_drop_unshown_clamps(opt_setup *s) {
    int k = 0;
    for (int i = 0; i < s->n_clamps; i++) {
        int shown = 0;
        for (int v = 0; v < s->n_variants; v++) shown |= s->variants[v] == s->clamps[i].variant;
        if (shown) s->clamps[k++] = s->clamps[i];
    }
    s->n_clamps = k;
}
