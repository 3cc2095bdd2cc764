#!/usr/bin/env bash
# The ecosystem's own linters: ruff (lint and format) and pylint-odoo with the
# OCA mandatory checks (.pylintrc).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT" || exit 1
rc=0
mapfile -t module_dirs < <(suite_module_dirs "$(suite_modules)")
"$PYTHON" -m ruff check . || rc=1
"$PYTHON" -m ruff format --check . || rc=1
"$PYTHON" "$ROOT/scripts/gen_readme.py" --check || rc=1
"$PYTHON" -m pylint --rcfile="$ROOT/.pylintrc" "${module_dirs[@]}" || rc=1
exit $rc
