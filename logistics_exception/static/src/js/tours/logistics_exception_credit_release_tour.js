/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_credit_release_tour", {
    test: true,
    steps: () => [
        {
            content: "The order shows its credit hold",
            trigger: ".o_form_view .alert-warning:contains('Credit hold')",
            isCheck: true,
        },
        {
            content: "Finance releases it",
            trigger: "button[name=action_logistics_release_credit_hold]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "text Customer paid the overdue invoices this morning",
        },
        {
            content: "Release",
            trigger: "button[name=action_release]",
        },
        {
            content: "The dialog closes and the order is no longer held",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons" +
                ":not(:has(button[name=action_logistics_release_credit_hold]))",
            in_modal: false,
            isCheck: true,
        },
    ],
});
