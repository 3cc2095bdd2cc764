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

registry.category("web_tour.tours").add("logistics_dispatch_job_charges_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the charges of the job",
            trigger: ".o_notebook .nav-link:contains('Charges')",
        },
        {
            content: "Reject the waiting charge from the job",
            trigger: ".o_field_widget[name=charge_ids] .o_data_row button[name=action_reject]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "text The dock was closed: our driver came early.",
            in_modal: true,
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name=action_confirm]",
            in_modal: false,
        },
        {
            content: "The charge is rejected on the job",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=charge_ids] .o_data_row:contains('Rejected')",
            in_modal: false,
            isCheck: true,
        },
    ],
});
