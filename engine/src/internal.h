/* internal.h — helpers shared between engine files; never seen by app/.
 * Double-underscore names (gs__) are private to the engine. */
#ifndef GS_INTERNAL_H
#define GS_INTERNAL_H

#include "gatescope.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Element-wise loops and the fixed-order kernels are built for x86-64-v4 (AVX-512),
 * v3 (AVX2) and the baseline, and the loader picks one for the CPU.  Every clone
 * computes the same bits (see math/matvec.c); the GS_ISA build option compiles one
 * instruction set only, so tests can compare the paths (scripts/same-numbers.sh). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(GS_NO_CLONES)
#define GS__CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define GS__MULTI_ISA 1 /* picked at load time (GS__CLONES) or run time (matvec.c) */
#else
#define GS__CLONES
#endif

/* The x86-64-v4 (AVX-512) kernels chosen at run time (math/matvec.c, math/vecmath.c):
 * GS__V4 marks a function built for v4 alone; gs__have_v4() says whether this CPU runs
 * it (AVX-512 F, DQ, BW and VL).  Only asked where those kernels are built (a multi-ISA
 * build, or one built for v4 itself: then always). */
#ifdef GS__MULTI_ISA
#define GS__V4 __attribute__((target("arch=x86-64-v4")))
#else
#define GS__V4
#endif
static inline int gs__have_v4(void) {
#ifdef GS__MULTI_ISA
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
#else
    return 1;
#endif
}

#ifdef GS_REAL_DOUBLE
#define GS_R(x) (x)
#define gs__exp exp
#define gs__tanh tanh
#define gs__sqrt sqrt
#define gs__log log
#else
#define GS_R(x) (x##f)
#define gs__exp gs__expf
#define gs__tanh gs__tanhf
#define gs__sqrt sqrtf
#define gs__log logf
/* e^x in float, branch-free so the cell loops vectorize (libm's expf is a call per
 * element).  x is clamped to [-87.3, 88] (results below FLT_MIN or above e^88 are
 * not needed by σ and tanh), split as x = n ln2 + r with |r| <= ln2/2 (Cody-Waite),
 * and e^r summed as its Taylor series to r^7 (truncation < 6e-9 relative).  The
 * integer n comes from the bits of a float rounding trick, so NaN never meets an
 * int conversion: NaN in gives NaN out. */
static inline float gs__expf(float x) {
    float xc = x > 88.0f ? 88.0f : (x < -87.3f ? -87.3f : x);
    float t = xc * 1.44269504f + 12582912.0f; /* 1.5 * 2^23: n in the low mantissa bits */
    float nf = t - 12582912.0f, r, p, scale;
    uint32_t tb, sb;
    memcpy(&tb, &t, sizeof tb);
    r = xc - nf * 0.693145752f - nf * 1.42860677e-6f;
    p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6.0f + r * (1.0f / 24.0f +
        r * (1.0f / 120.0f + r * (1.0f / 720.0f + r * (1.0f / 5040.0f)))))));
    sb = (tb - 0x4B400000u + 127u) << 23;
    memcpy(&scale, &sb, sizeof scale);
    return p * scale;
}
/* tanh in float from gs__expf.  |x| < 0.25: odd Taylor series to x^9 (truncation
 * < 1e-8 relative); otherwise 1 - 2/(e^{2|x|} + 1), within 5e-7 relative for
 * |x| >= 0.25 and exactly ±1 beyond 9, where float tanh rounds to 1.
 * NaN stays NaN; ±inf gives ±1. */
static inline float gs__tanhf(float x) {
    float a = fabsf(x), x2 = x * x;
    float small = x * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f +
                  x2 * (-17.0f / 315.0f + x2 * (62.0f / 2835.0f)))));
    float big = copysignf(1.0f - 2.0f / (gs__expf(2.0f * (a > 9.0f ? 9.0f : a)) + 1.0f), x);
    return a < 0.25f ? small : big;
}
#endif

