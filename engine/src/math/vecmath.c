/* vecmath.c — σ and tanh over arrays, and the finiteness, max-|x|, sum and norm scans: the
 * element-wise hot loops of a step.  The loops are plain so the compiler vectorizes
 * them, built once per instruction set (GS__CLONES, internal.h).  Each element is
 * computed alone, with no fused multiply-add (-ffp-contract=off), a max is exact in
 * any order, and a sum has one written order, so every clone gives the same bits. */
#include "internal.h"

#include <math.h>

/* ---- σ and tanh on AVX-512 (float): the same operations, written out ----
 * The compiler's vectorization of gs__sigmoid / gs__tanhf spends about a quarter of its
 * instructions on the clamps (compares and blends).  Here each clamp is one max or min
 * whose NaN rule (the second operand comes back when either is NaN) is exactly the C
 * conditional's, and e^r 2^n is one vscalefps instead of building 2^n from its bits
 * and multiplying: both round the exact p 2^n once (p is finite, n in [-126, 127]),
 * and a NaN in gives the same NaN out.  Every other operation is the scalar code's, in
 * its order, none fused; the tail goes through the same vector code, masked.
 * tests/test_linalg.c checks these against gs__sigmoid and gs__tanhf bit for bit. */
#if !defined(GS_REAL_DOUBLE) && (defined(GS__MULTI_ISA) || (defined(__AVX512F__) && defined(__AVX512DQ__)))
#define GS__ACT_V4 1
#include <immintrin.h>

#define PS(c) _mm512_set1_ps(c)

/* gs__expf of x already within [-87.3, 88] (or NaN): the part after the clamp */
static inline GS__V4 __m512 exp_clamped_v4(__m512 xc) {
    __m512 t = _mm512_add_ps(_mm512_mul_ps(xc, PS(1.44269504f)), PS(12582912.0f));
    __m512 nf = _mm512_sub_ps(t, PS(12582912.0f));
    __m512 r = _mm512_sub_ps(_mm512_sub_ps(xc, _mm512_mul_ps(nf, PS(0.693145752f))),
                             _mm512_mul_ps(nf, PS(1.42860677e-6f)));
    __m512 p = _mm512_add_ps(PS(1.0f / 720.0f), _mm512_mul_ps(r, PS(1.0f / 5040.0f)));
    p = _mm512_add_ps(PS(1.0f / 120.0f), _mm512_mul_ps(r, p));
    p = _mm512_add_ps(PS(1.0f / 24.0f), _mm512_mul_ps(r, p));
    p = _mm512_add_ps(PS(1.0f / 6.0f), _mm512_mul_ps(r, p));
    p = _mm512_add_ps(PS(0.5f), _mm512_mul_ps(r, p));
    p = _mm512_add_ps(PS(1.0f), _mm512_mul_ps(r, p));
    p = _mm512_add_ps(PS(1.0f), _mm512_mul_ps(r, p));
    return _mm512_scalef_ps(p, nf);
}

/* gs__sigmoid: 1 / (1 + e^-v), e^ clamped as gs__expf clamps */
static inline GS__V4 __m512 sigmoid_v4(__m512 v) {
    __m512 x = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(v),
                                                     _mm512_set1_epi32((int)0x80000000u)));
    /* x > 88 ? 88 : (x < -87.3 ? -87.3 : x) */
    __m512 xc = _mm512_min_ps(PS(88.0f), _mm512_max_ps(PS(-87.3f), x));
    return _mm512_div_ps(PS(1.0f), _mm512_add_ps(PS(1.0f), exp_clamped_v4(xc)));
}

