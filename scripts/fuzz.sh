#!/usr/bin/env bash
# fuzz.sh — fuzz the two parsers that read untrusted files: the lesson format
# (fuzz/fuzz_lesson over fuzz/corpus) and the weights reader (fuzz/fuzz_weights over
# fuzz/corpus_weights plus fresh seeds written by gs_model_save_json).  Builds them
# with clang (libFuzzer + ASan + UBSan) in their own build dir and runs each for its
# share of a bounded time over a copy of its corpus (the committed corpora stay as
# they are).  Exits non-zero on a crash; the crashing input is left in
# $dir/fuzz-artifacts/.
#   scripts/fuzz.sh [SECONDS]     total time, default 80, split evenly between targets
# Environment: GS_FUZZ_DIR (build dir, default build-fuzz), GS_FUZZ_JOBS (parallel
# fuzzing processes per target, default 1), GS_FUZZ_TARGETS (default
# "lesson weights").
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-80}
dir=${GS_FUZZ_DIR:-build-fuzz}
jobs=${GS_FUZZ_JOBS:-1}
read -r -a targets <<<"${GS_FUZZ_TARGETS:-lesson weights}"
if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
share=$(( secs / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DGS_FUZZ=ON -DGS_BUILD_APP=OFF \
      -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
build=()
for t in "${targets[@]}"; do build+=(--target "fuzz_$t"); done
[[ " ${targets[*]} " == *" weights "* ]] && build+=(--target fuzz_weights_seeds)
cmake --build "$dir" "${build[@]}" -j"$(nproc)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dir/fuzz-artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "${targets[@]}"; do
    case "$t" in
        lesson)  corpus=fuzz/corpus;         dict=fuzz/lesson.dict ;;
        weights) corpus=fuzz/corpus_weights; dict=fuzz/weights.dict ;;
        *) echo "fuzz.sh: unknown target '$t' (lesson, weights)" >&2; exit 2 ;;
    esac
    cp -r "$corpus" "$work/$t"
    if [ "$t" = weights ]; then "$dir/fuzz/fuzz_weights_seeds" "$work/$t"; fi
    flags=(-max_total_time="$share" -timeout=10 -rss_limit_mb=2048 -max_len=16384
           -dict="$dict" -artifact_prefix="$dir/fuzz-artifacts/$t-" -print_final_stats=1)
    if [ "$jobs" -gt 1 ]; then
        flags+=(-fork="$jobs" -ignore_crashes=0)
    fi
    status=0
    echo "fuzz.sh: fuzz_$t for ${share}s"
    "$dir/fuzz/fuzz_$t" "${flags[@]}" "$work/$t" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "fuzz.sh: fuzz_$t found a problem (exit $status); see $dir/fuzz-artifacts/" >&2
        exit "$status"
    fi
done
echo "fuzz.sh: no crash in ${secs}s (${targets[*]}: ${share}s each)"
