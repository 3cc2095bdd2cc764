/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_routing_tour", {
    test: true,
    steps: () => [
        {
            content: "The exception was routed to this user",
            trigger: ".o_form_view .o_field_widget[name=user_id] input:propValue('Rita Router')",
            isCheck: true,
        },
        {
            content: "The chatter names the rule that routed it",
            trigger: ".o-mail-Message-body:contains('Routed by rule Dock damage to the dock crew')",
            isCheck: true,
        },
        {
            content: "The chatter lists the playbook started",
            trigger: ".o-mail-Message-body:contains('Playbook Damaged goods started')",
            isCheck: true,
        },
        {
            content: "The first step of the playbook is planned for the owner",
            trigger: ".o-mail-Activity:contains('Photograph the damage and attach the photos'):contains('Rita Router')",
            isCheck: true,
        },
        {
            content: "The claim goes to the team leader",
            trigger: ".o-mail-Activity:contains('Claim with the carrier or supplier'):contains('Leo Leader')",
            isCheck: true,
        },
    ],
});