/* ---- alloc.c ---- */
/* Zeroed memory of n bytes through a's hook (NULL hook = libc); NULL on failure. */
void *gs__alloc(const gs_allocator *a, size_t n);
void gs__free(const gs_allocator *a, void *p);
/* Write a one-line message into err (if not NULL); line/col set to 0. */
void gs__error(gs_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Index of the candidate nearest to word by edit distance (-1 if none within a
 * useful distance). */
int gs__nearest(const char *word, const char *const *candidates, int count);

/* ---- linalg.c: matrix products (+ naive references for the tests) ---- */
/* Batch 1 (B == 1, or exact set) runs the engine's own kernels in a fixed order of
 * summation, the same bits on every machine (matvec.c); larger batches run OpenBLAS.
 * out (B, rows; ldo) = beta*out + Z (B, cols; ldz) · A^T, A (rows, cols; lda). */
void gs__mm_nt(gs_real *out, int ldo, const gs_real *Z, int ldz, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta);
/* out (B, cols; ldo) = beta*out + D (B, rows; ldd) · A, A (rows, cols; lda). */
void gs__mm_nn(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A, int lda,
               int B, int rows, int cols, gs_real beta);
/* gs__mm_nn in the batch-1 kernels' fixed order for any number of rows of D: each row
 * of out the same bits as gs__mm_nn gives that row alone (batch 1's deferred dx, and
 * its inputs projected ahead through Uᵀ). */
void gs__mm_nn_exact(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A, int lda,
                     int B, int rows, int cols, gs_real beta);
/* dst (cols, rows; ldd) = src (rows, cols; lds) transposed */
void gs__transpose(gs_real *dst, int ldd, const gs_real *src, int lds, int rows, int cols);
/* G (rows, cols; ldg) += D^T (K, rows; ldd)^T · Z (K, cols; ldz): parameter gradients
 * summed over K = steps × batch rows; exact: the engine's own kernel, step by step. */
void gs__mm_tn_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z, int ldz,
                   int K, int rows, int cols, int exact);
void gs__mm_nt_naive(gs_real *out, int ldo, const gs_real *Z, int ldz, const gs_real *A,
                     int lda, int B, int rows, int cols, gs_real beta);
void gs__mm_nn_naive(gs_real *out, int ldo, const gs_real *D, int ldd, const gs_real *A,
                     int lda, int B, int rows, int cols, gs_real beta);
void gs__mm_tn_acc_naive(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z,
                         int ldz, int K, int rows, int cols);
/* ---- gemm.c: the engine's own batched product (float, x86-64 with AVX2 + FMA) ---- */
/* C (M, N; ldc) = beta C + op(A) op(B), A(i, k) = A[i rsa + k csa], B(k, j) =
 * B[k rsb + j csb]; level 1 AVX2, 2 AVX-512 (both give the same bits).  0 when it
 * could not (no such kernels, or no memory for its packing buffers). */
int gs__gemm_own(int level, int M, int N, int K, const float *A, long rsa, long csa,
                 const float *B, long rsb, long csb, float beta, float *C, long ldc);
/* the highest level this CPU runs (0: none) */
int gs__gemm_own_supported(void);
/* the level linalg.c uses for batched products: 0 (OpenBLAS) unless OpenBLAS runs a
 * pre-AVX2 core (and the engine is float) */
int gs__gemm_own_level(void);
/* ---- matvec.c: the fixed-order kernels (see the file's header) ---- */
/* out (rows) = beta*out + A (rows, cols; lda) · z */
void gs__gemv_n_f(float *out, const float *A, size_t lda, const float *z, int rows, int cols,
                  float beta);
void gs__gemv_n_d(double *out, const double *A, size_t lda, const double *z, int rows,
                  int cols, double beta);
/* out (cols) = beta*out + dᵀ A, A (rows, cols; lda): each element one chain of fused
 * multiply-adds over the rows in order (math/matvec_t.c) */
void gs__gemv_t_f(float *out, const float *A, size_t lda, const float *d, int rows, int cols,
                  float beta);
