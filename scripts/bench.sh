#!/usr/bin/env bash
# bench.sh — install what is missing, build the benchmarks (Release, in build-bench/)
# and print, in one run, gatescope beside its references as ratios:
#   batch-1 forward step vs RTNeural (../shared/bench/rtneural, built here with its
#   own build.sh) and vs PyTorch; training throughput vs PyTorch; the cost of
#   truncated BPTT as the sequence grows.  A ratio above 1 means gatescope is faster.
#   scripts/bench.sh                        OpenBLAS's own choice of kernels
#   scripts/bench.sh Prescott Haswell       ... then each OPENBLAS_CORETYPE named
# One thread everywhere (the engine's batch-1 path never uses OpenBLAS; training uses
# one OpenBLAS thread; PyTorch gets torch.set_num_threads(1)).  Figures are printed,
# never judged; bench/README.md records them.
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

# "variant H value" lines from each program's table
cells() { awk '$1 ~ /^(lstm|gru|gru-ra)$/ && $2 ~ /^[0-9]+$/ {print $1, $2, $3}' "$1"; }
lookup() { awk -v v="$2" -v h="$3" '$1 == v && $2 == h {print $3; exit}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }

if [ -n "$rtn" ]; then "$rtn" | tr '\t' ' ' >"$out/rtn"; else : >"$out/rtn"; fi
if [ "$torch" = 1 ]; then
    /usr/bin/python3 bench/torch_cells.py 1 | awk 'NF == 4 && $2 ~ /^[0-9]+$/' >"$out/torch_cells"
    /usr/bin/python3 bench/torch_train.py 1 >"$out/torch_train"
else
    : >"$out/torch_cells"
    : >"$out/torch_train"
fi

cores=("" "$@")
for ct in "${cores[@]}"; do
    label=${ct:-"OpenBLAS's choice"}
    echo
    echo "== OPENBLAS_CORETYPE: $label"
    OPENBLAS_CORETYPE=$ct build-bench/bench/bench_cells 1 >"$out/cells"
    OPENBLAS_CORETYPE=$ct build-bench/bench/bench_train 1 >"$out/train"
    cells "$out/cells" >"$out/cells.t"
    printf '\nbatch-1 forward, µs per step (ratio = reference / gatescope)\n'
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
