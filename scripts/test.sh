#!/usr/bin/env bash
# Runs the whole test suite: a normal build, the Windows build under wine (scripts/test-windows.sh),
# then an ASan+UBSan build, then the libFuzzer targets for a bounded time (VIGIE_FUZZ_SECONDS,
# default 60 per target).
# Installs the Debian packages it needs first (as root). Usage: scripts/test.sh [--quick]
#   --quick   skip the sanitizer and fuzzing passes
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=${VIGIE_JOBS:-2}
run_suite() {
  local dir=$1; shift
  echo "== configure $dir ($*)"
  cmake -S . -B "$dir" -G Ninja -DVIGIE_BUILD_TESTS=ON "$@" >/dev/null
  echo "== build $dir"
  cmake --build "$dir" -j "$jobs"
  echo "== test $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
bash scripts/test-windows.sh
if [[ ${1:-} != "--quick" ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DVIGIE_SANITIZE=ON
  bash fuzz/run.sh "${VIGIE_FUZZ_SECONDS:-60}"
fi
