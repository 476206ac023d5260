#!/usr/bin/env bash
# Vigie's main job on this machine, with embedded defaults: builds and starts a collector (its own
# CA, enrollment secret and encrypted store), enrolls an agent to it, activates a workstation
# policy that the agent pulls, verifies and publishes, starts a private X display (Xvfb + openbox,
# dunst on the person's session bus) where the session sensor runs as an unprivileged
# tele-advisor and tells them what is recorded; a short scripted session happens - a desktop CRM
# showing and editing customer records, a copy carrying personal data, an export to Downloads, a
# screen lock - the person looks at what was recorded about them today, the script waits until
# the collector has verified and stored it all, then shows what the collector holds and what an
# auditor asks it through the audit API (people as pseudonyms), the alerts the detection rules
# raised, and the fleet as the administrator sees it (the workstation's heartbeat). Run as root. With VIGIE_DEMO_KEEP=1 the collector keeps serving the web console
# afterwards, until Ctrl-C. Everything lives under var/demo/ in the repository; run it again to
# add to the same store.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "${VIGIE_JOBS:-2}" --target vigie-agent vigie-collector vigie-session \
  vigiectl >/dev/null

agent=$root/build/agent/vigie-agent
collector=$root/build/collector/vigie-collector
session=$root/build/agent/vigie-session
vigiectl=$root/build/vigiectl/vigiectl
demo=$root/var/demo
mkdir -p "$demo"
chmod 755 "$root/var" "$demo"  # the socket must be reachable by the unprivileged demo user
data=$demo/agent-data
collector_data=$demo/collector-data
socket=$demo/agent.sock
port=${VIGIE_DEMO_PORT:-18443}
pids=()
# On exit, stop what was started, the last started first (X clients before the X server).
# Waits up to 60 s (a busy machine is slow to start things) for CONDITION, else stops the demo
# saying what did not happen.
wait_for() {
  local what=$1; shift
  for _ in $(seq 1200); do "$@" && return 0; sleep 0.05; done
  echo "demo: $what did not happen within 60 s" >&2
  exit 1
}
trap 'for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill ${pids[i]} 2>/dev/null || true; wait ${pids[i]} 2>/dev/null || true; done' EXIT

echo "== starting the collector (first start creates its CA, secret and encrypted store)"
"$collector" --data-dir "$collector_data" --listen "127.0.0.1:$port" > "$demo/collector.out" &
pids+=($!)
wait_for "the collector's start" grep -q listening "$demo/collector.out"
cat "$demo/collector.out"

if [[ ! -f $data/enrollment/collector.url ]]; then
  echo "== enrolling the workstation (the installer's step: CA file + enrollment secret)"
  "$agent" enroll --data-dir "$data" --device-id demo-workstation \
    --collector "https://127.0.0.1:$port" --ca-file "$collector_data/ca.pem" \
    --secret-file "$collector_data/enrollment.secret"
fi

# Demo accounts with random passwords, kept next to the store (0600).
for account in demo-admin:admin demo-auditor:auditor demo-dpo:dpo; do
  name=${account%%:*}
  if [[ ! -f $demo/$name.password ]]; then
    (umask 077; head -c 18 /dev/urandom | base64 > "$demo/$name.password")
    "$collector" --data-dir "$collector_data" --add-account "$name" --role "${account##*:}" \
      < "$demo/$name.password"
  fi
done
export VIGIECTL_CONFIG=$demo/vigiectl-session.json

# The workstation policy: which application is the CRM, how its titles name records, where
# exports are watched, what people are told and when calls may be recorded.
# installer/linux/session-policy.example.json is a fuller example.
downloads=$demo/Downloads
install -d -o nobody -g nogroup "$downloads"
cat > "$demo/workstation-policy.json" <<POLICY
{"policy_version": "demo-1",
 "applications": [
   {"app": "crm-desktop", "brand": "Acme Energie", "process": "^CrmDesktop$", "focus": true,
    "screens": [
      {"screen": "customer", "mode": "view", "title": "^Fiche client (C-[0-9]+)"},
      {"screen": "customer", "mode": "edit", "title": "^Modifier client (C-[0-9]+)"}]}],
 "clipboard": "all",
 "watched_places": [{"path": "$downloads", "class": "downloads"}],
 "notice": {"controller": "Demo Contact SAS", "contact": "dpo@demo-contact.example",
            "purposes": ["Security of the customer data our clients entrust to us"],
            "recipients": ["Information security team", "Data protection officer"]},
 "recording_periods": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00",
                        "end": "12:30", "what": "Calls may be recorded for quality and training"}]}
POLICY
echo "== the administrator activates the workstation policy (checked, signed by the collector)"
"$vigiectl" login --url "https://127.0.0.1:$port" --ca "$collector_data/ca.pem" \
  --user demo-admin < "$demo/demo-admin.password" >/dev/null
