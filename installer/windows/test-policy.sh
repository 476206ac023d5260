#!/usr/bin/env bash
# Checks that the session sensor built for Windows accepts the policy the MSI installs, under wine:
# a policy it rejects would stop every session's sensor at logon.
#   test-policy.sh VIGIE_SESSION_EXE POLICY
# Needs WINEPREFIX (an initialised prefix). Exit status: 0 accepted, 1 rejected, 2 bad usage.
set -uo pipefail

if [[ $# -ne 2 || ! -f $1 || ! -f $2 ]]; then
  echo "usage: test-policy.sh VIGIE_SESSION_EXE POLICY (both existing files)" >&2
  exit 2
fi
[[ -n ${WINEPREFIX:-} && -d $WINEPREFIX/drive_c ]] || {
  echo "test-policy.sh: WINEPREFIX is not set to an initialised wine prefix" >&2
  exit 2
}
export WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}

version=$(sed -n 's/^ *"policy_version": *"\([^"]*\)".*/\1/p' "$2")
[[ -n $version ]] || { echo "test-policy.sh: no policy_version in $2" >&2; exit 2; }
# --status loads the policy, then fails to reach the (absent) service: its exit status says
# nothing about the policy, its first line does.
out=$(wine "$1" --status --policy "$2" 2>&1 | tr -d '\r')
if ! grep -q "^Policy in force: $version " <<<"$out"; then
  echo "FAIL: the session sensor rejects $(basename "$2"):" >&2
  echo "$out" >&2
  exit 1
fi
echo "ok: the session sensor accepts $(basename "$2") ($version)"
