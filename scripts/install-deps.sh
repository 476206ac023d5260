#!/usr/bin/env bash
# Installs every Debian package Vigie builds, tests and benchmarks with. Idempotent: when all are
# present it only checks and returns.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsqlcipher-dev sqlcipher libssl-dev zlib1g-dev
  libpoco-dev libcurl4-openssl-dev
  libpq-dev postgresql-15  # the collector's PostgreSQL store; its tests start a server of their own
  libgtest-dev libgmock-dev libbenchmark-dev
  syslog-ng-core syslog-ng-mod-http nginx-light python3
  # the syslog alert output's test talks to a real rsyslogd over TLS: its libraries here, the
  # program itself unpacked below (the rsyslog package conflicts with syslog-ng's)
  libestr0 libfastjson4 liblognorm5 libgnutls30
  clang libclang-rt-14-dev  # the libFuzzer targets (fuzz/run.sh)
  # the Linux session sensor (X11) and its tests on a private desktop with real applications
  libxcb1-dev libxcb-xfixes0-dev libxcb-res0-dev libxcb-screensaver0-dev
  xvfb openbox xdotool xclip xterm x11-xserver-utils chromium
  nodejs  # the web console's test drives chromium with playwright-core (tests/console)
  libcups2-dev cups cups-client  # print jobs: libcups in the sensor, a real cupsd in its tests
  # notices: sd-bus in the sensor; a real session bus and notification daemon in its tests
  libsystemd-dev dbus-daemon dbus-bin dunst systemd  # dunstctl history asks with busctl
  # the Debian packages (installer/build-packages.sh, tests/package): dpkg-shlibdeps for their
  # dependencies, adduser for their maintainer scripts; systemd (above, installed, not run)
  # verifies their units
  dpkg-dev file adduser
  # the Windows side (docs/windows.md): cross-built with mingw-w64 (posix threads; zlib for it),
  # tested under wine on the Xvfb above, packaged as an MSI with wixl
  g++-mingw-w64-x86-64-posix libz-mingw-w64-dev wine wine64 wixl msitools
)

# rsyslogd and its TLS driver, unpacked from Debian's packages into a directory of their own
# rather than installed: rsyslog and syslog-ng (the benchmark's peer) may not both be installed.
rsyslog_root=/opt/vigie/test-tools/rsyslog
unpack_rsyslog() {
  [[ -x /usr/sbin/rsyslogd || -x $rsyslog_root/usr/sbin/rsyslogd ]] && return 0
  echo "install-deps: unpacking rsyslog into $rsyslog_root (for the syslog output's test)"
  local work
  work=$(mktemp -d)
  (cd "$work" && { apt-get download -qq rsyslog rsyslog-gnutls 2>/dev/null ||
    { apt-get update -qq && apt-get download -qq rsyslog rsyslog-gnutls; }; } >/dev/null)
  mkdir -p "$rsyslog_root"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$rsyslog_root"; done
  rm -rf "$work"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# Debian packages npm apart from nodejs; other builds of nodejs bundle it (and conflict with it).
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]} == 0)); then
  [[ $(id -u) -ne 0 ]] || unpack_rsyslog
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run this script as root" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
unpack_rsyslog
