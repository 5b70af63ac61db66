#!/usr/bin/env bash
# Set up everything and run every test (unit, property, store, AppTest, Chromium end-to-end): ./test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
# The replica tests start a private PostgreSQL cluster from Debian's server binaries.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif [[ " ${missing[*]} " == *" chromium "* ]]; then
    echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
    exit 1
  else
    echo "Note: PostgreSQL is not installed (sudo apt-get install -y postgresql); its tests are skipped." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
