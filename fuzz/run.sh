#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for a bounded time on a copy
# of its corpus (fuzz/corpus/<target>/), so the committed corpus only changes by hand.
# Usage: bash fuzz/run.sh [SECONDS per target, default 60]. Exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVIGIE_BUILD_TESTS=OFF -DVIGIE_BUILD_FUZZERS=ON -DVIGIE_SANITIZE=OFF >/dev/null
cmake --build build-fuzz -j "${VIGIE_JOBS:-2}" --target batch_decoder_fuzzer >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in batch_decoder; do
  cp -r "fuzz/corpus/$target" "$work/$target"
  echo "== fuzzing $target for ${seconds}s"
  "build-fuzz/fuzz/${target}_fuzzer" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 \
    -artifact_prefix="$work/" -print_final_stats=1 "$work/$target" 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true
  if compgen -G "$work/crash-*" >/dev/null || compgen -G "$work/leak-*" >/dev/null ||
     compgen -G "$work/timeout-*" >/dev/null || compgen -G "$work/oom-*" >/dev/null; then
    mkdir -p fuzz/artifacts
    cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* fuzz/artifacts/ 2>/dev/null || true
    echo "fuzz: $target found a failing input, kept in fuzz/artifacts/" >&2
    exit 1
  fi
done
