#!/usr/bin/env bash
# screens.sh — headless screenshots of a fixed set of scenes, to check that a change
# which should not change the picture does not (a refactor, a build flag).
#   scripts/screens.sh OUTDIR            build (incrementally, in build/ or $GS_BUILD_DIR)
#                                        and write the pictures under OUTDIR
#   scripts/screens.sh --compare A B     compare two such directories pixel for pixel
#                                        (scripts/png_diff.py); exit 1 if any differs
#
# OUTDIR/harness/  tests/test_app_screens DIR: the default scene at three cursors, the
#                  backward walk, hover (cell, diagram, plot, button), help, "computing",
#                  two other setups, a lesson step, presenter mode, the lesson list, the
#                  training panel live and scrubbed back; 1600x1000 and 1024x640.  Each
#                  is drawn twice and must come out the same (so it is deterministic).
# OUTDIR/cli/      the same program as a person runs it: --headless --screenshot at
#                  three sizes, --train-steps, and --lesson --export-dir (PNG and
#                  Markdown per step) for a lesson with the backward walk, in presenter
#                  mode too.
#
# Typical use: scripts/screens.sh /tmp/before; change things; scripts/screens.sh
# /tmp/after; scripts/screens.sh --compare /tmp/before /tmp/after
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--compare" ]; then
    [ $# -eq 3 ] || { echo "usage: scripts/screens.sh --compare DIR_A DIR_B" >&2; exit 2; }
    exec python3 scripts/png_diff.py "$2" "$3"
fi
[ $# -eq 1 ] || { echo "usage: scripts/screens.sh OUTDIR | --compare DIR_A DIR_B" >&2; exit 2; }
out=$1
build=${GS_BUILD_DIR:-build}

[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target gatescope test_app_screens >/dev/null
bin=$build/app/gatescope
mkdir -p "$out/harness" "$out/cli"

"$build/tests/test_app_screens" "$out/harness"

shot() { # name, then gatescope flags
    local name=$1
    shift
    env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --headless --screenshot "$out/cli/$name.png" "$@"
}
shot default-1600x1000 --size 1600x1000 --at 25
shot default-1280x800 --size 1280x800 --at 50
shot default-1024x640 --size 1024x640 --at 7
shot setup-1600x1000 --size 1600x1000 --variants lstm,gru --hidden 8 --length 20 --at 20
# 60 iterations: each publishes a snapshot (budget < 64), so timing cannot change them
shot train-1024x640 --size 1024x640 --hidden 4 --length 10 --train-steps 60
shot train-1600x1000 --size 1600x1000 --hidden 4 --length 10 --train-steps 60
env -u DISPLAY "$bin" --lesson lessons/03-bptt-truncation.lesson --headless --size 1600x1000 \
    --export-dir "$out/cli/lesson-03"
env -u DISPLAY "$bin" --lesson lessons/02-vanishing-exploding.lesson --headless --present \
    --size 1024x640 --export-dir "$out/cli/lesson-02-present"

echo "screens: $(find "$out" -name '*.png' | wc -l) pictures in $out"