/* gs__tanhf; 2 min(|x|, 9) is within gs__expf's clamp, so that clamp is left out */
static inline GS__V4 __m512 tanh_v4(__m512 x) {
    const __m512i sign = _mm512_set1_epi32((int)0x80000000u);
    __m512 a = _mm512_castsi512_ps(_mm512_andnot_si512(sign, _mm512_castps_si512(x)));
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 sm = _mm512_add_ps(PS(2.0f / 15.0f), _mm512_mul_ps(x2, _mm512_add_ps(
                    PS(-17.0f / 315.0f), _mm512_mul_ps(x2, PS(62.0f / 2835.0f)))));
    sm = _mm512_mul_ps(x, _mm512_add_ps(PS(1.0f), _mm512_mul_ps(x2, _mm512_add_ps(
             PS(-1.0f / 3.0f), _mm512_mul_ps(x2, sm)))));
    __m512 e = exp_clamped_v4(_mm512_mul_ps(PS(2.0f), _mm512_min_ps(PS(9.0f), a)));
    __m512 big = _mm512_sub_ps(PS(1.0f), _mm512_div_ps(PS(2.0f), _mm512_add_ps(e, PS(1.0f))));
    /* copysign(big, x): the bits of big outside the sign, x's sign */
    big = _mm512_castsi512_ps(_mm512_ternarylogic_epi32(sign, _mm512_castps_si512(x),
                                                        _mm512_castps_si512(big), 0xCA));
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, PS(0.25f), _CMP_LT_OQ), big, sm);
}

/* out[i] = f(in[i]) for i < n (out may be in) */
#define ACT_LOOP_V4(name, f)                                                             \
    static GS__V4 void name(float *out, const float *in, int n) {                        \
        int i = 0;                                                                       \
        for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, f(_mm512_loadu_ps(in + i))); \
        if (i < n) {                                                                     \
            __mmask16 k = (__mmask16)((1u << (n - i)) - 1u);                             \
            _mm512_mask_storeu_ps(out + i, k, f(_mm512_maskz_loadu_ps(k, in + i)));      \
        }                                                                                \
    }
ACT_LOOP_V4(sigmoid_to_v4, sigmoid_v4)
ACT_LOOP_V4(tanh_to_v4, tanh_v4)
static GS__V4 void copy_v4(float *out, const float *in, int n) {
    int i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, _mm512_loadu_ps(in + i));
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(out + i, k, _mm512_maskz_loadu_ps(k, in + i));
    }
}
#undef PS
#endif

/* dst[0, n) = src[0, n) in 64-byte pieces from dst's start (see internal.h) */
void gs__copy_v(gs_real *dst, const gs_real *src, int n) {
#ifdef GS__ACT_V4
    if (gs__have_v4()) {
        copy_v4(dst, src, n);
        return;
    }
#endif
    memcpy(dst, src, sizeof(gs_real) * (size_t)n);
}

GS__CLONES void gs__sigmoid_v(gs_real *v, int n) {
#ifdef GS__ACT_V4
    if (gs__have_v4()) {
        sigmoid_to_v4(v, v, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) v[i] = gs__sigmoid(v[i]);
}

GS__CLONES void gs__tanh_v(gs_real *v, int n) {
#ifdef GS__ACT_V4
    if (gs__have_v4()) {
        tanh_to_v4(v, v, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) v[i] = gs__tanh(v[i]);
}

GS__CLONES void gs__tanh_to(gs_real *out, const gs_real *in, int n) {
#ifdef GS__ACT_V4
    if (gs__have_v4()) {
        tanh_to_v4(out, in, n);
        return;
    }
#endif
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
static inline double maxabs_bits(const gs_real *v, int n) {
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

GS__CLONES double gs__maxabs(const gs_real *v, int n) { return maxabs_bits(v, n); }

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

/* A step's state statistics in one call: for each of the q runs of n at v, its norm and
 * max |.|, the same bits as gs__norm2 and gs__maxabs on that run. */
GS__CLONES void gs__norms_maxabs(const gs_real *v, int n, int q, double *norm, double *mx) {
    for (int k = 0; k < q; k++) {
        norm[k] = sqrt(sum_fixed(v + (size_t)k * (size_t)n, n, 1));
        mx[k] = maxabs_bits(v + (size_t)k * (size_t)n, n);
    }
}
