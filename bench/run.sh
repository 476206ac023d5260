#!/usr/bin/env bash
# Builds the queue benchmarks (Release, into build-bench/), runs them and the syslog-ng peer in
# the same session, and prints the figures of DESIGN.md "Numbers we aim at" with their ratios.
# Benchmarks are not tests: this prints figures and never fails on a target. Absolute figures
# drift with the machine and its load; compare ratios measured in one run.
#
# Assumes scripts/install-deps.sh has been run. Knobs (environment):
#   VIGIE_BENCH_DIR          where queue files go (default /var/tmp; must be a real disk, not tmpfs)
#   VIGIE_BENCH_MIN_TIME     seconds per Google Benchmark measurement (default 1)
#   VIGIE_BENCH_REPETITIONS  repetitions per benchmark, the median is reported (default 3)
#   VIGIE_BENCH_EVENTS       events queued for the RSS figure (default 1000000)
#   VIGIE_PEER_EVENT_BYTES   syslog-ng event size (default 300, the anchor's; our stored rows are
#                            ~430 bytes: the event's ~290 bytes of JSON plus prev and mac)
#   VIGIE_DRAIN_EVENTS       events queued before a drain (default 1000000)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build="$repo/build-bench"
results="$build/bench-results"
peer="$repo/../shared/bench/syslog-ng-peer.sh"
min_time=${VIGIE_BENCH_MIN_TIME:-1}
repetitions=${VIGIE_BENCH_REPETITIONS:-3}
events=${VIGIE_BENCH_EVENTS:-1000000}
peer_bytes=${VIGIE_PEER_EVENT_BYTES:-300}
export VIGIE_BENCH_DIR=${VIGIE_BENCH_DIR:-/var/tmp}

echo "== build (Release) into $build"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIE_BUILD_BENCH=ON \
  -DVIGIE_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 queue_bench queue_rss drain_bench ingest_bench vigie-collector
