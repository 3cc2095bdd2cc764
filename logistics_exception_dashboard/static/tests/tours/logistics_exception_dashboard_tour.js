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
            content: "Look at the last 7 days",
            trigger: "select.o_logistics_dashboard_period",
            run() {
                const select = document.querySelector("select.o_logistics_dashboard_period");
                select.value = "7";
                select.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The figures are read again for 7 days",
            trigger: ".o_logistics_dashboard_refresh:not([disabled])",
            extra_trigger: "select.o_logistics_dashboard_period:propValue('7')",
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
        {
            content: "Back to the dashboard through the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Exceptions Dashboard)",
            run: "click",
        },
        {
            content: "The dashboard keeps the preset and the period",
            trigger: ".o_logistics_dashboard_presets button[data-preset=finance].btn-primary",
            extra_trigger: "select.o_logistics_dashboard_period:propValue('7')",
            isCheck: true,
        },
    ],
});
