#!/usr/bin/env bash
# Set up everything and run every test (unit, property, store, AppTest, Chromium end-to-end): ./test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi
exec .venv/bin/python -m pytest "$@"
