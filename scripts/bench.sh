#!/usr/bin/env bash
# Runs every benchmark under bench/ with the suite's Python (see setup.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
for script in "$ROOT"/bench/*.py; do
    [ -e "$script" ] || continue
    "$PYTHON" "$script" "$@"
done
