#!/usr/bin/env bash
# Vigie's main job on this machine, with embedded defaults: builds and starts a collector (its own
# CA, enrollment secret and encrypted store), enrolls an agent to it, has two local users record
# workstation events through the agent's sensor socket, waits until the collector has verified
# and stored them, then shows what the collector holds. Run as root.
# Everything lives under var/demo/ in the repository; run it again to add to the same store.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "${VIGIE_JOBS:-2}" --target vigie-agent vigie-collector >/dev/null

agent=$root/build/agent/vigie-agent
collector=$root/build/collector/vigie-collector
demo=$root/var/demo
mkdir -p "$demo"
chmod 755 "$root/var" "$demo"  # the socket must be reachable by the unprivileged demo user
data=$demo/agent-data
collector_data=$demo/collector-data
socket=$demo/agent.sock
port=${VIGIE_DEMO_PORT:-18443}
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done' EXIT

echo "== starting the collector (first start creates its CA, secret and encrypted store)"
"$collector" --data-dir "$collector_data" --listen "127.0.0.1:$port" > "$demo/collector.out" &
pids+=($!)
for _ in $(seq 200); do grep -q listening "$demo/collector.out" 2>/dev/null && break; sleep 0.05; done
cat "$demo/collector.out"

if [[ ! -f $data/enrollment/collector.url ]]; then
  echo "== enrolling the workstation (the installer's step: CA file + enrollment secret)"
  "$agent" enroll --data-dir "$data" --device-id demo-workstation \
    --collector "https://127.0.0.1:$port" --ca-file "$collector_data/ca.pem" \
    --secret-file "$collector_data/enrollment.secret"
fi

echo "== starting the agent service"
"$agent" run --data-dir "$data" --socket "$socket" --linger-ms 200 &
agent_pid=$!
pids+=($agent_pid)
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.05; done

echo "== a tele-advisor session (user nobody) records CRM activity"
setpriv --reuid=65534 --regid=65534 --clear-groups "$agent" send --socket "$socket" <<'DRAFTS'
{"type":"session.logon","session":"7","data":{}}
{"type":"notice.shown","session":"7","data":{"notice_id":"recording-notice","version":"2026-09"}}
{"type":"crm.view","session":"7","data":{"app":"crm-web","screen":"customer","record_id":"C-104233","mode":"view","brand":"Acme Energie"}}
{"type":"clipboard.copy","session":"7","data":{"source_app":"chromium","source_url":"https://crm.example/customers/C-104233","formats":["UTF8_STRING","text/html"],"size_bytes":58,"pii":{"email":1,"phone_fr":1,"iban":0,"payment_card":0,"nir":0}}}
{"type":"file.export","session":"7","data":{"path_class":"removable","extension":"csv","size_bytes":183220,"writer_process":"libreoffice","rows":1200}}
{"type":"print.job","session":"7","data":{"printer":"office-2nd-floor","pages":12,"copies":1,"document_class":"pdf"}}
DRAFTS

echo "== bad input is refused one line at a time, nothing else is lost"
"$agent" send --socket "$socket" > "$demo/replies.out" <<'DRAFTS' || true
{"type":"crm.view","session":"1","data":{"app":"crm-desktop","screen":"contract","record_id":"K-88","mode":"edit","brand":"Acme Energie"}}
{"type":"agent.stop","data":{"reason":"forged"}}
{"type":"crm.view","data":{"app":"crm-web","keystrokes":"secret"}}
DRAFTS

cat "$demo/replies.out"
last_seq=$(awk '/^ok /{seq=$2} END{print seq}' "$demo/replies.out")

echo "== waiting until the collector has verified and stored them (through seq $last_seq)"
for _ in $(seq 100); do
  stored=$("$collector" --data-dir "$collector_data" --list-devices 2>/dev/null |
    sed -n 's/^demo-workstation.*last_seq=\([0-9]*\).*/\1/p')
  (( ${stored:-0} >= last_seq )) && break
  sleep 0.1
done

echo "== stopping the agent (what is not yet acknowledged stays in its encrypted queue)"
kill -TERM $agent_pid
wait $agent_pid || true

echo "== the collector's view: enrolled devices, stored events (chain verified), incidents"
"$collector" --data-dir "$collector_data" --list-devices
"$collector" --data-dir "$collector_data" --print-events demo-workstation
echo "-- integrity incidents:"
"$collector" --data-dir "$collector_data" --print-incidents
echo "== still queued on the workstation (normally just the agent.stop of the last run)"
"$agent" show --data-dir "$data"
