#!/usr/bin/env bash
# Drain and ingest figures (issue: enrollment and exactly-once delivery). Called by bench/run.sh
# with the Release build directory and the results directory; prints and saves:
#   drain_sink.txt       the uploader draining N queued events into an ack-only HTTPS sink (nginx,
#                        as the syslog-ng peer's phase B uses)
#   drain_collector.txt  the same into a real vigie-collector (mTLS, chain verification, durable
#                        storage)
#   ingest.txt           collector ingest from several devices at once, without the network
# Usage: bench/drain.sh BUILD_DIR RESULTS_DIR [EVENTS, default 1000000]
set -euo pipefail
build=$1
results=$2
events=${3:-1000000}
work=$(mktemp -d "${VIGIE_BENCH_DIR:-/var/tmp}/vigie-drain-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "== drain into an ack-only HTTPS sink (nginx), $events events"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  -keyout "$work/ca.key" -out "$work/ca.pem" -days 2 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$work/ext.cnf"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/ext.cnf" -out "$work/server.pem" 2>/dev/null
port=$(free_port)
mkdir -p "$work/ngx"
cat > "$work/nginx.conf" <<NGX
worker_processes 1; pid $work/ngx/nginx.pid; error_log $work/ngx/error.log; daemon off;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $work/ngx/body;
  server { listen 127.0.0.1:$port ssl; ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key; client_max_body_size 64m; client_body_buffer_size 8m;
    location / { if (\$request_method = POST) { return 200 "{}"; } return 404; } } }
NGX
nginx -c "$work/nginx.conf" >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
"$build/bench/drain_bench" --events "$events" --url "https://127.0.0.1:$port" \
  --ca-file "$work/ca.pem" | tee "$results/drain_sink.txt"

echo "== drain into a real vigie-collector (verify + store), $events events"
"$build/collector/vigie-collector" --data-dir "$work/collector" --listen 127.0.0.1:0 \
  --server-names 127.0.0.1 > "$work/collector.out" 2>"$work/collector.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/collector.out" 2>/dev/null && break; sleep 0.1; done
cport=$(sed -n 's/.*listening on https:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/collector.out")
"$build/bench/drain_bench" --events "$events" --url "https://127.0.0.1:$cport" \
  --ca-file "$work/collector/ca.pem" --secret-file "$work/collector/enrollment.secret" \
  --device-id dev-drain | tee "$results/drain_collector.txt"
"$build/collector/vigie-collector" --data-dir "$work/collector" --print-incidents

echo "== collector ingest, 4 devices at once"
"$build/bench/ingest_bench" --devices 4 --events $((events / 4)) | tee "$results/ingest.txt"