void gs__gemv_t_d(double *out, const double *A, size_t lda, const double *d, int rows,
                  int cols, double beta);
/* out (K, cols; ldo) = beta*out + D (K, rows; ldd) · A: gs__gemv_t_f/_d for each row of
 * D, bit for bit, A streamed once for several rows */
void gs__gemv_tk(gs_real *out, size_t ldo, const gs_real *A, size_t lda, const gs_real *D,
                 size_t ldd, int K, int rows, int cols, gs_real beta);
/* G (rows, cols; ldg) += Σ_k D[k]ᵀ Z[k] over K rows of D (ldd) and Z (ldz) */
void gs__ger_acc(gs_real *G, int ldg, const gs_real *D, int ldd, const gs_real *Z, int ldz,
                 int K, int rows, int cols);
/* Largest singular value of M (rows, cols; ldm), in double; work holds
 * gs__spectral_work(rows, cols) doubles.  NaN/inf if M holds them. */
#define GS__LANCZOS_STEPS 40
double gs__spectral_norm(const gs_real *M, int ldm, int rows, int cols, double *work);
size_t gs__spectral_work(int rows, int cols);

/* ---- cell kernels ---- */
typedef struct gs__layout gs__layout;
/* Everything one kernel needs to know about the model it steps. */
typedef struct gs__cell_dims {
    int n, m;     /* state size, input size */
    int B;        /* batch rows */
    int rec;      /* per-row record length (elements) of one step */
    int dlen;     /* per-row length of the pre-activation gradient D of one step */
    gs_real *work; /* scratch of at least B * (6n + 2(n+m)) elements */
    /* variants with an input projection (gs__layout.xp): the driver has computed this
     * step's U x + b (B, xp) beforehand — for all steps of the call in one product at
     * batches > 1, for the next steps in one pass over U at batch 1 (seq.c) — so the
     * kernel does only W h; NULL otherwise.  defer_dx (wherever the inputs are projected
     * so): the driver computes dx for all steps in one product after the loop (the
     * kernel leaves dx alone). */
    const gs_real *xp;
    int defer_dx;
    /* batch 1: the combined matrix A transposed (gs__at_fill), kept by the driver for
     * its parameters' version; the kernels' products over A read it through
     * gs__cell_mm.  NULL at larger batches. */
    const gs_real *AT;
} gs__cell_dims;

/* out (B, rows; ldo) += Z (B, cols; ldz) · A[row0 .. row0+rows, col0 .. col0+cols)ᵀ.
 * At batch 1 through d->AT: each output one chain of fused multiply-adds from its value
 * over the columns in order (gs__gemv_t), the same bits on every path and every
 * machine; at larger batches one product (gs__mm_nt). */
void gs__cell_mm(const gs__cell_dims *d, const gs__layout *L, const gs_real *P, gs_real *out,
                 int ldo, const gs_real *Z, int ldz, int row0, int rows, int col0, int cols);
/* The transposed copy of A a batch-1 driver keeps (cells/cell_mm.c): gs__at_size
 * elements to allocate, gs__at_start the first 64-byte line in them, gs__at_fill copies
 * the model's A into it.  gs__at_mm: out (K, rows; ldo) += Z (K, cols; ldz) ·
 * A[row0.., col0..]ᵀ through it, each of the K the same bits as it would be alone. */
size_t gs__at_size(const gs__layout *L);
gs_real *gs__at_start(gs_real *mem);
void gs__at_fill(gs_real *AT, const gs__layout *L, const gs_real *P);
void gs__at_mm(const gs__layout *L, const gs_real *AT, gs_real *out, int ldo, const gs_real *Z,
               int ldz, int K, int row0, int rows, int col0, int cols);
/* out += the rows [row0, row0+rows) of A times a record's zin = [h; x] (x only where the
 * driver has not projected the inputs, d->xp).  At batch 1 the x columns come first and
 * then the h columns, so a step gives the same bits whether its U x + b was projected
 * ahead (then only W h here) or not. */
