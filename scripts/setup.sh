#!/usr/bin/env bash
# Installs what the suite needs and is missing: PostgreSQL (started, with an
# "odoo" role), Chromium for the browser tests, Odoo 17 and the Python tools.
# Safe to run again: what is already there is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ODOO_SOURCE="${ODOO_SOURCE:-https://nightly.odoo.com/17.0/nightly/src/odoo_17.0.latest.tar.gz}"
ODOO_HOME="${ODOO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/logistics-exception/odoo-17.0}"

apt_install() {
    say "Installing $* from Debian"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- system packages ---------------------------------------------------------
packages=()
local_pg=0
case "$PGHOST" in localhost | 127.0.0.1 | ::1 | /*) local_pg=1 ;; esac
if [ "$local_pg" = 1 ] && ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    packages+=(postgresql)
fi
command -v psql >/dev/null || packages+=(postgresql-client)
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
    && ! command -v google-chrome >/dev/null; then
    packages+=(chromium)
fi
if [ "${#packages[@]}" -gt 0 ]; then apt_install "${packages[@]}"; fi

# --- PostgreSQL ----------------------------------------------------------------
if [ "$local_pg" = 1 ]; then
    if ! pg_isready -q; then
        say "Starting PostgreSQL"
        $SUDO service postgresql start >/dev/null
        for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not start; see 'service postgresql status'."
    fi
    if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        say "Creating the PostgreSQL role $PGUSER"
        as_postgres=(runuser -u postgres --)
        [ -n "$SUDO" ] && as_postgres=(sudo -u postgres)
        "${as_postgres[@]}" psql -q -v ON_ERROR_STOP=1 -d postgres \
            -c "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'" \
            || die "Could not create the PostgreSQL role $PGUSER."
    fi
fi
psql -d postgres -tAc 'SELECT 1' >/dev/null || die "Cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER."

# --- Odoo 17 -------------------------------------------------------------------
odoo_major() {
    "$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null || true
}
if [ "$(odoo_major)" != "17" ]; then
    say "Odoo 17 is not installed: installing it from $ODOO_SOURCE"
    if [ -d "$ODOO_SOURCE" ]; then
        src="$ODOO_SOURCE"
    else
        archive="$(mktemp --suffix=.tar.gz)"
        if [ -f "$ODOO_SOURCE" ]; then
            cp "$ODOO_SOURCE" "$archive"
        elif ! curl -fsSL --retry 2 --connect-timeout 20 -o "$archive" "$ODOO_SOURCE"; then
            rm -f "$archive"
            die "Odoo 17 is not installed and $ODOO_SOURCE cannot be reached: set ODOO_SOURCE to an Odoo 17.0 source tarball (URL or file) or source folder, or install Odoo 17 into $PYTHON first."
        fi
        rm -rf "$ODOO_HOME" && mkdir -p "$ODOO_HOME"
        tar -xzf "$archive" --strip-components=1 -C "$ODOO_HOME"
        rm -f "$archive"
        src="$ODOO_HOME"
    fi
    [ -f "$src/setup.py" ] && [ -f "$src/requirements.txt" ] \
        || die "$src does not look like an Odoo source tree (no setup.py or requirements.txt)."
    # python-ldap needs C headers and the suite does not use it.
    grep -v '^python-ldap' "$src/requirements.txt" >"$src/requirements-noldap.txt"
    "$PYTHON" -m pip install -q -r "$src/requirements-noldap.txt"
    # 'compat' mode: OCA addon wheels create a site-packages/odoo folder that
    # would hide a modern editable install.
    "$PYTHON" -m pip install -q --no-deps -e "$src" --config-settings editable_mode=compat
    [ "$(odoo_major)" = "17" ] || die "Odoo was installed from $src but 'import odoo' does not give Odoo 17."
fi

# --- Python tools ------------------------------------------------------------------
if ! "$PYTHON" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" >/dev/null 2>"${TMPDIR:-/tmp}/logistics-pip.log"; then
    cat "${TMPDIR:-/tmp}/logistics-pip.log" >&2
    die "Could not install the Python requirements (requirements.txt)."
fi
say "Set-up complete: Odoo $("$PYTHON" -c 'import odoo.release as r; print(r.version)'), PostgreSQL at $PGHOST:$PGPORT"
