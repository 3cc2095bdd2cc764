/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_cost_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the costs of the exception",
            trigger: ".o_notebook .nav-link:contains('Costs')",
        },
        {
            content: "The rework booked by the manager is there",
            trigger: "div[name=cost_ids] .o_data_row:contains('Re-pack 3 cartons')",
            isCheck: true,
        },
        {
            content: "Finance issues a credit note for the exception",
            trigger: "button[name=action_create_credit_note]",
        },
        {
            content: "A customer credit note for the exception opens",
            trigger:
                ".o_form_view:has(.o_field_widget[name=logistics_exception_id] input)" +
                " .o_breadcrumb:contains('Credit Note')",
            isCheck: true,
        },
        {
            content: "Add a line",
            trigger: "div[name=invoice_line_ids] .o_field_x2many_list_row_add a",
        },
        {
            content: "Describe it",
            trigger: "div[name=invoice_line_ids] .o_selected_row [name=name] textarea",
            run: "text Credit for 3 missing cartons",
        },
        {
            content: "Price it",
            trigger: "div[name=invoice_line_ids] .o_selected_row [name=price_unit] input",
            run: "text 120",
        },
        {
            content: "Post it",
            trigger: "button[name=action_post]",
        },
        {
            content: "The credit note is posted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Posted')",
            isCheck: true,
        },
    ],
});
