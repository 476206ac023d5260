# --- installer/linux/deb/agent-configure.sh, put into vigie-agent's postinst at build time ---
# Enrollment at install, for silent fleet installs. Settings come from the environment, else from
# /etc/vigie/enroll.conf: KEY=value lines, read as data (never run as shell), # comments.
#   VIGIE_COLLECTOR_URL       https://HOST:PORT of the collector
#   VIGIE_CA_FILE             the collector's CA certificate (ca.pem of its data directory)
#   VIGIE_ENROLL_SECRET_FILE  file holding the enrollment secret, or
#   VIGIE_ENROLL_SECRET       the secret itself
#   VIGIE_DEVICE_ID           optional (default dev-<hostname>)
# The secret is never printed, and never given on a command line. An enrollment that fails
# leaves the package installed and the agent queueing.

VIGIE_ENROLL_CONF=/etc/vigie/enroll.conf
VIGIE_ENROLL_KEYS="VIGIE_COLLECTOR_URL VIGIE_CA_FILE VIGIE_ENROLL_SECRET_FILE VIGIE_ENROLL_SECRET VIGIE_DEVICE_ID"

# Says on stderr which lines of enroll.conf are not KEY=value with a known key.
vigie_check_enroll_conf() {
  vigie_line=0
  while IFS= read -r vigie_text || [ -n "$vigie_text" ]; do
    vigie_line=$((vigie_line + 1))
    vigie_text=$(printf '%s' "$vigie_text" | tr -d '\r' | sed 's/^[[:space:]]*//')
    case "$vigie_text" in '' | '#'*) continue ;; esac
    vigie_key=${vigie_text%%=*}
    vigie_known=no
    for vigie_name in $VIGIE_ENROLL_KEYS; do
      [ "$vigie_key" = "$vigie_name" ] && vigie_known=yes
    done
    if [ "$vigie_known" = no ] || [ "$vigie_key" = "$vigie_text" ]; then
      echo "vigie-agent: $VIGIE_ENROLL_CONF line $vigie_line ignored: expected KEY=value," \
        "KEY one of: $VIGIE_ENROLL_KEYS" >&2
    fi
  done <"$VIGIE_ENROLL_CONF"
}

