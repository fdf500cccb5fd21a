#!/usr/bin/env bash
# test_app_headless.sh — the window's command-line edges: --headless --screenshot
# writes a PNG of the asked size with no display at all, and without a display (and
# without --headless) gatescope says so in one line and exits non-zero.
#   usage: test_app_headless.sh path/to/gatescope source_dir
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# width and height from a PNG header (big-endian, bytes 16..23)
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

for size in 1024x640 1600x1000; do
    out="$tmp/shot_$size.png"
    if ! env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --headless --screenshot "$out" --size "$size" --at 7 \
            2>"$tmp/err"; then
        fail "--headless --screenshot $size exited non-zero: $(cat "$tmp/err")"
        continue
    fi
    [ -s "$out" ] || { fail "no PNG written for $size"; continue; }
    got=$(png_size "$out")
    [ "$got" = "$size" ] || fail "PNG is $got, asked for $size"
done

# a setup flag reaches the headless frame (and a bad one is refused before drawing)
env -u DISPLAY "$bin" --headless --screenshot "$tmp/v.png" --variants lstm,gru --hidden 8 --length 20 --at 20 \
    2>"$tmp/err" || fail "headless with setup flags: $(cat "$tmp/err")"

# --train-steps: train in the window's worker, then draw (and only with --screenshot)
env -u DISPLAY "$bin" --headless --screenshot "$tmp/t.png" --size 1024x640 --hidden 4 --length 10 \
    --train-steps 30 2>"$tmp/err" || fail "--train-steps: $(cat "$tmp/err")"
[ -s "$tmp/t.png" ] || fail "--train-steps wrote no PNG"
if env -u DISPLAY "$bin" --train-steps 30 2>/dev/null; then fail "--train-steps without --screenshot accepted"; fi

# no display, no --headless: one line, the suggestion, exit status 1
msg=$(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$bin" 2>&1 >/dev/null)
rc=$?
[ $rc -ne 0 ] || fail "without a display gatescope exited 0"
[ "$msg" = "gatescope: no display found (set DISPLAY, or use --headless --screenshot out.png)" ] ||
    fail "no-display message was: '$msg'"
[ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "no-display message is not one line"

echo "test_app_headless: $fails failed"
[ $fails -eq 0 ]
