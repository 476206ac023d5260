#!/usr/bin/env bash
# Builds the Windows side with mingw-w64 (build-win/) and runs its tests under wine, on a private
# X display (Xvfb) and a private wine prefix, both stopped at the end. scripts/test.sh calls it;
# it can be run alone once scripts/install-deps.sh has run. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${VIGIE_WIN_BUILD:-build-win}
jobs=${VIGIE_JOBS:-2}
echo "== configure $dir (mingw-w64)"
cmake -S . -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
  -DVIGIE_BUILD_TESTS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== build $dir"
cmake --build "$dir" -j "$jobs"

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
read -r -t 30 -u "$display_fd" display_number
export DISPLAY=":$display_number"
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
echo "== wine prefix (display $DISPLAY)"
wineboot -i >/dev/null 2>&1
# A removable drive R: (a folder wine reports as DRIVE_REMOVABLE) for the USB-stick export test.
mkdir "$work/usb-stick"
ln -s "$work/usb-stick" "$WINEPREFIX/dosdevices/r:"
wine reg add 'HKLM\Software\Wine\Drives' /v r: /d floppy /f >/dev/null 2>&1
wineserver -k && wineserver -w  # the mount manager reads the drives when wine starts
export VIGIE_TEST_REMOVABLE_DRIVE=R:
echo "== test $dir (wine)"
ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300 "$@"
