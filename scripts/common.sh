# Shared settings of the set-up, run, test, lint and bench scripts. Sourced, not run.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
ODOO_CONF="${ODOO_CONF:-$ROOT/odoo.conf}"
DEMO_DB="${DEMO_DB:-logistics_demo}"
TEST_DB="${TEST_DB:-logistics_test}"
HTTP_PORT="${HTTP_PORT:-8069}"
# Where the set-up puts Odoo's source and the suite's Python environment when
# no Odoo 17 is importable: outside the project tree.
ODOO_HOME="${ODOO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/logistics-exception/odoo-17.0}"
LEX_VENV="${LEX_VENV:-$(dirname "$ODOO_HOME")/venv}"
export PGHOST="${PGHOST:-localhost}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}"
export PGPASSWORD="${PGPASSWORD:-odoo}"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
local_pg=0
case "$PGHOST" in localhost | 127.0.0.1 | ::1 | /*) local_pg=1 ;; esac

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# --- Python ----------------------------------------------------------------------
# True when the interpreter $1 imports Odoo 17.
imports_odoo17() {
    "$1" -c 'import sys, odoo.release as r; sys.exit(r.version_info[0] != 17)' >/dev/null 2>&1
}

# True when the interpreter $1 refuses pip (PEP 668: a distribution's Python,
# outside any virtual environment).
externally_managed() {
    "$1" -c '
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if sys.prefix == sys.base_prefix and os.path.exists(marker) else 1)' 2>/dev/null
}

# The interpreter every command uses: $PYTHON when it imports Odoo 17 and
# accepts pip, else the suite's environment once the set-up has made it.
resolve_python() {
    if imports_odoo17 "$PYTHON" && ! externally_managed "$PYTHON"; then return; fi
    if [ -x "$LEX_VENV/bin/python" ] && imports_odoo17 "$LEX_VENV/bin/python"; then
        PYTHON="$LEX_VENV/bin/python"
    fi
}
resolve_python

# --- PostgreSQL ------------------------------------------------------------------
# psql as the PostgreSQL superuser on the local socket. The PG* variables above
# name the suite's role, which may not exist yet: they must not reach this psql.
psql_as_postgres() {
    local as_postgres=(runuser -u postgres --)
    [ -n "$SUDO" ] && as_postgres=(sudo -u postgres)
    "${as_postgres[@]}" env -u PGHOST -u PGHOSTADDR -u PGUSER -u PGPASSWORD \
        -u PGDATABASE -u PGSERVICE -u PGPASSFILE PGPORT="$PGPORT" \
        psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"
}

# True when role $1 with password $2 connects to the server of PGHOST/PGPORT.
pg_role_connects() {
    PGUSER="$1" PGPASSWORD="$2" psql -X -d postgres -tAc 'SELECT 1' >/dev/null 2>&1
}

# Makes sure role $1 exists, may log in with password $2 and create databases.
# On a local server a missing role is created as the postgres superuser; a role
# that exists without a password gets this one. Dies with a sentence otherwise.
ensure_pg_role() {
    local role="$1" password="$2" found
    pg_role_connects "$role" "$password" && return 0
    [ "$local_pg" = 1 ] || die "Cannot connect to PostgreSQL at $PGHOST:$PGPORT as $role: create that role (LOGIN CREATEDB) or set PGUSER/PGPASSWORD."
    found="$(psql_as_postgres -tA -v role="$role" <<<"SELECT CASE WHEN rolpassword IS NULL THEN 'nopassword' ELSE 'password' END FROM pg_authid WHERE rolname = :'role';")" \
        || die "Could not query PostgreSQL as its superuser 'postgres' to create the role $role."
    case "$found" in
        "")
            say "Creating the PostgreSQL role $role"
            psql_as_postgres -v role="$role" -v password="$password" \
                <<<"CREATE ROLE :\"role\" LOGIN CREATEDB PASSWORD :'password';" \
                || die "Could not create the PostgreSQL role $role."
            ;;
        nopassword)
            say "Giving the PostgreSQL role $role its password"
            psql_as_postgres -v role="$role" -v password="$password" \
                <<<"ALTER ROLE :\"role\" LOGIN CREATEDB PASSWORD :'password';" \
                || die "Could not set the password of the PostgreSQL role $role."
            ;;
        *)
            die "The PostgreSQL role $role exists with another password: set PGPASSWORD to it, or change it with ALTER ROLE."
            ;;
    esac
    pg_role_connects "$role" "$password" \
        || die "The PostgreSQL role $role exists but cannot log in at $PGHOST:$PGPORT with its password (check pg_hba.conf)."
}

# --- the suite's modules -----------------------------------------------------------
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
    psql -X -d postgres -tA -v db="$1" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';" | grep -q 1
}