void gs__cell_mm_zin(const gs__cell_dims *d, const gs__layout *L, const gs_real *P, gs_real *out,
                     int ldo, const gs_real *zin, int ldz, int row0, int rows);

/* Forward: given prev (B, S*n) and x (B, m), write this step's record
 * rec (B, rec), the new state st (B, S*n) and the output out (B, n).
 * P is the flat parameter block. */
typedef void (*gs__forward_fn)(const gs__cell_dims *d, const gs__layout *L,
                               const gs_real *P, gs_real *rec, gs_real *st, gs_real *out,
                               const gs_real *prev, const gs_real *x);
/* Backward (vector-Jacobian product of one step): dst (B, S*n) holds dL/d(state_t)
 * as seen from outside the step (from the future and the output); the kernel may
 * turn it into the total derivatives the trace reports (LSTM: dc + dh·o·φ'(c)).
 * Writes D (B, dlen) the pre-activation gradients, dprev (B, S*n), dx (B, m).
 * G, when not NULL, receives the gradients of the parameters outside the combined
 * matrix A (peepholes; fgr's gate-recurrence block) — the driver does the gradients
 * of A and the biases from D afterwards.  Clamped gates (gs__layout.clamp) get D = 0. */
typedef void (*gs__backward_fn)(const gs__cell_dims *d, const gs__layout *L,
                                const gs_real *P, gs_real *G, gs_real *dst, gs_real *D,
                                gs_real *dprev, gs_real *dx, const gs_real *rec,
                                const gs_real *st, const gs_real *prev, const gs_real *x);

/* A matrix product the driver differentiates from D: rows [row0, row0+rows) of the
 * combined matrix A, columns [col0, col0+cols), fed by the record's slot z_off, with
 * pre-activation gradients at D offset d_off, and a bias at bias_off (or -1). */
typedef struct gs__mm_group {
    int row0, rows, col0, cols;
    int z_off;      /* offset of the input vector in a record row */
    int d_off;      /* offset in a D row */
    long bias_off;  /* offset of the bias in the parameter block, -1 if none */
} gs__mm_group;

#define GS__MAX_GROUPS 2
#define GS__MAX_TENSORS 40

/* Where things are, for one model: parameter block and step record. */
struct gs__layout {
    int n, m, k, S;           /* sizes; S = number of carried states (for fgr more than the
                                 variant shows: c, h and the previous gates) */
    int flags;                /* kernel options the layout chose (LSTM family: GS__LSTM_*) */
    int blocks;               /* row blocks of n in A */
    size_t A, lda;            /* offset of the combined matrix (blocks*n, n+m), its ld */
    size_t bias;              /* offset of the bias vector(s) */
    size_t extra;             /* offset of the parameters outside A (peepholes, G_**) */
    size_t V, c;              /* readout (k, n) and bias (k) */
    size_t init;              /* initial state (S*n) */
    size_t total;             /* parameters in all */
    int rec, dlen;            /* record and D lengths per batch row */
    int r_gates, r_cand, r_zin, r_zin2, r_extra; /* record offsets (-1 = absent) */
    int n_groups;
    gs__mm_group groups[GS__MAX_GROUPS];
    /* an input projection the driver may compute for a whole batch of steps at once
     * (0: none): rows [0, xp) of A's columns [n, n+m) (U) plus the bias at xp_bias,
     * whose pre-activation gradients sit at D offset xp_d */
    int xp, xp_d;
    size_t xp_bias;
    int n_tensors;
    gs_tensor tensors[GS__MAX_TENSORS];
    char names[GS__MAX_TENSORS][16];
    /* gate clamps (cell_clamp.c), a setting of the model, not a parameter */
    gs_real *clamp;           /* (GS_MAX_GATES, n) forced values, NaN = free; NULL until the
                                 first clamp; owned by the model (its allocator) */
    int clamped[GS_MAX_GATES]; /* clamped units per gate (0: the gate runs free) */
};

