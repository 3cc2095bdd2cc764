/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_dispatch_billing_dashboard_tour", {
    test: true,
    steps: () => [
        {
            content: "The dispatch-to-cash section shows one job delivered and not invoiced",
            trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_unbilled] .o_logistics_dashboard_value:contains(1)",
            isCheck: true,
        },
        {
            content: "The other job was invoiced a day after its delivery",
            trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_invoice_cycle] .o_logistics_dashboard_value:contains(1.0 d)",
            isCheck: true,
        },
        {
            content: "Neither has a complete proof of delivery",
            trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_pod_compliance] .o_logistics_dashboard_value:contains(0.0 %)",
            extra_trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_margin]",
            isCheck: true,
        },
        {
            content: "Open the unbilled jobs",
            trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_unbilled]",
            run: "click",
        },
        {
            content: "The list holds the one unbilled job",
            trigger: ".o_list_view tbody:has(.o_data_row):not(:has(.o_data_row:nth-child(2)))",
            extra_trigger: ".o_breadcrumb:contains(Completed but unbilled jobs)",
            isCheck: true,
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Exceptions Dashboard)",
            run: "click",
        },
        {
            content: "The section is there again",
            trigger: ".o_logistics_dispatch_dashboard .o_logistics_dashboard_tile[data-tile=dispatch_unbilled]",
            isCheck: true,
        },
    ],
});
