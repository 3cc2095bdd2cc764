#!/usr/bin/env bash
# Proves the set-up's PostgreSQL role step on this machine: with PGUSER and
# PGPASSWORD naming a role that does not exist yet (a throw-away name, as on a
# fresh machine where the suite's role is missing), the step creates it, the
# role logs in, and the check drops it again. Then checks that the Docker
# alternative (docker-compose.yml) is valid and installs every module.
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
