# --- installer/linux/deb/collector-configure.sh, put into vigie-collector's postinst ---
# The postinst's hooks (installer/linux/deb/postinst.in).
vigie_configure_before_start() { :; }

# Where the agents' installers find what they enroll with (made at the first start).
vigie_configure_after_start() {
  echo "vigie-collector: agents enroll with the CA $1/ca.pem and the secret in" \
    "$1/enrollment.secret (both made at the first start)." >&2
}
# --- end of collector-configure.sh ---