typedef enum { GS__OUT_STATE, GS__OUT_TANH_STATE, GS__OUT_H } gs__out_kind;

/* One row of the variant table. */
typedef struct gs__variant_impl {
    gs_variant_info info;
    gs__out_kind out_kind;
    int shrink_gate;   /* record slot k (at r_gates + k n) whose mean is the per-step shrink
                          factor: the forget gate, or the forget factor the kernel keeps
                          after the candidate when there is no forget gate (nfg: 1,
                          cifg: 1 - i); -1: use sigma */
    void (*layout)(gs__layout *L);   /* fill rec/dlen/groups/tensors given n, m, k */
    gs__forward_fn forward;
    gs__backward_fn backward;
} gs__variant_impl;

const gs__variant_impl *gs__variant_get_impl(gs_variant v);

/* Shared by the layouts: standard A / bias / readout / init tensors. */
void gs__layout_begin(gs__layout *L, int blocks, const char *const *block_syms);
void gs__layout_add_vector(gs__layout *L, const char *name, size_t offset, int len);
/* (rows, cols; ld) at offset; the block grows to hold it when it lies beyond A. */
void gs__layout_add_matrix(gs__layout *L, const char *name, size_t offset, int rows, int cols,
                           int ld);
void gs__layout_end(gs__layout *L, const char *const *state_names);

/* Kernels, one file each (cell_<name>.c). */
#define GS__DECLARE_CELL(name)                                                      \
    void gs__##name##_layout(gs__layout *L);                                        \
    void gs__##name##_forward(const gs__cell_dims *d, const gs__layout *L,          \
                              const gs_real *P, gs_real *rec, gs_real *st,          \
                              gs_real *out, const gs_real *prev, const gs_real *x);                                           \
    void gs__##name##_backward(const gs__cell_dims *d, const gs__layout *L,         \
                               const gs_real *P, gs_real *G, gs_real *dst,          \
                               gs_real *D, gs_real *dprev, gs_real *dx,             \
                               const gs_real *rec, const gs_real *st,               \
                               const gs_real *prev, const gs_real *x);
GS__DECLARE_CELL(rnn)
GS__DECLARE_CELL(proto)
GS__DECLARE_CELL(norm)
GS__DECLARE_CELL(gru)
GS__DECLARE_CELL(gru_ra)
GS__DECLARE_CELL(pseudo)
/* The LSTM family runs one core (below); its variants differ in their layout only:
 * lstm (cell_lstm.c), peephole (cell_peephole.c), and Greff et al.'s ablations of
 * the vanilla (peephole) LSTM, all in cell_greff.c. */
void gs__lstm_layout(gs__layout *L);
void gs__peephole_layout(gs__layout *L);
void gs__nig_layout(gs__layout *L);
void gs__nfg_layout(gs__layout *L);
void gs__nog_layout(gs__layout *L);
void gs__niaf_layout(gs__layout *L);
void gs__noaf_layout(gs__layout *L);
void gs__np_layout(gs__layout *L);
void gs__cifg_layout(gs__layout *L);
void gs__fgr_layout(gs__layout *L);

/* The prototype family (proto, norm, pseudo) shares one core, in cell_proto.c.
 * Forward writes u = f ⊙ s_{t-1} + i ⊙ s̃ (B, n) where the gates read r = s_{t-1},
 * or r = φ(s_{t-1}) when squash is set; backward takes du = dL/du. */
void gs__proto_core_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                            gs_real *rec, gs_real *u, const gs_real *prev, const gs_real *x,
                            int squash);
void gs__proto_core_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                             const gs_real *du, gs_real *D, gs_real *dprev, gs_real *dx,
                             const gs_real *rec, const gs_real *prev, int squash);
