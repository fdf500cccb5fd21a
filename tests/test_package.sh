#!/usr/bin/env bash
# test_package.sh — `cpack -G DEB` (from the build directory's CPackConfig.cmake, into a
# temporary directory) makes a package a lab admin can install: its Depends: names
# SDL2, SDL2_ttf, SDL2_image, OpenBLAS and the FFmpeg and GIF libraries (and not
# cJSON, which the binary does not link); it holds the binary, the assets, every
# shipped lesson, the .desktop file, the icon, AppStream metadata and a manual page
# that lists every flag of --help, all under /usr; and the binary runs from the
# unpacked tree and finds its data there.  Skipped (exit 0) without cpack.
#   usage: test_package.sh path/to/gatescope source_dir
set -u
bin=$1
src=$2
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
build=$(dirname "$(dirname "$bin")")
command -v cpack >/dev/null || { echo "test_package: SKIP (no cpack)"; exit 0; }
command -v dpkg-deb >/dev/null || { echo "test_package: SKIP (no dpkg-deb)"; exit 0; }
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL: no $build/CPackConfig.cmake"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # what, command...
    local what=$1
    shift
    checks=$((checks + 1))
    "$@" >/dev/null 2>&1 || fail "$what"
}

if ! cpack -G DEB -B "$tmp" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1; then
    echo "FAIL: cpack -G DEB: $(tail -5 "$tmp/cpack.log")"
    exit 1
fi
deb=$(ls "$tmp"/gatescope_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no gatescope_*.deb in $(ls "$tmp")"; exit 1; }

# ---- Depends --------------------------------------------------------------------
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libsdl2-2.0 libsdl2-ttf libsdl2-image libopenblas libavcodec libavformat \
           libswscale libavutil libgif libc6; do
    check "Depends: names $lib" grep -q "$lib" <<<"$depends"
done
check "Depends: does not name cJSON (not linked)" bash -c "! grep -qi cjson <<<'$depends'"
for field in Package Version Architecture Maintainer Description Section; do
    check "control field $field" test -n "$(dpkg-deb -f "$deb" $field)"
done

# ---- Contents -------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/files"
for f in /usr/bin/gatescope /usr/share/gatescope/assets/fonts/DejaVuSans.ttf \
         /usr/share/gatescope/assets/fonts/LICENSE-DejaVu.txt /usr/share/gatescope/assets/text/corpus.txt \
         /usr/share/gatescope/lessons/README.md /usr/share/applications/gatescope.desktop \
         /usr/share/icons/hicolor/scalable/apps/gatescope.svg \
         /usr/share/icons/hicolor/256x256/apps/gatescope.png \
         /usr/share/metainfo/gatescope.metainfo.xml /usr/share/man/man1/gatescope.1.gz \
         /usr/share/doc/gatescope/README.md; do
    check "the package holds $f" grep -qx "$f" "$tmp/files"
done
for l in "$src"/lessons/*.lesson; do
    check "the package holds the lesson $(basename "$l")" grep -qx "/usr/share/gatescope/lessons/$(basename "$l")" "$tmp/files"
done
check "everything is under /usr" bash -c "! grep -v '^/usr' '$tmp/files' | grep -v '^/\$'"
check "no tests or benchmarks" bash -c "! grep -qE 'test_|bench_|/tests/' '$tmp/files'"

# ---- Unpacked, it runs and finds its data ---------------------------------------------
dpkg-deb -x "$deb" "$tmp/root"
g=$tmp/root/usr/bin/gatescope
check "the packaged binary runs (--version)" "$g" --version
check "the packaged binary draws with its own fonts" env -u DISPLAY "$g" --headless --screenshot "$tmp/s.png" --size 640x400
check "the packaged binary checks a packaged lesson" "$g" --check "$tmp/root/usr/share/gatescope/lessons/01-vanilla-rnn.lesson"
check "the .desktop file names the icon" grep -qx "Icon=gatescope" "$tmp/root/usr/share/applications/gatescope.desktop"
check "the .desktop file runs gatescope" grep -q "^Exec=gatescope" "$tmp/root/usr/share/applications/gatescope.desktop"
check "the icon is a PNG" bash -c "head -c 8 '$tmp/root/usr/share/icons/hicolor/256x256/apps/gatescope.png' | grep -q PNG"
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/gatescope.metainfo.xml" >"$tmp/as.log" 2>&1
    check "AppStream metadata has no errors" bash -c "! grep -q '^E:' '$tmp/as.log'"
fi
zcat "$tmp/root/usr/share/man/man1/gatescope.1.gz" >"$tmp/man"
check "the manual page is a man page" grep -q '^\.TH GATESCOPE 1' "$tmp/man"
for flag in $("$g" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
    check "the manual page lists $flag" grep -qF -- "$(sed 's/-/\\-/g' <<<"$flag")" "$tmp/man"
done
if command -v man >/dev/null; then
    check "the manual page renders without warnings" bash -c "[ -z \"\$(man --warnings -l '$tmp/man' 2>&1 >/dev/null)\" ]"
fi

echo "test_package: $checks checks, $fails failed"
[ $fails -eq 0 ]
