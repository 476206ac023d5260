#!/usr/bin/env bash
# Checks the Windows package: its tables with msiinfo, then installs it silently under wine with
# the enrollment properties, checks what landed where, runs the installed sensor, uninstalls it
# and checks what is gone, and that bad enrollment properties refuse to install.
#   test-msi.sh MSI VERSION --with-service|--without-service|--with-stand-in-service KEY_DACL_EXE
# --with-stand-in-service: the package holds tests/stand_in_service.cc as vigie-agent.exe, which
# records at its start what it finds of the enrollment. KEY_DACL_EXE is tests/key_dacl.cc.
# Needs WINEPREFIX (an initialised prefix, e.g. scripts/test-windows.sh's) and wine, msiinfo.
# Exit status: 0 when every check passes, 1 on the first failing check, 2 on bad usage.
set -uo pipefail

usage() {
  echo "usage: test-msi.sh MSI VERSION --with-service|--without-service|--with-stand-in-service" \
    "KEY_DACL_EXE" >&2
  echo "  (WINEPREFIX must name an initialised wine prefix)" >&2
  exit 2
}
[[ $# -eq 4 ]] || usage
msi=$1 version=$2 key_dacl=$4
case $3 in
  --with-service) with_service=1 stand_in=0 ;;
  --without-service) with_service=0 stand_in=0 ;;
  --with-stand-in-service) with_service=1 stand_in=1 ;;
  *) usage ;;
esac
[[ -f $msi ]] || { echo "test-msi.sh: no such package: $msi" >&2; exit 2; }
[[ -f $key_dacl ]] || { echo "test-msi.sh: no such program: $key_dacl" >&2; exit 2; }
[[ -n ${WINEPREFIX:-} && -d $WINEPREFIX/drive_c ]] || {
  echo "test-msi.sh: WINEPREFIX is not set to an initialised wine prefix" >&2
  exit 2
}
for tool in wine msiinfo; do
  command -v "$tool" >/dev/null || { echo "test-msi.sh: $tool not found" >&2; exit 2; }
done
export WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}

here=$(cd "$(dirname "$0")" && pwd)
upgrade_code='{98AD30B4-3F8C-4537-A9BF-2036A284604F}'
run_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Run'
run_value='Vigie session sensor'
enrollment_key='HKLM\Software\Vigie\Enrollment'
service_key='HKLM\System\CurrentControlSet\Services\VigieAgent'
program_dir=$WINEPREFIX/drive_c/Program\ Files/Vigie
data_dir=$WINEPREFIX/drive_c/ProgramData/Vigie
collector_url=https://collector.example:8443/
token=test-token-$RANDOM$RANDOM

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }

# Windows programs end lines with CR LF.
msi_table() { msiinfo export "$msi" "$1" | tr -d '\r'; }
msi_property() { msi_table Property | awk -F '\t' -v name="$1" '$1 == name { print $2 }'; }
# The REG_SZ value NAME of KEY in the 64-bit view; fails when the key or value is missing.
reg_value() {
  local out
  out=$(wine reg query "$1" /v "$2" /reg:64 2>/dev/null | tr -d '\r') || return 1
  grep -q "^ *$2 *REG_SZ" <<<"$out" || return 1
  sed -n "s/^ *$2 *REG_SZ *//p" <<<"$out"
}
reg_key_exists() { wine reg query "$1" /reg:64 >/dev/null 2>&1; }
msiexec() {
  local rc=0
  wine msiexec "$@" >&2 || rc=$?
  echo "$rc"
}
# msiexec reports 1603 (fatal error) for a failed launch condition; a POSIX exit status keeps its
# low byte, 67.
is_install_failure() { [[ $1 == 1603 || $1 == 67 ]]; }

# --- the package itself ---------------------------------------------------------------------------
tables=$(msiinfo tables "$msi" | tr -d '\r') || fail "msiinfo cannot read $msi"
for table in File Component Registry LaunchCondition Upgrade Property Feature; do
  grep -qx "$table" <<<"$tables" || fail "table $table missing from the package"
done
[[ $(msi_property ProductVersion) == "$version" ]] ||
  fail "ProductVersion is '$(msi_property ProductVersion)', expected '$version'"
[[ $(msi_property UpgradeCode) == "$upgrade_code" ]] ||
  fail "UpgradeCode is '$(msi_property UpgradeCode)', expected the stable $upgrade_code"