void gs__proto_core_layout(gs__layout *L, int extra);
/* The LSTM family (lstm, peephole and Greff's ablations) shares one core, in
 * cell_lstm.c (forward, layout) and cell_lstm_back.c (backward).  The flags say what
 * the variant changes; the layout stores them in L->flags and the kernels read them
 * there.  Flags 0 is the basic LSTM, GS__LSTM_PEEP the vanilla (peephole) one. */
enum {
    GS__LSTM_PEEP = 1 << 0,     /* diagonal peepholes p_g on every gate there is */
    GS__LSTM_NO_I = 1 << 1,     /* i = 1: no input gate (nig) */
    GS__LSTM_NO_F = 1 << 2,     /* f = 1: no forget gate (nfg) */
    GS__LSTM_NO_O = 1 << 3,     /* o = 1: no output gate (nog) */
    GS__LSTM_LIN_CAND = 1 << 4, /* c̃ = W h + U x + b, no φ (niaf) */
    GS__LSTM_LIN_OUT = 1 << 5,  /* h = o ⊙ c, no φ (noaf) */
    GS__LSTM_CIFG = 1 << 6,     /* f = 1 - i: the forget gate has no weights (cifg) */
    GS__LSTM_FGR = 1 << 7       /* the gates also read the previous gates, G_** (fgr) */
};
void gs__lstm_core_layout(gs__layout *L, int flags);
void gs__lstm_core_forward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                           gs_real *rec, gs_real *st, gs_real *out, const gs_real *prev,
                           const gs_real *x);
void gs__lstm_core_backward(const gs__cell_dims *d, const gs__layout *L, const gs_real *P,
                            gs_real *G, gs_real *dst, gs_real *D, gs_real *dprev, gs_real *dx,
                            const gs_real *rec, const gs_real *st, const gs_real *prev,
                            const gs_real *x);
/* Where the core keeps each gate: the slot (a multiple of n in the record's gate run
 * and in D) of i, f and o, -1 when the variant has no such gate; how many there are. */
typedef struct gs__lstm_slots {
    int i, f, o; /* element offsets, or -1 */
    int ng;      /* gates with weights */
    int fe;      /* record offset of the forget factor when there is no forget gate
                    (nfg: ones, cifg: 1 - i), else -1 */
    size_t G;    /* fgr: parameter offset of the (ng n, ng n) block G_<gate><source> */
} gs__lstm_slots;
/* whether an LSTM core with these options has gate `which` (0 i, 1 f, 2 o) */
static inline int gs__lstm_has_gate(int flags, int which) {
    switch (which) {
    case 0: return !(flags & GS__LSTM_NO_I);
    case 1: return !(flags & (GS__LSTM_NO_F | GS__LSTM_CIFG));
    default: return !(flags & GS__LSTM_NO_O);
    }
}
/* inline: a step reads it (a call was 2-3 % of the H = 32 step) */
static inline gs__lstm_slots gs__lstm_slots_of(const gs__layout *L) {
    gs__lstm_slots q = { -1, -1, -1, 0, -1, 0 };
    int n = L->n;
    if (gs__lstm_has_gate(L->flags, 0)) q.i = (q.ng++) * n;
    if (gs__lstm_has_gate(L->flags, 1)) q.f = (q.ng++) * n;
    if (gs__lstm_has_gate(L->flags, 2)) q.o = (q.ng++) * n;
    if (q.f < 0) q.fe = L->r_cand + n;
    q.G = L->extra + (L->flags & GS__LSTM_PEEP ? (size_t)(q.ng * n) : 0);
    return q;
}

