#!/usr/bin/env bash
# The Debian packages on this machine, for real: the collector installed and started by its
# init script, an agent installed with a wrong secret (installed all the same, queueing), then
# enrolled at install from the environment, events sent by a non-root user reaching the
# collector, an upgrade keeping identity, keys and queue, remove (stopped cleanly, data kept) and
# purge (nothing left). Root only; it leaves nothing behind, even when it fails.
# Usage: lifecycle.sh DEBDIR V NEXT   (the packages of tests/package/build.sh)
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 DEBDIR V NEXT" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "package test: SKIPPED: installing packages needs root" >&2
  exit 77
fi
# The services are checked through their init scripts and pidfiles.
if [[ -d /run/systemd/system ]]; then
  echo "package test: SKIPPED: systemd runs this machine; this test is for the init scripts" >&2
  exit 77
fi
arch=$(dpkg --print-architecture)
v=$2
next=$3
agent_v=$1/vigie-agent_${v}_${arch}.deb
agent_next=$1/vigie-agent_${next}_${arch}.deb
collector_v=$1/vigie-collector_${v}_${arch}.deb
collector_next=$1/vigie-collector_${next}_${arch}.deb
for deb in "$agent_v" "$agent_next" "$collector_v" "$collector_next"; do
  [[ -f $deb ]] || { echo "package test: $deb is missing (tests/package/build.sh)" >&2; exit 1; }
done
dpkg --compare-versions "$next" gt "$v" || { echo "package test: $next is not after $v" >&2; exit 1; }

# One package test at a time on a machine: the packages, users and paths are the machine's. The
# lock is taken on dpkg's directory, which is always there (no lock file left behind).
exec {lock}</var/lib/dpkg
flock -w 600 "$lock" || { echo "package test: another one holds the lock" >&2; exit 1; }

fail() {
  echo "package test: FAILED: $*" >&2
  exit 1
}
step() { echo "== $*"; }

# Refuse to touch a machine where any of it is already there: purge would delete it.
for package in vigie-agent vigie-collector; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -qv "not-installed"; then
    fail "$package is already on this machine (dpkg -l $package); this test installs and purges it"
  fi
  if getent passwd "$package" >/dev/null || getent group "$package" >/dev/null; then
    fail "a user or group $package exists already; this test creates and deletes it"
  fi
done
for path in /var/lib/vigie-agent /var/lib/vigie-collector /etc/vigie /etc/default/vigie-agent \
  /etc/default/vigie-collector /run/vigie-agent /var/log/vigie-agent.log \
  /var/log/vigie-collector.log; do
  [[ ! -e $path ]] || fail "$path exists already; this test would overwrite or delete it"
done
for deb in "$agent_v" "$collector_v"; do
  while read -r path; do
    [[ ! -e $path || -d $path ]] || fail "$path exists already; installing $deb would replace it"
  done < <(dpkg-deb -c "$deb" | awk '{print substr($6, 2)}')
done

work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  local status=$?
  set +e
  step "cleaning up"
  dpkg --purge vigie-agent vigie-collector >"$work/cleanup.out" 2>&1 || cat "$work/cleanup.out"
  # What a failed purge may have left.
  for name in vigie-agent vigie-collector; do
    # The services this test started, by pid (their users are this test's).
    if getent passwd "$name" >/dev/null; then
      for pid in $(pgrep -u "$name"); do kill "$pid"; done
      wait_until 10 eval "! pgrep -u $name >/dev/null"
    fi
    if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -qv "not-installed"; then
      dpkg --purge --force-remove-reinstreq "$name"
    fi
    rm -rf "/var/lib/$name" "/run/$name" "/run/$name.pid" "/var/log/$name.log" "/etc/default/$name"
    rm -f /etc/init.d/"$name" /etc/rc?.d/[SK][0-9][0-9]"$name"
    if getent passwd "$name" >/dev/null; then deluser --system --quiet "$name"; fi
    if getent group "$name" >/dev/null; then delgroup --system --quiet "$name"; fi
  done
  rm -rf /etc/vigie "$work"
  exit "$status"
}
trap cleanup EXIT

