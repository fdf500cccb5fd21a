/* vecmath.c — σ and tanh over arrays: the cells' element-wise hot loops.  The loops
 * are plain so the compiler vectorizes them, and on x86-64 they are also built for
 * x86-64-v3 (AVX2 + FMA) and picked at load time when the CPU has it. */
#include "internal.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define GS__CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define GS__CLONES
#endif

GS__CLONES void gs__sigmoid_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__sigmoid(v[i]);
}

GS__CLONES void gs__tanh_v(gs_real *v, int n) {
    for (int i = 0; i < n; i++) v[i] = gs__tanh(v[i]);
}

GS__CLONES void gs__tanh_to(gs_real *out, const gs_real *in, int n) {
    for (int i = 0; i < n; i++) out[i] = gs__tanh(in[i]);
}
