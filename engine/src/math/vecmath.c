/* vecmath.c — σ and tanh over arrays: the cells' element-wise hot loops.  The loops
 * are plain so the compiler vectorizes them, built once per instruction set
 * (GS__CLONES, internal.h).  Each element is computed alone, with no fused
 * multiply-add (-ffp-contract=off), so every clone gives the same bits. */
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
