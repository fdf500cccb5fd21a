/* cell_mm.c — the products of the combined matrix A that every cell kernel's forward
 * step runs.  At batch 1 they read the driver's transposed copy of A (AT), where one
 * column of A is a contiguous run: each output is then a chain of fused multiply-adds
 * from its start value over the columns in order, computed for many outputs side by
 * side with no reductions (gs__gemv_t, math/matvec_t.c) — the fastest form of a
 * matrix–vector product and one whose bits no machine can change.  At larger batches
 * (training) the products go to OpenBLAS (gs__mm_nt).
 *
 * AT's layout.  The blocks·n outputs (rows of A) are cut into panels of PANEL; panel p
 * holds, for each of the n + m columns of A in order, that column's entries for the
 * panel's outputs, w_p of them (PANEL, or the rest rounded up to 16).  A product then
 * streams one panel front to back, 64-byte lines whole (the start is put on a line),
 * which is what a matrix too large for L2 needs; and no panel is wider than the
 * AVX-512 kernel's block (256 outputs in 16 registers). */
#include "internal.h"

enum { PANEL = 256 };

static int round16(int v) { return (v + 15) / 16 * 16; }
static int panel_width(int outputs, int p) {
    int rest = outputs - p * PANEL;
    return rest < PANEL ? round16(rest) : PANEL;
}

size_t gs__at_size(const gs__layout *L) {
    return (size_t)round16(L->blocks * L->n) * L->lda + 64 / sizeof(gs_real);
}

gs_real *gs__at_start(gs_real *mem) { return (gs_real *)(((uintptr_t)mem + 63) & ~(uintptr_t)63); }

void gs__at_fill(gs_real *AT, const gs__layout *L, const gs_real *P) {
    int outputs = L->blocks * L->n, cols = (int)L->lda;
    for (int p = 0; p * PANEL < outputs; p++) {
        int r0 = p * PANEL, w = panel_width(outputs, p);
        int rows = outputs - r0 < PANEL ? outputs - r0 : PANEL;
        gs__transpose(AT + (size_t)r0 * (size_t)cols, w, P + L->A + (size_t)r0 * L->lda,
                      (int)L->lda, rows, cols);
    }
}

void gs__at_mm(const gs__layout *L, const gs_real *AT, gs_real *out, int ldo, const gs_real *Z,
               int ldz, int K, int row0, int rows, int col0, int cols) {
    int outputs = L->blocks * L->n, ncols = (int)L->lda;
    for (int p = row0 / PANEL; p * PANEL < row0 + rows; p++) {
        int base = p * PANEL, w = panel_width(outputs, p);
        int lo = row0 > base ? row0 : base;
        int hi = row0 + rows < base + PANEL ? row0 + rows : base + PANEL;
        const gs_real *panel = AT + (size_t)base * (size_t)ncols;
        const gs_real *a = panel + (size_t)col0 * (size_t)w + (size_t)(lo - base);
        /* one vector: gs__gemv_t itself (the several-vector kernel's portable path
           streams rows eight at a time, slower for one); the same bits either way */
        (K == 1 ? gs__mm_nn : gs__mm_nn_exact)(out + (lo - row0), ldo, Z, ldz, a, w, K, cols,
                                                hi - lo, GS_R(1.0));
    }
}

void gs__cell_mm(const gs__cell_dims *d, const gs__layout *L, const gs_real *P, gs_real *out,
                 int ldo, const gs_real *Z, int ldz, int row0, int rows, int col0, int cols) {
    if (rows <= 0 || cols <= 0) return;
    if (d->AT)
        gs__at_mm(L, d->AT, out, ldo, Z, ldz, 1, row0, rows, col0, cols);
    else
        gs__mm_nt(out, ldo, Z, ldz, P + L->A + (size_t)row0 * L->lda + (size_t)col0, (int)L->lda,
                  d->B, rows, cols, GS_R(1.0));
}

void gs__cell_mm_zin(const gs__cell_dims *d, const gs__layout *L, const gs_real *P, gs_real *out,
                     int ldo, const gs_real *zin, int ldz, int row0, int rows) {
    int n = d->n, m = d->m;
    if (!d->AT) { /* one product over [h; x] (or h alone) */
        gs__cell_mm(d, L, P, out, ldo, zin, ldz, row0, rows, 0, d->xp ? n : n + m);
        return;
    }
    if (!d->xp) gs__cell_mm(d, L, P, out, ldo, zin + n, ldz, row0, rows, n, m); /* U x */
    gs__cell_mm(d, L, P, out, ldo, zin, ldz, row0, rows, 0, n);                  /* W h */
}
