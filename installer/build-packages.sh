#!/usr/bin/env bash
# Builds the Debian packages vigie-agent and vigie-collector: a Release build of only the
# programs they hold, in a build directory of its own, then CPack (installer/CMakeLists.txt).
#
# Usage: installer/build-packages.sh [OUTDIR] [--version X] [--build-dir DIR]
#   OUTDIR           where the .deb files go (default: BUILD_DIR/packages)
#   --version X      version of the packages and programs (default: the CMake project version)
#   --build-dir DIR  the build directory (default: build-pkg in the source tree)
# Prints the two packages' paths, one a line. VIGIE_JOBS: parallel jobs (default 2).
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  echo "usage: $0 [OUTDIR] [--version X] [--build-dir DIR]" >&2
  exit 2
}
out_dir=
version=
build_dir=$source_dir/build-pkg
while (($# > 0)); do
  case $1 in
    --version)
      (($# >= 2)) || usage
      version=$2
      shift 2
      ;;
    --build-dir)
      (($# >= 2)) || usage
      build_dir=$2
      shift 2
      ;;
    -h | --help) usage ;;
    -*)
      echo "build-packages: unknown option $1" >&2
      usage
      ;;
    *)
      [[ -z $out_dir ]] || usage
      out_dir=$1
      shift
      ;;
  esac
done
if [[ -n $version && ! $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]]; then
  echo "build-packages: --version '$version' is not a Debian version (digits first, then" \
    "letters, digits and . + ~)" >&2
  exit 2
fi
mkdir -p "$build_dir"
build_dir=$(cd "$build_dir" && pwd)
out_dir=${out_dir:-$build_dir/packages}
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

# One build at a time in a build directory.
exec {lock}>"$build_dir/.build-packages.lock"
flock "$lock"

# Without --version, the project's version again (a previous run may have overridden it).
if [[ -n $version ]]; then version_option=(-DVIGIE_VERSION="$version"); else version_option=(-UVIGIE_VERSION); fi
# Debian's build flags (-O2, fortify, stack protector, relro; -g left out: the programs are
# stripped), from the source directory so that the flags, and the build, do not depend on where
# this script was run from. Release's -O3 is not used: GCC 12 warns wrongly (-Wrestrict) there.
# -Wno-unused-result: fortified glibc marks calls such as ftruncate() whose result the code drops
# on purpose, with a (void) cast that GCC does not take as an answer.
flags() { (cd "$source_dir" && dpkg-buildflags --get "$1") | sed 's/\(^\| \)-g\( \|$\)/ /'; }
cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-DNDEBUG" \
  -DCMAKE_CXX_FLAGS="$(flags CPPFLAGS) $(flags CXXFLAGS) -Wno-unused-result" \
  -DCMAKE_EXE_LINKER_FLAGS="$(flags LDFLAGS) -Wl,-z,now" \
  -DVIGIE_BUILD_TESTS=OFF -DVIGIE_BUILD_BENCH=OFF -DVIGIE_BUILD_FUZZERS=OFF -DVIGIE_SANITIZE=OFF \
  "${version_option[@]}" >&2
nice cmake --build "$build_dir" -j "${VIGIE_JOBS:-2}" \
  --target vigie-agent vigie-session vigie-collector vigiectl >&2
version=$(sed -n 's/^VIGIE_VERSION:STRING=//p' "$build_dir/CMakeCache.txt")

staging=$build_dir/cpack
rm -rf "$staging"
(cd "$build_dir" && cpack --config CPackConfig.cmake -B "$staging" >/dev/null)
arch=$(dpkg --print-architecture)
for package in vigie-agent vigie-collector; do
  deb=${package}_${version}_${arch}.deb
  [[ -f $staging/$deb ]] || { echo "build-packages: cpack made no $deb" >&2; exit 1; }
  mv -f "$staging/$deb" "$out_dir/$deb"
  echo "$out_dir/$deb"
done
