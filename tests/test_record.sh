#!/usr/bin/env bash
# test_record.sh — `--record FILE.mp4|FILE.gif` for slides: ffprobe finds an H.264 MP4
# and a GIF of the asked size with at least one frame per step (forward, and the
# backward walk with --backward); the first and last frames show what --screenshot
# shows at step 0 and at the end (PSNR against the PNG); errors are one line and leave
# no file behind; nothing but the target is left in its folder.
#   usage: test_record.sh path/to/gatescope source_dir
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
for tool in ffprobe ffmpeg; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing (apt-get install ffmpeg; scripts/deps.sh does)"; exit 1; }
done

# stream properties: codec,width,height,frames
probe() {
    ffprobe -v error -count_frames -select_streams v:0 \
        -show_entries stream=codec_name,width,height,nb_read_frames -of csv=p=0 "$1"
}
# PSNR (dB) of frame N of a recording against a PNG
psnr() {
    ffmpeg -v error -i "$1" -vf "select=eq(n\\,$2)" -frames:v 1 -y "$tmp/frame.png" &&
    ffmpeg -hide_banner -i "$tmp/frame.png" -i "$3" -lavfi "[0][1]psnr" -f null - 2>&1 |
        sed -n 's/.*average:\([0-9.inf]*\).*/\1/p' | tail -1
}
# 1 if a >= b (decimal numbers)
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a == "inf" || a + 0 >= b + 0) }'; }

setup=(--variants rnn,lstm --hidden 8 --length 20)
T=20
env -u DISPLAY "$bin" --headless --screenshot "$tmp/first.png" --size 640x400 "${setup[@]}" --at 0 ||
    fail "screenshot at step 0"
env -u DISPLAY "$bin" --headless --screenshot "$tmp/last.png" --size 640x400 "${setup[@]}" --at $T ||
    fail "screenshot at the end"

# ---- MP4, forward only -------------------------------------------------------------
mkdir "$tmp/out"
if env -u DISPLAY "$bin" --record "$tmp/out/fwd.mp4" --size 640x400 "${setup[@]}" --fps 10 2>"$tmp/err"; then
    ok
    IFS=, read -r codec w h n <<<"$(probe "$tmp/out/fwd.mp4")"
    [ "$codec" = h264 ] && ok || fail "mp4 codec is '$codec'"
    [ "$w"x"$h" = 640x400 ] && ok || fail "mp4 is ${w}x$h, asked for 640x400"
    # steps 0..T, then the last held for a second (10 frames at --fps 10)
    [ "$n" -eq $((T + 1 + 10)) ] && ok || fail "mp4 has $n frames, expected $((T + 1 + 10))"
    p=$(psnr "$tmp/out/fwd.mp4" 0 "$tmp/first.png")
    ge "$p" 30 && ok || fail "mp4 frame 0 is not the step-0 screenshot (PSNR $p dB)"
    p=$(psnr "$tmp/out/fwd.mp4" $T "$tmp/last.png")
    ge "$p" 30 && ok || fail "mp4 frame $T is not the last-step screenshot (PSNR $p dB)"
    p=$(psnr "$tmp/out/fwd.mp4" 0 "$tmp/last.png")
    ge "$p" 30 && fail "mp4 frame 0 looks like the last step too (PSNR $p dB): the test cannot tell" || ok
    left=$(ls -A "$tmp/out")
    [ "$left" = fwd.mp4 ] && ok || fail "the folder holds more than the recording: $left"
else
    fail "--record mp4: $(cat "$tmp/err")"
fi

# ---- MP4 with the backward walk -------------------------------------------------------
if env -u DISPLAY "$bin" --record "$tmp/back.mp4" --size 640x400 "${setup[@]}" --backward 2>"$tmp/err"; then
    IFS=, read -r codec w h n <<<"$(probe "$tmp/back.mp4")"
    # forward 0..T, the walk from T back to 1 (T frames), 8 held
    [ "$n" -ge $((T + 1 + T)) ] && ok || fail "mp4 with --backward has $n frames, expected >= $((2 * T + 1))"
    [ "$n" -eq $((T + 1 + T + 8)) ] && ok || fail "mp4 with --backward has $n frames, expected $((2 * T + 9))"
else
    fail "--record --backward: $(cat "$tmp/err")"
fi

# ---- GIF ------------------------------------------------------------------------------
if env -u DISPLAY "$bin" --record "$tmp/walk.GIF" --size 480x320 "${setup[@]}" --backward=5 2>"$tmp/err"; then
    IFS=, read -r codec w h n <<<"$(probe "$tmp/walk.GIF")"
    [ "$codec" = gif ] && ok || fail "gif codec is '$codec'"
    [ "$w"x"$h" = 480x320 ] && ok || fail "gif is ${w}x$h, asked for 480x320"
    # every step differs from the one before (the step counter moves), the held frames
    # merge into the last: 0..T, then T back to 5
    [ "$n" -eq $((T + 1 + T - 5 + 1)) ] && ok || fail "gif has $n frames, expected $((2 * T - 3))"
    head -c 6 "$tmp/walk.GIF" | grep -q GIF89a && ok || fail "not a GIF89a"
    grep -q NETSCAPE2.0 "$tmp/walk.GIF" && ok || fail "the gif does not loop"
    env -u DISPLAY "$bin" --headless --screenshot "$tmp/first480.png" --size 480x320 "${setup[@]}" --at 0
    p=$(psnr "$tmp/walk.GIF" 0 "$tmp/first480.png")
    ge "$p" 28 && ok || fail "gif frame 0 is not the step-0 screenshot (PSNR $p dB)"
else
    fail "--record gif: $(cat "$tmp/err")"
fi

# ---- Errors: one line, status, nothing written ------------------------------------------
expect_fail() { # status, what, flags...
    local want=$1 what=$2
    shift 2
    env -u DISPLAY "$bin" "$@" >"$tmp/out.txt" 2>"$tmp/err"
    local rc=$?
    [ $rc -eq "$want" ] && ok || fail "$what: exit $rc, expected $want"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || fail "$what: not one line: $(cat "$tmp/err")"
    grep -q "^gatescope: " "$tmp/err" && ok || fail "$what: message does not start 'gatescope: '"
}
expect_fail 1 "odd size for H.264" --record "$tmp/odd.mp4" --size 641x400 "${setup[@]}"
[ -e "$tmp/odd.mp4" ] && fail "odd.mp4 was written" || ok
grep -q "even" "$tmp/err" && ok || fail "the odd-size message does not say why: $(cat "$tmp/err")"
expect_fail 2 "bad extension" --record "$tmp/x.avi" "${setup[@]}"
expect_fail 2 "--fps without --record" --fps 10 --headless --screenshot "$tmp/y.png"
expect_fail 2 "--fps out of range" --record "$tmp/z.mp4" --fps 0
expect_fail 2 "--record with --at" --record "$tmp/z.mp4" --at 3
expect_fail 2 "--record with --screenshot" --record "$tmp/z.mp4" --screenshot "$tmp/z.png"
expect_fail 1 "missing folder" --record "$tmp/no/such/dir/a.mp4" "${setup[@]}"
# a failed recording leaves an older file as it was
echo "old" >"$tmp/keep.mp4"
expect_fail 1 "odd size over an old file" --record "$tmp/keep.mp4" --size 641x400 "${setup[@]}"
[ "$(cat "$tmp/keep.mp4")" = old ] && ok || fail "a failed recording changed the old file"

echo "test_record: $checks checks, $fails failed"
[ $fails -eq 0 ]
