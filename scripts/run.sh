#!/usr/bin/env bash
# Creates or updates the demo database with every module of the suite and
# its demo data, then serves it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

modules="$(suite_modules)"
if db_exists "$DEMO_DB"; then
    # A module of the suite the database does not have yet is installed (-i
    # on an installed module would replay its data); the others are updated.
    installed="$(psql -X -d "$DEMO_DB" -tAc "SELECT name FROM ir_module_module WHERE state = 'installed'" 2>/dev/null)"
    missing="$(tr , '\n' <<<"$modules" | grep -vxF -f <(printf '%s\n' "$installed") | paste -sd, -)"
    if [ -n "$missing" ]; then
        say "Installing $missing in database $DEMO_DB"
        odoo_cmd -d "$DEMO_DB" -i "$missing" --stop-after-init --log-level=warn
    fi
    say "Updating $modules in database $DEMO_DB"
    odoo_cmd -d "$DEMO_DB" -u "$modules" --stop-after-init --log-level=warn
else
    say "Creating database $DEMO_DB with $modules and demo data (takes a few minutes)"
    odoo_cmd -d "$DEMO_DB" -i "$modules" --stop-after-init --log-level=warn
fi
cat <<MSG

  Logistics exceptions demo: http://localhost:$HTTP_PORT  (database $DEMO_DB)
  Logins (password = login):
    admin          administrator, configures everything
    lex_manager    operations manager: every exception, priorities, reassignment
    lex_warehouse  warehouse lead (warehouse operations queue)
    lex_dispatch   dispatcher (dispatch queue)
    lex_buyer      buyer (procurement queue)
    lex_service    customer service (customer service queue)
    lex_billing    billing clerk (billing queue)
  Stop with Ctrl+C.

MSG
exec "$PYTHON" -m odoo -c "$ODOO_CONF" --addons-path="$(addons_path)" -d "$DEMO_DB" \
    --db-filter="^${DEMO_DB}\$" --http-port="$HTTP_PORT"