[[ $(msi_property ALLUSERS) == 1 ]] || fail "not a per-machine package (ALLUSERS)"
[[ $(msi_property MsiHiddenProperties) == *ENROLLMENT_TOKEN* ]] ||
  fail "ENROLLMENT_TOKEN is not hidden from installer logs"
msiinfo suminfo "$msi" | tr -d '\r' | grep -q '^Template: x64;' || fail "not an x64 package"
files=$(msi_table File | awk -F '\t' 'NR > 3 { print $3 }')
for name in vigie-session.exe session-policy.json vigie-enrollment-key.exe; do
  grep -q "$name" <<<"$files" || fail "$name not in the File table"
done
msi_table Registry | grep -q "Vigie session sensor" || fail "no Run value in the Registry table"
msi_table CustomAction | grep -q "^ProtectEnrollmentKey" || fail "no ProtectEnrollmentKey action"
msi_table Upgrade | grep -q WIX_UPGRADE_DETECTED || fail "no major upgrade"
# What a refused install says (in the msiexec log on Windows; wine's does not show it).
conditions=$(msi_table LaunchCondition)
for message in "ENROLLMENT_TOKEN is required when COLLECTOR_URL is given." \
  "COLLECTOR_URL is required when ENROLLMENT_TOKEN is given." \
  "COLLECTOR_URL must start with https://"; do
  grep -qF "$message" <<<"$conditions" || fail "no launch condition saying '$message'"
done
services=$(msi_table ServiceInstall 2>/dev/null | awk -F '\t' 'NR > 3 { print $2 }')
if ((with_service)); then
  [[ $services == VigieAgent ]] || fail "service VigieAgent not in the ServiceInstall table"
  msi_table ServiceControl | grep -q VigieAgent || fail "no ServiceControl for VigieAgent"
else
  [[ -z $services ]] || fail "the package registers a service without a service binary"
fi
pass "package tables and properties"

# --- a clean prefix, left clean ------------------------------------------------------------------
[[ ! -e $program_dir ]] || fail "Vigie is already installed in $WINEPREFIX: use a fresh prefix"
# A failed check leaves nothing installed behind it for the next test.
trap 'wine msiexec /x "$msi" /qn >/dev/null 2>&1' EXIT
if ((with_service)); then
  # Wine 8's services.exe, while the wine session that created the prefix lasts, cannot open a
  # service just created (StartServices fails with 1060, the install with 1627): wait for that
  # session to end (wineserver exits once no program runs), the next one starts clean.
  timeout 60 wineserver -w || fail "the wine session did not end within 60 s"
fi

# --- bad enrollment properties refuse to install --------------------------------------------------
check_refused() {
  local what=$1 rc
  shift
  rc=$(msiexec /i "$msi" /qn "$@")
  is_install_failure "$rc" || fail "$what: msiexec exit status $rc, expected 1603"
  [[ ! -e $program_dir/vigie-session.exe ]] || fail "$what: files installed anyway"
  ! reg_value "$run_key" "$run_value" >/dev/null || fail "$what: Run value written anyway"
  pass "refused: $what"
}
check_refused "COLLECTOR_URL without ENROLLMENT_TOKEN" COLLECTOR_URL=$collector_url
check_refused "ENROLLMENT_TOKEN without COLLECTOR_URL" ENROLLMENT_TOKEN=$token
check_refused "plain-http COLLECTOR_URL" COLLECTOR_URL=http://collector.example/ \
  ENROLLMENT_TOKEN=$token

# --- silent install -------------------------------------------------------------------------------
rc=$(msiexec /i "$msi" /qn COLLECTOR_URL=$collector_url ENROLLMENT_TOKEN=$token)
[[ $rc == 0 ]] || fail "msiexec /i exit status $rc"
[[ -f $program_dir/vigie-session.exe ]] || fail "vigie-session.exe not in Program Files\\Vigie"
cmp -s "$data_dir/session-policy.json" "$here/session-policy.example.json" ||
  fail "ProgramData\\Vigie\\session-policy.json missing or not the example policy"
if command -v x86_64-w64-mingw32-objdump >/dev/null; then
  ! x86_64-w64-mingw32-objdump -h "$program_dir/vigie-session.exe" | grep -q debug_info ||
    fail "the installed vigie-session.exe is not stripped"
fi
pass "files installed"

autostart=$(reg_value "$run_key" "$run_value") || fail "Run value '$run_value' missing"
[[ $autostart == '"C:\Program Files\Vigie\vigie-session.exe"' ]] ||
  fail "Run value is '$autostart'"
pass "session autostart: $autostart"

