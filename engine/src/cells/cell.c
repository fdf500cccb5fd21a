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

/* Symbols of the equations (UTF-8): σ, φ, ⊙, −, the tilde of s̃ and c̃, √. */
#define SIG "\xcf\x83"
#define PHI "\xcf\x86"
#define OD " \xe2\x8a\x99 "
#define MINUS "\xe2\x88\x92"
#define TILDE "\xcc\x83"
#define TM1 "_{t" MINUS "1}"
#define S1 "s" TM1
#define H1 "h" TM1
#define C1 "c" TM1

/* Lines shared by several rows: the LSTM family's gates (with peepholes: PEEP_*),
 * candidate, cell state and output. */
#define LSTM_GATE(g) g "_t = " SIG "(W_" g " " H1 " + U_" g " x_t + b_" g ")"
#define PEEP_GATE(g) g "_t = " SIG "(W_" g " " H1 " + U_" g " x_t + p_" g OD C1 " + b_" g ")"
#define PEEP_O "o_t = " SIG "(W_o " H1 " + U_o x_t + p_o" OD "c_t + b_o)"
#define LSTM_CAND "c" TILDE "_t = " PHI "(W " H1 " + U x_t + b)"
#define LSTM_C "c_t = f_t" OD C1 " + i_t" OD "c" TILDE "_t"
#define LSTM_H "h_t = o_t" OD PHI "(c_t)"
#define PROTO_GATE(g, r) g "_t = " SIG "(W_" g " " r " + U_" g " x_t + b_" g ")"
#define FGR_GATE(g, peep)                                                                    \
    g "_t = " SIG "(W_" g " " H1 " + U_" g " x_t + " peep " + G_{" g "i} i" TM1 " + G_{" g   \
      "f} f" TM1 " + G_{" g "o} o" TM1 " + b_" g ")"

/* The vanilla LSTM's description, shared by its ablations (each row then says what
 * differs, and whether it keeps the peepholes). */
#define VANILLA_INFO                                                                        \
    .cand_symbol = "cand", .cand_display = "c" TILDE, .n_states = 2,                        \
    .state_symbols = { "c", "h" }, .output_display = "h_t", .bounded = 0

/* One row per variant: its description (gs_variant_info; flags not named are 0), then
 * how its output is read, which record slot is its shrink factor, and its kernels. */