/* ---- Gate clamps (cell_clamp.c) ---- */
/* The forced values of gate k (n; NaN = free), or NULL when gate k runs free. */
static inline const gs_real *gs__clamp_of(const gs__layout *L, int k) {
    return L->clamp && L->clamped[k] ? L->clamp + (size_t)k * (size_t)L->n : NULL;
}
/* Forward: the clamped units of gate k's activations g (n) take their values. */
static inline void gs__clamp_forward(const gs__layout *L, int k, gs_real *g) {
    const gs_real *c = gs__clamp_of(L, k);
    if (c)
        for (int j = 0; j < L->n; j++)
            if (!isnan(c[j])) g[j] = c[j];
}
/* Backward: the clamped units of gate k's pre-activation gradients D (n) get 0. */
static inline void gs__clamp_backward(const gs__layout *L, int k, gs_real *D) {
    const gs_real *c = gs__clamp_of(L, k);
    if (c)
        for (int j = 0; j < L->n; j++)
            if (!isnan(c[j])) D[j] = GS_R(0.0);
}
/* The model's layout, writable (model.c), for the clamp functions. */
gs__layout *gs__model_layout_mut(gs_model *m);
/* Copy src's clamps into dst (same variant and sizes; dst has none yet).
 * GS_ERR_NOMEM when the table cannot be allocated (dst keeps none). */
gs_status gs__clamp_copy(gs__layout *dst, const gs__layout *src, const gs_allocator *a);
/* Free L's clamp table (a: the model's allocator). */
void gs__clamp_free(gs__layout *L, const gs_allocator *a);
/* Split work (B, n+m) rows into dprev (B, n) (+= when add) and dx (B, m) (+= when add). */
void gs__split_rows(const gs__cell_dims *d, const gs_real *work, gs_real *dprev, int ldp,
                    gs_real *dx, int add);

static inline gs_real gs__sigmoid(gs_real v) { return GS_R(1.0) / (GS_R(1.0) + gs__exp(-v)); }

/* ---- seq.c ---- */
/* Loss of one row of readouts y against target t (k); when dy is not NULL, writes
 * scale * dloss/dy. */
double gs__loss_row(gs_loss_kind kind, const gs_real *y, const gs_real *t, int k,
                    gs_real scale, gs_real *dy);
/* Whole (T, B, ·) buffers of a seq, for the trainer. */
const gs_real *gs__seq_y(const gs_seq *s);
const gs_real *gs__seq_targets(const gs_seq *s);
const unsigned char *gs__seq_mask(const gs_seq *s);
/* For predict.c: the losses (T, B) as the forward pass stored them (NaN where none),
 * the inputs (T, B, m) and the seq's loss kind. */
const gs_real *gs__seq_row_loss(const gs_seq *s);
const gs_real *gs__seq_x(const gs_seq *s);
gs_loss_kind gs__seq_loss_kind(const gs_seq *s);

/* ---- vecmath.c: in-place σ and tanh over n contiguous values; scans ---- */
/* 1 if no element is inf or NaN */
int gs__all_finite(const gs_real *v, size_t n);
/* max |v_i| (NaN if any is NaN) */
double gs__maxabs(const gs_real *v, int n);
/* ‖v‖ and Σ v_i, in double, in one fixed order of summation (the same bits on every
 * path) */
double gs__norm2(const gs_real *v, int n);
double gs__sum(const gs_real *v, int n);
/* norm[k] = gs__norm2 and mx[k] = gs__maxabs of run k of the q runs of n at v */
void gs__norms_maxabs(const gs_real *v, int n, int q, double *norm, double *mx);
/* dst[0, n) = src[0, n), written in 64-byte pieces from dst: a 64-byte load of the
 * copy then comes straight from one store (a load spanning two smaller stores, as
 * memcpy's, waits until they reach the cache) */
void gs__copy_v(gs_real *dst, const gs_real *src, int n);
void gs__sigmoid_v(gs_real *v, int n);
void gs__tanh_v(gs_real *v, int n);
void gs__tanh_to(gs_real *out, const gs_real *in, int n);

/* ---- model internals (model.c) ---- */
const gs__layout *gs__model_layout(const gs_model *m);
/* changes whenever the parameters may have been written (gs_model_params included) */
uint64_t gs__model_version(const gs_model *m);
/* The layout a model of cfg would have (no clamps), without allocating anything:
 * for the budget functions.  GS_ERR_ARG (and L untouched) if cfg would be refused. */
gs_status gs__layout_of(gs__layout *L, const gs_model_config *cfg);

#endif
