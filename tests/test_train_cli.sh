#!/usr/bin/env bash
# test_train_cli.sh — gatescope --train as a user runs it: the final table, the CSV
# log, saved weights that load again, determinism, and one clear line for bad input.
# Usage: bash test_train_cli.sh PATH_TO_gatescope SOURCE_DIR
set -u
gs=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
check() { # check DESCRIPTION COMMAND...
    checks=$((checks + 1))
    local what=$1; shift
    if ! "$@"; then echo "FAIL: $what" >&2; failures=$((failures + 1)); fi
}

run=("$gs" --train --variants rnn,gru,lstm --task adding --length 20 --hidden 8 --iterations 30
     --batch 8 --optimizer adam --lr 1e-2 --clip 1 --seed 3)
"${run[@]}" --log "$tmp/a.csv" --save-weights "$tmp/w" >"$tmp/out" 2>"$tmp/err"
check "--train exits 0" test $? -eq 0
check "table has a row per variant" test "$(grep -cE '^(rnn|gru|lstm) ' "$tmp/out")" -eq 3
check "table shows the baseline" grep -q "^baseline .*predict the mean" "$tmp/out"
check "table shows the success measure" grep -q "success" "$tmp/out"
check "log header" test "$(head -1 "$tmp/a.csv")" = "iteration,variant,loss,success"
check "log has iterations x variants rows" test "$(($(wc -l <"$tmp/a.csv") - 1))" -eq 90
check "progress lines on a non-terminal" grep -q "iteration 30/30" "$tmp/err"
for v in rnn gru lstm; do
    check "$v weights saved" test -s "$tmp/w/$v.json"
done
"${run[@]}" --log "$tmp/b.csv" >/dev/null 2>&1
check "same flags, same log" cmp -s "$tmp/a.csv" "$tmp/b.csv"
"$gs" --trace "$tmp/t1.csv" --variants rnn,gru,lstm --task adding --length 20 --hidden 8 --seed 3 \
    --load-weights "$tmp/w" 2>/dev/null
check "trained weights load back" test $? -eq 0
"$gs" --trace "$tmp/t0.csv" --variants rnn,gru,lstm --task adding --length 20 --hidden 8 --seed 3 \
    2>/dev/null
differ() { ! cmp -s "$1" "$2"; }
check "trained weights differ from the start" differ "$tmp/t0.csv" "$tmp/t1.csv"

# the loss goes down: first iterations vs last, for the lstm
first=$(awk -F, '$2=="lstm" && $1<=5 {s+=$3; n++} END {print s/n}' "$tmp/a.csv")
last=$(awk -F, '$2=="lstm" && $1>25 {s+=$3; n++} END {print s/n}' "$tmp/a.csv")
check "lstm loss falls ($first -> $last)" awk -v a="$first" -v b="$last" 'BEGIN {exit !(b < a)}'

bad() { # bad DESCRIPTION ARGS... : exit 2, one line on stderr, no crash
    checks=$((checks + 1))
    local what=$1; shift
    "$gs" "$@" >/dev/null 2>"$tmp/bad.err"
    local rc=$?
    if [ $rc -ne 2 ] || [ "$(wc -l <"$tmp/bad.err")" -ne 1 ]; then
        echo "FAIL: $what (exit $rc, stderr: $(cat "$tmp/bad.err"))" >&2
        failures=$((failures + 1))
    fi
}
bad "unknown optimizer" --train --optimizer adamw
bad "zero learning rate" --train --lr 0
bad "learning rate not a number" --train --lr fast
bad "batch 0" --train --batch 0
bad "negative k1" --train --k1 -3
bad "log without train" --log "$tmp/x.csv"
bad "train with trace" --train --trace "$tmp/x.csv"
bad "train with a window flag" --train --headless
bad "iterations too large" --train --iterations 99999999999

echo "$((checks - failures)) passed, $failures failed"
[ $failures -eq 0 ]
