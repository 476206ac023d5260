#!/usr/bin/env bash
# Cross-builds, with mingw-w64 (x86_64, posix threads), the third-party libraries the Windows
# workstation service needs, as static libraries from Debian 12's source packages
# (docs/windows-dependencies.md):
#   OpenSSL 3 (libcrypto, for SQLCipher; libssl too, unused unless VIGIE_CURL_TLS=openssl),
#   SQLCipher (the queue's encrypted database, with OpenSSL's libcrypto),
#   libcurl (the uploader's HTTPS: Windows' own TLS, Schannel, and zlib).
#
#   scripts/cross-build-windows-deps.sh [PREFIX]      (default /opt/vigie/mingw64)
#
# Installs into PREFIX/{include,lib,lib/pkgconfig,lib/cmake}; sources and build trees go to
# PREFIX/src (VIGIE_DEPS_SRC overrides). Idempotent: a library whose Debian version is already
# built is skipped, a newer Debian version (a security update) is rebuilt. As root on Debian 12 it
# installs the build tools it needs and a deb-src entry for `apt-get source`.
#   VIGIE_JOBS       parallel jobs (default 2)
#   VIGIE_CURL_TLS   schannel (default) or openssl: libcurl's TLS library
#   VIGIE_DEPS_NICE  niceness of the builds (default 10)
#   VIGIE_OPENSSLDIR OpenSSL's directory on Windows, for openssl.cnf (default
#                    "C:/Program Files/Vigie/ssl"): must be writable by administrators only
set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$script_dir/.." && pwd)
prefix=${1:-/opt/vigie/mingw64}
jobs=${VIGIE_JOBS:-2}
curl_tls=${VIGIE_CURL_TLS:-schannel}
nice_level=${VIGIE_DEPS_NICE:-10}
windows_openssldir=${VIGIE_OPENSSLDIR:-C:/Program Files/Vigie/ssl}
host=x86_64-w64-mingw32
cc=$host-gcc-posix
mingw_root=/usr/$host
toolchain=$repo_dir/cmake/mingw-w64-x86_64.cmake

say() { printf '%s cross-build-windows-deps: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  printf 'cross-build-windows-deps: error: %s\n' "$*" >&2
  exit 1
}
current_step=
# The smoke test's wine prefix and HTTPS server, if running, are stopped and removed on exit.
smoke_dir='' server_pid=''
smoke_cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n $smoke_dir ]]; then
    WINEPREFIX=$smoke_dir/prefix wineserver -k 2>/dev/null || true
    rm -rf "$smoke_dir"
  fi
  server_pid='' smoke_dir=''
}
# shellcheck disable=SC2154  # rc is the trap's own
trap 'rc=$?; smoke_cleanup; ((rc == 0)) || echo "cross-build-windows-deps: FAILED${current_step:+ during: $current_step} (exit $rc)${current_log:+, log: $current_log}" >&2' EXIT

