#!/usr/bin/env bash
# fuzz.sh — fuzz the lesson parser: build fuzz/fuzz_lesson with clang (libFuzzer +
# ASan + UBSan) in its own build dir, then run it for a bounded time over a copy of
# the committed corpus (fuzz/corpus stays as it is).  Exits non-zero on a crash; the
# crashing input is left in $dir/fuzz-artifacts/.
#   scripts/fuzz.sh [SECONDS]     default 60
# Environment: GS_FUZZ_DIR (build dir, default build-fuzz), GS_FUZZ_JOBS (parallel
# fuzzing processes, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
dir=${GS_FUZZ_DIR:-build-fuzz}
jobs=${GS_FUZZ_JOBS:-1}
if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DGS_FUZZ=ON -DGS_BUILD_APP=OFF \
      -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" --target fuzz_lesson -j"$(nproc)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r fuzz/corpus "$work/corpus"
mkdir -p "$dir/fuzz-artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384
       -dict=fuzz/lesson.dict -artifact_prefix="$dir/fuzz-artifacts/" -print_final_stats=1)
if [ "$jobs" -gt 1 ]; then
    flags+=(-fork="$jobs" -ignore_crashes=0)
fi
status=0
"$dir/fuzz/fuzz_lesson" "${flags[@]}" "$work/corpus" || status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: the fuzzer found a problem (exit $status); see $dir/fuzz-artifacts/" >&2
    exit "$status"
fi
echo "fuzz.sh: no crash in ${secs}s"