# vigie_conf_value KEY: the value of the last KEY=value line of enroll.conf, "" when none;
# surrounding blanks and one pair of quotes around the value are dropped.
vigie_conf_value() {
  [ -r "$VIGIE_ENROLL_CONF" ] || return 0
  tr -d '\r' <"$VIGIE_ENROLL_CONF" | sed -n "s/^[[:space:]]*$1=//p" | tail -n 1 |
    sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

# vigie_setting KEY: KEY from the environment, else from enroll.conf.
vigie_setting() {
  eval "vigie_value=\${$1:-}"
  if [ -n "$vigie_value" ]; then printf '%s' "$vigie_value"; else vigie_conf_value "$1"; fi
}

# vigie_enroll_as_agent DATA_DIR URL CA SECRET_FILE DEVICE: vigie-agent enroll, run as the
# service's user (its key store accepts no other owner) on copies of the CA and of the secret
# (SECRET_FILE, or $vigie_secret when it is "") in a directory of its own, removed afterwards.
vigie_enroll_as_agent() {
  vigie_stage=$(mktemp -d "$1/.enroll.XXXXXX") || return 1
  trap 'rm -rf "$vigie_stage"' EXIT
  vigie_status=0
  if [ -n "$4" ]; then
    install -m 0600 -o vigie-agent -g vigie-agent "$4" "$vigie_stage/secret" || vigie_status=1
  else
    (umask 077 && printf '%s\n' "$vigie_secret" >"$vigie_stage/secret") &&
      chown vigie-agent:vigie-agent "$vigie_stage/secret" || vigie_status=1
  fi
  if [ "$vigie_status" -eq 0 ]; then
    install -m 0644 -o vigie-agent -g vigie-agent "$3" "$vigie_stage/ca.pem" &&
      chown vigie-agent:vigie-agent "$vigie_stage" &&
      setpriv --reuid=vigie-agent --regid=vigie-agent --init-groups --reset-env \
        vigie-agent enroll --data-dir "$1" --collector "$2" --ca-file "$vigie_stage/ca.pem" \
        --secret-file "$vigie_stage/secret" ${5:+--device-id "$5"} || vigie_status=1
  fi
  rm -rf "$vigie_stage"
  trap - EXIT
  return "$vigie_status"
}

# vigie_enroll_at_install DATA_DIR: enrolls unless already enrolled or not asked to.
vigie_enroll_at_install() {
  if [ -f "$1/enrollment/collector.url" ]; then
    if [ -n "${VIGIE_COLLECTOR_URL:-}${VIGIE_ENROLL_SECRET_FILE:-}${VIGIE_ENROLL_SECRET:-}" ]; then
      echo "vigie-agent: already enrolled as $(cat "$1/enrollment/device.id" 2>/dev/null);" \
        "the enrollment settings are not used (identity and keys kept)." >&2
    fi
    unset VIGIE_ENROLL_SECRET
    return 0
  fi
  if [ -f "$VIGIE_ENROLL_CONF" ]; then
    vigie_check_enroll_conf
    if [ -n "$(find "$VIGIE_ENROLL_CONF" -perm /077)" ]; then
      echo "vigie-agent: warning: $VIGIE_ENROLL_CONF may hold the enrollment secret and other" \
        "users can read it; make it 0600." >&2
    fi
  fi
  vigie_url=$(vigie_setting VIGIE_COLLECTOR_URL)
  vigie_ca=$(vigie_setting VIGIE_CA_FILE)
  vigie_device=$(vigie_setting VIGIE_DEVICE_ID)
  # The secret comes whole from the environment when it names one, else from the file.
  if [ -n "${VIGIE_ENROLL_SECRET_FILE:-}${VIGIE_ENROLL_SECRET:-}" ]; then
    vigie_secret_file=${VIGIE_ENROLL_SECRET_FILE:-}
    vigie_secret=${VIGIE_ENROLL_SECRET:-}
  else
    vigie_secret_file=$(vigie_conf_value VIGIE_ENROLL_SECRET_FILE)
    vigie_secret=$(vigie_conf_value VIGIE_ENROLL_SECRET)
  fi
  # Not handed on to anything started from here (the service above all).
  unset VIGIE_ENROLL_SECRET
  if [ -z "$vigie_url$vigie_ca$vigie_secret_file$vigie_secret" ]; then
    echo "vigie-agent: not enrolled: events stay queued until 'vigie-agent enroll' (or install" \
      "with VIGIE_COLLECTOR_URL, VIGIE_CA_FILE and VIGIE_ENROLL_SECRET_FILE set)." >&2
    return 0
  fi
  vigie_missing=
  [ -n "$vigie_url" ] || vigie_missing="$vigie_missing VIGIE_COLLECTOR_URL"
  [ -n "$vigie_ca" ] || vigie_missing="$vigie_missing VIGIE_CA_FILE"
  [ -n "$vigie_secret_file$vigie_secret" ] ||
    vigie_missing="$vigie_missing VIGIE_ENROLL_SECRET_FILE (or VIGIE_ENROLL_SECRET)"
  if [ -n "$vigie_missing" ]; then
    echo "vigie-agent: ENROLLMENT SKIPPED: missing$vigie_missing (environment or" \
      "$VIGIE_ENROLL_CONF). The agent is installed and keeps its events queued until enrolled." >&2
    return 0
  fi
  if vigie_enroll_as_agent "$1" "$vigie_url" "$vigie_ca" "$vigie_secret_file" "$vigie_device"; then
    vigie_enrolled=yes
  else
    vigie_enrolled=no
  fi
  vigie_secret=
  if [ "$vigie_enrolled" = no ]; then
    echo "vigie-agent: ENROLLMENT FAILED (the reason is above). The agent is installed and" \
      "keeps its events queued until enrolled: run 'dpkg-reconfigure vigie-agent' with the" \
      "right settings (see the administrator's guide, Install)." >&2
  fi
}

# The postinst's hooks (installer/linux/deb/postinst.in).
vigie_configure_before_start() {
  install -d -m 0755 /etc/vigie
  vigie_enroll_at_install "$1"
}
vigie_configure_after_start() { :; }
# --- end of agent-configure.sh ---
