/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_dispatch_charge_approve_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the waiting charge of the delivered job",
            trigger: ".o_data_row .o_data_cell:contains('Tour Charge Customer')",
        },
        {
            content: "75 minutes of waiting to approve",
            trigger: ".o_field_widget[name=quantity] input:propValue('75.00')",
            isCheck: true,
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
        },
        {
            content: "The charge is approved",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Approved')",
            isCheck: true,
        },
        {
            content: "It is billed on a line of the order",
            trigger: ".o_field_widget[name=sale_line_id]:contains('Waiting Time')",
            isCheck: true,
        },
    ],
});
