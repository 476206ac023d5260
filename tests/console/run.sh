#!/usr/bin/env bash
# End-to-end test of the web console: run.sh PATH/TO/vigie-collector PATH/TO/vigie-agent
# Installs the pinned playwright-core on first use (npm ci), then drives /usr/bin/chromium headless.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 PATH/TO/vigie-collector PATH/TO/vigie-agent" >&2
  exit 2
fi
binary="$(realpath "$1")"
agent="$(realpath "$2")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi
exec node console_test.mjs "$binary" "$agent"
