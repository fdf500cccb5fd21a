#!/usr/bin/env bash
# same-numbers.sh — what gatescope shows must not depend on the machine.  Runs the
# test suite and every shipped lesson's --check under each OpenBLAS core type this CPU
# can run and under 1 and 2 OpenBLAS threads, then compares, byte for byte, the
# --trace of every variant (forward, backward, norms, Jacobian singular values) and a
# headless screenshot across all of them and across the engine's own instruction-set
# paths, each built alone (GS_ISA); and a training log across thread counts (training
# may differ in its last bits between core types, never between thread counts).
# Exits non-zero if anything differs.
#   scripts/same-numbers.sh            (after scripts/test.sh has built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
gs_install_deps
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { [[ " $flags " == *" $1 "* ]]; }
cores=(Prescott)
has avx && cores+=(Sandybridge)
has avx2 && has fma && cores+=(Haswell)
has avx512f && has avx512bw && has avx512vl && cores+=(SkylakeX)
isas=(x86-64)
has avx2 && has fma && has bmi2 && isas+=(x86-64-v3)
has avx512f && has avx512bw && has avx512vl && has avx512dq && isas+=(x86-64-v4)
echo "same-numbers: core types ${cores[*]}; engine paths ${isas[*]}"

# The setups compared: every variant on a real-valued and a character task, one with
# truncation and a large recurrent scale (the prototype's overflow), one with the
# orthogonal init, and one large enough that the batch-1 inputs are projected ahead.
setups=(
    "--variants rnn,proto,norm,gru,gru-ra,pseudo,lstm,peephole --task adding --length 120 --hidden 24 --seed 3"
    "--variants rnn,proto,norm,gru,gru-ra,pseudo,lstm,peephole --task text --length 60 --hidden 20 --seed 5"
    "--variants nig,nfg,nog,niaf,noaf,np,cifg,fgr --task adding --length 80 --hidden 12 --seed 2"
    "--variants proto,lstm,gru --task sine --length 300 --hidden 16 --weight-scale 30 --truncate 50 --seed 1"
    "--variants rnn,peephole --task echo --length 80 --hidden 33 --init orthogonal --seed 9"
    "--variants lstm,gru-ra,cifg --task adding --length 60 --hidden 96 --seed 4"
)

# run_traces BIN TAG: the traces and a screenshot of BIN into $out/TAG.*
run_traces() {
    local bin=$1 tag=$2 i=0 s
    for s in "${setups[@]}"; do
        # shellcheck disable=SC2086
        "$bin" --trace "$out/$tag.$i.csv" $s
        i=$((i + 1))
    done
    SDL_VIDEODRIVER=dummy "$bin" --headless --screenshot "$out/$tag.png" --size 1024x640 \
        --variants rnn,proto,gru,lstm --at 40
}

gs=build/app/gatescope
fail=0
for ct in "${cores[@]}"; do
    for th in 1 2; do
        tag="$ct-$th"
        echo "same-numbers: OPENBLAS_CORETYPE=$ct OPENBLAS_NUM_THREADS=$th"
        OPENBLAS_CORETYPE=$ct OPENBLAS_NUM_THREADS=$th run_traces "$gs" "$tag"
        OPENBLAS_CORETYPE=$ct OPENBLAS_NUM_THREADS=$th "$gs" --train --variants gru-ra,lstm \
            --task adding --length 30 --hidden 24 --iterations 20 --batch 16 \
            --log "$out/train-$ct-$th.log" >/dev/null
        if [ "$th" = 1 ]; then
            OPENBLAS_CORETYPE=$ct ctest --test-dir build -j"$(nproc)" --output-on-failure \
                >"$out/ctest-$ct.log" 2>&1 || { cat "$out/ctest-$ct.log"; echo "same-numbers: the suite fails with OPENBLAS_CORETYPE=$ct"; fail=1; }
            OPENBLAS_CORETYPE=$ct SDL_VIDEODRIVER=dummy "$gs" --check lessons/*.lesson >"$out/check-$ct.log" 2>&1 ||
                { cat "$out/check-$ct.log"; echo "same-numbers: a lesson fails with OPENBLAS_CORETYPE=$ct"; fail=1; }
        fi
    done
done
for isa in "${isas[@]}"; do
    dir=build-isa-$isa
    echo "same-numbers: engine built for $isa alone"
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGS_ISA="$isa" -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$dir" -j"$(nproc)" --target gatescope >/dev/null
    run_traces "$dir/app/gatescope" "isa-$isa"
done

for ct in "${cores[@]}"; do
    cmp -s "$out/train-$ct-1.log" "$out/train-$ct-2.log" ||
        { echo "same-numbers: training with OPENBLAS_CORETYPE=$ct differs between 1 and 2 threads"; fail=1; }
done
ref="${cores[0]}-1"
for f in "$out"/*.csv "$out"/*.png; do
    name=$(basename "$f")
    tag=${name%%.*}
    rest=${name#"$tag"}
    [ "$tag" = "$ref" ] && continue
    if ! cmp -s "$out/$ref$rest" "$f"; then
        echo "same-numbers: $name differs from $ref$rest"
        diff <(head -c 200000 "$out/$ref$rest") <(head -c 200000 "$f") 2>/dev/null | head -n 6 || true
        fail=1
    fi
done
n=$(find "$out" -name '*.csv' | wc -l)
if [ "$fail" = 0 ]; then
    echo "same-numbers: $n traces and $(find "$out" -name '*.png' | wc -l) screenshots identical across ${#cores[@]} core types x 2 thread counts and ${#isas[@]} engine paths"
fi
exit "$fail"
