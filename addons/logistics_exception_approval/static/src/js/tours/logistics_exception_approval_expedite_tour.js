/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_approval_expedite_tour", {
    test: true,
    steps: () => [
        {
            content: "Confirm the rush quotation",
            trigger: ".o_form_view button#draft_confirm[name=button_confirm]",
        },
        {
            content: "The buyer is told it waits for approval",
            trigger: ".o_notification:contains('Waiting for expedite approval')",
            isCheck: true,
        },
        {
            content: "The quotation shows the waiting request",
            trigger:
                ".o_form_view .alert-warning:contains('waiting for expedite approval') .o_field_widget[name=logistics_expedite_request_id]",
            isCheck: true,
        },
        {
            content: "It is still a request for quotation",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('RFQ')",
            isCheck: true,
        },
    ],
});
