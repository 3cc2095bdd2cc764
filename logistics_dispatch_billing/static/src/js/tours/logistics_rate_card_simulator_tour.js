/** @odoo-module */

import { registry } from "@web/core/registry";

// Steps in a dialog look inside it (in_modal): no ".modal" in their triggers.
registry.category("web_tour.tours").add("logistics_rate_card_simulator_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the simulator of the card",
            trigger: ".o_form_view button[name=action_open_simulator]",
        },
        {
            content: "The simulator prices the base rate with its fuel surcharge",
            trigger: ".o_field_widget[name=total_amount]:contains('110.00')",
            isCheck: true,
        },
        {
            content: "A redelivery",
            trigger: ".o_field_widget[name=redelivery] input",
            run: "click",
        },
        {
            content: "The redelivery is charged",
            trigger: ".o_field_widget[name=total_amount]:contains('170.00')",
            isCheck: true,
        },
        {
            content: "The detail names it",
            trigger: ".o_field_widget[name=detail]:contains('Redelivery')",
            isCheck: true,
        },
        {
            content: "Close",
            trigger: ".modal-footer button.btn-primary",
        },
        {
            content: "Back on the card",
            trigger: "body:not(:has(.modal)) .o_form_view",
            in_modal: false,
            isCheck: true,
        },
    ],
});
