#!/usr/bin/env bash
# bench.sh — install what is missing, build the benchmarks (Release, in build-bench/)
# and print, in one run, gatescope beside its references as ratios:
#   batch-1 forward step vs RTNeural (../shared/bench/rtneural, built here with its
#   own build.sh) and vs PyTorch; training throughput vs PyTorch; the cost of
#   truncated BPTT as the sequence grows.  A ratio above 1 means gatescope is faster.
#   scripts/bench.sh                        OpenBLAS's own choice of kernels
#   scripts/bench.sh Prescott Haswell       ... then each OPENBLAS_CORETYPE named
# The batch-1 figures are medians over rounds (GS_BENCH_ROUNDS, default 3), each round
# running gatescope's bench and RTNeural's back to back, so that both meet the same
# moments of a shared machine (single runs of either swing by 30 % here).
# One thread everywhere (the engine's batch-1 path never uses OpenBLAS; training uses
# one OpenBLAS thread; PyTorch gets torch.set_num_threads(1) and one OpenBLAS thread).
# PyTorch trains under each core type named, as gatescope does; its batch-1 cells run
# once, with OpenBLAS's choice.  Figures are printed, never judged; bench/README.md
# records them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
gs_install_deps
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_APP=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build build-bench -j"$(nproc)" --target bench_cells bench_train bench_truncation >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

rtn=""
if [ -x ../shared/bench/rtneural/build.sh ]; then
    rtn=$(../shared/bench/rtneural/build.sh "$PWD/build-bench/rtneural" 2>/dev/null | tail -n 1) || rtn=""
fi
torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && torch=1

rounds=${GS_BENCH_ROUNDS:-3}
# "variant H value" lines from each program's table
cells() { awk '$1 ~ /^(lstm|gru|gru-ra)$/ && $2 ~ /^[0-9]+$/ {print $1, $2, $3}' "$1"; }
# "variant H median" over every "variant H value" line read, in first-seen order
medians() {
    awk '{ k = $1 " " $2; if (!(k in n)) order[++keys] = k; v[k, ++n[k]] = $3 }
         END { for (i = 1; i <= keys; i++) { k = order[i]; c = n[k]
                   for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++)
                       if (v[k, b] < v[k, a]) { t = v[k, a]; v[k, a] = v[k, b]; v[k, b] = t }
                   m = c % 2 ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
                   print k, m } }'
}
lookup() { awk -v v="$2" -v h="$3" '$1 == v && $2 == h {print $3; exit}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }

if [ "$torch" = 1 ]; then
    /usr/bin/python3 bench/torch_cells.py 1 |
        awk 'NF == 4 && $2 ~ /^[0-9]+$/ { sub(/^LSTMCell$/, "lstm", $1); sub(/^GRUCell$/, "gru", $1); print }' \
            >"$out/torch_cells"
else
    : >"$out/torch_cells"
fi

cores=("" "$@")
for ct in "${cores[@]}"; do
    label=${ct:-"OpenBLAS's choice"}
    echo
    echo "== OPENBLAS_CORETYPE: $label"
    : >"$out/cells.all"
    : >"$out/rtn.all"
    for ((r = 0; r < rounds; r++)); do
        OPENBLAS_CORETYPE=$ct build-bench/bench/bench_cells 1 >"$out/cells"
        cells "$out/cells" >>"$out/cells.all"
        if [ -n "$rtn" ]; then "$rtn" | tr '\t' ' ' >>"$out/rtn.all"; fi
    done
    medians <"$out/cells.all" >"$out/cells.t"
    medians <"$out/rtn.all" >"$out/rtn"
    OPENBLAS_CORETYPE=$ct build-bench/bench/bench_train 1 >"$out/train"
    # PyTorch calls the same OpenBLAS: it trains on the same core type (on a CPU that
    # OpenBLAS does not know, PyTorch's users get its fallback too)
    : >"$out/torch_train"
    if [ "$torch" = 1 ]; then
        OPENBLAS_CORETYPE=$ct /usr/bin/python3 bench/torch_train.py 1 >"$out/torch_train"
    fi
    printf '\nbatch-1 forward, µs per step, median of %d rounds (ratio = reference / gatescope)\n' "$rounds"
    printf '%-8s %5s %11s %10s %7s %10s %7s\n' variant H gatescope RTNeural ratio PyTorch ratio
    while read -r v h us; do
        ref=$v
        [ "$v" = gru-ra ] && ref=gru
        r=$(lookup "$out/rtn" "$ref" "$h")
        p=$(lookup "$out/torch_cells" "$ref" "$h")
        printf '%-8s %5s %11s %10s %7s %10s %7s\n' "$v" "$h" "$us" "${r:--}" "$(ratio "${r:-0}" "$us")" \
            "${p:--}" "$(ratio "${p:-0}" "$us")"
    done <"$out/cells.t"
    printf '\ntraining, cell-steps/s, batch 64, T 100, Adam (ratio = gatescope / PyTorch)\n'
    printf '%-8s %5s %12s %12s %7s\n' variant H gatescope PyTorch ratio
    awk '$1 ~ /^(lstm|gru-ra)$/ && $2 ~ /^[0-9]+$/ {print $1, $2, $3}' "$out/train" |
        while read -r v h cs; do
            ref=$v
            [ "$v" = gru-ra ] && ref=gru
            p=$(lookup "$out/torch_train" "$ref" "$h")
            printf '%-8s %5s %12s %12s %7s\n' "$v" "$h" "$cs" "${p:--}" "$(ratio "$cs" "${p:-0}")"
        done
done
echo
[ -n "$rtn" ] || echo "(RTNeural not built: ../shared/bench/rtneural/build.sh missing or failed)"
[ "$torch" = 1 ] || echo "(PyTorch columns empty: apt-get install python3-torch)"
echo
build-bench/bench/bench_truncation 300000
