/** @odoo-module */

import { registry } from "@web/core/registry";

// A billing clerk invoices the ready jobs of a customer in one invoice and
// posts it.
registry.category("web_tour.tours").add("logistics_dispatch_invoice_ready_tour", {
    test: true,
    steps: () => [
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "text Gate Tour Customer",
        },
        {
            content: "Choose it",
            trigger: ".ui-autocomplete a:contains('Gate Tour Customer')",
        },
        {
            content: "Two jobs are ready",
            trigger: ".o_field_widget[name=ready_count]:contains('2')",
            isCheck: true,
        },
        {
            content: "The job with a charge to approve is left out, and why",
            trigger: ".o_field_widget[name=skipped]:contains('still to approve')",
            isCheck: true,
        },
        {
            content: "Create the invoice",
            trigger: ".modal-footer button[name=action_create_invoice]",
        },
        {
            content: "Post the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            in_modal: false,
        },
        {
            content: "It is posted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')",
            in_modal: false,
            isCheck: true,
        },
    ],
});

// Posting an invoice whose job is not delivered is refused with its blockers
// and a button to the blocking jobs.
registry.category("web_tour.tours").add("logistics_dispatch_invoice_gate_tour", {
    test: true,
    steps: () => [
        {
            content: "Post the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
        },
        {
            content: "The refusal names the job that is not delivered",
            trigger: ".modal .modal-body:contains('is not delivered yet')",
            in_modal: false,
            isCheck: true,
        },
        {
            content: "Show the blocking jobs",
            trigger: ".modal .modal-footer button:contains('Show Blocking Jobs')",
            in_modal: false,
        },
        {
            content: "The blocking job is listed",
            trigger: ".o_list_view .o_data_row td:contains('Gate Tour Customer')",
            in_modal: false,
            isCheck: true,
        },
    ],
});
