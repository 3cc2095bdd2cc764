#!/usr/bin/env bash
# Fresh test database with the whole suite (demo data included), then pytest
# (browser tours in headless Chromium), then a second database without demo
# data and its check, then the set-up check and the linters.
# Non-zero on any failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

modules="$(suite_modules)"
[ -n "$modules" ] || die "No module of the suite was found under $ROOT."
mapfile -t module_dirs < <(suite_module_dirs "$modules")

say "Creating a fresh test database $TEST_DB with $modules"
if db_exists "$TEST_DB"; then dropdb --force "$TEST_DB" || die "Could not drop $TEST_DB."; fi
log="${TMPDIR:-/tmp}/logistics-test-install.log"
if ! odoo_cmd -d "$TEST_DB" -i "$modules" --stop-after-init --log-level=warn >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    die "Installing $modules into $TEST_DB failed (full log: $log)."
fi
# A clean install logs no warning: one is a defect of the suite to fix.
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$log" >&2; then
    die "Installing $modules logged warnings or errors (full log: $log)."
fi

say "Running the tests"
test_paths=()
for dir in "${module_dirs[@]}"; do test_paths+=("$dir/tests"); done
if compgen -G "$ROOT/tests/test_*.py" >/dev/null; then test_paths+=("$ROOT/tests"); fi
cd "$ROOT" || exit 1
"$PYTHON" -m pytest -p no:cacheprovider \
    --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" \
    --odoo-addons-path="$(addons_path)" --odoo-http --odoo-log-level=warn \
    "${test_paths[@]}"
pytest_rc=$?

# A customer's database has no demo data: what the suite ships must make it
# work (queues, SLA ladder, who confirms), proven on a second database.
fresh_db="${TEST_DB}_fresh"
say "Creating $fresh_db with $modules and no demo data"
if db_exists "$fresh_db"; then dropdb --force "$fresh_db" || die "Could not drop $fresh_db."; fi
fresh_log="${TMPDIR:-/tmp}/logistics-test-fresh-install.log"
fresh_rc=0
if ! odoo_cmd -d "$fresh_db" -i "$modules" --without-demo=all --stop-after-init \
    --log-level=warn >"$fresh_log" 2>&1; then
    tail -n 60 "$fresh_log" >&2
    echo "Installing $modules into $fresh_db failed (full log: $fresh_log)." >&2
    fresh_rc=1
elif grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$fresh_log" >&2; then
    echo "Installing $modules without demo data logged warnings (log: $fresh_log)." >&2
    fresh_rc=1
else
    "$PYTHON" -m pytest -p no:cacheprovider \
        --odoo-config="$ODOO_CONF" --odoo-database="$fresh_db" \
        --odoo-addons-path="$(addons_path)" --odoo-log-level=warn \
        "$ROOT/tests/fresh_database_check.py" || fresh_rc=1
fi

say "Checking the set-up"
bash "$ROOT/scripts/check_setup.sh"
setup_rc=$?

say "Running the linters"
bash "$ROOT/scripts/lint.sh"
lint_rc=$?

if [ "$pytest_rc" -ne 0 ] || [ "$fresh_rc" -ne 0 ] || [ "$setup_rc" -ne 0 ] \
    || [ "$lint_rc" -ne 0 ]; then
    echo "FAILED: pytest exit $pytest_rc, fresh database exit $fresh_rc," \
        "set-up check exit $setup_rc, linters exit $lint_rc" >&2
    exit 1
fi
say "All tests and linters passed"
