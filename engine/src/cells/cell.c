/* cell.c — the variant table (names, gates and their roles, kernels) and the
 * shared parts of every parameter layout.  Everything else drives cells through
 * this table and never switches on the variant. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The gates, as the variants name them (gs_gate_info). */
#define GATE_I { .symbol = "i", .name = "write", .role = GS_ROLE_WRITE }
#define GATE_O { .symbol = "o", .name = "read", .role = GS_ROLE_READ }
#define GATE_F { .symbol = "f", .name = "forget", .role = GS_ROLE_FORGET }
#define GATE_R { .symbol = "r", .name = "reset", .role = GS_ROLE_RESET }
#define GATE_Z { .symbol = "z", .name = "update", .role = GS_ROLE_UPDATE }

/* One row per variant: its description (gs_variant_info; flags not named are 0), then
 * how its output is read, which gate is its shrink factor, and its kernels. */
static const gs__variant_impl variants[GS_VARIANT_COUNT] = {
    [GS_RNN] = {
        .info = {
            .id = GS_RNN, .name = "rnn", .title = "Vanilla RNN",
            .summary = "One state, rewritten through tanh every step: what was stored morphs "
                       "away.",
            .n_gates = 0, .cand_symbol = NULL, .cand_display = NULL,
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 1,
        },
        .out_kind = GS__OUT_STATE, .shrink_gate = -1,
        .layout = gs__rnn_layout, .forward = gs__rnn_forward, .backward = gs__rnn_backward,
    },
    [GS_PROTO] = {
        .info = {
            .id = GS_PROTO, .name = "proto", .title = "Prototype LSTM",
            .summary = "Write, read and forget gates on an additive state — which is unbounded "
                       "and drifts.",
            .n_gates = 3, .gates = { GATE_I, GATE_O, GATE_F },
            .cand_symbol = "cand", .cand_display = "s\xcc\x83",
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 0,
        },
        .out_kind = GS__OUT_STATE, .shrink_gate = 2,
        .layout = gs__proto_layout, .forward = gs__proto_forward, .backward = gs__proto_backward,
    },
    [GS_NORM] = {
        .info = {
            .id = GS_NORM, .name = "norm", .title = "Normalized prototype",
            .summary = "The prototype with each new state divided by sqrt(Var + 1): a soft "
                       "bound.",
            .n_gates = 3, .gates = { GATE_I, GATE_O, GATE_F },
            .cand_symbol = "cand", .cand_display = "s\xcc\x83",
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 1, .normalized = 1,
        },
        .out_kind = GS__OUT_STATE, .shrink_gate = 2,
        .layout = gs__norm_layout, .forward = gs__norm_forward, .backward = gs__norm_backward,
    },
    [GS_GRU] = {
        .info = {
            .id = GS_GRU, .name = "gru", .title = "GRU (reset before the product)",
            .summary = "Write and forget coupled: what is not kept is written, so the state "
                       "stays bounded.",
            .n_gates = 2, .gates = { GATE_R, GATE_Z },
            .cand_symbol = "cand", .cand_display = "s\xcc\x83",
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 1,
        },
        .out_kind = GS__OUT_STATE, .shrink_gate = 1,
        .layout = gs__gru_layout, .forward = gs__gru_forward, .backward = gs__gru_backward,
    },
    [GS_GRU_RA] = {
        .info = {
            .id = GS_GRU_RA, .name = "gru-ra", .title = "GRU (reset after the product, PyTorch)",
            .summary = "The GRU as PyTorch and cuDNN compute it: reset applied after W s.",
            .n_gates = 2, .gates = { GATE_R, GATE_Z },
            .cand_symbol = "n", .cand_display = "n",
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 1, .reset_after = 1,
        },
        .out_kind = GS__OUT_STATE, .shrink_gate = 1,
        .layout = gs__gru_ra_layout, .forward = gs__gru_ra_forward,
        .backward = gs__gru_ra_backward,
    },
    [GS_PSEUDO] = {
        .info = {
            .id = GS_PSEUDO, .name = "pseudo", .title = "Pseudo LSTM",
            .summary = "The prototype reading its state through tanh: raw where written, "
                       "bounded where read.",
            .n_gates = 3, .gates = { GATE_I, GATE_O, GATE_F },
            .cand_symbol = "cand", .cand_display = "s\xcc\x83",
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "\xcf\x86(s_t)",
            .bounded = 0,
        },
        .out_kind = GS__OUT_TANH_STATE, .shrink_gate = 2,
        .layout = gs__pseudo_layout, .forward = gs__pseudo_forward,
        .backward = gs__pseudo_backward,
    },
    [GS_LSTM] = {
        .info = {
            .id = GS_LSTM, .name = "lstm", .title = "Basic LSTM",
            .summary = "Read after write, so a gated copy h of the cell state c travels beside "
                       "it.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O },
            .cand_symbol = "cand", .cand_display = "c\xcc\x83",
            .n_states = 2, .state_symbols = { "c", "h" }, .output_display = "h_t",
            .bounded = 0,
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1,
        .layout = gs__lstm_layout, .forward = gs__lstm_forward, .backward = gs__lstm_backward,
    },
    [GS_PEEPHOLE] = {
        .info = {
            .id = GS_PEEPHOLE, .name = "peephole", .title = "LSTM with peepholes",
            .summary = "The basic LSTM whose gates also see the cell state c through diagonal "
                       "weights.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O },
            .cand_symbol = "cand", .cand_display = "c\xcc\x83",
            .n_states = 2, .state_symbols = { "c", "h" }, .output_display = "h_t",
            .bounded = 0, .peepholes = 1,
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1,
        .layout = gs__peephole_layout, .forward = gs__peephole_forward,
        .backward = gs__peephole_backward,
    },
};

const gs__variant_impl *gs__variant_get_impl(gs_variant v) {
    if ((int)v < 0 || v >= GS_VARIANT_COUNT) return NULL;
    return &variants[v];
}

const gs_variant_info *gs_variant_get(gs_variant v) {
    const gs__variant_impl *impl = gs__variant_get_impl(v);
    return impl ? &impl->info : NULL;
}

gs_status gs_variant_from_name(const char *name, gs_variant *out, gs_error *err) {
    const char *names[GS_VARIANT_COUNT];
    int i, near;
    for (i = 0; i < GS_VARIANT_COUNT; i++) {
        names[i] = variants[i].info.name;
        if (name && strcmp(name, names[i]) == 0) {
            *out = (gs_variant)i;
            return GS_OK;
        }
    }
    near = name ? gs__nearest(name, names, GS_VARIANT_COUNT) : -1;
    if (near >= 0)
        gs__error(err, "unknown variant '%s' (did you mean '%s'?); variants: rnn, proto, norm, "
                  "gru, gru-ra, pseudo, lstm, peephole", name ? name : "", names[near]);
    else
        gs__error(err, "unknown variant '%s'; variants: rnn, proto, norm, gru, gru-ra, pseudo, "
                  "lstm, peephole", name ? name : "");
    return GS_ERR_ARG;
}

/* ---- Layout helpers ---------------------------------------------------------- */

static void add_tensor(gs__layout *L, const char *name, size_t offset, int rows, int cols,
                       int ld, int is_state) {
    gs_tensor *t = &L->tensors[L->n_tensors];
    snprintf(L->names[L->n_tensors], sizeof L->names[0], "%s", name);
    t->name = L->names[L->n_tensors];
    t->offset = offset;
    t->rows = rows;
    t->cols = cols;
    t->ld = ld;
    t->is_state = is_state;
    L->n_tensors++;
}

static void sym_name(char *buf, size_t len, const char *prefix, const char *sym) {
    if (sym[0])
        snprintf(buf, len, "%s_%s", prefix, sym);
    else
        snprintf(buf, len, "%s", prefix);
}

/* A = [W_s U_s] row blocks, one per symbol ("" names the candidate: W, U, b), then
 * one bias of n per block.  (gru-ra adds its split biases itself.) */
void gs__layout_begin(gs__layout *L, int blocks, const char *const *syms) {
    int n = L->n, m = L->m, b;
    char name[16];
    L->n_tensors = 0;
    L->blocks = blocks;
    L->A = 0;
    L->lda = (size_t)(n + m);
    L->bias = (size_t)blocks * (size_t)n * L->lda;
    for (b = 0; b < blocks && syms; b++) {
        size_t row = L->A + (size_t)b * (size_t)n * L->lda;
        sym_name(name, sizeof name, "W", syms[b]);
        add_tensor(L, name, row, n, n, (int)L->lda, 0);
        sym_name(name, sizeof name, "U", syms[b]);
        add_tensor(L, name, row + (size_t)n, n, m, (int)L->lda, 0);
        sym_name(name, sizeof name, "b", syms[b]);
        add_tensor(L, name, L->bias + (size_t)b * (size_t)n, n, 1, 1, 0);
    }
    L->extra = L->bias + (size_t)blocks * (size_t)n;
    L->total = L->extra;
}

void gs__layout_add_vector(gs__layout *L, const char *name, size_t offset, int len) {
    add_tensor(L, name, offset, len, 1, 1, 0);
    if (offset + (size_t)len > L->total) L->total = offset + (size_t)len;
}

void gs__layout_add_matrix(gs__layout *L, const char *name, size_t offset, int rows, int cols,
                           int ld) {
    add_tensor(L, name, offset, rows, cols, ld, 0);
}

void gs__layout_end(gs__layout *L, const char *const *state_names) {
    int n = L->n, k = L->k, s;
    L->V = L->total;
    add_tensor(L, "V", L->V, k, n, n, 0);
    L->c = L->V + (size_t)k * (size_t)n;
    add_tensor(L, "c", L->c, k, 1, 1, 0);
    L->init = L->c + (size_t)k;
    for (s = 0; s < L->S; s++) {
        char name[8];
        snprintf(name, sizeof name, "%s0", state_names[s]);
        add_tensor(L, name, L->init + (size_t)s * (size_t)n, n, 1, 1, 1);
    }
    L->total = L->init + (size_t)L->S * (size_t)n;
}