case $curl_tls in schannel | openssl) ;; *) die "VIGIE_CURL_TLS must be schannel or openssl, not '$curl_tls'" ;; esac
[[ $prefix == /* ]] || prefix=$(pwd)/$prefix
src_root=${VIGIE_DEPS_SRC:-$prefix/src}
stamps=$prefix/share/vigie-deps
log_dir=$src_root/logs
durations=()

# Runs "$@" as one step, its output in a log (its last lines shown if it fails), and times it.
current_log=
step() {
  local name=$1 log=$log_dir/$2.log
  shift 2
  current_step=$name current_log=$log
  say "$name ..."
  local start=$SECONDS
  if ! "$@" >"$log" 2>&1; then
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2
    die "$name failed (full log: $log)"
  fi
  local took=$((SECONDS - start))
  durations+=("$(printf '%-40s %4ds' "$name" "$took")")
  say "$name done in ${took}s"
  current_step='' current_log=''
}
niced() { nice -n "$nice_level" "$@"; }

# ---- build tools ------------------------------------------------------------------------------
tools=(
  g++-mingw-w64-x86-64-posix libz-mingw-w64-dev  # the cross compilers, zlib for mingw
  dpkg-dev                                       # apt-get source (dpkg-source)
  build-essential make perl                      # OpenSSL's Configure; SQLCipher's generators
  tcl                                            # SQLCipher's amalgamation (tclsh)
  cmake ninja-build pkg-config                   # libcurl
)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
need_src=0
# shellcheck disable=SC2016  # apt's own $(...) syntax
apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -qx Sources || need_src=1
if ((${#missing[@]} > 0 || need_src)); then
  if [[ $(id -u) -ne 0 ]] || ! grep -qs '^12\.' /etc/debian_version; then
    ((${#missing[@]} == 0)) || echo "cross-build-windows-deps: missing packages: ${missing[*]}" >&2
    ((need_src == 0)) || echo "cross-build-windows-deps: no deb-src entry for apt-get source" >&2
    die "run this script once as root on Debian 12 (it installs them), or install them yourself"
  fi
  mkdir -p "$log_dir"
  if ((need_src)); then
    say "adding Debian 12's source packages to apt (/etc/apt/sources.list.d/vigie-debian-src.sources)"
    cat >/etc/apt/sources.list.d/vigie-debian-src.sources <<'EOF'
# Added by Vigie's scripts/cross-build-windows-deps.sh: apt-get source for the Windows libraries.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  export DEBIAN_FRONTEND=noninteractive
  step "apt-get update" apt-update apt-get update -q
  if ((${#missing[@]} > 0)); then
    step "apt-get install ${missing[*]}" apt-install \
      apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi
command -v "$cc" >/dev/null || die "$cc not found"
[[ -f $toolchain ]] || die "no CMake toolchain file at $toolchain"
[[ -f $mingw_root/lib/libz.a ]] || die "no static zlib for mingw ($mingw_root/lib/libz.a)"

mkdir -p "$prefix"/{include,lib/pkgconfig} "$stamps" "$src_root" "$log_dir"

# ---- Debian sources ---------------------------------------------------------------------------
# Fetches (apt-get source: Debian's patches applied) the newest version of source package $1 that
# the mirror serves, and sets $src_dir and $deb_version. A version the index lists but the mirror
# does not yet serve (a mirror lagging behind the security archive) is skipped for the next one.
fetch_source() {
  local pkg=$1 versions v upstream
  versions=$(apt-cache showsrc --only-source "$pkg" | awk '/^Version:/ {print $2}' | sort -Vru)
  [[ -n $versions ]] || die "apt knows no source package '$pkg' (is there a deb-src entry?)"
  for v in $versions; do
    upstream=${v#*:}
    upstream=${upstream%-*}
    if [[ -f $src_root/$pkg-$upstream/.vigie-debian-version &&
      $(cat "$src_root/$pkg-$upstream/.vigie-debian-version") == "$v" ]]; then
      src_dir=$src_root/$pkg-$upstream deb_version=$v
      return 0
    fi
    rm -rf "${src_root:?}/$pkg-$upstream"
    if (cd "$src_root" && apt-get source -q "$pkg=$v") >"$log_dir/fetch-$pkg.log" 2>&1 &&
      [[ -d $src_root/$pkg-$upstream ]]; then
      echo "$v" >"$src_root/$pkg-$upstream/.vigie-debian-version"
      src_dir=$src_root/$pkg-$upstream deb_version=$v
      return 0
    fi
    say "warning: $pkg $v is listed but could not be fetched (see $log_dir/fetch-$pkg.log);" \
      "trying the previous version"
  done
  die "could not fetch any version of Debian's '$pkg' source package"
}

# built NAME ID: whether NAME was built as ID says (Debian version, recipe, what it links).
built() { [[ -f $stamps/$1 && $(cat "$stamps/$1") == "$2" ]]; }
# A short digest of a recipe (its arguments): a changed recipe rebuilds.
recipe() { printf '%s\n' "$@" | md5sum | cut -c1-12; }

# ---- OpenSSL ----------------------------------------------------------------------------------
current_step="fetching openssl"
fetch_source openssl
openssl_src=$src_dir openssl_version=$deb_version
# CC=gcc-posix: the cross prefix is prepended to it (x86_64-w64-mingw32-gcc-posix). No programs,
# tests, engines or loadable modules (providers built in); OpenSSL 3.0 has no no-docs, but
# build_libs and install_dev build and install no manuals.
openssl_args=(mingw64 "--cross-compile-prefix=$host-"
  no-shared no-tests no-module no-engine no-capieng no-legacy
  --prefix="$prefix" --libdir=lib)
# The directories libcrypto looks in at run time (openssl.cnf, which it loads by default; engines;
# provider modules), compiled in: Windows paths writable by administrators only, not Configure's
# default under the prefix, which Windows would read as \opt\... on the current drive, a place any
# user may create (the CVE-2019-1552 kind). Configure takes no Windows path (it would prepend the
# prefix to "C:/..."): they are given to make, which compiles them in.
openssl_dirs=(OPENSSLDIR="$windows_openssldir" ENGINESDIR="$windows_openssldir/engines-3"
  MODULESDIR="$windows_openssldir/ossl-modules")
openssl_id="$openssl_version recipe=$(recipe "${openssl_args[@]}" "${openssl_dirs[@]}")"
if built openssl "$openssl_id"; then
  say "OpenSSL $openssl_version: already built, skipped"
else
  say "OpenSSL $openssl_version from $openssl_src"
  build=$src_root/build-openssl
  rm -rf "$build" && mkdir -p "$build"
  step "openssl: configure" openssl-configure env -C "$build" CC=gcc-posix \
    perl "$openssl_src/Configure" "${openssl_args[@]}"
  step "openssl: build (libcrypto, libssl)" openssl-build niced make -C "$build" -j"$jobs" \
    "${openssl_dirs[@]}" build_libs
  step "openssl: install" openssl-install make -C "$build" "${openssl_dirs[@]}" install_dev
  echo "$openssl_id" >"$stamps/openssl"
fi

# ---- SQLCipher --------------------------------------------------------------------------------
current_step="fetching sqlcipher"
fetch_source sqlcipher
sqlcipher_src=$src_dir sqlcipher_version=$deb_version
# Debian's compile options (debian/rules), for the same features as the Linux service's
# libsqlcipher; Windows' VFS instead of unix's (so no HAVE_USLEEP); OpenSSL's libcrypto.
sqlcipher_cflags=(
  -O2 -fno-strict-aliasing -Wno-deprecated-declarations  # HMAC_*: as on Linux, OpenSSL 3
  -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL -DSQLITE_OS_WIN=1
  -DSQLITE_THREADSAFE=1 -DSQLITE_TEMP_STORE=1
  -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
  -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
  -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1
  -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_MAX_SCHEMA_RETRY=25
  -I"$prefix/include"
)
sqlcipher_id="$sqlcipher_version openssl=$openssl_version recipe=$(recipe "${sqlcipher_cflags[@]}")"
if built sqlcipher "$sqlcipher_id"; then
  say "SQLCipher $sqlcipher_version: already built, skipped"
else
  say "SQLCipher $sqlcipher_version from $sqlcipher_src"
  build=$src_root/build-sqlcipher
  rm -rf "$build" && mkdir -p "$build"
  # The amalgamation (one sqlite3.c) is generated by the build machine's compiler and tclsh; the
  # generated C is the same for every target, and holds every crypto provider behind #ifdefs, so
  # this configure needs no crypto library.
  step "sqlcipher: configure (amalgamation generator)" sqlcipher-configure env -C "$build" \
    "$sqlcipher_src/configure" --disable-tcl --with-crypto-lib=none
  step "sqlcipher: generate sqlite3.c" sqlcipher-amalgamation niced make -C "$build" sqlite3.c
  step "sqlcipher: compile sqlite3.c" sqlcipher-compile niced "$cc" "${sqlcipher_cflags[@]}" \
    -c "$build/sqlite3.c" -o "$build/sqlite3.o"
  rm -f "$build/libsqlcipher.a"
  step "sqlcipher: archive" sqlcipher-archive "$host-ar" rcs "$build/libsqlcipher.a" "$build/sqlite3.o"
  mkdir -p "$prefix/include/sqlcipher"
  install -m 644 "$build/sqlite3.h" "$sqlcipher_src/src/sqlite3ext.h" "$prefix/include/sqlcipher/"
  install -m 644 "$build/libsqlcipher.a" "$prefix/lib/"
  echo "$sqlcipher_id" >"$stamps/sqlcipher"
fi
# Cflags and Libs as the Linux libsqlcipher-dev's (-I.../sqlcipher, #include <sqlite3.h>), plus
# SQLITE_HAS_CODEC (sqlite3_key's declaration). Static only: Libs names everything to link,
# so that a plain `pkg-config --libs` (and CMake's pkg_check_modules) is enough. Written on
# every run (it is not built).
cat >"$prefix/lib/pkgconfig/sqlcipher.pc" <<EOF
# SQLCipher $sqlcipher_version (Debian source package), static, mingw-w64 x86_64,
# with OpenSSL $openssl_version's libcrypto. Built by Vigie's scripts/cross-build-windows-deps.sh.
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: SQLCipher
Description: SQL database engine with encryption (static, mingw-w64; SQLite $(cat "$sqlcipher_src/VERSION"))
Version: ${sqlcipher_version%-*}
Requires.private: libcrypto
Libs: -L\${libdir} -lsqlcipher -lcrypto -lws2_32 -lgdi32 -lcrypt32
Cflags: -I\${includedir}/sqlcipher -DSQLITE_HAS_CODEC
EOF

# ---- libcurl ----------------------------------------------------------------------------------
current_step="fetching curl"
fetch_source curl
curl_src=$src_dir curl_version=$deb_version
# CMake rather than autotools: the tarball's CMake build needs no autoreconf after Debian's
# patches, and installs CURLConfig.cmake (find_package(CURL) then gets CURL::libcurl with
# CURL_STATICLIB and the Windows libraries it needs).
tls_args=(-DCURL_USE_SCHANNEL=ON -DCURL_USE_OPENSSL=OFF -DCURL_WINDOWS_SSPI=ON)
if [[ $curl_tls == openssl ]]; then
  tls_args=(-DCURL_USE_SCHANNEL=OFF -DCURL_USE_OPENSSL=ON
    -DOPENSSL_INCLUDE_DIR="$prefix/include"
    -DOPENSSL_CRYPTO_LIBRARY="$prefix/lib/libcrypto.a"
    -DOPENSSL_SSL_LIBRARY="$prefix/lib/libssl.a"
    -DLIB_EAY="$prefix/lib/libcrypto.a" -DSSL_EAY="$prefix/lib/libssl.a")  # FindOpenSSL, MINGW
fi
# HTTP and HTTPS only (no ldap, rtmp, ssh, ftp...), zlib; no psl, idn, nghttp2, brotli, zstd,
# c-ares. No default CA bundle or path: the build machine's would be compiled in; without
# CURLOPT_CAINFO Schannel uses Windows' certificate store. Proxies and their authentication
# (NTLM, Negotiate through SSPI) stay: call centres often sit behind one.
curl_args=(-G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_CROSSCOMPILING_EMULATOR=
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib
  -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF
  -DCURL_ENABLE_SSL=ON "${tls_args[@]}" -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none
  -DCURL_ZLIB=ON -DZLIB_INCLUDE_DIR="$mingw_root/include" -DZLIB_LIBRARY="$mingw_root/lib/libz.a"
  -DHTTP_ONLY=ON -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON
  -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_USE_LIBPSL=OFF
  -DUSE_LIBIDN2=OFF -DUSE_WIN32_IDN=OFF -DUSE_NGHTTP2=OFF -DUSE_NGTCP2=OFF -DUSE_QUICHE=OFF
  -DUSE_MSH3=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DCURL_USE_GSSAPI=OFF -DENABLE_ARES=OFF
  -DENABLE_UNIX_SOCKETS=OFF -DENABLE_THREADED_RESOLVER=ON -DCURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG=ON)
curl_id="$curl_version tls=$curl_tls recipe=$(recipe "${curl_args[@]}")"
[[ $curl_tls == openssl ]] && curl_id+=" openssl=$openssl_version"
if built curl "$curl_id"; then
  say "libcurl $curl_version ($curl_tls): already built, skipped"
else
  say "libcurl $curl_version ($curl_tls) from $curl_src"
  build=$src_root/build-curl
  rm -rf "$build"
  step "curl: configure ($curl_tls, zlib)" curl-configure cmake -S "$curl_src" -B "$build" \
    "${curl_args[@]}"
  step "curl: build" curl-build niced cmake --build "$build" -j "$jobs"
  step "curl: install" curl-install cmake --install "$build"
  # The static library's users must define CURL_STATICLIB (curl.h otherwise declares dllimports).
  # CMake also wrote the compiler's implicit libraries (-lmingw32 -lgcc...) into Libs: dropped.
  sed -i -e '/^Cflags:/{/CURL_STATICLIB/!s/$/ -DCURL_STATICLIB/}' \
    -e '/^Libs/s/ -l\(mingw32\|gcc\|moldname\|mingwex\|pthread\|kernel32\)\>//g' \
    "$prefix/lib/pkgconfig/libcurl.pc"
  echo "$curl_id" >"$stamps/curl"
fi

# ---- summary ----------------------------------------------------------------------------------
current_step="summary"
say "built in $prefix:"
printf '  openssl   %s\n  sqlcipher %s\n  curl      %s (%s)\n' \
  "$openssl_version" "$sqlcipher_version" "$curl_version" "$curl_tls"
for lib in libcrypto.a libssl.a libsqlcipher.a libcurl.a; do
  [[ -f $prefix/lib/$lib ]] || die "$prefix/lib/$lib is missing"
  printf '  %-16s %8d KiB\n' "$lib" $(($(stat -c %s "$prefix/lib/$lib") / 1024))
done

# ---- smoke test -------------------------------------------------------------------------------
# tests/windows/deps_smoke.c, linked as the service will be (pkg-config --static, -static), run
# under wine when it is installed: an encrypted database written and read back, curl's TLS
# library; with python3 and openssl here, an HTTPS GET from a local server whose certificate a
# throwaway CA signed (verified against that CA, refused with another). VIGIE_DEPS_SMOKE=0: skip.
smoke_src=$repo_dir/tests/windows/deps_smoke.c

# A throwaway CA, another CA, and a certificate for localhost signed by the first, in $1.
make_test_pki() {
  local dir=$1 ca
  for ca in ca other; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -keyout "$dir/$ca.key" -out "$dir/$ca.pem" -subj "/CN=Vigie deps smoke test $ca CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  done
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/server.key" \
    -out "$dir/server.csr" -subj /CN=localhost
  printf '%s\n' subjectAltName=DNS:localhost,IP:127.0.0.1 extendedKeyUsage=serverAuth \
    basicConstraints=CA:FALSE >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 1 -extfile "$dir/server.ext" -out "$dir/server.pem"
}

# An HTTPS server on a free port of 127.0.0.1 (written to $1/port), with $1/server.{pem,key}.
https_server() {
  python3 - "$1" <<'PY'
import http.server, os, ssl, sys
dir = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"vigie deps smoke test\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(dir, "server.pem"), os.path.join(dir, "server.key"))
server.socket = context.wrap_socket(server.socket, server_side=True)
with open(os.path.join(dir, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(dir, "port.tmp"), os.path.join(dir, "port"))
server.serve_forever()
PY
}

if [[ ${VIGIE_DEPS_SMOKE:-1} != 0 && -f $smoke_src ]]; then
  smoke_exe=$src_root/deps_smoke.exe
  expected_tls=Schannel
  [[ $curl_tls == openssl ]] && expected_tls=OpenSSL
  read -r -a smoke_flags <<<"$(PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig PKG_CONFIG_PATH='' \
    pkg-config --static --cflags --libs sqlcipher libcurl libcrypto)"
  step "smoke test: compile and link" smoke-compile \
    "$cc" -O2 -Wall -o "$smoke_exe" "$smoke_src" "${smoke_flags[@]}" -static
  if command -v wine >/dev/null; then
    smoke_dir=$(mktemp -d)
    export WINEPREFIX=$smoke_dir/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    step "smoke test: wine prefix" smoke-wineboot wineboot -i
    https_args=()
    if command -v python3 >/dev/null && command -v openssl >/dev/null; then
      mkdir "$smoke_dir/tls"
      step "smoke test: test CA and HTTPS server" smoke-pki make_test_pki "$smoke_dir/tls"
      https_server "$smoke_dir/tls" >"$log_dir/smoke-https-server.log" 2>&1 &
      server_pid=$!
      for _ in $(seq 100); do [[ -f $smoke_dir/tls/port ]] && break; sleep 0.1; done
      [[ -f $smoke_dir/tls/port ]] || die "the smoke test's HTTPS server did not start" \
        "(log: $log_dir/smoke-https-server.log)"
      windows_tls_dir="Z:${smoke_dir//\//\\}\\tls"  # wine's Z: is /
      https_args=("https://localhost:$(cat "$smoke_dir/tls/port")/"
        "$windows_tls_dir\\ca.pem" "$windows_tls_dir\\other.pem")
    else
      say "smoke test: no python3 or openssl here, no HTTPS request"
    fi
    current_step="smoke test under wine" current_log=$log_dir/smoke-run.log
    say "smoke test: run under wine ..."
    start=$SECONDS
    set +e
    (cd "$smoke_dir" && wine "$smoke_exe" 'C:\windows\temp\deps_smoke.db' "$expected_tls" \
      "${https_args[@]}") >"$current_log" 2>&1
    smoke_rc=$?
    set -e
    smoke_cleanup
    tr -d '\r' <"$current_log" | sed 's/^/  | /'
    ((smoke_rc == 0)) || die "the smoke test failed under wine (exit $smoke_rc)"
    durations+=("$(printf '%-40s %4ds' "smoke test: run under wine" $((SECONDS - start)))")
    say "smoke test: run under wine done in $((SECONDS - start))s"
    current_step='' current_log=''
  else
    say "smoke test: wine is not installed, $smoke_exe not run"
  fi
fi

if ((${#durations[@]} > 0)); then
  say "step durations (this run):"
  printf '  %s\n' "${durations[@]}"
fi
say "use: PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig, and $prefix in the toolchain's" \
  "CMAKE_FIND_ROOT_PATH (docs/windows-dependencies.md)"
