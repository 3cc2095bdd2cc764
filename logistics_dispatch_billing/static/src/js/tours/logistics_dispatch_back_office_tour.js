/** @odoo-module */

import { registry } from "@web/core/registry";

// A dispatcher without purchase rights gives a job to a carrier and plans it:
// the job shows the carrier's purchase order that buys it.
registry.category("web_tour.tours").add("logistics_dispatch_subcontract_tour", {
    test: true,
    steps: () => [
        {
            content: "Give the job to the carrier",
            trigger: ".o_field_widget[name=subcontractor_id] input",
            run: "text Tour Carrier",
        },
        {
            content: "Choose it",
            trigger: ".ui-autocomplete a:contains('Tour Carrier')",
        },
        {
            content: "Plan the job",
            trigger: ".o_statusbar_buttons button[name=action_plan]",
        },
        {
            content: "The job is planned",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Planned')",
            isCheck: true,
        },
        {
            content: "The purchase order that buys it is shown",
            trigger: ".o_field_widget[name=subcontract_purchase_ref]:contains('P0')",
            isCheck: true,
        },
    ],
});

// Billing reads the completed but unbilled board, then the figures.
registry.category("web_tour.tours").add("logistics_dispatch_unbilled_tour", {
    test: true,
    steps: () => [
        {
            content: "The job delivered ten days ago is over 7 days old",
            trigger: ".o_data_row:contains('Unbilled Tour Customer') td:contains('Over 7 days')",
            isCheck: true,
        },
        {
            content: "Open the billing menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains('Billing')",
        },
        {
            content: "Open the figures",
            trigger: ".dropdown-menu .dropdown-item:contains('Figures')",
        },
        {
            content: "The figures show the jobs",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Unbilled Tour Customer'), .o_pivot th:contains('# Jobs')",
            isCheck: true,
        },
    ],
});
