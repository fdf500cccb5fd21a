/* vecmath.c — σ and tanh over arrays, and the finiteness and max-|x| scans: the
 * element-wise hot loops of a step.  The loops are plain so the compiler vectorizes
 * them, built once per instruction set (GS__CLONES, internal.h).  Each element is
 * computed alone, with no fused multiply-add (-ffp-contract=off), and a max is exact
 * in any order, so every clone gives the same bits. */
#include "internal.h"

GS__CLONES void gs__sigmoid_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__sigmoid(v[i]);
}

GS__CLONES void gs__tanh_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__tanh(v[i]);
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

/* max |v_i|, NaN if any v_i is NaN.  A max is exact in any order. */
GS__CLONES double gs__maxabs(const gs_real *v, int n) {
    gs_real mx = 0;
    int nan = 0;
    for (int i = 0; i < n; i++) {
        gs_real a = v[i] < 0 ? -v[i] : v[i];
        nan |= a != a;
        mx = a > mx ? a : mx;
    }
    return nan ? (double)NAN : (double)mx;
}
