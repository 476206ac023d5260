# --- installer/linux/deb/service-functions.sh, put into each maintainer script at build time ---
# The service's system user, and its service under whichever init runs: systemd when it is
# PID 1 ([ -d /run/systemd/system ]), else the init script /etc/init.d/NAME.

# vigie_add_user NAME: the system user and group NAME, home /var/lib/NAME, no login.
vigie_add_user() {
  getent passwd "$1" >/dev/null && return 0
  adduser --system --group --quiet --home "/var/lib/$1" --no-create-home \
    --shell /usr/sbin/nologin --gecos "Vigie service $1" "$1"
}

# vigie_remove_user NAME: removes user and group NAME if this package made them (by the
# comment it gave the user; an administrator's own account of that name stays).
vigie_remove_user() {
  if [ "$(getent passwd "$1" | cut -d: -f5 | cut -d, -f1)" = "Vigie service $1" ]; then
    deluser --system --quiet "$1" >/dev/null 2>&1 || true
    if getent group "$1" >/dev/null; then delgroup --system --quiet "$1" >/dev/null 2>&1 || true; fi
  fi
}

# vigie_unit_enable NAME: started at boot by systemd unless the administrator disabled it (the
# runlevels' links are update-rc.d's, called by the postinst).
vigie_unit_enable() {
  deb-systemd-helper unmask "$1.service" >/dev/null || true
  if deb-systemd-helper --quiet was-enabled "$1.service"; then
    deb-systemd-helper enable "$1.service" >/dev/null || true
  else
    deb-systemd-helper update-state "$1.service" >/dev/null || true
  fi
}

# vigie_unit_forget NAME: no trace left in systemd's links (purge).
vigie_unit_forget() {
  deb-systemd-helper purge "$1.service" >/dev/null || true
  deb-systemd-helper unmask "$1.service" >/dev/null || true
}

# True when /usr/sbin/policy-rc.d forbids starting NAME (Docker images ship one that forbids
# every start) and the installer did not say VIGIE_FORCE_START=yes.
vigie_start_forbidden() {
  [ "${VIGIE_FORCE_START:-}" != yes ] || return 1
  [ -x /usr/sbin/policy-rc.d ] || return 1
  vigie_policy=0
  /usr/sbin/policy-rc.d "$1" start >/dev/null 2>&1 || vigie_policy=$?
  [ "$vigie_policy" -eq 101 ]
}

# vigie_service_start NAME: (re)starts NAME now, on the installed program. A service that does
# not start fails the script (the init system's message says why).
vigie_service_start() {
  if vigie_start_forbidden "$1"; then
    echo "$1: not started: /usr/sbin/policy-rc.d forbids starting services here." \
      "Start it with '/etc/init.d/$1 start' (or 'systemctl start $1'), or install with" \
      "VIGIE_FORCE_START=yes in the environment." >&2
    return 0
  fi
  if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload
    if [ "${VIGIE_FORCE_START:-}" = yes ]; then
      systemctl restart "$1.service"
    else
      deb-systemd-invoke restart "$1.service"
    fi
  elif runlevel >/dev/null 2>&1; then
    # A System V init in a runlevel: invoke-rc.d honours the runlevel's links and the policy.
    if [ "${VIGIE_FORCE_START:-}" = yes ]; then
      invoke-rc.d --force "$1" restart
    else
      invoke-rc.d "$1" restart
    fi
  else
    # No init system that keeps runlevels (a container): the init script itself.
    "/etc/init.d/$1" restart
  fi
}

# vigie_service_stop NAME: stops NAME and waits until it has exited (SIGTERM: it records its
# stop). Never refused by policy: its program is about to be replaced or removed.
vigie_service_stop() {
  if [ -d /run/systemd/system ]; then
    systemctl stop "$1.service" || true
  fi
  if [ -x "/etc/init.d/$1" ] && "/etc/init.d/$1" status >/dev/null 2>&1; then
    "/etc/init.d/$1" stop
  fi
}
# --- end of service-functions.sh ---
