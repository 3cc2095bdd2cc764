/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_review_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the recurring-pattern settings",
            trigger: ".o_notebook .nav-link:contains('Recurring Patterns')",
        },
        {
            content: "Review above 2 exceptions",
            trigger: ".o_field_widget[name=review_threshold] input",
            run: "text 2",
        },
        {
            content: "Run the review now",
            trigger: ".o_form_statusbar button[name=action_review_recurring_patterns]",
        },
        {
            content: "The process review opened, in the list",
            trigger: ".o_list_view .o_data_cell:contains('Process review: 3 Tour Pallet Damage')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_cell:contains('Process review: 3 Tour Pallet Damage')",
        },
        {
            content: "Its form",
            trigger: ".o_form_view .o_field_widget[name=summary]:contains('Tour Oak pallet'), .o_form_view .o_field_widget[name=summary] input",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("logistics_exception_scorecard_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the warehouse's scorecard",
            trigger: ".o-form-buttonbox button[name=action_open_logistics_scorecard]",
        },
        {
            content: "The scorecard shows the SLA compliance",
            trigger: ".o_form_view:contains('Warehouse Scorecard') .o_field_widget[name=logistics_scorecard_sla_compliance]",
        },
        {
            content: "Open the exceptions behind it",
            trigger: ".o-form-buttonbox button[name=action_open_logistics_exceptions]",
        },
        {
            content: "The warehouse's exception is listed",
            trigger: ".o_list_view .o_data_cell:contains('Tour: forklift hit the rack')",
            isCheck: true,
        },
    ],
});