mkdir -p "$results"
rm -f "$results"/*

echo "== files under $VIGIE_BENCH_DIR ($(df --output=fstype "$VIGIE_BENCH_DIR" | tail -1))"

echo "== queue_bench (min time ${min_time}s, median of $repetitions)"
bench="$build/bench/queue_bench"
# Google Benchmark 1.8 wants a unit on --benchmark_min_time; 1.7 wants a bare number.
if "$bench" --help 2>&1 | grep -q '<float>s'; then min_flag="${min_time}s"; else min_flag=$min_time; fi
"$bench" --benchmark_min_time="$min_flag" --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_out="$results/queue_bench.json" \
  --benchmark_out_format=json || echo "queue_bench failed (exit $?)"

echo "== queue_rss ($events events)"
"$build/bench/queue_rss" "$events" | tee "$results/queue_rss.txt" || echo "queue_rss failed"

echo "== syslog-ng peer (200000 events of $peer_bytes bytes)"
if [[ -f "$peer" ]]; then
  # Its disk buffer goes on the same disk as our queue files, and is removed afterwards.
  peer_tmp=$(mktemp -d "$VIGIE_BENCH_DIR/vigie-peer-XXXXXX")
  TMPDIR=$peer_tmp bash "$peer" 200000 "$peer_bytes" | tee "$results/peer.txt" || echo "syslog-ng peer failed (exit $?)"
  rm -rf "$peer_tmp"
else
  echo "skipped: $peer not found (the repository's sibling folder shared/bench/)"
fi

bash "$here/drain.sh" "$build" "$results" "${VIGIE_DRAIN_EVENTS:-1000000}" ||
  echo "drain benchmarks failed (exit $?)"

echo
echo "== summary"
python3 - "$results" <<'PY'
import json, os, re, sys

results = sys.argv[1]

def read(name):
    path = os.path.join(results, name)
    return open(path).read() if os.path.exists(path) else ""

rates = {}  # benchmark name -> median items/s
try:
    for b in json.loads(read("queue_bench.json") or "{}").get("benchmarks", []):
        if b.get("aggregate_name", "median") == "median" and "items_per_second" in b:
            rates[b["run_name"].removesuffix("/real_time")] = b["items_per_second"]
except json.JSONDecodeError:
    pass

def rate(name):
    return rates.get(name)

def fmt(value, unit=""):
    return "n/a" if value is None else f"{value:,.0f}{unit}"

def ratio(a, b):
    return "n/a" if a is None or not b else f"{a / b:.2f}"

peer = read("peer.txt")
def peer_rate(phase):
    m = re.search(rf"^{phase} .*-> (\d+) events/s", peer, re.M)
    return float(m.group(1)) if m else None
peer_a, peer_b = peer_rate("A"), peer_rate("B")

print(f"{'figure':46} {'events/s':>12} {'ratio':>8}  target")
for batch in (1, 100, 1000):
    ours = rate(f"BM_QueueAppend/batch:{batch}")
    raw = rate(f"BM_RawSqlcipherInsert/batch:{batch}")
    print(f"{'raw SQLCipher insert, batch ' + str(batch):46} {fmt(raw):>12}")
    print(f"{'queue append, batch ' + str(batch) + ' (ours/raw)':46} {fmt(ours):>12} "
          f"{ratio(ours, raw):>8}  >= 0.60")
ours_1000 = rate("BM_QueueAppend/batch:1000")
print(f"{'syslog-ng reliable disk buffer, phase A':46} {fmt(peer_a):>12}")
print(f"{'queue append, batch 1000 / syslog-ng A':46} {fmt(ours_1000):>12} "
      f"{ratio(ours_1000, peer_a):>8}  >= 1.00")
print(f"{'syslog-ng drain to HTTPS sink, phase B':46} {fmt(peer_b):>12}")
# Lease + ack is only the queue's side of a drain (no HTTPS): shown beside B, not a ratio to it.
print(f"{'queue lease 1000 + ack, no network':46} {fmt(rate('BM_LeaseAck')):>12}")

def drain(name):
    m = re.search(r"-> (\d+) events/s; wire ([\d.]+) bytes/event .*CPU ([\d.]+) s per 100k",
                  read(name))
    return (float(m.group(1)), m.group(2), m.group(3)) if m else (None, None, None)
sink, sink_bytes, sink_cpu = drain("drain_sink.txt")
real, real_bytes, real_cpu = drain("drain_collector.txt")
m = re.search(r"-> (\d+) events/s", read("ingest.txt"))
ingest = float(m.group(1)) if m else None
print()
print(f"{'drain to ack-only HTTPS sink / syslog-ng B':46} {fmt(sink):>12} {ratio(sink, peer_b):>8}  >= 1.00")
print(f"{'drain to real collector (verify + store)':46} {fmt(real):>12} {'':>8}  >= 50,000")
print(f"{'collector ingest, 4 devices, no network':46} {fmt(ingest):>12} {'':>8}  >= 100,000")
print(f"wire bytes/event (gzip): sink {sink_bytes}, collector {real_bytes}; "
      f"agent CPU s per 100k events: sink {sink_cpu}, collector {real_cpu}")

rss = read("queue_rss.txt")
def mem(label):
    m = re.search(rf"^{re.escape(label)}\s+queued=(\d+)\s+VmRSS=\s*([\d.]+) MB\s+VmHWM=\s*([\d.]+) MB",
                  rss, re.M)
    return (int(m.group(1)), m.group(2), m.group(3)) if m else None
print()
for label in ("after filling (same process)", "after reopen (fresh process)",
              "after append 1000 + lease/ack 1000"):
    m = mem(label)
    text = "n/a" if m is None else f"queued={m[0]:,}  VmRSS={m[1]} MB  VmHWM={m[2]} MB"
    print(f"RSS {label:36} {text}")
print("RSS target with 1M events queued: <= 30 MB")
filled = re.search(r"^filled .*", rss, re.M)
if filled:
    print(filled.group(0))
PY
