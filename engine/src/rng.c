/* rng.c — xoshiro256** seeded through splitmix64.  Integer arithmetic only up to
 * the final conversion, so a seed gives the same stream on every machine. */
#include "internal.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gs_rng_seed(gs_rng *r, uint64_t seed) {
    uint64_t x = seed;
    int i;
    for (i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }

uint64_t gs_rng_u64(gs_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gs_rng_uniform(gs_rng *r) { return (double)(gs_rng_u64(r) >> 11) * 0x1.0p-53; }

double gs_rng_normal(gs_rng *r) {
    double u1 = 1.0 - gs_rng_uniform(r); /* (0, 1]: log is finite */
    double u2 = gs_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

int gs_rng_below(gs_rng *r, int n) {
    if (n <= 1) return 0;
    return (int)(gs_rng_u64(r) % (uint64_t)n);
}
