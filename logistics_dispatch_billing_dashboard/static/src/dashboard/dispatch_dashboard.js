/** @odoo-module */

import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { formatFloat } from "@web/views/fields/formatters";
import { LogisticsExceptionDashboard } from "@logistics_exception_dashboard/dashboard/dashboard";

/** The dispatch-to-cash section of the KPI dashboard (``data.dispatch``):
 * its tiles count days as well. */
patch(LogisticsExceptionDashboard.prototype, {
    get dispatchTiles() {
        const section = this.state.data && this.state.data.dispatch;
        return section ? section.tiles : [];
    },

    formatValue(value, unit) {
        if (unit === "days" && value !== null && value !== undefined) {
            return _t("%s d", formatFloat(value, { digits: [false, 1] }));
        }
        return super.formatValue(value, unit);
    },
});
