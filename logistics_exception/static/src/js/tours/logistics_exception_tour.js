/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_tour", {
    test: true,
    url: "/web#action=logistics_exception.logistics_exception_action",
    steps: () => [
        {
            content: "The kanban shows one column per state",
            trigger: ".o_kanban_view .o_kanban_group .o_column_title:contains('New')",
            isCheck: true,
        },
        {
            content: "Report a new exception",
            trigger: ".o-kanban-button-new",
        },
        {
            content: "Describe it",
            trigger: ".o_field_widget[name=summary] input",
            run: "text Vendor missed the 10:00 delivery slot",
        },
        {
            content: "Pick the category",
            trigger: ".o_field_widget[name=category_id] input",
            run: "text Supplier Delay",
        },
        {
            content: "Choose it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Supplier Delay')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
        },
        {
            content: "Start working on it",
            trigger: ".o_form_saved button[name=action_start]",
        },
        {
            content: "It is in progress and owned by the person who started it",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('In Progress')",
            isCheck: true,
        },
        {
            content: "Click Resolve",
            trigger: "button[name=action_resolve]",
        },
        {
            content: "The exception is resolved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Resolved')",
            isCheck: true,
        },
    ],
});
