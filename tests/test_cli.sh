#!/usr/bin/env bash
# test_cli.sh — the gatescope command line without a window: help, version, the
# lists, --trace (format, determinism, truncation), weights save/load, and every
# kind of bad input (non-zero exit, exactly one line on stderr, no crash).
#   bash test_cli.sh PATH_TO_gatescope SOURCE_DIR
# Works in a scratch directory under the current one; exits non-zero on any failure.
set -u

GS=${1:?usage: test_cli.sh PATH_TO_gatescope SOURCE_DIR}
SRC=${2:?usage: test_cli.sh PATH_TO_gatescope SOURCE_DIR}
case $GS in /*) ;; *) GS=$PWD/$GS ;; esac
WORK=$PWD/test_cli.tmp
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

failures=0
checks=0
pass() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...: the command must succeed
    local what=$1; shift
    if "$@"; then pass; else fail "$what"; fi
}

# run ARGS...: sets $rc, $out (stdout) and $err (stderr)
run() {
    "$GS" "$@" >out.txt 2>err.txt
    rc=$?
    out=$(cat out.txt)
    err=$(cat err.txt)
}

# expect_error WHAT NEEDLE ARGS...: non-zero exit below 128, one stderr line that
# starts with "gatescope: " and contains NEEDLE, nothing on stdout.
expect_error() {
    local what=$1 needle=$2; shift 2
    run "$@"
    local lines
    lines=$(wc -l <err.txt)
    if [ "$rc" -eq 0 ]; then fail "$what: exit 0 for: $*"; return; fi
    if [ "$rc" -ge 128 ]; then fail "$what: crashed (exit $rc) for: $*"; return; fi
    if [ "$lines" -ne 1 ]; then fail "$what: $lines lines on stderr for: $*"; cat err.txt >&2; return; fi
    case $err in "gatescope: "*) ;; *) fail "$what: stderr does not start with 'gatescope: ': $err"; return ;; esac
    case $err in *"$needle"*) pass ;; *) fail "$what: stderr lacks '$needle': $err" ;; esac
    if [ -s out.txt ]; then fail "$what: wrote to stdout"; fi
}

# ---- help, version, lists ---------------------------------------------------------

run --help
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help starts with usage" grep -q '^usage: gatescope' out.txt
for flag in --help --version --list-variants --list-tasks --trace --variants --task --length \
            --hidden --seed --init --weight-scale --forget-bias --truncate --sequence \
            --save-weights --load-weights --headless --screenshot --size --at --fullscreen --clamp; do
    check "--help documents $flag" grep -q -- "$flag" out.txt
done
run -h
check "-h is --help" [ "$rc" -eq 0 -a -n "$out" ]

run --version
check "--version exits 0" [ "$rc" -eq 0 ]
check "--version prints 'gatescope X.Y.Z'" grep -Eq '^gatescope [0-9]+\.[0-9]+\.[0-9]+$' out.txt
check "--version names the OpenBLAS kernels" grep -q '^OpenBLAS kernels: ' out.txt
# OpenBLAS falling back to Prescott on a CPU with AVX2: gatescope starts again with
# the fitting kernels and says so; a user's own OPENBLAS_CORETYPE is never overridden
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
    OPENBLAS_CORETYPE=Prescott GS_TEST_BLAS_FALLBACK=1 "$GS" --version >out.txt 2>&1
    check "a Prescott fallback is replaced and reported" \
        grep -Eq '^OpenBLAS kernels: (Haswell|SkylakeX) \(chosen by gatescope: .*fell back to Prescott\)' out.txt
fi
OPENBLAS_CORETYPE=Prescott "$GS" --version >out.txt 2>&1
check "the user's OPENBLAS_CORETYPE stands" grep -q '^OpenBLAS kernels: Prescott (OPENBLAS_CORETYPE)' out.txt
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
    check "... and training then runs the engine's own products" \
        grep -Eq "^training's batched products: gatescope (AVX2|AVX-512)$" out.txt
fi
OPENBLAS_CORETYPE=Haswell "$GS" --version >out.txt 2>&1
check "with a core OpenBLAS fits, training runs OpenBLAS" grep -q "^training's batched products: OpenBLAS$" out.txt

run --list-variants
check "--list-variants exits 0" [ "$rc" -eq 0 ]
check "--list-variants: 16 lines" [ "$(wc -l <out.txt)" -eq 16 ]
check "--list-variants: names" [ "$(cut -f1 out.txt | tr '\n' ' ')" = "rnn proto norm gru gru-ra pseudo lstm peephole nig nfg nog niaf noaf np cifg fgr " ]
check "--list-variants: name<TAB>title" [ "$(grep -cP '^[a-z-]+\t\S.*$' out.txt)" -eq 16 ]

run --list-tasks
check "--list-tasks exits 0" [ "$rc" -eq 0 ]
check "--list-tasks: names" [ "$(cut -f1 out.txt | tr '\n' ' ')" = "adding adding-hs copy order echo sine text typed " ]
check "--list-tasks: name<TAB>title" [ "$(grep -cP '^[a-z-]+\t\S.*$' out.txt)" -eq 8 ]

# ---- --trace ------------------------------------------------------------------------

HEADER='variant,step,quantity,unit,value'
FLAGS=(--variants lstm,gru,rnn --task adding --length 12 --hidden 5 --seed 7 --init xavier
       --weight-scale 0.9 --forget-bias 0.5 --truncate 0)

run --trace a.csv "${FLAGS[@]}"
check "--trace exits 0" [ "$rc" -eq 0 ]
check "--trace: nothing on stdout/stderr" [ -z "$out" -a -z "$err" ]
check "--trace: header line exact" [ "$(head -1 a.csv)" = "$HEADER" ]
check "--trace: one header line" [ "$(grep -c '^variant,' a.csv)" -eq 1 ]
for v in lstm gru rnn; do
    check "--trace: rows for $v" grep -q "^$v,12,out,4," a.csv
done
check "--trace: no other variant" [ "$(cut -d, -f1 a.csv | sort -u | tr '\n' ' ')" = "gru lstm rnn variant " ]
check "--trace: every row has 5 fields" [ -s a.csv -a "$(awk -F, 'NF != 5' a.csv | wc -l)" -eq 0 ]
check "--trace: lstm has c and h" grep -q '^lstm,3,h,0,' a.csv
check "--trace: gru has r, z, cand" [ "$(grep -Ec '^gru,4,(r|z|cand),2,' a.csv)" -eq 3 ]
check "--trace: rnn has gamma_w at step 0" grep -Eq '^rnn,0,gamma_w,,[0-9.e+-]+$' a.csv
check "--trace: loss at the last step" grep -Eq '^lstm,12,loss,,[0-9.e+-]+$' a.csv
check "--trace: gradients everywhere" [ "$(grep -c ',has_grad,,1$' a.csv)" -eq 36 ]

run --trace b.csv "${FLAGS[@]}"
check "--trace is deterministic" cmp -s a.csv b.csv
run --trace c.csv "${FLAGS[@]}" --seed 8
check "--trace --seed 8 exits 0" [ "$rc" -eq 0 ]
if cmp -s a.csv c.csv; then fail "--trace: --seed 8 gave the same trace as --seed 7"; else pass; fi

run --trace - --variants peephole --length 5 --hidden 2
check "--trace - writes to stdout" [ "$rc" -eq 0 -a "$(head -1 out.txt)" = "$HEADER" ]

run --trace d.csv --variants rnn,lstm --length 10 --hidden 3 --truncate 4
check "--truncate: exit 0" [ "$rc" -eq 0 ]
check "--truncate: has_grad 0 before the window" [ "$(grep -c '^rnn,[0-9]*,has_grad,,0$' d.csv)" -eq 6 ]
check "--truncate: has_grad 1 inside it" [ "$(grep -c '^rnn,[0-9]*,has_grad,,1$' d.csv)" -eq 4 ]
check "--truncate: first window step" grep -q '^lstm,7,has_grad,,1$' d.csv
check "--truncate: no gradient rows before it" [ "$(grep -Ec '^lstm,[1-6],d_(c|h|x)' d.csv)" -eq 0 ]
check "--truncate: gradient rows inside it" [ "$(grep -Ec '^lstm,(7|8|9|10),d_c,' d.csv)" -eq 12 ]

run --trace e.csv --variants gru-ra,norm --sequence "hello world, hello there" --hidden 4
check "--sequence: typed task trace" [ "$rc" -eq 0 -a "$(head -1 e.csv)" = "$HEADER" ]
check "--sequence: gru-ra candidate is n" grep -q '^gru-ra,1,n,0,' e.csv

run --trace f.csv --variants pseudo --task text --length 8 --hidden 3
check "--task text finds the corpus ($err)" [ "$rc" -eq 0 ]
check "--task text: 32 inputs" grep -q '^pseudo,1,x,31,' f.csv

for task in adding-hs copy order echo sine; do
    run --trace g.csv --variants proto --task "$task" --hidden 3
    check "--task $task traces" [ "$rc" -eq 0 -a -s g.csv ]
done

# ---- weights ------------------------------------------------------------------------

run --trace w1.csv --variants lstm,gru --seed 5 --save-weights wdir
check "--save-weights DIR: exit 0 ($err)" [ "$rc" -eq 0 ]
check "--save-weights DIR: one file per variant" [ -s wdir/lstm.json -a -s wdir/gru.json ]
run --trace w2.csv --variants lstm,gru --seed 5 --init orthogonal --weight-scale 3 --load-weights wdir
check "--load-weights DIR: exit 0 ($err)" [ "$rc" -eq 0 ]
check "--load-weights DIR: the same trace" cmp -s w1.csv w2.csv
run --trace w3.csv --variants lstm,gru --seed 5 --init orthogonal --weight-scale 3
if cmp -s w1.csv w3.csv; then fail "weights: other init gave the same trace without loading"; else pass; fi

run --variants peephole --seed 3 --hidden 6 --save-weights one.json
check "--save-weights alone: exit 0, silent" [ "$rc" -eq 0 -a -z "$out" -a -z "$err" ]
check "--save-weights FILE with one variant" grep -q '"variant":"peephole"' one.json
run --trace p1.csv --variants peephole --seed 3 --hidden 6
run --trace p2.csv --variants peephole --seed 3 --hidden 6 --init xavier --load-weights one.json
check "--load-weights FILE: the same trace" cmp -s p1.csv p2.csv
run --trace p3.csv --variants rnn,peephole --seed 3 --hidden 6 --init xavier --load-weights one.json
check "--load-weights FILE goes to its variant" [ "$rc" -eq 0 ]
check "--load-weights FILE: that variant's rows match" \
    [ -s p1.csv -a "$(grep '^peephole,' p3.csv | md5sum)" = "$(grep '^peephole,' p1.csv | md5sum)" ]

# ---- bad input: one line, non-zero, no crash -----------------------------------------

expect_error "unknown variant" "did you mean 'gru'" --trace x.csv --variants lstm,grux
expect_error "duplicate variant" "twice" --variants lstm,lstm
expect_error "empty variant" "empty" --variants lstm,
expect_error "unknown task" "unknown task 'addng'" --trace x.csv --task addng
expect_error "negative --hidden" "--hidden" --trace x.csv --hidden -3
expect_error "--hidden too big" "--hidden" --hidden 5000
expect_error "--length abc" "--length" --trace x.csv --length abc
expect_error "--length 12x" "--length" --length 12x
expect_error "--length too short for copy" "21" --task copy --length 5
expect_error "--seed -1" "--seed" --seed -1
expect_error "--seed overflow" "--seed" --seed 99999999999999999999999
expect_error "--weight-scale nan" "--weight-scale" --weight-scale nan
expect_error "--forget-bias empty" "--forget-bias" --forget-bias ""
expect_error "--init" "uniform, xavier or orthogonal" --init gaussian
expect_error "--truncate negative" "--truncate" --truncate -2
expect_error "--size" "320..7680" --size 100x100
expect_error "--size format" "WIDTHxHEIGHT" --size 1600
expect_error "--screenshot suffix" ".png" --screenshot out.jpg
expect_error "typed without text" "--sequence" --task typed
expect_error "non-ASCII typed text" "'é' (character 2) is not in the alphabet" --sequence "héllo" --trace -
expect_error "window flag with --trace" "--trace" --trace x.csv --at 3
expect_error "missing weights file" "cannot open" --trace x.csv --variants lstm --load-weights nosuch.json
printf '{"format": "gatescope-weights",\n "version": 1,,}\n' >bad.json
expect_error "malformed JSON" "bad.json:2:" --trace x.csv --variants lstm --load-weights bad.json
expect_error "weights of another variant" "peephole" --trace x.csv --variants lstm --load-weights one.json
expect_error "weights of another size" "n_hidden 6" --trace x.csv --variants peephole --hidden 4 --load-weights one.json
expect_error "unknown flag" "unknown option '--foo'" --foo
expect_error "misspelt flag" "did you mean --hidden" --hiden 3
expect_error "unknown short flag" "unknown option '-x'" -x
expect_error "missing argument" "'--trace' needs an argument" --trace
expect_error "missing argument (last)" "'--hidden' needs an argument" --variants lstm --hidden
expect_error "argument to a plain flag" "takes no argument" --headless=yes
expect_error "stray argument" "unexpected argument" --list-variants extra
expect_error "unwritable trace" "cannot write" --trace no_such_dir/x.csv --variants rnn
check "no partial trace left" [ ! -e no_such_dir/x.csv ]

# ---- the documentation covers every flag and every quantity ----------------------------

DOC=$SRC/docs/cli.md
if [ -f "$DOC" ]; then
    pass
    run --help
    for flag in $(grep -oE -- '--[a-z][a-z-]+' out.txt | sort -u); do
        check "docs/cli.md documents $flag" grep -q -- "\`$flag" "$DOC"
    done
    run --trace all.csv --variants rnn,proto,norm,gru,gru-ra,pseudo,lstm,peephole --length 6 \
        --hidden 2 --truncate 3
    for q in $(tail -n +2 all.csv | cut -d, -f3 | sort -u); do
        check "docs/cli.md documents quantity $q" grep -q "\`$q\`" "$DOC"
    done
else
    fail "no $DOC"
fi

# ---- --clamp: a gate forced to a value ------------------------------------------------

# expect_line WHAT LINE ARGS...: fails with exactly this one line on stderr
expect_line() {
    local what=$1 line=$2; shift 2
    expect_error "$what" "$line" "$@"
    [ "$err" = "$line" ] || fail "$what: expected '$line', got '$err'"
}
V=--variants
expect_line "--clamp: a value above 1" "gatescope: --clamp peephole:f=2: the value must be a number from 0 (shut) to 1 (open)" --trace x.csv $V peephole --clamp peephole:f=2
expect_line "--clamp: not a number" "gatescope: --clamp peephole:f=open: the value must be a number from 0 (shut) to 1 (open)" --trace x.csv $V peephole --clamp peephole:f=open
expect_line "--clamp: no value" "gatescope: --clamp peephole:f=: the value must be a number from 0 (shut) to 1 (open)" --trace x.csv $V peephole --clamp peephole:f=
expect_line "--clamp: no '='" "gatescope: --clamp needs VARIANT:GATE=VALUE, e.g. peephole:f=1 (got 'peephole:f')" --trace x.csv $V peephole --clamp peephole:f
expect_line "--clamp: no variant" "gatescope: --clamp needs VARIANT:GATE=VALUE, e.g. peephole:f=1 (got 'f=1')" --trace x.csv $V peephole --clamp f=1
expect_line "--clamp: an empty clamp" "gatescope: --clamp: an empty clamp (write VARIANT:GATE=VALUE, e.g. peephole:f=1)" --trace x.csv $V peephole --clamp peephole:f=1,
expect_error "--clamp: a misspelt variant" "--clamp: unknown variant 'pephole' (did you mean 'peephole'?)" --trace x.csv $V peephole --clamp pephole:f=1
expect_line "--clamp: no such gate" "gatescope: --clamp peephole:z=1: peephole has no gate 'z' (gates: i, f, o)" --trace x.csv $V peephole --clamp peephole:z=1
expect_line "--clamp: cifg's f is 1 - i" "gatescope: --clamp cifg:f=1: cifg has no gate 'f': its forget factor is 1 − i, so clamp i (gates: i, o)" --trace x.csv $V cifg --clamp cifg:f=1
expect_line "--clamp: nfg's f is 1" "gatescope: --clamp nfg:f=1: nfg has no gate 'f': it is the constant 1 there (gates: i, o)" --trace x.csv $V nfg --clamp nfg:f=1
expect_line "--clamp: rnn has no gates" "gatescope: --clamp rnn:i=1: rnn has no gates to clamp" --trace x.csv $V rnn --clamp rnn:i=1
expect_line "--clamp: a unit that is not a number" "gatescope: --clamp peephole:f[x]=1: the unit must be a whole number from 0 to 4095" --trace x.csv $V peephole --clamp "peephole:f[x]=1"
expect_line "--clamp: an unclosed unit" "gatescope: --clamp peephole:f[3=1: write one unit as GATE[UNIT], e.g. peephole:f[3]=1" --trace x.csv $V peephole --clamp "peephole:f[3=1"
expect_line "--clamp: a unit past --hidden" "gatescope: --clamp peephole:f[20]=1: there is no unit 20 with --hidden 16 (units 0 to 15)" --trace x.csv $V peephole --clamp "peephole:f[20]=1"
expect_line "--clamp: a variant not shown" "gatescope: --clamp lstm:f=1: lstm is not among the variants (add it to --variants)" --trace x.csv $V peephole --clamp lstm:f=1
expect_line "--clamp with --check" "gatescope: --clamp does not go with --check: a lesson clamps a gate with @clamp" --check x.lesson --clamp peephole:f=1
# a clamp is exactly its value in the trace, for every unit or for one; the others run free
run --trace clamp.csv $V peephole,np --length 8 --hidden 4 --clamp peephole:f=1,np:o[2]=0 --clamp "np:i=0.25"
check "--clamp --trace exits 0" [ "$rc" -eq 0 ]
check "--clamp: peephole's f is 1 everywhere" [ "$(grep -c '^peephole,[0-9]*,f,' clamp.csv)" -eq 32 ] && [ "$(grep '^peephole,[0-9]*,f,' clamp.csv | grep -vc ',1$')" -eq 0 ]
check "--clamp: np's o of unit 2 is 0" [ "$(grep '^np,[0-9]*,o,2,' clamp.csv | grep -vc ',0$')" -eq 0 ]
check "--clamp: np's o of unit 1 runs free" [ "$(grep '^np,[0-9]*,o,1,' clamp.csv | grep -c ',0$')" -eq 0 ]
check "--clamp: np's i is 0.25" [ "$(grep '^np,[0-9]*,i,' clamp.csv | grep -vc ',0.25$')" -eq 0 ]
run --trace free.csv $V peephole,np --length 8 --hidden 4
check "--clamp changes the trace" [ "$(cmp -s clamp.csv free.csv; echo $?)" -ne 0 ]
run --train $V peephole --clamp peephole:f=1 --length 20 --hidden 4 --iterations 3 --batch 2
check "--clamp --train exits 0" [ "$rc" -eq 0 ]

# ---- lessons: --lesson, --export-dir, --present ------------------------------------------

expect_error "--export-dir without --headless" "--headless" --lesson x.lesson --export-dir d
expect_error "--export-dir without --lesson" "--lesson" --headless --export-dir d
expect_error "--lesson with --train" "--lesson" --lesson x.lesson --train
expect_error "--present with --trace" "--present" --present --trace t.csv
run --lesson "$SRC/tests/lessons_bad/bad_number.lesson" --headless --export-dir ex
check "a broken lesson exits 1" [ "$rc" -eq 1 ]
check "a broken lesson: its one error line" [ "$err" = "$SRC/tests/lessons_bad/bad_number.lesson:4:9: hidden size must be a whole number, not '16x'" ]
check "a broken lesson writes nothing" [ ! -e ex ]
expect_error "--allow-failing without --export-dir" "--export-dir" --lesson x.lesson --allow-failing
# full.lesson's expectations fail (it is a parser test): the handout is refused ...
run --lesson "$SRC/tests/lessons_good/full.lesson" --headless --export-dir ex/a/b --size 1024x640 --present
check "--export-dir refuses a failing lesson (exit 1)" [ "$rc" -eq 1 ]
check "--export-dir: says why" grep -q 'no handout written (--allow-failing writes it anyway)' err.txt
check "--export-dir: names the failing line" grep -q 'full.lesson:19: expected proto s_norm > 100 before 40' err.txt
check "--export-dir: a refused handout writes nothing" [ ! -e ex ]
# ... unless asked, into missing parents
run --lesson "$SRC/tests/lessons_good/full.lesson" --headless --export-dir ex/a/b --size 1024x640 --present --allow-failing
check "--export-dir --allow-failing exits 0" [ "$rc" -eq 0 ]
check "--allow-failing warns" grep -q 'warning: 2 statements fail; writing the handout anyway' err.txt
check "--export-dir: a PNG per step" [ -s ex/a/b/step-01.png ] && [ -s ex/a/b/step-02.png ] && [ ! -e ex/a/b/step-03.png ]
check "--export-dir: Markdown per step" grep -q '^## The same scene, another moment' ex/a/b/step-02.md
check "--export-dir: the page shows its picture" grep -qF '](step-02.png)' ex/a/b/step-02.md
check "--export-dir: no checks on a student page" [ "$(grep -c 'expect\|holds\|margin' ex/a/b/step-01.md)" -eq 0 ]
check "--export-dir: the teacher's page" grep -q '^- line 19: `expected proto s_norm > 100 before 40' ex/a/b/teacher.md
check "--export-dir: notes on the teacher's page" grep -q 'Ask the class' ex/a/b/teacher.md
check "--export-dir: no notes on a student page" [ "$(cat ex/a/b/step-*.md | grep -c 'Ask the class')" -eq 0 ]

# ---- lessons: what --check reports ------------------------------------------------------

( cd "$SRC/tests/lessons_check" && "$GS" --check seen.lesson >"$WORK/out.txt" 2>"$WORK/err.txt" ); rc=$?
check "--check: a lesson that shows what it says exits 0" [ "$rc" -eq 0 ]
check "--check: no failures or warnings for it" [ ! -s err.txt ]
check "--check: each expectation's margin" grep -qF 'seen.lesson:16: holds, margin ×1.07e+03: rnn d_s_norm at 1 < 1e-6 * rnn d_s_norm at last' out.txt
check "--check: each visibility statement" grep -qF 'seen.lesson:14: visible at 4 sizes, normal and presenter: @visible backward to 1' out.txt
check "--check: the sequence track, in every pane" grep -qF 'seen.lesson:22: visible at 4 sizes, normal and presenter: @visible track' out.txt
check "--check: the summary" grep -qF '1 lesson, 2 steps, 3 expectations, 5 visibility statements: all hold' out.txt
( cd "$SRC/tests/lessons_check" && "$GS" --check unseen.lesson >"$WORK/out.txt" 2>"$WORK/err.txt" ); rc=$?
check "--check: a lesson that hides what it says exits 1" [ "$rc" -eq 1 ]
check "--check: exactly the failure and warning lines of unseen.expected" cmp -s err.txt "$SRC/tests/lessons_check/unseen.expected"
check "--check: failures and warnings counted" grep -qF 'FAILED, 2 warnings' out.txt

# ---- done ------------------------------------------------------------------------------

cd .. && rm -rf "$WORK"
echo "test_cli: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
