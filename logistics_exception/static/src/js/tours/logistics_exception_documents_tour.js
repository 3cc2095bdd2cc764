/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_report_from_picking_tour", {
    test: true,
    steps: () => [
        {
            content: "Report an exception on the delivery",
            trigger: ".o_form_view button[name=action_report_logistics_exception]",
        },
        {
            content: "The customer comes from the delivery",
            trigger: ".o_field_widget[name=partner_id] input:propValue('Tour Tiles Ltd')",
            isCheck: true,
        },
        {
            content: "Describe it",
            trigger: ".o_field_widget[name=summary] input",
            run: "text Two cartons crushed by the forklift at dock 2",
        },
        {
            content: "Pick the category",
            trigger: ".o_field_widget[name=category_id] input",
            run: "text Damaged Goods",
        },
        {
            content: "Choose it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Damaged Goods')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
        },
        {
            content: "Saved with its reference",
            trigger: ".o_form_saved .o_field_widget[name=name]:contains('LEX/')",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("logistics_exception_billing_override_tour", {
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
            content: "Back on the invoice, confirm it",
            trigger:
                "body:not(:has(.modal)) .o_form_view " +
                ".o_statusbar_buttons button[name=action_post]:not(.d-none)",
            in_modal: false,
        },
        {
            content: "The invoice is posted",
            trigger: ".o_statusbar_status:contains('Posted')",
            in_modal: false,
            isCheck: true,
        },
    ],
});
