/* budget.c — the memory this process may use, and the checks that refuse a scene or
 * a training run that cannot fit it, before anything is allocated.  The sizes are the
 * engine's (gs_*_bytes_needed); this file only knows the machine. */
#define _POSIX_C_SOURCE 200809L /* sysconf, getrlimit */
#include "session/budget.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- The machine ------------------------------------------------------------------ */

/* MemAvailable from /proc/meminfo in bytes, or -1. */
static double mem_available(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    double kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1) break;
    fclose(f);
    return kib >= 0 ? kib * 1024.0 : -1;
}

/* "2G", "512M", "64k", "1000" (bytes) -> bytes; -1 if not such a number. */
static double parse_size(const char *s) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0) || !isfinite(v)) return -1;
    switch (toupper((unsigned char)*end)) {
    case 'K': v *= 1024.0, end++; break;
    case 'M': v *= 1024.0 * 1024.0, end++; break;
    case 'G': v *= 1024.0 * 1024.0 * 1024.0, end++; break;
    case 'T': v *= 1024.0 * 1024.0 * 1024.0 * 1024.0, end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B') end += *end == 'i' && end[1] == 'B' ? 2 : 1;
    return *end ? -1 : v;
}

double budget_memory(const char **why) {
    const char *env = getenv("GATESCOPE_MEMORY");
    double avail = mem_available(), v;
    struct rlimit rl;
    const char *w = "available memory";
    if (avail < 0) {
        long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        avail = pages > 0 && size > 0 ? (double)pages * (double)size : (double)INFINITY;
    }
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (double)rl.rlim_cur < avail)
        avail = (double)rl.rlim_cur, w = "the address-space limit (ulimit -v)";
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (double)rl.rlim_cur < avail)
        avail = (double)rl.rlim_cur, w = "the data-size limit (ulimit -d)";
    if (env && *env && (v = parse_size(env)) > 0 && v < avail) avail = v, w = "GATESCOPE_MEMORY";
    if (why) *why = w;
    return avail;
}

void budget_format(char *buf, size_t len, double bytes) {
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
    int u = 0;
    while (bytes >= 1024.0 && u < 5) bytes /= 1024.0, u++;
    if (u == 0) snprintf(buf, len, "%.0f bytes", bytes);
    else snprintf(buf, len, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* ---- Scenes and training ------------------------------------------------------------ */

static gs_model_config model_config(const opt_setup *s, int i, int n_in, int n_out) {
    gs_model_config mc = gs_model_config_default(s->variants[i], n_in, s->hidden, n_out);
    mc.init = s->init;
    return mc;
}

double budget_scene_bytes(const opt_setup *setup, int n_in, int n_out, int T, int jacobian) {
    double total = 0;
    for (int i = 0; i < setup->n_variants; i++) {
        gs_model_config mc = model_config(setup, i, n_in, n_out);
        total += (double)gs_model_bytes_needed(&mc) +
                 (double)gs_seq_bytes_needed(&mc, T, 1, jacobian);
    }
    return total;
}

/* One line: what needs how much, what there is, what to lower. */
static int refuse(char *err, size_t len, const char *what, double need, double have,
                  const char *why, const char *lower) {
    char a[32], b[32];
    budget_format(a, sizeof a, need);
    budget_format(b, sizeof b, have);
    snprintf(err, len, "%s needs %s of memory, more than the %s of %s: lower %s", what, a, b, why,
             lower);
    return 1;
}

int budget_check_scene(const opt_setup *setup, int n_in, int n_out, int T, int jacobian,
                       char *err, size_t err_len) {
    const char *why;
    double need = budget_scene_bytes(setup, n_in, n_out, T, jacobian), have = budget_memory(&why);
    char what[160];
    if (need <= have) return 0;
    snprintf(what, sizeof what, "the scene (%d variant%s, n = %d, %d steps)", setup->n_variants,
             setup->n_variants == 1 ? "" : "s", setup->hidden, T);
    return refuse(err, err_len, what, need, have, why,
                  "the hidden size, the length or the number of variants");
}

int budget_check_train(const opt_setup *setup, const train_setup *train, int n_in, int n_out,
                       int T, int with_scene, char *err, size_t err_len) {
    const char *why;
    double need = with_scene ? budget_scene_bytes(setup, n_in, n_out, T, setup->hidden <= 128) : 0,
           have = budget_memory(&why);
    gs_train_config tc = gs_train_config_default();
    char what[160];
    tc.batch = train->batch;
    for (int i = 0; i < setup->n_variants; i++) {
        gs_model_config mc = model_config(setup, i, n_in, n_out);
        /* the trained copy of the model, and its trainer */
        need += (double)gs_model_bytes_needed(&mc) + (double)gs_trainer_bytes_needed(&mc, T, &tc);
    }
    if (need <= have) return 0;
    snprintf(what, sizeof what, "training (%d variant%s, n = %d, batch %d x %d steps)",
             setup->n_variants, setup->n_variants == 1 ? "" : "s", setup->hidden, train->batch, T);
    return refuse(err, err_len, what, need, have, why,
                  "the batch, the hidden size or the length");
}

double budget_jacobian_seconds(const opt_setup *setup, int n_in, int n_out, int T) {
    double flops = 0;
    for (int i = 0; i < setup->n_variants; i++) {
        gs_model_config mc = model_config(setup, i, n_in, n_out);
        flops += gs_jacobian_flops(&mc, T);
    }
    return flops / BUDGET_JAC_RATE;
}
