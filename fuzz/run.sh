#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for a bounded time on a copy
# of its corpus (fuzz/corpus/<target>/), so the committed corpus only changes by hand.
# Usage: bash fuzz/run.sh [SECONDS per target, default 60]. Exits non-zero on a crash, leak,
# timeout or out-of-memory (the input is kept in fuzz/artifacts/), or if the fuzzer cannot run.
# Needs clang and Debian's libclang-rt-14-dev (the libFuzzer runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: $0 [seconds]" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVIGIE_BUILD_TESTS=OFF -DVIGIE_BUILD_FUZZERS=ON -DVIGIE_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j "${VIGIE_JOBS:-2}" --target batch_decoder_fuzzer pii_classifier_fuzzer \
  crm_lines_fuzzer >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in batch_decoder pii_classifier crm_lines; do
  cp -r "fuzz/corpus/$target" "$work/$target"
  echo "== fuzzing $target for ${seconds}s"
  rc=0
  "build-fuzz/fuzz/${target}_fuzzer" -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=1024 -timeout=10 -artifact_prefix="$work/" -print_final_stats=1 \
    "$work/$target" >"$work/$target.log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" \
    "$work/$target.log" || true
  if ((rc != 0)); then
    mkdir -p fuzz/artifacts
    cp "$work/$target.log" "fuzz/artifacts/$target.log"
    cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* fuzz/artifacts/ \
      2>/dev/null || true
    echo "fuzz: $target failed (exit $rc); log and failing input in fuzz/artifacts/" >&2
    status=1
  fi
done
exit "$status"