# Runs a maintainer action (dpkg ...), its output kept in $work/NAME.out and shown on failure.
run_dpkg() {
  local name=$1
  shift
  if ! "$@" </dev/null >"$work/$name.out" 2>&1; then
    cat "$work/$name.out" >&2
    fail "$name: '$*' failed"
  fi
}
# wait_until SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
service_pid() { cat "/run/$1.pid" 2>/dev/null; }
# The service runs as its own user, without capability, with no_new_privs and umask 077.
check_service_process() {
  local name=$1 pid uid
  /etc/init.d/"$name" status >/dev/null || fail "$name is not running (init script status)"
  pid=$(service_pid "$name")
  uid=$(id -u "$name")
  grep -Eq "^Uid:\s+$uid\s+$uid\s+$uid\s+$uid$" "/proc/$pid/status" ||
    fail "$name (pid $pid) does not run as user $name"
  grep -Eq '^CapBnd:\s+0+$' "/proc/$pid/status" || fail "$name keeps capabilities"
  grep -Eq '^NoNewPrivs:\s+1$' "/proc/$pid/status" || fail "$name may gain privileges"
  grep -Eq '^Umask:\s+0077$' "/proc/$pid/status" || fail "$name's umask is not 077"
  [[ $(readlink "/proc/$pid/exe") == "/usr/bin/$name" ]] ||
    fail "$name runs $(readlink "/proc/$pid/exe"), not /usr/bin/$name"
}
as_collector() {
  runuser -u vigie-collector -- /usr/bin/vigie-collector --data-dir /var/lib/vigie-collector "$@"
}
collector_has() { as_collector --print-events "$device" 2>/dev/null | grep -F -- "$1" | grep -Fq nobody; }
# send_as_nobody RECORD: a CRM view sent through the agent's socket by an unprivileged user.
send_as_nobody() {
  local draft reply
  draft='{"type":"crm.view","session":"7","data":{"app":"crm-web","screen":"customer",'
  draft+="\"record_id\":\"$1\",\"mode\":\"view\",\"brand\":\"Acme\"}}"
  reply=$(runuser -u nobody -- /usr/bin/vigie-agent send <<<"$draft") ||
    fail "vigie-agent send as nobody: $reply"
  [[ $reply == "ok "* ]] || fail "vigie-agent send as nobody answered '$reply'"
}
queue_json() { runuser -u vigie-agent -- "$1" show --json --data-dir /var/lib/vigie-agent; }
# The copies of the CA and secret made for the enrollment are gone.
no_staged_secret() {
  local left
  left=$(find /var/lib/vigie-agent -maxdepth 1 -name '.enroll.*')
  [[ -z $left ]] || fail "the enrollment's copy of the secret was left: $left"
}
identity_hashes() {
  (cd /var/lib/vigie-agent && sha256sum keys/* enrollment/*)
}

# Ports: one free loopback port of its own (the other tests bind port 0).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Events queued before enrollment carry the default device id; the enrolled one must match.
device=dev-$(hostname)
echo "VIGIE_COLLECTOR_OPTS=\"--listen 127.0.0.1:$port\"" >/etc/default/vigie-collector
echo 'VIGIE_AGENT_OPTS="--linger-ms 100"' >/etc/default/vigie-agent
unset VIGIE_COLLECTOR_URL VIGIE_CA_FILE VIGIE_ENROLL_SECRET_FILE VIGIE_ENROLL_SECRET \
  VIGIE_DEVICE_ID VIGIE_FORCE_START
# Docker's /usr/sbin/policy-rc.d forbids starting services: the packages say so and start
# nothing unless told VIGIE_FORCE_START=yes.
start_env=()
policy=0
[[ ! -x /usr/sbin/policy-rc.d ]] || /usr/sbin/policy-rc.d vigie-collector start >/dev/null 2>&1 ||
  policy=$?
if ((policy == 101)); then
  step "policy-rc.d forbids starting services: the collector's first install starts nothing"
  run_dpkg collector-policy dpkg -i "$collector_v"
  grep -q "policy-rc.d forbids" "$work/collector-policy.out" ||
    fail "the install did not say why the collector was not started"
  ! /etc/init.d/vigie-collector status >/dev/null || fail "started although policy-rc.d forbids it"
  start_env=(VIGIE_FORCE_START=yes)
fi

step "collector $v: installed, started by its init script"
run_dpkg collector-install env "${start_env[@]}" dpkg -i "$collector_v"
check_service_process vigie-collector
[[ $(stat -c '%a %U' /var/lib/vigie-collector) == "700 vigie-collector" ]] ||
  fail "/var/lib/vigie-collector is $(stat -c '%a %U' /var/lib/vigie-collector)"
wait_until 10 test -s /var/lib/vigie-collector/ca.pem || fail "the collector made no CA"
grep -q " listening on https://127.0.0.1:$port" /var/log/vigie-collector.log ||
  fail "the collector does not say it listens on $port: $(cat /var/log/vigie-collector.log)"
[[ $(/usr/bin/vigiectl --version) == *"$v"* ]] || fail "vigiectl --version: $(/usr/bin/vigiectl --version)"
cp /var/lib/vigie-collector/ca.pem "$work/ca.pem"
secret=$(cat /var/lib/vigie-collector/enrollment.secret)
ca_hash=$(sha256sum </var/lib/vigie-collector/ca.pem)

step "agent $v: a wrong secret in /etc/vigie/enroll.conf does not fail the install"
install -d -m 755 /etc/vigie
cat >/etc/vigie/enroll.conf <<CONF
# written by the package test
VIGIE_COLLECTOR_URL=https://127.0.0.1:$port
VIGIE_CA_FILE="$work/ca.pem"
VIGIE_ENROLL_SECRET=wrong-secret-0123456789abcdef
VIGIE_UNKNOWN_KEY=1
CONF
chmod 600 /etc/vigie/enroll.conf
run_dpkg agent-wrong-secret env "${start_env[@]}" dpkg -i "$agent_v"
grep -q "ENROLLMENT FAILED" "$work/agent-wrong-secret.out" ||
  fail "the failed enrollment was not reported: $(cat "$work/agent-wrong-secret.out")"
grep -q "enroll.conf line 5 ignored" "$work/agent-wrong-secret.out" ||
  fail "the unknown key of enroll.conf was not reported"
! grep -q "wrong-secret" "$work/agent-wrong-secret.out" || fail "the install printed the secret"
[[ ! -e /var/lib/vigie-agent/enrollment/collector.url ]] || fail "enrolled with a wrong secret"
no_staged_secret
check_service_process vigie-agent
[[ $(stat -c '%a %U' /var/lib/vigie-agent) == "700 vigie-agent" ]] ||
  fail "/var/lib/vigie-agent is $(stat -c '%a %U' /var/lib/vigie-agent)"
[[ $(stat -c '%a' /run/vigie-agent) == 755 ]] || fail "/run/vigie-agent is not 0755"
[[ $(stat -c '%a' /run/vigie-agent/agent.sock) == 666 ]] || fail "agent.sock is not 0666"
[[ $(stat -c '%a' /etc/vigie/session-policy.json) == 644 ]] || fail "no session policy"
[[ -f /etc/xdg/autostart/vigie-session.desktop ]] || fail "no autostart entry for the sensor"
[[ $(/usr/bin/vigie-session --version) == "vigie-session $v" ]] || fail "vigie-session --version"
send_as_nobody C-PKG-1  # queued: the agent is not enrolled
if command -v systemd-analyze >/dev/null; then
  step "the systemd units pass systemd-analyze verify"
  systemd-analyze verify /lib/systemd/system/vigie-agent.service \
    /lib/systemd/system/vigie-collector.service >"$work/verify.out" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$work/verify.out")"
  ! grep -q vigie "$work/verify.out" || fail "systemd-analyze verify: $(cat "$work/verify.out")"
  # Their hardening stays where it is: systemd's exposure score 2.0 at most (of 10).
  for unit in vigie-agent vigie-collector; do
    systemd-analyze security --offline=yes --threshold=20 "/lib/systemd/system/$unit.service" \
      >"$work/security.out" 2>&1 || fail "$unit.service exposure: $(tail -n 1 "$work/security.out")"
  done
else
  echo "(systemd-analyze is not installed: the units are not verified)"
fi

step "agent $v again, enrolled at install from the environment (secret given as a value)"
run_dpkg agent-enroll env "${start_env[@]}" \
  VIGIE_COLLECTOR_URL="https://127.0.0.1:$port" VIGIE_CA_FILE="$work/ca.pem" \
  VIGIE_ENROLL_SECRET="$secret" dpkg -i "$agent_v"
[[ -f /var/lib/vigie-agent/enrollment/collector.url ]] ||
  fail "not enrolled: $(cat "$work/agent-enroll.out")"
! grep -qF "$secret" "$work/agent-enroll.out" || fail "the install printed the secret"
no_staged_secret
[[ $(cat /var/lib/vigie-agent/enrollment/device.id) == "$device" ]] || fail "device id not $device"
check_service_process vigie-agent
! tr '\0' '\n' <"/proc/$(service_pid vigie-agent)/environ" | grep -q VIGIE_ENROLL_SECRET ||
  fail "the service inherited the secret in its environment"
[[ -z $(find /var/lib/vigie-agent ! -user vigie-agent) ]] ||
  fail "files of the agent not its own: $(find /var/lib/vigie-agent ! -user vigie-agent)"
as_collector --list-devices | grep -q "^$device" || fail "the collector does not list $device"

step "events sent by a non-root user reach the collector"
wait_until 30 collector_has C-PKG-1 || fail "the event queued before enrollment did not arrive"
send_as_nobody C-PKG-2
wait_until 30 collector_has C-PKG-2 || fail "C-PKG-2 did not reach the collector"
echo "package-test-password" |
  as_collector --add-account pkgaudit --role auditor >/dev/null || fail "--add-account"
export VIGIECTL_CONFIG=$work/vigiectl.json
echo "package-test-password" | /usr/bin/vigiectl login --url "https://127.0.0.1:$port" \
  --ca "$work/ca.pem" --user pkgaudit >/dev/null || fail "vigiectl login"
/usr/bin/vigiectl record C-PKG-2 --json >"$work/record.json" || fail "vigiectl record"
grep -q '"C-PKG-2"' "$work/record.json" || fail "vigiectl record C-PKG-2: $(cat "$work/record.json")"

step "upgrade to $next, the collector down: identity, keys and queue kept"
/etc/init.d/vigie-collector stop >/dev/null
send_as_nobody C-PKG-3  # stays queued while the collector is down
hashes=$(identity_hashes)
old_pid=$(service_pid vigie-agent)
# Enrollment settings given again are not used: the identity stays.
run_dpkg agent-upgrade env "${start_env[@]}" VIGIE_COLLECTOR_URL=https://elsewhere.invalid:1 \
  dpkg -i "$agent_next"
grep -q "already enrolled as $device" "$work/agent-upgrade.out" ||
  fail "the upgrade did not say the enrollment settings were not used"
check_service_process vigie-agent
[[ $(service_pid vigie-agent) != "$old_pid" ]] || fail "the agent was not restarted"
[[ $(identity_hashes) == "$hashes" ]] || fail "the upgrade changed keys or enrollment"
[[ $(/usr/bin/vigie-agent version) == "vigie-agent $next" ]] || fail "vigie-agent version"
queue_json /usr/bin/vigie-agent >"$work/queue.json" || fail "vigie-agent show after upgrade"
grep -q '"C-PKG-3"' "$work/queue.json" || fail "the upgrade lost the queued event"
grep '"agent.stop"' "$work/queue.json" | tail -n 1 | grep -q SIGTERM ||
  fail "the agent $v did not record its stop (SIGTERM) before the upgrade"
grep '"agent.start"' "$work/queue.json" | tail -n 1 | grep -qF "\"$next\"" ||
  fail "the running agent did not record agent.start $next"
run_dpkg collector-upgrade env "${start_env[@]}" dpkg -i "$collector_next"
check_service_process vigie-collector
[[ $(sha256sum </var/lib/vigie-collector/ca.pem) == "$ca_hash" ]] || fail "the collector's CA changed"
wait_until 10 grep -q "vigie-collector $next listening" /var/log/vigie-collector.log ||
  fail "the collector did not restart on $next"
wait_until 60 collector_has C-PKG-3 || fail "the queue kept across the upgrade did not drain"

step "remove: the agent stops cleanly (agent.stop recorded), its data stays"
pid=$(service_pid vigie-agent)
run_dpkg agent-remove dpkg -r vigie-agent
[[ ! -e /proc/$pid ]] || fail "the agent still runs after remove"
[[ ! -e /usr/bin/vigie-agent ]] || fail "/usr/bin/vigie-agent is still there"
[[ $(identity_hashes) == "$hashes" ]] || fail "remove changed keys or enrollment"
getent passwd vigie-agent >/dev/null || fail "remove deleted the user"
dpkg-deb -x "$agent_next" "$work/extracted"
queue_json "$work/extracted/usr/bin/vigie-agent" | tail -n 1 >"$work/last.json" ||
  fail "reading the queue kept after remove"
if ! grep -q '"agent.stop"' "$work/last.json" || ! grep -q SIGTERM "$work/last.json"; then
  fail "the last event after remove is not agent.stop (SIGTERM): $(cat "$work/last.json")"
fi
pid=$(service_pid vigie-collector)
run_dpkg collector-remove dpkg -r vigie-collector
[[ ! -e /proc/$pid ]] || fail "the collector still runs after remove"
[[ -f /var/lib/vigie-collector/ca.pem ]] || fail "remove deleted the collector's data"

step "purge: data, enrollment settings, users and links gone"
run_dpkg purge dpkg --purge vigie-agent vigie-collector
for path in /var/lib/vigie-agent /var/lib/vigie-collector /etc/vigie /etc/init.d/vigie-agent \
  /etc/init.d/vigie-collector /run/vigie-agent /var/log/vigie-agent.log \
  /var/log/vigie-collector.log /lib/systemd/system/vigie-agent.service; do
  [[ ! -e $path ]] || fail "$path is left after purge"
done
for name in vigie-agent vigie-collector; do
  ! getent passwd "$name" >/dev/null || fail "user $name is left after purge"
  ! getent group "$name" >/dev/null || fail "group $name is left after purge"
  links=$(find /etc/rc?.d /etc/systemd/system -name "*$name*" 2>/dev/null)
  [[ -z $links ]] || fail "links left after purge: $links"
done
rm -f /etc/default/vigie-agent /etc/default/vigie-collector
step "package test passed"