[[ $(reg_value "$enrollment_key" CollectorUrl) == "$collector_url" ]] ||
  fail "CollectorUrl is '$(reg_value "$enrollment_key" CollectorUrl)'"
[[ $(reg_value "$enrollment_key" Token) == "$token" ]] || fail "enrollment Token not stored"
pass "enrollment properties stored under $enrollment_key"
# SYSTEM and Administrators only, not inherited from HKLM\Software (where Users may read).
dacl=$(wine "$key_dacl" 'Software\Vigie\Enrollment' | tr -d '\r') || fail "no DACL for the key"
[[ $dacl == 'D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)' ]] || fail "the enrollment key's DACL is $dacl"
pass "the enrollment key is for SYSTEM and Administrators only: $dacl"

if ((with_service)); then
  reg_key_exists "$service_key" || fail "service VigieAgent not registered"
  [[ -f $program_dir/vigie-agent.exe ]] || fail "vigie-agent.exe not in Program Files\\Vigie"
  state=$(wine sc query VigieAgent | tr -d '\r' | awk '$1 == "STATE" { print $4 }')
  [[ $state == RUNNING ]] || fail "service VigieAgent is '$state' after install, not RUNNING"
  pass "service VigieAgent registered and running"
  if ((stand_in)); then
    # What the service found at its first start: the enrollment was written before it started.
    seen=$(tr -d '\r' <"$data_dir/stand-in-service.txt" 2>/dev/null)
    [[ $seen == "collector_url=$collector_url"$'\n'"token=present" ]] ||
      fail "at its start the service saw: '$seen'"
    rm -f "$data_dir/stand-in-service.txt"
    pass "the service found the enrollment values at its first start"
  fi
else
  ! reg_key_exists "$service_key" || fail "a VigieAgent service is registered"
fi

out=$(wine 'C:\Program Files\Vigie\vigie-session.exe' --version 2>&1 | tr -d '\r') ||
  fail "installed vigie-session.exe --version failed: $out"
[[ $out == "vigie-session $version"* ]] || fail "installed vigie-session.exe says '$out'"
pass "installed sensor runs: $out"

# Without --policy the installed sensor finds the installed policy and accepts it (--status then
# fails to reach the absent service: its exit status says nothing here, its first line does).
policy_path='C:\ProgramData\Vigie\session-policy.json'
out=$(wine 'C:\Program Files\Vigie\vigie-session.exe' --status 2>&1 | tr -d '\r')
in_force=$(grep '^Policy in force: ' <<<"$out")
[[ $in_force == *" from $policy_path" ]] || fail "the installed sensor rejects its policy: $out"
pass "the installed sensor applies $policy_path"

# What the service writes at run time (queue, keys) is not the package's and must survive it.
echo "not the package's" >"$data_dir/service-state.test"

# --- uninstall ------------------------------------------------------------------------------------
rc=$(msiexec /x "$msi" /qn)
[[ $rc == 0 ]] || fail "msiexec /x exit status $rc"
[[ ! -e $program_dir ]] || fail "Program Files\\Vigie still there after uninstall"
[[ ! -e $data_dir/session-policy.json ]] || fail "session-policy.json still there after uninstall"
[[ -f $data_dir/service-state.test ]] || fail "uninstall removed a file it did not install"
! reg_value "$run_key" "$run_value" >/dev/null || fail "Run value still there after uninstall"
! reg_value "$enrollment_key" Token >/dev/null || fail "Token still there after uninstall"
! reg_value "$enrollment_key" CollectorUrl >/dev/null ||
  fail "CollectorUrl still there after uninstall"
! reg_key_exists "$service_key" || fail "service VigieAgent still registered after uninstall"
rm -f "$data_dir/service-state.test"
rmdir "$data_dir" 2>/dev/null || true
pass "uninstall removed the program, policy, autostart and enrollment values"

# --- an install without enrollment ----------------------------------------------------------------
rc=$(msiexec /i "$msi" /qn)
[[ $rc == 0 ]] || fail "msiexec /i without enrollment: exit status $rc"
[[ -z $(reg_value "$enrollment_key" Token) ]] || fail "a Token without ENROLLMENT_TOKEN"
rc=$(msiexec /x "$msi" /qn)
[[ $rc == 0 ]] || fail "msiexec /x after an install without enrollment: exit status $rc"
rm -f "$data_dir/stand-in-service.txt"
rmdir "$data_dir" 2>/dev/null || true
pass "install and uninstall without enrollment"
trap - EXIT
echo "PASS"
