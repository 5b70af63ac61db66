#!/usr/bin/env bash
# Set up everything and launch the dashboard on the embedded data: ./run.sh [streamlit options]
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m data.build
exec .venv/bin/python -m streamlit run app.py --browser.gatherUsageStats false "$@"
