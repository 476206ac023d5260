#!/usr/bin/env bash
# Runs a command in a private wine session: its own X display (Xvfb) and a fresh wine prefix,
# with a removable drive R: (a folder wine reports as DRIVE_REMOVABLE), all removed at the end.
# Usage: scripts/wine-session.sh COMMAND [ARGS...]   (DISPLAY, WINEPREFIX and
# VIGIE_TEST_REMOVABLE_DRIVE are set for it)
set -euo pipefail

work=$(mktemp -d)
xvfb_pid=
cleanup() {
  WINEPREFIX=$work/prefix wineserver -k 2>/dev/null || true
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A display of our own: Xvfb picks a free number and writes it to the pipe.
exec {display_fd}<> <(:)
Xvfb -displayfd "$display_fd" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
if ! read -r -t 30 -u "$display_fd" display_number; then
  echo "wine-session: Xvfb did not start: $(cat "$work/xvfb.log")" >&2
  exit 1
fi
export DISPLAY=":$display_number"
# WINEDLLOVERRIDES: no Mono or Gecko install prompts in a fresh prefix.
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wineboot -i >/dev/null 2>&1
mkdir "$work/usb-stick"
ln -s "$work/usb-stick" "$WINEPREFIX/dosdevices/r:"
wine reg add 'HKLM\Software\Wine\Drives' /v r: /d floppy /f >/dev/null 2>&1
wineserver -k && wineserver -w  # the mount manager reads the drives when wine starts
export VIGIE_TEST_REMOVABLE_DRIVE=R:
echo "wine-session: display $DISPLAY, prefix ready" >&2
"$@"
