#!/usr/bin/env bash
# Proves the set-up's PostgreSQL role step on this machine: with PGUSER and
# PGPASSWORD naming a role that does not exist yet (a throw-away name, as on a
# fresh machine where the suite's role is missing), the step creates it, the
# role logs in, and the check drops it again. Then that a Python refusing pip
# (PEP 668) is handled, and that the Docker
# alternative (docker-compose.yml) is valid, installs every module, sees every
# folder of modules, and gets the OCA modules the suite depends on.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "$local_pg" != 1 ]; then
    say "Role step check skipped: PostgreSQL at $PGHOST is not local, the set-up creates no role there"
    exit 0
fi
role="lex_setup_check_$$_$RANDOM"
password="check-$RANDOM$RANDOM"
cleanup() { psql_as_postgres -v role="$role" <<<"DROP ROLE IF EXISTS :\"role\";" >/dev/null 2>&1; }
trap cleanup EXIT

role_exists() {
    [ "$(psql_as_postgres -tA -v role="$role" <<<"SELECT 1 FROM pg_roles WHERE rolname = :'role';")" = 1 ]
}
role_exists && die "Role step check: the throw-away role $role exists already."

say "Checking the set-up's role step with the throw-away role $role"
# A subshell: ensure_pg_role dies (exits) on failure.
(
    export PGUSER="$role" PGPASSWORD="$password"
    ensure_pg_role "$role" "$password"
) || die "Role step check: the set-up could not create the missing role $role."
role_exists || die "Role step check: the role $role does not exist after the set-up's role step."
pg_role_connects "$role" "$password" || die "Role step check: the role $role cannot log in with its password."
cleanup
role_exists && die "Role step check: the throw-away role $role could not be dropped."
say "Role step check passed: a missing role is created and logs in"

# A distribution's Python that refuses pip (PEP 668), as on a user's Debian 12
# or Ubuntu 24.04 server: the set-up must succeed with it and leave every
# command on an environment that imports Odoo 17, never pip into it.
system_python=/usr/bin/python3
if [ -x "$system_python" ] && externally_managed "$system_python"; then
    say "Checking the set-up with $system_python, which refuses pip"
    PYTHON="$system_python" bash "$ROOT/scripts/setup.sh" >/dev/null \
        || die "The set-up fails with PYTHON=$system_python."
    resolved="$(PYTHON="$system_python" bash -c 'source "$1/scripts/common.sh"; printf %s "$PYTHON"' _ "$ROOT")"
    [ "$resolved" != "$system_python" ] && imports_odoo17 "$resolved" \
        || die "With PYTHON=$system_python the commands do not use an environment with Odoo 17 (got $resolved)."
    say "With PYTHON=$system_python every command uses $resolved"
else
    say "No Python refusing pip at $system_python: that check does not apply here"
fi

# The Docker alternative: docker-compose.yml must be valid and install every
# module of the suite (bridges in addons/ included).
if ! command -v docker-compose >/dev/null; then
    say "Installing Debian's docker-compose to check docker-compose.yml"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker-compose >/dev/null \
        || die "Could not install docker-compose to check docker-compose.yml."
fi
docker-compose -f "$ROOT/docker-compose.yml" config -q || die "docker-compose.yml is not valid."
compose_modules="$(grep -oE -- '--init=[^[:space:]"]+' "$ROOT/docker-compose.yml" | head -n1 | cut -d= -f2 | tr , '\n' | sort | paste -sd, -)"
expected_modules="$(suite_modules | tr , '\n' | sort | paste -sd, -)"
[ "$compose_modules" = "$expected_modules" ] \
    || die "docker-compose.yml installs '$compose_modules' but the suite's modules are '$expected_modules': update its --init line."
say "docker-compose.yml is valid and installs every module of the suite ($expected_modules)"

# Every folder of the suite's modules is on the container's addons path.
compose_path="$(docker-compose -f "$ROOT/docker-compose.yml" config | grep -oE -- '--addons-path=[^[:space:]"]+' | head -n1 | cut -d= -f2)"
for dir in $(addons_dirs); do
    mounted="/mnt/extra-addons${dir#"$ROOT"}"
    case ",$compose_path," in
        *",$mounted,"*) ;;
        *) die "docker-compose.yml does not put $mounted (the modules of ${dir#"$ROOT/"}) on its --addons-path ('$compose_path')." ;;
    esac
done
# Every module the suite depends on outside Odoo itself is pinned in
# requirements.txt as an OCA wheel, which the Dockerfile installs.
odoo_addons="$("$PYTHON" -c 'import os, odoo; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')"
missing="$(for dir in $(addons_dirs); do
    for manifest in "$dir"/*/__manifest__.py; do
        "$PYTHON" -c 'import ast, sys; print("\n".join(ast.literal_eval(open(sys.argv[1]).read()).get("depends", [])))' "$manifest"
    done
done | sort -u | while read -r dep; do
    [ -d "$odoo_addons/$dep" ] && continue
    suite_module_dirs "$dep" | grep -q . && continue
    grep -qiE "^odoo-addon-${dep}==" "$ROOT/requirements.txt" || printf '%s ' "$dep"
done)"
[ -z "$missing" ] || die "Modules the suite depends on are neither Odoo's nor pinned in requirements.txt (odoo-addon-<name>==<version>): $missing"
grep -qE '^FROM odoo:17' "$ROOT/Dockerfile" && grep -q 'odoo-addon-' "$ROOT/Dockerfile" \
    || die "The Dockerfile must build on odoo:17 and install the odoo-addon-* lines of requirements.txt."
say "The container sees every folder of modules ($compose_path) and the OCA modules pinned in requirements.txt"
