/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_approval_return_tour", {
    test: true,
    steps: () => [
        {
            content: "Return the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Return')",
        },
        {
            content: "The return wizard opens",
            trigger: ".modal-title:contains('Reverse Transfer')",
            isCheck: true,
        },
        {
            content: "Edit the quantity of the lamps",
            trigger: ".o_data_row .o_data_cell[name=quantity]",
        },
        {
            content: "Return six lamps",
            trigger: ".o_data_row .o_data_cell[name=quantity] input",
            run: "text 6",
        },
        {
            content: "Leave the line",
            trigger: ".modal-title:contains('Reverse Transfer')",
        },
        {
            content: "The wizard says the return waits for approval",
            trigger: ".alert-warning:contains('it will wait for approval')",
            isCheck: true,
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=logistics_return_reason] input",
            run: "text Customer refused the lamps",
        },
        {
            content: "Return",
            trigger: "button[name=create_returns]",
        },
        {
            content: "A notification names the request",
            trigger: ".o_notification .o_notification_content:contains('waits for approval')",
            isCheck: true,
        },
    ],
});
