/* vecmath.c — σ and tanh over arrays, and the finiteness, max-|x|, sum and norm scans: the
 * element-wise hot loops of a step.  The loops are plain so the compiler vectorizes
 * them, built once per instruction set (GS__CLONES, internal.h).  Each element is
 * computed alone, with no fused multiply-add (-ffp-contract=off), a max is exact in
 * any order, and a sum has one written order, so every clone gives the same bits. */
#include "internal.h"

#include <math.h>

GS__CLONES void gs__sigmoid_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__sigmoid(v[i]);
}

GS__CLONES void gs__tanh_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__tanh(v[i]);
}

/* σ over v[0, ns), tanh over v[ns, ns + nt): one call, so both loops overlap */
GS__CLONES void gs__sigmoid_tanh_v(gs_real *v, int ns, int nt) {
    for (int i = 0; i < ns; i++) v[i] = gs__sigmoid(v[i]);
    for (int i = ns; i < ns + nt; i++) v[i] = gs__tanh(v[i]);
}

GS__CLONES void gs__tanh_to(gs_real *out, const gs_real *in, int n) {
    for (int i = 0; i < n; i++) out[i] = gs__tanh(in[i]);
}

/* The exponent bits all set means inf or NaN.  Integer ORs, so the scan vectorizes
 * (a float sum of x - x would be one long dependency chain). */
GS__CLONES int gs__all_finite(const gs_real *v, size_t n) {
#ifdef GS_REAL_DOUBLE
    const uint64_t expo = 0x7ff0000000000000u;
    uint64_t bad = 0, b;
#else
    const uint32_t expo = 0x7f800000u;
    uint32_t bad = 0, b;
#endif
    for (size_t i = 0; i < n; i++) {
        memcpy(&b, &v[i], sizeof b);
        bad |= (b & expo) == expo;
    }
    return !bad;
}

/* max |v_i|, NaN if any v_i is NaN.  On the bits: clearing the sign leaves an integer
 * that orders the magnitudes as the floats do, and a NaN's is above infinity's; an
 * integer max vectorizes (a float max with a NaN test did not).  Exact in any order. */
GS__CLONES double gs__maxabs(const gs_real *v, int n) {
#ifdef GS_REAL_DOUBLE
    const uint64_t mag = 0x7fffffffffffffffu, inf = 0x7ff0000000000000u;
    uint64_t mx = 0, b;
#else
    const uint32_t mag = 0x7fffffffu, inf = 0x7f800000u;
    uint32_t mx = 0, b;
#endif
    gs_real r;
    for (int i = 0; i < n; i++) {
        memcpy(&b, &v[i], sizeof b);
        b &= mag;
        mx = b > mx ? b : mx;
    }
    if (mx > inf) return (double)NAN;
    memcpy(&r, &mx, sizeof r);
    return (double)r;
}

/* Σ v_i (sq = 0) or Σ v_i² (sq = 1) in double, in one fixed order on every path:
 * lane l of 16 adds the elements i ≡ l (mod 16) of the full blocks in order, the lanes
 * are halved pairwise (l += l + w, w = 8, 4, 2, 1), then the tail follows one by one.
 * In the float engine a square of a float is exact in double, so no fused
 * multiply-add could change a bit; in the double engine nothing is fused. */
typedef double gs__vd4 __attribute__((vector_size(32)));
static inline double sum_fixed(const gs_real *v, int n, int sq) {
    enum { L = 16 };
    gs__vd4 a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
    int full = n - n % L, i;
    double t;
    for (i = 0; i < full; i += L) {
        gs__vd4 x0, x1, x2, x3;
        for (int l = 0; l < 4; l++) {
            x0[l] = (double)v[i + l];
            x1[l] = (double)v[i + 4 + l];
            x2[l] = (double)v[i + 8 + l];
            x3[l] = (double)v[i + 12 + l];
        }
        if (sq) {
            x0 = x0 * x0;
            x1 = x1 * x1;
            x2 = x2 * x2;
            x3 = x3 * x3;
        }
        a0 += x0;
        a1 += x1;
        a2 += x2;
        a3 += x3;
    }
    a0 += a2; /* w = 8: lanes 0..7 += lanes 8..15 */
    a1 += a3;
    a0 += a1; /* w = 4 */
    t = (a0[0] + a0[2]) + (a0[1] + a0[3]); /* w = 2, then w = 1 */
    for (; i < n; i++) t += sq ? (double)v[i] * (double)v[i] : (double)v[i];
    return t;
}

GS__CLONES double gs__norm2(const gs_real *v, int n) { return sqrt(sum_fixed(v, n, 1)); }

GS__CLONES double gs__sum(const gs_real *v, int n) { return sum_fixed(v, n, 0); }
