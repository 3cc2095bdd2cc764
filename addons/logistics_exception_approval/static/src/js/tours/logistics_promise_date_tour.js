/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_promise_date_tour", {
    test: true,
    steps: () => [
        {
            content: "Change the promise date of the confirmed order",
            trigger: ".o_form_view button[name=action_logistics_change_promise_date]",
        },
        {
            content: "The wizard says a later date needs approval",
            trigger: ".alert-info:contains('approval')",
            isCheck: true,
        },
        {
            content: "Set the new date",
            trigger: ".o_field_widget[name=commitment_date] input",
            run: "text 01/15/2099 10:00:00",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "text The customer's warehouse is closed for stocktaking",
        },
        {
            content: "Ask for the change",
            trigger: "button[name=action_apply]",
        },
        {
            content: "The order shows the request waiting for approval",
            trigger: ".o_form_view .alert-warning:contains('waits for approval')",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("logistics_promise_date_approve_tour", {
    test: true,
    steps: () => [
        {
            content: "Open Sally's request",
            trigger: ".o_list_view .o_data_row td:contains('Sally Sales')",
        },
        {
            content: "It says why",
            trigger: ".o_form_view .o_field_widget[name=reason]:contains('dock is closed')",
            isCheck: true,
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name=validate_tier]",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name=comment] input",
            run: "text Agreed with the customer",
        },
        {
            content: "Confirm",
            trigger: "button[name=add_comment]",
        },
        {
            content: "The new date is applied",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Applied')",
            isCheck: true,
        },
    ],
});
