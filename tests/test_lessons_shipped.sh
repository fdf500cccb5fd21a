#!/usr/bin/env bash
# test_lessons_shipped.sh — every shipped lesson (SOURCE_DIR/lessons/*.lesson) must
# parse, every @expect and @visible in it must hold under `gatescope --check` with no
# warning (no thin margin, no slow reveal), and at least 10 lessons must ship. Each
# lesson is checked on its own, so one failure names its file.
#   bash test_lessons_shipped.sh PATH_TO_gatescope SOURCE_DIR            everything
#   bash test_lessons_shipped.sh PATH_TO_gatescope SOURCE_DIR NAME.lesson that lesson
#   bash test_lessons_shipped.sh PATH_TO_gatescope SOURCE_DIR rest        the README's
#                                                 example and the number shipped
# (CTest runs one test per lesson and one for the rest, each with its own time limit:
# the long lessons take minutes under the sanitizers)
# Prints each failure's output and a closing line 'N passed, M failed'; exits
# non-zero if any lesson fails or too few ship.
set -u

GS=${1:?usage: test_lessons_shipped.sh PATH_TO_gatescope SOURCE_DIR}
SRC=${2:?usage: test_lessons_shipped.sh PATH_TO_gatescope SOURCE_DIR}
case $GS in /*) ;; *) GS=$PWD/$GS ;; esac
MIN_LESSONS=10

if [ ! -x "$GS" ]; then
    echo "FAIL: $GS is not an executable" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

shopt -s nullglob
lessons=("$SRC"/lessons/*.lesson)
shopt -u nullglob

only=${3:-}
passed=0
failed=0
for lesson in "${lessons[@]}"; do
    if [ -n "$only" ] && [ "$only" != "${lesson##*/}" ]; then
        continue
    fi
    out=$("$GS" --check "$lesson" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q ': warning: '; then
        rc=3 # a thin margin or a slow reveal: shipped lessons have none
    fi
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok: ${lesson##*/}: $(printf '%s\n' "$out" | tail -1)"
    else
        failed=$((failed + 1))
        echo "FAIL: ${lesson##*/} (exit $rc)" >&2
        printf '%s\n' "$out" >&2
    fi
done

if [ -n "$only" ] && [ "$only" != rest ]; then
    if [ $((passed + failed)) -eq 0 ]; then
        failed=1
        echo "FAIL: no lesson $only in $SRC/lessons" >&2
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

# the example in lessons/README.md, which teachers copy, shows what it says too
example=$(mktemp -d)/readme-example.lesson
sed -n '/^```lesson$/,/^```$/p' "$SRC/lessons/README.md" | sed '1d;$d' >"$example"
out=$("$GS" --check "$example" 2>&1)
if [ $? -eq 0 ] && [ -s "$example" ] && ! printf '%s\n' "$out" | grep -q ': warning: '; then
    passed=$((passed + 1))
    echo "ok: the example in lessons/README.md"
else
    failed=$((failed + 1))
    echo "FAIL: the example in lessons/README.md" >&2
    printf '%s\n' "$out" >&2
fi
rm -rf "$(dirname "$example")"

count=${#lessons[@]}
if [ "$count" -lt "$MIN_LESSONS" ]; then
    failed=$((failed + 1))
    echo "FAIL: only $count lessons in $SRC/lessons, at least $MIN_LESSONS must ship" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
