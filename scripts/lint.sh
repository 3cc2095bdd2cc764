#!/usr/bin/env bash
# The ecosystem's own linters: ruff (lint and format), pylint-odoo with the
# OCA mandatory checks (.pylintrc) and ESLint on the JavaScript (.eslintrc.json).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT" || exit 1
rc=0
mapfile -t module_dirs < <(suite_module_dirs "$(suite_modules)")
"$PYTHON" -m ruff check . || rc=1
"$PYTHON" -m ruff format --check . || rc=1
"$PYTHON" "$ROOT/scripts/gen_readme.py" --check || rc=1
"$PYTHON" -m pylint --rcfile="$ROOT/.pylintrc" "${module_dirs[@]}" || rc=1
# ESLint (the version package.json pins, installed into node_modules/) on the
# JavaScript of the suite's modules, with .eslintrc.json.
if [ ! -x "$ROOT/node_modules/.bin/eslint" ]; then
    npm install --no-audit --no-fund --silent >/dev/null || rc=1
fi
mapfile -t js_files < <(find "${module_dirs[@]}" -path '*/static/*' -name '*.js' \
    -not -path '*/static/lib/*' | sort)
if [ "${#js_files[@]}" -gt 0 ]; then
    "$ROOT/node_modules/.bin/eslint" --max-warnings=0 "${js_files[@]}" || rc=1
fi
exit $rc
