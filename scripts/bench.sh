#!/usr/bin/env bash
# bench.sh — install what is missing, build the benchmarks (Release, in build-bench/)
# and run the cell benchmark: the engine (bench_cells) and then PyTorch
# (bench/torch_cells.py, skipped with a message when PyTorch is missing).
#   scripts/bench.sh            engine with OpenBLAS threads 1, then 2; PyTorch with 2
#   scripts/bench.sh 2          engine with 2 threads only (any list of counts)
# Each thread count runs in its own process (see bench/bench_cells.c for why).
# Figures are printed, never judged; see bench/README.md for the recorded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
gs_install_deps
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_APP=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build build-bench -j"$(nproc)" --target bench_cells >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2)
for t in "${counts[@]}"; do
    build-bench/bench/bench_cells "$t"
    echo
done
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 bench/torch_cells.py 2
else
    echo "no /usr/bin/python3: the PyTorch comparison is skipped"
fi
