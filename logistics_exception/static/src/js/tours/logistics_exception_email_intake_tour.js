/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_email_intake_tour", {
    test: true,
    steps: () => [
        {
            content: "Name the team's mail alias",
            trigger: ".o_field_widget[name=alias_name] input",
            run: "text yard-claims",
        },
        {
            content: "Choose the category of emailed exceptions",
            trigger: ".o_field_widget[name=alias_category_id] input",
            run: "text Damaged",
        },
        {
            content: "Pick Damaged Goods",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Damaged Goods')",
        },
        {
            content: "Accept emails from unknown senders",
            trigger: ".o_field_widget[name=alias_allow_unknown_senders] input",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
            isCheck: true,
        },
    ],
});
