#!/usr/bin/env bash
# Vigie's main job on this machine, with embedded defaults: builds the agent, starts the service,
# has two local users record workstation events through the sensor socket, stops the service and
# shows what was recorded, with the integrity chain verified. Run as root.
# Everything lives under var/demo/ in the repository; run it again to add to the same queue.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "${VIGIE_JOBS:-2}" --target vigie-agent >/dev/null

agent=$root/build/agent/vigie-agent
demo=$root/var/demo
mkdir -p "$demo"
chmod 755 "$root/var" "$demo"  # the socket must be reachable by the unprivileged demo user
data=$demo/agent-data
socket=$demo/agent.sock

echo "== starting the agent service"
"$agent" run --data-dir "$data" --socket "$socket" --device-id demo-workstation &
agent_pid=$!
trap 'kill $agent_pid 2>/dev/null || true; wait $agent_pid 2>/dev/null || true' EXIT
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
"$agent" send --socket "$socket" <<'DRAFTS' || true
{"type":"crm.view","session":"1","data":{"app":"crm-desktop","screen":"contract","record_id":"K-88","mode":"edit","brand":"Acme Energie"}}
{"type":"agent.stop","data":{"reason":"forged"}}
{"type":"crm.view","data":{"app":"crm-web","keystrokes":"secret"}}
DRAFTS

echo "== stopping the service"
kill -TERM $agent_pid
wait $agent_pid || true
trap - EXIT

echo "== recorded events (decrypted from $data/queue.db, chain verified)"
"$agent" show --data-dir "$data"
