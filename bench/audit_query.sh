#!/usr/bin/env bash
# "Who accessed record R" through the real collector over HTTPS: the same question as
# audit_query_bench's record cases, plus TLS, HTTP, the token check and the audit trail entry
# every call writes (with its fsync). docs/performance.md, "Audit questions over 10M events".
#
#   bash bench/audit_query.sh BUILD_DIR DATA_DIR [REQUESTS_PER_CASE]
#
# DATA_DIR is a collector data directory filled by
#   vigie-collector --data-dir DATA_DIR --add-account bench --role auditor   (password on stdin)
#   audit_data --collector-data DATA_DIR ...
# The account's password is read from $VIGIE_BENCH_PASSWORD (default "bench-password-123").
# Starts vigie-collector on a free local port, logs in once, then for each kind of record sends
# REQUESTS_PER_CASE (default 200) requests with one curl process over one kept-alive connection,
# cycling through that kind's records, and prints p50 / p95 / p99 of curl's time_total.
set -euo pipefail

build=${1:?usage: audit_query.sh BUILD_DIR DATA_DIR [REQUESTS_PER_CASE]}
data=${2:?usage: audit_query.sh BUILD_DIR DATA_DIR [REQUESTS_PER_CASE]}
requests=${3:-200}
password=${VIGIE_BENCH_PASSWORD:-bench-password-123}
collector="$build/collector/vigie-collector"
query_bench="$build/bench/audit_query_bench"
work=$(mktemp -d)
collector_pid=
cleanup() {
  if [[ -n "$collector_pid" ]]; then kill "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The records, as audit_query_bench picks them (hot, median, cold, fresh), and the data's "now".
"$query_bench" --store "$data" --print-records > "$work/records.txt"
now=$(awk '$1 == "now" {print $2}' "$work/records.txt")
echo "== data up to $now; load $(cut -d' ' -f1-3 /proc/loadavg)"

"$collector" --data-dir "$data" --listen 127.0.0.1:0 > "$work/collector.log" 2>&1 &
collector_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on https://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/collector.log")
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then cat "$work/collector.log" >&2; exit 1; fi
base="https://127.0.0.1:$port"
token=$(curl -sS --cacert "$data/ca.pem" -H 'Content-Type: application/json' \
  -d "{\"user\":\"bench\",\"password\":\"$password\"}" "$base/v1/auth/login" | jq -r .token)
if [[ -z "$token" || "$token" == null ]]; then echo "login failed" >&2; exit 1; fi

# Nearest-rank percentiles of the second column, in ms.
percentiles() {
  sort -n -k2 "$1" | awk '{t[NR] = $2 * 1000; code[$1]++; reused += ($3 == 0)}
    function at(p,  r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return t[r] }
    END {
      statuses = ""; for (c in code) statuses = statuses (statuses == "" ? "" : " ") c "x" code[c];
      printf "n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms (status %s; %d on a reused connection)\n",
             NR, at(0.50), at(0.95), at(0.99), t[NR], statuses, reused
    }'
}

ask() {  # tier days
  local tier=$1 days=$2 offset=0 from config="$work/curl-$1-$2.cfg"
  # The second period starts further in the list: fresh records are each asked once.
  [[ "$days" == 180 ]] && offset=$requests
  from=$(date -u -d "$now - $days days" +%F)
  read -r -a ids <<< "$(awk -v t="$tier" '$1 == t {for (i = 2; i <= NF; i++) {split($i, r, ":"); printf "%s ", r[1]}}' "$work/records.txt")"
  : > "$config"
  for ((i = 0; i < requests; i++)); do
    printf 'url = "%s/v1/audit/record?id=%s&from=%s&to=%s"\noutput = /dev/null\n' \
      "$base" "${ids[(i + offset) % ${#ids[@]}]}" "$from" "$now" >> "$config"
  done
  curl -sS --cacert "$data/ca.pem" -H "Authorization: Bearer $token" --config "$config" \
    -w '%{http_code} %{time_total} %{num_connects}\n' > "$work/times-$tier-$days.txt"
  printf '%-22s load %s  ' "record/$tier/${days}d" "$(cut -d' ' -f1 /proc/loadavg)"
  percentiles "$work/times-$tier-$days.txt"
}

for tier in hot median cold fresh; do
  for days in 30 180; do ask "$tier" "$days"; done
done
echo "== load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
