#!/usr/bin/env bash
# run.sh — install what is missing, build (incrementally) and start gatescope.
# Any arguments go to gatescope (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
gs_install_deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target gatescope >/dev/null
exec build/app/gatescope "$@"
