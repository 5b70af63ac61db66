#!/usr/bin/env bash
# Set up everything and launch the dashboard on the embedded data: ./run.sh [streamlit options]
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/python -m data.build
exec .venv/bin/python -m streamlit run app.py --browser.gatherUsageStats false "$@"
