#!/usr/bin/env bash
# Checks the major upgrade under wine: a newer package replaces the installed one (one product
# left, the new version, the package's policy back in place, the old enrollment gone),
# uninstalling it leaves nothing of either, and an older one refuses to install over it.
#   test-msi-upgrade.sh OLD_MSI OLD_VERSION NEW_MSI NEW_VERSION
# Needs WINEPREFIX (an initialised prefix). Exit status: 0 passed, 1 a check failed, 2 bad usage.
set -uo pipefail

if [[ $# -ne 4 || ! -f $1 || ! -f $3 ]]; then
  echo "usage: test-msi-upgrade.sh OLD_MSI OLD_VERSION NEW_MSI NEW_VERSION (existing packages)" >&2
  exit 2
fi
old_msi=$1 old_version=$2 new_msi=$3 new_version=$4
[[ -n ${WINEPREFIX:-} && -d $WINEPREFIX/drive_c ]] || {
  echo "test-msi-upgrade.sh: WINEPREFIX is not set to an initialised wine prefix" >&2
  exit 2
}
export WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}

here=$(cd "$(dirname "$0")" && pwd)
program_dir=$WINEPREFIX/drive_c/Program\ Files/Vigie
data_dir=$WINEPREFIX/drive_c/ProgramData/Vigie
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }
msiexec() {
  local rc=0
  wine msiexec "$@" >&2 || rc=$?
  echo "$rc"
}
# The DisplayVersion of every installed "Vigie workstation", one a line.
installed_versions() {
  wine reg query "$uninstall_key" /s /reg:64 2>/dev/null | tr -d '\r' | awk '
    /^HKEY_/ { if (vigie) print version; vigie = 0; version = "" }
    $1 == "DisplayName" && $3 == "Vigie" && $4 == "workstation" { vigie = 1 }
    $1 == "DisplayVersion" { version = $3 }
    END { if (vigie) print version }'
}

[[ ! -e $program_dir ]] || fail "Vigie is already installed in $WINEPREFIX: use a fresh prefix"
cleanup() {
  wine msiexec /x "$new_msi" /qn >/dev/null 2>&1
  wine msiexec /x "$old_msi" /qn >/dev/null 2>&1
}
trap cleanup EXIT
# A package with a service cannot start it in the wine session that created the prefix
# (test-msi.sh says why): wait for that session to end.
timeout 60 wineserver -w || fail "the wine session did not end within 60 s"

rc=$(msiexec /i "$old_msi" /qn COLLECTOR_URL=https://collector.example/ ENROLLMENT_TOKEN=t-1)
[[ $rc == 0 ]] || fail "installing $old_version: exit status $rc"
[[ $(installed_versions) == "$old_version" ]] || fail "installed: '$(installed_versions)'"
# A local edit of the policy, which the upgrade replaces with the package's.
echo " " >>"$data_dir/session-policy.json"
pass "$old_version installed"

rc=$(msiexec /i "$new_msi" /qn)
[[ $rc == 0 ]] || fail "upgrading to $new_version: exit status $rc"
[[ $(installed_versions) == "$new_version" ]] ||
  fail "after the upgrade, installed: '$(installed_versions | tr '\n' ' ')'"
[[ -f $program_dir/vigie-session.exe ]] || fail "vigie-session.exe gone after the upgrade"
cmp -s "$data_dir/session-policy.json" "$here/session-policy.example.json" ||
  fail "the policy after the upgrade is not the package's"
! wine reg query 'HKLM\Software\Vigie\Enrollment' /v Token /reg:64 2>/dev/null | grep -q t-1 ||
  fail "the old enrollment token outlived the upgrade"
pass "upgraded to $new_version: one product, the package's policy, no old token"

rc=$(msiexec /x "$new_msi" /qn)
[[ $rc == 0 ]] || fail "uninstalling $new_version: exit status $rc"
[[ -z $(installed_versions) ]] || fail "still installed: '$(installed_versions)'"
[[ ! -e $program_dir ]] || fail "Program Files\\Vigie still there"
pass "uninstalled"

# On a fresh install: wine loses the new product's upgrade code when an upgrade removes the old
# one (Windows does not), and then would not see that it is a downgrade.
rc=$(msiexec /i "$new_msi" /qn)
[[ $rc == 0 ]] || fail "installing $new_version: exit status $rc"
rc=$(msiexec /i "$old_msi" /qn)
[[ $rc == 1603 || $rc == 67 ]] || fail "downgrading to $old_version: exit status $rc, expected 1603"
[[ $(installed_versions) == "$new_version" ]] || fail "after the downgrade: '$(installed_versions)'"
pass "downgrade to $old_version refused"
rc=$(msiexec /x "$new_msi" /qn)
[[ $rc == 0 ]] || fail "uninstalling $new_version: exit status $rc"
rmdir "$data_dir" 2>/dev/null || true
trap - EXIT
echo "PASS"
