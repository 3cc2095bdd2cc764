/** @odoo-module */

import { registry } from "@web/core/registry";

// A customer follows a delivery issue on the portal and replies to the team.
registry.category("web_tour.tours").add("logistics_exception_portal_tour", {
    test: true,
    url: "/my",
    steps: () => [
        {
            content: "My Account lists the customer's delivery issues",
            trigger: ".o_portal_index_card a[href='/my/exceptions']:contains('Delivery Issues')",
        },
        {
            content: "Open the delivery issue",
            trigger: "tr.o_logistics_portal_exception a",
        },
        {
            content: "The page says what happened in the customer's words",
            trigger: ".o_logistics_portal_summary:contains('Your delivery could not be unloaded yesterday.')",
            isCheck: true,
        },
        {
            content: "and what happens next",
            trigger: ".o_logistics_portal_next_step:contains('We deliver again on Friday morning.')",
            isCheck: true,
        },
        {
            content: "Write a reply",
            trigger: ".o_portal_chatter_composer textarea[name='message']",
            run: "text Friday morning is fine, our dock opens at 7.",
        },
        {
            content: "Send it",
            trigger: ".o_portal_chatter_composer_btn",
        },
        {
            content: "The reply appears in the conversation",
            trigger: ".o_portal_chatter_message:contains('our dock opens at 7')",
            isCheck: true,
        },
    ],
});
