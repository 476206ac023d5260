#!/usr/bin/env bash
# Builds the Windows side with mingw-w64 (build-win/) and runs its tests under wine, in a private
# wine session (scripts/wine-session.sh). scripts/test.sh calls it; it can be run alone once
# scripts/install-deps.sh has run. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${VIGIE_WIN_BUILD:-build-win}
jobs=${VIGIE_JOBS:-2}
echo "== configure $dir (mingw-w64)"
cmake -S . -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
  -DVIGIE_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== build $dir"
cmake --build "$dir" -j "$jobs"
echo "== test $dir (wine)"
bash scripts/wine-session.sh ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300 "$@"
