# Shared settings of the set-up, run and test scripts. Sourced, not run.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
ODOO_CONF="${ODOO_CONF:-$ROOT/odoo.conf}"
DEMO_DB="${DEMO_DB:-logistics_demo}"
TEST_DB="${TEST_DB:-logistics_test}"
HTTP_PORT="${HTTP_PORT:-8069}"
export PGHOST="${PGHOST:-localhost}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}"
export PGPASSWORD="${PGPASSWORD:-odoo}"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Folders holding modules of the suite: the repository root and addons/ (bridges).
addons_dirs() {
    local dir
    for dir in "$ROOT" "$ROOT/addons"; do
        if compgen -G "$dir/*/__manifest__.py" >/dev/null; then
            printf '%s\n' "$dir"
        fi
    done
}

# Comma-separated addons path for Odoo; Odoo adds its own addons by itself.
addons_path() {
    local path
    path="$(addons_dirs | paste -sd, -)"
    if [ -n "${EXTRA_ADDONS_PATH:-}" ]; then path="$path,$EXTRA_ADDONS_PATH"; fi
    printf '%s' "$path"
}

# Every installable module of the suite, comma-separated.
suite_modules() {
    local dir manifest
    for dir in $(addons_dirs); do
        for manifest in "$dir"/*/__manifest__.py; do
            if "$PYTHON" -c 'import ast, sys; sys.exit(0 if ast.literal_eval(open(sys.argv[1]).read()).get("installable", True) else 1)' "$manifest"; then
                basename "$(dirname "$manifest")"
            fi
        done
    done | paste -sd, -
}

# Folders of the suite's modules, for pytest and the linters.
suite_module_dirs() {
    local module dir
    for module in ${1//,/ }; do
        for dir in $(addons_dirs); do
            if [ -f "$dir/$module/__manifest__.py" ]; then printf '%s\n' "$dir/$module"; fi
        done
    done
}

odoo_cmd() {
    "$PYTHON" -m odoo -c "$ODOO_CONF" --addons-path="$(addons_path)" "$@"
}

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}
