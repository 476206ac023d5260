#!/usr/bin/env bash
# End-to-end test of the web console: run.sh PATH/TO/vigie-collector
# Installs the pinned playwright-core on first use (npm ci), then drives /usr/bin/chromium headless.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH/TO/vigie-collector" >&2
  exit 2
fi
binary="$(realpath "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi
exec node console_test.mjs "$binary"
