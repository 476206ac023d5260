#!/usr/bin/env bash
# The Windows session sensor's latency and idle cost under wine (docs/performance.md). Builds
# build-win/ if needed. Usage: bench/windows-sensor.sh [RECORDS [DEBOUNCE_MS]]   (50, 150)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${VIGIE_WIN_BUILD:-build-win}
cmake -S . -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
  -DVIGIE_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j "${VIGIE_JOBS:-2}" --target sensor_latency_bench >/dev/null
bash scripts/wine-session.sh wine "$dir/bench/windows/sensor_latency_bench.exe" \
  "$dir/agent/vigie-session.exe" "${1:-50}" "${2:-150}"
