/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_dashboard_tour", {
    test: true,
    steps: () => [
        {
            content: "The dashboard shows the company's 3 open exceptions",
            trigger: ".o_logistics_dashboard_tile[data-tile=open] .o_logistics_dashboard_value:contains(3)",
            isCheck: true,
        },
        {
            content: "One of them breached its SLA",
            trigger: ".o_logistics_dashboard_tile[data-tile=breached] .o_logistics_dashboard_value:contains(1)",
            isCheck: true,
        },
        {
            content: "Switch to the finance preset",
            trigger: ".o_logistics_dashboard_presets button[data-preset=finance]",
            run: "click",
        },
        {
            content: "Finance sees the month's cost first",
            trigger: ".o_logistics_dashboard_presets button[data-preset=finance].btn-primary",
            extra_trigger: ".o_logistics_dashboard .o_content > .row:first-child > div:first-child .o_logistics_dashboard_tile[data-tile=cost_month]",
            isCheck: true,
        },
        {
            content: "Open the open exceptions' tile",
            trigger: ".o_logistics_dashboard_tile[data-tile=open]",
            run: "click",
        },
        {
            content: "The list holds the 3 open exceptions, and nothing else",
            trigger: ".o_list_view tbody:has(.o_data_row:nth-child(3)):not(:has(.o_data_row:nth-child(4)))",
            extra_trigger: ".o_breadcrumb:contains(Open exceptions)",
            isCheck: true,
        },
        {
            content: "The resolved one is not in the list",
            trigger: ".o_list_view:contains(Dash tour crate short):not(:contains(Dash tour resolved))",
            isCheck: true,
        },
    ],
});
