#!/usr/bin/env bash
# Installs what the suite needs and is missing: PostgreSQL (started, with the
# suite's role), Chromium for the browser tests, wkhtmltopdf for the PDF
# reports, Odoo 17 and the Python tools.
# Safe to run again: what is already there is left alone.
#
# Odoo 17: an Odoo 17 that $PYTHON imports is used as it is. Otherwise the suite
# gets its own virtual environment, $LEX_VENV (beside $ODOO_HOME, outside the
# project), with Odoo 17 from $ODOO_SOURCE and every requirement; every command
# of the suite then uses it. A distribution's Python that refuses pip (PEP 668)
# thus never has pip run into it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DEFAULT_ODOO_SOURCE="https://nightly.odoo.com/17.0/nightly/src/odoo_17.0.latest.tar.gz"

apt_updated=0
apt_install() {
    say "Installing $* from Debian"
    if [ "$apt_updated" = 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- system packages ---------------------------------------------------------
packages=()
if [ "$local_pg" = 1 ] && ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    packages+=(postgresql)
fi
command -v psql >/dev/null || packages+=(postgresql-client)
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
    && ! command -v google-chrome >/dev/null; then
    packages+=(chromium)
fi
# wkhtmltopdf prints Odoo's PDF reports (reason-code sheets, exception labels).
command -v wkhtmltopdf >/dev/null || packages+=(wkhtmltopdf)
# Node.js runs ESLint on the suite's JavaScript (scripts/lint.sh).
command -v npm >/dev/null || packages+=(nodejs npm)
if [ "${#packages[@]}" -gt 0 ]; then apt_install "${packages[@]}"; fi

# --- PostgreSQL ----------------------------------------------------------------
if [ "$local_pg" = 1 ] && ! pg_isready -q; then
    say "Starting PostgreSQL"
    $SUDO service postgresql start >/dev/null
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not start; see 'service postgresql status'."
fi
ensure_pg_role "$PGUSER" "$PGPASSWORD"

# --- Odoo 17 -------------------------------------------------------------------
is_odoo17_source() {
    [ -f "$1/setup.py" ] && [ -f "$1/requirements.txt" ] \
        && grep -qE '^version_info = \(17,' "$1/odoo/release.py" 2>/dev/null
}

# Prints the folder of an Odoo 17 source tree: $ODOO_SOURCE when given (a folder,
# a tarball or its URL, unpacked into $ODOO_HOME), else the source an earlier
# set-up left in $ODOO_HOME, else Odoo's official 17.0 source tarball.
odoo_source_dir() {
    local source="${ODOO_SOURCE:-}" archive
    if [ -z "$source" ] && is_odoo17_source "$ODOO_HOME"; then
        printf '%s' "$ODOO_HOME"
        return
    fi
    source="${source:-$DEFAULT_ODOO_SOURCE}"
    if [ -d "$source" ]; then
        is_odoo17_source "$source" || die "$source is not an Odoo 17.0 source tree (no setup.py, requirements.txt or Odoo 17 release)."
        printf '%s' "$(cd "$source" && pwd)"
        return
    fi
    say "Fetching Odoo 17 from $source" >&2
    archive="$(mktemp --suffix=.tar.gz)"
    if [ -f "$source" ]; then
        cp "$source" "$archive"
    elif ! curl -fsSL --retry 2 --connect-timeout 20 -o "$archive" "$source"; then
        rm -f "$archive"
        die "Odoo 17 is not installed and $source cannot be reached: set ODOO_SOURCE to an Odoo 17.0 source tarball (URL or file) or source folder, or install Odoo 17 into $PYTHON first."
    fi
    rm -rf "$ODOO_HOME" && mkdir -p "$ODOO_HOME"
    tar -xzf "$archive" --strip-components=1 -C "$ODOO_HOME" || die "$source is not a readable tarball."
    rm -f "$archive"
    is_odoo17_source "$ODOO_HOME" || die "$source does not hold an Odoo 17.0 source tree."
    printf '%s' "$ODOO_HOME"
}

# pip for interpreter $1 with the rest of the arguments; its output is shown
# only when it fails.
quiet_pip() {
    local python="$1" log rc=0
    shift
    log="$(mktemp)"
    "$python" -m pip "$@" -q --disable-pip-version-check >"$log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || tail -n 40 "$log" >&2
    rm -f "$log"
    return "$rc"
}

# Debian's Python needs python3-venv for 'python3 -m venv'; building psycopg2
# needs pg_config and the interpreter's C headers.
venv_prerequisites() {
    local base="$1" wanted=() include
    if ! "$base" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        wanted+=("python3-venv" "python$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv")
    fi
    command -v pg_config >/dev/null || wanted+=(libpq-dev)
    command -v cc >/dev/null || wanted+=(build-essential)
    include="$("$base" -c 'import sysconfig; print(sysconfig.get_path("include"))')"
    [ -f "$include/Python.h" ] || wanted+=(python3-dev)
    if [ "${#wanted[@]}" -gt 0 ]; then apt_install "${wanted[@]}"; fi
}

if ! imports_odoo17 "$PYTHON"; then
    src="$(odoo_source_dir)"
    say "Odoo 17 is not importable by $PYTHON: installing it from $src into the environment $LEX_VENV"
    venv_prerequisites "$PYTHON"
    if [ ! -x "$LEX_VENV/bin/python" ]; then
        mkdir -p "$(dirname "$LEX_VENV")"
        "$PYTHON" -m venv "$LEX_VENV" || die "Could not create the virtual environment $LEX_VENV with $PYTHON."
    fi
    venv_python="$LEX_VENV/bin/python"
    # python-ldap needs C headers and the suite does not use it.
    grep -v '^python-ldap' "$src/requirements.txt" >"$LEX_VENV/odoo-requirements.txt"
    quiet_pip "$venv_python" install wheel \
        && quiet_pip "$venv_python" install -r "$LEX_VENV/odoo-requirements.txt" \
        || die "Could not install Odoo's requirements into $LEX_VENV."
    # 'compat' mode: OCA addon wheels create a site-packages/odoo folder that
    # would hide a modern editable install.
    quiet_pip "$venv_python" install --no-deps -e "$src" --config-settings editable_mode=compat \
        || die "Could not install Odoo from $src into $LEX_VENV."
    imports_odoo17 "$venv_python" || die "Odoo was installed from $src into $LEX_VENV but 'import odoo' does not give Odoo 17."
    PYTHON="$venv_python"
elif externally_managed "$PYTHON"; then
    # Odoo 17 came with the distribution's Python: the tools go into an
    # environment that sees it.
    if [ ! -x "$LEX_VENV/bin/python" ]; then
        say "$PYTHON refuses pip: the suite's tools go into $LEX_VENV, which sees its Odoo"
        venv_prerequisites "$PYTHON"
        mkdir -p "$(dirname "$LEX_VENV")"
        "$PYTHON" -m venv --system-site-packages "$LEX_VENV" \
            || die "Could not create the virtual environment $LEX_VENV with $PYTHON."
    fi
    PYTHON="$LEX_VENV/bin/python"
fi

# --- Python tools ------------------------------------------------------------------
quiet_pip "$PYTHON" install -r "$ROOT/requirements.txt" \
    || die "Could not install the Python requirements (requirements.txt) into $PYTHON."
say "Set-up complete: Odoo $("$PYTHON" -c 'import odoo.release as r; print(r.version)') in $PYTHON, PostgreSQL at $PGHOST:$PGPORT"
