/** @odoo-module */

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { formatFloat } from "@web/views/fields/formatters";
import { useSetupAction } from "@web/webclient/actions/action_hook";
import { DashboardChart } from "./dashboard_chart";

/** The KPI dashboard: tiles and charts of logistics.exception.dashboard's
 * get_dashboard_data, filtered by period, company, warehouse and team, in the
 * order of a role preset. Every number opens the records behind it. */
export class LogisticsExceptionDashboard extends Component {
    static template = "logistics_exception_dashboard.Dashboard";
    static components = { ControlPanel, DashboardChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        // Back from a list through the breadcrumb: the same filters again.
        const saved = this.props.state || {};
        this.state = useState({
            data: null,
            filters: { ...(saved.filters || {}) },
            loading: false,
            showAll: Boolean(saved.showAll),
        });
        useSetupAction({
            getLocalState: () => ({
                filters: { ...this.state.filters },
                showAll: this.state.showAll,
            }),
        });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            const data = await this.orm.call(
                "logistics.exception.dashboard",
                "get_dashboard_data",
                [this.state.filters]
            );
            this.state.data = data;
            this.state.filters = { ...data.filters };
        } finally {
            this.state.loading = false;
        }
    }

    setFilter(name, value) {
        this.state.filters[name] = value;
        return this.load();
    }

    onSelectFilter(name, ev) {
        const value = ev.target.value;
        if (name === "company_ids") {
            return this.setFilter(name, value ? [parseInt(value, 10)] : []);
        }
        return this.setFilter(name, value ? parseInt(value, 10) : false);
    }

    get selectedCompany() {
        const ids = this.state.filters.company_ids || [];
        return ids.length === 1 && this.state.data.options.companies.length > 1 ? ids[0] : "";
    }

    get tiles() {
        const { layout, tiles } = this.state.data;
        const keys = this.state.showAll ? layout.tiles : layout.primary_tiles;
        return keys.map((key) => tiles[key]);
    }

    get charts() {
        const { layout, charts } = this.state.data;
        const keys = this.state.showAll ? layout.charts : layout.primary_charts;
        return keys.map((key) => charts[key]);
    }

    get hiddenCount() {
        const { layout } = this.state.data;
        return (
            layout.tiles.length -
            layout.primary_tiles.length +
            layout.charts.length -
            layout.primary_charts.length
        );
    }

    formatValue(value, unit) {
        if (value === null || value === undefined) {
            return "–";
        }
        switch (unit) {
            case "hours":
                return _t("%s h", formatFloat(value, { digits: [false, 1] }));
            case "percent":
                return `${formatFloat(value, { digits: [false, 1] })} %`;
            case "rate":
                return formatFloat(value, { digits: [false, 1] });
            case "money": {
                const currency = this.state.data.currency;
                const amount = formatFloat(value, { digits: [false, currency.digits] });
                return currency.position === "before"
                    ? `${currency.symbol} ${amount}`
                    : `${amount} ${currency.symbol}`;
            }
            default:
                return formatFloat(value, { digits: [false, 0] });
        }
    }

    changeClass(item) {
        if (item.change === null || item.change === undefined || item.change === 0) {
            return "text-muted";
        }
        const better = item.lower_is_better ? item.change < 0 : item.change > 0;
        return better ? "text-success" : "text-danger";
    }

    formatChange(change) {
        const sign = change > 0 ? "+" : "";
        return `${sign}${formatFloat(change, { digits: [false, 1] })} %`;
    }

    open(action) {
        return this.action.doAction(action);
    }
}

registry.category("actions").add("logistics_exception_dashboard", LogisticsExceptionDashboard);
