#!/usr/bin/env bash
# deps.sh — install the Debian packages gatescope needs, when any is missing.
# Sourced by run.sh and test.sh.  apt-get as root, sudo otherwise.
gs_packages=(cmake make gcc pkg-config libopenblas-dev libcjson-dev
             libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
             libavcodec-dev libavformat-dev libswscale-dev libavutil-dev libgif-dev
             ffmpeg dpkg-dev xvfb)
# (ffmpeg: ffprobe, for the tests of --record; dpkg-dev: dpkg-shlibdeps, for the
# Depends: of `cpack -G DEB`; xvfb: tests/test_faults.sh opens the window on a
# virtual X server)

gs_install_deps() {
    local missing=() p
    for p in "${gs_packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "gatescope: installing ${missing[*]}" >&2
    local run=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            run=(sudo)
        else
            echo "gatescope: missing packages (${missing[*]}); run as root or install sudo, then retry" >&2
            return 1
        fi
    fi
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
        { echo "gatescope: apt-get could not install ${missing[*]}" >&2; return 1; }
}
