/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_helpdesk_tour", {
    test: true,
    steps: () => [
        {
            content: "The ticket shows the exception it raised",
            trigger: ".o_form_view button[name=action_view_logistics_exceptions]:contains('1')",
        },
        {
            content: "The exception is open, with the customer's complaint",
            trigger:
                ".o_form_view .o_field_widget[name=summary]:contains('Pallet arrived crushed'), .o_form_view .o_field_widget[name=summary] input:propValueContains('Pallet arrived crushed')",
            isCheck: true,
        },
        {
            content: "It is a damaged goods exception",
            trigger:
                ".o_form_view .o_field_widget[name=category_id] input:propValue('Damaged Goods')",
            isCheck: true,
        },
        {
            content: "And it leads back to its ticket",
            trigger: ".o_form_view button[name=action_view_helpdesk_tickets]:contains('1')",
        },
        {
            content: "Back on the ticket",
            trigger: ".o_form_view .o_field_widget[name=name] input:propValue('Pallet arrived crushed')",
            isCheck: true,
        },
    ],
});
