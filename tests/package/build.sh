#!/usr/bin/env bash
# The package test's fixture: builds the Debian packages twice, at version V and at a later
# version, into OUTDIR (installer/build-packages.sh, Release, its own build directory).
# Usage: build.sh OUTDIR V NEXT
set -euo pipefail
if (($# != 3)); then
  echo "usage: $0 OUTDIR V NEXT" >&2
  exit 2
fi
builder=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/installer/build-packages.sh
rm -rf "$1"
bash "$builder" "$1" --version "$2"
bash "$builder" "$1" --version "$3"
