#!/usr/bin/env bash
# Formats and fixes what ruff can, with the suite's Python (see setup.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
"$PYTHON" -m ruff format .
"$PYTHON" -m ruff check --fix .