"$vigiectl" policy activate "$demo/workstation-policy.json"

echo "== starting the agent service (it pulls the policy, checks its signature, publishes it)"
"$agent" run --data-dir "$data" --socket "$socket" --linger-ms 200 --heartbeat-seconds 2 &
agent_pid=$!
pids+=($agent_pid)
wait_for "the agent's start" test -S "$socket"
wait_for "the policy's publication" test -f "$demo/policy.json"

echo "== a private X display for a scripted tele-advisor session (Xvfb + openbox)"
exec {xvfb_fd}< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null & echo "pid $!")
read -r _ xvfb_pid <&$xvfb_fd
pids+=($xvfb_pid)
read -r display_number <&$xvfb_fd
export DISPLAY=:$display_number
openbox >/dev/null 2>&1 &
pids+=($!)
x_ready() { xdotool get_desktop >/dev/null 2>&1; }
wait_for "the X display's start" x_ready

echo "== the session sensor starts in the tele-advisor's session (user nobody), visibly: it"
echo "   tells the person what is recorded through the desktop's notification service (dunst)"
# The person's session bus, with a notification daemon on the private display.
setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$demo" dbus-run-session -- sh -c \
  "dunst >/dev/null 2>&1 & exec '$session' --socket '$socket' --session-id 7" 2>&1 \
  | sed 's/^/   /' &
sensor_started() {
  sensor_pid=$(pgrep -u 65534 -f "vigie-session --socket $socket" | head -1)
  [[ -n $sensor_pid ]]
}
wait_for "the session sensor's start" sensor_started
sleep 1

echo "== the tele-advisor opens customer C-104233, edits it, goes to the search screen"
xterm -class CrmDesktop -T "Fiche client C-104233 - Acme" &
pids+=($!)
crm_window=$(xdotool search --sync --class CrmDesktop | head -1)
sleep 0.4
xdotool set_window --name "Modifier client C-104233 - Acme" "$crm_window"; sleep 0.4
xdotool set_window --name "Recherche - Acme" "$crm_window"; sleep 0.4
xdotool set_window --name "Fiche client C-104871 - Acme" "$crm_window"; sleep 0.4

echo "== copies contact details (the text stays in the sensor's memory; only counts are kept)"
printf 'M. Martin, jean.martin@example.fr, 06 12 34 56 78, IBAN FR76 3000 6000 0112 3456 7890 189' \
  > "$demo/copied.txt"
xclip -quiet -selection clipboard -i "$demo/copied.txt" 2>/dev/null &
pids+=($!)
sleep 0.4

echo "== saves an export to Downloads, locks and unlocks the screen"
printf 'nom;telephone\nMartin;0612345678\nDurand;0698765432\n' > "$demo/clients.csv"
cp "$demo/clients.csv" "$downloads/clients-$(date +%s).csv"
xset s activate; sleep 0.3; xset s reset; sleep 0.3

echo "== the tele-advisor looks at what was recorded about them today (notices shown included)"
setpriv --reuid=65534 --regid=65534 --clear-groups "$session" --socket "$socket" --status \
  | sed 's/^/   /'
setpriv --reuid=65534 --regid=65534 --clear-groups "$session" --socket "$socket" --my-data \
  | sed 's/^/   /'

echo "== the session ends (the sensor records the logoff)"
kill -TERM "$sensor_pid"
while kill -0 "$sensor_pid" 2>/dev/null; do sleep 0.05; done

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

echo "== the auditor's questions, through the audit API (vigiectl; people appear as pseudonyms)"
"$vigiectl" login --url "https://127.0.0.1:$port" --ca "$collector_data/ca.pem" \
  --user demo-auditor < "$demo/demo-auditor.password"
since=$(date -u -d yesterday +%F)
echo "-- who accessed customer C-104233:"
"$vigiectl" record C-104233 --from "$since" --all
echo "-- copies, exports and prints over the last day:"
"$vigiectl" exports --from "$since" --all
echo "-- alerts the detection rules raised in real time (here: a copy with an IBAN right after a view):"
"$vigiectl" alerts list
"$vigiectl" logout
echo "== the fleet, as the administrator sees it (heartbeats: version, policy applied, queue, sensors)"
"$vigiectl" login --url "https://127.0.0.1:$port" --ca "$collector_data/ca.pem" \
  --user demo-admin < "$demo/demo-admin.password" >/dev/null
"$vigiectl" fleet list
"$vigiectl" logout >/dev/null
echo "(the trail of these questions: vigiectl trail, as demo-dpo; passwords in $demo/*.password)"

if [[ ${VIGIE_DEMO_KEEP:-} == 1 ]]; then
  echo "== web console: https://127.0.0.1:$port/console/ (CA: $collector_data/ca.pem); Ctrl-C stops"
  wait "${pids[0]}"
fi
