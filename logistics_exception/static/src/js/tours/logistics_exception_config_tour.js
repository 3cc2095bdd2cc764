/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_exception_config_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the receipt rule",
            trigger: ".o_list_view .o_data_cell:contains('Receipts over or short')",
        },
        {
            content: "Widen the tolerance",
            trigger: ".o_field_widget[name=threshold_percent] input",
            run: "text 5",
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
