/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_approval_override_ask_tour", {
    test: true,
    steps: () => [
        {
            content: "Override the billing hold of the draft invoice",
            trigger: ".o_form_view button[name=action_open_logistics_billing_override]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "text Customer agreed to be invoiced in full today",
        },
        {
            content: "Override",
            trigger: "button[name=action_confirm]",
        },
        {
            content: "The override waits for approval",
            trigger: ".o_notification:contains('waits for approval')",
            in_modal: false,
            isCheck: true,
        },
        {
            content: "The wizard is closed, the invoice still in draft",
            trigger:
                "body:not(:has(.modal)) .o_form_view " +
                ".o_statusbar_status button.o_arrow_button_current:contains('Draft')",
            in_modal: false,
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("logistics_exception_approval_override_approve_tour", {
    test: true,
    steps: () => [
        {
            content: "The request says what it changes",
            trigger: ".o_form_view .o_field_widget[name=description]:contains('posted although it is held')",
            isCheck: true,
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name=validate_tier]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=comment] input",
            run: "text Checked with the customer",
        },
        {
            content: "Confirm",
            trigger: "button[name=add_comment]",
        },
        {
            content: "The override is applied",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Applied')",
            in_modal: false,
            isCheck: true,
        },
    ],
});