static const gs__variant_impl variants[GS_VARIANT_COUNT] = {
    [GS_RNN] = {
        .info = {
            .id = GS_RNN, .name = "rnn", .title = "Vanilla RNN",
            .summary = "One state, rewritten through tanh every step: what was stored morphs "
                       "away.",
            .n_gates = 0, .cand_symbol = NULL, .cand_display = NULL,
            .n_states = 1, .state_symbols = { "s", NULL }, .output_display = "s_t",
            .bounded = 1,
            .equations = { "s_t = " PHI "(W " S1 " + U x_t + b)" },
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
            .equations = { PROTO_GATE("i", S1), PROTO_GATE("o", S1), PROTO_GATE("f", S1),
                           "s" TILDE "_t = " PHI "(W (o_t" OD S1 ") + U x_t + b)",
                           "s_t = f_t" OD S1 " + i_t" OD "s" TILDE "_t" },
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
            .equations = { PROTO_GATE("i", S1), PROTO_GATE("o", S1), PROTO_GATE("f", S1),
                           "s" TILDE "_t = " PHI "(W (o_t" OD S1 ") + U x_t + b)",
                           "u_t = f_t" OD S1 " + i_t" OD "s" TILDE "_t",
                           "s_t = u_t / \xe2\x88\x9a(Var(u_t) + 1)" },
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
            .equations = { PROTO_GATE("r", S1), PROTO_GATE("z", S1),
                           "s" TILDE "_t = " PHI "(W (r_t" OD S1 ") + U x_t + b)",
                           "s_t = z_t" OD S1 " + (1 " MINUS " z_t)" OD "s" TILDE "_t" },
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
            .equations = { "r_t = " SIG "(W_r " S1 " + b_{hr} + U_r x_t + b_{ir})",
                           "z_t = " SIG "(W_z " S1 " + b_{hz} + U_z x_t + b_{iz})",
                           "n_t = " PHI "(U_n x_t + b_{in} + r_t" OD "(W_n " S1 " + b_{hn}))",
                           "s_t = (1 " MINUS " z_t)" OD "n_t + z_t" OD S1 },
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
            .equations = { PROTO_GATE("i", PHI "(" S1 ")"), PROTO_GATE("o", PHI "(" S1 ")"),
                           PROTO_GATE("f", PHI "(" S1 ")"),
                           "s" TILDE "_t = " PHI "(W (o_t" OD PHI "(" S1 ")) + U x_t + b)",
                           "s_t = f_t" OD S1 " + i_t" OD "s" TILDE "_t",
                           "out_t = " PHI "(s_t)" },
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
            .equations = { LSTM_GATE("i"), LSTM_GATE("f"), LSTM_GATE("o"), LSTM_CAND, LSTM_C,
                           LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__lstm_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_PEEPHOLE] = {
        .info = {
            .id = GS_PEEPHOLE, .name = "peephole", .title = "LSTM with peepholes",
            .summary = "The basic LSTM whose gates also see the cell state c through diagonal "
                       "weights.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .equations = { PEEP_GATE("i"), PEEP_GATE("f"), LSTM_CAND, LSTM_C, PEEP_O, LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__peephole_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },

    /* ---- Greff et al. (2015)'s ablations of the vanilla LSTM (= peephole) ---- */
    [GS_NIG] = {
        .info = {
            .id = GS_NIG, .name = "nig", .title = "LSTM without input gate (NIG)",
            .summary = "The vanilla LSTM with its write gate always open (i = 1): every "
                       "candidate is added in full.",
            .n_gates = 2, .gates = { GATE_F, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .equations = { PEEP_GATE("f"), LSTM_CAND,
                           "c_t = f_t" OD C1 " + c" TILDE "_t", PEEP_O, LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 0, .layout = gs__nig_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_NFG] = {
        .info = {
            .id = GS_NFG, .name = "nfg", .title = "LSTM without forget gate (NFG)",
            .summary = "The vanilla LSTM with its forget gate always open (f = 1): the cell "
                       "state accumulates and never forgets.",
            .n_gates = 2, .gates = { GATE_I, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .equations = { PEEP_GATE("i"), LSTM_CAND,
                           "c_t = " C1 " + i_t" OD "c" TILDE "_t", PEEP_O, LSTM_H },
        },
        /* the forget factor (all ones) sits in record slot 3, after i, o and c̃ */
        .out_kind = GS__OUT_H, .shrink_gate = 3, .layout = gs__nfg_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_NOG] = {
        .info = {
            .id = GS_NOG, .name = "nog", .title = "LSTM without output gate (NOG)",
            .summary = "The vanilla LSTM with its read gate always open (o = 1): the squashed "
                       "cell state is the output.",
            .n_gates = 2, .gates = { GATE_I, GATE_F }, VANILLA_INFO, .peepholes = 1,
            .equations = { PEEP_GATE("i"), PEEP_GATE("f"), LSTM_CAND, LSTM_C,
                           "h_t = " PHI "(c_t)" },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__nog_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_NIAF] = {
        .info = {
            .id = GS_NIAF, .name = "niaf", .title = "LSTM without input activation (NIAF)",
            .summary = "The vanilla LSTM writing a linear candidate (no tanh on the block "
                       "input): what is written has no bound.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .cand_linear = 1,
            .equations = { PEEP_GATE("i"), PEEP_GATE("f"),
                           "c" TILDE "_t = W " H1 " + U x_t + b", LSTM_C, PEEP_O, LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__niaf_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_NOAF] = {
        .info = {
            .id = GS_NOAF, .name = "noaf", .title = "LSTM without output activation (NOAF)",
            .summary = "The vanilla LSTM reading its raw cell state (h = o \xe2\x8a\x99 c, no "
                       "tanh): the output has no bound.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .out_linear = 1,
            .equations = { PEEP_GATE("i"), PEEP_GATE("f"), LSTM_CAND, LSTM_C, PEEP_O,
                           "h_t = o_t" OD "c_t" },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__noaf_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_NP] = {
        .info = {
            .id = GS_NP, .name = "np", .title = "LSTM without peepholes (NP)",
            .summary = "The vanilla LSTM without its peepholes: the basic LSTM's function, "
                       "under Greff's name.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O }, VANILLA_INFO,
            .equations = { LSTM_GATE("i"), LSTM_GATE("f"), LSTM_GATE("o"), LSTM_CAND, LSTM_C,
                           LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__np_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_CIFG] = {
        .info = {
            .id = GS_CIFG, .name = "cifg", .title = "LSTM with coupled input and forget gate (CIFG)",
            .summary = "The vanilla LSTM with one gate for write and forget (f = 1 " MINUS
                       " i): what is written displaces what was kept, as in the GRU.",
            .n_gates = 2, .gates = { GATE_I, GATE_O }, VANILLA_INFO, .peepholes = 1, .coupled = 1,
            .equations = { PEEP_GATE("i"), LSTM_CAND,
                           "c_t = (1 " MINUS " i_t)" OD C1 " + i_t" OD "c" TILDE "_t", PEEP_O,
                           LSTM_H },
        },
        /* the forget factor 1 - i sits in record slot 3, after i, o and c̃ */
        .out_kind = GS__OUT_H, .shrink_gate = 3, .layout = gs__cifg_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
    },
    [GS_FGR] = {
        .info = {
            .id = GS_FGR, .name = "fgr", .title = "LSTM with full gate recurrence (FGR)",
            .summary = "The vanilla LSTM whose gates also read the previous step's gates, "
                       "through nine more n\xc3\x97n matrices.",
            .n_gates = 3, .gates = { GATE_I, GATE_F, GATE_O }, VANILLA_INFO, .peepholes = 1,
            .gate_recurrence = 1,
            .equations = { FGR_GATE("i", "p_i" OD C1), FGR_GATE("f", "p_f" OD C1), LSTM_CAND,
                           LSTM_C, FGR_GATE("o", "p_o" OD "c_t"), LSTM_H },
        },
        .out_kind = GS__OUT_H, .shrink_gate = 1, .layout = gs__fgr_layout,
        .forward = gs__lstm_core_forward, .backward = gs__lstm_core_backward,
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
    char list[GS_VARIANT_COUNT * 12];
    size_t used = 0;
    int i, near;
    for (i = 0; i < GS_VARIANT_COUNT; i++) {
        names[i] = variants[i].info.name;
        if (name && strcmp(name, names[i]) == 0) {
            *out = (gs_variant)i;
            return GS_OK;
        }
    }
    list[0] = '\0';
    for (i = 0; i < GS_VARIANT_COUNT && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    near = name ? gs__nearest(name, names, GS_VARIANT_COUNT) : -1;
    if (near >= 0)
        gs__error(err, "unknown variant '%.40s' (did you mean '%s'?); variants: %s",
                  name ? name : "", names[near], list);
    else
        gs__error(err, "unknown variant '%.40s'; variants: %s", name ? name : "", list);
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
    size_t end = offset + (size_t)(rows - 1) * (size_t)ld + (size_t)cols;
    add_tensor(L, name, offset, rows, cols, ld, 0);
    if (end > L->total) L->total = end;
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
